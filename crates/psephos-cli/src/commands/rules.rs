//! `psephos rules`: the rule catalogue.

use anyhow::Result;
use clap::Args;

/// Arguments of `psephos rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Lists every rule.
pub fn run(args: RulesArgs) -> Result<()> {
    if args.json {
        let list: Vec<serde_json::Value> = psephos::CATALOGUE
            .iter()
            .map(|r| serde_json::json!({"id": r.id, "aliases": r.aliases, "description": r.description}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    let width = psephos::CATALOGUE.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let alias_width = psephos::CATALOGUE.iter().map(|r| r.aliases.join(", ").len()).max().unwrap_or(0);
    println!("{:width$}  {:alias_width$}  description", "id", "aliases");
    for r in psephos::CATALOGUE {
        println!("{:width$}  {:alias_width$}  {}", r.id, r.aliases.join(", "), r.description);
    }
    Ok(())
}
