//! Every withdrawal at once, for rankings over a few candidates: a table of
//! who is ranked above whom, from which the elimination and positional rules
//! are counted without any one candidate, with no pass over the ballots.
//!
//! For a candidate `c` and a set `P` of other candidates, let `g(P, c)` be
//! the weight of the ballots that rank `c` with exactly the candidates of
//! `P` above it. Withdrawing candidates, or eliminating them, only takes
//! marks out of the ballots, so every count the rules below make on the
//! ballots without a set `S` of candidates is a sum of `g`:
//!
//! - the ballots whose first choice outside `S` is `c` (`c ∉ S`) are those
//!   with `P ⊆ S`: the sum of `g(·, c)` over the subsets of `S` (the
//!   *zeta transform* over subsets, F. Yates, *The Design and Analysis of
//!   Factorial Experiments*, 1937; D. E. Knuth, *The Art of Computer
//!   Programming* 4A, §7.1.3), which counts IRV, Coombs' and the
//!   Supplementary Vote's rounds;
//! - `c`'s place on a ballot without `L` is `|P \ {L}|` (the Borda count,
//!   the Dowdall system, anti-plurality and Bucklin's rounds);
//! - a ballot ranks `c` last of the continuing candidates `C`, all of them
//!   ranked, when `P ⊇ C \ {c}`: the sum over the supersets (Coombs' last
//!   places), and the ballots ranking exactly a set `R` give the ones that
//!   leave one continuing candidate unranked.
//!
//! One pass over the ballots fills the table (`n · 2^n` entries, so at most
//! [`Prefixes::MAX_CANDIDATES`] candidates), and each transform costs
//! `n² · 2^n` additions. The answers are exact: a count from the table is
//! the count of the ballots with the candidate's marks taken out
//! ([`Election::without`]), as long as no tie needs the tie-break chain,
//! in which case [`Prefixes::winner_without`] says nothing and the caller
//! counts again. Only ballots with one candidate per rank, every one of them
//! standing, are tabled.
//!
//! ```
//! use psephos::prefixes::Prefixes;
//! use psephos::{Election, IrvOptions, Rule};
//! // IRV elects C (B is eliminated and their ballots go to C); without A,
//! // A's ballots go to B, who then wins.
//! let e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(8, &["A", "B"]), (3, &["B", "C"]), (7, &["C", "B"])],
//! ).unwrap();
//! let table = Prefixes::of(&e).unwrap();
//! let a = e.candidates.id_of("A").unwrap();
//! let b = e.candidates.id_of("B").unwrap();
//! assert_eq!(table.winner_without(Rule::Irv(IrvOptions::STANDARD), a), Some(b));
//! ```

use std::ops::Range;
use std::sync::Arc;

use crate::analysis::BallotChange;
use crate::ballots::store::{is_placeholder, TIED};
use crate::ballots::{InactiveReason, RankedBallots};
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::rules::irv::IrvOptions;
use crate::rules::positional::BordaOptions;
use crate::rules::Rule;
use crate::tabulation::InactiveTally;

/// The table of one election's ballots (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefixes {
    /// The candidates of the store.
    n: usize,
    /// The standing candidates, as a set.
    standing: u32,
    /// The weight of every ballot.
    total: u64,
    /// The weight of the blank ballots (as cast: a ballot that ranks only a
    /// withdrawn candidate is not blank).
    blank: u64,
    /// `first[c << n | s]`: the weight of the ballots ranking `c` with only
    /// candidates of `s` above it (their first choice outside `s`, for
    /// `c ∉ s`).
    first: Vec<u64>,
    /// `under[c << n | s]`: the weight of the ballots ranking `c` below
    /// every candidate of `s`.
    under: Vec<u64>,
    /// `places[(c * (n + 1) + gone) * n + j]`: the weight of the ballots
    /// ranking `c` at place `j` (from 0) once `gone` is taken out (`gone ==
    /// n`: nobody).
    places: Vec<u64>,
    /// `sets[r]`: the weight of the ballots ranking exactly the set `r`.
    sets: Vec<u64>,
    /// `covering[s]`: the weight of the ballots ranking every candidate of
    /// `s` (and maybe others).
    covering: Vec<u64>,
    /// `exhausted[r][s]`: the weight of the ballots ending for reason `r`
    /// (as stored) that rank no candidate outside `s`, inactive once every
    /// candidate of `s` is out; empty for a reason no ballot ends with.
    /// `None` in a changed table (a change keeps its rows' endings, which
    /// the table does not know).
    exhausted: Option<Vec<Vec<u64>>>,
}

impl Prefixes {
    /// The most candidates a table is made for (its size doubles with each).
    pub const MAX_CANDIDATES: usize = 16;

    /// Whether the table counts `rule` without a candidate.
    pub fn counts(rule: Rule) -> bool {
        matches!(
            rule,
            Rule::Irv(IrvOptions::STANDARD)
                | Rule::SupplementaryVote
                | Rule::Coombs
                | Rule::Bucklin
                | Rule::Borda(BordaOptions::STANDARD)
                | Rule::Dowdall
                | Rule::AntiPlurality
        )
    }

    /// Whether a table of `election` costs less than the recounts it saves:
    /// building it takes about `n² · 2^n` steps, and each recount it saves
    /// a pass over the ballots' marks, some `n` of them per rule. Judged as
    /// `n · 2^n ≤ 8 × the marks stored`: a million ballots over 10 or 16
    /// candidates pay for a table, a thousand over 13 do not.
    pub fn pays_off(election: &Election) -> bool {
        let Some(ballots) = election.ranked() else { return false };
        let n = ballots.num_candidates();
        n <= Self::MAX_CANDIDATES && (n << n) <= 8 * ballots.marks.len()
    }

    /// Whether an elimination count of `election` should read its rounds
    /// off a table rather than move ballots: a store of at least 4,096
    /// rankings, with `n · 2^n` at most its marks (building the table
    /// costs about a pass over the marks then).
    pub fn counts_rounds(election: &Election) -> bool {
        let Some(ballots) = election.ranked() else { return false };
        let n = ballots.num_candidates();
        n <= Self::MAX_CANDIDATES && ballots.unique_len() >= 1 << 12 && (n << n) <= ballots.marks.len()
    }

    /// The table of a ranked election of at most
    /// [`MAX_CANDIDATES`](Self::MAX_CANDIDATES) candidates; `None` for
    /// other ballots, more candidates, or when a ballot holds an equal
    /// ranking, a skipped rank, a candidate twice or a mark for a candidate
    /// who is not standing.
    pub fn of(election: &Election) -> Option<Self> {
        // One pass over the rows, in as many parts as there are threads on
        // a large store: the sums are whole numbers, the same in any parts.
        let rows = election.ranked()?.unique_len();
        Self::of_parts(election, if rows < 1 << 14 { 1 } else { rayon::current_num_threads() })
    }

    /// The table of `election`, built once for its ballot store and
    /// standing candidates and kept with the store, so that every rule and
    /// audit step of one invocation reading it (IRV, Coombs, bottom-two
    /// runoff, the IRV of Smith/IRV and Condorcet/IRV, the spoilers) shares
    /// one. A table already kept is given whatever `wanted` says; else one
    /// is built only if `wanted()`. `None` as for [`of`](Self::of).
    pub(crate) fn shared(election: &Election, wanted: impl Fn() -> bool) -> Option<Arc<Prefixes>> {
        let ballots = election.ranked()?;
        if ballots.num_candidates() > Self::MAX_CANDIDATES || election.splits_equal_ranks() {
            return None;
        }
        let standing = election.candidates.standing().fold(0u32, |s, c| s | 1 << c.index());
        let build = || Self::of(election).map(Arc::new);
        let kept = &ballots.derived.prefixes;
        let (kept_for, table) = match kept.get() {
            Some(entry) => entry,
            None if wanted() => kept.get_or_init(|| (standing, build())),
            None => return None,
        };
        if *kept_for == standing {
            table.clone()
        } else {
            // Another set of candidates standing on the same store: built
            // for this count only.
            wanted().then(build).flatten()
        }
    }

    /// [`of`](Self::of), the rows counted in `parts` parts (on all cores).
    fn of_parts(election: &Election, parts: usize) -> Option<Self> {
        let ballots = election.ranked()?;
        let n = ballots.num_candidates();
        if n == 0 || n > Self::MAX_CANDIDATES || election.splits_equal_ranks() {
            return None;
        }
        let standing = election.candidates.standing().fold(0u32, |s, c| s | 1 << c.index());
        let rows = ballots.unique_len();
        let parts = parts.max(1);
        let each = rows.div_ceil(parts).max(1);
        let tally = |k: usize| Raw::of_rows(ballots, n, standing, k * each..((k + 1) * each).min(rows));
        let raws: Option<Vec<Raw>> = if parts == 1 {
            (0..1).map(tally).collect()
        } else {
            use rayon::prelude::*;
            (0..parts).into_par_iter().map(tally).collect()
        };
        let Raw { g, mut exhausted } = raws?.into_iter().reduce(Raw::add)?;
        // The ballots ranking exactly each set, whatever they end with.
        let mut sets = vec![0u64; 1 << n];
        for by_ending in exhausted.iter().filter(|e| !e.is_empty()) {
            sets.iter_mut().zip(by_ending).for_each(|(s, &w)| *s += w);
        }
        for by_ending in exhausted.iter_mut().filter(|e| !e.is_empty()) {
            subset_sums(by_ending, n);
        }
        let mut places = vec![0u64; n * (n + 1) * n];
        for c in 0..n {
            for (p, &w) in g[c << n..(c + 1) << n].iter().enumerate() {
                if w == 0 {
                    continue;
                }
                for gone in 0..=n {
                    places[place(n, c, gone, p)] += w;
                }
            }
        }
        let mut first = g.clone();
        let mut under = g;
        for c in 0..n {
            subset_sums(&mut first[c << n..(c + 1) << n], n);
            superset_sums(&mut under[c << n..(c + 1) << n], n);
        }
        let mut covering = sets.clone();
        superset_sums(&mut covering, n);
        // Blank ballots end as blank, whatever they rank (nothing): all of
        // them are in the sum over the subsets of every candidate.
        let blank = exhausted[usize::from(InactiveReason::Blank.to_u8())].last().copied().unwrap_or(0);
        let total = ballots.total_weight();
        let exhausted = Some(exhausted);
        Some(Prefixes { n, standing, total, blank, first, under, places, sets, covering, exhausted })
    }

    /// The winner under `rule` of the ballots without `gone` (a standing
    /// candidate); `None` when the table does not decide it: another rule
    /// or variant, fewer than two candidates left, or a tie the tie-break
    /// chain would decide.
    pub fn winner_without(&self, rule: Rule, gone: CandidateId) -> Option<CandidateId> {
        let l = gone.index();
        if l >= self.n || self.standing >> l & 1 == 0 {
            return None;
        }
        self.winner_among(rule, self.standing & !(1 << l), l)
    }

    /// The winner under `rule` of the ballots as tabled, as
    /// [`winner_without`](Self::winner_without) with nobody withdrawn.
    pub fn winner(&self, rule: Rule) -> Option<CandidateId> {
        self.winner_among(rule, self.standing, self.n)
    }

    /// The table of the ballots after `changes` (as [`apply_changes`] makes
    /// them), with no pass over the ballots: `None` when a change names a
    /// ranking the table cannot hold (an empty one among them, whether blank
    /// or not, which the table does not know) or takes more ballots than
    /// the table holds.
    ///
    /// [`apply_changes`]: crate::analysis::apply_changes
    pub fn changed(&self, changes: &[BallotChange]) -> Option<Prefixes> {
        let mut out = Prefixes { exhausted: None, ..self.clone() };
        for change in changes {
            let from = out.plain(&change.from)?;
            out.shift(&from, change.count, false)?;
            match &change.to {
                Some(to) => {
                    let to = out.plain(to)?;
                    out.shift(&to, change.count, true)?;
                }
                None => out.total = out.total.checked_sub(change.count)?,
            }
        }
        Some(out)
    }

    /// A ranking as candidate indices, if the table can hold it: not empty,
    /// each candidate standing and listed once.
    fn plain(&self, ranking: &[CandidateId]) -> Option<Vec<usize>> {
        let mut seen = 0u32;
        let marks: Vec<usize> = ranking.iter().map(|c| c.index()).collect();
        for &c in &marks {
            if c >= self.n || self.standing >> c & 1 == 0 || seen >> c & 1 != 0 {
                return None;
            }
            seen |= 1 << c;
        }
        (!marks.is_empty()).then_some(marks)
    }

    /// Adds (or takes out) `w` ballots ranking `marks` to every entry of
    /// the table they count in; `None` when taking out more than there is.
    fn shift(&mut self, marks: &[usize], w: u64, add: bool) -> Option<()> {
        let n = self.n;
        let full = (1usize << n) - 1;
        let step = |x: &mut u64| -> Option<()> {
            *x = if add { x.checked_add(w)? } else { x.checked_sub(w)? };
            Some(())
        };
        let mut above = 0usize;
        for &c in marks {
            // `c` below `above`: in `first` for every set holding `above`,
            // in `under` for every set `above` holds.
            let mut s = above;
            loop {
                step(&mut self.first[c << n | s])?;
                if s == full {
                    break;
                }
                s = (s + 1) | above;
            }
            let mut s = above;
            loop {
                step(&mut self.under[c << n | s])?;
                if s == 0 {
                    break;
                }
                s = (s - 1) & above;
            }
            for gone in 0..=n {
                step(&mut self.places[place(n, c, gone, above)])?;
            }
            above |= 1 << c;
        }
        step(&mut self.sets[above])?;
        let mut s = above;
        loop {
            step(&mut self.covering[s])?;
            if s == 0 {
                break;
            }
            s = (s - 1) & above;
        }
        Some(())
    }

    /// The candidates of the store.
    pub(crate) fn num_candidates(&self) -> usize {
        self.n
    }

    /// The weight of the ballots whose first choice outside the set `out`
    /// is `c` (not in `out`).
    pub(crate) fn first_outside(&self, c: usize, out: usize) -> u64 {
        self.first[c << self.n | out]
    }

    /// Coombs' last places once the set `out` has left: for each
    /// continuing candidate (0 for the others), the ballots ranking them
    /// below every other continuing candidate, or leaving them the only
    /// continuing candidate unranked.
    pub(crate) fn last_places(&self, out: usize) -> Vec<u64> {
        let n = self.n;
        let continuing = self.standing as usize & !out;
        (0..n)
            .map(|c| {
                if continuing >> c & 1 == 0 {
                    return 0;
                }
                let others = continuing & !(1 << c);
                self.under[c << n | others] + self.covering[others] - self.covering[continuing]
            })
            .collect()
    }

    /// The ballots that rank no candidate outside the set `out`, by the
    /// reason each ends with; `None` for a changed table.
    pub(crate) fn inactive_within(&self, out: usize) -> Option<InactiveTally> {
        let mut inactive = InactiveTally::default();
        for (r, by_ending) in self.exhausted.as_ref()?.iter().enumerate() {
            if let Some(&w) = by_ending.get(out) {
                inactive.add(InactiveReason::from_u8(r as u8), w);
            }
        }
        Some(inactive)
    }

    /// The winner among `continuing` with `l` taken out (`l == n`: nobody).
    fn winner_among(&self, rule: Rule, continuing: u32, l: usize) -> Option<CandidateId> {
        if continuing.count_ones() < 2 {
            return None;
        }
        let winner = match rule {
            Rule::Irv(IrvOptions::STANDARD) => self.irv(continuing),
            Rule::SupplementaryVote => self.supplementary(continuing, l),
            Rule::Coombs => self.coombs(continuing),
            Rule::Bucklin => self.bucklin(continuing, l),
            Rule::Borda(BordaOptions::STANDARD) => self.positional(continuing, l, |j, n| (n - 1 - j) as u64),
            Rule::Dowdall => {
                let n = continuing.count_ones() as u64;
                let lcm = (1..=n).fold(1u64, |l, i| l / gcd(l, i) * i);
                self.positional(continuing, l, |j, _| lcm / (j as u64 + 1))
            }
            Rule::AntiPlurality => self.positional(continuing, l, |j, n| u64::from(j + 1 < n)),
            _ => None,
        }?;
        Some(CandidateId(winner as u16))
    }

    /// The first choices of the ballots among `continuing`.
    fn tally(&self, continuing: u32) -> Vec<(usize, u64)> {
        let out = ((1u32 << self.n) - 1) & !continuing;
        members(continuing).map(|c| (c, self.first[c << self.n | out as usize])).collect()
    }

    /// Rounds of first choices among `continuing` until a candidate has a
    /// majority or is the only one left, `losers` naming the set who leave
    /// after each round (`None`: a tie the chain would decide).
    fn eliminating(&self, mut continuing: u32, losers: impl Fn(&[(usize, u64)], u32) -> Option<u32>) -> Option<usize> {
        loop {
            let tally = self.tally(continuing);
            if let Some(w) = majority_or_last(&tally) {
                return Some(w);
            }
            // Two left without a majority: equal votes.
            if tally.len() == 2 {
                return None;
            }
            continuing &= !losers(&tally, continuing)?;
        }
    }

    /// IRV ([`IrvOptions::STANDARD`]) among `continuing`.
    fn irv(&self, continuing: u32) -> Option<usize> {
        self.eliminating(continuing, |tally, _| {
            let least = tally.iter().map(|e| e.1).min()?;
            let lowest: Vec<usize> = tally.iter().filter(|e| e.1 == least).map(|e| e.0).collect();
            // Candidates without a vote leave together (two or more of them,
            // and two candidates with votes); otherwise one, unless tied.
            let zeros = least == 0 && lowest.len() >= 2 && tally.len() - lowest.len() >= 2;
            (lowest.len() == 1 || zeros).then(|| lowest.iter().fold(0u32, |s, &c| s | 1 << c))
        })
    }

    /// The Supplementary Vote among `continuing`, `gone` taken out: first
    /// and second choices only, everyone tied for second a finalist.
    fn supplementary(&self, continuing: u32, gone: usize) -> Option<usize> {
        let gone = 1usize << gone & ((1 << self.n) - 1);
        let tally = self.tally(continuing);
        if let Some(w) = majority_or_last(&tally) {
            return Some(w);
        }
        let mut votes: Vec<u64> = tally.iter().map(|e| e.1).collect();
        votes.sort_unstable_by(|a, b| b.cmp(a));
        let second = votes[1];
        let finalists = tally.iter().filter(|e| e.1 >= second).fold(0u32, |s, e| s | 1 << e.0);
        // A finalist keeps its first choices and gains the ballots whose
        // first choice is out and whose second choice it is.
        let n = self.n;
        let runoff: Vec<(usize, u64)> = members(finalists)
            .map(|f| {
                let own = self.first[f << n | gone];
                let moved: u64 =
                    members(continuing & !finalists).map(|x| self.first[f << n | gone | 1 << x] - own).sum();
                (f, own + moved)
            })
            .collect();
        unique_best(&runoff)
    }

    /// Coombs' method among `continuing`.
    fn coombs(&self, continuing: u32) -> Option<usize> {
        let all = (1usize << self.n) - 1;
        self.eliminating(continuing, |_, continuing| {
            let last = self.last_places(all & !(continuing as usize));
            let last: Vec<(usize, u64)> = members(continuing).map(|c| (c, last[c])).collect();
            unique_best(&last).map(|c| 1 << c)
        })
    }

    /// The Bucklin system among `continuing`, `gone` taken out.
    fn bucklin(&self, continuing: u32, gone: usize) -> Option<usize> {
        let n = self.n;
        let voting = self.total - self.blank;
        let places = (0..self.sets.len())
            .filter(|&r| self.sets[r] > 0)
            .map(|r| (r & !(1 << gone)).count_ones() as usize)
            .max()
            .unwrap_or(0)
            .max(1);
        let mut tally: Vec<(usize, u64)> = members(continuing).map(|c| (c, 0)).collect();
        for level in 0..places {
            for e in &mut tally {
                e.1 += self.places[(e.0 * (n + 1) + gone) * n + level];
            }
            let majority = tally.iter().any(|e| u128::from(e.1) * 2 > u128::from(voting));
            if majority || level + 1 == places {
                return unique_best(&tally);
            }
        }
        None
    }

    /// A positional rule among `continuing`, `gone` taken out: place `j`
    /// (from 0) of `n` candidates scores `points(j, n)`.
    fn positional(&self, continuing: u32, gone: usize, points: impl Fn(usize, usize) -> u64) -> Option<usize> {
        let n = self.n;
        let left = continuing.count_ones() as usize;
        let scores: Vec<(usize, u128)> = members(continuing)
            .map(|c| {
                // Places run below the number of candidates left.
                let at = &self.places[(c * (n + 1) + gone) * n..(c * (n + 1) + gone + 1) * n];
                (c, at[..left].iter().enumerate().map(|(j, &w)| u128::from(w) * u128::from(points(j, left))).sum())
            })
            .collect();
        // The rules refuse scores past 2^64: leave that to them.
        if scores.iter().any(|e| e.1 > u128::from(u64::MAX)) {
            return None;
        }
        unique_best(&scores)
    }
}

/// The untransformed counts of some rows of a store: `g`, and the rows
/// ranking exactly each set by the reason each ends with.
struct Raw {
    g: Vec<u64>,
    exhausted: Vec<Vec<u64>>,
}

impl Raw {
    /// The counts of `rows` of `ballots` (over `n` candidates, `standing`
    /// the set standing); `None` when a row is not a plain ranking of
    /// standing candidates.
    fn of_rows(ballots: &RankedBallots, n: usize, standing: u32, rows: Range<usize>) -> Option<Raw> {
        let size = 1usize << n;
        let mut raw = Raw { g: vec![0u64; n << n], exhausted: Vec::new() };
        raw.exhausted.resize(InactiveReason::ALL.len(), Vec::new());
        for i in rows {
            let w = ballots.weights[i];
            let mut above = 0usize;
            for &m in ballots.marks_of(i) {
                if m & TIED != 0 || is_placeholder(m) {
                    return None;
                }
                let c = usize::from(m);
                if c >= n || standing >> c & 1 == 0 || above >> c & 1 != 0 {
                    return None;
                }
                raw.g[c << n | above] += w;
                above |= 1 << c;
            }
            let by_ending = &mut raw.exhausted[usize::from(ballots.endings[i])];
            if by_ending.is_empty() {
                *by_ending = vec![0u64; size];
            }
            by_ending[above] += w;
        }
        Some(raw)
    }

    /// The counts of the rows of both.
    fn add(mut self, other: Raw) -> Raw {
        let sum = |a: &mut Vec<u64>, b: Vec<u64>| {
            if a.is_empty() {
                *a = b;
            } else {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            }
        };
        sum(&mut self.g, other.g);
        for (a, b) in self.exhausted.iter_mut().zip(other.exhausted) {
            if !b.is_empty() {
                sum(a, b);
            }
        }
        self
    }
}

/// Where [`Prefixes::places`] counts a ballot ranking `c` below the set
/// `above`, once `gone` is taken out (`gone == n`: nobody).
fn place(n: usize, c: usize, gone: usize, above: usize) -> usize {
    let j = above.count_ones() as usize - usize::from(gone < n && above >> gone & 1 != 0);
    (c * (n + 1) + gone) * n + j
}

/// The candidate with a majority of the votes counted, or the only one left.
fn majority_or_last(tally: &[(usize, u64)]) -> Option<usize> {
    if let [(only, _)] = tally {
        return Some(*only);
    }
    let counted: u128 = tally.iter().map(|e| u128::from(e.1)).sum();
    tally.iter().find(|e| u128::from(e.1) * 2 > counted).map(|e| e.0)
}

/// The candidate with the most, unless two or more share it.
fn unique_best<T: Ord + Copy>(tally: &[(usize, T)]) -> Option<usize> {
    let best = tally.iter().map(|e| e.1).max()?;
    let mut top = tally.iter().filter(|e| e.1 == best);
    let winner = top.next()?.0;
    top.next().is_none().then_some(winner)
}

/// The members of a set, in order.
fn members(set: u32) -> impl Iterator<Item = usize> {
    (0..32).filter(move |&c| set >> c & 1 != 0)
}

/// `t[s]` becomes the sum of `t` over the subsets of `s`.
fn subset_sums(t: &mut [u64], n: usize) {
    for i in 0..n {
        for s in 0..t.len() {
            if s >> i & 1 != 0 {
                t[s] += t[s ^ 1 << i];
            }
        }
    }
}

/// `t[s]` becomes the sum of `t` over the supersets of `s`.
fn superset_sums(t: &mut [u64], n: usize) {
    for i in 0..n {
        for s in 0..t.len() {
            if s >> i & 1 == 0 {
                t[s] += t[s | 1 << i];
            }
        }
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CountOptions;
    use proptest::prelude::*;

    /// The kept table is shared while the same candidates stand, built only
    /// when wanted, and never given for another set of candidates.
    #[test]
    fn one_table_is_kept_per_store_and_standing_set() {
        let mut e =
            Election::from_rankings(&["A", "B", "C"], &[(4, &["A", "B"]), (3, &["B", "C"]), (2, &["C"])]).unwrap();
        assert!(Prefixes::shared(&e, || false).is_none(), "nothing kept, nothing wanted");
        let first = Prefixes::shared(&e, || true).unwrap();
        let again = Prefixes::shared(&e, || false).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(*first, Prefixes::of(&e).unwrap());
        // B withdrawn in place (the ballots still mark B, so no table can
        // be built): the kept table, for A, B and C, is not given.
        let b = e.candidates.id_of("B").unwrap();
        e.candidates.get_mut(b).withdrawn = true;
        assert!(Prefixes::shared(&e, || false).is_none());
        assert!(Prefixes::shared(&e, || true).is_none());
        assert!(Prefixes::of(&e).is_none());
    }

    const RULES: [&str; 7] = ["irv", "supplementary-vote", "coombs", "bucklin", "borda", "dowdall", "anti-plurality"];

    proptest! {
        /// Whenever the table names a winner without a candidate, counting
        /// the ballots without them elects the same; and on profiles with
        /// few ties it names most of them.
        #[test]
        fn the_table_counts_as_a_recount_does(
            n in 2usize..7,
            ballots in prop::collection::vec((1u64..6, prop::collection::vec(0usize..7, 0..8)), 1..40),
        ) {
            let names: Vec<String> = (0..n).map(|i| format!("C{i}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let rankings: Vec<(u64, Vec<&str>)> = ballots
                .iter()
                .map(|(w, r)| {
                    let mut seen = Vec::new();
                    for &c in r {
                        if c < n && !seen.contains(&names[c]) {
                            seen.push(names[c]);
                        }
                    }
                    (*w, seen)
                })
                .collect();
            let refs: Vec<(u64, &[&str])> = rankings.iter().map(|(w, r)| (*w, r.as_slice())).collect();
            let e = Election::from_rankings(&names, &refs).unwrap();
            let table = Prefixes::of(&e).unwrap();
            for rule in RULES {
                let rule: Rule = rule.parse().unwrap();
                prop_assert!(Prefixes::counts(rule));
                for gone in e.candidates.standing() {
                    if let Some(w) = table.winner_without(rule, gone) {
                        let recount = rule.count(&e.without(gone), &CountOptions::default());
                        prop_assert_eq!(recount.map(|t| t.elected), Ok(vec![w]), "{} without {}", rule, gone.index());
                    }
                }
            }
        }
    }

    proptest! {
        /// The table of changed ballots elects whom a count of the changed
        /// ballots elects, whenever it names a winner.
        #[test]
        fn changed_tables_count_as_the_changed_ballots_do(
            n in 3usize..6,
            ballots in prop::collection::vec((1u64..6, prop::collection::vec(0usize..6, 1..6)), 1..30),
            changes in prop::collection::vec((0usize..30, 1u64..4, prop::collection::vec(0usize..6, 0..6)), 1..4),
        ) {
            let names: Vec<String> = (0..n).map(|i| format!("C{i}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let ranking = |r: &[usize]| {
                let mut seen: Vec<CandidateId> = Vec::new();
                for &c in r {
                    if c < n && !seen.contains(&CandidateId(c as u16)) {
                        seen.push(CandidateId(c as u16));
                    }
                }
                seen
            };
            let rankings: Vec<(u64, Vec<&str>)> =
                ballots.iter().map(|(w, r)| (*w, ranking(r).iter().map(|c| names[c.index()]).collect())).collect();
            let refs: Vec<(u64, &[&str])> = rankings.iter().map(|(w, r)| (*w, r.as_slice())).collect();
            let e = Election::from_rankings(&names, &refs).unwrap();
            let table = Prefixes::of(&e).unwrap();
            // Changes of ballots as cast (some asking for more than there
            // are), to other rankings or removed.
            let changes: Vec<BallotChange> = changes
                .iter()
                .map(|(i, count, to)| {
                    let from = ranking(&ballots[i % ballots.len()].1);
                    let to = ranking(to);
                    BallotChange { from, to: (!to.is_empty()).then_some(to), count: *count }
                })
                .filter(|c| !c.from.is_empty())
                .collect();
            let Some(changed) = table.changed(&changes) else { return Ok(()) };
            let Ok(counted) = crate::analysis::apply_changes(&e, &changes) else { return Ok(()) };
            let fresh = Prefixes::of(&counted).unwrap();
            prop_assert_eq!(&changed, &Prefixes { exhausted: None, ..fresh });
            for rule in RULES {
                let rule: Rule = rule.parse().unwrap();
                if let Some(w) = changed.winner(rule) {
                    let recount = rule.count(&counted, &CountOptions::default()).map(|t| t.elected);
                    prop_assert_eq!(recount, Ok(vec![w]), "{}", rule);
                }
            }
        }
    }

    #[test]
    fn counts_each_rule_without_each_candidate() {
        // Four candidates, no ties in any count without one of them.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[
                (11, &["A", "B", "C"]),
                (9, &["B", "C", "A", "D"]),
                (7, &["C", "B"]),
                (5, &["D", "C", "B", "A"]),
                (3, &["D"]),
                (2, &[]),
            ],
        )
        .unwrap();
        let table = Prefixes::of(&e).unwrap();
        let mut decided = 0;
        for rule in RULES {
            let rule: Rule = rule.parse().unwrap();
            for gone in e.candidates.standing() {
                let recount = rule.count(&e.without(gone), &CountOptions::default()).unwrap().elected;
                if let Some(w) = table.winner_without(rule, gone) {
                    assert_eq!(vec![w], recount, "{rule} without {}", e.candidates.name(gone));
                    decided += 1;
                }
            }
        }
        assert!(decided >= 24, "the table decided {decided} of 28");
    }

    #[test]
    fn parts_sum_to_the_whole() {
        let names: Vec<String> = (0..6).map(|i| format!("C{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        // Rankings of every length, some rows repeated with other weights.
        let mut rankings: Vec<(u64, Vec<&str>)> = Vec::new();
        let mut x: u64 = 7;
        for i in 0..3000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let mut r: Vec<&str> = Vec::new();
            for k in 0..(x >> 60) as usize % 7 {
                let c = names[(x >> (8 * k)) as usize % 6];
                if !r.contains(&c) {
                    r.push(c);
                }
            }
            rankings.push((1 + i % 5, r));
        }
        let refs: Vec<(u64, &[&str])> = rankings.iter().map(|(w, r)| (*w, r.as_slice())).collect();
        let e = Election::from_rankings(&names, &refs).unwrap();
        let whole = Prefixes::of_parts(&e, 1).unwrap();
        for parts in [2, 3, 7, 5000] {
            assert_eq!(Prefixes::of_parts(&e, parts).as_ref(), Some(&whole), "{parts} parts");
        }
    }

    #[test]
    fn candidates_without_a_vote_leave_together() {
        // Without E: A 5, B 4, C 3, and D and F with no vote, who leave
        // together; then C leaves and B wins 6 to 5.
        let e = Election::from_rankings(
            &["A", "B", "C", "D", "E", "F"],
            &[(5, &["A"]), (4, &["B"]), (2, &["C", "B"]), (1, &["E", "C"])],
        )
        .unwrap();
        let table = Prefixes::of(&e).unwrap();
        let (b, gone) = (e.candidates.id_of("B").unwrap(), e.candidates.id_of("E").unwrap());
        let irv = Rule::Irv(IrvOptions::STANDARD);
        assert_eq!(table.winner_without(irv, gone), Some(b));
        assert_eq!(irv.count(&e.without(gone), &CountOptions::default()).unwrap().elected, vec![b]);
    }

    #[test]
    fn refuses_what_it_cannot_table() {
        let many: Vec<String> = (0..17).map(|i| format!("C{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let e = Election::from_rankings(&many, &[(1, &["C0"])]).unwrap();
        assert_eq!(Prefixes::of(&e), None);
        // Another variant, or a tie the chain would decide.
        let e = Election::from_rankings(&["A", "B", "C"], &[(2, &["A"]), (2, &["B"]), (1, &["C"])]).unwrap();
        let table = Prefixes::of(&e).unwrap();
        let c = e.candidates.id_of("C").unwrap();
        assert!(!Prefixes::counts(Rule::Irv(IrvOptions::MAINE)));
        assert_eq!(table.winner_without(Rule::Irv(IrvOptions::MAINE), c), None);
        assert_eq!(table.winner_without(Rule::Irv(IrvOptions::STANDARD), c), None);
    }
}
