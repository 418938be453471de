//! The Mallows model (C. L. Mallows, "Non-null ranking models. I",
//! *Biometrika* 44 (1957)): a ranking `π` has probability proportional to
//! `φ^d(π, π₀)`, where `d` is the Kendall tau distance (the number of pairs
//! ordered differently) from a reference ranking `π₀`, and the dispersion
//! `φ` is in [0, 1]: `φ = 0` gives everyone the reference ranking, `φ = 1` is
//! impartial culture. `φ` is the raw dispersion (not `prefsampling`'s
//! "normalised φ").
//!
//! A **mixture** draws each voter's component first, by weight; each
//! component has its own `φ` and reference ranking (for example two
//! opposed camps).
//!
//! Sampled exactly by the repeated insertion model (J.-P. Doignon, A. Pekeč
//! and M. Regenwetter, "The repeated insertion model for rankings",
//! *Psychometrika* 69 (2004); T. Lu and C. Boutilier, "Effective sampling
//! and learning for Mallows models with pairwise-preference data", *JMLR* 15
//! (2014)): the reference's `i`-th candidate (from 0) is inserted into the
//! ranking built so far at position `j ∈ 0..=i` with probability
//! proportional to `φ^(i−j)`, which adds `i − j` inversions.
//!
//! ```
//! use psephos_study::models::{mallows::{Mallows, MallowsComponent}, Scratch};
//! use psephos_study::profile::ProfileBuilder;
//! use rand::SeedableRng;
//! let m = Mallows::single(0.0, vec![2, 0, 1]);
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let mut out = ProfileBuilder::new(3);
//! m.draw(3, 10, &mut rng, &mut out, &mut Scratch::default());
//! // φ = 0: everyone holds the reference ranking.
//! assert_eq!(out.build(&psephos_study::profile::candidate_names(3)).ranked().unwrap().unique_len(), 1);
//! ```

use rand::Rng;

use super::Scratch;
use crate::profile::ProfileBuilder;

/// One component of a Mallows mixture.
#[derive(Clone, Debug, PartialEq)]
pub struct MallowsComponent {
    /// Relative weight (positive).
    pub weight: f64,
    /// Dispersion, 0 to 1.
    pub phi: f64,
    /// The reference ranking: candidate indices, best first, each once.
    pub reference: Vec<u16>,
}

/// A Mallows model or a mixture of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Mallows {
    /// The components.
    pub components: Vec<MallowsComponent>,
}

impl Mallows {
    /// One component around `reference`.
    pub fn single(phi: f64, reference: Vec<u16>) -> Mallows {
        Mallows { components: vec![MallowsComponent { weight: 1.0, phi, reference }] }
    }

    /// Adds `voters` rankings to `out`.
    pub fn draw<R: Rng + ?Sized>(&self, k: usize, voters: u64, rng: &mut R, out: &mut ProfileBuilder, s: &mut Scratch) {
        // Per component, the cumulative insertion probabilities of each step.
        let tables: Vec<Vec<Vec<f64>>> = self.components.iter().map(|c| insertion_tables(k, c.phi)).collect();
        let total: f64 = self.components.iter().map(|c| c.weight).sum();
        for _ in 0..voters {
            let mut pick = 0;
            if self.components.len() > 1 {
                let mut u = rng.random::<f64>() * total;
                while pick + 1 < self.components.len() && u >= self.components[pick].weight {
                    u -= self.components[pick].weight;
                    pick += 1;
                }
            }
            let (c, table) = (&self.components[pick], &tables[pick]);
            s.ranking.clear();
            for (i, &cand) in c.reference.iter().enumerate() {
                let u = rng.random::<f64>();
                let j = table[i].iter().position(|&p| u < p).unwrap_or(i);
                s.ranking.insert(j, cand);
            }
            out.add(&s.ranking);
        }
    }
}

/// For step `i`, the cumulative probabilities of inserting at `0..=i`.
fn insertion_tables(k: usize, phi: f64) -> Vec<Vec<f64>> {
    (0..k)
        .map(|i| {
            let w: Vec<f64> = (0..=i).map(|j| phi.powi((i - j) as i32)).collect();
            let total: f64 = w.iter().sum();
            let mut acc = 0.0;
            let mut cum: Vec<f64> = w
                .iter()
                .map(|x| {
                    acc += x / total;
                    acc
                })
                .collect();
            if let Some(last) = cum.last_mut() {
                *last = f64::INFINITY;
            }
            cum
        })
        .collect()
}
