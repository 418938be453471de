//! # psephos-io
//!
//! Readers for the ballot files election officials and researchers publish,
//! each producing raw marks for the `psephos` core to normalise and count:
//!
//! - BLT (OpenSTV / Electoral Reform Society), with weights, withdrawn
//!   candidates, `a=b` equal rankings and `-` skipped ranks;
//! - PrefLib `.soc`, `.soi`, `.toc`, `.toi`;
//! - CSV ballots, one column per rank or one column per candidate.
//!
//! Every error names the file, the line (and column or field) and what is
//! wrong; no input makes a reader panic, and no ballot is dropped silently.

mod error;
mod format;

pub use error::{ReadError, ReadErrorKind};
pub use format::{detect_format, Format};

use psephos::{Candidates, RankedBallots};

/// A ballot file, read.
#[derive(Clone, Debug)]
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
}
