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

/// Checks that `bytes` is UTF-8 text without control bytes or lone carriage
/// returns (lines end in LF or CR LF) and returns it as a string, or the error
/// with its position.
pub(crate) fn validate<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, ReadError> {
    // Scan in blocks without an early exit so the loop vectorises; only a
    // block that holds a suspect byte is searched byte by byte.
    for (n, block) in bytes.chunks(64).enumerate() {
        if !block.iter().fold(false, |acc, &b| acc | is_binary(b) | (b == b'\r')) {
            continue;
        }
        for (i, &b) in block.iter().enumerate() {
            let at = n * 64 + i;
            if is_binary(b) {
                return Err(error_at(file, bytes, at, ReadErrorKind::Binary { byte: b }));
            }
            if b == b'\r' && bytes.get(at + 1) != Some(&b'\n') {
                return Err(error_at(
                    file,
                    bytes,
                    at,
                    ReadErrorKind::Malformed {
                        expected: "a line feed after a carriage return (lines end in LF or CR LF)".into(),
                        found: "a lone carriage return".into(),
                    },
                ));
            }
        }
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        error_at(file, bytes, at, ReadErrorKind::InvalidUtf8 { byte: bytes.get(at).copied().unwrap_or(0) })
    })
}

/// The 1-based line and character column of byte `offset`.
pub(crate) fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    // Count characters, not bytes: continuation bytes do not start one.
    let column = before[start..].iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1;
    (line, column)
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

/// Lines of `src` from byte `from` on: `(start offset, line without its end)`.
pub(crate) fn lines(src: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut at = from.min(src.len());
    std::iter::from_fn(move || {
        if at >= src.len() {
            return None;
        }
        let rest = &src[at..];
        let (line, next) = match rest.find('\n') {
            Some(i) => (&rest[..i], at + i + 1),
            None => (rest, src.len()),
        };
        let start = at;
        at = next;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    })
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
