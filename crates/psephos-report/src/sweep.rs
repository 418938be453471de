//! The report of `psephos sweep`: win chances as the entrant's share
//! varies, as a text table, CSV rows and an SVG line chart.

use std::fmt::Write;

use psephos::Rule;
use psephos_sim::{Scenario, Summary};

use crate::simulate::pct;
use crate::svg::{self, Chart, Series};

/// A short name for a rule in a column heading.
fn short(rule: &Rule) -> String {
    match rule.id() {
        "plurality" => "FPTP".into(),
        "supplementary-vote" => "SV".into(),
        "irv" => "IRV".into(),
        "two-round" => "TRS".into(),
        _ => rule.to_string(),
    }
}

/// The text table: one row per share, one column per rule and candidate
/// with a chance of at least 1% somewhere.
pub fn text(scenario: &Scenario, rules: &[Rule], points: &[(f64, Summary)], draws: u64, seed: u64) -> String {
    let names = scenario.names();
    let entrant = scenario.entrant.as_ref().map_or("the entrant", |e| e.name.as_str());
    let shown: Vec<usize> = (0..names.len())
        .filter(|&c| points.iter().any(|(_, s)| (0..rules.len()).any(|r| s.race.win_probability(r, c) >= 0.01)))
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: win chances as {entrant}'s share varies ({draws} draws per share, seed {seed})",
        scenario.title
    );
    let mut header = format!("{:>7}", "share");
    for r in rules {
        for &c in &shown {
            let _ = write!(header, "  {:>14}", format!("{}/{}", short(r), names[c]));
        }
    }
    let _ = writeln!(out, "{header}");
    for (share, s) in points {
        let mut line = format!("{share:>7.2}");
        for ri in 0..rules.len() {
            for &c in &shown {
                let _ = write!(line, "  {:>14}", pct(s.race.win_probability(ri, c)));
            }
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

/// CSV rows: `entrant_share,rule,candidate,win_probability,mc_error`.
pub fn csv(scenario: &Scenario, rules: &[Rule], points: &[(f64, Summary)]) -> String {
    let names = scenario.names();
    let mut csv = String::from("entrant_share,rule,candidate,win_probability,mc_error\n");
    for (share, s) in points {
        for (ri, r) in rules.iter().enumerate() {
            for (c, name) in names.iter().enumerate() {
                let name = if name.contains([',', '"']) {
                    format!("\"{}\"", name.replace('"', "\"\""))
                } else {
                    (*name).to_owned()
                };
                let _ =
                    writeln!(csv, "{share},{r},{name},{},{}", s.race.win_probability(ri, c), s.race.mc_error(ri, c));
            }
        }
    }
    csv
}

/// The line chart of the leading candidates (the two with the highest
/// chance anywhere, plus any other above 20%): one colour per candidate, one
/// dash pattern per rule.
pub fn chart(scenario: &Scenario, rules: &[Rule], points: &[(f64, Summary)]) -> String {
    let names = scenario.names();
    let entrant = scenario.entrant.as_ref().map_or("the entrant", |e| e.name.as_str());
    let mut best: Vec<(usize, f64)> = (0..names.len())
        .map(|c| {
            let m = points.iter().flat_map(|(_, s)| (0..rules.len()).map(move |r| s.race.win_probability(r, c)));
            (c, m.fold(0.0, f64::max))
        })
        .collect();
    best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let leading: Vec<usize> =
        best.iter().enumerate().filter(|(i, (_, p))| *i < 2 || *p >= 0.2).map(|(_, (c, _))| *c).collect();
    let mut series = Vec::new();
    for (ci, &c) in leading.iter().enumerate() {
        for (ri, r) in rules.iter().enumerate() {
            series.push(Series {
                label: format!("{} — {}", names[c], r),
                colour: ci,
                dash: ri,
                points: points.iter().map(|(x, s)| (*x, s.race.win_probability(ri, c))).collect(),
            });
        }
    }
    svg::line_chart(&Chart {
        title: format!("Win probability as {entrant}'s share varies"),
        subtitle: scenario.title.clone(),
        x_label: format!("{entrant}'s first-choice share (%)"),
        y_label: "Win probability".into(),
        series,
    })
}
