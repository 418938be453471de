//! `psephos sweep`: win chances as the entrant's share varies.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use psephos::Rule;
use psephos_report::sweep as report;
use psephos_sim::{sweep, SimOptions};

use crate::commands::scenarios;
use crate::output::{self, is_dash, note, Stdout};
use crate::progress::Progress;

/// Examples for `psephos sweep --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos sweep
  psephos sweep london-2024-corbyn-rw --entrant-share 0:25:5 --draws 1000 --svg corbyn.svg --csv corbyn.csv
  psephos sweep london-2024-corbyn-fon --rule irv --svg - > chart.svg";

/// Arguments of `psephos sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// A scenario with an entrant (file, `-` for standard input, or preset
    /// id); default: london-2024-corbyn-rw.
    pub scenario: Option<String>,
    /// The entrant's shares to try, in percent: FROM:TO:STEP (at most 1,000 steps).
    #[arg(long, value_name = "FROM:TO:STEP", default_value = "0:20:2.5")]
    pub entrant_share: String,
    /// Simulated elections per share; draws times steps at most 10,000,000.
    #[arg(long, default_value_t = 2_000, value_parser = crate::args::draws_parser())]
    pub draws: u64,
    /// Seed of the random draws (the same at every share: common random numbers).
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// A rule to count under (repeatable); default: the scenario's rules.
    #[arg(long = "rule", short = 'r', value_name = "RULE")]
    pub rules: Vec<Rule>,
    /// Write an SVG line chart here; `-` prints it instead of the table.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Write the table as CSV here; `-` prints it instead of the table.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

fn parse_range(s: &str) -> Result<Vec<f64>> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 3 {
        bail!("--entrant-share takes FROM:TO:STEP, e.g. 0:20:2.5; got `{s}`");
    }
    let num = |p: &str| p.trim().parse::<f64>().with_context(|| format!("--entrant-share: `{p}` is not a number"));
    let (from, to, step) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
    // A share of 0 means no entrant at all; sweep from just above it.
    let mut shares = sweep::steps(from, to, step)?;
    for s in &mut shares {
        if *s <= 0.0 {
            *s = 0.01;
        }
    }
    Ok(shares)
}

/// Runs the sweep.
pub fn run(args: SweepArgs) -> Result<()> {
    let outputs: Vec<(&str, &Path)> = [("--svg", &args.svg), ("--csv", &args.csv)]
        .into_iter()
        .filter_map(|(name, p)| p.as_deref().map(|p| (name, p)))
        .collect();
    if args.svg.as_deref().is_some_and(is_dash) && args.csv.as_deref().is_some_and(is_dash) {
        bail!("--svg - and --csv - would both print to standard output: write one of them to a file");
    }
    let scenario_arg = args.scenario.as_deref().map(Path::new);
    let inputs: Vec<(&str, &Path)> = scenario_arg.filter(|p| p.exists()).map(|p| ("scenario", p)).into_iter().collect();
    output::refuse_overwrite(&inputs, &outputs)?;
    let shares = parse_range(&args.entrant_share)?;
    let total = args.draws.saturating_mul(shares.len() as u64);
    if total > psephos_sim::MAX_DRAWS {
        bail!(
            "{} shares × {} draws = {total} simulated elections; at most {}: fewer steps or fewer draws",
            shares.len(),
            args.draws,
            psephos_sim::MAX_DRAWS
        );
    }
    let (scenario, origin) = scenarios::load(args.scenario.as_deref())?;
    if scenario.entrant.is_none() {
        bail!("{origin} has no [entrant]: there is nothing to sweep");
    }
    let rules = crate::args::rules_or(&args.rules, &scenario.rules);
    let options = SimOptions { draws: args.draws, seed: args.seed, rules: rules.clone() };
    let progress = Progress::new(total);
    let points = sweep::run(&scenario, &shares, &options, Some(&|k| progress.inc(k)))?;
    progress.finish();
    let mut stdout = Stdout::new();
    if !outputs.iter().any(|(_, p)| is_dash(p)) {
        write!(stdout, "{}", report::text(&scenario, &rules, &points, args.draws, args.seed))?;
    }
    if let Some(path) = &args.csv {
        write_out(path, &report::csv(&scenario, &rules, &points), &mut stdout)?;
    }
    if let Some(path) = &args.svg {
        write_out(path, &report::chart(&scenario, &rules, &points), &mut stdout)?;
    }
    stdout.finish()
}

/// Writes `text` to the file `path`, saying so on stderr, or to standard
/// output for `-`.
pub fn write_out(path: &Path, text: &str, stdout: &mut Stdout) -> Result<()> {
    if is_dash(path) {
        stdout.write_all(text.as_bytes())?;
        return Ok(());
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    note(format_args!("wrote {}", path.display()));
    Ok(())
}
