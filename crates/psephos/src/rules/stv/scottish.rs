//! STV by the weighted inclusive Gregory method, as the Scottish Local
//! Government Elections Order 2007 (SSI 2007/42), schedule 1, counts it.
//!
//! - Rule 46: the quota is the number of valid ballot papers divided by one
//!   more than the seats, ignoring decimals, plus one (with
//!   [`QuotaKind::Droop`](super::QuotaKind::Droop); other quotas may be chosen).
//! - Rule 47: a candidate whose votes equal or exceed the quota is elected;
//!   several reaching it at one stage are declared highest first.
//! - Rules 48–49: the largest surplus is transferred first (a tie goes to
//!   the candidate with more votes at the latest stage at which they
//!   differed, then to the lot). Every ballot paper of the elected candidate
//!   passes to its next continuing preference with the value `surplus × its
//!   value ÷ the candidate's votes`, calculated to five decimal places with
//!   any remainder ignored; the elected candidate keeps the quota. What
//!   truncation loses is recorded as the round's rounding loss.
//! - Rules 50–51: with no surplus to transfer, the candidate with the fewest
//!   votes is excluded (a tie goes by the latest stage at which the tied
//!   candidates differed, then by lot) and all their papers pass on at their
//!   current values.
//! - Rule 52: when the continuing candidates are no more than the vacancies
//!   left, they are all elected together (listed in ballot-paper order) and
//!   no further transfer is made. After an exclusion this is checked before
//!   rule 47, so a candidate who reaches the quota at that stage is elected
//!   together with the others (as the Droop package's Scottish rule does).
//!
//! Under the equal-ranks policy `split` (which the Order does not know: its
//! papers mark one preference per rank) a paper reaching a rank of several
//! hopeful candidates is split into equal parcels, one for each; see
//! [`super`].
//!
//! The tie-break chain models rules 49 and 51 when it is
//! `previous-rounds,random` (the lot drawn from the seed).
//!
//! ```
//! use psephos::{rules::stv, CountOptions, Election, ElectedReason, Event, RoundAction};
//! let mut e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(7, &["A", "C"]), (2, &["B"]), (3, &["C"])],
//! ).unwrap();
//! e.seats = 2;
//! let t = stv::scottish::count(&e, &CountOptions::default(), stv::StvOptions::SCOTTISH).unwrap();
//! // Quota 12 / 3 + 1 = 5: A's surplus of 2 passes at 2/7 a paper, to C.
//! let r2 = &t.rounds[1];
//! assert!(matches!(r2.action, Some(RoundAction::Surplus { transfer_value: 28_571, .. })));
//! assert_eq!(r2.votes(e.candidates.id_of("C").unwrap()), Some(300_000 + 7 * 28_571));
//! assert_eq!(r2.rounding_loss, 3);
//! // B is excluded; C, the one continuing candidate, fills the last seat.
//! assert!(matches!(t.rounds[2].events[0], Event::Elected { reason: ElectedReason::LastVacancies, .. }));
//! ```

use super::{order_by_votes, round_of, unit_for, Standing, StvOptions};
use crate::ballots::store::TIED;
use crate::ballots::RankedBallots;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::rules::transfer::{next_choice, Count};
use crate::rules::CountOptions;
use crate::tabulation::{ElectedReason, EliminatedReason, Event, InactiveTally, RoundAction, Tabulation, Transfer};
use crate::tiebreak::TieBreaker;

/// The state of a Gregory count between stages.
///
/// Papers travel in *parcels*: at first one per unique ballot, each holding
/// that ballot's papers at one value. Under the equal-ranks policy `split`
/// a parcel that reaches a rank of several hopeful candidates is split into
/// one parcel for each, and each goes on down the ballot on its own.
struct Gregory<'a> {
    ballots: &'a RankedBallots,
    /// Whether equal rankings are shared out.
    split: bool,
    standing: Vec<Standing>,
    /// `standing == Hopeful`, in the shape the ballot walk wants.
    hopeful: Vec<bool>,
    /// The unique ballot of each parcel.
    ballot: Vec<u32>,
    /// Mark index of the level each parcel counts at.
    pos: Vec<u32>,
    /// Value of each paper of each parcel, in units.
    value: Vec<u64>,
    /// Parcels on each candidate's pile.
    piles: Vec<Vec<u32>>,
    votes: Vec<u64>,
    inactive: InactiveTally,
    loss: u64,
}

impl<'a> Gregory<'a> {
    fn new(ballots: &'a RankedBallots, standing: Vec<Standing>, unit: u64, split: bool) -> Self {
        let n = ballots.num_candidates();
        let hopeful: Vec<bool> = standing.iter().map(|&s| s == Standing::Hopeful).collect();
        let unique = ballots.unique_len();
        let mut g = Gregory {
            ballots,
            split,
            standing,
            hopeful,
            ballot: (0..unique as u32).collect(),
            pos: vec![0; unique],
            value: vec![unit; unique],
            piles: vec![Vec::new(); n],
            votes: vec![0; n],
            inactive: InactiveTally::default(),
            loss: 0,
        };
        let (mut to_cand, mut to_inactive) = (vec![0u64; n], InactiveTally::default());
        for p in 0..unique {
            g.place(p, 0, &mut to_cand, &mut to_inactive);
        }
        g
    }

    /// Puts parcel `p` on the pile of its first continuing choice at or
    /// after mark `from` (split among the hopeful candidates of an equal
    /// ranking, under `split`), adding where its value went to `to_cand` and
    /// `to_inactive`.
    #[inline]
    fn place(&mut self, p: usize, from: usize, to_cand: &mut [u64], to_inactive: &mut InactiveTally) {
        let b = self.ballots.get(self.ballot[p] as usize);
        let v = self.value[p];
        if !self.split {
            match next_choice(b.marks(), from, 0, usize::MAX, &self.hopeful, b.ending) {
                Ok((at, c)) => self.put(p, at, c, v, to_cand),
                Err(reason) => {
                    self.inactive.add(reason, b.weight * v);
                    to_inactive.add(reason, b.weight * v);
                }
            }
            return;
        }
        let marks = b.marks();
        let mut at = from;
        while at < marks.len() {
            let next = super::after_level(marks, at);
            let hopeful: Vec<CandidateId> =
                marks[at..next].iter().map(|&m| CandidateId(m & !TIED)).filter(|c| self.hopeful[c.index()]).collect();
            if !hopeful.is_empty() {
                // An equal share for each hopeful candidate at this rank.
                let shares = super::equal_shares(v, hopeful.len() as u64);
                for (j, (c, share)) in hopeful.into_iter().zip(shares).enumerate() {
                    let parcel = if j == 0 {
                        p
                    } else {
                        self.ballot.push(self.ballot[p]);
                        self.pos.push(0);
                        self.value.push(0);
                        self.ballot.len() - 1
                    };
                    self.put(parcel, at, c, share, to_cand);
                }
                return;
            }
            at = next;
        }
        self.inactive.add(b.ending, b.weight * v);
        to_inactive.add(b.ending, b.weight * v);
    }

    /// Puts parcel `p`, worth `v` a paper, on `c`'s pile at mark `at`.
    #[inline]
    fn put(&mut self, p: usize, at: usize, c: CandidateId, v: u64, to_cand: &mut [u64]) {
        let worth = self.ballots.weights()[self.ballot[p] as usize] * v;
        self.pos[p] = at as u32;
        self.value[p] = v;
        self.piles[c.index()].push(p as u32);
        self.votes[c.index()] += worth;
        to_cand[c.index()] += worth;
    }

    /// Moves every parcel of `from` on, each paper's value mapped by
    /// `revalue`; returns the transfers and the value moved.
    fn move_pile(&mut self, from: CandidateId, revalue: impl Fn(u64) -> u64) -> (Vec<Transfer>, u64) {
        let pile = std::mem::take(&mut self.piles[from.index()]);
        let n = self.votes.len();
        let mut to_cand = vec![0u64; n];
        let mut to_inactive = InactiveTally::default();
        let mut moved = 0u64;
        for &p in &pile {
            let p = p as usize;
            let v = revalue(self.value[p]);
            self.value[p] = v;
            if v == 0 {
                // A paper worth nothing moves nothing.
                continue;
            }
            let b = self.ballots.get(self.ballot[p] as usize);
            moved += b.weight * v;
            let next = super::after_level(b.marks(), self.pos[p] as usize);
            self.place(p, next, &mut to_cand, &mut to_inactive);
        }
        (super::transfer_records(from, &to_cand, &to_inactive), moved)
    }

    fn hopefuls(&self) -> Vec<(CandidateId, u64)> {
        (0..self.standing.len())
            .filter(|&i| self.standing[i] == Standing::Hopeful)
            .map(|i| (CandidateId::from_index(i), self.votes[i]))
            .collect()
    }

    fn set(&mut self, c: CandidateId, s: Standing) {
        self.standing[c.index()] = s;
        self.hopeful[c.index()] = s == Standing::Hopeful;
    }
}

/// Counts an STV election by weighted inclusive Gregory transfers.
pub fn count(election: &Election, options: &CountOptions, stv: StvOptions) -> Result<Tabulation, CountError> {
    let rule = stv.id();
    let (ballots, split) = super::ballots(election, rule)?;
    let unit = unit_for(rule, ballots, stv.decimals)?;
    let seats = election.seats as usize;
    let standing: Vec<Standing> = super::super::standing(election)
        .into_iter()
        .map(|s| if s { Standing::Hopeful } else { Standing::Out })
        .collect();
    let mut g = Gregory::new(ballots, standing, unit, split);
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let valid: u64 = g.votes.iter().sum();
    let quota = stv.quota.quota(valid, election.seats, unit);
    count.rounds.push(round_of(1, &g.standing, &g.votes, g.inactive, 0, RoundAction::FirstPreferences, Vec::new()));
    let mut elected: Vec<CandidateId> = Vec::new();
    // Elected candidates whose surplus is still to be transferred.
    let mut pending: Vec<CandidateId> = Vec::new();
    loop {
        // Rule 47: everyone at or above the quota is elected, highest first.
        let reached: Vec<(CandidateId, u64)> = g.hopefuls().into_iter().filter(|&(_, v)| v >= quota).collect();
        let room = seats - elected.len().min(seats);
        for c in order_by_votes(&mut count, reached)?.into_iter().take(room) {
            g.set(c, Standing::Elected);
            elected.push(c);
            if g.votes[c.index()] > quota {
                pending.push(c);
            }
            count.event(Event::Elected { candidate: c, reason: ElectedReason::Quota });
        }
        let left = seats - elected.len().min(seats);
        if left == 0 || g.hopefuls().len() <= left {
            break;
        }
        let number = count.round_number() + 1;
        if !pending.is_empty() {
            // Rules 48-49: the largest surplus first.
            let group: Vec<(CandidateId, u64)> = pending.iter().map(|&c| (c, g.votes[c.index()])).collect();
            let from = count.pick_extreme(&group, 1, true)?[0];
            pending.retain(|&c| c != from);
            let votes = g.votes[from.index()];
            let surplus = votes - quota;
            let transfer_value = (u128::from(surplus) * u128::from(unit) / u128::from(votes)) as u64;
            let (transfers, moved) =
                g.move_pile(from, |v| (u128::from(surplus) * u128::from(v) / u128::from(votes)) as u64);
            g.votes[from.index()] = quota;
            g.loss += surplus - moved;
            let action = RoundAction::Surplus { candidate: from, surplus, transfer_value };
            count.rounds.push(round_of(number, &g.standing, &g.votes, g.inactive, g.loss, action, transfers));
        } else {
            // Rules 50-51: exclude the lowest.
            let low = count.pick_extreme(&g.hopefuls(), 1, false)?[0];
            count.event(Event::Eliminated { candidate: low, reason: EliminatedReason::Lowest });
            g.set(low, Standing::Out);
            let (transfers, _) = g.move_pile(low, |v| v);
            g.votes[low.index()] = 0;
            let action = RoundAction::Exclusion { candidates: vec![low] };
            count.rounds.push(round_of(number, &g.standing, &g.votes, g.inactive, g.loss, action, transfers));
            if g.hopefuls().len() <= left {
                // Rule 52 fills the last vacancies at this stage, those at
                // the quota with the rest.
                break;
            }
        }
    }
    // Rule 52: the last vacancies.
    let rest = g.hopefuls();
    if elected.len() < seats {
        // Elected together; listed in ballot-paper order.
        for (c, v) in rest {
            elected.push(c);
            let reason = if v >= quota { ElectedReason::Quota } else { ElectedReason::LastVacancies };
            count.event(Event::Elected { candidate: c, reason });
        }
    } else {
        for (c, _) in rest {
            count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::NotElected });
        }
    }
    Ok(super::close(count, election, &stv, elected, quota))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::stv::QuotaKind;

    fn names(e: &Election, t: &Tabulation) -> Vec<String> {
        t.elected.iter().map(|&c| e.candidates.name(c).to_owned()).collect()
    }

    /// The worked example of the Electoral Reform Society's "How to conduct
    /// an election by the Single Transferable Vote" (3rd ed., 1997), as
    /// retold in Wikipedia's "Single transferable vote" article: the food
    /// election, 20 voters, 3 seats, Droop quota 6.
    #[test]
    fn food_election() {
        let mut e = Election::from_rankings(
            &["Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"],
            &[
                (4, &["Oranges"]),
                (2, &["Pears", "Oranges"]),
                (8, &["Chocolate", "Strawberries"]),
                (4, &["Chocolate", "Hamburgers"]),
                (1, &["Strawberries"]),
                (1, &["Hamburgers"]),
            ],
        )
        .unwrap();
        e.seats = 3;
        let t = count(&e, &CountOptions::default(), StvOptions::SCOTTISH).unwrap();
        assert_eq!(t.quota, Some(6 * 100_000));
        assert_eq!(names(&e, &t), ["Chocolate", "Oranges", "Strawberries"]);
        // Chocolate's surplus of 6 from 12 papers: each worth 0.5.
        assert!(matches!(t.rounds[1].action, Some(RoundAction::Surplus { transfer_value: 50_000, .. })));
        t.check_conservation().unwrap();
    }

    /// The equal-ranks policy `split`, worked by hand (quota ⌊16 / 3⌋ + 1 =
    /// 6): the six A=B ballots give A and B half a paper each, so A has 3
    /// and B 3 + 5 = 8. B's surplus of 2 passes at a quarter of each paper's
    /// value: the six half-papers, now worth 0.125, go on past the A=B rank
    /// to C (+0.75), and the five B papers exhaust (1.25). D (2) is
    /// excluded, lifting C to 5.75; then A (3), whose half-papers go on to
    /// C, which fills the last seat.
    #[test]
    fn equal_rankings_shared_out() {
        let e = crate::rules::stv::tests::split_election(crate::EqualRanksPolicy::Split);
        let t = count(&e, &CountOptions::default(), StvOptions::SCOTTISH).unwrap();
        let unit = 100_000;
        assert_eq!(t.quota, Some(6 * unit));
        let votes = |r: usize, c: u16| t.rounds[r].votes(CandidateId(c));
        assert_eq!([votes(0, 0), votes(0, 1), votes(0, 2), votes(0, 3)], [3, 8, 3, 2].map(|v| Some(v * unit)));
        assert!(matches!(t.rounds[1].action, Some(RoundAction::Surplus { transfer_value: 25_000, .. })));
        assert_eq!(votes(1, 2), Some(375_000));
        assert_eq!(t.rounds[1].inactive.get(crate::InactiveReason::Exhausted), 125_000);
        assert_eq!(votes(2, 2), Some(575_000));
        assert_eq!(names(&e, &t), ["B", "C"]);
        t.check_conservation().unwrap();
        // Read as overvotes, the six ballots count for nobody.
        let e = crate::rules::stv::tests::split_election(crate::EqualRanksPolicy::Overvote);
        let t = count(&e, &CountOptions::default(), StvOptions::SCOTTISH).unwrap();
        assert_eq!(t.rounds[0].votes(CandidateId(0)), Some(0));
        assert_eq!(t.rounds[0].inactive.get(crate::InactiveReason::Overvote), 6 * unit);
    }

    /// Every ballot exhausts: the count must still end with the seats filled
    /// by the last-vacancies rule.
    #[test]
    fn hare_quota_and_last_vacancies() {
        let mut e =
            Election::from_rankings(&["A", "B", "C", "D"], &[(5, &["A"]), (4, &["B"]), (3, &["C"]), (2, &["D"])])
                .unwrap();
        e.seats = 2;
        let stv = StvOptions { quota: QuotaKind::Hare, ..StvOptions::SCOTTISH };
        let t = count(&e, &CountOptions::default(), stv).unwrap();
        assert_eq!(t.quota, Some(700_000));
        assert_eq!(names(&e, &t), ["A", "B"]);
        assert!(t.rounds.last().unwrap().events.iter().all(|ev| matches!(
            ev,
            Event::Elected { reason: ElectedReason::LastVacancies, .. } | Event::Eliminated { .. }
        )));
        t.check_conservation().unwrap();
    }
}
