//! Read errors with file positions.

use std::fmt;

/// What went wrong while reading a ballot file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The file could not be opened or read.
    #[error("{0}")]
    Io(String),
    /// Anything else, described.
    #[error("{0}")]
    Invalid(String),
}

/// A read error: where and what.
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
