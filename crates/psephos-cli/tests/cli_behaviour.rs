//! How the binary behaves as a command-line tool: closed pipes and full
//! disks, `-` for standard input and output, output files that would
//! overwrite an input, bounds on sizes, completions, manual pages, examples
//! in `--help` and the version line.

mod common;

use std::fs::File;
use std::process::{Command as StdCommand, Output, Stdio};

use common::{psephos, temp_file, testdata};
use predicates::prelude::*;

const PARTY_VOTES: &str = "party,votes\nRed,4000\nBlue,3000\nGreen,1500\nGold,500\n";

/// Every form of every command that writes to standard output, cheap
/// enough for a debug build.
fn command_forms(votes: &str) -> Vec<Vec<String>> {
    let blt = testdata("blt/us/2006-Burlington-Mayor.blt");
    let audit = testdata("audit/2009-Burlington-Mayor.blt");
    let forms: Vec<Vec<&str>> = vec![
        vec!["rules"],
        vec!["rules", "--json"],
        vec!["scenarios"],
        vec!["scenarios", "show", "london-2000"],
        vec!["replay", "london-2000"],
        vec!["replay", "london-2000", "--json"],
        vec!["tally", &blt],
        vec!["tally", &blt, "--json"],
        vec!["tally", &blt, "--csv", "-"],
        vec!["audit", &audit, "--rule", "plurality"],
        vec!["audit", &audit, "--rule", "plurality", "--json"],
        vec!["allocate", votes, "--seats", "5"],
        vec!["allocate", votes, "--seats", "5", "--json"],
        vec!["ams", "london-assembly-2016"],
        vec!["ams", "london-assembly-2016", "--json"],
        vec!["simulate", "--draws", "20"],
        vec!["simulate", "--draws", "20", "--json"],
        vec!["sweep", "--draws", "10", "--entrant-share", "5:10:5"],
        vec!["sweep", "--draws", "10", "--entrant-share", "5:10:5", "--svg", "-"],
        vec!["sweep", "--draws", "10", "--entrant-share", "5:10:5", "--csv", "-"],
        vec!["backtest", "london-2021", "--draws", "20"],
        vec!["backtest", "london-2021", "--draws", "20", "--json"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["--help"],
        vec!["tally", "--help"],
        vec!["--version"],
    ];
    forms.into_iter().map(|f| f.into_iter().map(str::to_owned).collect()).collect()
}

fn binary() -> StdCommand {
    StdCommand::new(assert_cmd::cargo::cargo_bin("psephos"))
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let (_d, votes) = temp_file("votes.csv", PARTY_VOTES);
    for form in command_forms(&votes) {
        // The read end is closed before the program starts, so its first
        // write meets a broken pipe, whatever the timing.
        let (reader, writer) = os_pipe::pipe().unwrap();
        drop(reader);
        let out = binary().args(&form).stdout(writer).stderr(Stdio::piped()).output().unwrap();
        let err = stderr_of(&out);
        assert!(!err.contains("panicked"), "{form:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{form:?}: {err}");
        assert!(!err.contains("error"), "{form:?}: {err}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_clear_error() {
    let (_d, votes) = temp_file("votes.csv", PARTY_VOTES);
    for form in command_forms(&votes) {
        let full = File::options().write(true).open("/dev/full").unwrap();
        let out = binary().args(&form).stdout(full).stderr(Stdio::piped()).output().unwrap();
        let err = stderr_of(&out);
        assert!(!err.contains("panicked"), "{form:?}: {err}");
        assert_eq!(out.status.code(), Some(1), "{form:?}: {err}");
        assert!(err.contains("error: cannot write to standard output: No space left on device"), "{form:?}: {err}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_output_file_is_a_clear_error() {
    let blt = testdata("blt/us/2006-Burlington-Mayor.blt");
    let out = psephos().args(["tally", &blt, "--csv", "/dev/full"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("cannot write /dev/full") && !err.contains("panicked"), "{err}");
}

#[test]
fn a_closed_stderr_does_not_panic() {
    let (reader, writer) = os_pipe::pipe().unwrap();
    drop(reader);
    let out = binary().args(["tally", "no-such-file.blt"]).stderr(writer).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (_d, scenario) = temp_file("s.toml", psephos_sim::presets::find("london-2024-corbyn-rw").unwrap().text);
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("c.svg");
    let (reader, writer) = os_pipe::pipe().unwrap();
    drop(reader);
    let args = ["sweep", &scenario, "--draws", "10", "--entrant-share", "5:5:1", "--svg", svg.to_str().unwrap()];
    let out = binary().args(args).stdout(Stdio::null()).stderr(writer).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(svg.exists());
}

#[test]
fn dash_reads_standard_input() {
    let blt = std::fs::read(testdata("blt/us/2006-Burlington-Mayor.blt")).unwrap();
    let from_file = common::run_json("tally", &[&testdata("blt/us/2006-Burlington-Mayor.blt"), "--rule", "irv"]);
    let out = psephos().args(["tally", "-", "--rule", "irv", "--json"]).write_stdin(blt.clone()).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let from_stdin: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(from_stdin["results"], from_file["results"]);
    assert_eq!(from_stdin["file"], "<stdin>");

    let out = psephos().args(["audit", "-", "--rule", "plurality", "--json"]).write_stdin(blt).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));

    psephos()
        .args(["tally", "-", "--approval"])
        .write_stdin("A,B,C\n1,0,1\n1,1,0\n0,0,1\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("approval"));

    // Errors name standard input.
    psephos()
        .args(["tally", "-", "--format", "blt"])
        .write_stdin("3 1\nnot a ballot\n")
        .assert()
        .failure()
        .stderr(predicate::str::contains("<stdin>"));

    psephos()
        .args(["allocate", "-", "--seats", "5"])
        .write_stdin(PARTY_VOTES)
        .assert()
        .success()
        .stdout(predicate::str::contains("Red"));
    let toml = "[[party]]\nname = \"Red\"\nvotes = 4000\n[[party]]\nname = \"Blue\"\nvotes = 3000\n";
    psephos().args(["allocate", "-", "--seats", "3"]).write_stdin(toml).assert().success();
    let assembly = std::fs::read_to_string(testdata("assembly/london-assembly-2016.toml")).unwrap();
    psephos()
        .args(["ams", "-"])
        .write_stdin(assembly)
        .assert()
        .success()
        .stdout(predicate::str::contains("matches the official list seats"));

    let scenario = psephos_sim::presets::find("london-2024-corbyn-rw").unwrap().text;
    let out = psephos().args(["simulate", "-", "--draws", "30", "--json"]).write_stdin(scenario).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "<stdin>");
    psephos()
        .args(["simulate", "-"])
        .write_stdin("title = 1\n")
        .assert()
        .failure()
        .stderr(predicate::str::contains("<stdin>:1"));
    let backtest = psephos_sim::presets::find("london-2021-final-polls").unwrap().text;
    psephos().args(["backtest", "-", "--draws", "30"]).write_stdin(backtest).assert().success();
}

#[test]
fn sweep_writes_its_chart_or_table_to_standard_output() {
    let base = ["sweep", "--draws", "10", "--entrant-share", "5:10:5"];
    let out = psephos().args(base).args(["--svg", "-"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("<svg") && text.trim_end().ends_with("</svg>"), "{text}");
    let out = psephos().args(base).args(["--csv", "-"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("entrant_share,rule,candidate"), "{text}");
    psephos().args(base).args(["--csv", "-", "--svg", "-"]).assert().failure();
}

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let ballots = dir.path().join("votes.csv");
    let text = "rank1,rank2\nA,B\nB,A\nA,\n";
    std::fs::write(&ballots, text).unwrap();
    let b = ballots.to_str().unwrap();
    let spelled = dir.path().join(".").join("votes.csv");
    for out in [b, spelled.to_str().unwrap()] {
        psephos()
            .args(["tally", b, "--csv", out])
            .assert()
            .failure()
            .stderr(predicate::str::contains("would destroy the input"));
        assert_eq!(std::fs::read_to_string(&ballots).unwrap(), text);
    }
    #[cfg(unix)]
    {
        let link = dir.path().join("link.csv");
        std::fs::hard_link(&ballots, &link).unwrap();
        psephos().args(["tally", b, "--csv", link.to_str().unwrap()]).assert().failure();
        assert_eq!(std::fs::read_to_string(&ballots).unwrap(), text);
    }
    // A different file is fine.
    let rounds = dir.path().join("rounds.csv");
    psephos().args(["tally", b, "--csv", rounds.to_str().unwrap()]).assert().success();

    let scenario = dir.path().join("s.toml");
    let preset = psephos_sim::presets::find("london-2024-corbyn-rw").unwrap().text;
    std::fs::write(&scenario, preset).unwrap();
    let s = scenario.to_str().unwrap();
    for flag in ["--svg", "--csv"] {
        psephos()
            .args(["sweep", s, "--draws", "10", "--entrant-share", "5:5:1", flag, s])
            .assert()
            .failure()
            .stderr(predicate::str::contains("would destroy the input"));
        assert_eq!(std::fs::read_to_string(&scenario).unwrap(), preset);
    }
    let chart = dir.path().join("c.out");
    let c = chart.to_str().unwrap();
    psephos()
        .args(["sweep", s, "--draws", "10", "--entrant-share", "5:5:1", "--svg", c, "--csv", c])
        .assert()
        .failure()
        .stderr(predicate::str::contains("both name"));
}

#[test]
fn over_large_sizes_are_refused_before_any_work() {
    let (_d, votes) = temp_file("votes.csv", PARTY_VOTES);
    psephos()
        .args(["allocate", &votes, "--seats", "4294967295"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("1..=10000"));
    let (_d2, big) = temp_file("big.toml", "seats = 4294967295\n[[party]]\nname = \"Red\"\nvotes = 10\n");
    psephos().args(["allocate", &big]).assert().failure().stderr(predicate::str::contains("at most 10000"));
    psephos()
        .args(["ams", "london-assembly-2016", "--list-seats", "4294967295"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("10000"));
    let (_d3, ams) = temp_file("ams.toml", "seats = 4294967295\n[[party]]\nname = \"Red\"\nvotes = 10\n");
    psephos().args(["ams", &ams]).assert().failure().stderr(predicate::str::contains("at most 10000"));
    psephos()
        .args(["ams", "-"])
        .write_stdin(std::fs::read(&ams).unwrap())
        .assert()
        .failure()
        .stderr(predicate::str::contains("<stdin>: seats = 4294967295: at most 10000"));
    psephos()
        .args(["simulate", "--draws", "18446744073709551615"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("1..=10000000"));
    psephos()
        .args(["backtest", "london-2021", "--draws", "10000001"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("1..=10000000"));
    psephos()
        .args(["sweep", "--draws", "100000", "--entrant-share", "1:20:0.1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("at most 10000000"));
    psephos()
        .args(["sweep", "--entrant-share", "0:100:0.01"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("at most 1,000"));
    psephos().args(["allocate", &votes, "--seats", "3", "--threshold", "101"]).assert().failure();
}

/// Twelve candidates with default next-choice rows, ranked to `ranks` levels.
fn twelve(ranks: usize) -> String {
    let candidates: Vec<String> =
        (0..12).map(|i| format!("{{ name = \"C{i}\", share = {} }}", if i < 4 { 10.0 } else { 7.5 })).collect();
    format!(
        "title = \"twelve\"\nsource = \"invented\"\nsample_size = 1000\nvalid_votes = 100000\nranks = {ranks}\n\
         candidates = [ {} ]\n",
        candidates.join(", ")
    )
}

#[test]
fn ranks_that_would_enumerate_every_ordering_are_refused_with_the_limit() {
    let (_d, file) = temp_file("twelve.toml", twelve(12));
    psephos()
        .args(["simulate", &file, "--draws", "1"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("ranks = 12 with 12 candidates")
                .and(predicate::str::contains("1000000 ballot types a race may have")),
        )
        .stderr(predicate::str::contains("set `ranks` to 6 or less"));
    let (_d, file) = temp_file("twelve4.toml", twelve(4));
    psephos().args(["simulate", &file, "--draws", "2"]).timeout(std::time::Duration::from_secs(120)).assert().success();
}

#[test]
fn completions_and_man_page_cover_every_command() {
    let commands =
        ["tally", "audit", "rules", "allocate", "ams", "simulate", "sweep", "backtest", "replay", "scenarios"];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = psephos().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.len() > 1000, "{shell}: {text}");
        for c in commands {
            assert!(text.contains(c), "{shell} completions miss {c}");
        }
    }
    psephos().args(["completions", "tcsh"]).assert().failure();
    let out = psephos().arg("man").output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH psephos 1"), "{page}");
    for c in commands {
        assert!(page.contains(c), "the man page misses {c}");
    }
    let dir = tempfile::tempdir().unwrap();
    psephos().args(["man", "--out", dir.path().to_str().unwrap()]).assert().success();
    for c in commands {
        let page = std::fs::read_to_string(dir.path().join(format!("psephos-{c}.1"))).unwrap();
        assert!(page.contains("Examples"), "psephos-{c}.1");
    }
}

#[test]
fn every_command_help_has_examples() {
    let commands = [
        "tally",
        "audit",
        "rules",
        "allocate",
        "ams",
        "simulate",
        "sweep",
        "backtest",
        "replay",
        "scenarios",
        "completions",
        "man",
    ];
    for c in commands {
        let out = psephos().args([c, "--help"]).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        let examples = help.split_once("\nExamples").unwrap_or_else(|| panic!("{c} --help has no examples")).1;
        assert!(
            examples.lines().any(|l| l.contains(&format!("psephos {c} ")) || l.ends_with(&format!("psephos {c}"))),
            "{c}: {examples}"
        );
    }
}

#[test]
fn version_names_the_commit_and_features() {
    let out = psephos().arg("--version").output().unwrap();
    let line = String::from_utf8(out.stdout).unwrap();
    let rest = line
        .strip_prefix(&format!("psephos {} (commit ", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{line}"));
    let (commit, features) = rest.split_once(", features: ").unwrap();
    assert!(commit == "unknown" || (commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_hexdigit())), "{line}");
    assert_eq!(features.trim_end(), "none)");
}
