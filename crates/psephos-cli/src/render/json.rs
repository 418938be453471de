//! JSON output. The shapes here are a stable interface: add keys, never
//! rename or remove them.

use psephos::{Candidates, Election, Event, NormaliseReport, Tabulation, TieDecision, TransferTarget};
use psephos_io::BallotFile;
use serde_json::{json, Map, Value};

use crate::commands::tally::{title, Outcome};

/// `tally --json`.
pub fn tally(name: &str, file: &BallotFile, election: &Election, outcomes: &[Outcome]) -> Value {
    let c = &election.candidates;
    let results: Vec<Value> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Counted(t) => tabulation_json(t, c),
            Outcome::Refused(rule, reason) => json!({"rule": rule, "refused": reason}),
        })
        .collect();
    json!({
        "file": name,
        "title": title(name, file),
        "format": file.format.to_string(),
        "candidates": c.iter().map(|(_, x)| x.name.clone()).collect::<Vec<_>>(),
        "withdrawn": c.iter().filter(|(_, x)| x.withdrawn).map(|(_, x)| x.name.clone()).collect::<Vec<_>>(),
        "seats": election.seats,
        "ballots": election.total_ballots(),
        "normalisation": election.normalisation.as_ref().map(normalisation_json),
        "results": results,
    })
}

/// One tabulation: `{"rule", "winners", "rounds": [...], "ties": [...]}`.
pub fn tabulation_json(t: &Tabulation, c: &Candidates) -> Value {
    let rounds: Vec<Value> = t
        .rounds
        .iter()
        .map(|r| {
            let mut tally = Map::new();
            for &(id, v) in &r.tally {
                tally.insert(c.name(id).to_owned(), json!(v));
            }
            let mut inactive = Map::new();
            for (reason, v) in r.inactive.iter() {
                inactive.insert(reason.as_str().to_owned(), json!(v));
            }
            let transfers: Vec<Value> = r
                .transfers
                .iter()
                .map(|tr| {
                    let to = match tr.to {
                        TransferTarget::Candidate(id) => json!(c.name(id)),
                        TransferTarget::Inactive(reason) => json!(format!("inactive:{reason}")),
                    };
                    json!({"from": c.name(tr.from), "to": to, "votes": tr.votes})
                })
                .collect();
            let events: Vec<Value> = r
                .events
                .iter()
                .map(|e| match *e {
                    Event::Elected { candidate, reason } => {
                        json!({"elected": c.name(candidate), "reason": reason})
                    }
                    Event::Eliminated { candidate, reason } => {
                        json!({"eliminated": c.name(candidate), "reason": reason})
                    }
                })
                .collect();
            json!({
                "round": r.number,
                "tally": tally,
                "inactive": inactive,
                "counted": r.counted(),
                "eliminated": r.eliminated().map(|id| c.name(id)).collect::<Vec<_>>(),
                "elected": r.elected().map(|id| c.name(id)).collect::<Vec<_>>(),
                "transfers": transfers,
                "events": events,
            })
        })
        .collect();
    json!({
        "rule": t.rule,
        "winners": t.elected.iter().map(|&id| c.name(id)).collect::<Vec<_>>(),
        "rounds": rounds,
        "ties": t.ties.iter().map(|d| tie_json(d, c)).collect::<Vec<_>>(),
        "warnings": t.warnings,
    })
}

fn tie_json(d: &TieDecision, c: &Candidates) -> Value {
    json!({
        "round": d.round,
        "kind": d.kind,
        "tied": d.tied.iter().map(|&id| c.name(id)).collect::<Vec<_>>(),
        "chosen": c.name(d.chosen),
        "step": d.step.as_str(),
    })
}

fn normalisation_json(r: &NormaliseReport) -> Value {
    json!({
        "overvote": r.policy.overvote.to_string(),
        "skipped": r.policy.skipped.to_string(),
        "duplicates": r.policy.duplicates.to_string(),
        "ballots": r.ballots,
        "unique_ballots": r.unique_after,
        "blank": r.blank,
        "with_overvote": r.with_overvote,
        "with_skipped": r.with_skipped,
        "with_duplicate": r.with_duplicate,
        "truncated_overvote": r.truncated_overvote,
        "truncated_skipped": r.truncated_skipped,
        "truncated_duplicate": r.truncated_duplicate,
    })
}
