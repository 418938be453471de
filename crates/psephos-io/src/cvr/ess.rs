//! ES&S cast-vote records: an `.xlsx` workbook, one row per ballot.
//!
//! The first worksheet holds one ballot per row from
//! [`SourceOptions::first_vote_row`]; the ranks are the
//! [`SourceOptions::max_rankings`] columns from
//! [`SourceOptions::first_vote_column`]; optional columns give the ballot id,
//! the precinct and the batch. A cell holds a candidate's name, a label
//! (overvote, skipped rank, undeclared write-in), or several candidates
//! joined by the overvote delimiter. A blank rank cell is a skipped rank, or
//! an undeclared write-in when
//! [`SourceOptions::treat_blank_as_undeclared_write_in`] is set. This is
//! the layout RCTab reads (its `StreamingCvrReader`), which reads every
//! `<row>` element of the sheet as a ballot, even one without a value. The
//! plain layout voting systems export (shared strings and numbers in
//! addressed cells) is read by a fast scanner of the worksheet's XML; any
//! other workbook with the `calamine` crate, with the same results.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use super::{file_name, sanitize_for_output, CastVoteRecord, CvrError, CvrErrorKind, Mark, SourceOptions};

/// The precinct RCTab records for a ballot whose precinct cell is empty.
pub const MISSING_PRECINCT_ID: &str = "missing_precinct_id";

/// Read an ES&S workbook.
///
/// # Errors
///
/// A [`CvrError`] naming the file, and the row where the problem is in one
/// row: an unreadable workbook, a missing ballot id where an id column is
/// given, a blank part of a delimited overvote.
pub fn read_path(path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    read_bytes(&super::read_file(path)?, path, options)
}

/// Read an ES&S workbook held in memory, as [`read_path`] reads the file
/// `path` (which errors and computed record ids name).
///
/// # Errors
///
/// As [`read_path`].
pub fn read_bytes(bytes: &[u8], path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    // The plain layout voting systems export is read by a fast scanner;
    // anything else by calamine, with the same results.
    let mut rows = RowReader::new(path, options);
    if super::xlsx_rows::read_rows(bytes, |number, cells| rows.finish(number, cells))?.is_some() {
        return Ok(rows.records);
    }
    read_with_calamine(bytes, path, options)
}

/// Read a workbook with calamine (any layout calamine reads).
fn read_with_calamine(bytes: &[u8], path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    let format_error =
        |detail: String| CvrError::new(path, None, CvrErrorKind::Format { format: "ES&S .xlsx", detail });
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| format_error(e.to_string()))?;
    let sheet =
        workbook.sheet_names().first().cloned().ok_or_else(|| format_error("the workbook has no worksheet".into()))?;
    // RCTab reads every <row> element of the sheet as a ballot, even one
    // without a value; calamine reports cells with values only, so the rows
    // are listed first and those it does not report are read as empty.
    // Listing them also checks the sheet's cell references, which calamine
    // reads without checking their size.
    let mut all_rows = row_numbers(bytes).map_err(format_error)?.into_iter().peekable();
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(|e| format_error(e.to_string()))?;
    let mut rows = RowReader::new(path, options);
    let mut current: Option<u32> = None;
    let mut row: Vec<(usize, Cow<'_, str>)> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|e| format_error(e.to_string()))? {
        let (r, c) = cell.get_position();
        let Some(text) = cell_cow(cell.get_value()) else {
            continue;
        };
        if current != Some(r) {
            if let Some(prev) = current {
                rows.finish(prev as usize, &row)?;
            }
            while let Some(e) = all_rows.next_if(|&e| e <= r as usize) {
                if e < r as usize {
                    rows.finish(e, &[])?;
                }
            }
            current = Some(r);
            row.clear();
        }
        row.push((c as usize, text));
    }
    if let Some(prev) = current {
        rows.finish(prev as usize, &row)?;
    }
    for e in all_rows {
        rows.finish(e, &[])?;
    }
    Ok(rows.records)
}

/// The 0-based numbers of the first worksheet's `<row>` elements, in order.
/// The workbook's cells are read by calamine; this only lists the rows.
fn row_numbers(bytes: &[u8]) -> Result<Vec<usize>, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut read = |name: &str| -> Result<Vec<u8>, String> {
        let mut entry = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
        Ok(bytes)
    };
    let Some(sheet_path) =
        super::xlsx_rows::first_sheet_path(&read("xl/workbook.xml")?, &read("xl/_rels/workbook.xml.rels")?)
    else {
        return Ok(Vec::new());
    };
    let sheet = read(&sheet_path)?;
    check_references(&sheet)?;
    let mut numbers = Vec::new();
    let mut next_number = 0usize;
    let mut at = 0;
    let finder = memchr::memmem::Finder::new(b"<row");
    while let Some(i) = finder.find(&sheet[at..]) {
        let start = at + i;
        let Some(close) = memchr::memchr(b'>', &sheet[start..]) else { break };
        let tag = &sheet[start..start + close];
        at = start + close + 1;
        if !matches!(tag.get(4), Some(b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r')) {
            continue;
        }
        let number = row_number(tag).unwrap_or(next_number);
        next_number = number + 1;
        numbers.push(number);
    }
    Ok(numbers)
}

/// Checks every cell reference of a worksheet (the `r="B7"` of a cell or
/// a row, the `ref="A1:C9"` of its dimension or a merged range): none may
/// lie beyond a worksheet's last cell, XFD1048576 (three column letters,
/// seven row digits).
fn check_references(sheet: &[u8]) -> Result<(), String> {
    for attribute in [&b" r=\""[..], &b" ref=\""[..]] {
        for i in memchr::memmem::find_iter(sheet, attribute) {
            let value = &sheet[i + attribute.len()..];
            let value = &value[..memchr::memchr(b'"', value).unwrap_or(value.len())];
            for part in value.split(|&b| b == b':') {
                let letters = part.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                let digits = part[letters..].iter().take_while(|b| b.is_ascii_digit()).count();
                if letters > 3 || digits > 7 {
                    return Err(format!(
                        "the cell reference {} lies beyond a worksheet's last cell, XFD1048576",
                        crate::text::quote(&String::from_utf8_lossy(part))
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The 0-based row number of a `<row r="N" …` start tag.
fn row_number(tag: &[u8]) -> Option<usize> {
    let i = memchr::memmem::find(tag, b" r=\"")? + 4;
    let end = memchr::memchr(b'"', &tag[i..])?;
    std::str::from_utf8(&tag[i..i + end]).ok()?.parse::<usize>().ok()?.checked_sub(1)
}

/// Turns the rows of the sheet into records.
struct RowReader<'a> {
    path: &'a Path,
    options: &'a SourceOptions,
    name: String,
    records: Vec<CastVoteRecord>,
    /// Rank columns to read: the options' limit, or (without one) the
    /// header's run of "choice"/"rank" columns.
    max_rankings: usize,
    /// The mark each cell text stands for, read once: a workbook repeats a
    /// few texts on every row.
    marks: HashMap<String, Option<Mark>>,
}

impl<'a> RowReader<'a> {
    fn new(path: &'a Path, options: &'a SourceOptions) -> Self {
        RowReader {
            path,
            options,
            name: sanitize_for_output(&file_name(path)),
            records: Vec::new(),
            max_rankings: options.max_rankings,
            marks: HashMap::new(),
        }
    }

    /// The mark a cell's text stands for under the options' labels.
    fn mark(&mut self, text: &str) -> Option<Mark> {
        if let Some(mark) = self.marks.get(text) {
            return mark.clone();
        }
        let mark = self.options.mark_for(text);
        self.marks.insert(text.to_owned(), mark.clone());
        mark
    }

    /// One row (0-based number) with its non-empty cells in column order.
    fn finish(&mut self, row_number: usize, row: &[(usize, Cow<'_, str>)]) -> Result<(), CvrError> {
        let options = self.options;
        if row_number + 2 == options.first_vote_row && options.max_rankings == usize::MAX {
            // The header row: without a limit, read the rank columns it names.
            let first_col = options.first_vote_column.saturating_sub(1);
            let ranks = (first_col..)
                .take_while(|col| {
                    row.iter().find(|(c, _)| c == col).is_some_and(|(_, t)| {
                        let t = t.to_ascii_lowercase();
                        t.contains("choice") || t.contains("rank")
                    })
                })
                .count();
            if ranks > 0 {
                self.max_rankings = ranks;
            }
        }
        if row_number + 1 < options.first_vote_row {
            return Ok(());
        }
        let path = self.path;
        let err = |record: Option<String>, kind| CvrError::new(path, record, kind);
        let cell = |col: usize| -> Option<&str> { row.iter().find(|(c, _)| *c == col).map(|(_, t)| t.as_ref()) };
        let row_label = || Some(format!("row {}", row_number + 1));
        let supplied_id = options.id_column.and_then(|c| cell(c - 1)).map(str::to_owned);
        if options.id_column.is_some() && supplied_id.is_none() {
            return Err(err(row_label(), CvrErrorKind::Invalid("the ballot id cell is empty".into())));
        }
        let precinct = options.precinct_column.map(|c| cell(c - 1).unwrap_or(MISSING_PRECINCT_ID).to_owned());
        let batch = options.batch_column.and_then(|c| cell(c - 1)).map(str::to_owned);
        let first_col = options.first_vote_column.saturating_sub(1);
        let row_end = row.last().map_or(0, |(c, _)| c + 1);
        let last_rank =
            if self.max_rankings == usize::MAX { row_end.saturating_sub(first_col) } else { self.max_rankings };
        let delimiter = options.overvote_delimiter.as_deref().filter(|d| !d.is_empty());
        let mut rankings = Vec::new();
        for rank in 1..=last_rank {
            let col = first_col + rank - 1;
            if col >= row_end && !options.treat_blank_as_undeclared_write_in {
                break;
            }
            let text = cell(col).unwrap_or_default().trim();
            if text.is_empty() {
                if options.treat_blank_as_undeclared_write_in {
                    rankings.push((rank as u32, Mark::UndeclaredWriteIn));
                }
                continue;
            }
            let parts: Vec<&str> = match delimiter {
                Some(d) => split_like_java(text, d),
                None => vec![text],
            };
            for part in &parts {
                let part = part.trim();
                if parts.len() > 1 && (part.is_empty() || options.skipped_rank_label.as_deref() == Some(part)) {
                    return Err(err(
                        supplied_id.clone().or_else(row_label),
                        CvrErrorKind::Invalid(format!(
                            "rank {rank} holds several candidates split by the overvote delimiter, and one of them is blank or a skipped-rank label: {text:?}"
                        )),
                    ));
                }
                if let Some(mark) = self.mark(part) {
                    rankings.push((rank as u32, mark));
                }
            }
        }
        let index = self.records.len() + 1;
        self.records.push(CastVoteRecord {
            computed_id: format!("{}-{index}", self.name),
            supplied_id,
            precinct,
            batch,
            rankings,
            ..Default::default()
        });
        Ok(())
    }
}

/// A cell's text, borrowed from the workbook's shared strings where it can be.
fn cell_cow<'a>(cell: &DataRef<'a>) -> Option<Cow<'a, str>> {
    match cell {
        DataRef::SharedString(s) => Some(Cow::Borrowed(*s)),
        other => cell_text(other).map(Cow::Owned),
    }
}

/// A cell's text as a spreadsheet shows it; `None` for an empty cell.
fn cell_text(cell: &DataRef<'_>) -> Option<String> {
    match cell {
        DataRef::Empty => None,
        DataRef::String(s) => Some(s.clone()),
        DataRef::SharedString(s) => Some((*s).to_owned()),
        DataRef::Float(f) => Some(super::xlsx_rows::number_text(*f)),
        DataRef::Int(i) => Some(i.to_string()),
        DataRef::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_owned()),
        DataRef::DateTime(d) => Some(d.as_f64().to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(s.clone()),
        DataRef::Error(e) => Some(e.to_string()),
    }
}

/// Split at every occurrence of `delimiter`, dropping trailing empty parts
/// (as Java's `String.split` does, which is how RCTab splits a cell).
fn split_like_java<'a>(text: &'a str, delimiter: &str) -> Vec<&'a str> {
    let mut parts: Vec<&str> = text.split(delimiter).collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every workbook of the RCTab test cases: the fast reader reads the
    /// plain ones (all but none of them) and gives calamine's records.
    #[test]
    fn the_fast_reader_agrees_with_calamine_on_every_test_workbook() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/rctab");
        let mut workbooks = Vec::new();
        for entry in std::fs::read_dir(&root).unwrap().flatten() {
            for file in std::fs::read_dir(entry.path()).into_iter().flatten().flatten() {
                // The two large Minneapolis workbooks are left to the RCTab cases.
                let small = file.metadata().is_ok_and(|m| m.len() < 1_000_000);
                if small && file.path().extension().is_some_and(|e| e == "xlsx") {
                    workbooks.push(file.path());
                }
            }
        }
        assert!(workbooks.len() > 20, "{} workbooks", workbooks.len());
        let standalone = SourceOptions::standalone(crate::Format::Ess, None);
        let blank_as_uwi =
            SourceOptions { treat_blank_as_undeclared_write_in: true, max_rankings: 3, ..standalone.clone() };
        let mut fast = 0;
        for path in &workbooks {
            let bytes = std::fs::read(path).unwrap();
            for options in [&SourceOptions::default(), &standalone, &blank_as_uwi] {
                let mut rows = RowReader::new(path, options);
                let plain = super::super::xlsx_rows::read_rows(&bytes, |n, cells| rows.finish(n, cells));
                let general = read_with_calamine(&bytes, path, options);
                match plain {
                    Ok(Some(())) => {
                        fast += 1;
                        assert_eq!(Ok(rows.records), general, "{}", path.display());
                    }
                    Ok(None) => eprintln!("general reader: {}", path.display()),
                    Err(e) => assert_eq!(Err(e), general.map(|_| ()), "{}", path.display()),
                }
            }
        }
        assert_eq!(fast, workbooks.len() * 3, "every test workbook is in the plain layout");
    }

    /// A workbook of one sheet whose `<sheetData>` holds `rows`, with `strings` shared.
    fn workbook(rows: &str, strings: &[&str]) -> Vec<u8> {
        workbook_declared("", rows, strings)
    }

    /// As [`workbook`], the worksheet starting with the XML declaration `decl`.
    fn workbook_declared(decl: &str, rows: &str, strings: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let sst: String = strings.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
        let parts = [
            (
                "xl/workbook.xml",
                format!(
                    r#"<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
                ),
            ),
            ("xl/sharedStrings.xml", format!("<sst {ns}>{sst}</sst>")),
            ("xl/worksheets/sheet1.xml", format!("{decl}<worksheet {ns}><sheetData>{rows}</sheetData></worksheet>")),
        ];
        for (name, text) in parts {
            zip.start_file(name, stored).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// A row element without a value is a ballot without marks, whichever
    /// reader reads the workbook (as RCTab reads every row element).
    #[test]
    fn rows_without_values_are_ballots_in_both_readers() {
        let options = SourceOptions::standalone(crate::Format::Ess, None);
        let header = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#;
        let middle = r#"<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row><row r="3"><c r="A3" s="1"/></row><row r="4"/>"#;
        let strings = ["Precinct", "Choice 1", "P1", "Ada"];
        let plain = workbook(
            &format!(r#"{header}{middle}<row r="5"><c r="A5" t="s"><v>2</v></c><c r="B5" t="s"><v>3</v></c></row>"#),
            &strings,
        );
        let inline = workbook(
            &format!(
                r#"{header}{middle}<row r="5"><c r="A5" t="inlineStr"><is><t>P1</t></is></c><c r="B5" t="s"><v>3</v></c></row>"#
            ),
            &strings,
        );
        let path = Path::new("w.xlsx");
        let records = read_bytes(&plain, path, &options).unwrap();
        let marks: Vec<usize> = records.iter().map(|r| r.rankings.len()).collect();
        assert_eq!(marks, [1, 0, 0, 1]);
        assert_eq!(read_with_calamine(&plain, path, &options).unwrap(), records);
        // An inline string is beyond the plain layout: calamine reads it, alike.
        let mut rows = RowReader::new(path, &options);
        assert_eq!(super::super::xlsx_rows::read_rows(&inline, |n, c| rows.finish(n, c)), Ok(None));
        assert_eq!(read_bytes(&inline, path, &options).unwrap(), records);
    }

    /// With any one character of a worksheet removed, or a `<` or `/`
    /// put in its place, the fast reader either leaves the workbook to
    /// calamine or reads what calamine reads.
    #[test]
    fn damaged_worksheets_are_read_as_calamine_reads_them_or_left_to_it() {
        let options = SourceOptions::standalone(crate::Format::Ess, None);
        let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c><c r="C2"><v>12</v></c></row><row r="3"><c r="A3" s="1"/></row><row r="4"/>"#;
        let strings = ["Precinct", "Choice 1", "P1", "Ada"];
        let path = Path::new("w.xlsx");
        let mut fast = 0;
        for i in 0..rows.len() {
            for replacement in ["", "<", "/"] {
                let damaged = format!("{}{replacement}{}", &rows[..i], &rows[i + 1..]);
                let bytes = workbook(&damaged, &strings);
                let mut reader = RowReader::new(path, &options);
                let plain = super::super::xlsx_rows::read_rows(&bytes, |n, c| reader.finish(n, c));
                if plain == Ok(Some(())) {
                    fast += 1;
                    let general = read_with_calamine(&bytes, path, &options);
                    assert_eq!(Ok(reader.records), general, "{damaged}");
                }
            }
        }
        assert!(fast > 0);
    }

    /// A cell reference beyond a worksheet's last cell is an error naming
    /// it, found before calamine reads it (its arithmetic overflows).
    #[test]
    fn references_beyond_the_last_cell_are_refused() {
        let options = SourceOptions::default();
        let path = Path::new("w.xlsx");
        let decl = r#"<?xml version="1.0" encoding="windows-1252"?>"#;
        for reference in ["AAAAAAAAA1", "A99999999999", "XFDA1"] {
            let rows = format!(r#"<row r="1"><c r="{reference}" t="s"><v>0</v></c></row>"#);
            let e = read_bytes(&workbook_declared(decl, &rows, &["Ada"]), path, &options).unwrap_err();
            assert!(e.to_string().contains(&format!("`{reference}` lies beyond")), "{e}");
        }
        let rows = r#"<row r="1"><c r="XFD1048576" t="s"><v>0</v></c></row>"#;
        assert!(read_bytes(&workbook_declared(decl, rows, &["Ada"]), path, &options).is_ok());
    }

    /// The fast reader reads UTF-8 worksheets only; another declared
    /// encoding is left to calamine.
    #[test]
    fn another_declared_encoding_is_left_to_calamine() {
        let options = SourceOptions::default();
        let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
        let path = Path::new("w.xlsx");
        for (decl, fast) in [
            (r#"<?xml version="1.0" encoding="UTF-8"?>"#, true),
            (r#"<?xml version="1.0"?>"#, true),
            (r#"<?xml version="1.0" encoding="windows-1252"?>"#, false),
        ] {
            let bytes = workbook_declared(decl, rows, &["Ada"]);
            let mut reader = RowReader::new(path, &options);
            let read = super::super::xlsx_rows::read_rows(&bytes, |n, c| reader.finish(n, c));
            assert_eq!(read, Ok(fast.then_some(())), "{decl}");
        }
    }

    #[test]
    fn java_split_drops_trailing_empty_parts_only() {
        assert_eq!(split_like_java("A|B|", "|"), vec!["A", "B"]);
        assert_eq!(split_like_java("|A", "|"), vec!["", "A"]);
        assert_eq!(split_like_java("A", "|"), vec!["A"]);
    }

    #[test]
    fn numbers_read_as_a_spreadsheet_shows_them() {
        assert_eq!(cell_text(&DataRef::Float(12.0)).as_deref(), Some("12"));
        assert_eq!(cell_text(&DataRef::Float(1.5)).as_deref(), Some("1.5"));
        assert_eq!(cell_text(&DataRef::Empty), None);
    }
}
