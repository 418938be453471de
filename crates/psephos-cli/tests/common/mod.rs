//! Helpers shared by the command-line tests.
// Each test binary uses some of them.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

/// The `psephos` binary.
pub fn psephos() -> Command {
    Command::cargo_bin("psephos").expect("the binary builds")
}

/// A file under the repository's `testdata/`.
pub fn testdata(rel: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(rel);
    p.to_str().expect("a UTF-8 path").to_owned()
}

/// Writes `content` to a file named `name` in a fresh temporary folder; the
/// folder lives as long as the returned guard.
pub fn temp_file(name: &str, content: impl AsRef<[u8]>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let s = path.to_str().expect("a UTF-8 path").to_owned();
    (dir, s)
}

/// Runs `psephos COMMAND ARGS --json`, which must succeed, and parses its output.
pub fn run_json(command: &str, args: &[&str]) -> Value {
    let out = psephos().arg(command).args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
