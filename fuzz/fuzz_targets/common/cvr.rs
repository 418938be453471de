//! Shared by the per-format cast-vote record targets. An input is a contest
//! id (its first line, as `SourceOptions::contest_id`) and the bytes of one
//! CVR file (the rest); the bytes are read from memory as one format, with
//! the options a CVR file gets outside an RCTab configuration. The reader
//! returns records or an error naming the file, never panics; records that
//! were read become a ballot file or an error naming the file.

use psephos_io::cvr::{read_ballot_file_from_bytes, SourceOptions};
use psephos_io::Format;

/// The longest contest id taken from the first line.
const MAX_CONTEST_ID: usize = 200;

/// Read `data` (contest id, newline, file) as `format`, as a file called `name`.
pub fn check(data: &[u8], name: &str, format: Format) {
    let (contest, file) = match data.iter().take(MAX_CONTEST_ID + 1).position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b""[..], data),
    };
    let options = SourceOptions::standalone(format, Some(String::from_utf8_lossy(contest).into_owned()));
    if let Err(e) = read_ballot_file_from_bytes(file, name, format, &options) {
        assert!(e.to_string().contains(name), "the error names the file: {e}");
    }
}
