//! `psephos audit`: what the ballots say beyond who won: the pairwise
//! matrix, the winner under every rule, spoilers, centre squeezes, paradoxes
//! and margins.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;
use psephos::analysis::{
    assemble, condorcet_report, plan, rules_for, run_task, Audit, AuditContext, AuditOptions, Withdrawals,
};
use psephos::{CountOptions, Election, Rule};
use psephos_io::{Format, ReadOptions};
use rayon::prelude::*;

use crate::args::{CountArgs, PolicyArgs};
use crate::output::Stdout;
use crate::{input, render};

/// Examples for `psephos audit --help`.
pub const EXAMPLES: &str = "\
Examples (from a checkout of the repository):
  psephos audit testdata/audit/2009-Burlington-Mayor.blt
  psephos audit testdata/audit/2009-Burlington-Mayor.blt --rule plurality --rule irv --rule schulze
  psephos audit testdata/audit/centre-squeeze.blt --thorough --json > audit.json
  cat testdata/audit/vote-splitting.blt | psephos audit -";

/// Arguments of `psephos audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The ballot file (BLT, PrefLib .soc/.soi/.toc/.toi, or CSV); `-` reads
    /// standard input (the format then comes from --format or the content).
    pub file: PathBuf,
    /// The file's format, when its extension or content does not tell: blt, preflib, csv.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// A rule to audit (repeatable); default: every rule that counts these ballots for the
    /// seats to fill (the single-winner rules for one seat, stv, meek, block and sntv for more).
    #[arg(long = "rule", short = 'r', value_name = "RULE")]
    pub rules: Vec<Rule>,
    /// Seats to fill; default: as the file says, else 1.
    #[arg(long)]
    pub seats: Option<u32>,
    /// Normalisation policies.
    #[command(flatten)]
    pub policies: PolicyArgs,
    /// Recount every withdrawal (no Condorcet shortcut) and search paradoxes and margins further.
    #[arg(long)]
    pub thorough: bool,
    /// Tie-break chain, seed and output.
    #[command(flatten)]
    pub count: CountArgs,
}

/// Reads, normalises and audits.
pub fn run(args: AuditArgs) -> Result<()> {
    let read = ReadOptions { format: args.format, ..ReadOptions::default() };
    let file = crate::commands::tally::read_ballots(&args.file, &read)?;
    // The audit chooses its own rules: a [droop] rule is not taken up.
    let declared = crate::commands::tally::Declared::of(&input::name(&args.file), &file, true);
    let policy = args.policies.policy();
    let name = input::name(&args.file);
    let title = crate::commands::tally::title(&name, &file);
    let seats = args.seats.or(file.seats).unwrap_or(1);
    let election = Election::from_raw(file.candidates, seats, file.ballots, policy)
        .with_context(|| format!("{name}: cannot set up the count"))?;
    let mut options = if args.thorough { AuditOptions::thorough() } else { AuditOptions::standard() };
    options.count = CountOptions { tie_break: declared.tie_break(args.count.tie_break()?) };
    let rules = if args.rules.is_empty() { rules_for(&election) } else { args.rules.clone() };
    if let Some(r) = rules.iter().find(|r| !r.accepts(&election.profile)) {
        bail!("rule {r} does not count {} ballots", election.profile.kind());
    }
    if election.total_ballots() == 0 {
        bail!("{name}: there are no ballots to audit");
    }
    let audit = run_audit(&election, &rules, &options);
    let mut out = Stdout::new();
    if args.count.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&render::audit::json(&name, &title, &election, &audit))?)?;
    } else {
        write!(out, "{}", render::audit::text(&name, &title, &election, &audit))?;
    }
    out.finish()
}

/// The audit, its independent parts run side by side: the pairwise matrix
/// beside the withdrawals and the counts, then every spoiler test, paradox
/// search and margin as its own task. The result is the same for any number
/// of threads.
pub fn run_audit(election: &Election, rules: &[Rule], options: &AuditOptions) -> Audit {
    let standing: Vec<_> = election.candidates.standing().collect();
    let ((condorcet, withdrawn), counts) = rayon::join(
        || {
            rayon::join(
                || condorcet_report(election),
                || standing.par_iter().map(|&c| (c, election.without(c))).collect::<Vec<_>>(),
            )
        },
        || rules.par_iter().map(|&r| (r, r.count(election, &options.count))).collect::<Vec<_>>(),
    );
    let context = AuditContext { condorcet, withdrawals: Withdrawals::from_elections(withdrawn) };
    let tasks = plan(election, &counts);
    let results: Vec<_> = tasks.par_iter().filter_map(|&t| run_task(election, &context, &counts, t, options)).collect();
    assemble(context, counts, results)
}
