//! Sweeping the entrant's share: the same scenario simulated with the
//! entrant at each share in a range.
//!
//! ```
//! use psephos_sim::{presets, sweep, Scenario, SimOptions};
//! let s = Scenario::from_toml(presets::find("london-2024-corbyn-rw").unwrap().text, "p").unwrap();
//! let opts = SimOptions { draws: 100, ..SimOptions::new(s.rules.clone()) };
//! let points = sweep::run(&s, &sweep::steps(5.0, 15.0, 5.0).unwrap(), &opts, None).unwrap();
//! assert_eq!(points.len(), 3);
//! ```

use crate::model::{Model, Noise};
use crate::run::{self, SimError, SimOptions, Summary};
use crate::scenario::{Scenario, ScenarioError};

/// A sweep failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// A share in the range makes the scenario invalid.
    #[error("entrant share {share}: {source}")]
    Scenario {
        /// The share.
        share: f64,
        /// Why.
        source: ScenarioError,
    },
    /// The simulation failed.
    #[error(transparent)]
    Sim(#[from] SimError),
    /// The range is empty or malformed.
    #[error("bad range: {0}")]
    Range(String),
}

/// The shares `from, from + step, …` up to `to` (inclusive, with a little
/// slack for rounding).
pub fn steps(from: f64, to: f64, step: f64) -> Result<Vec<f64>, SweepError> {
    if !(from.is_finite() && to.is_finite() && step.is_finite()) || step <= 0.0 || to < from {
        return Err(SweepError::Range(format!("{from}:{to}:{step} (need FROM <= TO and STEP > 0)")));
    }
    let count = ((to - from) / step + 1e-9).floor() as usize + 1;
    if count > 1000 {
        return Err(SweepError::Range(format!("{count} steps; at most 1,000")));
    }
    Ok((0..count).map(|i| ((from + step * i as f64) * 1e9).round() / 1e9).collect())
}

/// Simulates the scenario at each entrant share; `progress` gets draws done.
pub fn run(
    scenario: &Scenario,
    shares: &[f64],
    options: &SimOptions,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<Vec<(f64, Summary)>, SweepError> {
    shares
        .iter()
        .map(|&share| {
            let s =
                scenario.with_entrant_share(share, "sweep").map_err(|source| SweepError::Scenario { share, source })?;
            let model = Model::new(&s, Noise::FULL);
            Ok((share, run::run(&model, options, progress)?))
        })
        .collect()
}
