//! Copeland's method.
//!
//! Each candidate scores a point for every other candidate it beats in a
//! pairwise contest and a declared fraction of a point for every pairwise
//! tie; the highest score wins. The original (A. H. Copeland, "A reasonable
//! social welfare function", University of Michigan seminar, 1951) scores
//! wins minus losses, which orders candidates exactly as one point a win and
//! half a point a tie ([`TiePoints::Half`]). The default here counts wins
//! only ([`TiePoints::Zero`]); Ramon Llull's rule (*Artifitium electionis
//! personarum*, c. 1283) gives a tie a full point ([`TiePoints::One`]).
//!
//! The tally holds each candidate's score in half points (scale 2): twice its
//! wins plus 0, 1 or 2 for each tie. A Condorcet winner always wins, and the
//! winner is always in the Smith set.
//!
//! ```
//! use psephos::{rules::condorcet::copeland::{self, CopelandOptions}, CountOptions, Election};
//! let e = Election::from_rankings(&["A", "B", "C"], &[(2, &["A", "B", "C"]), (1, &["C", "B", "A"])]).unwrap();
//! let t = copeland::count(&e, &CountOptions::default(), CopelandOptions::default()).unwrap();
//! assert_eq!(t.rounds[0].votes(e.candidates.id_of("A").unwrap()), Some(4)); // two wins
//! ```

use std::fmt;

use crate::election::Election;
use crate::error::CountError;
use crate::rules::CountOptions;
use crate::tabulation::Tabulation;

/// What a pairwise tie is worth.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TiePoints {
    /// Nothing: the score counts wins.
    #[default]
    Zero,
    /// Half a point (equivalent to wins minus losses).
    Half,
    /// A full point (Llull).
    One,
}

/// Copeland options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CopelandOptions {
    /// What a pairwise tie is worth.
    pub ties: TiePoints,
}

impl CopelandOptions {
    /// Wins only.
    pub const STANDARD: CopelandOptions = CopelandOptions { ties: TiePoints::Zero };
    /// Half a point a tie.
    pub const HALF: CopelandOptions = CopelandOptions { ties: TiePoints::Half };
    /// Llull: a point a tie.
    pub const LLULL: CopelandOptions = CopelandOptions { ties: TiePoints::One };
}

impl fmt::Display for TiePoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TiePoints::Zero => "zero",
            TiePoints::Half => "half",
            TiePoints::One => "llull",
        })
    }
}

/// Counts under Copeland's method.
pub fn count(election: &Election, options: &CountOptions, copeland: CopelandOptions) -> Result<Tabulation, CountError> {
    count_unlabelled(election, options, copeland).map(|t| t.labelled(crate::Rule::Copeland(copeland)))
}

fn count_unlabelled(
    election: &Election,
    options: &CountOptions,
    copeland: CopelandOptions,
) -> Result<Tabulation, CountError> {
    let s = super::setup(election, "copeland")?;
    let tie = match copeland.ties {
        TiePoints::Zero => 0,
        TiePoints::Half => 1,
        TiePoints::One => 2,
    };
    let m = &s.matrix;
    let tally = s
        .standing
        .iter()
        .map(|&a| {
            let score = s
                .standing
                .iter()
                .filter(|&&b| b != a)
                .map(|&b| match m.get(a, b).cmp(&m.get(b, a)) {
                    std::cmp::Ordering::Greater => 2,
                    std::cmp::Ordering::Equal => tie,
                    std::cmp::Ordering::Less => 0,
                })
                .sum::<u64>();
            (a, score)
        })
        .collect();
    s.one_round("copeland", tally, 2, false).finish(election, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tie_points_change_the_winner() {
        // A beats C, ties B; B ties A, ties C... B: 0 wins, 2 ties; A: 1 win, 1 tie; C: 0 wins.
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(1, &["A", "C", "B"]), (1, &["B", "A", "C"]), (1, &["C", "B", "A"]), (1, &["A", "B", "C"])],
        )
        .unwrap();
        let t = count(&e, &CountOptions::default(), CopelandOptions::LLULL).unwrap();
        assert_eq!(t.rounds[0].kind, crate::RoundKind::Scores { scale: 2 });
        let a = e.candidates.id_of("A").unwrap();
        assert_eq!(t.rounds[0].votes(a), Some(2 + 2));
    }
}
