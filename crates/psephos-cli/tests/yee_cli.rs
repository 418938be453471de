//! `psephos yee` from the outside.

use predicates::prelude::*;

mod common;
use common::psephos;

const TRIANGLE: [&str; 8] =
    ["--candidates", "50,50;150,50;100,150", "--size", "20", "--voters", "101", "--sigma", "30"];

#[test]
fn svg_has_a_panel_per_rule_and_the_candidates() {
    let out = psephos()
        .args(["yee", "--rule", "plurality", "--rule", "schulze"])
        .args(TRIANGLE)
        .args(["--svg", "-"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(">plurality</text>") && svg.contains(">schulze</text>"));
    assert_eq!(svg.matches("<circle").count(), 6, "three candidates in each of two panels");
    // With three candidates at a triangle every region is the nearest candidate's:
    // all three colours appear in each panel.
    for colour in ["#f3c300", "#875692", "#f38400"] {
        assert!(svg.contains(&format!("fill=\"{colour}\"")), "{colour}");
    }
}

#[test]
fn png_is_a_picture_of_the_panels() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yee.png");
    psephos()
        .args(["yee", "--rule", "irv", "--rule", "borda"])
        .args(TRIANGLE)
        .args(["--png", path.to_str().unwrap()])
        .assert()
        .success();
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    // Two panels of 20 pixels with 10-pixel margins.
    assert_eq!((info.width, info.height), (2 * 30 + 10, 40));
}

#[test]
fn bad_requests_are_refused_before_any_work() {
    let refused = |args: &[&str], message: &str| {
        psephos().arg("yee").args(args).assert().failure().stderr(predicate::str::contains(message));
    };
    refused(&["--rule", "irv", "--size", "0", "--svg", "-"], "--size");
    refused(&["--rule", "irv", "--size", "1000", "--voters", "100000", "--svg", "-"], "at most");
    refused(&["--rule", "irv", "--png", "-"], "--png -");
    refused(&["--rule", "irv"], "--svg");
    refused(&["--rule", "irv", "--candidates", "1,2", "--svg", "-"], "from 2 to 20");
    refused(&["--rule", "irv", "--candidates", "1,2;x,3", "--svg", "-"], "`x` is not a number");
    refused(&["--rule", "stv", "--svg", "-"], "single-winner");
}
