//! Any bytes read as BLT: the reader returns a value or an error, never
//! panics; what it reads, written back and read again, is unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psephos_io::{blt, read_bytes, write_blt, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = read_bytes("fuzz.blt", data, &ReadOptions::with_format(Format::Blt)) {
        let mut out = Vec::new();
        write_blt(&mut out, &file).expect("a file that was read can be written");
        let again = blt::read("again.blt", &out).expect("a written file reads back");
        assert_eq!(again, file);
    }
});
