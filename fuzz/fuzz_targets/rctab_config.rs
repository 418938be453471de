//! Any bytes read as an RCTab contest configuration (JSON given to
//! `ContestConfig::from_value`, relative paths starting at
//! `testdata/rctab/_shared`): the reader returns a configuration or a list of
//! problems each naming its field, never panics. A configuration that
//! validates goes on without reading any file: a few cast-vote records made
//! from its declared candidates resolve to ballots, are counted under its
//! rules, and every report of the count and the CVR CSV is rendered.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use psephos_io::cvr::{CastVoteRecord, Mark};
use psephos_rctab::cdf_out::{cdf_json, rctab_cvr_csv, CvrCsvLayout};
use psephos_rctab::config::MaxRankings;
use psephos_rctab::contest::{self, LoadedCvrs};
use psephos_rctab::report::{ReportContext, Slice};
use psephos_rctab::tabulator;
use psephos_rctab::ContestConfig;

/// The folder relative `filePath`s start at: `../<case>/<file>` and
/// `../_shared/<file>` name real files of `testdata/rctab/`.
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/rctab/_shared");

/// At most this many declared candidates get records of their own.
const MAX_CANDIDATES_MARKED: usize = 8;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let config = match ContestConfig::from_value(&value, Path::new(DIR)) {
        Ok(config) => config,
        Err(problems) => {
            assert!(!problems.is_empty(), "a refused configuration lists a problem");
            assert!(problems.iter().all(|p| !p.field.is_empty()), "each problem names its field: {problems:?}");
            return;
        }
    };
    assert!(!config.sources.is_empty() && config.num_declared_candidates() > 0);

    let records = records_for(&config);
    let mut source_ranges = vec![0..0; config.sources.len()];
    source_ranges[0] = 0..records.len();
    let cvrs = LoadedCvrs { records, source_ranges };
    let candidates = contest::candidates(&config, &cvrs);
    let ballots = contest::ballots_grouped(&config, &candidates, &cvrs, !config.output.generate_cdf_json)
        .expect("records that mark declared names resolve");

    let sequential = contest::is_sequential(&config);
    let seats = if sequential { 1 } else { config.rules.number_of_winners };
    let rules = contest::rules(&config, &candidates, seats);
    let snapshots = config.output.generate_cdf_json && !sequential;
    if let Ok(outcome) = tabulator::tabulate(&candidates, &ballots, &rules, snapshots) {
        let ctx = ReportContext { config: &config, candidates: &candidates, outcome: &outcome, seats };
        let _ = ctx.json(&outcome.rounds, &outcome.transfers, Slice::All);
        let _ = ctx.csv(&outcome.rounds, Slice::All);
        let _ = ctx.summary_csv(&outcome.rounds);
        for (slices, by_precinct) in [(&outcome.by_precinct, true), (&outcome.by_batch, false)] {
            let Some(slices) = slices else { continue };
            for (id, rounds) in &slices.rounds {
                let slice = if by_precinct { Slice::Precinct(id) } else { Slice::Batch(id) };
                let _ = ctx.json(rounds, &slices.transfers[id], slice);
                let _ = ctx.csv(rounds, slice);
            }
        }
        if snapshots {
            let _ = cdf_json(&config, &candidates, &outcome.snapshots, &cvrs.records, "2026-01-01T00:00:00Z");
        }
    }
    let _ = rctab_cvr_csv(&config, &cvrs.records, &cvrs.source_ranges, CvrCsvLayout::Tabulation);
    let _ = rctab_cvr_csv(&config, &cvrs.records, &cvrs.source_ranges, CvrCsvLayout::Conversion);
});

/// Records that mark the configuration's first candidates (by name and by
/// alias, excluded ones too): candidate `i` first on `i + 1` records, then
/// the next one second; an overvote and an undeclared write-in where the
/// rules allow two ranks; precincts and batches to split the count by.
fn records_for(config: &ContestConfig) -> Vec<CastVoteRecord> {
    let max_rank = match config.rules.max_rankings {
        MaxRankings::Max => config.max_rankings() + 1,
        MaxRankings::Limit(n) => n as usize,
    };
    let marked: Vec<&str> = config
        .candidates
        .iter()
        .take(MAX_CANDIDATES_MARKED)
        .enumerate()
        .map(|(i, c)| c.aliases.get(i % 2).map_or(c.name.as_str(), String::as_str))
        .collect();
    let record = |n: usize, rankings: Vec<(u32, Mark)>| CastVoteRecord {
        computed_id: format!("fuzz-{n}"),
        supplied_id: n.is_multiple_of(3).then(|| format!("{n}")),
        precinct: (n % 4 != 3).then(|| format!("P{}", n % 2)),
        batch: Some(format!("B{}", n % 3)),
        rankings,
        ..CastVoteRecord::default()
    };
    let mut records = Vec::new();
    for (i, name) in marked.iter().enumerate() {
        for _ in 0..=i {
            let mut rankings = vec![(1, Mark::Candidate((*name).into()))];
            if max_rank >= 2 && marked.len() > 1 {
                rankings.push((2, Mark::Candidate(marked[(i + 1) % marked.len()].into())));
            }
            records.push(record(records.len(), rankings));
        }
    }
    if max_rank >= 2 && marked.len() > 1 {
        let both = vec![(1, Mark::Candidate(marked[0].into())), (1, Mark::Candidate(marked[1].into()))];
        records.push(record(records.len(), both));
        records.push(record(records.len(), vec![(1, Mark::Overvote), (2, Mark::Candidate(marked[1].into()))]));
        records.push(record(records.len(), vec![(2, Mark::UndeclaredWriteIn), (1, Mark::Candidate(marked[0].into()))]));
    }
    records
}
