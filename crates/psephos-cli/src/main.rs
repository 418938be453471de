//! `psephos`: count, read, audit and simulate elections.

mod commands;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// psephos: an election engine. Counts real ballots under every major voting
/// system, round by round, with every ballot and every tie decision accounted for.
#[derive(Debug, Parser)]
#[command(name = "psephos", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Count a ballot file under one or more rules, round by round.
    Tally(commands::tally::TallyArgs),
    /// List every rule id, its aliases and what it does.
    Rules(commands::rules::RulesArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Tally(args) => commands::tally::run(args),
        Command::Rules(args) => commands::rules::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
