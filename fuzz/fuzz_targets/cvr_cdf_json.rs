//! Any bytes read as CDF JSON, after a first line naming the contest (see
//! `common/cvr.rs`): records or an error naming the file, never a panic.
#![no_main]

#[path = "common/cvr.rs"]
mod cvr;

use libfuzzer_sys::fuzz_target;
use psephos_io::Format;

fuzz_target!(|data: &[u8]| cvr::check(data, "fuzz.json", Format::Cdf));
