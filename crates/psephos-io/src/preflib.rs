//! PrefLib ordinal preference files (`.soc`, `.soi`, `.toc`, `.toi`), read and
//! written, in the format PrefLib has used since September 2022 (Mattei and
//! Walsh, "PrefLib: A Library for Preferences", ADT 2013; format
//! specification at preflib.org).
//!
//! A file opens with `#` header lines, then holds one line per distinct order:
//!
//! ```text
//! # FILE NAME: 00001-00000001.soi
//! # TITLE: Example
//! # DATA TYPE: toi
//! # NUMBER ALTERNATIVES: 4
//! # NUMBER VOTERS: 5
//! # NUMBER UNIQUE ORDERS: 2
//! # ALTERNATIVE NAME 1: Ada
//! # ALTERNATIVE NAME 2: Bo
//! # ALTERNATIVE NAME 3: Cy
//! # ALTERNATIVE NAME 4: Dee
//! 3: 1,3,2
//! 2: {2,4},1
//! ```
//!
//! Each order line is `count: order`, alternatives numbered from 1, best
//! first, with `{…}` grouping alternatives ranked equal. The data type fixes
//! what an order may hold: `soc` strict and complete, `soi` strict and
//! possibly incomplete, `toc` complete with ties, `toi` incomplete with ties.
//! An order that breaks its file's type is an error, as is an alternative
//! listed twice; `NUMBER VOTERS` must equal the sum of the counts and `NUMBER
//! UNIQUE ORDERS` the number of order lines. An empty order (`2:`) is read as
//! two blank ballots where the type allows incomplete orders.
//!
//! The reader parses each line straight into the ballot store and allocates
//! nothing per line; a plain order line (`3: 2,1,4`) is read by a tight loop,
//! any other by the general parser, which reports mistakes. Each order line
//! is one row of the store with its count, as the format lists each distinct
//! order once: no pass looks for identical ballots. Past the header, the
//! file is read in blocks of 1 MiB of whole lines, never held whole (the
//! store, the block and its parts stay within about twice the file); each
//! block is cut at line ends into
//! parts parsed on all cores at once and joined in file order, so the store,
//! and the first error with its line and column, are what one pass over the
//! lines gives, whatever the number of threads.
//!
//! ```
//! use psephos_io::{preflib, write_preflib, DataType};
//! let src = concat!(
//!     "# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 5\n# NUMBER UNIQUE ORDERS: 2\n",
//!     "# ALTERNATIVE NAME 1: Ada\n# ALTERNATIVE NAME 2: Bo\n# ALTERNATIVE NAME 3: Cy\n",
//!     "3: 1,3\n2: {2,3},1\n",
//! );
//! let file = preflib::read("poll.toi", src.as_bytes()).unwrap();
//! assert_eq!(file.ballots.total_weight(), 5);
//! let mut out = Vec::new();
//! assert_eq!(write_preflib(&mut out, &file).unwrap(), DataType::Toi);
//! assert_eq!(preflib::read("again.toi", &out).unwrap().ballots, file.ballots);
//! ```

use std::collections::HashSet;
use std::fmt;
use std::io::{BufRead, BufReader, Write};

use psephos::{
    Candidate, CandidateId, Candidates, CardinalBallotsBuilder, Merging, RankedBallotsBuilder, MAX_CANDIDATES,
};

use crate::cardinal_csv::CardinalFile;
use crate::error::{ReadError, ReadErrorKind, WriteError};
use crate::text::{self, quote, Line, Lines, Pos, ReaderLines, SliceLines};

/// The order lines are read in blocks of about this many bytes (whole lines;
/// small under test, so that tests cross blocks). Two blocks are held at
/// once, one parsed while the other is joined: half a MiB keeps the peak
/// heap near twice the file, and the cores as busy as larger blocks do.
const BLOCK: usize = if cfg!(test) { 256 } else { 1 << 19 };
/// A block is cut into parts of at least this many bytes to parse at once.
const PART: usize = if cfg!(test) { 64 } else { 1 << 17 };
use crate::{BallotFile, Format};

/// The kind of orders a PrefLib file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataType {
    /// Strict orders, complete (`.soc`).
    Soc,
    /// Strict orders, incomplete (`.soi`).
    Soi,
    /// Orders with ties, complete (`.toc`).
    Toc,
    /// Orders with ties, incomplete (`.toi`).
    Toi,
    /// Categorical preferences (`.cat`): each voter sorts alternatives into
    /// ordered categories, best first (`Yes`/`No` for approval ballots). Read
    /// as ranked ballots, each category is one rank level (an empty one, a
    /// skipped rank); [`read_categorical`] reads them as scores.
    Cat,
}

impl DataType {
    /// The type's name, which is also its file extension.
    pub fn as_str(self) -> &'static str {
        match self {
            DataType::Soc => "soc",
            DataType::Soi => "soi",
            DataType::Toc => "toc",
            DataType::Toi => "toi",
            DataType::Cat => "cat",
        }
    }

    /// The type with this name (case-insensitive).
    pub fn from_name(name: &str) -> Option<DataType> {
        match name.trim().to_ascii_lowercase().as_str() {
            "soc" => Some(DataType::Soc),
            "soi" => Some(DataType::Soi),
            "toc" => Some(DataType::Toc),
            "toi" => Some(DataType::Toi),
            "cat" => Some(DataType::Cat),
            _ => None,
        }
    }

    /// Whether orders may rank alternatives equal.
    pub fn allows_ties(self) -> bool {
        matches!(self, DataType::Toc | DataType::Toi | DataType::Cat)
    }

    /// Whether every order must rank every alternative.
    pub fn is_complete(self) -> bool {
        matches!(self, DataType::Soc | DataType::Toc)
    }

    fn of(ties: bool, complete: bool) -> DataType {
        match (ties, complete) {
            (false, true) => DataType::Soc,
            (false, false) => DataType::Soi,
            (true, true) => DataType::Toc,
            (true, false) => DataType::Toi,
        }
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A header number and where its value is.
type Declared = Option<(u64, Pos)>;

/// Reads a PrefLib file held in memory; `file` names it in errors (and its
/// extension gives the data type when the header does not).
pub fn read(file: &str, bytes: &[u8]) -> Result<BallotFile, ReadError> {
    parse(file, bytes, Some(bytes.len() as u64))
}

/// Reads a PrefLib file from a stream, a block at a time, so the file is
/// never held whole; `file` names it in errors (and its extension gives the
/// data type when the header does not). `size`, the stream's length in bytes
/// when known, and the header's `NUMBER UNIQUE ORDERS` size the ballot store
/// up front, so it is not regrown while reading.
///
/// [`crate::read_path`] reads `.soc`, `.soi`, `.toc` and `.toi` files this way.
///
/// ```
/// use psephos_io::preflib;
/// let src = concat!(
///     "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n",
///     "# ALTERNATIVE NAME 1: Ada\n# ALTERNATIVE NAME 2: Bo\n",
///     "3: 2,1\n1: 1\n",
/// );
/// let file = preflib::read_from("poll.soi", src.as_bytes(), Some(src.len() as u64)).unwrap();
/// assert_eq!(file.ballots.total_weight(), 4);
/// assert_eq!(file, preflib::read("poll.soi", src.as_bytes()).unwrap());
/// ```
pub fn read_from<R: BufRead>(file: &str, reader: R, size: Option<u64>) -> Result<BallotFile, ReadError> {
    parse(file, reader, size)
}

/// The one PrefLib parser, over a buffer or a stream.
fn parse<R: BufRead>(file: &str, reader: R, size: Option<u64>) -> Result<BallotFile, ReadError> {
    parse_with_categories(file, reader, size, Split::Cores, Reading::PlainFirst).map(|(f, _)| f)
}

/// How the order lines are cut for parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Split {
    /// Into parts parsed on all cores.
    Cores,
    /// Not at all: one pass over the lines (what [`Split::Cores`] must equal).
    #[cfg_attr(not(test), allow(dead_code))]
    Whole,
}

/// How the order lines are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reading {
    /// Plain order lines by a fast reader, any other by the general one.
    PlainFirst,
    /// Every line by the general reader (what [`Reading::PlainFirst`] must
    /// equal).
    #[cfg_attr(not(test), allow(dead_code))]
    General,
}

/// As [`parse`], also giving a `.cat` file's number of categories.
///
/// The header is read line by line; the order lines after it are read in
/// blocks of whole lines, and each block is cut at line ends into parts
/// parsed on all cores at once, each into a store of its own, joined in
/// file order: the result, errors included, is the one a single pass over
/// the lines gives, whatever the number of threads.
fn parse_with_categories<R: BufRead>(
    file: &str,
    reader: R,
    size: Option<u64>,
    split: Split,
    reading: Reading,
) -> Result<(BallotFile, Option<u64>), ReadError> {
    let mut lines = ReaderLines::new(file, reader);
    let header = header(file, &mut lines)?;
    let categories = header.categories;
    let mut orders = Orders::new(file, &header, size.map(|s| s.saturating_sub(lines.line_start() as u64)));
    orders.split = split;
    orders.reading = reading;
    if header.data.is_some() {
        let first = lines.line().no;
        let (read, rest) = lines.into_rest();
        orders.body(read, rest, first)?;
    }
    Ok((orders.finish(header)?, categories))
}

/// Reads a PrefLib `.cat` file (categorical preferences) held in memory as
/// approval or score ballots: with `k` categories, an alternative placed in
/// category `i` (1 = the first, best) scores `k - i`, and one the ballot
/// does not place is unscored. Two categories (`Yes`, `No`) make approval
/// ballots. Any other data type is refused.
///
/// ```
/// use psephos_io::preflib;
/// let src = concat!(
///     "# DATA TYPE: cat\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 5\n",
///     "# NUMBER UNIQUE PREFERENCES: 2\n# NUMBER CATEGORIES: 2\n",
///     "# CATEGORY NAME 1: Yes\n# CATEGORY NAME 2: No\n",
///     "# ALTERNATIVE NAME 1: Ada\n# ALTERNATIVE NAME 2: Bo\n# ALTERNATIVE NAME 3: Cy\n",
///     "3: {1,3},2\n2: {},{1,2,3}\n",
/// );
/// let file = preflib::read_categorical("poll.cat", src.as_bytes()).unwrap();
/// assert_eq!(file.ballots.max_score(), 1);
/// assert_eq!(file.ballots.total_weight(), 5);
/// ```
pub fn read_categorical(file: &str, bytes: &[u8]) -> Result<CardinalFile, ReadError> {
    let (ranked, k) = parse_with_categories(file, bytes, Some(bytes.len() as u64), Split::Cores, Reading::PlainFirst)?;
    categorical(file, ranked, k)
}

/// As [`read_categorical`], streaming the file from disk.
pub fn read_categorical_path(path: &std::path::Path) -> Result<CardinalFile, ReadError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| ReadError::whole(&name, ReadErrorKind::Io(e.to_string()));
    let f = std::fs::File::open(path).map_err(io)?;
    let size = f.metadata().ok().map(|m| m.len());
    let (ranked, k) = parse_with_categories(&name, BufReader::new(f), size, Split::Cores, Reading::PlainFirst)?;
    categorical(&name, ranked, k)
}

/// Scores from categories: category `i` of `k` scores `k - i`.
fn categorical(file: &str, ranked: BallotFile, k: Option<u64>) -> Result<CardinalFile, ReadError> {
    let Some(k) = k else {
        return Err(ReadError::whole(
            file,
            ReadErrorKind::BadHeader {
                expected: "categorical preferences (`# DATA TYPE: cat`)".into(),
                found: "orders: read the file as ranked ballots".into(),
            },
        ));
    };
    let max = u16::try_from(k - 1).ok().filter(|&m| m >= 1).ok_or_else(|| {
        ReadError::whole(
            file,
            ReadErrorKind::BadHeader {
                expected: "from 2 to 65,535 categories".into(),
                found: format!("{k} categories"),
            },
        )
    })?;
    let n = ranked.candidates.len();
    let bad = |e| ReadError::whole(file, ReadErrorKind::from_ballot(e));
    let mut out = CardinalBallotsBuilder::new(n, max).map_err(bad)?;
    let mut scores: Vec<Option<u16>> = vec![None; n];
    for ballot in ranked.ballots.iter() {
        scores.fill(None);
        for (i, level) in ballot.levels().enumerate() {
            for c in level.candidates() {
                scores[c.index()] = Some(max - i as u16);
            }
        }
        out.push(&scores, ballot.weight).map_err(bad)?;
    }
    Ok(CardinalFile { candidates: ranked.candidates, ballots: out.build() })
}

struct Header {
    data_type: DataType,
    n: usize,
    voters: Declared,
    unique: Declared,
    /// For `.cat` files: how many categories.
    categories: Option<u64>,
    title: Option<String>,
    candidates: Candidates,
    /// Where the first order line is, if there is one.
    data: Option<Pos>,
}

/// Reads the header lines, leaving `lines` on the first order line (or at
/// the end of the file).
fn header<L: Lines>(file: &str, lines: &mut L) -> Result<Header, ReadError> {
    let mut data_type: Option<(DataType, Pos)> = None;
    let mut n: Declared = None;
    let mut voters: Declared = None;
    let mut unique: Declared = None;
    let mut categories: Declared = None;
    let mut title = None;
    let mut names: Vec<(u64, String, Pos)> = Vec::new();
    let mut data = None;
    while lines.advance()? {
        let line = lines.line();
        let start = line.content_start();
        let t = line.text[start..].trim();
        if t.is_empty() {
            continue;
        }
        let Some(comment) = t.strip_prefix('#') else {
            data = Some(Pos::of(&line, start));
            break;
        };
        let Some((raw_key, value)) = comment.split_once(':') else { continue };
        let number = |value: &str, what: &str| match text::number(value.trim()) {
            text::Number::Whole(v) => Ok(v),
            _ => Err(line.error(
                file,
                line.offset_of(value),
                ReadErrorKind::MalformedNumber { expected: format!("{what} (a whole number)"), found: quote(value) },
            )),
        };
        let value = value.trim();
        let value_at = Pos::of(&line, line.offset_of(value));
        let key = raw_key.trim().to_ascii_uppercase();
        match key.as_str() {
            "DATA TYPE" => {
                let dt = DataType::from_name(value).ok_or_else(|| {
                    value_at.error(
                        file,
                        ReadErrorKind::BadHeader {
                            expected: "a data type of `soc`, `soi`, `toc`, `toi` or `cat`".into(),
                            found: quote(value),
                        },
                    )
                })?;
                data_type = Some((dt, value_at));
            }
            "NUMBER ALTERNATIVES" => n = Some((number(value, "the number of alternatives")?, value_at)),
            "NUMBER VOTERS" => voters = Some((number(value, "the number of voters")?, value_at)),
            "NUMBER UNIQUE ORDERS" | "NUMBER UNIQUE PREFERENCES" => {
                unique = Some((number(value, "the number of unique orders")?, value_at))
            }
            "NUMBER CATEGORIES" => categories = Some((number(value, "the number of categories")?, value_at)),
            "TITLE" if !value.is_empty() => title = Some(value.to_owned()),
            _ => {
                if key.starts_with("ALTERNATIVE NAME") {
                    // Upper-casing keeps ASCII byte lengths, so the prefix length holds in `raw_key`.
                    let index = &raw_key.trim()["ALTERNATIVE NAME".len()..];
                    names.push((number(index, "the alternative's number")?, value.to_owned(), value_at));
                }
            }
        }
    }
    let missing = |what: &str| {
        let kind = ReadErrorKind::BadHeader {
            expected: format!("a `# {what}` header line"),
            found: "none before the first order".into(),
        };
        match data {
            Some(at) => at.error(file, kind),
            None => ReadError::whole(file, kind),
        }
    };
    if n.is_none() && data_type.is_none() && names.is_empty() && data.is_none() {
        return Err(ReadError::whole(
            file,
            ReadErrorKind::Empty { expected: "PrefLib header lines such as `# DATA TYPE: soc`".into() },
        ));
    }
    let (n, n_at) = n.ok_or_else(|| missing("NUMBER ALTERNATIVES: n"))?;
    if n == 0 {
        return Err(n_at.error(
            file,
            ReadErrorKind::BadHeader { expected: "at least one alternative".into(), found: "`0`".into() },
        ));
    }
    if n > MAX_CANDIDATES as u64 {
        return Err(n_at.error(
            file,
            ReadErrorKind::TooManyCandidates { found: n.min(usize::MAX as u64) as usize, max: MAX_CANDIDATES },
        ));
    }
    let n = n as usize;
    let from_name = crate::format::extension(file).as_deref().and_then(DataType::from_name);
    let data_type = match (data_type, from_name) {
        (Some((dt, at)), Some(ext)) if dt != ext => {
            return Err(at.error(
                file,
                ReadErrorKind::BadHeader {
                    expected: format!("data type `{ext}`, as the file name says"),
                    found: quote(dt.as_str()),
                },
            ))
        }
        (Some((dt, _)), _) | (None, Some(dt)) => dt,
        (None, None) => return Err(missing("DATA TYPE: soc|soi|toc|toi|cat")),
    };
    let categories = match (data_type, categories) {
        (DataType::Cat, None) => return Err(missing("NUMBER CATEGORIES: k")),
        (DataType::Cat, Some((0, at))) => {
            return Err(at.error(
                file,
                ReadErrorKind::BadHeader { expected: "at least one category".into(), found: "`0`".into() },
            ))
        }
        (DataType::Cat, Some((k, _))) => Some(k),
        _ => None,
    };
    let mut slots: Vec<Option<(String, Pos)>> = vec![None; n];
    for (i, name, at) in names {
        if i == 0 || i > n as u64 {
            return Err(at.error(
                file,
                ReadErrorKind::BadHeader {
                    expected: format!("a name for an alternative numbered from 1 to {n}"),
                    found: format!("a name for alternative {i}"),
                },
            ));
        }
        let slot = &mut slots[i as usize - 1];
        if slot.is_some() {
            return Err(at.error(
                file,
                ReadErrorKind::BadHeader {
                    expected: "one name for each alternative".into(),
                    found: format!("a second name for alternative {i}"),
                },
            ));
        }
        *slot = Some((name, at));
    }
    let mut candidates = Candidates::new();
    let mut seen = HashSet::with_capacity(n);
    for (i, slot) in slots.into_iter().enumerate() {
        let (name, at) = slot.ok_or_else(|| {
            let kind = ReadErrorKind::BadHeader {
                expected: format!("a `# ALTERNATIVE NAME {}: …` header line", i + 1),
                found: format!("no name for alternative {}", i + 1),
            };
            ReadError::whole(file, kind)
        })?;
        if !seen.insert(name.clone()) {
            return Err(at.error(file, ReadErrorKind::DuplicateName { found: quote(&name) }));
        }
        // At most MAX_CANDIDATES, checked above.
        candidates.push(Candidate::new(name));
    }
    Ok(Header { data_type, n, voters, unique, categories, title, candidates, data })
}

/// Reads the count of a plain order line at the start of `b` (see
/// [`Orders::plain_line`]), its `:` and the spaces after it: the count and
/// where the alternatives start, or `None`.
#[inline]
fn scan_count(b: &[u8]) -> Option<(u64, usize)> {
    // Under 19 digits, so it cannot overflow.
    let mut i = 0;
    let mut count = 0u64;
    while let Some(&c) = b.get(i) {
        let d = c.wrapping_sub(b'0');
        if d > 9 || i == 18 {
            break;
        }
        count = count * 10 + u64::from(d);
        i += 1;
    }
    if count == 0 || b.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    Some((count, i))
}

/// Reads the alternatives of a plain order line over `n` (at most 64)
/// alternatives, from `b[i..]` on, into `ids`: how many there are and the
/// line's length with its line feed, or `None`.
///
/// An alternative's number has one or two digits here, so the loop takes
/// a whole alternative and its comma at a time; it keeps the alternatives
/// listed as bits of a word, and notes a number out of range or a repeat
/// to refuse the line at its line feed. Anything else (a number of three
/// digits with leading zeros, say) is left to the general reader.
#[inline]
fn scan_narrow(b: &[u8], mut i: usize, n: usize, ids: &mut [CandidateId; 64]) -> Option<(usize, usize)> {
    debug_assert!(n <= 64);
    let n = n as u32;
    let (mut k, mut listed, mut refused) = (0usize, 0u64, false);
    loop {
        let d0 = u32::from(b.get(i)?.wrapping_sub(b'0'));
        if d0 > 9 {
            return None;
        }
        let mut c = *b.get(i + 1)?;
        let d1 = u32::from(c.wrapping_sub(b'0'));
        let v = if d1 <= 9 {
            c = *b.get(i + 2)?;
            i += 3;
            d0 * 10 + d1
        } else {
            i += 2;
            d0
        };
        // Alternative `v` (from 1); 0 wraps round to out of range. Within
        // range, a repeat finds its bit set; so 65 alternatives over 64
        // always hold one, and `k` stays within `ids`.
        let id = v.wrapping_sub(1);
        let bit = 1 << (id & 63);
        refused |= id >= n || listed & bit != 0;
        listed |= bit;
        ids[k & 63] = CandidateId(id as u16);
        k += 1;
        if c != b',' {
            return (c == b'\n' && !refused).then_some((k, i));
        }
    }
}

/// Reads the alternatives of a plain order line over any number `n` of
/// alternatives, from `b[i..]` on, into `ids` (emptied first), marking each
/// in `seen` with `stamp` (which no alternative holds yet): the line's
/// length with its line feed, or `None`.
fn scan_wide(
    b: &[u8],
    mut i: usize,
    n: usize,
    seen: &mut [u32],
    stamp: u32,
    ids: &mut Vec<CandidateId>,
) -> Option<usize> {
    ids.clear();
    // `v <= n` before each digit, so it cannot overflow.
    let n = n as u32;
    let mut v = 0u32;
    loop {
        let &c = b.get(i)?;
        let d = c.wrapping_sub(b'0');
        if d <= 9 {
            v = v * 10 + u32::from(d);
            if v > n {
                return None;
            }
        } else if matches!(c, b',' | b'\n') {
            // An empty order (a blank ballot) is left to the general reader.
            let slot = (v as usize).checked_sub(1).and_then(|c| seen.get_mut(c))?;
            if *slot == stamp {
                return None;
            }
            *slot = stamp;
            ids.push(CandidateId((v - 1) as u16));
            if c == b'\n' {
                return Some(i + 1);
            }
            v = 0;
        } else {
            return None;
        }
        i += 1;
    }
}

/// `bytes` cut after line ends into about `parts` pieces of at least
/// [`PART`] bytes.
fn split_lines(bytes: &[u8], parts: usize) -> Vec<&[u8]> {
    let size = (bytes.len() / parts.max(1)).max(PART);
    let mut out = Vec::with_capacity(parts);
    let mut rest = bytes;
    while rest.len() > size {
        let cut = memchr::memchr(b'\n', &rest[size..]).map_or(rest.len(), |p| size + p + 1);
        let (part, tail) = rest.split_at(cut);
        out.push(part);
        rest = tail;
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(rest);
    }
    out
}

/// Room to reserve for `unique` order lines (as declared) in the `rest`
/// bytes of the file that follow the header: `(unique ballots, marks)`.
///
/// An order line of `m` alternatives holds at least a count digit, `:`, `m`
/// digits, `m - 1` commas and a line feed, so `u` lines in `rest` bytes hold
/// at most `(rest + 1) / 2 - u` marks; and a line takes at least 2 bytes.
fn capacity(unique: Option<u64>, rest: Option<u64>) -> (usize, usize) {
    let clamp = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    match (unique, rest) {
        (Some(u), Some(rest)) => {
            let u = u.min(rest / 2 + 1);
            (clamp(u), clamp(rest.div_ceil(2).saturating_sub(u)))
        }
        (None, Some(rest)) => (clamp(rest / 16), clamp(rest.div_ceil(2))),
        // A stream of unknown length: trust a modest declared count only.
        (Some(u), None) => (clamp(u.min(1 << 16)), 0),
        (None, None) => (0, 0),
    }
}

/// The order lines, parsed into the store one line at a time.
struct Orders<'f> {
    file: &'f str,
    n: usize,
    data_type: DataType,
    /// For `.cat` files: how many categories an order may have.
    categories: Option<u64>,
    builder: RankedBallotsBuilder,
    /// `seen[c] == stamp` when alternative c is in the current order.
    seen: Vec<u32>,
    stamp: u32,
    /// The alternatives of the plain order line being read.
    order: Vec<CandidateId>,
    voters: u64,
    lines: u64,
    split: Split,
    reading: Reading,
    /// Emptied builders of parts, kept for the next block.
    spare: Vec<RankedBallotsBuilder>,
}

/// A block parsed in parts, waiting to be joined to the file's store.
struct Parsed<'f> {
    bytes: Vec<u8>,
    parts: Vec<std::ops::Range<usize>>,
    results: Vec<Result<(Orders<'f>, usize), ReadError>>,
    /// The number of the block's first line.
    first: usize,
}

impl<'f> Orders<'f> {
    fn new(file: &'f str, h: &Header, rest: Option<u64>) -> Self {
        let (ballots, marks) = capacity(h.unique.map(|(u, _)| u), rest);
        Orders {
            file,
            n: h.n,
            data_type: h.data_type,
            categories: h.categories,
            builder: RankedBallotsBuilder::with_capacity(h.n, ballots, marks).with_merging(Merging::AsGiven),
            seen: vec![0; h.n],
            stamp: 0,
            order: Vec::with_capacity(h.n),
            voters: 0,
            lines: 0,
            split: Split::Cores,
            reading: Reading::PlainFirst,
            spare: Vec::new(),
        }
    }

    /// A part of the order lines read with this one's settings into
    /// `builder` (empty), counting voters from `voters`.
    fn part(&self, builder: RankedBallotsBuilder, voters: u64) -> Self {
        Orders {
            file: self.file,
            n: self.n,
            data_type: self.data_type,
            categories: self.categories,
            builder,
            seen: vec![0; self.n],
            stamp: 0,
            order: Vec::with_capacity(self.n),
            voters,
            lines: 0,
            split: self.split,
            reading: self.reading,
            spare: Vec::new(),
        }
    }

    /// Reads every line of `bytes` (whole lines) into a part of its own,
    /// built in `builder` (empty): the part, and how many lines it had.
    ///
    /// Plain order lines are read by [`plain_line`](Self::plain_line); the
    /// first line it refuses, and each one after, goes to the general reader
    /// [`line`](Self::line), which the lines are then checked for (text
    /// without control bytes, UTF-8) only if some line needs it.
    fn parse_part(&self, bytes: &[u8], voters: u64, builder: RankedBallotsBuilder) -> Result<(Self, usize), ReadError> {
        let mut part = self.part(builder, voters);
        let fast = self.reading == Reading::PlainFirst;
        let mut general: Option<SliceLines<'_>> = None;
        // Where the next line starts, and how many lines came before it.
        let (mut at, mut no) = (0, 0);
        loop {
            if fast {
                while let Some(len) = part.plain_line(&bytes[at..]) {
                    at += len;
                    no += 1;
                }
            }
            if at == bytes.len() {
                return Ok((part, no));
            }
            let lines = general.get_or_insert_with(|| SliceLines::new(self.file, bytes));
            lines.seek(at, no);
            if !lines.advance()? {
                return Ok((part, no));
            }
            part.line(lines.line())?;
            (at, no) = (lines.next_start(), lines.line().no);
        }
    }

    /// Reads the line at the start of `b` when it is a plain order line, a
    /// count and `:`, spaces, and distinct alternatives written in digits
    /// and separated by commas, ended by a line feed, that the file's data
    /// type and declared counts allow: the line's length with its line
    /// feed. Any other line gives `None` and leaves the part as it was, for
    /// the general reader to read or to report.
    #[inline]
    fn plain_line(&mut self, b: &[u8]) -> Option<usize> {
        let (count, i) = scan_count(b)?;
        if self.n <= 64 {
            let mut ids = [CandidateId(0); 64];
            let (k, len) = scan_narrow(b, i, self.n, &mut ids)?;
            self.push_plain(count, &ids[..k], len)
        } else {
            let stamp = self.next_stamp();
            let mut ids = std::mem::take(&mut self.order);
            let scanned = scan_wide(b, i, self.n, &mut self.seen, stamp, &mut ids);
            let pushed = scanned.and_then(|len| self.push_plain(count, &ids, len));
            self.order = ids;
            pushed
        }
    }

    /// Pushes the plain order `ids`, read from a line of `len` bytes, as
    /// `count` ballots, if the data type and declared counts allow it.
    #[inline]
    fn push_plain(&mut self, count: u64, ids: &[CandidateId], len: usize) -> Option<usize> {
        let k = ids.len();
        if (self.data_type.is_complete() && k != self.n) || self.categories.is_some_and(|cats| k as u64 > cats) {
            return None;
        }
        let voters = self.voters.checked_add(count)?;
        self.builder.push_each(ids);
        if self.builder.finish_ranking(count).is_err() {
            self.builder.discard();
            return None;
        }
        self.voters = voters;
        self.lines += 1;
        Some(len)
    }

    /// An empty builder for a part of `len` bytes: a spare one, or a new one.
    fn builder(&mut self, len: usize) -> RankedBallotsBuilder {
        self.spare.pop().unwrap_or_else(|| {
            let (ballots, marks) = capacity(None, Some(len as u64));
            RankedBallotsBuilder::with_capacity(self.n, ballots, marks).with_merging(Merging::AsGiven)
        })
    }

    /// Reads the order lines: `read`, the bytes already read from the
    /// start of line `first`, then the rest of the stream.
    ///
    /// Block by block: the parts of each block are parsed on all cores
    /// while the parts of the block before are joined to the file's store (a
    /// copy into memory touched for the first time, as long as the parse)
    /// and the block after is read from the stream, so neither the join nor
    /// the read is on the critical path. Errors keep the file's order: a
    /// block's join reports before the next block's, and before an error
    /// reading the stream after it.
    fn body<R: std::io::Read>(&mut self, mut buf: Vec<u8>, mut rest: R, first: usize) -> Result<(), ReadError> {
        // The settings of a part, for the parse beside the join.
        let template = self.part(RankedBallotsBuilder::new(self.n), 0);
        let mut line = first;
        let mut eof = false;
        let mut next = self.next_block(&mut buf, &mut rest, &mut eof, Vec::new());
        let mut pending: Option<Parsed> = None;
        loop {
            let block = match next {
                Ok(block) => block,
                Err(e) => {
                    if let Some(p) = pending.take() {
                        self.join(&template, p)?;
                    }
                    return Err(e);
                }
            };
            let last = eof && buf.is_empty();
            let parts = self.cut(&block);
            let builders: Vec<RankedBallotsBuilder> = parts.iter().map(|p| self.builder(p.len())).collect();
            // The stream need not be `Send`: the join and the read run on
            // this thread, the parse on the pool's.
            let mut results = Vec::new();
            let after = rayon::in_place_scope(|scope| -> Result<_, ReadError> {
                let (template, block, parts) = (&template, &block, &parts);
                let results = &mut results;
                scope.spawn(move |_| *results = template.parse_block(block, parts, builders));
                let spare = match pending.take() {
                    Some(p) => self.join(template, p)?,
                    None => Vec::new(),
                };
                Ok((!last).then(|| self.next_block(&mut buf, &mut rest, &mut eof, spare)))
            })?;
            let lines: usize = results.iter().map(|r| r.as_ref().map_or(0, |(_, n)| *n)).sum();
            pending = Some(Parsed { bytes: block, parts, results, first: line });
            line += lines;
            match after {
                Some(block) => next = block,
                None => {
                    if let Some(p) = pending.take() {
                        self.join(&template, p)?;
                    }
                    return Ok(());
                }
            }
        }
    }

    /// The next block of whole lines, of at least [`BLOCK`] bytes unless the
    /// stream ends first: `buf`, the bytes read after the last block, and
    /// on from `rest`. `buf` is left holding the bytes after the block, in
    /// `spare` (an emptied buffer, for its room).
    fn next_block<R: std::io::Read>(
        &self,
        buf: &mut Vec<u8>,
        rest: &mut R,
        eof: &mut bool,
        mut spare: Vec<u8>,
    ) -> Result<Vec<u8>, ReadError> {
        // Fill the buffer to a block, and on until it holds a line end.
        let mut want = BLOCK;
        while !*eof && (buf.len() < want || memchr::memrchr(b'\n', buf).is_none()) {
            if buf.len() >= want {
                want = 2 * buf.len();
            }
            *eof = self.fill(buf, rest, want)?;
        }
        let cut = if *eof { buf.len() } else { memchr::memrchr(b'\n', buf).map_or(buf.len(), |p| p + 1) };
        spare.clear();
        spare.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        Ok(std::mem::replace(buf, spare))
    }

    /// Reads from `rest` into `buf` until it holds `want` bytes: whether
    /// the stream ended. The buffer's room is read into as it is, without
    /// being zeroed first.
    fn fill<R: std::io::Read>(&self, buf: &mut Vec<u8>, rest: &mut R, want: usize) -> Result<bool, ReadError> {
        use std::io::Read;
        let asked = want.saturating_sub(buf.len()).max(1);
        buf.reserve(asked);
        match rest.by_ref().take(asked as u64).read_to_end(buf) {
            Ok(got) => Ok(got < asked),
            Err(e) => Err(ReadError::whole(self.file, ReadErrorKind::Io(e.to_string()))),
        }
    }

    /// Where a block of whole lines is cut into parts: ranges of `bytes`.
    fn cut(&self, bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
        let parts = match self.split {
            Split::Cores => split_lines(bytes, rayon::current_num_threads() * 2),
            Split::Whole => vec![bytes],
        };
        let base = bytes.as_ptr() as usize;
        parts.iter().map(|p| p.as_ptr() as usize - base..p.as_ptr() as usize - base + p.len()).collect()
    }

    /// Parses the `parts` of a block, each into its builder of `builders`
    /// (empty), on all cores: each part and its number of lines, or its error.
    fn parse_block(
        &self,
        bytes: &[u8],
        parts: &[std::ops::Range<usize>],
        builders: Vec<RankedBallotsBuilder>,
    ) -> Vec<Result<(Self, usize), ReadError>> {
        use rayon::prelude::*;
        if parts.len() == 1 {
            builders.into_iter().map(|b| self.parse_part(&bytes[parts[0].clone()], 0, b)).collect()
        } else {
            parts.par_iter().zip(builders).map(|(p, b)| self.parse_part(&bytes[p.clone()], 0, b)).collect()
        }
    }

    /// Joins a parsed block to the file's store, in order, its parts parsed
    /// by `template`'s settings: the block's bytes, for the next block.
    fn join(&mut self, template: &Self, parsed: Parsed) -> Result<Vec<u8>, ReadError> {
        let Parsed { bytes, parts, results, first } = parsed;
        let mut seen = 0;
        for (result, range) in results.into_iter().zip(&parts) {
            let part_bytes = &bytes[range.clone()];
            let at_line = |mut e: ReadError| {
                e.line = e.line.map(|l| l + first - 1 + seen);
                e
            };
            // A part counts its voters from 0. When it fails, or the sum
            // overflows, it is read again counting on from the voters before
            // it: the first line where the sum overflows, if it comes before
            // the part's own error, gives the error.
            let again = |voters: u64| {
                let builder = RankedBallotsBuilder::new(template.n).with_merging(Merging::AsGiven);
                match template.parse_part(part_bytes, voters, builder) {
                    Err(e) => at_line(e),
                    Ok(_) => ReadError::whole(template.file, ReadErrorKind::WeightOverflow),
                }
            };
            let (mut part, lines) = match result {
                Ok(done) => done,
                Err(e) if self.voters == 0 => return Err(at_line(e)),
                Err(_) => return Err(again(self.voters)),
            };
            self.voters = match self.voters.checked_add(part.voters) {
                Some(v) => v,
                None => return Err(again(self.voters)),
            };
            self.lines += part.lines;
            self.builder
                .append(&mut part.builder)
                .map_err(|e| ReadError::whole(self.file, ReadErrorKind::from_ballot(e)))?;
            self.spare.push(part.builder);
            seen += lines;
        }
        Ok(bytes)
    }

    #[cold]
    fn malformed(&self, line: &Line<'_>, at: usize, expected: &str) -> ReadError {
        line.error(self.file, at, ReadErrorKind::Malformed { expected: expected.into(), found: line.found_at(at) })
    }

    #[cold]
    fn violation(&self, line: &Line<'_>, at: usize, rule: &str, found: String) -> ReadError {
        let kind = ReadErrorKind::TypeViolation { data_type: self.data_type, rule: rule.into(), found };
        line.error(self.file, at, kind)
    }

    /// A stamp no alternative is marked with yet.
    fn next_stamp(&mut self) -> u32 {
        if self.stamp == u32::MAX {
            self.seen.fill(0);
            self.stamp = 0;
        }
        self.stamp += 1;
        self.stamp
    }

    /// Reads one line after the header: an order, a comment or a blank line.
    fn line(&mut self, line: Line<'_>) -> Result<(), ReadError> {
        let file = self.file;
        let src = line.text;
        let b = src.as_bytes();
        let len = b.len();
        let n = self.n;
        let is_space = |c: u8| c == b' ' || c == b'\t';
        // The order lines follow the header, so none is the file's first
        // line, the only one that may start with a byte-order mark.
        let mut i = 0;
        while i < len && is_space(b[i]) {
            i += 1;
        }
        if i >= len || b[i] == b'#' {
            return Ok(());
        }
        let line_start = i;
        // The count.
        let mut count: u64 = 0;
        while i < len && b[i].is_ascii_digit() {
            count = match count.checked_mul(10).and_then(|c| c.checked_add(u64::from(b[i] - b'0'))) {
                Some(c) => c,
                None => return Err(self.malformed(&line, line_start, "a count that fits in 64 bits")),
            };
            i += 1;
        }
        if i == line_start {
            return Err(line.error(
                file,
                i,
                ReadErrorKind::MalformedNumber {
                    expected: "a count of voters followed by `:`".into(),
                    found: line.found_at(i),
                },
            ));
        }
        if i < len && b[i] == b'.' {
            let end = src[i..].find(':').map_or(len, |e| i + e);
            return Err(line.error(
                file,
                line_start,
                ReadErrorKind::FractionalWeight { found: quote(&src[line_start..end]) },
            ));
        }
        if count == 0 {
            return Err(line.error(
                file,
                line_start,
                ReadErrorKind::MalformedNumber {
                    expected: "a count of at least 1".into(),
                    found: quote(&src[line_start..i]),
                },
            ));
        }
        while i < len && is_space(b[i]) {
            i += 1;
        }
        if i >= len || b[i] != b':' {
            return Err(self.malformed(&line, i, "`:` after the count"));
        }
        i += 1;
        let stamp = self.next_stamp();
        let mut distinct = 0usize;
        let mut levels = 0usize;
        let order_start = i;
        while i < len && is_space(b[i]) {
            i += 1;
        }
        if i < len {
            loop {
                let grouped = b[i] == b'{';
                let group_start = i;
                if grouped {
                    i += 1;
                }
                levels += 1;
                let mut k = 0usize;
                loop {
                    while i < len && is_space(b[i]) {
                        i += 1;
                    }
                    if grouped && k == 0 && b.get(i) == Some(&b'}') && self.data_type == DataType::Cat {
                        // An empty category.
                        i += 1;
                        self.builder.push_skip();
                        break;
                    }
                    let s = i;
                    let mut v: usize = 0;
                    while i < len && b[i].is_ascii_digit() {
                        v = v.saturating_mul(10).saturating_add(usize::from(b[i] - b'0'));
                        i += 1;
                    }
                    if i == s {
                        return Err(self.malformed(&line, s, "an alternative number"));
                    }
                    if v == 0 || v > n {
                        return Err(line.error(
                            file,
                            s,
                            ReadErrorKind::CandidateOutOfRange { found: quote(&src[s..i]), candidates: n },
                        ));
                    }
                    let slot = &mut self.seen[v - 1];
                    if *slot == stamp {
                        return Err(self.violation(
                            &line,
                            s,
                            "each alternative at most once in an order",
                            format!("lists alternative {v} twice"),
                        ));
                    }
                    *slot = stamp;
                    distinct += 1;
                    let id = CandidateId((v - 1) as u16);
                    if k == 0 {
                        self.builder.push(id);
                    } else {
                        self.builder.push_tied(id);
                    }
                    k += 1;
                    if !grouped {
                        break;
                    }
                    while i < len && is_space(b[i]) {
                        i += 1;
                    }
                    match b.get(i) {
                        Some(b',') => i += 1,
                        Some(b'}') => {
                            i += 1;
                            break;
                        }
                        _ => {
                            return Err(self.malformed(&line, i, "`,` or `}` in a tied group"));
                        }
                    }
                }
                if k > 1 && !self.data_type.allows_ties() {
                    return Err(self.violation(
                        &line,
                        group_start,
                        "a strict order (no alternatives ranked equal)",
                        format!("ranks {k} alternatives equal"),
                    ));
                }
                while i < len && is_space(b[i]) {
                    i += 1;
                }
                if i >= len {
                    break;
                }
                if b[i] != b',' {
                    return Err(self.malformed(&line, i, "`,` or the end of the line"));
                }
                i += 1;
                while i < len && is_space(b[i]) {
                    i += 1;
                }
                if i >= len {
                    return Err(self.malformed(&line, i, "an alternative after `,`"));
                }
            }
        }
        if let Some(k) = self.categories.filter(|&k| levels as u64 > k) {
            return Err(self.violation(
                &line,
                order_start,
                &format!("at most the {k} declared categories"),
                format!("sorts the alternatives into {levels}"),
            ));
        }
        if self.data_type.is_complete() && distinct != n {
            return Err(self.violation(
                &line,
                line_start,
                &format!("a complete order of all {n} alternatives"),
                format!("ranks {distinct} of them"),
            ));
        }
        self.voters = self
            .voters
            .checked_add(count)
            .ok_or_else(|| line.error(file, line_start, ReadErrorKind::WeightOverflow))?;
        self.builder.finish(count).map_err(|e| line.error(file, line_start, ReadErrorKind::from_ballot(e)))?;
        self.lines += 1;
        Ok(())
    }

    /// Checks the declared counts and builds the file.
    fn finish(self, h: Header) -> Result<BallotFile, ReadError> {
        for (declared, found, what) in [
            (h.voters, self.voters, "NUMBER VOTERS (the sum of the counts)"),
            (h.unique, self.lines, "NUMBER UNIQUE ORDERS (the number of order lines)"),
        ] {
            if let Some((d, at)) = declared {
                if d != found {
                    return Err(
                        at.error(self.file, ReadErrorKind::CountMismatch { what: what.into(), declared: d, found })
                    );
                }
            }
        }
        Ok(BallotFile {
            title: h.title,
            candidates: h.candidates,
            seats: None,
            ballots: self.builder.build(),
            format: Format::PrefLib,
            options: Default::default(),
        })
    }
}

/// Writes `file` as PrefLib and returns the data type written: the narrowest
/// of `soc`, `soi`, `toc`, `toi` that holds every ballot. Write it under that
/// extension. Wrap `out` in a `BufWriter` for speed.
///
/// Fails on what PrefLib cannot express: a skipped rank, a candidate ranked
/// twice, a weight of 0, a name with a line break. Withdrawn flags are not
/// written.
pub fn write_preflib<W: Write>(out: &mut W, file: &BallotFile) -> Result<DataType, WriteError> {
    let n = file.candidates.len();
    let unrepresentable = |ballot, reason: String| WriteError::Unrepresentable { ballot, format: "PrefLib", reason };
    let (mut ties, mut complete) = (false, true);
    let mut seen = vec![usize::MAX; n];
    for (i, ballot) in file.ballots.iter().enumerate() {
        if ballot.weight == 0 {
            return Err(unrepresentable(i, "its weight is 0".into()));
        }
        let mut distinct = 0;
        for level in ballot.levels() {
            if level.is_skipped() {
                return Err(unrepresentable(i, "it skips a rank".into()));
            }
            ties |= level.len() > 1;
            for c in level.candidates() {
                if seen[c.index()] == i {
                    return Err(unrepresentable(i, format!("it ranks candidate {c} twice")));
                }
                seen[c.index()] = i;
                distinct += 1;
            }
        }
        complete &= distinct == n;
    }
    let data_type = DataType::of(ties, complete);
    writeln!(out, "# FILE NAME: {}", file.title.as_deref().unwrap_or("ballots"))?;
    writeln!(out, "# TITLE: {}", file.title.as_deref().unwrap_or(""))?;
    writeln!(out, "# DATA TYPE: {data_type}")?;
    writeln!(out, "# NUMBER ALTERNATIVES: {n}")?;
    writeln!(out, "# NUMBER VOTERS: {}", file.ballots.total_weight())?;
    writeln!(out, "# NUMBER UNIQUE ORDERS: {}", file.ballots.unique_len())?;
    for (id, c) in file.candidates.iter() {
        if c.name.contains(['\n', '\r']) || c.name.trim() != c.name {
            return Err(unrepresentable(0, format!("the name {} holds a line break or outer spaces", quote(&c.name))));
        }
        writeln!(out, "# ALTERNATIVE NAME {}: {}", id.0 + 1, c.name)?;
    }
    let mut line = String::new();
    for ballot in file.ballots.iter() {
        line.clear();
        line.push_str(&ballot.weight.to_string());
        line.push(':');
        for (k, level) in ballot.levels().enumerate() {
            line.push_str(if k == 0 { " " } else { "," });
            let group = level.len() > 1;
            if group {
                line.push('{');
            }
            for (j, c) in level.candidates().enumerate() {
                if j > 0 {
                    line.push(',');
                }
                line.push_str(&(c.0 + 1).to_string());
            }
            if group {
                line.push('}');
            }
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(data_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categorical_files_read_as_scores_or_as_ranked_levels() {
        let head = "# DATA TYPE: cat\n# NUMBER ALTERNATIVES: 3\n# NUMBER UNIQUE PREFERENCES: 2\n# NUMBER CATEGORIES: 3\n# CATEGORY NAME 1: Good\n# CATEGORY NAME 2: Fair\n# CATEGORY NAME 3: Poor\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n";
        let src = format!("{head}2: 2,{{}},{{1,3}}\n1: {{1,2}}\n");
        let f = read_categorical("a.cat", src.as_bytes()).unwrap();
        assert_eq!(f.ballots.max_score(), 2);
        let scores: Vec<Vec<Option<u16>>> = f.ballots.iter().map(|b| b.scores().collect()).collect();
        assert_eq!(scores, vec![vec![Some(0), Some(2), Some(0)], vec![Some(2), Some(2), None]]);
        // Read as ranked ballots, each category is a rank level.
        let ranked = read("a.cat", src.as_bytes()).unwrap();
        assert_eq!(ranked.ballots.get(0).num_levels(), 3);
        // More categories than declared, a missing count, an order file.
        let err = read_categorical("a.cat", format!("{head}1: 1,2,3,{{}}\n").as_bytes()).unwrap_err();
        assert!(err.to_string().contains("3 declared categories"), "{err}");
        let err = read_categorical("a.cat", head.replace("# NUMBER CATEGORIES: 3\n", "").as_bytes()).unwrap_err();
        assert!(err.to_string().contains("NUMBER CATEGORIES"), "{err}");
        let toi = "# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 1\n# ALTERNATIVE NAME 1: A\n1: 1\n";
        assert!(read_categorical("a.toi", toi.as_bytes()).is_err());
        // An empty group is a category, not an order.
        assert!(read("a.toi", toi.replace("1: 1", "1: {}").as_bytes()).is_err());
    }

    proptest::proptest! {
        /// Parsed in parts (of 64 bytes and up under test), a file reads
        /// as one pass over its lines reads it: the same store, or the same
        /// error at the same line and column, the sum of the counts
        /// overflowing included. Files of 3 alternatives, of 40 (numbers of
        /// two digits), and of 70 (more than a machine word has bits).
        #[test]
        fn parts_read_as_one_pass(
            lines in proptest::collection::vec((0usize..13, 1u64..4, proptest::collection::vec(1usize..5, 0..5)), 0..120),
            size in 1usize..(1 << 14),
            width in 0usize..3,
            clean in proptest::bool::ANY,
        ) {
            // Alternatives 1..=4 of 3 (the last one out of range); 1, 10,
            // 40 and 41 of 40 (numbers of two digits); or 1, 35, 69 and 103
            // of 70 (over the 64 of the narrow listing).
            let (n, labels) = [(3, [1, 2, 3, 4]), (40, [1, 10, 40, 41]), (70, [1, 35, 69, 103])][width];
            let mut src = if n == 3 {
                String::from(HEAD)
            } else {
                let names: String = (1..=n).map(|a| format!("# ALTERNATIVE NAME {a}: A{a}\n")).collect();
                format!("# DATA TYPE: toi\n# NUMBER ALTERNATIVES: {n}\n{names}")
            };
            let label = |c: usize| labels[c - 1];
            for (kind, count, order) in &lines {
                // Half the files have no mistakes, so that they are read to
                // the end: no alternative out of range or repeated, no count
                // of 0 or overflowing, no comma left hanging.
                let (mut kind, mut order) = (*kind, order.clone());
                if clean {
                    let mut listed = Vec::new();
                    for c in order.iter().map(|&c| 1 + (c - 1) % 3) {
                        if !listed.contains(&c) {
                            listed.push(c);
                        }
                    }
                    order = listed;
                    if matches!(kind, 3 | 6 | 7) {
                        kind = 9;
                    }
                }
                let order: Vec<String> = order.iter().map(|&c| label(c).to_string()).collect();
                let line = match kind {
                    0 => "\n".to_owned(),
                    1 => "# a comment\n".to_owned(),
                    2 => format!("{count}: {{{}}}\n", order.join(",")),
                    // Rarely: a count near 2^64, so the sum overflows somewhere.
                    3 if *count == 3 => format!("{}: 1\n", u64::MAX / 2),
                    // Near-plain lines the fast reader leaves to the general one.
                    4 => format!("{count}:{}\r\n", order.join(",")),
                    5 => format!("{count} : {} \n", order.join(", ")),
                    6 => format!("0{count}: {},\n", order.join(",")),
                    7 => format!("{}: {}\n", count - 1, order.join(",")),
                    // Leading zeros: numbers of up to three digits.
                    8 => format!("{count}: {}\n", order.iter().map(|a| format!("0{a}")).collect::<Vec<_>>().join(",")),
                    _ => format!("{count}: {}\n", order.join(",")),
                };
                src.push_str(&line);
            }
            let bytes = src.as_bytes();
            let one_pass = |reading| {
                parse_with_categories("t.toi", bytes, Some(bytes.len() as u64), Split::Whole, reading).map(|(f, _)| f)
            };
            let whole = one_pass(Reading::PlainFirst);
            // Every line read by the general reader, alike.
            proptest::prop_assert_eq!(&one_pass(Reading::General), &whole);
            let parts = read("t.toi", bytes);
            proptest::prop_assert_eq!(&parts, &whole);
            // Read from a stream in small pieces, alike.
            let stream = read_from("t.toi", BufReader::with_capacity(size, bytes), None);
            proptest::prop_assert_eq!(stream, whole);
        }
    }

    #[test]
    fn plain_and_general_orders_read_the_same() {
        let head = "# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n";
        let plain = format!("{head}2: 3,1\n1: 2\n4: 1,2,3\n");
        let spaced = format!("{head}2: 3 , 1\n1:2 \n4: {{1}},2, 3\n");
        assert_eq!(read("a.toi", plain.as_bytes()).unwrap(), read("a.toi", spaced.as_bytes()).unwrap());
        // A line the fast path refuses halfway leaves nothing behind.
        let repeated = format!("{head}2: 3,1,3\n");
        let err = read("a.toi", repeated.as_bytes()).unwrap_err();
        assert_eq!((err.line, err.column), (Some(6), Some(8)));
    }

    const HEAD: &str = "# FILE NAME: t.toi\n# TITLE: Test\n# DATA TYPE: toi\n# NUMBER ALTERNATIVES: 3\n\
                        # ALTERNATIVE NAME 1: Ada\n# ALTERNATIVE NAME 2: Bo\n# ALTERNATIVE NAME 3: Cy\n";

    /// A file of type `dt` with the given order lines.
    fn file(dt: &str, orders: &str) -> String {
        format!("{}{orders}", HEAD.replace("toi", dt))
    }

    fn bad(name: &str, src: &str) -> (usize, usize, String) {
        let e = read(name, src.as_bytes()).unwrap_err();
        assert_eq!(e.file, name);
        (e.line.unwrap_or(0), e.column.unwrap_or(0), e.kind.to_string())
    }

    fn levels(f: &BallotFile, i: usize) -> Vec<Vec<u16>> {
        f.ballots.get(i).levels().map(|l| l.candidates().map(|c| c.0).collect()).collect()
    }

    #[test]
    fn reads_each_type() {
        let f = read("t.soc", file("soc", "# NUMBER VOTERS: 5\n3: 1,2,3\n2:3,1,2\n").as_bytes()).unwrap();
        assert_eq!(f.title.as_deref(), Some("Test"));
        assert_eq!(f.format, Format::PrefLib);
        assert_eq!(f.seats, None);
        assert_eq!(f.candidates.name(CandidateId(2)), "Cy");
        assert_eq!(f.ballots.weights(), &[3, 2]);
        assert_eq!(levels(&f, 1), [vec![2], vec![0], vec![1]]);
        let f = read("t.soi", file("soi", "1: 2\n4:\n1: 3 , 1\r\n").as_bytes()).unwrap();
        assert_eq!(f.ballots.total_weight(), 6);
        assert!(f.ballots.get(1).is_blank());
        assert_eq!(levels(&f, 2), [vec![2], vec![0]]);
        let f = read("t.toc", file("toc", "2: {1,3},2\n1: 1, { 2 , 3 }\n").as_bytes()).unwrap();
        assert_eq!(levels(&f, 0), [vec![0, 2], vec![1]]);
        assert_eq!(levels(&f, 1), [vec![0], vec![1, 2]]);
        let f = read("x", file("toi", "\n1: {2,3}\n\n1: 1,{2}\n").as_bytes()).unwrap();
        assert_eq!(f.ballots.unique_len(), 2);
    }

    #[test]
    fn type_violations() {
        assert_eq!(
            bad("t.soc", &file("soc", "1: 1,2\n")),
            (8, 1, "the file declares data type `soc`, which requires a complete order of all 3 alternatives; this order ranks 2 of them".into())
        );
        assert_eq!(
            bad("t.soi", &file("soi", "1: 1,{2,3}\n")),
            (8, 6, "the file declares data type `soi`, which requires a strict order (no alternatives ranked equal); this order ranks 2 alternatives equal".into())
        );
        assert_eq!(bad("t.toc", &file("toc", "1: 1,{2,3}\n1:\n")).0, 9);
        assert_eq!(
            bad("t.toi", &file("toi", "1: 1,{2,1}\n")),
            (8, 9, "the file declares data type `toi`, which requires each alternative at most once in an order; this order lists alternative 1 twice".into())
        );
    }

    #[test]
    fn count_mismatches_point_at_the_header() {
        let src = file("soi", "# NUMBER VOTERS: 4\n# NUMBER UNIQUE ORDERS: 2\n1: 1\n2: 2\n");
        assert_eq!(
            bad("t.soi", &src),
            (
                8,
                18,
                "count mismatch: the file declares NUMBER VOTERS (the sum of the counts) = 4, but 3 were found".into()
            )
        );
        let src = file("soi", "# NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 3\n1: 1\n2: 2\n");
        assert_eq!(
            bad("t.soi", &src),
            (9, 25, "count mismatch: the file declares NUMBER UNIQUE ORDERS (the number of order lines) = 3, but 2 were found".into())
        );
    }

    #[test]
    fn order_syntax_errors() {
        let at = |orders: &str| bad("t.toi", &file("toi", orders));
        assert_eq!(
            at("1: 1,4\n"),
            (8, 6, "unknown candidate: expected a candidate number from 1 to 3, found `4`".into())
        );
        assert_eq!(at("1: 0\n").2, "unknown candidate: expected a candidate number from 1 to 3, found `0`");
        assert_eq!(
            at("x: 1\n"),
            (8, 1, "malformed number: expected a count of voters followed by `:`, found `x`".into())
        );
        assert_eq!(at("1 1\n"), (8, 3, "expected `:` after the count, found `1`".into()));
        // A byte-order mark is not text outside the file's first line.
        assert_eq!(at("\u{feff}1: 1\n").1, 1);
        assert_eq!(at("1.5: 1\n"), (8, 1, "fractional weight: expected a whole number of ballots, found `1.5`".into()));
        assert_eq!(at("0: 1\n").2, "malformed number: expected a count of at least 1, found `0`");
        assert_eq!(
            at("99999999999999999999: 1\n").2,
            "expected a count that fits in 64 bits, found `99999999999999999999`"
        );
        assert_eq!(at("1: 1,\n"), (8, 6, "expected an alternative after `,`, found the end of the line".into()));
        assert_eq!(at("1: 1;2\n"), (8, 5, "expected `,` or the end of the line, found `;2`".into()));
        assert_eq!(at("1: {1,2\n"), (8, 8, "expected `,` or `}` in a tied group, found the end of the line".into()));
        assert_eq!(at("1: {}\n"), (8, 5, "expected an alternative number, found `}`".into()));
        assert_eq!(
            at("18446744073709551615: 1\n1: 2\n"),
            (9, 1, "weight overflow: the ballot weights add up to more than 2^64 - 1".into())
        );
        assert_eq!(at("1: 1\0\n").2, "binary data: control byte 0x00 where text was expected");
    }

    #[test]
    fn header_errors() {
        assert_eq!(
            bad("t.soi", "\n\n").2,
            "the file is empty: expected PrefLib header lines such as `# DATA TYPE: soc`"
        );
        assert_eq!(
            bad("t.soi", "# DATA TYPE: soi\n1: 1\n"),
            (
                2,
                1,
                "bad header: expected a `# NUMBER ALTERNATIVES: n` header line, found none before the first order"
                    .into()
            )
        );
        assert_eq!(
            bad("t.txt", "# NUMBER ALTERNATIVES: 1\n# ALTERNATIVE NAME 1: A\n1: 1\n").2,
            "bad header: expected a `# DATA TYPE: soc|soi|toc|toi|cat` header line, found none before the first order"
        );
        assert_eq!(
            bad("t.soi", "# DATA TYPE: xyz\n"),
            (1, 14, "bad header: expected a data type of `soc`, `soi`, `toc`, `toi` or `cat`, found `xyz`".into())
        );
        assert_eq!(
            bad("t.soi", &file("soc", "")),
            (3, 14, "bad header: expected data type `soi`, as the file name says, found `soc`".into())
        );
        assert_eq!(
            bad("t.toi", &HEAD.replace("ALTERNATIVES: 3", "ALTERNATIVES: three")),
            (4, 24, "malformed number: expected the number of alternatives (a whole number), found `three`".into())
        );
        assert_eq!(bad("t.toi", &HEAD.replace("ALTERNATIVES: 3", "ALTERNATIVES: 0")).0, 4);
        assert_eq!(
            bad("t.toi", &HEAD.replace("ALTERNATIVES: 3", "ALTERNATIVES: 99999")).2,
            "too many candidates: expected at most 32767, found 99999"
        );
        assert_eq!(
            bad("t.toi", &HEAD.replace("NAME 3", "NAME 4")),
            (
                7,
                23,
                "bad header: expected a name for an alternative numbered from 1 to 3, found a name for alternative 4"
                    .into()
            )
        );
        assert_eq!(
            bad("t.toi", &HEAD.replace("NAME 3", "NAME 2")),
            (7, 23, "bad header: expected one name for each alternative, found a second name for alternative 2".into())
        );
        assert_eq!(
            bad("t.toi", &HEAD.replace("NAME 3: Cy", "NAME 3: Bo")),
            (7, 23, "duplicate candidate name: expected distinct names, found `Bo` twice".into())
        );
        let e = read("t.toi", HEAD.replace("# ALTERNATIVE NAME 3: Cy\n", "").as_bytes()).unwrap_err();
        assert_eq!(
            e.kind.to_string(),
            "bad header: expected a `# ALTERNATIVE NAME 3: …` header line, found no name for alternative 3"
        );
        assert_eq!(
            bad("t.toi", &HEAD.replace("NAME 3", "NAME x")).2,
            "malformed number: expected the alternative's number (a whole number), found ` x`"
        );
    }

    #[test]
    fn reserved_room_bounds_the_densest_orders() {
        // The densest order lines: one-digit counts and alternatives, no spaces.
        for (orders, lines, marks) in [("1:1,2,3\n", 1, 3), ("1:1,2,3", 1, 3), ("1:\n1:2\n", 2, 2), ("", 0, 0)] {
            let (ballots, room) = capacity(Some(lines), Some(orders.len() as u64));
            assert_eq!((ballots, room), (lines as usize, marks), "{orders:?}");
        }
        let f = read("t.soi", file("soi", "1:\n1:2\n").as_bytes()).unwrap();
        assert_eq!(levels(&f, 1), [vec![1]]);
        // A header that claims more lines than the file can hold is not trusted.
        assert_eq!(capacity(Some(u64::MAX), Some(10)).0, 6);
        assert_eq!(capacity(Some(u64::MAX), None), (1 << 16, 0));
    }

    #[test]
    fn writer_picks_the_narrowest_type_and_refuses_skips() {
        for (dt, orders) in
            [("soc", "1: 1,2,3\n"), ("soi", "1: 1\n"), ("toc", "1: {1,2},3\n"), ("toi", "2: {1,3}\n1:\n")]
        {
            let f = read("x", file("toi", orders).as_bytes()).unwrap();
            let mut out = Vec::new();
            assert_eq!(write_preflib(&mut out, &f).unwrap().as_str(), dt);
            let again = read(&format!("again.{dt}"), &out).unwrap();
            assert_eq!(again, f);
        }
        let f = crate::blt::read("x.blt", b"2 1\n1 - 1 0\n0\n\"A\"\n\"B\"\n").unwrap();
        let e = write_preflib(&mut Vec::new(), &f).unwrap_err();
        assert_eq!(e.to_string(), "unique ballot 0 cannot be written as PrefLib: it skips a rank");
        let f = crate::blt::read("x.blt", b"2 1\n1 1 1 0\n0\n\"A\"\n\"B\"\n").unwrap();
        assert!(write_preflib(&mut Vec::new(), &f).unwrap_err().to_string().contains("ranks candidate #1 twice"));
    }
}
