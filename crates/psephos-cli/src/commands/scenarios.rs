//! `psephos scenarios`: the built-in scenarios and replays.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use psephos_sim::presets::{self, PresetKind};
use psephos_sim::Scenario;

use crate::input;
use crate::output::{is_dash, Stdout};

/// Examples for `psephos scenarios --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos scenarios
  psephos scenarios show london-2024-corbyn-rw > my-scenario.toml
  psephos scenarios show london-2024-corbyn-rw | psephos simulate - --draws 2000";

/// Arguments of `psephos scenarios`.
#[derive(Debug, Args)]
pub struct ScenariosArgs {
    // A doc comment here would become help text; the subcommands carry theirs.
    #[allow(missing_docs)]
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
    let mut out = Stdout::new();
    match args.action {
        None => {
            let width = presets::PRESETS.iter().map(|p| p.id.len()).max().unwrap_or(0);
            for (kind, heading) in [(PresetKind::Scenario, "Scenarios"), (PresetKind::Replay, "Replays")] {
                writeln!(out, "{heading}:")?;
                for p in presets::PRESETS.iter().filter(|p| p.kind == kind) {
                    let default = if p.id == presets::DEFAULT { " (default)" } else { "" };
                    writeln!(out, "  {:width$}  {}{default}", p.id, p.description)?;
                }
            }
            writeln!(out, "\n`psephos scenarios show ID` prints one as TOML.")?;
        }
        Some(ScenariosAction::Show { id }) => match presets::find(&id) {
            Some(p) => out.write_all(p.text.as_bytes())?,
            None => bail!("no preset `{id}`; `psephos scenarios` lists them"),
        },
    }
    out.finish()
}

/// A scenario from a preset id or a TOML file (`-`: standard input), with the name to report it by.
pub fn load(arg: Option<&str>) -> Result<(Scenario, String)> {
    let arg = arg.unwrap_or(presets::DEFAULT);
    if let Some(p) = presets::find(arg) {
        if p.kind != PresetKind::Scenario {
            bail!("`{arg}` is an official result, not a poll scenario; run `psephos replay {arg}`");
        }
        return Ok((Scenario::from_toml(p.text, p.id)?, p.id.to_owned()));
    }
    let path = Path::new(arg);
    if !is_dash(path) && !path.exists() {
        bail!("`{arg}` is neither a preset nor a file; `psephos scenarios` lists the presets");
    }
    let name = input::name(path);
    let text = input::read_text(path)?;
    Ok((Scenario::from_toml(&text, &name)?, name))
}
