//! Approval and score ballots in CSV: one column per candidate.
//!
//! A header row names the candidates; each later row is one ballot (or, with
//! a weight column, that many identical ballots). A cell holds the score
//! given to the column's candidate, a whole number from 0 to the declared
//! maximum ([`CardinalCsvOptions::max_score`]; 1 for approval ballots, where
//! 1 = approved), or is blank when the ballot leaves that candidate unscored.
//! Columns named as ballot ids ([`CardinalCsvOptions::id_columns`]) are
//! ignored, and a column headed `weight` or `count` gives each row's weight.
//!
//! ```
//! use psephos_io::cardinal_csv::{self, CardinalCsvOptions};
//! let src = "voter,Ada,Bo,Cy\n1,5,3,\n2,0,4,5\n";
//! let file = cardinal_csv::read("scores.csv", src.as_bytes(), &CardinalCsvOptions::scores(5)).unwrap();
//! assert_eq!(file.candidates.len(), 3);
//! assert_eq!(file.ballots.total_weight(), 2);
//! let err = cardinal_csv::read("scores.csv", b"Ada,Bo\n6,1\n", &CardinalCsvOptions::scores(5)).unwrap_err();
//! assert_eq!(err.to_string(), "scores.csv:2:1: malformed number: expected a score from 0 to 5 or a blank cell, found `6`");
//! ```

use psephos::{Candidates, CardinalBallots, CardinalBallotsBuilder, Election, ElectionError, MAX_CANDIDATES};

use crate::error::{ReadError, ReadErrorKind};
use crate::text::{self, quote, Number};

/// How to read approval or score CSV ballots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardinalCsvOptions {
    /// The highest score a cell may hold (1 for approval ballots).
    pub max_score: u16,
    /// The field delimiter.
    pub delimiter: u8,
    /// Columns that are not candidates and are ignored (matched without
    /// regard to case). Default: `id`, `ballot id`, `ballot`, `voter`,
    /// `voter id`, `respondent`.
    pub id_columns: Vec<String>,
}

impl CardinalCsvOptions {
    /// Approval ballots: cells hold 0 or 1.
    pub fn approval() -> Self {
        Self::scores(1)
    }

    /// Score ballots with this maximum.
    pub fn scores(max_score: u16) -> Self {
        let id_columns = ["id", "ballot id", "ballot", "voter", "voter id", "respondent"];
        CardinalCsvOptions { max_score, delimiter: b',', id_columns: id_columns.map(String::from).to_vec() }
    }
}

/// An approval or score ballot file, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardinalFile {
    /// The candidates, in column order.
    pub candidates: Candidates,
    /// The ballots, deduplicated.
    pub ballots: CardinalBallots,
}

impl CardinalFile {
    /// The single-seat election these ballots make: an approval profile when
    /// the maximum score is 1, a score profile otherwise.
    pub fn into_election(self) -> Result<Election, ElectionError> {
        Election::from_cardinal(self.candidates, 1, self.ballots)
    }
}

/// Reads a file from disk.
pub fn read_path(path: &std::path::Path, opts: &CardinalCsvOptions) -> Result<CardinalFile, ReadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ReadError::whole(&name, ReadErrorKind::Io(e.to_string())))?;
    read(&name, &bytes, opts)
}

/// Reads approval or score ballots held in memory; `file` names them in errors.
pub fn read(file: &str, bytes: &[u8], opts: &CardinalCsvOptions) -> Result<CardinalFile, ReadError> {
    let src = text::validate(file, bytes)?;
    let src = &src[text::bom_len(src.as_bytes())..];
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(opts.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(src.as_bytes());
    let mut record = csv::StringRecord::new();
    let at = |line: u64, field: Option<usize>, kind| ReadError::at(file, line as usize, field, kind);
    let mut next = |record: &mut csv::StringRecord| {
        reader.read_record(record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            at(line, None, ReadErrorKind::Malformed { expected: "a CSV row".into(), found: quote(&e.to_string()) })
        })
    };
    if !next(&mut record)? {
        return Err(ReadError::whole(
            file,
            ReadErrorKind::Empty { expected: "a header row naming the candidates".into() },
        ));
    }
    let header_line = record.position().map_or(1, |p| p.line());
    let headings: Vec<String> = record.iter().map(|h| h.trim().to_owned()).collect();
    let is = |h: &str, names: &[&str]| names.iter().any(|n| h.eq_ignore_ascii_case(n));
    let ids: Vec<&str> = opts.id_columns.iter().map(String::as_str).collect();
    let weight_col = headings.iter().position(|h| is(h, &["weight", "count"]));
    let columns: Vec<usize> =
        (0..headings.len()).filter(|&i| Some(i) != weight_col && !is(&headings[i], &ids)).collect();
    if columns.is_empty() {
        return Err(at(
            header_line,
            None,
            ReadErrorKind::BadHeader {
                expected: "one column per candidate".into(),
                found: "no candidate columns".into(),
            },
        ));
    }
    if columns.len() > MAX_CANDIDATES {
        return Err(at(
            header_line,
            None,
            ReadErrorKind::TooManyCandidates { found: columns.len(), max: MAX_CANDIDATES },
        ));
    }
    let mut candidates = Candidates::new();
    for &i in &columns {
        if headings[i].is_empty() || candidates.id_of(&headings[i]).is_some() {
            let kind = if headings[i].is_empty() {
                ReadErrorKind::BadHeader { expected: "a candidate name".into(), found: "an empty heading".into() }
            } else {
                ReadErrorKind::DuplicateName { found: quote(&headings[i]) }
            };
            return Err(at(header_line, Some(i + 1), kind));
        }
        candidates.push(psephos::Candidate::new(headings[i].clone()));
    }
    let mut builder = CardinalBallotsBuilder::new(columns.len(), opts.max_score).map_err(|e| {
        ReadError::whole(
            file,
            ReadErrorKind::Malformed { expected: "a maximum score from 1 to 65,534".into(), found: e.to_string() },
        )
    })?;
    let mut row: Vec<Option<u16>> = vec![None; columns.len()];
    while next(&mut record)? {
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != headings.len() {
            return Err(at(
                line,
                Some(record.len().min(headings.len()) + 1),
                ReadErrorKind::Malformed {
                    expected: format!("{} fields, as in the header row", headings.len()),
                    found: format!("{} fields", record.len()),
                },
            ));
        }
        let weight = match weight_col {
            None => 1,
            Some(w) => match text::number(record[w].trim()) {
                Number::Whole(v) if v >= 1 => v,
                Number::Fraction => {
                    return Err(at(
                        line,
                        Some(w + 1),
                        ReadErrorKind::FractionalWeight { found: quote(record[w].trim()) },
                    ))
                }
                _ => {
                    return Err(at(
                        line,
                        Some(w + 1),
                        ReadErrorKind::MalformedNumber {
                            expected: "a whole number of ballots of at least 1".into(),
                            found: quote(record[w].trim()),
                        },
                    ))
                }
            },
        };
        for (slot, &i) in row.iter_mut().zip(&columns) {
            let cell = record[i].trim();
            *slot = match text::number(cell) {
                _ if cell.is_empty() => None,
                Number::Whole(v) if v <= u64::from(opts.max_score) => Some(v as u16),
                _ => {
                    return Err(at(
                        line,
                        Some(i + 1),
                        ReadErrorKind::MalformedNumber {
                            expected: format!("a score from 0 to {} or a blank cell", opts.max_score),
                            found: quote(cell),
                        },
                    ))
                }
            };
        }
        builder.push(&row, weight).map_err(|e| at(line, None, ReadErrorKind::from_ballot(e)))?;
    }
    Ok(CardinalFile { candidates, ballots: builder.build() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_with_weights_and_blanks() {
        let src = "Weight,A,B\n3,1,0\n2,,1\n";
        let f = read("a.csv", src.as_bytes(), &CardinalCsvOptions::approval()).unwrap();
        assert_eq!(f.ballots.total_weight(), 5);
        let e = f.into_election().unwrap();
        assert!(matches!(e.profile, psephos::Profile::Approval(_)));
    }

    #[test]
    fn errors_name_line_and_field() {
        let o = CardinalCsvOptions::scores(9);
        let e = read("s.csv", b"A,B\n1,2\n3\n", &o).unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(2)));
        let e = read("s.csv", b"A,A\n", &o).unwrap_err();
        assert!(matches!(e.kind, ReadErrorKind::DuplicateName { .. }));
        let e = read("s.csv", b"A,B\n1,x\n", &o).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(2)));
        let e = read("s.csv", b"count,A\n1.5,1\n", &o).unwrap_err();
        assert!(matches!(e.kind, ReadErrorKind::FractionalWeight { .. }));
        assert!(read("s.csv", b"", &o).is_err());
    }
}
