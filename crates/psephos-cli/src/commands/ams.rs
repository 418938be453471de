//! `psephos ams`: list seats of a mixed-member (additional member) count,
//! from a file or an embedded replay of an official count.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use psephos::rules::mixed::{allocate_ams, AmsOptions, AmsResult};
use psephos::rules::party_list::{ListMethod, Threshold};
use psephos_io::party_votes::{self, PartyVotes};
use serde_json::{json, Map, Value};

use super::allocate::{file_threshold, quotient_json, read_party_votes, ties_json, MAX_SEATS};
use crate::args::CountArgs;
use crate::output::{self, is_dash};

/// Examples for `psephos ams --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos ams london-assembly-2016
  psephos ams london-assembly-2021 --json
  psephos ams testdata/assembly/london-assembly-2021.toml --preset scottish-parliament-region
  psephos ams london-assembly-2016 --list-seats 15 --threshold 0 --method sainte-lague";

/// Embedded replays: name, TOML.
pub const REPLAYS: &[(&str, &str)] = &[
    ("london-assembly-2016", include_str!("../../presets/london-assembly-2016.toml")),
    ("london-assembly-2021", include_str!("../../presets/london-assembly-2021.toml")),
];

/// Arguments of `psephos ams`.
#[derive(Debug, Args)]
pub struct AmsArgs {
    /// Party list votes and constituency seats (CSV or TOML), or an embedded
    /// replay: london-assembly-2016, london-assembly-2021; `-` reads standard
    /// input (TOML when it has a `[[party]]` line, else CSV).
    pub file: String,
    /// london-assembly (11 seats, 5% threshold) or scottish-parliament-region (7 seats, none);
    /// default: the file's, else london-assembly.
    #[arg(long, value_name = "PRESET")]
    pub preset: Option<String>,
    /// List seats to fill, at most 10,000 (overrides the preset and the file).
    #[arg(long, value_parser = clap::value_parser!(u32).range(..=i64::from(MAX_SEATS)))]
    pub list_seats: Option<u32>,
    /// Threshold as a percentage of all list votes, 0 to 100 (overrides the
    /// preset and the file); 0 for none.
    #[arg(long, value_name = "PCT")]
    pub threshold: Option<Threshold>,
    /// The divisor method (dhondt, sainte-lague, modified-sainte-lague).
    #[arg(long, value_name = "METHOD")]
    pub method: Option<ListMethod>,
    /// Tie-break chain, seed and output.
    #[command(flatten)]
    pub count: CountArgs,
}

/// Reads the file or the embedded replay it names.
pub fn load(name: &str) -> Result<PartyVotes> {
    if let Some((id, text)) = REPLAYS.iter().find(|(id, _)| *id == name) {
        return Ok(party_votes::parse_toml(id, text)?);
    }
    let path = PathBuf::from(name);
    if !is_dash(&path) && !path.exists() {
        let known: Vec<&str> = REPLAYS.iter().map(|(id, _)| *id).collect();
        bail!("{name}: no such file, and not an embedded replay ({})", known.join(", "));
    }
    read_party_votes(&path)
}

/// The options for a file and the command line.
pub fn options(args: &AmsArgs, file: &PartyVotes) -> Result<AmsOptions> {
    let preset = args.preset.as_deref().or(file.preset.as_deref()).unwrap_or("london-assembly");
    let mut o = AmsOptions::preset(preset)
        .with_context(|| format!("unknown preset `{preset}`: london-assembly or scottish-parliament-region"))?;
    if let Some(s) = args.list_seats.or(file.seats) {
        if s > MAX_SEATS {
            bail!("{}: seats = {s}: at most {MAX_SEATS} list seats", crate::input::name(Path::new(&args.file)));
        }
        o.list_seats = s;
    }
    if let Some(t) = file_threshold(file)? {
        o.threshold = Some(t);
    }
    if let Some(t) = args.threshold {
        o.threshold = (t.0 > 0).then_some(t);
    }
    if let Some(m) = args.method {
        o.method = m;
    }
    Ok(o)
}

/// Runs the command.
pub fn run(args: AmsArgs) -> Result<()> {
    let file = load(&args.file)?;
    let o = options(&args, &file)?;
    let tie_break = args.count.tie_break()?;
    let r = allocate_ams(&file.votes, &file.constituency_seats, &o, &tie_break).map_err(|e| anyhow::anyhow!("{e}"))?;
    if args.count.json {
        output::print(&format!("{}\n", serde_json::to_string_pretty(&to_json(&file, &o, &r))?))
    } else {
        output::print(&to_text(&file, &o, &r))
    }
}

/// The JSON result.
pub fn to_json(file: &PartyVotes, o: &AmsOptions, r: &AmsResult) -> Value {
    let per_party = |v: &[u32]| -> Value {
        Value::Object(file.names.iter().zip(v).map(|(n, &s)| (n.clone(), json!(s))).collect::<Map<_, _>>())
    };
    let quotients: Vec<Value> = r
        .allocation
        .awards
        .iter()
        .map(|s| json!({"party": file.names[s.party], "quotient": quotient_json(&s.quotient), "seat": s.seat}))
        .collect();
    let mut out = Map::new();
    if let Some(t) = &file.title {
        out.insert("title".into(), json!(t));
    }
    out.insert("method".into(), json!(o.method.as_str()));
    out.insert("list_seats_to_fill".into(), json!(o.list_seats));
    out.insert("threshold".into(), o.threshold.map_or(Value::Null, |t| json!(t.to_string())));
    out.insert("constituency_seats".into(), per_party(&r.constituency_seats));
    out.insert("list_seats".into(), per_party(&r.list_seats));
    out.insert("total_seats".into(), per_party(&r.total_seats));
    out.insert("quotients".into(), Value::Array(quotients));
    if let (Some(last), Some(next)) = (r.allocation.awards.last(), &r.allocation.next) {
        out.insert("next".into(), json!({"party": file.names[next.party], "quotient": quotient_json(&next.quotient)}));
        let margin = last.quotient.margin_over(&next.quotient, 2).unwrap_or_default();
        out.insert("last_seat_margin".into(), margin.parse::<f64>().map_or(Value::Null, |m| json!(m)));
    }
    out.insert(
        "below_threshold".into(),
        json!(file.names.iter().zip(&r.allocation.eligible).filter(|(_, &e)| !e).map(|(n, _)| n).collect::<Vec<_>>()),
    );
    if let Some(expected) = &file.expected_list_seats {
        out.insert("official_list_seats".into(), per_party(expected));
        out.insert("matches_official".into(), json!(*expected == r.list_seats));
    }
    out.insert("ties".into(), ties_json(&file.names, &r.allocation));
    Value::Object(out)
}

/// The text result: the quotient sequence, then the seats.
pub fn to_text(file: &PartyVotes, o: &AmsOptions, r: &AmsResult) -> String {
    use psephos_report::text::{decimal, thousands};
    use std::fmt::Write;
    let mut s = String::new();
    let width = file.names.iter().map(|n| n.chars().count()).max().unwrap_or(5).max(5);
    let _ = writeln!(
        s,
        "{}{} list seats by {} (divisor = constituency seats + list seats so far + 1){}",
        file.title.as_deref().map(|t| format!("{t}: ")).unwrap_or_default(),
        o.list_seats,
        o.method,
        o.threshold
            .map(|t| format!(", threshold {t} of {} list votes", thousands(r.allocation.total_votes)))
            .unwrap_or_default()
    );
    let _ = writeln!(s, "\nQuotients, in the order the seats were won:");
    for w in &r.allocation.awards {
        let _ =
            writeln!(s, "  {:>3}. {:width$}  {:>14}", w.seat, file.names[w.party], decimal(&w.quotient.to_decimal(2)));
    }
    if let (Some(last), Some(next)) = (r.allocation.awards.last(), &r.allocation.next) {
        let _ = writeln!(
            s,
            "  next: {:width$}  {:>14}  (the last seat was won by {} quotient votes)",
            file.names[next.party],
            decimal(&next.quotient.to_decimal(2)),
            decimal(&last.quotient.margin_over(&next.quotient, 2).unwrap_or_default())
        );
    }
    let _ = writeln!(
        s,
        "\n{:width$}  {:>10}  {:>12}  {:>4}  {:>5}",
        "party", "list votes", "constituency", "list", "total"
    );
    for (i, name) in file.names.iter().enumerate() {
        let note = if r.allocation.eligible[i] { "" } else { "  (below threshold)" };
        let _ = writeln!(
            s,
            "{name:width$}  {:>10}  {:>12}  {:>4}  {:>5}{note}",
            thousands(file.votes[i]),
            r.constituency_seats[i],
            r.list_seats[i],
            r.total_seats[i]
        );
    }
    for t in &r.allocation.ties {
        let tied: Vec<&str> = t.tied.iter().map(|c| file.names[c.index()].as_str()).collect();
        let _ = writeln!(
            s,
            "tie for list seat {}: {} -> {} ({})",
            t.round,
            tied.join(", "),
            file.names[t.chosen.index()],
            t.step
        );
    }
    if let Some(expected) = &file.expected_list_seats {
        let verdict = if *expected == r.list_seats {
            "matches the official list seats"
        } else {
            "DIFFERS from the official list seats"
        };
        let _ = writeln!(s, "\n{verdict}");
    }
    if !file.sources.is_empty() {
        let _ = writeln!(s, "\nSources: {}", file.sources.join("; "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use psephos::TieBreak;

    fn replay(name: &str) -> (PartyVotes, AmsResult) {
        let file = load(name).unwrap();
        let args = AmsArgs {
            file: name.into(),
            preset: None,
            list_seats: None,
            threshold: None,
            method: None,
            count: CountArgs { json: true, ..CountArgs::default() },
        };
        let o = options(&args, &file).unwrap();
        let r = allocate_ams(&file.votes, &file.constituency_seats, &o, &TieBreak::default()).unwrap();
        (file, r)
    }

    #[test]
    fn london_2016_reproduces_the_official_list_seats() {
        let (file, r) = replay("london-assembly-2016");
        assert_eq!(r.list_seats, [3, 3, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(Some(&r.list_seats), file.expected_list_seats.as_ref());
        // UKIP's second seat is the 11th and last, won by 620 quotient votes
        // over the Conservatives' next quotient.
        let last = r.allocation.awards.last().unwrap();
        let next = r.allocation.next.unwrap();
        assert_eq!((file.names[last.party].as_str(), last.seat), ("UKIP", 11));
        assert_eq!(file.names[next.party], "Conservative");
        assert_eq!(last.quotient.margin_over(&next.quotient, 0).unwrap(), "620");
        let order: Vec<&str> = r.allocation.awards.iter().map(|a| file.names[a.party].as_str()).collect();
        assert_eq!(
            order,
            [
                "Green",
                "UKIP",
                "Liberal Democrats",
                "Conservative",
                "Conservative",
                "Labour",
                "Green",
                "Labour",
                "Conservative",
                "Labour",
                "UKIP"
            ]
        );
        let v = to_json(&file, &AmsOptions::LONDON_ASSEMBLY, &r);
        assert_eq!(v["total_seats"]["Labour"], 12);
        assert_eq!(v["quotients"][10]["party"], "UKIP");
        assert_eq!(v["quotients"][10]["quotient"], 85534.5);
    }

    #[test]
    fn london_2021_reproduces_the_official_list_seats() {
        let (file, r) = replay("london-assembly-2021");
        assert_eq!(r.list_seats, [2, 4, 3, 2]);
        assert_eq!(r.total_seats, [11, 9, 3, 2]);
        assert_eq!(Some(&r.list_seats), file.expected_list_seats.as_ref());
        assert!(to_text(&file, &AmsOptions::LONDON_ASSEMBLY, &r).contains("matches the official list seats"));
    }
}
