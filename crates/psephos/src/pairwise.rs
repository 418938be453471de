//! The pairwise matrix: for every ordered pair of candidates, the weight of
//! the ballots that rank the first above the second.
//!
//! A ballot prefers `a` to `b` when it ranks `a` at a higher level than `b`,
//! or ranks `a` and leaves `b` unranked: unranked candidates count as ranked
//! together below every ranked one. Candidates at the same level (an equal
//! ranking) are preferred to neither, and so are two unranked candidates.
//! This is the convention of the Condorcet literature (for example
//! M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
//! Condorcet-consistent single-winner election method", *Social Choice and
//! Welfare* 36 (2011), §2.1: "d\[V,W\] … the number of voters who strictly
//! prefer candidate V to candidate W").
//!
//! The matrix is built in one pass over the unique ballots. For a ballot of
//! weight `w` ranking `k` candidates, each ranked `a` first takes `w` against
//! every other candidate (a running "ranked above everyone" total per row),
//! and then `w` is taken back for each candidate ranked at or above `a`; so
//! the work per ballot is `k + k(k-1)/2` additions, whatever the number of
//! candidates.
//!
//! ```
//! use psephos::{CandidateId, Election, PairwiseMatrix};
//! let e = Election::from_rankings(&["A", "B", "C"], &[(3, &["A", "B"]), (2, &["C"])]).unwrap();
//! let m = PairwiseMatrix::from_ballots(e.ranked().unwrap());
//! let (a, b, c) = (CandidateId(0), CandidateId(1), CandidateId(2));
//! assert_eq!((m.get(a, b), m.get(b, a)), (3, 0));
//! assert_eq!((m.get(a, c), m.get(c, a)), (3, 2));
//! assert_eq!((m.get(b, c), m.get(c, b)), (3, 2));
//! assert_eq!(m.condorcet_winner(&[a, b, c]), Some(a));
//! ```

use crate::ballots::store::{is_placeholder, TIED};
use crate::ballots::RankedBallots;
use crate::candidate::CandidateId;

/// Pairwise preference weights over every ordered pair of candidates.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PairwiseMatrix {
    num_candidates: usize,
    /// Row-major: `counts[a * n + b]` = weight preferring a to b.
    counts: Vec<u64>,
}

impl PairwiseMatrix {
    /// A matrix of zeros over `num_candidates` candidates.
    pub fn zeros(num_candidates: usize) -> Self {
        PairwiseMatrix { num_candidates, counts: vec![0; num_candidates * num_candidates] }
    }

    /// A matrix from rows: `rows[a][b]` is the weight preferring a to b.
    /// The diagonal is ignored (read as zero).
    ///
    /// # Panics
    /// When the rows do not form a square.
    pub fn from_rows(rows: &[Vec<u64>]) -> Self {
        let n = rows.len();
        let mut m = Self::zeros(n);
        for (a, row) in rows.iter().enumerate() {
            assert_eq!(row.len(), n, "pairwise rows must form a square");
            for (b, &v) in row.iter().enumerate() {
                if a != b {
                    m.counts[a * n + b] = v;
                }
            }
        }
        m
    }

    /// Builds the matrix from normalised ranked ballots in one pass.
    pub fn from_ballots(ballots: &RankedBallots) -> Self {
        StoreTallies::of(ballots).matrix
    }
}

/// A store's pairwise matrix, and for each candidate the weight of the
/// ballots that rank it: kept with the store (see
/// [`RankedBallots::pairwise`]), they give the matrix of the same store
/// after a few ballots change, or with a candidate's marks taken out,
/// without a pass over the ballots.
#[derive(Clone, Debug)]
pub(crate) struct StoreTallies {
    pub(crate) matrix: PairwiseMatrix,
    /// `ranked[c]`: the weight of the ballots ranking `c`.
    ranked: Vec<u64>,
}

/// Up to this many candidates, the pairwise tallies are summed on all cores,
/// in chunks of this many ballots.
const PARALLEL_CANDIDATES: usize = 64;
const PARALLEL_CHUNK: usize = if cfg!(test) { 4 } else { 1 << 15 };

/// For the ballots `rows` of the store: the weight of the ballots ranking
/// each candidate `a`, and for each `a` and `b` the weight of those ranking
/// both, `b` at or above `a` (row `a` of an `n` by `n` table).
fn sums(ballots: &RankedBallots, rows: std::ops::Range<usize>) -> (Vec<u64>, Vec<u64>) {
    let n = ballots.num_candidates();
    let mut above_all = vec![0u64; n];
    let mut back = vec![0u64; n * n];
    let mut seen: Vec<usize> = Vec::with_capacity(n);
    for i in rows {
        let weight = ballots.weights[i];
        let marks = ballots.marks_of(i);
        seen.clear();
        // Start of the current level within `seen`.
        let mut level_start = 0;
        for &m in marks {
            if is_placeholder(m) {
                continue;
            }
            let a = (m & !TIED) as usize;
            above_all[a] += weight;
            let row = &mut back[a * n..a * n + n];
            for &b in &seen {
                row[b] += weight;
            }
            // Earlier members of this level are tied with a: neither is
            // preferred, so a's entry is taken back in their rows too.
            for &b in &seen[level_start..] {
                back[b * n + a] += weight;
            }
            seen.push(a);
            if m & TIED == 0 {
                level_start = seen.len();
            }
        }
    }
    (above_all, back)
}

impl StoreTallies {
    /// Both, in one pass over normalised ranked ballots: in chunks on all
    /// cores for many ballots over few candidates, the chunks' sums added
    /// (integer sums: the same whatever the number of threads).
    pub(crate) fn of(ballots: &RankedBallots) -> Self {
        use rayon::prelude::*;
        let n = ballots.num_candidates();
        let unique = ballots.unique_len();
        // above_all[a]: weight of ballots ranking a. back[a * n + b]: weight of
        // ballots ranking both, b at or above a. Then d[a][b] = above_all[a] - back[a][b].
        let (above_all, back) = if n <= PARALLEL_CANDIDATES && unique >= 2 * PARALLEL_CHUNK {
            (0..unique.div_ceil(PARALLEL_CHUNK))
                .into_par_iter()
                .map(|k| sums(ballots, k * PARALLEL_CHUNK..unique.min((k + 1) * PARALLEL_CHUNK)))
                .reduce_with(|(mut a1, mut b1), (a2, b2)| {
                    a1.iter_mut().zip(&a2).for_each(|(x, y)| *x += y);
                    b1.iter_mut().zip(&b2).for_each(|(x, y)| *x += y);
                    (a1, b1)
                })
                .unwrap_or_else(|| sums(ballots, 0..0))
        } else {
            sums(ballots, 0..unique)
        };
        let mut counts = vec![0u64; n * n];
        for a in 0..n {
            for b in 0..n {
                if a != b {
                    counts[a * n + b] = above_all[a] - back[a * n + b];
                }
            }
        }
        StoreTallies { matrix: PairwiseMatrix { num_candidates: n, counts }, ranked: above_all }
    }

    /// The tallies after `weight` more ballots reading `marks` (normalised
    /// marks, as stored), or `weight` fewer when `remove`: the matrix is a
    /// sum over ballots, so a store changed by a few ballots needs no new
    /// pass. Removing ballots the matrix does not hold gives nonsense.
    pub(crate) fn add_ballots(&mut self, marks: &[u16], weight: u64, remove: bool) {
        let n = self.matrix.num_candidates;
        // Modular steps: the final counts are exact whatever the order.
        let step = |cell: &mut u64| *cell = if remove { cell.wrapping_sub(weight) } else { cell.wrapping_add(weight) };
        // The level of each ranked candidate; unranked ones are below all.
        let mut level_of = vec![usize::MAX; n];
        let mut level = 0;
        for &m in marks {
            if is_placeholder(m) {
                continue;
            }
            level_of[(m & !TIED) as usize] = level;
            if m & TIED == 0 {
                level += 1;
            }
        }
        for (a, &la) in level_of.iter().enumerate().filter(|(_, &l)| l != usize::MAX) {
            step(&mut self.ranked[a]);
            for (b, &lb) in level_of.iter().enumerate() {
                if lb > la {
                    step(&mut self.matrix.counts[a * n + b]);
                }
            }
        }
    }

    /// The weight of the ballots ranking `c`.
    pub(crate) fn ranked_weight(&self, c: CandidateId) -> u64 {
        self.ranked[c.index()]
    }

    /// The tallies of the same ballots with `c`'s marks taken out: no
    /// preference between two others changes, `c` is preferred to nobody,
    /// and everyone ranked is preferred to `c`.
    pub(crate) fn without(&self, c: CandidateId) -> Self {
        let n = self.matrix.num_candidates;
        let mut t = self.clone();
        t.ranked[c.index()] = 0;
        for x in (0..n).filter(|&x| x != c.index()) {
            t.matrix.counts[c.index() * n + x] = 0;
            t.matrix.counts[x * n + c.index()] = t.ranked[x];
        }
        t
    }
}

impl PairwiseMatrix {
    /// How many candidates the matrix covers.
    pub fn num_candidates(&self) -> usize {
        self.num_candidates
    }

    /// The weight of ballots preferring `a` to `b`.
    #[inline]
    pub fn get(&self, a: CandidateId, b: CandidateId) -> u64 {
        self.counts[a.index() * self.num_candidates + b.index()]
    }

    /// `a`'s margin over `b`: ballots preferring a minus ballots preferring b.
    #[inline]
    pub fn margin(&self, a: CandidateId, b: CandidateId) -> i128 {
        i128::from(self.get(a, b)) - i128::from(self.get(b, a))
    }

    /// Whether more ballots prefer `a` to `b` than `b` to `a`.
    #[inline]
    pub fn beats(&self, a: CandidateId, b: CandidateId) -> bool {
        self.get(a, b) > self.get(b, a)
    }

    /// The row of `a`: weights preferring `a` to each candidate.
    pub fn row(&self, a: CandidateId) -> &[u64] {
        let n = self.num_candidates;
        &self.counts[a.index() * n..a.index() * n + n]
    }

    /// The candidate among `among` who beats every other one of them, if any.
    pub fn condorcet_winner(&self, among: &[CandidateId]) -> Option<CandidateId> {
        among.iter().copied().find(|&a| among.iter().all(|&b| a == b || self.beats(a, b)))
    }

    /// The Smith set of `among`: the smallest non-empty subset whose every
    /// member beats every candidate outside it. Returned in candidate order.
    ///
    /// It is the set of candidates from which every other candidate can be
    /// reached along "beats or ties" steps (Smith 1973; Schwartz 1986).
    pub fn smith_set(&self, among: &[CandidateId]) -> Vec<CandidateId> {
        let k = among.len();
        let words = k.div_ceil(64);
        // reach[i] = bitset of positions j reachable from i by "not beaten by" steps.
        let mut reach = vec![0u64; k * words];
        for (i, &a) in among.iter().enumerate() {
            reach[i * words + i / 64] |= 1 << (i % 64);
            for (j, &b) in among.iter().enumerate() {
                if i != j && self.get(a, b) >= self.get(b, a) {
                    reach[i * words + j / 64] |= 1 << (j % 64);
                }
            }
        }
        // Transitive closure (Warshall), one bitset row at a time.
        for m in 0..k {
            let (mw, mb) = (m / 64, 1u64 << (m % 64));
            let row_m: Vec<u64> = reach[m * words..m * words + words].to_vec();
            for i in 0..k {
                if reach[i * words + mw] & mb != 0 {
                    for (x, &y) in reach[i * words..i * words + words].iter_mut().zip(&row_m) {
                        *x |= y;
                    }
                }
            }
        }
        let full = |i: usize| (0..k).all(|j| reach[i * words + j / 64] & (1 << (j % 64)) != 0);
        let mut set: Vec<CandidateId> = (0..k).filter(|&i| full(i)).map(|i| among[i]).collect();
        set.sort_unstable();
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Candidates, Election, RankedBallotsBuilder};

    proptest::proptest! {
        /// Summed in chunks on all cores (chunks of 4 ballots under test),
        /// the tallies are those of one pass over the ballots, equal
        /// rankings included.
        #[test]
        fn chunked_tallies_are_one_pass(
            ballots in proptest::collection::vec(
                (proptest::collection::vec((0u16..6, proptest::bool::ANY), 0..6), 1u64..4),
                0..60,
            ),
        ) {
            let mut b = RankedBallotsBuilder::new(6);
            for (marks, weight) in &ballots {
                for &(c, tied) in marks {
                    if tied { b.push_tied(CandidateId(c)) } else { b.push(CandidateId(c)) }
                }
                b.finish(*weight).unwrap();
            }
            let store = b.build();
            let (store, _) = crate::normalise(&store, crate::NormalisePolicy::default()).unwrap();
            let tallies = StoreTallies::of(&store);
            let (above_all, back) = sums(&store, 0..store.unique_len());
            proptest::prop_assert_eq!(&tallies.ranked, &above_all);
            for a in 0..6 {
                for b in (0..6).filter(|&b| b != a) {
                    proptest::prop_assert_eq!(tallies.matrix.counts[a * 6 + b], above_all[a] - back[a * 6 + b]);
                }
            }
        }
    }

    /// Ballots over four candidates with equal rankings and unranked ones:
    /// `D, {A B}, C` ×5 and `{B C}` ×2.
    fn with_equal_ranks() -> RankedBallotsBuilder {
        let ids = |v: &[u16]| v.iter().map(|&i| CandidateId(i)).collect::<Vec<_>>();
        let mut raw = RankedBallotsBuilder::new(4);
        raw.push(CandidateId(3));
        raw.push_level(&ids(&[0, 1]));
        raw.push(CandidateId(2));
        raw.finish(5).unwrap();
        raw.push_level(&ids(&[1, 2]));
        raw.finish(2).unwrap();
        raw
    }

    #[test]
    fn a_withdrawal_derives_its_matrix_from_the_kept_one() {
        let mut raw = with_equal_ranks();
        raw.push(CandidateId(0));
        raw.push(CandidateId(2));
        raw.finish(4).unwrap();
        let e = Election::from_ranked(Candidates::from_names(["A", "B", "C", "D"]), 1, raw.build()).unwrap();
        let _ = e.ranked().unwrap().pairwise();
        for c in 0..4 {
            let w = e.without(CandidateId(c));
            let kept = &w.ranked().unwrap().built_pairwise().expect("carried over").matrix;
            assert_eq!(kept, &PairwiseMatrix::from_ballots(w.ranked().unwrap()), "without {c}");
        }
    }

    #[test]
    fn equal_ranks_and_unranked_prefer_neither() {
        let ballots = with_equal_ranks().build();
        let m = PairwiseMatrix::from_ballots(&ballots);
        let (a, b, c, d) = (CandidateId(0), CandidateId(1), CandidateId(2), CandidateId(3));
        assert_eq!(m.get(a, b), 0);
        // The second ballot ranks B and leaves A unranked.
        assert_eq!(m.get(b, a), 2);
        assert_eq!(m.get(d, a), 5);
        assert_eq!(m.get(b, c), 5);
        assert_eq!(m.get(c, b), 0);
        assert_eq!(m.get(c, a), 2);
        assert_eq!(m.get(a, c), 5);
        assert_eq!(m.get(b, d), 2);
    }

    #[test]
    fn smith_set_of_a_cycle_above_a_loser() {
        // A>B>C>A cycle, all three beat D.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(3, &["A", "B", "C", "D"]), (2, &["B", "C", "A", "D"]), (2, &["C", "A", "B", "D"])],
        )
        .unwrap();
        let m = PairwiseMatrix::from_ballots(e.ranked().unwrap());
        let all: Vec<CandidateId> = e.candidates.ids().collect();
        assert_eq!(m.condorcet_winner(&all), None);
        assert_eq!(m.smith_set(&all), vec![CandidateId(0), CandidateId(1), CandidateId(2)]);
    }
}
