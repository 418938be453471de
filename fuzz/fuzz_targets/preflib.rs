//! Any bytes read as PrefLib: the reader returns a value or an error, never
//! panics; what it reads can be written back (unless it holds the empty
//! categories of a `.cat` file, which orders cannot express); and any bytes
//! read as categorical preferences give scores or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psephos_io::{preflib, read_bytes, write_preflib, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    // The name carries no extension, so the header alone gives the data type.
    if let Ok(file) = read_bytes("fuzz", data, &ReadOptions::with_format(Format::PrefLib)) {
        let empty_category = file.ballots.iter().any(|b| b.levels().any(|l| l.is_skipped()));
        let written = write_preflib(&mut Vec::new(), &file);
        assert!(written.is_ok() || empty_category, "a file that was read can be written");
    }
    let _ = preflib::read_categorical("fuzz", data);
});
