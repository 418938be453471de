//! BLT ballot files, as written by OpenSTV, the droop program and the
//! Electoral Reform Society's counting programs, read and written.
//!
//! A BLT file is a line-oriented text file:
//!
//! ```text
//! # comments start with `#` and are ignored
//! 4 2               number of candidates, number of seats
//! -4                optional: withdrawn candidates, as negative ids
//! [nick a b c d]    optional option lines (below)
//! 3 1 2 0           a ballot: weight, candidate ids best first, closing 0
//! (b17) 1 2 0       a ballot may open with an id in parentheses
//! 1 3=4 - 1 0       `3=4` ranks 3 and 4 equal; `-` leaves a rank empty
//! 1 2 -=- 0         `-=-` marks two or more candidates, not named
//! 1 0               a blank ballot
//! 0                 end of ballots
//! "Ada"             the candidates' names, in id order
//! "Bo"
//! "Cy \"the Elder\""
//! "Dee"
//! "Committee 2024"  the election's title
//! "Minutes, p. 3"   optional: the source, then a comment
//! anything else     optional free text, kept but not read
//! ```
//!
//! Candidate ids are 1-based. The equal-ranking (`=`) and skipped-rank (`-`)
//! marks are OpenSTV's extensions, found in published US ballot data; `-=-`
//! is the US corpus's mark for an overvote whose candidates the official
//! data does not record, an overvote under every policy (see
//! [`psephos::OvervotePolicy`]). Weights are whole numbers of at least 1: a
//! fractional weight is an error, not rounded. Names and title are in double
//! quotes, where `\"` stands for a quote and `\\` for a backslash; a name
//! line without quotes is taken whole, trimmed. The title may be missing.
//! After it, as the droop program reads them, up to two more quoted strings
//! are the source and a comment, and any other text to the end of the file
//! is kept line by line in [`FileOptions::notes`]; it plays no part in the
//! count.
//!
//! Option lines, in the droop program's syntax, come between the first line
//! and the first ballot, in any order and mixed with the withdrawn line; an
//! option opens with `[name` and ends at the first item that ends in `]`,
//! on the same line or a later one:
//!
//! - `[nick n1 n2 …]`: a short name for every candidate, in id order; from
//!   then on, ballots and later option lines may name candidates by these
//!   as well as by number ([`FileOptions::nicknames`]).
//! - `[tie c1 c2 …]`: every candidate once: a lot drawn in advance, where
//!   the tied candidate listed first is chosen, to be elected or eliminated
//!   alike (as droop uses it); the `candidate-order` tie-break step follows
//!   it in place of the ballot-paper order ([`FileOptions::tie_order`]).
//! - `[withdrawn c …]`: withdrawn candidates, as `-c` does.
//! - `[undeclared c …]`: undeclared write-in candidates
//!   ([`FileOptions::undeclared`]); psephos counts them like any other.
//! - `[droop opt …]`: the droop program's counting options, such as
//!   `rule=meek precision=8`, kept as written ([`FileOptions::droop`]; see
//!   [`droop_counting`]).
//!
//! Any other `[name …]` is an error naming it. The format is described in
//! the OpenSTV documentation, in the droop program's `BltFileFormat` notes
//! and in Hill, Wichmann and Woodall, "Algorithm 123: Single Transferable
//! Vote by Meek's Method", *Computer Journal* 30 (1987).
//!
//! ```
//! use psephos_io::{blt, write_blt};
//! let src = "3 1\n-3\n2 1 2 0\n1 2=3 - 1 0\n0\n\"Ada\"\n\"Bo\"\n\"Cy\"\n\"Chair\"\n";
//! let file = blt::read("chair.blt", src.as_bytes()).unwrap();
//! assert!(file.candidates.get(psephos::CandidateId(2)).withdrawn);
//! assert_eq!(file.ballots.unique_len(), 2);
//! let mut out = Vec::new();
//! write_blt(&mut out, &file).unwrap();
//! assert_eq!(String::from_utf8(out).unwrap(), src);
//! ```

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};

use psephos::{Candidate, CandidateId, Candidates, RankedBallotsBuilder, MAX_CANDIDATES};

use crate::error::{ReadError, ReadErrorKind, WriteError};
use crate::text::{self, quote, Line, Lines, Number, Pos, ReaderLines, SliceLines};
use crate::{BallotFile, FileOptions, Format};

/// Reads a BLT file held in memory; `file` names it in errors.
pub fn read(file: &str, bytes: &[u8]) -> Result<BallotFile, ReadError> {
    parse(file, &mut SliceLines::new(file, bytes), Some(bytes.len() as u64))
}

/// Reads a BLT file from a stream, one line at a time, so the file is never
/// held whole; `file` names it in errors, and `size`, the stream's length in
/// bytes when known, sizes the ballot store up front.
///
/// [`crate::read_path`] reads `.blt` files this way.
///
/// ```
/// use psephos_io::blt;
/// let src = "2 1\n3 1 2 0\n0\n\"Ada\"\n\"Bo\"\n";
/// let file = blt::read_from("poll.blt", src.as_bytes(), None).unwrap();
/// assert_eq!(file.ballots.total_weight(), 3);
/// assert_eq!(file, blt::read("poll.blt", src.as_bytes()).unwrap());
/// ```
pub fn read_from<R: BufRead>(file: &str, reader: R, size: Option<u64>) -> Result<BallotFile, ReadError> {
    parse(file, &mut ReaderLines::new(file, reader), size)
}

/// The part of a line before a `#` comment.
fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or("")
}

/// Moves `lines` to the next line that holds something other than a comment;
/// `false` at the end of the file.
fn next_content<L: Lines>(lines: &mut L) -> Result<bool, ReadError> {
    while lines.advance()? {
        let line = lines.line();
        let t = line.text[line.content_start()..].trim();
        if !t.is_empty() && !t.starts_with('#') {
            return Ok(true);
        }
    }
    Ok(false)
}

/// What a line in the ballot section held.
enum Ballot {
    /// A ballot, or withdrawn candidates.
    Read,
    /// The `0` that ends the ballots.
    End,
    /// A ballot without its closing `0`: where the line's content ends, and
    /// whether anything follows it on the line.
    Unclosed(Pos, bool),
}

/// The one BLT parser, over the lines of a buffer or of a stream.
fn parse<L: Lines>(file: &str, lines: &mut L, size: Option<u64>) -> Result<BallotFile, ReadError> {
    let at_end = |lines: &L, kind| {
        let (line, column) = lines.end();
        ReadError::at(file, line, Some(column), kind)
    };
    if !next_content(lines)? {
        return Err(ReadError::whole(
            file,
            ReadErrorKind::Empty { expected: "a first line with the number of candidates and seats".into() },
        ));
    }
    let mut r = Reader { file, nicks: HashMap::new() };
    let (ncand, seats) = r.header(&lines.line())?;

    // Ballots, with withdrawn candidates and option lines first.
    let mut withdrawn = vec![false; ncand];
    let mut options = FileOptions::default();
    let size = size.map_or(0, |s| usize::try_from(s).unwrap_or(usize::MAX));
    let mut builder = RankedBallotsBuilder::with_capacity(ncand, size / 16, size / 4);
    let mut any_ballot = false;
    let mut open: Option<OpenOption> = None;
    loop {
        if !next_content(lines)? {
            let kind = match &open {
                Some(o) => ReadErrorKind::BadOption {
                    option: o.name,
                    expected: format!("`]` closing the option opened on line {}", o.at.line),
                    found: "the end of the file".into(),
                },
                None => ReadErrorKind::Truncated { expected: "more ballots or the line `0` that ends them".into() },
            };
            return Err(at_end(lines, kind));
        }
        let line = lines.line();
        if open.is_some() || (!any_ballot && line.text[line.content_start()..].trim_start().starts_with('[')) {
            r.options(&line, &mut open, &mut withdrawn, &mut options)?;
            continue;
        }
        match r.ballot(&line, &mut withdrawn, &mut any_ballot, &mut builder)? {
            Ballot::Read => {}
            Ballot::End => break,
            Ballot::Unclosed(at, more) => {
                // The last ballot of the file is truncated; one followed by
                // more lines is malformed.
                let mut last = !more;
                while last && lines.advance()? {
                    last = lines.line().text.trim().is_empty();
                }
                let kind = if last {
                    ReadErrorKind::Truncated { expected: "`0` closing the last ballot".into() }
                } else {
                    ReadErrorKind::Malformed {
                        expected: "`0` closing the ballot".into(),
                        found: "the end of the line".into(),
                    }
                };
                return Err(at.error(file, kind));
            }
        }
    }

    // Names, the title, then an optional source and comment and free text.
    let mut names: Vec<(Pos, String)> = Vec::with_capacity(ncand);
    let mut title = None;
    while next_content(lines)? {
        let line = lines.line();
        let after_title = title.is_some();
        let quoted = line.text[line.content_start()..].trim_start().starts_with('"');
        if after_title && (!options.notes.is_empty() || !quoted || options.comment.is_some()) {
            // Free text after the title, kept as written (as the droop
            // program ignores it).
            options.notes.push(line.text[line.content_start()..].trim().to_owned());
            continue;
        }
        for (at, item) in r.name_items(&line)? {
            if names.len() < ncand {
                names.push((at, item));
            } else if title.is_none() {
                title = Some(item);
            } else if options.source.is_none() {
                options.source = Some(item);
            } else if options.comment.is_none() {
                options.comment = Some(item);
            } else {
                return Err(at.error(file, ReadErrorKind::TrailingData { found: quote(&item) }));
            }
        }
    }
    if names.len() < ncand {
        return Err(at_end(
            lines,
            ReadErrorKind::Truncated {
                expected: format!(
                    "the name of candidate {} ({} of {} names were found)",
                    names.len() + 1,
                    names.len(),
                    ncand
                ),
            },
        ));
    }
    let mut seen = HashSet::with_capacity(ncand);
    let mut candidates = Candidates::new();
    for ((at, name), gone) in names.into_iter().zip(withdrawn) {
        if !seen.insert(name.clone()) {
            return Err(at.error(file, ReadErrorKind::DuplicateName { found: quote(&name) }));
        }
        let mut c = Candidate::new(name);
        c.withdrawn = gone;
        // The header check keeps the count below the limit.
        candidates.push(c);
    }
    Ok(BallotFile { title, candidates, seats: Some(seats), ballots: builder.build(), format: Format::Blt, options })
}

/// An option line whose closing `]` is still to come.
struct OpenOption {
    name: &'static str,
    at: Pos,
    items: Vec<(Pos, String)>,
}

/// The option lines the reader knows, as droop names them.
const OPTIONS: [&str; 5] = ["nick", "tie", "withdrawn", "undeclared", "droop"];

/// Whether a ballot token is an overvote of unnamed candidates: `-=-` (or
/// `-=-=-`, …).
fn is_unnamed_overvote(token: &str) -> bool {
    token.len() >= 3 && token.split('=').all(|p| p == "-")
}

/// Why a nickname cannot be one, or `None` when it can: it must not read as
/// a candidate number, a skipped rank, an equal ranking, a ballot id, an
/// option, a quoted name or a comment.
fn bad_nickname(nick: &str) -> Option<&'static str> {
    if nick.is_empty() {
        Some("it is empty")
    } else if nick.bytes().all(|b| b.is_ascii_digit()) {
        Some("it reads as a candidate number")
    } else if nick.starts_with(['-', '(', '[', '"']) {
        Some("it starts with `-`, `(`, `[` or `\"`")
    } else if nick.contains(['=', ']', '#']) || nick.contains(char::is_whitespace) {
        Some("it holds `=`, `]`, `#` or a space")
    } else {
        None
    }
}

struct Reader<'a> {
    file: &'a str,
    /// Nicknames (`[nick]`) and the candidates they stand for.
    nicks: HashMap<String, CandidateId>,
}

impl Reader<'_> {
    /// The first line: the number of candidates and seats.
    fn header(&self, line: &Line<'_>) -> Result<(usize, u32), ReadError> {
        let start = line.content_start();
        let body = strip_comment(&line.text[start..]);
        let err = |o: usize, kind| line.error(self.file, start + o, kind);
        let mut toks = text::tokens(body);
        let (o, t) = toks.next().unwrap_or((0, ""));
        let ncand = match text::number(t) {
            Number::Whole(0) => {
                return Err(err(
                    o,
                    ReadErrorKind::BadHeader { expected: "at least one candidate".into(), found: quote(t) },
                ))
            }
            Number::Whole(n) if n as usize > MAX_CANDIDATES || n > u64::from(u32::MAX) => {
                return Err(err(
                    o,
                    ReadErrorKind::TooManyCandidates { found: n.min(usize::MAX as u64) as usize, max: MAX_CANDIDATES },
                ))
            }
            Number::Whole(n) => n as usize,
            _ => {
                return Err(err(
                    o,
                    ReadErrorKind::MalformedNumber {
                        expected: "the number of candidates (a whole number)".into(),
                        found: quote(t),
                    },
                ))
            }
        };
        let Some((o, t)) = toks.next() else {
            return Err(err(
                body.trim_end().len(),
                ReadErrorKind::BadHeader {
                    expected: "the number of seats after the number of candidates".into(),
                    found: "the end of the line".into(),
                },
            ));
        };
        let seats = match text::number(t) {
            Number::Whole(s) if s >= 1 && s <= u64::from(u32::MAX) => s as u32,
            _ => {
                return Err(err(
                    o,
                    ReadErrorKind::MalformedNumber {
                        expected: "the number of seats (a whole number of at least 1)".into(),
                        found: quote(t),
                    },
                ))
            }
        };
        if let Some((o, t)) = toks.next() {
            return Err(err(
                o,
                ReadErrorKind::BadHeader {
                    expected: "the end of the line after the number of seats".into(),
                    found: quote(t),
                },
            ));
        }
        Ok((ncand, seats))
    }

    /// A line of the ballot section: withdrawn candidates, a ballot, or the
    /// `0` that ends the ballots.
    fn ballot(
        &self,
        line: &Line<'_>,
        withdrawn: &mut [bool],
        any_ballot: &mut bool,
        builder: &mut RankedBallotsBuilder,
    ) -> Result<Ballot, ReadError> {
        let ncand = withdrawn.len();
        let start = line.content_start();
        let body = strip_comment(&line.text[start..]);
        let err = |o: usize, kind| line.error(self.file, start + o, kind);
        let trimmed = body.trim_start();
        let lead = body.len() - trimmed.len();
        if trimmed.starts_with('[') {
            return Err(err(
                lead,
                ReadErrorKind::Malformed {
                    expected: "a ballot weight (option lines `[…]` must come before the ballots)".into(),
                    found: quote(text::tokens(trimmed).next().map_or("", |t| t.1)),
                },
            ));
        }
        if trimmed.starts_with('-') && trimmed.len() > 1 && !trimmed[1..].starts_with(char::is_whitespace) {
            if *any_ballot {
                return Err(err(
                    lead,
                    ReadErrorKind::Malformed {
                        expected: "a ballot weight (withdrawn candidates must come before the ballots)".into(),
                        found: quote(text::tokens(trimmed).next().map_or("", |t| t.1)),
                    },
                ));
            }
            for (o, t) in text::tokens(body) {
                let id = self.candidate(line, start + o, t.strip_prefix('-').unwrap_or("?"), t, ncand)?;
                withdrawn[id.index()] = true;
            }
            return Ok(Ballot::Read);
        }
        // An optional ballot id in parentheses.
        let id_end = if trimmed.starts_with('(') {
            match trimmed.find(')') {
                Some(close) => lead + close + 1,
                None => {
                    return Err(err(
                        body.trim_end().len(),
                        ReadErrorKind::Malformed {
                            expected: "`)` closing the ballot id".into(),
                            found: "the end of the line".into(),
                        },
                    ))
                }
            }
        } else {
            0
        };
        let mut toks = text::tokens(&body[id_end..]).map(|(o, t)| (start + id_end + o, t));
        let (wo, wt) = toks.next().unwrap_or((start + body.trim_end().len(), ""));
        let weight = match text::number(wt) {
            Number::Whole(0) if id_end == 0 && toks.clone().next().is_none() => return Ok(Ballot::End),
            Number::Whole(0) => {
                return Err(line.error(
                    self.file,
                    wo,
                    ReadErrorKind::MalformedNumber {
                        expected: "a ballot weight of at least 1 (a line holding only `0` ends the ballots)".into(),
                        found: quote(wt),
                    },
                ))
            }
            Number::Whole(w) => w,
            Number::Fraction => {
                return Err(line.error(self.file, wo, ReadErrorKind::FractionalWeight { found: quote(wt) }))
            }
            Number::Bad => {
                return Err(line.error(
                    self.file,
                    wo,
                    ReadErrorKind::MalformedNumber {
                        expected: "a ballot weight (a whole number)".into(),
                        found: if wt.is_empty() { "the end of the line".into() } else { quote(wt) },
                    },
                ))
            }
        };
        *any_ballot = true;
        let mut closed = false;
        for (o, t) in toks {
            if closed {
                return Err(line.error(
                    self.file,
                    o,
                    ReadErrorKind::Malformed {
                        expected: "the end of the line after the ballot's closing `0`".into(),
                        found: quote(t),
                    },
                ));
            }
            if t == "-" {
                builder.push_skip();
                continue;
            }
            if is_unnamed_overvote(t) {
                builder.push_unnamed_overvote();
                continue;
            }
            if matches!(text::number(t), Number::Whole(0)) {
                closed = true;
                continue;
            }
            let mut at = o;
            for (i, part) in t.split('=').enumerate() {
                let id = self.candidate(line, at, part, t, ncand)?;
                if i == 0 {
                    builder.push(id);
                } else {
                    builder.push_tied(id);
                }
                at += part.len() + 1;
            }
        }
        if !closed {
            let end = start + body.trim_end().len();
            return Ok(Ballot::Unclosed(Pos::of(line, end), !line.text[end..].trim().is_empty()));
        }
        builder.finish(weight).map_err(|e| line.error(self.file, wo, ReadErrorKind::from_ballot(e)))?;
        Ok(Ballot::Read)
    }

    /// Reads a candidate id (`part` of the token `token`) at byte `at` of `line`.
    fn candidate(
        &self,
        line: &Line<'_>,
        at: usize,
        part: &str,
        token: &str,
        ncand: usize,
    ) -> Result<CandidateId, ReadError> {
        self.id_of(part, token, ncand).map_err(|kind| line.error(self.file, at, kind))
    }

    /// The candidate a number or nickname stands for (`part` of the token
    /// `token`).
    fn id_of(&self, part: &str, token: &str, ncand: usize) -> Result<CandidateId, ReadErrorKind> {
        match text::number(part) {
            Number::Whole(k) if k >= 1 && k as usize <= ncand => Ok(CandidateId((k - 1) as u16)),
            Number::Whole(_) => Err(ReadErrorKind::CandidateOutOfRange { found: quote(part), candidates: ncand }),
            _ => match self.nicks.get(part) {
                Some(&id) => Ok(id),
                None => Err(ReadErrorKind::MalformedNumber {
                    expected: if self.nicks.is_empty() {
                        "a candidate number, `-` for a skipped rank, `-=-` for an overvote, or `a=b` for an equal \
                         ranking"
                    } else {
                        "a candidate number or nickname, `-` for a skipped rank, `-=-` for an overvote, or `a=b` \
                         for an equal ranking"
                    }
                    .into(),
                    found: quote(if part.is_empty() { token } else { part }),
                }),
            },
        }
    }

    /// A line of option lines, or a line continuing one: `[name item …]`,
    /// where the closing `]` ends the last item or stands alone, on this
    /// line or a later one (as the droop program reads them).
    fn options(
        &mut self,
        line: &Line<'_>,
        open: &mut Option<OpenOption>,
        withdrawn: &mut [bool],
        options: &mut FileOptions,
    ) -> Result<(), ReadError> {
        let start = line.content_start();
        let body = strip_comment(&line.text[start..]);
        for (o, t) in text::tokens(body) {
            let at = Pos::of(line, start + o);
            let (item, closes) = match open {
                Some(_) => (t.trim_end_matches(']'), t.ends_with(']')),
                None => {
                    let Some(rest) = t.strip_prefix('[') else {
                        return Err(at.error(
                            self.file,
                            ReadErrorKind::Malformed {
                                expected: "another option `[…]` or the end of the line".into(),
                                found: quote(t),
                            },
                        ));
                    };
                    let name = rest.trim_end_matches(']');
                    let Some(&known) = OPTIONS.iter().find(|&&k| k == name) else {
                        return Err(
                            at.error(self.file, ReadErrorKind::UnknownOption { found: quote(&format!("[{name}]")) })
                        );
                    };
                    *open = Some(OpenOption { name: known, at, items: Vec::new() });
                    ("", rest.ends_with(']'))
                }
            };
            if let Some(o) = open.as_mut().filter(|_| !item.is_empty()) {
                o.items.push((at, item.to_owned()));
            }
            if closes {
                if let Some(o) = open.take() {
                    self.apply(o, withdrawn, options)?;
                }
            }
        }
        Ok(())
    }

    /// Applies a complete option line.
    fn apply(&mut self, o: OpenOption, withdrawn: &mut [bool], options: &mut FileOptions) -> Result<(), ReadError> {
        let n = withdrawn.len();
        let file = self.file;
        let bad = |at: Pos, expected: String, found: String| {
            at.error(file, ReadErrorKind::BadOption { option: o.name, expected, found })
        };
        let once = |set: bool| if set { Err(bad(o.at, "one such line".into(), "a second one".into())) } else { Ok(()) };
        let ids = |r: &Self| -> Result<Vec<(Pos, CandidateId)>, ReadError> {
            o.items.iter().map(|(at, t)| r.id_of(t, t, n).map(|id| (*at, id)).map_err(|k| at.error(file, k))).collect()
        };
        match o.name {
            "nick" => {
                once(!options.nicknames.is_empty())?;
                if o.items.len() != n {
                    return Err(bad(
                        o.at,
                        format!("one nickname for each of the {n} candidates"),
                        o.items.len().to_string(),
                    ));
                }
                for (i, (at, nick)) in o.items.iter().enumerate() {
                    if let Some(why) = bad_nickname(nick) {
                        return Err(bad(
                            *at,
                            "a nickname that reads as nothing else".into(),
                            format!("{} ({why})", quote(nick)),
                        ));
                    }
                    if self.nicks.insert(nick.clone(), CandidateId(i as u16)).is_some() {
                        return Err(bad(*at, "distinct nicknames".into(), format!("{} twice", quote(nick))));
                    }
                }
                options.nicknames = o.items.into_iter().map(|(_, t)| t).collect();
            }
            "tie" => {
                once(options.tie_order.is_some())?;
                let ids = ids(self)?;
                let mut listed = vec![false; n];
                for &(at, id) in &ids {
                    if std::mem::replace(&mut listed[id.index()], true) {
                        return Err(bad(at, "each candidate once".into(), format!("candidate {} twice", id.0 + 1)));
                    }
                }
                if ids.len() != n {
                    return Err(bad(
                        o.at,
                        format!("each of the {n} candidates once"),
                        format!("{} candidates", ids.len()),
                    ));
                }
                options.tie_order = Some(ids.into_iter().map(|(_, id)| id).collect());
            }
            "withdrawn" => {
                for (at, id) in ids(self)? {
                    if std::mem::replace(&mut withdrawn[id.index()], true) {
                        return Err(bad(
                            at,
                            "each withdrawn candidate once".into(),
                            format!("candidate {} twice", id.0 + 1),
                        ));
                    }
                }
            }
            "undeclared" => {
                for (at, id) in ids(self)? {
                    if options.undeclared.contains(&id) {
                        return Err(bad(
                            at,
                            "each undeclared candidate once".into(),
                            format!("candidate {} twice", id.0 + 1),
                        ));
                    }
                    options.undeclared.push(id);
                }
            }
            _ => options.droop.extend(o.items.into_iter().map(|(_, t)| t)),
        }
        Ok(())
    }

    /// The names on a line after the ballots: quoted strings, or the whole
    /// line when it does not open with a quote.
    fn name_items(&self, line: &Line<'_>) -> Result<Vec<(Pos, String)>, ReadError> {
        let text = line.text;
        let trimmed = text.trim();
        let lead = text.len() - text.trim_start().len();
        if !trimmed.starts_with('"') {
            return Ok(vec![(Pos::of(line, lead), trimmed.to_owned())]);
        }
        let bytes = text.as_bytes();
        let mut items = Vec::new();
        let mut i = lead;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' => i += 1,
                b'#' => break,
                b'"' => {
                    let start = i;
                    let mut name = String::new();
                    i += 1;
                    let mut run = i;
                    loop {
                        match bytes.get(i) {
                            None => {
                                return Err(line.error(
                                    self.file,
                                    start,
                                    ReadErrorKind::Malformed {
                                        expected: "`\"` closing the quoted name".into(),
                                        found: "the end of the line".into(),
                                    },
                                ))
                            }
                            Some(b'"') => break,
                            Some(b'\\') if matches!(bytes.get(i + 1), Some(b'"' | b'\\')) => {
                                name.push_str(&text[run..i]);
                                run = i + 1;
                                i += 2;
                            }
                            Some(_) => i += 1,
                        }
                    }
                    name.push_str(&text[run..i]);
                    i += 1;
                    items.push((Pos::of(line, start), name));
                }
                _ => {
                    return Err(line.error(
                        self.file,
                        i,
                        ReadErrorKind::Malformed {
                            expected: "another quoted name or the end of the line".into(),
                            found: text::found_at(text, i),
                        },
                    ))
                }
            }
        }
        Ok(items)
    }
}

/// What psephos makes of a file's `[droop …]` counting options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DroopCounting {
    /// The rule to count under, when the options name a droop rule that a
    /// psephos rule counts the same way (`meek` → `meek`, `scotland` →
    /// `stv`), with the options psephos honours applied.
    pub rule: Option<psephos::Rule>,
    /// The options honoured, as written.
    pub honoured: Vec<String>,
    /// Each option psephos cannot honour, as written, and why.
    pub not_honoured: Vec<(String, String)>,
}

/// The rules of the droop program (its `rule=` values, which may also be
/// given bare).
const DROOP_RULES: [&str; 10] =
    ["meek", "meek-prf", "mpls", "qpq", "scotland", "warren", "wigm", "wigm-prf", "wigm-prf-batch", "cfer"];
/// The arithmetic classes of the droop program.
const DROOP_ARITHMETIC: [&str; 4] = ["fixed", "integer", "rational", "guarded"];

/// Reads `[droop …]` options (as in [`FileOptions::droop`]) the way the
/// droop program reads its command line, `key=value` or a bare rule or
/// arithmetic name, and says which psephos can honour:
///
/// - `rule=meek` counts under `meek`, and `rule=scotland` under `stv` (the
///   Scottish STV order both follow); no other droop rule has a psephos
///   equivalent;
/// - `arithmetic=fixed` is how psephos always counts; `integer`, `rational`
///   and `guarded` are not honoured;
/// - with `meek`, `precision=N` sets the decimal places (at most 9) and
///   `omega=N` the tolerance 10^-N (droop's Scottish rule fixes both itself);
/// - anything else is not honoured.
///
/// ```
/// use psephos_io::blt::droop_counting;
/// let d = droop_counting(&["rule=meek".into(), "precision=6".into(), "arithmetic=guarded".into()]);
/// assert_eq!(d.rule.unwrap().to_string(), "meek:decimals=6");
/// assert_eq!(d.honoured, ["rule=meek", "precision=6"]);
/// assert_eq!(d.not_honoured[0].0, "arithmetic=guarded");
/// ```
pub fn droop_counting(options: &[String]) -> DroopCounting {
    let split = |o: &str| -> (String, String) {
        match o.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None if DROOP_RULES.contains(&o) => ("rule".into(), o.to_owned()),
            None if DROOP_ARITHMETIC.contains(&o) => ("arithmetic".into(), o.to_owned()),
            None => (o.to_owned(), String::new()),
        }
    };
    // The last rule named counts, as in droop's option dictionary.
    let rule = options.iter().rev().map(|o| split(o)).find(|(k, _)| k == "rule").map(|(_, v)| v);
    let mut out = DroopCounting::default();
    let mut spec = match rule.as_deref() {
        Some("meek") => Some("meek".to_owned()),
        Some("scotland") => Some("stv".to_owned()),
        _ => None,
    };
    let meek = spec.as_deref() == Some("meek");
    let mut decimals: u32 = 9;
    let mut omega: Option<(String, u32)> = None;
    for o in options {
        let (key, value) = split(o);
        let verdict: Result<(), String> = match key.as_str() {
            "rule" if Some(&value) != rule.as_ref() => {
                Err(format!("a later option names rule `{}`", rule.as_deref().unwrap_or("")))
            }
            "rule" if spec.is_some() => Ok(()),
            "rule" if DROOP_RULES.contains(&value.as_str()) => {
                Err(format!("psephos has no rule that counts as droop's `{value}` does"))
            }
            "rule" => Err(format!("droop has no rule `{value}`")),
            "arithmetic" if value == "fixed" => Ok(()),
            "arithmetic" => Err("psephos counts in fixed-point decimals".into()),
            "precision" if meek => match value.parse::<u32>() {
                Ok(d) if (1..=9).contains(&d) => {
                    decimals = d;
                    Ok(())
                }
                _ => Err("psephos counts with 1 to 9 decimal places".into()),
            },
            "omega" if meek => match value.parse::<u32>() {
                Ok(w) => {
                    omega = Some((o.clone(), w));
                    continue;
                }
                Err(_) => Err("it is not a whole number".into()),
            },
            "precision" | "omega" if spec.is_some() => Err("droop's Scottish rule sets its own arithmetic".into()),
            "precision" | "omega" => Err("no rule psephos counts under takes it".into()),
            _ => Err("psephos has no equivalent".into()),
        };
        match verdict {
            Ok(()) => out.honoured.push(o.clone()),
            Err(why) => out.not_honoured.push((o.clone(), why)),
        }
    }
    if let Some(s) = spec.as_mut().filter(|_| meek) {
        if decimals != 9 {
            s.push_str(&format!(":decimals={decimals}"));
        }
        if let Some((o, w)) = omega {
            if w <= decimals {
                s.push_str(&format!(
                    ":tolerance={}",
                    if w == 0 { "1".to_owned() } else { format!("0.{}1", "0".repeat(w as usize - 1)) }
                ));
                out.honoured.push(o);
            } else {
                out.not_honoured.push((o, format!("a tolerance finer than the {decimals} decimal places counted")));
            }
        }
    }
    out.rule = spec.and_then(|s| s.parse().ok());
    out
}

/// Writes `file` as BLT. Seats default to 1 when the file has none; the title
/// is written when there is one, and the [`FileOptions`] as option lines
/// (`[nick]`, `[tie]`, `[undeclared]`, `[droop]`) and as the source, comment
/// and free text after the title. Ballots name candidates by number. Wrap
/// `out` in a `BufWriter` for speed.
///
/// Fails when a weight is 0, a name holds a line break, or an option cannot
/// be read back as written (a nickname that reads as something else, say),
/// which BLT cannot express.
pub fn write_blt<W: Write>(out: &mut W, file: &BallotFile) -> Result<(), WriteError> {
    let unrepresentable = |ballot, reason: String| WriteError::Unrepresentable { ballot, format: "BLT", reason };
    let n = file.candidates.len();
    writeln!(out, "{} {}", n, file.seats.unwrap_or(1))?;
    write_options(out, file).map_err(|e| match e {
        OptionError::Io(e) => WriteError::Io(e),
        OptionError::Bad(reason) => unrepresentable(0, reason),
    })?;
    let withdrawn: Vec<String> =
        file.candidates.iter().filter(|(_, c)| c.withdrawn).map(|(id, _)| format!("-{}", id.0 + 1)).collect();
    if !withdrawn.is_empty() {
        writeln!(out, "{}", withdrawn.join(" "))?;
    }
    let mut line = String::new();
    for (i, ballot) in file.ballots.iter().enumerate() {
        if ballot.weight == 0 {
            return Err(unrepresentable(i, "its weight is 0".into()));
        }
        line.clear();
        line.push_str(&ballot.weight.to_string());
        for level in ballot.levels() {
            line.push(' ');
            if level.is_skipped() {
                line.push('-');
            } else if level.is_unnamed_overvote() {
                line.push_str("-=-");
            }
            for (k, id) in level.candidates().enumerate() {
                if k > 0 {
                    line.push('=');
                }
                line.push_str(&(id.0 + 1).to_string());
            }
        }
        line.push_str(" 0\n");
        out.write_all(line.as_bytes())?;
    }
    writeln!(out, "0")?;
    let names = file.candidates.iter().map(|(_, c)| c.name.as_str());
    let o = &file.options;
    let after = [o.source.as_deref(), o.comment.as_deref()].into_iter().flatten();
    if file.title.is_none() && (o.source.is_some() || o.comment.is_some() || !o.notes.is_empty()) {
        return Err(unrepresentable(0, "a source, comment or free text needs a title before it".into()));
    }
    if o.comment.is_some() && o.source.is_none() {
        return Err(unrepresentable(0, "a comment needs a source before it".into()));
    }
    for name in names.chain(file.title.as_deref()).chain(after) {
        if name.contains(['\n', '\r']) {
            return Err(unrepresentable(0, format!("the name or title {} holds a line break", quote(name))));
        }
        writeln!(out, "\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))?;
    }
    for (k, note) in o.notes.iter().enumerate() {
        // Each note is a line that reads back as free text.
        let starts_quoted = k == 0 && note.starts_with('"') && o.comment.is_none();
        if note.trim() != note
            || note.is_empty()
            || note.starts_with('#')
            || note.contains(['\n', '\r'])
            || starts_quoted
        {
            return Err(unrepresentable(
                0,
                format!("the free text line {} would not read back as written", quote(note)),
            ));
        }
        writeln!(out, "{note}")?;
    }
    Ok(())
}

/// Why the option lines could not be written.
enum OptionError {
    Io(std::io::Error),
    Bad(String),
}

impl From<std::io::Error> for OptionError {
    fn from(e: std::io::Error) -> Self {
        OptionError::Io(e)
    }
}

/// Writes the option lines of `file.options` (candidates by number).
fn write_options<W: Write>(out: &mut W, file: &BallotFile) -> Result<(), OptionError> {
    let o = &file.options;
    let n = file.candidates.len();
    let ids = |v: &[CandidateId]| -> Result<String, OptionError> {
        let mut s = String::new();
        for id in v {
            if id.index() >= n {
                return Err(OptionError::Bad(format!("an option names candidate {}, of {n}", id.0 + 1)));
            }
            s.push(' ');
            s.push_str(&(id.0 + 1).to_string());
        }
        Ok(s)
    };
    if !o.nicknames.is_empty() {
        let mut seen = HashSet::new();
        if o.nicknames.len() != n {
            return Err(OptionError::Bad(format!("{} nicknames for {n} candidates", o.nicknames.len())));
        }
        for nick in &o.nicknames {
            if let Some(why) = bad_nickname(nick).or(if seen.insert(nick) { None } else { Some("it is repeated") }) {
                return Err(OptionError::Bad(format!("the nickname {} cannot be read back: {why}", quote(nick))));
            }
        }
        writeln!(out, "[nick {}]", o.nicknames.join(" "))?;
    }
    if let Some(order) = &o.tie_order {
        let mut listed = vec![false; n];
        if order.len() != n || order.iter().any(|c| c.index() >= n || std::mem::replace(&mut listed[c.index()], true)) {
            return Err(OptionError::Bad("the tie-break order does not list every candidate once".into()));
        }
        writeln!(out, "[tie{}]", ids(order)?)?;
    }
    if !o.undeclared.is_empty() {
        let mut seen = HashSet::new();
        if !o.undeclared.iter().all(|c| seen.insert(*c)) {
            return Err(OptionError::Bad("an undeclared candidate is listed twice".into()));
        }
        writeln!(out, "[undeclared{}]", ids(&o.undeclared)?)?;
    }
    if !o.droop.is_empty() {
        for opt in &o.droop {
            if opt.is_empty()
                || opt.ends_with(']')
                || opt.contains(['#', '\n', '\r'])
                || opt.contains(|c: char| c.is_ascii_whitespace())
            {
                return Err(OptionError::Bad(format!("the droop option {} cannot be read back", quote(opt))));
            }
        }
        writeln!(out, "[droop {}]", o.droop.join(" "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use psephos::RankedBallots;

    fn ok(src: &str) -> BallotFile {
        read("t.blt", src.as_bytes()).unwrap()
    }

    /// The error's line, column and message.
    fn bad(src: &str) -> (usize, usize, String) {
        let e = read("t.blt", src.as_bytes()).unwrap_err();
        assert_eq!(e.file, "t.blt");
        (e.line.unwrap_or(0), e.column.unwrap_or(0), e.kind.to_string())
    }

    fn levels(b: &RankedBallots, i: usize) -> Vec<Vec<u16>> {
        b.get(i).levels().map(|l| l.candidates().map(|c| c.0).collect()).collect()
    }

    #[test]
    fn reads_weights_withdrawn_ties_skips_ids_and_quotes() {
        let f =
            ok("# made by hand\n\n4 2\n-2 -4\n(a1) 5 1 3 0 # five of these\n( b 2 ) 1 3=1 - 2 0\n1 0\n  2 1 3 0\n0\n\
             \"A \\\"Ace\\\" One\"\n\"B\\\\C\" \"C\"\nD Dee\n\"Title\" # done\n\n# end\n");
        assert_eq!(f.seats, Some(2));
        assert_eq!(f.title.as_deref(), Some("Title"));
        let names: Vec<_> = f.candidates.iter().map(|(_, c)| (c.name.clone(), c.withdrawn)).collect();
        assert_eq!(
            names,
            [("A \"Ace\" One".into(), false), ("B\\C".into(), true), ("C".into(), false), ("D Dee".into(), true)]
        );
        let b = &f.ballots;
        assert_eq!(b.total_weight(), 9);
        assert_eq!(b.unique_len(), 3);
        assert_eq!(b.weights(), &[7, 1, 1]);
        assert_eq!(levels(b, 0), [vec![0], vec![2]]);
        assert_eq!(levels(b, 1), [vec![2, 0], vec![], vec![1]]);
        assert!(b.get(2).is_blank());
        assert_eq!(b.get(2).ending, psephos::InactiveReason::Blank);
    }

    #[test]
    fn title_is_optional_and_crlf_is_fine() {
        let f = ok("2 1\r\n1 1 2 0\r\n0\r\n\"A\"\r\n\"B\"\r\n");
        assert_eq!(f.title, None);
        assert_eq!(f.ballots.total_weight(), 1);
        let f = ok("\u{FEFF}2 1\n0\n\"A\" \"B\" \"T\"\n");
        assert_eq!(f.title.as_deref(), Some("T"));
        assert!(f.ballots.is_empty());
    }

    #[test]
    fn header_errors() {
        assert_eq!(
            read("t.blt", b"# nothing\n\n").unwrap_err().to_string(),
            "t.blt: the file is empty: expected a first line with the number of candidates and seats"
        );
        assert_eq!(
            bad("x 1\n"),
            (1, 1, "malformed number: expected the number of candidates (a whole number), found `x`".into())
        );
        assert_eq!(bad("0 1\n"), (1, 1, "bad header: expected at least one candidate, found `0`".into()));
        assert_eq!(
            bad("3\n"),
            (
                1,
                2,
                "bad header: expected the number of seats after the number of candidates, found the end of the line"
                    .into()
            )
        );
        assert_eq!(
            bad("3 0\n").2,
            "malformed number: expected the number of seats (a whole number of at least 1), found `0`"
        );
        assert_eq!(
            bad("3 1 7\n"),
            (1, 5, "bad header: expected the end of the line after the number of seats, found `7`".into())
        );
        assert_eq!(bad("40000 1\n"), (1, 1, "too many candidates: expected at most 32767, found 40000".into()));
    }

    #[test]
    fn ballot_errors() {
        assert_eq!(
            bad("3 1\n1 1 4 0\n"),
            (2, 5, "unknown candidate: expected a candidate number from 1 to 3, found `4`".into())
        );
        assert_eq!(bad("3 1\n1 1=0 0\n").1, 5);
        assert_eq!(
            bad("3 1\n1.5 1 0\n"),
            (2, 1, "fractional weight: expected a whole number of ballots, found `1.5`".into())
        );
        assert_eq!(bad("3 1\n0 1 0\n").0, 2);
        assert!(bad("3 1\n0 1 0\n").2.contains("weight of at least 1"));
        assert_eq!(
            bad("3 1\nx 1 0\n"),
            (2, 1, "malformed number: expected a ballot weight (a whole number), found `x`".into())
        );
        assert_eq!(
            bad("3 1\n1 a 0\n"),
            (
                2,
                3,
                "malformed number: expected a candidate number, `-` for a skipped rank, `-=-` for an overvote, or \
                 `a=b` for an equal ranking, found `a`"
                    .into()
            )
        );
        assert_eq!(bad("3 1\n1 1= 0\n").2.split(", found ").nth(1), Some("`1=`"));
        assert_eq!(
            bad("3 1\n1 1 2\n1 2 0\n"),
            (2, 6, "expected `0` closing the ballot, found the end of the line".into())
        );
        assert_eq!(
            bad("3 1\n1 1 0 2\n"),
            (2, 7, "expected the end of the line after the ballot's closing `0`, found `2`".into())
        );
        assert_eq!(bad("3 1\n1 1 0\n-2\n").2.split(" (").next(), Some("expected a ballot weight"));
        assert_eq!(
            bad("3 1\n-2 -7\n"),
            (2, 4, "unknown candidate: expected a candidate number from 1 to 3, found `7`".into())
        );
        assert_eq!(bad("3 1\n(x 1 1 0\n").2, "expected `)` closing the ballot id, found the end of the line");
        assert_eq!(
            bad("2 1\n18446744073709551615 1 0\n1 2 0\n0\n\"A\"\n\"B\"\n"),
            (3, 1, "weight overflow: the ballot weights add up to more than 2^64 - 1".into())
        );
    }

    #[test]
    fn truncation_and_trailing_errors() {
        assert_eq!(
            bad("3 1\n1 1 2 0\n"),
            (
                3,
                1,
                "truncated file: the file ends where more ballots or the line `0` that ends them was expected".into()
            )
        );
        assert_eq!(bad("3 1\n1 1 2").2, "truncated file: the file ends where `0` closing the last ballot was expected");
        assert_eq!(
            bad("3 1\n0\n\"A\"\n\"B\"\n"),
            (
                5,
                1,
                "truncated file: the file ends where the name of candidate 3 (2 of 3 names were found) was expected"
                    .into()
            )
        );
        assert_eq!(
            bad("2 1\n0\n\"A\"\n\"B\"\n\"T\" \"source\" \"comment\" \"extra\"\n"),
            (5, 24, "trailing data: expected the end of the file, found `extra`".into())
        );
        assert_eq!(
            bad("2 1\n0\n\"A\n"),
            (3, 1, "expected `\"` closing the quoted name, found the end of the line".into())
        );
        assert_eq!(
            bad("2 1\n0\n\"A\" B\n"),
            (3, 5, "expected another quoted name or the end of the line, found `B`".into())
        );
        assert_eq!(
            bad("2 1\n0\n\"A\"\n\"A\"\n"),
            (4, 1, "duplicate candidate name: expected distinct names, found `A` twice".into())
        );
    }

    #[test]
    fn unnamed_overvotes_read_and_write_back() {
        let src = "3 1\n1 1 -=- 2 0\n2 -=- -=- 0\n1 -=-=- 0\n0\n\"A\"\n\"B\"\n\"C\"\n";
        let f = ok(src);
        let b = f.ballots.get(0);
        let l: Vec<_> = b.levels().collect();
        assert_eq!(l.len(), 3);
        assert!(l[1].is_unnamed_overvote() && l[1].is_empty() && !l[1].is_skipped());
        assert!(!f.ballots.get(1).is_blank());
        assert_eq!(f.ballots.get(1).num_levels(), 2);
        let mut out = Vec::new();
        write_blt(&mut out, &f).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("1 1 -=- 2 0\n2 -=- -=- 0\n1 -=- 0\n"), "{text}");
        assert_eq!(ok(&text), f);
        // `-=` and `=-` are not overvotes: an equal ranking needs candidates.
        assert_eq!(bad("3 1\n1 -= 0\n").2.split(", found ").nth(1), Some("`-`"));
    }

    #[test]
    fn option_lines_as_droop_writes_them() {
        let src = "4 2\n[nick ann bo cy dee]\n[tie dee 1 cy 2]\n[withdrawn bo]\n[undeclared 4]\n\
                   [droop rule=meek\n  precision=8 ]\n3 ann cy=dee 0\n1 dee - bo 0\n0\n\"Ann\"\n\"Bo\"\n\"Cy\"\n\"Dee\"\n\
                   \"Title\"\n";
        let f = ok(src);
        let o = &f.options;
        assert_eq!(o.nicknames, ["ann", "bo", "cy", "dee"]);
        assert_eq!(o.tie_order, Some(vec![CandidateId(3), CandidateId(0), CandidateId(2), CandidateId(1)]));
        assert!(f.candidates.get(CandidateId(1)).withdrawn);
        assert_eq!(o.undeclared, [CandidateId(3)]);
        assert_eq!(o.droop, ["rule=meek", "precision=8"]);
        assert_eq!(levels(&f.ballots, 0), [vec![0], vec![2, 3]]);
        assert_eq!(levels(&f.ballots, 1), [vec![3], vec![], vec![1]]);
        // Written back with candidate numbers, read back the same.
        let mut out = Vec::new();
        write_blt(&mut out, &f).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("4 2\n[nick ann bo cy dee]\n[tie 4 1 3 2]\n[undeclared 4]\n[droop rule=meek precision=8]\n-2\n3 1 3=4 0\n"), "{text}");
        assert_eq!(ok(&text), f);
        // Several options on a line, `]` alone, and empty lists.
        let f = ok("2 1\n[withdrawn] [undeclared 2 ] [droop]\n-1\n1 2 0\n0\nA\nB\n");
        assert_eq!(f.options.undeclared, [CandidateId(1)]);
        assert!(f.candidates.get(CandidateId(0)).withdrawn);
    }

    /// Found by the `blt` fuzz target: items are split at ASCII white space
    /// only, so a droop option may hold other white space (a no-break space
    /// here), and the writer must write it back rather than refuse it.
    #[test]
    fn a_droop_option_holding_a_no_break_space_is_written_back() {
        let f = ok("2 1\n[droop \u{a0} rule=\u{a0}meek]\n1 1 0\n0\n\"A\"\n\"B\"\n");
        assert_eq!(f.options.droop, ["\u{a0}", "rule=\u{a0}meek"]);
        let mut out = Vec::new();
        write_blt(&mut out, &f).unwrap();
        assert_eq!(ok(std::str::from_utf8(&out).unwrap()), f);
        // ASCII white space cannot be written inside an option.
        let mut g = f.clone();
        g.options.droop = vec!["rule meek".into()];
        assert!(write_blt(&mut Vec::new(), &g).is_err());
    }

    #[test]
    fn option_errors_name_the_option_and_where_it_is() {
        let e = read("w.blt", b"2 1\n[droop meek]\n[order 2 1]\n1 1 0\n0\n\"A\"\n\"B\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "w.blt:3:1: unknown option `[order]`: expected one of [nick …], [tie …], [withdrawn …], [undeclared …], \
             [droop …]"
        );
        assert_eq!(bad("2 1\n [frobnicate]\n").2.split(':').next(), Some("unknown option `[frobnicate]`"));
        assert_eq!(
            bad("3 1\n[nick a b]\n"),
            (2, 1, "bad option [nick]: expected one nickname for each of the 3 candidates, found 2".into())
        );
        assert_eq!(
            bad("2 1\n[nick a a]\n"),
            (2, 9, "bad option [nick]: expected distinct nicknames, found `a` twice".into())
        );
        assert_eq!(
            bad("2 1\n[nick a 7]\n").2,
            "bad option [nick]: expected a nickname that reads as nothing else, found `7` (it reads as a candidate \
             number)"
        );
        assert_eq!(bad("2 1\n[nick a b=c]\n").1, 9);
        assert_eq!(
            bad("3 1\n[tie 1 2]\n"),
            (2, 1, "bad option [tie]: expected each of the 3 candidates once, found 2 candidates".into())
        );
        assert_eq!(
            bad("2 1\n[tie 1 1]\n"),
            (2, 8, "bad option [tie]: expected each candidate once, found candidate 1 twice".into())
        );
        assert_eq!(bad("2 1\n[tie 1 x]\n").2.split(", found ").nth(1), Some("`x`"));
        assert_eq!(
            bad("2 1\n[tie 1 3]\n"),
            (2, 8, "unknown candidate: expected a candidate number from 1 to 2, found `3`".into())
        );
        assert_eq!(
            bad("2 1\n[withdrawn 1 1]\n").2,
            "bad option [withdrawn]: expected each withdrawn candidate once, found candidate 1 twice"
        );
        assert_eq!(bad("2 1\n[undeclared 2\n2]\n").0, 3);
        assert_eq!(
            bad("2 1\n[tie 1 2]\n[tie 2 1]\n").2,
            "bad option [tie]: expected one such line, found a second one"
        );
        // A nickname is known only after its [nick] line.
        assert!(bad("2 1\n[tie a b]\n[nick a b]\n").2.contains("found `a`"));
        assert_eq!(
            bad("2 1\n[droop rule=meek\n1 1 0\n0\n"),
            (
                5,
                1,
                "bad option [droop]: expected `]` closing the option opened on line 2, found the end of the file"
                    .into()
            )
        );
        assert_eq!(bad("2 1\n[tie 1 2] 7\n").2, "expected another option `[…]` or the end of the line, found `7`");
        assert_eq!(
            bad("2 1\n1 1 0\n[tie 1 2]\n"),
            (3, 1, "expected a ballot weight (option lines `[…]` must come before the ballots), found `[tie`".into())
        );
    }

    #[test]
    fn droop_options_map_to_rules_where_psephos_has_one() {
        let opts = |v: &[&str]| droop_counting(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let d = opts(&["meek", "fixed", "precision=7", "omega=5", "defeat_batch=safe"]);
        assert_eq!(d.rule.unwrap().to_string(), "meek:decimals=7:tolerance=0.00001");
        assert_eq!(d.honoured, ["meek", "fixed", "precision=7", "omega=5"]);
        assert_eq!(d.not_honoured, [("defeat_batch=safe".to_owned(), "psephos has no equivalent".to_owned())]);
        let d = opts(&["rule=scotland", "precision=8"]);
        assert_eq!(d.rule.unwrap().to_string(), "stv");
        assert_eq!(d.not_honoured[0].1, "droop's Scottish rule sets its own arithmetic");
        let d = opts(&["rule=mpls"]);
        assert_eq!(d.rule, None);
        assert_eq!(d.not_honoured[0].1, "psephos has no rule that counts as droop's `mpls` does");
        let d = opts(&["rule=wigm", "rule=meek", "omega=12"]);
        assert_eq!(d.rule.unwrap().to_string(), "meek");
        assert_eq!(d.not_honoured[0].0, "rule=wigm");
        assert_eq!(d.not_honoured[1].1, "a tolerance finer than the 9 decimal places counted");
        assert_eq!(opts(&[]), DroopCounting::default());
    }

    #[test]
    fn text_after_the_title() {
        let f = ok("2 1\n0\n\"A\"\n\"B\"\n\"Title\" \"Source\"\n\"Comment\"\nCounted by hand, # not a comment here\n\n# a comment\n\"quoted\" text\n");
        assert_eq!(f.title.as_deref(), Some("Title"));
        assert_eq!(f.options.source.as_deref(), Some("Source"));
        assert_eq!(f.options.comment.as_deref(), Some("Comment"));
        assert_eq!(f.options.notes, ["Counted by hand, # not a comment here", "\"quoted\" text"]);
        let mut out = Vec::new();
        write_blt(&mut out, &f).unwrap();
        assert_eq!(ok(std::str::from_utf8(&out).unwrap()), f);
        // Unquoted text straight after the title is free text.
        let f = ok("2 1\n0\n\"A\"\n\"B\"\n\"T\"\nwritten by OpenSTV\n");
        assert_eq!((f.options.source.as_deref(), &f.options.notes[..]), (None, &["written by OpenSTV".to_owned()][..]));
    }

    #[test]
    fn binary_and_bad_utf8() {
        assert_eq!(bad("2 1\n1 1\0 0\n"), (2, 4, "binary data: control byte 0x00 where text was expected".into()));
        let e = read("t.blt", b"2 1\n0\n\"\xFF\"\n\"B\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(2)));
        assert_eq!(e.kind, ReadErrorKind::InvalidUtf8 { byte: 0xFF });
    }

    #[test]
    fn writer_refuses_what_blt_cannot_say() {
        let base = ok("2 1\n0\n\"A\"\n\"B\"\n\"T\"\n");
        let refused = |f: &BallotFile| matches!(write_blt(&mut Vec::new(), f), Err(WriteError::Unrepresentable { .. }));
        let mut f = base.clone();
        f.candidates.get_mut(CandidateId(0)).name = "A\nB".into();
        assert!(refused(&f));
        for nicks in [vec!["a"], vec!["a", "a"], vec!["a", "1"], vec!["a", "b c"]] {
            let mut f = base.clone();
            f.options.nicknames = nicks.into_iter().map(String::from).collect();
            assert!(refused(&f));
        }
        let mut f = base.clone();
        f.options.tie_order = Some(vec![CandidateId(0), CandidateId(0)]);
        assert!(refused(&f));
        let mut f = base.clone();
        f.options.droop = vec!["rule=meek]".into()];
        assert!(refused(&f));
        let mut f = base.clone();
        f.options.notes = vec!["\"looks like a source\"".into()];
        assert!(refused(&f));
        let mut f = base.clone();
        f.options.comment = Some("a comment without a source".into());
        assert!(refused(&f));
        let mut f = base;
        f.title = None;
        f.options.source = Some("a source without a title".into());
        assert!(refused(&f));
    }
}
