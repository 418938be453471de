//! Margins of victory: the fewest ballots whose change would give the
//! election to someone else.
//!
//! A ballot *change* rewrites one ballot (here always one that puts the
//! winner `W` first, which is where a change moves the count most). The
//! margin is the smallest number of changes after which someone other than
//! `W` wins outright, without a tie-break.
//!
//! - **Plurality**: exact. With `w` first choices for `W` and `r` for the
//!   runner-up `R`, each change of a `W` ballot to `R` closes the gap by two,
//!   and no change does more, so the margin is `⌊(w − r)/2⌋ + 1`.
//! - **Any ranked rule with two standing candidates**: exact, the same
//!   formula on the head-to-head counts (every rule here is majority rule on
//!   two candidates).
//! - **IRV, Supplementary Vote, contingent vote, two-round**: an upper bound.
//!   The candidates are the fewest changes that swing the final round
//!   (`W` ballots to the finalist), and, at each earlier stage, the fewest
//!   that push `W` out of the count (`W` ballots to the candidate just
//!   below). Each is counted again under the rule; the smallest that changes
//!   the winner is reported with its witness. Computing the exact IRV margin
//!   is far harder (T. R. Magrino, R. L. Rivest, E. Shen and D. Wagner,
//!   "Computing the margin of victory in IRV elections", EVT/WOTE 2011).
//! - **Every other rule**: an upper bound. The challenger `X` is the
//!   candidate who does best head to head against `W`; ballots putting `W`
//!   first get `X` raised to the top. When `W` is the Condorcet winner and
//!   `X` beats everyone else, the first try is the fewest changes that make
//!   `X` the Condorcet winner (enough for every rule that elects one);
//!   otherwise a doubling and halving search over the number of changes,
//!   each step a recount, within [`MarginOptions::max_recounts`].
//!
//! The search also stops early, with what it has, when its
//! [`SearchControl`] is stopped; [`MarginSearch`] says how many recounts it
//! made and whether it was cut short.
//!
//! Every reported figure comes with a witness that was counted again.
//!
//! ```
//! use psephos::analysis::{audit, AuditOptions};
//! use psephos::{Election, Rule};
//! let e = Election::from_rankings(&["A", "B", "C"], &[(10, &["A"]), (7, &["B"]), (2, &["C"])]).unwrap();
//! let a = audit(&e, &[Rule::Plurality], &AuditOptions::standard()).unwrap();
//! let m = a.audited().next().unwrap().margin.as_ref().unwrap();
//! // 10 - 7 = 3: two A voters switching to B make it 8 to 9.
//! assert_eq!((m.ballots, m.exact), (2, true));
//! ```

use super::{
    apply_changes, pick_changes, position, raise_to_top, AuditContext, BallotChange, Prefixes, SearchControl, Witness,
};
use crate::ballots::RankedBallots;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::rules::{CountOptions, Rule};
use crate::tabulation::Tabulation;
use crate::tiebreak::TieKind;

/// How much recounting the margin search may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MarginOptions {
    /// Recounts allowed per rule (0 turns margins off).
    pub max_recounts: u32,
}

impl MarginOptions {
    /// A few recounts per rule.
    pub const STANDARD: MarginOptions = MarginOptions { max_recounts: 2 };
    /// A finer search.
    pub const THOROUGH: MarginOptions = MarginOptions { max_recounts: 40 };
    /// No margins.
    pub const OFF: MarginOptions = MarginOptions { max_recounts: 0 };
}

impl Default for MarginOptions {
    fn default() -> Self {
        Self::STANDARD
    }
}

/// What a margin search did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MarginSearch {
    /// Recounts made.
    pub recounts: u32,
    /// The search stopped because its [`SearchControl`] was stopped, before
    /// a recount it would otherwise have made: a margin it gives may be
    /// larger, and a margin it did not find may exist within the budget.
    pub cut_short: bool,
}

/// The recount budget of one search, and its record.
struct Recounts<'a> {
    left: u32,
    control: &'a SearchControl,
    done: MarginSearch,
    /// The table that counts the rule on changed ballots, when it does.
    table: Option<&'a Prefixes>,
}

impl Recounts<'_> {
    /// Whether another recount may be made (false once the budget is spent
    /// or the control stopped, which is recorded).
    fn available(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        if self.control.is_stopped() {
            self.done.cut_short = true;
            return false;
        }
        true
    }

    /// Spends one recount.
    fn spend(&mut self) {
        self.left -= 1;
        self.done.recounts += 1;
        self.control.recounted();
    }
}

/// A margin of victory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Margin {
    /// Ballots to change.
    pub ballots: u64,
    /// Whether `ballots` is the true minimum; otherwise it is an upper bound.
    pub exact: bool,
    /// How it was found, in a few words.
    pub method: &'static str,
    /// The changes and the recount showing another winner.
    pub witness: Witness,
}

/// The margin of one rule's count, or `None` when none was found within the
/// budget (or the ballots are not ranked), with what the search did.
pub fn margin(
    election: &Election,
    context: &AuditContext,
    rule: Rule,
    t: &Tabulation,
    options: &MarginOptions,
    count: &CountOptions,
    control: &SearchControl,
) -> (Option<Margin>, MarginSearch) {
    let table = if Prefixes::counts(rule) { context.withdrawals.prefixes(election) } else { None };
    let mut budget = Recounts { left: options.max_recounts, control, done: MarginSearch::default(), table };
    let found = search(election, context, rule, t, count, &mut budget);
    (found, budget.done)
}

fn search(
    election: &Election,
    context: &AuditContext,
    rule: Rule,
    t: &Tabulation,
    count: &CountOptions,
    budget: &mut Recounts,
) -> Option<Margin> {
    let w = t.winner()?;
    let ballots = election.ranked()?;
    if budget.left == 0 {
        return None;
    }
    let standing: Vec<CandidateId> = election.candidates.standing().collect();
    let matrix = context.condorcet.as_ref().map(|c| &c.matrix);
    if standing.len() == 2 {
        let m = matrix?;
        let l = *standing.iter().find(|&&c| c != w)?;
        let k = half_plus_one(m.get(w, l).saturating_sub(m.get(l, w)));
        let changes = pick_changes(ballots, w, k, |_| Some(0), |row| Some(raise_to_top(row, l)))?;
        return confirm(election, rule, count, w, changes, budget).map(|witness| Margin {
            ballots: k,
            exact: true,
            method: "head-to-head majority",
            witness,
        });
    }
    match rule {
        Rule::Plurality => {
            let r = &t.rounds[0];
            let (x, vx) = r.tally.iter().filter(|&&(c, _)| c != w).max_by_key(|&&(c, v)| (v, std::cmp::Reverse(c)))?;
            let k = half_plus_one(r.votes(w)?.saturating_sub(*vx));
            let changes = pick_changes(ballots, w, k, |_| Some(0), |row| Some(raise_to_top(row, *x)))?;
            confirm(election, rule, count, w, changes, budget).map(|witness| Margin {
                ballots: k,
                exact: true,
                method: "first choices",
                witness,
            })
        }
        Rule::Irv(_) | Rule::SupplementaryVote | Rule::ContingentVote | Rule::TwoRound => {
            runoff_margin(election, ballots, rule, t, w, count, budget)
        }
        _ => generic_margin(election, context, ballots, rule, w, count, budget),
    }
}

fn half_plus_one(gap: u64) -> u64 {
    gap / 2 + 1
}

/// Counts the changed ballots; the witness if someone else wins.
fn confirm(
    election: &Election,
    rule: Rule,
    count: &CountOptions,
    w: CandidateId,
    changes: Vec<BallotChange>,
    budget: &mut Recounts,
) -> Option<Witness> {
    if !budget.available() {
        return None;
    }
    budget.spend();
    // The changed ballots' table, when it names a winner, is the recount's
    // answer: the same winner is no witness, and needs no recount.
    if budget.table.and_then(|t| t.changed(&changes)).and_then(|t| t.winner(rule)) == Some(w) {
        return None;
    }
    let changed = apply_changes(election, &changes).ok()?;
    let recount = rule.count(&changed, count).ok()?;
    (!recount.elected.contains(&w) && !recount.ties.iter().any(|d| d.kind == TieKind::Election))
        .then_some(Witness { changes, recount })
}

/// Bounds for the runoff rules from their rounds.
fn runoff_margin(
    election: &Election,
    ballots: &RankedBallots,
    rule: Rule,
    t: &Tabulation,
    w: CandidateId,
    count: &CountOptions,
    budget: &mut Recounts,
) -> Option<Margin> {
    // (k, beneficiary, what) proposals.
    let mut proposals: Vec<(u64, CandidateId, &'static str)> = Vec::new();
    let last = t.rounds.last()?;
    if let Some(&(f, vf)) = last.tally.iter().filter(|&&(c, _)| c != w).max_by_key(|&&(c, v)| (v, std::cmp::Reverse(c)))
    {
        let vw = last.votes(w)?;
        proposals.push((half_plus_one(vw.saturating_sub(vf)), f, "swing the final round"));
    }
    let top_two = !matches!(rule, Rule::Irv(_));
    for r in &t.rounds {
        let Some(vw) = r.votes(w) else { continue };
        if r.tally.len() < 3 || (top_two && r.number > 1) {
            continue;
        }
        let mut others: Vec<(CandidateId, u64)> = r.tally.iter().copied().filter(|&(c, _)| c != w).collect();
        others.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        // IRV: W must fall below the lowest other (who is given the ballots)
        // and stay below the second lowest. Top-two: below the second best
        // other (given the ballots) and the best.
        let (target, guard) = if top_two {
            (others[1], Some(others[0].1))
        } else {
            let n = others.len();
            (others[n - 1], if n >= 2 { Some(others[n - 2].1) } else { None })
        };
        let mut k = half_plus_one(vw.saturating_sub(target.1));
        if let Some(g) = guard {
            k = k.max((vw + 1).saturating_sub(g));
        }
        proposals.push((k, target.0, "push the winner out of the count"));
    }
    proposals.sort();
    proposals.dedup();
    for (k, x, method) in proposals {
        if k == 0 {
            continue;
        }
        let Some(changes) = pick_changes(ballots, w, k, |_| Some(0), |row| Some(raise_to_top(row, x))) else {
            continue;
        };
        if let Some(witness) = confirm(election, rule, count, w, changes, budget) {
            return Some(Margin { ballots: k, exact: false, method, witness });
        }
        if !budget.available() {
            break;
        }
    }
    None
}

/// The challenger search for every other rule.
fn generic_margin(
    election: &Election,
    context: &AuditContext,
    ballots: &RankedBallots,
    rule: Rule,
    w: CandidateId,
    count: &CountOptions,
    budget: &mut Recounts,
) -> Option<Margin> {
    let report = context.condorcet.as_ref()?;
    let m = &report.matrix;
    let x =
        report.standing.iter().copied().filter(|&c| c != w).max_by_key(|&c| (m.margin(c, w), std::cmp::Reverse(c)))?;
    // Rows putting W first, X second first: the smallest change.
    let try_k = |k: u64, budget: &mut Recounts| -> Option<Witness> {
        let key = |row: &[u16]| Some(if position(row, x) == Some(1) { 0 } else { 1 });
        let changes = pick_changes(ballots, w, k, key, |row| Some(raise_to_top(row, x)))?;
        confirm(election, rule, count, w, changes, budget)
    };
    let available: u64 = ballots
        .strict_rows_by_first()
        .get(w.index())
        .map_or(0, |rows| rows.iter().map(|&i| ballots.weights()[i as usize]).sum());
    let gap = u64::try_from(m.margin(w, x).max(0)).unwrap_or(u64::MAX);
    let k0 = half_plus_one(gap).min(available.max(1));
    let x_beats_rest = report.standing.iter().all(|&c| c == w || c == x || m.beats(x, c));
    let condorcet = report.winner == Some(w) && x_beats_rest && elects_condorcet(rule);
    let method =
        if condorcet { "make the strongest challenger the Condorcet winner" } else { "raise the strongest challenger" };
    let mut best: Option<(u64, Witness)> = None;
    let mut lo = 0u64; // known (or assumed) not enough
    let mut k = k0;
    // Doubling until a change works.
    while best.is_none() && k <= available && budget.available() {
        match try_k(k, budget) {
            Some(wit) => best = Some((k, wit)),
            None => {
                lo = k;
                if k == available {
                    break;
                }
                k = (k * 2).min(available);
            }
        }
    }
    // Halving between what failed and what worked, unless the Condorcet
    // argument already says fewer changes leave W the Condorcet winner.
    if !condorcet {
        while let Some((hi, _)) = &best {
            let hi = *hi;
            if hi <= lo + 1 || !budget.available() {
                break;
            }
            let mid = lo + (hi - lo) / 2;
            match try_k(mid, budget) {
                Some(wit) => best = Some((mid, wit)),
                None => lo = mid,
            }
        }
    }
    best.map(|(ballots, witness)| Margin { ballots, exact: false, method, witness })
}

fn elects_condorcet(rule: Rule) -> bool {
    super::spoilers::elects_condorcet_winner(rule)
}
