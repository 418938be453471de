//! # psephos-sim
//!
//! Elections simulated from polls: a [`Scenario`] (a poll, its uncertainty,
//! voters' next choices, the rules to compare and optionally an entrant) is
//! turned into a [`Model`]; each Monte Carlo draw perturbs the shares and
//! next choices, builds weighted ballots and counts them with the core's own
//! rules ([`psephos::Rule::count`]), so no rule is implemented twice.
//! With [`Measures::SPOILERS`], every draw also runs the core's spoiler test
//! on each losing candidate under each rule, and the summary reports how
//! often each candidate was a spoiler and whom it hurt ([`spoilers`]).
//!
//! ```
//! use psephos_sim::{Model, Noise, Scenario, SimOptions};
//! let s = Scenario::from_toml(r#"
//!     title = "Three-way race"
//!     source = "invented for this example"
//!     sample_size = 1000
//!     valid_votes = 100000
//!     candidates = [ { name = "A", share = 40 }, { name = "B", share = 35 }, { name = "C", share = 25 } ]
//!     [preferences]
//!     C = { B = 0.9 }
//! "#, "example.toml").unwrap();
//! let model = Model::new(&s, Noise::FULL);
//! let summary = psephos_sim::run(&model, &SimOptions { draws: 400, ..SimOptions::new(s.rules.clone()) }, None).unwrap();
//! let fptp: f64 = (0..3).map(|c| summary.race.win_probability(0, c)).sum();
//! assert!((fptp - 1.0).abs() < 1e-9);
//! // C's voters prefer B, so B wins more often under the Supplementary Vote.
//! assert!(summary.race.win_probability(1, 1) > summary.race.win_probability(0, 1));
//! ```

pub mod backtest;
pub mod calibration;
mod fast;
pub mod model;
pub mod presets;
pub mod replay;
pub mod run;
pub mod scenario;
pub mod spoilers;
pub mod sweep;

pub use model::{BallotLayout, Draw, Model, Noise, Workspace};
pub use replay::{Mismatch, Replay};
pub use run::{run, run_with, Measures, RaceSummary, SimError, SimOptions, Summary, MAX_BALLOT_TYPES, MAX_DRAWS};
pub use scenario::{
    Actual, CandidateSpec, Entrant, PollRecord, Scenario, ScenarioError, Tails, DEFAULT_FAVOURITE_BIAS,
    DEFAULT_NO_FURTHER_CHOICE, DEFAULT_PREFERENCE_CONCENTRATION, DEFAULT_SYSTEMATIC_ERROR, DEFAULT_TAILS,
    MAX_CANDIDATES,
};
pub use spoilers::{SpoilerCount, SpoilerTally};
