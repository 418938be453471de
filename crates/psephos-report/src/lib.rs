//! The reports psephos produces, written once for every front end: the JSON
//! objects of `--json` (a stable interface: keys are added, never renamed or
//! removed), CSV rows, text tables, plain-language narratives and SVG
//! charts. The command line, the web app (`psephos serve`) and the Python
//! package all build their output here, so no shape or chart exists twice.
//!
//! Nothing here prints or touches a file: functions return
//! [`serde_json::Value`]s, `String`s, or write to a caller's
//! [`std::io::Write`].

pub mod audit;
pub mod charts;
pub mod csv;
pub mod declared;
pub mod json;
pub mod rules;
pub mod simulate;
pub mod study;
pub mod svg;
pub mod sweep;
pub mod tally;
pub mod text;
pub mod yee;

use psephos::{CountError, Election};

/// A count error as a message, with candidate names in place of ids, for a
/// message that names the rule itself.
pub fn count_error_message(err: &CountError, election: &Election) -> String {
    match err {
        CountError::UnresolvedTie { round, tied, what } => {
            let names: Vec<&str> = tied.iter().map(|&c| election.candidates.name(c)).collect();
            format!(
                "round {round}: tie for {what} between {} that the tie-break chain cannot resolve; \
                 add `random` to --tie-break (with --seed) or `candidate-order`",
                names.join(", ")
            )
        }
        // The callers name the rule.
        CountError::Unsupported { reason, .. } => reason.clone(),
        CountError::NoBallots { .. } => "there are no ballots to count, so nobody is elected".to_owned(),
        other => other.to_string(),
    }
}
