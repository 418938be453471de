//! `psephos rctab`: count a contest from its RCTab configuration and write
//! RCTab's reports, or convert its cast-vote records.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};
use psephos_rctab::{convert_config, tabulate_config, write_reports, Conversion};

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
    let files = match args.convert {
        None => tabulate_config(&args.config)?,
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
