//! Property tests of the counting foundation: ballot conservation, order
//! invariance, majority with two candidates, SV = contingent vote on short
//! ballots.

use proptest::prelude::*;
use psephos::{
    normalise, CandidateId, Candidates, CountOptions, Election, EqualRanksPolicy, IrvOptions, NormalisePolicy,
    RankedBallotsBuilder, Rule,
};

/// A raw ballot: weight and levels, each level a list of candidate indices
/// (empty = skipped rank, several = overvote, repeats allowed).
mod common;

type RawBallot = common::LevelBallot;

fn raw_ballot(n: u16, max_len: usize) -> impl Strategy<Value = RawBallot> {
    let level = prop::collection::vec(0..n, 0..=2);
    (1u64..20, prop::collection::vec(level, 0..=max_len))
}

/// The ballots with every candidate index folded into `0..n`.
fn within(n: u16, ballots: Vec<RawBallot>) -> Vec<RawBallot> {
    ballots
        .into_iter()
        .map(|(w, ls)| (w, ls.into_iter().map(|l| l.into_iter().map(|c| c % n).collect()).collect()))
        .collect()
}

fn election(n: u16, ballots: &[RawBallot], policy: NormalisePolicy) -> Election {
    Election::from_raw(common::names(n), 1, common::store(n, ballots), policy).unwrap()
}

fn all_rules() -> Vec<Rule> {
    let mut rules: Vec<Rule> =
        ["plurality", "sv", "contingent-vote", "two-round", "irv"].iter().map(|r| r.parse().unwrap()).collect();
    rules.push(Rule::Irv(IrvOptions::MAINE));
    rules
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_round_conserves_ballots(
        n in 2u16..6,
        ballots in prop::collection::vec(raw_ballot(5, 5), 1..40),
        policy in common::policy(),
    ) {
        let ballots = within(n, ballots);
        let e = election(n, &ballots, policy);
        let total: u64 = ballots.iter().map(|b| b.0).sum();
        prop_assert_eq!(e.total_ballots(), total);
        for rule in all_rules() {
            let t = rule.count(&e, &CountOptions::default()).unwrap();
            prop_assert!(t.check_conservation().is_ok(), "{}: {:?}", rule, t.check_conservation());
            prop_assert_eq!(t.elected.len(), 1);
            // Once inactive, always inactive: inactive totals never fall.
            for pair in t.rounds.windows(2) {
                for (reason, v) in pair[0].inactive.iter() {
                    prop_assert!(pair[1].inactive.get(reason) >= v);
                }
            }
        }
    }

    #[test]
    fn stv_conserves_votes_when_sharing_equal_rankings(
        n in 3u16..6,
        seats in 1u32..3,
        ballots in prop::collection::vec(raw_ballot(5, 5), 1..40),
        policy in common::policy(),
    ) {
        let ballots = within(n, ballots);
        let policy = NormalisePolicy { equal_ranks: EqualRanksPolicy::Split, ..policy };
        let mut e = election(n, &ballots, policy);
        e.seats = seats;
        for rule in ["stv", "meek"] {
            let t = rule.parse::<Rule>().unwrap().count(&e, &CountOptions::default()).unwrap();
            prop_assert!(t.check_conservation().is_ok(), "{}: {:?}", rule, t.check_conservation());
            prop_assert_eq!(t.elected.len(), seats as usize);
        }
    }

    #[test]
    fn results_do_not_depend_on_ballot_order(
        ballots in prop::collection::vec(raw_ballot(4, 4), 1..30),
        seed in any::<u64>(),
    ) {
        let e1 = election(4, &ballots, NormalisePolicy::default());
        let mut shuffled = ballots.clone();
        // A deterministic shuffle driven by the seed.
        let len = shuffled.len();
        let mut s = seed;
        for i in (1..len).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let e2 = election(4, &shuffled, NormalisePolicy::default());
        for rule in all_rules() {
            let a = rule.count(&e1, &CountOptions::default()).unwrap();
            let b = rule.count(&e2, &CountOptions::default()).unwrap();
            prop_assert_eq!(&a.elected, &b.elected);
            prop_assert_eq!(a.rounds.len(), b.rounds.len());
            for (ra, rb) in a.rounds.iter().zip(&b.rounds) {
                prop_assert_eq!(&ra.tally, &rb.tally);
                prop_assert_eq!(ra.inactive, rb.inactive);
            }
        }
    }

    #[test]
    fn with_two_candidates_every_rule_elects_the_majority_choice(
        a_first in 0u64..200, b_first in 0u64..200, blank in 0u64..20,
    ) {
        prop_assume!(a_first != b_first);
        let e = Election::from_rankings(
            &["A", "B"],
            &[(a_first.max(1), &["A", "B"]), (b_first.max(1), &["B", "A"]), (blank + 1, &[])],
        )
        .unwrap();
        let expected = if a_first.max(1) > b_first.max(1) { 0 } else { 1 };
        prop_assume!(a_first.max(1) != b_first.max(1));
        for rule in all_rules() {
            let t = rule.count(&e, &CountOptions::default()).unwrap();
            prop_assert_eq!(t.winner(), Some(CandidateId(expected)), "{}", rule);
        }
    }

    #[test]
    fn sv_and_contingent_agree_when_ballots_rank_at_most_two_and_second_place_is_not_tied(
        ballots in prop::collection::vec(
            (1u64..50, prop::collection::vec(0u16..5, 0..=2)), 1..40),
    ) {
        let mut b = RankedBallotsBuilder::new(5);
        for (w, ranks) in &ballots {
            for &r in ranks {
                b.push(CandidateId(r));
            }
            b.finish(*w).unwrap();
        }
        let (normalised, _) = normalise(&b.build(), NormalisePolicy::default()).unwrap();
        let names: Vec<String> = (0..5).map(|i| format!("C{i}")).collect();
        let e = Election::from_ranked(Candidates::from_names(names), 1, normalised).unwrap();
        let sv = Rule::SupplementaryVote.count(&e, &CountOptions::default()).unwrap();
        let cv = Rule::ContingentVote.count(&e, &CountOptions::default()).unwrap();
        // A tie for second sends every tied candidate forward under SV (GLA
        // Act 1999) but exactly two under the contingent vote (Sri Lanka).
        prop_assume!(sv.rounds.get(1).is_none_or(|r| r.tally.len() == 2));
        prop_assert_eq!(sv.elected, cv.elected);
        prop_assert_eq!(sv.rounds.len(), cv.rounds.len());
        for (a, b) in sv.rounds.iter().zip(&cv.rounds) {
            prop_assert_eq!(&a.tally, &b.tally);
        }
    }

    #[test]
    fn deduplication_keeps_every_ballot(
        ballots in prop::collection::vec(raw_ballot(4, 4), 0..60),
    ) {
        let mut b = RankedBallotsBuilder::new(4);
        for (w, levels) in &ballots {
            for level in levels {
                let ids: Vec<CandidateId> = level.iter().map(|&i| CandidateId(i)).collect();
                b.push_level(&ids);
            }
            b.finish(*w).unwrap();
        }
        let store = b.build();
        let total: u64 = ballots.iter().map(|x| x.0).sum();
        prop_assert_eq!(store.total_weight(), total);
        prop_assert_eq!(store.weights().iter().sum::<u64>(), total);
        prop_assert!(store.unique_len() <= ballots.len());
    }
}
