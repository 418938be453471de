//! Any bytes read as CSV ballots, in each layout: the reader returns a value
//! or an error, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psephos_io::{read_bytes, CsvLayout, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, data)) = data.split_first() else { return };
    let mut opts = ReadOptions::with_format(Format::Csv);
    opts.csv.layout = match choice % 3 {
        0 => CsvLayout::Auto,
        1 => CsvLayout::RankColumns,
        _ => CsvLayout::CandidateColumns,
    };
    if choice & 0x80 != 0 {
        opts.csv.candidates = Some(vec!["Ada".into(), "Bo".into(), "Write-in".into()]);
    }
    let _ = read_bytes("fuzz.csv", data, &opts);
});
