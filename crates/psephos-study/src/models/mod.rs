//! Electorate models: how a study draws each electorate. One file per
//! model, each citing its source; [`Model`] names them for the runner.
//!
//! | model | id | utilities |
//! |---|---|---|
//! | impartial culture | `ic` | — |
//! | impartial anonymous culture | `iac` | — |
//! | Pólya–Eggenberger urn | `urn` | — |
//! | Mallows (or a mixture) | `mallows` | — |
//! | Plackett–Luce | `plackett-luce` | — |
//! | spatial, `D` dimensions | `spatial` | minus the distance |
//! | Weber's random society | `random-society` | uniform on [0, 1] |
//! | the poll model of a scenario | `poll` | — |
//! | bootstrap of a ballot file | `bootstrap` | — |

pub mod bootstrap;
pub mod ic;
pub mod mallows;
pub mod plackett_luce;
pub mod poll;
pub mod random_society;
pub mod spatial;
pub mod urn;

use psephos::{Candidates, Election};
use rand::Rng;

use crate::profile::{candidate_names, ProfileBuilder};

/// Scratch buffers a model reuses from voter to voter.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// The ranking being built.
    pub ranking: Vec<u16>,
    /// Keys to sort candidates by.
    pub keyed: Vec<(f64, u16)>,
    /// Earlier voters' rankings (the urn).
    pub earlier: Vec<u16>,
    /// Candidates' positions (the spatial model).
    pub positions: Vec<f64>,
    /// Voters per order (impartial culture).
    pub counts: Vec<u64>,
}

/// An electorate model with its parameters.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Model {
    /// Impartial culture.
    ImpartialCulture,
    /// Impartial anonymous culture.
    ImpartialAnonymousCulture,
    /// The urn model.
    Urn(urn::Urn),
    /// Mallows, or a mixture.
    Mallows(mallows::Mallows),
    /// Plackett–Luce.
    PlackettLuce(plackett_luce::PlackettLuce),
    /// The spatial model.
    Spatial(spatial::Spatial),
    /// Weber's random society.
    RandomSociety,
    /// The poll model of a scenario.
    Poll(Box<poll::Poll>),
    /// Resampling a real election's ballots.
    Bootstrap(Box<bootstrap::Bootstrap>),
}

/// One electorate: its ballots, and each candidate's mean utility over the
/// voters when the model has utilities.
#[derive(Clone, Debug)]
pub struct Electorate {
    /// The ballots, deduplicated.
    pub election: Election,
    /// Mean utility per candidate, for models with utilities.
    pub utilities: Option<Vec<f64>>,
}

impl Model {
    /// The model's id.
    pub fn id(&self) -> &'static str {
        match self {
            Model::ImpartialCulture => "ic",
            Model::ImpartialAnonymousCulture => "iac",
            Model::Urn(_) => "urn",
            Model::Mallows(_) => "mallows",
            Model::PlackettLuce(_) => "plackett-luce",
            Model::Spatial(_) => "spatial",
            Model::RandomSociety => "random-society",
            Model::Poll(_) => "poll",
            Model::Bootstrap(_) => "bootstrap",
        }
    }

    /// Whether voters have utilities (so voter satisfaction is defined).
    pub fn has_utilities(&self) -> bool {
        matches!(self, Model::Spatial(_) | Model::RandomSociety)
    }

    /// The candidates of the model's electorates, when the model names its
    /// own (a scenario's, a ballot file's); `None` for synthetic models,
    /// whose candidates are `A`, `B`, ….
    pub fn own_candidates(&self) -> Option<&Candidates> {
        match self {
            Model::Poll(p) => Some(p.model.candidates()),
            Model::Bootstrap(b) => Some(&b.election.candidates),
            _ => None,
        }
    }

    /// Draws one electorate of `voters` voters over `candidates` with the
    /// electorate's own generator.
    pub fn electorate<R: Rng + ?Sized>(
        &self,
        candidates: &Candidates,
        voters: u64,
        rng: &mut R,
        out: &mut ProfileBuilder,
        s: &mut Scratch,
    ) -> Electorate {
        let k = candidates.len();
        out.clear();
        let mut utilities = vec![0.0; k];
        match self {
            Model::ImpartialCulture => ic::ImpartialCulture.draw(k, voters, rng, out, s),
            Model::ImpartialAnonymousCulture => urn::Urn::iac(k).draw(k, voters, rng, out, s),
            Model::Urn(m) => m.draw(k, voters, rng, out, s),
            Model::Mallows(m) => m.draw(k, voters, rng, out, s),
            Model::PlackettLuce(m) => m.draw(k, voters, rng, out, s),
            Model::Spatial(m) => m.draw(k, voters, rng, out, &mut utilities, s),
            Model::RandomSociety => random_society::RandomSociety.draw(k, voters, rng, out, &mut utilities, s),
            Model::Poll(p) => return Electorate { election: p.draw(rng), utilities: None },
            Model::Bootstrap(b) => return Electorate { election: b.draw(voters, rng), utilities: None },
        }
        Electorate { election: out.take(candidates), utilities: self.has_utilities().then_some(utilities) }
    }

    /// The candidates of a study with `k` candidates under this model.
    pub fn candidates(&self, k: usize) -> Candidates {
        self.own_candidates().cloned().unwrap_or_else(|| candidate_names(k))
    }
}
