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
pub fn run(scenario: &Scenario, options: &SimOptions) -> Result<Backtest, SimError> {
    let model = Model::new(scenario, Noise::FULL);
    let summary = run::run(&model, options, None)?;
    let actual = scenario.actual.as_ref();
    let rows = scenario
        .candidates
        .iter()
        .enumerate()
        .map(|(c, spec)| {
            let q = |p| summary.race.share_quantile(c, p);
            let (i80, i95) = ((q(0.10), q(0.90)), (q(0.025), q(0.975)));
            let actual = actual.and_then(|a| a.shares.get(&spec.name)).copied();
            let inside = |(lo, hi): (f64, f64)| actual.is_none_or(|v| lo <= v && v <= hi);
            BacktestRow {
                name: spec.name.clone(),
                poll: spec.share,
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
