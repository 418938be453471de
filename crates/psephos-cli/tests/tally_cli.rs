//! End-to-end tests of `psephos tally` and `psephos rules`: real files,
//! the JSON shape, and every error path of the readers.

use predicates::prelude::*;
use serde_json::Value;

mod common;
use common::{psephos, temp_file, testdata};

fn tally_json(args: &[&str]) -> Value {
    common::run_json("tally", args)
}

#[test]
fn burlington_2006_irv_elects_kiss() {
    let file = testdata("blt/us/2006-Burlington-Mayor.blt");
    let v = tally_json(&[file.as_str(), "--rule", "irv"]);
    let r = &v["results"][0];
    assert_eq!(r["rule"], "irv");
    assert_eq!(r["winners"], serde_json::json!(["Bob Kiss"]));
    let last = r["rounds"].as_array().unwrap().last().unwrap();
    assert_eq!(last["tally"]["Bob Kiss"], 4761);
    assert_eq!(last["tally"]["Hinda Miller"], 3985);
    assert_eq!(v["ballots"], 9865);
    // Every round accounts for every ballot.
    for round in r["rounds"].as_array().unwrap() {
        let counted: u64 = round["tally"].as_object().unwrap().values().map(|x| x.as_u64().unwrap()).sum();
        let inactive: u64 = round["inactive"].as_object().unwrap().values().map(|x| x.as_u64().unwrap()).sum();
        assert_eq!(counted + inactive, 9865);
    }
}

#[test]
fn default_rules_are_plurality_and_irv_and_json_shape_is_stable() {
    let file = testdata("blt/us/2009-Aspen-Mayor.blt");
    let v = tally_json(&[file.as_str()]);
    for key in ["file", "candidates", "ballots", "results"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let rules: Vec<&str> = v["results"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["plurality", "irv"]);
    let round = &v["results"][1]["rounds"][0];
    for key in ["round", "tally", "inactive", "eliminated", "elected"] {
        assert!(round.get(key).is_some(), "round is missing {key}");
    }
    assert!(v["results"][1]["ties"].is_array());
    assert_eq!(v["results"][1]["winners"], serde_json::json!(["Michael C. 'Mick' Ireland"]));
}

#[test]
fn text_output_marks_the_winner() {
    let file = testdata("blt/us/2006-Burlington-Mayor.blt");
    psephos()
        .args(["tally", file.as_str(), "--rule", "sv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Elected: Bob Kiss"))
        .stdout(predicate::str::contains("Round 2"));
}

#[test]
fn rules_lists_every_rule() {
    psephos()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("supplementary-vote"))
        .stdout(predicate::str::contains("sv"))
        .stdout(predicate::str::contains("irv"));
}

#[test]
fn policies_change_the_count() {
    let (_d, f) = temp_file("p.blt", b"3 1\n4 1 0\n3 2=3 1 0\n2 3 - - 2 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"T\"\n");
    let f = f.as_str();
    let v = tally_json(&[f, "--rule", "irv"]);
    assert_eq!(v["results"][0]["rounds"][0]["inactive"]["overvote"], 3);
    let v = tally_json(&[f, "--rule", "irv", "--overvote", "skip"]);
    assert_eq!(v["results"][0]["rounds"][0]["tally"]["A"], 7);
    let v = tally_json(&[f, "--rule", "irv", "--skipped", "exhaust-after:2"]);
    assert_eq!(v["normalisation"]["truncated_skipped"], 2);
}

#[test]
fn ties_are_recorded_and_unresolvable_ties_fail() {
    let (_d, f) = temp_file("t.blt", b"2 1\n3 1 0\n3 2 0\n0\n\"A\"\n\"B\"\n\"Tie\"\n");
    let f = f.as_str();
    let v = tally_json(&[f, "--rule", "plurality"]);
    assert_eq!(v["results"][0]["ties"][0]["chosen"], "A");
    assert_eq!(v["results"][0]["ties"][0]["step"], "candidate-order");
    psephos()
        .args(["tally", f, "--rule", "plurality", "--tie-break", "previous-rounds"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("tie").and(predicate::str::contains("A, B")));
    psephos().args(["tally", f, "--tie-break", "random"]).assert().failure().stderr(predicate::str::contains("--seed"));
    let a = tally_json(&[f, "--tie-break", "random", "--seed", "9"]);
    let b = tally_json(&[f, "--tie-break", "random", "--seed", "9"]);
    assert_eq!(a, b);
}

/// Each bad input: file name, content, and what the message must contain.
const BAD: &[(&str, &[u8], &[&str])] = &[
    ("malformed.blt", b"3 1\n1 1 x 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"T\"\n", &["malformed.blt:2:", "`x`"]),
    ("unknown.blt", b"3 1\n1 1 7 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"T\"\n", &["unknown.blt:2:", "`7`"]),
    ("truncated.blt", b"3 1\n1 1 2 0\n1 2", &["truncated.blt:", "ends"]),
    ("names.blt", b"3 1\n1 1 2 0\n0\n\"A\"\n", &["names.blt:"]),
    ("header.blt", b"three 1\n1 1 0\n0\n", &["header.blt:1:"]),
    ("junk.blt", b"\x00\x01\x02\xff\xfe binary", &["junk.blt:1:"]),
    ("utf8.blt", b"2 1\n1 1 0\n0\n\"\xff\xfe\"\n\"B\"\n\"T\"\n", &["utf8.blt:4:"]),
    (
        "count.soi",
        b"# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 5\n# NUMBER UNIQUE ORDERS: 1\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n3: 1,2\n",
        &["count.soi:", "5"],
    ),
    (
        "unknown.soi",
        b"# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 1\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n3: 1,3\n",
        &["unknown.soi:7:", "3"],
    ),
    (
        "malformed.soi",
        b"# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 1\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n3 1,2\n",
        &["malformed.soi:7:"],
    ),
    (
        "ties.soi",
        b"# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n# NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 1\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n3: {1,2}\n",
        &["ties.soi:7:"],
    ),
    ("unknown.csv", b"rank1,rank2\nA,B\n", &[]),
    ("ranks.csv", b"A,B\n1,x\n", &["ranks.csv:2:"]),
    ("empty.csv", b"", &["empty.csv"]),
];

#[test]
fn bad_input_names_file_line_and_problem() {
    for (name, content, needles) in BAD {
        if needles.is_empty() {
            continue; // a well-formed file kept in the table to show the contrast
        }
        let (_d, path) = temp_file(name, content);
        let out = psephos().arg("tally").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} should fail");
        assert_eq!(out.status.code(), Some(1), "{name}: exit code");
        assert!(!stderr.contains("panicked"), "{name} panicked: {stderr}");
        for needle in *needles {
            assert!(stderr.contains(needle), "{name}: `{needle}` not in: {stderr}");
        }
    }
}

#[test]
fn missing_file_and_bad_options_fail_cleanly() {
    psephos()
        .args(["tally", "/nonexistent/ballots.blt"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("/nonexistent/ballots.blt"));
    let file = testdata("blt/us/2006-Burlington-Mayor.blt");
    let f = file.as_str();
    psephos()
        .args(["tally", f, "--rule", "borda-count-xyz"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("rule"));
    psephos()
        .args(["tally", f, "--overvote", "sometimes"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("overvote"));
    psephos().args(["tally", f, "--skipped", "exhaust-after:0"]).assert().failure();
    psephos().args(["tally", f, "--format", "xml"]).assert().failure();
}

#[test]
fn csv_labels_layout_and_columns_are_configurable() {
    let (_d, f) = temp_file(
        "labels.csv",
        b"precinct,first,second,third,n\nP1,Ann,XX,Bo,4\nP1,Bo,none,Cy,3\nP2,Cy,Ann,,2\nP2,WI,Ann,,1\n",
    );
    let f = f.as_str();
    let v = tally_json(&[
        f,
        "--rule",
        "irv",
        "--csv-layout",
        "rank-columns",
        "--overvote-label",
        "XX",
        "--undervote-label",
        "none",
        "--writein-label",
        "WI",
        "--weight-column",
        "n",
        "--ignore-column",
        "precinct",
        "--candidates",
        "Ann,Bo,Cy,Write-in,Dee",
    ]);
    assert_eq!(v["ballots"], 10);
    assert_eq!(v["candidates"], serde_json::json!(["Ann", "Bo", "Cy", "Write-in", "Dee"]));
    let first = &v["results"][0]["rounds"][0];
    assert_eq!(first["tally"]["Ann"], 4);
    assert_eq!(first["tally"]["Write-in"], 1);
    assert_eq!(first["tally"]["Dee"], 0);
    assert_eq!(v["normalisation"]["with_overvote"], 4);
    assert_eq!(v["normalisation"]["with_skipped"], 3);
    // A name outside --candidates is an error with its position.
    psephos()
        .args(["tally", f, "--candidates", "Ann,Bo", "--overvote-label", "XX", "--writein-label", "WI"])
        .args(["--undervote-label", "none", "--weight-column", "n", "--ignore-column", "precinct"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("labels.csv:").and(predicate::str::contains("Cy")));
}

#[test]
fn policy_presets_and_overrides() {
    // An unmarked first column: void under London's policy, promoted by default.
    let (_d, f) = temp_file("sv.blt", b"3 1\n40 1 0\n39 2 0\n21 3 2 0\n5 - 1 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"SV\"\n");
    let f = f.as_str();
    let v = tally_json(&[f, "--rule", "sv", "--policy", "london"]);
    assert_eq!(v["normalisation"]["skipped"], "exhaust-after:1");
    assert_eq!(v["results"][0]["rounds"][0]["inactive"]["skipped"], 5);
    let v = tally_json(&[f, "--rule", "sv"]);
    assert_eq!(v["results"][0]["rounds"][0]["tally"]["A"], 45);
    // A policy given on its own overrides the preset's.
    let v = tally_json(&[f, "--rule", "sv", "--policy", "london", "--skipped", "ignore"]);
    assert_eq!(v["normalisation"]["skipped"], "ignore");
    psephos().args(["tally", f, "--policy", "paris"]).assert().failure().stderr(predicate::str::contains("london"));
}

#[test]
fn csv_output_has_a_row_per_candidate_and_reason_per_round() {
    let file = testdata("blt/us/2006-Burlington-Mayor.blt");
    let out = psephos().args(["tally", file.as_str(), "--rule", "irv", "--csv", "-"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("rule,round,kind,name,votes,percent,elected,eliminated"));
    assert!(text.contains("irv,5,candidate,Bob Kiss,4761,54.44,yes,"), "{text}");
    assert!(text.contains("irv,1,inactive,blank,77,,,"));
    // Every round's rows add up to the ballots.
    for round in 1..=5 {
        let sum: u64 = text
            .lines()
            .filter(|l| l.starts_with(&format!("irv,{round},")))
            .map(|l| l.split(',').nth(4).unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(sum, 9865, "round {round}");
    }
    // To a file, beside the tables.
    let (dir, _) = temp_file("unused.txt", "");
    let path = format!("{}/rounds.csv", dir.path().display());
    psephos()
        .args(["tally", file.as_str(), "--csv", path.as_str()])
        .assert()
        .success()
        .stdout(predicate::str::contains("Elected: Bob Kiss"));
    assert!(std::fs::read_to_string(&path).unwrap().contains("plurality,1,candidate,Bob Kiss,3809"));
}

#[test]
fn rule_options_stay_in_every_output() {
    let file = testdata("blt/us/2009-Aspen-Mayor.blt");
    let pairs = [
        ("borda", "borda:modified"),
        ("minimax", "minimax:margins"),
        ("irv", "irv:batch"),
        ("stv", "stv:hare"),
        ("copeland", "copeland:half"),
        ("schulze", "schulze:margins"),
    ];
    for (plain, with) in pairs {
        let v = tally_json(&[file.as_str(), "--rule", plain, "--rule", with]);
        let results = v["results"].as_array().unwrap();
        assert_eq!(results[0]["rule"], plain);
        assert_eq!(results[1]["rule"], with);
        let (d0, d1) = (results[0]["description"].as_str().unwrap(), results[1]["description"].as_str().unwrap());
        assert_ne!(d0, d1, "{with} has a description of its own");
        // Aliases and case come out canonical.
        let spelled = with.to_uppercase().replace("MINIMAX", "simpson").replace("BORDA:", "borda-points:");
        let v = tally_json(&[file.as_str(), "--rule", &spelled]);
        assert_eq!(v["results"][0]["rule"], with, "{spelled}");
    }
    let out = psephos()
        .args(["tally", file.as_str(), "--rule", "minimax", "--rule", "minimax:margins", "--csv", "-"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("minimax,")));
    assert!(csv.lines().any(|l| l.starts_with("minimax:margins,")));
    let out =
        psephos().args(["tally", file.as_str(), "--rule", "minimax", "--rule", "minimax:margins"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text.lines().position(|l| l == "── minimax:margins ──").expect("a header with the option");
    let description = text.lines().nth(header + 1).unwrap();
    assert!(description.contains("margin") && !description.contains("winning votes"), "{description}");
    assert!(text.contains("── minimax ──"));
}

#[test]
fn a_bad_rule_option_is_named_with_the_valid_ones() {
    let file = testdata("blt/us/2009-Aspen-Mayor.blt");
    let cases = [
        ("minimax:half", "minimax has no option `half`; its options are winning-votes (wv), margins"),
        ("irv:batchy", "irv has no option `batchy`; its options are batch, until-two"),
        ("sv:batch", "supplementary-vote takes no options, and `batch` was given"),
        (
            "stv:decimals=12",
            "stv has no option `decimals=12`; its options are hare, droop, exact-droop, decimals=N (1 to 9)",
        ),
        ("bordacount", "unknown rule `bordacount`; `psephos rules` lists the rules"),
    ];
    for (rule, message) in cases {
        psephos()
            .args(["tally", file.as_str(), "--rule", rule])
            .assert()
            .failure()
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn a_skipped_overvote_label_leaves_the_later_ranks_counting() {
    let rows = "overvote,Bo,Cy\nCy,Bo,\nBo,Cy,\nAda,Cy,\nAda,Bo,\n";
    let (_dir, over) = temp_file("over.csv", format!("Rank 1,Rank 2,Rank 3\n{rows}"));
    let (_dir2, under) =
        temp_file("under.csv", format!("Rank 1,Rank 2,Rank 3\n{}", rows.replace("overvote", "undervote")));
    let skipped = tally_json(&[over.as_str(), "--rule", "irv", "--overvote", "skip"]);
    let empty = tally_json(&[under.as_str(), "--rule", "irv"]);
    assert_eq!(skipped["results"][0]["winners"], serde_json::json!(["Bo"]));
    assert_eq!(skipped["results"][0]["rounds"], empty["results"][0]["rounds"]);
    let out = psephos().args(["tally", over.as_str(), "--rule", "irv", "--overvote", "skip"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 with an overvoted rank"), "{text}");
    assert!(!text.contains("twice"), "{text}");
    // The label names no candidate, so it is an overvote whoever continues.
    let v = tally_json(&[over.as_str(), "--rule", "irv", "--overvote", "exhaust-if-multiple-continuing"]);
    assert_eq!(v["results"][0]["rounds"][0]["inactive"]["overvote"], 1);
}

#[test]
fn seats_for_a_single_winner_rule_are_refused_and_a_multi_seat_file_counts_by_stv() {
    let aspen = testdata("blt/us/2009-Aspen-Mayor.blt");
    psephos()
        .args(["tally", aspen.as_str(), "--seats", "2", "--rule", "irv"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("rule irv: this rule elects one candidate, and 2 seats are to be filled"));
    let v = tally_json(&[aspen.as_str(), "--seats", "2", "--all-rules"]);
    let results = v["results"].as_array().unwrap();
    let counted: Vec<&str> =
        results.iter().filter(|r| r.get("winners").is_some()).map(|r| r["rule"].as_str().unwrap()).collect();
    assert_eq!(counted, ["stv", "meek", "block", "sntv"]);
    assert!(results.iter().all(|r| r.get("winners").is_none_or(|w| w.as_array().unwrap().len() == 2)));
    let ward = testdata("blt/scotland-2007/Anderston-City-2007.blt");
    let v = tally_json(&[ward.as_str()]);
    assert_eq!(v["results"][0]["rule"], "stv");
    assert_eq!(v["results"][0]["winners"].as_array().unwrap().len(), 4);
}

/// The US files that mark overvotes of unnamed candidates with `-=-` read and
/// count, under every overvote policy, with the reported winner; such a
/// ballot becomes inactive as an overvote under `exhaust` and
/// `exhaust-if-multiple-continuing`, and passes the rank over under `skip`.
#[test]
fn unnamed_overvotes_count_as_overvotes_under_every_policy() {
    let files = [
        ("blt/us/2010-Berkeley-Auditor.blt", "ANN-MARIE HOGAN", 45_986),
        ("blt/us/2010-San_Leandro-Mayor.blt", "STEPHEN H. CASSIDY", 23_494),
        ("blt/us/2008-Pierce_County-County_Executive.blt", "Pat McCarthy", 312_771),
    ];
    for (rel, winner, ballots) in files {
        let file = testdata(rel);
        let mut inactive_overvote = Vec::new();
        for policy in ["exhaust", "exhaust-if-multiple-continuing", "skip"] {
            let v = tally_json(&[file.as_str(), "--rule", "irv", "--overvote", policy]);
            let r = &v["results"][0];
            assert_eq!(r["winners"], serde_json::json!([winner]), "{rel} {policy}");
            assert_eq!(v["ballots"], ballots, "{rel}");
            let first = &r["rounds"][0];
            let counted: u64 = first["tally"].as_object().unwrap().values().map(|x| x.as_u64().unwrap()).sum();
            let inactive: u64 = first["inactive"].as_object().unwrap().values().map(|x| x.as_u64().unwrap()).sum();
            assert_eq!(counted + inactive, ballots, "{rel} {policy}");
            let last = r["rounds"].as_array().unwrap().last().unwrap();
            inactive_overvote.push(last["inactive"]["overvote"].as_u64().unwrap());
        }
        // The same ballots are cut short under both exhausting policies
        // (the files have `-=-` overvotes and no `a=b` equal rankings).
        assert!(inactive_overvote[0] > 0, "{rel}");
        assert_eq!(inactive_overvote[0], inactive_overvote[1], "{rel}");
        assert_eq!(inactive_overvote[2], 0, "{rel}");
    }
}

/// Four candidates for two seats: six ballots rank A and B equal, then C.
const EQUAL_RANKS: &str = "4 2\n6 1=2 3 0\n5 2 0\n3 3 0\n2 4 3 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"D\"\n\"Equal ranks\"\n";

#[test]
fn equal_ranks_split_is_counted_by_stv_and_refused_by_other_rules() {
    let (_dir, f) = temp_file("equal.blt", EQUAL_RANKS);
    let f = f.as_str();
    // Shared out, A and B start with 3 and 8 votes (worked by hand in the
    // core's tests; counted to 5 decimal places).
    let v = tally_json(&[f, "--rule", "stv", "--equal-ranks", "split"]);
    let first = &v["results"][0]["rounds"][0]["tally"];
    assert_eq!((first["A"].as_u64(), first["B"].as_u64()), (Some(300_000), Some(800_000)), "{first}");
    assert_eq!(v["results"][0]["winners"], serde_json::json!(["B", "C"]));
    // Read as overvotes (the default), the six ballots count for nobody.
    let v = tally_json(&[f, "--rule", "stv"]);
    assert_eq!(v["results"][0]["rounds"][0]["tally"]["A"].as_u64(), Some(0));
    psephos()
        .args(["tally", f, "--rule", "irv", "--seats", "1", "--equal-ranks", "split"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("`split`").and(predicate::str::contains("stv and meek")));
    psephos()
        .args(["tally", f, "--equal-ranks", "halves"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("overvote, split"));
    // Every rule: the STV rules count, the others say why they do not.
    let v = tally_json(&[f, "--all-rules", "--equal-ranks", "split"]);
    for r in v["results"].as_array().unwrap() {
        let counted = r.get("winners").is_some();
        assert_eq!(counted, ["stv", "meek"].contains(&r["rule"].as_str().unwrap()), "{r}");
    }
}

#[test]
fn a_tie_order_declared_in_the_file_breaks_candidate_order_ties() {
    // A and B tie; the ballot paper lists A first, the [tie] line prefers B.
    let src = "2 1\n[tie 2 1]\n1 1 0\n1 2 0\n0\n\"A\"\n\"B\"\n";
    let (_dir, f) = temp_file("tie.blt", src);
    let out = psephos().args(["tally", f.as_str(), "--rule", "plurality", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["winners"], serde_json::json!(["B"]));
    assert_eq!(v["results"][0]["ties"][0]["step"], "candidate-order");
    assert!(String::from_utf8_lossy(&out.stderr).contains("[tie] order"));
    // Without the line, the ballot-paper order elects A.
    let (_dir, g) = temp_file("tie.blt", src.replace("[tie 2 1]\n", ""));
    assert_eq!(tally_json(&[g.as_str(), "--rule", "plurality"])["results"][0]["winners"], serde_json::json!(["A"]));
    // A tie for elimination: as droop reads [tie], the first listed is the
    // one chosen, here to go. A and B tie on 2; with A gone, C wins; by the
    // ballot-paper order B goes, and A wins on B's ballots.
    let src = "3 1\n[tie 1 2 3]\n2 1 0\n2 2 1 0\n3 3 0\n0\n\"A\"\n\"B\"\n\"C\"\n";
    let (_dir, f) = temp_file("tie3.blt", src);
    let v = tally_json(&[f.as_str(), "--rule", "irv"]);
    assert_eq!(
        (v["results"][0]["ties"][0]["chosen"].as_str(), v["results"][0]["winners"][0].as_str()),
        (Some("A"), Some("C"))
    );
    let (_dir, g) = temp_file("tie3.blt", src.replace("[tie 1 2 3]\n", ""));
    assert_eq!(tally_json(&[g.as_str(), "--rule", "irv"])["results"][0]["winners"], serde_json::json!(["A"]));
}

#[test]
fn droop_options_choose_the_rule_and_name_what_is_not_honoured() {
    let src = EQUAL_RANKS
        .replace("4 2\n", "4 2\n[nick a b c d]\n[droop rule=meek precision=6\n arithmetic=guarded]\n[undeclared d]\n");
    let (_dir, f) = temp_file("droop.blt", src);
    let out = psephos().args(["tally", f.as_str(), "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["results"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["meek:decimals=6"]);
    // Six decimal places, and the equal rankings read as overvotes.
    let first = &v["results"][0]["rounds"][0]["tally"];
    assert_eq!((first["A"].as_u64(), first["B"].as_u64()), (Some(0), Some(5_000_000)), "{first}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("counting under meek:decimals=6"), "{stderr}");
    assert!(stderr.contains("`arithmetic=guarded` is not honoured"), "{stderr}");
    assert!(stderr.contains("[undeclared] marks D"), "{stderr}");
    // A rule given on the command line counts instead.
    let v = tally_json(&[f.as_str(), "--rule", "stv"]);
    assert_eq!(v["results"][0]["rule"], "stv");
}

#[test]
fn an_unknown_option_line_is_refused_with_its_name_and_place() {
    let (_dir, f) = temp_file("opt.blt", "2 1\n[nick a b]\n[order a b]\n1 a 0\n0\n\"A\"\n\"B\"\n");
    psephos()
        .args(["tally", f.as_str()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("opt.blt:3:1: unknown option `[order]`"));
}
