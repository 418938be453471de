//! The poll model of `psephos simulate` as an electorate model: each
//! electorate is one simulated election of a scenario (shares drawn around
//! the poll, next choices drawn around the scenario's rows, the scenario's
//! valid votes shared among the ballot types), exactly as
//! [`psephos_sim::Model`] draws it. The study then asks how each rule
//! behaves on races like this one, rather than who wins it.
//!
//! ```
//! use psephos_study::models::poll::Poll;
//! use rand::SeedableRng;
//! let preset = psephos_sim::presets::find("london-2024-corbyn-rw").unwrap();
//! let scenario = psephos_sim::Scenario::from_toml(preset.text, preset.id).unwrap();
//! let poll = Poll::new(&scenario);
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let e = poll.draw(&mut rng);
//! assert_eq!(e.total_ballots(), scenario.valid_votes);
//! ```

use psephos::Election;
use psephos_sim::{Draw, Model, Noise, Scenario, Workspace};
use rand::Rng;

/// A scenario's poll model.
#[derive(Clone, Debug)]
pub struct Poll {
    /// The model, with every source of noise on.
    pub model: Model,
}

impl Poll {
    /// The model of a scenario (its race with the entrant, if any).
    pub fn new(scenario: &Scenario) -> Poll {
        Poll { model: Model::new(scenario, Noise::FULL) }
    }

    /// One simulated election.
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Election {
        let mut draw = Draw::default();
        let mut ws = Workspace::default();
        self.model.draw_into(rng, &mut draw);
        let ballots = self.model.ballots(&draw, false, &mut ws);
        Election::from_ranked(self.model.candidates().clone(), 1, ballots).expect("the model's own candidates")
    }
}
