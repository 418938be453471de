//! STV by Meek's method.
//!
//! Every candidate has a *keep value*: 1 while hopeful, 0 once excluded, and
//! for an elected candidate the fraction of each vote reaching them that they
//! keep. A ballot gives each candidate in its order of preference the keep
//! value's share of what is left of it, and passes the rest on; what is left
//! after its last preference is exhausted. The quota is recomputed from the
//! votes still counting; each elected candidate's keep value is multiplied
//! by quota ÷ votes, and the passes repeat until the elected candidates'
//! surpluses add up to no more than the tolerance. Then every hopeful
//! candidate at or above the quota is elected, or if none is, the lowest is
//! excluded, and the iteration begins again.
//!
//! Under the equal-ranks policy `split`, a rank of several candidates not
//! excluded shares what is left of the ballot equally among them, each
//! keeping its keep value's part of its share (see [`super`]).
//!
//! Source: I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123:
//! Single Transferable Vote by Meek's Method", *The Computer Journal* 30(3),
//! 277–281 (1987). As there, arithmetic is fixed-point to 9 decimal places:
//! a candidate's share of a ballot is rounded up and the rest passed on, so
//! no vote is lost to rounding; keep values are rounded up and never exceed 1.
//!
//! ```
//! use psephos::{rules::stv, CountOptions, Election, RoundAction};
//! let mut e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(7, &["A", "C"]), (2, &["B"]), (3, &["C"])],
//! ).unwrap();
//! e.seats = 2;
//! let t = stv::meek::count(&e, &CountOptions::default(), stv::StvOptions::MEEK).unwrap();
//! let names: Vec<&str> = t.elected.iter().map(|&c| e.candidates.name(c)).collect();
//! assert_eq!(names, ["A", "C"]);
//! // A keeps about 4/7 of each of their votes.
//! let Some(RoundAction::Iteration { keep_values, .. }) = &t.rounds[1].action else { panic!() };
//! assert!((571_428_000..571_430_000).contains(&keep_values[0].1));
//! t.check_conservation().unwrap();
//! ```

use super::{order_by_votes, round_of, unit_for, Standing, StvOptions};
use crate::ballots::store::TIED;
use crate::ballots::{InactiveReason, RankedBallots};
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::rules::transfer::Count;
use crate::rules::CountOptions;
use crate::tabulation::{ElectedReason, EliminatedReason, Event, InactiveTally, RoundAction, Tabulation};
use crate::tiebreak::TieBreaker;

/// Passes over the ballots allowed in one stage before it is taken as
/// converged (the surplus also stops the iteration when it stops falling).
const MAX_ITERATIONS: u32 = 10_000;

/// A candidate's part of `left` under keep value `k`: rounded up, so that
/// nothing is lost to rounding.
#[inline]
fn kept(left: u64, k: u64, unit: u64) -> u64 {
    if k >= unit {
        left
    } else {
        (u128::from(left) * u128::from(k)).div_ceil(u128::from(unit)) as u64
    }
}

/// One pass: every ballot shared out under the keep values. With `split`,
/// a rank of several candidates still in the count shares what is left of
/// the ballot equally among them (the units that do not divide going to the
/// first), each keeps its keep value's part of its share, and the rest of
/// every share goes on down the ballot.
fn distribute(
    ballots: &RankedBallots,
    keep: &[u64],
    unit: u64,
    split: bool,
    votes: &mut [u64],
    inactive: &mut InactiveTally,
) {
    votes.iter_mut().for_each(|v| *v = 0);
    *inactive = InactiveTally::default();
    for b in ballots.iter() {
        let marks = b.marks();
        let w = b.weight;
        let mut left = unit;
        let mut at = 0;
        let mut end = b.ending;
        while at < marks.len() && left > 0 {
            let m = marks[at];
            if split && super::is_tied(m) {
                let next = super::after_level(marks, at);
                let live = marks[at..next].iter().map(|&m| usize::from(m & !TIED)).filter(|&c| keep[c] > 0);
                let k = live.clone().count() as u64;
                let mut passed = 0;
                for (c, share) in live.zip(super::equal_shares(left, k)) {
                    let give = kept(share, keep[c], unit);
                    votes[c] += w * give;
                    passed += share - give;
                }
                if k > 0 {
                    left = passed;
                }
                at = next;
                continue;
            }
            let c = if super::is_tied(m) {
                // An equal ranking: it counts only if one of its candidates
                // is still in the count.
                let next = super::after_level(marks, at);
                let mut live = marks[at..next].iter().map(|&m| usize::from(m & !TIED)).filter(|&c| keep[c] > 0);
                let first = live.next();
                if live.next().is_some() {
                    end = InactiveReason::Overvote;
                    break;
                }
                at = next;
                match first {
                    Some(c) => c,
                    None => continue,
                }
            } else {
                at += 1;
                m as usize
            };
            let k = keep[c];
            if k == 0 {
                continue;
            }
            let give = kept(left, k, unit);
            votes[c] += w * give;
            left -= give;
        }
        if left > 0 {
            inactive.add(end, w * left);
        }
    }
}

/// Counts an STV election by Meek's method.
pub fn count(election: &Election, options: &CountOptions, stv: StvOptions) -> Result<Tabulation, CountError> {
    let rule = stv.id();
    let (ballots, split) = super::ballots(election, rule)?;
    let unit = unit_for(rule, ballots, stv.decimals)?;
    let total = ballots.total_weight() * unit;
    let seats = election.seats as usize;
    let n = election.candidates.len();
    let mut standing: Vec<Standing> = super::super::standing(election)
        .into_iter()
        .map(|s| if s { Standing::Hopeful } else { Standing::Out })
        .collect();
    let mut keep: Vec<u64> = standing.iter().map(|&s| if s == Standing::Hopeful { unit } else { 0 }).collect();
    let mut votes = vec![0u64; n];
    let mut inactive = InactiveTally::default();
    let mut count = Count::new(TieBreaker::new(&options.tie_break, n));
    let mut elected: Vec<CandidateId> = Vec::new();
    let mut quota;
    loop {
        let mut iterations = 0u32;
        let mut last_surplus = u64::MAX;
        loop {
            distribute(ballots, &keep, unit, split, &mut votes, &mut inactive);
            iterations += 1;
            quota = stv.quota.quota(total - inactive.total(), election.seats, unit);
            let surplus: u64 = elected.iter().map(|c| votes[c.index()].saturating_sub(quota)).sum();
            if elected.is_empty() || surplus <= stv.tolerance || surplus >= last_surplus || iterations >= MAX_ITERATIONS
            {
                break;
            }
            last_surplus = surplus;
            for c in &elected {
                let (k, v) = (keep[c.index()], votes[c.index()]);
                if v > 0 {
                    let next = (u128::from(k) * u128::from(quota)).div_ceil(u128::from(v)) as u64;
                    keep[c.index()] = next.min(unit);
                }
            }
        }
        let number = count.round_number() + 1;
        let action = if number == 1 {
            RoundAction::FirstPreferences
        } else {
            RoundAction::Iteration {
                iterations,
                quota,
                keep_values: elected.iter().map(|&c| (c, keep[c.index()])).collect(),
            }
        };
        count.rounds.push(round_of(number, &standing, &votes, inactive, 0, action, Vec::new()));
        let hopeful: Vec<(CandidateId, u64)> = (0..n)
            .filter(|&i| standing[i] == Standing::Hopeful)
            .map(|i| (CandidateId::from_index(i), votes[i]))
            .collect();
        let reached: Vec<(CandidateId, u64)> = hopeful.iter().copied().filter(|&(_, v)| v >= quota).collect();
        let any = !reached.is_empty();
        let room = seats - elected.len().min(seats);
        for c in order_by_votes(&mut count, reached)?.into_iter().take(room) {
            standing[c.index()] = Standing::Elected;
            elected.push(c);
            count.event(Event::Elected { candidate: c, reason: ElectedReason::Quota });
        }
        let rest: Vec<(CandidateId, u64)> =
            hopeful.into_iter().filter(|&(c, _)| standing[c.index()] == Standing::Hopeful).collect();
        let left = seats - elected.len().min(seats);
        if left == 0 {
            for (c, _) in rest {
                count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::NotElected });
            }
            break;
        }
        if rest.len() <= left {
            // Elected together; listed in ballot-paper order.
            for (c, _) in rest {
                elected.push(c);
                count.event(Event::Elected { candidate: c, reason: ElectedReason::LastVacancies });
            }
            break;
        }
        if !any {
            let low = count.pick_extreme(&rest, 1, false)?[0];
            count.event(Event::Eliminated { candidate: low, reason: EliminatedReason::Lowest });
            standing[low.index()] = Standing::Out;
            keep[low.index()] = 0;
        }
    }
    Ok(super::close(count, election, &stv, elected, quota))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The equal-ranks policy `split` (the election of the Gregory test),
    /// worked by hand: first preferences A 3, B 8, C 3, D 2; B is elected.
    /// B's votes are then 6 × ½k + 5k = 8k for keep value k, and the quota
    /// is what still counts over 3: (16 − 5(1 − k)) / 3, so k = 11/19. The
    /// rest of each half-paper, ½(1 − k), goes on to C: 3 + 24/19.
    #[test]
    fn equal_rankings_shared_out() {
        let e = crate::rules::stv::tests::split_election(crate::EqualRanksPolicy::Split);
        let t = count(&e, &CountOptions::default(), StvOptions::MEEK).unwrap();
        let unit = 1_000_000_000u64;
        let first: Vec<u64> = (0..4).map(|c| t.rounds[0].votes(CandidateId(c)).unwrap()).collect();
        assert_eq!(first, [3 * unit, 8 * unit, 3 * unit, 2 * unit]);
        let Some(RoundAction::Iteration { keep_values, .. }) = &t.rounds[1].action else { panic!() };
        let near = |got: u64, want: f64| (got as f64 / unit as f64 - want).abs() < 1e-5;
        assert!(near(keep_values[0].1, 11.0 / 19.0), "{keep_values:?}");
        assert!(near(t.rounds[1].votes(CandidateId(2)).unwrap(), 3.0 + 24.0 / 19.0));
        let names: Vec<&str> = t.elected.iter().map(|&c| e.candidates.name(c)).collect();
        assert_eq!(names, ["B", "C"]);
        t.check_conservation().unwrap();
    }

    /// Keep values stay within [0, 1] and every pass conserves the votes.
    #[test]
    fn keep_values_bounded() {
        let mut e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(10, &["A", "B", "C"]), (6, &["B", "A", "D"]), (3, &["C", "D"]), (2, &["D", "B"]), (1, &["C", "A"])],
        )
        .unwrap();
        e.seats = 2;
        let t = count(&e, &CountOptions::default(), StvOptions::MEEK).unwrap();
        t.check_conservation().unwrap();
        for r in &t.rounds {
            if let Some(RoundAction::Iteration { keep_values, .. }) = &r.action {
                assert!(keep_values.iter().all(|&(_, k)| k <= 1_000_000_000));
            }
        }
        assert_eq!(t.elected.len(), 2);
    }
}
