//! Property tests of the single-winner rules: the pairwise matrix agrees
//! with a brute-force count, rules that claim Condorcet consistency elect the
//! Condorcet winner, Smith-efficient rules elect within the Smith set, and
//! every rule counts any profile without panicking.

use proptest::prelude::*;
use psephos::{CandidateId, CountOptions, Election, PairwiseMatrix, Rule, CATALOGUE};

/// A ballot: weight and levels (each a set of candidate indices; several =
/// an equal ranking).
mod common;

type Ballot = common::LevelBallot;

/// Ballots over `n` candidates, truncated at random lengths, with equal
/// rankings when `ties` is set; every candidate at most once.
fn ballots(n: u16, ties: bool, complete: bool) -> impl Strategy<Value = Vec<Ballot>> {
    let one = (
        1u64..6,
        Just((0..n).collect::<Vec<u16>>()).prop_shuffle(),
        0..=n as usize,
        prop::collection::vec(any::<bool>(), n as usize),
    )
        .prop_map(move |(w, perm, len, join)| {
            let len = if complete { n as usize } else { len };
            let mut levels: Vec<Vec<u16>> = Vec::new();
            for (i, &c) in perm[..len].iter().enumerate() {
                match levels.last_mut() {
                    Some(last) if ties && join[i] => last.push(c),
                    _ => levels.push(vec![c]),
                }
            }
            (w, levels)
        });
    prop::collection::vec(one, 1..25)
}

fn election(n: u16, ballots: &[Ballot]) -> Election {
    // Built directly: equal rankings stay, as the pairwise rules read them.
    Election::from_ranked(common::names(n), 1, common::store(n, ballots)).unwrap()
}

fn naive(e: &Election) -> PairwiseMatrix {
    let n = e.candidates.len();
    let mut rows = vec![vec![0u64; n]; n];
    for b in e.ranked().unwrap().iter() {
        let mut rank = vec![usize::MAX; n];
        for (l, level) in b.levels().enumerate() {
            for c in level.candidates() {
                rank[c.index()] = l;
            }
        }
        for a in 0..n {
            for c in 0..n {
                if a != c && rank[a] < rank[c] {
                    rows[a][c] += b.weight;
                }
            }
        }
    }
    PairwiseMatrix::from_rows(&rows)
}

const CONDORCET: &[&str] = &[
    "copeland",
    "copeland:half",
    "minimax",
    "minimax:margins",
    "ranked-pairs",
    "ranked-pairs:margins",
    "schulze",
    "schulze:margins",
    "kemeny-young",
    "smith-irv",
    "condorcet-irv",
    "baldwin",
    "nanson",
    "btr-irv",
];

const SMITH: &[&str] = &[
    "copeland",
    "copeland:half",
    "ranked-pairs",
    "ranked-pairs:margins",
    "schulze",
    "schulze:margins",
    "kemeny-young",
    "smith-irv",
    "baldwin",
    "nanson",
];

fn check_condorcet(e: &Election, rules: &[&str]) -> Result<(), TestCaseError> {
    let m = PairwiseMatrix::from_ballots(e.ranked().unwrap());
    let all: Vec<CandidateId> = e.candidates.ids().collect();
    let cw = m.condorcet_winner(&all);
    let smith = m.smith_set(&all);
    prop_assert!(!smith.is_empty());
    if let Some(w) = cw {
        prop_assert_eq!(smith.clone(), vec![w]);
    }
    for &id in rules {
        let t = id.parse::<Rule>().unwrap().count(e, &CountOptions::default()).unwrap();
        let winner = t.winner().unwrap();
        if let Some(w) = cw {
            prop_assert_eq!(winner, w, "{} missed the Condorcet winner", id);
        }
        if SMITH.contains(&id) {
            prop_assert!(smith.contains(&winner), "{} elected outside the Smith set", id);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn pairwise_matches_brute_force(n in 2u16..7, ballots in (2u16..7).prop_flat_map(|n| ballots(n, true, false))) {
        let n = n.max(ballots.iter().flat_map(|b| b.1.iter().flatten()).map(|&c| c + 1).max().unwrap_or(0));
        let e = election(n, &ballots);
        prop_assert_eq!(PairwiseMatrix::from_ballots(e.ranked().unwrap()), naive(&e));
    }

    #[test]
    fn condorcet_rules_on_truncated_ballots_with_ties(
        (n, ballots) in (2u16..6).prop_flat_map(|n| (Just(n), ballots(n, true, false)))
    ) {
        check_condorcet(&election(n, &ballots), CONDORCET)?;
    }

    #[test]
    fn condorcet_rules_on_complete_ballots(
        (n, ballots) in (2u16..6).prop_flat_map(|n| (Just(n), ballots(n, false, true)))
    ) {
        check_condorcet(&election(n, &ballots), CONDORCET)?;
    }

    #[test]
    fn every_rule_counts_every_profile(
        (n, ballots) in (1u16..6).prop_flat_map(|n| (Just(n), ballots(n, true, false)))
    ) {
        let e = election(n, &ballots);
        for info in CATALOGUE {
            let result = info.rule.count(&e, &CountOptions::default());
            if !info.rule.accepts(&e.profile) {
                prop_assert!(result.is_err());
                continue;
            }
            match result {
                Ok(t) => {
                    prop_assert!(t.check_conservation().is_ok(), "{}", info.id);
                }
                // Multi-seat rules and exact limits may refuse; nothing may panic.
                Err(err) => prop_assert!(matches!(err, psephos::CountError::Unsupported { .. }), "{}: {err}", info.id),
            }
        }
    }
}
