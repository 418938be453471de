//! Building a deduplicated [`RankedBallots`] store one ballot at a time.

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::store::{is_placeholder, Plain, RankedBallots, OVERVOTE, SKIP, TIED};
use super::InactiveReason;
use crate::candidate::CandidateId;
use crate::error::BallotError;

/// Builds a [`RankedBallots`] store, merging identical ballots.
///
/// Readers push marks for the ballot under construction and then call
/// [`finish`](Self::finish) with its weight; nothing is allocated per ballot.
///
/// Ballots are appended as they come, each with a 32-bit hash of its marks
/// and ending; identical ones are merged in batches, into the first of them,
/// so the store keeps the order in which ballots were first seen. A batch is
/// split by the top bits of the hashes into partitions of about a thousand
/// ballots, each deduplicated with a table small enough to stay in the
/// processor's first-level cache; marks are compared only between ballots
/// whose hashes are equal. A batch runs when the ballots appended since the
/// last one are as many as the unique ballots before them (at least 32,768;
/// four times as many when the last batch merged under one in sixteen), and
/// once more in [`build`](Self::build): memory stays within a small multiple
/// of the deduplicated store, and the total work within about twice one
/// pass.
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
    /// Each row's hash of its marks and ending.
    hashes: Vec<u32>,
    /// Rows before this one hold no two identical ballots.
    clean: usize,
    /// The next merging batch starts when this many rows are pending.
    batch: usize,
    hasher: foldhash::fast::FixedState,
    /// Where the ballot under construction starts in `store.marks`.
    open: usize,
    /// Every ballot so far is plain (checked while it is true).
    plain: bool,
    check: Plain,
    merging: Merging,
}

/// Whether a [`RankedBallotsBuilder`] merges identical ballots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Merging {
    /// Identical ballots are merged into one row, the first of them, their
    /// weights added (the default).
    #[default]
    Identical,
    /// Every ballot is a row of its own, as the source gives it: for sources
    /// that already list each distinct ballot once with its weight (a
    /// PrefLib file's order lines), where merging would find nothing and
    /// only cost a hash of every ballot. Rows that happen to be identical
    /// count as their sum would.
    AsGiven,
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
            hashes: Vec::with_capacity(ballots),
            clean: 0,
            // Up to the number of ballots the caller expects, rows wait for
            // the final merge: a file of unique ballots is merged once.
            batch: MIN_BATCH.max(ballots),
            hasher: foldhash::fast::FixedState::with_seed(0x5eed_b411),
            open: 0,
            plain: true,
            check: Plain::new(num_candidates),
            merging: Merging::Identical,
        }
    }

    /// The same builder, merging identical ballots or not as `merging`
    /// says. Set it before the first ballot.
    ///
    /// ```
    /// use psephos::{CandidateId, Merging, RankedBallotsBuilder};
    /// let mut builder = RankedBallotsBuilder::new(2).with_merging(Merging::AsGiven);
    /// for weight in [3, 2] {
    ///     builder.push(CandidateId(1));
    ///     builder.finish(weight).unwrap();
    /// }
    /// let ballots = builder.build();
    /// assert_eq!(ballots.weights(), &[3, 2]);
    /// ```
    pub fn with_merging(mut self, merging: Merging) -> Self {
        self.merging = merging;
        self
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
        if len > self.open && !is_placeholder(self.store.marks[len - 1]) {
            self.store.marks[len - 1] |= TIED;
        }
        self.store.marks.push(id.0);
    }

    /// Appends a rank level left empty.
    #[inline]
    pub fn push_skip(&mut self) {
        self.store.marks.push(SKIP);
    }

    /// Appends a rank level that marks two or more candidates the source
    /// does not name (BLT's `-=-`): normalisation treats it as an overvote
    /// under every [`OvervotePolicy`](super::OvervotePolicy).
    #[inline]
    pub fn push_unnamed_overvote(&mut self) {
        self.store.marks.push(OVERVOTE);
    }

    /// Appends one rank level for each candidate of `ids`, in order: a
    /// ranking with one candidate per rank.
    ///
    /// # Panics
    /// In debug builds, when an id is not below `num_candidates`.
    #[inline]
    pub fn push_each(&mut self, ids: &[CandidateId]) {
        debug_assert!(ids.iter().all(|id| id.index() < self.store.num_candidates));
        self.store.marks.extend(ids.iter().map(|id| id.0));
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
        self.finish_row(weight, ending, Known::Check)
    }

    /// Completes the ballot under construction, a ranking of distinct
    /// candidates one per rank with at least one rank (as a reader that
    /// checked each candidate against the ones before it knows), with a
    /// weight: [`finish`](Self::finish) without looking at the marks again.
    ///
    /// # Panics
    /// In debug builds, when the ballot is not such a ranking.
    #[inline]
    pub fn finish_ranking(&mut self, weight: u64) -> Result<(), BallotError> {
        debug_assert!(
            self.check.ballot(&self.store.marks[self.open..], InactiveReason::Exhausted.to_u8())
                && self.store.marks.len() > self.open,
            "finish_ranking on a ballot that is not a ranking"
        );
        self.finish_row(weight, InactiveReason::Exhausted, Known::Plain)
    }

    /// Completes a row (inlined: a reader of rankings calls it for every
    /// line; the hashing for merges is out of line).
    #[inline]
    fn finish_row(&mut self, weight: u64, ending: InactiveReason, known: Known) -> Result<(), BallotError> {
        let store = &mut self.store;
        store.total = store.total.checked_add(weight).ok_or(BallotError::WeightOverflow)?;
        let end = u32::try_from(store.marks.len()).map_err(|_| BallotError::TooManyMarks)?;
        if store.weights.len() >= u32::MAX as usize {
            return Err(BallotError::TooManyMarks);
        }
        let ending = ending.to_u8();
        if known == Known::Check && self.plain {
            self.plain = self.check.ballot(&store.marks[self.open..], ending);
        }
        store.starts.push(end);
        store.weights.push(weight);
        store.endings.push(ending);
        let start = std::mem::replace(&mut self.open, end as usize);
        if self.merging == Merging::Identical {
            self.hash_row(start, ending);
        }
        Ok(())
    }

    /// Hashes the row just completed, whose marks start at `start`, for
    /// merging; and merges a batch when one is due.
    #[inline(never)]
    fn hash_row(&mut self, start: usize, ending: u8) {
        let hash = self.hasher.hash_one((&self.store.marks[start..], ending));
        self.hashes.push((hash >> 32) as u32);
        if self.store.weights.len() - self.clean >= self.batch {
            self.merge_identical();
        }
    }

    /// Moves the ballots another builder over the same candidates holds
    /// after this one's, as if they had been pushed here one by one, and
    /// leaves the other empty with its room kept, ready for more: a reader
    /// can build parts of a file on several threads and join them in file
    /// order. A ballot still under construction in either is dropped.
    ///
    /// ```
    /// use psephos::{CandidateId, RankedBallotsBuilder};
    /// let mut first = RankedBallotsBuilder::new(2);
    /// first.push(CandidateId(0));
    /// first.finish(2).unwrap();
    /// let mut part = RankedBallotsBuilder::new(2);
    /// part.push(CandidateId(1));
    /// part.finish(1).unwrap();
    /// part.push(CandidateId(0));
    /// part.finish(3).unwrap();
    /// first.append(&mut part).unwrap();
    /// assert_eq!(part.build().unique_len(), 0);
    /// let ballots = first.build();
    /// assert_eq!(ballots.unique_len(), 2);
    /// assert_eq!(ballots.weights(), &[5, 1]);
    /// ```
    ///
    /// # Panics
    /// When `other` is over a different number of candidates, or merges
    /// differently.
    pub fn append(&mut self, other: &mut RankedBallotsBuilder) -> Result<(), BallotError> {
        assert_eq!(self.store.num_candidates, other.store.num_candidates, "builders over different candidates");
        assert_eq!(self.merging, other.merging, "builders that merge differently");
        self.discard();
        other.discard();
        let (store, part) = (&mut self.store, &mut other.store);
        let total = store.total.checked_add(part.total).ok_or(BallotError::WeightOverflow)?;
        let offset = store.marks.len();
        let end = offset + part.marks.len();
        if u32::try_from(end).is_err() || store.weights.len() + part.weights.len() >= u32::MAX as usize {
            return Err(BallotError::TooManyMarks);
        }
        store.total = total;
        self.plain &= other.plain;
        store.marks.extend_from_slice(&part.marks);
        store.starts.extend(part.starts[1..].iter().map(|&s| s + offset as u32));
        store.weights.extend_from_slice(&part.weights);
        store.endings.extend_from_slice(&part.endings);
        self.hashes.extend_from_slice(&other.hashes);
        self.open = end;
        other.clear();
        if store.weights.len() - self.clean >= self.batch {
            self.merge_identical();
        }
        Ok(())
    }

    /// Empties the builder, keeping its room.
    fn clear(&mut self) {
        let store = &mut self.store;
        store.marks.clear();
        store.starts.truncate(1);
        store.weights.clear();
        store.endings.clear();
        store.total = 0;
        self.hashes.clear();
        self.clean = 0;
        self.open = 0;
        self.plain = true;
    }

    /// Merges identical rows into the first of them and closes the gaps.
    fn merge_identical(&mut self) {
        let rows = self.hashes.len();
        if self.merging == Merging::AsGiven || rows - self.clean == 0 {
            return;
        }
        // Partition rows by the top bits of their hash (a stable counting sort).
        let bits = (usize::BITS - (rows / PARTITION).leading_zeros()).min(16);
        let shift = 32 - bits;
        let part = |h: u32| if bits == 0 { 0 } else { (h >> shift) as usize };
        let mut at = vec![0usize; (1 << bits) + 1];
        for &h in &self.hashes {
            at[part(h) + 1] += 1;
        }
        for p in 0..1 << bits {
            at[p + 1] += at[p];
        }
        let mut order = vec![0u64; rows];
        let mut fill = at.clone();
        for (row, &h) in self.hashes.iter().enumerate() {
            let p = part(h);
            order[fill[p]] = (u64::from(h) << 32) | row as u64;
            fill[p] += 1;
        }
        drop(fill);
        // Within each partition, a small table of (hash, row) finds equal
        // hashes; partitions are independent, so they are searched on all
        // cores, each giving its merges in row order.
        let store = &mut self.store;
        let (marks, starts, endings) = (&store.marks, &store.starts, &store.endings);
        let ballot = |r: usize| &marks[starts[r] as usize..starts[r + 1] as usize];
        let spread = |e: &u64| (e >> 32).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let search = |table: &mut HashTable<u64>, p: usize| {
            table.clear();
            let mut merges: Vec<(u32, u32)> = Vec::new();
            for &e in &order[at[p]..at[p + 1]] {
                let (h, row) = (e >> 32, (e & 0xFFFF_FFFF) as usize);
                let found = table.find(spread(&e), |&o| {
                    let other = (o & 0xFFFF_FFFF) as usize;
                    o >> 32 == h && endings[other] == endings[row] && same(ballot(other), ballot(row))
                });
                match found {
                    Some(&o) => merges.push((row as u32, (o & 0xFFFF_FFFF) as u32)),
                    None => {
                        table.insert_unique(spread(&e), e, spread);
                    }
                }
            }
            merges
        };
        let partitions = 1usize << bits;
        let new_table = || HashTable::<u64>::with_capacity(2 * PARTITION);
        let merges: Vec<Vec<(u32, u32)>> = if rows < PARALLEL_ROWS {
            let mut table = new_table();
            (0..partitions).map(|p| search(&mut table, p)).collect()
        } else {
            use rayon::prelude::*;
            (0..partitions).into_par_iter().with_min_len(16).map_init(new_table, search).collect()
        };
        let mut merged_into: Vec<u32> = Vec::new();
        for &(row, into) in merges.iter().flatten() {
            if merged_into.is_empty() {
                merged_into = (0..rows as u32).collect();
            }
            merged_into[row as usize] = into;
        }
        drop((order, merges, at));
        let before = rows;
        if !merged_into.is_empty() {
            self.compact(&merged_into);
        }
        self.clean = self.hashes.len();
        // Few merges: the input is mostly unique ballots, and batches find
        // little; wait four times longer for the next one.
        let merged = before - self.clean;
        let factor = if merged * 16 < before { 4 } else { 1 };
        self.batch = MIN_BATCH.max(self.clean * factor);
    }

    /// Moves the weight of every merged row to the row it merged into, and
    /// closes the gaps, keeping the order of the rows that stay.
    fn compact(&mut self, merged_into: &[u32]) {
        let store = &mut self.store;
        for (row, &into) in merged_into.iter().enumerate() {
            if into as usize != row {
                // The total is at least the sum of all weights: no overflow.
                store.weights[into as usize] += store.weights[row];
            }
        }
        let mut kept = 0usize;
        let mut mark_at = 0usize;
        for (row, &into) in merged_into.iter().enumerate() {
            if into as usize != row {
                continue;
            }
            let (from, to) = (store.starts[row] as usize, store.starts[row + 1] as usize);
            store.marks.copy_within(from..to, mark_at);
            store.starts[kept] = mark_at as u32;
            store.weights[kept] = store.weights[row];
            store.endings[kept] = store.endings[row];
            self.hashes[kept] = self.hashes[row];
            mark_at += to - from;
            kept += 1;
        }
        store.starts[kept] = mark_at as u32;
        store.starts.truncate(kept + 1);
        store.weights.truncate(kept);
        store.endings.truncate(kept);
        self.hashes.truncate(kept);
        store.marks.truncate(mark_at);
        self.open = mark_at;
    }

    /// The finished store. A ballot still under construction is dropped.
    pub fn build(mut self) -> RankedBallots {
        self.discard();
        self.merge_identical();
        drop(std::mem::take(&mut self.hashes));
        let mut store = self.store;
        let _ = store.derived.plain.set(self.plain);
        store.marks.shrink_to_fit();
        store.starts.shrink_to_fit();
        store.weights.shrink_to_fit();
        store.endings.shrink_to_fit();
        store
    }
}

/// What the caller knows of a ballot being finished.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    /// Nothing: the builder checks whether it is plain.
    Check,
    /// That it is plain.
    Plain,
}

/// The fewest new ballots that start a merging batch.
const MIN_BATCH: usize = 1 << 15;
/// From this many rows, partitions are searched on all cores.
const PARALLEL_ROWS: usize = 1 << 16;
/// About how many ballots a partition holds.
const PARTITION: usize = 1024;

/// Slice equality written out: ballots are short, and a call into `memcmp`
/// costs more than the comparison.
#[inline]
fn same(a: &[u16], b: &[u16]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rankings_finished_as_known_build_what_finish_builds() {
        let rankings: [&[u16]; 4] = [&[2, 0, 1], &[1], &[2, 0, 1], &[0, 2]];
        let build = |merging: Merging, known: bool| {
            let mut parts =
                [RankedBallotsBuilder::new(3), RankedBallotsBuilder::new(3)].map(|b| b.with_merging(merging));
            for (i, r) in rankings.iter().enumerate() {
                let b = &mut parts[i % 2];
                b.push_each(&r.iter().map(|&c| CandidateId(c)).collect::<Vec<_>>());
                if known {
                    b.finish_ranking(i as u64 + 1).unwrap();
                } else {
                    b.finish(i as u64 + 1).unwrap();
                }
            }
            let [mut first, mut second] = parts;
            first.append(&mut second).unwrap();
            first.build()
        };
        let merged = build(Merging::Identical, true);
        assert_eq!(merged, build(Merging::Identical, false));
        assert_eq!(merged.weights(), &[4, 2, 4]);
        assert!(merged.is_plain());
        // As given: appended in part order, nothing merged.
        let given = build(Merging::AsGiven, true);
        assert_eq!(given, build(Merging::AsGiven, false));
        assert_eq!(given.weights(), &[1, 3, 2, 4]);
        assert_eq!(given.total_weight(), merged.total_weight());
    }

    #[test]
    fn identical_ballots_merge_across_batches_in_first_seen_order() {
        // 200,000 ballots of 7 patterns: several merging batches run.
        let patterns: [&[u16]; 7] = [&[3], &[1, 2], &[2, 1], &[0, 1, 2, 3], &[], &[3, 2], &[1]];
        let mut b = RankedBallotsBuilder::new(4);
        for i in 0..200_000usize {
            let p = patterns[(i * 7 + i / 3) % 7];
            for &c in p {
                b.push(CandidateId(c));
            }
            b.finish(1 + (i % 2) as u64).unwrap();
        }
        let store = b.build();
        assert_eq!(store.unique_len(), 7);
        assert_eq!(store.total_weight(), 300_000);
        assert_eq!(store.weights().iter().sum::<u64>(), 300_000);
        let first: Vec<Vec<u16>> =
            store.iter().map(|b| b.levels().flat_map(|l| l.candidates().map(|c| c.0)).collect()).collect();
        let mut expected: Vec<Vec<u16>> = Vec::new();
        for i in 0..200_000usize {
            let p = patterns[(i * 7 + i / 3) % 7].to_vec();
            if !expected.contains(&p) {
                expected.push(p);
            }
        }
        assert_eq!(first, expected);
        assert_eq!(store.get(store.iter().position(|b| b.marks.is_empty()).unwrap()).ending, InactiveReason::Blank);
    }

    proptest::proptest! {
        /// Ballots built in parts and appended in order make the store that
        /// building them all in one builder makes.
        #[test]
        fn appended_parts_build_the_same_store(
            ballots in proptest::collection::vec(proptest::collection::vec(0u16..4, 0..4), 0..60),
            cuts in proptest::collection::vec(0usize..60, 0..5),
        ) {
            let push = |b: &mut RankedBallotsBuilder, marks: &[u16]| {
                for &m in marks {
                    b.push(CandidateId(m));
                }
                b.finish(1 + marks.len() as u64).unwrap();
            };
            let mut whole = RankedBallotsBuilder::new(4);
            for marks in &ballots {
                push(&mut whole, marks);
            }
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(ballots.len())).collect();
            cuts.sort_unstable();
            cuts.push(ballots.len());
            let mut joined = RankedBallotsBuilder::new(4);
            let mut from = 0;
            for cut in cuts {
                let mut part = RankedBallotsBuilder::new(4);
                for marks in &ballots[from..cut] {
                    push(&mut part, marks);
                }
                joined.append(&mut part).unwrap();
                from = cut;
            }
            let (whole, joined) = (whole.build(), joined.build());
            proptest::prop_assert_eq!(&joined, &whole);
            proptest::prop_assert_eq!(joined.is_plain(), whole.is_plain());
        }
    }

    #[test]
    fn endings_keep_ballots_apart() {
        let mut b = RankedBallotsBuilder::new(2);
        b.push(CandidateId(0));
        b.finish_with(1, InactiveReason::Exhausted).unwrap();
        b.push(CandidateId(0));
        b.finish_with(1, InactiveReason::Overvote).unwrap();
        b.push(CandidateId(0));
        b.finish_with(2, InactiveReason::Exhausted).unwrap();
        let store = b.build();
        assert_eq!(store.unique_len(), 2);
        assert_eq!(store.weights(), &[3, 1]);
    }
}
