//! NIST SP 1500-103 Common Data Format cast-vote record reports, JSON and XML.
//!
//! A report lists the election's candidates, its contests with their
//! contest selections (each pointing at a candidate, or flagged as a
//! write-in), its geopolitical units (precincts), and one `CVR` per ballot;
//! a CVR's current snapshot holds, per contest, the selections marked and
//! at which rank. The contest to read is chosen by its `Name`
//! ([`SourceOptions::contest_id`]). A selection position without an
//! indication (`HasIndication` = `no`) or not allocable (`IsAllocable` =
//! `no`) is not a mark; a selection flagged `needs-adjudication` (XML) is
//! skipped; a write-in selection or position is an undeclared write-in. The
//! ballot's precinct is the name of its `BallotStyleUnitId` unit. This is how
//! RCTab reads CDF (its `CommonDataFormatReader`), including Unisyn's XML
//! files, which hold every contest of the ballot. Specification: NIST SP
//! 1500-103, *Cast Vote Records Common Data Format Specification* (2019).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::{file_name, CastVoteRecord, CvrError, CvrErrorKind, Mark, SourceOptions};

/// Read a CDF CVR report, JSON or XML by the file's extension (`.xml` is XML).
///
/// # Errors
///
/// A [`CvrError`] naming the file (and the record where the problem is in
/// one): unreadable or malformed files, a contest not in the file, a
/// selection, candidate or unit id the file does not define, a selection
/// position without a rank.
pub fn read_path(path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    let bytes = std::fs::read(path).map_err(|e| CvrError::new(path, None, CvrErrorKind::Io(e.to_string())))?;
    let is_xml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    let report = if is_xml {
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            CvrError::new(path, None, CvrErrorKind::Format { format: "CDF XML", detail: e.to_string() })
        })?;
        parse_xml(text)
            .map_err(|detail| CvrError::new(path, None, CvrErrorKind::Format { format: "CDF XML", detail }))?
    } else {
        serde_json::from_slice::<Report>(&bytes).map_err(|e| {
            CvrError::new(path, None, CvrErrorKind::Format { format: "CDF JSON", detail: e.to_string() })
        })?
    };
    to_records(path, &report, options)
}

/// The parts of a CDF report that a count needs.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Report {
    #[serde(rename = "CVR")]
    cvrs: Vec<Cvr>,
    #[serde(rename = "Election")]
    elections: Vec<Election>,
    #[serde(rename = "GpUnit")]
    gp_units: Vec<GpUnit>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Election {
    #[serde(rename = "Candidate")]
    candidates: Vec<Candidate>,
    #[serde(rename = "Contest")]
    contests: Vec<Contest>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Candidate {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "Name")]
    name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Contest {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "ContestSelection")]
    selections: Vec<ContestSelection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ContestSelection {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "CandidateIds")]
    candidate_ids: Vec<String>,
    #[serde(rename = "IsWriteIn", deserialize_with = "flag")]
    is_write_in: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GpUnit {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "Name")]
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Cvr {
    #[serde(rename = "BallotPrePrintedId")]
    ballot_id: Option<String>,
    #[serde(rename = "UniqueId")]
    unique_id: Option<String>,
    #[serde(rename = "BallotStyleUnitId")]
    unit_id: Option<String>,
    #[serde(rename = "BatchId")]
    batch_id: Option<String>,
    #[serde(rename = "CurrentSnapshotId")]
    current_snapshot: Option<String>,
    #[serde(rename = "CVRSnapshot")]
    snapshots: Vec<Snapshot>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Snapshot {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "CVRContest")]
    contests: Vec<CvrContest>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CvrContest {
    #[serde(rename = "ContestId")]
    contest_id: String,
    #[serde(rename = "CVRContestSelection")]
    selections: Vec<CvrContestSelection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CvrContestSelection {
    #[serde(rename = "ContestSelectionId")]
    selection_id: Option<String>,
    #[serde(rename = "Rank", deserialize_with = "number")]
    rank: Option<u32>,
    #[serde(rename = "Status")]
    status: Option<String>,
    #[serde(rename = "SelectionPosition")]
    positions: Vec<SelectionPosition>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SelectionPosition {
    #[serde(rename = "Rank", deserialize_with = "number")]
    rank: Option<u32>,
    #[serde(rename = "HasIndication")]
    has_indication: Option<String>,
    #[serde(rename = "IsAllocable")]
    is_allocable: Option<String>,
    #[serde(rename = "CVRWriteIn")]
    write_in: Option<serde::de::IgnoredAny>,
}

/// A rank written as a JSON number or a string.
fn number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        Int(u32),
        Text(String),
    }
    match Option::<N>::deserialize(d)? {
        None => Ok(None),
        Some(N::Int(n)) => Ok(Some(n)),
        Some(N::Text(t)) => {
            t.trim().parse().map(Some).map_err(|_| serde::de::Error::custom(format!("expected a rank, found {t:?}")))
        }
    }
}

/// A boolean-like CDF flag (`true`, `yes`, `1`), as a JSON boolean or string.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum F {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<F>::deserialize(d)? {
        None => false,
        Some(F::Bool(b)) => b,
        Some(F::Text(t)) => is_true(&t),
    })
}

fn is_true(text: &str) -> bool {
    matches!(text.trim(), "true" | "yes" | "1")
}

fn to_records(path: &Path, report: &Report, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    let err = |record: Option<String>, kind| CvrError::new(path, record, kind);
    let wanted = options.contest_id.as_deref().unwrap_or_default();
    let contest = report
        .elections
        .iter()
        .flat_map(|e| &e.contests)
        .find(|c| c.name == wanted)
        .ok_or_else(|| err(None, CvrErrorKind::ContestNotFound(wanted.to_owned())))?;
    let mut candidates: HashMap<&str, &str> = HashMap::new();
    for c in report.elections.iter().flat_map(|e| &e.candidates) {
        if candidates.insert(&c.id, &c.name).is_some() {
            return Err(err(None, CvrErrorKind::Invalid(format!("candidate id {:?} appears twice", c.id))));
        }
    }
    // Each contest selection resolved to the mark it stands for.
    let mut selections: HashMap<&str, Mark> = HashMap::new();
    for s in &contest.selections {
        let mark = if s.is_write_in {
            Mark::UndeclaredWriteIn
        } else {
            let first = s.candidate_ids.first().ok_or_else(|| {
                err(None, CvrErrorKind::Invalid(format!("contest selection {:?} has no CandidateIds", s.id)))
            })?;
            let name = candidates
                .get(first.as_str())
                .ok_or_else(|| err(None, CvrErrorKind::UnknownId { what: "candidate", id: first.clone() }))?;
            options.mark_for(name).unwrap_or_else(|| Mark::Candidate((*name).to_owned()))
        };
        if selections.insert(&s.id, mark).is_some() {
            return Err(err(None, CvrErrorKind::Invalid(format!("contest selection id {:?} appears twice", s.id))));
        }
    }
    let units: HashMap<&str, Option<&str>> =
        report.gp_units.iter().map(|u| (u.id.as_str(), u.name.as_deref())).collect();
    let name = file_name(path);
    let mut records = Vec::with_capacity(report.cvrs.len());
    for (i, cvr) in report.cvrs.iter().enumerate() {
        let computed_id = format!("{name}({})", i + 1);
        let supplied_id = cvr.ballot_id.clone().or_else(|| cvr.unique_id.clone());
        let record = || Some(supplied_id.clone().unwrap_or_else(|| computed_id.clone()));
        let snapshot = cvr.snapshots.iter().find(|s| Some(s.id.as_str()) == cvr.current_snapshot.as_deref());
        let Some(cvr_contest) = snapshot.and_then(|s| s.contests.iter().find(|c| c.contest_id == contest.id)) else {
            // The ballot holds no marks for this contest.
            continue;
        };
        let mut rankings = Vec::new();
        for selection in &cvr_contest.selections {
            if selection.status.as_deref() == Some("needs-adjudication") {
                continue;
            }
            let id = selection.selection_id.as_deref().unwrap_or_default();
            let mark = selections.get(id).ok_or_else(|| {
                err(record(), CvrErrorKind::UnknownId { what: "contest selection", id: id.to_owned() })
            })?;
            if let Some(rank) = selection.rank {
                rankings.push((rank, mark.clone()));
                continue;
            }
            for position in &selection.positions {
                let mark = if position.write_in.is_some() { &Mark::UndeclaredWriteIn } else { mark };
                if position.has_indication.as_deref() == Some("no") || position.is_allocable.as_deref() == Some("no") {
                    continue;
                }
                let rank = position.rank.ok_or_else(|| {
                    err(
                        record(),
                        CvrErrorKind::Invalid(format!("a selection position of contest selection {id:?} has no Rank")),
                    )
                })?;
                if rank == 0 {
                    return Err(err(record(), CvrErrorKind::Invalid("ranks start at 1, found rank 0".into())));
                }
                rankings.push((rank, mark.clone()));
            }
        }
        let precinct = match cvr.unit_id.as_deref() {
            None => None,
            Some(unit) => match units.get(unit) {
                Some(name) => name.map(str::to_owned),
                None => return Err(err(record(), CvrErrorKind::UnknownId { what: "GpUnit", id: unit.to_owned() })),
            },
        };
        records.push(CastVoteRecord {
            computed_id,
            supplied_id,
            precinct,
            batch: cvr.batch_id.clone(),
            rankings,
            ..Default::default()
        });
    }
    Ok(records)
}

/// Read an XML report into the same model as the JSON one.
fn parse_xml(text: &str) -> Result<Report, String> {
    use roxmltree::{Document, Node};
    let doc = Document::parse(text).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
        node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
    }
    fn text_of(node: Node<'_, '_>, name: &str) -> Option<String> {
        children(node, name).next().and_then(|c| c.text()).map(|t| t.trim().to_owned())
    }
    fn object_id(node: Node<'_, '_>) -> String {
        node.attribute("ObjectId").unwrap_or_default().to_owned()
    }
    fn rank_of(node: Node<'_, '_>) -> Result<Option<u32>, String> {
        match text_of(node, "Rank") {
            None => Ok(None),
            Some(t) => t.parse().map(Some).map_err(|_| format!("expected a rank, found {t:?}")),
        }
    }
    let mut report = Report::default();
    for e in children(root, "Election") {
        let mut election = Election::default();
        for c in children(e, "Candidate") {
            election.candidates.push(Candidate { id: object_id(c), name: text_of(c, "Name").unwrap_or_default() });
        }
        for c in children(e, "Contest") {
            let mut contest =
                Contest { id: object_id(c), name: text_of(c, "Name").unwrap_or_default(), selections: Vec::new() };
            for s in children(c, "ContestSelection") {
                contest.selections.push(ContestSelection {
                    id: object_id(s),
                    candidate_ids: children(s, "CandidateIds")
                        .filter_map(|n| n.text())
                        .flat_map(|t| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
                        .collect(),
                    is_write_in: text_of(s, "IsWriteIn").is_some_and(|t| is_true(&t)),
                });
            }
            election.contests.push(contest);
        }
        report.elections.push(election);
    }
    for u in children(root, "GpUnit") {
        report.gp_units.push(GpUnit { id: object_id(u), name: text_of(u, "Name") });
    }
    for c in children(root, "CVR") {
        let mut cvr = Cvr {
            ballot_id: text_of(c, "BallotPrePrintedId"),
            unique_id: text_of(c, "UniqueId"),
            unit_id: text_of(c, "BallotStyleUnitId"),
            batch_id: text_of(c, "BatchId"),
            current_snapshot: text_of(c, "CurrentSnapshotId"),
            snapshots: Vec::new(),
        };
        for s in children(c, "CVRSnapshot") {
            let mut snapshot = Snapshot { id: object_id(s), contests: Vec::new() };
            for k in children(s, "CVRContest") {
                let mut contest =
                    CvrContest { contest_id: text_of(k, "ContestId").unwrap_or_default(), selections: Vec::new() };
                for sel in children(k, "CVRContestSelection") {
                    let mut selection = CvrContestSelection {
                        selection_id: text_of(sel, "ContestSelectionId"),
                        rank: rank_of(sel)?,
                        status: text_of(sel, "Status"),
                        positions: Vec::new(),
                    };
                    for p in children(sel, "SelectionPosition") {
                        selection.positions.push(SelectionPosition {
                            rank: rank_of(p)?,
                            has_indication: text_of(p, "HasIndication"),
                            is_allocable: text_of(p, "IsAllocable"),
                            write_in: children(p, "CVRWriteIn").next().map(|_| serde::de::IgnoredAny),
                        });
                    }
                    contest.selections.push(selection);
                }
                snapshot.contests.push(contest);
            }
            cvr.snapshots.push(snapshot);
        }
        report.cvrs.push(cvr);
    }
    Ok(report)
}
