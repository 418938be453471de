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

use std::fmt;
use std::path::{Path, PathBuf};

/// One mark at one rank of a cast-vote record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    /// A candidate, by the name (or alias) the file gives.
    Candidate(String),
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
        }
    }
}

impl SourceOptions {
    /// Map one cell's text to a mark under these labels; `None` for a skipped rank.
    fn mark_for(&self, text: &str) -> Option<Mark> {
        if self.skipped_rank_label.as_deref() == Some(text) {
            None
        } else if self.overvote_label.as_deref() == Some(text) {
            Some(Mark::Overvote)
        } else if self.undeclared_write_in_label.as_deref() == Some(text) {
            Some(Mark::UndeclaredWriteIn)
        } else {
            Some(Mark::Candidate(text.to_owned()))
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

/// The file's name (without folders), as used in computed record ids.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Replace every character other than ASCII letters, digits, `_`, `-` and
/// `.` with `_`, as RCTab does for ids and file names in its outputs.
pub fn sanitize_for_output(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).collect()
}
