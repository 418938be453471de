//! Building a deduplicated [`RankedBallots`] store one ballot at a time.

use std::hash::BuildHasher;

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;

use super::store::{RankedBallots, SKIP, TIED};
use super::InactiveReason;
use crate::candidate::CandidateId;
use crate::error::BallotError;

/// Builds a [`RankedBallots`] store, merging identical ballots as they come.
///
/// Readers push marks for the ballot under construction and then call
/// [`finish`](Self::finish) with its weight; nothing is allocated per ballot.
///
/// ```
/// use psephos::{CandidateId, RankedBallotsBuilder};
/// let (a, b) = (CandidateId(0), CandidateId(1));
/// let mut builder = RankedBallotsBuilder::new(2);
/// for _ in 0..3 {
///     builder.push(a);
///     builder.push(b);
///     builder.finish(1).unwrap();
/// }
/// builder.push_level(&[a, b]); // an equal ranking
/// builder.finish(2).unwrap();
/// let ballots = builder.build();
/// assert_eq!(ballots.unique_len(), 2);
/// assert_eq!(ballots.total_weight(), 5);
/// ```
#[derive(Debug)]
pub struct RankedBallotsBuilder {
    store: RankedBallots,
    /// Rows of the store, found by the hash of their marks and ending. Four
    /// bytes a slot keep the table small enough to stay in cache.
    table: HashTable<u32>,
    hasher: foldhash::fast::FixedState,
    /// Where the ballot under construction starts in `store.marks`.
    open: usize,
}

impl RankedBallotsBuilder {
    /// A builder for ballots over `num_candidates` candidates.
    pub fn new(num_candidates: usize) -> Self {
        Self::with_capacity(num_candidates, 0, 0)
    }

    /// A builder with room reserved for `ballots` unique ballots holding
    /// `marks` marks in all.
    pub fn with_capacity(num_candidates: usize, ballots: usize, marks: usize) -> Self {
        let mut store = RankedBallots { num_candidates, ..RankedBallots::default() };
        store.marks.reserve(marks);
        store.starts.reserve(ballots + 1);
        store.starts.push(0);
        store.weights.reserve(ballots);
        store.endings.reserve(ballots);
        RankedBallotsBuilder {
            store,
            table: HashTable::with_capacity(ballots),
            hasher: foldhash::fast::FixedState::with_seed(0x5eed_b411),
            open: 0,
        }
    }

    /// How many candidates the ballots may name.
    pub fn num_candidates(&self) -> usize {
        self.store.num_candidates
    }

    /// Appends a rank level holding one candidate.
    ///
    /// # Panics
    /// In debug builds, when `id` is not below `num_candidates`; readers check
    /// ids against the candidate list (and report the file position) first.
    #[inline]
    pub fn push(&mut self, id: CandidateId) {
        debug_assert!(id.index() < self.store.num_candidates);
        self.store.marks.push(id.0);
    }

    /// Adds `id` to the last rank level, as an equal ranking. With no level
    /// open yet, it starts one.
    #[inline]
    pub fn push_tied(&mut self, id: CandidateId) {
        debug_assert!(id.index() < self.store.num_candidates);
        let len = self.store.marks.len();
        if len > self.open && self.store.marks[len - 1] != SKIP {
            self.store.marks[len - 1] |= TIED;
        }
        self.store.marks.push(id.0);
    }

    /// Appends a rank level left empty.
    #[inline]
    pub fn push_skip(&mut self) {
        self.store.marks.push(SKIP);
    }

    /// Appends a rank level: empty for a skipped rank, several candidates for
    /// an equal ranking.
    pub fn push_level(&mut self, ids: &[CandidateId]) {
        match ids.split_first() {
            None => self.push_skip(),
            Some((first, rest)) => {
                self.push(*first);
                for &id in rest {
                    self.push_tied(id);
                }
            }
        }
    }

    /// How many marks the ballot under construction holds so far.
    pub fn open_len(&self) -> usize {
        self.store.marks.len() - self.open
    }

    /// Drops the ballot under construction.
    pub fn discard(&mut self) {
        self.store.marks.truncate(self.open);
    }

    /// Completes the ballot under construction with this weight. A ballot
    /// with no marks, or only skipped ranks, is kept as a blank ballot.
    pub fn finish(&mut self, weight: u64) -> Result<(), BallotError> {
        let ending = if self.store.marks[self.open..].iter().all(|&m| m == SKIP) {
            InactiveReason::Blank
        } else {
            InactiveReason::Exhausted
        };
        self.finish_with(weight, ending)
    }

    /// Completes the ballot under construction with a weight and the reason
    /// it becomes inactive once its listed preferences run out.
    pub fn finish_with(&mut self, weight: u64, ending: InactiveReason) -> Result<(), BallotError> {
        let store = &mut self.store;
        store.total = store.total.checked_add(weight).ok_or(BallotError::WeightOverflow)?;
        let open = self.open;
        let ending = ending.to_u8();
        let end = u32::try_from(store.marks.len()).map_err(|_| BallotError::TooManyMarks)?;
        let row = u32::try_from(store.weights.len()).map_err(|_| BallotError::TooManyMarks)?;
        let (marks, starts, endings) = (&store.marks, &store.starts, &store.endings);
        let key = &marks[open..];
        let hasher = &self.hasher;
        let hash = hasher.hash_one((key, ending));
        let entry = self.table.entry(
            hash,
            |&r| {
                let r = r as usize;
                same(&marks[starts[r] as usize..starts[r + 1] as usize], key) && endings[r] == ending
            },
            |&r| {
                let r = r as usize;
                hasher.hash_one((&marks[starts[r] as usize..starts[r + 1] as usize], endings[r]))
            },
        );
        match entry {
            Entry::Occupied(found) => {
                // Checked above: the total is at least the sum of all weights.
                store.weights[*found.get() as usize] += weight;
                store.marks.truncate(open);
            }
            Entry::Vacant(slot) => {
                slot.insert(row);
                store.starts.push(end);
                store.weights.push(weight);
                store.endings.push(ending);
                self.open = end as usize;
            }
        }
        Ok(())
    }

    /// The finished store. A ballot still under construction is dropped.
    pub fn build(mut self) -> RankedBallots {
        self.discard();
        // Free the table before the columns shrink, so the two never peak together.
        drop(std::mem::take(&mut self.table));
        let mut store = self.store;
        store.marks.shrink_to_fit();
        store.starts.shrink_to_fit();
        store.weights.shrink_to_fit();
        store.endings.shrink_to_fit();
        store
    }
}

/// Slice equality written out: ballots are short, and a call into `memcmp`
/// costs more than the comparison.
#[inline]
fn same(a: &[u16], b: &[u16]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}
