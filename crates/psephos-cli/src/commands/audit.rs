//! `psephos audit`: what the ballots say beyond who won: the pairwise
//! matrix, the winner under every rule, spoilers, centre squeezes, paradoxes
//! and margins.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;
use psephos::analysis::{
    assemble, condorcet_report, plan, run_task, single_winner_rules, Audit, AuditContext, AuditOptions, Withdrawals,
};
use psephos::{CountOptions, Election, Rule};
use psephos_io::{Format, ReadOptions};
use rayon::prelude::*;

use crate::args::{CountArgs, PolicyArgs};
use crate::render;

/// Arguments of `psephos audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The ballot file (BLT, PrefLib .soc/.soi/.toc/.toi, or CSV).
    pub file: PathBuf,
    /// The file's format, when its extension or content does not tell: blt, preflib, csv, or a
    /// cast-vote record format: ess, cdf, dominion, hart, clear-ballot, rctab-csv.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// The contest to read from a cast-vote record file holding several.
    #[arg(long, value_name = "ID")]
    pub contest: Option<String>,
    /// A rule to audit (repeatable); default: every single-winner rule that counts these ballots.
    #[arg(long = "rule", short = 'r', value_name = "RULE")]
    pub rules: Vec<Rule>,
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
    let read = ReadOptions { format: args.format, contest: args.contest.clone(), ..ReadOptions::default() };
    let file = psephos_io::read_path(&args.file, &read)?;
    let policy = args.policies.policy();
    let name = args.file.display().to_string();
    let title = crate::commands::tally::title(&name, &file);
    let election = Election::from_raw(file.candidates, 1, file.ballots, policy)
        .with_context(|| format!("{}: cannot set up the count", args.file.display()))?;
    let mut options = if args.thorough { AuditOptions::thorough() } else { AuditOptions::standard() };
    options.count = CountOptions { tie_break: args.count.tie_break()? };
    let rules = if args.rules.is_empty() { single_winner_rules(&election.profile) } else { args.rules.clone() };
    if let Some(r) = rules.iter().find(|r| !r.accepts(&election.profile)) {
        bail!("rule {r} does not count {} ballots", election.profile.kind());
    }
    let audit = run_audit(&election, &rules, &options);
    if args.count.json {
        println!("{}", serde_json::to_string_pretty(&render::audit::json(&name, &title, &election, &audit))?);
    } else {
        print!("{}", render::audit::text(&name, &title, &election, &audit));
    }
    Ok(())
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
