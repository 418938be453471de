//! Any bytes read as each cast-vote record format (CDF JSON and XML, Hart
//! XML, Clear Ballot CSV, RCTab's generic CSV, an ES&S workbook): the reader
//! returns records or an error naming the file, never panics; records that
//! were read become a ballot file or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psephos_io::cvr::{read_ballot_file, SourceOptions};
use psephos_io::Format;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("psephos-fuzz-cvr-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    for (name, format) in [
        ("fuzz.json", Format::Cdf),
        ("fuzz.xml", Format::Cdf),
        ("fuzz.xml", Format::Hart),
        ("fuzz.csv", Format::ClearBallot),
        ("fuzz.csv", Format::RctabCsv),
        ("fuzz.xlsx", Format::Ess),
    ] {
        let path = dir.join(name);
        if std::fs::write(&path, data).is_err() {
            return;
        }
        let options = SourceOptions::standalone(format, Some("Contest".into()));
        if let Err(e) = read_ballot_file(&path, format, &options) {
            assert!(e.to_string().contains(name), "the error names the file: {e}");
        }
    }
});
