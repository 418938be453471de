//! The random society (R. J. Weber, "Comparison of public choice systems",
//! Cowles Foundation Discussion Paper 498, Yale University, 1978; S. Merrill,
//! *Making Multicandidate Elections More Democratic*, 1988, ch. 2): each
//! voter's utility for each candidate is an independent draw, uniform on
//! [0, 1], and the voter ranks the candidates by decreasing utility. The
//! rankings are therefore impartial culture; the utilities give voter
//! satisfaction efficiency a meaning, and Weber found its limit for many
//! voters in closed form (for plurality `√(3k)/(k+1)`, for Borda
//! `√(k/(k+1))`).
//!
//! ```
//! use psephos_study::models::{random_society::RandomSociety, Scratch};
//! use psephos_study::profile::ProfileBuilder;
//! use rand::SeedableRng;
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let mut out = ProfileBuilder::new(3);
//! let mut utilities = vec![0.0; 3];
//! RandomSociety.draw(3, 1000, &mut rng, &mut out, &mut utilities, &mut Scratch::default());
//! assert!(utilities.iter().all(|&u| (u - 0.5).abs() < 0.05));
//! ```

use rand::Rng;

use super::Scratch;
use crate::profile::ProfileBuilder;

/// Weber's random society with uniform utilities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RandomSociety;

impl RandomSociety {
    /// Adds `voters` rankings to `out` and each candidate's mean utility to
    /// `utilities`.
    pub fn draw<R: Rng + ?Sized>(
        &self,
        k: usize,
        voters: u64,
        rng: &mut R,
        out: &mut ProfileBuilder,
        utilities: &mut [f64],
        s: &mut Scratch,
    ) {
        for _ in 0..voters {
            s.keyed.clear();
            for (c, total) in utilities.iter_mut().enumerate().take(k) {
                let u = rng.random::<f64>();
                *total += u;
                s.keyed.push((u, c as u16));
            }
            s.keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
            s.ranking.clear();
            s.ranking.extend(s.keyed.iter().map(|x| x.1));
            out.add(&s.ranking);
        }
        for u in utilities.iter_mut() {
            *u /= voters as f64;
        }
    }
}
