//! Any text read as party votes, as CSV and as TOML: the readers return a
//! value or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psephos_io::party_votes::{parse_csv, parse_toml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse_csv("fuzz.csv", text);
    let _ = parse_toml("fuzz.toml", text);
});
