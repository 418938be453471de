//! `psephos replay`: an official London count rebuilt and counted again.

use std::io::Write;

use anyhow::{bail, Context, Result};
use clap::Args;
use psephos::CountOptions;
use psephos_sim::presets::{self, PresetKind};
use psephos_sim::Replay;

use crate::output::Stdout;

/// Examples for `psephos replay --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos replay london-2021
  psephos replay london-2000 --json";

/// Arguments of `psephos replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The election: london-2000, london-2004, london-2008, london-2012, london-2016, london-2021 or london-2024.
    pub election: String,
    /// Print the count as JSON (the shape of one entry of `tally --json`'s `results`).
    #[arg(long)]
    pub json: bool,
}

/// Rebuilds, counts and checks.
pub fn run(args: ReplayArgs) -> Result<()> {
    let Some(p) = presets::find(&args.election).filter(|p| p.kind == PresetKind::Replay) else {
        let ids: Vec<&str> = presets::PRESETS.iter().filter(|p| p.kind == PresetKind::Replay).map(|p| p.id).collect();
        bail!("no replay `{}`; available: {}", args.election, ids.join(", "));
    };
    let replay = Replay::from_toml(p.text, p.id)?;
    let election = replay.election().context("cannot rebuild the ballots")?;
    let t = replay
        .rule
        .count(&election, &CountOptions::default())
        .map_err(|e| crate::describe_count_error(&e, &election))?;
    let check = replay.check(&election, &t);
    let mut out = Stdout::new();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&psephos_report::json::tabulation_json(&t, &election.candidates))?
        )?;
    } else {
        writeln!(out, "{}", replay.title)?;
        if let Some(notes) = &replay.notes {
            for line in notes.lines() {
                writeln!(out, "Note: {line}")?;
            }
        }
        writeln!(out)?;
        write!(out, "{}", psephos_report::text::tabulation(&t, &election.candidates))?;
        match &check {
            Ok(()) => writeln!(
                out,
                "\nEvery first-round{} total and the winner ({}) equal the official figures.",
                if t.rounds.len() > 1 { " and final-round" } else { "" },
                replay.winner
            )?,
            Err(m) => writeln!(out, "\nDIFFERS FROM THE OFFICIAL COUNT: {m}")?,
        }
        writeln!(out, "Sources: {}", replay.sources.join("; "))?;
    }
    out.finish()?;
    check.map_err(|m| anyhow::anyhow!("the replay differs from the official count: {m}"))
}
