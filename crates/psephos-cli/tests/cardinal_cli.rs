//! `psephos tally` on approval and score ballots (`--approval`, `--scores`,
//! `--convert scores-to-ranks`), and the pairwise matrix that Condorcet
//! rules print.
//!
//! The two files under `testdata/cardinal/` are small constructed examples
//! whose counts are worked by hand in `testdata/README.md`.

use predicates::prelude::*;
use serde_json::{json, Value};

mod common;
use common::{psephos, temp_file};

fn testdata(rel: &str) -> String {
    common::testdata(&format!("cardinal/{rel}"))
}

fn tally_json(args: &[&str]) -> Value {
    common::run_json("tally", args)
}

/// The rules of a JSON result that were counted, with their winners.
fn winners(v: &Value) -> Vec<(String, Value)> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("refused").is_none())
        .map(|r| (r["rule"].as_str().unwrap().to_owned(), r["winners"].clone()))
        .collect()
}

fn refused(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("refused").is_some())
        .map(|r| r["rule"].as_str().unwrap().to_owned())
        .collect()
}

const SCORES: &str = "scores-star-runoff.csv";
const APPROVAL: &str = "approval-six-voters.csv";

#[test]
fn approval_ballots_are_counted_under_approval_by_default() {
    let v = tally_json(&[&testdata(APPROVAL), "--approval"]);
    assert_eq!(v["ballot_kind"], "approval");
    assert_eq!(v["max_score"], 1);
    assert_eq!(v["ballots"], 6);
    assert_eq!(v["candidates"], json!(["Ada", "Bo", "Cy"]));
    assert_eq!(winners(&v), [("approval".to_owned(), json!(["Bo"]))]);
    let round = &v["results"][0]["rounds"][0];
    assert_eq!(round["tally"], json!({"Ada": 2, "Bo": 3, "Cy": 2}));
    assert_eq!(round["inactive"]["blank"], 1);
    assert_eq!(round["kind"], "scores");
    // The stable keys of the ranked output are all there.
    for key in ["file", "candidates", "ballots", "results"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    for key in ["round", "tally", "inactive", "eliminated", "elected"] {
        assert!(round.get(key).is_some(), "round is missing {key}");
    }
}

#[test]
fn score_ballots_default_to_score_and_star() {
    // Score totals A 19, B 12, C 2 elect A; STAR's runoff of A and B goes
    // to B, whom 3 of the 5 ballots score higher.
    let v = tally_json(&[&testdata(SCORES), "--scores", "5"]);
    assert_eq!(v["ballot_kind"], "score");
    assert_eq!(v["max_score"], 5);
    assert_eq!(winners(&v), [("score".to_owned(), json!(["A"])), ("star".to_owned(), json!(["B"]))]);
    let score = &v["results"][0]["rounds"][0]["tally"];
    assert_eq!(*score, json!({"A": 19, "B": 12, "C": 2}));
    let runoff = &v["results"][1]["rounds"][1];
    assert_eq!(runoff["kind"], "ballots");
    assert_eq!(runoff["tally"], json!({"A": 2, "B": 3}));
}

#[test]
fn text_output_of_score_ballots() {
    psephos()
        .args(["tally", &testdata(SCORES), "--scores", "5", "--rule", "star", "--rule", "majority-judgment"])
        .assert()
        .success()
        .stdout(predicate::str::contains("score 0-5 ballots"))
        .stdout(predicate::str::contains("Elected: B with the most votes in the final round 2: 3 of 5 (60.0%)"))
        .stdout(predicate::str::contains("Scores: median grade"))
        .stdout(predicate::str::contains("Elected: B with a score of 4 in round 1"));
}

#[test]
fn all_rules_counts_what_accepts_the_ballots_and_lists_the_rest() {
    let v = tally_json(&[&testdata(SCORES), "--scores", "5", "--all-rules"]);
    let counted: Vec<String> = winners(&v).into_iter().map(|(r, _)| r).collect();
    assert_eq!(counted, ["score", "star", "majority-judgment"]);
    let refused = refused(&v);
    assert!(refused.contains(&"approval".to_owned()));
    assert!(refused.contains(&"irv".to_owned()));
    assert!(refused.contains(&"schulze".to_owned()));
    let irv = v["results"].as_array().unwrap().iter().find(|r| r["rule"] == "irv").unwrap();
    assert!(irv["refused"].as_str().unwrap().contains("ranked ballots"));

    // Approval ballots are also score ballots from 0 to 1.
    let v = tally_json(&[&testdata(APPROVAL), "--approval", "--all-rules"]);
    let counted: Vec<String> = winners(&v).into_iter().map(|(r, _)| r).collect();
    assert_eq!(counted, ["approval", "score", "star", "majority-judgment"]);

    psephos()
        .args(["tally", &testdata(SCORES), "--scores", "5", "--all-rules"])
        .assert()
        .success()
        .stdout(predicate::str::contains("── irv ──\n  not counted: this rule counts ranked ballots"))
        .stdout(predicate::str::contains("  irv                 (not counted)"));
}

#[test]
fn a_ranked_rule_on_cardinal_ballots_fails_with_the_reason() {
    for args in [&["--scores", "5", "--rule", "irv"][..], &["--approval", "--rule", "plurality"]] {
        let file = testdata(if args[0] == "--approval" { APPROVAL } else { SCORES });
        let out = psephos().arg("tally").arg(&file).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("this rule counts ranked ballots"), "{stderr}");
        assert!(stderr.contains("--convert scores-to-ranks"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    // And a cardinal rule on ranked ballots, the other way round.
    let blt = common::testdata("blt/us/2009-Aspen-Mayor.blt");
    psephos()
        .arg("tally")
        .arg(blt)
        .args(["--rule", "star"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("score or approval ballots, and these are ranked ballots"));
}

#[test]
fn conversion_to_rankings_is_explicit() {
    let v = tally_json(&[&testdata(SCORES), "--scores", "5", "--convert", "scores-to-ranks", "--rule", "irv"]);
    assert_eq!(v["conversion"], "scores-to-ranks");
    let irv = &v["results"][0];
    assert_eq!(irv["winners"], json!(["B"]));
    assert_eq!(irv["counted_on"], "rankings converted from scores");
    // A ballot scoring A 5, B 0, C 1 ranks A, then C, then B.
    assert_eq!(irv["rounds"][0]["tally"], json!({"A": 2, "B": 3, "C": 0}));

    // Under --all-rules every rule counts: the cardinal rules on the scores,
    // the ranked rules on the rankings; approval still refuses score ballots.
    let v = tally_json(&[&testdata(SCORES), "--scores", "5", "--convert", "scores-to-ranks", "--all-rules"]);
    assert_eq!(refused(&v), ["approval"]);
    let approval = v["results"].as_array().unwrap().iter().find(|r| r["rule"] == "approval").unwrap();
    assert!(approval["refused"].as_str().unwrap().contains("these are score ballots"));
    let w = winners(&v);
    assert_eq!(w.len(), psephos::CATALOGUE.len() - 1);
    let score = v["results"].as_array().unwrap().iter().find(|r| r["rule"] == "score").unwrap();
    assert!(score.get("counted_on").is_none());
    assert_eq!(score["winners"], json!(["A"]));
    let schulze = v["results"].as_array().unwrap().iter().find(|r| r["rule"] == "schulze").unwrap();
    assert_eq!(schulze["winners"], json!(["B"]));

    psephos()
        .args(["tally", &testdata(SCORES), "--scores", "5", "--convert", "scores-to-ranks", "-r", "plurality"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Conversion: scores-to-ranks"))
        .stdout(predicate::str::contains("Counted on the ballots converted to rankings by score."));

    // A ranked file has nothing to convert.
    let blt = common::testdata("blt/us/2009-Aspen-Mayor.blt");
    psephos()
        .arg("tally")
        .arg(blt)
        .args(["--convert", "scores-to-ranks"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--approval or --scores"));
    psephos()
        .args(["tally", &testdata(SCORES), "--scores", "5", "--convert", "ranks-to-scores"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scores-to-ranks"));
}

#[test]
fn flags_that_do_not_go_together_are_refused() {
    let f = testdata(SCORES);
    for extra in [
        &["--approval", "--scores", "5"][..],
        &["--scores", "5", "--format", "csv"],
        &["--scores", "5", "--overvote", "skip"],
        &["--approval", "--duplicates", "exhaust"],
        &["--scores", "0"],
        &["--scores", "70000"],
        &["--scores", "5", "--rule", "star", "--all-rules"],
    ] {
        let out = psephos().arg("tally").arg(&f).args(extra).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?} should be a usage error");
    }
}

#[test]
fn bad_cardinal_files_name_file_line_and_field() {
    // Each bad file, the flags, and what the message must contain.
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        ("over.csv", "A,B\n5,6\n", &["--scores", "5"], &["over.csv:2:2:", "`6`", "0 to 5"]),
        ("approval.csv", "A,B\n1,2\n", &["--approval"], &["approval.csv:2:2:", "0 to 1"]),
        ("negative.csv", "A,B\n-1,2\n", &["--scores", "5"], &["negative.csv:2:1:", "`-1`"]),
        ("short.csv", "A,B,C\n1,2\n", &["--scores", "5"], &["short.csv:2:"]),
        ("dup.csv", "A,A\n1,2\n", &["--scores", "5"], &["dup.csv:1:2:"]),
        ("weight.csv", "weight,A,B\n1.5,1,0\n", &["--approval"], &["weight.csv:2:1:"]),
        ("empty.csv", "", &["--approval"], &["empty.csv"]),
        ("noone.csv", "voter\n1\n", &["--approval"], &["noone.csv:1:"]),
    ];
    for (name, content, flags, needles) in cases {
        let (_d, path) = temp_file(name, content);
        let out = psephos().arg("tally").arg(&path).args(*flags).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name} panicked: {stderr}");
        for needle in *needles {
            assert!(stderr.contains(needle), "{name}: `{needle}` not in: {stderr}");
        }
    }
    psephos()
        .args(["tally", "/nonexistent/scores.csv", "--scores", "5"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/nonexistent/scores.csv"));
    // Two seats from one standing candidate cannot be filled.
    let (_d, one) = temp_file("one.csv", "A\n1\n");
    psephos()
        .args(["tally", &one, "--approval", "--seats", "2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("seat"));
}

#[test]
fn delimiter_applies_to_cardinal_files() {
    let (_d, path) = temp_file("semi.csv", "A;B;C\n3;1;\n0;2;2\n");
    let v = tally_json(&[&path, "--scores", "3", "--delimiter", ";", "--rule", "score"]);
    assert_eq!(v["results"][0]["rounds"][0]["tally"], json!({"A": 3, "B": 3, "C": 2}));
    // A and B tie on 3: the chain's candidate-order step elects A, recorded.
    assert_eq!(v["results"][0]["winners"], json!(["A"]));
    assert_eq!(v["results"][0]["ties"][0]["step"], "candidate-order");
    let out = psephos()
        .args([
            "tally",
            &path,
            "--scores",
            "3",
            "--delimiter",
            ";",
            "--rule",
            "score",
            "--tie-break",
            "previous-rounds",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("A, B"));
}

/// Three candidates in a cycle: 4 A>B>C, 3 B>C>A, 2 C>A>B.
const CYCLE: &str = "3 1\n4 1 2 3 0\n3 2 3 1 0\n2 3 1 2 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"Cycle\"\n";

#[test]
fn condorcet_rules_carry_the_pairwise_matrix() {
    let (_d, path) = temp_file("cycle.blt", CYCLE);
    let v = tally_json(&[&path, "--rule", "schulze", "--rule", "irv"]);
    let p = &v["results"][0]["pairwise"];
    assert_eq!(p["candidates"], json!(["A", "B", "C"]));
    // A beats B 6-3, B beats C 7-2, C beats A 5-4.
    assert_eq!(p["wins"], json!([[0, 6, 4], [3, 0, 7], [5, 2, 0]]));
    assert_eq!(p["condorcet_winner"], Value::Null);
    assert_eq!(p["smith_set"], json!(["A", "B", "C"]));
    assert!(v["results"][1].get("pairwise").is_none(), "irv has no pairwise matrix");

    psephos()
        .args(["tally", &path, "--rule", "schulze", "--rule", "copeland"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Pairwise contests (ballots preferring the row's candidate to the column's):"))
        .stdout(predicate::str::contains(" 1 A     -    6    4\n 2 B     3    -    7\n 3 C     5    2    -\n"))
        .stdout(predicate::str::contains("No Condorcet winner (Smith set, the top cycle: A, B, C)"))
        .stdout(predicate::str::contains("Pairwise contests: as under schulze above."));

    let aspen = common::testdata("blt/us/2006-Burlington-Mayor.blt");
    let v = tally_json(&[aspen.as_str(), "--rule", "ranked-pairs"]);
    let p = &v["results"][0]["pairwise"];
    assert_eq!(p["condorcet_winner"], "Bob Kiss");
    let names: Vec<&str> = p["candidates"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    let (kiss, miller) = (
        names.iter().position(|&n| n == "Bob Kiss").unwrap(),
        names.iter().position(|&n| n == "Hinda Miller").unwrap(),
    );
    // The final IRV round's 4,761 to 3,985 is also the pairwise contest.
    assert_eq!(p["wins"][kiss][miller], 4761);
    assert_eq!(p["wins"][miller][kiss], 3985);
}

#[test]
fn burlington_all_rules_reads_well() {
    let blt = common::testdata("blt/us/2006-Burlington-Mayor.blt");
    let out = psephos().arg("tally").arg(blt).arg("--all-rules").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // Names in the eliminated row are not cut short.
    assert!(text.contains("Louie The Cowman Beaudin\n"), "a clipped name");
    assert!(!text.contains("Cowma…"));
    // STV rounds say what they did, below the table.
    assert!(text.contains("Round 4: Louie The Cowman Beaudin excluded"));
    // Half points are written as such, with thousands separators.
    assert!(text.contains("36,079.5"));
    // The last candidate left is elected as such, not "with a score of 0".
    assert!(text.contains("Elected: Bob Kiss, the last candidate left in round 6"));
    assert!(!text.contains("with being"));
    let baldwin = &text[text.find("── baldwin ──").unwrap()..text.find("── nanson ──").unwrap()];
    assert!(!baldwin.contains("score of 0 "), "{baldwin}");
    // Minimax lists the smallest worst defeat first after the winner.
    let minimax = &text[text.find("── minimax ──").unwrap()..];
    let miller = minimax.find("Hinda Miller").unwrap();
    let write_ins = minimax.find("Write-ins").unwrap();
    assert!(miller < write_ins);
    assert!(text.contains("Condorcet winner: Bob Kiss"));
    // Every table line fits in 120 columns.
    for line in text.lines().filter(|l| l.contains("  ")) {
        assert!(line.trim_end().chars().count() <= 120, "too wide: {line}");
    }
}

#[test]
fn preflib_categorical_files_are_approval_ballots() {
    let file = testdata("approval-five-voters.cat");
    let v = tally_json(&[file.as_str()]);
    assert_eq!(v["results"][0]["rule"], "approval");
    assert_eq!(v["results"][0]["winners"], json!(["Ada"]));
    assert_eq!(v["results"][0]["rounds"][0]["tally"]["Ada"], 4);
    assert_eq!(v["results"][0]["rounds"][0]["tally"]["Bo"], 2);
    psephos()
        .args(["tally", file.as_str(), "--rule", "irv"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--convert"));
}
