//! Text output: readable round-by-round tables.

use std::fmt::Write;

use psephos::tabulation::{RoundAction, RoundKind};
use psephos::{
    CandidateId, Candidates, ElectedReason, Election, Event, InactiveReason, PairwiseMatrix, Tabulation, TieKind,
};

use crate::tally::{Outcome, Source};

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

/// A decimal number written as text (`85534.50`) with thousands separators
/// in its whole part (`85,534.50`).
pub fn decimal(text: &str) -> String {
    let (whole, rest) = text.split_at(text.find('.').unwrap_or(text.len()));
    match whole.parse::<u64>() {
        Ok(w) => format!("{}{rest}", thousands(w)),
        Err(_) => text.to_owned(),
    }
}

/// A percentage with one decimal, or blank when the base is zero.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    format!("{:.1}%", part as f64 * 100.0 / whole as f64)
}

/// `tally` output.
pub fn tally(source: &Source, election: &Election, outcomes: &[Outcome]) -> String {
    let c = &election.candidates;
    let mut out = String::new();
    let _ = writeln!(out, "{}", source.title);
    let standing = c.standing().count();
    let kind = match source.max_score {
        None => String::new(),
        Some(_) => format!(", {} ballots", source.ballot_kind()),
    };
    let _ = writeln!(
        out,
        "{} ({}{kind}) · {} ballots · {} candidates{} · {} seat{}",
        source.name,
        source.format,
        thousands(election.total_ballots()),
        standing,
        match c.len() - standing {
            0 => String::new(),
            w => format!(" ({w} withdrawn)"),
        },
        election.seats,
        if election.seats == 1 { "" } else { "s" }
    );
    if let Some(conversion) = source.conversion {
        let _ = writeln!(
            out,
            "Conversion: {} — the ranked rules count each ballot as a ranking by score \
             (higher scores above, equal scores ranked equal, unscored candidates unranked)",
            conversion.as_str()
        );
    }
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
    // The first rule to show each distinct pairwise matrix prints it; later
    // rules with the same matrix refer back to it.
    let mut matrices: Vec<(&PairwiseMatrix, String)> = Vec::new();
    for o in outcomes {
        out.push('\n');
        match o {
            Outcome::Counted(t) => {
                let converted = source.converted.contains(&t.rule.id());
                let shown =
                    t.pairwise.as_ref().and_then(|m| matrices.iter().find(|(x, _)| *x == m)).map(|x| x.1.as_str());
                out.push_str(&tabulation_with(t, c, converted, shown));
                if let (Some(m), None) = (&t.pairwise, shown) {
                    matrices.push((m, t.rule.to_string()));
                }
            }
            Outcome::Refused(rule, reason) => {
                let _ = writeln!(out, "── {rule} ──\n  not counted: {reason}");
            }
        }
    }
    if outcomes.len() > 1 {
        out.push('\n');
        out.push_str(&summary(outcomes, c));
    }
    without_trailing_spaces(&out)
}

/// The text with spaces at the ends of its lines removed (the tables pad
/// their empty cells).
pub fn without_trailing_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Winners side by side, when several rules were counted.
fn summary(outcomes: &[Outcome], c: &Candidates) -> String {
    let mut out = String::from("Winners by rule\n");
    let w = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Counted(t) => t.rule.to_string().len(),
            Outcome::Refused(r, _) => r.len(),
        })
        .max()
        .unwrap_or(0);
    for o in outcomes {
        match o {
            Outcome::Counted(t) => {
                let names: Vec<&str> = t.elected.iter().map(|&id| c.name(id)).collect();
                let _ = writeln!(out, "  {:w$}  {}", t.rule.to_string(), names.join(", "));
            }
            Outcome::Refused(rule, _) => {
                let _ = writeln!(out, "  {rule:w$}  (not counted)");
            }
        }
    }
    out
}

/// What the tally of a rule's scores rounds holds, and which score wins.
fn score_note(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "borda" => "Borda points; the most wins",
        "dowdall" => "Dowdall points (1 for a first choice, 1/2 for a second, …); the most wins",
        "anti-plurality" => "ballots that do not rank the candidate last; the most wins",
        "coombs" => "in the rounds without percentages, last-place votes; the most is eliminated",
        "baldwin" => "Borda points (shared places share their points); the fewest is eliminated",
        "nanson" => "Borda points (shared places share their points); at or below the average is eliminated",
        "bucklin" => "in round k, the ballots ranking the candidate within their first k choices",
        "copeland" => "pairwise wins (a pairwise tie as the option says); the most wins",
        "minimax" => "the candidate's worst pairwise defeat; the smallest wins",
        "ranked-pairs" => "how many others are not above the candidate in the locked order; the most wins",
        "schulze" => "how many others have no stronger beatpath to the candidate than it has to them; the most wins",
        "kemeny-young" => "agreement of the best ranking that puts the candidate first; the most wins",
        "smith-irv" | "condorcet-irv" => "round 1 holds pairwise wins",
        "approval" => "approvals; the most wins",
        "score" => "total score; the highest wins (score:average: the average score)",
        "star" => "round 1 holds total scores; the top two meet in the runoff of round 2",
        "majority-judgment" => "median grade; the highest wins (ties broken by the majority value)",
        _ => return None,
    })
}

/// Whether the rule elects the lowest score (its table lists low scores first).
fn lowest_wins(rule: &str) -> bool {
    rule == "minimax"
}

/// One rule's round-by-round table.
pub fn tabulation(t: &Tabulation, c: &Candidates) -> String {
    tabulation_with(t, c, false, None)
}

/// One rule's table; `converted` says the rule counted converted ballots,
/// `matrix_shown_under` names an earlier rule that printed the same
/// pairwise matrix.
fn tabulation_with(t: &Tabulation, c: &Candidates, converted: bool, matrix_shown_under: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "── {} ──", t.rule);
    let _ = writeln!(out, "{}", t.rule.description());
    if converted {
        let _ = writeln!(out, "Counted on the ballots converted to rankings by score.");
    }
    let has_scores = t.rounds.iter().any(|r| !r.kind.is_ballots());
    if let (true, Some(note)) = (has_scores, score_note(t.rule.id())) {
        let _ = writeln!(out, "Scores: {note}.");
    }
    // Rows: candidates ordered by how far they got, then by votes there.
    let mut last: Vec<Option<(usize, u64)>> = vec![None; c.len()];
    for (i, r) in t.rounds.iter().enumerate() {
        for &(id, v) in &r.tally {
            last[id.index()] = Some((i, v));
        }
    }
    let mut rows: Vec<(CandidateId, usize, u64)> =
        c.iter().filter_map(|(id, _)| last[id.index()].map(|(i, v)| (id, i, v))).collect();
    let low_first = lowest_wins(t.rule.id());
    rows.sort_by(|a, b| {
        let won = |id| t.elected.contains(&id);
        let by_votes = if low_first { a.2.cmp(&b.2) } else { b.2.cmp(&a.2) };
        won(b.0).cmp(&won(a.0)).then(b.1.cmp(&a.1)).then(by_votes).then(a.0.cmp(&b.0))
    });
    let name_w = rows.iter().map(|r| c.name(r.0).chars().count()).max().unwrap_or(0).clamp(19, 28);
    let reasons: Vec<InactiveReason> =
        InactiveReason::ALL.iter().copied().filter(|&r| t.rounds.iter().any(|x| x.inactive.get(r) > 0)).collect();
    let base = if t.decimals > 0 { COL + usize::from(t.decimals) + 3 } else { COL };
    // Wide enough for the longest name shown alone in an eliminated or elected cell, up to a limit.
    let event_w = t
        .rounds
        .iter()
        .flat_map(|r| event_cells(t, r, c))
        .filter(|names| names.len() == 1)
        .map(|names| names[0].chars().count() + 2)
        .max();
    let col = base.max(event_w.unwrap_or(0).min(MAX_COL));
    let per_block = ((MAX_WIDTH - name_w - 2) / col).max(1);
    let score_fmt = ScoreFormat::of(t);
    if let Some(q) = t.quota {
        let _ = writeln!(out, "Quota: {} · seats: {}", votes(t, q), t.seats);
    }
    for block in t.rounds.chunks(per_block) {
        let _ = write!(out, "{:name_w$}  ", "");
        for r in block {
            let _ = write!(out, "{:>col$}", format!("Round {}", r.number));
        }
        out.push('\n');
        let counted: Vec<u64> = block.iter().map(psephos::Round::counted).collect();
        let first_round = block[0].number;
        // Candidates out of the count before this block are not listed again.
        let listed = rows.iter().filter(|&&(id, last, _)| {
            t.rounds[last].number >= first_round && block.iter().any(|r| r.votes(id).is_some())
        });
        for &(id, _, _) in listed {
            let _ = write!(out, "{:name_w$}  ", clip(c.name(id), name_w));
            for (r, &counted) in block.iter().zip(&counted) {
                let cell = match (r.votes(id), r.kind) {
                    (Some(v), RoundKind::Ballots) => format!("{} {:>6}", votes(t, v), percent(v, counted)),
                    (Some(v), RoundKind::Scores { scale }) => score_fmt.show(v, scale),
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
        for (label, pick) in [("eliminated", 0), ("elected", 1)] {
            let cells: Vec<Vec<&str>> = block.iter().map(|r| event_cells(t, r, c)[pick].clone()).collect();
            if cells.iter().all(Vec::is_empty) {
                continue;
            }
            let _ = write!(out, "{:name_w$}  ", label);
            for names in cells {
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
    if t.rounds.iter().any(|r| r.action.is_some()) {
        for r in &t.rounds {
            if let Some(a) = action(t, r, c) {
                let _ = writeln!(out, "Round {}: {a}", r.number);
            }
        }
        out.push('\n');
    }
    if let Some(m) = &t.pairwise {
        match matrix_shown_under {
            Some(rule) => {
                let _ = writeln!(out, "Pairwise contests: as under {rule} above.");
                out.push_str(&condorcet_line(m, c));
            }
            None => out.push_str(&pairwise(m, c, &rows.iter().map(|r| r.0).collect::<Vec<_>>())),
        }
        out.push('\n');
    }
    out.push_str(&verdict(t, c, &score_fmt));
    for d in &t.ties {
        let tied: Vec<&str> = d.tied.iter().map(|&id| c.name(id)).collect();
        let what = match d.kind {
            TieKind::Elimination => "elimination",
            TieKind::Election => "election",
        };
        let _ = writeln!(
            out,
            "Tie for {what} in round {} between {}: {} chosen by {}",
            d.round,
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

/// The widest a round column grows to fit a name.
const MAX_COL: usize = 28;

/// The names in a round's eliminated cell (those eliminated and not
/// elected) and its elected cell.
fn event_cells<'a>(t: &Tabulation, r: &psephos::Round, c: &'a Candidates) -> [Vec<&'a str>; 2] {
    [
        r.eliminated().filter(|id| !t.elected.contains(id)).map(|id| c.name(id)).collect(),
        r.elected().map(|id| c.name(id)).collect(),
    ]
}

/// The pairwise matrix: rows beat columns, standing candidates in `order`
/// (the order of the table above), then the Condorcet winner or the top cycle.
pub fn pairwise(m: &PairwiseMatrix, c: &Candidates, order: &[CandidateId]) -> String {
    let ids: Vec<CandidateId> =
        order.iter().copied().filter(|&id| id.index() < m.num_candidates() && !c.get(id).withdrawn).collect();
    let mut out = String::from("Pairwise contests (ballots preferring the row's candidate to the column's):\n");
    let name_w = ids.iter().map(|&id| c.name(id).chars().count()).max().unwrap_or(0).min(28) + 4;
    let cell_w = ids
        .iter()
        .flat_map(|&a| ids.iter().map(move |&b| (a, b)))
        .map(|(a, b)| thousands(m.get(a, b)).len())
        .max()
        .unwrap_or(1)
        .max(3)
        + 2;
    let _ = write!(out, "{:name_w$}", "");
    for i in 1..=ids.len() {
        let _ = write!(out, "{:>cell_w$}", i);
    }
    out.push('\n');
    for (i, &a) in ids.iter().enumerate() {
        let label = format!("{:>2} {}", i + 1, clip(c.name(a), name_w - 4));
        let _ = write!(out, "{label:name_w$}");
        for &b in &ids {
            let cell = if a == b { "-".to_owned() } else { thousands(m.get(a, b)) };
            let _ = write!(out, "{cell:>cell_w$}");
        }
        out.push('\n');
    }
    out.push_str(&condorcet_line(m, c));
    out
}

/// "Condorcet winner: X", or the Smith set when there is none.
fn condorcet_line(m: &PairwiseMatrix, c: &Candidates) -> String {
    let standing: Vec<CandidateId> = c.standing().filter(|id| id.index() < m.num_candidates()).collect();
    match m.condorcet_winner(&standing) {
        Some(w) => format!("Condorcet winner: {}\n", c.name(w)),
        None => {
            let smith: Vec<&str> = m.smith_set(&standing).into_iter().map(|id| c.name(id)).collect();
            format!("No Condorcet winner (Smith set, the top cycle: {})\n", smith.join(", "))
        }
    }
}

/// The plain-language line under a table.
fn verdict(t: &Tabulation, c: &Candidates, score_fmt: &ScoreFormat) -> String {
    let mut out = String::new();
    for r in &t.rounds {
        for e in &r.events {
            if let Event::Elected { candidate, reason } = *e {
                let name = c.name(candidate);
                if reason == ElectedReason::LastRemaining {
                    let _ = writeln!(out, "Elected: {name}, the last candidate left in round {}", r.number);
                    continue;
                }
                let v = r.votes(candidate).unwrap_or(0);
                if let RoundKind::Scores { scale } = r.kind {
                    let _ = writeln!(
                        out,
                        "Elected: {name} with a score of {} in round {}",
                        score_fmt.show(v, scale).trim(),
                        r.number
                    );
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
                    ElectedReason::Quota => format!("{v} votes, reaching the quota, in round {}", r.number),
                    ElectedReason::LastVacancies => {
                        format!("{v} votes in round {}, filling one of the last vacancies", r.number)
                    }
                    other => format!("{v} votes in round {} ({other:?})", r.number),
                };
                let _ = writeln!(out, "Elected: {name} with {how}");
            }
        }
    }
    out
}

/// How a table writes its scores: whole numbers when every score is whole,
/// else with the decimals the scales need (exact for halves, quarters and
/// tenths, two decimals, rounded, otherwise).
struct ScoreFormat {
    decimals: u32,
}

impl ScoreFormat {
    fn of(t: &Tabulation) -> Self {
        let mut decimals = 0;
        for r in &t.rounds {
            if let RoundKind::Scores { scale } = r.kind {
                if scale > 1 && r.tally.iter().any(|&(_, v)| v % scale != 0) {
                    let exact = (1..=2).find(|&k| 10u64.pow(k) % scale == 0).unwrap_or(2);
                    decimals = decimals.max(exact);
                }
            }
        }
        ScoreFormat { decimals }
    }

    fn show(&self, v: u64, scale: u64) -> String {
        let scale = scale.max(1);
        if self.decimals == 0 {
            return thousands(v / scale);
        }
        let unit = 10u64.pow(self.decimals);
        // Rounded to the nearest last digit, halves up.
        let fixed = (2 * u128::from(v) * u128::from(unit) + u128::from(scale)) / (2 * u128::from(scale));
        let (whole, frac) = ((fixed / u128::from(unit)) as u64, (fixed % u128::from(unit)) as u64);
        format!("{}.{:0width$}", thousands(whole), frac, width = self.decimals as usize)
    }
}

/// The plain-language narrative of a count, one paragraph per round: the
/// leader and their share, what the round did (a surplus at its transfer
/// value, a batch of candidates excluded together), where the moved votes
/// went, the ballots inactive by reason, and who was elected or eliminated.
pub fn narrative(t: &Tabulation, c: &Candidates) -> Vec<String> {
    let mut out = Vec::new();
    for r in &t.rounds {
        let mut s = format!("Round {}: ", r.number);
        if let Some(a) = action(t, r, c) {
            let _ = write!(s, "{a}. ");
        }
        let mut moved: Vec<(CandidateId, Vec<String>)> = Vec::new();
        for tr in &r.transfers {
            let to = match tr.to {
                psephos::TransferTarget::Candidate(id) => c.name(id).to_owned(),
                psephos::TransferTarget::Inactive(reason) => format!("no one ({reason})"),
            };
            let part = format!("{} to {to}", votes(t, tr.votes));
            match moved.iter_mut().find(|(from, _)| *from == tr.from) {
                Some((_, parts)) => parts.push(part),
                None => moved.push((tr.from, vec![part])),
            }
        }
        for (from, parts) in &moved {
            let _ = write!(s, "{}'s ballots moved: {}. ", c.name(*from), parts.join(", "));
        }
        if r.kind.is_ballots() {
            let mut order: Vec<(CandidateId, u64)> = r.tally.clone();
            order.sort_by_key(|&(_, v)| std::cmp::Reverse(v));
            if let Some(&(lead, v)) = order.first() {
                let _ = write!(
                    s,
                    "{} leads with {} of {} votes counted ({}). ",
                    c.name(lead),
                    votes(t, v),
                    votes(t, r.counted()),
                    percent(v, r.counted())
                );
            }
            let inactive: Vec<String> =
                r.inactive.iter().filter(|&(_, v)| v > 0).map(|(why, v)| format!("{} {why}", votes(t, v))).collect();
            if !inactive.is_empty() {
                let _ = write!(s, "Inactive ballots so far: {}. ", inactive.join(", "));
            }
        }
        let names = |ids: Vec<CandidateId>| ids.iter().map(|&id| c.name(id).to_owned()).collect::<Vec<_>>().join(", ");
        let elected: Vec<CandidateId> = r.elected().collect();
        let eliminated: Vec<CandidateId> = r.eliminated().collect();
        if !elected.is_empty() {
            let _ = write!(s, "Elected: {}. ", names(elected));
        }
        if !eliminated.is_empty() {
            let _ = write!(s, "Eliminated: {}. ", names(eliminated));
        }
        out.push(s.trim_end().to_owned());
    }
    out
}

/// What a transferable-vote round did, in words.
fn action(t: &Tabulation, r: &psephos::Round, c: &Candidates) -> Option<String> {
    Some(match r.action.as_ref()? {
        RoundAction::FirstPreferences => "first preferences counted".into(),
        RoundAction::Surplus { candidate, surplus, transfer_value } => format!(
            "surplus of {} ({} votes) transferred at {} per vote",
            c.name(*candidate),
            votes(t, *surplus),
            t.format_votes(*transfer_value)
        ),
        RoundAction::Exclusion { candidates } => {
            let names: Vec<&str> = candidates.iter().map(|&id| c.name(id)).collect();
            format!("{} excluded, ballots transferred at their current values", names.join(", "))
        }
        RoundAction::Iteration { iterations, quota, keep_values } => {
            let keep: Vec<String> =
                keep_values.iter().map(|&(id, k)| format!("{} {}", c.name(id), t.format_votes(k))).collect();
            format!(
                "keep values iterated {iterations} time{} to a quota of {}{}",
                if *iterations == 1 { "" } else { "s" },
                votes(t, *quota),
                if keep.is_empty() { String::new() } else { format!("; keep values: {}", keep.join(", ")) }
            )
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_keep_the_decimals_their_scale_needs() {
        let halves = ScoreFormat { decimals: 1 };
        assert_eq!(halves.show(72_159, 2), "36,079.5");
        assert_eq!(halves.show(55_144, 2), "27,572.0");
        let sixtieths = ScoreFormat { decimals: 2 };
        // 323,003 / 60 = 5,383.3833…, rounded to the nearest hundredth.
        assert_eq!(sixtieths.show(323_003, 60), "5,383.38");
        assert_eq!(sixtieths.show(1, 3 * 2), "0.17");
        assert_eq!(ScoreFormat { decimals: 0 }.show(31_802, 1), "31,802");
    }

    #[test]
    fn thousands_and_clipping() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(clip("Louie The Cowman Beaudin", 10), "Louie The…");
        assert_eq!(clip("Bo", 10), "Bo");
    }
}
