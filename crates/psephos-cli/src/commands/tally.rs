//! `psephos tally`: count a ballot file under one or more rules.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use psephos::{CountError, CountOptions, Election, Profile, Rule};
use psephos_io::cardinal_csv::{self, CardinalCsvOptions, CardinalFile};
use psephos_io::{BallotFile, CsvLayout, CsvOptions, Format, ReadOptions};
use rayon::prelude::*;

use psephos_report::declared::Declared;
use psephos_report::tally::{Conversion, Outcome, Source};

use crate::args::{CountArgs, PolicyArgs};
use crate::input;
use crate::output::{self, is_dash, Stdout};

/// Examples for `psephos tally --help`.
pub const EXAMPLES: &str = "\
Examples (from a checkout of the repository):
  psephos tally testdata/blt/us/2006-Burlington-Mayor.blt --rule irv
  psephos tally testdata/blt/scotland-2007/Anderston-City-2007.blt --rule scottish-stv --csv rounds.csv
  psephos tally testdata/cardinal/scores-star-runoff.csv --scores 5 --all-rules --json
  psephos tally testdata/cardinal/approval-six-voters.csv --approval
  cat testdata/blt/us/2006-Burlington-Mayor.blt | psephos tally - --format blt --csv -";

/// Arguments of `psephos tally`.
#[derive(Debug, Args)]
pub struct TallyArgs {
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
    /// A rule to count under (repeatable); see `psephos rules`. Default: stv when more than one
    /// seat is to be filled, else plurality and irv on
    /// ranked ballots, approval on approval ballots, score and star on score ballots.
    #[arg(long = "rule", short = 'r', value_name = "RULE")]
    pub rules: Vec<Rule>,
    /// Count under every rule that accepts these ballots (the others are listed as not counted).
    #[arg(long, conflicts_with = "rules")]
    pub all_rules: bool,
    /// Seats to fill (multi-winner rules; at most the number of standing
    /// candidates); default: as the file says, else 1.
    #[arg(long)]
    pub seats: Option<u32>,
    /// Normalisation policies.
    #[command(flatten)]
    pub policies: PolicyArgs,
    /// Read the file as approval ballots: a CSV with one column per candidate, 1 = approved,
    /// 0 or blank = not.
    #[arg(long, conflicts_with_all = ["scores", "format", "policy", "overvote", "skipped", "duplicates", "equal_ranks"])]
    pub approval: bool,
    /// Read the file as score ballots from 0 to MAX: a CSV with one column per candidate,
    /// a blank cell = unscored.
    #[arg(
        long,
        value_name = "MAX",
        value_parser = clap::value_parser!(u16).range(1..=65534),
        conflicts_with_all = ["format", "policy", "overvote", "skipped", "duplicates", "equal_ranks"]
    )]
    pub scores: Option<u16>,
    /// Also count approval or score ballots under the ranked rules, after an explicit
    /// conversion; the cardinal rules still count the ballots as they are.
    #[arg(long, value_name = "CONVERSION")]
    pub convert: Option<Conversion>,
    /// Also write every round as CSV rows (rule, round, candidate or inactive
    /// reason, votes, percent, elected, eliminated) to this file; `-` writes
    /// them to standard output instead of the tables.
    #[arg(long = "csv", value_name = "FILE")]
    pub csv_out: Option<PathBuf>,
    /// Also write the first rule's count as RCTab's detailed-report JSON (read by RCVis and
    /// other viewers of RCTab's reports) to this file.
    #[arg(long = "rctab-json", value_name = "FILE")]
    pub rctab_json: Option<PathBuf>,
    /// How to read CSV files.
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Tie-break chain, seed and output.
    #[command(flatten)]
    pub count: CountArgs,
}

/// How to read a CSV ballot file.
#[derive(Debug, Args)]
#[command(next_help_heading = "CSV files")]
pub struct CsvArgs {
    /// CSV field delimiter (a single character; `\t` for tab). Default: tab for .tsv files,
    /// else whichever of `,` `;` and tab the header row holds most of.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Column layout: one column per rank holding names, or one column per candidate
    /// holding rank numbers. Default: told from the header.
    #[arg(long, value_name = "LAYOUT", value_enum, default_value_t = Layout::Auto)]
    pub csv_layout: Layout,
    /// The candidates in ballot-paper order, comma-separated: every name in the file must
    /// be one of them, and candidates nobody ranked are still listed.
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub candidates: Vec<String>,
    /// A rank cell meaning "more than one candidate marked" (repeatable; replaces the
    /// default `overvote`).
    #[arg(long, value_name = "LABEL")]
    pub overvote_label: Vec<String>,
    /// A rank cell meaning "no candidate marked" (repeatable; replaces the default
    /// `undervote`; a blank cell always means this).
    #[arg(long, value_name = "LABEL")]
    pub undervote_label: Vec<String>,
    /// A rank cell meaning a write-in (repeatable; replaces the defaults `write-in`, `writein`).
    #[arg(long, value_name = "LABEL")]
    pub writein_label: Vec<String>,
    /// The column holding each row's number of ballots. Default: a column headed
    /// `weight` or `count`, if any.
    #[arg(long, value_name = "COLUMN")]
    pub weight_column: Option<String>,
    /// A column to ignore (repeatable), besides the usual ballot-id, precinct and batch columns.
    #[arg(long, value_name = "COLUMN")]
    pub ignore_column: Vec<String>,
}

/// `--csv-layout` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Layout {
    /// Told from the header.
    Auto,
    /// One column per rank.
    RankColumns,
    /// One column per candidate.
    CandidateColumns,
}

impl CsvArgs {
    /// The reader's options for these arguments.
    fn options(&self, delimiter: Option<u8>) -> CsvOptions {
        let mut o = CsvOptions { delimiter, ..CsvOptions::default() };
        o.layout = match self.csv_layout {
            Layout::Auto => CsvLayout::Auto,
            Layout::RankColumns => CsvLayout::RankColumns,
            Layout::CandidateColumns => CsvLayout::CandidateColumns,
        };
        if !self.candidates.is_empty() {
            o.candidates = Some(self.candidates.iter().map(|c| c.trim().to_owned()).collect());
        }
        o = o.with_labels(&self.overvote_label, &self.undervote_label, &self.writein_label);
        if self.weight_column.is_some() {
            o.weight_column.clone_from(&self.weight_column);
        }
        o.id_columns.extend(self.ignore_column.iter().cloned());
        o
    }
}

/// Reads, normalises and counts.
pub fn run(args: TallyArgs) -> Result<()> {
    let outputs: Vec<(&str, &std::path::Path)> = [("--csv", &args.csv_out), ("--rctab-json", &args.rctab_json)]
        .into_iter()
        .filter_map(|(name, path)| path.as_deref().map(|p| (name, p)))
        .collect();
    output::refuse_overwrite(&[("ballot file", &args.file)], &outputs)?;
    let (mut source, election, declared) = read(&args)?;
    let cardinal = matches!(election.profile, Profile::Approval(_) | Profile::Scored(_));
    let converted = match args.convert {
        Some(Conversion::ScoresToRanks) if !cardinal => {
            bail!("--convert scores-to-ranks converts approval or score ballots: give --approval or --scores MAX")
        }
        Some(Conversion::ScoresToRanks) => Some(election.ranked_from_scores()),
        None => None,
    };
    if election.total_ballots() == 0 {
        bail!("{}: there are no ballots to count, so nobody is elected", source.name);
    }
    let options = CountOptions { tie_break: declared.tie_break(args.count.tie_break()?) };
    let rules: Vec<Rule> = if args.all_rules {
        psephos::CATALOGUE.iter().map(|r| r.rule).collect()
    } else if !args.rules.is_empty() {
        args.rules.clone()
    } else {
        psephos_report::tally::default_rules(&election, declared.rule)
    };
    // Each rule counts the election it accepts; the rules are counted side
    // by side (each count is independent, so the results and their order
    // are those of counting one after another).
    let plan: Vec<(Rule, &Election, bool)> = rules
        .iter()
        .map(|rule| match &converted {
            Some(ranked) if !rule.accepts(&election.profile) && rule.accepts(&ranked.profile) => (*rule, ranked, true),
            _ => (*rule, &election, false),
        })
        .collect();
    // When a rule needs the pairwise matrix, the rules that read it wait
    // until it is built, beside the counts of the others, so that no count
    // waits on it (Borda reads it only when built, else makes its own pass).
    let build_matrix = plan.iter().any(|p| p.0.reads_pairwise() && !matches!(p.0, Rule::Borda(_)));
    let later = |p: &&(Rule, &Election, bool)| build_matrix && p.0.reads_pairwise();
    let count = |(rule, on, _): &(Rule, &Election, bool)| rule.count(on, &options);
    let (first, _) = rayon::join(
        || plan.par_iter().filter(|p| !later(p)).map(count).collect::<Vec<_>>(),
        || {
            for ballots in plan.iter().filter(later).filter_map(|p| p.1.ranked()) {
                ballots.pairwise();
            }
        },
    );
    let second: Vec<_> = plan.par_iter().filter(|p| later(p)).map(count).collect();
    // Back in the order of the plan.
    let (mut first, mut second) = (first.into_iter(), second.into_iter());
    let counts: Vec<_> = plan
        .iter()
        .map(|p| if later(&p) { second.next() } else { first.next() })
        .map(|c| c.expect("one count per rule"))
        .collect();
    let mut outcomes = Vec::with_capacity(rules.len());
    for ((rule, _, was_converted), result) in plan.iter().zip(counts) {
        if *was_converted {
            source.converted.push(rule.id());
        }
        match result {
            Ok(t) => outcomes.push(Outcome::Counted(t)),
            Err(CountError::Unsupported { rule, reason }) if args.all_rules => {
                outcomes.push(Outcome::Refused(rule, reason))
            }
            Err(e @ CountError::Unsupported { .. }) if cardinal && converted.is_none() => {
                return Err(crate::describe_count_error(&e, &election)).context(format!(
                    "rule {rule} (to count approval or score ballots under a ranked rule, \
                     give --convert scores-to-ranks)"
                ));
            }
            Err(e) => return Err(crate::describe_count_error(&e, &election)).context(format!("rule {rule}")),
        }
    }
    if let Some(path) = &args.rctab_json {
        let Some(t) = outcomes.iter().find_map(|o| match o {
            Outcome::Counted(t) => Some(t),
            Outcome::Refused(..) => None,
        }) else {
            bail!("--rctab-json: no rule counted these ballots");
        };
        let text = psephos_rctab::tabulation_json::rctab_json(&source.title, &election.candidates, t);
        if is_dash(path) {
            Stdout::new().write_all(text.as_bytes())?;
        } else {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    let csv_to_stdout = args.csv_out.as_deref().is_some_and(is_dash);
    if let Some(path) = args.csv_out.as_deref().filter(|_| !csv_to_stdout) {
        let file = std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        let mut w = std::io::BufWriter::new(file);
        psephos_report::csv::tally(&mut w, &election.candidates, &outcomes)
            .and_then(|()| Ok(w.flush()?))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = Stdout::new();
    if args.count.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&psephos_report::json::tally(&source, &election, &outcomes))?
        )?;
    } else if csv_to_stdout {
        psephos_report::csv::tally(&mut out, &election.candidates, &outcomes)?;
    } else {
        write!(out, "{}", psephos_report::text::tally(&source, &election, &outcomes))?;
    }
    out.finish()
}

/// Reads the ballot file `args` names, as its options say, into an election.
pub fn read(args: &TallyArgs) -> Result<(Source, Election, Declared)> {
    let cardinal_max = if args.approval { Some(1) } else { args.scores };
    let delimiter = args.csv.delimiter.as_deref().map(parse_delimiter).transpose()?;
    // A PrefLib `.cat` file holds categorical preferences: approval or score ballots.
    let categorical = !is_dash(&args.file) && args.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("cat"));
    Ok(match cardinal_max {
        Some(max) => with_nothing_declared(read_cardinal(args, max, delimiter)?),
        None if categorical => with_nothing_declared(read_categorical(args)?),
        None => read_ranked(args, delimiter)?,
    })
}

/// What `file` declares, its notes written on standard error.
pub fn declared(name: &str, file: &BallotFile, rules_given: bool) -> Declared {
    let declared = Declared::of(name, file, rules_given);
    for line in &declared.notes {
        eprintln!("{line}");
    }
    declared
}

/// A source and election read from a file that declares nothing more.
fn with_nothing_declared((source, election): (Source, Election)) -> (Source, Election, Declared) {
    (source, election, Declared::default())
}

/// Reads ranked ballots (BLT, PrefLib or CSV) and normalises them.
fn read_ranked(args: &TallyArgs, delimiter: Option<u8>) -> Result<(Source, Election, Declared)> {
    let read = ReadOptions { format: args.format, csv: args.csv.options(delimiter), contest: args.contest.clone() };
    let file = read_ballots(&args.file, &read)?;
    let declared = declared(&input::name(&args.file), &file, args.all_rules || !args.rules.is_empty());
    let policy = args.policies.policy();
    let seats = args.seats.or(file.seats).unwrap_or(1);
    let name = input::name(&args.file);
    let source = Source {
        title: title(&name, &file),
        name,
        format: file.format,
        max_score: None,
        conversion: None,
        converted: Vec::new(),
    };
    let election = Election::from_raw(file.candidates, seats, file.ballots, policy)
        .with_context(|| format!("{}: cannot set up the count", source.name))?;
    Ok((source, election, declared))
}

/// A PrefLib `.cat` file, as approval (two categories) or score ballots.
fn read_categorical(args: &TallyArgs) -> Result<(Source, Election)> {
    let file = psephos_io::preflib::read_categorical_path(&args.file)?;
    cardinal_election(args, file, Format::PrefLib)
}

/// Reads approval or score ballots from a CSV with one column per candidate.
fn read_cardinal(args: &TallyArgs, max: u16, delimiter: Option<u8>) -> Result<(Source, Election)> {
    let mut options = CardinalCsvOptions::scores(max);
    if let Some(d) = delimiter {
        options.delimiter = d;
    }
    options.id_columns.extend(args.csv.ignore_column.iter().cloned());
    let file = if is_dash(&args.file) {
        cardinal_csv::read(input::STDIN, &input::stdin_bytes()?, &options)?
    } else {
        cardinal_csv::read_path(&args.file, &options)?
    };
    cardinal_election(args, file, Format::Csv)
}

/// The election of approval or score ballots read from `args.file`.
fn cardinal_election(args: &TallyArgs, file: CardinalFile, format: Format) -> Result<(Source, Election)> {
    let max = file.ballots.max_score();
    let name = input::name(&args.file);
    let election = Election::from_cardinal(file.candidates, args.seats.unwrap_or(1), file.ballots)
        .with_context(|| format!("{name}: cannot set up the count"))?;
    let source = Source {
        title: name.clone(),
        name,
        format,
        max_score: Some(max),
        conversion: args.convert,
        converted: Vec::new(),
    };
    Ok((source, election))
}

/// Reads a ballot file, or standard input for `-`.
pub fn read_ballots(path: &std::path::Path, read: &ReadOptions) -> Result<BallotFile> {
    if is_dash(path) {
        Ok(psephos_io::read_bytes(input::STDIN, &input::stdin_bytes()?, read)?)
    } else {
        Ok(psephos_io::read_path(path, read)?)
    }
}

fn parse_delimiter(s: &str) -> Result<u8> {
    psephos_io::csv_ballots::parse_delimiter(s)
        .ok_or_else(|| anyhow::anyhow!("--delimiter takes one ASCII character (or \\t), not `{s}`"))
}

/// The file's title or, failing that, its name.
pub fn title(name: &str, file: &BallotFile) -> String {
    file.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| name.to_owned())
}
