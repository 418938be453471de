//! Results as data: every round's tally, inactive ballots by reason,
//! transfers, events and tie decisions.

use crate::ballots::InactiveReason;
use crate::candidate::CandidateId;
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
}

impl Round {
    /// Votes counted for candidates.
    pub fn counted(&self) -> u64 {
        self.tally.iter().map(|&(_, v)| v).sum()
    }

    /// The candidate's votes in this round, if counted.
    pub fn votes(&self, c: CandidateId) -> Option<u64> {
        self.tally.iter().find(|&&(id, _)| id == c).map(|&(_, v)| v)
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
    /// The canonical id of the rule.
    pub rule: &'static str,
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
}

impl Tabulation {
    /// The winner of a single-seat count.
    pub fn winner(&self) -> Option<CandidateId> {
        self.elected.first().copied()
    }

    /// Checks that in every round, counted + inactive = total.
    pub fn check_conservation(&self) -> Result<(), (u32, u64, u64)> {
        for r in &self.rounds {
            let sum = r.counted() + r.inactive.total();
            if sum != self.total {
                return Err((r.number, sum, self.total));
            }
        }
        Ok(())
    }
}
