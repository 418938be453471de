//! Issue targets for the counting foundation, on 1,000,000 ballots over 10
//! candidates with random rankings truncated at random lengths:
//! reading the `.soi` file ≥ 200 MB/s; building the deduplicated store
//! ≤ 150 ms; plurality, SV and IRV each ≤ 30 ms on the built store.
//! Issue 14: the Condorcet rules of one invocation share one pairwise matrix
//! (`condorcet_family_fresh_store` counts five of them on a store that has
//! not built it yet, so the matrix is built once per iteration).
//! Issue 14, end to end from the file: the 1,000,000-voter impartial-culture
//! file of complete rankings (`file_1m_complete`: about 873,000 distinct
//! orders, 21 MB, read from disk as `psephos tally` reads it) read and built
//! into an election ≤ 40 ms; with plurality counted ≤ 45 ms; with IRV
//! counted ≤ 70 ms (a whole process adds its start and exit, 2–5 ms).
//! (Peak memory is measured by the `foundation_memory` bench binary.)

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use psephos::{normalise, CountOptions, Election, NormalisePolicy, Rule};
use psephos_benches::{build_store, candidates, draw_complete, draw_truncated, random_election, SEED};
use psephos_io::{read_bytes, BallotFile, Format, ReadOptions};

const BALLOTS: usize = 1_000_000;
const CANDIDATES: usize = 10;

fn files() -> (Vec<u8>, Vec<u8>) {
    let raw = build_store(&draw_truncated(BALLOTS, CANDIDATES, SEED));
    let file = BallotFile {
        title: Some("benchmark".into()),
        candidates: candidates(CANDIDATES),
        seats: Some(1),
        ballots: raw,
        format: Format::PrefLib,
        options: Default::default(),
    };
    let mut soi = Vec::new();
    psephos_io::write_preflib(&mut soi, &file).expect("writes");
    let mut csv = Vec::new();
    psephos_io::write_csv(&mut csv, &file).expect("writes");
    (soi, csv)
}

fn reading(c: &mut Criterion) {
    let (soi, csv) = files();
    let mut g = c.benchmark_group("read");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(soi.len() as u64));
    g.bench_function("preflib_soi_1m", |b| {
        b.iter(|| read_bytes("bench.soi", black_box(&soi), &ReadOptions::default()).expect("reads"))
    });
    g.throughput(Throughput::Bytes(csv.len() as u64));
    g.bench_function("csv_1m", |b| {
        b.iter(|| read_bytes("bench.csv", black_box(&csv), &ReadOptions::default()).expect("reads"))
    });
    g.finish();
}

/// The complete file on disk: read, built into an election, and counted.
fn from_disk(c: &mut Criterion) {
    let file = BallotFile {
        title: Some("impartial culture".into()),
        candidates: candidates(CANDIDATES),
        seats: Some(1),
        ballots: build_store(&draw_complete(BALLOTS, CANDIDATES, SEED)),
        format: Format::PrefLib,
        options: Default::default(),
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("ic_complete.soc");
    let mut soc = Vec::new();
    psephos_io::write_preflib(&mut soc, &file).expect("writes");
    std::fs::write(&path, &soc).expect("writes the file");
    let read = || {
        let file = psephos_io::read_path(&path, &ReadOptions::default()).expect("reads");
        Election::from_raw(file.candidates, 1, file.ballots, NormalisePolicy::default()).expect("valid")
    };
    let options = CountOptions::default();
    let mut g = c.benchmark_group("file_1m_complete");
    g.sample_size(20).measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Bytes(soc.len() as u64));
    g.bench_function("read_build", |b| b.iter(read));
    for id in ["plurality", "irv"] {
        let rule: Rule = id.parse().expect("known rule");
        g.bench_function(format!("read_build_{id}"), |b| b.iter(|| rule.count(&read(), &options).expect("counts")));
    }
    g.finish();
}

fn building(c: &mut Criterion) {
    let drawn = draw_truncated(BALLOTS, CANDIDATES, SEED);
    let raw = build_store(&drawn);
    let mut g = c.benchmark_group("store");
    g.sample_size(10);
    g.bench_function("build_dedup_1m", |b| b.iter(|| build_store(black_box(&drawn))));
    g.bench_function("normalise_1m", |b| b.iter(|| normalise(black_box(&raw), NormalisePolicy::default())));
    g.finish();
}

fn counting(c: &mut Criterion) {
    let election = random_election(BALLOTS, CANDIDATES, SEED);
    let options = CountOptions::default();
    let mut g = c.benchmark_group("count_1m_10");
    g.sample_size(20);
    for id in ["plurality", "supplementary-vote", "irv", "contingent-vote", "two-round"] {
        let rule: Rule = id.parse().expect("known rule");
        g.bench_function(id, |b| b.iter(|| rule.count(black_box(&election), &options).expect("counts")));
    }
    let family: Vec<Rule> = ["copeland", "minimax", "schulze", "ranked-pairs", "kemeny-young"]
        .iter()
        .map(|id| id.parse().expect("known rule"))
        .collect();
    g.bench_function("condorcet_family_fresh_store", |b| {
        b.iter_batched(
            || election.clone(),
            |fresh| {
                for rule in &family {
                    black_box(rule.count(&fresh, &options).expect("counts"));
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, reading, from_disk, building, counting);
criterion_main!(benches);
