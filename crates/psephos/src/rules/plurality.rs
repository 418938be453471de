//! First past the post (plurality).
//!
//! Each ballot counts for its first choice; the candidate with the most votes
//! wins, majority or not. On ranked ballots only the first rank is read, so a
//! ballot whose first rank is overvoted is inactive (reason `overvote`) under
//! the default policy.
//!
//! Source: the Elections Act 2022, s. 13 and sch. 8, which replaced the
//! Supplementary Vote with first past the post for the Mayor of London from
//! the 2024 election; the count itself is the common-law plurality rule of UK
//! parliamentary elections (Representation of the People Act 1983, sch. 1,
//! rule 50: "the candidate ... to whom the majority of votes is given shall be
//! declared to have been elected").
//!
//! ```
//! use psephos::{rules::plurality, CountOptions, Election};
//! let e = Election::from_rankings(&["Khan", "Hall"], &[(1_088_225, &["Khan"]), (812_397, &["Hall"])]).unwrap();
//! let t = plurality::count(&e, &CountOptions::default()).unwrap();
//! assert_eq!(t.rounds.len(), 1);
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "Khan");
//! ```

use super::transfer::{Count, Piles};
use super::CountOptions;
use crate::election::Election;
use crate::error::CountError;
use crate::tabulation::{ElectedReason, Event, Tabulation};
use crate::tiebreak::TieBreaker;

/// Counts first choices and elects the leader.
pub fn count(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "plurality")?;
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let round = Piles::first_round(ballots, &super::standing(election), 1);
    let tally = round.tally.clone();
    count.rounds.push(round);
    let winner = count.pick_extreme(&tally, 1, true)?[0];
    count.event(Event::Elected { candidate: winner, reason: ElectedReason::MostVotes });
    Ok(count.finish("plurality", ballots.total_weight(), vec![winner]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CandidateId, TieBreak, TieKind};

    #[test]
    fn most_first_choices_wins_without_majority() {
        let e = Election::from_rankings(&["A", "B", "C"], &[(40, &["A", "B"]), (35, &["B", "C"]), (25, &["C", "B"])])
            .unwrap();
        let t = count(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.winner(), Some(CandidateId(0)));
        assert_eq!(t.rounds[0].votes(CandidateId(1)), Some(35));
        t.check_conservation().unwrap();
    }

    #[test]
    fn ties_go_through_the_chain_and_are_recorded() {
        let e = Election::from_rankings(&["A", "B"], &[(5, &["A"]), (5, &["B"])]).unwrap();
        let t = count(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.winner(), Some(CandidateId(0)));
        assert_eq!(t.ties.len(), 1);
        assert_eq!(t.ties[0].kind, TieKind::Election);
        let strict = CountOptions { tie_break: "previous-rounds".parse::<TieBreak>().unwrap() };
        assert!(count(&e, &strict).is_err());
    }

    #[test]
    fn overvoted_first_rank_is_inactive() {
        let e = Election::from_rankings(&["A", "B"], &[(5, &["A=B"]), (2, &["B"])]).unwrap();
        let t = count(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[0].inactive.get(crate::InactiveReason::Overvote), 5);
        assert_eq!(t.winner(), Some(CandidateId(1)));
    }
}
