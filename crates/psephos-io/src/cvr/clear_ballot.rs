//! Clear Ballot ClearCount cast-vote records: a CSV with one row per ballot
//! and one column per (contest, rank, candidate) choice.
//!
//! Choice columns are headed `Choice_<n>_<m>:<contest>:<rank>:<vote for>:<candidate>:<party>`;
//! a `1` in a choice column marks that candidate at that rank in that
//! contest. The contest read is [`SourceOptions::contest_id`] (its name);
//! the ballot's id is `BallotID`, its precinct `PrecinctID`, its batch
//! `BoxID`. This follows RCTab's `ClearBallotCvrReader`.

use std::path::Path;

use super::{CastVoteRecord, CvrError, CvrErrorKind, SourceOptions};

/// Read a Clear Ballot CSV.
///
/// # Errors
///
/// A [`CvrError`] naming the file (and row): unreadable CSV, a choice
/// column header without a rank, a contest not in the file.
pub fn read_path(path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    read_from(super::open_file(path)?, path, options)
}

/// Read a Clear Ballot CSV from any reader (a file, bytes in memory), as
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
    let (mut reader, header) = super::open_csv(input, path, "Clear Ballot CSV")?;
    let contest = options.contest_id.as_deref().unwrap_or_default();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (id_col, precinct_col, batch_col) = (column("BallotID"), column("PrecinctID"), column("BoxID"));
    // (column, rank, candidate) for the contest's choice columns.
    let mut choices: Vec<(usize, u32, String)> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if !h.starts_with("Choice_") {
            continue;
        }
        let parts: Vec<&str> = h.split(':').collect();
        if parts.len() < 5 || parts[1] != contest {
            continue;
        }
        let rank: u32 = parts[2].trim().parse().map_err(|_| {
            err(None, CvrErrorKind::Invalid(format!("choice column {h:?} has no rank in its third part")))
        })?;
        choices.push((i, rank, parts[4].to_owned()));
    }
    if choices.is_empty() {
        return Err(err(None, CvrErrorKind::ContestNotFound(contest.to_owned())));
    }
    let name = super::file_name(path);
    let mut records = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| {
            err(
                Some(format!("row {}", i + 2)),
                CvrErrorKind::Format { format: "Clear Ballot CSV", detail: e.to_string() },
            )
        })?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::to_owned);
        let mut rankings = Vec::new();
        for (col, rank, candidate) in &choices {
            if row.get(*col).map(str::trim) == Some("1") {
                if let Some(mark) = options.mark_for(candidate) {
                    rankings.push((*rank, mark));
                }
            }
        }
        rankings.sort_by_key(|r| r.0);
        records.push(CastVoteRecord {
            computed_id: format!("{name}-{}", i + 1),
            supplied_id: get(id_col),
            precinct: get(precinct_col),
            batch: get(batch_col),
            rankings,
            ..Default::default()
        });
    }
    Ok(records)
}
