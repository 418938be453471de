//! Byte-level helpers shared by the readers: text validation, positions,
//! quoting of what was found.

use crate::error::{ReadError, ReadErrorKind};

/// The length of a UTF-8 byte-order mark at the start of `bytes` (0 or 3).
pub(crate) fn bom_len(bytes: &[u8]) -> usize {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    }
}

/// Whether a byte is a control byte that no text file holds (tab, line feed,
/// carriage return and form feed are allowed).
#[inline]
fn is_binary(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F
}

/// The first control byte or lone carriage return in `bytes` (lines end in
/// LF or CR LF): where it is, and the error.
fn first_non_text(bytes: &[u8]) -> Option<(usize, ReadErrorKind)> {
    // Scan in blocks without an early exit so the loop vectorises; only a
    // block that holds a suspect byte is searched byte by byte.
    for (n, block) in bytes.chunks(64).enumerate() {
        if !block.iter().fold(false, |acc, &b| acc | is_binary(b) | (b == b'\r')) {
            continue;
        }
        for (i, &b) in block.iter().enumerate() {
            let at = n * 64 + i;
            if is_binary(b) {
                return Some((at, ReadErrorKind::Binary { byte: b }));
            }
            if b == b'\r' && bytes.get(at + 1) != Some(&b'\n') {
                let kind = ReadErrorKind::Malformed {
                    expected: "a line feed after a carriage return (lines end in LF or CR LF)".into(),
                    found: "a lone carriage return".into(),
                };
                return Some((at, kind));
            }
        }
    }
    None
}

/// The error for invalid UTF-8 in `bytes`.
fn utf8_error(bytes: &[u8], e: std::str::Utf8Error) -> (usize, ReadErrorKind) {
    let at = e.valid_up_to();
    (at, ReadErrorKind::InvalidUtf8 { byte: bytes.get(at).copied().unwrap_or(0) })
}

/// Checks that `bytes` is UTF-8 text without control bytes or lone carriage
/// returns (lines end in LF or CR LF) and returns it as a string, or the error
/// with its position.
pub(crate) fn validate<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ReadError> {
    if let Some((at, kind)) = first_non_text(bytes) {
        return Err(error_at(file, bytes, at, kind));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let (at, kind) = utf8_error(bytes, e);
        error_at(file, bytes, at, kind)
    })
}

/// The 1-based line and character column of byte `offset`.
pub(crate) fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    (line, column(&before[start..], offset - start))
}

/// An error at byte `offset` of `bytes`.
pub(crate) fn error_at(file: &str, bytes: &[u8], offset: usize, kind: ReadErrorKind) -> ReadError {
    let (line, column) = position(bytes, offset);
    ReadError::at(file, line, Some(column), kind)
}

/// What was found, quoted for a message: at most 40 characters, escaped.
pub(crate) fn quote(found: &str) -> String {
    const MAX: usize = 40;
    let mut s: String = found.chars().take(MAX).flat_map(char::escape_debug).collect();
    if found.chars().nth(MAX).is_some() {
        s.push('…');
    }
    format!("`{s}`")
}

/// What was found at byte `at` of a line-oriented file: the rest of the token,
/// or "the end of the line" / "the end of the file".
pub(crate) fn found_at(src: &str, at: usize) -> String {
    let rest = src.get(at..).unwrap_or("");
    if rest.is_empty() {
        return "the end of the file".to_owned();
    }
    if rest.starts_with(['\n', '\r']) {
        return "the end of the line".to_owned();
    }
    let end = rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '{' | '}')).unwrap_or(rest.len());
    let token = if end == 0 { rest.chars().next().map_or(0, char::len_utf8) } else { end };
    quote(&rest[..token])
}

/// The 1-based character column of byte `at` of `line`.
pub(crate) fn column(line: &[u8], at: usize) -> usize {
    // Count characters, not bytes: continuation bytes do not start one.
    line[..at.min(line.len())].iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1
}

/// Checks one line (without its line feed) the way [`validate`] checks a
/// file, returning its text without a final carriage return, or the error
/// and the byte where it is.
fn check_line(raw: &[u8], ended: bool) -> Result<&str, (usize, ReadErrorKind)> {
    let body = match raw.split_last() {
        Some((b'\r', rest)) if ended => rest,
        _ => raw,
    };
    if let Some(problem) = first_non_text(body) {
        return Err(problem);
    }
    std::str::from_utf8(body).map_err(|e| utf8_error(body, e))
}

/// One line of a text file, checked to be text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'a> {
    /// The 1-based line number.
    pub no: usize,
    /// The text without its line end; on line 1 it still holds any
    /// byte-order mark, so that columns count it as the file does.
    pub text: &'a str,
    /// Whether a line feed ends it (the last line of a file may lack one).
    pub ended: bool,
}

impl<'a> Line<'a> {
    /// Where the content starts: after a byte-order mark on line 1.
    pub fn content_start(&self) -> usize {
        if self.no == 1 {
            bom_len(self.text.as_bytes())
        } else {
            0
        }
    }

    /// The byte offset of `part`, a slice of this line's text.
    pub fn offset_of(&self, part: &str) -> usize {
        part.as_ptr() as usize - self.text.as_ptr() as usize
    }

    /// The 1-based character column of byte `at`.
    pub fn column(&self, at: usize) -> usize {
        column(self.text.as_bytes(), at)
    }

    /// An error at byte `at` of the line.
    #[cold]
    pub fn error(&self, file: &str, at: usize, kind: ReadErrorKind) -> ReadError {
        ReadError::at(file, self.no, Some(self.column(at)), kind)
    }

    /// What is found at byte `at`: the token there, or the end of the line
    /// (or of the file, for a last line without a line feed).
    pub fn found_at(&self, at: usize) -> String {
        if at >= self.text.len() && self.ended {
            "the end of the line".to_owned()
        } else {
            found_at(self.text, at)
        }
    }
}

/// Where something is in the file: 1-based line and character column.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The position of byte `at` of `line`.
    pub fn of(line: &Line<'_>, at: usize) -> Pos {
        Pos { line: line.no, column: line.column(at) }
    }

    /// An error here.
    #[cold]
    pub fn error(self, file: &str, kind: ReadErrorKind) -> ReadError {
        ReadError::at(file, self.line, Some(self.column), kind)
    }
}

/// A text file read line by line, each line checked as [`validate`] checks a
/// whole file: so an in-memory buffer and a stream are read by the same
/// parser, and a stream is never held whole.
pub(crate) trait Lines {
    /// Moves to the next line; `false` at the end of the file.
    fn advance(&mut self) -> Result<bool, ReadError>;
    /// The current line (after [`advance`](Lines::advance) returned `true`).
    fn line(&self) -> Line<'_>;
    /// The byte offset where the current line starts.
    fn line_start(&self) -> usize;
    /// The line and column of the end of the file (after `advance` returned
    /// `false`).
    fn end(&self) -> (usize, usize) {
        let line = self.line();
        match line.no {
            0 => (1, 1),
            no if line.ended => (no + 1, 1),
            no => (no, line.column(line.text.len())),
        }
    }
}

/// The lines of a file held in memory.
///
/// The whole buffer is checked once up front, in bulk; the lines before the
/// first one that is not text are served from that check, and that line is
/// checked on its own, so that its error is the one a stream gives.
pub(crate) struct SliceLines<'a> {
    file: &'a str,
    bytes: &'a [u8],
    /// The lines before the first one that is not text.
    clean: &'a str,
    /// Where the current line starts and where the next one does.
    start: usize,
    next: usize,
    line: Line<'a>,
}

impl<'a> SliceLines<'a> {
    /// The lines of `bytes`; `file` names it in errors.
    pub fn new(file: &'a str, bytes: &'a [u8]) -> Self {
        let binary = first_non_text(bytes).map_or(bytes.len(), |(at, _)| at);
        let bad = std::str::from_utf8(&bytes[..binary]).err().map_or(binary, |e| e.valid_up_to());
        let clean_len =
            if bad == bytes.len() { bad } else { bytes[..bad].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) };
        // Valid: it ends at a line start at or before the first invalid byte.
        let clean = std::str::from_utf8(&bytes[..clean_len]).unwrap_or("");
        SliceLines { file, bytes, clean, start: 0, next: 0, line: Line { no: 0, text: "", ended: false } }
    }
}

impl SliceLines<'_> {
    /// Goes on from byte `next`, the start of a line, as if `lines` lines
    /// had been read before it: for a reader that took those lines itself.
    pub fn seek(&mut self, next: usize, lines: usize) {
        self.next = next;
        self.line = Line { no: lines, text: "", ended: true };
    }

    /// Where the line after the current one starts.
    pub fn next_start(&self) -> usize {
        self.next
    }
}

impl Lines for SliceLines<'_> {
    fn advance(&mut self) -> Result<bool, ReadError> {
        let bytes = self.bytes;
        let start = self.next;
        if start >= bytes.len() {
            return Ok(false);
        }
        let no = self.line.no + 1;
        let clean = self.clean;
        let (text, ended, len) = if start < clean.len() {
            match clean.as_bytes()[start..].iter().position(|&b| b == b'\n') {
                Some(i) => {
                    let line = &clean[start..start + i];
                    (line.strip_suffix('\r').unwrap_or(line), true, i)
                }
                None => (&clean[start..], false, clean.len() - start),
            }
        } else {
            let (raw, ended) = match bytes[start..].iter().position(|&b| b == b'\n') {
                Some(i) => (&bytes[start..start + i], true),
                None => (&bytes[start..], false),
            };
            let fail = |(at, kind)| ReadError::at(self.file, no, Some(column(raw, at)), kind);
            (check_line(raw, ended).map_err(fail)?, ended, raw.len())
        };
        self.start = start;
        self.next = start + len + usize::from(ended);
        self.line = Line { no, text, ended };
        Ok(true)
    }

    fn line(&self) -> Line<'_> {
        self.line
    }

    fn line_start(&self) -> usize {
        self.start
    }
}

/// The lines of a stream, read in blocks into one reused buffer.
///
/// Each block's complete lines are checked in bulk, as [`SliceLines`] checks
/// a whole buffer; a line holding a byte that is not text is checked on its
/// own when the reader reaches it, so that lines before it are served first
/// and its error is the same as for the file held in memory.
pub(crate) struct ReaderLines<'f, R> {
    file: &'f str,
    reader: R,
    buf: Vec<u8>,
    /// Bytes of `buf` holding data.
    filled: usize,
    /// `buf[..clean]` has been checked to be text, and ends at a line start.
    clean: usize,
    /// Where the next line starts in `buf`.
    pos: usize,
    /// The current line's text in `buf`, without its line end.
    cur: (usize, usize),
    /// The file offset of `buf[0]`.
    base: usize,
    start: usize,
    no: usize,
    ended: bool,
    eof: bool,
}

/// The first size of a stream's buffer; it doubles for a longer line.
const BLOCK: usize = 256 * 1024;

impl<'f, R: std::io::BufRead> ReaderLines<'f, R> {
    /// The lines of `reader`; `file` names it in errors.
    pub fn new(file: &'f str, reader: R) -> Self {
        ReaderLines {
            file,
            reader,
            buf: Vec::new(),
            filled: 0,
            clean: 0,
            pos: 0,
            cur: (0, 0),
            base: 0,
            start: 0,
            no: 0,
            ended: false,
            eof: false,
        }
    }

    /// Ends reading line by line: the bytes read from the start of the
    /// current line on, and the rest of the stream.
    pub fn into_rest(self) -> (Vec<u8>, R) {
        let mut buf = self.buf;
        buf.truncate(self.filled);
        buf.drain(..self.cur.0.min(self.filled));
        (buf, self.reader)
    }

    /// Checks the complete lines of the buffer from `clean` on, in bulk, and
    /// moves `clean` to the start of the first line that is not text (or to
    /// the end of the last complete line).
    fn check_block(&mut self) {
        let Some(last) = memchr::memrchr(b'\n', &self.buf[..self.filled]) else { return };
        let from = self.clean.max(self.pos);
        if last < from {
            return;
        }
        let block = &self.buf[from..=last];
        let binary = first_non_text(block).map_or(block.len(), |(at, _)| at);
        let bad = std::str::from_utf8(&block[..binary]).err().map_or(binary, |e| e.valid_up_to());
        self.clean = if bad == block.len() {
            last + 1
        } else {
            from + memchr::memrchr(b'\n', &block[..bad]).map_or(0, |p| p + 1)
        };
    }

    /// Reads more of the stream, keeping the unread lines; `false` at its end.
    fn refill(&mut self) -> Result<bool, ReadError> {
        let io = |e: std::io::Error| ReadError::whole(self.file, ReadErrorKind::Io(e.to_string()));
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.clean = self.clean.saturating_sub(self.pos);
            self.base += self.pos;
            self.pos = 0;
        }
        if self.buf.len() == self.filled {
            self.buf.resize((2 * self.buf.len()).max(BLOCK), 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.filled..]) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.filled += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io(e)),
            }
        }
    }
}

impl<R: std::io::BufRead> Lines for ReaderLines<'_, R> {
    fn advance(&mut self) -> Result<bool, ReadError> {
        loop {
            let rest = &self.buf[self.pos..self.filled];
            let (len, ended) = match memchr::memchr(b'\n', rest) {
                Some(i) => (i, true),
                None if self.eof => (rest.len(), false),
                None => {
                    self.eof = !self.refill()?;
                    continue;
                }
            };
            if len == 0 && !ended {
                return Ok(false);
            }
            let (start, end) = (self.pos, self.pos + len);
            if ended && end + 1 > self.clean {
                self.check_block();
            }
            let no = self.no + 1;
            if !ended || end + 1 > self.clean {
                // The line the bulk check stopped at, or the last line without
                // a line feed: checked on its own.
                let raw = &self.buf[start..end];
                check_line(raw, ended)
                    .map_err(|(at, kind)| ReadError::at(self.file, no, Some(column(raw, at)), kind))?;
            }
            let text_end = if ended && end > start && self.buf[end - 1] == b'\r' { end - 1 } else { end };
            self.cur = (start, text_end);
            self.start = self.base + start;
            self.pos = end + usize::from(ended);
            self.no = no;
            self.ended = ended;
            return Ok(true);
        }
    }

    fn line(&self) -> Line<'_> {
        // Checked in `advance`: the range is text.
        let text = std::str::from_utf8(&self.buf[self.cur.0..self.cur.1]).unwrap_or_default();
        Line { no: self.no, text, ended: self.ended }
    }

    fn line_start(&self) -> usize {
        self.start
    }
}

/// Whitespace-separated tokens of `line` with their byte offsets in it.
pub(crate) fn tokens(line: &str) -> impl Iterator<Item = (usize, &str)> + Clone {
    let bytes = line.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        Some((start, &line[start..i]))
    })
}

/// Parses a whole number, telling apart a fraction, a sign and junk.
pub(crate) enum Number {
    /// A whole number that fits.
    Whole(u64),
    /// Digits with a fractional part (`1.5`).
    Fraction,
    /// Not a number, or too large.
    Bad,
}

/// Reads `s` as a non-negative whole number.
pub(crate) fn number(s: &str) -> Number {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().map_or(Number::Bad, Number::Whole);
    }
    let mut parts = s.splitn(2, '.');
    let (int, frac) = (parts.next().unwrap_or(""), parts.next());
    match frac {
        Some(f)
            if !(int.is_empty() && f.is_empty())
                && int.bytes().all(|b| b.is_ascii_digit())
                && f.bytes().all(|b| b.is_ascii_digit()) =>
        {
            // `3.0` is still a fraction to the reader: weights are whole.
            Number::Fraction
        }
        _ => Number::Bad,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let s = "ab\ncé d";
        assert_eq!(position(s.as_bytes(), 0), (1, 1));
        assert_eq!(position(s.as_bytes(), 3), (2, 1));
        assert_eq!(position(s.as_bytes(), s.find('d').unwrap()), (2, 4));
    }

    #[test]
    fn validation_finds_binary_and_bad_utf8() {
        let e = validate("f", b"ok\nab\0c").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(3)));
        assert_eq!(e.kind, ReadErrorKind::Binary { byte: 0 });
        let e = validate("f", b"x\n\xC3(").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(1)));
        assert_eq!(e.kind, ReadErrorKind::InvalidUtf8 { byte: 0xC3 });
        assert!(validate("f", "tab\tand é\r\n".as_bytes()).is_ok());
        let e = validate("f", b"a\r\nb\rc\r\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(2)));
        assert_eq!(
            e.kind.to_string(),
            "expected a line feed after a carriage return (lines end in LF or CR LF), found a lone carriage return"
        );
    }

    #[test]
    fn numbers_and_quotes() {
        assert!(matches!(number("12"), Number::Whole(12)));
        assert!(matches!(number("1.5"), Number::Fraction));
        assert!(matches!(number(".5"), Number::Fraction));
        assert!(matches!(number("-1"), Number::Bad));
        assert!(matches!(number("99999999999999999999999"), Number::Bad));
        assert!(matches!(number("."), Number::Bad));
        assert_eq!(quote("a\"b"), "`a\\\"b`");
        assert_eq!(quote(&"x".repeat(50)).chars().count(), 43);
        assert_eq!(found_at("a,b", 1), "`,`");
        assert_eq!(found_at("a\n", 1), "the end of the line");
        assert_eq!(found_at("a", 1), "the end of the file");
    }
}
