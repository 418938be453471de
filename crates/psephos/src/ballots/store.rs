//! The columnar ballot store.

use super::InactiveReason;
use crate::candidate::CandidateId;
use crate::error::BallotError;
use crate::pairwise::{PairwiseMatrix, StoreTallies};
use crate::prefixes::Prefixes;
use std::sync::{Arc, OnceLock};

/// Bit 15 of a stored mark: this candidate is ranked equal with the next mark.
pub(crate) const TIED: u16 = 0x8000;
/// A stored mark that stands for a rank left empty (raw ballots only).
pub(crate) const SKIP: u16 = 0x7FFF;
/// A stored mark that stands for a rank marking two or more candidates the
/// source does not name (raw ballots only): an overvote under every policy.
/// It is [`SKIP`] with the [`TIED`] bit set and, unlike a candidate's mark,
/// always ends its level, so every value below [`SKIP`] is a candidate id.
pub(crate) const OVERVOTE: u16 = SKIP | TIED;

/// Whether a stored mark stands for no candidate: a skipped rank or an
/// overvote of unnamed candidates.
#[inline]
pub(crate) fn is_placeholder(m: u16) -> bool {
    m & !TIED == SKIP
}

/// Whether a stored mark is the last of its rank level.
#[inline]
pub(crate) fn ends_level(m: u16) -> bool {
    m & TIED == 0 || m == OVERVOTE
}

/// Unique ranked ballots stored column-wise, each with a weight.
///
/// Marks of all ballots lie in one flat `u16` column: a candidate id in the
/// low 15 bits, and the top bit set when the candidate shares its rank with
/// the next mark. `starts[i]..starts[i + 1]` are ballot `i`'s marks. Identical
/// ballots are merged when the store is built (see [`RankedBallotsBuilder`]),
/// so the weight column says how many ballots each row stands for; a source
/// that already lists each distinct ballot once with its weight (a PrefLib
/// file) is kept row for row ([`Merging::AsGiven`]), and two rows that are
/// identical all the same count as one row of their summed weight would.
///
/// [`Merging::AsGiven`]: super::Merging::AsGiven
///
/// [`RankedBallotsBuilder`]: super::RankedBallotsBuilder
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RankedBallots {
    pub(crate) num_candidates: usize,
    pub(crate) marks: Vec<u16>,
    pub(crate) starts: Vec<u32>,
    pub(crate) weights: Vec<u64>,
    pub(crate) endings: Vec<u8>,
    pub(crate) total: u64,
    /// What has been derived from the ballots so far.
    pub(crate) derived: Derived,
}

/// Values derived from a store's ballots, each built on first use and
/// shared by every rule and audit step that reads the same store (a
/// `--all-rules` count or an audit builds each once). A copy of a store
/// starts without them, since copies are made to be changed; they take no
/// part in comparisons.
#[derive(Default)]
pub(crate) struct Derived {
    /// The pairwise matrix and the weight ranking each candidate.
    pairwise: OnceLock<StoreTallies>,
    /// `strict_by_first[c]`: in store order, the rows of positive weight
    /// that rank one candidate per level and put `c` first.
    strict_by_first: OnceLock<Vec<Vec<u32>>>,
    /// The table of who is ranked above whom, with the standing candidates
    /// it was built for (a bit each): see [`Prefixes::shared`].
    pub(crate) prefixes: OnceLock<(u32, Option<Arc<Prefixes>>)>,
    /// Whether every ballot is plain (see [`Plain`]): set by the builder,
    /// which checks each ballot as it comes, or found on first use.
    pub(crate) plain: OnceLock<bool>,
}

impl Derived {
    /// Forgets everything (after the ballots change in place).
    pub(crate) fn clear(&mut self) {
        *self = Derived::default();
    }
}

impl Clone for Derived {
    fn clone(&self) -> Self {
        Derived::default()
    }
}

impl PartialEq for Derived {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Derived {}

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Derived")
            .field("pairwise", &self.pairwise.get().is_some())
            .field("strict_by_first", &self.strict_by_first.get().is_some())
            .field("prefixes", &self.prefixes.get().is_some())
            .field("plain", &self.plain.get())
            .finish()
    }
}

/// Checks ballots one by one for being plain (see [`RankedBallots::is_plain`]).
#[derive(Debug)]
pub(crate) struct Plain {
    n: usize,
    /// `seen[c] == stamp` when candidate `c` is in the ballot checked (over
    /// 64 candidates; a bit mask serves below).
    seen: Vec<u32>,
    stamp: u32,
}

impl Plain {
    pub(crate) fn new(n: usize) -> Self {
        Plain { n, seen: Vec::new(), stamp: 0 }
    }

    /// Whether one ballot is plain.
    #[inline]
    pub(crate) fn ballot(&mut self, marks: &[u16], ending: u8) -> bool {
        if marks.is_empty() {
            return ending != InactiveReason::Exhausted.to_u8();
        }
        // A tied mark (bit 15) and a placeholder are at or above every id.
        let n = self.n;
        if n <= 64 {
            let mut mask = 0u64;
            for &m in marks {
                if usize::from(m) >= n || mask >> m & 1 != 0 {
                    return false;
                }
                mask |= 1 << m;
            }
            return true;
        }
        if self.seen.len() != n || self.stamp == u32::MAX {
            self.seen = vec![0; n];
            self.stamp = 0;
        }
        self.stamp += 1;
        for &m in marks {
            let c = usize::from(m);
            if c >= n || self.seen[c] == self.stamp {
                return false;
            }
            self.seen[c] = self.stamp;
        }
        true
    }
}

impl RankedBallots {
    /// How many unique ballots.
    pub fn unique_len(&self) -> usize {
        self.weights.len()
    }

    /// The total weight: how many ballots were cast.
    pub fn total_weight(&self) -> u64 {
        self.total
    }

    /// How many candidates the ballots refer to.
    pub fn num_candidates(&self) -> usize {
        self.num_candidates
    }

    /// Whether the store holds no ballots.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Unique ballot `i`.
    #[inline]
    pub fn get(&self, i: usize) -> BallotRef<'_> {
        let (s, e) = (self.starts[i] as usize, self.starts[i + 1] as usize);
        BallotRef {
            marks: &self.marks[s..e],
            weight: self.weights[i],
            ending: InactiveReason::from_u8(self.endings[i]),
        }
    }

    /// Every unique ballot, in the order first seen.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = BallotRef<'_>> + '_ {
        (0..self.unique_len()).map(move |i| self.get(i))
    }

    /// The pairwise matrix of these ballots, built on the first call and
    /// kept with the store, so that every rule counting it shares one
    /// (equal to [`PairwiseMatrix::from_ballots`]).
    pub fn pairwise(&self) -> &PairwiseMatrix {
        &self.derived.pairwise.get_or_init(|| StoreTallies::of(self)).matrix
    }

    /// The pairwise matrix and ranked weights, if already built.
    pub(crate) fn built_pairwise(&self) -> Option<&StoreTallies> {
        self.derived.pairwise.get()
    }

    /// Gives the store its pairwise matrix and ranked weights, computed by
    /// the caller from what it knows (they must equal [`StoreTallies::of`]).
    pub(crate) fn keep_pairwise(&mut self, m: StoreTallies) {
        self.derived.clear();
        let _ = self.derived.pairwise.set(m);
    }

    /// Whether every ballot is plain: one candidate per level, none
    /// twice, no placeholder, and no ballot without marks that ends
    /// exhausted. Normalising such a store under any policy changes nothing.
    pub(crate) fn is_plain(&self) -> bool {
        *self.derived.plain.get_or_init(|| {
            let mut plain = Plain::new(self.num_candidates);
            (0..self.unique_len()).all(|i| plain.ballot(self.marks_of(i), self.endings[i]))
        })
    }

    /// The marks of unique ballot `i`.
    #[inline]
    pub(crate) fn marks_of(&self, i: usize) -> &[u16] {
        &self.marks[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    /// By first choice, in store order, the rows of positive weight that
    /// rank one candidate per level: built on the first call, one pass.
    pub(crate) fn strict_rows_by_first(&self) -> &[Vec<u32>] {
        self.derived.strict_by_first.get_or_init(|| {
            let mut by_first = vec![Vec::new(); self.num_candidates];
            for i in 0..self.unique_len() {
                let marks = self.marks_of(i);
                if self.weights[i] > 0 && !marks.is_empty() && marks.iter().all(|&m| m & TIED == 0) {
                    // A placeholder (raw stores only) names no candidate.
                    if let Some(rows) = by_first.get_mut(usize::from(marks[0])) {
                        rows.push(i as u32);
                    }
                }
            }
            by_first
        })
    }

    /// The weight column.
    pub fn weights(&self) -> &[u64] {
        &self.weights
    }

    /// Replaces every unique ballot's weight, keeping the ballots: for callers
    /// that count the same ballot types many times with new weights (a
    /// simulation's draws), without rebuilding or re-hashing the store. A
    /// weight may be zero: that row then counts for nobody and is not
    /// inactive either.
    ///
    /// ```
    /// use psephos::{CandidateId, RankedBallotsBuilder};
    /// let mut b = RankedBallotsBuilder::new(2);
    /// b.push(CandidateId(0));
    /// b.finish(5).unwrap();
    /// b.push(CandidateId(1));
    /// b.finish(3).unwrap();
    /// let mut ballots = b.build();
    /// ballots.set_weights(&[1, 9]).unwrap();
    /// assert_eq!(ballots.total_weight(), 10);
    /// ```
    pub fn set_weights(&mut self, weights: &[u64]) -> Result<(), BallotError> {
        if weights.len() != self.weights.len() {
            return Err(BallotError::WeightCount { expected: self.weights.len(), found: weights.len() });
        }
        let total = weights.iter().try_fold(0u64, |t, &w| t.checked_add(w)).ok_or(BallotError::WeightOverflow)?;
        self.weights.copy_from_slice(weights);
        self.total = total;
        self.derived.clear();
        Ok(())
    }
}

/// One unique ballot in a [`RankedBallots`] store.
#[derive(Clone, Copy, Debug)]
pub struct BallotRef<'a> {
    pub(crate) marks: &'a [u16],
    /// How many identical ballots this one stands for.
    pub weight: u64,
    /// Why the ballot is inactive once its listed preferences run out.
    pub ending: InactiveReason,
}

impl<'a> BallotRef<'a> {
    /// The rank levels, best first.
    pub fn levels(&self) -> Levels<'a> {
        Levels { marks: self.marks }
    }

    /// How many rank levels (skipped ranks included, in a raw store).
    pub fn num_levels(&self) -> usize {
        self.marks.iter().filter(|&&m| ends_level(m)).count()
    }

    /// Whether the ballot marks nothing at all (an overvote of unnamed
    /// candidates is a mark).
    pub fn is_blank(&self) -> bool {
        self.marks.iter().all(|&m| m == SKIP)
    }

    /// The raw mark column of this ballot (crate use: counting loops).
    #[inline]
    pub(crate) fn marks(&self) -> &'a [u16] {
        self.marks
    }
}

/// Iterator over the rank levels of a ballot.
#[derive(Clone, Debug)]
pub struct Levels<'a> {
    marks: &'a [u16],
}

impl<'a> Iterator for Levels<'a> {
    type Item = Level<'a>;

    #[inline]
    fn next(&mut self) -> Option<Level<'a>> {
        if self.marks.is_empty() {
            return None;
        }
        let len = level_len(self.marks, 0);
        let (level, rest) = self.marks.split_at(len);
        self.marks = rest;
        Some(Level { marks: level })
    }
}

/// The number of marks in the level that starts at `at`.
#[inline]
pub(crate) fn level_len(marks: &[u16], at: usize) -> usize {
    let mut i = at;
    while !ends_level(marks[i]) {
        i += 1;
    }
    i + 1 - at
}

/// One rank level of a ballot: the candidates given that rank.
#[derive(Clone, Copy, Debug)]
pub struct Level<'a> {
    marks: &'a [u16],
}

impl<'a> Level<'a> {
    /// Whether the rank was left empty.
    pub fn is_skipped(&self) -> bool {
        self.marks.len() == 1 && self.marks[0] == SKIP
    }

    /// Whether the rank marks two or more candidates that the source does
    /// not name (BLT's `-=-`): an overvote, whatever the policy.
    pub fn is_unnamed_overvote(&self) -> bool {
        self.marks.len() == 1 && self.marks[0] == OVERVOTE
    }

    /// How many named candidates share this rank (0 for a skipped rank and
    /// for an overvote of unnamed candidates).
    pub fn len(&self) -> usize {
        if self.marks.len() == 1 && is_placeholder(self.marks[0]) {
            0
        } else {
            self.marks.len()
        }
    }

    /// Whether no named candidate holds this rank.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The named candidates at this rank.
    pub fn candidates(&self) -> impl ExactSizeIterator<Item = CandidateId> + 'a {
        let marks = if self.is_empty() { &self.marks[..0] } else { self.marks };
        marks.iter().map(|&m| CandidateId(m & !TIED))
    }
}

#[cfg(test)]
mod tests {
    use crate::{CandidateId, PairwiseMatrix, RankedBallotsBuilder};

    fn store() -> super::RankedBallots {
        let mut b = RankedBallotsBuilder::new(2);
        b.push(CandidateId(0));
        b.finish(5).unwrap();
        b.push(CandidateId(1));
        b.finish(3).unwrap();
        b.build()
    }

    #[test]
    fn the_kept_matrix_follows_new_weights() {
        let mut ballots = store();
        assert_eq!(ballots.pairwise().get(CandidateId(0), CandidateId(1)), 5);
        ballots.set_weights(&[1, 9]).unwrap();
        assert_eq!(ballots.pairwise().get(CandidateId(0), CandidateId(1)), 1);
        assert_eq!(ballots.pairwise(), &PairwiseMatrix::from_ballots(&ballots));
    }

    #[test]
    fn strict_rows_are_indexed_by_first_choice_in_store_order() {
        let (a, b, c) = (CandidateId(0), CandidateId(1), CandidateId(2));
        let mut builder = RankedBallotsBuilder::new(3);
        for (ranking, weight) in [(&[b, a][..], 2), (&[a][..], 1), (&[c, b][..], 4), (&[b][..], 3)] {
            for &x in ranking {
                builder.push(x);
            }
            builder.finish(weight).unwrap();
        }
        builder.push_level(&[a, c]);
        builder.finish(5).unwrap();
        let mut ballots = builder.build();
        assert_eq!(ballots.strict_rows_by_first(), &[vec![1], vec![0, 3], vec![2]]);
        // A row of weight 0 leaves the index.
        ballots.set_weights(&[2, 0, 4, 3, 5]).unwrap();
        assert_eq!(ballots.strict_rows_by_first(), &[vec![], vec![0, 3], vec![2]]);
    }

    #[test]
    fn a_copy_builds_its_own_matrix() {
        let ballots = store();
        let _ = ballots.pairwise();
        let mut copy = ballots.clone();
        assert_eq!(copy, ballots);
        copy.weights[0] = 2;
        assert_eq!(copy.pairwise().get(CandidateId(0), CandidateId(1)), 2);
        assert_eq!(ballots.pairwise().get(CandidateId(0), CandidateId(1)), 5);
    }
}
