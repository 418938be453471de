//! # psephos-rctab
//!
//! An RCTab drop-in: reads an RCTab contest configuration and its cast-vote
//! records, counts them exactly as RCTab does, and writes RCTab's reports.

pub mod cdf_out;
pub mod config;
pub mod contest;
pub mod decimal;
pub mod java;
pub mod report;
pub mod run;
pub mod tabulation_json;
pub mod tabulator;

pub use config::{ConfigError, ConfigProblem, ContestConfig};
pub use contest::RctabError;
pub use run::{convert_config, tabulate_config, tabulate_config_with, write_reports, Conversion, ReportFile};
pub use tabulator::OperatorDecision;
