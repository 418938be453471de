//! `psephos audit`: what the ballots say beyond who won: the pairwise
//! matrix, the winner under every rule, spoilers, centre squeezes, paradoxes
//! and margins.

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;
use psephos::analysis::{audit_in_parallel, rules_for, Audit, AuditOptions, AuditStep, SearchControl};
use psephos::{CountOptions, Election, Rule};
use psephos_io::{Format, ReadOptions};

use crate::args::{CountArgs, PolicyArgs};
use crate::input;
use crate::output::Stdout;
use crate::progress::Progress;
use psephos_report::text::thousands;

/// The largest `--budget`, in seconds: a day.
pub const MAX_BUDGET_SECONDS: u64 = 86_400;

/// Examples for `psephos audit --help`.
pub const EXAMPLES: &str = "\
Examples (from a checkout of the repository):
  psephos audit testdata/audit/2009-Burlington-Mayor.blt
  psephos audit testdata/audit/2009-Burlington-Mayor.blt --rule plurality --rule irv --rule schulze
  psephos audit testdata/audit/centre-squeeze.blt --thorough --json > audit.json
  psephos audit testdata/audit/2009-Burlington-Mayor.blt --thorough --budget 60
  cat testdata/audit/vote-splitting.blt | psephos audit -";

/// Arguments of `psephos audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The ballot file (BLT, PrefLib .soc/.soi/.toc/.toi, or CSV); `-` reads
    /// standard input (the format then comes from --format or the content).
    pub file: PathBuf,
    /// The file's format, when its extension or content does not tell: blt, preflib, csv, or a
    /// cast-vote record format: ess, cdf, dominion, hart, clear-ballot, rctab-csv.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// The contest to read from a cast-vote record file holding several.
    #[arg(long, value_name = "ID")]
    pub contest: Option<String>,
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
    /// Stop the paradox and margin searches once SECONDS (0 to 86,400) have passed since the
    /// audit began, and say what they covered; results can then depend on the machine's speed.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(..=MAX_BUDGET_SECONDS))]
    pub budget: Option<u64>,
    /// Tie-break chain, seed and output.
    #[command(flatten)]
    pub count: CountArgs,
}

/// Reads, normalises and audits.
pub fn run(args: AuditArgs) -> Result<()> {
    let read = ReadOptions { format: args.format, contest: args.contest.clone(), ..ReadOptions::default() };
    let file = crate::commands::tally::read_ballots(&args.file, &read)?;
    // The audit chooses its own rules: a [droop] rule is not taken up.
    let declared = crate::commands::tally::declared(&input::name(&args.file), &file, true);
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
    options.control = SearchControl::new();
    let budget = args.budget.map(Duration::from_secs);
    let audit = run_watched(&election, &rules, &options, budget);
    let mut out = Stdout::new();
    if args.count.json {
        let json = psephos_report::audit::json(&name, &title, &election, &audit, args.budget);
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        write!(out, "{}", psephos_report::audit::text(&name, &title, &election, &audit, args.budget))?;
    }
    out.finish()
}

/// The audit with a progress bar, and a watcher that stops the searches
/// (through `options.control`) once `budget` has passed. Without a budget the
/// result is that of [`run_audit`].
pub fn run_watched(election: &Election, rules: &[Rule], options: &AuditOptions, budget: Option<Duration>) -> Audit {
    let progress = Progress::with_template(
        rules.len() as u64,
        "{spinner} auditing: {pos}/{len} counts and searches done, {msg}, {elapsed} elapsed",
    );
    if budget == Some(Duration::ZERO) {
        options.control.stop();
    }
    let (done, finished) = channel::<()>();
    let audit = std::thread::scope(|s| {
        s.spawn(|| watch(&options.control, &progress, budget, finished));
        let audit = run_audit(election, rules, options, &progress);
        drop(done);
        audit
    });
    progress.finish();
    audit
}

/// Until the audit is done: shows the recounts made, and stops the searches
/// once the budget has passed.
fn watch(control: &SearchControl, progress: &Progress, budget: Option<Duration>, finished: Receiver<()>) {
    let start = Instant::now();
    let tick = Duration::from_millis(200);
    loop {
        let wait = match budget {
            Some(b) if !control.is_stopped() => {
                let left = b.saturating_sub(start.elapsed());
                if left.is_zero() {
                    control.stop();
                }
                left.clamp(Duration::from_millis(1), tick)
            }
            _ => tick,
        };
        match finished.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
        let stopped = if control.is_stopped() { ", time budget spent: finishing" } else { "" };
        progress.set_message(format!("{} recounts{stopped}", thousands(control.recounts())));
    }
}

/// The audit on all cores ([`audit_in_parallel`]), each count and each
/// task a step of `progress`.
pub fn run_audit(election: &Election, rules: &[Rule], options: &AuditOptions, progress: &Progress) -> Audit {
    audit_in_parallel(election, rules, options, &|step| match step {
        AuditStep::Planned(tasks) => progress.add_length(tasks),
        AuditStep::Done => progress.inc(1),
    })
}
