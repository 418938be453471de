//! BLT ballot files, as written by OpenSTV and the Electoral Reform Society's
//! counting programs, read and written.
//!
//! A BLT file is a line-oriented text file:
//!
//! ```text
//! # comments start with `#` and are ignored
//! 4 2               number of candidates, number of seats
//! -4                optional: withdrawn candidates, as negative ids
//! 3 1 2 0           a ballot: weight, candidate ids best first, closing 0
//! (b17) 1 2 0       a ballot may open with an id in parentheses
//! 1 3=4 - 1 0       `3=4` ranks 3 and 4 equal; `-` leaves a rank empty
//! 1 0               a blank ballot
//! 0                 end of ballots
//! "Ada"             the candidates' names, in id order
//! "Bo"
//! "Cy \"the Elder\""
//! "Dee"
//! "Committee 2024"  the election's title
//! ```
//!
//! Candidate ids are 1-based. The equal-ranking (`=`) and skipped-rank (`-`)
//! marks are extensions found in published US ballot data; OpenSTV's own files
//! use neither. Weights are whole numbers of at least 1: a fractional weight
//! is an error, not rounded. Names and title are in double quotes, where `\"`
//! stands for a quote and `\\` for a backslash; a name line without quotes is
//! taken whole, trimmed. The title may be missing; anything after it other
//! than comments is an error. The format is described in the OpenSTV
//! documentation and in Hill, Wichmann and Woodall, "Algorithm 123: Single
//! Transferable Vote by Meek's Method", *Computer Journal* 30 (1987).
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

use std::collections::HashSet;
use std::io::{BufRead, Write};

use psephos::{Candidate, CandidateId, Candidates, RankedBallotsBuilder, MAX_CANDIDATES};

use crate::error::{ReadError, ReadErrorKind, WriteError};
use crate::text::{self, quote, Line, Lines, Number, Pos, ReaderLines, SliceLines};
use crate::{BallotFile, Format};

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
    let r = Reader { file };
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
    let (ncand, seats) = r.header(&lines.line())?;

    // Ballots, with withdrawn candidates first.
    let mut withdrawn = vec![false; ncand];
    let size = size.map_or(0, |s| usize::try_from(s).unwrap_or(usize::MAX));
    let mut builder = RankedBallotsBuilder::with_capacity(ncand, size / 16, size / 4);
    let mut any_ballot = false;
    loop {
        if !next_content(lines)? {
            return Err(at_end(
                lines,
                ReadErrorKind::Truncated { expected: "more ballots or the line `0` that ends them".into() },
            ));
        }
        match r.ballot(&lines.line(), &mut withdrawn, &mut any_ballot, &mut builder)? {
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

    // Names, then the title.
    let mut names: Vec<(Pos, String)> = Vec::with_capacity(ncand);
    let mut title = None;
    while next_content(lines)? {
        for (at, item) in r.name_items(&lines.line())? {
            if names.len() < ncand {
                names.push((at, item));
            } else if title.is_none() {
                title = Some(item);
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
    Ok(BallotFile { title, candidates, seats: Some(seats), ballots: builder.build(), format: Format::Blt })
}

struct Reader<'a> {
    file: &'a str,
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
        match text::number(part) {
            Number::Whole(k) if k >= 1 && k as usize <= ncand => Ok(CandidateId((k - 1) as u16)),
            Number::Whole(_) => Err(line.error(
                self.file,
                at,
                ReadErrorKind::CandidateOutOfRange { found: quote(part), candidates: ncand },
            )),
            _ => Err(line.error(
                self.file,
                at,
                ReadErrorKind::MalformedNumber {
                    expected: "a candidate number, `-` for a skipped rank, or `a=b` for an equal ranking".into(),
                    found: quote(if part.is_empty() { token } else { part }),
                },
            )),
        }
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

/// Writes `file` as BLT. Seats default to 1 when the file has none; the title
/// is written when there is one. Wrap `out` in a `BufWriter` for speed.
///
/// Fails when a weight is 0 or a name holds a line break, which BLT cannot
/// express.
pub fn write_blt<W: Write>(out: &mut W, file: &BallotFile) -> Result<(), WriteError> {
    let unrepresentable =
        |ballot, reason: &str| WriteError::Unrepresentable { ballot, format: "BLT", reason: reason.to_owned() };
    writeln!(out, "{} {}", file.candidates.len(), file.seats.unwrap_or(1))?;
    let withdrawn: Vec<String> =
        file.candidates.iter().filter(|(_, c)| c.withdrawn).map(|(id, _)| format!("-{}", id.0 + 1)).collect();
    if !withdrawn.is_empty() {
        writeln!(out, "{}", withdrawn.join(" "))?;
    }
    let mut line = String::new();
    for (i, ballot) in file.ballots.iter().enumerate() {
        if ballot.weight == 0 {
            return Err(unrepresentable(i, "its weight is 0"));
        }
        line.clear();
        line.push_str(&ballot.weight.to_string());
        for level in ballot.levels() {
            line.push(' ');
            if level.is_skipped() {
                line.push('-');
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
    for name in names.chain(file.title.as_deref()) {
        if name.contains(['\n', '\r']) {
            return Err(WriteError::Unrepresentable {
                ballot: 0,
                format: "BLT",
                reason: format!("the name or title {} holds a line break", quote(name)),
            });
        }
        writeln!(out, "\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))?;
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
                "malformed number: expected a candidate number, `-` for a skipped rank, or `a=b` for an equal \
                 ranking, found `a`"
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
            bad("2 1\n0\n\"A\"\n\"B\"\n\"T\"\n\"extra\"\n"),
            (6, 1, "trailing data: expected the end of the file, found `extra`".into())
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
    fn binary_and_bad_utf8() {
        assert_eq!(bad("2 1\n1 1\0 0\n"), (2, 4, "binary data: control byte 0x00 where text was expected".into()));
        let e = read("t.blt", b"2 1\n0\n\"\xFF\"\n\"B\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(2)));
        assert_eq!(e.kind, ReadErrorKind::InvalidUtf8 { byte: 0xFF });
    }

    #[test]
    fn writer_refuses_what_blt_cannot_say() {
        let mut f = ok("2 1\n0\n\"A\"\n\"B\"\n");
        f.candidates.get_mut(CandidateId(0)).name = "A\nB".into();
        assert!(matches!(write_blt(&mut Vec::new(), &f), Err(WriteError::Unrepresentable { .. })));
    }
}
