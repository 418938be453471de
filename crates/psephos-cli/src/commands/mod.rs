//! One module per subcommand.

pub mod allocate;
pub mod ams;
pub mod audit;
pub mod backtest;
pub mod docs;
pub mod rctab;
pub mod replay;
pub mod rules;
pub mod scenarios;
pub mod serve;
pub mod simulate;
pub mod study;
pub mod sweep;
pub mod tally;
pub mod yee;
