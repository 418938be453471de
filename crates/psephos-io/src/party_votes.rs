//! Party vote counts, for list allocations and mixed-member counts.
//!
//! Two layouts:
//!
//! - **CSV** (comma- or tab-separated): a header naming the columns `party`
//!   and `votes` (alias `list_votes`), and optionally `constituency_seats`;
//!   one party a row.
//! - **TOML**: optional `title`, `seats` (list seats to fill), `threshold`
//!   (a percentage, e.g. `5.0`), `method`, `preset` and `sources` (a list of
//!   strings), then one `[[party]]` table per party, in ballot order, with
//!   `name`, `votes` (alias `list_votes`), and optionally
//!   `constituency_seats` and `list_seats` (an official result to check
//!   against).
//!
//! ```
//! let file = psephos_io::party_votes::parse_toml("lists.toml", r#"
//! seats = 3
//! [[party]]
//! name = "Red"
//! votes = 600
//! [[party]]
//! name = "Blue"
//! votes = 400
//! constituency_seats = 1
//! "#).unwrap();
//! assert_eq!(file.names, ["Red", "Blue"]);
//! assert_eq!(file.votes, [600, 400]);
//! assert_eq!(file.constituency_seats, [0, 1]);
//! let csv = psephos_io::party_votes::parse_csv("lists.csv", "party,votes\nRed,600\nBlue,400\n").unwrap();
//! assert_eq!(csv.votes, [600, 400]);
//! ```

use std::path::Path;

use crate::error::{ReadError, ReadErrorKind};

/// Party votes as read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartyVotes {
    /// A title, if the file gives one.
    pub title: Option<String>,
    /// Party names, in file order.
    pub names: Vec<String>,
    /// Each party's (list) votes.
    pub votes: Vec<u64>,
    /// Each party's constituency seats (zeros when not given).
    pub constituency_seats: Vec<u32>,
    /// Official list seats per party, when the file gives them.
    pub expected_list_seats: Option<Vec<u32>>,
    /// Seats to fill, if the file says.
    pub seats: Option<u32>,
    /// The threshold as written (a percentage), if the file gives one.
    pub threshold: Option<String>,
    /// The allocation method's name, if the file gives one.
    pub method: Option<String>,
    /// The name of a mixed-member preset, if the file gives one.
    pub preset: Option<String>,
    /// Where the figures come from.
    pub sources: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    title: Option<String>,
    seats: Option<u32>,
    threshold: Option<toml::Value>,
    method: Option<String>,
    preset: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    party: Vec<TomlParty>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlParty {
    name: String,
    #[serde(alias = "list_votes")]
    votes: u64,
    #[serde(default)]
    constituency_seats: u32,
    list_seats: Option<u32>,
}

/// Reads a file of party votes; `.toml` names are read as TOML, others as
/// CSV.
pub fn read(path: &Path) -> Result<PartyVotes, ReadError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ReadError::whole(&file, ReadErrorKind::Io(e.to_string())))?;
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")) {
        parse_toml(&file, &text)
    } else {
        parse_csv(&file, &text)
    }
}

/// The 1-based line and column of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Parses party votes in the TOML layout.
pub fn parse_toml(file: &str, text: &str) -> Result<PartyVotes, ReadError> {
    let parsed: TomlFile = toml::from_str(text).map_err(|e| {
        let kind = ReadErrorKind::Malformed {
            expected: "a party-votes TOML file ([[party]] tables with name and votes)".into(),
            found: e.message().to_owned(),
        };
        match e.span() {
            Some(span) => {
                let (line, column) = position(text, span.start);
                ReadError::at(file, line, Some(column), kind)
            }
            None => ReadError::whole(file, kind),
        }
    })?;
    if parsed.party.is_empty() {
        return Err(ReadError::whole(file, ReadErrorKind::Empty { expected: "[[party]] tables".into() }));
    }
    let mut out = PartyVotes {
        title: parsed.title,
        seats: parsed.seats,
        threshold: parsed.threshold.map(|v| match v {
            toml::Value::String(s) => s,
            other => other.to_string(),
        }),
        method: parsed.method,
        preset: parsed.preset,
        sources: parsed.sources,
        ..PartyVotes::default()
    };
    let expected: Vec<Option<u32>> = parsed.party.iter().map(|p| p.list_seats).collect();
    if expected.iter().any(Option::is_some) {
        out.expected_list_seats = Some(expected.iter().map(|s| s.unwrap_or(0)).collect());
    }
    for p in parsed.party {
        if out.names.contains(&p.name) {
            return Err(ReadError::whole(file, ReadErrorKind::DuplicateName { found: format!("`{}`", p.name) }));
        }
        out.names.push(p.name);
        out.votes.push(p.votes);
        out.constituency_seats.push(p.constituency_seats);
    }
    Ok(out)
}

/// Parses party votes in the CSV layout (commas, or tabs when the header
/// holds a tab).
pub fn parse_csv(file: &str, text: &str) -> Result<PartyVotes, ReadError> {
    let delimiter = if text.lines().next().is_some_and(|l| l.contains('\t')) { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| {
            ReadError::at(
                file,
                1,
                None,
                ReadErrorKind::Malformed { expected: "a CSV header".into(), found: e.to_string() },
            )
        })?
        .clone();
    let find = |names: &[&str]| header.iter().position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)));
    let bad_header = || {
        ReadError::at(
            file,
            1,
            None,
            ReadErrorKind::BadHeader {
                expected: "columns `party` and `votes` (optionally `constituency_seats`)".into(),
                found: format!("`{}`", header.iter().collect::<Vec<_>>().join(",")),
            },
        )
    };
    let party = find(&["party", "name"]).ok_or_else(bad_header)?;
    let votes = find(&["votes", "list_votes"]).ok_or_else(bad_header)?;
    let seats = find(&["constituency_seats", "seats_won"]);
    let mut out = PartyVotes::default();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            ReadError::at(
                file,
                line,
                None,
                ReadErrorKind::Malformed { expected: "a CSV row".into(), found: e.to_string() },
            )
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or("");
        let name = field(party).to_owned();
        if name.is_empty() {
            return Err(ReadError::at(
                file,
                line,
                Some(party + 1),
                ReadErrorKind::Malformed { expected: "a party name".into(), found: "an empty field".into() },
            ));
        }
        if out.names.contains(&name) {
            return Err(ReadError::at(
                file,
                line,
                Some(party + 1),
                ReadErrorKind::DuplicateName { found: format!("`{name}`") },
            ));
        }
        let number = |col: usize, what: &str| {
            let s = field(col).replace([',', '_'], "");
            s.parse::<u64>().map_err(|_| {
                ReadError::at(
                    file,
                    line,
                    Some(col + 1),
                    ReadErrorKind::MalformedNumber { expected: what.into(), found: format!("`{}`", field(col)) },
                )
            })
        };
        out.votes.push(number(votes, "a whole number of votes")?);
        let won = match seats {
            Some(c) if !field(c).is_empty() => number(c, "a whole number of seats")?,
            _ => 0,
        };
        out.constituency_seats.push(u32::try_from(won).map_err(|_| {
            ReadError::at(
                file,
                line,
                seats.map(|c| c + 1),
                ReadErrorKind::MalformedNumber { expected: "a number of seats".into(), found: won.to_string() },
            )
        })?);
        out.names.push(name);
    }
    if out.names.is_empty() {
        return Err(ReadError::whole(file, ReadErrorKind::Empty { expected: "one row per party".into() }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_place() {
        let e = parse_csv("x.csv", "party,votes\nRed,12\nBlue,lots\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(2)));
        let e = parse_csv("x.csv", "name,count\nRed,12\n").unwrap_err();
        assert!(matches!(e.kind, ReadErrorKind::BadHeader { .. }));
        let e = parse_toml("x.toml", "[[party]]\nname = \"Red\"\nvotes = -3\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = parse_toml("x.toml", "[[party]]\nname = \"Red\"\nvotes = 1\n[[party]]\nname = \"Red\"\nvotes = 2\n")
            .unwrap_err();
        assert!(matches!(e.kind, ReadErrorKind::DuplicateName { .. }));
    }

    #[test]
    fn csv_with_seats_and_separators() {
        let p = parse_csv("x.csv", "Party,Votes,Constituency_Seats\nRed,\"1,200\",3\nBlue,800,\n").unwrap();
        assert_eq!(p.votes, [1200, 800]);
        assert_eq!(p.constituency_seats, [3, 0]);
    }
}
