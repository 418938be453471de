//! `psephos yee`: Yee diagrams of one or more rules, side by side.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;
use psephos::Rule;
use psephos_study::yee::{yee, YeeOptions, SMITH_14};

use crate::output::{self, is_dash, note, Stdout};

/// Examples for `psephos yee --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos yee --rule plurality --rule irv --rule schulze --svg yee.svg
  psephos yee --rule irv --rule borda --candidates \"50,50;150,50;100,150;100,90\" --png yee.png
  psephos yee --rule irv --size 100 --voters 500 --sigma 196 --svg - > irv.svg";

/// Arguments of `psephos yee`.
#[derive(Debug, Args)]
pub struct YeeArgs {
    /// A rule to draw (repeatable, 1 to 12; one panel each, side by side).
    #[arg(long = "rule", short = 'r', value_name = "RULE", required = true)]
    pub rules: Vec<Rule>,
    /// Candidates' positions as \"x,y;x,y;…\" in the window [0,200)², origin at the lower
    /// left; default: W. D. Smith's 14 random points.
    #[arg(long, value_name = "X,Y;…")]
    pub candidates: Option<String>,
    /// Standard deviation of the voters around each pixel, on each axis (Smith: 70).
    #[arg(long, default_value_t = 70.0)]
    pub sigma: f64,
    /// Voters per pixel, 1 to 100,000.
    #[arg(long, default_value_t = 1000)]
    pub voters: u64,
    /// Pixels on each side of a panel, 1 to 1,000 (Smith: 200).
    #[arg(long, default_value_t = 200)]
    pub size: usize,
    /// Seed of the voters' positions (the same voters are used at every pixel).
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Write the picture as SVG to FILE (`-`: standard output).
    #[arg(long, value_name = "FILE", required_unless_present = "png")]
    pub svg: Option<PathBuf>,
    /// Write the picture as PNG to FILE.
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
}

/// Parses `x,y;x,y;…`.
fn points(text: &str) -> Result<Vec<(f64, f64)>> {
    text.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (x, y) = p.split_once(',').with_context(|| format!("--candidates: `{p}` is not x,y"))?;
            let num = |v: &str| v.trim().parse::<f64>().with_context(|| format!("--candidates: `{v}` is not a number"));
            Ok((num(x)?, num(y)?))
        })
        .collect()
}

/// Draws the diagrams and writes them.
pub fn run(args: YeeArgs) -> Result<()> {
    if args.png.as_deref().is_some_and(is_dash) {
        bail!("--png -: a PNG picture goes to a file");
    }
    let outputs: Vec<(&str, &std::path::Path)> = [("--svg", &args.svg), ("--png", &args.png)]
        .into_iter()
        .filter_map(|(n, p)| p.as_deref().map(|p| (n, p)))
        .collect();
    output::refuse_overwrite(&[], &outputs)?;
    let candidates = match &args.candidates {
        Some(text) => points(text)?,
        None => SMITH_14.to_vec(),
    };
    let options = YeeOptions {
        candidates,
        sigma: args.sigma,
        voters: args.voters,
        size: args.size,
        seed: args.seed,
        rules: args.rules.clone(),
    };
    options.check()?;
    let maps = yee(&options)?;
    let mut out = Stdout::new();
    if let Some(path) = &args.svg {
        crate::commands::sweep::write_out(path, &psephos_report::yee::svg(&options, &maps), &mut out)?;
    }
    if let Some(path) = &args.png {
        let bytes = psephos_report::yee::png(&options, &maps).context("cannot encode the PNG picture")?;
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        note(format_args!("wrote {}", path.display()));
    }
    out.finish()
}
