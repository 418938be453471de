//! JSON output. The shapes here are a stable interface: add keys, never
//! rename or remove them.

use psephos::tabulation::{RoundAction, RoundKind};
use psephos::{
    CandidateId, Candidates, Election, Event, NormaliseReport, PairwiseMatrix, Round, Tabulation, TieDecision,
    TransferTarget,
};
use serde_json::{json, Map, Value};

use crate::tally::{Outcome, Source};

/// `tally --json`.
pub fn tally(source: &Source, election: &Election, outcomes: &[Outcome]) -> Value {
    let c = &election.candidates;
    let results: Vec<Value> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Counted(t) => {
                let mut v = tabulation_json(t, c);
                if source.converted.contains(&t.rule.id()) {
                    v["counted_on"] = json!("rankings converted from scores");
                }
                v
            }
            Outcome::Refused(rule, reason) => json!({"rule": rule, "refused": reason}),
        })
        .collect();
    json!({
        "file": source.name,
        "title": source.title,
        "format": source.format.to_string(),
        "ballot_kind": election.profile.kind(),
        "max_score": source.max_score,
        "conversion": source.conversion.map(|c| c.as_str()),
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
            let mut round = json!({
                "round": r.number,
                "kind": if r.kind.is_ballots() { "ballots" } else { "scores" },
                "tally": tally,
                "inactive": inactive,
                "counted": r.counted(),
                "eliminated": r.eliminated().map(|id| c.name(id)).collect::<Vec<_>>(),
                "elected": r.elected().map(|id| c.name(id)).collect::<Vec<_>>(),
                "transfers": transfers,
                "events": events,
            });
            if let RoundKind::Scores { scale } = r.kind {
                round["scale"] = json!(scale);
            }
            if let Some(a) = action_json(r, c) {
                round["action"] = a;
            }
            round
        })
        .collect();
    let mut out = json!({
        "rule": t.rule.to_string(),
        "description": t.rule.description(),
        "winners": t.elected.iter().map(|&id| c.name(id)).collect::<Vec<_>>(),
        "rounds": rounds,
        "ties": t.ties.iter().map(|d| tie_json(d, c)).collect::<Vec<_>>(),
        "warnings": t.warnings,
    });
    if t.decimals > 0 {
        out["decimals"] = json!(t.decimals);
    }
    if let Some(q) = t.quota {
        out["quota"] = json!(q);
    }
    if let Some(m) = &t.pairwise {
        out["pairwise"] = pairwise_json(m, c);
    }
    out
}

/// The pairwise matrix over the standing candidates, in candidate order:
/// `wins[i][j]` ballots prefer `candidates[i]` to `candidates[j]`; with the
/// Condorcet winner (or null) and the Smith set.
pub fn pairwise_json(m: &PairwiseMatrix, c: &Candidates) -> Value {
    let ids: Vec<CandidateId> = c.standing().filter(|id| id.index() < m.num_candidates()).collect();
    let wins: Vec<Vec<u64>> =
        ids.iter().map(|&a| ids.iter().map(|&b| if a == b { 0 } else { m.get(a, b) }).collect()).collect();
    json!({
        "candidates": ids.iter().map(|&id| c.name(id)).collect::<Vec<_>>(),
        "wins": wins,
        "condorcet_winner": m.condorcet_winner(&ids).map(|id| c.name(id)),
        "smith_set": m.smith_set(&ids).into_iter().map(|id| c.name(id)).collect::<Vec<_>>(),
    })
}

/// What a transferable-vote round did; vote figures in the count's units.
fn action_json(r: &Round, c: &Candidates) -> Option<Value> {
    Some(match r.action.as_ref()? {
        RoundAction::FirstPreferences => json!({"action": "first-preferences"}),
        RoundAction::Surplus { candidate, surplus, transfer_value } => json!({
            "action": "surplus",
            "candidate": c.name(*candidate),
            "surplus": surplus,
            "transfer_value": transfer_value,
        }),
        RoundAction::Exclusion { candidates } => json!({
            "action": "exclusion",
            "candidates": candidates.iter().map(|&id| c.name(id)).collect::<Vec<_>>(),
        }),
        RoundAction::Iteration { iterations, quota, keep_values } => {
            let keep: Map<String, Value> =
                keep_values.iter().map(|&(id, k)| (c.name(id).to_owned(), json!(k))).collect();
            json!({"action": "iteration", "iterations": iterations, "quota": quota, "keep_values": keep})
        }
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

/// What normalisation did: `tally --json`'s `normalisation`.
pub fn normalisation_json(r: &NormaliseReport) -> Value {
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
