//! `psephos`: count, read, audit and simulate elections.

mod args;
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
    Tally(Box<commands::tally::TallyArgs>),
    /// Audit an election: Condorcet winner, every rule's winner, spoilers, paradoxes and margins.
    Audit(commands::audit::AuditArgs),
    /// List every rule id, its aliases and what it does.
    Rules(commands::rules::RulesArgs),
    /// Share seats among parties by a list method (D'Hondt, Sainte-Laguë, largest remainder).
    Allocate(commands::allocate::AllocateArgs),
    /// Fill mixed-member list seats on top of constituency seats (London Assembly, Scottish Parliament).
    Ams(commands::ams::AmsArgs),
    /// Simulate a race from a poll scenario: win probabilities under each rule.
    Simulate(commands::simulate::SimulateArgs),
    /// Vary the entrant's share and chart each candidate's chance under each rule.
    Sweep(commands::sweep::SweepArgs),
    /// Check a final-week poll scenario against the actual result.
    Backtest(commands::backtest::BacktestArgs),
    /// Rebuild an official London count from its published figures and count it again.
    Replay(commands::replay::ReplayArgs),
    /// List the built-in scenarios and replays, or print one.
    Scenarios(commands::scenarios::ScenariosArgs),
    /// Count a contest from an RCTab configuration and write RCTab's reports (or convert its CVRs).
    Rctab(commands::rctab::RctabArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Tally(args) => commands::tally::run(*args),
        Command::Audit(args) => commands::audit::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Allocate(args) => commands::allocate::run(args),
        Command::Ams(args) => commands::ams::run(args),
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Sweep(args) => commands::sweep::run(args),
        Command::Backtest(args) => commands::backtest::run(args),
        Command::Replay(args) => commands::replay::run(args),
        Command::Scenarios(args) => commands::scenarios::run(args),
        Command::Rctab(args) => commands::rctab::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
