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

use std::path::Path;

use calamine::{Data, Reader, Xlsx};

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
    let err = |record: Option<String>, kind| CvrError::new(path, record, kind);
    let mut workbook: Xlsx<_> = calamine::open_workbook(path).map_err(|e: calamine::XlsxError| {
        err(None, CvrErrorKind::Format { format: "ES&S .xlsx", detail: e.to_string() })
    })?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| {
            err(None, CvrErrorKind::Format { format: "ES&S .xlsx", detail: "the workbook has no worksheet".into() })
        })?
        .map_err(|e| err(None, CvrErrorKind::Format { format: "ES&S .xlsx", detail: e.to_string() }))?;
    let (row0, col0) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
    let name = sanitize_for_output(&file_name(path));
    let first_row = options.first_vote_row.saturating_sub(1);
    let first_col = options.first_vote_column.saturating_sub(1);
    let id_col = options.id_column.map(|c| c - 1);
    let precinct_col = options.precinct_column.map(|c| c - 1);
    let batch_col = options.batch_column.map(|c| c - 1);
    let max_rankings = options.max_rankings;
    let delimiter = options.overvote_delimiter.as_deref().filter(|d| !d.is_empty());
    let mut records = Vec::with_capacity(range.height());
    let mut index = 0usize;
    for (i, row) in range.rows().enumerate() {
        let row_number = row0 + i;
        if row_number < first_row || row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        index += 1;
        let cell =
            |col: usize| -> Option<String> { col.checked_sub(col0).and_then(|c| row.get(c)).and_then(cell_text) };
        let row_label = || Some(format!("row {}", row_number + 1));
        let supplied_id = id_col.and_then(cell);
        if id_col.is_some() && supplied_id.is_none() {
            return Err(err(row_label(), CvrErrorKind::Invalid("the ballot id cell is empty".into())));
        }
        let precinct = precinct_col.map(|c| cell(c).unwrap_or_else(|| MISSING_PRECINCT_ID.into()));
        let batch = batch_col.and_then(cell);
        let mut rankings = Vec::new();
        let row_end = col0 + row.len();
        let last_rank = if max_rankings == usize::MAX { row_end.saturating_sub(first_col) } else { max_rankings };
        for rank in 1..=last_rank {
            let col = first_col + rank - 1;
            if col >= row_end && !options.treat_blank_as_undeclared_write_in {
                break;
            }
            let text = cell(col).unwrap_or_default();
            let text = text.trim();
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
        records.push(CastVoteRecord {
            computed_id: format!("{name}-{index}"),
            supplied_id,
            precinct,
            batch,
            rankings,
            ..Default::default()
        });
    }
    Ok(records)
}

/// A cell's text as a spreadsheet shows it; `None` for an empty cell.
fn cell_text(cell: &Data) -> Option<String> {
    match cell {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Float(f) => {
            Some(if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", *f as i64) } else { f.to_string() })
        }
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_owned()),
        other => Some(other.to_string()),
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
        assert_eq!(cell_text(&Data::Float(12.0)).as_deref(), Some("12"));
        assert_eq!(cell_text(&Data::Float(1.5)).as_deref(), Some("1.5"));
        assert_eq!(cell_text(&Data::Empty), None);
    }
}
