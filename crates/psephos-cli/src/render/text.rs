//! Text output: readable round-by-round tables.

use std::fmt::Write;

use psephos::tabulation::{RoundAction, RoundKind};
use psephos::{CandidateId, Candidates, ElectedReason, Election, Event, InactiveReason, Tabulation};
use psephos_io::BallotFile;

use crate::commands::tally::{title, Outcome};

/// The widest a table gets before rounds wrap into another block.
const MAX_WIDTH: usize = 120;
/// Width of one round's column.
const COL: usize = 18;

/// `12345678` → `12,345,678`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A vote figure in the count's units, with thousands separators and the
/// count's decimals.
pub fn votes(t: &Tabulation, v: u64) -> String {
    let unit = t.unit();
    if unit == 1 {
        return thousands(v);
    }
    format!("{}.{:0width$}", thousands(v / unit), v % unit, width = usize::from(t.decimals))
}

/// A percentage with one decimal, or blank when the base is zero.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// `tally` output.
pub fn tally(name: &str, file: &BallotFile, election: &Election, outcomes: &[Outcome]) -> String {
    let c = &election.candidates;
    let mut out = String::new();
    let _ = writeln!(out, "{}", title(name, file));
    let standing = c.standing().count();
    let _ = writeln!(
        out,
        "{} ({}) · {} ballots · {} candidates{} · {} seat{}",
        name,
        file.format,
        thousands(election.total_ballots()),
        standing,
        match c.len() - standing {
            0 => String::new(),
            w => format!(" ({w} withdrawn)"),
        },
        election.seats,
        if election.seats == 1 { "" } else { "s" }
    );
    if let Some(r) = &election.normalisation {
        let _ = writeln!(out, "Normalisation: {}", r.policy);
        let mut notes = Vec::new();
        if r.blank > 0 {
            notes.push(format!("{} blank", thousands(r.blank)));
        }
        if r.with_overvote > 0 {
            notes.push(format!(
                "{} with an overvoted rank ({} cut short there)",
                thousands(r.with_overvote),
                thousands(r.truncated_overvote)
            ));
        }
        if r.with_skipped > 0 {
            notes.push(format!(
                "{} with skipped ranks ({} cut short)",
                thousands(r.with_skipped),
                thousands(r.truncated_skipped)
            ));
        }
        if r.with_duplicate > 0 {
            notes.push(format!(
                "{} ranking a candidate twice ({} cut short)",
                thousands(r.with_duplicate),
                thousands(r.truncated_duplicate)
            ));
        }
        if !notes.is_empty() {
            let _ = writeln!(out, "  {}", notes.join("; "));
        }
    }
    for o in outcomes {
        out.push('\n');
        match o {
            Outcome::Counted(t) => out.push_str(&tabulation(t, c)),
            Outcome::Refused(rule, reason) => {
                let _ = writeln!(out, "── {rule} ──\n  not counted: {reason}");
            }
        }
    }
    if outcomes.len() > 1 {
        out.push('\n');
        out.push_str(&summary(outcomes, c));
    }
    out
}

/// Winners side by side, when several rules were counted.
fn summary(outcomes: &[Outcome], c: &Candidates) -> String {
    let mut out = String::from("Winners by rule\n");
    let w = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Counted(t) => t.rule.len(),
            Outcome::Refused(r, _) => r.len(),
        })
        .max()
        .unwrap_or(0);
    for o in outcomes {
        match o {
            Outcome::Counted(t) => {
                let names: Vec<&str> = t.elected.iter().map(|&id| c.name(id)).collect();
                let _ = writeln!(out, "  {:w$}  {}", t.rule, names.join(", "));
            }
            Outcome::Refused(rule, _) => {
                let _ = writeln!(out, "  {rule:w$}  (not counted)");
            }
        }
    }
    out
}

/// One rule's round-by-round table.
pub fn tabulation(t: &Tabulation, c: &Candidates) -> String {
    let mut out = String::new();
    let description = psephos::CATALOGUE.iter().find(|i| i.id == t.rule).map(|i| i.description).unwrap_or("");
    let _ = writeln!(out, "── {} ──", t.rule);
    if !description.is_empty() {
        let _ = writeln!(out, "{description}");
    }
    // Rows: candidates ordered by how far they got, then by votes there.
    let mut rows: Vec<(CandidateId, usize, u64)> = Vec::new();
    for (id, _) in c.iter() {
        let last = t.rounds.iter().enumerate().rev().find_map(|(i, r)| r.votes(id).map(|v| (i, v)));
        if let Some((i, v)) = last {
            rows.push((id, i, v));
        }
    }
    rows.sort_by(|a, b| {
        let won = |id| t.elected.contains(&id);
        won(b.0).cmp(&won(a.0)).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0))
    });
    let name_w = rows.iter().map(|r| c.name(r.0).chars().count()).max().unwrap_or(0).clamp(19, 28);
    let reasons: Vec<InactiveReason> =
        InactiveReason::ALL.iter().copied().filter(|&r| t.rounds.iter().any(|x| x.inactive.get(r) > 0)).collect();
    let col = if t.decimals > 0 { COL + usize::from(t.decimals) + 3 } else { COL };
    let per_block = ((MAX_WIDTH - name_w - 2) / col).max(1);
    if let Some(q) = t.quota {
        let _ = writeln!(out, "Quota: {} · seats: {}", votes(t, q), t.seats);
    }
    for block in t.rounds.chunks(per_block) {
        let _ = write!(out, "{:name_w$}  ", "");
        for r in block {
            let _ = write!(out, "{:>col$}", format!("Round {}", r.number));
        }
        out.push('\n');
        for &(id, _, _) in &rows {
            let _ = write!(out, "{:name_w$}  ", clip(c.name(id), name_w));
            for r in block {
                let cell = match (r.votes(id), r.kind) {
                    (Some(v), RoundKind::Ballots) => format!("{} {:>6}", votes(t, v), percent(v, r.counted())),
                    (Some(v), RoundKind::Scores { scale }) => score(v, scale),
                    (None, _) => String::new(),
                };
                let _ = write!(out, "{cell:>col$}");
            }
            out.push('\n');
        }
        for &reason in &reasons {
            let _ = write!(out, "{:name_w$}  ", clip(&format!("inactive: {reason}"), name_w));
            for r in block {
                let _ = write!(out, "{:>col$}", votes(t, r.inactive.get(reason)));
            }
            out.push('\n');
        }
        if block.iter().any(|r| r.rounding_loss > 0) {
            let _ = write!(out, "{:name_w$}  ", "lost to rounding");
            for r in block {
                let _ = write!(out, "{:>col$}", votes(t, r.rounding_loss));
            }
            out.push('\n');
        }
        if block.iter().any(|r| r.kind.is_ballots()) {
            let _ = write!(out, "{:name_w$}  ", "total");
            for r in block {
                let cell = if r.kind.is_ballots() {
                    votes(t, r.counted() + r.inactive.total() + r.rounding_loss)
                } else {
                    String::new()
                };
                let _ = write!(out, "{cell:>col$}");
            }
            out.push('\n');
        }
        if block.iter().any(|r| r.action.is_some()) {
            let _ = write!(out, "{:name_w$}  ", "action");
            for r in block {
                let _ = write!(out, "{:>col$}", clip(&action(t, r, c), col - 2));
            }
            out.push('\n');
        }
        for (label, pick) in [("eliminated", false), ("elected", true)] {
            if block.iter().all(|r| if pick { r.elected().next().is_none() } else { r.eliminated().next().is_none() }) {
                continue;
            }
            let _ = write!(out, "{:name_w$}  ", label);
            for r in block {
                let names: Vec<&str> = if pick {
                    r.elected().map(|id| c.name(id)).collect()
                } else {
                    r.eliminated().filter(|id| !t.elected.contains(id)).map(|id| c.name(id)).collect()
                };
                let cell = match names.len() {
                    0 => String::new(),
                    1 => clip(names[0], col - 2),
                    n => format!("{n} candidates"),
                };
                let _ = write!(out, "{cell:>col$}");
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&verdict(t, c));
    for d in &t.ties {
        let tied: Vec<&str> = d.tied.iter().map(|&id| c.name(id)).collect();
        let _ = writeln!(
            out,
            "Tie in round {} ({:?}) between {}: {} chosen by {}",
            d.round,
            d.kind,
            tied.join(", "),
            c.name(d.chosen),
            d.step
        );
    }
    for w in &t.warnings {
        let _ = writeln!(out, "Warning: {w}");
    }
    out
}

/// The plain-language line under a table.
fn verdict(t: &Tabulation, c: &Candidates) -> String {
    let mut out = String::new();
    for r in &t.rounds {
        for e in &r.events {
            if let Event::Elected { candidate, reason } = *e {
                let v = r.votes(candidate).unwrap_or(0);
                if !r.kind.is_ballots() {
                    let scale = match r.kind {
                        RoundKind::Scores { scale } => scale,
                        RoundKind::Ballots => 1,
                    };
                    let _ = writeln!(out, "Elected: {} with a score of {} in round {}", c.name(candidate), score(v, scale), r.number);
                    continue;
                }
                let (v, counted) = (votes(t, v), votes(t, r.counted()));
                let pct = percent(r.votes(candidate).unwrap_or(0), r.counted());
                let how = match reason {
                    ElectedReason::Majority => {
                        format!("a majority in round {}: {v} of {counted} votes counted ({pct})", r.number)
                    }
                    ElectedReason::MostVotes => format!("the most votes: {v} of {counted} ({pct})"),
                    ElectedReason::Runoff => {
                        format!("the most votes in the final round {}: {v} of {counted} ({pct})", r.number)
                    }
                    ElectedReason::LastRemaining => format!("being the last candidate left in round {}", r.number),
                    ElectedReason::Quota => format!("{v} votes, reaching the quota, in round {}", r.number),
                    other => format!("{v} votes in round {} ({other:?})", r.number),
                };
                let _ = writeln!(out, "Elected: {} with {}", c.name(candidate), how);
            }
        }
    }
    out
}

/// A score: the tally entry over its scale.
fn score(v: u64, scale: u64) -> String {
    if scale <= 1 {
        thousands(v)
    } else if v % scale == 0 {
        thousands(v / scale)
    } else {
        format!("{:.2}", v as f64 / scale as f64)
    }
}

/// A short description of what a transferable-vote round did.
fn action(t: &Tabulation, r: &psephos::Round, c: &Candidates) -> String {
    match &r.action {
        None => String::new(),
        Some(RoundAction::FirstPreferences) => "first preferences".into(),
        Some(RoundAction::Surplus { candidate, transfer_value, .. }) => {
            format!("surplus {} @{}", c.name(*candidate), t.format_votes(*transfer_value))
        }
        Some(RoundAction::Exclusion { candidates }) => match candidates.as_slice() {
            [one] => format!("exclude {}", c.name(*one)),
            many => format!("exclude {}", many.len()),
        },
        Some(RoundAction::Iteration { iterations, .. }) => format!("{iterations} iterations"),
    }
}

fn clip(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
