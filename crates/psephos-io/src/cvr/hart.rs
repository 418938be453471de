//! Hart InterCivic cast-vote records: a folder with one XML file per ballot.
//!
//! Each `<Cvr>` lists the ballot's contests; in the contest whose `<Id>` is
//! [`SourceOptions::contest_id`], each `<Option>` is a mark: its `<Name>` is
//! the candidate and its `<Value>` the rank. An option carrying
//! `<WriteInData>` is an undeclared write-in. The ballot's id is its
//! `<CvrGuid>`, its precinct the `<PrecinctSplit>`'s name and its batch the
//! `<BatchNumber>`. Files are read in name order. This follows RCTab's
//! `HartCvrReader`.

use std::path::Path;

use super::{CastVoteRecord, CvrError, CvrErrorKind, Mark, SourceOptions};

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(node: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name).and_then(|c| c.text()).map(|t| t.trim().to_owned())
}

/// Read a folder of Hart XML files (or a single file).
///
/// # Errors
///
/// A [`CvrError`] naming the file: unreadable or malformed XML, a rank that
/// is not a whole number.
pub fn read_path(path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    let mut files: Vec<std::path::PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .map_err(|e| CvrError::new(path, None, CvrErrorKind::Io(e.to_string())))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")))
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    files.sort();
    let mut records = Vec::with_capacity(files.len());
    for file in files {
        records.extend(read_one(&super::read_file(&file)?, &file, options)?);
    }
    Ok(records)
}

/// Read one Hart XML ballot held in memory, as [`read_path`] reads the file
/// `path` (which errors and the record's computed id name): no record when
/// the ballot does not hold the contest.
///
/// # Errors
///
/// As [`read_path`].
pub fn read_bytes(bytes: &[u8], path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    Ok(read_one(bytes, path, options)?.into_iter().collect())
}

fn read_one(bytes: &[u8], file: &Path, options: &SourceOptions) -> Result<Option<CastVoteRecord>, CvrError> {
    let contest_id = options.contest_id.as_deref().unwrap_or_default();
    let err = |kind| CvrError::new(file, None, kind);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| err(CvrErrorKind::Format { format: "Hart XML", detail: e.to_string() }))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| err(CvrErrorKind::Format { format: "Hart XML", detail: e.to_string() }))?;
    let root = doc.root_element();
    let guid = text_of(root, "CvrGuid");
    let precinct = child(root, "PrecinctSplit").and_then(|p| text_of(p, "Name"));
    let batch = text_of(root, "BatchNumber");
    let Some(contest) = child(root, "Contests").and_then(|cs| {
        cs.children().find(|c| {
            c.is_element() && c.tag_name().name() == "Contest" && text_of(*c, "Id").as_deref() == Some(contest_id)
        })
    }) else {
        return Ok(None);
    };
    let mut rankings = Vec::new();
    if let Some(opts) = child(contest, "Options") {
        for option in opts.children().filter(|c| c.is_element() && c.tag_name().name() == "Option") {
            let value = text_of(option, "Value").unwrap_or_default();
            let rank: u32 = value.parse().ok().filter(|r| *r > 0).ok_or_else(|| {
                CvrError::new(file, guid.clone(), CvrErrorKind::Invalid(format!("expected a rank, found {value:?}")))
            })?;
            let mark = if child(option, "WriteInData").is_some() {
                Some(Mark::UndeclaredWriteIn)
            } else {
                options.mark_for(&text_of(option, "Name").unwrap_or_default())
            };
            if let Some(mark) = mark {
                rankings.push((rank, mark));
            }
        }
    }
    rankings.sort_by_key(|r| r.0);
    Ok(Some(CastVoteRecord {
        computed_id: super::file_name(file),
        supplied_id: guid,
        precinct,
        batch,
        rankings,
        ..Default::default()
    }))
}
