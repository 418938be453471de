//! `psephos rctab`: RCTab configurations in, RCTab's reports out.

mod common;

use common::{psephos, testdata};
use serde_json::Value;

#[test]
fn writes_the_detailed_reports_rctab_writes() {
    let out = tempfile::tempdir().unwrap();
    let config = testdata("rctab/test_set_0_skipped_first_choice/test_set_0_skipped_first_choice_config.json");
    let run = psephos().args(["rctab", &config, "--out"]).arg(out.path()).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for name in ["detailed_report.json", "detailed_report.csv", "cdf_cvr.json"] {
        assert!(out.path().join(format!("test_set_0_skipped_first_choice_{name}")).is_file(), "{name}");
    }
    let ours: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("test_set_0_skipped_first_choice_detailed_report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(ours["results"][2]["tallyResults"][0]["elected"], "Candidate B Name");
    assert_eq!(ours["summary"]["finalThreshold"], "6");
}

#[test]
fn refuses_an_invalid_configuration_listing_every_field() {
    let out = tempfile::tempdir().unwrap();
    let config = testdata("rctab/invalid_params_test/invalid_params_test_config.json");
    let run = psephos().args(["rctab", &config, "--out"]).arg(out.path()).output().unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    for field in ["tabulatorVersion", "rules.tiebreakMode", "rules.overvoteRule", "cvrFileSources"] {
        assert!(err.contains(field), "{field} missing from: {err}");
    }
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing is written");
}

#[test]
fn converts_cvrs_to_rctab_csv() {
    let out = tempfile::tempdir().unwrap();
    let config = testdata("rctab/conversions_from_ess/conversions_from_ess_config.json");
    let run = psephos().args(["rctab", &config, "--convert", "csv", "--out"]).arg(out.path()).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let ours = std::fs::read_to_string(out.path().join("conversions_from_ess.csv")).unwrap();
    let expected =
        std::fs::read_to_string(testdata("rctab/conversions_from_ess/conversions_from_ess_expected.csv")).unwrap();
    assert_eq!(ours, expected);
}

#[test]
fn tally_reads_cvr_formats_a_folder_and_a_contest() {
    let v = common::run_json(
        "tally",
        &[&testdata("rctab/_shared/dominion_alaska/alaska_input_data"), "--contest", "1", "--rule", "irv"],
    );
    assert_eq!(v["format"], "dominion");
    assert_eq!(v["ballots"], 1000);
    // Candidates are named as the candidate manifest names them.
    assert!(v["candidates"].as_array().unwrap().iter().any(|c| c == "Tom Steyer"), "{}", v["candidates"]);
    let v = common::run_json(
        "tally",
        &[
            &testdata("rctab/unisyn_cvrs/101-RCV-CVT_TEST_3_UNIOVS2103-2.xml"),
            "--format",
            "cdf",
            "--contest",
            "For City C Mayor (1/3)",
            "--rule",
            "irv",
        ],
    );
    assert_eq!(v["format"], "cdf");
}

#[test]
fn tally_names_the_file_when_the_contest_is_missing() {
    let out = psephos()
        .args([
            "tally",
            &testdata("rctab/_shared/cdf_json/cdf_json_file1_cvr.json"),
            "--format",
            "cdf",
            "--contest",
            "No such contest",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cdf_json_file1_cvr.json") && err.contains("No such contest"), "{err}");
}

#[test]
fn tally_writes_rctab_json_that_matches_rctab_on_the_same_ballots() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ts0.json");
    let case = "rctab/test_set_0_skipped_first_choice/test_set_0_skipped_first_choice";
    let run = psephos()
        .args(["tally", &testdata(&format!("{case}_cvr.json"))])
        .args(["--contest", "Nist Test Set 0 Skipped First Choice", "--rule", "irv", "--rctab-json"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let ours: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let rctab: Value = serde_json::from_str(
        &std::fs::read_to_string(testdata(&format!("{case}_expected_detailed_report.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(ours["results"], rctab["results"]);
    assert_eq!(ours["summary"], rctab["summary"]);
}

/// The permutation tie-break case, its ties left to an operator.
fn operator_config(dir: &std::path::Path) -> std::path::PathBuf {
    let case = "rctab/tiebreak_use_permutation_in_config_test/tiebreak_use_permutation_in_config_test";
    let mut config: Value =
        serde_json::from_str(&std::fs::read_to_string(testdata(&format!("{case}_config.json"))).unwrap()).unwrap();
    config["rules"]["tiebreakMode"] = "stopCountingAndAsk".into();
    let source = std::path::Path::new(&testdata(case))
        .parent()
        .unwrap()
        .join(config["cvrFileSources"][0]["filePath"].as_str().unwrap());
    config["cvrFileSources"][0]["filePath"] = source.to_str().unwrap().into();
    let path = dir.join("ask_config.json");
    std::fs::write(&path, serde_json::to_string(&config).unwrap()).unwrap();
    path
}

#[test]
fn a_tie_left_to_an_operator_stops_naming_the_tied_unless_decided() {
    let dir = tempfile::tempdir().unwrap();
    let config = operator_config(dir.path());
    let out = dir.path().join("out");
    let run = psephos().arg("rctab").arg(&config).arg("--out").arg(&out).output().unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("round 2: a tie between George Gervin, Yinka Dare must be broken by an operator"), "{err}");
    assert!(!out.exists(), "nothing is written");

    let run = psephos()
        .arg("rctab")
        .arg(&config)
        .args(["--tie-break", "candidate-order", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    // Deciding by the configuration's order is what useCandidateOrder does.
    let ours: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("ask_detailed_report.json")).unwrap()).unwrap();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(testdata(
            "rctab/tiebreak_use_permutation_in_config_test/tiebreak_use_permutation_in_config_test_expected_detailed_report.json",
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(ours["results"], expected["results"]);
}
