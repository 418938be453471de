//! From a configuration to a count: read every CVR source, resolve names
//! and aliases to candidates, and check each record against the rules.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::PathBuf;

use psephos_io::cvr::{self, CastVoteRecord, CvrError, Mark};

use crate::config::{ContestConfig, Provider, TiebreakMode, WinnerElectionMode};
use crate::tabulator::{self, Ballot, Candidates, TabulateError, UNDECLARED_WRITE_INS};

/// Why an RCTab contest could not be counted.
#[derive(Debug, thiserror::Error)]
pub enum RctabError {
    /// The configuration is unreadable or invalid.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// A CVR file could not be read.
    #[error(transparent)]
    Cvr(#[from] CvrError),
    /// A CVR names a candidate the configuration does not declare.
    #[error("{path}: record {record}: unrecognized candidate {name:?} (not a declared name or alias)")]
    UnknownCandidate {
        /// The source file.
        path: PathBuf,
        /// The record.
        record: String,
        /// The name as written.
        name: String,
    },
    /// A CVR ranks more than the rules allow.
    #[error("{path}: record {record}: a ranking at rank {rank} exceeds maxRankingsAllowed ({max})")]
    TooManyRankings {
        /// The source file.
        path: PathBuf,
        /// The record.
        record: String,
        /// The offending rank.
        rank: u32,
        /// The limit.
        max: usize,
    },
    /// The count could not finish.
    #[error(transparent)]
    Tabulate(#[from] TabulateError),
    /// A report could not be written.
    #[error("{path}: cannot write the report: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// The records of every source, in source order, with where each source's records start.
#[derive(Clone, Debug)]
pub struct LoadedCvrs {
    /// Every record.
    pub records: Vec<CastVoteRecord>,
    /// Per source, the range of its records in `records`.
    pub source_ranges: Vec<std::ops::Range<usize>>,
}

/// Read every source of the configuration.
///
/// # Errors
///
/// [`RctabError`]: an unreadable source (naming file and record), an
/// unsupported provider, a record with more rankings than allowed.
pub fn read_sources(config: &ContestConfig) -> Result<LoadedCvrs, RctabError> {
    let max = config.max_rankings();
    // With `max`, a ballot may rank every candidate, undeclared write-ins included.
    let limit = match config.rules.max_rankings {
        crate::config::MaxRankings::Max => max + 1,
        crate::config::MaxRankings::Limit(n) => n as usize,
    };
    let read_one = |source: &crate::config::CvrSource| -> Result<Vec<CastVoteRecord>, RctabError> {
        let mut options = source.options.clone();
        options.max_rankings = max;
        let read = match source.provider {
            Provider::Ess => cvr::ess::read_path(&source.path, &options)?,
            Provider::Cdf => cvr::cdf::read_path(&source.path, &options)?,
            Provider::Dominion => cvr::dominion::read_path(&source.path, &options)?,
            Provider::Hart => cvr::hart::read_path(&source.path, &options)?,
            Provider::ClearBallot => cvr::clear_ballot::read_path(&source.path, &options)?,
            Provider::GenericCsv => cvr::generic_csv::read_path(&source.path, &options)?,
        };
        for r in &read {
            if let Some(&(rank, _)) = r.rankings.iter().find(|(rank, _)| *rank as usize > limit) {
                return Err(RctabError::TooManyRankings {
                    path: source.path.clone(),
                    record: r.id().to_owned(),
                    rank,
                    max: limit,
                });
            }
        }
        Ok(read)
    };
    // Sources are independent: read them on every core, keeping their order.
    let n = config.sources.len();
    let workers = std::thread::available_parallelism().map_or(1, |p| p.get()).min(n).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<Result<Vec<CastVoteRecord>, RctabError>>> = (0..n).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= n {
                            break done;
                        }
                        done.push((i, read_one(&config.sources[i])));
                    }
                })
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().expect("a reader thread does not panic") {
                slots[i] = Some(r);
            }
        }
    });
    let total = slots.iter().map(|s| s.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len)).sum();
    let mut records = Vec::with_capacity(total);
    let mut source_ranges = Vec::with_capacity(n);
    for slot in slots {
        let read = slot.expect("every source is read")?;
        let start = records.len();
        records.extend(read);
        source_ranges.push(start..records.len());
    }
    Ok(LoadedCvrs { records, source_ranges })
}

/// The contest's candidates: declared ones in order, then undeclared
/// write-ins when a source has a write-in label or a record holds one.
pub fn candidates(config: &ContestConfig, cvrs: &LoadedCvrs) -> Candidates {
    let mut names: Vec<String> = config.candidates.iter().map(|c| c.name.clone()).collect();
    let mut excluded: Vec<bool> = config.candidates.iter().map(|c| c.excluded).collect();
    let has_uwi = config.has_undeclared_write_ins()
        || cvrs.records.iter().any(|r| r.rankings.iter().any(|(_, m)| *m == Mark::UndeclaredWriteIn));
    let mut undeclared_write_ins = None;
    if has_uwi {
        undeclared_write_ins = Some(names.len());
        names.push(UNDECLARED_WRITE_INS.to_owned());
        excluded.push(false);
    }
    Candidates { names, excluded, undeclared_write_ins }
}

/// Resolve every record's marks to candidate indices.
///
/// # Errors
///
/// [`RctabError::UnknownCandidate`] for a name that is neither a declared
/// name nor an alias.
pub fn ballots(config: &ContestConfig, candidates: &Candidates, cvrs: &LoadedCvrs) -> Result<Vec<Ballot>, RctabError> {
    ballots_grouped(config, candidates, cvrs, false)
}

/// As [`ballots`]; with `group`, identical ballots (same marks, and same
/// precinct and batch where the count is split by them) are counted once
/// with a weight, which gives the same results (RCTab's arithmetic is per
/// ballot, and identical ballots get identical values) much faster.
///
/// # Errors
///
/// As [`ballots`].
pub fn ballots_grouped(
    config: &ContestConfig,
    candidates: &Candidates,
    cvrs: &LoadedCvrs,
    group: bool,
) -> Result<Vec<Ballot>, RctabError> {
    let by_precinct = config.output.tabulate_by_precinct;
    let by_batch = config.output.tabulate_by_batch;
    // Distinct ballots by the hash of (marks, precinct, batch): the indices
    // in `ballots` of those with that hash, compared in full on a hit.
    let hasher = foldhash::fast::RandomState::default();
    let mut seen: HashMap<u64, Vec<usize>, foldhash::fast::RandomState> = HashMap::default();
    let mut lookup: HashMap<&str, u32, foldhash::fast::RandomState> = HashMap::default();
    for (i, c) in config.candidates.iter().enumerate() {
        lookup.insert(&c.name, i as u32);
        for a in &c.aliases {
            lookup.insert(a, i as u32);
        }
    }
    let overvote = candidates.overvote() as u32;
    let mut ballots: Vec<Ballot> = Vec::with_capacity(if group { 1024 } else { cvrs.records.len() });
    let mut marks: Vec<(u32, u32)> = Vec::new();
    for (s, range) in cvrs.source_ranges.iter().enumerate() {
        for r in &cvrs.records[range.clone()] {
            marks.clear();
            for (rank, mark) in &r.rankings {
                let c = match mark {
                    Mark::Overvote => overvote,
                    Mark::UndeclaredWriteIn => {
                        candidates.undeclared_write_ins.expect("present when a record holds one") as u32
                    }
                    Mark::Candidate(name) => match lookup.get(&**name) {
                        Some(&c) => c,
                        None if &**name == UNDECLARED_WRITE_INS && candidates.undeclared_write_ins.is_some() => {
                            candidates.undeclared_write_ins.expect("checked") as u32
                        }
                        None => {
                            return Err(RctabError::UnknownCandidate {
                                path: config.sources[s].path.clone(),
                                record: r.id().to_owned(),
                                name: name.to_string(),
                            })
                        }
                    },
                };
                marks.push((*rank, c));
            }
            marks.sort_by_key(|m| m.0);
            if group {
                let precinct = if by_precinct { r.precinct.as_deref() } else { None };
                let batch = if by_batch { r.batch.as_deref() } else { None };
                let hash = hasher.hash_one((&marks, precinct, batch));
                let same = seen.entry(hash).or_default();
                if let Some(&i) = same.iter().find(|&&i| {
                    let b = &ballots[i];
                    *b.marks == *marks && b.precinct.as_deref() == precinct && b.batch.as_deref() == batch
                }) {
                    ballots[i].weight += 1;
                    continue;
                }
                same.push(ballots.len());
                ballots.push(Ballot {
                    id: r.id().to_owned(),
                    precinct: precinct.map(str::to_owned),
                    batch: batch.map(str::to_owned),
                    marks: marks.as_slice().into(),
                    weight: 1,
                });
                continue;
            }
            ballots.push(Ballot {
                id: r.id().to_owned(),
                precinct: r.precinct.clone(),
                batch: r.batch.clone(),
                marks: marks.as_slice().into(),
                weight: 1,
            });
        }
    }
    Ok(ballots)
}

/// The tabulator's rules for one count of the contest (`seats` is 1 for
/// each pass of a sequential count).
pub fn rules(config: &ContestConfig, candidates: &Candidates, seats: u32) -> tabulator::Rules {
    let r = &config.rules;
    let mut permutation: Vec<String> = config.candidates.iter().map(|c| c.name.clone()).collect();
    if let Some(u) = candidates.undeclared_write_ins {
        permutation.push(candidates.names[u].clone());
    }
    if r.tiebreak_mode != TiebreakMode::UseCandidateOrder && r.tiebreak_mode != TiebreakMode::GeneratePermutation {
        permutation.clear();
    }
    tabulator::Rules {
        seats,
        mode: r.winner_election_mode,
        tiebreak: r.tiebreak_mode,
        overvote: r.overvote_rule,
        random_seed: r.random_seed,
        permutation,
        places: r.decimal_places,
        minimum_vote_threshold: r.minimum_vote_threshold,
        max_skipped: r.max_skipped_ranks,
        bottoms_up_percentage: r.bottoms_up_percentage,
        non_integer_threshold: r.non_integer_winning_threshold,
        first_round_determines_threshold: r.first_round_determines_threshold,
        hare_quota: r.hare_quota,
        batch_elimination: r.batch_elimination,
        cutoff_elimination: r.cutoff_elimination,
        continue_until_two: r.continue_until_two_remain,
        stop_after_round: r.stop_after_round,
        exhaust_on_duplicate: r.exhaust_on_duplicate,
        by_precinct: config.output.tabulate_by_precinct,
        by_batch: config.output.tabulate_by_batch,
        operator: tabulator::OperatorDecision::Stop,
    }
}

/// Whether the configuration asks for sequential single-winner passes.
pub fn is_sequential(config: &ContestConfig) -> bool {
    config.rules.winner_election_mode == WinnerElectionMode::MultiPassIrv
}
