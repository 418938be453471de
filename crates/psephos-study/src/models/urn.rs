//! The Pólya–Eggenberger urn (F. Eggenberger and G. Pólya, "Über die
//! Statistik verketteter Vorgänge", *Zeitschrift für angewandte Mathematik
//! und Mechanik* 3 (1923); in social choice S. Berg, "Paradox of voting
//! under an urn model: the effect of homogeneity", *Public Choice* 47
//! (1985)), and the impartial anonymous culture it contains.
//!
//! **Convention.** The urn starts with one ball for each of the `k!` strict
//! orders. Each voter draws a ball, takes its order as their ranking, and
//! puts it back with `α·k!` more copies of the same order. This is the
//! parameterisation of `prefsampling` and of the "map of elections" (N.
//! Boehmer et al., "Putting a compass on the map of elections", IJCAI 2021):
//! `α = 0` is impartial culture, `α = 1/k!` (one copy returned) is the
//! impartial anonymous culture, and larger `α` makes electorates more
//! homogeneous. Libraries that count the copies instead (Berg's `a`, or
//! "replace with `a` balls") have `a = α·k!`.
//!
//! It is sampled without the `k!` balls: voter `j` (from 0) draws a fresh
//! uniform order with probability `k! / (k! + j·α·k!) = 1 / (1 + j·α)`, and
//! otherwise copies the ranking of an earlier voter chosen uniformly (every
//! earlier voter added the same `α·k!` balls).
//!
//! **Impartial anonymous culture (IAC)**: every anonymous profile (how many
//! voters hold each order) is equally likely (S. Kuga and H. Nagatani,
//! "Voter antagonism and the paradox of voting", *Econometrica* 42 (1974);
//! W. V. Gehrlein and P. C. Fishburn, "The probability of the paradox of
//! voting", *Journal of Economic Theory* 13 (1976)). It is the urn with
//! `α = 1/k!`.
//!
//! ```
//! use psephos_study::models::{urn::Urn, Scratch};
//! use psephos_study::profile::ProfileBuilder;
//! use rand::SeedableRng;
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let mut out = ProfileBuilder::new(3);
//! // A very homogeneous urn: after the first voter, nearly everyone copies.
//! Urn { alpha: 1000.0 }.draw(3, 50, &mut rng, &mut out, &mut Scratch::default());
//! assert_eq!(out.voters(), 50);
//! ```

use rand::Rng;

use super::ic::shuffle;
use super::Scratch;
use crate::profile::ProfileBuilder;

/// The urn model with replacement parameter `alpha` (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Urn {
    /// Copies returned per drawn ball, as a fraction of `k!`.
    pub alpha: f64,
}

impl Urn {
    /// The impartial anonymous culture over `k` candidates.
    pub fn iac(k: usize) -> Urn {
        Urn { alpha: 1.0 / factorial(k) }
    }

    /// Adds `voters` rankings of `k` candidates to `out`.
    pub fn draw<R: Rng + ?Sized>(&self, k: usize, voters: u64, rng: &mut R, out: &mut ProfileBuilder, s: &mut Scratch) {
        s.earlier.clear();
        for j in 0..voters {
            let fresh = j == 0 || rng.random::<f64>() * (1.0 + j as f64 * self.alpha) < 1.0;
            if fresh {
                shuffle(k, rng, &mut s.ranking);
            } else {
                let from = rng.random_range(0..j) as usize * k;
                s.ranking.clear();
                s.ranking.extend_from_slice(&s.earlier[from..from + k]);
            }
            s.earlier.extend_from_slice(&s.ranking);
            out.add(&s.ranking);
        }
    }
}

/// `k!` as a float.
pub fn factorial(k: usize) -> f64 {
    (1..=k).map(|i| i as f64).product()
}
