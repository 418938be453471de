//! Monotonicity and no-show paradoxes of the runoff rules (`irv`,
//! `supplementary-vote`, `contingent-vote`, `two-round`), found on the
//! ballots and proved by a witness counted again under the real rule.
//!
//! Definitions (for a winner `W`):
//!
//! - **Upward monotonicity failure** ("more is less"): `W` loses after some
//!   ballots raise `W` (here: ballots that put another candidate first are
//!   changed to put `W` first, the rest of their order kept).
//! - **Downward monotonicity failure** ("less is more"): a losing candidate
//!   `L` wins after some ballots lower `L` (here: ballots that put `L` first
//!   are changed to put another candidate first, `L` second or lower as
//!   before).
//! - **No-show paradox** (failure of participation): some voters get a winner
//!   they prefer to `W` by not voting (here: ballots are removed, and every
//!   removed ballot ranks the new winner above `W`).
//!
//! Sources: P. C. Fishburn and S. J. Brams, "Paradoxes of preferential
//! voting", *Mathematics Magazine* 56 (1983) (both paradoxes, and the
//! three-candidate constructions used here); D. S. Felsenthal and
//! N. Tideman, "Varieties of failure of monotonicity and participation under
//! five voting methods", *Theory and Decision* 75 (2013); J. M. Ornstein and
//! R. Z. Norman, "Frequency of monotonicity failure under Instant Runoff
//! Voting: estimates based on a spatial model of elections", *Public Choice*
//! 161 (2014) (the upward and downward tests at the three-candidate stage);
//! A. Graham-Squire and D. McCune, "An examination of ranked-choice voting in
//! the United States, 2004–2022", *Representation* 60 (2024) (the same
//! searches on real ballots).
//!
//! **What is searched** (a heuristic: a finding is real, an empty result is
//! not a proof that none exists). A *stage* is a round in which `W` and at
//! least two others are still counted: for IRV every such round, latest
//! first; for the top-two rules the first round, when it went to a second
//! count. At a stage with `E` the candidate eliminated (IRV) or the best
//! non-finalist (top-two rules), the search tries the fewest ballots that
//! reorder the bottom of the stage:
//!
//! - upward: for each other candidate `Y` (top-two: the other finalist),
//!   `Y`'s votes − `E`'s votes + 1 ballots that put `Y` first get `W` raised
//!   to the top, so `Y` falls below `E`;
//! - downward: when every other candidate is above `W` (top-two: the other
//!   finalist `L` led the first round), `W`'s votes − `E`'s votes + 1 ballots
//!   that put `L` first get `E` raised to the top, so `W` falls below `E`;
//! - no-show: `Y`'s votes − `E`'s votes + 1 ballots that put `Y` first and
//!   rank `E` above `W` are removed.
//!
//! Ballots are taken from those with one candidate per rank, preferring the
//! smallest change (the raised candidate already second). At the last
//! three-candidate stage of IRV, and for the contingent vote and the
//! two-round system, whose second count is a head-to-head contest, the
//! pairwise matrix tells before any recount whether the final contest could
//! turn; proposals it rules out are counted as `pruned`. Every other proposal
//! is applied to the ballots and counted again under the rule, up to
//! [`ParadoxOptions::max_recounts`]; only a recount that shows the paradox is
//! reported. The report counts proposals, pruned proposals, recounts and
//! proposals left untried, in all and for each kind; when the search's
//! [`SearchControl`] is stopped, every proposal not yet tried is left
//! untried and the report says the search was cut short.
//!
//! ```
//! use psephos::analysis::{audit, AuditOptions, ParadoxKind};
//! use psephos::{Election, Rule};
//! // Upward monotonicity failure: A wins IRV (C is eliminated, C's voters
//! // go to A). If 2 B-first voters raise A to the top, B falls below C and
//! // is eliminated instead, and C beats A in the final, 15 to 12.
//! let e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(10, &["A", "B", "C"]), (9, &["B", "C", "A"]), (8, &["C", "A", "B"])],
//! ).unwrap();
//! let a = audit(&e, &["irv".parse::<Rule>().unwrap()], &AuditOptions::standard()).unwrap();
//! let irv = a.audited().next().unwrap();
//! let found = &irv.paradoxes.as_ref().unwrap().findings;
//! assert!(found.iter().any(|f| f.kind == ParadoxKind::UpwardMonotonicity && f.confirmed));
//! ```

use super::{
    apply_changes, pick_changes, position, prefers, raise_to_top, AuditContext, BallotChange, Prefixes, SearchControl,
    Witness,
};
use crate::ballots::RankedBallots;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::pairwise::PairwiseMatrix;
use crate::rules::{CountOptions, Rule};
use crate::tabulation::Tabulation;

/// A kind of paradox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParadoxKind {
    /// The winner loses by being raised.
    UpwardMonotonicity,
    /// A loser wins by being lowered.
    DownwardMonotonicity,
    /// Voters gain by not voting.
    NoShow,
}

impl ParadoxKind {
    /// Every kind, in report order.
    pub const ALL: [ParadoxKind; 3] =
        [ParadoxKind::UpwardMonotonicity, ParadoxKind::DownwardMonotonicity, ParadoxKind::NoShow];

    /// The kind's stable name (`upward-monotonicity`, `downward-monotonicity`, `no-show`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParadoxKind::UpwardMonotonicity => "upward-monotonicity",
            ParadoxKind::DownwardMonotonicity => "downward-monotonicity",
            ParadoxKind::NoShow => "no-show",
        }
    }
}

/// How much recounting the search may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParadoxOptions {
    /// Recounts allowed per rule (0 turns the search off).
    pub max_recounts: u32,
}

impl ParadoxOptions {
    /// A few recounts per rule: every three-candidate stage and the cheapest
    /// earlier proposals.
    pub const STANDARD: ParadoxOptions = ParadoxOptions { max_recounts: 4 };
    /// Enough recounts for every proposal on elections of ordinary size.
    pub const THOROUGH: ParadoxOptions = ParadoxOptions { max_recounts: 200 };
    /// No search.
    pub const OFF: ParadoxOptions = ParadoxOptions { max_recounts: 0 };
}

impl Default for ParadoxOptions {
    fn default() -> Self {
        Self::STANDARD
    }
}

/// A paradox shown by a witness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParadoxFinding {
    /// Which paradox.
    pub kind: ParadoxKind,
    /// The winner of the ballots as cast.
    pub winner: CandidateId,
    /// The candidate raised (upward: the winner), lowered (downward) or, for
    /// a no-show, the new winner the absent voters prefer.
    pub candidate: CandidateId,
    /// The round of the stage the change was aimed at.
    pub stage: u32,
    /// The ballots to change and the recount that shows the paradox.
    pub witness: Witness,
    /// The recount showed the paradox (always true in a report: nothing
    /// unconfirmed is reported).
    pub confirmed: bool,
}

/// What the search looked at and found for one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParadoxReport {
    /// Rounds examined as stages.
    pub stages: Vec<u32>,
    /// Proposals built (enough ballots existed to make them).
    pub proposals: u32,
    /// Proposals ruled out by the pairwise check, without a recount.
    pub pruned: u32,
    /// Recounts made.
    pub recounts: u32,
    /// Proposals left untried because the recount budget ran out.
    pub unexamined: u32,
    /// The same figures for each kind of paradox, in the order of
    /// [`ParadoxKind::ALL`] (empty when nothing was searched).
    pub by_kind: Vec<KindSearch>,
    /// The search stopped because its [`SearchControl`] was stopped: the
    /// proposals it left untried are among `unexamined`.
    pub cut_short: bool,
    /// Why nothing could be searched, when that is the case.
    pub note: Option<&'static str>,
    /// Confirmed findings: at most one per kind, the smallest found.
    pub findings: Vec<ParadoxFinding>,
}

/// What the search did for one kind of paradox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KindSearch {
    /// The kind.
    pub kind: ParadoxKind,
    /// Proposals built.
    pub proposals: u32,
    /// Proposals ruled out by the pairwise check.
    pub pruned: u32,
    /// Recounts made.
    pub recounts: u32,
    /// Proposals left untried: the recount budget ran out, or the search was
    /// cut short.
    pub unexamined: u32,
}

impl KindSearch {
    fn new(kind: ParadoxKind) -> Self {
        KindSearch { kind, proposals: 0, pruned: 0, recounts: 0, unexamined: 0 }
    }
}

struct Proposal {
    kind: ParadoxKind,
    stage: u32,
    /// The last (three-candidate) stage, searched first.
    last: bool,
    candidate: CandidateId,
    /// The stage's `E`: the candidate the final is expected to be against.
    e: CandidateId,
    k: u64,
    changes: Vec<BallotChange>,
}

/// Whether the search covers this rule.
pub fn covers(rule: Rule) -> bool {
    matches!(rule, Rule::Irv(_) | Rule::SupplementaryVote | Rule::ContingentVote | Rule::TwoRound)
}

/// Searches one rule's count for paradoxes; `None` for rules not covered.
/// The search makes no recount once `control` is stopped.
pub fn search(
    election: &Election,
    context: &AuditContext,
    rule: Rule,
    t: &Tabulation,
    options: &ParadoxOptions,
    count: &CountOptions,
    control: &SearchControl,
) -> Option<ParadoxReport> {
    if !covers(rule) {
        return None;
    }
    let mut report = ParadoxReport {
        stages: Vec::new(),
        proposals: 0,
        pruned: 0,
        recounts: 0,
        unexamined: 0,
        by_kind: Vec::new(),
        cut_short: false,
        note: None,
        findings: Vec::new(),
    };
    let (Some(w), Some(ballots)) = (t.winner(), election.ranked()) else {
        report.note = Some("no winner to test");
        return Some(report);
    };
    if options.max_recounts == 0 {
        report.note = Some("search turned off");
        return Some(report);
    }
    let top_two = !matches!(rule, Rule::Irv(_));
    let matrix = context.condorcet.as_ref().map(|c| &c.matrix);
    let table = if Prefixes::counts(rule) { context.withdrawals.prefixes(election) } else { None };
    // Head-to-head finals are read exactly by the matrix for these rules.
    let final_is_pairwise = matches!(rule, Rule::Irv(_) | Rule::ContingentVote | Rule::TwoRound);
    let mut proposals: Vec<Proposal> = Vec::new();
    if top_two {
        if t.rounds.len() < 2 || t.rounds[0].tally.len() < 3 {
            report.note = Some("decided in the first count: raising the winner, lowering a loser or removing ballots that do not put the winner first cannot change it");
            return Some(report);
        }
        let r = &t.rounds[0];
        let finalists: Vec<CandidateId> = t.rounds[1].tally.iter().map(|&(c, _)| c).collect();
        let Some(&f) = finalists.iter().find(|&&c| c != w) else {
            report.note = Some("no second finalist");
            return Some(report);
        };
        let e = r.tally.iter().filter(|(c, _)| !finalists.contains(c)).max_by_key(|&&(c, v)| (v, std::cmp::Reverse(c)));
        if let Some(&(e, _)) = e {
            report.stages.push(1);
            stage_proposals(ballots, r, w, e, &[f], true, 1, &mut proposals);
        }
    } else {
        for r in t.rounds.iter().rev() {
            let out: Vec<CandidateId> = r.eliminated().collect();
            if r.tally.len() < 3 || r.votes(w).is_none() || out.len() != 1 {
                continue;
            }
            let others: Vec<CandidateId> = r.tally.iter().map(|&(c, _)| c).filter(|&c| c != w && c != out[0]).collect();
            report.stages.push(r.number);
            let last = r.tally.len() == 3;
            stage_proposals(ballots, r, w, out[0], &others, last, r.number, &mut proposals);
        }
    }
    report.proposals = proposals.len() as u32;
    let mut by_kind = ParadoxKind::ALL.map(KindSearch::new);
    let slot = |kind: ParadoxKind| ParadoxKind::ALL.iter().position(|&k| k == kind).unwrap_or(0);
    for p in &proposals {
        by_kind[slot(p.kind)].proposals += 1;
    }
    proposals.sort_by_key(|p| (!p.last, p.k, p.kind, p.stage));
    for p in proposals {
        if report.findings.iter().any(|f| f.kind == p.kind) {
            continue;
        }
        let tally = &mut by_kind[slot(p.kind)];
        if p.last && final_is_pairwise {
            if let Some(m) = matrix {
                if !final_can_turn(m, &p, w) {
                    report.pruned += 1;
                    tally.pruned += 1;
                    continue;
                }
            }
        }
        if report.recounts >= options.max_recounts || control.is_stopped() {
            report.cut_short |= report.recounts < options.max_recounts;
            report.unexamined += 1;
            tally.unexamined += 1;
            continue;
        }
        report.recounts += 1;
        tally.recounts += 1;
        control.recounted();
        // The changed ballots' table, when it names a winner, is the
        // recount's answer: no recount unless it confirms the paradox.
        let after = table.and_then(|t| t.changed(&p.changes)).and_then(|t| t.winner(rule));
        if after.is_some_and(|after| !would_confirm(&p, w, after)) {
            continue;
        }
        let Ok(changed) = apply_changes(election, &p.changes) else { continue };
        let Ok(recount) = rule.count(&changed, count) else { continue };
        let confirmed = match p.kind {
            ParadoxKind::UpwardMonotonicity => !recount.elected.contains(&w),
            ParadoxKind::DownwardMonotonicity => recount.elected.contains(&p.candidate),
            ParadoxKind::NoShow => recount.winner().is_some_and(|n| would_confirm(&p, w, n)),
        };
        if confirmed {
            let candidate = match p.kind {
                ParadoxKind::NoShow => recount.winner().unwrap_or(p.candidate),
                _ => p.candidate,
            };
            report.findings.push(ParadoxFinding {
                kind: p.kind,
                winner: w,
                candidate,
                stage: p.stage,
                witness: Witness { changes: p.changes, recount },
                confirmed: true,
            });
        }
    }
    report.findings.sort_by_key(|f| f.kind);
    report.by_kind = by_kind.to_vec();
    Some(report)
}

/// Whether proposal `p` against winner `w` is a paradox when the changed
/// ballots elect `after` alone.
fn would_confirm(p: &Proposal, w: CandidateId, after: CandidateId) -> bool {
    match p.kind {
        ParadoxKind::UpwardMonotonicity => after != w,
        ParadoxKind::DownwardMonotonicity => after == p.candidate,
        // Every ballot taken away prefers the new winner to the old.
        ParadoxKind::NoShow => {
            after != w
                && p.changes.iter().all(|c| {
                    let marks: Vec<u16> = c.from.iter().map(|x| x.0).collect();
                    prefers(&marks, after, w)
                })
        }
    }
}

/// The proposals at one stage: round `r`, winner `w`, `e` the candidate
/// about to leave, `donors` the others whose ballots may change.
#[allow(clippy::too_many_arguments)]
fn stage_proposals(
    ballots: &RankedBallots,
    r: &crate::tabulation::Round,
    w: CandidateId,
    e: CandidateId,
    donors: &[CandidateId],
    last: bool,
    stage: u32,
    out: &mut Vec<Proposal>,
) {
    let votes = |c: CandidateId| r.votes(c).unwrap_or(0);
    let (vw, ve) = (votes(w), votes(e));
    // Prefer rows where `c` is already second, then rows ranking c above `d`.
    let closeness = move |c: CandidateId, d: CandidateId| {
        move |m: &[u16]| -> Option<u8> {
            Some(match position(m, c) {
                Some(1) => 0,
                _ if prefers(m, c, d) => 1,
                _ => 2,
            })
        }
    };
    for &y in donors {
        let vy = votes(y);
        if vy < ve {
            continue;
        }
        let k = vy - ve + 1;
        if let Some(changes) = pick_changes(ballots, y, k, closeness(w, e), |m| Some(raise_to_top(m, w))) {
            out.push(Proposal { kind: ParadoxKind::UpwardMonotonicity, stage, last, candidate: w, e, k, changes });
        }
        let prefers_e = |m: &[u16]| prefers(m, e, w).then_some(0);
        if let Some(changes) = pick_changes(ballots, y, k, prefers_e, |_| None) {
            out.push(Proposal { kind: ParadoxKind::NoShow, stage, last, candidate: e, e, k, changes });
        }
    }
    // Downward: W must be second from bottom, then lifting E above W puts W out.
    let all_above = r.tally.iter().all(|&(c, v)| c == w || c == e || v > vw);
    if all_above && vw >= ve {
        let k = vw - ve + 1;
        for &l in donors {
            if votes(l) <= vw + k {
                continue;
            }
            if let Some(changes) = pick_changes(ballots, l, k, closeness(e, w), |m| Some(raise_to_top(m, e))) {
                out.push(Proposal {
                    kind: ParadoxKind::DownwardMonotonicity,
                    stage,
                    last,
                    candidate: l,
                    e,
                    k,
                    changes,
                });
            }
        }
    }
}

/// At a last stage decided head to head: whether the final contest the
/// proposal aims at could go the paradox's way, on the pairwise matrix
/// adjusted for the changed ballots. A necessary condition only: the
/// recount decides.
fn final_can_turn(m: &PairwiseMatrix, p: &Proposal, w: CandidateId) -> bool {
    // Net change of (x over y) minus (y over x) made by the proposal's ballots.
    let shift = |x: CandidateId, y: CandidateId| -> i128 {
        let sign = |marks: &[u16]| -> i128 {
            if prefers(marks, x, y) {
                1
            } else if prefers(marks, y, x) {
                -1
            } else {
                0
            }
        };
        let mut d = 0i128;
        for c in &p.changes {
            let before: Vec<u16> = c.from.iter().map(|z| z.0).collect();
            let after = c.to.as_ref().map(|t| sign(&t.iter().map(|z| z.0).collect::<Vec<_>>())).unwrap_or(0);
            d += (after - sign(&before)) * i128::from(c.count);
        }
        d
    };
    match p.kind {
        // The final becomes W against E; E must win it.
        ParadoxKind::UpwardMonotonicity | ParadoxKind::NoShow => m.margin(p.e, w) + shift(p.e, w) > 0,
        // The final becomes the lowered L against E, who was lifted; L must win it.
        ParadoxKind::DownwardMonotonicity => m.margin(p.candidate, p.e) + shift(p.candidate, p.e) > 0,
    }
}
