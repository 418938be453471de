//! Ballots: the columnar, deduplicated store and the normalisation policies
//! applied to raw marks before anything is counted.
//!
//! A reader turns a file into *raw* [`RankedBallots`]: each ballot a list of
//! rank levels, where a level may be empty (a skipped rank), hold one
//! candidate, hold several (an equal ranking, an overvote unless the
//! [`EqualRanksPolicy`] shares it out), or stand for several candidates the
//! source does not name (an overvote whatever the policy), and where a
//! candidate may appear twice.
//! [`normalise`] applies a [`NormalisePolicy`] to those marks and returns the
//! ballots the rules count, each ending with the [`InactiveReason`] it becomes
//! inactive for once its listed preferences run out.

mod builder;
pub(crate) mod cardinal;
mod normalise;
pub(crate) mod store;

pub use builder::{Merging, RankedBallotsBuilder};
pub use cardinal::{CardinalBallotRef, CardinalBallots, CardinalBallotsBuilder, MAX_SCORE};
pub use normalise::{
    normalise, normalise_excluding, normalise_owned, DuplicatePolicy, EqualRanksPolicy, NormaliseError,
    NormalisePolicy, NormaliseReport, OvervotePolicy, SkippedPolicy,
};
pub use store::{BallotRef, Level, Levels, RankedBallots};

/// Why a ballot is not counted for any candidate in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum InactiveReason {
    /// Every candidate the ballot ranks has been eliminated (or it ranks no
    /// candidate the rule still counts).
    Exhausted,
    /// The ballot reached a rank that marks more than one candidate.
    Overvote,
    /// The ballot reached a run of skipped ranks that the policy exhausts.
    Skipped,
    /// The ballot reached a candidate it had already ranked, under a policy
    /// that exhausts such ballots.
    Duplicate,
    /// The ballot marks no candidate at all.
    Blank,
}

impl InactiveReason {
    /// Every reason, in report order.
    pub const ALL: [InactiveReason; 5] = [
        InactiveReason::Exhausted,
        InactiveReason::Overvote,
        InactiveReason::Skipped,
        InactiveReason::Duplicate,
        InactiveReason::Blank,
    ];

    /// The reason's stable name, as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            InactiveReason::Exhausted => "exhausted",
            InactiveReason::Overvote => "overvote",
            InactiveReason::Skipped => "skipped",
            InactiveReason::Duplicate => "duplicate",
            InactiveReason::Blank => "blank",
        }
    }

    pub(crate) fn to_u8(self) -> u8 {
        self as u8
    }

    pub(crate) fn from_u8(v: u8) -> Self {
        match v {
            0 => InactiveReason::Exhausted,
            1 => InactiveReason::Overvote,
            2 => InactiveReason::Skipped,
            3 => InactiveReason::Duplicate,
            _ => InactiveReason::Blank,
        }
    }
}

impl std::fmt::Display for InactiveReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
