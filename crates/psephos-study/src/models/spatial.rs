//! The spatial model (A. Downs, *An Economic Theory of Democracy*, 1957; for
//! the comparison of voting rules S. Merrill, "A comparison of efficiency of
//! multicandidate electoral systems", *American Journal of Political Science*
//! 28 (1984), and *Making Multicandidate Elections More Democratic*, 1988):
//! voters and candidates are points in `D` dimensions of opinion, and a
//! voter's utility for a candidate is minus the Euclidean distance between
//! them, so each voter ranks the candidates from nearest to farthest.
//!
//! In each electorate the candidates and the voters are drawn afresh from
//! the same distribution: every coordinate standard normal
//! ([`Distribution::Normal`]) or uniform on [−1, 1] ([`Distribution::Uniform`]).
//! With a **cut-off** (`max_distance`), a voter ranks only the candidates
//! within that distance, nearest first, and a voter with none leaves a blank
//! ballot (counted, but for no one): truncated ballots as real voters cast
//! them. Utilities (for voter satisfaction) are always the distances.
//!
//! ```
//! use psephos_study::models::{spatial::{Distribution, Spatial}, Scratch};
//! use psephos_study::profile::ProfileBuilder;
//! use rand::SeedableRng;
//! let model = Spatial { dimensions: 2, distribution: Distribution::Normal, max_distance: None };
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let mut out = ProfileBuilder::new(4);
//! let mut utilities = vec![0.0; 4];
//! model.draw(4, 500, &mut rng, &mut out, &mut utilities, &mut Scratch::default());
//! assert_eq!(out.voters(), 500);
//! assert!(utilities.iter().all(|&u| u < 0.0));
//! ```

use std::fmt;

use rand::Rng;
use rand_distr::{Distribution as _, StandardNormal};

use super::Scratch;
use crate::profile::ProfileBuilder;

/// How voters' and candidates' coordinates are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Distribution {
    /// Standard normal in each dimension.
    Normal,
    /// Uniform on [−1, 1] in each dimension.
    Uniform,
}

impl Distribution {
    /// The distribution's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Distribution::Normal => "normal",
            Distribution::Uniform => "uniform",
        }
    }

    fn sample<R: Rng + ?Sized>(self, rng: &mut R) -> f64 {
        match self {
            Distribution::Normal => StandardNormal.sample(rng),
            Distribution::Uniform => rng.random::<f64>() * 2.0 - 1.0,
        }
    }
}

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The spatial model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spatial {
    /// Dimensions of opinion.
    pub dimensions: usize,
    /// Distribution of every coordinate.
    pub distribution: Distribution,
    /// Rank only candidates within this distance (`None`: rank all).
    pub max_distance: Option<f64>,
}

impl Spatial {
    /// Draws the candidates' positions and `voters` voters, adds their
    /// rankings to `out` and each candidate's mean utility to `utilities`.
    pub fn draw<R: Rng + ?Sized>(
        &self,
        k: usize,
        voters: u64,
        rng: &mut R,
        out: &mut ProfileBuilder,
        utilities: &mut [f64],
        s: &mut Scratch,
    ) {
        let d = self.dimensions;
        s.positions.clear();
        s.positions.extend((0..k * d).map(|_| self.distribution.sample(rng)));
        let positions = std::mem::take(&mut s.positions);
        let mut voter = vec![0.0; d];
        for _ in 0..voters {
            for x in voter.iter_mut() {
                *x = self.distribution.sample(rng);
            }
            rank_by_distance(&voter, &positions, self.max_distance, utilities, s);
            out.add(&s.ranking);
        }
        for u in utilities.iter_mut() {
            *u /= voters as f64;
        }
        s.positions = positions;
    }
}

/// One voter at `voter` facing candidates at `positions` (row-major, one
/// row of `voter.len()` coordinates per candidate): leaves the ranking,
/// nearest first and cut at `max_distance`, in `s.ranking`, and adds minus
/// each distance to `utilities`. Equal distances keep candidate order.
pub fn rank_by_distance(
    voter: &[f64],
    positions: &[f64],
    max_distance: Option<f64>,
    utilities: &mut [f64],
    s: &mut Scratch,
) {
    let d = voter.len();
    s.keyed.clear();
    for (c, u) in utilities.iter_mut().enumerate() {
        let dist2: f64 = voter.iter().zip(&positions[c * d..(c + 1) * d]).map(|(a, b)| (a - b) * (a - b)).sum();
        let dist = dist2.sqrt();
        *u -= dist;
        if max_distance.is_none_or(|m| dist <= m) {
            s.keyed.push((dist, c as u16));
        }
    }
    s.keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    s.ranking.clear();
    s.ranking.extend(s.keyed.iter().map(|x| x.1));
}
