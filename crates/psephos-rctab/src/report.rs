//! RCTab's detailed reports, JSON and CSV, rendered from a finished count.
//!
//! The JSON report (read by RCVis and other viewers) lists, per round, the
//! tally, the threshold, the inactive ballots by reason and what happened
//! (who was elected or eliminated, and where their votes went); keys are
//! sorted and numbers written as RCTab writes them, pretty-printed as
//! Jackson's default printer does. The CSV report is the round-by-round
//! spreadsheet: votes, share and transfer per candidate per round, then the
//! active and inactive ballots. Per-precinct and per-batch reports have the
//! same shape, with the full contest's decisions. Format from RCTab's
//! `ResultsWriter` (BrightSpots/rcv).

use std::fmt::Write as _;

use crate::config::{ContestConfig, WinnerElectionMode};
use crate::decimal::Decimal;
use crate::tabulator::{Candidates, Outcome, RoundTally, Status, Transfers};

/// What produced the report, written where RCTab writes its version.
pub const GENERATED_BY: &str = concat!("psephos ", env!("CARGO_PKG_VERSION"));

/// A JSON value in the order it will be printed.
#[derive(Clone, Debug)]
pub enum Json {
    /// An object, keys in print order.
    Object(Vec<(String, Json)>),
    /// An array.
    Array(Vec<Json>),
    /// A string.
    Str(String),
    /// A number, as written.
    Num(String),
}

impl Json {
    /// An object with its keys sorted, as RCTab's JSON writer sorts them.
    pub fn object(entries: Vec<(String, Json)>) -> Json {
        Json::obj(entries)
    }

    fn obj(mut entries: Vec<(String, Json)>) -> Json {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Json::Object(entries)
    }

    fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    fn dec(d: Decimal) -> Json {
        Json::Str(d.to_string())
    }

    /// Print as Jackson's default pretty printer does.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Json::Object(entries) if entries.is_empty() => out.push_str("{ }"),
            Json::Object(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('\n');
                    out.push_str(&"  ".repeat(depth + 1));
                    write_json_string(out, k);
                    out.push_str(" : ");
                    v.write(out, depth + 1);
                }
                out.push('\n');
                out.push_str(&"  ".repeat(depth));
                out.push('}');
            }
            Json::Array(items) if items.is_empty() => out.push_str("[ ]"),
            Json::Array(items) => {
                out.push_str("[ ");
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write(out, depth);
                }
                out.push_str(" ]");
            }
            Json::Str(s) => write_json_string(out, s),
            Json::Num(n) => out.push_str(n),
        }
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A slice of the contest a report covers.
#[derive(Clone, Copy, Debug)]
pub enum Slice<'a> {
    /// The whole contest.
    All,
    /// One precinct.
    Precinct(&'a str),
    /// One batch.
    Batch(&'a str),
}

impl Slice<'_> {
    fn key(&self) -> Option<(&'static str, &'static str, &str)> {
        match self {
            Slice::All => None,
            Slice::Precinct(id) => Some(("precinct", "Precinct", id)),
            Slice::Batch(id) => Some(("batch", "Batch", id)),
        }
    }
}

/// Everything a report needs besides the rounds.
pub struct ReportContext<'a> {
    /// The configuration.
    pub config: &'a ContestConfig,
    /// The candidates of the count.
    pub candidates: &'a Candidates,
    /// The count.
    pub outcome: &'a Outcome,
    /// Seats filled by this count (1 for a pass of a sequential count).
    pub seats: u32,
}

impl ReportContext<'_> {
    fn name(&self, c: usize) -> &str {
        &self.candidates.names[c]
    }

    fn num_rounds(&self) -> u32 {
        self.outcome.rounds.len() as u32
    }

    /// Candidates acted on in a round, by name (as RCTab lists them).
    fn round_actions(&self, list: &[(usize, u32)], round: u32) -> Vec<usize> {
        let mut acted: Vec<usize> = list.iter().filter(|&&(_, r)| r == round).map(|&(c, _)| c).collect();
        acted.sort_by(|&a, &b| self.name(a).cmp(self.name(b)));
        acted
    }

    fn winners_in_order(&self) -> Vec<usize> {
        let mut rounds: Vec<u32> = self.outcome.elected.iter().map(|&(_, r)| r).collect();
        rounds.sort_unstable();
        rounds.dedup();
        rounds.into_iter().flat_map(|r| self.round_actions(&self.outcome.elected, r)).collect()
    }

    fn uses_surpluses(&self) -> bool {
        self.seats > 1
            && !matches!(
                self.config.rules.winner_election_mode,
                WinnerElectionMode::BottomsUp | WinnerElectionMode::BottomsUpUsingPercentageThreshold
            )
    }

    fn single_winner(&self) -> bool {
        self.config.rules.winner_election_mode == WinnerElectionMode::SingleWinnerMajority
    }

    /// The round-1 candidates by tally, highest first, write-ins last; ties in hash-map order.
    pub fn candidate_order(&self) -> Vec<usize> {
        let first = &self.outcome.rounds[0];
        let mut order = first.candidates_in_map_order(&self.candidates.names);
        let uwi = self.candidates.undeclared_write_ins;
        order.sort_by(|&a, &b| {
            if Some(a) == uwi {
                std::cmp::Ordering::Greater
            } else if Some(b) == uwi {
                std::cmp::Ordering::Less
            } else {
                first.tally(b).cmp(&first.tally(a))
            }
        });
        order
    }

    fn num_candidates_in_csv(&self) -> usize {
        self.candidates.num_candidates()
    }

    /// The detailed JSON report.
    pub fn json(&self, rounds: &[RoundTally], transfers: &Transfers, slice: Slice<'_>) -> String {
        let c = &self.config.output;
        let mut config = vec![
            ("contest".to_owned(), Json::str(&c.contest_name)),
            ("date".to_owned(), Json::str(&c.contest_date)),
            ("generatedBy".to_owned(), Json::str(GENERATED_BY)),
            ("jurisdiction".to_owned(), Json::str(&c.contest_jurisdiction)),
            ("office".to_owned(), Json::str(&c.contest_office)),
        ];
        if let Some((key, _, id)) = slice.key() {
            config.push((key.to_owned(), Json::str(id)));
        }
        let first = &rounds[0];
        let last = &rounds[rounds.len() - 1];
        let total = first.active_sum().add(first.inactive_sum());
        let summary = vec![
            ("finalThreshold".to_owned(), Json::dec(last.threshold)),
            ("numWinners".to_owned(), Json::Num(self.seats.to_string())),
            ("numCandidates".to_owned(), Json::Num(self.candidates.names.len().to_string())),
            ("totalNumBallots".to_owned(), Json::dec(total)),
            ("undervotes".to_owned(), Json::Num(first.status(Status::DidNotRankAnyCandidates).trunc_int().to_string())),
        ];
        let mut results = Vec::new();
        for (i, r) in rounds.iter().enumerate() {
            let round = i as u32 + 1;
            let mut actions = Vec::new();
            for (kind, list) in [("elected", &self.outcome.elected), ("eliminated", &self.outcome.eliminated)] {
                for cand in self.round_actions(list, round) {
                    let name = self.name(cand);
                    let moved = transfers
                        .from(round + 1, name)
                        .map(|m| m.iter().map(|(k, v)| (k.clone(), Json::dec(*v))).collect())
                        .unwrap_or_default();
                    actions.push(Json::obj(vec![
                        (kind.to_owned(), Json::str(name)),
                        ("transfers".to_owned(), Json::obj(moved)),
                    ]));
                }
            }
            let tally = r
                .candidates()
                .iter()
                .map(|&cand| (self.name(cand).to_owned(), Json::dec(r.tally(cand).unwrap_or(Decimal::ZERO))))
                .collect();
            let mut inactive = vec![
                ("overvotes".to_owned(), Json::dec(r.status(Status::Overvote))),
                ("skippedRankings".to_owned(), Json::dec(r.status(Status::SkippedRanking))),
                ("exhaustedChoices".to_owned(), Json::dec(r.status(Status::ExhaustedChoice))),
                ("repeatedRankings".to_owned(), Json::dec(r.status(Status::RepeatedRanking))),
            ];
            if self.uses_surpluses() && round == self.num_rounds() {
                inactive.push(("finalRoundSurplus".to_owned(), Json::dec(r.status(Status::FinalRoundSurplus))));
            }
            results.push(Json::obj(vec![
                ("round".to_owned(), Json::Num(round.to_string())),
                ("tallyResults".to_owned(), Json::Array(actions)),
                ("tally".to_owned(), Json::obj(tally)),
                ("threshold".to_owned(), Json::dec(r.threshold)),
                ("inactiveBallots".to_owned(), Json::obj(inactive)),
            ]));
        }
        Json::obj(vec![
            ("jsonFormatVersion".to_owned(), Json::str("1")),
            ("summary".to_owned(), Json::obj(summary)),
            ("config".to_owned(), Json::obj(config)),
            ("results".to_owned(), Json::Array(results)),
        ])
        .pretty()
    }

    /// The detailed CSV report.
    pub fn csv(&self, rounds: &[RoundTally], slice: Slice<'_>) -> String {
        self.spreadsheet(rounds, slice, true)
    }

    /// The summary CSV report: the detailed one without the inactive ballots by reason.
    pub fn summary_csv(&self, rounds: &[RoundTally]) -> String {
        self.spreadsheet(rounds, Slice::All, false)
    }

    fn spreadsheet(&self, rounds: &[RoundTally], slice: Slice<'_>, by_reason: bool) -> String {
        let mut out = Csv::default();
        let c = &self.config.output;
        let n = rounds.len();
        let last = &rounds[n - 1];
        out.record(&["Contest Information"]);
        out.record(&["Generated By", GENERATED_BY]);
        out.record(&["CSV Format Version", "1"]);
        out.record(&["Type of Election", if self.single_winner() { "Single-Winner" } else { "Multi-Winner" }]);
        out.record(&["Contest", &c.contest_name]);
        out.record(&["Jurisdiction", &c.contest_jurisdiction]);
        out.record(&["Office", &c.contest_office]);
        out.record(&["Date", &c.contest_date]);
        let winners: Vec<&str> = self.winners_in_order().into_iter().map(|w| self.name(w)).collect();
        out.record(&["Winner(s)", &winners.join(", ")]);
        match slice.key() {
            Some((_, label, id)) => out.record(&[label, id]),
            None => out.record(&["Final Threshold", &last.threshold.to_string()]),
        }
        out.blank();
        let first = &rounds[0];
        out.record(&["Contest Summary"]);
        let to_elect = match (self.config.rules.winner_election_mode, self.config.rules.bottoms_up_percentage) {
            (WinnerElectionMode::BottomsUpUsingPercentageThreshold, Some(p)) => {
                format!("All candidates over the {}% threshold", p.mul_exact(Decimal::from_int(100)).trunc_int())
            }
            _ => self.seats.to_string(),
        };
        out.record(&["Number to be Elected", &to_elect]);
        out.record(&["Number of Candidates", &self.num_candidates_in_csv().to_string()]);
        out.record(&["Total Number of Ballots", &first.active_sum().add(first.inactive_sum()).to_string()]);
        let no_rankings = first.status(Status::DidNotRankAnyCandidates);
        out.record(&["Number of Undervotes (No Rankings)", &no_rankings.to_string()]);
        out.blank();

        let mut row: Vec<String> = vec!["Rounds".into()];
        for r in 1..=n {
            row.push(format!("Round {r} Votes"));
            row.push("% of vote".into());
            row.push("transfer".into());
        }
        out.row(&row);
        let mark = if slice.key().is_some() { "†" } else { "" };
        for (label, list) in [("Eliminated", &self.outcome.eliminated), ("Elected", &self.outcome.elected)] {
            let mut row = vec![format!("{label}{mark}")];
            for r in 1..=n as u32 {
                let names: Vec<String> = self
                    .round_actions(list, r)
                    .into_iter()
                    .map(|c| {
                        let star = if self.outcome.tie_broken.contains(&c) { "*" } else { "" };
                        format!("{}{star}", self.name(c))
                    })
                    .collect();
                row.push(names.join("; "));
                row.push(String::new());
                row.push(String::new());
            }
            out.row(&row);
        }
        for cand in self.candidate_order() {
            let mut row = vec![self.name(cand).to_owned()];
            for (i, r) in rounds.iter().enumerate() {
                let v = r.tally(cand).unwrap_or(Decimal::ZERO);
                row.push(v.to_string());
                // Shares are of the round's votes in a single-winner count (unless the first
                // round fixes the threshold) and in a percentage bottoms-up count; of the
                // first round's otherwise.
                let divisor = if (self.single_winner() && !self.config.rules.first_round_determines_threshold)
                    || self.config.rules.winner_election_mode == WinnerElectionMode::BottomsUpUsingPercentageThreshold
                {
                    r.active_and_locked_in_sum()
                } else {
                    first.active_and_locked_in_sum()
                };
                row.push(v.percent_of(divisor).unwrap_or_default());
                row.push(if i + 1 < n {
                    rounds[i + 1].tally(cand).unwrap_or(Decimal::ZERO).sub(v).to_string()
                } else {
                    "0".into()
                });
            }
            out.row(&row);
        }
        let mut row = vec!["Active Ballots".to_owned()];
        for r in rounds {
            row.extend([r.active_and_locked_in_sum().to_string(), String::new(), String::new()]);
        }
        out.row(&row);
        if slice.key().is_none() {
            let mut row = vec!["Current Round Threshold".to_owned()];
            for r in rounds {
                row.extend([r.threshold.to_string(), String::new(), String::new()]);
            }
            out.row(&row);
        }
        let reasons: &[(&str, Status)] = if by_reason {
            &[
                ("Overvotes", Status::Overvote),
                ("Skipped Rankings", Status::SkippedRanking),
                ("Exhausted Choices", Status::ExhaustedChoice),
                ("Repeated Rankings", Status::RepeatedRanking),
            ]
        } else {
            &[]
        };
        for &(label, status) in reasons {
            let mut row = vec![format!("Inactive Ballots by {label}")];
            for (i, r) in rounds.iter().enumerate() {
                let v = r.status(status);
                row.push(v.to_string());
                row.push(String::new());
                row.push(if i + 1 < n { rounds[i + 1].status(status).sub(v).to_string() } else { "0".into() });
            }
            out.row(&row);
        }
        let mut row = vec!["Inactive Ballots Total".to_owned()];
        for (i, r) in rounds.iter().enumerate() {
            let v = r.inactive_sum();
            row.push(v.sub(no_rankings).to_string());
            row.push(String::new());
            row.push(if i + 1 < n { rounds[i + 1].inactive_sum().sub(v).to_string() } else { "0".into() });
        }
        out.row(&row);
        let residual = &self.outcome.residual_surplus;
        if slice.key().is_none() && residual.last().is_some_and(|r| r.signum() == 1) {
            let mut row = vec!["Residual surplus".to_owned()];
            for r in residual {
                row.extend([r.to_string(), String::new(), String::new()]);
            }
            out.row(&row);
        }
        if self.uses_surpluses() {
            let mut row = vec!["Final Round Surplus".to_owned()];
            for r in rounds {
                let s = r.status(Status::FinalRoundSurplus);
                row.push(if s.signum() == 0 && s.scale() == 0 { String::new() } else { s.to_string() });
                row.extend([String::new(), String::new()]);
            }
            out.row(&row);
        }
        if let Some((key, _, _)) = slice.key() {
            out.blank();
            out.record(&[&format!(
                "†Elect/Eliminate decisions are from the full contest. All other results on this report are at the {key} level."
            )]);
        }
        if !self.outcome.tie_broken.is_empty() {
            out.blank();
            out.record(&["*Tie resolved in accordance with election law"]);
        }
        out.text
    }
}

/// A CSV writer quoting as Apache Commons CSV's default format does.
#[derive(Default)]
struct Csv {
    text: String,
}

impl Csv {
    fn record(&mut self, fields: &[&str]) {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            self.field(f, i == 0);
        }
        self.text.push('\n');
    }

    fn row(&mut self, fields: &[String]) {
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        self.record(&refs);
    }

    fn blank(&mut self) {
        self.text.push('\n');
    }

    fn field(&mut self, value: &str, first: bool) {
        let quote = match value.chars().next() {
            None => first,
            Some(c) if c <= '#' => true,
            Some(_) => value.contains([',', '"', '\n', '\r']) || value.chars().last().is_some_and(|c| c <= ' '),
        };
        if quote {
            self.text.push('"');
            self.text.push_str(&value.replace('"', "\"\""));
            self.text.push('"');
        } else {
            self.text.push_str(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_printing_matches_jackson() {
        let j = Json::obj(vec![
            ("b".into(), Json::Array(vec![Json::obj(vec![("x".into(), Json::str("1"))])])),
            ("a".into(), Json::obj(vec![])),
            ("c".into(), Json::Array(vec![])),
        ]);
        assert_eq!(j.pretty(), "{\n  \"a\" : { },\n  \"b\" : [ {\n    \"x\" : \"1\"\n  } ],\n  \"c\" : [ ]\n}");
    }

    #[test]
    fn csv_quotes_only_where_needed() {
        let mut c = Csv::default();
        c.record(&["Jurisdiction", "Funkytown, USA", "-1", "#x"]);
        assert_eq!(c.text, "Jurisdiction,\"Funkytown, USA\",-1,\"#x\"\n");
    }
}
