//! Back-testing: a final-week poll scenario against the actual result, and
//! every London election out of sample ([`leave_one_out`]).
//!
//! **Out of sample.** [`leave_one_out`] forecasts each past election with
//! the error model's parameters estimated from the other elections only
//! ([`crate::calibration::fit_without`]), under the rule the election was
//! held under, and scores the forecasts:
//!
//! - *coverage*: the share of candidate–elections whose actual first-round
//!   share fell inside the 80% and 95% intervals (10th–90th and
//!   2.5th–97.5th percentiles of the simulated shares, to 0.01 points);
//! - *PIT*: `(2X + 1)/(2S + 2)` for X of S draws below the actual share,
//!   uniform on (0, 1) when the forecasts are calibrated;
//! - *CRPS*: the continuous ranked probability score of each share
//!   forecast, `∫ (F(x) − [x ≥ actual])² dx` in share points, averaged over
//!   the candidate–elections (a proper score of the whole distribution; it
//!   equals the absolute error for a forecast without spread);
//! - *winner log score*: the mean over elections of `ln p`, p the
//!   probability given to the actual winner, taken as
//!   `(wins + 0.5)/(S + 1)` so that a winner never drawn scores finitely
//!   (0 is perfect; lower is worse);
//! - *winner Brier score*: the mean over elections of
//!   `Σ_c (p_c − [c won])²` (0 is perfect, 2 the worst).
//!
//! ```
//! use psephos_sim::{backtest, presets, Scenario, SimOptions};
//! let s = Scenario::from_toml(presets::find("london-2024-final-polls").unwrap().text, "p").unwrap();
//! let report = backtest::run(&s, &SimOptions { draws: 500, ..SimOptions::new(s.rules.clone()) }).unwrap();
//! let khan = report.rows.iter().find(|r| r.name == "Khan").unwrap();
//! assert!(khan.inside_95);
//! ```

use crate::calibration::{self, ErrorModel, ErrorParams, Race};
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

/// One candidate of an election forecast out of sample.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateForecast {
    /// The candidate.
    pub name: String,
    /// Median simulated first-round share, percent.
    pub median: f64,
    /// 80% interval.
    pub interval_80: (f64, f64),
    /// 95% interval.
    pub interval_95: (f64, f64),
    /// The actual share, percent.
    pub actual: f64,
    /// Whether the actual share lies in the 80% interval.
    pub inside_80: bool,
    /// Whether the actual share lies in the 95% interval.
    pub inside_95: bool,
    /// Probability integral transform `(2X + 1)/(2S + 2)`.
    pub pit: f64,
    /// Continuous ranked probability score, share points.
    pub crps: f64,
}

/// One election forecast with parameters estimated from the others.
#[derive(Clone, Debug, PartialEq)]
pub struct ElectionForecast {
    /// The preset.
    pub id: &'static str,
    /// The year.
    pub year: u32,
    /// The rule it was held under.
    pub rule: psephos::Rule,
    /// The actual winner.
    pub winner: String,
    /// The probability given to the actual winner.
    pub winner_probability: f64,
    /// `Σ_c (p_c − [c won])²`.
    pub brier: f64,
    /// The parameters used (from the other elections).
    pub params: ErrorParams,
    /// Per candidate.
    pub candidates: Vec<CandidateForecast>,
}

/// A model's out-of-sample record over the elections.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackRecord {
    /// The model.
    pub model: ErrorModel,
    /// Draws per election.
    pub draws: u64,
    /// Per election, oldest first.
    pub elections: Vec<ElectionForecast>,
    /// Share of candidate–elections inside the 80% interval.
    pub coverage_80: f64,
    /// Share of candidate–elections inside the 95% interval.
    pub coverage_95: f64,
    /// Mean `ln p(winner)` (0 is perfect).
    pub winner_log_score: f64,
    /// Mean Brier score of the winner probabilities.
    pub winner_brier: f64,
    /// Mean CRPS of the share forecasts, share points.
    pub mean_crps: f64,
    /// PIT values counted in ten bins of width 0.1.
    pub pit_histogram: [u64; 10],
}

impl TrackRecord {
    /// Candidate–elections scored.
    pub fn candidates(&self) -> usize {
        self.elections.iter().map(|e| e.candidates.len()).sum()
    }

    /// The headline numbers, rounded as [`LONDON_RECORD`] keeps them.
    pub fn headline(&self, seed: u64) -> RecordHeadline {
        let count = |f: fn(&CandidateForecast) -> bool| {
            self.elections.iter().flat_map(|e| &e.candidates).filter(|c| f(c)).count()
        };
        let round = |x: f64| (x * 1e4).round() / 1e4;
        RecordHeadline {
            model: self.model.name,
            elections: self.elections.len(),
            first_year: self.elections.first().map_or(0, |e| e.year),
            last_year: self.elections.last().map_or(0, |e| e.year),
            candidate_elections: self.candidates(),
            inside_80: count(|c| c.inside_80),
            inside_95: count(|c| c.inside_95),
            winner_log_score: round(self.winner_log_score),
            winner_brier: round(self.winner_brier),
            draws: self.draws,
            seed,
        }
    }
}

/// A track record in a few numbers, for quoting beside a forecast.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecordHeadline {
    /// The error model.
    pub model: &'static str,
    /// Elections forecast.
    pub elections: usize,
    /// The first election's year.
    pub first_year: u32,
    /// The last election's year.
    pub last_year: u32,
    /// Candidate–elections scored.
    pub candidate_elections: usize,
    /// How many actual shares fell inside the 80% intervals.
    pub inside_80: usize,
    /// How many actual shares fell inside the 95% intervals.
    pub inside_95: usize,
    /// Mean `ln p(winner)`, to 4 decimals.
    pub winner_log_score: f64,
    /// Mean Brier score, to 4 decimals.
    pub winner_brier: f64,
    /// Draws per election.
    pub draws: u64,
    /// The seed.
    pub seed: u64,
}

impl RecordHeadline {
    /// Share of candidate–elections inside the 80% intervals.
    pub fn coverage_80(&self) -> f64 {
        self.inside_80 as f64 / self.candidate_elections.max(1) as f64
    }

    /// Share of candidate–elections inside the 95% intervals.
    pub fn coverage_95(&self) -> f64 {
        self.inside_95 as f64 / self.candidate_elections.max(1) as f64
    }
}

/// The default model's out-of-sample record on the London elections, as
/// `psephos backtest --all` computes it with its default draws and seed
/// (10,000 per election, 2024). `simulate` quotes it rather than spend
/// sixty thousand draws on it every run; a slow test recomputes it
/// (`tests/statistics.rs`).
pub const LONDON_RECORD: RecordHeadline = RecordHeadline {
    model: calibration::DEFAULT_MODEL.name,
    elections: 6,
    first_year: 2004,
    last_year: 2024,
    candidate_elections: 28,
    inside_80: 21,
    inside_95: 27,
    winner_log_score: -0.181,
    winner_brier: 0.0986,
    draws: 10_000,
    seed: 2024,
};

/// Forecasts every race with `model`'s parameters estimated from the other
/// races, each under the rule it was held under, with `options`' draws and
/// seed (its rules are not used), and scores the forecasts (module docs).
pub fn leave_one_out(races: &[Race], model: ErrorModel, options: &SimOptions) -> Result<TrackRecord, SimError> {
    let mut elections = Vec::with_capacity(races.len());
    for (i, race) in races.iter().enumerate() {
        let params = calibration::fit_without(races, i, model);
        elections.push(forecast(race, params, options)?);
    }
    Ok(score(model, options.draws, elections))
}

/// Every model of [`calibration::MODELS`], out of sample, in that order.
pub fn compare(races: &[Race], options: &SimOptions) -> Result<Vec<TrackRecord>, SimError> {
    calibration::MODELS.iter().map(|&m| leave_one_out(races, m, options)).collect()
}

/// The index of the model to use: the simplest (first) unless a later one
/// is no worse on every score — winner log score, mean CRPS, and the
/// distance of the 80% and 95% coverage from 80% and 95% — and better on
/// at least one, in which case it replaces it (and so on down the list).
pub fn best(records: &[TrackRecord]) -> usize {
    let scores = |r: &TrackRecord| {
        [-r.winner_log_score, r.mean_crps, (r.coverage_80 - 0.80).abs(), (r.coverage_95 - 0.95).abs()]
    };
    let mut best = 0;
    for (i, r) in records.iter().enumerate().skip(1) {
        let (new, old) = (scores(r), scores(&records[best]));
        let no_worse = new.iter().zip(&old).all(|(a, b)| a <= b);
        let better = new.iter().zip(&old).any(|(a, b)| a < b);
        if no_worse && better {
            best = i;
        }
    }
    best
}

/// One race forecast with these parameters.
pub fn forecast(race: &Race, params: ErrorParams, options: &SimOptions) -> Result<ElectionForecast, SimError> {
    let scenario = params.apply(&race.scenario);
    let actual = scenario.actual.as_ref().expect("a race has a result");
    let model = Model::new(&scenario, Noise::FULL);
    let summary = run::run(&model, &SimOptions { rules: vec![actual.rule], ..options.clone() }, None)?;
    let s = &summary.race;
    let draws = summary.draws;
    let names = scenario.names();
    let mut candidates = Vec::new();
    let (mut winner_probability, mut brier) = (0.0, 0.0);
    for (c, name) in names.iter().enumerate() {
        let p = s.win_probability(0, c);
        let won = *name == actual.winner;
        if won {
            winner_probability = p;
        }
        brier += (p - f64::from(u8::from(won))).powi(2);
        let Some(&a) = actual.shares.get(*name) else { continue };
        let q = |p| s.share_quantile(c, p);
        let (i80, i95) = ((q(0.10), q(0.90)), (q(0.025), q(0.975)));
        let inside = |(lo, hi): (f64, f64)| lo <= a && a <= hi;
        let below = s.draws_below(c, a);
        candidates.push(CandidateForecast {
            name: (*name).to_owned(),
            median: q(0.5),
            interval_80: i80,
            interval_95: i95,
            actual: a,
            inside_80: inside(i80),
            inside_95: inside(i95),
            pit: (2 * below + 1) as f64 / (2 * draws + 2) as f64,
            crps: s.crps(c, a),
        });
    }
    Ok(ElectionForecast {
        id: race.id,
        year: race.year,
        rule: actual.rule,
        winner: actual.winner.clone(),
        winner_probability,
        brier,
        params,
        candidates,
    })
}

fn score(model: ErrorModel, draws: u64, elections: Vec<ElectionForecast>) -> TrackRecord {
    let all: Vec<&CandidateForecast> = elections.iter().flat_map(|e| &e.candidates).collect();
    let share =
        |f: &dyn Fn(&CandidateForecast) -> bool| all.iter().filter(|c| f(c)).count() as f64 / all.len().max(1) as f64;
    let mut pit_histogram = [0u64; 10];
    for c in &all {
        pit_histogram[((c.pit * 10.0) as usize).min(9)] += 1;
    }
    let k = elections.len().max(1) as f64;
    let log = |p: f64| ((p * draws as f64 + 0.5) / (draws as f64 + 1.0)).ln();
    TrackRecord {
        model,
        draws,
        coverage_80: share(&|c| c.inside_80),
        coverage_95: share(&|c| c.inside_95),
        winner_log_score: elections.iter().map(|e| log(e.winner_probability)).sum::<f64>() / k,
        winner_brier: elections.iter().map(|e| e.brier).sum::<f64>() / k,
        mean_crps: all.iter().map(|c| c.crps).sum::<f64>() / all.len().max(1) as f64,
        pit_histogram,
        elections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(model: usize, log: f64, crps: f64, cov80: f64) -> TrackRecord {
        TrackRecord {
            model: calibration::MODELS[model],
            draws: 1,
            elections: Vec::new(),
            coverage_80: cov80,
            coverage_95: 0.95,
            winner_log_score: log,
            winner_brier: 0.0,
            mean_crps: crps,
            pit_histogram: [0; 10],
        }
    }

    #[test]
    fn a_model_replaces_a_simpler_one_only_if_no_worse_on_every_score() {
        // Better log score but worse CRPS: the simple model stays.
        assert_eq!(best(&[record(0, -0.2, 1.6, 0.75), record(1, -0.1, 1.7, 0.75)]), 0);
        // Better log score, equal elsewhere: replaced.
        assert_eq!(best(&[record(0, -0.2, 1.6, 0.75), record(1, -0.1, 1.6, 0.75)]), 1);
        // Coverage further from nominal counts against it, either side.
        assert_eq!(best(&[record(0, -0.2, 1.6, 0.78), record(1, -0.1, 1.5, 0.84)]), 0);
        // Identical scores: the simpler stays.
        assert_eq!(best(&[record(0, -0.2, 1.6, 0.8), record(1, -0.2, 1.6, 0.8)]), 0);
    }

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
