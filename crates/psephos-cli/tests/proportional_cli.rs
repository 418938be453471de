//! `psephos allocate` and `psephos ams` from the outside: every method on
//! CSV and TOML input, thresholds, the quotient table, the two London
//! Assembly replays, the JSON shapes, and an error for each bad input.
//!
//! The four-party example (A 100,000, B 80,000, C 30,000, D 20,000 votes;
//! 8 seats) is the worked example of the English Wikipedia articles
//! "D'Hondt method" and "Sainte-Laguë method"; the other methods' results
//! on it are worked in the comments below.

use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::{json, Value};

mod common;
use common::{psephos, temp_file};

fn run_json(args: &[&str]) -> Value {
    common::run_json(args[0], &args[1..])
}

/// Runs and expects exit code `code` with every needle in stderr.
fn fails(args: &[&str], code: i32, needles: &[&str]) {
    let out = psephos().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{args:?}: `{needle}` not in: {stderr}");
    }
}

const FOUR_CSV: &str = "party,votes\nA,100000\nB,80000\nC,30000\nD,20000\n";

const FOUR_TOML: &str = r#"
title = "Four parties"
seats = 8
method = "sainte-lague"

[[party]]
name = "A"
votes = 100000

[[party]]
name = "B"
votes = 80000

[[party]]
name = "C"
votes = 30000

[[party]]
name = "D"
votes = 20000
"#;

fn seats(v: &Value) -> Vec<u64> {
    ["A", "B", "C", "D"].iter().map(|p| v["allocation"][p].as_u64().unwrap()).collect()
}

#[test]
fn every_method_on_the_four_party_example() {
    let (_d, csv) = temp_file("four.csv", FOUR_CSV);
    // D'Hondt: quotients 100,000 A, 80,000 B, 50,000 A, 40,000 B, 33,333 A,
    // 30,000 C, 26,667 B, 25,000 A.
    // Sainte-Laguë (1, 3, 5, …): 100,000 A, 80,000 B, 33,333 A, 30,000 C,
    // 26,667 B, 20,000 A, 20,000 D, 16,000 B.
    // Modified Sainte-Laguë (1.4, 3, 5, …): … 16,000 B, then A's fourth
    // quotient and D's first are both 14,285.71: a tie for the eighth seat,
    // which previous-rounds gives to A, the party with more votes.
    // Hare: quota 28,750; quotas 3, 2, 1, 0, remainders (votes over the
    // quotas) A 13,750, B 22,500, C 1,250, D 20,000: seats to B and D.
    // Droop: quota 25,556; quotas 3, 3, 1, 0, the last seat to A's remainder.
    for (method, expected) in [
        ("dhondt", [4, 3, 1, 0]),
        ("sainte-lague", [3, 3, 1, 1]),
        ("modified-sainte-lague", [4, 3, 1, 0]),
        ("hare", [3, 3, 1, 1]),
        ("droop", [4, 3, 1, 0]),
    ] {
        let v = run_json(&["allocate", &csv, "--seats", "8", "--method", method]);
        assert_eq!(seats(&v), expected, "{method}");
        assert_eq!(v["method"], method);
        assert_eq!(v["seats"], 8);
        assert_eq!(v["total_votes"], 230000);
        assert_eq!(v["threshold"], Value::Null);
    }
    let v = run_json(&["allocate", &csv, "--seats", "8", "--method", "modified-sainte-lague"]);
    assert_eq!(v["ties"][0]["seat"], 8);
    assert_eq!(v["ties"][0]["tied"], json!(["A", "D"]));
    assert_eq!(v["ties"][0]["chosen"], "A");
    assert_eq!(v["ties"][0]["step"], "previous-rounds");
}

#[test]
fn toml_input_gives_seats_and_method() {
    let (_d, toml) = temp_file("four.toml", FOUR_TOML);
    let v = run_json(&["allocate", &toml]);
    assert_eq!(v["method"], "sainte-lague");
    assert_eq!(seats(&v), [3, 3, 1, 1]);
    // The command line overrides the file.
    let v = run_json(&["allocate", &toml, "--method", "dhondt", "--seats", "4"]);
    assert_eq!(seats(&v), [2, 2, 0, 0]);
    psephos()
        .args(["allocate", &toml])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Four parties: 8 seats by "));
}

#[test]
fn divisor_json_lists_quotients_in_seat_order_and_the_table() {
    let (_d, csv) = temp_file("four.csv", FOUR_CSV);
    let v = run_json(&["allocate", &csv, "--seats", "8"]);
    let q = v["quotients"].as_array().unwrap();
    assert_eq!(q.len(), 8);
    let order: Vec<&str> = q.iter().map(|s| s["party"].as_str().unwrap()).collect();
    assert_eq!(order, ["A", "B", "A", "B", "A", "C", "B", "A"]);
    assert_eq!(q[0], json!({"party": "A", "quotient": 100000.0, "seat": 1}));
    assert_eq!(q[4]["quotient"], 33333.33);
    assert_eq!(q[7]["seat"], 8);
    let table = &v["quotient_table"];
    assert_eq!(table["A"].as_array().unwrap().len(), 8);
    assert_eq!(table["B"][1], 40000.0);
    assert_eq!(table["D"][0], 20000.0);
    assert_eq!(v["eligible"], json!({"A": true, "B": true, "C": true, "D": true}));
    assert!(v.get("quota").is_none());

    let v = run_json(&["allocate", &csv, "--seats", "8", "--method", "hare"]);
    assert_eq!(v["quota"], "28750.00");
    assert_eq!(v["remainders"]["B"], json!({"quotas": 2, "remainder": "22500.00", "remainder_seat": true}));
    assert_eq!(v["remainders"]["A"]["remainder_seat"], false);
    assert!(v.get("quotients").is_none());
}

#[test]
fn text_shows_the_quotient_table() {
    let (_d, csv) = temp_file("four.csv", FOUR_CSV);
    let out = psephos().args(["allocate", &csv, "--seats", "8"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("8 seats by "), "{text}");
    let header = text.lines().find(|l| l.starts_with("party")).unwrap();
    for d in ["÷1", "÷2", "÷3", "÷4", "÷5"] {
        assert!(header.contains(d), "{header}");
    }
    assert!(!header.contains("÷6"), "one column past the most seats won: {header}");
    // A won four seats: four starred quotients, the fifth (20,000) not.
    let a = text.lines().find(|l| l.starts_with("A ")).unwrap();
    assert_eq!(a.matches('*').count(), 4, "{a}");
    assert!(a.contains("25,000.0*") && a.contains("20,000.0 "), "{a}");
    assert!(text.contains("Seats in order:"));
    // The next quotient in line is B's fourth or A's fifth (both 20,000).
    assert!(text.contains("next: "), "{text}");

    let out = psephos().args(["allocate", &csv, "--seats", "8", "--method", "hare"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("quota: 28,750.00"), "{text}");
    assert!(text.contains("* a seat for the remainder."));
}

#[test]
fn thresholds_exclude_small_parties() {
    let (_d, csv) = temp_file("four.csv", FOUR_CSV);
    // D has 8.7% of the votes: a 10% threshold takes it out, and its
    // Sainte-Laguë seat goes to A's 14,286 quotient.
    let v = run_json(&["allocate", &csv, "--seats", "8", "--method", "sainte-lague", "--threshold", "10"]);
    assert_eq!(seats(&v), [4, 3, 1, 0]);
    assert_eq!(v["threshold"], "10%");
    assert_eq!(v["eligible"]["D"], false);
    assert_eq!(v["quotient_table"]["D"], Value::Null);
    // D's share is 8.6957%: it passes 8.69% and misses 8.7%.
    let v = run_json(&["allocate", &csv, "--seats", "8", "--method", "hare", "--threshold", "8.69"]);
    assert_eq!(v["eligible"]["D"], true);
    let v = run_json(&["allocate", &csv, "--seats", "8", "--method", "hare", "--threshold", "8.70%"]);
    assert_eq!(v["threshold"], "8.70%");
    assert_eq!(v["eligible"]["D"], false);
    let out = psephos().args(["allocate", &csv, "--seats", "8", "--threshold", "10"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("threshold 10% of 230,000 votes"), "{text}");
    assert!(text.contains("(threshold)"), "{text}");
    // A threshold in the file applies unless the command line gives one.
    let (_d2, toml) = temp_file("t.toml", FOUR_TOML.replace("seats = 8", "seats = 8\nthreshold = 10"));
    assert_eq!(seats(&run_json(&["allocate", &toml])), [4, 3, 1, 0]);
    assert_eq!(seats(&run_json(&["allocate", &toml, "--threshold", "5"])), [3, 3, 1, 1]);
}

#[test]
fn ties_that_the_chain_cannot_settle() {
    let (_d, csv) = temp_file("tie.csv", "party,votes\nA,500\nB,500\n");
    // One seat, equal votes: previous-rounds cannot split them.
    fails(&["allocate", &csv, "--seats", "1", "--tie-break", "previous-rounds"], 1, &["tie"]);
    let v = run_json(&["allocate", &csv, "--seats", "1"]);
    assert_eq!(v["ties"][0]["chosen"], "A");
    assert_eq!(v["ties"][0]["step"], "candidate-order");
    fails(&["allocate", &csv, "--seats", "1", "--tie-break", "random"], 1, &["--seed"]);
    let a = run_json(&["allocate", &csv, "--seats", "1", "--tie-break", "random", "--seed", "11"]);
    let b = run_json(&["allocate", &csv, "--seats", "1", "--tie-break", "random", "--seed", "11"]);
    assert_eq!(a, b);
    assert_eq!(a["ties"][0]["step"], "random");
}

#[test]
fn allocate_errors_name_the_problem() {
    let (_d, csv) = temp_file("four.csv", FOUR_CSV);
    // Bad command-line values are usage errors (exit 2).
    fails(&["allocate", &csv, "--seats", "8", "--method", "borda"], 2, &["borda"]);
    fails(&["allocate", &csv, "--seats", "0"], 2, &["--seats"]);
    fails(&["allocate", &csv, "--seats", "-1"], 2, &[]);
    fails(&["allocate", &csv, "--seats", "8", "--threshold", "101"], 2, &["percentage"]);
    fails(&["allocate", &csv, "--seats", "8", "--threshold", "five"], 2, &["percentage"]);
    // Bad input is an error (exit 1) naming the file, line and field.
    fails(&["allocate", &csv], 1, &["--seats"]);
    fails(&["allocate", &csv, "--seats", "8", "--threshold", "50"], 1, &["threshold"]);
    fails(&["allocate", "/nonexistent/votes.csv", "--seats", "3"], 1, &["/nonexistent/votes.csv"]);
    let bad: &[(&str, &str, &[&str])] = &[
        ("missing.csv", "party,count\nA,1\n", &["missing.csv:1:", "votes"]),
        ("negative.csv", "party,votes\nA,100\nB,-5\n", &["negative.csv:3:2:", "`-5`"]),
        ("words.csv", "party,votes\nA,lots\n", &["words.csv:2:2:", "`lots`"]),
        ("noname.csv", "party,votes\n,100\n", &["noname.csv:2:1:"]),
        ("twice.csv", "party,votes\nA,1\nA,2\n", &["twice.csv:3:1:", "`A`"]),
        ("empty.csv", "party,votes\n", &["empty.csv"]),
        ("negative.toml", "seats = 2\n[[party]]\nname = \"A\"\nvotes = -3\n", &["negative.toml:4:"]),
        ("method.toml", "seats = 2\nmethod = \"borda\"\n[[party]]\nname = \"A\"\nvotes = 3\n", &["method", "borda"]),
        ("zero.toml", "seats = 0\n[[party]]\nname = \"A\"\nvotes = 3\n", &["zero.toml", "seats = 0"]),
        ("typo.toml", "seats = 2\n[[party]]\nname = \"A\"\nvote = 3\n", &["typo.toml:"]),
        ("none.toml", "seats = 2\n", &["none.toml", "[[party]]"]),
        ("threshold.toml", "seats = 2\nthreshold = \"lots\"\n[[party]]\nname = \"A\"\nvotes = 3\n", &["threshold"]),
    ];
    for (name, content, needles) in bad {
        let (_d, path) = temp_file(name, content);
        fails(&["allocate", &path], 1, needles);
    }
}

fn testdata(rel: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(rel);
    p.to_str().unwrap().to_owned()
}

fn per_party(v: &Value, key: &str, parties: &[&str]) -> Vec<u64> {
    parties.iter().map(|p| v[key][p].as_u64().unwrap_or_else(|| panic!("{key}.{p}"))).collect()
}

#[test]
fn london_2016_replay_gives_the_official_list_seats() {
    let parties = ["Labour", "Conservative", "Green", "UKIP", "Liberal Democrats", "Women's Equality"];
    for source in ["london-assembly-2016".to_owned(), testdata("assembly/london-assembly-2016.toml")] {
        let v = run_json(&["ams", &source]);
        assert_eq!(per_party(&v, "constituency_seats", &parties), [9, 5, 0, 0, 0, 0]);
        assert_eq!(per_party(&v, "list_seats", &parties), [3, 3, 2, 2, 1, 0]);
        assert_eq!(per_party(&v, "total_seats", &parties), [12, 8, 2, 2, 1, 0]);
        assert_eq!(v["matches_official"], true);
        assert_eq!(v["threshold"], "5%");
        let q = v["quotients"].as_array().unwrap();
        assert_eq!(q.len(), 11);
        for (i, s) in q.iter().enumerate() {
            let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["party", "quotient", "seat"]);
            assert_eq!(s["seat"], i + 1);
        }
        assert_eq!(q[10], json!({"party": "UKIP", "quotient": 85534.5, "seat": 11}));
        assert_eq!(v["next"]["party"], "Conservative");
        assert_eq!(v["last_seat_margin"], 620.05);
        assert!(v["below_threshold"].as_array().unwrap().contains(&json!("Respect")));
    }
}

#[test]
fn london_2021_replay_gives_the_official_list_seats() {
    let v = run_json(&["ams", "london-assembly-2021"]);
    let parties = ["Labour", "Conservative", "Green", "Liberal Democrats"];
    assert_eq!(per_party(&v, "list_seats", &parties), [2, 4, 3, 2]);
    assert_eq!(per_party(&v, "total_seats", &parties), [11, 9, 3, 2]);
    assert_eq!(v["matches_official"], true);
    for key in ["constituency_seats", "list_seats", "total_seats", "quotients"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    psephos()
        .args(["ams", "london-assembly-2021"])
        .assert()
        .success()
        .stdout(predicate::str::contains("11 list seats by"))
        .stdout(predicate::str::contains("matches the official list seats"))
        .stdout(predicate::str::contains("Sources: "));
}

#[test]
fn ams_options_and_csv_input() {
    // A Scottish region: 7 list seats, no threshold, D'Hondt on top of the
    // constituency seats. Quotients: A 50,000 / (5 + 1) = 8,333; B 30,000,
    // C 20,000, D 10,000 each over 1 at first.
    let (_d, csv) =
        temp_file("region.csv", "party,list_votes,constituency_seats\nA,50000,5\nB,30000,\nC,20000,1\nD,10000,0\n");
    let v = run_json(&["ams", &csv, "--preset", "scottish-parliament-region"]);
    assert_eq!(v["list_seats_to_fill"], 7);
    assert_eq!(v["threshold"], Value::Null);
    // B 30,000, 15,000, 10,000, 7,500; C 10,000 (over 2), 6,667; D 10,000;
    // A 8,333. Seats: B, B, then B 10,000, C 10,000, D 10,000 tied for
    // seats 3 to 5 (all three win), then A 8,333, B 7,500.
    assert_eq!(per_party(&v, "list_seats", &["A", "B", "C", "D"]), [1, 4, 1, 1]);
    assert_eq!(per_party(&v, "total_seats", &["A", "B", "C", "D"]), [6, 4, 2, 1]);
    assert!(v.get("matches_official").is_none());
    // Overrides: fewer seats, a threshold that takes D out, Sainte-Laguë.
    let v = run_json(&["ams", &csv, "--list-seats", "2", "--threshold", "10"]);
    assert_eq!(v["list_seats_to_fill"], 2);
    assert_eq!(v["below_threshold"], json!(["D"]));
    let v = run_json(&["ams", &csv, "--method", "sainte-lague", "--preset", "london"]);
    assert_eq!(v["method"], "sainte-lague");
    assert_eq!(v["quotients"].as_array().unwrap().len(), 11);
}

#[test]
fn ams_errors_name_the_problem() {
    fails(&["ams", "london-assembly-2099"], 1, &["london-assembly-2099", "london-assembly-2016"]);
    fails(&["ams", "london-assembly-2016", "--preset", "bundestag"], 1, &["unknown preset `bundestag`"]);
    fails(&["ams", "london-assembly-2016", "--method", "hare"], 1, &["not a divisor method"]);
    fails(&["ams", "london-assembly-2016", "--method", "borda"], 2, &["borda"]);
    fails(&["ams", "london-assembly-2016", "--threshold", "200"], 2, &["percentage"]);
    fails(&["ams", "london-assembly-2016", "--tie-break", "random"], 1, &["--seed"]);
    fails(&["ams", "london-assembly-2016", "--threshold", "60"], 1, &["threshold"]);
    let bad: &[(&str, &str, &[&str])] = &[
        ("seats.csv", "party,votes,constituency_seats\nA,100,x\n", &["seats.csv:2:3:", "`x`"]),
        ("negative.csv", "party,votes\nA,-100\n", &["negative.csv:2:2:"]),
        ("missing.csv", "name,seats\nA,1\n", &["missing.csv:1:"]),
        ("bad.toml", "[[party]]\nname = \"A\"\nvotes = \"many\"\n", &["bad.toml:3:"]),
    ];
    for (name, content, needles) in bad {
        let (_d, path) = temp_file(name, content);
        fails(&["ams", &path], 1, needles);
    }
}
