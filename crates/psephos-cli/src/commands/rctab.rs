//! `psephos rctab`: count a contest from its RCTab configuration and write
//! RCTab's reports, or convert its cast-vote records.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use psephos_rctab::{convert_config, tabulate_config_with, write_reports, Conversion, OperatorDecision};

/// Examples for `psephos rctab --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos rctab testdata/rctab/2013_minneapolis_mayor/2013_minneapolis_mayor_config.json --out reports
  psephos rctab testdata/rctab/tiebreak_seed_test/tiebreak_seed_test_config.json --out reports
  psephos rctab testdata/rctab/test_set_1_exhaust_at_overvote/test_set_1_exhaust_at_overvote_config.json --out cvrs --convert cdf";

/// Arguments of `psephos rctab`.
#[derive(Debug, Args)]
pub struct RctabArgs {
    /// An RCTab contest configuration (`<stem>_config.json`); CVR paths are relative to it.
    pub config: PathBuf,
    /// Folder to write the reports into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Convert the CVRs instead of counting: `cdf` (NIST CDF JSON) or `csv` (RCTab's CVR CSV).
    #[arg(long, value_name = "FORMAT")]
    pub convert: Option<ConvertTo>,
    /// Decide the ties the configuration leaves to an operator (stopCountingAndAsk,
    /// previousRoundCountsThenAsk): `candidate-order` (the configuration's order: the
    /// earliest listed wins, the latest loses) or `random` (with --seed). Without it
    /// such a tie stops the count, naming the tied candidates.
    #[arg(long, value_name = "DECISION")]
    pub tie_break: Option<OperatorTieBreak>,
    /// The seed of `--tie-break random` (Java's `Random`, as RCTab draws).
    #[arg(long, value_name = "N", requires = "tie_break")]
    pub seed: Option<i64>,
}

/// What decides a tie left to an operator.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OperatorTieBreak {
    /// The configuration's candidate order.
    CandidateOrder,
    /// A seeded random choice.
    Random,
}

/// What `--convert` writes.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ConvertTo {
    /// `<stem>_cdf_cvr.json`, a NIST SP 1500-103 CDF JSON CVR report.
    Cdf,
    /// `<stem>.csv`, RCTab's own CVR CSV.
    Csv,
}

/// Runs the command.
pub fn run(args: RctabArgs) -> Result<()> {
    let operator = match (args.tie_break, args.seed) {
        (None, _) => OperatorDecision::Stop,
        (Some(OperatorTieBreak::Random), Some(seed)) => OperatorDecision::Random(seed),
        (Some(OperatorTieBreak::Random), None) => bail!("--tie-break random needs --seed N"),
        (Some(OperatorTieBreak::CandidateOrder), _) => {
            let config = psephos_rctab::ContestConfig::load(&args.config)?;
            OperatorDecision::CandidateOrder(config.candidates.iter().map(|c| c.name.clone()).collect())
        }
    };
    let files = match args.convert {
        None => tabulate_config_with(&args.config, &operator)?,
        Some(to) => {
            let to = match to {
                ConvertTo::Cdf => Conversion::Cdf,
                ConvertTo::Csv => Conversion::Csv,
            };
            vec![convert_config(&args.config, to)?]
        }
    };
    for path in write_reports(&args.out, &files)? {
        println!("{}", path.display());
    }
    Ok(())
}
