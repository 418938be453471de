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
//! the layout RCTab reads (its `StreamingCvrReader`); the workbook is read
//! with the `calamine` crate.

use std::borrow::Cow;
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
    let format_error =
        |detail: String| CvrError::new(path, None, CvrErrorKind::Format { format: "ES&S .xlsx", detail });
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| format_error(e.to_string()))?;
    let sheet =
        workbook.sheet_names().first().cloned().ok_or_else(|| format_error("the workbook has no worksheet".into()))?;
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(|e| format_error(e.to_string()))?;
    // RCTab reads every <row> element of the sheet as a ballot, even one
    // without cells; calamine reports cells only, so those rows are listed first.
    let mut empty = empty_rows(bytes).map_err(format_error)?.into_iter().peekable();
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
            while let Some(e) = empty.next_if(|&e| e < r as usize) {
                rows.finish(e, &[])?;
            }
            current = Some(r);
            row.clear();
        }
        row.push((c as usize, text));
    }
    if let Some(prev) = current {
        rows.finish(prev as usize, &row)?;
    }
    for e in empty {
        rows.finish(e, &[])?;
    }
    Ok(rows.records)
}

/// The 0-based numbers of the first worksheet's `<row>` elements that hold
/// no cell, in order. The workbook's cells are read by calamine; this only
/// looks for row elements it does not report.
fn empty_rows(bytes: &[u8]) -> Result<Vec<usize>, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut read = |name: &str| -> Result<Vec<u8>, String> {
        let mut entry = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
        Ok(bytes)
    };
    let workbook = String::from_utf8(read("xl/workbook.xml")?).map_err(|e| e.to_string())?;
    let rels = String::from_utf8(read("xl/_rels/workbook.xml.rels")?).map_err(|e| e.to_string())?;
    let workbook = roxmltree::Document::parse(&workbook).map_err(|e| e.to_string())?;
    let rels = roxmltree::Document::parse(&rels).map_err(|e| e.to_string())?;
    let Some(rid) = workbook
        .descendants()
        .find(|n| n.has_tag_name("sheet"))
        .and_then(|s| s.attributes().find(|a| a.name() == "id").map(|a| a.value().to_owned()))
    else {
        return Ok(Vec::new());
    };
    let Some(target) = rels
        .descendants()
        .find(|n| n.has_tag_name("Relationship") && n.attribute("Id") == Some(rid.as_str()))
        .and_then(|n| n.attribute("Target"))
    else {
        return Ok(Vec::new());
    };
    let sheet_path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    };
    let sheet = read(&sheet_path)?;
    let mut empty = Vec::new();
    let mut next_number = 0usize;
    let mut at = 0;
    let finder = memchr::memmem::Finder::new(b"<row");
    while let Some(i) = finder.find(&sheet[at..]) {
        let start = at + i;
        // The start tag, and whether it closes itself.
        let Some(close) = memchr::memchr(b'>', &sheet[start..]) else { break };
        let tag = &sheet[start..start + close];
        at = start + close + 1;
        if !matches!(tag.get(4), Some(b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r')) {
            continue;
        }
        let number = row_number(tag).unwrap_or(next_number);
        next_number = number + 1;
        let has_cells = !tag.ends_with(b"/")
            && memchr::memmem::find(&sheet[at..], b"</row>")
                .is_some_and(|end| memchr::memmem::find(&sheet[at..at + end], b"<c").is_some());
        if !has_cells {
            empty.push(number);
        }
    }
    Ok(empty)
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
}

impl<'a> RowReader<'a> {
    fn new(path: &'a Path, options: &'a SourceOptions) -> Self {
        RowReader {
            path,
            options,
            name: sanitize_for_output(&file_name(path)),
            records: Vec::new(),
            max_rankings: options.max_rankings,
        }
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
        let err = |record: Option<String>, kind| CvrError::new(self.path, record, kind);
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
                if let Some(mark) = options.mark_for(part) {
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
        DataRef::Float(f) => {
            Some(if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", *f as i64) } else { f.to_string() })
        }
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
