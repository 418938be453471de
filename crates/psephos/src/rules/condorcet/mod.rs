//! Condorcet methods: rules built on the pairwise matrix.
//!
//! A *Condorcet winner* beats every other candidate in a pairwise contest
//! (more ballots rank it above the other than the reverse); the *Smith set*
//! is the smallest set of candidates who each beat everyone outside it. The
//! pairwise convention (unranked candidates below all ranked ones, equal
//! ranks preferring neither) is that of [`PairwiseMatrix`].
//!
//! | id | family | Condorcet winner | within Smith set |
//! |---|---|---|---|
//! | `copeland` | [`copeland`] | yes | yes |
//! | `minimax` | [`minimax`] | yes | no |
//! | `ranked-pairs` | [`ranked_pairs`] | yes | yes |
//! | `schulze` | [`schulze`] | yes | yes |
//! | `kemeny-young` | [`kemeny`] | yes | yes |
//! | `smith-irv` | [`hybrid`] | yes | yes |
//! | `condorcet-irv` | [`hybrid`] | yes | no |
//!
//! Every Condorcet rule attaches the pairwise matrix to its result
//! ([`Tabulation::pairwise`](crate::Tabulation::pairwise)).
//!
//! ```
//! use psephos::{CountOptions, Election, Rule};
//! // A beats B 6-4 and C 6-4; B beats C.
//! let e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(3, &["A", "B", "C"]), (3, &["A", "C", "B"]), (4, &["B", "C", "A"])],
//! ).unwrap();
//! for id in ["copeland", "minimax", "ranked-pairs", "schulze", "kemeny-young", "smith-irv", "condorcet-irv"] {
//!     let t = id.parse::<Rule>().unwrap().count(&e, &CountOptions::default()).unwrap();
//!     assert_eq!(e.candidates.name(t.winner().unwrap()), "A", "{id}");
//!     assert!(t.pairwise.is_some());
//! }
//! ```

use std::fmt;

use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::pairwise::PairwiseMatrix;

pub mod copeland;
pub mod hybrid;
pub mod kemeny;
pub mod minimax;
pub mod ranked_pairs;
pub mod schulze;

/// How the strength of a pairwise defeat is measured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Strength {
    /// Winning votes: the ballots preferring the winner of the contest.
    #[default]
    WinningVotes,
    /// Margins: ballots preferring the winner minus ballots preferring the loser.
    Margins,
}

impl Strength {
    /// The option's name (`winning-votes`, `margins`).
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::WinningVotes => "winning-votes",
            Strength::Margins => "margins",
        }
    }

    /// The strength of `a`'s defeat of `b`, or 0 when `a` does not beat `b`.
    #[inline]
    pub fn of(self, m: &PairwiseMatrix, a: CandidateId, b: CandidateId) -> u64 {
        let (ab, ba) = (m.get(a, b), m.get(b, a));
        if ab <= ba {
            return 0;
        }
        match self {
            Strength::WinningVotes => ab,
            Strength::Margins => ab - ba,
        }
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a Condorcet count starts from.
pub(crate) struct Setup {
    /// The pairwise matrix over every candidate.
    pub(crate) matrix: PairwiseMatrix,
    /// Standing candidates, in candidate order.
    pub(crate) standing: Vec<CandidateId>,
    /// Blank ballots.
    pub(crate) blank: u64,
    /// Ballots cast.
    pub(crate) total: u64,
}

/// The matrix and standing candidates of a ranked election.
pub(crate) fn setup(election: &Election, rule: &'static str) -> Result<Setup, CountError> {
    let ballots = super::ranked(election, rule)?;
    Ok(Setup {
        matrix: ballots.pairwise().clone(),
        standing: election.candidates.standing().collect(),
        blank: super::scored::blank_weight(ballots),
        total: ballots.total_weight(),
    })
}

impl Setup {
    /// A one-round result electing the best of `tally`.
    pub(crate) fn one_round(
        self,
        rule: &'static str,
        tally: Vec<(CandidateId, u64)>,
        scale: u64,
        lowest_wins: bool,
    ) -> super::scored::OneRound {
        super::scored::OneRound {
            rule,
            tally,
            scale,
            lowest_wins,
            total: self.total,
            blank: self.blank,
            pairwise: Some(self.matrix),
        }
    }
}

/// For each of `among`, how many of the others it beats.
pub(crate) fn wins(m: &PairwiseMatrix, among: &[CandidateId]) -> Vec<(CandidateId, u64)> {
    among.iter().map(|&a| (a, among.iter().filter(|&&b| m.beats(a, b)).count() as u64)).collect()
}
