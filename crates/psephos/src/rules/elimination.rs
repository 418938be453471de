//! Sequential-elimination rules: Coombs, Baldwin, Nanson and bottom-two
//! runoff IRV.
//!
//! Each eliminates candidates round by round and recounts the ballots as if
//! the eliminated had never stood, until one remains (or, where the rule
//! says so, one has a majority).
//!
//! - **`coombs`** (C. H. Coombs, *A Theory of Data*, 1964; as a voting rule,
//!   B. Grofman and S. L. Feld, "If you like the alternative vote (a.k.a. the
//!   instant runoff), then you ought to know about the Coombs rule",
//!   *Electoral Studies* 23 (2004)): if a candidate has a majority of the
//!   first choices of the ballots still counting, they win; otherwise the
//!   candidate ranked last by the most ballots is eliminated. A ballot's last
//!   place is the one continuing candidate it ranks lowest, unranked
//!   candidates counting as ranked together below the ranked ones; a ballot
//!   whose lowest place is shared by two or more continuing candidates (two
//!   or more unranked, or an equal ranking) gives no last-place vote.
//! - **`baldwin`** (J. M. Baldwin, "The technique of the Nanson preferential
//!   majority system of election", *Proceedings of the Royal Society of
//!   Victoria* 39 (1926)): the continuing candidate with the lowest Borda
//!   score is eliminated, and scores are recounted among the rest.
//! - **`nanson`** (E. J. Nanson, "Methods of election", *Transactions and
//!   Proceedings of the Royal Society of Victoria* 19 (1882)): every
//!   continuing candidate whose Borda score is at or below the average is
//!   eliminated at once. (Schwartz's variant, strictly below, differs only
//!   in rounds where a score equals the average exactly.)
//! - **`btr-irv`** (bottom-two runoff; R. Sewell, D. MacKay and I. McLean,
//!   "Probabilistic electoral methods, representative probability, and
//!   maximum entropy", *Voting Matters* 26 (2009)): of the two candidates
//!   with the fewest first choices, the one the other beats in their
//!   pairwise contest is eliminated (a pairwise tie goes to the chain), until
//!   one candidate remains. The count does not stop at a majority of first
//!   choices: with equal rankings, a ballot that ranks two continuing
//!   candidates equal first counts for neither's first choices but still
//!   prefers both to the others, so a majority of first choices need not be
//!   the pairwise winner.
//!
//! Baldwin's and Nanson's Borda scores are computed from the pairwise
//! matrix with shared places sharing their points (the averaged convention
//! of [`BordaTruncation::Averaged`]): in each pairwise contest a candidate
//! scores 2 half points for every ballot preferring it and 1 for every ballot
//! preferring neither. Every contest then hands out the same number of
//! points, so a Condorcet winner always scores above the average and is
//! never eliminated, whatever the ballots leave unranked. Their rounds are
//! scores rounds in half points (scale 2). Coombs and bottom-two runoff
//! report ballot rounds (first choices, with transfers); Coombs adds after
//! each one a scores round holding the last-place votes, in which the
//! **most** is eliminated, and a tie for most last places goes to the chain,
//! which compares the tied candidates' first choices in earlier ballot
//! rounds (the fewer, the sooner eliminated).
//!
//! Baldwin, Nanson and bottom-two runoff elect the Condorcet winner when there
//! is one (a Condorcet winner is never below the average Borda score, and
//! never loses a bottom-two contest); Baldwin and Nanson always elect within
//! the Smith set. Coombs does not: it can eliminate a Condorcet winner whom
//! many ballots rank last.
//!
//! [`BordaTruncation::Averaged`]: crate::rules::positional::BordaTruncation::Averaged
//!
//! ```
//! use psephos::{CountOptions, Rule};
//! let e = psephos::examples::tennessee();
//! for id in ["coombs", "baldwin", "nanson", "btr-irv"] {
//!     let t = id.parse::<Rule>().unwrap().count(&e, &CountOptions::default()).unwrap();
//!     assert_eq!(e.candidates.name(t.winner().unwrap()), "Nashville", "{id}");
//!     t.check_conservation().unwrap();
//! }
//! ```

use super::scored::{scores_round, standing_ids};
use super::transfer::{rounds_table, with_piles, Count, Transfers};
use super::CountOptions;
use crate::ballots::store::{is_placeholder, TIED};
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::pairwise::PairwiseMatrix;
use crate::prefixes::Prefixes;
use crate::tabulation::{ElectedReason, EliminatedReason, Event, RoundKind, Tabulation};
use crate::tiebreak::{TieBreaker, TieKind};

/// Counts under Coombs' method.
pub fn coombs(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    coombs_with(election, options, rounds_table(election).as_deref())
}

/// Coombs' method, its rounds read off `table` when there is one (a large
/// store of plain rankings: the same rounds), else moved ballot by ballot.
fn coombs_with(
    election: &Election,
    options: &CountOptions,
    table: Option<&Prefixes>,
) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "coombs")?;
    let standing = super::standing(election);
    let out = piles_out(&standing);
    with_piles(ballots, standing, table, |piles, t| {
        let last_places = match t {
            Some(t) => LastPlaces::Table(t, out),
            None => LastPlaces::new(ballots, &super::standing(election)),
        };
        coombs_rounds(election, options, piles, last_places)
    })
}

/// The candidates out of the count from the start, as a set.
fn piles_out(standing: &[bool]) -> usize {
    standing.iter().enumerate().filter(|(_, &s)| !s).fold(0, |set, (c, _)| set | 1 << c)
}

fn coombs_rounds(
    election: &Election,
    options: &CountOptions,
    piles: &mut dyn Transfers,
    mut last_places: LastPlaces<'_>,
) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "coombs")?;
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let mut transfers = Vec::new();
    loop {
        let round = piles.round(count.round_number() + 1, std::mem::take(&mut transfers));
        let tally = round.tally.clone();
        let counted = round.counted();
        count.rounds.push(round);
        if let Some(done) = majority_or_last(&mut count, &tally, counted)? {
            return Ok(count.finish("coombs", ballots.total_weight(), vec![done]));
        }
        let last = last_places.count();
        let last_tally: Vec<(CandidateId, u64)> = tally.iter().map(|&(c, _)| (c, last[c.index()])).collect();
        count.rounds.push(scores_round(count.round_number() + 1, last_tally.clone(), 1, 0));
        let most = last_tally.iter().map(|e| e.1).max().unwrap_or(0);
        let tied: Vec<CandidateId> = last_tally.iter().filter(|e| e.1 == most).map(|e| e.0).collect();
        let loser = if tied.len() == 1 { tied[0] } else { choose_by_ballot_rounds(&mut count, &tied)? };
        count.event(Event::Eliminated { candidate: loser, reason: EliminatedReason::Lowest });
        transfers = piles.eliminate(&[loser]);
        last_places.eliminate(loser);
    }
}

/// Elects a candidate with a majority of `counted`, the last one left, or the
/// better of the last two; `None` when the count goes on.
fn majority_or_last(
    count: &mut Count<'_>,
    tally: &[(CandidateId, u64)],
    counted: u64,
) -> Result<Option<CandidateId>, CountError> {
    if tally.len() == 1 {
        count.event(Event::Elected { candidate: tally[0].0, reason: ElectedReason::LastRemaining });
        return Ok(Some(tally[0].0));
    }
    if let Some(&(w, _)) = tally.iter().find(|&&(_, v)| u128::from(v) * 2 > u128::from(counted)) {
        count.event(Event::Elected { candidate: w, reason: ElectedReason::Majority });
        defeat_others(count, tally, w);
        return Ok(Some(w));
    }
    if tally.len() == 2 {
        let w = count.pick_extreme(tally, 1, true)?[0];
        count.event(Event::Elected { candidate: w, reason: ElectedReason::Runoff });
        defeat_others(count, tally, w);
        return Ok(Some(w));
    }
    Ok(None)
}

fn defeat_others(count: &mut Count<'_>, tally: &[(CandidateId, u64)], winner: CandidateId) {
    if tally.len() == 2 {
        for &(c, _) in tally.iter().filter(|e| e.0 != winner) {
            count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::Defeated });
        }
    }
}

/// An elimination tie, decided by the chain looking only at ballot rounds.
fn choose_by_ballot_rounds(count: &mut Count<'_>, tied: &[CandidateId]) -> Result<CandidateId, CountError> {
    let rounds = &count.rounds;
    let history = |r: usize, c: CandidateId| {
        rounds.get(r).filter(|round| round.kind.is_ballots()).and_then(|round| round.votes(c)).map(u128::from)
    };
    count.ties.choose(rounds.len() as u32, TieKind::Elimination, tied, &history)
}

/// Coombs' last places, kept up to date as candidates leave.
///
/// A ballot gives a last-place vote when it ranks every continuing candidate
/// but one (the unranked one is last) or all of them with a single candidate
/// at its lowest continuing level. Two ways of finding them, with the same
/// results: [`MaskLastPlaces`] for at most 16 candidates, [`IndexLastPlaces`]
/// for more.
enum LastPlaces<'a> {
    Masks(MaskLastPlaces<'a>),
    Index(IndexLastPlaces<'a>),
    /// Read off the table of who is ranked above whom, the set of
    /// candidates out of the count beside it.
    Table(&'a Prefixes, usize),
}

impl<'a> LastPlaces<'a> {
    fn new(ballots: &'a crate::RankedBallots, continuing: &[bool]) -> Self {
        if continuing.len() <= MaskLastPlaces::MAX_CANDIDATES {
            LastPlaces::Masks(MaskLastPlaces::new(ballots, continuing))
        } else {
            LastPlaces::Index(IndexLastPlaces::new(ballots, continuing))
        }
    }

    /// Last-place votes per candidate.
    fn count(&mut self) -> Vec<u64> {
        match self {
            LastPlaces::Masks(m) => m.count(),
            LastPlaces::Index(x) => x.count(),
            LastPlaces::Table(t, out) => t.last_places(*out),
        }
    }

    fn eliminate(&mut self, c: CandidateId) {
        match self {
            LastPlaces::Masks(m) => m.eliminate(c),
            LastPlaces::Index(x) => x.eliminate(c),
            LastPlaces::Table(_, out) => *out |= 1 << c.index(),
        }
    }
}

/// The candidate alone at the lowest level of `marks[..end]` holding a
/// continuing candidate (`None` when two or more share it, or none is
/// ranked), and where that level ends. A level's marks all carry TIED but
/// its last.
fn lowest_single(marks: &[u16], mut end: usize, continuing: &[bool]) -> (Option<usize>, usize) {
    while end > 0 {
        let mut start = end - 1;
        while start > 0 && marks[start - 1] & TIED != 0 {
            start -= 1;
        }
        let mut found = None;
        let mut many = false;
        for &m in &marks[start..end] {
            let c = (m & !TIED) as usize;
            if !is_placeholder(m) && continuing[c] {
                many |= found.is_some();
                found = Some(c);
            }
        }
        if found.is_some() {
            return (if many { None } else { found }, end);
        }
        end = start;
    }
    (None, 0)
}

/// Last places from a set of candidates per ballot, for at most 16
/// candidates.
///
/// Each ballot keeps the set of candidates it ranks, so that the continuing
/// candidates it leaves unranked are one mask away; and, once it ranks every
/// continuing candidate, its last place and where that level ends, so that
/// its marks are walked again only when that candidate leaves (and then
/// from there up, so once over the whole count). A round is one sequential
/// pass over these short columns; an elimination costs nothing.
struct MaskLastPlaces<'a> {
    ballots: &'a crate::RankedBallots,
    continuing: Vec<bool>,
    /// The continuing candidates, as a set.
    all: u16,
    /// `ranked[i]`: the candidates ballot `i` ranks.
    ranked: Vec<u16>,
    /// `tail[i]`: ballot `i`'s marks from this index on rank no continuing
    /// candidate.
    tail: Vec<u32>,
    /// `low[i]`: ballot `i`'s last place when it was last looked for
    /// ([`Self::UNKNOWN`] before that, or when its lowest continuing level
    /// is shared, which is looked at again every round).
    low: Vec<u8>,
}

impl<'a> MaskLastPlaces<'a> {
    /// The most candidates this tracker takes.
    const MAX_CANDIDATES: usize = 16;
    const UNKNOWN: u8 = u8::MAX;

    fn new(ballots: &'a crate::RankedBallots, continuing: &[bool]) -> Self {
        debug_assert!(continuing.len() <= Self::MAX_CANDIDATES);
        let mut ranked = Vec::with_capacity(ballots.unique_len());
        let mut tail = Vec::with_capacity(ballots.unique_len());
        for b in ballots.iter() {
            let marks = b.marks();
            ranked.push(marks.iter().filter(|&&m| !is_placeholder(m)).fold(0u16, |s, &m| s | 1 << (m & !TIED)));
            tail.push(marks.len() as u32);
        }
        let all = continuing.iter().enumerate().filter(|(_, &k)| k).fold(0u16, |s, (i, _)| s | 1 << i);
        let low = vec![Self::UNKNOWN; ranked.len()];
        MaskLastPlaces { ballots, continuing: continuing.to_vec(), all, ranked, tail, low }
    }

    fn count(&mut self) -> Vec<u64> {
        // Room for any 4-bit index, cut to the candidates at the end.
        let mut last = vec![0u64; Self::MAX_CANDIDATES];
        if self.all == 0 {
            last.truncate(self.continuing.len());
            return last;
        }
        let weights = self.ballots.weights();
        // Without branches on the data in the common cases: a ballot
        // leaving one continuing candidate unranked votes for them, one
        // ranking them all for its remembered last place while that
        // candidate continues; the rest add 0 to some entry.
        for (i, (&ranked, &w)) in self.ranked.iter().zip(weights).enumerate() {
            let unranked = self.all & !ranked;
            let one = unranked != 0 && unranked & unranked.wrapping_sub(1) == 0;
            let low = self.low[i];
            let known = low != Self::UNKNOWN && self.all & (1u16 << (low & 15)) != 0;
            if unranked == 0 && !known {
                let marks = self.ballots.marks_of(i);
                let (found, end) = lowest_single(marks, self.tail[i] as usize, &self.continuing);
                self.tail[i] = end as u32;
                self.low[i] = found.map_or(Self::UNKNOWN, |c| c as u8);
                if let Some(c) = found {
                    last[c] += w;
                }
                continue;
            }
            let to = if one { unranked.trailing_zeros() as usize } else { usize::from(low & 15) };
            let counts = one || (unranked == 0 && known);
            last[to] += if counts { w } else { 0 };
        }
        last.truncate(self.continuing.len());
        last
    }

    fn eliminate(&mut self, c: CandidateId) {
        self.continuing[c.index()] = false;
        self.all &= !(1 << c.index());
    }
}

/// Last places from an inverted index, for any number of candidates. Per
/// ballot it keeps how many continuing candidates it ranks and the sum of
/// their ids, so the first case costs nothing and the second a short walk
/// back from the ballot's end; an elimination updates the two columns for
/// the ballots that rank the eliminated candidate, found in an inverted
/// index built once.
struct IndexLastPlaces<'a> {
    ballots: &'a crate::RankedBallots,
    continuing: Vec<bool>,
    n_continuing: usize,
    /// Sum of the continuing candidates' ids.
    all_sum: u64,
    ranked: Vec<u32>,
    ranked_sum: Vec<u64>,
    /// For each candidate, the ballots that rank them: `holders[at[c]..at[c + 1]]`.
    at: Vec<usize>,
    holders: Vec<u32>,
}

impl<'a> IndexLastPlaces<'a> {
    fn new(ballots: &'a crate::RankedBallots, continuing: &[bool]) -> Self {
        let mut ranked = vec![0u32; ballots.unique_len()];
        let mut ranked_sum = vec![0u64; ballots.unique_len()];
        for (i, b) in ballots.iter().enumerate() {
            for &m in b.marks() {
                let c = (m & !TIED) as usize;
                if !is_placeholder(m) && continuing[c] {
                    ranked[i] += 1;
                    ranked_sum[i] += c as u64;
                }
            }
        }
        // An inverted index, so that an elimination visits only the ballots
        // that rank the eliminated candidate.
        let n = continuing.len();
        let mut at = vec![0usize; n + 1];
        for b in ballots.iter() {
            for &m in b.marks() {
                if !is_placeholder(m) {
                    at[(m & !TIED) as usize + 1] += 1;
                }
            }
        }
        for c in 0..n {
            at[c + 1] += at[c];
        }
        let mut fill = at.clone();
        let mut holders = vec![0u32; at[n]];
        for (i, b) in ballots.iter().enumerate() {
            for &m in b.marks() {
                if !is_placeholder(m) {
                    let c = (m & !TIED) as usize;
                    holders[fill[c]] = i as u32;
                    fill[c] += 1;
                }
            }
        }
        let ids = continuing.iter().enumerate().filter(|(_, &k)| k).map(|(i, _)| i as u64);
        IndexLastPlaces {
            at,
            holders,
            ballots,
            continuing: continuing.to_vec(),
            n_continuing: continuing.iter().filter(|&&k| k).count(),
            all_sum: ids.sum(),
            ranked,
            ranked_sum,
        }
    }

    fn count(&self) -> Vec<u64> {
        let n = self.n_continuing as u32;
        let mut last = vec![0u64; self.continuing.len()];
        let weights = self.ballots.weights();
        for (i, &ranked) in self.ranked.iter().enumerate() {
            let loser = if ranked + 1 == n {
                Some((self.all_sum - self.ranked_sum[i]) as usize)
            } else if ranked == n && n > 0 {
                let marks = self.ballots.marks_of(i);
                lowest_single(marks, marks.len(), &self.continuing).0
            } else {
                None
            };
            if let Some(c) = loser {
                last[c] += weights[i];
            }
        }
        last
    }

    fn eliminate(&mut self, c: CandidateId) {
        self.continuing[c.index()] = false;
        self.n_continuing -= 1;
        self.all_sum -= c.index() as u64;
        for &i in &self.holders[self.at[c.index()]..self.at[c.index() + 1]] {
            self.ranked[i as usize] -= 1;
            self.ranked_sum[i as usize] -= c.index() as u64;
        }
    }
}

/// Borda scores among `continuing` in half points: for each other continuing
/// candidate, twice the ballots preferring c plus those preferring neither.
fn half_point_borda(m: &PairwiseMatrix, continuing: &[CandidateId], total: u64) -> Vec<(CandidateId, u64)> {
    continuing
        .iter()
        .map(|&c| {
            let s: i128 = continuing.iter().filter(|&&d| d != c).map(|&d| m.margin(c, d) + i128::from(total)).sum();
            // Each term is 2·P[c][d] + neither ≥ 0, at most 2·total.
            (c, u64::try_from(s).unwrap_or(u64::MAX))
        })
        .collect()
}

/// Counts under Baldwin's method.
pub fn baldwin(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    borda_elimination(election, options, "baldwin")
}

/// Counts under Nanson's method.
pub fn nanson(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    borda_elimination(election, options, "nanson")
}

fn borda_elimination(
    election: &Election,
    options: &CountOptions,
    rule: &'static str,
) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, rule)?;
    let total = ballots.total_weight();
    let m = ballots.pairwise().clone();
    let blank = super::scored::blank_weight(ballots);
    let mut continuing = standing_ids(election);
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    loop {
        let tally = half_point_borda(&m, &continuing, total);
        count.rounds.push(scores_round(count.round_number() + 1, tally.clone(), 2, blank));
        if tally.len() == 1 {
            count.event(Event::Elected { candidate: tally[0].0, reason: ElectedReason::LastRemaining });
            break;
        }
        let losers: Vec<CandidateId> = if rule == "baldwin" {
            count.pick_extreme(&tally, 1, false)?
        } else {
            // At or below the average: k·s ≤ Σ s.
            let sum: u128 = tally.iter().map(|e| u128::from(e.1)).sum();
            let k = tally.len() as u128;
            let below: Vec<CandidateId> = tally.iter().filter(|e| k * u128::from(e.1) <= sum).map(|e| e.0).collect();
            if below.len() == tally.len() {
                // Every score equals the average: a tie for election.
                let w = count.choose(TieKind::Election, &continuing)?;
                count.event(Event::Elected { candidate: w, reason: ElectedReason::MostVotes });
                for &c in continuing.iter().filter(|&&c| c != w) {
                    count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::Defeated });
                }
                continuing = vec![w];
                break;
            }
            below
        };
        for &c in &losers {
            count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::Lowest });
        }
        continuing.retain(|c| !losers.contains(c));
    }
    let mut t = count.finish(rule, total, continuing);
    t.pairwise = Some(m);
    Ok(t)
}

/// Counts under bottom-two-runoff IRV.
pub fn btr_irv(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    btr_irv_with(election, options, rounds_table(election).as_deref())
}

/// Bottom-two-runoff IRV, its rounds read off `table` when there is one (a
/// large store of plain rankings: the same rounds), else moved ballot by
/// ballot.
fn btr_irv_with(
    election: &Election,
    options: &CountOptions,
    table: Option<&Prefixes>,
) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "btr-irv")?;
    with_piles(ballots, super::standing(election), table, |piles, _| btr_irv_rounds(election, options, piles))
}

fn btr_irv_rounds(
    election: &Election,
    options: &CountOptions,
    piles: &mut dyn Transfers,
) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "btr-irv")?;
    let m = ballots.pairwise().clone();
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let mut transfers = Vec::new();
    loop {
        let round = piles.round(count.round_number() + 1, std::mem::take(&mut transfers));
        debug_assert_eq!(round.kind, RoundKind::Ballots);
        let tally = round.tally.clone();
        count.rounds.push(round);
        if let [(w, _)] = tally[..] {
            count.event(Event::Elected { candidate: w, reason: ElectedReason::LastRemaining });
            let mut t = count.finish("btr-irv", ballots.total_weight(), vec![w]);
            t.pairwise = Some(m);
            return Ok(t);
        }
        let bottom = count.pick_extreme(&tally, 2, false)?;
        let (a, b) = (bottom[0], bottom[1]);
        let loser = match m.get(a, b).cmp(&m.get(b, a)) {
            std::cmp::Ordering::Greater => b,
            std::cmp::Ordering::Less => a,
            std::cmp::Ordering::Equal => count.choose(TieKind::Elimination, &[a, b])?,
        };
        count.event(Event::Eliminated { candidate: loser, reason: EliminatedReason::Lowest });
        transfers = piles.eliminate(&[loser]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Coombs and bottom-two runoff count the same rounds off the
        /// table as from the piles, ballots cut short included.
        #[test]
        fn rounds_off_the_table_are_the_rounds_of_the_piles(
            n in 2usize..7,
            ballots in prop::collection::vec((1u64..5, prop::collection::vec(0usize..9, 0..8)), 1..60),
            withdrawn in 0usize..8,
        ) {
            let e = crate::rules::transfer::marked_election(n, &ballots, crate::NormalisePolicy::MAINE, withdrawn);
            let Some(table) = Prefixes::of(&e) else { return Ok(()) };
            let options = CountOptions::default();
            let tabled = coombs_with(&e, &options, Some(&table));
            if let Ok(t) = &tabled {
                t.check_conservation().unwrap();
            }
            prop_assert_eq!(tabled, coombs_with(&e, &options, None));
            prop_assert_eq!(btr_irv_with(&e, &options, Some(&table)), btr_irv_with(&e, &options, None));
        }
    }

    #[test]
    fn last_place_convention() {
        // 4 candidates. "A B C" leaves D alone unranked: D is last. "A B" leaves
        // C and D tied last: no last-place vote. "A B C D" ranks D last.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(5, &["A", "B", "C"]), (7, &["A", "B"]), (2, &["B", "A", "D", "C"])],
        )
        .unwrap();
        let b = e.ranked().unwrap();
        let mut last = LastPlaces::new(b, &[true; 4]);
        assert_eq!(last.count(), vec![0, 0, 2, 5]);
        last.eliminate(CandidateId(3));
        assert_eq!(last.count(), vec![0, 0, 5 + 7 + 2, 0]);
    }

    #[test]
    fn an_equal_last_place_gives_no_vote() {
        use crate::{normalise, Candidates, NormalisePolicy, OvervotePolicy, RankedBallotsBuilder};
        let mut raw = RankedBallotsBuilder::new(3);
        raw.push(CandidateId(0));
        raw.push_level(&[CandidateId(1), CandidateId(2)]);
        raw.finish(4).unwrap();
        let policy = NormalisePolicy { overvote: OvervotePolicy::ExhaustIfMultipleContinuing, ..Default::default() };
        let (ballots, _) = normalise(&raw.build(), policy).unwrap();
        let e = Election::from_ranked(Candidates::from_names(["A", "B", "C"]), 1, ballots).unwrap();
        let mut last = LastPlaces::new(e.ranked().unwrap(), &[true; 3]);
        assert_eq!(last.count(), vec![0, 0, 0]);
        last.eliminate(CandidateId(2));
        assert_eq!(last.count(), vec![0, 4, 0]);
    }

    proptest::proptest! {
        /// The mask tracker and the index tracker agree on every round, on
        /// ballots with equal rankings and truncation, as candidates leave
        /// in any order.
        #[test]
        fn both_last_place_trackers_agree(
            n in 2usize..7,
            raw in proptest::collection::vec(
                (1u64..20, proptest::collection::vec((0u16..7, proptest::bool::ANY), 0..8)), 1..12),
            order in proptest::collection::vec(0usize..7, 7),
        ) {
            use crate::{normalise, NormalisePolicy, OvervotePolicy, RankedBallotsBuilder};
            let mut b = RankedBallotsBuilder::new(n);
            for (w, marks) in &raw {
                let mut level = Vec::new();
                for &(c, tie) in marks.iter().filter(|m| usize::from(m.0) < n) {
                    level.push(CandidateId(c));
                    if !tie {
                        b.push_level(&level);
                        level.clear();
                    }
                }
                if !level.is_empty() {
                    b.push_level(&level);
                }
                b.finish(*w).unwrap();
            }
            let policy = NormalisePolicy { overvote: OvervotePolicy::ExhaustIfMultipleContinuing, ..Default::default() };
            let (ballots, _) = normalise(&b.build(), policy).unwrap();
            let standing = vec![true; n];
            let mut masks = MaskLastPlaces::new(&ballots, &standing);
            let mut index = IndexLastPlaces::new(&ballots, &standing);
            let mut left: Vec<usize> = (0..n).collect();
            for &o in &order {
                proptest::prop_assert_eq!(masks.count(), index.count());
                if left.is_empty() {
                    break;
                }
                let c = CandidateId(left.remove(o % left.len()) as u16);
                masks.eliminate(c);
                index.eliminate(c);
            }
        }
    }

    #[test]
    fn nanson_eliminates_at_or_below_average() {
        // A Condorcet cycle with one clear loser D.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(4, &["A", "B", "C", "D"]), (3, &["B", "C", "A", "D"]), (2, &["C", "A", "B", "D"])],
        )
        .unwrap();
        let t = nanson(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[0].kind, RoundKind::Scores { scale: 2 });
        assert!(t.rounds[0].eliminated().any(|c| c == CandidateId(3)));
        assert_eq!(e.candidates.name(t.winner().unwrap()), "A");
    }

    #[test]
    fn btr_eliminates_the_pairwise_loser_of_the_bottom_two() {
        // First choices: A 40, B 25, C 20, D 15. Bottom two C and D; D beats C.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(40, &["A", "B"]), (25, &["B", "D", "C"]), (20, &["C", "B"]), (15, &["D", "C", "B"])],
        )
        .unwrap();
        let t = btr_irv(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[0].eliminated().collect::<Vec<_>>(), vec![CandidateId(2)]);
        assert_eq!(e.candidates.name(t.winner().unwrap()), "B");
        t.check_conservation().unwrap();
    }
}
