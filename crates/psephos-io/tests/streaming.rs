//! Reading a stream line by line gives exactly what reading the same bytes
//! from memory gives, errors and their positions included; and `read_path`
//! streams BLT and PrefLib files whatever their name.

use std::io::BufReader;
use std::path::PathBuf;

use proptest::prelude::*;
use psephos_io::{blt, preflib, read_bytes, read_path, Format, ReadOptions};

const PREFLIB: &str = "\u{FEFF}# FILE NAME: t.toi\n# TITLE: Test\n# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 3\n\
                       # NUMBER VOTERS: 7\n# NUMBER UNIQUE ORDERS: 4\n# ALTERNATIVE NAME 1: Ada\n\
                       # ALTERNATIVE NAME 2: Bo\n# ALTERNATIVE NAME 3: Cy\n3: 1,3,2\r\n2: {2,3},1\n\n# note\n1: 2\n1:\n";

const BLT: &str =
    "# made by hand\n4 2\n-2\n(a1) 5 1 3 0 # five\n1 3=1 - 2 0\r\n1 0\n0\n\"A \\\"Ace\\\"\" \"B\"\nC\n\"D\"\n\
                   \"Title\" # done\n";

/// `src` with each edit applied: at a position (taken modulo the length),
/// delete a byte, or insert or overwrite one from bytes that matter to
/// the parsers.
fn mutate(src: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    const BYTES: &[u8] = b"0123456789 \t\n\r,:{}#-=()\".\0\xFF\xC3";
    let mut out = src.as_bytes().to_vec();
    for &(at, op, b) in edits {
        let at = at % (out.len() + 1);
        let b = BYTES[b as usize % BYTES.len()];
        match op % 3 {
            0 if at < out.len() => {
                out.remove(at);
            }
            1 if at < out.len() => out[at] = b,
            _ => out.insert(at, b),
        }
    }
    out
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
    proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..4)
}

proptest! {
    #[test]
    fn preflib_stream_reads_as_memory(edits in edits(), capacity in 1usize..40, sized in any::<bool>()) {
        let bytes = mutate(PREFLIB, &edits);
        let size = sized.then_some(bytes.len() as u64);
        let stream = preflib::read_from("t.toi", BufReader::with_capacity(capacity, &bytes[..]), size);
        prop_assert_eq!(stream, preflib::read("t.toi", &bytes));
    }

    #[test]
    fn blt_stream_reads_as_memory(edits in edits(), capacity in 1usize..40, sized in any::<bool>()) {
        let bytes = mutate(BLT, &edits);
        let size = sized.then_some(bytes.len() as u64);
        let stream = blt::read_from("t.blt", BufReader::with_capacity(capacity, &bytes[..]), size);
        prop_assert_eq!(stream, blt::read("t.blt", &bytes));
    }
}

#[test]
fn the_unmutated_samples_read() {
    let f = preflib::read("t.toi", PREFLIB.as_bytes()).unwrap();
    assert_eq!(f.ballots.total_weight(), 7);
    let f = blt::read("t.blt", BLT.as_bytes()).unwrap();
    assert_eq!(f.title.as_deref(), Some("Title"));
}

/// A file of this name in a fresh temporary directory.
fn temp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("psephos-io-streaming-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn read_path_streams_any_name_and_keeps_positions() {
    let cases: [(&str, &[u8]); 6] = [
        ("poll.toi", PREFLIB.as_bytes()),
        ("poll-no-extension", PREFLIB.as_bytes()),
        ("poll.blt", BLT.as_bytes()),
        ("poll-blt-upload", BLT.as_bytes()),
        ("poll.csv", b"Rank 1,Rank 2\nA,B\nB,\n"),
        ("bad.soi", b"# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n1: 1\n\n3: 1,2,\n"),
    ];
    for (name, content) in cases {
        let path = temp(name, content);
        let shown = path.display().to_string();
        let from_disk = read_path(&path, &ReadOptions::default());
        assert_eq!(from_disk, read_bytes(&shown, content, &ReadOptions::default()), "{name}");
        if name == "bad.soi" {
            let e = from_disk.unwrap_err().to_string();
            assert_eq!(e, format!("{shown}:7:8: expected an alternative after `,`, found the end of the line"));
        }
        std::fs::remove_file(&path).unwrap();
    }
    let path = temp("ballots.txt", BLT.as_bytes());
    assert_eq!(read_path(&path, &ReadOptions::with_format(Format::Blt)).unwrap().format, Format::Blt);
    let path = temp("ballots.txt", b"hello");
    let e = read_path(&path, &ReadOptions::default()).unwrap_err();
    assert_eq!(e.to_string(), format!("{}: {}", path.display(), psephos_io::ReadErrorKind::UnknownFormat));
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn errors_at_the_end_of_a_stream() {
    for (src, expected) in [
        ("3 1\n1 1 2", "t.blt:2:6: truncated file: the file ends where `0` closing the last ballot was expected"),
        ("3 1\n1 1 2\n\n  \n", "t.blt:2:6: truncated file: the file ends where `0` closing the last ballot was expected"),
        ("3 1\n1 1 2\n# more\n", "t.blt:2:6: expected `0` closing the ballot, found the end of the line"),
        ("3 1\n1 1 2 # c\n", "t.blt:2:6: expected `0` closing the ballot, found the end of the line"),
        ("3 1\n0\n\"A\"\n\"B\"", "t.blt:4:4: truncated file: the file ends where the name of candidate 3 (2 of 3 names were found) was expected"),
        ("3 1\n0\n\"A\"\n\"B\"\r\n", "t.blt:5:1: truncated file: the file ends where the name of candidate 3 (2 of 3 names were found) was expected"),
    ] {
        let memory = blt::read("t.blt", src.as_bytes()).unwrap_err();
        assert_eq!(memory.to_string(), expected, "{src:?}");
        assert_eq!(blt::read_from("t.blt", src.as_bytes(), None).unwrap_err(), memory);
    }
    let src = "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n1: 1,";
    let e = preflib::read_from("t.soi", src.as_bytes(), None).unwrap_err();
    assert_eq!(e.to_string(), "t.soi:5:6: expected an alternative after `,`, found the end of the file");
}

/// Gives the bytes of `src` up to `fail_at`, then an error.
struct Failing<'a> {
    src: &'a [u8],
    at: usize,
    fail_at: usize,
}

impl std::io::Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.fail_at {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = buf.len().min(self.fail_at - self.at);
        buf[..n].copy_from_slice(&self.src[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A stream that fails after several blocks of order lines reports the
/// failure, never a shorter file; and a mistake in a line before the
/// failure is reported first, as a file read to its end would report it.
#[test]
fn a_stream_failing_midway_is_an_error_after_the_lines_before_it() {
    let head = "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n\
                # ALTERNATIVE NAME 3: C\n";
    let orders: String = (0..300_000).map(|i| format!("{}: {}\n", 1 + i % 7, ["1,2,3", "2", "3,1"][i % 3])).collect();
    let src = format!("{head}{orders}");
    let read = |src: &str, fail_at: usize| {
        let stream = Failing { src: src.as_bytes(), at: 0, fail_at };
        preflib::read_from("t.soi", BufReader::new(stream), None)
    };
    for fail_at in [100, 600_000, 1_300_000, src.len() - 3] {
        let err = read(&src, fail_at).unwrap_err();
        assert!(err.to_string().contains("the disk went away"), "{err}");
    }
    // A repeated alternative on a line about 500 kB in, and a failure
    // from 530 kB to 1.1 MB after it: the line is in a block read whole
    // (of 512 KiB), and some failures come while its block is parsed, so
    // that the error waits for the join.
    let mut lines: Vec<&str> = src.lines().collect();
    let at = src[..500_000].matches('\n').count();
    lines[at] = "1: 2,2";
    let bad = lines.join("\n") + "\n";
    let whole = preflib::read("t.soi", bad.as_bytes()).unwrap_err();
    assert_eq!(whole.line, Some(at + 1), "{whole}");
    for fail_at in (500_000 + 530_000..500_000 + 1_100_000).step_by(50_000) {
        assert_eq!(read(&bad, fail_at).unwrap_err(), whole, "failing at byte {fail_at}");
    }
}
