//! # psephos
//!
//! The counting core of psephos: candidates, a columnar deduplicated ballot
//! store, normalisation policies, tie-breaking, and voting rules whose results
//! are data, round by round. It does no I/O, draws no randomness of its own
//! and prints nothing; readers live in `psephos-io` and renderers in the CLI.
//!
//! ```
//! use psephos::{CountOptions, Rule};
//! let e = psephos::examples::tennessee();
//! for (rule, winner) in [("fptp", "Memphis"), ("sv", "Memphis"), ("contingent-vote", "Nashville"), ("irv", "Knoxville")] {
//!     let rule: Rule = rule.parse().unwrap();
//!     let t = rule.count(&e, &CountOptions::default()).unwrap();
//!     assert_eq!(e.candidates.name(t.winner().unwrap()), winner);
//!     t.check_conservation().unwrap();
//! }
//! ```

pub mod analysis;
pub mod ballots;
pub mod candidate;
pub mod election;
pub mod error;
pub mod examples;
pub mod pairwise;
pub mod prefixes;
pub mod rules;
pub mod tabulation;
pub mod tiebreak;

pub use ballots::{
    normalise, normalise_excluding, normalise_owned, DuplicatePolicy, EqualRanksPolicy, InactiveReason, Merging,
    NormalisePolicy, NormaliseReport, OvervotePolicy, RankedBallots, RankedBallotsBuilder, SkippedPolicy,
};
pub use ballots::{CardinalBallotRef, CardinalBallots, CardinalBallotsBuilder, MAX_SCORE};
pub use candidate::{Candidate, CandidateId, Candidates, MAX_CANDIDATES};
pub use election::{Election, Profile};
pub use error::{BallotError, CountError, ElectionError};
pub use pairwise::PairwiseMatrix;
pub use rules::{CountOptions, Elimination, IrvOptions, IrvStop, Rule, RuleInfo, CATALOGUE};
pub use tabulation::RoundKind;
pub use tabulation::{
    ElectedReason, EliminatedReason, Event, InactiveTally, Round, RoundAction, Tabulation, Transfer, TransferTarget,
};
pub use tiebreak::{TieBreak, TieBreakError, TieBreakStep, TieDecision, TieKind};
