//! Tie-breaking: a declared chain of steps, every decision recorded.
//!
//! When a rule must choose among candidates with equal votes (whom to
//! eliminate, whom to elect, who reaches a runoff), it asks the
//! [`TieBreak`] chain. Each step narrows the tied set; the first step that
//! leaves one candidate decides, and the decision is recorded as a
//! [`TieDecision`] in the result. A tie that survives every step is an error
//! ([`CountError::UnresolvedTie`]), never a silent pick.
//!
//! Steps:
//! - `previous-rounds`: look back from the most recent earlier round to the
//!   first; at the first round where the tied candidates' votes differ, keep
//!   only those with the fewest (when eliminating) or most (when electing).
//!   This is the "backwards" rule of the Scottish STV order and of many
//!   ranked-choice statutes.
//! - `first-round`: as above but looking forward from round 1.
//! - `candidate-order`: the candidate listed earlier on the ballot paper is
//!   preferred (is elected, or survives). When the chain carries a declared
//!   order instead ([`TieBreak::with_candidate_order`], such as a BLT file's
//!   `[tie]` line), it is read as the droop program reads that line, as a
//!   lot drawn in advance: the tied candidate listed first is the one
//!   chosen, whether the tie decides who is elected or who is eliminated.
//! - `random`: a lot drawn from the seed: the candidates are put in an order
//!   by a Fisher–Yates shuffle driven by ChaCha8 (`rand_chacha`), seeded with
//!   the seed as a little-endian `u64`; earlier in that order is preferred.
//!   The same seed gives the same lot on every platform.
//!
//! ```
//! use psephos::{TieBreak, TieBreakStep};
//! let chain: TieBreak = "previous-rounds,random".parse::<TieBreak>().unwrap().with_seed(7);
//! assert_eq!(chain.steps(), &[TieBreakStep::PreviousRounds, TieBreakStep::Random]);
//! assert_eq!(chain.to_string(), "previous-rounds,random");
//! ```

use std::fmt;
use std::str::FromStr;

use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};

use crate::candidate::CandidateId;
use crate::error::CountError;

/// One step of a tie-break chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum TieBreakStep {
    /// Compare earlier rounds, most recent first.
    PreviousRounds,
    /// Compare earlier rounds, first round first.
    FirstRound,
    /// Prefer the candidate listed earlier.
    CandidateOrder,
    /// Prefer the candidate drawn earlier in a seeded lot.
    Random,
}

impl TieBreakStep {
    /// The step's name.
    pub fn as_str(self) -> &'static str {
        match self {
            TieBreakStep::PreviousRounds => "previous-rounds",
            TieBreakStep::FirstRound => "first-round",
            TieBreakStep::CandidateOrder => "candidate-order",
            TieBreakStep::Random => "random",
        }
    }
}

impl fmt::Display for TieBreakStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A tie-break chain could not be parsed or is incomplete.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TieBreakError {
    /// An unknown step name.
    #[error("unknown tie-break step `{0}`; expected previous-rounds, first-round, candidate-order or random")]
    UnknownStep(String),
    /// The chain is empty.
    #[error("the tie-break chain is empty")]
    Empty,
}

/// A declared tie-break chain.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TieBreak {
    steps: Vec<TieBreakStep>,
    seed: Option<u64>,
    order: Option<Vec<CandidateId>>,
}

impl Default for TieBreak {
    /// `previous-rounds,candidate-order`: deterministic, and what most
    /// statutes that leave ties to officials reduce to before a lot.
    fn default() -> Self {
        TieBreak { steps: vec![TieBreakStep::PreviousRounds, TieBreakStep::CandidateOrder], seed: None, order: None }
    }
}

impl TieBreak {
    /// A chain of these steps.
    pub fn new(steps: Vec<TieBreakStep>) -> Result<Self, TieBreakError> {
        if steps.is_empty() {
            return Err(TieBreakError::Empty);
        }
        Ok(TieBreak { steps, seed: None, order: None })
    }

    /// The chain with the seed for its `random` step.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The chain with a declared order for its `candidate-order` step, in
    /// place of the ballot-paper order, read as the droop program reads a
    /// BLT file's `[tie]` line: a lot drawn in advance, where the tied
    /// candidate listed first in `order` is the one chosen, elected when
    /// the tie is for election and eliminated when it is for elimination.
    /// Candidates missing from `order` come after those in it, in
    /// ballot-paper order.
    ///
    /// ```
    /// use psephos::{CandidateId, CountOptions, Election, Rule, TieBreak};
    /// // A and B tie for last place in the first round.
    /// let e = Election::from_rankings(&["A", "B", "C"], &[(2, &["A"]), (2, &["B", "A"]), (3, &["C"])]).unwrap();
    /// let irv: Rule = "irv".parse().unwrap();
    /// // By ballot-paper order B, listed later, is eliminated, and A wins on B's ballots.
    /// let t = irv.count(&e, &CountOptions::default()).unwrap();
    /// assert_eq!(e.candidates.name(t.winner().unwrap()), "A");
    /// // An order listing A first chooses A to be eliminated: C wins.
    /// let chain = TieBreak::default().with_candidate_order(vec![CandidateId(0), CandidateId(1), CandidateId(2)]);
    /// let t = irv.count(&e, &CountOptions { tie_break: chain }).unwrap();
    /// assert_eq!(t.ties[0].chosen, CandidateId(0));
    /// assert_eq!(e.candidates.name(t.winner().unwrap()), "C");
    /// ```
    pub fn with_candidate_order(mut self, order: Vec<CandidateId>) -> Self {
        self.order = Some(order);
        self
    }

    /// The declared order of the `candidate-order` step, if one was given.
    pub fn candidate_order(&self) -> Option<&[CandidateId]> {
        self.order.as_deref()
    }

    /// The steps in order.
    pub fn steps(&self) -> &[TieBreakStep] {
        &self.steps
    }

    /// The seed of the `random` step, if one was given.
    pub fn seed(&self) -> Option<u64> {
        self.seed
    }

    /// Whether the chain uses a lot.
    pub fn is_random(&self) -> bool {
        self.steps.contains(&TieBreakStep::Random)
    }
}

impl TieBreak {
    /// Where `c` stands in the declared order (the first is chosen): its
    /// place in it, else after every declared candidate, by ballot-paper
    /// order.
    fn place(&self, c: CandidateId) -> (usize, CandidateId) {
        match &self.order {
            Some(order) => (order.iter().position(|&d| d == c).unwrap_or(order.len()), c),
            None => (0, c),
        }
    }
}

impl fmt::Display for TieBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(s.as_str())?;
        }
        Ok(())
    }
}

impl FromStr for TieBreak {
    type Err = TieBreakError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let steps = s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| match p {
                "previous-rounds" | "backwards" => Ok(TieBreakStep::PreviousRounds),
                "first-round" | "forwards" => Ok(TieBreakStep::FirstRound),
                "candidate-order" => Ok(TieBreakStep::CandidateOrder),
                "random" => Ok(TieBreakStep::Random),
                other => Err(TieBreakError::UnknownStep(other.to_owned())),
            })
            .collect::<Result<Vec<_>, _>>()?;
        TieBreak::new(steps)
    }
}

/// What a tie was about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum TieKind {
    /// Whom to eliminate: the least preferred loses.
    Elimination,
    /// Whom to elect (or who goes through to a runoff): the most preferred wins.
    Election,
}

impl TieKind {
    fn what(self) -> &'static str {
        match self {
            TieKind::Elimination => "elimination",
            TieKind::Election => "election",
        }
    }
}

/// One recorded tie decision.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TieDecision {
    /// The round in which the tie arose (1-based).
    pub round: u32,
    /// What was decided.
    pub kind: TieKind,
    /// The tied candidates.
    pub tied: Vec<CandidateId>,
    /// The one chosen: eliminated for [`TieKind::Elimination`], elected or
    /// advanced for [`TieKind::Election`].
    pub chosen: CandidateId,
    /// The step that decided it.
    pub step: TieBreakStep,
}

/// Applies a chain during one count and records its decisions.
#[derive(Debug)]
pub(crate) struct TieBreaker<'a> {
    chain: &'a TieBreak,
    /// `lot[c]` = position of candidate c in the drawn order (lower is preferred).
    lot: Option<Vec<u32>>,
    num_candidates: usize,
    pub(crate) decisions: Vec<TieDecision>,
}

impl<'a> TieBreaker<'a> {
    pub(crate) fn new(chain: &'a TieBreak, num_candidates: usize) -> Self {
        TieBreaker { chain, lot: None, num_candidates, decisions: Vec::new() }
    }

    /// Chooses one of `tied` (which must hold two or more candidates).
    ///
    /// `history` gives each candidate's votes in the earlier rounds (0-based,
    /// `r < round - 1`).
    pub(crate) fn choose(
        &mut self,
        round: u32,
        kind: TieKind,
        tied: &[CandidateId],
        history: &dyn History,
    ) -> Result<CandidateId, CountError> {
        debug_assert!(tied.len() >= 2);
        let mut set: Vec<CandidateId> = tied.to_vec();
        set.sort_unstable();
        let earlier = round.saturating_sub(1) as usize;
        for &step in &self.chain.steps {
            match step {
                TieBreakStep::PreviousRounds | TieBreakStep::FirstRound => {
                    // Only the rounds where a tied candidate's votes changed can
                    // tell them apart: between two such rounds every tied
                    // candidate's votes stand still.
                    let mut rounds = history.change_rounds(&set, earlier);
                    if step == TieBreakStep::PreviousRounds {
                        rounds.reverse();
                    }
                    narrow_by_rounds(&mut set, kind, rounds.into_iter(), history)
                }
                TieBreakStep::CandidateOrder => {
                    let pick = match (&self.chain.order, kind) {
                        // A declared order: the first listed is chosen.
                        (Some(_), _) => *set.iter().min_by_key(|c| self.chain.place(**c)).expect("non-empty"),
                        (None, TieKind::Elimination) => *set.iter().max().expect("non-empty"),
                        (None, TieKind::Election) => *set.iter().min().expect("non-empty"),
                    };
                    set = vec![pick];
                }
                TieBreakStep::Random => {
                    let lot =
                        self.lot.get_or_insert_with(|| draw_lot(self.chain.seed.unwrap_or(0), self.num_candidates));
                    let key = |c: &&CandidateId| lot[c.index()];
                    let pick = match kind {
                        TieKind::Elimination => *set.iter().max_by_key(key).expect("non-empty"),
                        TieKind::Election => *set.iter().min_by_key(key).expect("non-empty"),
                    };
                    set = vec![pick];
                }
            }
            if set.len() == 1 {
                let mut tied = tied.to_vec();
                tied.sort_unstable();
                self.decisions.push(TieDecision { round, kind, tied, chosen: set[0], step });
                return Ok(set[0]);
            }
        }
        Err(CountError::UnresolvedTie { round, tied: set, what: kind.what() })
    }

    pub(crate) fn into_decisions(self) -> Vec<TieDecision> {
        self.decisions
    }
}

/// Candidates' votes in the earlier rounds of a count, for the
/// `previous-rounds` and `first-round` steps.
pub(crate) trait History {
    /// Candidate c's votes in round r (0-based), or `None` when c was not
    /// counted in that round.
    fn votes(&self, r: usize, c: CandidateId) -> Option<u128>;

    /// The rounds before `limit`, in increasing order, that can tell the
    /// candidates of `set` apart: a superset of the rounds in which one of
    /// their vote counts differs from the round before (round 0 included).
    /// By default, every round.
    fn change_rounds(&self, _set: &[CandidateId], limit: usize) -> Vec<usize> {
        (0..limit).collect()
    }
}

impl<F: Fn(usize, CandidateId) -> Option<u128>> History for F {
    fn votes(&self, r: usize, c: CandidateId) -> Option<u128> {
        self(r, c)
    }
}

/// The history of a count's rounds, indexed by candidate as the count goes:
/// each candidate's votes are kept only where they change, so a tie-break
/// costs what the tied candidates' histories hold, not rounds × candidates.
#[derive(Debug, Default)]
pub(crate) struct RoundIndex {
    /// Rounds indexed so far.
    indexed: usize,
    /// `changes[c]`: (round, votes from that round on), in round order.
    changes: Vec<Vec<(u32, Option<u64>)>>,
    /// The candidates counted in the last round indexed.
    present: Vec<CandidateId>,
    /// `stamp[c] == indexed + 1` when c is counted in the round being indexed.
    stamp: Vec<usize>,
}

impl RoundIndex {
    /// Indexes `rounds[..upto]` (rounds already indexed must not change).
    pub(crate) fn extend(&mut self, rounds: &[crate::tabulation::Round], upto: usize) {
        while self.indexed < upto.min(rounds.len()) {
            let r = self.indexed;
            let round = &rounds[r];
            let mark = r + 1;
            for &(c, v) in &round.tally {
                let i = c.index();
                if i >= self.changes.len() {
                    self.changes.resize_with(i + 1, Vec::new);
                    self.stamp.resize(i + 1, 0);
                }
                self.stamp[i] = mark;
                let log = &mut self.changes[i];
                if log.last().map(|&(_, x)| x) != Some(Some(v)) {
                    log.push((r as u32, Some(v)));
                }
            }
            for &c in &self.present {
                if self.stamp[c.index()] != mark {
                    self.changes[c.index()].push((r as u32, None));
                }
            }
            self.present.clear();
            self.present.extend(round.tally.iter().map(|&(c, _)| c));
            self.indexed += 1;
        }
    }
}

impl History for RoundIndex {
    fn votes(&self, r: usize, c: CandidateId) -> Option<u128> {
        let log = self.changes.get(c.index())?;
        let after = log.partition_point(|&(at, _)| at as usize <= r);
        log[..after].last().and_then(|&(_, v)| v).map(u128::from)
    }

    fn change_rounds(&self, set: &[CandidateId], limit: usize) -> Vec<usize> {
        let mut rounds: Vec<usize> = set
            .iter()
            .filter_map(|c| self.changes.get(c.index()))
            .flat_map(|log| log.iter().map(|&(at, _)| at as usize))
            .filter(|&at| at < limit)
            .collect();
        rounds.sort_unstable();
        rounds.dedup();
        rounds
    }
}

fn narrow_by_rounds(
    set: &mut Vec<CandidateId>,
    kind: TieKind,
    rounds: impl Iterator<Item = usize>,
    history: &dyn History,
) {
    for r in rounds {
        if set.len() < 2 {
            return;
        }
        let votes: Vec<Option<u128>> = set.iter().map(|&c| history.votes(r, c)).collect();
        if votes.iter().any(Option::is_none) {
            continue;
        }
        let votes: Vec<u128> = votes.into_iter().flatten().collect();
        let target = match kind {
            TieKind::Elimination => *votes.iter().min().expect("non-empty"),
            TieKind::Election => *votes.iter().max().expect("non-empty"),
        };
        if votes.iter().all(|&v| v == target) {
            continue;
        }
        let mut i = 0;
        set.retain(|_| {
            let keep = votes[i] == target;
            i += 1;
            keep
        });
    }
}

/// The seeded lot: `order[c]` is candidate c's place in the drawn order.
pub(crate) fn draw_lot(seed: u64, n: usize) -> Vec<u32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut perm: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        let j = bounded(&mut rng, (i + 1) as u64) as usize;
        perm.swap(i, j);
    }
    let mut place = vec![0u32; n];
    for (pos, &c) in perm.iter().enumerate() {
        place[c as usize] = pos as u32;
    }
    place
}

/// An unbiased draw from `0..n` by rejection sampling.
fn bounded(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let v = rng.next_u64();
        if v < zone {
            return v % n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[u16]) -> Vec<CandidateId> {
        v.iter().map(|&i| CandidateId(i)).collect()
    }

    #[test]
    fn previous_rounds_then_order() {
        let chain = TieBreak::default();
        let mut tb = TieBreaker::new(&chain, 3);
        // Round 3 tie between 0 and 1; in round 2 they were 5 and 4.
        let hist = |r: usize, c: CandidateId| Some([[5u128, 5, 1], [5, 4, 1]][r][c.index()]);
        let pick = tb.choose(3, TieKind::Elimination, &ids(&[0, 1]), &hist).unwrap();
        assert_eq!(pick, CandidateId(1));
        assert_eq!(tb.decisions[0].step, TieBreakStep::PreviousRounds);
        // With no history, candidate order: the later one is eliminated.
        let pick = tb.choose(1, TieKind::Elimination, &ids(&[0, 2]), &hist).unwrap();
        assert_eq!(pick, CandidateId(2));
        let pick = tb.choose(1, TieKind::Election, &ids(&[0, 2]), &hist).unwrap();
        assert_eq!(pick, CandidateId(0));
    }

    proptest::proptest! {
        /// The indexed history decides every tie exactly as a scan of every
        /// earlier round does.
        #[test]
        fn indexed_history_decides_as_a_full_scan(
            rounds in proptest::collection::vec(proptest::collection::vec(proptest::option::of(0u64..4), 5), 1..12),
            tied in proptest::collection::btree_set(0u16..5, 2..=5),
            electing in proptest::bool::ANY,
            forwards in proptest::bool::ANY,
        ) {
            use crate::tabulation::Round;
            let rounds: Vec<Round> = rounds
                .iter()
                .map(|votes| Round {
                    tally: votes.iter().enumerate().filter_map(|(c, v)| v.map(|v| (CandidateId(c as u16), v))).collect(),
                    ..Round::default()
                })
                .collect();
            let tied: Vec<CandidateId> = tied.into_iter().map(CandidateId).collect();
            let kind = if electing { TieKind::Election } else { TieKind::Elimination };
            let chain: TieBreak = if forwards { "first-round" } else { "previous-rounds" }.parse().unwrap();
            let scan = |r: usize, c: CandidateId| rounds.get(r).and_then(|x| x.votes(c)).map(u128::from);
            let mut index = RoundIndex::default();
            index.extend(&rounds, rounds.len());
            let round = rounds.len() as u32 + 1;
            let a = TieBreaker::new(&chain, 5).choose(round, kind, &tied, &scan);
            let b = TieBreaker::new(&chain, 5).choose(round, kind, &tied, &index);
            proptest::prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn a_declared_order_is_a_lot_drawn_in_advance() {
        let chain = TieBreak::new(vec![TieBreakStep::CandidateOrder]).unwrap().with_candidate_order(ids(&[2, 0]));
        let mut tb = TieBreaker::new(&chain, 3);
        let none = |_: usize, _: CandidateId| None;
        // 2 is declared first: chosen to be elected, and chosen to be
        // eliminated, as the droop program reads its [tie] line.
        assert_eq!(tb.choose(1, TieKind::Election, &ids(&[0, 2]), &none).unwrap(), CandidateId(2));
        assert_eq!(tb.choose(1, TieKind::Elimination, &ids(&[0, 2]), &none).unwrap(), CandidateId(2));
        // 1 is not declared: it comes after both.
        assert_eq!(tb.choose(1, TieKind::Elimination, &ids(&[0, 1]), &none).unwrap(), CandidateId(0));
        assert_eq!(tb.choose(1, TieKind::Election, &ids(&[1, 0]), &none).unwrap(), CandidateId(0));
        assert_eq!(chain.candidate_order(), Some(&ids(&[2, 0])[..]));
    }

    #[test]
    fn unresolved_is_an_error() {
        let chain: TieBreak = "previous-rounds".parse().unwrap();
        let mut tb = TieBreaker::new(&chain, 2);
        let none = |_: usize, _: CandidateId| None;
        let err = tb.choose(1, TieKind::Elimination, &ids(&[0, 1]), &none).unwrap_err();
        assert!(matches!(err, CountError::UnresolvedTie { round: 1, .. }));
    }

    #[test]
    fn lot_is_a_seeded_permutation() {
        let a = draw_lot(42, 10);
        assert_eq!(a, draw_lot(42, 10));
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert!((0..20).any(|s| draw_lot(s, 10) != a));
    }

    #[test]
    fn parse_errors() {
        assert_eq!("".parse::<TieBreak>().unwrap_err(), TieBreakError::Empty);
        assert!(matches!("coin".parse::<TieBreak>(), Err(TieBreakError::UnknownStep(_))));
    }
}
