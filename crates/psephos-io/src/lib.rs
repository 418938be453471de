//! # psephos-io
//!
//! Readers for the ballot files election officials and researchers publish,
//! each producing raw marks for the `psephos` core to normalise and count:
//!
//! - BLT (OpenSTV / Electoral Reform Society / droop), with weights,
//!   withdrawn candidates, `a=b` equal rankings, `-` skipped ranks, `-=-`
//!   overvotes of unrecorded candidates and the droop program's option lines
//!   ([`blt`], [`FileOptions`]);
//! - PrefLib `.soc`, `.soi`, `.toc`, `.toi` ([`preflib`]);
//! - CSV ballots, one column per rank or one column per candidate
//!   ([`csv_ballots`]);
//!
//! and writers for the same formats ([`write_blt`], [`write_preflib`],
//! [`write_csv`]).
//!
//! Every error names the file, the line (and column or field) and what is
//! wrong; no input makes a reader panic, and no ballot is dropped silently.
//!
//! ```
//! use psephos_io::{read_bytes, Format, ReadOptions};
//! let blt = b"3 1\n2 1 2 0\n1 3 1=2 0\n0\n\"Ada\"\n\"Bo\"\n\"Cy\"\n\"Chair\"\n";
//! let file = read_bytes("chair.blt", blt, &ReadOptions::default()).unwrap();
//! assert_eq!(file.format, Format::Blt);
//! assert_eq!(file.title.as_deref(), Some("Chair"));
//! assert_eq!(file.ballots.total_weight(), 3);
//!
//! let err = read_bytes("bad.blt", b"3 1\n1 4 0\n", &ReadOptions::default()).unwrap_err();
//! assert_eq!(err.to_string(), "bad.blt:2:3: unknown candidate: expected a candidate number from 1 to 3, found `4`");
//! ```

pub mod blt;
pub mod cardinal_csv;
pub mod csv_ballots;
pub mod cvr;
mod error;
mod format;
pub mod party_votes;
pub mod preflib;
mod text;

pub use csv_ballots::{write_csv, CsvLayout, CsvOptions};
pub use error::{ReadError, ReadErrorKind, WriteError};
pub use format::{detect_format, Format, UnknownFormat};
pub use preflib::DataType;

pub use blt::write_blt;
pub use preflib::write_preflib;

use psephos::{CandidateId, Candidates, RankedBallots};

/// A ballot file, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotFile {
    /// The election's title, if the file gives one.
    pub title: Option<String>,
    /// The candidates, in file order (withdrawn ones flagged).
    pub candidates: Candidates,
    /// Seats to fill, if the file says (BLT does).
    pub seats: Option<u32>,
    /// The raw marks, deduplicated, before normalisation.
    pub ballots: RankedBallots,
    /// The format it was read as.
    pub format: Format,
    /// What the file declares besides candidates, seats and ballots.
    pub options: FileOptions,
}

/// What a ballot file declares besides its candidates, seats and ballots:
/// the option lines of BLT files as the droop program writes them (`[nick
/// …]`, `[tie …]`, `[undeclared …]`, `[droop …]`; `[withdrawn …]` sets
/// [`psephos::Candidate::withdrawn`]) and the text after a BLT title. Empty for
/// files that declare none of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileOptions {
    /// Short names for the candidates, one per candidate in id order
    /// (`[nick …]`); ballots and the other option lines may use them in
    /// place of candidate numbers. Empty when the file gives none.
    pub nicknames: Vec<String>,
    /// A declared tie-break order (`[tie …]`): every candidate once. As the
    /// droop program reads it, it is a lot drawn in advance: of tied
    /// candidates, the one listed first is chosen, to be elected or to be
    /// eliminated. It takes the place of the ballot-paper order in the
    /// `candidate-order` step of a tie-break chain (see
    /// [`psephos::TieBreak::with_candidate_order`]).
    pub tie_order: Option<Vec<CandidateId>>,
    /// Candidates the file marks as undeclared write-ins (`[undeclared …]`).
    pub undeclared: Vec<CandidateId>,
    /// Counting options for the droop program (`[droop …]`), as written,
    /// such as `rule=meek` or `precision=8`; see [`blt::droop_counting`]
    /// for what psephos makes of them.
    pub droop: Vec<String>,
    /// The source of the election, a quoted string after the title.
    pub source: Option<String>,
    /// A comment on the election, a quoted string after the source.
    pub comment: Option<String>,
    /// Free text after the title (and source and comment), one entry per
    /// line, kept as written; it plays no part in the count.
    pub notes: Vec<String>,
}

/// How to read a ballot file.
///
/// The default reads any supported format, telling it from the file name and
/// then the content, with the CSV defaults of [`CsvOptions`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The format to read; `None` tells it from the file name's extension,
    /// then from the content (see [`detect_format`]).
    pub format: Option<Format>,
    /// How to read CSV ballots.
    pub csv: CsvOptions,
    /// The contest to read from a cast-vote record file that holds several
    /// (CDF: its name; Dominion, Hart: its id; Clear Ballot: its name).
    pub contest: Option<String>,
}

impl ReadOptions {
    /// Options that read the given format.
    pub fn with_format(format: Format) -> Self {
        ReadOptions { format: Some(format), ..ReadOptions::default() }
    }
}

/// Reads a ballot file from disk. Errors name the file as `path` shows it.
///
/// BLT and PrefLib files are read straight into the ballot store, never
/// held whole in memory (BLT line by line; PrefLib in blocks whose lines
/// are parsed on all cores); the store is sized from the file's length.
/// CSV files are read whole.
pub fn read_path(path: &std::path::Path, opts: &ReadOptions) -> Result<BallotFile, ReadError> {
    use std::io::Read;
    let name = path.display().to_string();
    if let Some(format) = opts.format.filter(|f| f.is_cvr()).or_else(|| cvr::detect_folder(path)) {
        return cvr::read_ballot_file(path, format, &cvr::SourceOptions::standalone(format, opts.contest.clone()))
            .map_err(|e| ReadError::whole(&name, ReadErrorKind::Cvr(e.to_string())));
    }
    let io = |e: std::io::Error| ReadError::whole(&name, ReadErrorKind::Io(e.to_string()));
    let mut file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    // Without a format from the options or the name, the first 64 KiB tell it.
    let mut head = Vec::new();
    let format = match opts.format.or_else(|| Format::from_name(&name)) {
        Some(format) => format,
        None => {
            file.by_ref().take(64 * 1024).read_to_end(&mut head).map_err(io)?;
            detect_format(&name, &head).ok_or_else(|| ReadError::whole(&name, ReadErrorKind::UnknownFormat))?
        }
    };
    let stream = std::io::BufReader::new(std::io::Cursor::new(head).chain(file));
    match format {
        Format::Blt => blt::read_from(&name, stream, size),
        Format::PrefLib => preflib::read_from(&name, stream, size),
        Format::Csv => {
            let mut bytes = Vec::with_capacity(size.map_or(0, |s| usize::try_from(s).unwrap_or(0)));
            { stream }.read_to_end(&mut bytes).map_err(io)?;
            csv_ballots::read(&name, &bytes, &opts.csv)
        }
        cvr_format => {
            cvr::read_ballot_file(path, cvr_format, &cvr::SourceOptions::standalone(cvr_format, opts.contest.clone()))
                .map_err(|e| ReadError::whole(&name, ReadErrorKind::Cvr(e.to_string())))
        }
    }
}

/// Reads a ballot file held in memory; `name` is used in errors and, when
/// `opts.format` is `None`, to tell the format by its extension.
pub fn read_bytes(name: &str, bytes: &[u8], opts: &ReadOptions) -> Result<BallotFile, ReadError> {
    let format = opts
        .format
        .or_else(|| detect_format(name, bytes))
        .ok_or_else(|| ReadError::whole(name, ReadErrorKind::UnknownFormat))?;
    match format {
        Format::Blt => blt::read(name, bytes),
        Format::PrefLib => preflib::read(name, bytes),
        Format::Csv => csv_ballots::read(name, bytes, &opts.csv),
        cvr_format => Err(ReadError::whole(
            name,
            ReadErrorKind::Cvr(format!("{cvr_format} cast-vote records are read from files, not from memory")),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_format_and_missing_file() {
        let e = read_bytes("x.txt", b"hello", &ReadOptions::default()).unwrap_err();
        assert_eq!(e.kind, ReadErrorKind::UnknownFormat);
        assert_eq!(e.line, None);
        let e = read_path(std::path::Path::new("/nonexistent/x.blt"), &ReadOptions::default()).unwrap_err();
        assert_eq!(e.file, "/nonexistent/x.blt");
        assert!(matches!(e.kind, ReadErrorKind::Io(_)));
    }

    #[test]
    fn options_override_the_extension() {
        let blt = b"2 1\n1 1 0\n0\n\"A\"\n\"B\"\n";
        let opts = ReadOptions::with_format(Format::Blt);
        assert_eq!(read_bytes("ballots.txt", blt, &opts).unwrap().format, Format::Blt);
        assert_eq!(read_bytes("ballots.txt", blt, &ReadOptions::default()).unwrap().format, Format::Blt);
    }
}
