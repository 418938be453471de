//! Read and write errors, with file positions.

use std::fmt;

/// What went wrong while reading a ballot file.
///
/// Every message says what the reader expected and what it found; the
/// [`ReadError`] around it says where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The file could not be opened or read.
    #[error("cannot read the file: {0}")]
    Io(String),
    /// A cast-vote record file (or one of its records) is not valid.
    #[error("{0}")]
    Cvr(String),
    /// The file holds nothing but blank lines and comments.
    #[error("the file is empty: expected {expected}")]
    Empty {
        /// What the reader expected to find first.
        expected: String,
    },
    /// The bytes are not valid UTF-8 text.
    #[error("invalid UTF-8: byte 0x{byte:02X} cannot start or continue a character here (expected UTF-8 text)")]
    InvalidUtf8 {
        /// The first offending byte.
        byte: u8,
    },
    /// A control byte (such as NUL) that no text file holds.
    #[error("binary data: control byte 0x{byte:02X} where text was expected")]
    Binary {
        /// The offending byte.
        byte: u8,
    },
    /// The format could not be told from the options, the name or the content.
    #[error("cannot tell the file's format: expected a .blt, .soc/.soi/.toc/.toi, .csv, .tsv, .xlsx (ES&S), .json or .xml (CDF) name, a Dominion or Hart folder, or content recognisable as BLT, PrefLib or CSV; give the format explicitly")]
    UnknownFormat,
    /// A token is not what the syntax allows here.
    #[error("expected {expected}, found {found}")]
    Malformed {
        /// What the syntax allows here.
        expected: String,
        /// What the file holds, quoted.
        found: String,
    },
    /// A number could not be read.
    #[error("malformed number: expected {expected}, found {found}")]
    MalformedNumber {
        /// What number was expected.
        expected: String,
        /// What the file holds, quoted.
        found: String,
    },
    /// A weight or count with a fractional part.
    #[error("fractional weight: expected a whole number of ballots, found {found}")]
    FractionalWeight {
        /// The weight as written, quoted.
        found: String,
    },
    /// A candidate id outside the declared list.
    #[error("unknown candidate: expected a candidate number from 1 to {candidates}, found {found}")]
    CandidateOutOfRange {
        /// The id as written, quoted.
        found: String,
        /// How many candidates were declared.
        candidates: usize,
    },
    /// A candidate name that is not on the given list.
    #[error("unknown candidate: expected one of the {candidates} declared candidate names or a label, found {found}")]
    UnknownCandidate {
        /// The name as written, quoted.
        found: String,
        /// How many candidates were declared.
        candidates: usize,
    },
    /// A count declared in the file disagrees with what the file holds.
    #[error("count mismatch: the file declares {what} = {declared}, but {found} were found")]
    CountMismatch {
        /// What was counted.
        what: String,
        /// The declared number.
        declared: u64,
        /// The number found.
        found: u64,
    },
    /// The file ends before something it must hold.
    #[error("truncated file: the file ends where {expected} was expected")]
    Truncated {
        /// What was still expected.
        expected: String,
    },
    /// A header line or header field is missing or wrong.
    #[error("bad header: expected {expected}, found {found}")]
    BadHeader {
        /// What the header should hold.
        expected: String,
        /// What it holds, quoted (or a description of what is missing).
        found: String,
    },
    /// A ballot line breaks the rule of the file's declared data type.
    #[error("the file declares data type `{data_type}`, which requires {rule}; this order {found}")]
    TypeViolation {
        /// The declared data type.
        data_type: crate::DataType,
        /// What the type requires.
        rule: String,
        /// What the order does instead.
        found: String,
    },
    /// Two candidates share a name.
    #[error("duplicate candidate name: expected distinct names, found {found} twice")]
    DuplicateName {
        /// The name, quoted.
        found: String,
    },
    /// More candidates than the ballot store can hold.
    #[error("too many candidates: expected at most {max}, found {found}")]
    TooManyCandidates {
        /// The number declared or found.
        found: usize,
        /// The limit.
        max: usize,
    },
    /// The weights add up to more than 2^64 - 1 ballots.
    #[error("weight overflow: the ballot weights add up to more than 2^64 - 1")]
    WeightOverflow,
    /// More marks or unique ballots than the store can index.
    #[error("too many ballots: the store holds at most 4,294,967,295 marks and unique ballots")]
    TooManyBallots,
    /// A BLT option line (`[name …]`) that the reader does not know.
    #[error("unknown option {found}: expected one of [nick …], [tie …], [withdrawn …], [undeclared …], [droop …]")]
    UnknownOption {
        /// The option as written, quoted.
        found: String,
    },
    /// A known BLT option line whose content is wrong.
    #[error("bad option [{option}]: expected {expected}, found {found}")]
    BadOption {
        /// The option's name.
        option: &'static str,
        /// What the option should hold.
        expected: String,
        /// What it holds, quoted (or a description of what is missing).
        found: String,
    },
    /// Something follows the last thing the format allows.
    #[error("trailing data: expected the end of the file, found {found}")]
    TrailingData {
        /// What follows, quoted.
        found: String,
    },
}

impl ReadErrorKind {
    /// The kind for a ballot store that refused a ballot.
    pub(crate) fn from_ballot(e: psephos::BallotError) -> Self {
        match e {
            psephos::BallotError::WeightOverflow => ReadErrorKind::WeightOverflow,
            _ => ReadErrorKind::TooManyBallots,
        }
    }
}

/// A read error: which file, where in it, and what is wrong.
///
/// Displays as `file:line:column: message` (or `file:line: message`, or
/// `file: message` when the position is not known). For CSV files the column
/// is the 1-based field number; for the other formats it is the 1-based
/// character position in the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// The file (as given by the caller).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column or field, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub kind: ReadErrorKind,
}

impl ReadError {
    /// An error with no position.
    pub(crate) fn whole(file: &str, kind: ReadErrorKind) -> Self {
        ReadError { file: file.to_owned(), line: None, column: None, kind }
    }

    /// An error at a line and column (or field).
    pub(crate) fn at(file: &str, line: usize, column: Option<usize>, kind: ReadErrorKind) -> Self {
        ReadError { file: file.to_owned(), line: Some(line), column, kind }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for ReadError {}

/// Why a ballot file could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The output could not be written.
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    /// The format cannot express something the ballots hold.
    #[error("unique ballot {ballot} cannot be written as {format}: {reason}")]
    Unrepresentable {
        /// The 0-based index of the unique ballot in the store.
        ballot: usize,
        /// The target format.
        format: &'static str,
        /// What the format cannot express.
        reason: String,
    },
}
