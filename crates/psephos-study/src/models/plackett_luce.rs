//! The Plackett–Luce model (R. D. Luce, *Individual Choice Behavior*, 1959;
//! R. L. Plackett, "The analysis of permutations", *Applied Statistics* 24
//! (1975)): candidate `c` has a positive weight `w_c`; a voter's first
//! choice is `c` with probability `w_c / Σ w`, the next is chosen the same
//! way among the rest, and so on.
//!
//! Sampled by an exponential race: each candidate gets a time
//! `E_c / w_c` with `E_c` standard exponential, and the ranking is the order
//! of the times (the first to arrive among any set is `c` with probability
//! proportional to `w_c`).
//!
//! ```
//! use psephos_study::models::{plackett_luce::PlackettLuce, Scratch};
//! use psephos_study::profile::ProfileBuilder;
//! use rand::SeedableRng;
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let mut out = ProfileBuilder::new(3);
//! PlackettLuce { weights: vec![5.0, 3.0, 2.0] }.draw(3, 100, &mut rng, &mut out, &mut Scratch::default());
//! assert_eq!(out.voters(), 100);
//! ```

use rand::Rng;
use rand_distr::{Distribution, Exp1};

use super::Scratch;
use crate::profile::ProfileBuilder;

/// Plackett–Luce with one weight per candidate.
#[derive(Clone, Debug, PartialEq)]
pub struct PlackettLuce {
    /// Positive weights, in candidate order.
    pub weights: Vec<f64>,
}

impl PlackettLuce {
    /// Adds `voters` rankings of the `k` candidates to `out`.
    pub fn draw<R: Rng + ?Sized>(&self, k: usize, voters: u64, rng: &mut R, out: &mut ProfileBuilder, s: &mut Scratch) {
        for _ in 0..voters {
            s.keyed.clear();
            for c in 0..k {
                let e: f64 = Exp1.sample(rng);
                s.keyed.push((e / self.weights[c], c as u16));
            }
            s.keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            s.ranking.clear();
            s.ranking.extend(s.keyed.iter().map(|x| x.1));
            out.add(&s.ranking);
        }
    }
}
