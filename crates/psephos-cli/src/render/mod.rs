//! Renderers: text for people, JSON for programs.

pub mod audit;
pub mod csv;
pub mod json;
pub mod svg;
pub mod text;

use psephos::{CountError, Election};

/// A count error with candidate names in place of ids.
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
        other => anyhow::anyhow!("{other}"),
    }
}
