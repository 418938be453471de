//! `psephos tally`: count a ballot file under one or more rules.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;
use psephos::{
    CountError, CountOptions, DuplicatePolicy, Election, NormalisePolicy, OvervotePolicy, Rule, SkippedPolicy,
    Tabulation, TieBreak,
};
use psephos_io::{BallotFile, CsvOptions, Format, ReadOptions};

use crate::render;

/// Arguments of `psephos tally`.
#[derive(Debug, Args)]
pub struct TallyArgs {
    /// The ballot file (BLT, PrefLib .soc/.soi/.toc/.toi, or CSV).
    pub file: PathBuf,
    /// The file's format, when its extension or content does not tell: blt, preflib, csv.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<Format>,
    /// A rule to count under (repeatable); see `psephos rules`. Default: plurality and irv.
    #[arg(long = "rule", short = 'r', value_name = "RULE")]
    pub rules: Vec<Rule>,
    /// Count under every rule that accepts these ballots.
    #[arg(long, conflicts_with = "rules")]
    pub all_rules: bool,
    /// Seats to fill (multi-winner rules); default: as the file says, else 1.
    #[arg(long)]
    pub seats: Option<u32>,
    /// Overvoted ranks: exhaust, skip, exhaust-if-multiple-continuing.
    #[arg(long, value_name = "POLICY", default_value = "exhaust")]
    pub overvote: OvervotePolicy,
    /// Skipped ranks: ignore, exhaust-after:N.
    #[arg(long, value_name = "POLICY", default_value = "ignore")]
    pub skipped: SkippedPolicy,
    /// A candidate ranked twice: skip, exhaust.
    #[arg(long, value_name = "POLICY", default_value = "skip")]
    pub duplicates: DuplicatePolicy,
    /// The tie-break chain, comma-separated: previous-rounds, first-round, candidate-order, random.
    #[arg(long, value_name = "CHAIN", default_value = "previous-rounds,candidate-order")]
    pub tie_break: TieBreak,
    /// The seed of the `random` tie-break step (required when the chain has one).
    #[arg(long)]
    pub seed: Option<u64>,
    /// CSV field delimiter (a single character; `\t` for tab).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// One rule's outcome: a result or the reason it could not count.
pub enum Outcome {
    /// Counted.
    Counted(Tabulation),
    /// Refused (wrong ballot kind, too many candidates, …) under `--all-rules`.
    Refused(&'static str, String),
}

/// Reads, normalises and counts.
pub fn run(args: TallyArgs) -> Result<()> {
    let mut read = ReadOptions { format: args.format, ..ReadOptions::default() };
    if let Some(d) = &args.delimiter {
        read.csv = CsvOptions { delimiter: Some(parse_delimiter(d)?), ..read.csv };
    }
    let file = psephos_io::read_path(&args.file, &read)?;
    let policy = NormalisePolicy { overvote: args.overvote, skipped: args.skipped, duplicates: args.duplicates };
    let seats = args.seats.or(file.seats).unwrap_or(1);
    let election = Election::from_raw(file.candidates.clone(), seats, &file.ballots, policy)
        .with_context(|| format!("{}: cannot set up the count", args.file.display()))?;
    let mut tie_break = args.tie_break.clone();
    if tie_break.is_random() {
        match args.seed {
            Some(seed) => tie_break = tie_break.with_seed(seed),
            None => bail!("the tie-break chain `{tie_break}` draws lots: give --seed N so the count can be repeated"),
        }
    }
    let options = CountOptions { tie_break };
    let rules: Vec<Rule> = if args.all_rules {
        psephos::CATALOGUE.iter().map(|r| r.rule).collect()
    } else if args.rules.is_empty() {
        vec![Rule::Plurality, "irv".parse()?]
    } else {
        args.rules.clone()
    };
    let mut outcomes = Vec::with_capacity(rules.len());
    for rule in &rules {
        match rule.count(&election, &options) {
            Ok(t) => outcomes.push(Outcome::Counted(t)),
            Err(CountError::Unsupported { rule, reason }) if args.all_rules => {
                outcomes.push(Outcome::Refused(rule, reason))
            }
            Err(e) => return Err(render::describe_count_error(&e, &election)).context(format!("rule {rule}")),
        }
    }
    let name = args.file.display().to_string();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&render::json::tally(&name, &file, &election, &outcomes))?);
    } else {
        print!("{}", render::text::tally(&name, &file, &election, &outcomes));
    }
    Ok(())
}

fn parse_delimiter(s: &str) -> Result<u8> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => bail!("--delimiter takes one ASCII character (or \\t), not `{s}`"),
    }
}

/// The file's title or, failing that, its name.
pub fn title(name: &str, file: &BallotFile) -> String {
    file.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| name.to_owned())
}
