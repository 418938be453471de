//! `psephos simulate`: win probabilities from a poll scenario.

use std::io::Write as _;

use anyhow::Result;
use clap::Args;
use psephos_report::simulate::{json, text};
use psephos_sim::{Measures, Model, Noise};

use crate::args::DrawArgs;
use crate::commands::scenarios;
use crate::output::Stdout;
use crate::progress::Progress;

/// Examples for `psephos simulate --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos simulate
  psephos simulate london-2024-corbyn-fon --draws 100000 --seed 7
  psephos simulate --rule plurality --rule irv --spoilers
  psephos scenarios show london-2024-corbyn-rw | psephos simulate - --json";

/// Arguments of `psephos simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A scenario file (TOML; `-` reads standard input) or a preset id;
    /// default: london-2024-corbyn-rw. See `psephos scenarios`.
    pub scenario: Option<String>,
    /// Draws, seed and rules.
    #[command(flatten)]
    pub sim: DrawArgs,
    /// Also test, in every simulated election and under every rule, whether
    /// each losing candidate is a spoiler (their withdrawal from the ballots
    /// changes the winner), and report how often. Costs one more count per
    /// rule and losing candidate.
    #[arg(long)]
    pub spoilers: bool,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Runs the simulation and prints it.
pub fn run(args: SimulateArgs) -> Result<()> {
    let (scenario, origin) = scenarios::load(args.scenario.as_deref())?;
    let options = args.sim.options(&scenario.rules);
    let model = Model::new(&scenario, Noise::FULL);
    let progress = Progress::new(args.sim.draws);
    let measures = if args.spoilers { Measures::SPOILERS } else { Measures::WINNERS };
    let summary = psephos_sim::run_with(&model, &options, &measures, Some(&|k| progress.inc(k)))?;
    progress.finish();
    let mut out = Stdout::new();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&json(&origin, &scenario, &summary))?)?;
    } else {
        write!(out, "{}", text(&scenario, &summary))?;
    }
    out.finish()
}
