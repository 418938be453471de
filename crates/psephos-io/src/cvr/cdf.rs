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

use std::borrow::Cow;

use serde::Deserialize;
use smallvec::SmallVec;

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
    read_bytes(&super::read_file(path)?, path, options)
}

/// Read a CDF CVR report held in memory, as [`read_path`] reads the file
/// `path` (which errors name and whose extension tells XML from JSON).
///
/// # Errors
///
/// As [`read_path`].
pub fn read_bytes(bytes: &[u8], path: &Path, options: &SourceOptions) -> Result<Vec<CastVoteRecord>, CvrError> {
    let is_xml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    let format = if is_xml { "CDF XML" } else { "CDF JSON" };
    let format_error = |detail: String| CvrError::new(path, None, CvrErrorKind::Format { format, detail });
    // Checked as UTF-8 once, so that strings need not be checked one by one.
    let text = std::str::from_utf8(bytes).map_err(|e| format_error(e.to_string()))?;
    if is_xml {
        to_records(path, &parse_xml(text).map_err(format_error)?, options)
    } else {
        let report = serde_json::from_str::<Report>(text).map_err(|e| format_error(e.to_string()))?;
        to_records(path, &report, options)
    }
}

/// The parts of a CDF report that a count needs.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Report<'a> {
    #[serde(rename = "CVR", borrow)]
    cvrs: Vec<Cvr<'a>>,
    #[serde(rename = "Election", borrow)]
    elections: Vec<Election<'a>>,
    #[serde(rename = "GpUnit", borrow)]
    gp_units: Vec<GpUnit<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Election<'a> {
    #[serde(rename = "Candidate", borrow)]
    candidates: Vec<Candidate<'a>>,
    #[serde(rename = "Contest", borrow)]
    contests: Vec<Contest<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Candidate<'a> {
    #[serde(rename = "@id", borrow)]
    id: Cow<'a, str>,
    #[serde(rename = "Name", borrow)]
    name: Cow<'a, str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Contest<'a> {
    #[serde(rename = "@id", borrow)]
    id: Cow<'a, str>,
    #[serde(rename = "Name", borrow)]
    name: Cow<'a, str>,
    #[serde(rename = "ContestSelection", borrow)]
    selections: Vec<ContestSelection<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ContestSelection<'a> {
    #[serde(rename = "@id", borrow)]
    id: Cow<'a, str>,
    #[serde(rename = "CandidateIds", borrow)]
    candidate_ids: Vec<Cow<'a, str>>,
    #[serde(rename = "IsWriteIn", deserialize_with = "flag")]
    is_write_in: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GpUnit<'a> {
    #[serde(rename = "@id", borrow)]
    id: Cow<'a, str>,
    #[serde(rename = "Name", borrow)]
    name: Option<Cow<'a, str>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Cvr<'a> {
    #[serde(rename = "BallotPrePrintedId", borrow)]
    ballot_id: Option<Cow<'a, str>>,
    #[serde(rename = "UniqueId", borrow)]
    unique_id: Option<Cow<'a, str>>,
    #[serde(rename = "BallotStyleUnitId", borrow)]
    unit_id: Option<Cow<'a, str>>,
    #[serde(rename = "BatchId", borrow)]
    batch_id: Option<Cow<'a, str>>,
    #[serde(rename = "CurrentSnapshotId", borrow)]
    current_snapshot: Option<Cow<'a, str>>,
    #[serde(rename = "CVRSnapshot", borrow)]
    snapshots: SmallVec<[Snapshot<'a>; 1]>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Snapshot<'a> {
    #[serde(rename = "@id", borrow)]
    id: Cow<'a, str>,
    #[serde(rename = "CVRContest", borrow)]
    contests: SmallVec<[CvrContest<'a>; 1]>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CvrContest<'a> {
    #[serde(rename = "ContestId", borrow)]
    contest_id: Cow<'a, str>,
    #[serde(rename = "CVRContestSelection", borrow)]
    selections: Vec<CvrContestSelection<'a>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CvrContestSelection<'a> {
    #[serde(rename = "ContestSelectionId", borrow)]
    selection_id: Option<Cow<'a, str>>,
    #[serde(rename = "Rank", deserialize_with = "number")]
    rank: Option<u32>,
    #[serde(rename = "Status", borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(rename = "SelectionPosition", borrow)]
    positions: SmallVec<[SelectionPosition<'a>; 1]>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SelectionPosition<'a> {
    #[serde(rename = "Rank", deserialize_with = "number")]
    rank: Option<u32>,
    #[serde(rename = "HasIndication", borrow)]
    has_indication: Option<Cow<'a, str>>,
    #[serde(rename = "IsAllocable", borrow)]
    is_allocable: Option<Cow<'a, str>>,
    #[serde(rename = "CVRWriteIn")]
    write_in: Option<serde::de::IgnoredAny>,
}

/// A rank written as a JSON number or a string.
fn number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    struct Rank;
    impl<'de> serde::de::Visitor<'de> for Rank {
        type Value = Option<u32>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a rank: a whole number from 1, or one written as a string")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            u32::try_from(v).map(Some).map_err(|_| E::custom(format!("rank {v} is too large")))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            u32::try_from(v).map(Some).map_err(|_| E::custom(format!("expected a rank, found {v}")))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            v.trim().parse().map(Some).map_err(|_| E::custom(format!("expected a rank, found {v:?}")))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(Rank)
        }
    }
    d.deserialize_any(Rank)
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
        if candidates.insert(c.id.as_ref(), c.name.as_ref()).is_some() {
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
                .get(first.as_ref())
                .ok_or_else(|| err(None, CvrErrorKind::UnknownId { what: "candidate", id: first.to_string() }))?;
            options.mark_for(name).unwrap_or_else(|| Mark::Candidate((*name).into()))
        };
        if selections.insert(s.id.as_ref(), mark).is_some() {
            return Err(err(None, CvrErrorKind::Invalid(format!("contest selection id {:?} appears twice", s.id))));
        }
    }
    let units: HashMap<&str, Option<&str>> =
        report.gp_units.iter().map(|u| (u.id.as_ref(), u.name.as_deref())).collect();
    let name = file_name(path);
    let mut records = Vec::with_capacity(report.cvrs.len());
    for (i, cvr) in report.cvrs.iter().enumerate() {
        let computed_id = format!("{name}({})", i + 1);
        let supplied_id = cvr.ballot_id.as_deref().or(cvr.unique_id.as_deref()).map(str::to_owned);
        let record = || Some(supplied_id.clone().unwrap_or_else(|| computed_id.clone()));
        let snapshot = cvr.snapshots.iter().find(|s| Some(s.id.as_ref()) == cvr.current_snapshot.as_deref());
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
            batch: cvr.batch_id.as_deref().map(str::to_owned),
            rankings,
            ..Default::default()
        });
    }
    Ok(records)
}

/// Read an XML report into the same model as the JSON one.
fn parse_xml(text: &str) -> Result<Report<'static>, String> {
    use roxmltree::{Document, Node};
    let doc = Document::parse(text).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    fn children<'a, 'i>(node: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
        node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
    }
    fn text_of(node: Node<'_, '_>, name: &str) -> Option<Cow<'static, str>> {
        children(node, name).next().and_then(|c| c.text()).map(|t| Cow::Owned(t.trim().to_owned()))
    }
    fn object_id(node: Node<'_, '_>) -> Cow<'static, str> {
        Cow::Owned(node.attribute("ObjectId").unwrap_or_default().to_owned())
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
                        .flat_map(|t| t.split_whitespace().map(|w| Cow::Owned(w.to_owned())).collect::<Vec<_>>())
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
            snapshots: SmallVec::new(),
        };
        for s in children(c, "CVRSnapshot") {
            let mut snapshot = Snapshot { id: object_id(s), contests: SmallVec::new() };
            for k in children(s, "CVRContest") {
                let mut contest =
                    CvrContest { contest_id: text_of(k, "ContestId").unwrap_or_default(), selections: Vec::new() };
                for sel in children(k, "CVRContestSelection") {
                    let mut selection = CvrContestSelection {
                        selection_id: text_of(sel, "ContestSelectionId"),
                        rank: rank_of(sel)?,
                        status: text_of(sel, "Status"),
                        positions: SmallVec::new(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{"Election":[{"Candidate":[{"@id":"a","Name":"Ada"},{"@id":"b","Name":"Bo"}],
      "Contest":[{"@id":"k","Name":"Mayor","ContestSelection":[{"@id":"sa","CandidateIds":["a"]},
      {"@id":"sb","CandidateIds":["b"]},{"@id":"w","IsWriteIn":"true"}]}]}],
      "GpUnit":[{"@id":"p1","Name":"Precinct 1"}],
      "CVR":[{"BallotPrePrintedId":"7","BallotStyleUnitId":"p1","CurrentSnapshotId":"s","CVRSnapshot":[{"@id":"s",
        "CVRContest":[{"ContestId":"k","CVRContestSelection":[
          {"ContestSelectionId":"sa","SelectionPosition":[{"Rank":1},{"Rank":"3","IsAllocable":"no"}]},
          {"ContestSelectionId":"sb","SelectionPosition":[{"Rank":"2"},{"Rank":4,"HasIndication":"no"}]},
          {"ContestSelectionId":"w","Rank":3}]}]}]}]}"#;

    #[test]
    fn ranks_as_numbers_or_strings_and_unallocable_positions() {
        let report: Report<'_> = serde_json::from_str(REPORT).unwrap();
        let options = SourceOptions { contest_id: Some("Mayor".into()), ..Default::default() };
        let records = to_records(Path::new("r.json"), &report, &options).unwrap();
        assert_eq!(records.len(), 1);
        let r = &records[0];
        assert_eq!((r.supplied_id.as_deref(), r.precinct.as_deref()), (Some("7"), Some("Precinct 1")));
        assert_eq!(
            r.rankings,
            vec![(1, Mark::Candidate("Ada".into())), (2, Mark::Candidate("Bo".into())), (3, Mark::UndeclaredWriteIn)]
        );
    }

    #[test]
    fn an_unknown_contest_is_named() {
        let report: Report<'_> = serde_json::from_str(REPORT).unwrap();
        let options = SourceOptions { contest_id: Some("Sheriff".into()), ..Default::default() };
        let err = to_records(Path::new("r.json"), &report, &options).unwrap_err();
        assert_eq!(err.to_string(), "r.json: contest \"Sheriff\" not found in the file");
    }
}
