//! Renderers: text for people, JSON for programs.

pub mod audit;
pub mod csv;
pub mod json;
pub mod study;
pub mod svg;
pub mod text;
pub mod yee;

use psephos::{CountError, Election};

/// A count error with candidate names in place of ids, for a message that
/// names the rule itself.
pub fn describe_count_error(err: &CountError, election: &Election) -> anyhow::Error {
    match err {
        CountError::UnresolvedTie { round, tied, what } => {
            let names: Vec<&str> = tied.iter().map(|&c| election.candidates.name(c)).collect();
            anyhow::anyhow!(
                "round {round}: tie for {what} between {} that the tie-break chain cannot resolve; \
                 add `random` to --tie-break (with --seed) or `candidate-order`",
                names.join(", ")
            )
        }
        // The callers name the rule.
        CountError::Unsupported { reason, .. } => anyhow::anyhow!("{reason}"),
        CountError::NoBallots { .. } => anyhow::anyhow!("there are no ballots to count, so nobody is elected"),
        other => anyhow::anyhow!("{other}"),
    }
}
