//! End-to-end tests of `psephos audit`: golden facts of real elections
//! (`testdata/blt/us/`), the hand-made profiles of `testdata/audit/`, the
//! JSON shape, and the text summary.

use predicates::prelude::*;
use serde_json::{json, Value};

mod common;
use common::{psephos, testdata};

fn audit_json(file: &str, args: &[&str]) -> Value {
    let out = psephos().arg("audit").arg(testdata(file)).args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Burlington, Vermont, mayor 2006: Bob Kiss won by IRV; on these ballots he
/// is also the Condorcet winner (he beats Hinda Miller 4,761 to 3,985), so
/// every rule agrees and no withdrawal changes the winner.
#[test]
fn burlington_2006() {
    let d = audit_json("blt/us/2006-Burlington-Mayor.blt", &[]);
    assert_eq!(d["ballots"], 9865);
    assert_eq!(d["condorcet_winner"], "Bob Kiss");
    assert_eq!(d["condorcet_loser"], "Write-ins");
    assert_eq!(d["smith_set"], json!(["Bob Kiss"]));
    let winners = d["winners"].as_object().unwrap();
    assert_eq!(winners.len(), 20);
    assert!(winners.values().all(|w| *w == json!(["Bob Kiss"])));
    let kiss = d["pairwise"]["candidates"].as_array().unwrap().iter().position(|c| c == "Bob Kiss").unwrap();
    let miller = d["pairwise"]["candidates"].as_array().unwrap().iter().position(|c| c == "Hinda Miller").unwrap();
    assert_eq!(d["pairwise"]["counts"][kiss][miller], 4761);
    assert_eq!(d["pairwise"]["counts"][miller][kiss], 3985);
    assert_eq!(d["pairwise"]["margins"][kiss][miller], 776);
    for (_, list) in d["spoilers"].as_object().unwrap() {
        assert!(list.as_array().unwrap().iter().all(|s| s["spoiler"] == false));
    }
    // Plurality margin, exact: Kiss 3,809 and Miller 3,106 first choices.
    assert_eq!(d["margins"]["plurality"]["ballots"], 352);
    assert_eq!(d["margins"]["plurality"]["exact"], true);
    assert_eq!(d["margins"]["irv"]["exact"], false);
    assert_eq!(d["margins"]["irv"]["witness"]["winners_after"], json!(["Hinda Miller"]));
    assert_eq!(d["paradoxes"], json!([]));
}

/// Aspen, Colorado, mayor 2009: Mick Ireland won by IRV and is the Condorcet
/// winner; Coombs eliminates him (round 4) and elects Marilyn Marks, and
/// Bucklin elects LJ Erspamer, so the audit reports the disagreement.
#[test]
fn aspen_2009() {
    let d = audit_json("blt/us/2009-Aspen-Mayor.blt", &[]);
    let ireland = "Michael C. 'Mick' Ireland";
    assert_eq!(d["condorcet_winner"], ireland);
    assert_eq!(d["winners"]["irv"], json!([ireland]));
    assert_eq!(d["winners"]["coombs"], json!(["Marilyn Marks"]));
    assert_eq!(d["winners"]["bucklin"], json!(["LJ Erspamer"]));
    assert_eq!(d["centre_squeeze"]["coombs"]["round"], 4);
    let coombs = d["spoilers"]["coombs"].as_array().unwrap();
    let erspamer = coombs.iter().find(|s| s["candidate"] == "LJ Erspamer").unwrap();
    assert_eq!(erspamer["spoiler"], true);
    assert_eq!(erspamer["winners_without"], json!([ireland]));
    assert_eq!(erspamer["helps"], "Marilyn Marks");
    assert_eq!(erspamer["hurts"], ireland);
    assert_eq!(d["margins"]["plurality"]["ballots"], 107);
    let summary = d["summary"].as_array().unwrap();
    assert!(summary[0].as_str().unwrap().starts_with(&format!("{ireland} beats every other candidate head to head")));
}

/// Burlington, Vermont, mayor 2009 (the case in the issue): IRV elected Bob
/// Kiss, plurality leader Kurt Wright, and Andy Montroll beat both head to
/// head (4,064 to 3,476 and 4,597 to 3,664, the figures usually quoted for
/// these ballots). IRV eliminates Montroll in round 4; Wright is a spoiler
/// under IRV (without him Montroll wins); and the upward monotonicity failure
/// reported for this election is found and re-counted.
#[test]
fn burlington_2009() {
    let d = audit_json("audit/2009-Burlington-Mayor.blt", &[]);
    assert_eq!(d["ballots"], 8984);
    assert_eq!(d["condorcet_winner"], "Andy Montroll");
    assert_eq!(d["condorcet_loser"], "Write-in");
    assert_eq!(d["winners"]["irv"], json!(["Bob Kiss"]));
    assert_eq!(d["winners"]["plurality"], json!(["Kurt Wright"]));
    assert_eq!(d["winners"]["schulze"], json!(["Andy Montroll"]));
    let names = d["pairwise"]["candidates"].as_array().unwrap().clone();
    let at = |n: &str| names.iter().position(|c| c == n).unwrap();
    let (kiss, montroll, wright) = (at("Bob Kiss"), at("Andy Montroll"), at("Kurt Wright"));
    assert_eq!(
        (d["pairwise"]["counts"][montroll][kiss].clone(), d["pairwise"]["counts"][kiss][montroll].clone()),
        (json!(4064), json!(3476))
    );
    assert_eq!(
        (d["pairwise"]["counts"][montroll][wright].clone(), d["pairwise"]["counts"][wright][montroll].clone()),
        (json!(4597), json!(3664))
    );
    assert_eq!(d["centre_squeeze"]["irv"], json!({"candidate": "Andy Montroll", "round": 4, "votes": 2554}));
    let irv = d["spoilers"]["irv"].as_array().unwrap();
    let w = irv.iter().find(|s| s["candidate"] == "Kurt Wright").unwrap();
    assert_eq!((w["spoiler"].clone(), w["winners_without"].clone()), (json!(true), json!(["Andy Montroll"])));
    assert_eq!((w["helps"].clone(), w["hurts"].clone()), (json!("Bob Kiss"), json!("Andy Montroll")));
    let pl = d["spoilers"]["plurality"].as_array().unwrap();
    let k = pl.iter().find(|s| s["candidate"] == "Bob Kiss").unwrap();
    assert_eq!(k["winners_without"], json!(["Andy Montroll"]));
    let up = d["paradoxes"].as_array().unwrap().iter().find(|p| p["rule"] == "irv").unwrap().clone();
    assert_eq!(up["kind"], "upward-monotonicity");
    assert_eq!(up["witness"]["winners_after"], json!(["Andy Montroll"]));
    assert_eq!(up["witness"]["ballots"], 741);
    let summary = d["summary"][0].as_str().unwrap();
    assert!(
        summary.starts_with("Andy Montroll beats every other candidate head to head but is eliminated by"),
        "{summary}"
    );
    assert!(summary.contains("irv in round 4"), "{summary}");
}

#[test]
fn hand_made_paradoxes_are_found_and_confirmed() {
    let d = audit_json("audit/upward-no-show.blt", &["-r", "irv"]);
    let kinds: Vec<&str> = d["paradoxes"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["upward-monotonicity", "no-show"]);
    for p in d["paradoxes"].as_array().unwrap() {
        assert_eq!(p["confirmed"], true);
        assert_eq!(p["rule"], "irv");
        assert_eq!(p["witness"]["winners_after"], json!(["C"]));
    }
    let d = audit_json("audit/downward-monotonicity.blt", &["-r", "irv"]);
    assert_eq!(d["paradoxes"][0]["kind"], "downward-monotonicity");
    assert_eq!(
        d["paradoxes"][0]["witness"]["changes"][0],
        json!({"from": ["A", "C", "B"], "to": ["C", "A", "B"], "count": 2})
    );
    assert_eq!(d["paradox_search"]["irv"]["heuristic"], true);
}

#[test]
fn centre_squeeze_text_leads_with_a_summary() {
    psephos()
        .arg("audit")
        .arg(testdata("audit/centre-squeeze.blt"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Summary\n  • Centre beats every other candidate head to head but is eliminated by",
        ))
        .stdout(predicate::str::contains("irv in round 1"))
        .stdout(predicate::str::contains(
            "Under irv, Right is a spoiler: without Right, Centre would win instead of Left.",
        ));
}

#[test]
fn cycle_and_vote_splitting() {
    let d = audit_json("audit/cycle.blt", &["-r", "plurality"]);
    assert_eq!(d["condorcet_winner"], Value::Null);
    assert_eq!(d["cycle"], json!(["A", "B", "C"]));
    assert_eq!(d["smith_set"], json!(["A", "B", "C"]));
    let d = audit_json("audit/vote-splitting.blt", &["-r", "plurality"]);
    let c = d["spoilers"]["plurality"].as_array().unwrap().iter().find(|s| s["candidate"] == "C").unwrap().clone();
    assert_eq!(c["winners_without"], json!(["B"]));
    assert_eq!(
        d["margins"]["plurality"],
        json!({"ballots": 1, "exact": true, "method": "first choices", "witness": d["margins"]["plurality"]["witness"]})
    );
}

#[test]
fn a_rule_that_cannot_count_the_ballots_is_an_error() {
    psephos()
        .args(["audit", "--rule", "approval"])
        .arg(testdata("audit/cycle.blt"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("does not count ranked ballots"));
}

/// A multi-seat ward is audited for its seats, under the multi-winner rules;
/// the same four councillors elected in another order are one result, and
/// no withdrawal that merely reorders them is a spoiler.
#[test]
fn a_multi_seat_ward_is_audited_for_its_seats() {
    let v = audit_json("blt/scotland-2007/Anderston-City-2007.blt", &["--rule", "stv"]);
    let stv = v["winners"]["stv"].as_array().unwrap();
    assert_eq!(stv.len(), 4, "{stv:?}");
    for name in ["Craig MacKay", "Philip Braat", "Nina Baker", "Gordon Matheson"] {
        assert!(stv.contains(&json!(name)), "{name}");
    }
    let v = audit_json("blt/scotland-2007/Anderston-City-2007.blt", &[]);
    let rules: Vec<&String> = v["winners"].as_object().unwrap().keys().collect();
    assert_eq!(rules, ["stv", "meek", "block", "sntv"]);
    let summary = v["summary"].as_array().unwrap();
    assert!(summary.iter().any(|s| s.as_str().unwrap().starts_with("Every rule audited elects")), "{summary:?}");
    let out = psephos()
        .args(["audit", &testdata("blt/scotland-2007/Anderston-City-2007.blt"), "--rule", "irv"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("elects one candidate, and 4 seats are to be filled"), "{text}");
}

/// No rule counted (Kemeny-Young refuses 11 candidates): the summary claims
/// nothing about winners under the rules.
#[test]
fn a_rule_that_did_not_count_is_never_summarised() {
    let names: String = (1..=11).map(|i| format!("\"C{i}\"\n")).collect();
    let blt = format!("11 1\n3 1 2 3 0\n2 2 3 1 0\n1 3 1 2 0\n0\n{names}\"Eleven\"\n");
    let (_dir, file) = common::temp_file("eleven.blt", blt);
    let out = psephos().args(["audit", file.as_str(), "--rule", "kemeny-young", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary: Vec<&str> = v["summary"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(summary.iter().all(|s| !s.contains("every rule audited") && !s.contains("under any rule")), "{summary:?}");
    assert!(summary.iter().any(|s| s.contains("kemeny-young could not be counted")), "{summary:?}");
    assert!(v["failed"]["kemeny-young"].as_str().unwrap().contains("10"));
}

#[test]
fn no_ballots_elect_nobody() {
    let (_dir, file) = common::temp_file("empty.blt", "3 1\n0\n\"A\"\n\"B\"\n\"C\"\n\"Nobody voted\"\n");
    for command in ["tally", "audit"] {
        psephos()
            .args([command, file.as_str()])
            .assert()
            .failure()
            .stderr(predicate::str::contains("there are no ballots"));
    }
}

/// `--budget 0` stops the paradox and margin searches before their first
/// recount: both reports say so, and the counts and spoilers are complete.
#[test]
fn a_spent_budget_cuts_the_searches_short_and_says_so() {
    let file = "audit/upward-no-show.blt";
    let full = audit_json(file, &["-r", "irv", "-r", "plurality", "--thorough"]);
    let cut = audit_json(file, &["-r", "irv", "-r", "plurality", "--thorough", "--budget", "0"]);
    assert_eq!(full["budget"], Value::Null);
    assert_eq!(cut["budget"]["seconds"], 0);
    assert_eq!(cut["budget"]["recounts"], 0);
    assert_eq!(cut["budget"]["cut_short"], json!(["irv (paradoxes and margin)", "plurality (margin)"]));
    assert_eq!(cut["paradox_search"]["irv"]["cut_short"], true);
    assert_eq!(full["paradox_search"]["irv"]["cut_short"], false);
    assert_eq!(cut["paradox_search"]["irv"]["recounts"], 0);
    assert_eq!(cut["margin_search"]["irv"], json!({"recounts": 0, "cut_short": true}));
    assert_eq!(cut["paradoxes"], json!([]));
    assert_ne!(full["paradoxes"], json!([]));
    assert_eq!(cut["margins"], json!({}));
    assert_eq!(cut["winners"], full["winners"]);
    assert_eq!(cut["spoilers"], full["spoilers"]);
    let kinds = cut["paradox_search"]["irv"]["by_kind"].as_object().unwrap();
    assert_eq!(kinds.len(), 3);
    let untried: u64 = kinds.values().map(|k| k["unexamined"].as_u64().unwrap()).sum();
    assert_eq!(json!(untried), cut["paradox_search"]["irv"]["unexamined"]);

    let text =
        psephos().args(["audit", "-r", "irv", "--thorough", "--budget", "0"]).arg(testdata(file)).output().unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Time budget: 0 s for the paradox and margin searches (0 recounts made); cut short, so they searched less than they would have: irv (paradoxes and margin)."),
        "{text}"
    );
    assert!(text.contains("cut short by the time budget with"), "{text}");
    assert!(text.contains("not found before the time budget ran out (0 recounts)"), "{text}");
}

/// A budget long enough for every search leaves the results as they are
/// without one, and says every search finished.
#[test]
fn an_ample_budget_changes_nothing() {
    let file = "audit/upward-no-show.blt";
    let mut full = audit_json(file, &["--thorough"]);
    let mut ample = audit_json(file, &["--thorough", "--budget", "86400"]);
    assert_eq!(ample["budget"]["cut_short"], json!([]));
    full.as_object_mut().unwrap().remove("budget");
    ample.as_object_mut().unwrap().remove("budget");
    assert_eq!(full, ample);
    psephos()
        .args(["audit", "--budget", "86401"])
        .arg(testdata(file))
        .assert()
        .failure()
        .stderr(predicate::str::contains("86401"));
}
