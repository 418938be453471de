//! Multi-seat plurality: the block vote and the single non-transferable vote.
//!
//! - **Block vote** (`block`): each voter may vote for as many candidates as
//!   there are seats; the candidates with the most votes fill the seats.
//!   From a ranked ballot, the candidates in its first `seats` ranks each
//!   get one vote (an equal ranking gives each of its candidates a vote).
//!   Used for English local councils' multi-member wards (Local Elections
//!   (Principal Areas) (England and Wales) Rules 2006, SI 2006/3304, sch. 2
//!   r. 45: the candidates with most votes are returned).
//! - **Single non-transferable vote** (`sntv`): each voter votes for one
//!   candidate (a ranked ballot's first preference); the candidates with the
//!   most votes fill the seats. Used for Japan's House of Representatives
//!   until 1993 (Reed, "Structure and Behaviour: Extending Duverger's Law to
//!   the Japanese Case", *British Journal of Political Science* 20(3), 1990).
//!
//! A tie for the last seat goes to the tie-break chain. The block vote's
//! round counts votes, not ballots: its `total` is the votes given plus the
//! ballots that gave none, so that counted + inactive = total still holds.
//!
//! ```
//! use psephos::{CountOptions, Election, Rule};
//! let mut e = Election::from_rankings(
//!     &["A", "B", "C", "D"],
//!     &[(5, &["A", "B"]), (4, &["C", "D"]), (2, &["D", "C"])],
//! ).unwrap();
//! e.seats = 2;
//! let block = Rule::Block.count(&e, &CountOptions::default()).unwrap();
//! let sntv = Rule::Sntv.count(&e, &CountOptions::default()).unwrap();
//! let names = |t: &psephos::Tabulation| t.elected.iter().map(|&c| e.candidates.name(c).to_owned()).collect::<Vec<_>>();
//! assert_eq!(names(&block), ["C", "D"]);
//! assert_eq!(names(&sntv), ["A", "C"]);
//! ```

use super::transfer::{Count, Piles};
use super::CountOptions;
use crate::ballots::InactiveReason;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::tabulation::{ElectedReason, EliminatedReason, Event, InactiveTally, Round, Tabulation};
use crate::tiebreak::TieBreaker;

/// Counts a single non-transferable vote election.
pub fn count_sntv(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "sntv")?;
    let piles = Piles::new(ballots, super::standing(election), 1);
    let round = piles.round(1, Vec::new());
    finish("sntv", election, options, round, ballots.total_weight())
}

/// Counts a block vote election.
pub fn count_block(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "block")?;
    let standing = super::standing(election);
    let n = election.candidates.len();
    let seats = election.seats as usize;
    let mut votes = vec![0u64; n];
    let mut inactive = InactiveTally::default();
    let mut seen = vec![false; n];
    for b in ballots.iter() {
        let mut gave = false;
        for level in b.levels().take(seats) {
            for c in level.candidates() {
                if standing[c.index()] && !seen[c.index()] {
                    seen[c.index()] = true;
                    votes[c.index()] += b.weight;
                    gave = true;
                }
            }
        }
        seen.iter_mut().for_each(|s| *s = false);
        if !gave {
            let reason = if b.ending == InactiveReason::Exhausted { InactiveReason::Blank } else { b.ending };
            inactive.add(reason, b.weight);
        }
    }
    let tally: Vec<(CandidateId, u64)> =
        (0..n).filter(|&i| standing[i]).map(|i| (CandidateId::from_index(i), votes[i])).collect();
    let total = tally.iter().map(|&(_, v)| v).sum::<u64>() + inactive.total();
    let round = Round { number: 1, tally, inactive, ..Round::default() };
    finish("block", election, options, round, total)
}

/// Elects the `seats` candidates with the most votes in the one round.
fn finish(
    rule: &'static str,
    election: &Election,
    options: &CountOptions,
    round: Round,
    total: u64,
) -> Result<Tabulation, CountError> {
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let tally = round.tally.clone();
    count.rounds.push(round);
    let seats = election.seats as usize;
    let mut winners = if tally.len() > seats {
        count.pick_extreme(&tally, seats, true)?
    } else {
        tally.iter().map(|&(c, _)| c).collect()
    };
    // In order of election: most votes first, the chain's picks where equal.
    let by_votes = |c: &CandidateId| std::cmp::Reverse(tally.iter().find(|e| e.0 == *c).map_or(0, |e| e.1));
    winners.sort_by_key(by_votes);
    for &c in &winners {
        count.event(Event::Elected { candidate: c, reason: ElectedReason::MostVotes });
    }
    for &(c, _) in &tally {
        if !winners.contains(&c) {
            count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::NotElected });
        }
    }
    let mut t = count.finish(rule, total, winners);
    t.seats = election.seats;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiebreak::TieKind;

    #[test]
    fn tie_for_last_seat_is_recorded() {
        let mut e =
            Election::from_rankings(&["A", "B", "C"], &[(3, &["A", "B"]), (2, &["B", "A"]), (2, &["C", "A"])]).unwrap();
        e.seats = 2;
        let t = count_sntv(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.elected, [CandidateId(0), CandidateId(1)]);
        assert_eq!(t.ties.len(), 1);
        assert_eq!(t.ties[0].kind, TieKind::Election);
        t.check_conservation().unwrap();
        let b = count_block(&e, &CountOptions::default()).unwrap();
        // A: 7, B: 5, C: 2.
        assert_eq!(b.rounds[0].votes(CandidateId(0)), Some(7));
        assert_eq!(b.total, 14);
        b.check_conservation().unwrap();
    }
}
