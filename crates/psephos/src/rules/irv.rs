//! Instant-runoff voting (IRV; also called ranked-choice voting or the
//! alternative vote).
//!
//! Each ballot counts for its highest-ranked continuing candidate. If one
//! candidate has more than half of the votes counted for continuing
//! candidates, they are elected; otherwise the candidate with the fewest
//! votes is eliminated, their ballots move to each ballot's next continuing
//! choice, and the count repeats. Ballots with no continuing choice left are
//! inactive from then on.
//!
//! Candidates without a single vote leave together, in the first round
//! that has two or more of them (and two candidates with votes): one at a
//! time they would be eliminated first anyway, passing on no ballot, so
//! this changes no tally and no winner, only the number of rounds; it is a
//! batch elimination in the sense below, and is recorded as one.
//!
//! Options ([`IrvOptions`]):
//! - [`Elimination::Batch`]: eliminate at once every candidate in the largest
//!   group of last-placed candidates whose combined votes are fewer than the
//!   votes of the next candidate up: none of them could win (Maine, 29-250
//!   C.M.R. ch. 535 §4(2)(B)).
//! - [`IrvStop::TwoRemaining`]: keep eliminating until two candidates remain,
//!   even once one has a majority, as San Francisco and Maine report their
//!   counts.
//!
//! Sources: Maine Revised Statutes, title 21-A, §723-A (ranked-choice
//! tabulation); Burlington, Vermont, City Charter, art. II §5 (2005–2010);
//! Australian Commonwealth Electoral Act 1918, s. 274 (preferential voting).
//!
//! ```
//! use psephos::{rules::irv, CountOptions, Election, IrvOptions};
//! let e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(40, &["A", "C"]), (35, &["B", "C"]), (25, &["C", "B"])],
//! ).unwrap();
//! let t = irv::count(&e, &CountOptions::default(), IrvOptions::STANDARD).unwrap();
//! assert_eq!(t.rounds.len(), 2);
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "B");
//! ```

use super::transfer::{rounds_table, with_piles, Count, Transfers};
use super::CountOptions;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::tabulation::{ElectedReason, EliminatedReason, Event, Tabulation};
use crate::tiebreak::TieBreaker;

/// How many candidates leave the count in a round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Elimination {
    /// One: the last-placed candidate.
    #[default]
    Single,
    /// Every candidate who mathematically cannot win (see the module docs).
    Batch,
}

/// When the count stops.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum IrvStop {
    /// As soon as a candidate has a majority of continuing votes.
    #[default]
    Majority,
    /// When only two candidates remain.
    TwoRemaining,
}

/// IRV options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct IrvOptions {
    /// Single or batch elimination.
    pub elimination: Elimination,
    /// When to stop.
    pub stop: IrvStop,
}

impl IrvOptions {
    /// One elimination a round, stop at a majority.
    pub const STANDARD: IrvOptions = IrvOptions { elimination: Elimination::Single, stop: IrvStop::Majority };
    /// Maine: batch elimination, counted until two remain.
    pub const MAINE: IrvOptions = IrvOptions { elimination: Elimination::Batch, stop: IrvStop::TwoRemaining };
}

/// Counts an IRV election.
pub fn count(election: &Election, options: &CountOptions, irv: IrvOptions) -> Result<Tabulation, CountError> {
    count_unlabelled(election, options, irv).map(|t| t.labelled(super::Rule::Irv(irv)))
}

fn count_unlabelled(election: &Election, options: &CountOptions, irv: IrvOptions) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "irv")?;
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let standing = super::standing(election);
    // A large store of plain rankings over a few candidates: every round
    // read off the table of who is ranked above whom, the same rounds.
    let table = if irv.elimination == Elimination::Single { rounds_table(election) } else { None };
    let winner = with_piles(ballots, standing, table.as_deref(), |piles, _| run(&mut count, piles, irv))?;
    Ok(count.finish("irv", ballots.total_weight(), vec![winner]))
}

/// The IRV rounds from the piles as they stand, numbered after the rounds
/// already in `count` (rules that run IRV on a subset of the candidates
/// record their first step before it). Returns the winner.
pub(crate) fn run(
    count: &mut Count<'_>,
    piles: &mut dyn Transfers,
    irv: IrvOptions,
) -> Result<CandidateId, CountError> {
    let mut transfers = Vec::new();
    loop {
        let number = count.round_number() + 1;
        let round = piles.round(number, std::mem::take(&mut transfers));
        let tally = round.tally.clone();
        let counted = round.counted();
        count.rounds.push(round);
        if tally.len() == 1 {
            let only = tally[0].0;
            count.event(Event::Elected { candidate: only, reason: ElectedReason::LastRemaining });
            return Ok(only);
        }
        let majority = tally.iter().find(|&&(_, v)| u128::from(v) * 2 > u128::from(counted)).map(|&(c, _)| c);
        let stop_now = match irv.stop {
            IrvStop::Majority => majority.is_some(),
            IrvStop::TwoRemaining => tally.len() == 2,
        };
        if stop_now || tally.len() == 2 {
            let (winner, reason) = match majority {
                Some(w) => (w, ElectedReason::Majority),
                None => (count.pick_extreme(&tally, 1, true)?[0], ElectedReason::Runoff),
            };
            count.event(Event::Elected { candidate: winner, reason });
            if tally.len() == 2 {
                let other = tally.iter().map(|&(c, _)| c).find(|&c| c != winner).expect("two remain");
                count.event(Event::Eliminated { candidate: other, reason: EliminatedReason::Defeated });
            }
            return Ok(winner);
        }
        let (losers, reason) = match (no_votes(&tally), irv.elimination) {
            (Some(group), _) => (group, EliminatedReason::Batch),
            (None, Elimination::Batch) => match batch(&tally) {
                Some(group) => (group, EliminatedReason::Batch),
                None => (count.pick_extreme(&tally, 1, false)?, EliminatedReason::Lowest),
            },
            (None, Elimination::Single) => (count.pick_extreme(&tally, 1, false)?, EliminatedReason::Lowest),
        };
        for &c in &losers {
            count.event(Event::Eliminated { candidate: c, reason });
        }
        transfers = piles.eliminate(&losers);
        debug_assert!(losers.iter().all(|&c| !piles.is_continuing(c)));
    }
}

/// Every continuing candidate without a vote, when there are two or more of
/// them and at least two candidates with votes: they leave together.
///
/// Eliminated one at a time they would go first, one per round, each
/// passing on no ballot, while every other tally stood still: no majority
/// can appear and no other candidate can be eliminated until all of them
/// are gone. Eliminating them at once therefore changes no tally, no
/// transfer and no winner, only the number of rounds — and it keeps a count
/// with thousands of declared candidates and few votes (write-ins, a
/// ballot paper listing every registered party) from recording thousands of
/// identical rounds and arbitrary tie-breaks between candidates nobody
/// voted for. With one candidate with votes (who then has every counted
/// vote) or one candidate without, the ordinary rule applies.
fn no_votes(tally: &[(CandidateId, u64)]) -> Option<Vec<CandidateId>> {
    let zero: Vec<CandidateId> = tally.iter().filter(|e| e.1 == 0).map(|e| e.0).collect();
    (zero.len() >= 2 && tally.len() - zero.len() >= 2).then_some(zero)
}

/// The largest group (of two or more) of last-placed candidates whose votes
/// together are fewer than the next candidate's, leaving at least two.
fn batch(tally: &[(CandidateId, u64)]) -> Option<Vec<CandidateId>> {
    let mut sorted = tally.to_vec();
    sorted.sort_by_key(|&(c, v)| (v, c));
    let mut best = None;
    let mut sum: u128 = 0;
    for k in 1..sorted.len().saturating_sub(1) {
        sum += u128::from(sorted[k - 1].1);
        if sum < u128::from(sorted[k].1) && k >= 2 {
            best = Some(k);
        }
    }
    best.map(|k| sorted[..k].iter().map(|&(c, _)| c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefixes::Prefixes;
    use crate::InactiveReason;
    use proptest::prelude::*;

    proptest! {
        /// The rounds read off the table are the rounds the piles move:
        /// tallies, transfers, inactive ballots by reason, tie decisions
        /// and winner, ballots cut short by overvotes and skipped ranks
        /// included, for either way of stopping.
        #[test]
        fn rounds_off_the_table_are_the_rounds_of_the_piles(
            n in 2usize..7,
            ballots in prop::collection::vec((1u64..5, prop::collection::vec(0usize..9, 0..8)), 1..60),
            maine in any::<bool>(),
            two_remaining in any::<bool>(),
            withdrawn in 0usize..8,
        ) {
            let policy = if maine { crate::NormalisePolicy::MAINE } else { crate::NormalisePolicy::STANDARD };
            let e = crate::rules::transfer::marked_election(n, &ballots, policy, withdrawn);
            let Some(table) = Prefixes::of(&e) else { return Ok(()) };
            let stop = if two_remaining { IrvStop::TwoRemaining } else { IrvStop::Majority };
            let irv = IrvOptions { elimination: Elimination::Single, stop };
            let options = CountOptions::default();
            let ballots = e.ranked().unwrap();
            let count_with = |tabled: bool| {
                let mut count = Count::new(TieBreaker::new(&options.tie_break, n));
                let standing = crate::rules::standing(&e);
                let winner =
                    with_piles(ballots, standing, tabled.then_some(&table), |piles, _| run(&mut count, piles, irv));
                winner.map(|w| count.finish("irv", ballots.total_weight(), vec![w]))
            };
            let tabled = count_with(true);
            if let Ok(t) = &tabled {
                t.check_conservation().unwrap();
            }
            prop_assert_eq!(tabled, count_with(false));
        }
    }

    fn id(e: &Election, name: &str) -> CandidateId {
        e.candidates.id_of(name).unwrap()
    }

    fn tennessee() -> Election {
        crate::examples::tennessee()
    }

    #[test]
    fn tennessee_elects_knoxville() {
        let e = tennessee();
        let t = count(&e, &CountOptions::default(), IrvOptions::STANDARD).unwrap();
        assert_eq!(t.winner(), Some(id(&e, "Knoxville")));
        assert_eq!(t.rounds.len(), 3);
        assert_eq!(t.rounds[0].eliminated().collect::<Vec<_>>(), vec![id(&e, "Chattanooga")]);
        assert_eq!(t.rounds[2].votes(id(&e, "Knoxville")), Some(58));
        t.check_conservation().unwrap();
    }

    #[test]
    fn batch_elimination_removes_hopeless_candidates_together() {
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(49, &["A"]), (46, &["B"]), (2, &["C", "B"]), (3, &["D", "B"])],
        )
        .unwrap();
        let opts = IrvOptions { elimination: Elimination::Batch, ..IrvOptions::STANDARD };
        let t = count(&e, &CountOptions::default(), opts).unwrap();
        assert_eq!(t.rounds[0].eliminated().count(), 2);
        assert_eq!(t.rounds.len(), 2);
        assert_eq!(t.winner(), Some(id(&e, "B")));
    }

    #[test]
    fn candidates_without_votes_leave_together_and_change_nothing_else() {
        let names = ["A", "B", "C", "Z1", "Z2", "Z3"];
        let ballots: &[(u64, &[&str])] = &[(40, &["A", "C"]), (35, &["B", "Z1"]), (25, &["C", "Z2", "B"])];
        let e = Election::from_rankings(&names, ballots).unwrap();
        let t = count(&e, &CountOptions::default(), IrvOptions::STANDARD).unwrap();
        let zeros: Vec<CandidateId> = ["Z1", "Z2", "Z3"].iter().map(|n| id(&e, n)).collect();
        assert_eq!(t.rounds[0].eliminated().collect::<Vec<_>>(), zeros);
        assert!(t.ties.is_empty(), "no tie-break between candidates nobody voted for: {:?}", t.ties);
        // The same count without them: the same tallies, one round later.
        let without =
            Election::from_rankings(&names[..3], &[(40, &["A", "C"]), (35, &["B"]), (25, &["C", "B"])]).unwrap();
        let u = count(&without, &CountOptions::default(), IrvOptions::STANDARD).unwrap();
        assert_eq!(t.rounds.len(), u.rounds.len() + 1);
        assert_eq!(t.rounds[1].votes(id(&e, "B")), u.rounds[0].votes(id(&without, "B")));
        assert_eq!(e.candidates.name(t.winner().unwrap()), without.candidates.name(u.winner().unwrap()));
        t.check_conservation().unwrap();
    }

    #[test]
    fn one_candidate_without_votes_is_eliminated_as_usual() {
        let e =
            Election::from_rankings(&["A", "B", "C", "Z"], &[(40, &["A"]), (35, &["B"]), (25, &["C", "B"])]).unwrap();
        let t = count(&e, &CountOptions::default(), IrvOptions::STANDARD).unwrap();
        assert_eq!(t.rounds[0].eliminated().collect::<Vec<_>>(), vec![id(&e, "Z")]);
        assert!(matches!(t.rounds[0].events[0], Event::Eliminated { reason: EliminatedReason::Lowest, .. }));
    }

    #[test]
    fn until_two_keeps_counting_after_a_majority() {
        let e = Election::from_rankings(&["A", "B", "C"], &[(60, &["A"]), (30, &["B"]), (10, &["C"])]).unwrap();
        let t = count(&e, &CountOptions::default(), IrvOptions { stop: IrvStop::TwoRemaining, ..Default::default() })
            .unwrap();
        assert_eq!(t.rounds.len(), 2);
        assert_eq!(t.rounds[1].inactive.get(InactiveReason::Exhausted), 10);
        assert_eq!(t.winner(), Some(id(&e, "A")));
    }

    #[test]
    fn exhausted_ballots_leave_the_majority_base() {
        // 10 C ballots exhaust; B wins 45 of 90 continuing? no: 46 of 90.
        let e = Election::from_rankings(&["A", "B", "C"], &[(44, &["A"]), (46, &["B"]), (10, &["C"])]).unwrap();
        let t = count(&e, &CountOptions::default(), IrvOptions::STANDARD).unwrap();
        assert_eq!(t.winner(), Some(id(&e, "B")));
        assert_eq!(t.rounds[1].elected().next(), Some(id(&e, "B")));
    }

    #[test]
    fn exhaust_if_multiple_continuing_resolves_during_the_count() {
        use crate::{normalise, Candidates, NormalisePolicy, OvervotePolicy, RankedBallotsBuilder};
        let mut raw = RankedBallotsBuilder::new(3);
        // 10 ballots: C first, then A=B.
        raw.push(CandidateId(2));
        raw.push_level(&[CandidateId(0), CandidateId(1)]);
        raw.finish(10).unwrap();
        raw.push(CandidateId(0));
        raw.finish(30).unwrap();
        raw.push(CandidateId(1));
        raw.finish(29).unwrap();
        let policy = NormalisePolicy { overvote: OvervotePolicy::ExhaustIfMultipleContinuing, ..Default::default() };
        let (ballots, _) = normalise(&raw.build(), policy).unwrap();
        let e = Election::from_ranked(Candidates::from_names(["A", "B", "C"]), 1, ballots).unwrap();
        let t = count(&e, &CountOptions::default(), IrvOptions::STANDARD).unwrap();
        assert_eq!(t.rounds[1].inactive.get(InactiveReason::Overvote), 10);
        assert_eq!(t.winner(), Some(CandidateId(0)));
    }
}
