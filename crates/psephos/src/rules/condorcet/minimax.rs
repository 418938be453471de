//! The minimax (Simpson–Kramer) method.
//!
//! Each candidate's score is its worst pairwise defeat; the candidate whose
//! worst defeat is smallest wins. With [`Strength::WinningVotes`] a defeat
//! of `x` by `y` measures the ballots preferring `y` to `x`; with
//! [`Strength::Margins`], the margin by which `y` beats `x`. A candidate with
//! no defeat scores 0. (With margins, the usual definition lets an
//! undefeated candidate's score go below 0; that changes no winner, because a
//! candidate below 0 is the Condorcet winner and every other candidate has a
//! defeat.)
//!
//! Sources: P. B. Simpson, "On defining areas of voter choice", *Quarterly
//! Journal of Economics* 83 (1969); G. H. Kramer, "A dynamical model of
//! political equilibrium", *Journal of Economic Theory* 16 (1977).
//!
//! The tally holds each candidate's worst defeat; the **lowest** wins. A
//! Condorcet winner always wins (it alone has no defeat); the winner need
//! not be in the Smith set.
//!
//! ```
//! use psephos::{rules::condorcet::{minimax, Strength}, CountOptions, Election};
//! let e = Election::from_rankings(&["A", "B", "C"], &[(4, &["A", "B", "C"]), (3, &["B", "C", "A"]), (2, &["C", "A", "B"])]).unwrap();
//! let t = minimax::count(&e, &CountOptions::default(), Strength::WinningVotes).unwrap();
//! // A loses to C 5-4, B to A 6-3, C to B 7-2: A's worst defeat (5) is smallest.
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "A");
//! ```

use super::Strength;
use crate::election::Election;
use crate::error::CountError;
use crate::rules::CountOptions;
use crate::tabulation::Tabulation;

/// Counts under minimax.
pub fn count(election: &Election, options: &CountOptions, strength: Strength) -> Result<Tabulation, CountError> {
    count_unlabelled(election, options, strength).map(|t| t.labelled(crate::Rule::Minimax(strength)))
}

fn count_unlabelled(election: &Election, options: &CountOptions, strength: Strength) -> Result<Tabulation, CountError> {
    let s = super::setup(election, "minimax")?;
    let tally = s
        .standing
        .iter()
        .map(|&x| (x, s.standing.iter().map(|&y| strength.of(&s.matrix, y, x)).max().unwrap_or(0)))
        .collect();
    s.one_round("minimax", tally, 1, true).finish(election, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_worst_defeats() {
        // A>B 6-3, B>C 7-2, C>A 5-4.
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(4, &["A", "B", "C"]), (3, &["B", "C", "A"]), (2, &["C", "A", "B"])],
        )
        .unwrap();
        let scores = |t: &Tabulation| t.rounds[0].tally.iter().map(|e| e.1).collect::<Vec<_>>();
        let wv = count(&e, &CountOptions::default(), Strength::WinningVotes).unwrap();
        assert_eq!(scores(&wv), vec![5, 6, 7]);
        let mg = count(&e, &CountOptions::default(), Strength::Margins).unwrap();
        assert_eq!(scores(&mg), vec![1, 3, 5]);
        assert!(wv.pairwise.is_some());
        assert_eq!(mg.winner(), Some(crate::CandidateId(0)));
    }
}
