//! Single-winner benchmarks: the pairwise matrix and every single-winner
//! rule on 1,000,000 random truncated ballots over 10 candidates (drawn from
//! a fixed seed), Schulze and ranked pairs with 200 candidates, and the
//! cardinal rules on 1,000,000 random score ballots (0-5) over 10 candidates.
//!
//! IRV with 2,000 candidates and 1,500 short ballots (1,999 rounds, a tie
//! among the zero-vote candidates in nearly every round) measures the cost
//! of a round and of a tie-break as candidates grow.
//!
//! Targets: pairwise matrix ≤ 40 ms; every rule ≤ 100 ms (Kemeny–Young is
//! measured but has no target); Schulze and ranked pairs with 200 candidates
//! ≤ 50 ms.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use psephos::{CardinalBallotsBuilder, CountOptions, Election, PairwiseMatrix, Rule};
use psephos_benches::{candidates, random_election, SEED};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const RANKED_RULES: &[&str] = &[
    "borda",
    "dowdall",
    "anti-plurality",
    "coombs",
    "baldwin",
    "nanson",
    "bucklin",
    "btr-irv",
    "copeland",
    "minimax",
    "ranked-pairs",
    "schulze",
    "kemeny-young",
    "smith-irv",
    "condorcet-irv",
];

const CARDINAL_RULES: &[&str] = &["approval", "score", "score:average", "star", "majority-judgment"];

/// `n_ballots` score ballots over `n` candidates, each score uniform in 0..=max.
fn random_scores(n_ballots: usize, n: usize, max: u16, seed: u64) -> Election {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut b = CardinalBallotsBuilder::new(n, max).expect("valid maximum");
    let mut row = vec![None; n];
    for _ in 0..n_ballots {
        for s in row.iter_mut() {
            *s = Some(rng.random_range(0..=max));
        }
        b.push(&row, 1).expect("valid scores");
    }
    Election::from_cardinal(candidates(n), 1, b.build()).expect("valid by construction")
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

fn ranked(c: &mut Criterion) {
    let e = random_election(1_000_000, 10, SEED);
    let opts = CountOptions::default();
    let mut g = c.benchmark_group("single_winner_1m_10");
    g.bench_function("pairwise", |b| b.iter(|| PairwiseMatrix::from_ballots(e.ranked().expect("ranked"))));
    for id in RANKED_RULES {
        let rule: Rule = id.parse().expect("catalogued");
        g.bench_function(*id, |b| b.iter(|| rule.count(&e, &opts).expect("counts")));
    }
    // The Condorcet rules above left the store its pairwise matrix, which
    // the Borda count then reads instead of making a pass.
    let borda: Rule = "borda".parse().expect("catalogued");
    g.bench_function("borda_from_matrix", |b| b.iter(|| borda.count(&e, &opts).expect("counts")));
    g.finish();
}

fn many_candidates(c: &mut Criterion) {
    let e = random_election(1_000, 200, SEED);
    let opts = CountOptions::default();
    let mut g = c.benchmark_group("single_winner_1k_200");
    for id in ["schulze", "ranked-pairs"] {
        let rule: Rule = id.parse().expect("catalogued");
        g.bench_function(id, |b| b.iter(|| rule.count(&e, &opts).expect("counts")));
    }
    g.finish();
}

/// `n_ballots` ballots over `n` candidates, each ranking 1 to 3 of them at
/// random: most candidates get no first choice, so IRV eliminates almost
/// all of them one round at a time, breaking a tie among the zero-vote
/// candidates in every round.
fn sparse_election(n_ballots: usize, n: usize, seed: u64) -> Election {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut b = psephos::RankedBallotsBuilder::new(n);
    for _ in 0..n_ballots {
        for _ in 0..rng.random_range(1..=3) {
            b.push(psephos::CandidateId(rng.random_range(0..n) as u16));
        }
        b.finish(1).expect("weight 1");
    }
    Election::from_raw(candidates(n), 1, b.build(), psephos::NormalisePolicy::default()).expect("valid by construction")
}

/// IRV with thousands of candidates (a round per elimination).
fn irv_many_candidates(c: &mut Criterion) {
    let e = sparse_election(1_500, 2_000, SEED);
    let irv: Rule = "irv".parse().expect("catalogued");
    let opts = CountOptions::default();
    let mut g = c.benchmark_group("irv_many_candidates");
    g.bench_function("1.5k_ballots_2000_candidates", |b| b.iter(|| irv.count(&e, &opts).expect("counts")));
    g.finish();
}

fn cardinal(c: &mut Criterion) {
    let scores = random_scores(1_000_000, 10, 5, SEED);
    let approvals = random_scores(1_000_000, 10, 1, SEED);
    let opts = CountOptions::default();
    let mut g = c.benchmark_group("single_winner_cardinal_1m_10");
    for id in CARDINAL_RULES {
        let rule: Rule = id.parse().expect("catalogued");
        let e = if *id == "approval" { &approvals } else { &scores };
        g.bench_function(*id, |b| b.iter(|| rule.count(e, &opts).expect("counts")));
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = ranked, many_candidates, irv_many_candidates, cardinal
}
criterion_main!(benches);
