//! Dominion cast-vote record exports: a folder of JSON files.
//!
//! The folder holds the manifests (`CandidateManifest.json`,
//! `ContestManifest.json`, `PrecinctManifest.json`,
//! `PrecinctPortionManifest.json`) and the records, in one
//! `CvrExport.json` or split across `CvrExport_<n>.json` files (read in
//! order of `n`). Each session is one ballot: its `Original` marks, or its
//! `Modified` ones when the original is no longer current (adjudicated); a
//! ballot without current marks is skipped, as RCTab skips it. A session's
//! cards hold contests, each with marks (`CandidateId`, `Rank`); ambiguous
//! marks are not counted, nor a contest the scanner flagged `InvalidContest`
//! (per `OutstackConditionManifest.json`). A mark is reported by its candidate id, as text,
//! which RCTab's configurations map to names through candidate aliases.
//! This follows RCTab's `DominionCvrReader`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{CastVoteRecord, CvrError, CvrErrorKind, SourceOptions};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Manifest {
    #[serde(rename = "List")]
    list: Vec<ManifestItem>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ManifestItem {
    #[serde(rename = "Id")]
    id: i64,
    #[serde(rename = "Description")]
    description: String,
    #[serde(rename = "ContestId")]
    contest_id: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Export {
    #[serde(rename = "Sessions")]
    sessions: Vec<Session>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Session {
    #[serde(rename = "TabulatorId")]
    tabulator_id: i64,
    #[serde(rename = "BatchId")]
    batch_id: i64,
    #[serde(rename = "RecordId")]
    record_id: serde_json::Value,
    #[serde(rename = "Original")]
    original: Option<Marked>,
    #[serde(rename = "Modified")]
    modified: Option<Marked>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Marked {
    #[serde(rename = "PrecinctPortionId")]
    precinct_portion_id: Option<i64>,
    #[serde(rename = "PrecinctId")]
    precinct_id: Option<i64>,
    #[serde(rename = "IsCurrent")]
    is_current: bool,
    #[serde(rename = "Cards")]
    cards: Option<Vec<Card>>,
    #[serde(rename = "Contests")]
    contests: Option<Vec<Contest>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Card {
    #[serde(rename = "Contests")]
    contests: Vec<Contest>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Contest {
    #[serde(rename = "Id")]
    id: i64,
    #[serde(rename = "OutstackConditionIds")]
    outstack: Vec<i64>,
    #[serde(rename = "Marks")]
    marks: Vec<DominionMark>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DominionMark {
    #[serde(rename = "CandidateId")]
    candidate_id: i64,
    #[serde(rename = "Rank")]
    rank: u32,
    #[serde(rename = "IsAmbiguous")]
    is_ambiguous: bool,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, CvrError> {
    let bytes = std::fs::read(path).map_err(|e| CvrError::new(path, None, CvrErrorKind::Io(e.to_string())))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| CvrError::new(path, None, CvrErrorKind::Format { format: "Dominion JSON", detail: e.to_string() }))
}

/// The CVR export files of a folder: `CvrExport.json`, or every
/// `CvrExport_<n>.json` in order of `n`.
fn export_files(folder: &Path) -> Result<Vec<PathBuf>, CvrError> {
    let single = folder.join("CvrExport.json");
    if single.is_file() {
        return Ok(vec![single]);
    }
    let entries =
        std::fs::read_dir(folder).map_err(|e| CvrError::new(folder, None, CvrErrorKind::Io(e.to_string())))?;
    let mut numbered: Vec<(u64, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let n = name.strip_prefix("CvrExport_")?.strip_suffix(".json")?.parse().ok()?;
            Some((n, e.path()))
        })
        .collect();
    numbered.sort();
    if numbered.is_empty() {
        return Err(CvrError::new(
            folder,
            None,
            CvrErrorKind::Format {
                format: "Dominion export folder",
                detail: "no CvrExport.json or CvrExport_<n>.json file".into(),
            },
        ));
    }
    Ok(numbered.into_iter().map(|(_, p)| p).collect())
}

/// Read a Dominion export folder (or the folder of a given `CvrExport` file).
///
/// # Errors
///
/// A [`CvrError`] naming the file (and record): missing or malformed
/// manifests or exports, an unknown contest, precinct or candidate id.
pub fn read_path(path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    let folder = if path.is_dir() { path } else { path.parent().unwrap_or(Path::new(".")) };
    let contest_id = options.contest_id.as_deref().unwrap_or_default();
    let contests: Manifest = read_json(&folder.join("ContestManifest.json"))?;
    if !contests.list.iter().any(|c| c.id.to_string() == contest_id) {
        return Err(CvrError::new(
            &folder.join("ContestManifest.json"),
            None,
            CvrErrorKind::ContestNotFound(contest_id.to_owned()),
        ));
    }
    let candidates: Manifest = read_json(&folder.join("CandidateManifest.json"))?;
    let contest_candidates: Vec<i64> = candidates
        .list
        .iter()
        .filter(|c| c.contest_id.map(|id| id.to_string()).as_deref() == Some(contest_id))
        .map(|c| c.id)
        .collect();
    let names: HashMap<i64, &str> = candidates.list.iter().map(|c| (c.id, c.description.as_str())).collect();
    let precincts: HashMap<i64, String> = read_json::<Manifest>(&folder.join("PrecinctManifest.json"))
        .map(|m| m.list.into_iter().map(|p| (p.id, p.description)).collect())
        .unwrap_or_default();
    let portions: HashMap<i64, String> = read_json::<Manifest>(&folder.join("PrecinctPortionManifest.json"))
        .map(|m| m.list.into_iter().map(|p| (p.id, p.description)).collect())
        .unwrap_or_default();
    // A contest the scanner flagged "InvalidContest" (not on this ballot's style) is not read.
    let invalid: Vec<i64> = read_json::<Manifest>(&folder.join("OutstackConditionManifest.json"))
        .map(|m| m.list.into_iter().filter(|c| c.description == "InvalidContest").map(|c| c.id).collect())
        .unwrap_or_default();
    let mut records = Vec::new();
    for file in export_files(folder)? {
        let export: Export = read_json(&file)?;
        for session in export.sessions {
            let record_id = match &session.record_id {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let id = format!("{}-{}-{}", session.tabulator_id, session.batch_id, record_id);
            let marked = match session.original {
                Some(o) if o.is_current => o,
                _ => match session.modified {
                    Some(m) => m,
                    None => continue,
                },
            };
            let precinct = match marked.precinct_id {
                None => None,
                Some(p) => Some(precincts.get(&p).cloned().ok_or_else(|| {
                    CvrError::new(
                        &file,
                        Some(id.clone()),
                        CvrErrorKind::UnknownId { what: "precinct", id: p.to_string() },
                    )
                })?),
            };
            if let Some(p) = marked.precinct_portion_id {
                if !portions.is_empty() && !portions.contains_key(&p) {
                    return Err(CvrError::new(
                        &file,
                        Some(id),
                        CvrErrorKind::UnknownId { what: "precinct portion", id: p.to_string() },
                    ));
                }
            }
            let contests: Vec<&Contest> = match (&marked.cards, &marked.contests) {
                (Some(cards), _) => cards.iter().flat_map(|c| &c.contests).collect(),
                (None, Some(contests)) => contests.iter().collect(),
                (None, None) => Vec::new(),
            };
            for contest in contests {
                if contest.id.to_string() != contest_id || contest.outstack.iter().any(|o| invalid.contains(o)) {
                    continue;
                }
                let mut rankings = Vec::new();
                for mark in &contest.marks {
                    if mark.is_ambiguous {
                        continue;
                    }
                    if !contest_candidates.contains(&mark.candidate_id) {
                        return Err(CvrError::new(
                            &file,
                            Some(id.clone()),
                            CvrErrorKind::UnknownId { what: "candidate", id: mark.candidate_id.to_string() },
                        ));
                    }
                    let label = match names.get(&mark.candidate_id) {
                        Some(name) if options.vendor_names => (*name).to_owned(),
                        _ => mark.candidate_id.to_string(),
                    };
                    if let Some(m) = options.mark_for(&label) {
                        rankings.push((mark.rank, m));
                    }
                }
                records.push(CastVoteRecord {
                    computed_id: id.clone(),
                    supplied_id: Some(record_id.clone()),
                    precinct: precinct.clone(),
                    batch: Some(session.batch_id.to_string()),
                    rankings,
                    contest_id: Some(contest_id.to_owned()),
                    tabulator_id: Some(session.tabulator_id.to_string()),
                    precinct_portion: marked.precinct_portion_id.and_then(|p| portions.get(&p).cloned()),
                });
            }
        }
    }
    Ok(records)
}
