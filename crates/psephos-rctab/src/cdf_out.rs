//! The CVRs as a NIST SP 1500-103 CDF JSON report, with the ballot's
//! allocation in every round (`generateCdfJson`).
//!
//! Every CVR gets an "original" snapshot (its marks as read) and one
//! "interpreted" snapshot per round saying which candidate the ballot
//! counted for (`IsAllocable`: `yes`) and with what value (`NumberVotes`,
//! `FractionalVotes` for a transferred surplus fraction). Ids follow RCTab's
//! `ResultsWriter.generateCdfJson`: `c-<name>` and `cs-<name>` from the
//! sanitised lower-case candidate name, `ballot-<id>[-round-<n>]`,
//! `gpu-<n>` for precincts numbered in RCTab's hash-set order.

use psephos_io::cvr::{sanitize_for_output, CastVoteRecord, Mark};

use crate::config::ContestConfig;
use crate::decimal::Decimal;
use crate::java::{hash_map_capacity, hash_order};
use crate::report::Json;
use crate::tabulator::{Candidates, UNDECLARED_WRITE_INS};

const OVERVOTE: &str = "overvote";

fn selection_id(name: &str) -> String {
    format!("cs-{}", sanitize_for_output(name).to_lowercase())
}

fn candidate_id(name: &str) -> String {
    format!("c-{}", sanitize_for_output(name).to_lowercase())
}

fn obj(entries: Vec<(&str, Json)>) -> Json {
    Json::object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn s(text: impl Into<String>) -> Json {
    Json::Str(text.into())
}

fn raw_name(mark: &Mark) -> &str {
    match mark {
        Mark::Candidate(name) => name,
        Mark::Overvote => OVERVOTE,
        Mark::UndeclaredWriteIn => UNDECLARED_WRITE_INS,
    }
}

/// Render the CDF JSON report: `snapshots[b][r]` is ballot `b`'s
/// allocation in round `r + 1` (no rounds for a plain conversion).
pub fn cdf_json(
    config: &ContestConfig,
    candidates: &Candidates,
    snapshots: &[Vec<Vec<(usize, Decimal)>>],
    records: &[CastVoteRecord],
    generated: &str,
) -> String {
    // Precincts, numbered in the iteration order of RCTab's hash set of them.
    let mut precincts: Vec<&str> = Vec::new();
    if config.output.tabulate_by_precinct {
        let mut seen = std::collections::HashSet::new();
        for r in records {
            if let Some(p) = r.precinct.as_deref() {
                if seen.insert(p) {
                    precincts.push(p);
                }
            }
        }
        precincts =
            hash_order(&precincts, hash_map_capacity(precincts.len())).into_iter().map(|i| precincts[i]).collect();
    }
    let gpu_of = |p: &str| precincts.iter().position(|q| *q == p).map(|i| format!("gpu-{}", i + 1));
    let rounds = snapshots.first().map_or(0, Vec::len);
    let mut cvrs = Vec::with_capacity(records.len());
    for (b, record) in records.iter().enumerate() {
        let id = sanitize_for_output(&record.computed_id);
        // Candidates with the ranks given them, by best rank then name.
        let mut with_ranks: Vec<(&str, Vec<u32>)> = Vec::new();
        for (rank, mark) in &record.rankings {
            let name = raw_name(mark);
            match with_ranks.iter_mut().find(|(n, _)| *n == name) {
                Some((_, ranks)) => ranks.push(*rank),
                None => with_ranks.push((name, vec![*rank])),
            }
        }
        for (_, ranks) in &mut with_ranks {
            ranks.sort_unstable();
        }
        with_ranks.sort_by(|a, b| a.1[0].cmp(&b.1[0]).then_with(|| a.0.cmp(b.0)));
        let snapshot = |round: Option<usize>| {
            let allocation = round.map(|r| &snapshots[b][r - 1]);
            let mut selections = Vec::new();
            for (name, ranks) in &with_ranks {
                let (mut allocable, votes) = match allocation {
                    None => ("unknown", Decimal::ONE),
                    Some(list) => match list.iter().find(|(c, _)| candidates.names[*c] == *name) {
                        Some((_, v)) => ("yes", *v),
                        None => ("no", Decimal::ONE),
                    },
                };
                let fractional = (votes != Decimal::ONE || votes.scale() != 0)
                    .then(|| votes.sub(Decimal::from_int(votes.trunc_int() as i64)))
                    .filter(|r| r.signum() == 1)
                    .map(|r| r.to_string()[1..].to_owned());
                let mut positions = Vec::new();
                for rank in ranks {
                    let mut entries = vec![
                        ("@type", s("CVR.SelectionPosition")),
                        ("HasIndication", s("yes")),
                        ("IsAllocable", s(allocable)),
                        ("NumberVotes", Json::Num(votes.trunc_int().to_string())),
                        ("Rank", Json::Num(rank.to_string())),
                    ];
                    if let Some(f) = &fractional {
                        entries.push(("FractionalVotes", s(f.clone())));
                    }
                    positions.push(obj(entries));
                    if allocable == "yes" {
                        allocable = "no";
                    }
                }
                selections.push(obj(vec![
                    ("@type", s("CVR.CVRContestSelection")),
                    ("ContestSelectionId", s(selection_id(name))),
                    ("SelectionPosition", Json::Array(positions)),
                ]));
            }
            let contest = obj(vec![
                ("@type", s("CVR.CVRContest")),
                ("CVRContestSelection", Json::Array(selections)),
                ("ContestId", s("contest-001")),
            ]);
            let snapshot_id = match round {
                Some(r) => format!("ballot-{id}-round-{r}"),
                None => format!("ballot-{id}"),
            };
            obj(vec![
                ("@id", s(snapshot_id)),
                ("@type", s("CVR.CVRSnapshot")),
                ("CVRContest", Json::Array(vec![contest])),
                ("Type", s(if round.is_some() { "interpreted" } else { "original" })),
            ])
        };
        let mut snapshots_out = vec![snapshot(None)];
        snapshots_out.extend((1..=rounds).map(|r| snapshot(Some(r))));
        let mut entries = vec![
            ("@type", s("CVR")),
            ("BallotPrePrintedId", s(id.clone())),
            (
                "CurrentSnapshotId",
                s(if rounds > 0 { format!("ballot-{id}-round-{rounds}") } else { format!("ballot-{id}") }),
            ),
            ("CVRSnapshot", Json::Array(snapshots_out)),
            ("ElectionId", s("election-001")),
        ];
        if config.output.tabulate_by_precinct {
            if let Some(gpu) = record.precinct.as_deref().and_then(gpu_of) {
                entries.push(("BallotStyleUnitId", s(gpu)));
            }
        }
        cvrs.push(obj(entries));
    }

    let mut names: Vec<&str> = candidates.names.iter().map(String::as_str).collect();
    if config.sources.iter().any(|s| s.options.overvote_label.is_some()) {
        names.push(OVERVOTE);
    }
    names.sort_unstable();
    let election = obj(vec![
        ("@id", s("election-001")),
        ("@type", s("Election")),
        (
            "Candidate",
            Json::Array(names.iter().map(|n| obj(vec![("@id", s(candidate_id(n))), ("Name", s(*n))])).collect()),
        ),
        (
            "Contest",
            Json::Array(vec![obj(vec![
                ("@id", s("contest-001")),
                ("@type", s("CandidateContest")),
                (
                    "ContestSelection",
                    Json::Array(
                        names
                            .iter()
                            .map(|n| {
                                obj(vec![
                                    ("@id", s(selection_id(n))),
                                    ("@type", s("ContestSelection")),
                                    ("CandidateIds", Json::Array(vec![s(candidate_id(n))])),
                                ])
                            })
                            .collect(),
                    ),
                ),
                ("Name", s(config.output.contest_name.clone())),
            ])]),
        ),
        ("ElectionScopeId", s("gpu-election")),
    ]);
    let mut units = vec![obj(vec![
        ("@id", s("gpu-election")),
        ("@type", s("GpUnit")),
        ("Name", s(config.output.contest_jurisdiction.clone())),
        ("OtherType", s("Election Scope Jurisdiction")),
        ("Type", s("other")),
    ])];
    for (i, p) in precincts.iter().enumerate() {
        units.push(obj(vec![
            ("@id", s(format!("gpu-{}", i + 1))),
            ("@type", s("GpUnit")),
            ("Name", s(*p)),
            ("Type", s("precinct")),
        ]));
    }
    obj(vec![
        ("@type", s("CVR.CastVoteRecordReport")),
        ("CVR", Json::Array(cvrs)),
        ("Election", Json::Array(vec![election])),
        ("GeneratedDate", s(generated)),
        ("GpUnit", Json::Array(units)),
        ("ReportGeneratingDeviceIds", Json::Array(vec![s("rd-001")])),
        (
            "ReportingDevice",
            Json::Array(vec![obj(vec![
                ("@id", s("rd-001")),
                ("@type", s("CVR.ReportingDevice")),
                ("Application", s("psephos")),
                ("Manufacturer", s("psephos")),
            ])]),
        ),
        ("Version", s("1.0.0")),
    ])
    .pretty()
}

/// The column layout of RCTab's CVR CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CvrCsvLayout {
    /// Written by a conversion: with RCTab's record id and the vendor's id.
    Conversion,
    /// Written beside a count (`<stem>_rctab_cvr.csv`): with the record id only.
    Tabulation,
}

/// Render the CVRs as RCTab's own CVR CSV: one row per record with its
/// source, ids, precinct and one column per rank (candidates marked at the
/// same rank on separate lines of one cell; `undervote` where none).
pub fn rctab_cvr_csv(
    config: &ContestConfig,
    records: &[CastVoteRecord],
    source_ranges: &[std::ops::Range<usize>],
    layout: CvrCsvLayout,
) -> String {
    let max_rank = config.max_rankings();
    let mut names = std::collections::HashMap::new();
    for c in &config.candidates {
        names.insert(c.name.as_str(), c.name.as_str());
        for a in &c.aliases {
            names.insert(a.as_str(), c.name.as_str());
        }
    }
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let columns: &[&str] = match layout {
        CvrCsvLayout::Conversion => &[
            "Source Filepath",
            "CVR Provider",
            "Contest Id",
            "RCTab CVR Id",
            "Tabulator Id",
            "Batch Id",
            "Vendor Id",
            "Precinct",
            "Precinct Portion",
        ],
        CvrCsvLayout::Tabulation => &[
            "Source Filepath",
            "CVR Provider",
            "Contest Id",
            "Tabulator Id",
            "Batch Id",
            "Record Id",
            "Precinct",
            "Precinct Portion",
        ],
    };
    let mut header: Vec<String> = columns.iter().map(|s| (*s).to_owned()).collect();
    header.extend((1..=max_rank).map(|r| format!("Rank {r}")));
    let _ = w.write_record(&header);
    // Fields are written one by one, borrowed from the records.
    let mut joined = String::new();
    for (s, range) in source_ranges.iter().enumerate() {
        let source = &config.sources[s];
        let uwi = source.options.undeclared_write_in_label.as_deref().unwrap_or(UNDECLARED_WRITE_INS);
        for r in &records[range.clone()] {
            fn text(v: &Option<String>) -> &str {
                v.as_deref().unwrap_or_default()
            }
            let leading: [&str; 9] = match layout {
                CvrCsvLayout::Conversion => [
                    &source.file_path,
                    source.provider.label(),
                    text(&r.contest_id),
                    &r.computed_id,
                    text(&r.tabulator_id),
                    text(&r.batch),
                    text(&r.supplied_id),
                    text(&r.precinct),
                    text(&r.precinct_portion),
                ],
                CvrCsvLayout::Tabulation => [
                    &source.file_path,
                    source.provider.label(),
                    text(&r.contest_id),
                    text(&r.tabulator_id),
                    text(&r.batch),
                    text(&r.supplied_id),
                    text(&r.precinct),
                    text(&r.precinct_portion),
                    "",
                ],
            };
            for field in &leading[..columns.len()] {
                let _ = w.write_field(field);
            }
            for rank in 1..=max_rank as u32 {
                let mut marks = r.rankings.iter().filter(|(k, _)| *k == rank).map(|(_, m)| mark_label(m, &names, uwi));
                let field = match (marks.next(), marks.next()) {
                    (None, _) => "undervote",
                    (Some(only), None) => only,
                    (Some(first), Some(second)) => {
                        joined.clear();
                        joined.push_str(first);
                        for m in std::iter::once(second).chain(marks) {
                            joined.push('\n');
                            joined.push_str(m);
                        }
                        &joined
                    }
                };
                let _ = w.write_field(field);
            }
            let _ = w.write_record(None::<&[u8]>);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A mark as the CVR CSV shows it: a candidate by the declared name its
/// alias stands for, an overvote, or the source's write-in label.
fn mark_label<'a>(m: &'a Mark, names: &std::collections::HashMap<&str, &'a str>, uwi: &'a str) -> &'a str {
    match m {
        Mark::Candidate(name) => names.get(&**name).copied().unwrap_or(name),
        Mark::Overvote => OVERVOTE,
        Mark::UndeclaredWriteIn => uwi,
    }
}
