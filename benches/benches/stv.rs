//! STV benchmarks: Scottish STV on a ward-sized count (4 seats, 12
//! candidates, 7,000 ballots), and Scottish STV and Meek on 100,000 unique
//! weighted ballots over 20 candidates for 5 seats.
//!
//! Ballots are drawn from a fixed seed: candidates have unequal support
//! (candidate i is picked with weight 20 - i at each rank), so counts see
//! both surplus transfers and exclusions.

use criterion::{criterion_group, criterion_main, Criterion};
use psephos::{CandidateId, Candidates, CountOptions, Election, NormalisePolicy, RankedBallotsBuilder, Rule};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The seed the ballots are drawn from.
const SEED: u64 = 2007;

/// `unique` drawn ballots (each with a weight from 1 to 20; repeats merge) over
/// `n` candidates, support skewed towards the first candidates.
fn skewed_election(unique: usize, n: usize, seats: u32, seed: u64) -> Election {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut b = RankedBallotsBuilder::with_capacity(n, unique, unique * n / 2);
    let mut rows = 0;
    while rows < unique {
        let mut left: Vec<usize> = (0..n).collect();
        let len = rng.random_range(1..=n);
        for _ in 0..len {
            let total: usize = left.iter().map(|&c| n + 2 - c).sum();
            let mut pick = rng.random_range(0..total);
            let mut at = 0;
            while pick >= n + 2 - left[at] {
                pick -= n + 2 - left[at];
                at += 1;
            }
            b.push(CandidateId(left.remove(at) as u16));
        }
        b.finish(rng.random_range(1..=20)).expect("small weights");
        rows += 1;
    }
    let raw = b.build();
    Election::from_raw(Candidates::from_names((1..=n).map(|i| format!("C{i}"))), seats, raw, NormalisePolicy::default())
        .expect("valid by construction")
}

fn bench(c: &mut Criterion) {
    let scottish: Rule = "scottish-stv".parse().unwrap();
    let meek: Rule = "meek".parse().unwrap();
    let opts = CountOptions::default();

    let ward = skewed_election(2_000, 12, 4, SEED);
    c.bench_function("scottish_stv_ward_4_seats_12_candidates", |b| b.iter(|| scottish.count(&ward, &opts).unwrap()));

    // Drawn rows that repeat merge; 118,000 draws leave a little over 100,000 unique ballots.
    let big = skewed_election(118_000, 20, 5, SEED + 1);
    eprintln!(
        "large electorate: {} unique ballots, {} in all",
        big.ranked().unwrap().unique_len(),
        big.total_ballots()
    );
    let mut g = c.benchmark_group("stv_100k_unique_20_candidates_5_seats");
    g.sample_size(10);
    g.bench_function("scottish_stv", |b| b.iter(|| scottish.count(&big, &opts).unwrap()));
    g.bench_function("meek", |b| b.iter(|| meek.count(&big, &opts).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
