//! A fast reader of the rows of a workbook's first worksheet, for the plain
//! layout voting systems export (ES&S): every cell addressed (`r="B7"`),
//! holding a shared string (`t="s"`) or a number in a `<v>`, or nothing.
//!
//! The worksheet is inflated once and scanned with `quick-xml` over the
//! bytes in memory; rows are reported in document order, each with its
//! non-empty cells in column order, including rows without a value (a
//! `<row>` element with no cell, or only empty cells), as RCTab's streaming
//! reader (Apache POI's `XSSFSheetXMLHandler`) reports a row for every
//! `<row>` element. Anything beyond that layout (inline strings, formulas,
//! rich or escaped shared strings, cells out of order or unaddressed,
//! another text encoding) makes [`read_rows`] answer `None`, and the caller
//! reads the workbook with the general reader (`calamine`) instead, so the
//! two readers never disagree: a number is shown as a spreadsheet shows it
//! (see `ess::cell_text`). Format: ECMA-376 Part 1, §18.3 (worksheets) and
//! §18.4 (shared strings).

use std::borrow::Cow;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

/// One row's non-empty cells: `(0-based column, text)`, in column order.
pub(crate) type Row<'a> = [(usize, Cow<'a, str>)];

/// Calls `on_row` with each row's 0-based number and cells, in order.
///
/// Returns `Ok(None)` when the workbook is not in the plain layout (or not
/// a readable workbook at all): nothing has been reported that the caller
/// must keep, and the general reader should read it. Errors are those of
/// `on_row`.
pub(crate) fn read_rows<E>(
    bytes: &[u8],
    mut on_row: impl FnMut(usize, &Row<'_>) -> Result<(), E>,
) -> Result<Option<()>, E> {
    let Some((strings, sheet)) = load(bytes) else {
        return Ok(None);
    };
    // Texts are checked as UTF-8 one by one, the rest is ASCII markup.
    let mut reader = Reader::from_reader(sheet.as_slice());
    // As calamine reads worksheets: end tags and comments are not checked.
    reader.config_mut().check_end_names = false;
    reader.config_mut().check_comments = false;
    // Up to the rows.
    loop {
        match reader.read_event() {
            Ok(Event::Decl(d)) => {
                if d.encoding().is_some_and(|e| !e.is_ok_and(|e| e.eq_ignore_ascii_case(b"utf-8"))) {
                    return Ok(None);
                }
            }
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"sheetData" => break,
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"sheetData" => return Ok(Some(())),
            Ok(Event::Eof) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
    }
    let mut row: Vec<(usize, Cow<'_, str>)> = Vec::new();
    let mut current: Option<usize> = None;
    let mut last_row: Option<usize> = None;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(_) => return Ok(None),
        };
        match event {
            Event::Start(e) if e.local_name().as_ref() == b"row" => {
                let Some(number) = next_row(&e, current, &mut last_row) else { return Ok(None) };
                current = Some(number);
                row.clear();
            }
            Event::Empty(e) if e.local_name().as_ref() == b"row" => {
                let Some(number) = next_row(&e, current, &mut last_row) else { return Ok(None) };
                on_row(number, &[])?;
            }
            Event::End(e) if e.local_name().as_ref() == b"row" => {
                let Some(number) = current.take() else { return Ok(None) };
                on_row(number, &row)?;
            }
            Event::Start(e) if e.local_name().as_ref() == b"c" => {
                let Some(number) = current else { return Ok(None) };
                let Some((cell_row, col, kind)) = cell_attributes(&e) else { return Ok(None) };
                if cell_row != number || row.last().is_some_and(|(c, _)| *c >= col) {
                    return Ok(None);
                }
                let Some(text) = cell_value(&mut reader, kind, &strings) else { return Ok(None) };
                if let Some(text) = text {
                    row.push((col, text));
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == b"c" => {
                // An empty cell: no value, but it must still be in order.
                let Some(number) = current else { return Ok(None) };
                let Some((cell_row, col, _)) = cell_attributes(&e) else { return Ok(None) };
                if cell_row != number || row.last().is_some_and(|(c, _)| *c >= col) {
                    return Ok(None);
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"sheetData" => {
                return Ok(if current.is_none() { Some(()) } else { None });
            }
            Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
            Event::Comment(_) => {}
            // Any other element, text or the end of the file: not the plain layout.
            _ => return Ok(None),
        }
    }
}

/// The number of a row starting outside any other row, after the rows
/// before it; `None` otherwise.
fn next_row(e: &BytesStart<'_>, current: Option<usize>, last_row: &mut Option<usize>) -> Option<usize> {
    let number = row_number(e)?;
    if current.is_some() || last_row.is_some_and(|l| number <= l) {
        return None;
    }
    *last_row = Some(number);
    Some(number)
}

/// The kind of a cell's value, by its `t` attribute.
#[derive(Clone, Copy)]
enum Kind {
    /// `t="s"`: an index into the shared strings.
    Shared,
    /// No `t`, or `t="n"`: a number.
    Number,
}

/// A cell's 0-based row and column and value kind; `None` for a cell
/// without an address or with another kind of value.
fn cell_attributes(e: &BytesStart<'_>) -> Option<(usize, usize, Kind)> {
    let mut address = None;
    let mut kind = Kind::Number;
    for a in e.attributes() {
        let a = a.ok()?;
        match a.key.as_ref() {
            b"r" => address = Some(cell_address(&a.value)?),
            b"t" => {
                kind = match a.value.as_ref() {
                    b"s" => Kind::Shared,
                    b"n" => Kind::Number,
                    _ => return None,
                }
            }
            _ => {}
        }
    }
    let (row, col) = address?;
    Some((row, col, kind))
}

/// `B7` as (row 6, column 1).
fn cell_address(r: &[u8]) -> Option<(usize, usize)> {
    let letters = r.iter().take_while(|b| b.is_ascii_uppercase()).count();
    if letters == 0 || letters > 3 || letters == r.len() {
        return None;
    }
    let col = r[..letters].iter().fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1)) - 1;
    let digits = &r[letters..];
    if !digits.iter().all(u8::is_ascii_digit) || digits.len() > 7 {
        return None;
    }
    let row: usize = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col))
}

/// The 0-based number of a `<row r="N">`; `None` without one.
fn row_number(e: &BytesStart<'_>) -> Option<usize> {
    let a = e.attributes().flatten().find(|a| a.key.as_ref() == b"r")?;
    let digits = a.value.as_ref();
    if digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse::<usize>().ok()?.checked_sub(1)
}

/// Reads a cell's content up to its end tag: `Some(Some(text))` for a value,
/// `Some(None)` for none, `None` for anything beyond a plain `<v>`.
fn cell_value<'s>(reader: &mut Reader<&[u8]>, kind: Kind, strings: &'s [String]) -> Option<Option<Cow<'s, str>>> {
    let mut value = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == b"v" && value.is_none() => {
                let Event::Text(t) = reader.read_event().ok()? else { return None };
                let text = std::str::from_utf8(&t).ok()?;
                match reader.read_event().ok()? {
                    Event::End(e) if e.local_name().as_ref() == b"v" => {}
                    _ => return None,
                }
                value = Some(match kind {
                    Kind::Shared => Cow::Borrowed(strings.get(text.trim().parse::<usize>().ok()?)?.as_str()),
                    Kind::Number => Cow::Owned(number_text(text.trim().parse::<f64>().ok()?)),
                });
            }
            Event::End(e) if e.local_name().as_ref() == b"c" => return Some(value),
            Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
            _ => return None,
        }
    }
}

/// A number as a spreadsheet shows it: whole numbers without a fraction.
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// The shared strings and the first worksheet's XML; `None` when the
/// workbook cannot be read this way.
fn load(bytes: &[u8]) -> Option<(Vec<String>, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut read = |name: &str| -> Option<Vec<u8>> {
        let mut entry = zip.by_name(name).ok()?;
        // The declared size, trusted only so far: a small file may claim a huge one.
        let mut out = Vec::with_capacity(usize::try_from(entry.size()).ok()?.min(1 << 26));
        entry.read_to_end(&mut out).ok()?;
        Some(out)
    };
    let sheet_path = first_sheet_path(&read("xl/workbook.xml")?, &read("xl/_rels/workbook.xml.rels")?)?;
    let strings = match read("xl/sharedStrings.xml") {
        Some(xml) => shared_strings(&xml)?,
        None => Vec::new(),
    };
    Some((strings, read(&sheet_path)?))
}

/// The path in the package of the workbook's first worksheet.
pub(crate) fn first_sheet_path(workbook: &[u8], rels: &[u8]) -> Option<String> {
    let workbook = roxmltree::Document::parse(std::str::from_utf8(workbook).ok()?).ok()?;
    let rels = roxmltree::Document::parse(std::str::from_utf8(rels).ok()?).ok()?;
    let rid = workbook
        .descendants()
        .find(|n| n.has_tag_name("sheet"))?
        .attributes()
        .find(|a| a.name() == "id")?
        .value()
        .to_owned();
    let target = rels
        .descendants()
        .find(|n| n.has_tag_name("Relationship") && n.attribute("Id") == Some(rid.as_str()))?
        .attribute("Target")?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    })
}

/// The shared string table, when every entry is one plain `<t>`: its text,
/// with the XML entities and character references resolved. Rich text,
/// phonetic runs, Excel's `_xHHHH_` escapes and carriage returns give `None`.
fn shared_strings(xml: &[u8]) -> Option<Vec<String>> {
    let mut reader = Reader::from_str(std::str::from_utf8(xml).ok()?);
    let mut strings = Vec::new();
    let mut in_si = false;
    let mut text: Option<String> = None;
    let mut in_t = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"sst" if !in_si => {}
                b"si" if !in_si => {
                    in_si = true;
                    text = None;
                }
                b"t" if in_si && !in_t && text.is_none() => {
                    in_t = true;
                    text = Some(String::new());
                }
                _ => return None,
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" if in_t => in_t = false,
                b"si" if in_si && !in_t => {
                    in_si = false;
                    // An entry without text is the empty string.
                    strings.push(text.take().unwrap_or_default());
                }
                b"sst" if !in_si => {}
                _ => return None,
            },
            Event::Text(t) if in_t => {
                let t = std::str::from_utf8(&t).ok()?;
                if t.contains('\r') || t.contains("_x") {
                    return None;
                }
                text.as_mut()?.push_str(t);
            }
            Event::GeneralRef(r) if in_t => text.as_mut()?.push_str(&entity(&r)?),
            // An empty text, and the phonetic properties Excel may add.
            Event::Empty(e) if in_si && !in_t => match e.local_name().as_ref() {
                b"t" if text.is_none() => text = Some(String::new()),
                b"phoneticPr" => {}
                _ => return None,
            },
            Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
            Event::Decl(_) | Event::Comment(_) => {}
            Event::Eof => return (!in_si).then_some(strings),
            _ => return None,
        }
    }
}

/// The text of an entity or character reference (`&amp;`, `&#38;`).
fn entity(r: &BytesRef<'_>) -> Option<String> {
    if let Some(c) = r.resolve_char_ref().ok()? {
        return Some(c.to_string());
    }
    let name = r.decode().ok()?;
    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_addresses() {
        assert_eq!(cell_address(b"A1"), Some((0, 0)));
        assert_eq!(cell_address(b"B7"), Some((6, 1)));
        assert_eq!(cell_address(b"AA10"), Some((9, 26)));
        assert_eq!(cell_address(b"A0"), None);
        assert_eq!(cell_address(b"7"), None);
        assert_eq!(cell_address(b"A"), None);
    }

    #[test]
    fn shared_strings_plain_and_escaped() {
        let xml = br#"<?xml version="1.0"?><sst count="4"><si><t>Ada</t><phoneticPr fontId="1"/></si><si><t xml:space="preserve"> B &amp; C&#33;</t></si><si><t/></si><si></si></sst>"#;
        let strings = ["Ada", " B & C!", "", ""].map(str::to_owned).to_vec();
        assert_eq!(shared_strings(xml), Some(strings));
        let rich = br#"<sst><si><r><t>A</t></r><r><t>da</t></r></si></sst>"#;
        assert_eq!(shared_strings(rich), None);
        let escaped = br#"<sst><si><t>A_x000D_</t></si></sst>"#;
        assert_eq!(shared_strings(escaped), None);
    }

    #[test]
    fn numbers_as_shown() {
        assert_eq!(number_text(12.0), "12");
        assert_eq!(number_text(1.5), "1.5");
    }
}
