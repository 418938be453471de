//! Any psephos count rendered as RCTab's detailed-report JSON, so the
//! viewers that read RCTab's reports (RCVis and others) can show it.
//!
//! Each round of the [`Tabulation`] becomes an RCTab round: the tally, the
//! threshold (a majority of the votes counted in the round for a
//! single-winner count, the quota of a transferable-vote count), the
//! inactive ballots by RCTab's reasons (psephos's `exhausted`, `overvote`,
//! `skipped` and `duplicate`; blank ballots are RCTab's undervotes), and who
//! was elected or eliminated with where their ballots went in the next
//! round (any inactive reason is RCTab's `exhausted`).

use std::collections::BTreeMap;

use psephos::{Candidates, EliminatedReason, Event, InactiveReason, Tabulation, TransferTarget};

use crate::decimal::Decimal;
use crate::report::{Json, GENERATED_BY};

/// Render a count as RCTab's detailed-report JSON; `contest` names it.
pub fn rctab_json(contest: &str, candidates: &Candidates, t: &Tabulation) -> String {
    let places = u32::from(t.decimals);
    let dec = |v: u64| Json::Str(Decimal::new(i128::from(v), places).to_string());
    let obj = |entries: Vec<(&str, Json)>| Json::object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
    let threshold = |counted: u64| match t.quota {
        Some(q) if t.seats > 1 || t.rule.id() != "irv" => q,
        _ => {
            // A majority: more than half, in the count's smallest unit.
            counted / 2 + 1
        }
    };
    let mut results = Vec::new();
    let mut last_threshold = 0;
    for (i, round) in t.rounds.iter().enumerate() {
        let counted: u64 = round.tally.iter().map(|(_, v)| v).sum();
        let th = threshold(counted);
        last_threshold = th;
        let next = t.rounds.get(i + 1);
        let mut actions = Vec::new();
        let mut acted: Vec<(&str, psephos::CandidateId)> = Vec::new();
        for e in &round.events {
            match e {
                Event::Elected { candidate, .. } => acted.push(("elected", *candidate)),
                // RCTab does not eliminate the losers of the final round.
                Event::Eliminated { reason: EliminatedReason::Defeated | EliminatedReason::NotElected, .. } => {}
                Event::Eliminated { candidate, .. } => acted.push(("eliminated", *candidate)),
            }
        }
        // RCTab lists the elected before the eliminated, each by name.
        acted.sort_by(|a, b| (a.0 != "elected", candidates.name(a.1)).cmp(&(b.0 != "elected", candidates.name(b.1))));
        for (kind, c) in acted {
            let mut moved: BTreeMap<String, u64> = BTreeMap::new();
            for tr in next.map(|n| n.transfers.as_slice()).unwrap_or_default() {
                if tr.from != c {
                    continue;
                }
                let to = match tr.to {
                    TransferTarget::Candidate(d) => candidates.name(d).to_owned(),
                    TransferTarget::Inactive(_) => "exhausted".to_owned(),
                };
                *moved.entry(to).or_default() += tr.votes;
            }
            actions.push(obj(vec![
                (kind, Json::Str(candidates.name(c).to_owned())),
                ("transfers", Json::object(moved.into_iter().map(|(k, v)| (k, dec(v))).collect())),
            ]));
        }
        results.push(obj(vec![
            ("round", Json::Num(round.number.to_string())),
            (
                "tally",
                Json::object(round.tally.iter().map(|(c, v)| (candidates.name(*c).to_owned(), dec(*v))).collect()),
            ),
            ("tallyResults", Json::Array(actions)),
            ("threshold", dec(th)),
            (
                "inactiveBallots",
                obj(vec![
                    ("overvotes", dec(round.inactive.get(InactiveReason::Overvote))),
                    ("skippedRankings", dec(round.inactive.get(InactiveReason::Skipped))),
                    ("exhaustedChoices", dec(round.inactive.get(InactiveReason::Exhausted))),
                    ("repeatedRankings", dec(round.inactive.get(InactiveReason::Duplicate))),
                ]),
            ),
        ]));
    }
    let blank = t.rounds.first().map_or(0, |r| r.inactive.get(InactiveReason::Blank));
    let unit = 10u64.pow(places);
    obj(vec![
        (
            "config",
            obj(vec![
                ("contest", Json::Str(contest.to_owned())),
                ("date", Json::Str(String::new())),
                ("generatedBy", Json::Str(GENERATED_BY.to_owned())),
                ("jurisdiction", Json::Str(String::new())),
                ("office", Json::Str(String::new())),
            ]),
        ),
        ("jsonFormatVersion", Json::Str("1".into())),
        ("results", Json::Array(results)),
        (
            "summary",
            obj(vec![
                ("finalThreshold", dec(last_threshold)),
                ("numCandidates", Json::Num(candidates.len().to_string())),
                ("numWinners", Json::Num(t.seats.to_string())),
                ("totalNumBallots", Json::Str(t.total.to_string())),
                ("undervotes", Json::Num((blank / unit.max(1)).to_string())),
            ]),
        ),
    ])
    .pretty()
}
