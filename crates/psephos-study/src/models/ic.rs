//! Impartial culture (IC): every voter ranks all `k` candidates, each of the
//! `k!` strict orders with probability `1/k!`, independently of every other
//! voter. The reference model of social choice theory: G.-T. Guilbaud, "Les
//! théories de l'intérêt général et le problème logique de l'agrégation",
//! *Économie appliquée* 5 (1952), who found that with three candidates and
//! many voters a Condorcet winner exists with probability 0.9123; see W. V.
//! Gehrlein, *Condorcet's Paradox* (Springer, 2006), ch. 2.
//!
//! With at most 8 candidates each voter draws the index of their order
//! among the `k!` (a `u32` uniform below `k!`), and the orders are tallied
//! by index and decoded once (the factorial number system, orders in
//! lexicographic order); with more, each ranking is a Fisher–Yates shuffle.
//! Ranges are `u32` so that the draws are the same on every platform.
//!
//! ```
//! use psephos_study::models::{ic::ImpartialCulture, Scratch};
//! use psephos_study::profile::ProfileBuilder;
//! use rand::SeedableRng;
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let mut out = ProfileBuilder::new(4);
//! ImpartialCulture.draw(4, 101, &mut rng, &mut out, &mut Scratch::default());
//! assert_eq!(out.voters(), 101);
//! ```

use rand::Rng;

use super::Scratch;
use crate::profile::ProfileBuilder;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_index_are_every_order_once_in_lexicographic_order() {
        let mut all = Vec::new();
        let mut r = Vec::new();
        for i in 0..24 {
            nth_order(4, i, &mut r);
            all.push(r.clone());
        }
        let mut sorted = all.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, all);
        assert_eq!(all.len(), 24);
        assert_eq!(all[0], [0, 1, 2, 3]);
        assert_eq!(all[23], [3, 2, 1, 0]);
    }
}

/// The impartial culture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImpartialCulture;

impl ImpartialCulture {
    /// Adds `voters` uniformly random rankings of `k` candidates to `out`.
    pub fn draw<R: Rng + ?Sized>(&self, k: usize, voters: u64, rng: &mut R, out: &mut ProfileBuilder, s: &mut Scratch) {
        if k <= MAX_INDEXED {
            let orders = (1..=k as u32).product::<u32>();
            s.counts.clear();
            s.counts.resize(orders as usize, 0);
            for _ in 0..voters {
                s.counts[rng.random_range(0..orders) as usize] += 1;
            }
            for (index, &n) in s.counts.iter().enumerate().filter(|(_, &n)| n > 0) {
                nth_order(k, index, &mut s.ranking);
                out.add_weighted(&s.ranking, n);
            }
            return;
        }
        for _ in 0..voters {
            shuffle(k, rng, &mut s.ranking);
            out.add(&s.ranking);
        }
    }
}

/// The most candidates whose orders are drawn by index.
pub const MAX_INDEXED: usize = 8;

/// The `index`-th order of `0..k` in lexicographic order (from 0), into `ranking`.
pub fn nth_order(k: usize, mut index: usize, ranking: &mut Vec<u16>) {
    let mut left: Vec<u16> = (0..k as u16).collect();
    let mut f: usize = (1..k).product();
    ranking.clear();
    for i in (1..=k).rev() {
        let j = index / f.max(1);
        index %= f.max(1);
        ranking.push(left.remove(j));
        if i > 1 {
            f /= i - 1;
        }
    }
}

/// A uniformly random order of `0..k`, into `ranking`.
pub fn shuffle<R: Rng + ?Sized>(k: usize, rng: &mut R, ranking: &mut Vec<u16>) {
    ranking.clear();
    ranking.extend(0..k as u16);
    for i in (1..k).rev() {
        let j = rng.random_range(0..=i as u32) as usize;
        ranking.swap(i, j);
    }
}
