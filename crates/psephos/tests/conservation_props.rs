//! Ballot conservation under every rule of the catalogue: in every round of
//! every count, the ballots counted for candidates plus the inactive ballots
//! (plus the loss to rounding of the fixed-point rules) equal the ballots
//! cast. Random profiles of every kind a rule counts: ranked ballots with
//! overvotes, skipped ranks and repeats under every normalisation policy
//! (equal rankings read as overvotes, or shared out by the STV rules), for
//! one seat and for several, and approval and score ballots.

use proptest::prelude::*;
use psephos::{
    CardinalBallotsBuilder, CountError, CountOptions, Election, EqualRanksPolicy, NormalisePolicy, Profile, Rule,
    CATALOGUE,
};

mod common;

/// A raw ranked ballot: weight and levels of candidate indices (empty =
/// skipped rank, several = overvote or equal ranking, repeats allowed).
fn raw_ballots(n: u16) -> impl Strategy<Value = Vec<common::LevelBallot>> {
    let level = prop::collection::vec(0..n, 0..=2);
    prop::collection::vec((1u64..20, prop::collection::vec(level, 0..=n as usize + 1)), 1..30)
}

/// Any normalisation policy, equal rankings read as overvotes or shared out.
fn policy() -> impl Strategy<Value = NormalisePolicy> {
    (common::policy(), any::<bool>()).prop_map(|(p, split)| NormalisePolicy {
        equal_ranks: if split { EqualRanksPolicy::Split } else { EqualRanksPolicy::Overvote },
        ..p
    })
}

/// Score ballots: weight and a score or nothing per candidate.
fn score_ballots(n: u16, max: u16) -> impl Strategy<Value = Vec<(u64, Vec<Option<u16>>)>> {
    let one = (1u64..20, prop::collection::vec(prop::option::of(0..=max), n as usize));
    prop::collection::vec(one, 1..30)
}

/// Counts `e` under every rule of the catalogue that accepts it and the
/// seats; checks conservation in every round. Returns the ids counted.
fn check_every_rule(e: &Election) -> Result<Vec<&'static str>, TestCaseError> {
    let total = e.total_ballots();
    let mut counted = Vec::new();
    for info in CATALOGUE {
        let rule = info.rule;
        if !rule.accepts(&e.profile) || (e.seats > 1 && !rule.is_multi_winner()) {
            continue;
        }
        let t = match rule.count(e, &CountOptions::default()) {
            Ok(t) => t,
            // A rule may refuse what it cannot count exactly; nothing may panic.
            Err(CountError::Unsupported { .. }) => continue,
            Err(err) => return Err(TestCaseError::fail(format!("{}: {err}", info.id))),
        };
        // The block vote's round counts votes, not ballots: its total is the
        // votes given plus the ballots that gave none.
        if rule == Rule::Block {
            prop_assert!(t.total >= total, "{}", info.id);
        } else {
            prop_assert_eq!(t.total, total, "{}", info.id);
        }
        prop_assert!(!t.rounds.is_empty(), "{}", info.id);
        prop_assert!(t.check_conservation().is_ok(), "{}: {:?}", info.id, t.check_conservation());
        counted.push(info.id);
    }
    Ok(counted)
}

/// Every rule of the catalogue counts at least one kind of profile built
/// below, so the properties reach every rule.
#[test]
fn every_rule_accepts_a_generated_kind() {
    let ranked = Election::from_rankings(&["A", "B"], &[(1, &["A"])]).unwrap();
    let approval = Election::from_scores(&["A", "B"], 1, &[(1, &[Some(1), None])]).unwrap();
    let scored = Election::from_scores(&["A", "B"], 5, &[(1, &[Some(4), None])]).unwrap();
    for info in CATALOGUE {
        assert!(
            [&ranked, &approval, &scored].iter().any(|e| info.rule.accepts(&e.profile)),
            "{} counts none of the generated profiles",
            info.id
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_rule_conserves_ranked_ballots_for_one_seat(
        (n, ballots) in (1u16..6).prop_flat_map(|n| (Just(n), raw_ballots(n))),
        policy in policy(),
    ) {
        let e = Election::from_raw(common::names(n), 1, common::store(n, &ballots), policy).unwrap();
        prop_assert_eq!(e.total_ballots(), ballots.iter().map(|b| b.0).sum::<u64>());
        let counted = check_every_rule(&e)?;
        // Shared-out equal rankings are counted by the STV rules only.
        prop_assert!(counted.contains(&"stv") && counted.contains(&"meek"));
        prop_assert_eq!(counted.contains(&"irv"), !e.splits_equal_ranks());
    }

    #[test]
    fn every_multi_winner_rule_conserves_ranked_ballots(
        (n, seats, ballots) in (3u16..7).prop_flat_map(|n| (Just(n), 2..n as u32, raw_ballots(n))),
        policy in policy(),
    ) {
        let e = Election::from_raw(common::names(n), seats, common::store(n, &ballots), policy).unwrap();
        let counted = check_every_rule(&e)?;
        let multi: Vec<&str> = CATALOGUE
            .iter()
            .filter(|i| i.rule.is_multi_winner() && (!e.splits_equal_ranks() || matches!(i.id, "stv" | "meek")))
            .map(|i| i.id)
            .collect();
        prop_assert_eq!(counted, multi);
    }

    #[test]
    fn every_rule_conserves_approval_and_score_ballots(
        (n, max, ballots) in (1u16..6, prop_oneof![Just(1u16), 2u16..11])
            .prop_flat_map(|(n, max)| (Just(n), Just(max), score_ballots(n, max))),
        as_ranks in any::<bool>(),
    ) {
        let mut b = CardinalBallotsBuilder::new(n as usize, max).unwrap();
        for (w, scores) in &ballots {
            b.push(scores, *w).unwrap();
        }
        let e = Election::from_cardinal(common::names(n), 1, b.build()).unwrap();
        prop_assert_eq!(matches!(e.profile, Profile::Approval(_)), max == 1);
        // The cardinal rules count the ballots as they are; the ranked rules
        // count them converted to rankings, when asked.
        let e = if as_ranks { e.ranked_from_scores() } else { e };
        let counted = check_every_rule(&e)?;
        prop_assert!(!counted.is_empty());
        let cardinal = counted.iter().any(|id| ["approval", "score", "star", "majority-judgment"].contains(id));
        prop_assert_eq!(cardinal, !as_ranks);
    }
}
