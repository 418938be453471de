//! `psephos allocate`: share seats among parties by a list method.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use psephos::rules::party_list::{allocate, Allocation, ListMethod, ListOptions, Quotient, Threshold};
use psephos_io::party_votes::{self, PartyVotes};
use serde_json::{json, Map, Value};

use crate::args::CountArgs;
use crate::output::is_dash;
use crate::{input, output};
use psephos_report::text::{decimal, thousands};

/// The most seats `allocate` and `ams` share out: more than any assembly
/// elects (the largest, China's National People's Congress, has 2,977),
/// and the quotient table and seat list grow with it.
pub const MAX_SEATS: u32 = 10_000;

/// Examples for `psephos allocate --help`.
pub const EXAMPLES: &str = "\
Examples (from a checkout of the repository):
  psephos allocate testdata/assembly/london-assembly-2016.toml
  psephos allocate testdata/assembly/london-assembly-2016.toml --method sainte-lague --seats 25 --json
  printf 'party,votes\\nRed,4000\\nBlue,3000\\nGreen,1500\\n' | psephos allocate - --seats 5 --method hare";

/// Arguments of `psephos allocate`.
#[derive(Debug, Args)]
pub struct AllocateArgs {
    /// Party votes: CSV (`party,votes`) or TOML (`[[party]]` tables); `-`
    /// reads standard input (TOML when it has a `[[party]]` line, else CSV).
    pub file: PathBuf,
    /// dhondt, sainte-lague, modified-sainte-lague, hare or droop; default: the file's, else dhondt.
    #[arg(long, value_name = "METHOD")]
    pub method: Option<ListMethod>,
    /// Seats to share, from 1 to 10,000; default: as the file says.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_SEATS)))]
    pub seats: Option<u32>,
    /// Parties below this percentage of all votes get no seats (0 to 100, at
    /// most two decimals: e.g. 5 or 2.5).
    #[arg(long, value_name = "PCT")]
    pub threshold: Option<Threshold>,
    /// Tie-break chain, seed and output.
    #[command(flatten)]
    pub count: CountArgs,
}

/// The file's threshold, when it gives one.
pub fn file_threshold(file: &PartyVotes) -> Result<Option<Threshold>> {
    file.threshold.as_deref().map(str::parse::<Threshold>).transpose().map_err(|e| anyhow::anyhow!("threshold: {e}"))
}

/// Runs the command.
pub fn run(args: AllocateArgs) -> Result<()> {
    let file = read_party_votes(&args.file)?;
    let method = match (args.method, &file.method) {
        (Some(m), _) => m,
        (None, Some(m)) => m.parse().with_context(|| format!("{}: method", input::name(&args.file)))?,
        (None, None) => ListMethod::DHondt,
    };
    let seats = match args.seats.or(file.seats) {
        None => bail!("give --seats N (the file does not say)"),
        Some(0) => bail!("{}: seats = 0: there must be at least one seat to share", input::name(&args.file)),
        Some(s) if s > MAX_SEATS => bail!("{}: seats = {s}: at most {MAX_SEATS} seats", input::name(&args.file)),
        Some(s) => s,
    };
    let threshold = match args.threshold {
        Some(t) => Some(t),
        None => file_threshold(&file)?,
    };
    let options = ListOptions { method, seats, threshold };
    let tie_break = args.count.tie_break()?;
    let a = allocate(&file.votes, &options, &tie_break).map_err(|e| anyhow::anyhow!("{e}"))?;
    if args.count.json {
        output::print(&format!("{}\n", serde_json::to_string_pretty(&to_json(&file, &options, &a))?))
    } else {
        output::print(&to_text(&file, &options, &a))
    }
}

/// Reads a party-votes file, or standard input for `-`: TOML when a line
/// opens a `[[party]]` table, else CSV.
pub fn read_party_votes(path: &Path) -> Result<PartyVotes> {
    if !is_dash(path) {
        return Ok(party_votes::read(path)?);
    }
    let text = input::read_text(path)?;
    if text.lines().any(|l| l.trim() == "[[party]]") {
        Ok(party_votes::parse_toml(input::STDIN, &text)?)
    } else {
        Ok(party_votes::parse_csv(input::STDIN, &text)?)
    }
}

/// A quotient as a JSON number with two decimals (for reading; every
/// comparison was made exactly).
pub fn quotient_json(q: &Quotient) -> Value {
    q.to_decimal(2).parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
}

/// Tie decisions with party names.
pub fn ties_json(names: &[String], a: &Allocation) -> Value {
    Value::Array(
        a.ties
            .iter()
            .map(|t| {
                json!({
                    "seat": t.round,
                    "tied": t.tied.iter().map(|c| names[c.index()].clone()).collect::<Vec<_>>(),
                    "chosen": names[t.chosen.index()],
                    "step": t.step.as_str(),
                })
            })
            .collect(),
    )
}

fn to_json(file: &PartyVotes, options: &ListOptions, a: &Allocation) -> Value {
    let per_party = |v: &dyn Fn(usize) -> Value| -> Value {
        Value::Object(file.names.iter().enumerate().map(|(i, n)| (n.clone(), v(i))).collect::<Map<_, _>>())
    };
    let mut out = Map::new();
    out.insert("method".into(), json!(options.method.as_str()));
    out.insert("seats".into(), json!(options.seats));
    out.insert("threshold".into(), options.threshold.map_or(Value::Null, |t| json!(t.to_string())));
    out.insert("total_votes".into(), json!(a.total_votes));
    out.insert("allocation".into(), per_party(&|i| json!(a.seats[i])));
    out.insert("eligible".into(), per_party(&|i| json!(a.eligible[i])));
    if options.method.is_divisor() {
        let q = a
            .awards
            .iter()
            .map(|s| json!({"party": file.names[s.party], "quotient": quotient_json(&s.quotient), "seat": s.seat}))
            .collect::<Vec<_>>();
        out.insert("quotients".into(), Value::Array(q));
        let table = a.quotient_table(&file.votes, &vec![0; file.votes.len()], options.seats.max(1));
        out.insert(
            "quotient_table".into(),
            per_party(&|i| {
                if a.eligible[i] {
                    Value::Array(table[i].iter().map(quotient_json).collect())
                } else {
                    Value::Null
                }
            }),
        );
    } else {
        out.insert("quota".into(), json!(fraction(a.quota.unwrap_or(0), a.remainder_denominator)));
        out.insert(
            "remainders".into(),
            per_party(&|i| {
                let r = a.remainders[i];
                json!({"quotas": r.quotas, "remainder": fraction(r.remainder, a.remainder_denominator), "remainder_seat": r.remainder_seat})
            }),
        );
    }
    out.insert("ties".into(), ties_json(&file.names, a));
    Value::Object(out)
}

/// `num / den` written with two decimals (truncated).
fn fraction(num: u64, den: u64) -> String {
    let cents = u128::from(num) * 100 / u128::from(den.max(1));
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn to_text(file: &PartyVotes, options: &ListOptions, a: &Allocation) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let width = file.names.iter().map(|n| n.chars().count()).max().unwrap_or(5).max(5);
    let _ = writeln!(
        s,
        "{}{} seats by {}{}",
        file.title.as_deref().map(|t| format!("{t}: ")).unwrap_or_default(),
        options.seats,
        options.method,
        options.threshold.map(|t| format!(", threshold {t} of {} votes", thousands(a.total_votes))).unwrap_or_default()
    );
    let _ = writeln!(s);
    if options.method.is_divisor() {
        let cols = a.seats.iter().copied().max().unwrap_or(0) + 1;
        let table = a.quotient_table(&file.votes, &vec![0; file.votes.len()], cols);
        let _ = write!(s, "{:width$}  {:>10}", "party", "votes");
        for k in 0..cols {
            let d = options.method.divisor_tenths(k);
            let _ = write!(s, "  {:>12}", format!("÷{}.{}", d / 10, d % 10).replace(".0", ""));
        }
        let _ = writeln!(s, "  seats");
        for (i, name) in file.names.iter().enumerate() {
            let _ = write!(s, "{name:width$}  {:>10}", thousands(file.votes[i]));
            if a.eligible[i] {
                for (k, q) in table[i].iter().enumerate() {
                    let mark = if (k as u32) < a.seats[i] { "*" } else { " " };
                    let _ = write!(s, "  {:>11}{mark}", decimal(&q.to_decimal(1)));
                }
            } else {
                let _ = write!(s, "  {:>12}", "(threshold)");
                for _ in 1..cols {
                    let _ = write!(s, "  {:>12}", "");
                }
            }
            let _ = writeln!(s, "  {}", a.seats[i]);
        }
        let _ = writeln!(s, "\n* won a seat. Seats in order:");
        for w in &a.awards {
            let _ =
                writeln!(s, "  {:>3}. {:width$}  {}", w.seat, file.names[w.party], decimal(&w.quotient.to_decimal(2)));
        }
        if let (Some(last), Some(next)) = (a.awards.last(), &a.next) {
            let _ = writeln!(
                s,
                "  next: {} {} (the last seat was won by {} quotient votes)",
                file.names[next.party],
                decimal(&next.quotient.to_decimal(2)),
                last.quotient.margin_over(&next.quotient, 2).unwrap_or_default()
            );
        }
    } else {
        let den = a.remainder_denominator;
        let _ = writeln!(s, "quota: {}", decimal(&fraction(a.quota.unwrap_or(0), den)));
        let _ = writeln!(s, "{:width$}  {:>10}  {:>6}  {:>12}  seats", "party", "votes", "quotas", "remainder");
        for (i, name) in file.names.iter().enumerate() {
            let r = a.remainders[i];
            let rem = if a.eligible[i] { fraction(r.remainder, den) } else { "(threshold)".into() };
            let mark = if r.remainder_seat { "*" } else { "" };
            let _ = writeln!(
                s,
                "{name:width$}  {:>10}  {:>6}  {rem:>12}{mark:1}  {}",
                thousands(file.votes[i]),
                r.quotas,
                a.seats[i]
            );
        }
        let _ = writeln!(s, "\n* a seat for the remainder.");
    }
    for t in &a.ties {
        let tied: Vec<&str> = t.tied.iter().map(|c| file.names[c.index()].as_str()).collect();
        let _ = writeln!(
            s,
            "tie for seat {}: {} -> {} ({})",
            t.round,
            tied.join(", "),
            file.names[t.chosen.index()],
            t.step
        );
    }
    s
}
