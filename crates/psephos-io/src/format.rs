//! Formats and their detection.

use std::fmt;
use std::str::FromStr;

/// A ballot file format.
///
/// ```
/// use psephos_io::Format;
/// let f: Format = "preflib".parse().unwrap();
/// assert_eq!(f, Format::PrefLib);
/// assert_eq!(Format::Blt.to_string(), "blt");
/// assert!("xml".parse::<Format>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// BLT, as written by OpenSTV and the Electoral Reform Society (`.blt`).
    Blt,
    /// PrefLib (`.soc`, `.soi`, `.toc`, `.toi`).
    PrefLib,
    /// CSV ballots (`.csv`, `.tsv`).
    Csv,
    /// ES&S cast-vote records (`.xlsx`).
    Ess,
    /// NIST SP 1500-103 CDF cast-vote records, JSON or XML.
    Cdf,
    /// A Dominion CVR export folder.
    Dominion,
    /// A folder of Hart per-ballot XML files.
    Hart,
    /// Clear Ballot ClearCount CVR CSV.
    ClearBallot,
    /// RCTab's generic CVR CSV (one column per candidate holding ranks).
    RctabCsv,
}

impl Format {
    /// Every format, in the order they are documented.
    pub const ALL: [Format; 9] = [
        Format::Blt,
        Format::PrefLib,
        Format::Csv,
        Format::Ess,
        Format::Cdf,
        Format::Dominion,
        Format::Hart,
        Format::ClearBallot,
        Format::RctabCsv,
    ];

    /// The format's name: `blt`, `preflib`, `csv`, `ess`, `cdf`, `dominion`,
    /// `hart`, `clear-ballot` or `rctab-csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Blt => "blt",
            Format::PrefLib => "preflib",
            Format::Csv => "csv",
            Format::Ess => "ess",
            Format::Cdf => "cdf",
            Format::Dominion => "dominion",
            Format::Hart => "hart",
            Format::ClearBallot => "clear-ballot",
            Format::RctabCsv => "rctab-csv",
        }
    }

    /// Whether this is a cast-vote record format (read by [`crate::cvr`]).
    pub fn is_cvr(self) -> bool {
        !matches!(self, Format::Blt | Format::PrefLib | Format::Csv)
    }

    /// The format a file name's extension stands for (case-insensitive).
    ///
    /// ```
    /// use psephos_io::Format;
    /// assert_eq!(Format::from_name("wards/Canal-2007.BLT"), Some(Format::Blt));
    /// assert_eq!(Format::from_name("00001-00000001.soi"), Some(Format::PrefLib));
    /// assert_eq!(Format::from_name("cvr.tsv"), Some(Format::Csv));
    /// assert_eq!(Format::from_name("ballots.txt"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        match extension(name)?.as_str() {
            "blt" => Some(Format::Blt),
            "soc" | "soi" | "toc" | "toi" | "cat" => Some(Format::PrefLib),
            "csv" | "tsv" => Some(Format::Csv),
            "xlsx" => Some(Format::Ess),
            "json" | "xml" => Some(Format::Cdf),
            _ => None,
        }
    }
}

/// The lower-cased extension of a file name, without the dot.
pub(crate) fn extension(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = base.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}`: expected `blt`, `preflib`, `csv`, `ess`, `cdf`, `dominion`, `hart`, `clear-ballot` or `rctab-csv`")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "blt" => Ok(Format::Blt),
            "preflib" | "soc" | "soi" | "toc" | "toi" | "cat" => Ok(Format::PrefLib),
            "csv" | "tsv" => Ok(Format::Csv),
            "ess" | "xlsx" => Ok(Format::Ess),
            "cdf" => Ok(Format::Cdf),
            "dominion" => Ok(Format::Dominion),
            "hart" => Ok(Format::Hart),
            "clear-ballot" | "clearballot" => Ok(Format::ClearBallot),
            "rctab-csv" | "generic-csv" => Ok(Format::RctabCsv),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

/// Guesses the format from the file name's extension, then from the content.
///
/// Content is sniffed from its first lines: PrefLib files open with `#`
/// header lines naming `DATA TYPE` or `NUMBER ALTERNATIVES`; a BLT file's first
/// line that is not a `#` comment holds two whole numbers (candidates and
/// seats); anything else whose first line holds a comma, semicolon or tab is
/// taken for CSV.
///
/// ```
/// use psephos_io::{detect_format, Format};
/// assert_eq!(detect_format("x.blt", b""), Some(Format::Blt));
/// assert_eq!(detect_format("upload", b"# a comment\n3 1\n1 1 2 0\n0\n"), Some(Format::Blt));
/// assert_eq!(detect_format("upload", b"# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 2\n"), Some(Format::PrefLib));
/// assert_eq!(detect_format("upload", b"Rank 1,Rank 2\nA,B\n"), Some(Format::Csv));
/// assert_eq!(detect_format("upload", b"hello"), None);
/// ```
pub fn detect_format(name: &str, content: &[u8]) -> Option<Format> {
    Format::from_name(name).or_else(|| sniff(content))
}

/// Guesses the format from the first lines of the content.
fn sniff(content: &[u8]) -> Option<Format> {
    let head = &content[crate::text::bom_len(content)..content.len().min(64 * 1024)];
    // Cut at the last whole line, then read what is valid text.
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    };
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut first = None;
    for line in lines.by_ref() {
        if let Some(comment) = line.strip_prefix('#') {
            let upper = comment.trim_start().to_ascii_uppercase();
            if upper.starts_with("DATA TYPE:") || upper.starts_with("NUMBER ALTERNATIVES:") {
                return Some(Format::PrefLib);
            }
            continue;
        }
        first = Some(line);
        break;
    }
    let first = first?;
    let fields: Vec<&str> = first.split_ascii_whitespace().collect();
    if fields.len() == 2 && fields.iter().all(|f| f.bytes().all(|b| b.is_ascii_digit())) {
        return Some(Format::Blt);
    }
    first.contains([',', ';', '\t']).then_some(Format::Csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
        }
        assert_eq!(" TSV ".parse::<Format>(), Ok(Format::Csv));
        assert_eq!(
            "x".parse::<Format>().unwrap_err().to_string(),
            "unknown format `x`: expected `blt`, `preflib`, `csv`, `ess`, `cdf`, `dominion`, `hart`, `clear-ballot` or `rctab-csv`"
        );
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("a/b.c/d"), None);
        assert_eq!(extension(".blt"), None);
        assert_eq!(extension("C:\\x\\y.Soi").as_deref(), Some("soi"));
        assert_eq!(detect_format("x.toc", b"1 1"), Some(Format::PrefLib));
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"\xEF\xBB\xBF# FILE NAME: a\n# DATA TYPE: soi\n"), Some(Format::PrefLib));
        assert_eq!(sniff(b"\n\n  4 2  \n"), Some(Format::Blt));
        assert_eq!(sniff(b"a;b\n"), Some(Format::Csv));
        assert_eq!(sniff(b"\0\0\0"), None);
        assert_eq!(sniff(b""), None);
    }
}
