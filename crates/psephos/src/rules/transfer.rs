//! The ballot-transfer engine shared by the elimination rules.
//!
//! Every unique ballot counts for one candidate (its *holder*) or is inactive
//! with a reason. Each candidate keeps a pile: the indices of the unique
//! ballots it holds. Eliminating candidates moves only their ballots: each
//! ballot of an eliminated candidate's pile advances to its next continuing
//! preference and joins that candidate's pile, so a round costs the ballots
//! that move, not the whole store. The totals moved do not depend on the
//! order of the piles (they are integer sums).

use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

use rayon::prelude::*;

use crate::ballots::store::TIED;
use crate::ballots::{InactiveReason, RankedBallots};
use crate::candidate::CandidateId;
use crate::error::CountError;
use crate::prefixes::Prefixes;
use crate::tabulation::{Event, InactiveTally, Round, Tabulation, Transfer, TransferTarget};
use crate::tiebreak::{RoundIndex, TieBreaker, TieKind};

/// The largest losers × candidates table of transfers kept dense (32 MB);
/// the unit tests keep it tiny so that they count through the sparse path
/// and the integration tests through the dense one.
const DENSE_TRANSFERS: usize = if cfg!(test) { 4 } else { 1 << 22 };
/// A pile of at least this many ballots, among at most [`PARALLEL_CANDIDATES`]
/// candidates, moves on all cores, in chunks of [`CHUNK`] ballots (small
/// under test, so that the tests move piles in parallel).
const PARALLEL_PILE: usize = if cfg!(test) { 8 } else { 1 << 16 };
const CHUNK: usize = if cfg!(test) { 4 } else { 1 << 14 };
const PARALLEL_CANDIDATES: usize = 1024;

/// Where every ballot's count stands.
pub(crate) struct Piles<'a> {
    ballots: &'a RankedBallots,
    /// At most this many rank levels of each ballot count.
    max_levels: usize,
    continuing: Vec<bool>,
    /// Mark index of the level each ballot currently counts at (atomic so
    /// that the ballots of a large pile can move on several threads; each
    /// is written by one thread only).
    pos: Vec<AtomicU32>,
    /// `piles[c]`: the unique ballots candidate `c` holds (inactive ballots
    /// are in no pile).
    piles: Vec<Vec<u32>>,
    tally: Vec<u64>,
    inactive: InactiveTally,
}

/// The first level at or after mark `from` that gives a continuing candidate,
/// or the reason the ballot is inactive.
#[inline]
pub(crate) fn next_choice(
    marks: &[u16],
    mut at: usize,
    mut level: usize,
    max_levels: usize,
    continuing: &[bool],
    ending: InactiveReason,
) -> Result<(usize, CandidateId), InactiveReason> {
    while at < marks.len() {
        if level >= max_levels {
            return Err(InactiveReason::Exhausted);
        }
        let m = marks[at];
        if m & TIED == 0 {
            // The common case: one candidate at this rank.
            if continuing[m as usize] {
                return Ok((at, CandidateId(m)));
            }
            at += 1;
        } else {
            // An equal ranking kept for the count (exhaust-if-multiple-continuing).
            let start = at;
            let mut found: Option<CandidateId> = None;
            let mut many = false;
            loop {
                let m = marks[at];
                let c = m & !TIED;
                if continuing[c as usize] {
                    many |= found.is_some();
                    found = Some(CandidateId(c));
                }
                at += 1;
                if m & TIED == 0 {
                    break;
                }
            }
            match found {
                Some(_) if many => return Err(InactiveReason::Overvote),
                Some(c) => return Ok((start, c)),
                None => {}
            }
        }
        level += 1;
    }
    Err(ending)
}

/// How many levels start before mark `at`.
#[inline]
fn levels_before(marks: &[u16], at: usize) -> usize {
    marks[..at].iter().filter(|&&m| m & TIED == 0).count()
}

impl<'a> Piles<'a> {
    /// Gives every ballot to its first continuing choice.
    pub(crate) fn new(ballots: &'a RankedBallots, continuing: Vec<bool>, max_levels: usize) -> Self {
        let n = ballots.num_candidates();
        let unique = ballots.unique_len();
        let mut tally = vec![0u64; n];
        let mut inactive = InactiveTally::default();
        let mut pos: Vec<AtomicU32> = (0..unique).map(|_| AtomicU32::new(0)).collect();
        let mut piles: Vec<Vec<u32>> = vec![Vec::new(); n];
        let (marks, starts) = (&ballots.marks, &ballots.starts);
        for i in 0..unique {
            let b = &marks[starts[i] as usize..starts[i + 1] as usize];
            let ending = InactiveReason::from_u8(ballots.endings[i]);
            match next_choice(b, 0, 0, max_levels, &continuing, ending) {
                Ok((at, c)) => {
                    *pos[i].get_mut() = at as u32;
                    piles[c.index()].push(i as u32);
                    tally[c.index()] += ballots.weights[i];
                }
                Err(reason) => inactive.add(reason, ballots.weights[i]),
            }
        }
        Piles { ballots, max_levels, continuing, pos, piles, tally, inactive }
    }

    /// The first round of a count that ends there (plurality, SNTV): every
    /// ballot's first continuing choice among its first `max_levels` levels,
    /// without the piles an elimination needs.
    pub(crate) fn first_round(ballots: &RankedBallots, continuing: &[bool], max_levels: usize) -> Round {
        let n = ballots.num_candidates();
        let unique = ballots.unique_len();
        let (marks, starts) = (&ballots.marks, &ballots.starts);
        let count = |rows: std::ops::Range<usize>| {
            let mut tally = vec![0u64; n];
            let mut inactive = InactiveTally::default();
            for i in rows {
                let b = &marks[starts[i] as usize..starts[i + 1] as usize];
                let (weight, ending) = (ballots.weights[i], InactiveReason::from_u8(ballots.endings[i]));
                match next_choice(b, 0, 0, max_levels, continuing, ending) {
                    Ok((_, c)) => tally[c.index()] += weight,
                    Err(reason) => inactive.add(reason, weight),
                }
            }
            (tally, inactive)
        };
        // On all cores for many ballots, in chunks whose integer sums are
        // added: the same whatever the number of threads.
        let (tally, inactive) = if unique < PARALLEL_PILE || n > PARALLEL_CANDIDATES {
            count(0..unique)
        } else {
            (0..unique.div_ceil(CHUNK))
                .into_par_iter()
                .map(|k| count(k * CHUNK..unique.min((k + 1) * CHUNK)))
                .reduce_with(|(mut tally, mut inactive), (more, also)| {
                    tally.iter_mut().zip(more).for_each(|(t, m)| *t += m);
                    inactive += also;
                    (tally, inactive)
                })
                .expect("at least one chunk")
        };
        Round {
            number: 1,
            tally: (0..tally.len())
                .filter(|&c| continuing[c])
                .map(|c| (CandidateId::from_index(c), tally[c]))
                .collect(),
            inactive,
            ..Round::default()
        }
    }

    pub(crate) fn is_continuing(&self, c: CandidateId) -> bool {
        self.continuing[c.index()]
    }

    pub(crate) fn continuing(&self) -> impl Iterator<Item = CandidateId> + '_ {
        self.continuing.iter().enumerate().filter(|(_, &k)| k).map(|(i, _)| CandidateId::from_index(i))
    }

    pub(crate) fn votes(&self, c: CandidateId) -> u64 {
        self.tally[c.index()]
    }

    /// A round record of the current state.
    pub(crate) fn round(&self, number: u32, transfers: Vec<Transfer>) -> Round {
        Round {
            number,
            tally: self.continuing().map(|c| (c, self.votes(c))).collect(),
            inactive: self.inactive,
            transfers,
            events: Vec::new(),
            ..Round::default()
        }
    }

    /// Moves ballot `i` on from the level it counts at to its next
    /// continuing choice (noting where that is), or says why it is inactive.
    #[inline]
    fn advance(&self, i: usize) -> Result<CandidateId, InactiveReason> {
        let b = self.ballots;
        let ballot = &b.marks[b.starts[i] as usize..b.starts[i + 1] as usize];
        let at = self.pos[i].load(Relaxed) as usize;
        let next = crate::ballots::store::level_len(ballot, at) + at;
        let level = if self.max_levels == usize::MAX { 0 } else { levels_before(ballot, next) };
        let ending = InactiveReason::from_u8(b.endings[i]);
        let (at, c) = next_choice(ballot, next, level, self.max_levels, &self.continuing, ending)?;
        self.pos[i].store(at as u32, Relaxed);
        Ok(c)
    }

    /// Removes `losers` from the count and moves their ballots on.
    pub(crate) fn eliminate(&mut self, losers: &[CandidateId]) -> Vec<Transfer> {
        let n = self.continuing.len();
        for &c in losers {
            self.continuing[c.index()] = false;
        }
        // to_cand[k * n + c]: votes moving from losers[k] to candidate c,
        // dense while that table is small; else each move is listed and the
        // list summed (a batch of thousands of candidates without votes
        // among thousands of candidates moves few ballots or none).
        let dense = losers.len().saturating_mul(n) <= DENSE_TRANSFERS;
        let mut to_cand = vec![0u64; if dense { losers.len() * n } else { 0 }];
        let mut moves: Vec<(usize, u16, u64)> = Vec::new();
        let mut to_inactive = vec![InactiveTally::default(); losers.len()];
        let weights = &self.ballots.weights;
        for (k, &from) in losers.iter().enumerate() {
            let pile = std::mem::take(&mut self.piles[from.index()]);
            if dense && pile.len() >= PARALLEL_PILE && n <= PARALLEL_CANDIDATES {
                // Each chunk gives its ballots' new piles, the votes they
                // carry and the inactive, joined in chunk order.
                let this = &*self;
                let chunks: Vec<(Vec<Vec<u32>>, Vec<u64>, InactiveTally)> = pile
                    .par_chunks(CHUNK)
                    .map(|chunk| {
                        let mut piles = vec![Vec::new(); n];
                        let mut votes = vec![0u64; n];
                        let mut inactive = InactiveTally::default();
                        for &i in chunk {
                            match this.advance(i as usize) {
                                Ok(c) => {
                                    piles[c.index()].push(i);
                                    votes[c.index()] += weights[i as usize];
                                }
                                Err(reason) => inactive.add(reason, weights[i as usize]),
                            }
                        }
                        (piles, votes, inactive)
                    })
                    .collect();
                for (piles, votes, inactive) in chunks {
                    for (c, moved) in piles.into_iter().enumerate() {
                        self.piles[c].extend_from_slice(&moved);
                        to_cand[k * n + c] += votes[c];
                    }
                    to_inactive[k] += inactive;
                }
                continue;
            }
            for &i in &pile {
                let weight = weights[i as usize];
                match self.advance(i as usize) {
                    Ok(c) => {
                        self.piles[c.index()].push(i);
                        if dense {
                            to_cand[k * n + c.index()] += weight;
                        } else {
                            moves.push((k, c.0, weight));
                        }
                    }
                    Err(reason) => to_inactive[k].add(reason, weight),
                }
            }
        }
        if !dense {
            moves.sort_unstable_by_key(|&(k, c, _)| (k, c));
        }
        let mut moves = moves.into_iter().peekable();
        let mut transfers = Vec::new();
        for (k, &from) in losers.iter().enumerate() {
            self.tally[from.index()] = 0;
            let mut received = |c: usize, v: u64, transfers: &mut Vec<Transfer>| {
                self.tally[c] += v;
                transfers.push(Transfer { from, to: TransferTarget::Candidate(CandidateId::from_index(c)), votes: v });
            };
            if dense {
                for (c, &v) in to_cand[k * n..(k + 1) * n].iter().enumerate() {
                    if v > 0 {
                        received(c, v, &mut transfers);
                    }
                }
            } else {
                while let Some(&(_, c, _)) = moves.peek().filter(|m| m.0 == k) {
                    let mut v = 0;
                    while let Some((_, _, w)) = moves.next_if(|m| m.0 == k && m.1 == c) {
                        v += w;
                    }
                    received(usize::from(c), v, &mut transfers);
                }
            }
            for (reason, v) in to_inactive[k].iter() {
                if v > 0 {
                    self.inactive.add(reason, v);
                    transfers.push(Transfer { from, to: TransferTarget::Inactive(reason), votes: v });
                }
            }
        }
        transfers
    }
}

/// What an elimination count moves its ballots with: [`Piles`], or for
/// large stores of plain rankings over a few candidates, [`TablePiles`].
pub(crate) trait Transfers {
    /// A round record of the current state.
    fn round(&self, number: u32, transfers: Vec<Transfer>) -> Round;
    /// Removes `losers` from the count and moves their ballots on.
    fn eliminate(&mut self, losers: &[CandidateId]) -> Vec<Transfer>;
    /// Whether `c` is still in the count.
    fn is_continuing(&self, c: CandidateId) -> bool;
}

impl Transfers for Piles<'_> {
    fn round(&self, number: u32, transfers: Vec<Transfer>) -> Round {
        Piles::round(self, number, transfers)
    }

    fn eliminate(&mut self, losers: &[CandidateId]) -> Vec<Transfer> {
        Piles::eliminate(self, losers)
    }

    fn is_continuing(&self, c: CandidateId) -> bool {
        Piles::is_continuing(self, c)
    }
}

/// The table an elimination count reads its rounds off, for a large store
/// of plain rankings over a few candidates ([`Prefixes::counts_rounds`]).
/// The table is the store's shared one ([`Prefixes::shared`]).
pub(crate) fn rounds_table(election: &crate::election::Election) -> Option<std::sync::Arc<Prefixes>> {
    Prefixes::shared(election, || Prefixes::counts_rounds(election))
}

/// Runs `rounds` on the piles of an elimination count among `continuing`:
/// read off `table` when there is one (then passed on), else moved ballot
/// by ballot.
pub(crate) fn with_piles<R>(
    ballots: &RankedBallots,
    continuing: Vec<bool>,
    table: Option<&Prefixes>,
    rounds: impl FnOnce(&mut dyn Transfers, Option<&Prefixes>) -> R,
) -> R {
    match table.and_then(|t| Some((t, TablePiles::new(t, &continuing)?))) {
        Some((t, mut piles)) => rounds(&mut piles, Some(t)),
        None => rounds(&mut Piles::new(ballots, continuing, usize::MAX), None),
    }
}

/// The piles of an elimination count read off the table of who is ranked
/// above whom ([`Prefixes`]) instead of moved ballot by ballot: a
/// candidate's votes once the set `out` has left are the ballots whose
/// first choice outside `out` they are, and a loser's ballots pass to
/// candidate `d` as the difference of two entries of the table. A round
/// costs a few lookups per candidate, whatever the number of ballots; the
/// rounds, transfers and inactive ballots are those [`Piles`] gives.
///
/// Only for counts that eliminate one candidate at a time or candidates
/// without votes together: the table does not tell which of several losers
/// with votes held a ballot.
pub(crate) struct TablePiles<'a> {
    table: &'a Prefixes,
    /// The candidates out of the count (withdrawn or eliminated), as a set.
    out: usize,
    /// The inactive ballots at `out`.
    inactive: InactiveTally,
}

impl<'a> TablePiles<'a> {
    /// The first round among the `continuing` candidates; `None` for a
    /// changed table, or candidates the table does not hold.
    pub(crate) fn new(table: &'a Prefixes, continuing: &[bool]) -> Option<Self> {
        let n = table.num_candidates();
        if continuing.len() != n {
            return None;
        }
        let out = (0..n).filter(|&c| !continuing[c]).fold(0usize, |s, c| s | 1 << c);
        Some(TablePiles { table, out, inactive: table.inactive_within(out)? })
    }
}

impl Transfers for TablePiles<'_> {
    fn round(&self, number: u32, transfers: Vec<Transfer>) -> Round {
        let n = self.table.num_candidates();
        Round {
            number,
            tally: (0..n)
                .filter(|&c| self.out >> c & 1 == 0)
                .map(|c| (CandidateId::from_index(c), self.table.first_outside(c, self.out)))
                .collect(),
            inactive: self.inactive,
            transfers,
            events: Vec::new(),
            ..Round::default()
        }
    }

    fn eliminate(&mut self, losers: &[CandidateId]) -> Vec<Transfer> {
        let n = self.table.num_candidates();
        let before = self.out;
        let after = losers.iter().fold(before, |s, c| s | 1 << c.index());
        // Several losers leave together only without votes: none of them
        // holds a ballot to pass on, whoever of them it would come from.
        debug_assert!(losers.len() == 1 || losers.iter().all(|c| self.table.first_outside(c.index(), before) == 0));
        let mut transfers = Vec::new();
        if let [from] = losers {
            for d in (0..n).filter(|&d| after >> d & 1 == 0) {
                let v = self.table.first_outside(d, after) - self.table.first_outside(d, before);
                if v > 0 {
                    transfers.push(Transfer {
                        from: *from,
                        to: TransferTarget::Candidate(CandidateId::from_index(d)),
                        votes: v,
                    });
                }
            }
        }
        let inactive = self.table.inactive_within(after).expect("a table with endings");
        if let [from] = losers {
            for ((reason, now), (_, was)) in inactive.iter().zip(self.inactive.iter()) {
                if now > was {
                    transfers.push(Transfer { from: *from, to: TransferTarget::Inactive(reason), votes: now - was });
                }
            }
        }
        self.out = after;
        self.inactive = inactive;
        transfers
    }

    fn is_continuing(&self, c: CandidateId) -> bool {
        self.out >> c.index() & 1 == 0
    }
}

/// For tests: an election of `n` candidates from raw `ballots` (weight and
/// marks: a candidate below `n`, a skipped rank at `n`, an overvote above),
/// normalised under `policy`, with candidate `withdrawn` withdrawn if there
/// is one.
#[cfg(test)]
pub(crate) fn marked_election(
    n: usize,
    ballots: &[(u64, Vec<usize>)],
    policy: crate::NormalisePolicy,
    withdrawn: usize,
) -> crate::election::Election {
    let mut raw = crate::RankedBallotsBuilder::new(n);
    for (w, marks) in ballots {
        for &m in marks {
            match m {
                m if m < n => raw.push(CandidateId(m as u16)),
                m if m == n => raw.push_skip(),
                _ => raw.push_unnamed_overvote(),
            }
        }
        raw.finish(*w).unwrap();
    }
    let names: Vec<String> = (0..n).map(|i| format!("C{i}")).collect();
    let names = crate::Candidates::from_names(names.iter().map(String::as_str));
    let e = crate::election::Election::from_raw(names, 1, raw.build(), policy).unwrap();
    if withdrawn < n {
        e.without(CandidateId(withdrawn as u16))
    } else {
        e
    }
}

/// A count in progress: rounds so far and the tie-breaker.
pub(crate) struct Count<'a> {
    pub(crate) rounds: Vec<Round>,
    pub(crate) ties: TieBreaker<'a>,
    /// The completed rounds by candidate, for the tie-break.
    index: RoundIndex,
}

impl<'a> Count<'a> {
    pub(crate) fn new(ties: TieBreaker<'a>) -> Self {
        Count { rounds: Vec::new(), ties, index: RoundIndex::default() }
    }

    /// The number of the round being counted now.
    pub(crate) fn round_number(&self) -> u32 {
        self.rounds.len() as u32
    }

    /// Chooses among tied candidates, looking back over completed rounds.
    pub(crate) fn choose(&mut self, kind: TieKind, tied: &[CandidateId]) -> Result<CandidateId, CountError> {
        // The tie-break looks at the rounds before the current one, which
        // are final: index them (once each) by candidate.
        let earlier = self.rounds.len().saturating_sub(1);
        self.index.extend(&self.rounds, earlier);
        self.ties.choose(self.rounds.len() as u32, kind, tied, &self.index)
    }

    /// The `k` candidates with the most votes (`highest`) or fewest, ties at
    /// the boundary broken by the chain. `tally` must hold more than `k` entries.
    pub(crate) fn pick_extreme(
        &mut self,
        tally: &[(CandidateId, u64)],
        k: usize,
        highest: bool,
    ) -> Result<Vec<CandidateId>, CountError> {
        // The k-th best vote count, found in linear time (a count with
        // thousands of candidates picks one per round).
        let boundary = if k == 1 {
            let votes = tally.iter().map(|e| e.1);
            if highest { votes.max() } else { votes.min() }.expect("a non-empty tally")
        } else {
            let mut votes: Vec<u64> = tally.iter().map(|e| e.1).collect();
            if highest {
                *votes.select_nth_unstable_by(k - 1, |a, b| b.cmp(a)).1
            } else {
                *votes.select_nth_unstable(k - 1).1
            }
        };
        let mut better: Vec<(CandidateId, u64)> =
            tally.iter().filter(|e| if highest { e.1 > boundary } else { e.1 < boundary }).copied().collect();
        if highest {
            better.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        } else {
            better.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        }
        let mut chosen: Vec<CandidateId> = better.into_iter().map(|e| e.0).collect();
        let mut tied: Vec<CandidateId> = tally.iter().filter(|e| e.1 == boundary).map(|e| e.0).collect();
        tied.sort_unstable();
        let kind = if highest { TieKind::Election } else { TieKind::Elimination };
        while chosen.len() < k {
            if tied.len() == k - chosen.len() {
                chosen.append(&mut tied);
                break;
            }
            let pick = self.choose(kind, &tied)?;
            tied.retain(|&c| c != pick);
            chosen.push(pick);
        }
        Ok(chosen)
    }

    /// Closes the count.
    pub(crate) fn finish(self, rule: &'static str, total: u64, elected: Vec<CandidateId>) -> Tabulation {
        Tabulation {
            seats: elected.len() as u32,
            total,
            rounds: self.rounds,
            elected,
            ties: self.ties.into_decisions(),
            ..Tabulation::new(super::Rule::family(rule))
        }
    }

    /// Adds an event to the latest round.
    pub(crate) fn event(&mut self, e: Event) {
        if let Some(r) = self.rounds.last_mut() {
            r.events.push(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RankedBallotsBuilder;

    proptest::proptest! {
        /// For ballots ranking one candidate per level: after any
        /// eliminations, moving ballots on (in parallel chunks here, piles
        /// being large against the tests' limits) leaves every tally, pile
        /// and the inactive where giving each ballot afresh to its first
        /// continuing choice puts them, and the transfers account for every
        /// vote the losers held.
        #[test]
        fn moved_piles_equal_a_fresh_count(
            ballots in proptest::collection::vec((proptest::collection::vec(0u16..4, 0..5), 1u64..5), 1..80),
            order in proptest::sample::subsequence(vec![0u16, 1, 2, 3], 1..4),
        ) {
            let mut b = RankedBallotsBuilder::new(4);
            for (marks, weight) in &ballots {
                for &m in marks {
                    b.push(CandidateId(m));
                }
                b.finish(*weight).unwrap();
            }
            let store = b.build();
            let mut continuing = vec![true; 4];
            let mut piles = Piles::new(&store, continuing.clone(), usize::MAX);
            for &loser in &order {
                let held = piles.votes(CandidateId(loser));
                let transfers = piles.eliminate(&[CandidateId(loser)]);
                proptest::prop_assert_eq!(transfers.iter().map(|t| t.votes).sum::<u64>(), held);
                continuing[loser as usize] = false;
                let fresh = Piles::new(&store, continuing.clone(), usize::MAX);
                proptest::prop_assert_eq!(&piles.tally, &fresh.tally);
                proptest::prop_assert_eq!(piles.inactive, fresh.inactive);
                for c in 0..4 {
                    let mut moved = piles.piles[c].clone();
                    moved.sort_unstable();
                    proptest::prop_assert_eq!(&moved, &fresh.piles[c]);
                }
            }
        }
    }
}
