//! RCTab's tabulation: rounds of instant-runoff counting over cast-vote
//! records, with every option of an RCTab contest configuration.
//!
//! Each round every ballot counts for its highest-ranked continuing
//! candidate, or becomes inactive for a reason (an overvote, too many
//! skipped ranks, a repeated candidate, no continuing choice left). Then
//! either the candidates who reach the threshold are elected (in a
//! multi-seat count their surplus passes on at a fractional value) or one
//! or more candidates are eliminated: undeclared write-ins first, then
//! anyone under the minimum vote threshold, then a batch of
//! mathematically-defeated candidates (if batch elimination is on), else
//! the last-placed candidate, ties broken by the configured
//! [`TiebreakMode`]. Votes are fixed-point decimals cut to
//! `decimalPlacesForVoteArithmetic` places ([`Decimal`]). This follows
//! RCTab's `Tabulator` (BrightSpots/rcv), including the orders in which it
//! lists candidates, which are those of Java hash maps keyed by name
//! ([`crate::java`]).

use std::collections::{BTreeMap, HashMap};

use crate::config::{OvervoteRule, TiebreakMode, WinnerElectionMode};
use crate::decimal::{Decimal, Rounding};
use crate::java::{hash_map_capacity, hash_order, hash_set_copy_capacity, JavaRandom};

/// The label RCTab counts undeclared write-ins under.
pub const UNDECLARED_WRITE_INS: &str = "Undeclared Write-ins";
/// Where transfers to no candidate go in the transfer reports.
pub const EXHAUSTED: &str = "exhausted";
/// Where surplus lost to rounding goes in the transfer reports.
pub const RESIDUAL_SURPLUS: &str = "residual surplus";
/// The source of first-round "transfers" in the transfer records.
pub const UNCOUNTED: &str = "uncounted";

/// A ballot's status in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Counting for a candidate.
    Active,
    /// Ranked nobody at all.
    DidNotRankAnyCandidates,
    /// Exhausted by an overvote.
    Overvote,
    /// Exhausted by too many skipped ranks.
    SkippedRanking,
    /// Exhausted by a repeated candidate.
    RepeatedRanking,
    /// No continuing candidate left on it.
    ExhaustedChoice,
    /// Surplus left with the last winners when the count ends.
    FinalRoundSurplus,
}

const STATUSES: usize = 7;

/// The candidates of a count, by index: the declared ones in configuration
/// order, then undeclared write-ins if the contest has them.
#[derive(Clone, Debug)]
pub struct Candidates {
    /// Display names.
    pub names: Vec<String>,
    /// Whether each is excluded from the count.
    pub excluded: Vec<bool>,
    /// The index of "Undeclared Write-ins", if present.
    pub undeclared_write_ins: Option<usize>,
}

impl Candidates {
    /// The index standing for an unnamed overvote mark (never a candidate).
    pub fn overvote(&self) -> usize {
        self.names.len()
    }

    /// Candidates that take part (not excluded), write-ins included.
    pub fn num_candidates(&self) -> usize {
        self.excluded.iter().filter(|e| !**e).count()
    }

    /// Declared candidates that take part (not excluded, not write-ins).
    pub fn num_declared(&self) -> usize {
        self.num_candidates() - usize::from(self.undeclared_write_ins.is_some_and(|u| !self.excluded[u]))
    }
}

/// One ballot, its marks resolved to candidate indices.
#[derive(Clone, Debug)]
pub struct Ballot {
    /// The record's id.
    pub id: String,
    /// Its precinct, if known.
    pub precinct: Option<String>,
    /// Its batch, if known.
    pub batch: Option<String>,
    /// `(rank, candidate)` sorted by rank (stable); an overvote mark is [`Candidates::overvote`].
    pub marks: Box<[(u32, u32)]>,
    /// How many identical ballots this one stands for.
    pub weight: u64,
}

impl Ballot {
    fn max_rank(&self) -> u32 {
        self.marks.last().map_or(0, |m| m.0)
    }
}

/// The rules the tabulator needs, resolved from the configuration.
#[derive(Clone, Debug)]
pub struct Rules {
    /// Seats to fill in this count (1 for each pass of a sequential count).
    pub seats: u32,
    /// The winner election mode.
    pub mode: WinnerElectionMode,
    /// The tie-break mode.
    pub tiebreak: TiebreakMode,
    /// The overvote rule.
    pub overvote: OvervoteRule,
    /// Seed for random tie-breaks.
    pub random_seed: Option<i64>,
    /// Candidate order for permutation tie-breaks (names).
    pub permutation: Vec<String>,
    /// Decimal places of vote arithmetic.
    pub places: u32,
    /// Minimum vote threshold.
    pub minimum_vote_threshold: Decimal,
    /// Maximum skipped ranks (`None`: unlimited).
    pub max_skipped: Option<u32>,
    /// Percentage threshold of bottoms-up (as a fraction).
    pub bottoms_up_percentage: Option<Decimal>,
    /// Threshold with decimals.
    pub non_integer_threshold: bool,
    /// First round fixes the threshold.
    pub first_round_determines_threshold: bool,
    /// Hare quota.
    pub hare_quota: bool,
    /// Batch elimination.
    pub batch_elimination: bool,
    /// Cutoff elimination (percentage bottoms-up).
    pub cutoff_elimination: bool,
    /// Continue until two remain.
    pub continue_until_two: bool,
    /// Stop after this round.
    pub stop_after_round: Option<u32>,
    /// Exhaust on a duplicate candidate.
    pub exhaust_on_duplicate: bool,
    /// Tabulate by precinct.
    pub by_precinct: bool,
    /// Tabulate by batch.
    pub by_batch: bool,
    /// What decides a tie the configuration leaves to an operator.
    pub operator: OperatorDecision,
}

/// What decides the ties that `stopCountingAndAsk` and
/// `previousRoundCountsThenAsk` leave to an operator (psephos cannot ask).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum OperatorDecision {
    /// Stop with an error naming the tied candidates.
    #[default]
    Stop,
    /// The configuration's candidate order: the earliest listed wins a tie, the latest loses one.
    CandidateOrder(Vec<String>),
    /// A random choice drawn from Java's `Random` with this seed.
    Random(i64),
}

impl Rules {
    fn uses_surpluses(&self) -> bool {
        self.seats > 1
            && !matches!(
                self.mode,
                WinnerElectionMode::BottomsUp | WinnerElectionMode::BottomsUpUsingPercentageThreshold
            )
    }

    fn percentage_mode(&self) -> bool {
        self.mode == WinnerElectionMode::BottomsUpUsingPercentageThreshold
    }
}

/// The counts of one round.
#[derive(Clone, Debug)]
pub struct RoundTally {
    /// The round, from 1.
    pub round: u32,
    /// Candidates in the tally, in insertion order.
    keys: Vec<usize>,
    /// Tallies by candidate index (`None`: not in this round).
    tallies: Vec<Option<Decimal>>,
    /// Ballot values by status.
    statuses: [Decimal; STATUSES],
    /// The threshold to win.
    pub threshold: Decimal,
}

impl RoundTally {
    fn new(round: u32, size: usize, candidates: impl Iterator<Item = usize>) -> RoundTally {
        let keys: Vec<usize> = candidates.collect();
        let mut tallies = vec![None; size];
        for &k in &keys {
            tallies[k] = Some(Decimal::ZERO);
        }
        RoundTally { round, tallies, keys, statuses: [Decimal::ZERO; STATUSES], threshold: Decimal::ZERO }
    }

    fn add_candidate(&mut self, candidate: usize, value: Decimal) {
        self.statuses[Status::Active as usize] = self.statuses[Status::Active as usize].add(value);
        let t = self.tallies[candidate].get_or_insert(Decimal::ZERO);
        *t = t.add(value);
    }

    fn add_status(&mut self, status: Status, value: Decimal) {
        self.statuses[status as usize] = self.statuses[status as usize].add(value);
    }

    fn set_candidate(&mut self, candidate: usize, value: Decimal) {
        if self.tallies[candidate].replace(value).is_none() {
            self.keys.push(candidate);
        }
    }

    /// A candidate's tally, if the candidate is in this round.
    pub fn tally(&self, candidate: usize) -> Option<Decimal> {
        self.tallies.get(candidate).copied().flatten()
    }

    /// The candidates in the order RCTab's hash map of this round lists them.
    pub fn candidates_in_map_order(&self, names: &[String]) -> Vec<usize> {
        let keyed: Vec<&str> = self.keys.iter().map(|&k| names[k].as_str()).collect();
        hash_order(&keyed, hash_map_capacity(keyed.len())).into_iter().map(|i| self.keys[i]).collect()
    }

    /// The candidates in this round (any order).
    pub fn candidates(&self) -> &[usize] {
        &self.keys
    }

    /// Ballot value with this status.
    pub fn status(&self, status: Status) -> Decimal {
        self.statuses[status as usize]
    }

    /// Value of the active ballots.
    pub fn active_sum(&self) -> Decimal {
        self.status(Status::Active)
    }

    /// Value of the inactive ballots (not counting final-round surplus).
    pub fn inactive_sum(&self) -> Decimal {
        [
            Status::DidNotRankAnyCandidates,
            Status::Overvote,
            Status::SkippedRanking,
            Status::RepeatedRanking,
            Status::ExhaustedChoice,
        ]
        .iter()
        .fold(Decimal::ZERO, |acc, s| acc.add(self.status(*s)))
    }

    /// Votes held by candidates, continuing or already elected, plus final-round surplus.
    pub fn active_and_locked_in_sum(&self) -> Decimal {
        self.keys
            .iter()
            .fold(self.status(Status::FinalRoundSurplus), |acc, k| acc.add(self.tallies[*k].unwrap_or(Decimal::ZERO)))
    }
}

/// Transfers of votes: round → source → target → value.
#[derive(Clone, Debug, Default)]
pub struct Transfers {
    map: BTreeMap<u32, BTreeMap<String, BTreeMap<String, Decimal>>>,
}

impl Transfers {
    fn add(&mut self, round: u32, source: &str, target: &str, value: Decimal) {
        let t = self
            .map
            .entry(round)
            .or_default()
            .entry(source.to_owned())
            .or_default()
            .entry(target.to_owned())
            .or_insert(Decimal::ZERO);
        *t = t.add(value);
    }

    /// Transfers recorded in `round` from `source`, by target.
    pub fn from(&self, round: u32, source: &str) -> Option<&BTreeMap<String, Decimal>> {
        self.map.get(&round).and_then(|r| r.get(source))
    }
}

/// A count split by precinct or by batch: the same decisions, the slice's ballots.
#[derive(Clone, Debug, Default)]
pub struct SliceResults {
    /// Per slice id: the rounds.
    pub rounds: BTreeMap<String, Vec<RoundTally>>,
    /// Per slice id: the transfers.
    pub transfers: BTreeMap<String, Transfers>,
}

/// Everything a count produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The rounds.
    pub rounds: Vec<RoundTally>,
    /// Eliminations in the order they were made: (candidate, round).
    pub eliminated: Vec<(usize, u32)>,
    /// Elections in the order they were made: (candidate, round).
    pub elected: Vec<(usize, u32)>,
    /// Transfers of votes.
    pub transfers: Transfers,
    /// Residual surplus accumulated by the end of each round (index = round - 1).
    pub residual_surplus: Vec<Decimal>,
    /// By-precinct results, when asked for.
    pub by_precinct: Option<SliceResults>,
    /// By-batch results, when asked for.
    pub by_batch: Option<SliceResults>,
    /// Every ballot's allocation per round (candidate, value), for CDF output.
    pub snapshots: Vec<Vec<Vec<(usize, Decimal)>>>,
    /// Candidates elected or eliminated by breaking a tie.
    pub tie_broken: Vec<usize>,
}

/// Why a count could not finish.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TabulateError {
    /// A tie that only an operator may break.
    #[error("round {round}: a tie between {} must be broken by an operator (the configuration's tiebreakMode asks); psephos rctab decides it with --tie-break candidate-order or --tie-break random --seed N", .candidates.join(", "))]
    TieNeedsOperator {
        /// The round.
        round: u32,
        /// The tied candidates.
        candidates: Vec<String>,
    },
    /// Every declared candidate is under the minimum vote threshold.
    #[error("round {0}: every declared candidate is under the minimum vote threshold")]
    AllBelowMinimum(u32),
    /// Tabulating by slice was asked for, but no ballot names one.
    #[error("tabulating by {0} was asked for, but the cast vote records name no {0}")]
    NoSlices(&'static str),
    /// An explicit overvote label met an overvote rule that cannot apply to it.
    #[error("record {0}: an overvote label can only be counted under exhaustImmediately or alwaysSkipToNextRank")]
    OvervoteLabelRule(String),
    /// A rank held an overvote label together with candidates.
    #[error("record {0}: a rank holds the overvote label together with candidates")]
    OvervoteLabelWithCandidates(String),
    /// No candidate could be eliminated.
    #[error("round {0}: no candidate could be eliminated")]
    NoElimination(u32),
    /// A random tie-break without a seed.
    #[error("a random tie-break needs rules.randomSeed")]
    NoSeed,
    /// `continueUntilTwoCandidatesRemain` with fewer than two candidates
    /// taking part: no round would be counted.
    #[error("continueUntilTwoCandidatesRemain counts until two candidates remain, but {0} candidate(s) take part (declared and not excluded); declare at least two, or turn the setting off")]
    TooFewToContinue(usize),
    /// Vote arithmetic at this many places would overflow 128-bit
    /// fixed-point decimals (RCTab counts in arbitrary precision).
    #[error("decimalPlacesForVoteArithmetic is {places}: with {ballots} ballots, products and quotients of votes would need more than {DIGITS} digits; psephos counts votes in 128-bit fixed point, so use at most {max} places here")]
    Precision {
        /// The places asked for.
        places: u32,
        /// The ballots counted.
        ballots: u128,
        /// The most places this count can use.
        max: u32,
    },
}

/// The decimal digits a vote value may use: 128-bit fixed point holds 38.
const DIGITS: u32 = 38;
/// Digits kept free above the largest product or quotient of votes (the
/// percentages of the reports scale a share by up to 10^7 more).
const HEADROOM: u32 = 8;

/// Checks that `places` decimal places leave room for every product and
/// quotient of votes over `ballots` ballots: a value of at most `ballots`
/// at `places` places times a fraction at `places` places holds at most the
/// total's digits plus twice the places, which with [`HEADROOM`] must fit
/// in [`DIGITS`]. An overflow would otherwise give a wrong count.
fn check_precision(ballots: u128, places: u32) -> Result<(), TabulateError> {
    let digits = ballots.max(1).ilog10() + 1;
    let max = DIGITS.saturating_sub(HEADROOM + digits) / 2;
    if places > max {
        return Err(TabulateError::Precision { places, ballots, max });
    }
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CandidateStatus {
    Continuing,
    Winner,
    Eliminated,
    Excluded,
    Invalid,
}

#[derive(Clone, Debug)]
struct BallotState {
    recipient: Option<usize>,
    status: Status,
    winner_fractions: Vec<(usize, Decimal)>,
}

impl BallotState {
    fn value(&self) -> Decimal {
        self.winner_fractions.iter().fold(Decimal::ONE, |acc, (_, v)| acc.sub(*v))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OvervoteDecision {
    None,
    Exhaust,
    SkipToNextRank,
}

/// Which slice kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SliceKind {
    Precinct,
    Batch,
}

struct Slices {
    kind: SliceKind,
    ids: Vec<String>,
    index: HashMap<String, usize>,
    rounds: Vec<Vec<RoundTally>>,
    transfers: Vec<Transfers>,
    current: Vec<RoundTally>,
}

struct Tabulator<'a> {
    candidates: &'a Candidates,
    ballots: &'a [Ballot],
    rules: &'a Rules,
    random: Option<JavaRandom>,
    permutation: Vec<String>,
    rounds: Vec<RoundTally>,
    eliminated: Vec<(usize, u32)>,
    elected: Vec<(usize, u32)>,
    status: Vec<CandidateStatus>,
    transfers: Transfers,
    residual: Vec<Decimal>,
    states: Vec<BallotState>,
    slices: Vec<Slices>,
    slice_of: Vec<Vec<Option<usize>>>,
    snapshots: Vec<Vec<Vec<(usize, Decimal)>>>,
    keep_snapshots: bool,
    tie_broken: Vec<usize>,
    operator_random: Option<JavaRandom>,
}

/// Count the ballots.
///
/// # Errors
///
/// [`TabulateError`] when the count cannot finish (a tie only an operator
/// may break, every candidate under the minimum threshold, slices asked for
/// but absent, an overvote label under an incompatible rule).
pub fn tabulate(
    candidates: &Candidates,
    ballots: &[Ballot],
    rules: &Rules,
    keep_snapshots: bool,
) -> Result<Outcome, TabulateError> {
    check_precision(ballots.iter().map(|b| u128::from(b.weight)).sum(), rules.places)?;
    if rules.continue_until_two && candidates.num_candidates() < 2 {
        return Err(TabulateError::TooFewToContinue(candidates.num_candidates()));
    }
    let mut status: Vec<CandidateStatus> = candidates
        .excluded
        .iter()
        .map(|&e| if e { CandidateStatus::Excluded } else { CandidateStatus::Continuing })
        .collect();
    status.push(CandidateStatus::Invalid);
    let mut random = None;
    let mut permutation = rules.permutation.clone();
    if rules.tiebreak.needs_seed() {
        let mut r = JavaRandom::new(rules.random_seed.ok_or(TabulateError::NoSeed)?);
        if rules.tiebreak == TiebreakMode::GeneratePermutation {
            permutation.sort();
            r.shuffle(&mut permutation);
        } else {
            random = Some(r);
        }
    }
    let mut slices = Vec::new();
    let mut slice_of = Vec::new();
    for (kind, wanted, label) in
        [(SliceKind::Batch, rules.by_batch, "batch"), (SliceKind::Precinct, rules.by_precinct, "precinct")]
    {
        if !wanted {
            continue;
        }
        let mut ids: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut of = Vec::with_capacity(ballots.len());
        for b in ballots {
            let id = match kind {
                SliceKind::Precinct => b.precinct.as_ref(),
                SliceKind::Batch => b.batch.as_ref(),
            };
            of.push(id.map(|id| {
                *index.entry(id.clone()).or_insert_with(|| {
                    ids.push(id.clone());
                    ids.len() - 1
                })
            }));
        }
        if ids.is_empty() {
            return Err(TabulateError::NoSlices(label));
        }
        let n = ids.len();
        slices.push(Slices {
            kind,
            ids,
            index,
            rounds: vec![Vec::new(); n],
            transfers: vec![Transfers::default(); n],
            current: Vec::new(),
        });
        slice_of.push(of);
    }
    let mut t = Tabulator {
        candidates,
        ballots,
        rules,
        random,
        permutation,
        rounds: Vec::new(),
        eliminated: Vec::new(),
        elected: Vec::new(),
        status,
        transfers: Transfers::default(),
        residual: Vec::new(),
        states: vec![
            BallotState { recipient: None, status: Status::Active, winner_fractions: Vec::new() };
            ballots.len()
        ],
        slices,
        slice_of,
        snapshots: if keep_snapshots { vec![Vec::new(); ballots.len()] } else { Vec::new() },
        keep_snapshots,
        tie_broken: Vec::new(),
        operator_random: None,
    };
    t.run()?;
    let mut by_precinct = None;
    let mut by_batch = None;
    for s in t.slices {
        let mut results = SliceResults::default();
        for (i, id) in s.ids.iter().enumerate() {
            results.rounds.insert(id.clone(), s.rounds[i].clone());
            results.transfers.insert(id.clone(), s.transfers[i].clone());
        }
        let _ = &s.index;
        match s.kind {
            SliceKind::Precinct => by_precinct = Some(results),
            SliceKind::Batch => by_batch = Some(results),
        }
    }
    Ok(Outcome {
        rounds: t.rounds,
        eliminated: t.eliminated,
        elected: t.elected,
        transfers: t.transfers,
        residual_surplus: t.residual,
        by_precinct,
        by_batch,
        snapshots: t.snapshots,
        tie_broken: t.tie_broken,
    })
}

impl Tabulator<'_> {
    fn name(&self, c: usize) -> &str {
        &self.candidates.names[c]
    }

    fn is_continuing(&self, c: usize) -> bool {
        match self.status[c] {
            CandidateStatus::Continuing => true,
            CandidateStatus::Winner => self.rules.continue_until_two,
            _ => false,
        }
    }

    fn num_candidates(&self) -> usize {
        self.candidates.num_candidates()
    }

    fn current_round(&self) -> u32 {
        self.rounds.len() as u32
    }

    fn should_continue(&self) -> bool {
        let round = self.current_round();
        if self.rules.stop_after_round.is_some_and(|s| round >= s) {
            return false;
        }
        let winners = self.elected.len();
        if winners == self.candidates.num_declared() && self.rules.seats as usize > self.num_candidates() {
            return false;
        }
        if self.rules.continue_until_two {
            return self.eliminated.len() + winners + 1 < self.num_candidates()
                || self.eliminated.iter().any(|&(_, r)| r == round);
        }
        if self.rules.percentage_mode() {
            return winners == 0;
        }
        winners < self.rules.seats as usize
            || (self.rules.uses_surpluses() && self.elected.iter().any(|&(_, r)| r == round))
    }

    fn run(&mut self) -> Result<(), TabulateError> {
        while self.should_continue() {
            let round = self.current_round() + 1;
            let tally = self.compute_round(round)?;
            self.rounds.push(tally);
            self.residual.push(self.residual.last().copied().unwrap_or(Decimal::ZERO));
            let recompute = if self.rules.seats > 1 {
                round == 1
            } else {
                round == 1 || (!self.rules.first_round_determines_threshold && self.elected.is_empty())
            };
            let threshold = if recompute {
                self.threshold_for(self.rounds.last().expect("round").active_sum())
            } else {
                self.rounds[self.rounds.len() - 2].threshold
            };
            self.set_threshold(threshold);
            let by_tally = self.tally_to_candidates(self.rounds.last().expect("round"), None);
            let winners = self.identify_winners(&by_tally)?;
            if !winners.is_empty() {
                for &w in &winners {
                    self.elected.push((w, round));
                    self.status[w] = CandidateStatus::Winner;
                }
                if self.rules.uses_surpluses() {
                    self.distribute_surplus(&winners);
                }
            } else if self.elected.len() < self.rules.seats as usize
                || (self.rules.continue_until_two && self.eliminated.len() + 2 < self.num_candidates())
                || self.rules.percentage_mode()
            {
                let mut eliminated = self.drop_undeclared_write_ins();
                if eliminated.is_empty() {
                    eliminated = self.drop_below_minimum(&by_tally);
                    if eliminated.len() == self.candidates.num_declared() {
                        return Err(TabulateError::AllBelowMinimum(round));
                    }
                }
                if eliminated.is_empty() && self.rules.cutoff_elimination && self.rules.percentage_mode() {
                    eliminated = self.cutoff(&by_tally);
                }
                if eliminated.is_empty() {
                    eliminated = self.batch_eliminate(&by_tally);
                }
                if eliminated.is_empty() {
                    eliminated = vec![self.regular_elimination(&by_tally)?];
                }
                for c in eliminated {
                    self.eliminated.push((c, round));
                    self.status[c] = CandidateStatus::Eliminated;
                }
            }
            if self.rules.seats > 1 {
                self.update_winner_tallies();
            }
        }
        Ok(())
    }

    fn set_threshold(&mut self, threshold: Decimal) {
        self.rounds.last_mut().expect("round").threshold = threshold;
        for s in &mut self.slices {
            for rounds in &mut s.rounds {
                if let Some(r) = rounds.last_mut() {
                    r.threshold = threshold;
                }
            }
        }
    }

    fn threshold_for(&self, active: Decimal) -> Decimal {
        let rules = self.rules;
        let mut threshold = if let Some(p) = rules.bottoms_up_percentage.filter(|_| rules.percentage_mode()) {
            active.mul_exact(p)
        } else {
            let divisor = Decimal::from_int(i64::from(if rules.hare_quota { rules.seats } else { rules.seats + 1 }));
            let places = if rules.non_integer_threshold { rules.places } else { 0 };
            if rules.hare_quota {
                active.div(divisor, places, Rounding::Up).expect("nonzero divisor")
            } else {
                active.div(divisor, places, Rounding::Down).expect("nonzero divisor").add(Decimal::new(1, places))
            }
        };
        let minimum = rules.minimum_vote_threshold;
        if minimum.signum() == 1 && minimum > threshold {
            threshold = minimum;
        }
        threshold
    }

    /// Candidates grouped by tally, lowest first; each group in the round's hash-map order.
    fn tally_to_candidates(&self, tally: &RoundTally, include: Option<&[usize]>) -> BTreeMap<Decimal, Vec<usize>> {
        let mut map: BTreeMap<Decimal, Vec<usize>> = BTreeMap::new();
        let order = match include {
            None => tally.candidates_in_map_order(&self.candidates.names),
            Some(list) => {
                let names: Vec<&str> = list.iter().map(|&c| self.name(c)).collect();
                hash_order(&names, hash_set_copy_capacity(names.len())).into_iter().map(|i| list[i]).collect()
            }
        };
        for c in order {
            let v = tally.tally(c).unwrap_or(Decimal::ZERO);
            map.entry(v).or_default().push(c);
        }
        map
    }

    fn active_candidates(&self) -> usize {
        self.rounds.last().map_or(0, |r| r.candidates().len())
    }

    fn identify_winners(&mut self, by_tally: &BTreeMap<Decimal, Vec<usize>>) -> Result<Vec<usize>, TabulateError> {
        let round = self.current_round();
        let tally = self.rounds.last().expect("round");
        if let Some(u) = self.candidates.undeclared_write_ins {
            if tally.tally(u).is_some_and(|v| v.signum() != 0) {
                return Ok(Vec::new());
            }
        }
        let rules = self.rules;
        let mut selected: Vec<usize> = Vec::new();
        if rules.percentage_mode() {
            let threshold = tally.threshold;
            let above = tally.candidates().iter().filter(|&&c| tally.tally(c).is_some_and(|v| v > threshold)).count();
            if above == tally.candidates().len() {
                selected = tally.candidates_in_map_order(&self.candidates.names);
            }
            return Ok(selected);
        }
        let unfilled = rules.seats as i64 - self.elected.len() as i64;
        let active = self.active_candidates() as i64;
        if unfilled > 0 {
            if active <= unfilled {
                selected = tally.candidates_in_map_order(&self.candidates.names);
            } else if rules.first_round_determines_threshold && active - 1 == i64::from(rules.seats) {
                selected = by_tally.values().next_back().cloned().unwrap_or_default();
            } else if rules.mode != WinnerElectionMode::BottomsUp {
                for (votes, cands) in by_tally {
                    if *votes >= tally.threshold {
                        selected.extend(cands.iter().filter(|&&c| Some(c) != self.candidates.undeclared_write_ins));
                    }
                }
            }
        }
        let only_one = selected.len() > 1
            && (rules.mode == WinnerElectionMode::MultiWinnerAllowOnlyOneWinnerPerRound
                || rules.first_round_determines_threshold);
        let no_winners = rules.seats == 1
            && selected.is_empty()
            && active == 2
            && unfilled == 1
            && by_tally.keys().all(|k| *k >= rules.minimum_vote_threshold);
        if only_one || no_winners {
            let (max, top) =
                by_tally.iter().next_back().map(|(k, v)| (*k, v.clone())).unwrap_or((Decimal::ZERO, Vec::new()));
            selected = top;
            if selected.len() > 1 {
                let w = self.break_tie(true, selected, round, max)?;
                selected = vec![w];
            }
        }
        Ok(selected)
    }

    fn distribute_surplus(&mut self, winners: &[usize]) {
        let tally = self.rounds.last().expect("round");
        let threshold = tally.threshold;
        for &w in winners {
            let votes = tally.tally(w).unwrap_or(Decimal::ZERO);
            let extra = votes.sub(threshold);
            let fraction = if extra.signum() == 1 {
                extra.div(votes, self.rules.places, Rounding::Down).unwrap_or(Decimal::ZERO)
            } else {
                Decimal::ZERO
            };
            for state in &mut self.states {
                if state.recipient == Some(w) {
                    let value = state.value();
                    let transfer = value.mul(fraction, self.rules.places, Rounding::Down);
                    let kept = value.sub(transfer);
                    match state.winner_fractions.iter_mut().find(|(c, _)| *c == w) {
                        Some(entry) => entry.1 = kept,
                        None => state.winner_fractions.push((w, kept)),
                    }
                }
            }
        }
    }

    fn update_winner_tallies(&mut self) {
        let round = self.current_round();
        let to_process: Vec<(usize, bool)> =
            self.elected.iter().filter(|&&(_, r)| r != round).map(|&(c, r)| (c, r + 1 == round)).collect();
        let n = self.rounds.len();
        for &(w, fresh) in &to_process {
            let v = if fresh { Decimal::ZERO } else { self.rounds[n - 2].tally(w).unwrap_or(Decimal::ZERO) };
            self.rounds[n - 1].set_candidate(w, v);
            for s in &mut self.slices {
                for rounds in &mut s.rounds {
                    let m = rounds.len();
                    let v = if fresh { Decimal::ZERO } else { rounds[m - 2].tally(w).unwrap_or(Decimal::ZERO) };
                    rounds[m - 1].set_candidate(w, v);
                }
            }
        }
        let fresh: Vec<usize> = to_process.iter().filter(|x| x.1).map(|x| x.0).collect();
        if fresh.is_empty() {
            return;
        }
        for (b, state) in self.states.iter().enumerate() {
            let weight = self.ballots[b].weight;
            for &(w, v) in &state.winner_fractions {
                if !fresh.contains(&w) {
                    continue;
                }
                let v = v.times(weight);
                let r = &mut self.rounds[n - 1];
                let t = r.tally(w).unwrap_or(Decimal::ZERO).add(v);
                r.set_candidate(w, t);
                for (k, s) in self.slices.iter_mut().enumerate() {
                    if let Some(i) = self.slice_of[k][b] {
                        let rounds = &mut s.rounds[i];
                        let m = rounds.len();
                        let t = rounds[m - 1].tally(w).unwrap_or(Decimal::ZERO).add(v);
                        rounds[m - 1].set_candidate(w, t);
                    }
                }
            }
        }
        let names = self.candidates.names.clone();
        for w in fresh {
            let r = &mut self.rounds[n - 1];
            let total = r.tally(w).unwrap_or(Decimal::ZERO);
            let residual = total.sub(r.threshold);
            if residual.signum() == 1 {
                let threshold = r.threshold;
                r.set_candidate(w, threshold);
                let last = self.residual.last_mut().expect("round");
                *last = last.add(residual);
                self.transfers.add(round, &names[w], RESIDUAL_SURPLUS, residual);
            }
        }
    }

    fn drop_undeclared_write_ins(&self) -> Vec<usize> {
        let tally = self.rounds.last().expect("round");
        match self.candidates.undeclared_write_ins {
            Some(u) if tally.tally(u).is_some_and(|v| v.signum() == 1) => vec![u],
            _ => Vec::new(),
        }
    }

    fn drop_below_minimum(&self, by_tally: &BTreeMap<Decimal, Vec<usize>>) -> Vec<usize> {
        let threshold = self.rules.minimum_vote_threshold;
        let mut out = Vec::new();
        if threshold.signum() == 1 && by_tally.keys().next().is_some_and(|k| *k < threshold) {
            for (k, cands) in by_tally {
                if *k < threshold {
                    out.extend(cands);
                } else {
                    break;
                }
            }
        }
        out
    }

    fn cutoff(&self, by_tally: &BTreeMap<Decimal, Vec<usize>>) -> Vec<usize> {
        let threshold = self.rounds.last().expect("round").threshold;
        by_tally.iter().take_while(|(k, _)| **k < threshold).flat_map(|(_, c)| c.iter().copied()).collect()
    }

    fn batch_eliminate(&self, by_tally: &BTreeMap<Decimal, Vec<usize>>) -> Vec<usize> {
        if !self.rules.batch_elimination {
            return Vec::new();
        }
        let mut running = Decimal::ZERO;
        let mut seen: Vec<usize> = Vec::new();
        let mut eliminated: Vec<usize> = Vec::new();
        let mut previous: Vec<usize> = Vec::new();
        for (votes, cands) in by_tally {
            let mut next = eliminated.clone();
            if running < *votes {
                for &c in &seen {
                    if !next.contains(&c) {
                        next.push(c);
                    }
                }
            }
            let total = votes.mul(Decimal::from_int(cands.len() as i64), self.rules.places, Rounding::Down);
            running = running.add(total);
            seen.extend(cands);
            if next.len() > eliminated.len() {
                previous = std::mem::replace(&mut eliminated, next);
            }
        }
        if self.rules.continue_until_two && eliminated.len() + self.eliminated.len() == self.num_candidates() - 1 {
            eliminated = previous;
        }
        if eliminated.len() > 1 {
            eliminated
        } else {
            Vec::new()
        }
    }

    fn regular_elimination(&mut self, by_tally: &BTreeMap<Decimal, Vec<usize>>) -> Result<usize, TabulateError> {
        let round = self.current_round();
        let (min, last) =
            by_tally.iter().next().map(|(k, v)| (*k, v.clone())).ok_or(TabulateError::NoElimination(round))?;
        if last.len() > 1 {
            self.break_tie(false, last, round, min)
        } else {
            Ok(last[0])
        }
    }

    /// RCTab's `Tiebreak`: choose a winner (or a loser) among tied candidates.
    fn break_tie(
        &mut self,
        selecting_winner: bool,
        tied: Vec<usize>,
        round: u32,
        votes: Decimal,
    ) -> Result<usize, TabulateError> {
        let chosen = self.choose_in_tie(selecting_winner, tied, round, votes)?;
        self.tie_broken.push(chosen);
        Ok(chosen)
    }

    fn choose_in_tie(
        &mut self,
        selecting_winner: bool,
        mut tied: Vec<usize>,
        round: u32,
        _votes: Decimal,
    ) -> Result<usize, TabulateError> {
        let names = &self.candidates.names;
        tied.sort_by(|a, b| names[*a].cmp(&names[*b]));
        match self.rules.tiebreak {
            TiebreakMode::Random => Ok(self.random_pick(&tied)),
            TiebreakMode::StopCountingAndAsk => self.ask(selecting_winner, round, &tied),
            TiebreakMode::UseCandidateOrder | TiebreakMode::GeneratePermutation => {
                let in_order = |p: &String| tied.iter().copied().find(|&c| &names[c] == p);
                let found = if selecting_winner {
                    self.permutation.iter().find_map(in_order)
                } else {
                    self.permutation.iter().rev().find_map(in_order)
                };
                Ok(found.unwrap_or(tied[0]))
            }
            TiebreakMode::PreviousRoundCountsThenRandom | TiebreakMode::PreviousRoundCountsThenAsk => {
                let mut contention = tied;
                for compare in (1..round).rev() {
                    let tally = &self.rounds[compare as usize - 1];
                    let by = self.tally_to_candidates(tally, Some(&contention));
                    let group = if selecting_winner { by.values().next_back() } else { by.values().next() };
                    contention = group.cloned().unwrap_or_default();
                    if contention.len() == 1 {
                        return Ok(contention[0]);
                    }
                }
                if self.rules.tiebreak == TiebreakMode::PreviousRoundCountsThenAsk {
                    self.ask(selecting_winner, round, &contention)
                } else {
                    Ok(self.random_pick(&contention))
                }
            }
        }
    }

    fn random_pick(&mut self, tied: &[usize]) -> usize {
        let r = self.random.as_mut().expect("seeded when the mode is random");
        let x = r.next_double();
        let i = (x * tied.len() as f64).floor() as usize;
        tied[i.min(tied.len() - 1)]
    }

    fn ask(&mut self, selecting_winner: bool, round: u32, tied: &[usize]) -> Result<usize, TabulateError> {
        match &self.rules.operator {
            OperatorDecision::Stop => Err(TabulateError::TieNeedsOperator {
                round,
                candidates: tied.iter().map(|&c| self.name(c).to_owned()).collect(),
            }),
            OperatorDecision::CandidateOrder(order) => {
                let names = &self.candidates.names;
                let in_order = |p: &String| tied.iter().copied().find(|&c| &names[c] == p);
                let found = if selecting_winner {
                    order.iter().find_map(in_order)
                } else {
                    order.iter().rev().find_map(in_order)
                };
                Ok(found.unwrap_or(tied[0]))
            }
            OperatorDecision::Random(seed) => {
                let seed = *seed;
                let r = self.operator_random.get_or_insert_with(|| JavaRandom::new(seed));
                let i = (r.next_double() * tied.len() as f64).floor() as usize;
                Ok(tied[i.min(tied.len() - 1)])
            }
        }
    }

    fn overvote_decision(&self, ballot: usize, cands: &[(u32, u32)]) -> Result<OvervoteDecision, TabulateError> {
        let overvote = self.candidates.overvote() as u32;
        let rule = self.rules.overvote;
        if cands.iter().any(|&(_, c)| c == overvote) {
            if cands.len() != 1 {
                return Err(TabulateError::OvervoteLabelWithCandidates(self.ballots[ballot].id.clone()));
            }
            return match rule {
                OvervoteRule::ExhaustImmediately => Ok(OvervoteDecision::Exhaust),
                OvervoteRule::AlwaysSkipToNextRank => Ok(OvervoteDecision::SkipToNextRank),
                OvervoteRule::ExhaustIfMultipleContinuing => {
                    Err(TabulateError::OvervoteLabelRule(self.ballots[ballot].id.clone()))
                }
            };
        }
        if cands.len() <= 1 {
            return Ok(OvervoteDecision::None);
        }
        Ok(match rule {
            OvervoteRule::ExhaustImmediately => OvervoteDecision::Exhaust,
            OvervoteRule::AlwaysSkipToNextRank => OvervoteDecision::SkipToNextRank,
            OvervoteRule::ExhaustIfMultipleContinuing => {
                let continuing = cands.iter().filter(|&&(_, c)| self.is_continuing(c as usize)).count();
                if continuing >= 2 {
                    OvervoteDecision::Exhaust
                } else {
                    OvervoteDecision::None
                }
            }
        })
    }

    fn new_tally(&self, round: u32) -> RoundTally {
        RoundTally::new(
            round,
            self.candidates.names.len() + 1,
            (0..self.candidates.names.len()).filter(|&c| self.is_continuing(c)),
        )
    }

    fn record(&mut self, b: usize, tally: &mut RoundTally, selected: Option<usize>, status: Status) {
        let state = &self.states[b];
        let value = state.value().times(self.ballots[b].weight);
        if value.signum() == 1 {
            let source = state.recipient.map_or(UNCOUNTED, |c| self.candidates.names[c].as_str());
            let target = selected.map_or(EXHAUSTED, |c| self.candidates.names[c].as_str());
            let round = tally.round;
            self.transfers.add(round, source, target, value);
            for (k, s) in self.slices.iter_mut().enumerate() {
                if let Some(i) = self.slice_of[k][b] {
                    s.transfers[i].add(round, source, target, value);
                }
            }
        }
        let state = &mut self.states[b];
        state.recipient = selected;
        if selected.is_none() {
            state.status = status;
        }
        if status != Status::Active {
            tally.add_status(status, value);
            for (k, s) in self.slices.iter_mut().enumerate() {
                if let Some(i) = self.slice_of[k][b] {
                    s.current[i].add_status(status, value);
                }
            }
        }
    }

    fn credit(&mut self, b: usize, tally: &mut RoundTally, candidate: usize, value: Decimal) {
        tally.add_candidate(candidate, value);
        for (k, s) in self.slices.iter_mut().enumerate() {
            if let Some(i) = self.slice_of[k][b] {
                s.current[i].add_candidate(candidate, value);
            }
        }
    }

    fn compute_round(&mut self, round: u32) -> Result<RoundTally, TabulateError> {
        let mut tally = self.new_tally(round);
        for k in 0..self.slices.len() {
            let fresh: Vec<RoundTally> = (0..self.slices[k].ids.len()).map(|_| self.new_tally(round)).collect();
            self.slices[k].current = fresh;
        }
        let rules = self.rules;
        for b in 0..self.ballots.len() {
            if self.states[b].status != Status::Active {
                let (status, value) = (self.states[b].status, self.states[b].value().times(self.ballots[b].weight));
                tally.add_status(status, value);
                for (k, s) in self.slices.iter_mut().enumerate() {
                    if let Some(i) = self.slice_of[k][b] {
                        s.current[i].add_status(status, value);
                    }
                }
                self.snapshot(b, round);
                continue;
            }
            if let Some(r) = self.states[b].recipient {
                if self.is_continuing(r) {
                    let value = self.states[b].value().times(self.ballots[b].weight);
                    self.credit(b, &mut tally, r, value);
                    self.snapshot(b, round);
                    continue;
                }
            }
            let ballot = &self.ballots[b];
            if ballot.marks.is_empty() {
                self.record(b, &mut tally, None, Status::DidNotRankAnyCandidates);
            }
            let max_rank = ballot.max_rank();
            let mut last_rank = 0u32;
            let mut seen: Vec<u32> = Vec::new();
            let mut start = 0;
            let marks = &ballot.marks;
            while start < marks.len() {
                let rank = marks[start].0;
                let mut end = start + 1;
                while end < marks.len() && marks[end].0 == rank {
                    end += 1;
                }
                let cands = &marks[start..end];
                start = end;
                if rules.uses_surpluses() && self.elected.len() == rules.seats as usize {
                    self.record(b, &mut tally, None, Status::FinalRoundSurplus);
                    break;
                }
                if let Some(max) = rules.max_skipped {
                    if i64::from(rank) - i64::from(last_rank) > i64::from(max) + 1 {
                        self.record(b, &mut tally, None, Status::SkippedRanking);
                        break;
                    }
                }
                last_rank = rank;
                if rules.exhaust_on_duplicate {
                    let mut duplicate = false;
                    for &(_, c) in cands {
                        if seen.contains(&c) {
                            duplicate = true;
                            break;
                        }
                        seen.push(c);
                    }
                    if duplicate {
                        self.record(b, &mut tally, None, Status::RepeatedRanking);
                        break;
                    }
                }
                match self.overvote_decision(b, cands)? {
                    OvervoteDecision::Exhaust => {
                        self.record(b, &mut tally, None, Status::Overvote);
                        break;
                    }
                    OvervoteDecision::SkipToNextRank => {
                        if rank == max_rank {
                            self.record(b, &mut tally, None, Status::ExhaustedChoice);
                        }
                        continue;
                    }
                    OvervoteDecision::None => {}
                }
                let selected = cands.iter().map(|&(_, c)| c as usize).find(|&c| self.is_continuing(c));
                if let Some(c) = selected {
                    self.record(b, &mut tally, Some(c), Status::Active);
                    let value = self.states[b].value().times(self.ballots[b].weight);
                    self.credit(b, &mut tally, c, value);
                    break;
                }
                if rank == max_rank {
                    self.record(b, &mut tally, None, Status::ExhaustedChoice);
                }
            }
            self.snapshot(b, round);
        }
        for s in &mut self.slices {
            let current = std::mem::take(&mut s.current);
            for (i, t) in current.into_iter().enumerate() {
                s.rounds[i].push(t);
            }
        }
        Ok(tally)
    }

    fn snapshot(&mut self, b: usize, _round: u32) {
        if !self.keep_snapshots {
            return;
        }
        let state = &self.states[b];
        let mut data: Vec<(usize, Decimal)> = state.winner_fractions.clone();
        if let Some(r) = state.recipient {
            data.push((r, state.value()));
        }
        self.snapshots[b].push(data);
    }
}
