//! `psephos study` and `psephos study merge` from the outside.

use predicates::prelude::*;

mod common;
use common::{psephos, run_json, testdata};

const SMALL: [&str; 10] =
    ["--model", "ic", "--candidates", "4", "--voters", "101", "--elections", "300", "--seed", "9"];

#[test]
fn json_has_the_documented_shape() {
    let v = run_json("study", &[&SMALL[..], &["--rule", "plurality", "--rule", "schulze"]].concat());
    assert_eq!(v["model"], "ic");
    assert_eq!(
        (v["candidates"].as_u64(), v["voters"].as_u64(), v["elections"].as_u64()),
        (Some(4), Some(101), Some(300))
    );
    assert_eq!(v["seed"], 9);
    let cw = v["condorcet_winner_rate"]["value"].as_f64().unwrap();
    assert!(cw > 0.7 && cw < 0.95, "{cw}");
    assert!(v["condorcet_winner_rate"]["mc_error"].as_f64().unwrap() > 0.0);
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["rule"], "plurality");
    for key in ["condorcet_efficiency", "spoiler_rate", "condorcet_loser_rate", "majority_loser_rate", "tie_rate"] {
        assert!(rules[0][key]["value"].is_f64(), "{key}");
        assert!(rules[0][key]["mc_error"].is_f64(), "{key}");
    }
    assert!(rules[0]["vse"].is_null(), "impartial culture has no utilities");
    assert_eq!(rules[1]["condorcet_efficiency"]["value"], 1.0);
    assert!(rules[0]["condorcet_efficiency"]["value"].as_f64().unwrap() < 0.9);
    assert!(v.get("shard").is_none());
}

#[test]
fn utilities_give_voter_satisfaction() {
    let v = run_json(
        "study",
        &[
            "--model",
            "spatial",
            "--dimensions",
            "2",
            "--candidates",
            "4",
            "--voters",
            "201",
            "--elections",
            "200",
            "--rule",
            "plurality",
            "--rule",
            "borda",
            "--no-spoilers",
        ],
    );
    let vse = v["rules"][1]["vse"]["value"].as_f64().unwrap();
    assert!(vse > 0.5 && vse <= 1.0, "{vse}");
    assert!(v["rules"][0]["spoiler_rate"].is_null());
}

#[test]
fn merged_shards_are_exactly_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let whole = psephos().args(["study"]).args(SMALL).arg("--json").output().unwrap();
    assert!(whole.status.success());
    let mut files = Vec::new();
    for k in 1..=3 {
        let out =
            psephos().args(["study"]).args(SMALL).args(["--json", "--shard", &format!("{k}/3")]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let path = dir.path().join(format!("part{k}.json"));
        std::fs::write(&path, &out.stdout).unwrap();
        files.push(path.to_str().unwrap().to_owned());
    }
    let merged = psephos().args(["study", "merge"]).args(&files).arg("--json").output().unwrap();
    assert!(merged.status.success(), "{}", String::from_utf8_lossy(&merged.stderr));
    assert_eq!(String::from_utf8(merged.stdout).unwrap(), String::from_utf8(whole.stdout).unwrap());
    // The same text table too.
    let text = psephos().args(["study"]).args(SMALL).output().unwrap().stdout;
    psephos().args(["study", "merge"]).args(&files).assert().success().stdout(String::from_utf8(text).unwrap());
    // A shard missing, or given twice, is refused.
    psephos()
        .args(["study", "merge", &files[0], &files[1]])
        .assert()
        .failure()
        .stderr(predicate::str::contains("shards missing: 3/3"));
    psephos()
        .args(["study", "merge", &files[0], &files[1], &files[1], &files[2]])
        .assert()
        .failure()
        .stderr(predicate::str::contains("given twice"));
    // A shard of another study is refused.
    let other_seed = [&SMALL[..8], &["--seed", "10", "--json", "--shard", "3/3"]].concat();
    let other = psephos().arg("study").args(other_seed).output().unwrap();
    assert!(other.status.success());
    let path = dir.path().join("other.json");
    std::fs::write(&path, &other.stdout).unwrap();
    psephos()
        .args(["study", "merge", &files[0], &files[1], path.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("another study"));
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let run = |threads: &str| {
        psephos().env("RAYON_NUM_THREADS", threads).args(["study"]).args(SMALL).arg("--json").output().unwrap().stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn absurd_sizes_and_wrong_parameters_are_refused_before_any_work() {
    let refused = |args: &[&str], message: &str| {
        psephos().arg("study").args(args).assert().failure().stderr(predicate::str::contains(message));
    };
    refused(&["--model", "ic", "--voters", "10000000", "--elections", "10000000"], "--voters × --elections");
    refused(&["--model", "ic", "--elections", "0"], "--elections");
    refused(&["--model", "ic", "--candidates", "21"], "--candidates");
    refused(&["--model", "ic", "--phi", "0.5"], "--phi does not apply to --model ic");
    refused(&["--model", "mallows"], "needs --phi");
    refused(&["--model", "mallows", "--phi", "1.5"], "from 0 to 1");
    refused(&["--model", "mallows", "--phi", "0.5", "--reference", "A,B,B"], "listed twice");
    refused(&["--model", "plackett-luce", "--weights", "1,2"], "one weight per candidate");
    refused(&["--model", "urn"], "needs --alpha");
    refused(&["--model", "spatial", "--dimensions", "11"], "--dimensions");
    refused(&["--model", "ic", "--rule", "stv"], "single-winner");
    refused(&["--model", "ic", "--shard", "4/3"], "not a shard");
    refused(&["--candidates", "3"], "--model");
}

#[test]
fn bootstrap_gives_each_candidate_a_win_probability() {
    let burlington = testdata("audit/2009-Burlington-Mayor.blt");
    let v = run_json(
        "study",
        &[
            "--model",
            "bootstrap",
            "--ballots",
            &burlington,
            "--elections",
            "100",
            "--rule",
            "irv",
            "--rule",
            "schulze",
            "--no-spoilers",
        ],
    );
    assert_eq!(v["voters"], 8984);
    let irv = &v["rules"][0]["win_probability"];
    assert!(irv["Bob Kiss"]["value"].as_f64().unwrap() > 0.9, "{irv}");
    assert_eq!(v["rules"][1]["win_probability"]["Andy Montroll"]["value"], 1.0);
}

#[test]
fn svg_and_csv_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("s.svg");
    let csv = dir.path().join("s.csv");
    psephos()
        .args(["study"])
        .args(SMALL)
        .args(["--rule", "irv", "--svg", svg.to_str().unwrap(), "--csv", csv.to_str().unwrap()])
        .assert()
        .success();
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<circle") && svg.contains("stroke-width=\"2\""));
    let csv = std::fs::read_to_string(csv).unwrap();
    assert!(csv.starts_with("rule,metric,value,mc_error\n"));
    assert!(csv.contains("irv,condorcet_efficiency,"));
}

#[test]
fn paradox_rates_are_lower_bounds_for_the_runoff_rules() {
    let v = run_json(
        "study",
        &[&SMALL[..], &["--rule", "irv", "--rule", "borda", "--paradoxes", "--no-spoilers"]].concat(),
    );
    let irv = &v["rules"][0];
    assert_eq!(irv["monotonicity_failure_rate"]["lower_bound"], true);
    assert!(irv["no_show_failure_rate"]["value"].is_f64());
    assert!(v["rules"][1]["monotonicity_failure_rate"].is_null(), "borda is not searched");
    let plain = run_json("study", &SMALL);
    assert!(plain["rules"][0].get("monotonicity_failure_rate").is_none());
}

#[test]
fn every_model_runs_with_its_options() {
    let cases: [(&[&str], &str); 8] = [
        (&["--model", "iac"], "iac"),
        (&["--model", "urn", "--alpha", "0.1"], "urn"),
        (&["--model", "mallows", "--phi", "0.5", "--reference", "C,A,B"], "mallows"),
        (&["--model", "mallows", "--mixture", "0.6:0.5:A,B,C", "--mixture", "0.4:0.9:C,B,A"], "mallows"),
        (&["--model", "plackett-luce", "--weights", "3,2,1"], "plackett-luce"),
        (&["--model", "spatial", "--dimensions", "3", "--distribution", "uniform", "--max-distance", "1.5"], "spatial"),
        (&["--model", "random-society"], "random-society"),
        (&["--model", "poll", "--scenario", "london-2024-corbyn-fon"], "poll"),
    ];
    for (args, id) in cases {
        let common: &[&str] = if id == "poll" { &[] } else { &["--candidates", "3", "--voters", "51"] };
        let v = run_json("study", &[args, common, &["--elections", "40", "--rule", "irv", "--no-spoilers"]].concat());
        assert_eq!(v["model"], id, "{args:?}");
        assert_eq!(v["counts"]["electorates"], 40, "{args:?}");
        assert!(v["model_parameters"].is_object());
    }
    let mixture = run_json(
        "study",
        &[
            "--model",
            "mallows",
            "--mixture",
            "1:0:B,C,A",
            "--candidates",
            "3",
            "--elections",
            "5",
            "--rule",
            "plurality",
        ],
    );
    assert_eq!(mixture["model_parameters"]["mixture"][0]["reference"], serde_json::json!(["B", "C", "A"]));
}
