//! An election: its candidates, its seats and its ballots, ready to count.

use crate::ballots::{normalise_excluding, NormalisePolicy, NormaliseReport, RankedBallots, RankedBallotsBuilder};
use crate::candidate::{CandidateId, Candidates};
use crate::error::ElectionError;

/// The ballots of an election, by kind.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// Ranked ballots, normalised.
    Ranked(RankedBallots),
}

/// Candidates, seats and normalised ballots.
///
/// ```
/// use psephos::{Candidates, CandidateId, Election, NormalisePolicy, RankedBallotsBuilder};
/// let candidates = Candidates::from_names(["Alice", "Bob"]);
/// let mut raw = RankedBallotsBuilder::new(2);
/// raw.push(CandidateId(0));
/// raw.finish(3).unwrap();
/// let election = Election::from_raw(candidates, 1, &raw.build(), NormalisePolicy::default()).unwrap();
/// assert_eq!(election.total_ballots(), 3);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Election {
    /// The candidates, in ballot-paper order.
    pub candidates: Candidates,
    /// Seats to fill.
    pub seats: u32,
    /// The ballots.
    pub profile: Profile,
    /// What normalisation did, when the ballots came from raw marks.
    pub normalisation: Option<NormaliseReport>,
}

impl Election {
    /// An election from raw marks, normalised under `policy`.
    pub fn from_raw(
        candidates: Candidates,
        seats: u32,
        raw: &RankedBallots,
        policy: NormalisePolicy,
    ) -> Result<Self, ElectionError> {
        check(&candidates, seats, raw.num_candidates())?;
        let withdrawn: Vec<bool> = candidates.iter().map(|(_, c)| c.withdrawn).collect();
        let (ballots, report) = normalise_excluding(raw, policy, &withdrawn)?;
        Ok(Election { candidates, seats, profile: Profile::Ranked(ballots), normalisation: Some(report) })
    }

    /// An election from ballots that need no normalisation: one candidate per
    /// rank, no repeats (as produced by a simulation).
    pub fn from_ranked(candidates: Candidates, seats: u32, ballots: RankedBallots) -> Result<Self, ElectionError> {
        check(&candidates, seats, ballots.num_candidates())?;
        Ok(Election { candidates, seats, profile: Profile::Ranked(ballots), normalisation: None })
    }

    /// A single-seat election from candidate names and rankings written as
    /// `weight, [names best first]`, normalised under the default policy. An
    /// entry `"A=B"` ranks A and B equal. Meant for examples and tests.
    ///
    /// ```
    /// use psephos::Election;
    /// let e = Election::from_rankings(&["A", "B"], &[(2, &["A", "B"]), (1, &["B"])]).unwrap();
    /// assert_eq!(e.total_ballots(), 3);
    /// ```
    pub fn from_rankings(names: &[&str], ballots: &[(u64, &[&str])]) -> Result<Self, ElectionError> {
        let candidates = Candidates::from_names(names.iter().copied());
        let mut raw = RankedBallotsBuilder::new(names.len());
        for (weight, ranking) in ballots {
            for entry in ranking.iter() {
                let mut ids = Vec::new();
                for name in entry.split('=') {
                    let id: CandidateId =
                        candidates.id_of(name).ok_or_else(|| ElectionError::UnknownCandidate(name.to_owned()))?;
                    ids.push(id);
                }
                raw.push_level(&ids);
            }
            raw.finish(*weight)?;
        }
        Self::from_raw(candidates, 1, &raw.build(), NormalisePolicy::default())
    }

    /// The ranked ballots, if the profile is ranked.
    pub fn ranked(&self) -> Option<&RankedBallots> {
        match &self.profile {
            Profile::Ranked(b) => Some(b),
        }
    }

    /// Ballots cast, blank ones included.
    pub fn total_ballots(&self) -> u64 {
        match &self.profile {
            Profile::Ranked(b) => b.total_weight(),
        }
    }
}

fn check(candidates: &Candidates, seats: u32, in_ballots: usize) -> Result<(), ElectionError> {
    if candidates.is_empty() {
        return Err(ElectionError::NoCandidates);
    }
    if in_ballots != candidates.len() {
        return Err(ElectionError::CandidateCountMismatch { ballots: in_ballots, declared: candidates.len() });
    }
    let mut names: Vec<&str> = candidates.iter().map(|(_, c)| c.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(ElectionError::DuplicateName(w[0].to_owned()));
    }
    let standing = candidates.standing().count();
    if standing == 0 {
        return Err(ElectionError::NoStandingCandidates);
    }
    if seats == 0 || seats as usize > standing {
        return Err(ElectionError::BadSeats { seats, standing });
    }
    Ok(())
}
