//! `psephos rules`: the rule catalogue.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use crate::output::Stdout;

/// Examples for `psephos rules --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos rules
  psephos rules --json
  psephos rules | grep -i condorcet";

/// Arguments of `psephos rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Lists every rule.
pub fn run(args: RulesArgs) -> Result<()> {
    let mut out = Stdout::new();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&psephos_report::rules::catalogue_json())?)?;
        return out.finish();
    }
    let width = psephos::CATALOGUE.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let alias_width = psephos::CATALOGUE.iter().map(|r| r.aliases.join(", ").len()).max().unwrap_or(0);
    writeln!(out, "{:width$}  {:alias_width$}  description", "id", "aliases")?;
    for r in psephos::CATALOGUE {
        writeln!(out, "{:width$}  {:alias_width$}  {}", r.id, r.aliases.join(", "), r.description)?;
    }
    out.finish()
}
