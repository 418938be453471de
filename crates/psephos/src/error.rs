//! Errors of the counting core.

use crate::candidate::CandidateId;

/// A ballot store could not take a ballot.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BallotError {
    /// The ballot weights add up to more than 2^64 - 1.
    #[error("ballot weights add up to more than 2^64 - 1")]
    WeightOverflow,
    /// New weights were given for a different number of ballots.
    #[error("{found} weights given for {expected} unique ballots")]
    WeightCount {
        /// Unique ballots in the store.
        expected: usize,
        /// Weights given.
        found: usize,
    },
    /// The store would hold more than 2^32 - 1 marks or ballots.
    #[error("more than 4,294,967,295 marks or unique ballots")]
    TooManyMarks,
    /// A score ballot's declared maximum is 0 or too large.
    #[error("the maximum score must be from 1 to 65,534, not {0}")]
    BadMaxScore(u16),
    /// A score above the declared maximum.
    #[error("score {score} is above the maximum of {max}")]
    ScoreOutOfRange {
        /// The score given.
        score: u16,
        /// The declared maximum.
        max: u16,
    },
    /// A score ballot with the wrong number of entries.
    #[error("a ballot scores {found} candidates but {expected} were declared")]
    WrongLength {
        /// Candidates declared.
        expected: usize,
        /// Entries on the ballot.
        found: usize,
    },
}

/// An election could not be put together.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ElectionError {
    /// No candidates were declared.
    #[error("the election has no candidates")]
    NoCandidates,
    /// Every candidate has withdrawn.
    #[error("every candidate has withdrawn")]
    NoStandingCandidates,
    /// The ballots name more candidates than were declared.
    #[error("the ballots refer to {ballots} candidates but {declared} were declared")]
    CandidateCountMismatch {
        /// Candidates the ballot store was built for.
        ballots: usize,
        /// Candidates declared.
        declared: usize,
    },
    /// Two candidates share a name.
    #[error("two candidates are both named `{0}`")]
    DuplicateName(String),
    /// The number of seats is zero or not below the number of candidates.
    #[error("{seats} seat(s) cannot be filled from {standing} standing candidate(s)")]
    BadSeats {
        /// Seats asked for.
        seats: u32,
        /// Candidates standing.
        standing: usize,
    },
    /// A ballot names a candidate that was not declared.
    #[error("unknown candidate `{0}`")]
    UnknownCandidate(String),
    /// A ballot could not be stored.
    #[error(transparent)]
    Ballot(#[from] BallotError),
}

/// A count could not be completed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CountError {
    /// A tie the declared tie-break chain could not resolve.
    #[error("round {round}: unresolved tie between candidates {} ({what}); add a step such as `random` with a seed to the tie-break chain", list(.tied))]
    UnresolvedTie {
        /// The round in which the tie arose.
        round: u32,
        /// The tied candidates.
        tied: Vec<CandidateId>,
        /// What the tie was for.
        what: &'static str,
    },
    /// There are no ballots: nobody can be elected.
    #[error("{rule}: there are no ballots to count, so nobody is elected")]
    NoBallots {
        /// The rule's id.
        rule: &'static str,
    },
    /// The rule needs something the election does not have.
    #[error("{rule}: {reason}")]
    Unsupported {
        /// The rule's id.
        rule: &'static str,
        /// What is missing.
        reason: String,
    },
}

fn list(ids: &[CandidateId]) -> String {
    ids.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
}
