//! `psephos`: count, read, audit and simulate elections.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use psephos_cli::{commands, output};

#[global_allocator]
static ALLOCATOR: psephos_cli::alloc::HugePages = psephos_cli::alloc::HugePages;

/// The version line: the crate's version, the commit it was built from and
/// the cargo features it was built with (both set by `build.rs`).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("PSEPHOS_COMMIT"),
    ", features: ",
    env!("PSEPHOS_FEATURES"),
    ")"
);

/// psephos: an election engine. Counts real ballots under every major voting
/// system, round by round, with every ballot and every tie decision accounted for.
#[derive(Debug, Parser)]
#[command(name = "psephos", version = VERSION, about, long_about = None)]
#[command(after_help = "\
Every FILE argument may be `-` for standard input. Output closed early (`psephos rules | head -1`)
ends the program quietly with status 0; any other write error is reported with status 1.
`psephos COMMAND --help` shows each command's options and examples.")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Count a ballot file under one or more rules, round by round.
    #[command(after_help = commands::tally::EXAMPLES)]
    Tally(Box<commands::tally::TallyArgs>),
    /// Audit an election: Condorcet winner, every rule's winner, spoilers, paradoxes and margins.
    #[command(after_help = commands::audit::EXAMPLES)]
    Audit(commands::audit::AuditArgs),
    /// List every rule id, its aliases and what it does.
    #[command(after_help = commands::rules::EXAMPLES)]
    Rules(commands::rules::RulesArgs),
    /// Share seats among parties by a list method (D'Hondt, Sainte-Laguë, largest remainder).
    #[command(after_help = commands::allocate::EXAMPLES)]
    Allocate(commands::allocate::AllocateArgs),
    /// Fill mixed-member list seats on top of constituency seats (London Assembly, Scottish Parliament).
    #[command(after_help = commands::ams::EXAMPLES)]
    Ams(commands::ams::AmsArgs),
    /// Simulate a race from a poll scenario: win probabilities under each rule.
    #[command(after_help = commands::simulate::EXAMPLES)]
    Simulate(commands::simulate::SimulateArgs),
    /// How good is each voting rule: Condorcet efficiency, satisfaction, spoilers, over many synthetic electorates.
    #[command(after_help = commands::study::EXAMPLES)]
    Study(Box<commands::study::StudyArgs>),
    /// Yee diagrams: the winner for voters centred at each point of a 2-D map, rules side by side.
    #[command(after_help = commands::yee::EXAMPLES)]
    Yee(commands::yee::YeeArgs),
    /// Vary the entrant's share and chart each candidate's chance under each rule.
    #[command(after_help = commands::sweep::EXAMPLES)]
    Sweep(commands::sweep::SweepArgs),
    /// Check a final-week poll scenario against the actual result.
    #[command(after_help = commands::backtest::EXAMPLES)]
    Backtest(commands::backtest::BacktestArgs),
    /// Rebuild an official London count from its published figures and count it again.
    #[command(after_help = commands::replay::EXAMPLES)]
    Replay(commands::replay::ReplayArgs),
    /// List the built-in scenarios and replays, or print one.
    #[command(after_help = commands::scenarios::EXAMPLES)]
    Scenarios(commands::scenarios::ScenariosArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = commands::docs::COMPLETION_EXAMPLES)]
    Completions(commands::docs::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder.
    #[command(after_help = commands::docs::MAN_EXAMPLES)]
    Man(commands::docs::ManArgs),
    /// Serve the web app: the London question with sliders, counts as charts, audits as heat maps.
    #[command(after_help = commands::serve::EXAMPLES)]
    Serve(commands::serve::ServeArgs),
    /// Count a contest from an RCTab configuration and write RCTab's reports (or convert its CVRs).
    #[command(after_help = commands::rctab::EXAMPLES)]
    Rctab(commands::rctab::RctabArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and the version go through the same writer as everything
        // else, so a full disk is reported and a closed pipe is quiet.
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let text = e.render();
            let text = if std::io::stdout().is_terminal() { text.ansi().to_string() } else { text.to_string() };
            return exit(output::print(&text));
        }
        Err(e) => e.exit(),
    };
    exit(run(cli))
}

/// Runs a command.
fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Tally(args) => commands::tally::run(*args),
        Command::Audit(args) => commands::audit::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Allocate(args) => commands::allocate::run(args),
        Command::Ams(args) => commands::ams::run(args),
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Study(args) => commands::study::run(*args),
        Command::Yee(args) => commands::yee::run(args),
        Command::Sweep(args) => commands::sweep::run(args),
        Command::Backtest(args) => commands::backtest::run(args),
        Command::Replay(args) => commands::replay::run(args),
        Command::Scenarios(args) => commands::scenarios::run(args),
        Command::Completions(args) => commands::docs::completions(args, Cli::command()),
        Command::Man(args) => commands::docs::man(args, Cli::command()),
        Command::Rctab(args) => commands::rctab::run(args),
        Command::Serve(args) => commands::serve::run(args),
    }
}

/// The exit status for a command's result, with the error on stderr.
fn exit(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of a pipe stopped early (`| head`): not a failure.
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            output::note(format_args!("error: {err:#}"));
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `psephos …` invocation in the examples at the end of each
    /// command's help, without shell redirections.
    fn examples() -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for sub in Cli::command().get_subcommands() {
            let help = sub.get_after_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(help.starts_with("Examples"), "`psephos {}` has no examples", sub.get_name());
            for line in help.lines().skip(1) {
                for part in line.split('|').map(str::trim).filter(|p| p.starts_with("psephos ")) {
                    let words: Vec<String> =
                        part.split('>').next().unwrap_or_default().split_whitespace().map(str::to_owned).collect();
                    out.push((sub.get_name().to_owned(), words));
                }
            }
        }
        out
    }

    #[test]
    fn every_example_parses_and_names_files_that_exist() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let examples = examples();
        for name in ["tally", "audit", "allocate", "ams", "simulate", "sweep", "backtest", "completions", "man"] {
            assert!(examples.iter().any(|(sub, words)| sub == name && words[1] == name), "{name}: no example runs it");
        }
        for (_, words) in examples {
            if let Err(e) = Cli::try_parse_from(&words) {
                panic!("{}: {e}", words.join(" "));
            }
            for file in words.iter().filter(|w| w.starts_with("testdata/")) {
                assert!(root.join(file).exists(), "{file}");
            }
        }
    }
}
