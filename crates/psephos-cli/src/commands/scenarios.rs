//! `psephos scenarios`: the built-in scenarios and replays.

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use psephos_sim::presets::{self, PresetKind};
use psephos_sim::Scenario;

/// Arguments of `psephos scenarios`.
#[derive(Debug, Args)]
pub struct ScenariosArgs {
    #[command(subcommand)]
    pub action: Option<ScenariosAction>,
}

/// What to do with the presets.
#[derive(Debug, Subcommand)]
pub enum ScenariosAction {
    /// Print a preset's TOML, to copy and edit.
    Show {
        /// The preset's id.
        id: String,
    },
}

/// Lists the presets or prints one.
pub fn run(args: ScenariosArgs) -> Result<()> {
    match args.action {
        None => {
            let width = presets::PRESETS.iter().map(|p| p.id.len()).max().unwrap_or(0);
            for (kind, heading) in [(PresetKind::Scenario, "Scenarios"), (PresetKind::Replay, "Replays")] {
                println!("{heading}:");
                for p in presets::PRESETS.iter().filter(|p| p.kind == kind) {
                    let default = if p.id == presets::DEFAULT { " (default)" } else { "" };
                    println!("  {:width$}  {}{default}", p.id, p.description);
                }
            }
            println!("\n`psephos scenarios show ID` prints one as TOML.");
        }
        Some(ScenariosAction::Show { id }) => match presets::find(&id) {
            Some(p) => print!("{}", p.text),
            None => bail!("no preset `{id}`; `psephos scenarios` lists them"),
        },
    }
    Ok(())
}

/// A scenario from a preset id or a TOML file, with the name to report it by.
pub fn load(arg: Option<&str>) -> Result<(Scenario, String)> {
    let arg = arg.unwrap_or(presets::DEFAULT);
    if let Some(p) = presets::find(arg) {
        if p.kind != PresetKind::Scenario {
            bail!("`{arg}` is an official result, not a poll scenario; run `psephos replay {arg}`");
        }
        return Ok((Scenario::from_toml(p.text, p.id)?, p.id.to_owned()));
    }
    let path = std::path::Path::new(arg);
    if !path.exists() {
        bail!("`{arg}` is neither a preset nor a file; `psephos scenarios` lists the presets");
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {arg}"))?;
    Ok((Scenario::from_toml(&text, arg)?, arg.to_owned()))
}
