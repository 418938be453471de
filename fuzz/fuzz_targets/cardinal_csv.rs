//! Any bytes read as approval or score ballots: the reader returns a value or
//! an error, never panics, and a value it returns sets up an election.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psephos_io::cardinal_csv::{read, CardinalCsvOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, data)) = data.split_first() else { return };
    let opts = match choice % 3 {
        0 => CardinalCsvOptions::approval(),
        1 => CardinalCsvOptions::scores(5),
        _ => CardinalCsvOptions::scores(u16::from(choice).max(1)),
    };
    if let Ok(file) = read("fuzz.csv", data, &opts) {
        let _ = file.into_election();
    }
});
