//! Approval and score ballots: a columnar, deduplicated store.
//!
//! A cardinal ballot gives each candidate a score from 0 to a declared
//! maximum, or leaves the candidate unscored. An approval ballot is a score
//! ballot with maximum 1 (1 = approved). Every unique ballot is one row of
//! `num_candidates` scores in a flat column, with a weight saying how many
//! identical ballots it stands for.
//!
//! ```
//! use psephos::CardinalBallotsBuilder;
//! let mut b = CardinalBallotsBuilder::new(3, 5).unwrap();
//! b.push(&[Some(5), Some(0), None], 2).unwrap();
//! b.push(&[Some(5), Some(0), None], 1).unwrap();
//! b.push(&[Some(1), Some(4), Some(3)], 1).unwrap();
//! assert!(b.push(&[Some(6), None, None], 1).is_err());
//! let ballots = b.build();
//! assert_eq!(ballots.unique_len(), 2);
//! assert_eq!(ballots.total_weight(), 4);
//! assert_eq!(ballots.get(0).score(psephos::CandidateId(2)), None);
//! ```

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::store::RankedBallots;
use super::{InactiveReason, RankedBallotsBuilder};
use crate::candidate::CandidateId;
use crate::error::BallotError;

/// The stored value of a candidate left unscored.
const UNSCORED: u16 = u16::MAX;

/// The largest maximum score a store accepts.
pub const MAX_SCORE: u16 = u16::MAX - 1;

/// Unique approval or score ballots stored column-wise, each with a weight.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardinalBallots {
    num_candidates: usize,
    max_score: u16,
    /// `scores[i * n + c]`: ballot i's score for candidate c, or `UNSCORED`.
    scores: Vec<u16>,
    weights: Vec<u64>,
    total: u64,
}

impl CardinalBallots {
    /// How many unique ballots.
    pub fn unique_len(&self) -> usize {
        self.weights.len()
    }

    /// The total weight: how many ballots were cast.
    pub fn total_weight(&self) -> u64 {
        self.total
    }

    /// How many candidates each ballot scores.
    pub fn num_candidates(&self) -> usize {
        self.num_candidates
    }

    /// The highest score a ballot may give (1 for approval ballots).
    pub fn max_score(&self) -> u16 {
        self.max_score
    }

    /// Whether the store holds no ballots.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Unique ballot `i`.
    #[inline]
    pub fn get(&self, i: usize) -> CardinalBallotRef<'_> {
        let n = self.num_candidates;
        CardinalBallotRef { scores: &self.scores[i * n..i * n + n], weight: self.weights[i] }
    }

    /// Every unique ballot, in the order first seen.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = CardinalBallotRef<'_>> + '_ {
        (0..self.unique_len()).map(move |i| self.get(i))
    }

    /// The ballots as rankings: each ballot ranks the candidates it scored
    /// from the highest score down, candidates with equal scores at one level
    /// (an equal ranking), and leaves unscored candidates unranked. A ballot
    /// that scores nobody becomes a blank ballot.
    ///
    /// This is the documented conversion that lets ranked rules count score
    /// ballots when asked to explicitly; equal rankings are kept as they are,
    /// so a rule reading one candidate per rank treats them as an overvote
    /// among the candidates still continuing.
    ///
    /// ```
    /// use psephos::{CandidateId, CardinalBallotsBuilder};
    /// let mut b = CardinalBallotsBuilder::new(3, 9).unwrap();
    /// b.push(&[Some(2), Some(9), None], 4).unwrap();
    /// let ranked = b.build().to_ranked();
    /// let levels: Vec<Vec<CandidateId>> =
    ///     ranked.get(0).levels().map(|l| l.candidates().collect()).collect();
    /// assert_eq!(levels, vec![vec![CandidateId(1)], vec![CandidateId(0)]]);
    /// ```
    pub fn to_ranked(&self) -> RankedBallots {
        let n = self.num_candidates;
        let mut out = RankedBallotsBuilder::with_capacity(n, self.unique_len(), self.scores.len());
        let mut order: Vec<(u16, u16)> = Vec::with_capacity(n);
        for b in self.iter() {
            order.clear();
            order.extend(b.scores.iter().enumerate().filter(|&(_, &s)| s != UNSCORED).map(|(c, &s)| (c as u16, s)));
            order.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            for (i, &(c, s)) in order.iter().enumerate() {
                if i > 0 && order[i - 1].1 == s {
                    out.push_tied(CandidateId(c));
                } else {
                    out.push(CandidateId(c));
                }
            }
            let ending = if order.is_empty() { InactiveReason::Blank } else { InactiveReason::Exhausted };
            // The weights already summed without overflow in this store.
            out.finish_with(b.weight, ending).expect("weights fit");
        }
        out.build()
    }
}

/// One unique ballot in a [`CardinalBallots`] store.
#[derive(Clone, Copy, Debug)]
pub struct CardinalBallotRef<'a> {
    scores: &'a [u16],
    /// How many identical ballots this one stands for.
    pub weight: u64,
}

impl<'a> CardinalBallotRef<'a> {
    /// The score given to `c`, or `None` when the ballot leaves `c` unscored.
    #[inline]
    pub fn score(&self, c: CandidateId) -> Option<u16> {
        match self.scores[c.index()] {
            UNSCORED => None,
            s => Some(s),
        }
    }

    /// Every candidate's score, `None` for unscored, in candidate order.
    pub fn scores(&self) -> impl ExactSizeIterator<Item = Option<u16>> + 'a {
        self.scores.iter().map(|&s| if s == UNSCORED { None } else { Some(s) })
    }

    /// Whether the ballot scores nobody.
    pub fn is_blank(&self) -> bool {
        self.scores.iter().all(|&s| s == UNSCORED)
    }
}

/// Builds a [`CardinalBallots`] store, merging identical ballots as they come.
#[derive(Debug)]
pub struct CardinalBallotsBuilder {
    store: CardinalBallots,
    table: HashTable<u32>,
    hasher: foldhash::fast::FixedState,
}

impl CardinalBallotsBuilder {
    /// A builder for ballots over `num_candidates` candidates scoring from 0
    /// to `max_score` (1 for approval ballots). A maximum of 0 or above
    /// [`MAX_SCORE`] is refused.
    pub fn new(num_candidates: usize, max_score: u16) -> Result<Self, BallotError> {
        if max_score == 0 || max_score > MAX_SCORE {
            return Err(BallotError::BadMaxScore(max_score));
        }
        Ok(CardinalBallotsBuilder {
            store: CardinalBallots { num_candidates, max_score, ..CardinalBallots::default() },
            table: HashTable::new(),
            hasher: foldhash::fast::FixedState::with_seed(0x5c0_4e5),
        })
    }

    /// Adds a ballot: one entry per candidate, `None` for unscored.
    ///
    /// Refuses a ballot of the wrong length or with a score above the
    /// maximum; nothing is added then.
    pub fn push(&mut self, scores: &[Option<u16>], weight: u64) -> Result<(), BallotError> {
        let store = &mut self.store;
        let n = store.num_candidates;
        if scores.len() != n {
            return Err(BallotError::WrongLength { expected: n, found: scores.len() });
        }
        if let Some(&s) = scores.iter().flatten().find(|&&s| s > store.max_score) {
            return Err(BallotError::ScoreOutOfRange { score: s, max: store.max_score });
        }
        let total = store.total.checked_add(weight).ok_or(BallotError::WeightOverflow)?;
        let start = store.scores.len();
        store.scores.extend(scores.iter().map(|s| s.unwrap_or(UNSCORED)));
        let hash = self.hasher.hash_one(&store.scores[start..]);
        let all = &store.scores;
        let found = self.table.find(hash, |&row| all[row as usize * n..row as usize * n + n] == all[start..]);
        store.total = total;
        if let Some(&row) = found {
            store.weights[row as usize] += weight;
            store.scores.truncate(start);
            return Ok(());
        }
        let row = u32::try_from(store.weights.len()).map_err(|_| BallotError::TooManyMarks)?;
        store.weights.push(weight);
        let hasher = &self.hasher;
        let all = &store.scores;
        self.table.insert_unique(hash, row, |&r| hasher.hash_one(&all[r as usize * n..r as usize * n + n]));
        Ok(())
    }

    /// The finished store.
    pub fn build(self) -> CardinalBallots {
        let mut store = self.store;
        store.scores.shrink_to_fit();
        store.weights.shrink_to_fit();
        store
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_input_without_changing_the_store() {
        assert_eq!(CardinalBallotsBuilder::new(2, 0).unwrap_err(), BallotError::BadMaxScore(0));
        let mut b = CardinalBallotsBuilder::new(2, 1).unwrap();
        assert!(matches!(b.push(&[Some(1)], 1), Err(BallotError::WrongLength { expected: 2, found: 1 })));
        assert!(matches!(b.push(&[Some(2), None], 1), Err(BallotError::ScoreOutOfRange { score: 2, max: 1 })));
        b.push(&[None, None], 3).unwrap();
        let s = b.build();
        assert_eq!(s.unique_len(), 1);
        assert!(s.get(0).is_blank());
        assert_eq!(s.to_ranked().get(0).ending, InactiveReason::Blank);
    }

    #[test]
    fn equal_scores_become_equal_ranks() {
        let mut b = CardinalBallotsBuilder::new(3, 5).unwrap();
        b.push(&[Some(3), Some(5), Some(3)], 1).unwrap();
        let r = b.build().to_ranked();
        let levels: Vec<usize> = r.get(0).levels().map(|l| l.len()).collect();
        assert_eq!(levels, vec![1, 2]);
    }
}
