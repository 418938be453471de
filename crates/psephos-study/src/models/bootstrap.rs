//! The bootstrap of a real election (B. Efron, "Bootstrap methods: another
//! look at the jackknife", *Annals of Statistics* 7 (1979)): each electorate
//! draws `n` ballots with replacement from the ballots as counted (by
//! default as many as were cast), so the spread of results across
//! electorates shows how much the declared result depends on exactly which
//! ballots were counted. Ballots keep their normalised marks and why they
//! became inactive; only their numbers change.
//!
//! Drawing `n` ballots with replacement from `N` is a multinomial draw over
//! the unique ballots, made exactly as a chain of binomial draws (each unique
//! ballot takes `Binomial(n left, its weight / weight left)`), so the cost
//! grows with the unique ballots, not with `n`.
//!
//! ```
//! use psephos::Election;
//! use psephos_study::models::bootstrap::Bootstrap;
//! use rand::SeedableRng;
//! let e = Election::from_rankings(&["A", "B"], &[(60, &["A"]), (40, &["B", "A"])]).unwrap();
//! let b = Bootstrap::new(e).unwrap();
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let again = b.draw(100, &mut rng);
//! assert_eq!(again.total_ballots(), 100);
//! ```

use psephos::{Election, Profile};
use rand::Rng;
use rand_distr::{Binomial, Distribution};

use crate::StudyError;

/// Resampling the ballots of one election.
#[derive(Clone, Debug)]
pub struct Bootstrap {
    /// The election as counted.
    pub election: Election,
}

impl Bootstrap {
    /// The bootstrap of a ranked, single-seat election with at least one ballot.
    pub fn new(mut election: Election) -> Result<Bootstrap, StudyError> {
        let Some(ballots) = election.ranked() else {
            return Err(StudyError::Bootstrap(format!(
                "the ballots are {} ballots; the study counts ranked ballots",
                election.profile.kind()
            )));
        };
        if ballots.total_weight() == 0 {
            return Err(StudyError::Bootstrap("the file holds no ballots".into()));
        }
        election.seats = 1;
        Ok(Bootstrap { election })
    }

    /// Ballots cast in the election.
    pub fn ballots(&self) -> u64 {
        self.election.total_ballots()
    }

    /// An election of `n` ballots drawn with replacement.
    pub fn draw<R: Rng + ?Sized>(&self, n: u64, rng: &mut R) -> Election {
        let Profile::Ranked(ballots) = &self.election.profile else { unreachable!("checked in new") };
        let mut left_weight = ballots.total_weight();
        let mut left = n;
        let weights: Vec<u64> = ballots
            .weights()
            .iter()
            .map(|&w| {
                if left == 0 || w == 0 {
                    left_weight -= w;
                    return 0;
                }
                let p = (w as f64 / left_weight as f64).min(1.0);
                left_weight -= w;
                let x = if p >= 1.0 { left } else { Binomial::new(left, p).expect("0 <= p < 1").sample(rng) };
                left -= x;
                x
            })
            .collect();
        let mut resampled = ballots.clone();
        resampled.set_weights(&weights).expect("one weight per row, adding up to n");
        let mut e = self.election.clone();
        e.profile = Profile::Ranked(resampled);
        e
    }
}
