//! `simulate`, `sweep`, `backtest`, `replay` and `scenarios` from the outside.

use predicates::prelude::*;

mod common;
use common::psephos;

const VALID: &str = r#"
title = "Test race"
source = "invented"
sample_size = 1000
valid_votes = 100000
candidates = [ { name = "A", share = 40 }, { name = "B", share = 35 }, { name = "C", share = 25 } ]

[preferences]
C = { B = 0.8 }

[entrant]
name = "E"
share = 10
drawn_from = { A = 0.6, C = 0.4 }
"#;

fn scenario_file(text: &str) -> tempfile::NamedTempFile {
    let f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(f.path(), text).unwrap();
    f
}

/// Runs `simulate` on a scenario and expects a refusal naming `field`.
fn refused(text: &str, field: &str) {
    let f = scenario_file(text);
    psephos()
        .args(["simulate", "--draws", "10"])
        .arg(f.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains(field));
}

#[test]
fn shares_that_do_not_add_up_are_refused() {
    refused(&VALID.replace("share = 25", "share = 5"), "`candidates`");
}

#[test]
fn unknown_names_are_refused() {
    refused(&VALID.replace("C = { B = 0.8 }", "C = { Z = 0.8 }"), "preferences.C.Z");
    refused(&VALID.replace("C = { B = 0.8 }", "Q = { B = 0.8 }"), "preferences.Q");
    refused(
        &VALID.replace("drawn_from = { A = 0.6, C = 0.4 }", "drawn_from = { A = 0.6, D = 0.4 }"),
        "entrant.drawn_from.D",
    );
    refused(&VALID.replace("title =", "rules = [\"plurality\", \"nonsense\"]\ntitle ="), "rules[1]");
}

#[test]
fn negative_numbers_are_refused() {
    refused(&VALID.replace("share = 35", "share = -35"), "candidates[1].share");
    refused(&VALID.replace("sample_size = 1000", "sample_size = -1000"), "sample_size");
    refused(&VALID.replace("C = { B = 0.8 }", "C = { B = -0.8 }"), "preferences.C.B");
    refused(&VALID.replace("share = 10\n", "share = -10\n"), "entrant.share");
    refused(&VALID.replace("sample_size = 1000", "sample_size = 1000\nsystematic_error = -2"), "systematic_error");
}

#[test]
fn missing_fields_are_refused() {
    refused(&VALID.replace("valid_votes = 100000\n", ""), "valid_votes");
    refused(&VALID.replace("source = \"invented\"\n", ""), "source");
    refused(&VALID.replace("{ name = \"B\", share = 35 }", "{ name = \"B\" }"), "share");
    refused(&VALID.replace("drawn_from = { A = 0.6, C = 0.4 }\n", ""), "drawn_from");
}

#[test]
fn other_bad_values_are_refused() {
    refused(
        &VALID.replace("drawn_from = { A = 0.6, C = 0.4 }", "drawn_from = { A = 0.6, C = 0.2 }"),
        "entrant.drawn_from",
    );
    refused(&VALID.replace("share = 10\n", "share = 70\n"), "entrant.drawn_from.A");
    refused(&VALID.replace("C = { B = 0.8 }", "C = { B = 0.8, A = 0.5 }"), "preferences.C");
    refused(&VALID.replace("title =", "unknown_key = 1\ntitle ="), "unknown_key");
    refused("title = [", ":1: invalid array");
    refused(&VALID.replace("sample_size = 1000", "sample_size = \"big\""), "sample_size = \"big\"");
    psephos().args(["simulate", "no-such-file.toml"]).assert().failure().stderr(predicate::str::contains("neither"));
    psephos().args(["simulate", "london-2021"]).assert().failure().stderr(predicate::str::contains("replay"));
    psephos().args(["simulate", "--draws", "0"]).assert().failure();
}

#[test]
fn default_preset_runs_and_gives_a_verdict() {
    psephos()
        .args(["simulate", "--draws", "500"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Under first past the post"))
        .stdout(predicate::str::contains("Corbyn's candidacy changes the winner"));
}

#[test]
fn json_has_the_documented_shape() {
    let out = psephos().args(["simulate", "--draws", "400", "--seed", "3", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "london-2024-corbyn-rw");
    assert_eq!(v["draws"], 400);
    assert_eq!(v["seed"], 3);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["rule"], "plurality");
    let total: f64 = results[0]["win_probability"].as_object().unwrap().values().map(|p| p.as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert!(results[0]["mc_error"]["Hall"].is_number());
    assert!(v["base"]["results"][0]["win_probability"]["Corbyn"].is_null());
    assert!(v["entrant_changes_winner"]["supplementary-vote"].is_number());
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let run = |threads: &str| {
        psephos()
            .env("RAYON_NUM_THREADS", threads)
            .args(["simulate", "--draws", "1500", "--seed", "11", "--json"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("3"));
}

#[test]
fn spoilers_are_reported_only_when_asked_for() {
    let text = |extra: &[&str]| {
        let out = psephos().args(["simulate", "--draws", "400", "--seed", "5"]).args(extra).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = text(&[]);
    assert!(!plain.contains("Spoilers"));
    let with = text(&["--spoilers"]);
    // The report without the flag is unchanged; the spoiler paragraph follows
    // it, and both end with the track record.
    let (body, record) = plain.rsplit_once("\nTrack record:").unwrap();
    assert!(with.starts_with(body));
    assert!(with.ends_with(&format!("Track record:{record}")));
    assert!(with.contains("Under first past the post, Corbyn is a spoiler in"));
    assert!(with.contains("(hurting Khan, helping Hall)"));
    assert!(with.contains("Under instant-runoff voting"));
}

#[test]
fn spoiler_json_has_the_documented_shape() {
    let json = |extra: &[&str]| -> serde_json::Value {
        let out = psephos().args(["simulate", "--draws", "400", "--seed", "5", "--json"]).args(extra).output().unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let plain = json(&[]);
    assert!(plain.get("spoilers").is_none());
    let mut with = json(&["--spoilers"]);
    let spoilers = with.as_object_mut().unwrap().remove("spoilers").unwrap();
    assert_eq!(with, plain);
    let fptp = spoilers["plurality"].as_array().unwrap();
    assert_eq!(fptp.len(), 7);
    assert_eq!(fptp[0]["candidate"], "Corbyn");
    let mut last = 1.0;
    for row in fptp {
        let p = row["probability"].as_f64().unwrap();
        assert!(p <= last, "most often a spoiler first");
        last = p;
        assert!(row["mc_error"].as_f64().unwrap() >= 0.0);
        for key in ["hurts", "helps"] {
            let total: f64 = row[key].as_object().unwrap().values().map(|x| x.as_f64().unwrap()).sum();
            assert!((total - p).abs() < 1e-9, "{key} add up to the probability");
        }
    }
    assert!(fptp[0]["hurts"]["Khan"].as_f64().unwrap() > 0.0);
    for rule in ["supplementary-vote", "irv", "two-round"] {
        assert_eq!(spoilers[rule].as_array().unwrap().len(), 7);
    }
}

#[test]
fn spoilers_do_not_depend_on_the_thread_count() {
    let f = scenario_file(VALID);
    let run = |threads: &str| {
        psephos()
            .env("RAYON_NUM_THREADS", threads)
            .args(["simulate", "--draws", "700", "--seed", "2", "--spoilers", "--json"])
            .arg(f.path())
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert_eq!(one, run("3"));
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(v["spoilers"]["plurality"].as_array().unwrap().len(), 4);
}

#[test]
fn rules_can_be_chosen() {
    let f = scenario_file(VALID);
    let out = psephos()
        .args(["simulate", "--draws", "200", "--rule", "contingent-vote", "--json"])
        .arg(f.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"].as_array().unwrap().len(), 1);
    assert_eq!(v["results"][0]["rule"], "contingent-vote");
}

#[test]
fn replay_json_is_one_tally_result() {
    let out = psephos().args(["replay", "london-2021", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rule"], "supplementary-vote");
    assert_eq!(v["winners"][0], "Sadiq Khan");
    let rounds = v["rounds"].as_array().unwrap();
    assert_eq!(rounds[1]["tally"]["Sadiq Khan"], 1_206_034);
    assert_eq!(rounds[1]["tally"]["Shaun Bailey"], 977_601);
    for year in ["2000", "2004", "2008", "2012", "2016", "2024"] {
        psephos()
            .args(["replay", &format!("london-{year}")])
            .assert()
            .success()
            .stdout(predicate::str::contains("equal the official figures"));
    }
    psephos().args(["replay", "london-1999"]).assert().failure();
}

#[test]
fn backtest_flags_and_json() {
    let out = psephos().args(["backtest", "london-2024", "--draws", "500", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let khan = &v["candidates"][0];
    assert_eq!(khan["name"], "Khan");
    assert_eq!(khan["actual"], 43.8);
    assert!(khan["interval_95"].as_array().unwrap().len() == 2);
    assert!(khan["inside_95"].is_boolean());
    assert_eq!(v["error_model_in_sample"], true);
    psephos()
        .args(["backtest", "london-2021", "--draws", "300"])
        .assert()
        .success()
        .stdout(predicate::str::contains("actual"));
    psephos().args(["backtest", "london-2024-corbyn-rw"]).assert().failure();
}

#[test]
fn backtest_with_an_entrant_tests_the_race_with_the_entrant() {
    let path = &common::testdata("scenarios/backtest-entrant.toml");
    let out = psephos().args(["backtest", path, "--draws", "300", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["candidates"].as_array().unwrap();
    let polls: Vec<(&str, f64)> =
        rows.iter().map(|r| (r["name"].as_str().unwrap(), r["poll"].as_f64().unwrap())).collect();
    assert_eq!(polls, [("A", 42.0), ("B", 30.0), ("C", 18.0), ("E", 10.0)]);
    assert_eq!(rows[3]["actual"], 10.0);
    assert!(v["win_probability"]["plurality"]["E"].is_number());
    let out = psephos().args(["backtest", path, "--draws", "300"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().any(|l| l.trim_start().starts_with("E ") && l.contains("10.0")), "{text}");
    assert!(text.contains("The race with E"), "{text}");
}

#[test]
fn sweep_writes_svg_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (svg, csv) = (dir.path().join("s.svg"), dir.path().join("s.csv"));
    psephos()
        .args(["sweep", "--entrant-share", "5:15:5", "--draws", "200", "--svg"])
        .arg(&svg)
        .arg("--csv")
        .arg(&csv)
        .assert()
        .success();
    let svg = std::fs::read_to_string(svg).unwrap();
    assert!(svg.contains("<polyline") && svg.contains("Hall — plurality"));
    let csv = std::fs::read_to_string(csv).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3 * 4 * 7);
    psephos().args(["sweep", "--entrant-share", "5:1:1"]).assert().failure();
    psephos().args(["sweep", "london-2024-final-polls"]).assert().failure().stderr(predicate::str::contains("entrant"));
}

#[test]
fn scenarios_list_and_show() {
    psephos().arg("scenarios").assert().success().stdout(predicate::str::contains("london-2024-corbyn-rw"));
    let out = psephos().args(["scenarios", "show", "london-2024-corbyn-fon"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Find Out Now"));
    let f = scenario_file(&text);
    psephos().args(["simulate", "--draws", "50"]).arg(f.path()).assert().success();
    psephos().args(["scenarios", "show", "nope"]).assert().failure();
}

#[test]
fn simulate_ends_with_its_track_record() {
    let out = psephos().args(["simulate", "--draws", "200"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.trim_end().lines().last().unwrap();
    assert!(last.starts_with("Track record: out of sample, "), "{last}");
    assert!(last.contains("inside this model's 95% intervals") && last.contains("6 London mayoral elections"));
    let out = psephos().args(["simulate", "--draws", "200", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["track_record"];
    assert_eq!(r["calibration"], "leave-one-election-out");
    assert_eq!(r["elections"], 6);
    assert_eq!(r["applies_to_this_scenario"], true);
    assert_eq!(r["sentence"].as_str().unwrap(), last);
    assert!(r["coverage_95"].as_f64().unwrap() > 0.5);
    // A scenario with its own error model is told the record is not its own.
    let own = psephos_sim::presets::find("london-2024-corbyn-rw")
        .unwrap()
        .text
        .replace("valid_votes", "systematic_error = 6\nvalid_votes");
    let out = psephos().args(["simulate", "-", "--draws", "100"]).write_stdin(own).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("This scenario sets its own error model"), "{text}");
}

#[test]
fn backtest_all_is_out_of_sample_with_the_documented_json() {
    let out = psephos().args(["backtest", "--all", "--draws", "150", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["calibration"], "leave-one-election-out");
    assert_eq!(v["model"], psephos_sim::calibration::DEFAULT_MODEL.name);
    let elections = v["elections"].as_array().unwrap();
    let years: Vec<u64> = elections.iter().map(|e| e["year"].as_u64().unwrap()).collect();
    assert_eq!(years, [2004, 2008, 2012, 2016, 2021, 2024]);
    assert_eq!(elections[5]["rule"], "plurality");
    assert_eq!(elections[2]["winner"], "Johnson");
    let c = &elections[0]["candidates"][0];
    for key in ["name", "median", "interval_80", "interval_95", "actual", "inside_80", "inside_95", "pit"] {
        assert!(!c[key].is_null(), "{key}");
    }
    let pit = c["pit"].as_f64().unwrap();
    assert!(pit > 0.0 && pit < 1.0);
    for key in ["coverage_80", "coverage_95", "winner_log_score", "winner_brier"] {
        assert!(v["summary"][key].is_number(), "{key}");
    }
    assert_eq!(v["models"].as_array().unwrap().len(), psephos_sim::calibration::MODELS.len());
}

#[test]
fn backtest_all_text_svg_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("pit.svg");
    let out = psephos()
        .args(["backtest", "--all", "--draws", "100", "--model", "normal", "--svg"])
        .arg(&svg)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Models compared over 28 candidate-elections"), "{text}");
    assert!(text.contains("Model normal, election by election"));
    assert!(text.contains("PIT histogram"));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    psephos()
        .args(["backtest", "--all", "--rule", "irv"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--rule"));
    psephos().args(["backtest", "--all", "--model", "cauchy"]).assert().failure();
    psephos().args(["backtest", "london-2012", "--all"]).assert().failure();
    psephos().args(["backtest"]).assert().failure();
    psephos()
        .args(["backtest", "london-2012", "--draws", "200"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Livingstone").and(predicate::str::contains("In sample:")));
}
