//! Ranked pairs (Tideman's method).
//!
//! Every pairwise victory is sorted from strongest to weakest and *locked*
//! in that order, skipping any that would close a cycle with victories
//! already locked. The winner is the candidate no locked victory points to.
//! Strength is measured by winning votes (the default; among equal winning
//! votes, the smaller opposing vote is stronger) or by margins
//! ([`Strength`]). Pairwise ties are never locked.
//!
//! Victories of exactly equal strength are ordered by a tie-breaking ranking
//! of the candidates (Tideman's "TBRC"): the ranking the tie-break chain
//! gives when asked for a whole order (each step of it a recorded tie
//! decision, made only when equal strengths occur). Of two equal victories,
//! the one whose winner ranks higher in the TBRC is locked first, then the
//! one whose loser ranks lower.
//!
//! Source: T. N. Tideman, "Independence of clones as a criterion for voting
//! rules", *Social Choice and Welfare* 4 (1987) 185–206; T. M. Zavist and
//! T. N. Tideman, "Complete independence of clones in the ranked pairs
//! rule", *Social Choice and Welfare* 6 (1989) 167–173 (the TBRC).
//!
//! Cycle checks use a transitive closure kept as bitsets, so locking is
//! O(n) words per victory. The tally holds, for each candidate, how many
//! others are **not** above it in the locked order; the winner (the source
//! of the locked graph) has all `n - 1`. A Condorcet winner always wins, and
//! the winner is always in the Smith set.
//!
//! ```
//! use psephos::{rules::condorcet::{ranked_pairs, Strength}, CountOptions, Election};
//! // A beats B 65-35, B beats C 75-25, C beats A 60-40: the weakest, C over A, is skipped.
//! let e = Election::from_rankings(&["A", "B", "C"], &[(40, &["A", "B", "C"]), (35, &["B", "C", "A"]), (25, &["C", "A", "B"])]).unwrap();
//! let t = ranked_pairs::count(&e, &CountOptions::default(), Strength::Margins).unwrap();
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "A");
//! ```

use std::cmp::Reverse;

use super::Strength;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::pairwise::PairwiseMatrix;
use crate::rules::scored::{best, scores_round};
use crate::rules::transfer::Count;
use crate::rules::CountOptions;
use crate::tabulation::{ElectedReason, Event, Tabulation};
use crate::tiebreak::{TieBreaker, TieKind};

/// One pairwise victory, by positions in the candidate list counted.
#[derive(Clone, Copy)]
struct Victory {
    winner: usize,
    loser: usize,
    strength: u64,
    /// The ballots preferring the loser (the smaller, the stronger, under
    /// winning votes).
    opposition: u64,
}

/// Counts under ranked pairs.
pub fn count(election: &Election, options: &CountOptions, strength: Strength) -> Result<Tabulation, CountError> {
    count_unlabelled(election, options, strength).map(|t| t.labelled(crate::Rule::RankedPairs(strength)))
}

fn count_unlabelled(election: &Election, options: &CountOptions, strength: Strength) -> Result<Tabulation, CountError> {
    let s = super::setup(election, "ranked-pairs")?;
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    // The round goes in first, so that tie decisions taken while locking are
    // recorded as round 1's.
    count.rounds.push(scores_round(1, Vec::new(), 1, s.blank));
    let order = lock_order(&s.matrix, &s.standing, strength, &mut count)?;
    let k = s.standing.len();
    let tally: Vec<(CandidateId, u64)> = (0..k).map(|i| (s.standing[i], (k - 1 - order.above[i]) as u64)).collect();
    count.rounds[0].tally = tally.clone();
    let winner = best(&mut count, &tally, false)?;
    count.event(Event::Elected { candidate: winner, reason: ElectedReason::MostVotes });
    let mut t = count.finish("ranked-pairs", s.total, vec![winner]);
    t.pairwise = Some(s.matrix);
    Ok(t)
}

/// The locked graph.
struct Locked {
    /// `above[i]`: how many candidates reach position i along locked victories.
    above: Vec<usize>,
}

fn lock_order(
    m: &PairwiseMatrix,
    among: &[CandidateId],
    strength: Strength,
    count: &mut Count<'_>,
) -> Result<Locked, CountError> {
    let k = among.len();
    let mut victories = Vec::new();
    for i in 0..k {
        for j in 0..k {
            let st = strength.of(m, among[i], among[j]);
            if i != j && st > 0 {
                victories.push(Victory { winner: i, loser: j, strength: st, opposition: m.get(among[j], among[i]) });
            }
        }
    }
    let key = |v: &Victory| match strength {
        Strength::WinningVotes => (Reverse(v.strength), v.opposition),
        Strength::Margins => (Reverse(v.strength), 0),
    };
    victories.sort_by_key(key);
    if victories.windows(2).any(|w| key(&w[0]) == key(&w[1])) {
        // Equal strengths: order them by the tie-breaking ranking.
        let tbrc = tie_breaking_ranking(among, count)?;
        victories.sort_by_key(|v| (key(v), tbrc[v.winner], Reverse(tbrc[v.loser])));
    }
    let words = k.div_ceil(64).max(1);
    // reach[i]: positions reachable from i along locked victories (i itself included).
    let mut reach = vec![0u64; k * words];
    for i in 0..k {
        reach[i * words + i / 64] |= 1 << (i % 64);
    }
    let has = |reach: &[u64], from: usize, to: usize| reach[from * words + to / 64] & (1 << (to % 64)) != 0;
    for v in &victories {
        if has(&reach, v.winner, v.loser) || has(&reach, v.loser, v.winner) {
            // Already implied, or it would close a cycle.
            continue;
        }
        let add: Vec<u64> = reach[v.loser * words..v.loser * words + words].to_vec();
        for a in 0..k {
            if has(&reach, a, v.winner) {
                for (x, &y) in reach[a * words..a * words + words].iter_mut().zip(&add) {
                    *x |= y;
                }
            }
        }
    }
    let above = (0..k).map(|i| (0..k).filter(|&a| a != i && has(&reach, a, i)).count()).collect();
    Ok(Locked { above })
}

/// Positions in the tie-breaking ranking (0 = first), drawn from the chain.
fn tie_breaking_ranking(among: &[CandidateId], count: &mut Count<'_>) -> Result<Vec<usize>, CountError> {
    let mut left: Vec<CandidateId> = among.to_vec();
    let mut place = vec![0usize; among.len()];
    let mut next = 0;
    while !left.is_empty() {
        let pick = if left.len() == 1 { left[0] } else { count.choose(TieKind::Election, &left)? };
        let i = among.iter().position(|&c| c == pick).expect("picked from among");
        place[i] = next;
        next += 1;
        left.retain(|&c| c != pick);
    }
    Ok(place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locking_skips_the_weakest_link_of_a_cycle() {
        // Margins: A>B 30, B>C 50, C>A 20.
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(40, &["A", "B", "C"]), (35, &["B", "C", "A"]), (25, &["C", "A", "B"])],
        )
        .unwrap();
        let t = count(&e, &CountOptions::default(), Strength::Margins).unwrap();
        let id = |n| e.candidates.id_of(n).unwrap();
        // Locked: B>C, A>B; C>A skipped. Order A, B, C.
        assert_eq!(t.rounds[0].tally, vec![(id("A"), 2), (id("B"), 1), (id("C"), 0)]);
    }

    #[test]
    fn equal_strengths_use_the_chain_and_are_recorded() {
        // A perfect three-way cycle of equal strength.
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(1, &["A", "B", "C"]), (1, &["B", "C", "A"]), (1, &["C", "A", "B"])],
        )
        .unwrap();
        let t = count(&e, &CountOptions::default(), Strength::WinningVotes).unwrap();
        assert!(!t.ties.is_empty());
        // TBRC by candidate order A, B, C: A>B locked first, then B>C; C>A skipped.
        assert_eq!(e.candidates.name(t.winner().unwrap()), "A");
    }
}
