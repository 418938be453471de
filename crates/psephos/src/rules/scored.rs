//! What the rules decided by scores share: a scores round, the pick of the
//! best score through the tie-break chain, and the one-round result.
//!
//! A rule that decides in one step (Borda, Copeland, approval, …) reports one
//! round of kind [`RoundKind::Scores`] holding the scores that decided it;
//! multi-step rules (Baldwin, Nanson, Bucklin, …) report one such round per
//! step.

use super::transfer::Count;
use super::CountOptions;
use crate::ballots::RankedBallots;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::pairwise::PairwiseMatrix;
use crate::tabulation::{ElectedReason, Event, InactiveTally, Round, RoundKind, Tabulation};
use crate::tiebreak::{TieBreaker, TieKind};
use crate::InactiveReason;

/// Standing candidates, in candidate order.
pub(crate) fn standing_ids(election: &Election) -> Vec<CandidateId> {
    election.candidates.standing().collect()
}

/// Weight of the blank ballots in a ranked store.
pub(crate) fn blank_weight(ballots: &RankedBallots) -> u64 {
    ballots.iter().filter(|b| b.ending == InactiveReason::Blank).map(|b| b.weight).sum()
}

/// A round whose tally holds scores.
pub(crate) fn scores_round(number: u32, tally: Vec<(CandidateId, u64)>, scale: u64, blank: u64) -> Round {
    let mut inactive = InactiveTally::default();
    inactive.add(InactiveReason::Blank, blank);
    Round { number, tally, inactive, kind: RoundKind::Scores { scale }, ..Round::default() }
}

/// The candidate with the highest (or, with `lowest`, the lowest) score in
/// `tally`; a tie goes to the chain as a tie for election.
pub(crate) fn best(
    count: &mut Count<'_>,
    tally: &[(CandidateId, u64)],
    lowest: bool,
) -> Result<CandidateId, CountError> {
    let target = if lowest { tally.iter().map(|e| e.1).min() } else { tally.iter().map(|e| e.1).max() };
    let target = target.ok_or_else(|| CountError::Unsupported { rule: "count", reason: "no candidates".into() })?;
    let tied: Vec<CandidateId> = tally.iter().filter(|e| e.1 == target).map(|e| e.0).collect();
    if tied.len() == 1 {
        return Ok(tied[0]);
    }
    count.choose(TieKind::Election, &tied)
}

/// A one-round result: a scores round, the best score elected.
pub(crate) struct OneRound {
    /// The rule's id.
    pub(crate) rule: &'static str,
    /// Each candidate's score, times `scale`.
    pub(crate) tally: Vec<(CandidateId, u64)>,
    /// See [`RoundKind::Scores`].
    pub(crate) scale: u64,
    /// Whether the lowest score wins.
    pub(crate) lowest_wins: bool,
    /// Ballots cast.
    pub(crate) total: u64,
    /// Blank ballots.
    pub(crate) blank: u64,
    /// The pairwise matrix, for Condorcet rules.
    pub(crate) pairwise: Option<PairwiseMatrix>,
}

impl OneRound {
    /// Elects the best score and closes the count.
    pub(crate) fn finish(self, election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
        let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
        count.rounds.push(scores_round(1, self.tally, self.scale, self.blank));
        let tally = count.rounds[0].tally.clone();
        let winner = best(&mut count, &tally, self.lowest_wins)?;
        count.event(Event::Elected { candidate: winner, reason: ElectedReason::MostVotes });
        let mut t = count.finish(self.rule, self.total, vec![winner]);
        t.pairwise = self.pairwise;
        Ok(t)
    }
}
