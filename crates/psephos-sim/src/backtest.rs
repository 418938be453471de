//! Back-testing: a final-week poll scenario against the actual result.
//!
//! ```
//! use psephos_sim::{backtest, presets, Scenario, SimOptions};
//! let s = Scenario::from_toml(presets::find("london-2024-final-polls").unwrap().text, "p").unwrap();
//! let report = backtest::run(&s, &SimOptions { draws: 500, ..SimOptions::new(s.rules.clone()) }).unwrap();
//! let khan = report.rows.iter().find(|r| r.name == "Khan").unwrap();
//! assert!(khan.inside_95);
//! ```

use crate::model::{Model, Noise};
use crate::run::{self, SimError, SimOptions, Summary};
use crate::scenario::Scenario;

/// One candidate's prediction beside the result.
#[derive(Clone, Debug, PartialEq)]
pub struct BacktestRow {
    /// The candidate.
    pub name: String,
    /// The poll share, percent.
    pub poll: f64,
    /// Median simulated first-round share.
    pub median: f64,
    /// 80% interval (10th and 90th percentiles).
    pub interval_80: (f64, f64),
    /// 95% interval (2.5th and 97.5th percentiles).
    pub interval_95: (f64, f64),
    /// The actual share, if published.
    pub actual: Option<f64>,
    /// Whether the actual share lies in the 80% interval.
    pub inside_80: bool,
    /// Whether the actual share lies in the 95% interval.
    pub inside_95: bool,
}

/// A back-test's findings.
#[derive(Clone, Debug, PartialEq)]
pub struct Backtest {
    /// Per candidate.
    pub rows: Vec<BacktestRow>,
    /// The simulation behind them.
    pub summary: Summary,
    /// The actual winner.
    pub winner: String,
    /// The rule the election was held under.
    pub rule: psephos::Rule,
}

/// Simulates the scenario and sets each candidate's interval beside the
/// actual share. A scenario without `[actual]` gets no actual values.
///
/// The race simulated is the one with the entrant, when the scenario has
/// one: the entrant has a row (last), and each candidate's `poll` is their
/// share in that race (the base poll less what the entrant draws from
/// them), the poll the medians and intervals are drawn around.
pub fn run(scenario: &Scenario, options: &SimOptions) -> Result<Backtest, SimError> {
    let model = Model::new(scenario, Noise::FULL);
    let summary = run::run(&model, options, None)?;
    let actual = scenario.actual.as_ref();
    let rows = race_poll(scenario)
        .into_iter()
        .enumerate()
        .map(|(c, (name, poll))| {
            let q = |p| summary.race.share_quantile(c, p);
            let (i80, i95) = ((q(0.10), q(0.90)), (q(0.025), q(0.975)));
            let actual = actual.and_then(|a| a.shares.get(&name)).copied();
            let inside = |(lo, hi): (f64, f64)| actual.is_none_or(|v| lo <= v && v <= hi);
            BacktestRow {
                name,
                poll,
                median: q(0.5),
                interval_80: i80,
                interval_95: i95,
                actual,
                inside_80: inside(i80),
                inside_95: inside(i95),
            }
        })
        .collect();
    Ok(Backtest {
        rows,
        summary,
        winner: actual.map(|a| a.winner.clone()).unwrap_or_default(),
        rule: actual.map_or(psephos::Rule::Plurality, |a| a.rule),
    })
}

/// Every candidate of the race simulated, in the model's order (the
/// entrant last), with their poll share in that race: a base candidate's
/// share less the points the entrant draws from them, and the entrant's own.
pub fn race_poll(scenario: &Scenario) -> Vec<(String, f64)> {
    let mut rows: Vec<(String, f64)> = scenario
        .candidates
        .iter()
        .map(|c| {
            let taken =
                scenario.entrant.as_ref().map_or(0.0, |e| e.share * e.drawn_from.get(&c.name).copied().unwrap_or(0.0));
            (c.name.clone(), c.share - taken)
        })
        .collect();
    if let Some(e) = &scenario.entrant {
        rows.push((e.name.clone(), e.share));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entrant_has_a_row_and_polls_are_of_the_race_simulated() {
        let text = include_str!("../../../testdata/scenarios/backtest-entrant.toml");
        let s = Scenario::from_toml(text, "backtest-entrant.toml").unwrap();
        let b = run(&s, &SimOptions { draws: 300, ..SimOptions::new(s.rules.clone()) }).unwrap();
        let polls: Vec<(&str, f64)> = b.rows.iter().map(|r| (r.name.as_str(), r.poll)).collect();
        assert_eq!(polls, [("A", 42.0), ("B", 30.0), ("C", 18.0), ("E", 10.0)]);
        let e = &b.rows[3];
        assert_eq!(e.actual, Some(10.0));
        // The medians are of the race with the entrant, around its poll.
        assert!((e.median - 10.0).abs() < 2.0, "{}", e.median);
        assert!((b.rows[0].median - 42.0).abs() < 3.0, "{}", b.rows[0].median);
    }
}
