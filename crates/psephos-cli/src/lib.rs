//! The `psephos` command's commands, as a library so that other front ends
//! (the Python package) read files and count exactly as the command line
//! does, without a copy of the code. The output itself (JSON objects, text,
//! CSV, charts) is built by the `psephos-report` crate. Not a stable API: the
//! crates `psephos`, `psephos-io` and `psephos-sim` are.

pub mod alloc;
pub mod args;
pub mod commands;
pub mod input;
pub mod output;
pub mod progress;

use psephos::{CountError, Election};

/// A count error with candidate names in place of ids, for a message that
/// names the rule itself.
pub fn describe_count_error(err: &CountError, election: &Election) -> anyhow::Error {
    anyhow::anyhow!(psephos_report::count_error_message(err, election))
}
