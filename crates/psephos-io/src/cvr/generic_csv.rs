//! RCTab's generic CSV cast-vote records: one column per candidate, one row
//! per ballot, each cell the rank given to that column's candidate.
//!
//! The first row names the candidates; ballots follow. Columns before
//! [`SourceOptions::first_vote_column`] are ignored; a blank cell means the
//! candidate was not ranked; two candidates given the same rank are an
//! overvote at that rank. The column headed by the undeclared write-in label
//! holds undeclared write-ins. This is RCTab's `CsvCvrReader`.

use std::path::Path;

use super::{file_name, CastVoteRecord, CvrError, CvrErrorKind, Mark, SourceOptions};

/// Read a generic CSV CVR file.
///
/// # Errors
///
/// A [`CvrError`] naming the file, and the row for a cell that is not a rank.
pub fn read_path(path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    read_from(super::open_file(path)?, path, options)
}

/// Read a generic CSV CVR file from any reader (a file, bytes in memory), as
/// [`read_path`] reads the file `path`, which errors name.
///
/// # Errors
///
/// As [`read_path`].
pub fn read_from<R: std::io::Read>(
    input: R,
    path: &Path,
    options: &SourceOptions,
) -> Result<Vec<CastVoteRecord>, CvrError> {
    let err = |record: Option<String>, kind| CvrError::new(path, record, kind);
    let (mut reader, header) = super::open_csv(input, path, "generic CSV")?;
    let first = options.first_vote_column.saturating_sub(1);
    let uwi_column =
        options.undeclared_write_in_label.as_deref().and_then(|label| header.iter().position(|h| h == label));
    let name = file_name(path);
    // Each column's candidate, shared by the marks.
    let names: Vec<std::sync::Arc<str>> = header.iter().map(|h| h.as_str().into()).collect();
    let mut records = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| {
            err(Some(format!("row {line}")), CvrErrorKind::Format { format: "generic CSV", detail: e.to_string() })
        })?;
        let mut rankings = Vec::new();
        for (col, cell) in row.iter().enumerate().skip(first) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let rank: u32 = cell.parse().ok().filter(|r| *r > 0).ok_or_else(|| {
                err(
                    Some(format!("row {line}")),
                    CvrErrorKind::Invalid(format!(
                        "column {} must hold a rank (a whole number from 1), found {cell:?}",
                        col + 1
                    )),
                )
            })?;
            let mark = if Some(col) == uwi_column {
                Mark::UndeclaredWriteIn
            } else {
                let candidate = names.get(col).ok_or_else(|| {
                    err(Some(format!("row {line}")), CvrErrorKind::Invalid(format!("column {} has no header", col + 1)))
                })?;
                Mark::Candidate(candidate.clone())
            };
            rankings.push((rank, mark));
        }
        rankings.sort_by_key(|r| r.0);
        records.push(CastVoteRecord {
            computed_id: format!("{name}-{}", i + 1),
            supplied_id: None,
            precinct: None,
            batch: None,
            rankings,
            ..Default::default()
        });
    }
    Ok(records)
}
