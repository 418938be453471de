//! `audit` output: a plain-language summary, then the pairwise matrix,
//! winners by rule, spoilers, centre squeezes, paradoxes and margins; and the
//! same as JSON.

use std::fmt::Write;

use psephos::analysis::{Audit, BallotChange, CondorcetReport, ParadoxKind, RuleAudit, RuleOutcome, Witness};
use psephos::{CandidateId, Candidates, Election};
use serde_json::{json, Map, Value};

use super::text::thousands;

/// Names joined as "A, B and C".
fn and_list(names: &[String]) -> String {
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

fn names(c: &Candidates, ids: &[CandidateId]) -> Vec<String> {
    ids.iter().map(|&id| c.name(id).to_owned()).collect()
}

/// Winners grouped: each distinct set of winners with the rules that chose it,
/// the most common first.
fn groups(audit: &Audit) -> Vec<(Vec<CandidateId>, Vec<String>)> {
    let mut out: Vec<(Vec<CandidateId>, Vec<String>)> = Vec::new();
    for a in audit.audited() {
        let w = a.tabulation.elected.clone();
        // Seats filled in another order are the same result.
        let same = |x: &Vec<CandidateId>| x.len() == w.len() && x.iter().all(|c| w.contains(c));
        match out.iter_mut().find(|(x, _)| same(x)) {
            Some((_, rules)) => rules.push(a.rule.to_string()),
            None => out.push((w, vec![a.rule.to_string()])),
        }
    }
    out.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
    out
}

/// The plain-language findings, most important first.
pub fn summary(election: &Election, audit: &Audit) -> Vec<String> {
    let c = &election.candidates;
    let mut out = Vec::new();
    if let Some(r) = &audit.condorcet {
        out.push(condorcet_sentence(c, r, audit));
        if let Some(l) = r.loser {
            let wins: Vec<String> =
                audit.audited().filter(|a| a.tabulation.elected.contains(&l)).map(|a| a.rule.to_string()).collect();
            if !wins.is_empty() {
                out.push(format!(
                    "{} loses head to head to every other candidate, yet wins under {}.",
                    c.name(l),
                    and_list(&wins)
                ));
            }
        }
    }
    let g = groups(audit);
    match g.len() {
        0 => {}
        1 => out.push(format!("Every rule audited elects {}.", and_list(&names(c, &g[0].0)))),
        _ => {
            let parts: Vec<String> =
                g.iter().map(|(w, rules)| format!("{} under {}", and_list(&names(c, w)), and_list(rules))).collect();
            out.push(format!("The rules disagree: {}.", parts.join("; ")));
        }
    }
    let mut spoiler_lines = Vec::new();
    for a in audit.audited() {
        for s in a.spoilers.iter().filter(|s| s.is_spoiler()) {
            spoiler_lines.push(format!(
                "Under {}, {} is a spoiler: without {}, {} would win instead of {}.",
                a.rule,
                c.name(s.candidate),
                c.name(s.candidate),
                and_list(&names(c, &s.winners_without)),
                and_list(&names(c, &s.winners_with))
            ));
        }
    }
    let shown = spoiler_lines.len().min(6);
    let more = spoiler_lines.len() - shown;
    out.extend(spoiler_lines.into_iter().take(shown));
    if more > 0 {
        out.push(format!("… and {more} more spoiler findings (see Spoilers)."));
    }
    let failed: Vec<String> = audit
        .rules
        .iter()
        .filter_map(|o| match o {
            RuleOutcome::Failed(rule, _) => Some(rule.to_string()),
            RuleOutcome::Audited(_) => None,
        })
        .collect();
    if !failed.is_empty() {
        let verb = if failed.len() == 1 { "was" } else { "were" };
        out.push(format!("{} could not be counted and {verb} not audited (see Winners by rule).", and_list(&failed)));
    }
    if audit.audited().next().is_none() {
        out.push("No rule could be counted, so nothing is said of winners, spoilers or paradoxes.".to_owned());
        return out;
    }
    if audit.audited().all(|a| a.spoilers.iter().all(|s| !s.is_spoiler())) {
        out.push("No losing candidate's withdrawal changes the winner under any rule audited.".to_owned());
    }
    for a in audit.audited() {
        if let Some(p) = &a.paradoxes {
            for f in &p.findings {
                out.push(format!(
                    "Under {}, {}.",
                    a.rule,
                    paradox_sentence(c, f.kind, f.winner, f.candidate, &f.witness)
                ));
            }
        }
    }
    out
}

fn condorcet_sentence(c: &Candidates, r: &CondorcetReport, audit: &Audit) -> String {
    match r.winner {
        Some(cw) => {
            let squeezed: Vec<String> =
                audit.audited().filter_map(|a| a.squeeze.map(|s| format!("{} in round {}", a.rule, s.round))).collect();
            let lost: Vec<String> = audit
                .audited()
                .filter(|a| !a.tabulation.elected.contains(&cw) && a.squeeze.is_none())
                .map(|a| a.rule.to_string())
                .collect();
            let mut s = format!("{} beats every other candidate head to head", c.name(cw));
            if audit.audited().next().is_none() {
                s.push('.');
                return s;
            }
            if squeezed.is_empty() && lost.is_empty() {
                s.push_str(" and wins under every rule audited.");
                return s;
            }
            if !squeezed.is_empty() {
                let _ = write!(s, " but is eliminated by {}", and_list(&squeezed));
            }
            if !lost.is_empty() {
                let _ =
                    write!(s, "{} loses under {}", if squeezed.is_empty() { " but" } else { ", and" }, and_list(&lost));
            }
            s.push('.');
            s
        }
        None if r.cycle.len() >= 3 => {
            let k = r.cycle.len();
            let steps: Vec<String> =
                (0..k).map(|i| format!("{} beats {}", c.name(r.cycle[i]), c.name(r.cycle[(i + 1) % k]))).collect();
            format!(
                "No candidate beats every other head to head: {} (Smith set: {}).",
                and_list(&steps),
                and_list(&names(c, &r.smith_set))
            )
        }
        None => format!(
            "No candidate beats every other head to head (ties; Smith set: {}).",
            and_list(&names(c, &r.smith_set))
        ),
    }
}

fn paradox_sentence(c: &Candidates, kind: ParadoxKind, w: CandidateId, x: CandidateId, wit: &Witness) -> String {
    let after = and_list(&names(c, wit.winners_after()));
    let n = thousands(wit.ballots());
    match kind {
        ParadoxKind::UpwardMonotonicity => format!(
            "{} would lose if {n} more voters ranked {} first ({after} would win instead): an upward monotonicity failure",
            c.name(w),
            c.name(w)
        ),
        ParadoxKind::DownwardMonotonicity => format!(
            "{} would win if {n} of their voters ranked them lower: a downward monotonicity failure",
            c.name(x)
        ),
        ParadoxKind::NoShow => format!(
            "{n} voters who prefer {} to {} would get {} by staying at home: a no-show paradox",
            c.name(x),
            c.name(w),
            c.name(x)
        ),
    }
}

fn ranking(c: &Candidates, r: &[CandidateId]) -> String {
    if r.is_empty() {
        return "(no choice)".to_owned();
    }
    r.iter().map(|&id| c.name(id)).collect::<Vec<_>>().join(" > ")
}

fn change_line(c: &Candidates, ch: &BallotChange) -> String {
    match &ch.to {
        Some(to) => format!("{} × {}  →  {}", thousands(ch.count), ranking(c, &ch.from), ranking(c, to)),
        None => format!("{} × {}  →  removed", thousands(ch.count), ranking(c, &ch.from)),
    }
}

fn witness_text(out: &mut String, c: &Candidates, w: &Witness, indent: &str) {
    const SHOW: usize = 4;
    for ch in w.changes.iter().take(SHOW) {
        let _ = writeln!(out, "{indent}{}", change_line(c, ch));
    }
    if w.changes.len() > SHOW {
        let rest: u64 = w.changes[SHOW..].iter().map(|x| x.count).sum();
        let _ = writeln!(
            out,
            "{indent}… and {} more ballots of {} other rankings (--json lists them all)",
            thousands(rest),
            w.changes.len() - SHOW
        );
    }
    if w.recount.rounds.last().is_some_and(|r| !r.kind.is_ballots()) {
        let _ = writeln!(out, "{indent}recount: {} wins", and_list(&names(c, w.winners_after())));
    } else if let Some(last) = w.recount.rounds.last() {
        let tally: Vec<String> = last.tally.iter().map(|&(id, v)| format!("{} {}", c.name(id), thousands(v))).collect();
        let _ = writeln!(
            out,
            "{indent}recount: {} wins (round {}: {})",
            and_list(&names(c, w.winners_after())),
            last.number,
            tally.join(", ")
        );
    }
}

/// `audit` as text.
pub fn text(name: &str, title: &str, election: &Election, audit: &Audit, budget: Option<u64>) -> String {
    let c = &election.candidates;
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "{name} · {} ballots · {} candidates · audit of {} rules",
        thousands(election.total_ballots()),
        c.standing().count(),
        audit.rules.len()
    );
    if let Some(seconds) = budget {
        let short = cut_short(audit);
        let _ = writeln!(
            out,
            "Time budget: {} s for the paradox and margin searches ({} recounts made); {}",
            thousands(seconds),
            thousands(search_recounts(audit)),
            if short.is_empty() {
                "every search finished within it.".to_owned()
            } else {
                format!("cut short, so they searched less than they would have: {}.", short.join(", "))
            }
        );
    }
    out.push('\n');
    out.push_str("Summary\n");
    for s in summary(election, audit) {
        let _ = writeln!(out, "  • {s}");
    }
    if let Some(r) = &audit.condorcet {
        out.push('\n');
        matrix_text(&mut out, c, r);
    }
    out.push_str("\nWinners by rule\n");
    for (w, rules) in groups(audit) {
        let _ = writeln!(out, "  {:<24} {}", and_list(&names(c, &w)), rules.join(", "));
    }
    for o in &audit.rules {
        if let RuleOutcome::Failed(rule, e) = o {
            let _ = writeln!(out, "  {rule}: not counted: {}", crate::count_error_message(e, election));
        }
    }
    out.push_str("\nSpoilers (each losing candidate withdrawn, ballots counted again)\n");
    for a in audit.audited() {
        spoilers_text(&mut out, c, a);
    }
    if let Some(cw) = audit.condorcet.as_ref().and_then(|r| r.winner) {
        out.push_str("\nCentre squeeze\n");
        let sq: Vec<&RuleAudit> = audit.audited().filter(|a| a.squeeze.is_some()).collect();
        if sq.is_empty() {
            let _ = writeln!(out, "  No rule audited eliminates {}, the Condorcet winner.", c.name(cw));
        }
        for a in sq {
            let s = a.squeeze.expect("filtered");
            let votes = s.votes.map(|v| format!(" with {} votes", thousands(v))).unwrap_or_default();
            let _ = writeln!(out, "  {}: {} eliminated in round {}{votes}", a.rule, c.name(cw), s.round);
        }
    }
    out.push_str("\nParadoxes (a heuristic search: findings are re-counted proofs; finding none proves nothing)\n");
    for a in audit.audited() {
        let Some(p) = &a.paradoxes else { continue };
        let stages: Vec<String> = p.stages.iter().map(|s| s.to_string()).collect();
        let _ = writeln!(
            out,
            "  {}: stages at round{} {}; {} proposals, {} ruled out head to head, {} recounted{}{}",
            a.rule,
            if p.stages.len() == 1 { "" } else { "s" },
            if stages.is_empty() { "-".to_owned() } else { stages.join(", ") },
            p.proposals,
            p.pruned,
            p.recounts,
            if p.cut_short {
                format!(", cut short by the time budget with {} proposals untried", p.unexamined)
            } else if p.unexamined > 0 {
                format!(", {} left for lack of budget", p.unexamined)
            } else {
                String::new()
            },
            p.note.map(|n| format!(" ({n})")).unwrap_or_default()
        );
        for f in &p.findings {
            let _ = writeln!(
                out,
                "    {} (stage round {}): {}",
                f.kind.as_str(),
                f.stage,
                paradox_sentence(c, f.kind, f.winner, f.candidate, &f.witness)
            );
            witness_text(&mut out, c, &f.witness, "      ");
        }
        if p.findings.is_empty() {
            out.push_str(if p.cut_short { "    none found in what was searched\n" } else { "    none found\n" });
        }
    }
    out.push_str("\nMargins (fewest ballots to change so that someone else wins outright)\n");
    for a in audit.audited() {
        match &a.margin {
            Some(m) => {
                let _ = writeln!(
                    out,
                    "  {:<20} {} {} ({})",
                    a.rule.to_string(),
                    if m.exact { "exactly" } else { "at most" },
                    thousands(m.ballots),
                    m.method
                );
                if a.margin_search.cut_short {
                    let _ = writeln!(
                        out,
                        "      (the search was cut short by the time budget after {} recounts: fewer ballots may do)",
                        a.margin_search.recounts
                    );
                }
                witness_text(&mut out, c, &m.witness, "      ");
            }
            None if a.margin_search.cut_short => {
                let _ = writeln!(
                    out,
                    "  {:<20} not found before the time budget ran out ({} recounts)",
                    a.rule.to_string(),
                    a.margin_search.recounts
                );
            }
            None => {
                let _ = writeln!(out, "  {:<20} not found within the recount budget", a.rule.to_string());
            }
        }
    }
    out
}

fn spoilers_text(out: &mut String, c: &Candidates, a: &RuleAudit) {
    let winners = and_list(&names(c, &a.tabulation.elected));
    let sp: Vec<String> = a
        .spoilers
        .iter()
        .filter(|s| s.is_spoiler())
        .map(|s| {
            format!(
                "without {} → {} (helps {}, hurts {})",
                c.name(s.candidate),
                and_list(&names(c, &s.winners_without)),
                winners,
                and_list(&names(c, &s.winners_without))
            )
        })
        .collect();
    let failed: Vec<String> =
        a.spoilers.iter().filter(|s| s.unresolved.is_some()).map(|s| c.name(s.candidate).to_owned()).collect();
    let mut line = format!("  {:<20} {} wins; ", a.rule.to_string(), winners);
    if sp.is_empty() {
        line.push_str("no spoiler");
    } else {
        line.push_str(&sp.join("; "));
    }
    if !failed.is_empty() {
        let _ = write!(line, "; unresolved tie without {}", and_list(&failed));
    }
    let _ = writeln!(out, "{line}");
}

fn matrix_text(out: &mut String, c: &Candidates, r: &CondorcetReport) {
    let ids = &r.standing;
    let w = ids.iter().map(|&id| c.name(id).chars().count()).max().unwrap_or(4).clamp(4, 24);
    let col = ids
        .iter()
        .map(|&a| ids.iter().map(|&b| thousands(r.matrix.get(a, b)).len()).max().unwrap_or(1))
        .max()
        .unwrap_or(1)
        .max(4)
        + 2;
    for (heading, margins) in [
        ("Pairwise: ballots ranking the row candidate above the column candidate", false),
        ("Margins: row over column", true),
    ] {
        let _ = writeln!(out, "{heading}");
        let _ = write!(out, "  {:>3} {:<w$}", "", "");
        for i in 0..ids.len() {
            let _ = write!(out, "{:>col$}", i + 1);
        }
        out.push('\n');
        for (i, &a) in ids.iter().enumerate() {
            let name: String = c.name(a).chars().take(w).collect();
            let _ = write!(out, "  {:>3} {:<w$}", i + 1, name);
            for &b in ids {
                let cell = if a == b {
                    "—".to_owned()
                } else if margins {
                    let m = r.matrix.margin(a, b);
                    if m > 0 {
                        format!("+{}", thousands(m as u64))
                    } else if m < 0 {
                        format!("-{}", thousands((-m) as u64))
                    } else {
                        "0".to_owned()
                    }
                } else {
                    thousands(r.matrix.get(a, b))
                };
                let _ = write!(out, "{:>col$}", cell);
            }
            out.push('\n');
        }
    }
    let _ =
        writeln!(out, "Condorcet winner: {}", r.winner.map(|x| c.name(x).to_owned()).unwrap_or_else(|| "none".into()));
    if r.winner.is_none() && !r.cycle.is_empty() {
        let mut cyc = names(c, &r.cycle);
        cyc.push(c.name(r.cycle[0]).to_owned());
        let _ = writeln!(out, "Majority cycle: {}", cyc.join(" > "));
    }
    let _ =
        writeln!(out, "Condorcet loser: {}", r.loser.map(|x| c.name(x).to_owned()).unwrap_or_else(|| "none".into()));
    let _ = writeln!(out, "Smith set: {}", and_list(&names(c, &r.smith_set)));
}

fn changes_json(c: &Candidates, w: &Witness) -> Value {
    let changes: Vec<Value> = w
        .changes
        .iter()
        .map(|ch| json!({"from": names(c, &ch.from), "to": ch.to.as_ref().map(|t| names(c, t)), "count": ch.count}))
        .collect();
    let final_round = w.recount.rounds.last().map(|r| {
        let mut m = Map::new();
        for &(id, v) in &r.tally {
            m.insert(c.name(id).to_owned(), json!(v));
        }
        json!({"round": r.number, "tally": m})
    });
    json!({
        "changes": changes,
        "ballots": w.ballots(),
        "winners_after": names(c, w.winners_after()),
        "final_round": final_round,
    })
}

/// `audit --json`.
/// The rules whose paradox or margin search was cut short, with which.
fn cut_short(audit: &Audit) -> Vec<String> {
    audit
        .audited()
        .filter_map(|a| {
            let paradoxes = a.paradoxes.as_ref().is_some_and(|p| p.cut_short);
            let what = match (paradoxes, a.margin_search.cut_short) {
                (true, true) => "paradoxes and margin",
                (true, false) => "paradoxes",
                (false, true) => "margin",
                (false, false) => return None,
            };
            Some(format!("{} ({what})", a.rule))
        })
        .collect()
}

/// Recounts made by every paradox and margin search.
fn search_recounts(audit: &Audit) -> u64 {
    audit
        .audited()
        .map(|a| u64::from(a.paradoxes.as_ref().map_or(0, |p| p.recounts)) + u64::from(a.margin_search.recounts))
        .sum()
}

/// The audit as JSON; `budget` is the time budget in seconds, if one was given.
pub fn json(name: &str, title: &str, election: &Election, audit: &Audit, budget: Option<u64>) -> Value {
    let c = &election.candidates;
    let opt_name = |x: Option<CandidateId>| x.map(|id| json!(c.name(id))).unwrap_or(Value::Null);
    let mut winners = Map::new();
    let mut failed = Map::new();
    let mut spoilers = Map::new();
    let mut squeeze = Map::new();
    let mut paradoxes = Vec::new();
    let mut search = Map::new();
    let mut margins = Map::new();
    let mut margin_search = Map::new();
    for o in &audit.rules {
        let a = match o {
            RuleOutcome::Audited(a) => a,
            RuleOutcome::Failed(rule, e) => {
                failed.insert(rule.to_string(), json!(crate::count_error_message(e, election)));
                continue;
            }
        };
        let rule = a.rule.to_string();
        winners.insert(rule.clone(), json!(names(c, &a.tabulation.elected)));
        let list: Vec<Value> = a
            .spoilers
            .iter()
            .map(|s| {
                json!({
                    "candidate": c.name(s.candidate),
                    "winners_without": names(c, &s.winners_without),
                    "spoiler": s.is_spoiler(),
                    "helps": opt_name(s.helped),
                    "hurts": opt_name(s.hurt),
                    "method": s.method.as_str(),
                    "unresolved": s.unresolved.as_ref().map(|e| crate::count_error_message(e, election)),
                })
            })
            .collect();
        spoilers.insert(rule.clone(), json!(list));
        if let Some(s) = a.squeeze {
            squeeze.insert(rule.clone(), json!({"candidate": c.name(s.candidate), "round": s.round, "votes": s.votes}));
        }
        if let Some(p) = &a.paradoxes {
            search.insert(
                rule.clone(),
                json!({
                    "heuristic": true,
                    "stages": p.stages,
                    "proposals": p.proposals,
                    "pruned": p.pruned,
                    "recounts": p.recounts,
                    "unexamined": p.unexamined,
                    "cut_short": p.cut_short,
                    "by_kind": p.by_kind.iter().map(|k| (k.kind.as_str().to_owned(), json!({
                        "proposals": k.proposals,
                        "pruned": k.pruned,
                        "recounts": k.recounts,
                        "unexamined": k.unexamined,
                    }))).collect::<Map<String, Value>>(),
                    "note": p.note,
                }),
            );
            for f in &p.findings {
                paradoxes.push(json!({
                    "rule": rule,
                    "kind": f.kind.as_str(),
                    "winner": c.name(f.winner),
                    "candidate": c.name(f.candidate),
                    "stage": f.stage,
                    "witness": changes_json(c, &f.witness),
                    "confirmed": f.confirmed,
                }));
            }
        }
        margin_search.insert(
            rule.clone(),
            json!({"recounts": a.margin_search.recounts, "cut_short": a.margin_search.cut_short}),
        );
        if let Some(m) = &a.margin {
            margins.insert(
                rule.clone(),
                json!({"ballots": m.ballots, "exact": m.exact, "method": m.method, "witness": changes_json(c, &m.witness)}),
            );
        }
    }
    let r = audit.condorcet.as_ref();
    let pairwise = r.map(|r| {
        let ids = &r.standing;
        let counts: Vec<Vec<u64>> =
            ids.iter().map(|&a| ids.iter().map(|&b| if a == b { 0 } else { r.matrix.get(a, b) }).collect()).collect();
        let margins: Vec<Vec<i128>> =
            ids.iter().map(|&a| ids.iter().map(|&b| r.matrix.margin(a, b)).collect()).collect();
        json!({"candidates": names(c, ids), "counts": counts, "margins": margins})
    });
    json!({
        "file": name,
        "title": title,
        "ballots": election.total_ballots(),
        "candidates": c.standing().map(|id| c.name(id).to_owned()).collect::<Vec<_>>(),
        "summary": summary(election, audit),
        "pairwise": pairwise,
        "condorcet_winner": opt_name(r.and_then(|r| r.winner)),
        "condorcet_loser": opt_name(r.and_then(|r| r.loser)),
        "smith_set": r.map(|r| names(c, &r.smith_set)).unwrap_or_default(),
        "cycle": r.map(|r| names(c, &r.cycle)).unwrap_or_default(),
        "winners": winners,
        "failed": failed,
        "spoilers": spoilers,
        "centre_squeeze": squeeze,
        "paradoxes": paradoxes,
        "paradox_search": search,
        "margins": margins,
        "margin_search": margin_search,
        "budget": budget.map(|seconds| json!({
            "seconds": seconds,
            "recounts": search_recounts(audit),
            "cut_short": cut_short(audit),
        })),
    })
}
