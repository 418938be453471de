//! CSV ballots, as exported by ballot scanners, survey tools and
//! spreadsheets, read and written.
//!
//! A header row is required. Two layouts are understood:
//!
//! - **rank columns** ([`CsvLayout::RankColumns`]): one column per rank,
//!   headed `Rank 1`, `choice_2`, `3rd`, `Preference 4`, `5`…; each cell names
//!   a candidate, or holds a label: an *overvote* label (several candidates
//!   marked at that rank), an *undervote* label or a blank cell (the rank left
//!   empty) or a *write-in* label;
//! - **candidate columns** ([`CsvLayout::CandidateColumns`]): one column per
//!   candidate, headed by the name; each cell holds the rank given to that
//!   candidate (`1`, `2`, `3rd`…), blank when unranked. Two candidates with the
//!   same rank are an equal ranking; a rank number nobody holds is a skipped
//!   rank.
//!
//! [`CsvLayout::Auto`] picks rank columns when every ballot column's heading
//! is a rank heading, and candidate columns otherwise. Columns named as ballot
//! ids, precincts and the like ([`CsvOptions::id_columns`]) are ignored; a
//! weight column ([`CsvOptions::weight_column`]) says how many ballots a row
//! stands for.
//!
//! **How labels become marks.** An overvote label, which says "more than one
//! candidate was marked here" without saying which, is stored as an overvote
//! of unnamed candidates: normalisation treats it as an overvote under every
//! policy (the ballot becomes inactive there, or under `skip` the rank is
//! passed over as if empty). A write-in label counts for one
//! candidate, named by [`CsvOptions::writein_name`] and added to the list on
//! first use. Blank or undervote cells after a ballot's last marked rank are
//! padding, not marks, and are not stored; blank ranks before a marked rank
//! are kept as skipped ranks.
//!
//! ```
//! use psephos_io::{csv_ballots, CsvOptions};
//! let src = "ballot_id,Rank 1,Rank 2,Rank 3\n\
//!            7,Ada,Bo,\n\
//!            8,Bo,overvote,Cy\n\
//!            9,,Write-in,Ada\n";
//! let file = csv_ballots::read("cvr.csv", src.as_bytes(), &CsvOptions::default()).unwrap();
//! let names: Vec<_> = file.candidates.iter().map(|(_, c)| c.name.as_str()).collect();
//! assert_eq!(names, ["Ada", "Bo", "Cy", "Write-in"]);
//! assert_eq!(file.ballots.total_weight(), 3);
//! ```

use std::collections::HashMap;
use std::io::Write;

use psephos::{Candidate, CandidateId, Candidates, RankedBallotsBuilder, MAX_CANDIDATES};

use crate::error::{ReadError, ReadErrorKind, WriteError};
use crate::text::{self, quote, Number};
use crate::{BallotFile, Format};

/// How the columns of a CSV ballot file are laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CsvLayout {
    /// Rank columns when every ballot column has a rank heading, candidate
    /// columns otherwise.
    #[default]
    Auto,
    /// One column per rank; cells name candidates.
    RankColumns,
    /// One column per candidate; cells hold ranks.
    CandidateColumns,
}

impl std::str::FromStr for CsvLayout {
    type Err = String;

    /// `auto`, `rank-columns` or `candidate-columns`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(CsvLayout::Auto),
            "rank-columns" => Ok(CsvLayout::RankColumns),
            "candidate-columns" => Ok(CsvLayout::CandidateColumns),
            _ => Err("give auto, rank-columns or candidate-columns".into()),
        }
    }
}

/// A field delimiter as a user writes it: one ASCII character, or `\t` or
/// `tab` for a tab. `None` for anything else.
///
/// ```
/// use psephos_io::csv_ballots::parse_delimiter;
/// assert_eq!(parse_delimiter(";"), Some(b';'));
/// assert_eq!(parse_delimiter("\\t"), Some(b'\t'));
/// assert_eq!(parse_delimiter("ab"), None);
/// ```
pub fn parse_delimiter(s: &str) -> Option<u8> {
    match s {
        "\\t" | "tab" => Some(b'\t'),
        _ if s.len() == 1 && s.is_ascii() => Some(s.as_bytes()[0]),
        _ => None,
    }
}

/// How to read CSV ballots.
///
/// Labels and column names are matched without regard to case or to
/// surrounding spaces (and, for column names, to `_`/`-` versus space);
/// candidate names are matched exactly, after trimming surrounding spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// The field delimiter; `None` takes a tab for `.tsv` files and otherwise
    /// whichever of `,`, `;` and tab the header row holds most of.
    pub delimiter: Option<u8>,
    /// The column layout.
    pub layout: CsvLayout,
    /// The candidates, in ballot-paper order. When given, every candidate
    /// named in a cell (rank columns) or heading (candidate columns) must be
    /// on the list, and candidates nobody ranked are still listed. When not
    /// given, candidates are taken in the order first seen.
    pub candidates: Option<Vec<String>>,
    /// Rank cells that mean "more than one candidate marked at this rank".
    /// Default: `overvote`.
    pub overvote_label: Vec<String>,
    /// Rank cells that mean "no candidate marked at this rank". Default:
    /// `undervote` and the blank cell.
    pub undervote_label: Vec<String>,
    /// Rank cells that mean "a write-in candidate". Default: `write-in`,
    /// `writein`.
    pub writein_label: Vec<String>,
    /// The name under which write-in marks are counted. Default: `Write-in`.
    pub writein_name: String,
    /// The column holding each row's weight (a whole number of ballots of at
    /// least 1). `None` uses a column headed `weight` or `count` when there is
    /// one, and a weight of 1 per row otherwise. A named column must exist.
    pub weight_column: Option<String>,
    /// Columns that are not part of the ballot and are ignored: ballot ids,
    /// precincts, batches. Default: `id`, `ballot id`, `ballot`, `cvr`,
    /// `cvr id`, `record id`, `precinct`, `precinct id`, `ward`, `batch`,
    /// `batch id`, `tabulator`, `tabulator id`, `ballot style`, `style`.
    pub id_columns: Vec<String>,
}

impl CsvOptions {
    /// These options with the labels given in place of the defaults, list
    /// by list: an empty list keeps its defaults, and a blank cell stays
    /// an undervote whatever the undervote labels.
    ///
    /// ```
    /// use psephos_io::csv_ballots::CsvOptions;
    /// let o = CsvOptions::default().with_labels(&[], &["-".to_owned()], &[]);
    /// assert_eq!(o.undervote_label, ["-", ""]);
    /// assert_eq!(o.overvote_label, ["overvote"]);
    /// ```
    pub fn with_labels(mut self, overvote: &[String], undervote: &[String], writein: &[String]) -> Self {
        if !overvote.is_empty() {
            self.overvote_label = overvote.to_vec();
        }
        if !undervote.is_empty() {
            self.undervote_label = undervote.iter().cloned().chain([String::new()]).collect();
        }
        if !writein.is_empty() {
            self.writein_label = writein.to_vec();
        }
        self
    }
}

impl Default for CsvOptions {
    fn default() -> Self {
        let strings = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect();
        CsvOptions {
            delimiter: None,
            layout: CsvLayout::Auto,
            candidates: None,
            overvote_label: strings(&["overvote"]),
            undervote_label: strings(&["undervote", ""]),
            writein_label: strings(&["write-in", "writein"]),
            writein_name: "Write-in".to_owned(),
            weight_column: None,
            id_columns: strings(&[
                "id",
                "ballot id",
                "ballot",
                "cvr",
                "cvr id",
                "record id",
                "precinct",
                "precinct id",
                "ward",
                "batch",
                "batch id",
                "tabulator",
                "tabulator id",
                "ballot style",
                "style",
            ]),
        }
    }
}

/// A column name folded for matching: lower case, `_` and `-` as spaces,
/// spaces collapsed.
fn fold(name: &str) -> String {
    name.trim().to_lowercase().replace(['_', '-'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rank a column heading names, if it is a rank heading: one number, and
/// either nothing else but an ordinal suffix or a word such as `rank`.
fn rank_heading(heading: &str) -> Option<u32> {
    const WORDS: [&str; 8] = ["rank", "ranking", "choice", "pref", "preference", "round", "vote", "option"];
    const SUFFIXES: [&str; 4] = ["st", "nd", "rd", "th"];
    /// Ordinals written as words, as in `First choice` or `second`.
    const ORDINALS: [&str; 10] =
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    let lower = heading.trim().to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|s| !s.is_empty()).collect();
    if let Some(i) = words.iter().find_map(|w| ORDINALS.iter().position(|o| o == w)) {
        let rest_ok = words.iter().all(|w| ORDINALS.contains(w) || WORDS.contains(w));
        let one = words.iter().filter(|w| ORDINALS.contains(w)).count() == 1;
        return (rest_ok && one && !lower.chars().any(|c| c.is_ascii_digit())).then_some(i as u32 + 1);
    }
    let mut numbers = lower.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
    let number: u32 = numbers.next()?.parse().ok()?;
    if numbers.next().is_some() {
        return None;
    }
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphabetic()).filter(|s| !s.is_empty()).collect();
    let bare = words.iter().all(|w| SUFFIXES.contains(w));
    (bare || words.iter().any(|w| WORDS.contains(w))).then_some(number)
}

/// A rank written in a cell: `2`, `2nd`.
fn rank_cell(cell: &str) -> Option<u64> {
    let digits = cell.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &cell[digits.len()..];
    if !suffix.is_empty() && !["st", "nd", "rd", "th"].contains(&suffix.to_ascii_lowercase().as_str()) {
        return None;
    }
    match text::number(digits) {
        Number::Whole(r) => Some(r),
        _ => None,
    }
}

fn is_label(cell: &str, labels: &[String]) -> bool {
    labels.iter().any(|l| l.trim().eq_ignore_ascii_case(cell))
}

/// A rank-column cell, before candidates are final.
const SKIP_CELL: u16 = u16::MAX;
const OVER_CELL: u16 = u16::MAX - 1;

/// Reads CSV ballots held in memory; `file` names it in errors (and a `.tsv`
/// name selects the tab delimiter unless `opts.delimiter` is set).
pub fn read(file: &str, bytes: &[u8], opts: &CsvOptions) -> Result<BallotFile, ReadError> {
    let src = text::validate(file, bytes)?;
    let src = &src[text::bom_len(src.as_bytes())..];
    let header_line = src.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = opts.delimiter.unwrap_or_else(|| {
        if crate::format::extension(file).as_deref() == Some("tsv") {
            return b'\t';
        }
        let counts = [b',', b';', b'\t'].map(|d| (header_line.bytes().filter(|&b| b == d).count(), d));
        // Ties go to the comma, which comes first.
        counts.iter().rev().max_by_key(|(n, _)| *n).map_or(b',', |&(n, d)| if n == 0 { b',' } else { d })
    });
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(src.as_bytes());
    let mut record = csv::StringRecord::new();
    let err = |line: u64, field: Option<usize>, kind| ReadError::at(file, line as usize, field, kind);
    let next = |reader: &mut csv::Reader<&[u8]>, record: &mut csv::StringRecord| match reader.read_record(record) {
        Ok(more) => Ok(more),
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            Err(err(
                line,
                None,
                ReadErrorKind::Malformed { expected: "a CSV row".into(), found: quote(&e.to_string()) },
            ))
        }
    };
    if !next(&mut reader, &mut record)? {
        return Err(ReadError::whole(
            file,
            ReadErrorKind::Empty { expected: "a header row naming the columns".into() },
        ));
    }
    let header_pos = record.position().map_or(1, |p| p.line());
    let headings: Vec<String> = record.iter().map(|h| h.trim().to_owned()).collect();
    let header = Columns::new(&headings, opts).map_err(|(field, kind)| err(header_pos, Some(field + 1), kind))?;
    let layout = match opts.layout {
        CsvLayout::Auto if header.data.iter().all(|&c| rank_heading(&headings[c]).is_some()) => CsvLayout::RankColumns,
        CsvLayout::Auto => CsvLayout::CandidateColumns,
        l => l,
    };
    let mut state = State::new(opts, layout, &headings, &header).map_err(|(field, kind)| {
        let line = if field == usize::MAX { None } else { Some(field + 1) };
        err(header_pos, line, kind)
    })?;
    let mut total: u64 = 0;
    while next(&mut reader, &mut record)? {
        let line = record.position().map_or(0, |p| p.line());
        for (i, cell) in record.iter().enumerate() {
            if cell.contains(['\n', '\r']) {
                return Err(err(
                    line,
                    Some(i + 1),
                    ReadErrorKind::Malformed {
                        expected: "a cell on one line (is a quote left open?)".into(),
                        found: quote(cell),
                    },
                ));
            }
        }
        if record.len() != headings.len() {
            return Err(err(
                line,
                Some(record.len().min(headings.len()) + 1),
                ReadErrorKind::Malformed {
                    expected: format!("{} fields, as in the header row", headings.len()),
                    found: format!("{} fields", record.len()),
                },
            ));
        }
        let weight = match header.weight {
            None => 1,
            Some(w) => {
                let cell = record[w].trim();
                match text::number(cell) {
                    Number::Whole(v) if v >= 1 => v,
                    Number::Fraction => {
                        return Err(err(line, Some(w + 1), ReadErrorKind::FractionalWeight { found: quote(cell) }))
                    }
                    _ => {
                        return Err(err(
                            line,
                            Some(w + 1),
                            ReadErrorKind::MalformedNumber {
                                expected: format!("a weight of at least 1 in column `{}`", headings[w]),
                                found: quote(cell),
                            },
                        ))
                    }
                }
            }
        };
        total = total.checked_add(weight).ok_or_else(|| err(line, Some(1), ReadErrorKind::WeightOverflow))?;
        state.row(&record, weight).map_err(|(field, kind)| err(line, Some(field + 1), kind))?;
    }
    state.finish().map_err(|(line, field, kind)| err(line, field, kind))
}

/// The roles of the header's columns.
struct Columns {
    /// Ballot columns, in file order.
    data: Vec<usize>,
    weight: Option<usize>,
}

type FieldError = (usize, ReadErrorKind);

impl Columns {
    fn new(headings: &[String], opts: &CsvOptions) -> Result<Columns, FieldError> {
        let folded: Vec<String> = headings.iter().map(|h| fold(h)).collect();
        let weight = match &opts.weight_column {
            Some(name) => Some(folded.iter().position(|h| *h == fold(name)).ok_or_else(|| {
                (
                    0,
                    ReadErrorKind::BadHeader {
                        expected: format!("a weight column headed {}", quote(name)),
                        found: format!("only {}", list(headings)),
                    },
                )
            })?),
            None => folded.iter().position(|h| h == "weight" || h == "count"),
        };
        let ids: Vec<String> = opts.id_columns.iter().map(|c| fold(c)).collect();
        let data: Vec<usize> =
            (0..headings.len()).filter(|&i| Some(i) != weight && !ids.contains(&folded[i])).collect();
        if data.is_empty() {
            return Err((
                0,
                ReadErrorKind::BadHeader {
                    expected: "at least one ballot column (a rank or a candidate)".into(),
                    found: format!("only {}", list(headings)),
                },
            ));
        }
        for (k, &i) in data.iter().enumerate() {
            if data[..k].iter().any(|&j| folded[j] == folded[i]) {
                return Err((
                    i,
                    ReadErrorKind::BadHeader {
                        expected: "distinct column headings".into(),
                        found: format!("{} twice", quote(&headings[i])),
                    },
                ));
            }
        }
        Ok(Columns { data, weight })
    }
}

fn list(headings: &[String]) -> String {
    headings.iter().map(|h| quote(h)).collect::<Vec<_>>().join(", ")
}

/// What the reader has gathered so far, by layout. One per file read, so
/// the size of its larger variant (a ballot store builder) costs nothing.
#[allow(clippy::large_enum_variant)]
enum State<'o> {
    Ranks(RankState<'o>),
    Candidates(CandidateState),
}

/// Rank columns: cells are stored until the candidate list is final.
struct RankState<'o> {
    opts: &'o CsvOptions,
    /// Rank columns, best rank first.
    columns: Vec<usize>,
    candidates: Candidates,
    index: HashMap<String, u16>,
    /// Whether the candidate list was given (and is closed).
    closed: bool,
    writein: Option<u16>,
    cells: Vec<u16>,
    starts: Vec<usize>,
    weights: Vec<u64>,
    /// Line and field of the first overvote label.
    first_overvote: Option<(u64, usize)>,
    line: u64,
}

/// Candidate columns: candidates are known from the header, so ballots go
/// straight into the store.
struct CandidateState {
    /// For each candidate column (file order): its field and candidate.
    columns: Vec<(usize, CandidateId)>,
    candidates: Candidates,
    builder: RankedBallotsBuilder,
    /// (rank, candidate) pairs of the row being read.
    marks: Vec<(u64, CandidateId)>,
    undervote: Vec<String>,
}

impl<'o> State<'o> {
    fn new(opts: &'o CsvOptions, layout: CsvLayout, headings: &[String], cols: &Columns) -> Result<Self, FieldError> {
        let mut candidates = Candidates::new();
        let mut index = HashMap::new();
        if let Some(names) = &opts.candidates {
            for name in names {
                let name = name.trim();
                if index.contains_key(name) {
                    return Err((usize::MAX, ReadErrorKind::DuplicateName { found: quote(name) }));
                }
                let id = candidates.push(Candidate::new(name)).ok_or((
                    usize::MAX,
                    ReadErrorKind::TooManyCandidates { found: names.len(), max: MAX_CANDIDATES },
                ))?;
                index.insert(name.to_owned(), id.0);
            }
        }
        if layout == CsvLayout::CandidateColumns {
            let mut columns = Vec::new();
            for &i in &cols.data {
                let name = headings[i].as_str();
                let id = match index.get(name) {
                    Some(&id) => CandidateId(id),
                    None if opts.candidates.is_some() => {
                        return Err((
                            i,
                            ReadErrorKind::UnknownCandidate { found: quote(name), candidates: candidates.len() },
                        ))
                    }
                    None => {
                        let id = candidates.push(Candidate::new(name)).ok_or((
                            i,
                            ReadErrorKind::TooManyCandidates { found: cols.data.len(), max: MAX_CANDIDATES },
                        ))?;
                        index.insert(name.to_owned(), id.0);
                        id
                    }
                };
                columns.push((i, id));
            }
            let builder = RankedBallotsBuilder::new(candidates.len());
            return Ok(State::Candidates(CandidateState {
                columns,
                candidates,
                builder,
                marks: Vec::new(),
                undervote: opts.undervote_label.clone(),
            }));
        }
        let mut ranked: Vec<(u32, usize)> = Vec::with_capacity(cols.data.len());
        for &i in &cols.data {
            let rank = rank_heading(&headings[i]).ok_or_else(|| {
                (
                    i,
                    ReadErrorKind::BadHeader {
                        expected: "a rank heading such as `Rank 1`, `choice_2` or `3rd`".into(),
                        found: quote(&headings[i]),
                    },
                )
            })?;
            if let Some(&(_, j)) = ranked.iter().find(|(r, _)| *r == rank) {
                return Err((
                    i,
                    ReadErrorKind::BadHeader {
                        expected: format!("one column for rank {rank}"),
                        found: format!("{} and {}", quote(&headings[j]), quote(&headings[i])),
                    },
                ));
            }
            ranked.push((rank, i));
        }
        ranked.sort_unstable();
        Ok(State::Ranks(RankState {
            opts,
            columns: ranked.into_iter().map(|(_, i)| i).collect(),
            closed: opts.candidates.is_some(),
            candidates,
            index,
            writein: None,
            cells: Vec::new(),
            starts: vec![0],
            weights: Vec::new(),
            first_overvote: None,
            line: 0,
        }))
    }

    fn row(&mut self, record: &csv::StringRecord, weight: u64) -> Result<(), FieldError> {
        match self {
            State::Ranks(s) => s.row(record, weight),
            State::Candidates(s) => s.row(record, weight),
        }
    }

    fn finish(self) -> Result<BallotFile, (u64, Option<usize>, ReadErrorKind)> {
        let (candidates, ballots) = match self {
            State::Ranks(s) => s.finish()?,
            State::Candidates(s) => (s.candidates, s.builder.build()),
        };
        Ok(BallotFile {
            title: None,
            candidates,
            seats: None,
            ballots,
            format: Format::Csv,
            options: Default::default(),
        })
    }
}

impl RankState<'_> {
    fn candidate(&mut self, field: usize, name: &str) -> Result<u16, FieldError> {
        if let Some(&id) = self.index.get(name) {
            return Ok(id);
        }
        if self.closed {
            return Err((
                field,
                ReadErrorKind::UnknownCandidate { found: quote(name), candidates: self.candidates.len() },
            ));
        }
        let id = self
            .candidates
            .push(Candidate::new(name))
            .ok_or((field, ReadErrorKind::TooManyCandidates { found: MAX_CANDIDATES + 1, max: MAX_CANDIDATES }))?;
        self.index.insert(name.to_owned(), id.0);
        Ok(id.0)
    }

    fn row(&mut self, record: &csv::StringRecord, weight: u64) -> Result<(), FieldError> {
        self.line = record.position().map_or(0, |p| p.line());
        let opts = self.opts;
        for k in 0..self.columns.len() {
            let field = self.columns[k];
            let cell = record[field].trim();
            let mark = if is_label(cell, &opts.undervote_label) {
                SKIP_CELL
            } else if is_label(cell, &opts.overvote_label) {
                self.first_overvote.get_or_insert((self.line, field));
                OVER_CELL
            } else if is_label(cell, &opts.writein_label) {
                match self.writein {
                    Some(id) => id,
                    None => {
                        // A write-in name on the given list is that candidate;
                        // otherwise it joins the list.
                        let name = opts.writein_name.trim().to_owned();
                        let id = match self.index.get(&name) {
                            Some(&id) => id,
                            None => {
                                let id = self.candidates.push(Candidate::new(name.clone())).ok_or((
                                    field,
                                    ReadErrorKind::TooManyCandidates { found: MAX_CANDIDATES + 1, max: MAX_CANDIDATES },
                                ))?;
                                self.index.insert(name, id.0);
                                id.0
                            }
                        };
                        self.writein = Some(id);
                        id
                    }
                }
            } else {
                self.candidate(field, cell)?
            };
            self.cells.push(mark);
        }
        // Blank ranks after the last mark are padding.
        let start = *self.starts.last().unwrap_or(&0);
        while self.cells.len() > start && self.cells.last() == Some(&SKIP_CELL) {
            self.cells.pop();
        }
        self.starts.push(self.cells.len());
        self.weights.push(weight);
        Ok(())
    }

    fn finish(self) -> Result<(Candidates, psephos::RankedBallots), (u64, Option<usize>, ReadErrorKind)> {
        let n = self.candidates.len();
        if let Some((line, field)) = self.first_overvote {
            if n < 2 {
                return Err((
                    line,
                    Some(field + 1),
                    ReadErrorKind::Malformed {
                        expected: "at least two candidates for an overvote label to stand for".into(),
                        found: format!("{n} candidate(s) in the file"),
                    },
                ));
            }
        }
        let mut builder = RankedBallotsBuilder::with_capacity(n, self.weights.len(), self.cells.len());
        for (b, &weight) in self.weights.iter().enumerate() {
            for &cell in &self.cells[self.starts[b]..self.starts[b + 1]] {
                match cell {
                    SKIP_CELL => builder.push_skip(),
                    OVER_CELL => builder.push_unnamed_overvote(),
                    id => builder.push(CandidateId(id)),
                }
            }
            builder.finish(weight).map_err(|e| (self.line, None, ReadErrorKind::from_ballot(e)))?;
        }
        Ok((self.candidates, builder.build()))
    }
}

impl CandidateState {
    fn row(&mut self, record: &csv::StringRecord, weight: u64) -> Result<(), FieldError> {
        let limit = self.columns.len() as u64;
        self.marks.clear();
        for &(field, id) in &self.columns {
            let cell = record[field].trim();
            if is_label(cell, &self.undervote) {
                continue;
            }
            match rank_cell(cell) {
                Some(r) if r >= 1 && r <= limit => self.marks.push((r, id)),
                _ => {
                    return Err((
                        field,
                        ReadErrorKind::MalformedNumber {
                            expected: format!(
                                "a rank from 1 to {limit} or a blank cell (if the columns are ranks, head them \
                                 `Rank 1`, `Rank 2`… or choose the rank-column layout)"
                            ),
                            found: quote(cell),
                        },
                    ))
                }
            }
        }
        self.marks.sort_unstable();
        let mut rank = 1;
        let mut k = 0;
        while k < self.marks.len() {
            let r = self.marks[k].0;
            while rank < r {
                self.builder.push_skip();
                rank += 1;
            }
            self.builder.push(self.marks[k].1);
            k += 1;
            while k < self.marks.len() && self.marks[k].0 == r {
                self.builder.push_tied(self.marks[k].1);
                k += 1;
            }
            rank += 1;
        }
        self.builder.finish(weight).map_err(|e| (0, ReadErrorKind::from_ballot(e)))
    }
}

/// Writes ballots as CSV in the rank-column layout: `Rank 1`…`Rank m`
/// (m the longest ballot) and a `weight` column, one row per unique ballot. A
/// skipped rank is a blank cell and an equal ranking is written as
/// `overvote`, so ties do not survive a round trip; nor does the order of
/// candidates nobody ranked first — read back with
/// [`CsvOptions::candidates`] set to keep the list. Fails when a candidate's
/// name is blank or is one of the default labels.
pub fn write_csv<W: Write>(out: &mut W, file: &BallotFile) -> Result<(), WriteError> {
    let labels = CsvOptions::default();
    for (_, c) in file.candidates.iter() {
        let n = c.name.trim();
        if is_label(n, &labels.overvote_label)
            || is_label(n, &labels.undervote_label)
            || is_label(n, &labels.writein_label)
        {
            return Err(WriteError::Unrepresentable {
                ballot: 0,
                format: "CSV",
                reason: format!("the candidate name {} reads as a label", quote(&c.name)),
            });
        }
    }
    let width = file.ballots.iter().map(|b| b.levels().count()).max().unwrap_or(0).max(1);
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| WriteError::Io(std::io::Error::other(e.to_string()));
    let mut row: Vec<String> = (1..=width).map(|r| format!("Rank {r}")).collect();
    row.push("weight".into());
    w.write_record(&row).map_err(csv_err)?;
    for ballot in file.ballots.iter() {
        row.clear();
        for level in ballot.levels() {
            row.push(match level.len() {
                0 if level.is_unnamed_overvote() => "overvote".into(),
                0 => String::new(),
                1 => level.candidates().next().map_or_else(String::new, |c| file.candidates.name(c).to_owned()),
                _ => "overvote".into(),
            });
        }
        row.resize(width, String::new());
        row.push(ballot.weight.to_string());
        w.write_record(&row).map_err(csv_err)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str, opts: &CsvOptions) -> BallotFile {
        read("t.csv", src.as_bytes(), opts).unwrap_or_else(|e| panic!("{e}"))
    }

    fn bad(src: &str, opts: &CsvOptions) -> (usize, usize, String) {
        let e = read("t.csv", src.as_bytes(), opts).unwrap_err();
        assert_eq!(e.file, "t.csv");
        (e.line.unwrap_or(0), e.column.unwrap_or(0), e.kind.to_string())
    }

    fn names(f: &BallotFile) -> Vec<&str> {
        f.candidates.iter().map(|(_, c)| c.name.as_str()).collect()
    }

    fn levels(f: &BallotFile, i: usize) -> Vec<Vec<u16>> {
        f.ballots.get(i).levels().map(|l| l.candidates().map(|c| c.0).collect()).collect()
    }

    #[test]
    fn headings() {
        for h in ["Rank 1", "rank1", "choice_2", "1st", "2nd Choice", "Preference 3", "4", " 5th pref ", "Mayor Rank 2"]
        {
            assert!(rank_heading(h).is_some(), "{h}");
        }
        for h in ["Ada", "Choice 1 of 5", "precinct", "Bo 2", ""] {
            assert_eq!(rank_heading(h), None, "{h}");
        }
        assert_eq!(rank_heading("First choice"), Some(1));
        assert_eq!(rank_heading("second"), Some(2));
        assert_eq!(rank_heading("Tenth preference"), Some(10));
        assert_eq!(rank_heading("Third Party"), None);
        assert_eq!(rank_heading("first second"), None);
        assert_eq!(rank_cell("3rd"), Some(3));
        assert_eq!(rank_cell("3x"), None);
        assert_eq!(fold(" Ballot_ID "), "ballot id");
    }

    #[test]
    fn rank_columns_with_labels_weights_and_ids() {
        let src = "Precinct;Rank 2;Rank 1;Rank 3;Count\n\
                   P1;Bo;Ada;;3\n\
                   P1; Ada ;Bo;;2\n\
                   P2;OVERVOTE;Cy;Ada;1\n\
                   P2;;undervote;Write-In;1\n\
                   P3;;;;4\n";
        let f = ok(src, &CsvOptions::default());
        assert_eq!(names(&f), ["Ada", "Bo", "Cy", "Write-in"]);
        assert_eq!(f.format, Format::Csv);
        assert_eq!(f.ballots.total_weight(), 11);
        assert_eq!(levels(&f, 0), [vec![0], vec![1]]);
        assert_eq!(levels(&f, 1), [vec![1], vec![0]]);
        // The overvote names no candidate.
        assert_eq!(levels(&f, 2), [vec![2], vec![], vec![0]]);
        assert!(f.ballots.get(2).levels().nth(1).unwrap().is_unnamed_overvote());
        assert_eq!(levels(&f, 3), [vec![], vec![], vec![3]]);
        assert!(f.ballots.get(4).is_blank());
    }

    #[test]
    fn given_candidates_fix_the_order_and_close_the_list() {
        let opts = CsvOptions {
            candidates: Some(vec!["Cy".into(), "Bo".into(), "Ada".into()]),
            delimiter: Some(b','),
            ..CsvOptions::default()
        };
        let f = ok("choice 1,choice 2\nAda,Bo\n", &opts);
        assert_eq!(names(&f), ["Cy", "Bo", "Ada"]);
        assert_eq!(levels(&f, 0), [vec![2], vec![1]]);
        assert_eq!(
            bad("choice 1,choice 2\nAda,Dee\n", &opts),
            (2, 2, "unknown candidate: expected one of the 3 declared candidate names or a label, found `Dee`".into())
        );
        let dup = CsvOptions { candidates: Some(vec!["A".into(), "A".into()]), ..CsvOptions::default() };
        assert_eq!(bad("Rank 1\nA\n", &dup).2, "duplicate candidate name: expected distinct names, found `A` twice");
    }

    #[test]
    fn candidate_columns() {
        let src = "ballot_id\tAda\tBo\tCy\tDee\n1\t1\t2\t\t\n2\t2\t1\t1\t\n3\t\t1st\t3\t\n4\t\t\t\t\n";
        let f = read("t.tsv", src.as_bytes(), &CsvOptions::default()).unwrap();
        assert_eq!(names(&f), ["Ada", "Bo", "Cy", "Dee"]);
        assert_eq!(levels(&f, 0), [vec![0], vec![1]]);
        assert_eq!(levels(&f, 1), [vec![1, 2], vec![0]]);
        assert_eq!(levels(&f, 2), [vec![1], vec![], vec![2]]);
        assert!(f.ballots.get(3).is_blank());
        let e = read("t.tsv", b"Ada\tBo\n1\t5\n", &CsvOptions::default()).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(2)));
        assert!(e.kind.to_string().starts_with("malformed number: expected a rank from 1 to 2 or a blank cell"));
        let opts = CsvOptions { candidates: Some(vec!["Ada".into()]), ..CsvOptions::default() };
        assert_eq!(
            bad("Ada,Bo\n1,2\n", &opts),
            (1, 2, "unknown candidate: expected one of the 1 declared candidate names or a label, found `Bo`".into())
        );
        let forced = CsvOptions { layout: CsvLayout::CandidateColumns, ..CsvOptions::default() };
        assert_eq!(names(&ok("1,2\n1,\n", &forced)), ["1", "2"]);
    }

    #[test]
    fn weight_errors() {
        assert_eq!(
            bad_default("Rank 1,weight\nA,1.5\n"),
            (2, 2, "fractional weight: expected a whole number of ballots, found `1.5`".into())
        );
        assert_eq!(
            bad_default("Rank 1,weight\nA,0\n"),
            (2, 2, "malformed number: expected a weight of at least 1 in column `weight`, found `0`".into())
        );
        assert_eq!(
            bad_default("Rank 1,weight\nA,18446744073709551615\nA,1\n"),
            (3, 1, "weight overflow: the ballot weights add up to more than 2^64 - 1".into())
        );
        let opts = CsvOptions { weight_column: Some("n".into()), ..CsvOptions::default() };
        assert_eq!(
            bad("Rank 1,w\nA,1\n", &opts),
            (1, 1, "bad header: expected a weight column headed `n`, found only `Rank 1`, `w`".into())
        );
        let f = ok("Rank 1,N\nA,3\n", &opts);
        assert_eq!(f.ballots.total_weight(), 3);
    }

    fn bad_default(src: &str) -> (usize, usize, String) {
        bad(src, &CsvOptions::default())
    }

    #[test]
    fn structural_errors() {
        assert_eq!(
            read("t.csv", b"", &CsvOptions::default()).unwrap_err().to_string(),
            "t.csv: the file is empty: expected a header row naming the columns"
        );
        assert_eq!(
            bad_default("Rank 1,Rank 2\nA\n"),
            (2, 2, "expected 2 fields, as in the header row, found 1 fields".into())
        );
        assert_eq!(
            bad_default("Rank 1,Rank 1\nA,B\n"),
            (1, 2, "bad header: expected distinct column headings, found `Rank 1` twice".into())
        );
        assert_eq!(
            bad_default("Rank 1,1st\nA,B\n"),
            (1, 2, "bad header: expected one column for rank 1, found `Rank 1` and `1st`".into())
        );
        assert_eq!(
            bad_default("id,precinct\n1,2\n").2,
            "bad header: expected at least one ballot column (a rank or a candidate), found only `id`, `precinct`"
        );
        assert_eq!(
            bad_default("Rank 1,Rank 2\n\"A,B\nC\n").2,
            "expected a cell on one line (is a quote left open?), found `A,B\\nC\\n`"
        );
        assert_eq!(
            bad_default("Rank 1\novervote\n"),
            (
                2,
                1,
                "expected at least two candidates for an overvote label to stand for, found 0 candidate(s) in the file"
                    .into()
            )
        );
        assert_eq!(
            bad_default("Rank 1\nA\0\n"),
            (2, 2, "binary data: control byte 0x00 where text was expected".into())
        );
        let forced = CsvOptions { layout: CsvLayout::RankColumns, ..CsvOptions::default() };
        assert_eq!(
            bad("Ada,Bo\nA,B\n", &forced),
            (1, 1, "bad header: expected a rank heading such as `Rank 1`, `choice_2` or `3rd`, found `Ada`".into())
        );
    }

    #[test]
    fn write_then_read() {
        let src = "Rank 1,Rank 2,Rank 3\nBo,Ada,\nCy,,Ada\nBo,Ada,\n";
        let f = ok(src, &CsvOptions::default());
        let mut out = Vec::new();
        write_csv(&mut out, &f).unwrap();
        assert_eq!(String::from_utf8(out.clone()).unwrap(), "Rank 1,Rank 2,Rank 3,weight\nBo,Ada,,2\nCy,,Ada,1\n");
        let again = read("again.csv", &out, &CsvOptions::default()).unwrap();
        assert_eq!(again, f);
        let mut blank = f.clone();
        blank.candidates.get_mut(CandidateId(0)).name = "Overvote".into();
        assert!(write_csv(&mut Vec::new(), &blank).is_err());
    }
}
