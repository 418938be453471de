//! Helpers shared by the core's integration tests.
// Each test binary uses some of them.
#![allow(dead_code)]

use proptest::prelude::*;
use psephos::{
    CandidateId, Candidates, DuplicatePolicy, NormalisePolicy, OvervotePolicy, RankedBallots, RankedBallotsBuilder,
    SkippedPolicy,
};

/// A ballot as tests write it: a weight and rank levels of candidate
/// indices (an empty level is a skipped rank, several candidates an equal
/// ranking).
pub type LevelBallot = (u64, Vec<Vec<u16>>);

/// The raw store of these ballots over `n` candidates.
pub fn store(n: u16, ballots: &[LevelBallot]) -> RankedBallots {
    let mut b = RankedBallotsBuilder::new(n as usize);
    for (w, levels) in ballots {
        for level in levels {
            let ids: Vec<CandidateId> = level.iter().map(|&i| CandidateId(i)).collect();
            b.push_level(&ids);
        }
        b.finish(*w).unwrap();
    }
    b.build()
}

/// Candidates named `C0`, `C1`, ….
pub fn names(n: u16) -> Candidates {
    Candidates::from_names((0..n).map(|i| format!("C{i}")))
}

/// Any normalisation policy.
pub fn policy() -> impl Strategy<Value = NormalisePolicy> {
    (
        prop_oneof![
            Just(OvervotePolicy::Exhaust),
            Just(OvervotePolicy::Skip),
            Just(OvervotePolicy::ExhaustIfMultipleContinuing)
        ],
        prop_oneof![Just(SkippedPolicy::Ignore), (1u16..3).prop_map(SkippedPolicy::ExhaustAfter)],
        prop_oneof![Just(DuplicatePolicy::Skip), Just(DuplicatePolicy::Exhaust)],
    )
        .prop_map(|(overvote, skipped, duplicates)| NormalisePolicy {
            overvote,
            skipped,
            duplicates,
            ..Default::default()
        })
}
