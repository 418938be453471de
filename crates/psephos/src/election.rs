//! An election: its candidates, its seats and its ballots, ready to count.

use crate::ballots::store::TIED;
use crate::ballots::{
    normalise_owned, CardinalBallots, CardinalBallotsBuilder, NormalisePolicy, NormaliseReport, RankedBallots,
    RankedBallotsBuilder,
};
use crate::candidate::{CandidateId, Candidates};
use crate::error::ElectionError;

/// The ballots of an election, by kind.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// Ranked ballots, normalised.
    Ranked(RankedBallots),
    /// Approval ballots: score ballots with maximum 1 (1 = approved).
    Approval(CardinalBallots),
    /// Score (range) ballots, each candidate scored from 0 to a maximum.
    Scored(CardinalBallots),
}

impl Profile {
    /// The kind of ballots, in words, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Profile::Ranked(_) => "ranked",
            Profile::Approval(_) => "approval",
            Profile::Scored(_) => "score",
        }
    }
}

/// Candidates, seats and normalised ballots.
///
/// ```
/// use psephos::{Candidates, CandidateId, Election, NormalisePolicy, RankedBallotsBuilder};
/// let candidates = Candidates::from_names(["Alice", "Bob"]);
/// let mut raw = RankedBallotsBuilder::new(2);
/// raw.push(CandidateId(0));
/// raw.finish(3).unwrap();
/// let election = Election::from_raw(candidates, 1, raw.build(), NormalisePolicy::default()).unwrap();
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
    /// An election from raw marks, normalised under `policy`. The raw store is
    /// taken by value: when normalisation changes nothing it becomes the
    /// election's store without a copy (see [`normalise_owned`]).
    pub fn from_raw(
        candidates: Candidates,
        seats: u32,
        raw: RankedBallots,
        policy: NormalisePolicy,
    ) -> Result<Self, ElectionError> {
        check(&candidates, seats, raw.num_candidates())?;
        let withdrawn: Vec<bool> = candidates.iter().map(|(_, c)| c.withdrawn).collect();
        let (ballots, report) = normalise_owned(raw, policy, &withdrawn)?;
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
        Self::from_raw(candidates, 1, raw.build(), NormalisePolicy::default())
    }

    /// An election on approval or score ballots: an approval profile when
    /// the ballots' maximum score is 1, a score profile otherwise.
    pub fn from_cardinal(candidates: Candidates, seats: u32, ballots: CardinalBallots) -> Result<Self, ElectionError> {
        check(&candidates, seats, ballots.num_candidates())?;
        let profile = if ballots.max_score() == 1 { Profile::Approval(ballots) } else { Profile::Scored(ballots) };
        Ok(Election { candidates, seats, profile, normalisation: None })
    }

    /// A single-seat election from candidate names and score ballots written
    /// as `weight, [score per candidate]` (`None` = unscored), scores from 0
    /// to `max_score` (1 for approval). Meant for examples and tests.
    ///
    /// ```
    /// use psephos::{Election, Profile};
    /// let e = Election::from_scores(&["A", "B"], 1, &[(2, &[Some(1), None]), (1, &[Some(0), Some(1)])]).unwrap();
    /// assert!(matches!(e.profile, Profile::Approval(_)));
    /// assert_eq!(e.total_ballots(), 3);
    /// ```
    pub fn from_scores(
        names: &[&str],
        max_score: u16,
        ballots: &[(u64, &[Option<u16>])],
    ) -> Result<Self, ElectionError> {
        let mut b = CardinalBallotsBuilder::new(names.len(), max_score)?;
        for (weight, scores) in ballots {
            b.push(scores, *weight)?;
        }
        Self::from_cardinal(Candidates::from_names(names.iter().copied()), 1, b.build())
    }

    /// The same election with its score or approval ballots converted to
    /// rankings by [`CardinalBallots::to_ranked`], so that ranked rules can
    /// count them; a ranked election is returned unchanged. The conversion is
    /// never made implicitly.
    pub fn ranked_from_scores(&self) -> Election {
        match &self.profile {
            Profile::Ranked(_) => self.clone(),
            Profile::Approval(b) | Profile::Scored(b) => Election {
                candidates: self.candidates.clone(),
                seats: self.seats,
                profile: Profile::Ranked(b.to_ranked()),
                normalisation: None,
            },
        }
    }

    /// The same election with `candidate` withdrawn, ready to count again:
    /// they are flagged `withdrawn` and, on ranked ballots, their marks are
    /// taken out of the normalised ballots (the later ranks move up), so every
    /// rule counts as if they had never stood. Score and approval ballots keep their columns:
    /// the cardinal rules score only standing candidates, and no candidate's
    /// score depends on another's.
    ///
    /// This works on the ballots as normalised, in one pass over the unique
    /// ballots, without the raw marks. It matches normalising the raw marks
    /// again with the candidate excluded except on ballots that a policy cut
    /// short at a rank involving the withdrawn candidate (an overvote between
    /// them and another, say): such a ballot stays cut short here.
    ///
    /// # Panics
    /// When `candidate` is not one of this election's candidates.
    ///
    /// ```
    /// use psephos::{CountOptions, Election, Rule};
    /// let e = Election::from_rankings(&["A", "B", "C"], &[(4, &["A"]), (3, &["B", "C"]), (2, &["C", "B"])]).unwrap();
    /// let without_c = e.without(e.candidates.id_of("C").unwrap());
    /// let t = Rule::Plurality.count(&without_c, &CountOptions::default()).unwrap();
    /// assert_eq!(without_c.candidates.name(t.winner().unwrap()), "B");
    /// assert_eq!(without_c.total_ballots(), 9);
    /// ```
    pub fn without(&self, candidate: CandidateId) -> Election {
        let mut candidates = self.candidates.clone();
        candidates.get_mut(candidate).withdrawn = true;
        let profile = match &self.profile {
            Profile::Ranked(b) => {
                let mut out = remove_marks(b, candidate);
                if let Some(t) = b.built_pairwise() {
                    out.keep_pairwise(t.without(candidate));
                }
                Profile::Ranked(out)
            }
            other => other.clone(),
        };
        Election { candidates, seats: self.seats, profile, normalisation: self.normalisation.clone() }
    }

    /// Whether the normalised ballots hold equal rankings to be shared out
    /// ([`EqualRanksPolicy::Split`](crate::EqualRanksPolicy::Split)), which
    /// only the STV rules count.
    pub fn splits_equal_ranks(&self) -> bool {
        self.normalisation
            .as_ref()
            .is_some_and(|r| r.policy.equal_ranks == crate::EqualRanksPolicy::Split && r.with_equal_ranks > 0)
    }

    /// An error for a rule that cannot share out equal rankings, when this
    /// election's ballots hold some.
    pub(crate) fn refuse_split(&self, rule: &'static str) -> Result<(), crate::CountError> {
        if !self.splits_equal_ranks() {
            return Ok(());
        }
        Err(crate::CountError::Unsupported {
            rule,
            reason: "the ballots hold equal rankings to be shared out (equal-ranks policy `split`), which only the \
                     STV rules stv and meek count; count under one of them, or read equal rankings as overvotes \
                     (equal-ranks policy `overvote`)"
                .into(),
        })
    }

    /// The ranked ballots, if the profile is ranked.
    pub fn ranked(&self) -> Option<&RankedBallots> {
        match &self.profile {
            Profile::Ranked(b) => Some(b),
            _ => None,
        }
    }

    /// The approval or score ballots, if the profile is cardinal.
    pub fn cardinal(&self) -> Option<&CardinalBallots> {
        match &self.profile {
            Profile::Approval(b) | Profile::Scored(b) => Some(b),
            Profile::Ranked(_) => None,
        }
    }

    /// The approval ballots, if the profile is approval.
    pub fn approval(&self) -> Option<&CardinalBallots> {
        match &self.profile {
            Profile::Approval(b) => Some(b),
            _ => None,
        }
    }

    /// Ballots cast, blank ones included.
    pub fn total_ballots(&self) -> u64 {
        match &self.profile {
            Profile::Ranked(b) => b.total_weight(),
            Profile::Approval(b) | Profile::Scored(b) => b.total_weight(),
        }
    }
}

/// Normalised ballots with every mark of `gone` taken out; a level left
/// empty disappears. One copying pass, with no hashing: ballots that become
/// identical stay separate rows, which counting does not mind.
fn remove_marks(ballots: &RankedBallots, gone: CandidateId) -> RankedBallots {
    let mut out = RankedBallots {
        num_candidates: ballots.num_candidates,
        marks: Vec::with_capacity(ballots.marks.len()),
        starts: Vec::with_capacity(ballots.starts.len()),
        weights: ballots.weights.clone(),
        endings: ballots.endings.clone(),
        total: ballots.total,
        ..RankedBallots::default()
    };
    out.starts.push(0);
    for i in 0..ballots.unique_len() {
        let marks = &ballots.marks[ballots.starts[i] as usize..ballots.starts[i + 1] as usize];
        for (j, &m) in marks.iter().enumerate() {
            if m & !TIED != gone.0 {
                out.marks.push(m);
            } else if m & TIED == 0 && j > 0 && marks[j - 1] & TIED != 0 {
                // `gone` closed an equal ranking: the mark before now closes it.
                let len = out.marks.len();
                if len > out.starts[i] as usize && out.marks[len - 1] & TIED != 0 {
                    out.marks[len - 1] &= !TIED;
                }
            }
        }
        out.starts.push(out.marks.len() as u32);
    }
    out
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
