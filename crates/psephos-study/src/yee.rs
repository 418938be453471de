//! Yee diagrams (K.-P. Yee, "Voting simulation visualizations", 2005; the
//! reference setup of W. D. Smith, "Yee pictures illustrating voting method
//! behavior", RangeVoting.org, January 2007, drawn with his IEVS program):
//! candidates are fixed points in a square window of opinion; for each
//! pixel, an electorate of voters drawn from a 2-dimensional Gaussian
//! centred on the pixel ranks the candidates from nearest to farthest, and
//! the pixel takes the colour of the winner.
//!
//! Smith's reference setup, the default here: the window is [0, 200)² with
//! the origin at the lower left, the voters' Gaussian has σ = 70 on each
//! axis, and his 14 "random points" are the candidates ([`SMITH_14`]). His
//! utility 1/√(12000 + d²) decreases with the distance d, so the rankings
//! are by distance and ranked rules see exactly his ballots.
//!
//! Every pixel uses the same voters, shifted to its centre (common random
//! numbers: the offsets are drawn once from the seed), so that boundaries
//! between win regions move only when the rule's verdict does, not with the
//! sampling noise of each pixel.
//!
//! ```
//! use psephos_study::yee::{yee, YeeOptions};
//! let options = YeeOptions {
//!     candidates: vec![(50.0, 50.0), (150.0, 50.0), (100.0, 150.0)],
//!     sigma: 70.0,
//!     voters: 99,
//!     size: 8,
//!     seed: 1,
//!     rules: vec!["plurality".parse().unwrap()],
//! };
//! let maps = yee(&options).unwrap();
//! // The pixel at the lower left is nearest the first candidate.
//! assert_eq!(maps[0][7 * 8], 0);
//! ```

use psephos::{CountOptions, Rule};
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use crate::models::spatial::rank_by_distance;
use crate::models::Scratch;
use crate::profile::{candidate_names, ProfileBuilder, MAX_CANDIDATES};
use crate::StudyError;

/// The side of the window of opinion.
pub const WINDOW: f64 = 200.0;

/// W. D. Smith's 14 random points (2007), in the window [0, 200)².
pub const SMITH_14: [(f64, f64); 14] = [
    (120.0, 126.0),
    (64.0, 158.0),
    (102.0, 114.0),
    (35.0, 164.0),
    (66.0, 161.0),
    (146.0, 164.0),
    (153.0, 59.0),
    (115.0, 101.0),
    (136.0, 112.0),
    (95.0, 59.0),
    (117.0, 37.0),
    (164.0, 80.0),
    (31.0, 153.0),
    (170.0, 82.0),
];

/// The most pixels on a side.
pub const MAX_SIZE: usize = 1000;
/// The most voters per pixel.
pub const MAX_VOTERS: u64 = 100_000;
/// The most voters drawn and ranked in a whole picture (pixels × voters ×
/// rules, counted as ballots to count).
pub const MAX_WORK: u64 = 20_000_000_000;

/// What to draw.
#[derive(Clone, Debug)]
pub struct YeeOptions {
    /// Candidates' positions in the window.
    pub candidates: Vec<(f64, f64)>,
    /// The voters' standard deviation on each axis.
    pub sigma: f64,
    /// Voters per pixel.
    pub voters: u64,
    /// Pixels on a side.
    pub size: usize,
    /// The seed of the voters' offsets.
    pub seed: u64,
    /// One picture per rule.
    pub rules: Vec<Rule>,
}

impl YeeOptions {
    /// Refuses what cannot be drawn, before any work.
    pub fn check(&self) -> Result<(), StudyError> {
        let k = self.candidates.len();
        if !(2..=MAX_CANDIDATES).contains(&k) {
            return Err(StudyError::Bounds(format!(
                "--candidates: from 2 to {MAX_CANDIDATES} points, and {k} were given"
            )));
        }
        if let Some((x, y)) = self.candidates.iter().find(|(x, y)| !(x.is_finite() && y.is_finite())) {
            return Err(StudyError::Parameter(format!("--candidates: ({x}, {y}) is not a point")));
        }
        if !(1..=MAX_SIZE).contains(&self.size) {
            return Err(StudyError::Bounds(format!(
                "--size: from 1 to {MAX_SIZE} pixels, and {} were asked for",
                self.size
            )));
        }
        if !(1..=MAX_VOTERS).contains(&self.voters) {
            return Err(StudyError::Bounds(format!(
                "--voters: from 1 to {MAX_VOTERS}, and {} were asked for",
                self.voters
            )));
        }
        if !(self.sigma.is_finite() && self.sigma > 0.0) {
            return Err(StudyError::Parameter(format!("--sigma must be positive, and {} was given", self.sigma)));
        }
        if self.rules.is_empty() || self.rules.len() > 12 {
            return Err(StudyError::Parameter("give from 1 to 12 rules, one picture each".into()));
        }
        let work = (self.size * self.size) as u128 * u128::from(self.voters) * self.rules.len() as u128;
        if work > u128::from(MAX_WORK) {
            return Err(StudyError::Bounds(format!(
                "--size² × --voters × rules: at most {MAX_WORK} ballots to count, and {work} were asked for"
            )));
        }
        let e = psephos::Election::from_rankings(&["A"], &[(1, &["A"])]).expect("one ballot");
        for r in &self.rules {
            if r.is_multi_winner() || !r.accepts(&e.profile) {
                return Err(StudyError::Parameter(format!("rule {r}: Yee diagrams count single-winner ranked rules")));
            }
            if *r == Rule::KemenyYoung && k > psephos::rules::condorcet::kemeny::MAX_CANDIDATES {
                return Err(StudyError::Parameter(format!(
                    "rule kemeny-young counts at most 10 candidates, and there are {k}"
                )));
            }
        }
        Ok(())
    }

    /// The centre of pixel `(column, row)`, rows from the top.
    pub fn centre(&self, column: usize, row: usize) -> (f64, f64) {
        let step = WINDOW / self.size as f64;
        ((column as f64 + 0.5) * step, WINDOW - (row as f64 + 0.5) * step)
    }
}

/// For each rule, the winner's index at every pixel, row by row from the top.
pub fn yee(options: &YeeOptions) -> Result<Vec<Vec<u16>>, StudyError> {
    options.check()?;
    let k = options.candidates.len();
    let names = candidate_names(k);
    let positions: Vec<f64> = options.candidates.iter().flat_map(|&(x, y)| [x, y]).collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(options.seed);
    let offsets: Vec<(f64, f64)> = (0..options.voters)
        .map(|_| {
            let dx: f64 = StandardNormal.sample(&mut rng);
            let dy: f64 = StandardNormal.sample(&mut rng);
            (dx * options.sigma, dy * options.sigma)
        })
        .collect();
    let count = CountOptions::default();
    let pixels: Vec<Vec<u16>> = (0..options.size * options.size)
        .into_par_iter()
        .map_init(
            || (ProfileBuilder::new(k), Scratch::default(), vec![0.0; k]),
            |(builder, scratch, utilities), p| {
                let (cx, cy) = options.centre(p % options.size, p / options.size);
                builder.clear();
                for &(dx, dy) in &offsets {
                    rank_by_distance(&[cx + dx, cy + dy], &positions, None, utilities, scratch);
                    builder.add(&scratch.ranking);
                }
                let e = builder.build(&names);
                options
                    .rules
                    .iter()
                    .map(|r| {
                        let t = r.count(&e, &count).map_err(|source| StudyError::Count {
                            electorate: p as u64,
                            rule: r.to_string(),
                            source,
                        })?;
                        t.winner()
                            .map(|w| w.0)
                            .ok_or(StudyError::NoWinner { electorate: p as u64, rule: r.to_string() })
                    })
                    .collect::<Result<Vec<u16>, StudyError>>()
            },
        )
        .collect::<Result<_, _>>()?;
    Ok((0..options.rules.len()).map(|r| pixels.iter().map(|p| p[r]).collect()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With voters spread symmetrically around a point, a majority prefers
    /// the candidate nearer that point to any farther one, so a Condorcet
    /// rule draws the Voronoi diagram of the candidates (Smith's first
    /// example): away from the boundaries, every pixel is its nearest
    /// candidate's.
    #[test]
    fn condorcet_rules_draw_the_voronoi_diagram() {
        let o = YeeOptions {
            candidates: vec![(60.0, 60.0), (140.0, 60.0), (100.0, 140.0), (100.0, 90.0)],
            sigma: 80.0,
            voters: 401,
            size: 24,
            seed: 3,
            rules: vec!["schulze".parse().unwrap(), "plurality".parse().unwrap()],
        };
        let maps = yee(&o).unwrap();
        let nearest = |(x, y): (f64, f64)| {
            let d = |c: &(f64, f64)| (c.0 - x).powi(2) + (c.1 - y).powi(2);
            (0..o.candidates.len()).min_by(|&a, &b| d(&o.candidates[a]).total_cmp(&d(&o.candidates[b]))).unwrap() as u16
        };
        let agree = |map: &[u16]| {
            (0..o.size * o.size).filter(|&p| map[p] == nearest(o.centre(p % o.size, p / o.size))).count() as f64
                / (o.size * o.size) as f64
        };
        assert!(agree(&maps[0]) > 0.97, "schulze {}", agree(&maps[0]));
        // Plurality squeezes the centre candidate: its region shrinks.
        assert!(agree(&maps[1]) < 0.93, "plurality {}", agree(&maps[1]));
    }
}
