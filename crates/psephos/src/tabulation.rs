//! Results as data: every round's tally, inactive ballots by reason,
//! transfers, events and tie decisions.

use crate::ballots::InactiveReason;
use crate::candidate::CandidateId;
use crate::pairwise::PairwiseMatrix;
use crate::rules::Rule;
use crate::tiebreak::TieDecision;

/// Inactive ballots by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InactiveTally {
    counts: [u64; 5],
}

impl InactiveTally {
    /// Ballots inactive for this reason.
    pub fn get(&self, reason: InactiveReason) -> u64 {
        self.counts[reason.to_u8() as usize]
    }

    /// Adds ballots inactive for this reason.
    pub fn add(&mut self, reason: InactiveReason, votes: u64) {
        self.counts[reason.to_u8() as usize] += votes;
    }

    /// All inactive ballots.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Every reason with its count, zeros included, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (InactiveReason, u64)> + '_ {
        InactiveReason::ALL.iter().map(|&r| (r, self.get(r)))
    }
}

impl std::ops::AddAssign for InactiveTally {
    /// Adds the ballots of another tally, reason by reason.
    fn add_assign(&mut self, other: InactiveTally) {
        self.counts.iter_mut().zip(other.counts).for_each(|(c, o)| *c += o);
    }
}

/// Where transferred votes went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum TransferTarget {
    /// To a continuing candidate.
    Candidate(CandidateId),
    /// Out of the count.
    Inactive(InactiveReason),
}

/// Votes moved from one candidate in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Transfer {
    /// The candidate whose ballots moved.
    pub from: CandidateId,
    /// Where they went.
    pub to: TransferTarget,
    /// How many.
    pub votes: u64,
}

/// Why a candidate was elected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ElectedReason {
    /// More than half of the votes counted in the round.
    Majority,
    /// The most votes in a one-round count.
    MostVotes,
    /// The most votes in the final round between finalists.
    Runoff,
    /// The last candidate left.
    LastRemaining,
    /// Reached the quota of a transferable-vote count.
    Quota,
    /// Filled one of the last vacancies because the continuing candidates
    /// were no more than the seats left (the Scottish Order's rule 52).
    LastVacancies,
}

/// Why a candidate left the count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum EliminatedReason {
    /// The fewest votes.
    Lowest,
    /// Eliminated together with others whose combined votes could not overtake
    /// the next candidate up.
    Batch,
    /// Not among the finalists of a runoff or supplementary count.
    NotFinalist,
    /// Lost the final round.
    Defeated,
    /// Not among the seat winners of a one-round multi-seat count, or still
    /// continuing when the last seat of a transferable-vote count was filled.
    NotElected,
}

/// Something that happened in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case", tag = "event"))]
pub enum Event {
    /// A candidate was elected.
    Elected {
        /// Who.
        candidate: CandidateId,
        /// Why.
        reason: ElectedReason,
    },
    /// A candidate was eliminated; their ballots move on in the next round.
    Eliminated {
        /// Who.
        candidate: CandidateId,
        /// Why.
        reason: EliminatedReason,
    },
}

/// One round of a count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Round {
    /// 1-based.
    pub number: u32,
    /// Votes of every candidate counted in this round, in candidate order.
    pub tally: Vec<(CandidateId, u64)>,
    /// Ballots counted for no candidate, by reason.
    pub inactive: InactiveTally,
    /// Votes that moved into this round from the candidates eliminated at
    /// the end of the previous one.
    pub transfers: Vec<Transfer>,
    /// Who was elected or eliminated at the end of this round.
    pub events: Vec<Event>,
    /// What a transferable-vote count did to reach this round (`None` in
    /// the single-winner rules, whose rounds say it with `transfers`).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub action: Option<RoundAction>,
    /// Votes lost to rounding up to this round, in the count's units (see
    /// [`Tabulation::decimals`]): counted + inactive + rounding loss = total.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_zero"))]
    pub rounding_loss: u64,
    /// What the tally measures: ballots (the default) or a rule's scores.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "RoundKind::is_ballots"))]
    pub kind: RoundKind,
}

/// What a round's tally measures.
///
/// Only a [`RoundKind::Ballots`] round is a share-out of the ballots, where
/// counted + inactive = total; the conservation check skips the others.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case", tag = "kind"))]
pub enum RoundKind {
    /// Each ballot counts once, for at most one candidate.
    #[default]
    Ballots,
    /// The tally holds the scores a rule decided by (Borda points, approvals,
    /// pairwise wins, …; each rule's documentation says which and whether the
    /// highest or the lowest wins). A candidate's score is its tally divided
    /// by `scale` (for example 2 when half points are possible). `inactive`
    /// holds blank ballots, for information.
    Scores {
        /// The divisor that turns a tally entry into the score.
        scale: u64,
    },
}

impl RoundKind {
    /// Whole-number scores.
    pub const POINTS: RoundKind = RoundKind::Scores { scale: 1 };

    /// Whether the round counts ballots.
    pub fn is_ballots(&self) -> bool {
        matches!(self, RoundKind::Ballots)
    }
}

#[cfg(feature = "serde")]
fn is_zero(v: &u64) -> bool {
    *v == 0
}

#[cfg(feature = "serde")]
fn is_zero_u8(v: &u8) -> bool {
    *v == 0
}

/// What a round of a transferable-vote count did. Vote figures are in the
/// count's units (see [`Tabulation::decimals`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case", tag = "action"))]
pub enum RoundAction {
    /// The first count: every ballot to its first preference.
    FirstPreferences,
    /// An elected candidate's surplus was transferred.
    Surplus {
        /// Whose surplus.
        candidate: CandidateId,
        /// The surplus: votes above the quota.
        surplus: u64,
        /// The value passed on by a ballot paper worth one vote (surplus
        /// divided by the candidate's votes, truncated to the count's units);
        /// a paper worth less passes on proportionally less.
        transfer_value: u64,
    },
    /// Excluded candidates' ballots were transferred at their current values.
    Exclusion {
        /// Who was excluded.
        candidates: Vec<CandidateId>,
    },
    /// Meek's method: keep values were iterated to convergence.
    Iteration {
        /// How many passes over the ballots.
        iterations: u32,
        /// The quota the passes converged on (it falls as ballots exhaust).
        quota: u64,
        /// Each elected candidate's keep value, in units where one is
        /// 10^decimals.
        keep_values: Vec<(CandidateId, u64)>,
    },
}

impl Round {
    /// Votes counted for candidates.
    pub fn counted(&self) -> u64 {
        self.tally.iter().map(|&(_, v)| v).sum()
    }

    /// The candidate's votes in this round, if counted.
    pub fn votes(&self, c: CandidateId) -> Option<u64> {
        debug_assert!(self.tally.windows(2).all(|w| w[0].0 < w[1].0), "a round's tally is in candidate order");
        self.tally.binary_search_by_key(&c, |e| e.0).ok().map(|i| self.tally[i].1)
    }

    /// Candidates elected at the end of this round.
    pub fn elected(&self) -> impl Iterator<Item = CandidateId> + '_ {
        self.events.iter().filter_map(|e| match *e {
            Event::Elected { candidate, .. } => Some(candidate),
            _ => None,
        })
    }

    /// Candidates eliminated at the end of this round.
    pub fn eliminated(&self) -> impl Iterator<Item = CandidateId> + '_ {
        self.events.iter().filter_map(|e| match *e {
            Event::Eliminated { candidate, .. } => Some(candidate),
            _ => None,
        })
    }
}

/// The full result of counting one election under one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tabulation {
    /// The rule counted, with its options: its `Display` is the canonical
    /// name (`minimax:margins`), [`Rule::id`] the family's id.
    pub rule: Rule,
    /// Seats filled.
    pub seats: u32,
    /// Ballots cast (total weight), blank ones included.
    pub total: u64,
    /// Every round, in order.
    pub rounds: Vec<Round>,
    /// The elected, in order of election.
    pub elected: Vec<CandidateId>,
    /// Every tie decision taken.
    pub ties: Vec<TieDecision>,
    /// Things a reader of the result should know.
    pub warnings: Vec<String>,
    /// Vote figures (tallies, inactive, transfers, quota, rounding loss) are
    /// in units of 10^-decimals of a vote: 0 for whole-vote counts, 5 for
    /// Scottish STV. `total` is always whole ballots.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_zero_u8"))]
    pub decimals: u8,
    /// The quota of a quota-based count, in the count's units.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub quota: Option<u64>,
    /// The pairwise matrix, for rules that decide by pairwise contests.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub pairwise: Option<PairwiseMatrix>,
}

impl Tabulation {
    /// The winner of a single-seat count.
    pub fn winner(&self) -> Option<CandidateId> {
        self.elected.first().copied()
    }

    /// Checks that in every round, counted + inactive + rounding loss =
    /// total (all in the count's units). Rounds whose tally holds scores
    /// rather than ballots ([`RoundKind::Scores`]) are skipped.
    pub fn check_conservation(&self) -> Result<(), (u32, u64, u64)> {
        let total = self.total * self.unit();
        for r in &self.rounds {
            if !r.kind.is_ballots() {
                continue;
            }
            let sum = r.counted() + r.inactive.total() + r.rounding_loss;
            if sum != total {
                return Err((r.number, sum, total));
            }
        }
        Ok(())
    }

    /// One vote in the count's units: 10^decimals.
    pub fn unit(&self) -> u64 {
        10u64.pow(u32::from(self.decimals))
    }

    /// A vote figure in the count's units written as a decimal number.
    ///
    /// ```
    /// use psephos::Tabulation;
    /// let t = Tabulation { decimals: 5, ..Tabulation::new(psephos::Rule::Plurality) };
    /// assert_eq!(t.format_votes(138_100_000), "1381.00000");
    /// assert_eq!(t.format_votes(1_472), "0.01472");
    /// ```
    pub fn format_votes(&self, v: u64) -> String {
        if self.decimals == 0 {
            return v.to_string();
        }
        let unit = self.unit();
        format!("{}.{:0width$}", v / unit, v % unit, width = usize::from(self.decimals))
    }

    /// The same result, labelled with the rule as asked, options included.
    pub(crate) fn labelled(mut self, rule: Rule) -> Self {
        self.rule = rule;
        self
    }

    /// An empty result for a rule: no rounds, nobody elected.
    pub fn new(rule: Rule) -> Self {
        Tabulation {
            rule,
            seats: 0,
            total: 0,
            rounds: Vec::new(),
            elected: Vec::new(),
            ties: Vec::new(),
            warnings: Vec::new(),
            decimals: 0,
            quota: None,
            pairwise: None,
        }
    }
}
