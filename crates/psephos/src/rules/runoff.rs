//! The two-round system, its runoff decided on the same ballots.
//!
//! A candidate with more than half of the first-round votes is elected.
//! Otherwise exactly the two candidates with the most votes go through (a tie
//! for second place is broken by the tie-break chain) and every ballot counts
//! in the second round for whichever of the two it ranks higher; a ballot
//! that ranks neither abstains (reason `exhausted`).
//!
//! This models a two-round election (France's presidential election,
//! Constitution of 4 October 1958, art. 7: "if no candidate has an absolute
//! majority in the first round, a second round is held ... only the two
//! candidates who received the most votes in the first round may stand")
//! with the second round held on the same voters' stated rankings, so turnout
//! is the same in both rounds.
//!
//! ```
//! use psephos::{rules::runoff, CountOptions, Election};
//! let e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(40, &["A", "C"]), (35, &["B", "C"]), (25, &["C", "B"])],
//! ).unwrap();
//! let t = runoff::count(&e, &CountOptions::default()).unwrap();
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "B");
//! ```

use super::supplementary::{top_two, Finalists};
use super::CountOptions;
use crate::election::Election;
use crate::error::CountError;
use crate::tabulation::Tabulation;

/// Counts a two-round election on ranked ballots.
pub fn count(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    top_two(election, options, "two-round", usize::MAX, Finalists::ExactlyTwo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CandidateId;

    #[test]
    fn tie_for_second_is_broken_and_recorded() {
        let e =
            Election::from_rankings(&["A", "B", "C"], &[(40, &["A"]), (30, &["B", "C"]), (30, &["C", "B"])]).unwrap();
        let t = count(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.ties.len(), 1);
        assert_eq!(t.ties[0].chosen, CandidateId(1));
        assert_eq!(t.rounds[1].tally.len(), 2);
        assert_eq!(t.winner(), Some(CandidateId(1)));
        t.check_conservation().unwrap();
    }
}
