//! The Bucklin system (Grand Junction system).
//!
//! First choices are counted; if a candidate is ranked first on more than
//! half of the ballots that rank anyone, they win. Otherwise each ballot's
//! second choice is added to the counts, then its third, and so on: as soon
//! as any candidate is ranked within the first `k` places by a majority,
//! the candidate named by the most ballots within those places wins. If no
//! candidate ever reaches a majority, the most votes after every place has
//! been added wins.
//!
//! Source: the charter of Grand Junction, Colorado (1909), art. 7, as
//! described by J. W. Bucklin's contemporaries and in R. A. Hoag and
//! G. H. Hallett, *Proportional Representation* (1926), ch. 14; the standard
//! modern statement is in N. Tideman, *Collective Decisions and Voting*
//! (2006), §13.5.
//!
//! Round `k` holds, for every standing candidate, the ballots that rank them
//! within their first `k` places (an equal ranking counts for every candidate
//! at that place). A ballot can count for several candidates, so the rounds
//! are scores rounds; their `inactive` holds the blank ballots. The majority
//! threshold is half of the ballots that rank at least one candidate. Ties
//! for most votes go to the chain, whose `previous-rounds` step compares the
//! tied candidates' counts in earlier rounds.
//!
//! ```
//! use psephos::{CountOptions, Election, Rule};
//! let e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(4, &["A", "B"]), (3, &["B", "C"]), (2, &["C", "B"])],
//! ).unwrap();
//! let t = "bucklin".parse::<Rule>().unwrap().count(&e, &CountOptions::default()).unwrap();
//! // Round 2: B is ranked first or second on all 9 ballots.
//! assert_eq!(t.rounds.len(), 2);
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "B");
//! ```

use super::scored::{blank_weight, scores_round, standing_ids};
use super::transfer::Count;
use super::CountOptions;
use crate::ballots::store::{is_placeholder, TIED};
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::tabulation::{ElectedReason, Event, Tabulation};
use crate::tiebreak::TieBreaker;

/// Counts under the Bucklin system.
pub fn count(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "bucklin")?;
    let n = ballots.num_candidates();
    // at_place[level * n + c]: ballots ranking c at that place.
    let mut at_place: Vec<u64> = Vec::new();
    let mut places = 0;
    for b in ballots.iter() {
        let mut level = 0;
        for &m in b.marks() {
            if is_placeholder(m) {
                continue;
            }
            if level >= places {
                places = level + 1;
                at_place.resize(places * n, 0);
            }
            at_place[level * n + (m & !TIED) as usize] += b.weight;
            if m & TIED == 0 {
                level += 1;
            }
        }
    }
    let blank = blank_weight(ballots);
    let voting = ballots.total_weight() - blank;
    let standing = standing_ids(election);
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let mut cumulative = vec![0u64; n];
    for level in 0..places.max(1) {
        for &c in &standing {
            cumulative[c.index()] += at_place.get(level * n + c.index()).copied().unwrap_or(0);
        }
        let tally: Vec<(CandidateId, u64)> = standing.iter().map(|&c| (c, cumulative[c.index()])).collect();
        let number = count.round_number() + 1;
        count.rounds.push(scores_round(number, tally.clone(), 1, blank));
        let majority = tally.iter().any(|e| u128::from(e.1) * 2 > u128::from(voting));
        if majority || level + 1 >= places.max(1) {
            let winner = count.pick_extreme(&tally, 1, true)?[0];
            let reason = if majority { ElectedReason::Majority } else { ElectedReason::MostVotes };
            count.event(Event::Elected { candidate: winner, reason });
            return Ok(count.finish("bucklin", ballots.total_weight(), vec![winner]));
        }
    }
    unreachable!("the last place always ends the count")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_choices_are_added_until_a_majority() {
        // Round 1 of 10 ballots: A 5, B 3, C 2, no majority (5 is not more
        // than half). Round 2: A 5, B 9, C 6: B wins.
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(4, &["A", "B"]), (3, &["B", "C"]), (2, &["C", "B"]), (1, &["A", "C"])],
        )
        .unwrap();
        let t = count(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds.len(), 2);
        assert!(t.check_conservation().is_ok());
        let b = e.candidates.id_of("B").unwrap();
        assert_eq!(t.rounds[1].votes(b), Some(9));
        assert_eq!(t.winner(), Some(b));
    }

    #[test]
    fn no_majority_ever_elects_the_most_votes() {
        let e = Election::from_rankings(&["A", "B", "C"], &[(3, &["A"]), (2, &["B"]), (2, &["C"])]).unwrap();
        let t = count(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds.len(), 1);
        assert_eq!(t.winner(), Some(CandidateId(0)));
    }
}
