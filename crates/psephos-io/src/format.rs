//! Formats and their detection.

/// A ballot file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// BLT.
    Blt,
    /// PrefLib (`.soc`, `.soi`, `.toc`, `.toi`).
    PrefLib,
    /// CSV ballots.
    Csv,
}

/// Guesses the format from the file name, then from the content.
pub fn detect_format(_name: &str, _content: &[u8]) -> Option<Format> {
    None
}
