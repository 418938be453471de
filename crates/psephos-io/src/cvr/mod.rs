//! Cast-vote records (CVRs): the ballot-by-ballot exports of voting systems.
//!
//! Ranked-choice elections in the United States publish their ballots as the
//! CVR files their voting systems export, and RCTab (the certified
//! open-source tabulator) counts them from those files. This module reads
//! them, one reader per provider:
//!
//! - [`ess`]: ES&S `.xlsx` workbooks, one row per ballot, one column per rank;
//! - [`cdf`]: NIST SP 1500-103 Common Data Format CVR reports, JSON and XML
//!   (including Unisyn's multi-contest files).
//!
//! Every reader produces [`CastVoteRecord`]s: the record's ids, its precinct
//! and batch, and per rank the marks as read ([`Mark`]), after the
//! per-source labels of [`SourceOptions`] have been applied (an overvote
//! label becomes [`Mark::Overvote`], a skipped-rank label is dropped, an
//! undeclared write-in label becomes [`Mark::UndeclaredWriteIn`]). What a
//! mark means for the count (skips, overvotes, duplicates) is left to the
//! counting rules.

pub mod cdf;
pub mod clear_ballot;
pub mod dominion;
pub mod ess;
pub mod generic_csv;
pub mod hart;
mod xlsx_rows;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use psephos::{CandidateId, Candidates, RankedBallotsBuilder};

use crate::{BallotFile, Format};

/// One mark at one rank of a cast-vote record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    /// A candidate, by the name (or alias) the file gives (shared: a name is
    /// usually marked on many ballots).
    Candidate(Arc<str>),
    /// The file says "overvote" at this rank without naming the candidates.
    Overvote,
    /// A write-in for a candidate not on the declared list.
    UndeclaredWriteIn,
}

/// One ballot's record for one contest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CastVoteRecord {
    /// An id made from the file name and the record's position, always present.
    pub computed_id: String,
    /// The id the file gives the record, if any.
    pub supplied_id: Option<String>,
    /// The precinct the ballot was cast in, if the file says.
    pub precinct: Option<String>,
    /// The batch the ballot was scanned in, if the file says.
    pub batch: Option<String>,
    /// The contest's id in the file, where the format has one (Dominion).
    pub contest_id: Option<String>,
    /// The tabulator that scanned the ballot, where the format says (Dominion).
    pub tabulator_id: Option<String>,
    /// The precinct portion (split), where the format says (Dominion).
    pub precinct_portion: Option<String>,
    /// The marks, as `(rank, mark)` pairs in file order; ranks start at 1.
    /// A rank with two or more marks is an overvote.
    pub rankings: Vec<(u32, Mark)>,
}

impl CastVoteRecord {
    /// The record's id: the supplied one if the file gives one, else the computed one.
    pub fn id(&self) -> &str {
        self.supplied_id.as_deref().unwrap_or(&self.computed_id)
    }
}

/// The per-source settings of a CVR file: where the data is and what its labels mean.
///
/// They mirror RCTab's per-source settings; the column and row numbers are
/// 1-based, as a spreadsheet shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceOptions {
    /// The contest to read, for files holding several (CDF: the contest's name).
    pub contest_id: Option<String>,
    /// The column of the first rank (spreadsheet formats).
    pub first_vote_column: usize,
    /// The row of the first ballot (spreadsheet formats).
    pub first_vote_row: usize,
    /// The column of the ballot id, if any.
    pub id_column: Option<usize>,
    /// The column of the precinct, if any.
    pub precinct_column: Option<usize>,
    /// The column of the batch, if any.
    pub batch_column: Option<usize>,
    /// A delimiter separating several candidates marked in one cell.
    pub overvote_delimiter: Option<String>,
    /// The text that marks an overvote whose candidates are not named.
    pub overvote_label: Option<String>,
    /// The text that marks a skipped rank.
    pub skipped_rank_label: Option<String>,
    /// The text that marks an undeclared write-in.
    pub undeclared_write_in_label: Option<String>,
    /// Read a blank rank as an undeclared write-in.
    pub treat_blank_as_undeclared_write_in: bool,
    /// How many rank columns to read.
    pub max_rankings: usize,
    /// Name candidates as the vendor's manifest does (Dominion), rather than
    /// by their ids (which RCTab configurations map to names by aliases).
    pub vendor_names: bool,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            contest_id: None,
            first_vote_column: 1,
            first_vote_row: 1,
            id_column: None,
            precinct_column: None,
            batch_column: None,
            overvote_delimiter: None,
            overvote_label: None,
            skipped_rank_label: None,
            undeclared_write_in_label: None,
            treat_blank_as_undeclared_write_in: false,
            max_rankings: usize::MAX,
            vendor_names: false,
        }
    }
}

impl SourceOptions {
    /// The options for reading a CVR file outside an RCTab configuration:
    /// the contest to read, and RCTab's usual labels (`overvote`,
    /// `undervote` for a skipped rank, `UWI` for an undeclared write-in).
    /// ES&S workbooks are read in their usual layout: a header row, the
    /// precinct in column 1, ranks from column 2.
    pub fn standalone(format: Format, contest_id: Option<String>) -> SourceOptions {
        let mut o = SourceOptions {
            contest_id,
            overvote_label: Some("overvote".into()),
            skipped_rank_label: Some("undervote".into()),
            undeclared_write_in_label: Some("UWI".into()),
            vendor_names: true,
            ..SourceOptions::default()
        };
        match format {
            Format::Ess => {
                o.first_vote_row = 2;
                o.first_vote_column = 2;
                o.precinct_column = Some(1);
            }
            Format::RctabCsv => {
                o.first_vote_column = 2;
                o.overvote_label = None;
                o.skipped_rank_label = None;
                o.undeclared_write_in_label = None;
            }
            _ => {}
        }
        o
    }

    /// Map one cell's text to a mark under these labels; `None` for a skipped rank.
    fn mark_for(&self, text: &str) -> Option<Mark> {
        if self.skipped_rank_label.as_deref() == Some(text) {
            None
        } else if self.overvote_label.as_deref() == Some(text) {
            Some(Mark::Overvote)
        } else if self.undeclared_write_in_label.as_deref() == Some(text) {
            Some(Mark::UndeclaredWriteIn)
        } else {
            Some(Mark::Candidate(text.into()))
        }
    }
}

/// What went wrong reading a CVR file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CvrErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read the file: {0}")]
    Io(String),
    /// The file is not in the expected format.
    #[error("not a valid {format} file: {detail}")]
    Format {
        /// The format expected.
        format: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// The contest named in the settings is not in the file.
    #[error("contest {0:?} not found in the file")]
    ContestNotFound(String),
    /// A reference to an id the file does not define.
    #[error("{what} {id:?} is not defined in the file")]
    UnknownId {
        /// What kind of id.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// A record breaks a rule of the format.
    #[error("{0}")]
    Invalid(String),
}

/// An error reading a CVR file, with the file and (where known) the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CvrError {
    /// The file.
    pub file: PathBuf,
    /// The record (id or row), when the error is in one record.
    pub record: Option<String>,
    /// What is wrong.
    pub kind: CvrErrorKind,
}

impl CvrError {
    pub(crate) fn new(file: &Path, record: Option<String>, kind: CvrErrorKind) -> Self {
        CvrError { file: file.to_path_buf(), record, kind }
    }
}

impl fmt::Display for CvrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(record) = &self.record {
            write!(f, ": record {record}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for CvrError {}

/// Opens a CSV CVR file with a header row (rows may differ in length) from
/// any reader and returns the CSV reader and the header's cells; errors name
/// the file `path` and the format.
pub(crate) fn open_csv<R: std::io::Read>(
    input: R,
    path: &Path,
    format: &'static str,
) -> Result<(csv::Reader<R>, Vec<String>), CvrError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(input);
    let header = reader
        .headers()
        .map_err(|e| CvrError::new(path, None, CvrErrorKind::Format { format, detail: e.to_string() }))?
        .iter()
        .map(str::to_owned)
        .collect();
    Ok((reader, header))
}

/// Opens a file for reading; the error names it.
pub(crate) fn open_file(path: &Path) -> Result<std::fs::File, CvrError> {
    std::fs::File::open(path).map_err(|e| CvrError::new(path, None, CvrErrorKind::Io(e.to_string())))
}

/// Reads a whole file; the error names it.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, CvrError> {
    std::fs::read(path).map_err(|e| CvrError::new(path, None, CvrErrorKind::Io(e.to_string())))
}

/// The file's name (without folders), as used in computed record ids.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Replace every character other than ASCII letters, digits, `_`, `-` and
/// `.` with `_`, as RCTab does for ids and file names in its outputs.
pub fn sanitize_for_output(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).collect()
}

/// The name write-ins are counted under when records are read as ballots.
pub const UNDECLARED_WRITE_INS: &str = "Undeclared Write-ins";

/// The CVR format a folder holds: Dominion if it has a contest manifest,
/// Hart if it holds XML files; `None` for a file or another folder.
pub fn detect_folder(path: &Path) -> Option<Format> {
    if !path.is_dir() {
        return None;
    }
    if path.join("ContestManifest.json").is_file() {
        return Some(Format::Dominion);
    }
    let has_xml = std::fs::read_dir(path)
        .ok()?
        .flatten()
        .any(|e| e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")));
    has_xml.then_some(Format::Hart)
}

/// Read cast-vote records of a CVR format.
///
/// # Errors
///
/// The reader's [`CvrError`]; a non-CVR format is refused.
pub fn read_records(path: &Path, format: Format, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    match format {
        Format::Ess => ess::read_path(path, options),
        Format::Cdf => cdf::read_path(path, options),
        Format::Dominion => dominion::read_path(path, options),
        Format::Hart => hart::read_path(path, options),
        Format::ClearBallot => clear_ballot::read_path(path, options),
        Format::RctabCsv => generic_csv::read_path(path, options),
        other => {
            Err(CvrError::new(path, None, CvrErrorKind::Invalid(format!("{other} is not a cast-vote record format"))))
        }
    }
}

/// Read cast-vote records of a single-file CVR format from memory.
///
/// `name` stands for the file: errors name it, computed record ids use its
/// last component, and a CDF report is read as XML when it ends in `.xml`
/// (as JSON otherwise). Every format held in one file is read: CDF JSON and
/// XML, one Hart XML ballot, Clear Ballot CSV, RCTab's generic CSV and ES&S
/// workbooks; the records are those [`read_records`] gives for a file of
/// that name holding these bytes.
///
/// # Errors
///
/// The reader's [`CvrError`]; a format held in a folder (Dominion) or a
/// non-CVR format is refused.
pub fn read_records_from_bytes(
    bytes: &[u8],
    name: &str,
    format: Format,
    options: &SourceOptions,
) -> Result<Vec<CastVoteRecord>, CvrError> {
    let path = Path::new(name);
    match format {
        Format::Ess => ess::read_bytes(bytes, path, options),
        Format::Cdf => cdf::read_bytes(bytes, path, options),
        Format::Hart => hart::read_bytes(bytes, path, options),
        Format::ClearBallot => clear_ballot::read_from(bytes, path, options),
        Format::RctabCsv => generic_csv::read_from(bytes, path, options),
        Format::Dominion => Err(CvrError::new(
            path,
            None,
            CvrErrorKind::Invalid("a Dominion export is a folder of files, not read from memory".into()),
        )),
        other => {
            Err(CvrError::new(path, None, CvrErrorKind::Invalid(format!("{other} is not a cast-vote record format"))))
        }
    }
}

/// Read cast-vote records as a ballot file for every psephos rule.
///
/// Candidates are named as the records name them, in order of first
/// appearance, with undeclared write-ins as one candidate
/// ([`UNDECLARED_WRITE_INS`]). Each record is one ballot: a rank holding
/// several candidates is an equal ranking there (an overvote under the
/// count's policy); an overvote label is an overvote of unnamed candidates
/// (an overvote under every policy); a rank with no mark before a marked one is a
/// skipped rank. Identical ballots are stored once with a weight.
///
/// # Errors
///
/// The reader's [`CvrError`].
pub fn read_ballot_file(path: &Path, format: Format, options: &SourceOptions) -> Result<BallotFile, CvrError> {
    let records = read_records(path, format, options)?;
    to_ballot_file(path, format, &records)
}

/// Read cast-vote records of a single-file CVR format from memory as a
/// ballot file, as [`read_ballot_file`] reads a file (see
/// [`read_records_from_bytes`] for `name`).
///
/// # Errors
///
/// The reader's [`CvrError`], naming `name`.
pub fn read_ballot_file_from_bytes(
    bytes: &[u8],
    name: &str,
    format: Format,
    options: &SourceOptions,
) -> Result<BallotFile, CvrError> {
    let records = read_records_from_bytes(bytes, name, format, options)?;
    to_ballot_file(Path::new(name), format, &records)
}

/// The highest rank a ballot file holds: as many ranks as a count can hold
/// candidates. A CVR writes a rank as a number (CDF's `Rank`, Hart's
/// `Value`) in a few bytes, but a ballot holds every rank up to its highest,
/// the ones before a mark as skipped ranks; a higher rank is refused rather
/// than filling memory with skipped ranks.
pub const MAX_RANK: u32 = psephos::MAX_CANDIDATES as u32;

fn to_ballot_file(path: &Path, format: Format, records: &[CastVoteRecord]) -> Result<BallotFile, CvrError> {
    let mut candidates = Candidates::new();
    let mut index: HashMap<&str, CandidateId> = HashMap::new();
    // First pass: the candidates, in order of appearance.
    for r in records {
        for (_, m) in &r.rankings {
            let name = match m {
                Mark::Candidate(n) => &**n,
                Mark::UndeclaredWriteIn => UNDECLARED_WRITE_INS,
                Mark::Overvote => continue,
            };
            if !index.contains_key(name) {
                let id = candidates
                    .push(psephos::Candidate::new(name))
                    .ok_or_else(|| CvrError::new(path, None, CvrErrorKind::Invalid("too many candidates".into())))?;
                index.insert(name, id);
            }
        }
    }
    let mut builder = RankedBallotsBuilder::with_capacity(candidates.len(), records.len(), records.len() * 3);
    let mut level: Vec<CandidateId> = Vec::new();
    for r in records {
        let mut rankings = r.rankings.clone();
        rankings.sort_by_key(|x| x.0);
        if let Some(&(rank, _)) = rankings.last().filter(|(rank, _)| *rank > MAX_RANK) {
            return Err(CvrError::new(
                path,
                Some(r.id().to_owned()),
                CvrErrorKind::Invalid(format!("rank {rank} is higher than a ballot can hold ({MAX_RANK} ranks)")),
            ));
        }
        let mut next_rank = 1;
        let mut i = 0;
        while i < rankings.len() {
            let rank = rankings[i].0;
            while next_rank < rank {
                builder.push_skip();
                next_rank += 1;
            }
            level.clear();
            let mut overvote = false;
            while i < rankings.len() && rankings[i].0 == rank {
                match &rankings[i].1 {
                    Mark::Candidate(n) => level.push(index[&**n]),
                    Mark::UndeclaredWriteIn => level.push(index[UNDECLARED_WRITE_INS]),
                    Mark::Overvote => overvote = true,
                }
                i += 1;
            }
            if overvote {
                builder.push_unnamed_overvote();
            } else {
                builder.push_level(&level);
            }
            next_rank = rank + 1;
        }
        builder
            .finish(1)
            .map_err(|e| CvrError::new(path, Some(r.id().to_owned()), CvrErrorKind::Invalid(e.to_string())))?;
    }
    Ok(BallotFile {
        title: None,
        candidates,
        seats: None,
        ballots: builder.build(),
        format,
        options: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(rankings: Vec<(u32, Mark)>) -> CastVoteRecord {
        CastVoteRecord { rankings, ..Default::default() }
    }

    #[test]
    fn records_become_ballots_with_overvotes_skips_and_write_ins() {
        let c = |n: &str| Mark::Candidate(n.into());
        let records = vec![
            record(vec![(1, c("A")), (3, c("B"))]),
            record(vec![(1, Mark::Overvote), (2, c("B"))]),
            record(vec![(1, c("A")), (1, c("B")), (2, Mark::UndeclaredWriteIn)]),
            record(vec![(1, c("A")), (3, c("B"))]),
            record(vec![]),
        ];
        let file = to_ballot_file(Path::new("x.xlsx"), Format::Ess, &records).unwrap();
        let names: Vec<&str> = file.candidates.iter().map(|(_, c)| c.name.as_str()).collect();
        assert_eq!(names, ["A", "B", UNDECLARED_WRITE_INS]);
        assert_eq!(file.ballots.total_weight(), 5);
        // Two identical ballots are stored once.
        assert_eq!(file.ballots.unique_len(), 4);
    }

    #[test]
    fn an_overvote_label_is_an_overvote_of_unnamed_candidates() {
        let records = vec![record(vec![(1, Mark::Overvote), (2, Mark::Candidate("A".into()))])];
        let file = to_ballot_file(Path::new("x.json"), Format::Cdf, &records).unwrap();
        let ballot = file.ballots.get(0);
        let first = ballot.levels().next().unwrap();
        assert!(first.is_unnamed_overvote() && first.is_empty());
    }

    #[test]
    fn a_rank_beyond_what_a_ballot_holds_is_refused_naming_the_record() {
        // Found by the cvr_hart fuzz target: a Hart `Value` of 1111111111
        // filled memory with skipped ranks; u32::MAX overflowed the next rank.
        for rank in [MAX_RANK + 1, 1_111_111_111, u32::MAX] {
            let mut r = record(vec![(1, Mark::Candidate("A".into())), (rank, Mark::Candidate("B".into()))]);
            r.supplied_id = Some("ballot-7".into());
            let e = to_ballot_file(Path::new("cvr.xml"), Format::Hart, &[r]).unwrap_err();
            let text = e.to_string();
            assert!(text.contains("cvr.xml") && text.contains("ballot-7"), "{text}");
            assert!(text.contains(&format!("rank {rank} is higher than a ballot can hold")), "{text}");
        }
        // The highest rank a ballot holds is read, the ranks before it skipped.
        let r = record(vec![(1, Mark::Candidate("A".into())), (MAX_RANK, Mark::Candidate("B".into()))]);
        let file = to_ballot_file(Path::new("cvr.xml"), Format::Hart, &[r]).unwrap();
        assert_eq!(file.ballots.get(0).levels().count(), MAX_RANK as usize);
    }

    #[test]
    fn folders_are_told_by_their_contents() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/rctab/_shared");
        assert_eq!(detect_folder(&root.join("dominion_alaska/alaska_input_data")), Some(Format::Dominion));
        assert_eq!(detect_folder(&root.join("hart_cvr_archive")), Some(Format::Hart));
        assert_eq!(detect_folder(&root.join("simple_ess_cvr.xlsx")), None);
    }
}
