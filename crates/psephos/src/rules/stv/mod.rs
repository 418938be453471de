//! The single transferable vote (STV): multi-seat proportional counts of
//! ranked ballots.
//!
//! A candidate whose votes reach the quota is elected; the votes they do not
//! need (their surplus) pass on to the next preferences of their ballots at a
//! reduced value; when no surplus is left to pass on, the candidate with the
//! fewest votes is excluded and their ballots pass on at their current value.
//! The count ends when every seat is filled, or when the continuing
//! candidates are no more than the seats left, who are then all elected.
//!
//! Two methods of passing on a surplus ([`StvMethod`]):
//! - [`StvMethod::Gregory`]: the weighted inclusive Gregory method of the
//!   Scottish Local Government Elections Order 2007 (SSI 2007/42), schedule 1
//!   rules 45–52; every ballot paper of the elected candidate passes on
//!   `surplus × its value ÷ the candidate's votes`, truncated to the count's
//!   decimal places. See [`scottish`].
//! - [`StvMethod::Meek`]: Meek's method as in Hill, Wichmann & Woodall,
//!   "Algorithm 123: Single Transferable Vote by Meek's Method", *The
//!   Computer Journal* 30(3), 1987; elected candidates keep a fraction of
//!   every ballot that reaches them, iterated until surpluses vanish. See
//!   [`meek`].
//!
//! Arithmetic is fixed-point: votes are integers in units of 10^-decimals of
//! a vote (5 decimals for the Scottish Order, 9 for Meek), so counts are
//! exact and repeatable. Every round records its action (first preferences,
//! a surplus with its transfer value, an exclusion, or Meek's keep values),
//! the votes of every candidate, the inactive ballots and the votes lost to
//! truncation, so that counted + inactive + rounding loss = total.
//!
//! Equal rankings: under the equal-ranks policy `split`
//! ([`EqualRanksPolicy::Split`](crate::EqualRanksPolicy::Split)) a ballot
//! that reaches a rank of several candidates still in the count gives each an
//! equal share of its current value (the fixed-point units that do not
//! divide go one each to the first of them, in the order written, so nothing
//! is lost), and each share goes on down the ballot on its own, past that
//! rank. Meek's method shares the ballot anew on every pass, among the
//! rank's candidates not excluded, as the Meek counts of the droop and
//! OpenSTV programs do; the Gregory method shares a paper when it reaches the
//! rank, among the hopeful candidates there, and a share that later moves
//! (a surplus, an exclusion) goes on to the ballot's next rank. The other
//! rules refuse ballots holding such ranks.
//!
//! Rule names: `stv` (aliases `scottish-stv`, `gregory`, `wigm`) and `meek`
//! (`meek-stv`), with `:`-separated options: a quota (`droop`, `hare`,
//! `exact-droop`), `decimals=N`, and for Meek `tolerance=0.000001`.
//!
//! ```
//! use psephos::{CountOptions, Election, Rule};
//! let mut e = Election::from_rankings(
//!     &["Ann", "Bob", "Cat", "Dan"],
//!     &[(6, &["Ann", "Bob"]), (2, &["Bob"]), (3, &["Cat"]), (1, &["Dan", "Cat"])],
//! ).unwrap();
//! e.seats = 2;
//! let rule: Rule = "scottish-stv".parse().unwrap();
//! let t = rule.count(&e, &CountOptions::default()).unwrap();
//! // Quota: 12 / 3 + 1 = 5. Ann's surplus of 1 goes to Bob at 1/6 a paper;
//! // Dan is excluded and his paper lifts Cat to 4, past Bob's 3.
//! assert_eq!(t.quota, Some(500_000));
//! let names: Vec<&str> = t.elected.iter().map(|&c| e.candidates.name(c)).collect();
//! assert_eq!(names, ["Ann", "Cat"]);
//! t.check_conservation().unwrap();
//! ```

use std::fmt;

use crate::ballots::store::{level_len, TIED};
use crate::ballots::RankedBallots;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::tabulation::{InactiveTally, Round, RoundAction, Tabulation, Transfer, TransferTarget};

pub mod meek;
mod quota;
pub mod scottish;

pub use quota::QuotaKind;

/// How a surplus is passed on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum StvMethod {
    /// Weighted inclusive Gregory, as in the Scottish Order.
    #[default]
    Gregory,
    /// Meek's method.
    Meek,
}

/// STV options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StvOptions {
    /// How surpluses are passed on.
    pub method: StvMethod,
    /// The quota.
    pub quota: QuotaKind,
    /// Decimal places of the fixed-point arithmetic (at most 9).
    pub decimals: u8,
    /// Meek only: iterate until the elected candidates' surpluses add up to
    /// no more than this, in units of 10^-decimals of a vote.
    pub tolerance: u64,
}

impl Default for StvOptions {
    fn default() -> Self {
        StvOptions::SCOTTISH
    }
}

impl StvOptions {
    /// The Scottish Local Government Elections Order 2007: Droop quota,
    /// weighted inclusive Gregory, 5 decimal places truncated.
    pub const SCOTTISH: StvOptions =
        StvOptions { method: StvMethod::Gregory, quota: QuotaKind::Droop, decimals: 5, tolerance: 0 };
    /// Meek's method after Algorithm 123: fractional Droop quota, 9 decimal
    /// places, iterated until surpluses total at most 0.000001 of a vote.
    pub const MEEK: StvOptions =
        StvOptions { method: StvMethod::Meek, quota: QuotaKind::ExactDroop, decimals: 9, tolerance: 1_000 };

    /// The rule id for these options.
    pub fn id(&self) -> &'static str {
        match self.method {
            StvMethod::Gregory => "stv",
            StvMethod::Meek => "meek",
        }
    }

    fn preset(&self) -> StvOptions {
        match self.method {
            StvMethod::Gregory => StvOptions::SCOTTISH,
            StvMethod::Meek => StvOptions::MEEK,
        }
    }

    /// One line on the count these options describe.
    pub fn description(&self) -> String {
        match self.method {
            StvMethod::Gregory => format!(
                "Single transferable vote, weighted inclusive Gregory as in Scottish council elections ({} quota, {} decimals).",
                self.quota.label(),
                self.decimals
            ),
            StvMethod::Meek => {
                let tolerance = trimmed_fixed(self.tolerance, self.decimals);
                format!(
                    "Single transferable vote by Meek's method ({} quota, {} decimals, iterated until surpluses total at most {tolerance} of a vote).",
                    self.quota.label(),
                    self.decimals
                )
            }
        }
    }

    /// Applies one `:`-separated rule option; `false` when it is not one.
    pub fn apply_option(&mut self, opt: &str) -> bool {
        if let Some(q) = QuotaKind::from_option(opt) {
            self.quota = q;
            return true;
        }
        if let Some(d) = opt.strip_prefix("decimals=") {
            return match d.parse::<u8>() {
                Ok(d) if (1..=9).contains(&d) => {
                    // Keep the tolerance's meaning in votes.
                    self.tolerance = rescale(self.tolerance, self.decimals, d);
                    self.decimals = d;
                    true
                }
                _ => false,
            };
        }
        if let Some(t) = opt.strip_prefix("tolerance=") {
            if self.method != StvMethod::Meek {
                return false;
            }
            return match parse_fixed(t, self.decimals) {
                Some(t) => {
                    self.tolerance = t;
                    true
                }
                None => false,
            };
        }
        false
    }
}

impl fmt::Display for StvOptions {
    /// The rule id, with the options that differ from its preset.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.preset();
        f.write_str(self.id())?;
        if self.quota != p.quota {
            write!(f, ":{}", self.quota)?;
        }
        if self.decimals != p.decimals {
            write!(f, ":decimals={}", self.decimals)?;
        }
        if self.method == StvMethod::Meek && rescale(self.tolerance, self.decimals, p.decimals) != p.tolerance {
            write!(f, ":tolerance={}", trimmed_fixed(self.tolerance, self.decimals))?;
        }
        Ok(())
    }
}

/// `v` in units of 10^-decimals as a decimal number without trailing zeros
/// (`0.000001`, `2`).
fn trimmed_fixed(v: u64, decimals: u8) -> String {
    let unit = 10u64.pow(u32::from(decimals));
    let frac = format!("{:0width$}", v % unit, width = usize::from(decimals));
    match frac.trim_end_matches('0') {
        "" => (v / unit).to_string(),
        frac => format!("{}.{frac}", v / unit),
    }
}

/// `v` in units of 10^-from, in units of 10^-to (truncated).
fn rescale(v: u64, from: u8, to: u8) -> u64 {
    if to >= from {
        v.saturating_mul(10u64.pow(u32::from(to - from)))
    } else {
        v / 10u64.pow(u32::from(from - to))
    }
}

/// A non-negative decimal such as `0.0001` in units of 10^-decimals
/// (further digits truncated).
fn parse_fixed(s: &str, decimals: u8) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if (int.is_empty() && frac.is_empty()) || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let unit = 10u64.pow(u32::from(decimals));
    let int: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut frac_units = 0u64;
    let mut scale = unit / 10;
    for b in frac.bytes().take(usize::from(decimals)) {
        frac_units += u64::from(b - b'0') * scale;
        scale /= 10;
    }
    int.checked_mul(unit)?.checked_add(frac_units)
}

/// Counts an STV election.
pub fn count(election: &Election, options: &super::CountOptions, stv: StvOptions) -> Result<Tabulation, CountError> {
    count_unlabelled(election, options, stv).map(|t| t.labelled(super::Rule::Stv(stv)))
}

fn count_unlabelled(
    election: &Election,
    options: &super::CountOptions,
    stv: StvOptions,
) -> Result<Tabulation, CountError> {
    match stv.method {
        StvMethod::Gregory => scottish::count(election, options, stv),
        StvMethod::Meek => meek::count(election, options, stv),
    }
}

/// The ranked ballots of an STV count, and whether their equal rankings are
/// shared out (the equal-ranks policy `split`, which the other rules refuse).
pub(crate) fn ballots<'a>(election: &'a Election, rule: &'static str) -> Result<(&'a RankedBallots, bool), CountError> {
    match election.ranked() {
        Some(b) => Ok((b, election.splits_equal_ranks())),
        None => super::ranked(election, rule).map(|b| (b, false)),
    }
}

/// `v` units shared equally `k` ways (an equal ranking under the
/// equal-ranks policy `split`): the units that do not divide go one each to
/// the first shares, so the shares add up to `v` exactly.
pub(crate) fn equal_shares(v: u64, k: u64) -> impl Iterator<Item = u64> {
    let (each, rest) = v.checked_div(k).zip(v.checked_rem(k)).unwrap_or((0, 0));
    (0..k).map(move |j| each + u64::from(j < rest))
}

/// Where a candidate stands in a quota count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Standing {
    /// Still in the count, neither elected nor excluded.
    Hopeful,
    /// Elected.
    Elected,
    /// Excluded, or withdrawn before the count.
    Out,
}

/// The arithmetic of a count: one vote is `unit`, and the whole election
/// must fit in `u64` units.
pub(crate) fn unit_for(rule: &'static str, ballots: &RankedBallots, decimals: u8) -> Result<u64, CountError> {
    if decimals > 9 {
        return Err(CountError::Unsupported { rule, reason: format!("{decimals} decimal places (at most 9)") });
    }
    let unit = 10u64.pow(u32::from(decimals));
    ballots.total_weight().checked_mul(unit).ok_or_else(|| CountError::Unsupported {
        rule,
        reason: format!("{} ballots do not fit {decimals}-decimal fixed-point arithmetic", ballots.total_weight()),
    })?;
    Ok(unit)
}

/// Candidates ordered by votes, highest first, ties decided by the chain
/// (as the elected are declared: the Order's rule 49(2) for ties).
pub(crate) fn order_by_votes(
    count: &mut super::transfer::Count<'_>,
    mut group: Vec<(CandidateId, u64)>,
) -> Result<Vec<CandidateId>, CountError> {
    let mut out = Vec::with_capacity(group.len());
    while !group.is_empty() {
        let next = if group.len() == 1 { group[0].0 } else { count.pick_extreme(&group, 1, true)?[0] };
        group.retain(|&(c, _)| c != next);
        out.push(next);
    }
    Ok(out)
}

/// The finished result of a quota count.
pub(crate) fn close(
    count: super::transfer::Count<'_>,
    election: &Election,
    stv: &StvOptions,
    elected: Vec<CandidateId>,
    quota: u64,
) -> Tabulation {
    let mut t = count.finish(stv.id(), election.total_ballots(), elected);
    t.seats = election.seats;
    t.decimals = stv.decimals;
    t.quota = Some(quota);
    t
}

/// The round record of a quota count's state.
pub(crate) fn round_of(
    number: u32,
    standing: &[Standing],
    votes: &[u64],
    inactive: InactiveTally,
    rounding_loss: u64,
    action: RoundAction,
    transfers: Vec<Transfer>,
) -> Round {
    Round {
        number,
        tally: standing
            .iter()
            .enumerate()
            .filter(|(_, &s)| s != Standing::Out)
            .map(|(i, _)| (CandidateId::from_index(i), votes[i]))
            .collect(),
        inactive,
        transfers,
        action: Some(action),
        rounding_loss,
        ..Round::default()
    }
}

/// Transfers as records: to each candidate, then to each inactive reason.
pub(crate) fn transfer_records(from: CandidateId, to_cand: &[u64], to_inactive: &InactiveTally) -> Vec<Transfer> {
    let mut out: Vec<Transfer> = to_cand
        .iter()
        .enumerate()
        .filter(|(_, &v)| v > 0)
        .map(|(c, &v)| Transfer { from, to: TransferTarget::Candidate(CandidateId::from_index(c)), votes: v })
        .collect();
    out.extend(to_inactive.iter().filter(|&(_, v)| v > 0).map(|(reason, v)| Transfer {
        from,
        to: TransferTarget::Inactive(reason),
        votes: v,
    }));
    out
}

/// The mark index after the level starting at `at`.
#[inline]
pub(crate) fn after_level(marks: &[u16], at: usize) -> usize {
    at + level_len(marks, at)
}

/// Whether mark `m` shares its rank with the next mark.
#[inline]
pub(crate) fn is_tied(m: u16) -> bool {
    m & TIED != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Candidates, CountOptions, EqualRanksPolicy, NormalisePolicy, RankedBallotsBuilder, Rule};

    /// 6 × A=B then C, 5 × B, 3 × C, 2 × D then C; two seats. Under the
    /// equal-ranks policy `split` the six ballots give A and B half a vote
    /// each.
    pub(super) fn split_election(equal_ranks: EqualRanksPolicy) -> Election {
        let (a, b, c, d) = (CandidateId(0), CandidateId(1), CandidateId(2), CandidateId(3));
        let mut raw = RankedBallotsBuilder::new(4);
        for (weight, levels) in
            [(6, vec![vec![a, b], vec![c]]), (5, vec![vec![b]]), (3, vec![vec![c]]), (2, vec![vec![d], vec![c]])]
        {
            for level in levels {
                raw.push_level(&level);
            }
            raw.finish(weight).unwrap();
        }
        let policy = NormalisePolicy { equal_ranks, ..NormalisePolicy::default() };
        Election::from_raw(Candidates::from_names(["A", "B", "C", "D"]), 2, raw.build(), policy).unwrap()
    }

    #[test]
    fn only_stv_counts_shared_equal_rankings() {
        let e = split_election(EqualRanksPolicy::Split);
        assert!(e.splits_equal_ranks());
        let report = e.normalisation.as_ref().unwrap();
        assert_eq!((report.with_equal_ranks, report.with_overvote), (6, 0));
        for rule in ["stv", "meek"] {
            assert!(rule.parse::<Rule>().unwrap().count(&e, &CountOptions::default()).is_ok(), "{rule}");
        }
        let one_seat = Election { seats: 1, ..e.clone() };
        for rule in ["irv", "plurality", "sv", "borda", "schulze", "sntv"] {
            let rule: Rule = rule.parse().unwrap();
            let e = if rule.is_multi_winner() { &e } else { &one_seat };
            let err = rule.count(e, &CountOptions::default()).unwrap_err();
            let CountError::Unsupported { reason, .. } = &err else { panic!("{rule}: {err}") };
            assert!(reason.contains("`split`") && reason.contains("stv and meek"), "{rule}: {reason}");
        }
        // Without equal rankings in the ballots, `split` changes nothing and
        // every rule counts.
        let plain = Election::from_raw(
            e.candidates.clone(),
            1,
            {
                let mut raw = RankedBallotsBuilder::new(4);
                raw.push(CandidateId(0));
                raw.finish(1).unwrap();
                raw.build()
            },
            NormalisePolicy { equal_ranks: EqualRanksPolicy::Split, ..NormalisePolicy::default() },
        )
        .unwrap();
        assert!(!plain.splits_equal_ranks());
        assert!("irv".parse::<Rule>().unwrap().count(&plain, &CountOptions::default()).is_ok());
    }

    #[test]
    fn option_names_round_trip() {
        for s in ["stv", "meek", "stv:hare", "stv:exact-droop:decimals=4", "meek:droop", "meek:tolerance=0.0001"] {
            let r: Rule = s.parse().unwrap();
            assert_eq!(r.to_string(), s);
        }
        assert_eq!("scottish-stv".parse::<Rule>().unwrap().to_string(), "stv");
        assert!("stv:tolerance=0.1".parse::<Rule>().is_err());
        assert!("stv:decimals=12".parse::<Rule>().is_err());
        assert_eq!(parse_fixed("0.0001", 9), Some(100_000));
        assert_eq!(parse_fixed("2", 2), Some(200));
        assert_eq!(parse_fixed(".", 2), None);
    }
}
