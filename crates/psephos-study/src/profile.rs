//! An electorate's ballots, deduplicated: voters' rankings are tallied by
//! ranking, and each distinct ranking becomes one row of the core's ballot
//! store with its number of voters as weight. A study counts the same few
//! hundred distinct rankings many times over (5 candidates have 120 strict
//! orders, however many voters there are), so every rule and the pairwise
//! matrix then cost the same whatever the number of voters.
//!
//! ```
//! use psephos_study::profile::{candidate_names, ProfileBuilder};
//! let mut p = ProfileBuilder::new(3);
//! p.add(&[0, 1, 2]);
//! p.add(&[0, 1, 2]);
//! p.add(&[2]);
//! let e = p.build(&candidate_names(3));
//! assert_eq!(e.total_ballots(), 3);
//! assert_eq!(e.ranked().unwrap().unique_len(), 2);
//! ```

use foldhash::fast::FixedState;
use hashbrown::HashMap;
use psephos::{CandidateId, Candidates, Election, RankedBallotsBuilder};

/// The most candidates a synthetic electorate may have: a ranking is kept
/// as 5 bits per position in a `u128` while voters are tallied.
pub const MAX_CANDIDATES: usize = 20;

/// Candidates named `A`, `B`, … in ballot-paper order (at most
/// [`MAX_CANDIDATES`]).
pub fn candidate_names(k: usize) -> Candidates {
    Candidates::from_names((0..k).map(|i| char::from(b'A' + i as u8).to_string()))
}

/// Tallies voters' rankings (best first; a ranking may stop early) into a
/// deduplicated election.
#[derive(Clone, Debug)]
pub struct ProfileBuilder {
    k: usize,
    counts: HashMap<u128, u64, FixedState>,
}

impl ProfileBuilder {
    /// A builder for rankings of `k` candidates (at most [`MAX_CANDIDATES`]).
    pub fn new(k: usize) -> Self {
        assert!(k <= MAX_CANDIDATES, "at most {MAX_CANDIDATES} candidates");
        ProfileBuilder { k, counts: HashMap::with_hasher(FixedState::default()) }
    }

    /// One voter's ranking: candidate indices, best first, each at most once.
    pub fn add(&mut self, ranking: &[u16]) {
        self.add_weighted(ranking, 1);
    }

    /// `weight` voters with the same ranking.
    pub fn add_weighted(&mut self, ranking: &[u16], weight: u64) {
        *self.counts.entry(key(ranking)).or_insert(0) += weight;
    }

    /// Voters added so far.
    pub fn voters(&self) -> u64 {
        self.counts.values().sum()
    }

    /// Forgets every voter, keeping the allocation.
    pub fn clear(&mut self) {
        self.counts.clear();
    }

    /// The election: one seat, the distinct rankings in a fixed order (by
    /// their code), so the result never depends on the hash map's order.
    pub fn build(&self, candidates: &Candidates) -> Election {
        let mut rows: Vec<(u128, u64)> = self.counts.iter().map(|(&k, &w)| (k, w)).collect();
        rows.sort_unstable_by_key(|r| r.0);
        let mut b = RankedBallotsBuilder::with_capacity(self.k, rows.len(), rows.len() * self.k);
        for (code, w) in rows {
            let mut c = code;
            while c != 0 {
                b.push(CandidateId((c & 31) as u16 - 1));
                c >>= 5;
            }
            b.finish(w).expect("voters fit in u64");
        }
        Election::from_ranked(candidates.clone(), 1, b.build()).expect("candidates match the rankings")
    }

    /// Builds the election and forgets the voters.
    pub fn take(&mut self, candidates: &Candidates) -> Election {
        let e = self.build(candidates);
        self.clear();
        e
    }
}

/// A ranking as 5 bits per position (candidate index + 1; 0 ends it).
fn key(ranking: &[u16]) -> u128 {
    ranking.iter().enumerate().fold(0u128, |acc, (pos, &c)| acc | (u128::from(c) + 1) << (5 * pos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use psephos::{CountOptions, Rule};

    #[test]
    fn rankings_survive_the_round_trip() {
        let mut p = ProfileBuilder::new(20);
        let long: Vec<u16> = (0..20).rev().collect();
        p.add(&long);
        p.add_weighted(&[3, 1], 4);
        let e = p.build(&candidate_names(20));
        let b = e.ranked().unwrap();
        let rows: Vec<(Vec<usize>, u64)> = b
            .iter()
            .map(|r| {
                (r.levels().flat_map(|l| l.candidates().map(|c| c.index()).collect::<Vec<_>>()).collect(), r.weight)
            })
            .collect();
        assert!(rows.contains(&(long.iter().map(|&c| c as usize).collect(), 1)));
        assert!(rows.contains(&(vec![3, 1], 4)));
        let t = Rule::Plurality.count(&e, &CountOptions::default()).unwrap();
        assert_eq!(e.candidates.name(t.winner().unwrap()), "D");
    }
}
