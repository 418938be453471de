//! The Kemeny–Young method, computed exactly.
//!
//! Every ranking of the candidates scores the sum, over every pair it orders
//! `a` above `b`, of the ballots preferring `a` to `b`; the rankings with the
//! highest score are the most agreed with, and the winner is the first
//! candidate of such a ranking.
//!
//! Sources: J. G. Kemeny, "Mathematics without numbers", *Daedalus* 88
//! (1959) 577–591; H. P. Young and A. Levenglick, "A consistent extension
//! of Condorcet's election principle", *SIAM Journal on Applied
//! Mathematics* 35 (1978) 285–300.
//!
//! Finding the best ranking is NP-hard, so the count is exact by dynamic
//! programming over subsets (O(2^n n²), after Held and Karp) and refuses more
//! than [`MAX_CANDIDATES`] standing candidates. The best score of the
//! candidates in a set `T`, ordered among themselves, is the best over the
//! candidate `c` placed last of the best score of `T ∖ {c}` plus the ballots
//! preferring each member of `T ∖ {c}` to `c`.
//!
//! The tally holds, for each candidate, the score of the best ranking that
//! puts it first; the highest wins, and a tie between several best rankings
//! goes to the tie-break chain. A Condorcet winner always wins, and the winner
//! is always in the Smith set.
//!
//! ```
//! use psephos::{CountOptions, Election, Rule};
//! let e = Election::from_rankings(&["A", "B", "C"], &[(4, &["A", "B", "C"]), (3, &["B", "C", "A"]), (2, &["C", "A", "B"])]).unwrap();
//! let t = "kemeny-young".parse::<Rule>().unwrap().count(&e, &CountOptions::default()).unwrap();
//! // A > B > C agrees with 6 + 4 + 7 = 17 pairwise preferences, more than any other ranking.
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "A");
//! ```

use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::rules::CountOptions;
use crate::tabulation::Tabulation;

/// The most standing candidates the exact count accepts.
pub const MAX_CANDIDATES: usize = 10;

/// Counts under Kemeny–Young.
pub fn count(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    crate::rules::ranked(election, "kemeny-young")?;
    let standing = election.candidates.standing().count();
    if standing > MAX_CANDIDATES {
        return Err(CountError::Unsupported {
            rule: "kemeny-young",
            reason: format!(
                "the exact count is limited to {MAX_CANDIDATES} candidates and this election has {standing}; \
                 use schulze or ranked-pairs, which agree with it whenever a Condorcet winner exists"
            ),
        });
    }
    let s = super::setup(election, "kemeny-young")?;
    let scores = best_first(&s.matrix, &s.standing);
    let mut tally = Vec::with_capacity(scores.len());
    for (c, v) in scores {
        let v = u64::try_from(v)
            .map_err(|_| CountError::Unsupported { rule: "kemeny-young", reason: "ranking scores pass 2^64".into() })?;
        tally.push((c, v));
    }
    s.one_round("kemeny-young", tally, 1, false).finish(election, options)
}

/// For each of `among`, the best Kemeny score of a ranking that puts it first.
fn best_first(m: &crate::PairwiseMatrix, among: &[CandidateId]) -> Vec<(CandidateId, u128)> {
    let k = among.len();
    let p = |i: usize, j: usize| u128::from(m.get(among[i], among[j]));
    let full = (1usize << k) - 1;
    // inner[t]: best score of ordering the set t among itself.
    let mut inner = vec![0u128; 1 << k];
    for t in 1..=full {
        let mut best = 0;
        for c in (0..k).filter(|&c| t & (1 << c) != 0) {
            let rest = t & !(1 << c);
            let above: u128 = (0..k).filter(|&d| rest & (1 << d) != 0).map(|d| p(d, c)).sum();
            best = best.max(inner[rest] + above);
        }
        inner[t] = best;
    }
    (0..k)
        .map(|c| {
            let over: u128 = (0..k).filter(|&d| d != c).map(|d| p(c, d)).sum();
            (among[c], over + inner[full & !(1 << c)])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_more_than_ten_candidates() {
        let names: Vec<String> = (0..11).map(|i| format!("C{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let e = Election::from_rankings(&refs, &[(1, &["C0"])]).unwrap();
        let err = count(&e, &CountOptions::default()).unwrap_err();
        assert!(matches!(err, CountError::Unsupported { rule: "kemeny-young", .. }));
        assert!(err.to_string().contains("limited to 10 candidates"));
    }

    #[test]
    fn matches_brute_force_over_permutations() {
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(4, &["A", "B", "C", "D"]), (3, &["B", "C", "D", "A"]), (2, &["C", "A", "D"]), (2, &["D", "B"])],
        )
        .unwrap();
        let m = crate::PairwiseMatrix::from_ballots(e.ranked().unwrap());
        let all: Vec<CandidateId> = e.candidates.ids().collect();
        let dp = best_first(&m, &all);
        let mut brute = [0u128; 4];
        let mut perm = [0usize, 1, 2, 3];
        permute(&mut perm, 0, &mut |order| {
            let score: u128 = (0..4)
                .flat_map(|i| (i + 1..4).map(move |j| (i, j)))
                .map(|(i, j)| u128::from(m.get(all[order[i]], all[order[j]])))
                .sum();
            brute[order[0]] = brute[order[0]].max(score);
        });
        assert_eq!(dp.iter().map(|e| e.1).collect::<Vec<_>>(), brute.to_vec());
    }

    fn permute(v: &mut [usize; 4], at: usize, f: &mut dyn FnMut(&[usize; 4])) {
        if at == v.len() {
            f(v);
            return;
        }
        for i in at..v.len() {
            v.swap(at, i);
            permute(v, at + 1, f);
            v.swap(at, i);
        }
    }
}
