//! Property tests of the counting shortcuts: each answer read off shared,
//! derived data equals counting the ballots the slow way.

use proptest::prelude::*;
use psephos::analysis::FirstChoices;
use psephos::{CandidateId, CountOptions, Election, Rule};

mod common;

fn raw_ballot(n: u16) -> impl Strategy<Value = common::LevelBallot> {
    let level = prop::collection::vec(0..n, 0..=2);
    (1u64..20, prop::collection::vec(level, 0..=6))
}

/// The same election with nothing derived from its ballots yet (a copy of a
/// store starts without its pairwise matrix), so that counting it makes a
/// pass over the ballots.
fn fresh(e: &Election) -> Election {
    e.clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Borda read off the pairwise matrix equals Borda summed over the
    /// ballots, as cast and without a candidate.
    #[test]
    fn borda_from_the_matrix_equals_borda_from_the_ballots(
        n in 2u16..6,
        ballots in prop::collection::vec(raw_ballot(6), 1..30),
        policy in common::policy(),
        gone in 0u16..6,
    ) {
        let ballots: Vec<common::LevelBallot> = ballots
            .into_iter()
            .map(|(w, ls)| (w, ls.into_iter().map(|l| l.into_iter().map(|c| c % n).collect()).collect()))
            .collect();
        let e = Election::from_raw(common::names(n), 1, common::store(n, &ballots), policy).unwrap();
        let o = CountOptions::default();
        let borda: Rule = "borda".parse().unwrap();
        let slow = borda.count(&fresh(&e), &o);
        let _ = e.ranked().unwrap().pairwise();
        prop_assert_eq!(borda.count(&e, &o), slow);
        let gone = CandidateId(gone % n);
        if n > 2 {
            let without = e.without(gone);
            prop_assert_eq!(borda.count(&without, &o), borda.count(&fresh(&without), &o));
        }
    }

    /// The first round and runoff read off the first choices and the
    /// pairwise matrix give the winner of counting the ballots again without
    /// the candidate, under plurality, the contingent vote and two-round.
    #[test]
    fn first_choices_without_a_candidate_equal_a_recount(
        n in 3u16..6,
        ballots in prop::collection::vec(raw_ballot(6), 1..30),
        policy in common::policy(),
    ) {
        let ballots: Vec<common::LevelBallot> = ballots
            .into_iter()
            .map(|(w, ls)| (w, ls.into_iter().map(|l| l.into_iter().map(|c| c % n).collect()).collect()))
            .collect();
        let e = Election::from_raw(common::names(n), 1, common::store(n, &ballots), policy).unwrap();
        let Some(table) = FirstChoices::of(&e) else { return Ok(()) };
        let matrix = e.ranked().unwrap().pairwise();
        let o = CountOptions::default();
        for rule in ["plurality", "contingent-vote", "two-round", "irv"] {
            let rule: Rule = rule.parse().unwrap();
            for c in 0..n {
                let c = CandidateId(c);
                let Some(w) = table.winner_without(rule, matrix, c) else { continue };
                prop_assert!(FirstChoices::counts(rule));
                let t = rule.count(&e.without(c), &o).unwrap();
                prop_assert_eq!(t.elected, vec![w], "{} without {:?}", rule, c);
                prop_assert!(t.ties.is_empty());
            }
        }
    }
}

#[test]
fn first_choices_decide_a_vote_split() {
    // C splits B's vote: A wins plurality and the runoff rules keep B;
    // without C, B wins every one of them, read off the table.
    let e = Election::from_rankings(
        &["A", "B", "C", "D"],
        &[(40, &["A", "D"]), (35, &["B", "C"]), (20, &["C", "B"]), (5, &["D", "B"])],
    )
    .unwrap();
    let table = FirstChoices::of(&e).unwrap();
    let matrix = e.ranked().unwrap().pairwise();
    let (b, c) = (CandidateId(1), CandidateId(2));
    for rule in ["plurality", "contingent-vote", "two-round"] {
        let rule: Rule = rule.parse().unwrap();
        assert_eq!(table.winner_without(rule, matrix, c), Some(b), "{rule}");
        let t = rule.count(&e.without(c), &CountOptions::default()).unwrap();
        assert_eq!(t.elected, vec![b]);
    }
}
