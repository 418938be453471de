//! The Schulze method (beatpath).
//!
//! The strength of a path of pairwise defeats `a → … → b` is its weakest
//! link; `p[a][b]` is the strength of the strongest path from `a` to `b`.
//! A candidate `a` wins when `p[a][b] ≥ p[b][a]` for every other `b`. Defeat
//! strength is measured by winning votes (the default, as Schulze
//! recommends) or by margins ([`Strength`]). Strongest paths are found by
//! the Floyd–Warshall widest-path recursion, O(n³).
//!
//! Source: M. Schulze, "A new monotonic, clone-independent, reversal
//! symmetric, and Condorcet-consistent single-winner election method",
//! *Social Choice and Welfare* 36 (2011) 267–303, §2.
//!
//! The tally holds, for each candidate `a`, how many others do **not** have a
//! stronger path to `a` than `a` has to them; the winners are exactly those
//! with all `n - 1` (ties among them go to the tie-break chain). A Condorcet
//! winner always wins, and the winner is always in the Smith set.
//!
//! ```
//! use psephos::{rules::condorcet::{schulze, Strength}, CountOptions, Election};
//! let e = Election::from_rankings(&["A", "B", "C"], &[(4, &["A", "B", "C"]), (3, &["B", "C", "A"]), (2, &["C", "A", "B"])]).unwrap();
//! let t = schulze::count(&e, &CountOptions::default(), Strength::WinningVotes).unwrap();
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "A");
//! ```

use super::Strength;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::pairwise::PairwiseMatrix;
use crate::rules::CountOptions;
use crate::tabulation::Tabulation;

/// Strongest-path strengths among `among`: `p[i * k + j]` for positions i, j.
pub fn strongest_paths(m: &PairwiseMatrix, among: &[CandidateId], strength: Strength) -> Vec<u64> {
    let k = among.len();
    let mut p = vec![0u64; k * k];
    for (i, &a) in among.iter().enumerate() {
        for (j, &b) in among.iter().enumerate() {
            if i != j {
                p[i * k + j] = strength.of(m, a, b);
            }
        }
    }
    for via in 0..k {
        let row_via: Vec<u64> = p[via * k..via * k + k].to_vec();
        for i in 0..k {
            let to_via = p[i * k + via];
            if i == via || to_via == 0 {
                continue;
            }
            let row = &mut p[i * k..i * k + k];
            for (x, &y) in row.iter_mut().zip(&row_via) {
                let through = to_via.min(y);
                if through > *x {
                    *x = through;
                }
            }
        }
    }
    for i in 0..k {
        p[i * k + i] = 0;
    }
    p
}

/// Counts under the Schulze method.
pub fn count(election: &Election, options: &CountOptions, strength: Strength) -> Result<Tabulation, CountError> {
    count_unlabelled(election, options, strength).map(|t| t.labelled(crate::Rule::Schulze(strength)))
}

fn count_unlabelled(election: &Election, options: &CountOptions, strength: Strength) -> Result<Tabulation, CountError> {
    let s = super::setup(election, "schulze")?;
    let k = s.standing.len();
    let p = strongest_paths(&s.matrix, &s.standing, strength);
    let tally = (0..k)
        .map(|i| (s.standing[i], (0..k).filter(|&j| j != i && p[j * k + i] <= p[i * k + j]).count() as u64))
        .collect();
    s.one_round("schulze", tally, 1, false).finish(election, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schulze_example_1() -> Election {
        crate::examples::schulze_2011_example_1()
    }

    #[test]
    fn schulze_paper_example_1_elects_e() {
        let e = schulze_example_1();
        let t = count(&e, &CountOptions::default(), Strength::WinningVotes).unwrap();
        assert_eq!(e.candidates.name(t.winner().unwrap()), "E");
        let m = t.pairwise.as_ref().unwrap();
        let id = |n| e.candidates.id_of(n).unwrap();
        // d[A,B] = 20, d[B,A] = 25 (the paper's matrix).
        assert_eq!((m.get(id("A"), id("B")), m.get(id("B"), id("A"))), (20, 25));
        let all: Vec<CandidateId> = e.candidates.ids().collect();
        let p = strongest_paths(m, &all, Strength::WinningVotes);
        // The strongest paths from E: 25 to A, 28 to B, 28 to C, 31 to D.
        assert_eq!(&p[4 * 5..4 * 5 + 4], &[25, 28, 28, 31]);
        assert!(t.ties.is_empty());
    }
}
