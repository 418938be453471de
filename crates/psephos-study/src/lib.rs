//! # psephos-study
//!
//! How good is each voting rule? A study draws many synthetic electorates
//! from a model ([`models`]), counts each one under every rule with the
//! core's rules (the same counting code as `psephos tally`), and measures
//! how often each rule elects the Condorcet winner, how much voter
//! satisfaction it delivers, how often a spoiler changes its result, how
//! often it elects a Condorcet or majority loser and how often a tie-break
//! decides it ([`metrics`]), each with its Monte Carlo standard error.
//!
//! No I/O and no printing: the command line reads files and renders results.
//!
//! ```
//! use psephos_study::{models::Model, run, ParadoxSearch, Shard, SpoilerTest, StudyOptions};
//! let options = StudyOptions {
//!     model: Model::ImpartialCulture,
//!     candidates: 3,
//!     voters: 101,
//!     elections: 200,
//!     seed: 1,
//!     rules: vec!["plurality".parse().unwrap(), "schulze".parse().unwrap()],
//!     spoilers: SpoilerTest::On,
//!     paradoxes: ParadoxSearch::Off,
//!     shard: Shard::WHOLE,
//!     count: Default::default(),
//! };
//! let counts = run(&options, None).unwrap();
//! assert_eq!(counts.electorates, 200);
//! // Schulze always elects the Condorcet winner.
//! assert_eq!(counts.rule_estimates(1).condorcet_efficiency.unwrap().value, 1.0);
//! ```

pub mod metrics;
pub mod models;
pub mod profile;
pub mod study;
pub mod yee;

pub use metrics::{Estimate, MergeError, RuleCounts, RuleEstimates, StudyCounts};
pub use models::{Electorate, Model};
pub use study::{default_rules, run, ParadoxSearch, Shard, SpoilerTest, StudyOptions};

/// Why a study cannot run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StudyError {
    /// A size over its bound.
    #[error("{0}")]
    Bounds(String),
    /// A model parameter or a rule that cannot be used.
    #[error("{0}")]
    Parameter(String),
    /// The ballots to resample cannot be used.
    #[error("bootstrap: {0}")]
    Bootstrap(String),
    /// A count failed.
    #[error("electorate {electorate}, rule {rule}: {source}")]
    Count {
        /// The electorate's index.
        electorate: u64,
        /// The rule.
        rule: String,
        /// Why.
        source: psephos::CountError,
    },
    /// A count elected no one.
    #[error("electorate {electorate}, rule {rule}: the count elected no one")]
    NoWinner {
        /// The electorate's index.
        electorate: u64,
        /// The rule.
        rule: String,
    },
}
