//! Normalisation: named policies for overvotes, skipped ranks and duplicate
//! candidates, applied to raw marks before counting.
//!
//! The policies follow the options election officials configure in
//! ranked-choice tabulators (for example the *overvote rule*, *skipped-rank*
//! and *duplicate-candidate* settings of Maine's and New York City's rules).

use std::fmt;
use std::str::FromStr;

use super::store::{ends_level, is_placeholder, RankedBallots, OVERVOTE, SKIP, TIED};
use super::{InactiveReason, RankedBallotsBuilder};
use crate::candidate::CandidateId;
use crate::error::BallotError;

/// What to do when a rank marks more than one candidate.
///
/// A rank that marks two or more candidates without naming them (BLT's
/// `-=-`, where the official data does not record which were marked) is an
/// overvote under every policy: it makes the ballot inactive under
/// [`Exhaust`](Self::Exhaust) and, since nobody can tell whether fewer than
/// two of its candidates continue, under
/// [`ExhaustIfMultipleContinuing`](Self::ExhaustIfMultipleContinuing) too;
/// [`Skip`](Self::Skip) passes over it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum OvervotePolicy {
    /// The ballot becomes inactive (reason `overvote`) when the count reaches
    /// the overvoted rank.
    #[default]
    Exhaust,
    /// The overvoted rank is passed over as if it were empty.
    Skip,
    /// The ballot becomes inactive only when more than one of the candidates
    /// at that rank is still continuing; with exactly one continuing it counts
    /// for that one, and with none it goes on to the next rank.
    ExhaustIfMultipleContinuing,
}

/// What a rank that marks several named candidates means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum EqualRanksPolicy {
    /// An overvote, which the [`OvervotePolicy`] resolves.
    #[default]
    Overvote,
    /// An equal ranking: when the count reaches the rank, the ballot's value
    /// is shared equally among the rank's candidates still in the count, and
    /// each share goes on down the ballot on its own, as the Meek counts of
    /// the droop and OpenSTV programs treat equal rankings. Only the STV
    /// rules (`stv` and `meek`) count such ballots; the other rules refuse
    /// an election whose normalised ballots hold one.
    Split,
}

/// What to do with ranks left empty before a later marked rank.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum SkippedPolicy {
    /// Empty ranks are ignored: later ranks move up.
    #[default]
    Ignore,
    /// This many consecutive empty ranks, followed by a marked rank, make the
    /// ballot inactive (reason `skipped`) when the count reaches them.
    ExhaustAfter(u16),
}

/// What to do when a ballot ranks a candidate it already ranked higher.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum DuplicatePolicy {
    /// The repeated mark is passed over.
    #[default]
    Skip,
    /// The ballot becomes inactive (reason `duplicate`) when the count reaches
    /// the repeated mark.
    Exhaust,
}

/// The policies together.
///
/// ```
/// use psephos::{EqualRanksPolicy, NormalisePolicy};
/// let p: NormalisePolicy = NormalisePolicy::default();
/// assert_eq!(p.to_string(), "overvote=exhaust skipped=ignore duplicates=skip");
/// let split = NormalisePolicy { equal_ranks: EqualRanksPolicy::Split, ..p };
/// assert_eq!(split.to_string(), "overvote=exhaust skipped=ignore duplicates=skip equal-ranks=split");
/// assert_eq!(NormalisePolicy::MAINE.skipped.to_string(), "exhaust-after:2");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NormalisePolicy {
    /// Overvoted ranks.
    pub overvote: OvervotePolicy,
    /// Skipped ranks.
    pub skipped: SkippedPolicy,
    /// Repeated candidates.
    pub duplicates: DuplicatePolicy,
    /// Ranks that mark several named candidates: overvotes or equal
    /// rankings.
    pub equal_ranks: EqualRanksPolicy,
}

impl NormalisePolicy {
    /// The defaults: exhaust at an overvote, ignore skipped ranks, skip
    /// repeated candidates.
    pub const STANDARD: NormalisePolicy = NormalisePolicy {
        overvote: OvervotePolicy::Exhaust,
        skipped: SkippedPolicy::Ignore,
        duplicates: DuplicatePolicy::Skip,
        equal_ranks: EqualRanksPolicy::Overvote,
    };

    /// Maine's ranked-choice rules (29-250 C.M.R. ch. 535): an overvote
    /// exhausts the ballot, two consecutive skipped ranks exhaust it, and a
    /// repeated candidate is passed over.
    pub const MAINE: NormalisePolicy = NormalisePolicy {
        overvote: OvervotePolicy::Exhaust,
        skipped: SkippedPolicy::ExhaustAfter(2),
        duplicates: DuplicatePolicy::Skip,
        equal_ranks: EqualRanksPolicy::Overvote,
    };

    /// London's Supplementary Vote papers (Greater London Authority Elections
    /// Rules 2007, sch. 3, rules 50-51): a first column that marks more than
    /// one candidate, or none, voids the paper (an unmarked first column is
    /// not filled from the second); a second column marking more than one
    /// candidate does not count; a second choice equal to the first is passed
    /// over.
    pub const LONDON: NormalisePolicy = NormalisePolicy {
        overvote: OvervotePolicy::Exhaust,
        skipped: SkippedPolicy::ExhaustAfter(1),
        duplicates: DuplicatePolicy::Skip,
        equal_ranks: EqualRanksPolicy::Overvote,
    };

    /// The named presets: `standard`, `maine` and `london`.
    pub const PRESETS: [(&'static str, NormalisePolicy); 3] =
        [("standard", Self::STANDARD), ("maine", Self::MAINE), ("london", Self::LONDON)];

    /// The preset with this name.
    ///
    /// ```
    /// use psephos::{NormalisePolicy, SkippedPolicy};
    /// assert_eq!(NormalisePolicy::preset("london").unwrap().skipped, SkippedPolicy::ExhaustAfter(1));
    /// assert!(NormalisePolicy::preset("paris").is_err());
    /// ```
    pub fn preset(name: &str) -> Result<NormalisePolicy, NormaliseError> {
        Self::PRESETS.iter().find(|(n, _)| *n == name).map(|&(_, p)| p).ok_or_else(|| NormaliseError {
            what: "normalisation preset",
            given: name.to_owned(),
            expected: "standard, maine, london",
        })
    }
}

impl fmt::Display for NormalisePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "overvote={} skipped={} duplicates={}", self.overvote, self.skipped, self.duplicates)?;
        if self.equal_ranks != EqualRanksPolicy::Overvote {
            write!(f, " equal-ranks={}", self.equal_ranks)?;
        }
        Ok(())
    }
}

impl fmt::Display for OvervotePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OvervotePolicy::Exhaust => "exhaust",
            OvervotePolicy::Skip => "skip",
            OvervotePolicy::ExhaustIfMultipleContinuing => "exhaust-if-multiple-continuing",
        })
    }
}

impl fmt::Display for EqualRanksPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EqualRanksPolicy::Overvote => "overvote",
            EqualRanksPolicy::Split => "split",
        })
    }
}

impl fmt::Display for SkippedPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkippedPolicy::Ignore => f.write_str("ignore"),
            SkippedPolicy::ExhaustAfter(n) => write!(f, "exhaust-after:{n}"),
        }
    }
}

impl fmt::Display for DuplicatePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DuplicatePolicy::Skip => "skip",
            DuplicatePolicy::Exhaust => "exhaust",
        })
    }
}

/// A policy name that is not one of the known ones.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} policy `{given}`; expected one of: {expected}")]
pub struct NormaliseError {
    /// Which policy was being parsed.
    pub what: &'static str,
    /// What was given.
    pub given: String,
    /// The accepted spellings.
    pub expected: &'static str,
}

impl FromStr for OvervotePolicy {
    type Err = NormaliseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "exhaust" => Ok(OvervotePolicy::Exhaust),
            "skip" => Ok(OvervotePolicy::Skip),
            "exhaust-if-multiple-continuing" => Ok(OvervotePolicy::ExhaustIfMultipleContinuing),
            _ => Err(NormaliseError {
                what: "overvote",
                given: s.to_owned(),
                expected: "exhaust, skip, exhaust-if-multiple-continuing",
            }),
        }
    }
}

impl FromStr for EqualRanksPolicy {
    type Err = NormaliseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "overvote" => Ok(EqualRanksPolicy::Overvote),
            "split" => Ok(EqualRanksPolicy::Split),
            _ => Err(NormaliseError { what: "equal-ranks", given: s.to_owned(), expected: "overvote, split" }),
        }
    }
}

impl FromStr for SkippedPolicy {
    type Err = NormaliseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || NormaliseError {
            what: "skipped-rank",
            given: s.to_owned(),
            expected: "ignore, exhaust-after:N (N >= 1)",
        };
        if s == "ignore" {
            return Ok(SkippedPolicy::Ignore);
        }
        match s.strip_prefix("exhaust-after:").map(str::parse::<u16>) {
            Some(Ok(n)) if n >= 1 => Ok(SkippedPolicy::ExhaustAfter(n)),
            _ => Err(err()),
        }
    }
}

impl FromStr for DuplicatePolicy {
    type Err = NormaliseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "skip" => Ok(DuplicatePolicy::Skip),
            "exhaust" => Ok(DuplicatePolicy::Exhaust),
            _ => Err(NormaliseError { what: "duplicate", given: s.to_owned(), expected: "skip, exhaust" }),
        }
    }
}

/// What normalisation did, in ballots (weights).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NormaliseReport {
    /// The policy applied.
    pub policy: NormalisePolicy,
    /// Ballots read.
    pub ballots: u64,
    /// Unique ballots before normalisation.
    pub unique_before: usize,
    /// Unique ballots after normalisation.
    pub unique_after: usize,
    /// Ballots that mark no candidate.
    pub blank: u64,
    /// Ballots with at least one overvoted rank.
    pub with_overvote: u64,
    /// Ballots with at least one rank kept as an equal ranking to be shared
    /// out (under [`EqualRanksPolicy::Split`]).
    pub with_equal_ranks: u64,
    /// Ballots with at least one skipped rank before a marked one.
    pub with_skipped: u64,
    /// Ballots that repeat a candidate.
    pub with_duplicate: u64,
    /// Ballots cut short by the overvote policy.
    pub truncated_overvote: u64,
    /// Ballots cut short by the skipped-rank policy.
    pub truncated_skipped: u64,
    /// Ballots cut short by the duplicate policy.
    pub truncated_duplicate: u64,
}

/// Applies `policy` to raw ballots, returning the ballots to count.
///
/// The result holds no skipped ranks and no repeated candidates. Under
/// [`OvervotePolicy::ExhaustIfMultipleContinuing`] overvoted ranks are kept,
/// to be resolved during the count, and under [`EqualRanksPolicy::Split`]
/// ranks of several candidates are kept as equal rankings, to be shared out
/// during the count; otherwise every rank holds one candidate. A ballot cut short by a policy ends with that
/// policy's [`InactiveReason`].
///
/// ```
/// use psephos::{normalise, CandidateId, NormalisePolicy, RankedBallotsBuilder, InactiveReason};
/// let (a, b, c) = (CandidateId(0), CandidateId(1), CandidateId(2));
/// let mut raw = RankedBallotsBuilder::new(3);
/// raw.push(a);
/// raw.push_level(&[b, c]); // overvote at rank 2
/// raw.finish(1).unwrap();
/// let (ballots, report) = normalise(&raw.build(), NormalisePolicy::default()).unwrap();
/// let ballot = ballots.get(0);
/// assert_eq!(ballot.num_levels(), 1);
/// assert_eq!(ballot.ending, InactiveReason::Overvote);
/// assert_eq!(report.truncated_overvote, 1);
/// ```
pub fn normalise(
    raw: &RankedBallots,
    policy: NormalisePolicy,
) -> Result<(RankedBallots, NormaliseReport), BallotError> {
    normalise_excluding(raw, policy, &[])
}

/// As [`normalise_excluding`], taking the raw store by value: when the
/// policies change no ballot (no skipped rank, no equal ranking to resolve,
/// no repeated or excluded candidate: the usual case for clean files), the
/// store is returned as it is, with no copy; otherwise it is rebuilt.
///
/// ```
/// use psephos::{normalise_owned, CandidateId, NormalisePolicy, RankedBallotsBuilder};
/// let mut raw = RankedBallotsBuilder::new(2);
/// raw.push(CandidateId(1));
/// raw.push(CandidateId(0));
/// raw.finish(3).unwrap();
/// let raw = raw.build();
/// let (ballots, report) = normalise_owned(raw.clone(), NormalisePolicy::default(), &[]).unwrap();
/// assert_eq!(ballots, raw);
/// assert_eq!(report.ballots, 3);
/// ```
pub fn normalise_owned(
    raw: RankedBallots,
    policy: NormalisePolicy,
    excluded: &[bool],
) -> Result<(RankedBallots, NormaliseReport), BallotError> {
    let n = raw.num_candidates();
    let is_excluded = |c: usize| excluded.get(c).copied().unwrap_or(false);
    let keep_ties =
        policy.overvote == OvervotePolicy::ExhaustIfMultipleContinuing || policy.equal_ranks == EqualRanksPolicy::Split;
    // A store the builder found plain needs no check (and holds no tie).
    let plain = !excluded.contains(&true) && raw.is_plain();
    let mut blank = 0u64;
    if plain {
        // Straight down the columns: a blank row starts where the next does.
        let is_blank = |(span, &ending): (&[u32], &u8)| span[0] == span[1] && ending == InactiveReason::Blank.to_u8();
        let rows = raw.starts.windows(2).zip(&raw.endings).map(is_blank);
        blank = rows.zip(&raw.weights).filter(|(b, _)| *b).map(|(_, &w)| w).sum();
    } else {
        let mut seen = vec![0u32; n];
        let mut clean = true;
        'ballots: for (i, ballot) in raw.iter().enumerate() {
            let stamp = i as u32 + 1;
            if stamp == u32::MAX {
                clean = false;
                break;
            }
            if ballot.marks.is_empty() {
                if ballot.ending == InactiveReason::Exhausted {
                    // Normalisation calls an empty ballot blank.
                    clean = false;
                    break;
                }
                blank += if ballot.ending == InactiveReason::Blank { ballot.weight } else { 0 };
            }
            for &m in ballot.marks {
                let c = (m & !TIED) as usize;
                if is_placeholder(m) || (m & TIED != 0 && !keep_ties) || is_excluded(c) || seen[c] == stamp {
                    clean = false;
                    break 'ballots;
                }
                seen[c] = stamp;
            }
        }
        if !clean {
            let out = normalise_excluding(&raw, policy, excluded);
            drop(raw);
            return out;
        }
    }
    let with_tied = |b: &super::BallotRef<'_>| if b.marks.iter().any(|&m| m & TIED != 0) { b.weight } else { 0 };
    let (with_overvote, with_equal_ranks) = match (policy.equal_ranks, keep_ties) {
        _ if plain => (0, 0),
        (EqualRanksPolicy::Split, _) => (0, raw.iter().map(|b| with_tied(&b)).sum()),
        (_, true) => (raw.iter().map(|b| with_tied(&b)).sum(), 0),
        _ => (0, 0),
    };
    let report = NormaliseReport {
        policy,
        ballots: raw.total_weight(),
        unique_before: raw.unique_len(),
        unique_after: raw.unique_len(),
        blank,
        with_overvote,
        with_equal_ranks,
        ..NormaliseReport::default()
    };
    Ok((raw, report))
}

/// As [`normalise`], and marks of the candidates flagged in `excluded`
/// (withdrawn candidates) are passed over as if they had not been made.
pub fn normalise_excluding(
    raw: &RankedBallots,
    policy: NormalisePolicy,
    excluded: &[bool],
) -> Result<(RankedBallots, NormaliseReport), BallotError> {
    let n = raw.num_candidates();
    let is_excluded = |c: CandidateId| excluded.get(c.index()).copied().unwrap_or(false);
    let mut out = RankedBallotsBuilder::with_capacity(n, raw.unique_len(), raw.marks.len());
    let mut report = NormaliseReport {
        policy,
        ballots: raw.total_weight(),
        unique_before: raw.unique_len(),
        ..NormaliseReport::default()
    };
    // Generation stamps: seen[c] == stamp means c was ranked on this ballot.
    let mut seen = vec![0u32; n];
    let mut stamp = 0u32;
    let mut level: Vec<CandidateId> = Vec::with_capacity(n);
    for ballot in raw.iter() {
        stamp = stamp.wrapping_add(1);
        if stamp == 0 {
            seen.fill(0);
            stamp = 1;
        }
        let w = ballot.weight;
        let mut ending = ballot.ending;
        let (mut had_over, mut had_skip, mut had_dup, mut had_equal) = (false, false, false, false);
        let mut run_of_skips = 0u16;
        let mut any_mark = false;
        let marks = ballot.marks();
        let mut i = 0;
        'levels: while i < marks.len() {
            // Gather one level.
            level.clear();
            let mut skipped = false;
            let mut unnamed = false;
            loop {
                let m = marks[i];
                i += 1;
                if m == SKIP {
                    skipped = true;
                } else if m == OVERVOTE {
                    unnamed = true;
                } else {
                    let c = CandidateId(m & !TIED);
                    if is_excluded(c) {
                        skipped = true;
                    } else {
                        level.push(c);
                    }
                }
                if ends_level(m) {
                    break;
                }
            }
            if skipped && level.is_empty() && !unnamed {
                run_of_skips = run_of_skips.saturating_add(1);
                continue;
            }
            // A marked rank: were there skipped ranks before it?
            if run_of_skips > 0 {
                had_skip = true;
                if let SkippedPolicy::ExhaustAfter(limit) = policy.skipped {
                    if run_of_skips >= limit {
                        ending = InactiveReason::Skipped;
                        report.truncated_skipped += w;
                        break 'levels;
                    }
                }
            }
            run_of_skips = 0;
            if unnamed {
                // Two or more candidates marked, none of them named: an
                // overvote whatever the policy. Under
                // exhaust-if-multiple-continuing it exhausts too, since no
                // one can tell whether fewer than two of them continue.
                any_mark = true;
                had_over = true;
                match policy.overvote {
                    OvervotePolicy::Skip => continue,
                    OvervotePolicy::Exhaust | OvervotePolicy::ExhaustIfMultipleContinuing => {
                        ending = InactiveReason::Overvote;
                        report.truncated_overvote += w;
                        break 'levels;
                    }
                }
            }
            // Repeated candidates.
            let before = level.len();
            let mut dup_here = false;
            level.retain(|c| {
                let s = &mut seen[c.index()];
                if *s == stamp {
                    dup_here = true;
                    false
                } else {
                    *s = stamp;
                    true
                }
            });
            if dup_here {
                had_dup = true;
                if policy.duplicates == DuplicatePolicy::Exhaust {
                    ending = InactiveReason::Duplicate;
                    report.truncated_duplicate += w;
                    break 'levels;
                }
            }
            if level.is_empty() {
                debug_assert!(before > 0);
                continue;
            }
            any_mark = true;
            if level.len() > 1 && policy.equal_ranks == EqualRanksPolicy::Split {
                had_equal = true;
            } else if level.len() > 1 {
                had_over = true;
                match policy.overvote {
                    OvervotePolicy::Exhaust => {
                        ending = InactiveReason::Overvote;
                        report.truncated_overvote += w;
                        break 'levels;
                    }
                    OvervotePolicy::Skip => {
                        // Passed over as if empty: it ranked nobody, so a
                        // later mark of its candidates is no repeat.
                        for c in &level {
                            seen[c.index()] = 0;
                        }
                        continue;
                    }
                    OvervotePolicy::ExhaustIfMultipleContinuing => {}
                }
            }
            out.push_level(&level);
        }
        if !any_mark && ending == InactiveReason::Exhausted {
            // Everything it marked was passed over: it counts for nobody.
            ending = if ballot.is_blank() { InactiveReason::Blank } else { InactiveReason::Exhausted };
        }
        if ending == InactiveReason::Blank {
            report.blank += w;
        }
        report.with_overvote += if had_over { w } else { 0 };
        report.with_equal_ranks += if had_equal { w } else { 0 };
        report.with_skipped += if had_skip { w } else { 0 };
        report.with_duplicate += if had_dup { w } else { 0 };
        out.finish_with(w, ending)?;
    }
    let ballots = out.build();
    report.unique_after = ballots.unique_len();
    Ok((ballots, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(i: u16) -> CandidateId {
        CandidateId(i)
    }

    fn raw(build: impl FnOnce(&mut RankedBallotsBuilder)) -> RankedBallots {
        let mut b = RankedBallotsBuilder::new(4);
        build(&mut b);
        b.finish(1).unwrap();
        b.build()
    }

    fn levels(b: &RankedBallots) -> Vec<Vec<u16>> {
        b.get(0).levels().map(|l| l.candidates().map(|c| c.0).collect()).collect()
    }

    #[test]
    fn skipped_ranks_are_ignored_by_default() {
        let r = raw(|b| {
            b.push(c(0));
            b.push_skip();
            b.push_skip();
            b.push(c(1));
        });
        let (n, rep) = normalise(&r, NormalisePolicy::default()).unwrap();
        assert_eq!(levels(&n), vec![vec![0], vec![1]]);
        assert_eq!(rep.with_skipped, 1);
        let (n, rep) = normalise(&r, NormalisePolicy::MAINE).unwrap();
        assert_eq!(levels(&n), vec![vec![0]]);
        assert_eq!(n.get(0).ending, InactiveReason::Skipped);
        assert_eq!(rep.truncated_skipped, 1);
    }

    #[test]
    fn trailing_skips_are_not_skipped_ranks() {
        let r = raw(|b| {
            b.push(c(0));
            b.push_skip();
            b.push_skip();
        });
        let (n, rep) = normalise(&r, NormalisePolicy::MAINE).unwrap();
        assert_eq!(levels(&n), vec![vec![0]]);
        assert_eq!(n.get(0).ending, InactiveReason::Exhausted);
        assert_eq!(rep.with_skipped, 0);
    }

    #[test]
    fn duplicates_skip_or_exhaust() {
        let r = raw(|b| {
            b.push(c(0));
            b.push(c(0));
            b.push(c(2));
        });
        let (n, _) = normalise(&r, NormalisePolicy::default()).unwrap();
        assert_eq!(levels(&n), vec![vec![0], vec![2]]);
        let p = NormalisePolicy { duplicates: DuplicatePolicy::Exhaust, ..Default::default() };
        let (n, rep) = normalise(&r, p).unwrap();
        assert_eq!(levels(&n), vec![vec![0]]);
        assert_eq!(n.get(0).ending, InactiveReason::Duplicate);
        assert_eq!(rep.truncated_duplicate, 1);
    }

    #[test]
    fn overvote_policies() {
        let r = raw(|b| {
            b.push_level(&[c(0), c(1)]);
            b.push(c(2));
        });
        let (n, _) = normalise(&r, NormalisePolicy::default()).unwrap();
        assert_eq!(n.get(0).num_levels(), 0);
        assert_eq!(n.get(0).ending, InactiveReason::Overvote);
        let p = NormalisePolicy { overvote: OvervotePolicy::Skip, ..Default::default() };
        let (n, _) = normalise(&r, p).unwrap();
        assert_eq!(levels(&n), vec![vec![2]]);
        let p = NormalisePolicy { overvote: OvervotePolicy::ExhaustIfMultipleContinuing, ..Default::default() };
        let (n, _) = normalise(&r, p).unwrap();
        assert_eq!(levels(&n), vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn a_skipped_overvote_ranks_nobody() {
        // `A=B`, then `B`, then `C`: with the overvote passed over, B is the
        // first choice, not a repeat.
        let r = raw(|b| {
            b.push_level(&[c(0), c(1)]);
            b.push(c(1));
            b.push(c(2));
        });
        let p = NormalisePolicy {
            overvote: OvervotePolicy::Skip,
            duplicates: DuplicatePolicy::Exhaust,
            ..Default::default()
        };
        let (n, rep) = normalise(&r, p).unwrap();
        assert_eq!(levels(&n), vec![vec![1], vec![2]]);
        assert_eq!(n.get(0).ending, InactiveReason::Exhausted);
        assert_eq!((rep.with_overvote, rep.with_duplicate, rep.truncated_duplicate), (1, 0, 0));
    }

    #[test]
    fn unnamed_overvotes_are_overvotes_under_every_policy() {
        let r = raw(|b| {
            b.push(c(0));
            b.push_skip();
            b.push_unnamed_overvote();
            b.push(c(2));
        });
        assert!(!r.get(0).is_blank());
        let level = r.get(0).levels().nth(2).unwrap();
        assert!(level.is_unnamed_overvote() && level.is_empty() && !level.is_skipped());
        for overvote in [OvervotePolicy::Exhaust, OvervotePolicy::ExhaustIfMultipleContinuing] {
            let (n, rep) = normalise(&r, NormalisePolicy { overvote, ..Default::default() }).unwrap();
            assert_eq!(levels(&n), vec![vec![0]], "{overvote}");
            assert_eq!(n.get(0).ending, InactiveReason::Overvote);
            assert_eq!((rep.with_overvote, rep.truncated_overvote, rep.with_skipped), (1, 1, 1));
        }
        let p = NormalisePolicy { overvote: OvervotePolicy::Skip, ..Default::default() };
        let (n, rep) = normalise(&r, p).unwrap();
        assert_eq!(levels(&n), vec![vec![0], vec![2]]);
        assert_eq!((rep.with_overvote, rep.truncated_overvote), (1, 0));
        // The skipped rank before it counts as a skipped rank.
        let (n, rep) = normalise(&r, NormalisePolicy::LONDON).unwrap();
        assert_eq!(levels(&n), vec![vec![0]]);
        assert_eq!((n.get(0).ending, rep.truncated_skipped), (InactiveReason::Skipped, 1));
        // A ballot holding only such a rank is not blank.
        let only = raw(|b| b.push_unnamed_overvote());
        let (n, rep) = normalise_owned(only, NormalisePolicy::default(), &[]).unwrap();
        assert_eq!((n.get(0).ending, rep.blank), (InactiveReason::Overvote, 0));
    }

    #[test]
    fn the_highest_candidate_id_and_an_unnamed_overvote_stay_apart() {
        // 32,767 candidates: the last id sits just below the placeholders.
        let last = CandidateId::from_index(crate::MAX_CANDIDATES - 1);
        let mut b = RankedBallotsBuilder::new(crate::MAX_CANDIDATES);
        b.push(last);
        b.push_tied(c(1));
        b.push_unnamed_overvote();
        b.push(c(2));
        b.push_tied(last);
        b.finish(1).unwrap();
        let r = b.build();
        let lv: Vec<usize> = r.get(0).levels().map(|l| l.len()).collect();
        assert_eq!(lv, vec![2, 0, 2]);
        assert_eq!(r.get(0).num_levels(), 3);
        assert!(r.get(0).levels().nth(1).unwrap().is_unnamed_overvote());
        let p = NormalisePolicy { overvote: OvervotePolicy::Skip, ..Default::default() };
        let (n, rep) = normalise(&r, p).unwrap();
        assert_eq!(n.get(0).levels().count(), 0, "both named levels are overvotes too");
        assert_eq!(rep.with_overvote, 1);
    }

    #[test]
    fn blank_ballots_are_kept() {
        let r = raw(|b| {
            b.push_skip();
        });
        let (n, rep) = normalise(&r, NormalisePolicy::default()).unwrap();
        assert_eq!(n.total_weight(), 1);
        assert_eq!(n.get(0).ending, InactiveReason::Blank);
        assert_eq!(rep.blank, 1);
    }

    #[test]
    fn owned_normalisation_moves_clean_stores_and_rebuilds_the_others() {
        let clean = raw(|b| {
            b.push(c(0));
            b.push(c(1));
        });
        let (n, rep) = normalise_owned(clean.clone(), NormalisePolicy::default(), &[]).unwrap();
        assert_eq!(n, clean);
        assert_eq!(rep.unique_after, 1);
        for messy in [
            raw(|b| {
                b.push(c(0));
                b.push_skip();
                b.push(c(1));
            }),
            raw(|b| {
                b.push(c(0));
                b.push(c(0));
            }),
            raw(|b| b.push_level(&[c(0), c(1)])),
        ] {
            let expected = normalise(&messy, NormalisePolicy::default()).unwrap();
            assert_eq!(normalise_owned(messy, NormalisePolicy::default(), &[]).unwrap(), expected);
        }
        let excluded = normalise_owned(clean.clone(), NormalisePolicy::default(), &[true]).unwrap();
        assert_eq!(excluded, normalise_excluding(&clean, NormalisePolicy::default(), &[true]).unwrap());
    }

    proptest::proptest! {
        /// A store the builder found plain is moved as it is, and that is
        /// exactly what rebuilding it gives; a store it found otherwise is
        /// rebuilt. Over 64 candidates the check keeps stamps, below a mask.
        #[test]
        fn the_plain_shortcut_equals_rebuilding(
            wide in proptest::bool::ANY,
            ballots in proptest::collection::vec(
                proptest::collection::vec((0u16..6, 0u8..12), 0..6), 1..30),
        ) {
            let n = if wide { 70 } else { 6 };
            let build = || {
                let mut b = RankedBallotsBuilder::new(n);
                for marks in &ballots {
                    for &(m, how) in marks {
                        match how {
                            0 => b.push_skip(),
                            1 => b.push_tied(c(m)),
                            2 => b.push_unnamed_overvote(),
                            _ => b.push(c(if wide { m * 13 } else { m })),
                        }
                    }
                    let overvote = marks.len() == 1 && marks[0].1 == 11;
                    let ending = if overvote { InactiveReason::Overvote } else { InactiveReason::Exhausted };
                    b.finish_with(1 + marks.len() as u64, ending).unwrap();
                }
                b.build()
            };
            let raw = build();
            let plain = *raw.derived.plain.get().unwrap();
            let copy = raw.clone();
            proptest::prop_assert_eq!(copy.is_plain(), plain, "the builder and a pass over the copy agree");
            for policy in [
                NormalisePolicy::STANDARD,
                NormalisePolicy::MAINE,
                NormalisePolicy::LONDON,
                NormalisePolicy { overvote: OvervotePolicy::ExhaustIfMultipleContinuing, ..NormalisePolicy::STANDARD },
                NormalisePolicy { equal_ranks: EqualRanksPolicy::Split, ..NormalisePolicy::STANDARD },
            ] {
                let rebuilt = normalise_excluding(&copy, policy, &[]);
                proptest::prop_assert_eq!(normalise_owned(build(), policy, &[]), rebuilt.clone());
                if plain {
                    // Moved as it is: the rebuilt store is the same.
                    proptest::prop_assert_eq!(&rebuilt.unwrap().0, &raw);
                }
            }
        }
    }

    #[test]
    fn policies_parse_and_print() {
        for s in ["exhaust", "skip", "exhaust-if-multiple-continuing"] {
            assert_eq!(s.parse::<OvervotePolicy>().unwrap().to_string(), s);
        }
        assert_eq!("exhaust-after:3".parse::<SkippedPolicy>().unwrap(), SkippedPolicy::ExhaustAfter(3));
        assert!("exhaust-after:0".parse::<SkippedPolicy>().is_err());
        assert!("sometimes".parse::<DuplicatePolicy>().is_err());
    }
}
