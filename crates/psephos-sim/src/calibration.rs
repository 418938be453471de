//! The poll error model's parameters, estimated from the final-week polls
//! of past London mayoral elections (the presets `london-YYYY-final-polls`,
//! each citing its polls and the result).
//!
//! **Races.** Each election is one race: the polls of its final week
//! averaged by sample size (`candidates`), their total sample size `n`, and
//! the actual first-round shares. Shares are taken as fractions of the
//! poll's total, as the model takes them.
//!
//! **Favourite bias** (models with [`ErrorModel::favourite_bias`]). In each
//! race, the lead error is the poll's lead of its leader over its runner-up
//! less the same two candidates' actual lead; the bias `b` is the mean over
//! the races (share points). The model moves `b/2` from the leader to the
//! runner-up ([`crate::model`]).
//!
//! **Systematic error σ.** Under the model a race's error `e` on a candidate
//! whose actual share is `p` (after the bias shift, if any) has expected
//! square `p(1−p)·(1/n + 4σ²)`, whatever the tails (the Student-t option
//! keeps the variance). So each candidate of each race gives an estimate
//! `e²/(p(1−p)) − 1/n` of `4σ²`; `σ` is from their mean (a method-of-moments
//! estimate, floored at zero).
//!
//! **Out of sample.** [`fit_without`] estimates the parameters from every
//! race but one: the back-test of that race then uses nothing it is tested
//! on ([`crate::backtest::leave_one_out`]).
//!
//! ```
//! use psephos_sim::calibration::{self, DEFAULT_MODEL};
//! let races = calibration::london();
//! let fit = calibration::fit(&races, DEFAULT_MODEL);
//! assert!((fit.systematic_error - psephos_sim::DEFAULT_SYSTEMATIC_ERROR).abs() < 0.05);
//! ```

use crate::presets;
use crate::scenario::{Scenario, Tails, DEFAULT_FAVOURITE_BIAS, DEFAULT_SYSTEMATIC_ERROR, DEFAULT_TAILS};

/// One candidate error model: the shape of the shared error and whether a
/// favourite bias is estimated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErrorModel {
    /// Its name on the command line and in output.
    pub name: &'static str,
    /// Shape of the error shared by all polls of a race.
    pub tails: Tails,
    /// Whether the "favourite overstated" bias is estimated (else it is 0).
    pub favourite_bias: bool,
}

/// The models `backtest --all` compares, the simplest first.
pub const MODELS: [ErrorModel; 4] = [
    ErrorModel { name: "normal", tails: Tails::Normal, favourite_bias: false },
    ErrorModel { name: "student-t", tails: Tails::StudentT(4.0), favourite_bias: false },
    ErrorModel { name: "normal-bias", tails: Tails::Normal, favourite_bias: true },
    ErrorModel { name: "student-t-bias", tails: Tails::StudentT(4.0), favourite_bias: true },
];

/// The model `simulate` uses by default: the one [`crate::backtest::best`]
/// picks out of sample in `psephos backtest --all` (README). No other model
/// beats the simple one on every score, so it is the simple one; a slow
/// test checks that it still is.
pub const DEFAULT_MODEL: ErrorModel = MODELS[0];

/// The model named `name`.
pub fn model(name: &str) -> Option<ErrorModel> {
    MODELS.iter().copied().find(|m| m.name == name)
}

/// A model's parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErrorParams {
    /// σ, share points at 50%.
    pub systematic_error: f64,
    /// Shape of the shared error.
    pub tails: Tails,
    /// Favourite bias, share points of lead.
    pub favourite_bias: f64,
}

impl ErrorParams {
    /// The defaults a scenario gets when it sets none.
    pub const DEFAULT: ErrorParams = ErrorParams {
        systematic_error: DEFAULT_SYSTEMATIC_ERROR,
        tails: DEFAULT_TAILS,
        favourite_bias: DEFAULT_FAVOURITE_BIAS,
    };

    /// The scenario with these parameters.
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        Scenario {
            systematic_error: self.systematic_error,
            tails: self.tails,
            favourite_bias: self.favourite_bias,
            ..scenario.clone()
        }
    }

    /// The parameters a scenario has.
    pub fn of(scenario: &Scenario) -> ErrorParams {
        ErrorParams {
            systematic_error: scenario.systematic_error,
            tails: scenario.tails,
            favourite_bias: scenario.favourite_bias,
        }
    }
}

/// A past election: its preset id, year and final-poll scenario (with `[actual]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Race {
    /// The preset it comes from.
    pub id: &'static str,
    /// The election's year.
    pub year: u32,
    /// The final-week polls and the result.
    pub scenario: Scenario,
}

/// Every London mayoral election with a final-poll preset, oldest first.
/// 2000 is missing: no final-week poll with first-choice shares was found.
pub fn london() -> Vec<Race> {
    presets::PRESETS
        .iter()
        .filter_map(|p| {
            let year = p.id.strip_prefix("london-")?.strip_suffix("-final-polls")?.parse().ok()?;
            let scenario = Scenario::from_toml(p.text, p.id).expect("built-in presets are valid");
            scenario.actual.is_some().then_some((year, Race { id: p.id, year, scenario }))
        })
        .collect::<std::collections::BTreeMap<u32, Race>>()
        .into_values()
        .collect()
}

/// A race's poll as fractions of its total, with each candidate's actual
/// share as a fraction (candidates without one are left out).
fn pairs(s: &Scenario) -> Vec<(f64, f64)> {
    let actual = s.actual.as_ref().expect("a race has a result");
    let total: f64 = s.candidates.iter().map(|c| c.share).sum();
    s.candidates.iter().filter_map(|c| actual.shares.get(&c.name).map(|&a| (c.share / total, a / 100.0))).collect()
}

/// The poll's lead of its leader over its runner-up less their actual lead,
/// in share points (positive: the favourite was overstated).
pub fn lead_error(s: &Scenario) -> f64 {
    let p = pairs(s);
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].0.total_cmp(&p[a].0).then(a.cmp(&b)));
    let (i, j) = (order[0], order[1]);
    100.0 * ((p[i].0 - p[j].0) - (p[i].1 - p[j].1))
}

/// Estimates a model's parameters from these races (see the module docs).
/// With no race, the parameters are the defaults.
pub fn fit(races: &[Race], model: ErrorModel) -> ErrorParams {
    let scenarios: Vec<&Scenario> = races.iter().map(|r| &r.scenario).collect();
    fit_scenarios(&scenarios, model)
}

/// Estimates a model's parameters from every race but the `held_out`-th.
pub fn fit_without(races: &[Race], held_out: usize, model: ErrorModel) -> ErrorParams {
    let scenarios: Vec<&Scenario> =
        races.iter().enumerate().filter(|&(i, _)| i != held_out).map(|(_, r)| &r.scenario).collect();
    fit_scenarios(&scenarios, model)
}

/// As [`fit`], from scenarios with `[actual]`.
pub fn fit_scenarios(scenarios: &[&Scenario], model: ErrorModel) -> ErrorParams {
    if scenarios.is_empty() {
        return ErrorParams { tails: model.tails, ..ErrorParams::DEFAULT };
    }
    let bias = if model.favourite_bias {
        scenarios.iter().map(|s| lead_error(s)).sum::<f64>() / scenarios.len() as f64
    } else {
        0.0
    };
    let (mut sum, mut k) = (0.0, 0.0);
    for s in scenarios {
        let mut poll: Vec<f64> = pairs(s).iter().map(|&(p, _)| p).collect();
        crate::model::shift_favourite(&mut poll, bias / 100.0);
        for (&m, &(_, a)) in poll.iter().zip(&pairs(s)) {
            if a > 0.0 && a < 1.0 {
                let e = m - a;
                sum += e * e / (a * (1.0 - a)) - 1.0 / s.sample_size as f64;
                k += 1.0;
            }
        }
    }
    let four_sigma2 = if k > 0.0 { (sum / k).max(0.0) } else { 0.0 };
    ErrorParams { systematic_error: 100.0 * (four_sigma2 / 4.0).sqrt(), tails: model.tails, favourite_bias: bias }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_has_every_election_with_final_polls_in_order() {
        let years: Vec<u32> = london().iter().map(|r| r.year).collect();
        assert_eq!(years, [2004, 2008, 2012, 2016, 2021, 2024]);
    }

    #[test]
    fn the_defaults_are_the_default_model_fitted_to_every_election() {
        let fit = fit(&london(), DEFAULT_MODEL);
        assert!((fit.systematic_error - DEFAULT_SYSTEMATIC_ERROR).abs() < 0.05, "{fit:?}");
        assert!((fit.favourite_bias - DEFAULT_FAVOURITE_BIAS).abs() < 0.05, "{fit:?}");
        assert_eq!(fit.tails, DEFAULT_TAILS);
    }

    #[test]
    fn a_held_out_race_does_not_move_its_own_parameters() {
        let races = london();
        let mut changed = races.clone();
        // Make 2012's polls wildly wrong: its own out-of-sample fit must not notice.
        let actual = changed[2].scenario.actual.as_mut().unwrap();
        actual.shares.insert("Johnson".into(), 80.0);
        for model in MODELS {
            assert_eq!(fit_without(&races, 2, model), fit_without(&changed, 2, model));
            assert_ne!(fit_without(&races, 0, model), fit_without(&changed, 0, model));
        }
    }

    #[test]
    fn lead_error_is_the_poll_lead_less_the_actual_lead() {
        let races = london();
        // 2021: Khan 45.34 against Bailey 30.06 in the polls, 40.05 against 35.28 in the count.
        let r2021 = &races.iter().find(|r| r.year == 2021).unwrap().scenario;
        let total: f64 = r2021.candidates.iter().map(|c| c.share).sum();
        let want = 100.0 * (45.34 - 30.06) / total - (40.05 - 35.28);
        assert!((lead_error(r2021) - want).abs() < 1e-9);
    }
}
