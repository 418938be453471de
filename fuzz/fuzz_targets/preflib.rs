//! Any bytes read as PrefLib: the reader returns a value or an error, never
//! panics; what it reads can be written back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psephos_io::{read_bytes, write_preflib, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    // The name carries no extension, so the header alone gives the data type.
    if let Ok(file) = read_bytes("fuzz", data, &ReadOptions::with_format(Format::PrefLib)) {
        write_preflib(&mut Vec::new(), &file).expect("a file that was read can be written");
    }
});
