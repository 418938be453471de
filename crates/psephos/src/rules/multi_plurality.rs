//! Multi-seat plurality: the block vote and the single non-transferable vote.
//!
//! - **Block vote** (`block`): each voter may vote for as many candidates as
//!   there are seats; the candidates with the most votes fill the seats.
//!   From a ranked ballot, its `seats` highest-ranked candidates each get
//!   one vote; an equal ranking gives each of its candidates a vote while
//!   that stays within the `seats` votes, and a rank holding more candidates
//!   than the votes left is an overvote, which ends the ballot's votes there
//!   (a ballot whose first rank does so gives none: an X-vote paper marking
//!   more candidates than seats is void, sch. 2 r. 47(1)(b) of the rules
//!   below).
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
    let round = Piles::first_round(ballots, &super::standing(election), 1);
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
    let mut level_votes: Vec<CandidateId> = Vec::with_capacity(n);
    for b in ballots.iter() {
        let mut given: Vec<CandidateId> = Vec::with_capacity(seats);
        let mut overvote = false;
        for level in b.levels() {
            if given.len() == seats {
                break;
            }
            level_votes.clear();
            level_votes.extend(level.candidates().filter(|c| standing[c.index()] && !seen[c.index()]));
            if given.len() + level_votes.len() > seats {
                // More candidates at this rank than votes left to give: which
                // of them the voter meant cannot be told.
                overvote = true;
                break;
            }
            for &c in &level_votes {
                seen[c.index()] = true;
                given.push(c);
            }
        }
        for &c in &given {
            seen[c.index()] = false;
            votes[c.index()] += b.weight;
        }
        if given.is_empty() {
            let reason = match b.ending {
                _ if overvote => InactiveReason::Overvote,
                InactiveReason::Exhausted => InactiveReason::Blank,
                ending => ending,
            };
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

    #[test]
    fn an_equal_ranking_gives_no_more_votes_than_seats() {
        use crate::{normalise, Candidates, NormalisePolicy, OvervotePolicy, RankedBallotsBuilder};
        let ids = |v: &[u16]| v.iter().map(|&i| CandidateId(i)).collect::<Vec<_>>();
        let mut raw = RankedBallotsBuilder::new(4);
        raw.push_level(&ids(&[0, 1, 2])); // 1=2=3: three votes for two seats
        raw.finish(5).unwrap();
        raw.push(CandidateId(3));
        raw.push_level(&ids(&[1, 2])); // D, then B=C with one vote left
        raw.finish(3).unwrap();
        raw.push_level(&ids(&[0, 1])); // A=B: exactly two votes
        raw.finish(2).unwrap();
        let policy = NormalisePolicy { overvote: OvervotePolicy::ExhaustIfMultipleContinuing, ..Default::default() };
        let (ballots, _) = normalise(&raw.build(), policy).unwrap();
        let mut e = Election::from_ranked(Candidates::from_names(["A", "B", "C", "D"]), 1, ballots).unwrap();
        e.seats = 2;
        let t = count_block(&e, &CountOptions::default()).unwrap();
        let r = &t.rounds[0];
        assert_eq!(r.tally, vec![(CandidateId(0), 2), (CandidateId(1), 2), (CandidateId(2), 0), (CandidateId(3), 3)]);
        assert_eq!(r.inactive.get(InactiveReason::Overvote), 5);
        assert_eq!(t.total, 7 + 5);
        t.check_conservation().unwrap();
    }
}
