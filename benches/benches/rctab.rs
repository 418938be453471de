//! RCTab drop-in benchmark: the 2013 Minneapolis mayoral ES&S workbook
//! (80,101 ballots, 35 candidates and write-ins) copied thirteen times and
//! tabulated as one contest of 1,041,313 ballots from 13 sources, end to end:
//! validating the configuration, reading the workbooks (on every core),
//! counting as RCTab does and rendering the detailed JSON and CSV reports.
//! Also the CDF JSON reader's throughput on a generated 1,000,000-ballot
//! report.
//!
//! Target: the 13-source count in at most 3 s on 2 cores with peak memory
//! under 1 GB; the CDF JSON reader at 100 MB/s or more. Each figure is the
//! median of three runs; run with `cargo bench -p psephos-benches --bench rctab`.
//! Next to the wall time, the processor time the run took (all threads, as
//! Linux accounts it): on a machine shared with other work, the wall time
//! grows with the load and the processor time much less.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Wall and processor time of one run.
#[derive(Clone, Copy)]
struct Times {
    wall: Duration,
    cpu: Duration,
}

/// The median run by wall time.
fn median(mut f: impl FnMut() -> Duration) -> Times {
    let mut v: Vec<Times> = (0..3)
        .map(|_| {
            let before = cpu_time();
            let wall = f();
            Times { wall, cpu: cpu_time().saturating_sub(before) }
        })
        .collect();
    v.sort_by_key(|t| t.wall);
    v[1]
}

/// The processor time this process has used so far, all threads, user and
/// system (Linux's `/proc/self/stat`, in its fixed 1/100 s ticks); zero
/// elsewhere.
fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return Duration::ZERO };
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/rctab").join(rel)
}

/// A configuration naming `copies` copies of the Minneapolis mayor workbook.
fn thirteen_sources(dir: &Path, copies: usize) -> PathBuf {
    let original = testdata("2013_minneapolis_mayor/2013_minneapolis_mayor_config.json");
    let mut config: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&original).unwrap()).unwrap();
    config["outputSettings"]["tabulateByPrecinct"] = false.into();
    let template = config["cvrFileSources"][0].clone();
    let workbook = testdata("2013_minneapolis_mayor/2013_minneapolis_mayor_cvr.xlsx");
    let mut sources = Vec::new();
    for i in 0..copies {
        let name = format!("mayor_{i:02}.xlsx");
        std::fs::copy(&workbook, dir.join(&name)).unwrap();
        let mut s = template.clone();
        s["filePath"] = name.into();
        sources.push(s);
    }
    config["cvrFileSources"] = sources.into();
    let path = dir.join("mayor13_config.json");
    std::fs::write(&path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    path
}

/// A CDF JSON report of `n` ballots over 10 candidates, ranks drawn from a fixed LCG.
fn cdf_report(n: usize) -> String {
    let mut out = String::from(r#"{"@type":"CVR.CastVoteRecordReport","Election":[{"@id":"e","Candidate":["#);
    for c in 0..10 {
        out.push_str(&format!(r#"{}{{"@id":"c{c}","Name":"Candidate {c}"}}"#, if c > 0 { "," } else { "" }));
    }
    out.push_str(r#"],"Contest":[{"@id":"k","Name":"Bench","ContestSelection":["#);
    for c in 0..10 {
        out.push_str(&format!(r#"{}{{"@id":"cs{c}","CandidateIds":["c{c}"]}}"#, if c > 0 { "," } else { "" }));
    }
    out.push_str(r#"]}]}],"GpUnit":[],"CVR":["#);
    let mut x: u64 = 42;
    for b in 0..n {
        if b > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"BallotPrePrintedId":"{b}","CurrentSnapshotId":"s{b}","CVRSnapshot":[{{"@id":"s{b}","CVRContest":[{{"ContestId":"k","CVRContestSelection":["#
        ));
        for rank in 1..=3 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let c = (x >> 33) % 10;
            out.push_str(&format!(
                r#"{}{{"ContestSelectionId":"cs{c}","SelectionPosition":[{{"HasIndication":"yes","IsAllocable":"unknown","NumberVotes":1,"Rank":{rank}}}]}}"#,
                if rank > 1 { "," } else { "" }
            ));
        }
        out.push_str("]}]}]}");
    }
    out.push_str("]}");
    out
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let config = thirteen_sources(dir.path(), 13);
    let mut ballots = 0;
    let t = median(|| {
        let start = Instant::now();
        let files = psephos_rctab::tabulate_config(&config).expect("the contest counts");
        ballots = files.len();
        start.elapsed()
    });
    println!(
        "13 x 2013 Minneapolis mayor (1,041,313 ballots, 13 ES&S sources), end to end: {:.2?}, processor time {:.2?} ({ballots} reports)",
        t.wall, t.cpu
    );

    let report = cdf_report(1_000_000);
    let path = dir.path().join("bench_cdf.json");
    std::fs::write(&path, &report).unwrap();
    let options = psephos_io::cvr::SourceOptions { contest_id: Some("Bench".into()), ..Default::default() };
    let t = median(|| {
        let start = Instant::now();
        let records = psephos_io::cvr::cdf::read_path(&path, &options).unwrap();
        assert_eq!(records.len(), 1_000_000);
        start.elapsed()
    });
    let mb = report.len() as f64 / 1e6;
    println!(
        "CDF JSON reader, 1,000,000 ballots ({mb:.0} MB): {:.2?} ({:.0} MB/s), processor time {:.2?} ({:.0} MB per processor second)",
        t.wall,
        mb / t.wall.as_secs_f64(),
        t.cpu,
        mb / t.cpu.as_secs_f64()
    );
}
