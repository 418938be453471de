//! The Supplementary Vote and the contingent vote: a first count, then the
//! top two against each other.
//!
//! **Supplementary Vote** (London mayor 2000–2021). Each voter marks a first
//! and may mark a second choice; no other preference counts. If a candidate
//! has more than half of the valid first-choice votes, they are elected.
//! Otherwise every candidate but the two with the most first choices is
//! eliminated at once (more than two remain when several tie for second
//! place), and each ballot whose first choice was eliminated is added to the
//! finalist it names as second choice, if it names one; the finalist with the
//! most votes then wins. A second choice counts only on a ballot with a valid
//! first choice, and an overvoted second choice does not count (reason
//! `overvote`).
//!
//! The rule reads a ballot's first two rank levels after normalisation. To
//! count London's paper ballots exactly, normalise with
//! [`NormalisePolicy::LONDON`](crate::NormalisePolicy::LONDON) (skipped ranks
//! `exhaust-after:1`): a ballot whose first column is unmarked is then
//! inactive (reason `skipped`) instead of having its second choice promoted
//! to first, as the Elections Rules require (an unmarked first preference
//! is void, and a second preference counts only beside a valid first one).
//! The default policy, `ignore`, suits ranked ballots from other elections
//! counted under SV for comparison.
//!
//! Ties for second place follow the Act: "if, by reason of an equality of
//! first preference votes, three or more candidates are qualified to remain
//! in the contest ..., all of them remain in the contest" (Greater London
//! Authority Act 1999, sch. 2 para. 4(3)); a final tie is decided by lot
//! (para. 4(8)), here by the tie-break chain.
//!
//! Sources: Greater London Authority Act 1999, sch. 2 (the Supplementary
//! Vote); Greater London Authority Elections Rules 2007 (SI 2007/3541),
//! sch. 3, rules 50–51; Combined Authority Mayoral Elections Rules 2017,
//! sch. 1, r. 55 (second preferences counted only "if, but only if, a valid
//! first preference vote has also been marked"); Electoral Commission
//! guidance on ties for second place.
//!
//! **Contingent vote** (Sri Lankan presidential elections; Queensland
//! 1892–1942). As above, but every preference counts: each eliminated
//! candidate's ballot goes to whichever finalist it ranks higher, at any
//! depth. Exactly two finalists go forward: the Constitution of Sri Lanka,
//! art. 94(4), breaks an equality that decides which candidate is not
//! eliminated by lot, so a tie for second (or for first among three or more)
//! is broken by the tie-break chain (by lot with a `random` step) and the
//! decision recorded. Source: Constitution of Sri Lanka, art. 94(3)–(4).
//!
//! ```
//! use psephos::{rules::supplementary, CountOptions, Election};
//! // 2000: Livingstone 667,877 first choices, Norris 464,434; Dobson's
//! // voters' second choices decide (numbers scaled down).
//! let e = Election::from_rankings(
//!     &["Livingstone", "Norris", "Dobson"],
//!     &[(45, &["Livingstone"]), (40, &["Norris"]), (15, &["Dobson", "Norris"])],
//! ).unwrap();
//! let t = supplementary::count_sv(&e, &CountOptions::default()).unwrap();
//! assert_eq!(t.rounds.len(), 2);
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "Norris");
//! ```

use super::transfer::{Count, Piles};
use super::CountOptions;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::tabulation::{ElectedReason, EliminatedReason, Event, Tabulation};
use crate::tiebreak::TieBreaker;

/// How the finalists of a top-two count are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Finalists {
    /// The top two, and everyone tied for second (the Supplementary Vote,
    /// GLA Act 1999 sch. 2 para. 4(3)).
    TopTwoWithTies,
    /// Exactly two, ties for second broken by the chain (the contingent
    /// vote, Constitution of Sri Lanka art. 94(4); the two-round system).
    ExactlyTwo,
}

/// Counts under the Supplementary Vote: first and second choices only.
pub fn count_sv(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    top_two(election, options, "supplementary-vote", 2, Finalists::TopTwoWithTies)
}

/// Counts under the contingent vote: every preference counts in the second
/// round, between exactly two finalists.
pub fn count_contingent(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    top_two(election, options, "contingent-vote", usize::MAX, Finalists::ExactlyTwo)
}

/// The shared top-two count.
pub(crate) fn top_two(
    election: &Election,
    options: &CountOptions,
    rule: &'static str,
    max_levels: usize,
    finalists: Finalists,
) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, rule)?;
    let mut piles = Piles::new(ballots, super::standing(election), max_levels);
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let first = piles.round(1, Vec::new());
    let tally = first.tally.clone();
    let counted = first.counted();
    count.rounds.push(first);
    if tally.len() == 1 {
        let only = tally[0].0;
        count.event(Event::Elected { candidate: only, reason: ElectedReason::LastRemaining });
        return Ok(count.finish(rule, ballots.total_weight(), vec![only]));
    }
    if let Some(&(leader, _)) = tally.iter().find(|&&(_, v)| u128::from(v) * 2 > u128::from(counted)) {
        count.event(Event::Elected { candidate: leader, reason: ElectedReason::Majority });
        return Ok(count.finish(rule, ballots.total_weight(), vec![leader]));
    }
    let chosen: Vec<CandidateId> = match finalists {
        Finalists::ExactlyTwo => count.pick_extreme(&tally, 2, true)?,
        Finalists::TopTwoWithTies => {
            let mut votes: Vec<u64> = tally.iter().map(|&(_, v)| v).collect();
            votes.sort_unstable_by(|a, b| b.cmp(a));
            let second = votes[1];
            tally.iter().filter(|&&(_, v)| v >= second).map(|&(c, _)| c).collect()
        }
    };
    let out: Vec<CandidateId> = tally.iter().map(|&(c, _)| c).filter(|c| !chosen.contains(c)).collect();
    for &c in &out {
        count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::NotFinalist });
    }
    let transfers = piles.eliminate(&out);
    let second = piles.round(2, transfers);
    let final_tally = second.tally.clone();
    count.rounds.push(second);
    let winner = count.pick_extreme(&final_tally, 1, true)?[0];
    let reason = ElectedReason::Runoff;
    count.event(Event::Elected { candidate: winner, reason });
    for &(c, _) in &final_tally {
        if c != winner {
            count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::Defeated });
        }
    }
    Ok(count.finish(rule, ballots.total_weight(), vec![winner]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InactiveReason, TransferTarget};

    fn id(e: &Election, name: &str) -> CandidateId {
        e.candidates.id_of(name).unwrap()
    }

    #[test]
    fn majority_of_first_choices_wins_outright() {
        let e =
            Election::from_rankings(&["A", "B", "C"], &[(51, &["A"]), (30, &["B", "A"]), (19, &["C", "B"])]).unwrap();
        let t = count_sv(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds.len(), 1);
        assert_eq!(t.winner(), Some(id(&e, "A")));
    }

    #[test]
    fn sv_reads_only_two_choices_but_contingent_reads_all() {
        // C's voters rank D second (eliminated too) and B third.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(40, &["A"]), (35, &["B"]), (20, &["C", "D", "B"]), (5, &["D"])],
        )
        .unwrap();
        let sv = count_sv(&e, &CountOptions::default()).unwrap();
        assert_eq!(sv.winner(), Some(id(&e, "A")));
        assert_eq!(sv.rounds[1].inactive.get(InactiveReason::Exhausted), 25);
        let cv = count_contingent(&e, &CountOptions::default()).unwrap();
        assert_eq!(cv.winner(), Some(id(&e, "B")));
        assert_eq!(cv.rounds[1].votes(id(&e, "B")), Some(55));
        for t in [&sv, &cv] {
            t.check_conservation().unwrap();
        }
        assert!(cv.rounds[1]
            .transfers
            .iter()
            .any(|tr| tr.from == id(&e, "C") && tr.to == TransferTarget::Candidate(id(&e, "B")) && tr.votes == 20));
    }

    #[test]
    fn tie_for_second_keeps_every_tied_candidate() {
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(40, &["A"]), (25, &["B"]), (25, &["C"]), (10, &["D", "C"])],
        )
        .unwrap();
        let t = count_sv(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[1].tally.len(), 3);
        assert!(t.ties.is_empty());
        assert_eq!(t.winner(), Some(id(&e, "A")));
    }

    #[test]
    fn contingent_vote_sends_exactly_two_finalists_forward() {
        // B and C tie for second. Sending both forward would elect B with 5
        // of 12 votes, although A beats B 7-5.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(4, &["A"]), (3, &["B"]), (3, &["C", "A"]), (2, &["D", "B"])],
        )
        .unwrap();
        let t = count_contingent(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[1].tally.len(), 2);
        assert_eq!(t.winner(), Some(id(&e, "A")));
        assert_eq!(t.rounds[1].votes(id(&e, "A")), Some(7));
        assert_eq!(t.rounds[1].votes(id(&e, "B")), Some(5));
        let [tie] = &t.ties[..] else { panic!("one recorded tie decision, got {:?}", t.ties) };
        assert_eq!(tie.tied, vec![id(&e, "B"), id(&e, "C")]);
        t.check_conservation().unwrap();
        // By lot: the chain's random step decides, and says so.
        let random: crate::TieBreak = "random".parse().unwrap();
        let by_lot = CountOptions { tie_break: random.with_seed(7) };
        let t = count_contingent(&e, &by_lot).unwrap();
        assert_eq!(t.rounds[1].tally.len(), 2);
        assert_eq!(t.ties.len(), 1);
        // The Supplementary Vote keeps both, as the GLA Act says.
        let sv = count_sv(&e, &CountOptions::default()).unwrap();
        assert_eq!(sv.rounds[1].tally.len(), 3);
    }

    #[test]
    fn first_preference_voters_for_a_finalist_stay_put() {
        // B's voters' second choices for A must not be added to A.
        let e = Election::from_rankings(&["A", "B", "C"], &[(40, &["A", "B"]), (39, &["B", "A"]), (21, &["C", "B"])])
            .unwrap();
        let t = count_sv(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[1].votes(id(&e, "A")), Some(40));
        assert_eq!(t.rounds[1].votes(id(&e, "B")), Some(60));
    }

    #[test]
    fn an_unmarked_first_column_is_void_under_londons_policy() {
        use crate::{Candidates, NormalisePolicy, RankedBallotsBuilder, SkippedPolicy};
        let mut raw = RankedBallotsBuilder::new(3);
        for (w, first, second) in [(40, Some(0), None), (39, Some(1), None), (21, Some(2), Some(1)), (5, None, Some(0))]
        {
            match first {
                Some(c) => raw.push(CandidateId(c)),
                None => raw.push_skip(),
            }
            if let Some(c) = second {
                raw.push(CandidateId(c));
            }
            raw.finish(w).unwrap();
        }
        let raw = raw.build();
        let names = || Candidates::from_names(["A", "B", "C"]);
        let london = NormalisePolicy::LONDON;
        assert_eq!(london.skipped, SkippedPolicy::ExhaustAfter(1));
        let e = Election::from_raw(names(), 1, raw.clone(), london).unwrap();
        let t = count_sv(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[0].inactive.get(InactiveReason::Skipped), 5);
        assert_eq!(t.winner(), Some(CandidateId(1)));
        // Under the default policy the 5 second choices for A become first choices.
        let e = Election::from_raw(names(), 1, raw, NormalisePolicy::default()).unwrap();
        let t = count_sv(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[0].votes(CandidateId(0)), Some(45));
    }

    #[test]
    fn overvoted_second_choice_does_not_count() {
        let e = Election::from_rankings(&["A", "B", "C"], &[(40, &["A"]), (39, &["B"]), (21, &["C", "A=B"])]).unwrap();
        let t = count_sv(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[1].inactive.get(InactiveReason::Overvote), 21);
        assert_eq!(t.winner(), Some(id(&e, "A")));
    }
}
