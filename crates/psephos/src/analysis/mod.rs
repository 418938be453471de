//! Election audits: what the ballots say beyond who won.
//!
//! An audit counts one election under many single-winner rules and reports,
//! for each, facts a returning officer or a political scientist asks about:
//!
//! - [`condorcet`]: the pairwise matrix, the Condorcet winner and loser (or a
//!   majority cycle) and the Smith set;
//! - [`spoilers`]: for each losing candidate, the winner had they withdrawn
//!   (a *spoiler* is a loser whose withdrawal changes the winner; the
//!   question behind "vote splitting");
//! - the *centre squeeze* ([`CentreSqueeze`]): a Condorcet winner eliminated
//!   by an elimination rule, and in which round;
//! - [`paradoxes`]: monotonicity and no-show failures of the runoff rules
//!   (`irv`, `supplementary-vote`, `contingent-vote`, `two-round`), each with
//!   a [`Witness`] re-counted under the real rule;
//! - [`margins`]: the fewest ballots whose change alters the winner, exact
//!   where cheap, otherwise an upper bound with its witness.
//!
//! The work splits into independent pieces so that a caller with a thread
//! pool can run them side by side: [`AuditContext::new`] (or
//! [`Withdrawals::from_elections`] with [`Election::without`] run by the
//! caller) prepares what every rule shares, then [`audit_rule`] audits one
//! rule. [`audit`] does it all in order, on the calling thread; the result
//! never depends on how the work was spread.
//!
//! A witness names concrete ballots as they are stored after normalisation
//! (strict rankings, best first) and what to turn them into; anyone can apply
//! it with [`apply_changes`] and count again.
//!
//! ```
//! use psephos::analysis::{audit, AuditOptions};
//! use psephos::{Election, Rule};
//! // Burlington-like: B is the Condorcet winner but is squeezed out by IRV.
//! let e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(37, &["A", "B", "C"]), (25, &["B", "A", "C"]), (38, &["C", "B", "A"])],
//! ).unwrap();
//! let rules: Vec<Rule> = ["plurality", "irv", "schulze"].iter().map(|r| r.parse().unwrap()).collect();
//! let a = audit(&e, &rules, &AuditOptions::standard()).unwrap();
//! let b = e.candidates.id_of("B").unwrap();
//! assert_eq!(a.condorcet.as_ref().unwrap().winner, Some(b));
//! let irv = a.audited().nth(1).unwrap();
//! assert_eq!(irv.squeeze.as_ref().unwrap().round, 1);
//! // Without C, B wins the IRV count: C is a spoiler.
//! assert!(irv.spoilers.iter().any(|s| s.is_spoiler() && s.candidate == e.candidates.id_of("C").unwrap()));
//! ```

pub mod condorcet;
pub mod control;
pub mod margins;
pub mod paradoxes;
pub use crate::prefixes;
pub mod spoilers;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::ballots::RankedBallots;
use crate::candidate::CandidateId;
use crate::election::{Election, Profile};
use crate::error::CountError;
use crate::rules::{CountOptions, Rule, CATALOGUE};
use crate::tabulation::{Event, Tabulation};

pub use condorcet::CondorcetReport;
pub use control::SearchControl;
pub use margins::{Margin, MarginOptions, MarginSearch};
pub use paradoxes::{ParadoxFinding, ParadoxKind, ParadoxOptions, ParadoxReport};
pub use prefixes::Prefixes;
pub use spoilers::{spoiler_effect, FirstChoices, SpoilerFinding, SpoilerMethod, SpoilerOptions};

/// A strict ranking, best first, as stored after normalisation.
pub type Ranking = Vec<CandidateId>;

/// One change to the ballots: `count` ballots that read `from` are made to
/// read `to`, or are removed (the voters stay at home) when `to` is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotChange {
    /// The ballots as cast (after normalisation).
    pub from: Ranking,
    /// What they become; `None` removes them.
    pub to: Option<Ranking>,
    /// How many.
    pub count: u64,
}

/// The proof of a finding: ballot changes and the count after them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// What to change.
    pub changes: Vec<BallotChange>,
    /// The count of the changed ballots under the rule.
    pub recount: Tabulation,
}

impl Witness {
    /// Ballots changed or removed in all.
    pub fn ballots(&self) -> u64 {
        self.changes.iter().map(|c| c.count).sum()
    }

    /// The winners after the change.
    pub fn winners_after(&self) -> &[CandidateId] {
        &self.recount.elected
    }
}

/// Why a witness does not apply to an election.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WitnessError {
    /// The election's ballots are not ranked.
    #[error("a witness changes ranked ballots, and these are {0} ballots")]
    NotRanked(&'static str),
    /// Fewer ballots read `from` than the change needs.
    #[error("only {found} ballots read the ranking to change, and the change needs {needed}")]
    TooFew {
        /// Ballots found.
        found: u64,
        /// Ballots needed.
        needed: u64,
    },
    /// A ranking names a candidate the election does not have.
    #[error("a ranking names a candidate outside the election")]
    UnknownCandidate,
}

/// The election with `changes` applied. Ballots are taken in store order
/// from the unique ballots whose marks read exactly `from` (whatever made
/// them inactive at their end, which they keep).
pub fn apply_changes(election: &Election, changes: &[BallotChange]) -> Result<Election, WitnessError> {
    let ballots = election.ranked().ok_or(WitnessError::NotRanked(election.profile.kind()))?;
    let n = ballots.num_candidates();
    // Room for the rows the changes add (usually one each), so that adding
    // them does not copy the whole store a second time.
    let mut out =
        copy_with_room(ballots, changes.len(), changes.iter().map(|c| c.to.as_ref().map_or(0, Vec::len)).sum());
    let original = ballots.unique_len();
    // The rows of the store that read each `from`, in store order, found in
    // one pass (a witness may hold thousands of changes, and a store
    // millions of rows). A `from` names one candidate per rank, so only the
    // strict rows starting with its first choice can match (rows of weight
    // 0, left out of that index, give no ballot); blank ones need them all.
    let wanted: Vec<Vec<u16>> = changes.iter().map(|ch| ch.from.iter().map(|c| c.0).collect()).collect();
    let mut rows_of: HashMap<&[u16], Vec<usize>> = wanted.iter().map(|f| (f.as_slice(), Vec::new())).collect();
    let mut look = |i: usize| {
        if let Some(rows) = rows_of.get_mut(ballots.marks_of(i)) {
            rows.push(i);
        }
    };
    if wanted.iter().any(|f| f.is_empty()) {
        (0..original).for_each(&mut look);
    } else {
        let mut firsts: Vec<u16> = wanted.iter().map(|f| f[0]).collect();
        firsts.sort_unstable();
        firsts.dedup();
        let by_first = ballots.strict_rows_by_first();
        for rows in firsts.iter().filter_map(|&c| by_first.get(usize::from(c))) {
            rows.iter().for_each(|&i| look(i as usize));
        }
    }
    for (ch, from) in changes.iter().zip(&wanted) {
        let bad = |r: &Ranking| r.iter().any(|c| c.index() >= n);
        if bad(&ch.from) || ch.to.as_ref().is_some_and(bad) {
            return Err(WitnessError::UnknownCandidate);
        }
        let mut left = ch.count;
        // Store order: the original rows first, then rows added by earlier changes.
        let added = (original..out.unique_len())
            .filter(|&i| out.marks[out.starts[i] as usize..out.starts[i + 1] as usize] == from[..]);
        let rows: Vec<usize> = rows_of[from.as_slice()].iter().copied().chain(added).collect();
        for i in rows {
            if left == 0 {
                break;
            }
            if out.weights[i] == 0 {
                continue;
            }
            let take = left.min(out.weights[i]);
            out.weights[i] -= take;
            left -= take;
            let ending = out.endings[i];
            match &ch.to {
                Some(to) => push_row(&mut out, to, take, ending),
                None => out.total -= take,
            }
        }
        if left > 0 {
            return Err(WitnessError::TooFew { found: ch.count - left, needed: ch.count });
        }
    }
    // The matrix follows the changes, when the original has one: the
    // Condorcet rules' recounts then make no pass over the ballots.
    if let Some(mut m) = ballots.built_pairwise().cloned() {
        for ch in changes {
            let marks = |r: &Ranking| r.iter().map(|c| c.0).collect::<Vec<u16>>();
            m.add_ballots(&marks(&ch.from), ch.count, true);
            if let Some(to) = &ch.to {
                m.add_ballots(&marks(to), ch.count, false);
            }
        }
        out.keep_pairwise(m);
    }
    // Everything but the ballots, which are replaced (cloning the election
    // would copy the whole store once more).
    Ok(Election {
        candidates: election.candidates.clone(),
        seats: election.seats,
        profile: Profile::Ranked(out),
        normalisation: election.normalisation.clone(),
    })
}

/// A copy of the store's ballots (nothing derived) with room for `rows`
/// more rows holding `marks` more marks.
fn copy_with_room(ballots: &RankedBallots, rows: usize, marks: usize) -> RankedBallots {
    fn with_room<T: Copy>(v: &[T], more: usize) -> Vec<T> {
        let mut out = Vec::with_capacity(v.len() + more);
        out.extend_from_slice(v);
        out
    }
    RankedBallots {
        num_candidates: ballots.num_candidates,
        marks: with_room(&ballots.marks, marks),
        starts: with_room(&ballots.starts, rows),
        weights: with_room(&ballots.weights, rows),
        endings: with_room(&ballots.endings, rows),
        total: ballots.total,
        ..RankedBallots::default()
    }
}

/// Appends a row to a store without merging (counting does not need rows
/// to be unique).
fn push_row(store: &mut RankedBallots, ranking: &Ranking, weight: u64, ending: u8) {
    store.marks.extend(ranking.iter().map(|c| c.0));
    store.starts.push(store.marks.len() as u32);
    store.weights.push(weight);
    store.endings.push(ending);
}

/// Picks up to `k` ballots among rows starting with `first`, preferring rows
/// for which `rank` gives a lower key (then store order), and maps each
/// picked row through `to`. Returns the changes, or `None` with too few.
pub(crate) fn pick_changes(
    ballots: &RankedBallots,
    first: CandidateId,
    k: u64,
    rank: impl Fn(&[u16]) -> Option<u8>,
    to: impl Fn(&[u16]) -> Option<Ranking>,
) -> Option<Vec<BallotChange>> {
    if k == 0 {
        return Some(Vec::new());
    }
    let rows = ballots.strict_rows_by_first().get(first.index())?;
    let keyed: Vec<(u8, u32)> =
        rows.iter().filter_map(|&i| rank(ballots.marks_of(i as usize)).map(|key| (key, i))).collect();
    // By key, then store order, which is the rows' order: a counting sort.
    let mut at = [0usize; 257];
    for &(key, _) in &keyed {
        at[usize::from(key) + 1] += 1;
    }
    for j in 0..256 {
        at[j + 1] += at[j];
    }
    let mut picked = vec![0u32; keyed.len()];
    for &(key, i) in &keyed {
        picked[at[usize::from(key)]] = i;
        at[usize::from(key)] += 1;
    }
    let mut left = k;
    let mut changes = Vec::new();
    for (m, w) in picked.into_iter().map(|i| (ballots.marks_of(i as usize), ballots.weights[i as usize])) {
        if left == 0 {
            break;
        }
        let take = left.min(w);
        let from: Ranking = m.iter().map(|&c| CandidateId(c)).collect();
        changes.push(BallotChange { from, to: to(m), count: take });
        left -= take;
    }
    (left == 0).then_some(changes)
}

/// `marks` with `c` moved to the top.
pub(crate) fn raise_to_top(marks: &[u16], c: CandidateId) -> Ranking {
    std::iter::once(c).chain(marks.iter().filter(|&&m| m != c.0).map(|&m| CandidateId(m))).collect()
}

/// Position of `c` in `marks`, if ranked.
pub(crate) fn position(marks: &[u16], c: CandidateId) -> Option<usize> {
    marks.iter().position(|&m| m == c.0)
}

/// Whether the ranking prefers `a` to `b` (ranks a, and b lower or not at all).
pub(crate) fn prefers(marks: &[u16], a: CandidateId, b: CandidateId) -> bool {
    match (position(marks, a), position(marks, b)) {
        (Some(x), Some(y)) => x < y,
        (Some(_), None) => true,
        _ => false,
    }
}

/// The elections with one candidate withdrawn each, each built on first use
/// and shared by every rule's spoiler test, and the tables that count
/// without a candidate with no recount (built on first use too: see
/// [`FirstChoices`] and [`Prefixes`]).
#[derive(Clone, Debug, Default)]
pub struct Withdrawals {
    by_candidate: Vec<OnceLock<Election>>,
    first_choices: OnceLock<Option<FirstChoices>>,
    prefixes: OnceLock<Option<std::sync::Arc<Prefixes>>>,
}

impl Withdrawals {
    /// Room for a withdrawal of each of `election`'s candidates; none is
    /// built until a spoiler test needs it.
    pub fn new(election: &Election) -> Self {
        let by_candidate = (0..election.candidates.len()).map(|_| OnceLock::new()).collect();
        Withdrawals { by_candidate, ..Self::default() }
    }

    /// From elections the caller built with [`Election::without`] (for
    /// example in parallel).
    pub fn from_elections(elections: Vec<(CandidateId, Election)>) -> Self {
        let n = elections.iter().map(|(c, _)| c.index() + 1).max().unwrap_or(0);
        let by_candidate: Vec<OnceLock<Election>> = (0..n).map(|_| OnceLock::new()).collect();
        for (c, e) in elections {
            // Each candidate once: a second election for the same one is dropped.
            let _ = by_candidate[c.index()].set(e);
        }
        Withdrawals { by_candidate, ..Self::default() }
    }

    /// The first and second choices of `election` (the election these are
    /// withdrawals from), built on the first call.
    pub fn first_choices(&self, election: &Election) -> Option<&FirstChoices> {
        self.first_choices.get_or_init(|| FirstChoices::of(election)).as_ref()
    }

    /// The table of who is ranked above whom in `election` (the election
    /// these are withdrawals from), built on the first call; `None` when it
    /// cannot be built, or would cost more than the recounts it saves
    /// ([`Prefixes::pays_off`]).
    pub fn prefixes(&self, election: &Election) -> Option<&Prefixes> {
        self.prefixes.get_or_init(|| Prefixes::shared(election, || Prefixes::pays_off(election))).as_deref()
    }

    /// The election without `c`, if built.
    pub fn get(&self, c: CandidateId) -> Option<&Election> {
        self.by_candidate.get(c.index()).and_then(OnceLock::get)
    }

    /// The election without `c`, built from `election` (the election these
    /// are withdrawals from) on the first call; `None` when there is no room
    /// for `c` (the caller then builds its own).
    pub fn without(&self, election: &Election, c: CandidateId) -> Option<&Election> {
        self.by_candidate.get(c.index()).map(|cell| cell.get_or_init(|| election.without(c)))
    }
}

/// What every rule's audit shares: the Condorcet facts and the withdrawals.
#[derive(Clone, Debug)]
pub struct AuditContext {
    /// Pairwise facts (`None` on score or approval ballots).
    pub condorcet: Option<CondorcetReport>,
    /// The election without each standing candidate.
    pub withdrawals: Withdrawals,
}

impl AuditContext {
    /// Computes the pairwise matrix; the withdrawals are built as they are
    /// needed.
    pub fn new(election: &Election) -> Self {
        AuditContext { condorcet: condorcet_report(election), withdrawals: Withdrawals::new(election) }
    }
}

/// The Condorcet facts of a ranked election (`None` for other ballots).
pub fn condorcet_report(election: &Election) -> Option<CondorcetReport> {
    let ballots = election.ranked()?;
    Some(CondorcetReport::new(&election.candidates, ballots.pairwise().clone()))
}

/// How far an audit goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditOptions {
    /// Tie-breaking for every count.
    pub count: CountOptions,
    /// The spoiler test.
    pub spoilers: SpoilerOptions,
    /// The paradox search.
    pub paradoxes: ParadoxOptions,
    /// The margin search.
    pub margins: MarginOptions,
    /// Stops the paradox and margin searches early when the caller asks
    /// (inert by default: see [`control`]).
    pub control: SearchControl,
}

impl AuditOptions {
    /// Every part, with the default search budgets.
    pub fn standard() -> Self {
        AuditOptions {
            count: CountOptions::default(),
            spoilers: SpoilerOptions::FAST,
            paradoxes: ParadoxOptions::STANDARD,
            margins: MarginOptions::STANDARD,
            control: SearchControl::default(),
        }
    }

    /// Every spoiler decided by a full recount, and larger search budgets.
    pub fn thorough() -> Self {
        AuditOptions {
            count: CountOptions::default(),
            spoilers: SpoilerOptions::RECOUNT,
            paradoxes: ParadoxOptions::THOROUGH,
            margins: MarginOptions::THOROUGH,
            control: SearchControl::default(),
        }
    }
}

/// A Condorcet winner eliminated by a rule that elected someone else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CentreSqueeze {
    /// The Condorcet winner.
    pub candidate: CandidateId,
    /// The round at whose end they were eliminated.
    pub round: u32,
    /// Their votes in that round, when the round counts ballots.
    pub votes: Option<u64>,
}

/// One rule's audit.
#[derive(Clone, Debug)]
pub struct RuleAudit {
    /// The rule.
    pub rule: Rule,
    /// The count of the ballots as cast.
    pub tabulation: Tabulation,
    /// One entry per standing candidate who lost.
    pub spoilers: Vec<SpoilerFinding>,
    /// The Condorcet winner's elimination, if this rule eliminated them.
    pub squeeze: Option<CentreSqueeze>,
    /// The paradox search (`None` for rules it does not cover).
    pub paradoxes: Option<ParadoxReport>,
    /// The margin.
    pub margin: Option<Margin>,
    /// What the margin search did.
    pub margin_search: MarginSearch,
}

/// The outcome of auditing one rule.
#[derive(Clone, Debug)]
pub enum RuleOutcome {
    /// Audited.
    Audited(Box<RuleAudit>),
    /// The rule could not count these ballots (or met an unresolved tie).
    Failed(Rule, CountError),
}

/// A whole audit.
#[derive(Clone, Debug)]
pub struct Audit {
    /// Pairwise facts (`None` on score or approval ballots).
    pub condorcet: Option<CondorcetReport>,
    /// One outcome per rule, in the order asked.
    pub rules: Vec<RuleOutcome>,
}

impl Audit {
    /// The audited rules (those that counted).
    pub fn audited(&self) -> impl Iterator<Item = &RuleAudit> {
        self.rules.iter().filter_map(|o| match o {
            RuleOutcome::Audited(a) => Some(a.as_ref()),
            RuleOutcome::Failed(..) => None,
        })
    }
}

/// Every single-winner rule in the catalogue that counts this kind of
/// ballots (the multi-winner `stv`, `meek`, `block` and `sntv` are left out).
pub fn single_winner_rules(profile: &Profile) -> Vec<Rule> {
    CATALOGUE.iter().map(|i| i.rule).filter(|r| !r.is_multi_winner()).filter(|r| r.accepts(profile)).collect()
}

/// The catalogue's rules that count this election as it stands: the
/// single-winner rules for one seat, the multi-winner rules (`stv`, `meek`,
/// `block`, `sntv`) for more; only those that count its kind of ballots.
///
/// ```
/// use psephos::{analysis::rules_for, Election};
/// let mut e = Election::from_rankings(&["A", "B", "C"], &[(2, &["A", "B"]), (1, &["C"])]).unwrap();
/// assert!(rules_for(&e).iter().all(|r| !r.is_multi_winner()));
/// e.seats = 2;
/// let ids: Vec<&str> = rules_for(&e).iter().map(|r| r.id()).collect();
/// assert_eq!(ids, ["stv", "meek", "block", "sntv"]);
/// ```
pub fn rules_for(election: &Election) -> Vec<Rule> {
    if election.seats <= 1 {
        return single_winner_rules(&election.profile);
    }
    CATALOGUE.iter().map(|i| i.rule).filter(|r| r.is_multi_winner() && r.accepts(&election.profile)).collect()
}

/// One independent piece of an audit, once every rule has been counted
/// (see [`plan`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditTask {
    /// The spoiler test of the rule at this index for one losing candidate.
    Spoiler(usize, CandidateId),
    /// The paradox search of the rule at this index.
    Paradoxes(usize),
    /// The margin of the rule at this index.
    Margin(usize),
}

/// What an [`AuditTask`] found.
#[derive(Clone, Debug)]
pub enum TaskResult {
    /// A spoiler test.
    Spoiler(usize, SpoilerFinding),
    /// A paradox search (`None` for rules it does not cover).
    Paradoxes(usize, Option<ParadoxReport>),
    /// A margin (`None` when none was found) and what its search did.
    Margin(usize, Option<Margin>, MarginSearch),
}

/// The tasks left once the rules are counted: a spoiler test per rule and
/// losing standing candidate, a paradox search and a margin per rule, in a
/// fixed order. A caller may run them in any order, on any thread, and hand
/// the results to [`assemble`].
pub fn plan(election: &Election, counts: &[(Rule, Result<Tabulation, CountError>)]) -> Vec<AuditTask> {
    let mut tasks = Vec::new();
    for (i, (_, t)) in counts.iter().enumerate() {
        let Ok(t) = t else { continue };
        for c in election.candidates.standing().filter(|c| !t.elected.contains(c)) {
            tasks.push(AuditTask::Spoiler(i, c));
        }
        tasks.push(AuditTask::Paradoxes(i));
        tasks.push(AuditTask::Margin(i));
    }
    tasks
}

/// Runs one task.
pub fn run_task(
    election: &Election,
    context: &AuditContext,
    counts: &[(Rule, Result<Tabulation, CountError>)],
    task: AuditTask,
    options: &AuditOptions,
) -> Option<TaskResult> {
    let (i, rule, t) = match task {
        AuditTask::Spoiler(i, _) | AuditTask::Paradoxes(i) | AuditTask::Margin(i) => {
            let (rule, t) = counts.get(i)?;
            (i, *rule, t.as_ref().ok()?)
        }
    };
    Some(match task {
        AuditTask::Spoiler(_, c) => TaskResult::Spoiler(
            i,
            spoilers::spoiler_for(election, context, rule, &t.elected, c, &options.spoilers, &options.count),
        ),
        AuditTask::Paradoxes(_) => TaskResult::Paradoxes(
            i,
            paradoxes::search(election, context, rule, t, &options.paradoxes, &options.count, &options.control),
        ),
        AuditTask::Margin(_) => {
            let (m, searched) =
                margins::margin(election, context, rule, t, &options.margins, &options.count, &options.control);
            TaskResult::Margin(i, m, searched)
        }
    })
}

/// Puts the counts and task results together, in the order of `counts`
/// (whatever order the results come in).
pub fn assemble(
    context: AuditContext,
    counts: Vec<(Rule, Result<Tabulation, CountError>)>,
    results: Vec<TaskResult>,
) -> Audit {
    let cw = context.condorcet.as_ref().and_then(|c| c.winner);
    let mut audits: Vec<RuleOutcome> = counts
        .into_iter()
        .map(|(rule, t)| match t {
            Ok(tabulation) => RuleOutcome::Audited(Box::new(RuleAudit {
                rule,
                squeeze: cw.and_then(|cw| centre_squeeze(&tabulation, cw)),
                tabulation,
                spoilers: Vec::new(),
                paradoxes: None,
                margin: None,
                margin_search: MarginSearch::default(),
            })),
            Err(e) => RuleOutcome::Failed(rule, e),
        })
        .collect();
    for r in results {
        let i = match &r {
            TaskResult::Spoiler(i, _) | TaskResult::Paradoxes(i, _) | TaskResult::Margin(i, ..) => *i,
        };
        let Some(RuleOutcome::Audited(a)) = audits.get_mut(i) else { continue };
        match r {
            TaskResult::Spoiler(_, f) => a.spoilers.push(f),
            TaskResult::Paradoxes(_, p) => a.paradoxes = p,
            TaskResult::Margin(_, m, searched) => {
                a.margin = m;
                a.margin_search = searched;
            }
        }
    }
    for o in &mut audits {
        if let RuleOutcome::Audited(a) = o {
            a.spoilers.sort_by_key(|s| s.candidate);
        }
    }
    Audit { condorcet: context.condorcet, rules: audits }
}

/// Audits one rule on the calling thread: counts, tests every loser's
/// withdrawal, looks for a centre squeeze, searches for paradoxes (runoff
/// rules) and bounds the margin.
pub fn audit_rule(
    election: &Election,
    context: &AuditContext,
    rule: Rule,
    options: &AuditOptions,
) -> Result<RuleAudit, CountError> {
    let counts = vec![(rule, rule.count(election, &options.count))];
    let tasks = plan(election, &counts);
    let results = tasks.into_iter().filter_map(|t| run_task(election, context, &counts, t, options)).collect();
    let shared = AuditContext { condorcet: context.condorcet.clone(), withdrawals: Withdrawals::default() };
    match assemble(shared, counts, results).rules.pop() {
        Some(RuleOutcome::Audited(a)) => Ok(*a),
        Some(RuleOutcome::Failed(_, e)) => Err(e),
        None => unreachable!("one rule in, one outcome out"),
    }
}

/// Audits every rule in `rules`, in order, on the calling thread.
pub fn audit(election: &Election, rules: &[Rule], options: &AuditOptions) -> Result<Audit, CountError> {
    let context = AuditContext::new(election);
    let counts: Vec<(Rule, Result<Tabulation, CountError>)> =
        rules.iter().map(|&r| (r, r.count(election, &options.count))).collect();
    let tasks = plan(election, &counts);
    let results = tasks.into_iter().filter_map(|t| run_task(election, &context, &counts, t, options)).collect();
    Ok(assemble(context, counts, results))
}

/// A step of [`audit_in_parallel`], for a progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditStep {
    /// This many tasks (spoiler tests, paradox searches, margins) are
    /// planned, after the counts.
    Planned(u64),
    /// A count or a task is done.
    Done,
}

/// [`audit`] on all cores: the pairwise matrix, then the Condorcet facts
/// beside the tables that count without a candidate (only for the rules
/// that use them) and every rule's count, then every spoiler test, paradox
/// search and margin as its own task; `step` hears of each count and task
/// done. The result is the same for any number of threads (unless
/// `options.control` is stopped part way).
pub fn audit_in_parallel(
    election: &Election,
    rules: &[Rule],
    options: &AuditOptions,
    step: &(dyn Fn(AuditStep) + Sync),
) -> Audit {
    use rayon::prelude::*;
    // The pairwise matrix first: each withdrawal, and each store a witness
    // changes, then derives its own from it instead of making a pass.
    if let Some(ballots) = election.ranked() {
        ballots.pairwise();
    }
    // The withdrawals are built as spoiler tests need them; most need only
    // the tables that count without a candidate, built here once.
    let withdrawals = Withdrawals::new(election);
    let shortcuts = options.spoilers.condorcet_shortcut;
    let ((condorcet, ()), counts) = rayon::join(
        || {
            rayon::join(
                || condorcet_report(election),
                || {
                    if shortcuts && rules.iter().any(|&r| FirstChoices::counts(r)) {
                        withdrawals.first_choices(election);
                    }
                    if rules.iter().any(|&r| Prefixes::counts(r)) {
                        withdrawals.prefixes(election);
                    }
                },
            )
        },
        || {
            rules
                .par_iter()
                .map(|&r| {
                    let t = r.count(election, &options.count);
                    step(AuditStep::Done);
                    (r, t)
                })
                .collect::<Vec<_>>()
        },
    );
    let context = AuditContext { condorcet, withdrawals };
    let tasks = plan(election, &counts);
    step(AuditStep::Planned(tasks.len() as u64));
    let results: Vec<_> = tasks
        .par_iter()
        .filter_map(|&t| {
            let r = run_task(election, &context, &counts, t, options);
            step(AuditStep::Done);
            r
        })
        .collect();
    assemble(context, counts, results)
}

/// The round in which `cw` was eliminated, if the count eliminated them and
/// elected someone else.
pub fn centre_squeeze(t: &Tabulation, cw: CandidateId) -> Option<CentreSqueeze> {
    if t.elected.contains(&cw) {
        return None;
    }
    t.rounds.iter().find_map(|r| {
        r.events.iter().any(|e| matches!(*e, Event::Eliminated { candidate, .. } if candidate == cw)).then(|| {
            CentreSqueeze {
                candidate: cw,
                round: r.number,
                votes: if r.kind.is_ballots() { r.votes(cw) } else { None },
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PairwiseMatrix;

    #[test]
    fn changes_apply_and_conserve_ballots() {
        let e = Election::from_rankings(&["A", "B", "C"], &[(5, &["A", "B"]), (3, &["C"])]).unwrap();
        let (a, b, c) = (CandidateId(0), CandidateId(1), CandidateId(2));
        let changed = apply_changes(
            &e,
            &[
                BallotChange { from: vec![a, b], to: Some(vec![b, a]), count: 2 },
                BallotChange { from: vec![c], to: None, count: 1 },
            ],
        )
        .unwrap();
        assert_eq!(changed.total_ballots(), 7);
        let t = Rule::Plurality.count(&changed, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[0].votes(a), Some(3));
        assert_eq!(t.rounds[0].votes(b), Some(2));
        t.check_conservation().unwrap();
        let too_many = BallotChange { from: vec![c], to: None, count: 4 };
        assert_eq!(apply_changes(&e, &[too_many]), Err(WitnessError::TooFew { found: 3, needed: 4 }));
    }

    #[test]
    fn changed_ballots_get_their_own_pairwise_matrix() {
        let e = Election::from_rankings(&["A", "B"], &[(5, &["A", "B"]), (3, &["B", "A"])]).unwrap();
        let (a, b) = (CandidateId(0), CandidateId(1));
        assert_eq!(e.ranked().unwrap().pairwise().get(a, b), 5);
        let changed = apply_changes(&e, &[BallotChange { from: vec![a, b], to: Some(vec![b, a]), count: 4 }]).unwrap();
        let m = changed.ranked().unwrap().pairwise();
        assert_eq!((m.get(a, b), m.get(b, a)), (1, 7));
        assert_eq!(m, &PairwiseMatrix::from_ballots(changed.ranked().unwrap()));
        let t = Rule::KemenyYoung.count(&changed, &CountOptions::default()).unwrap();
        assert_eq!(t.elected, vec![b]);
        // Changes with a removal, on a store whose matrix was built: the
        // changed store's matrix is updated, and equals a fresh build.
        let e =
            Election::from_rankings(&["A", "B", "C"], &[(5, &["A", "B"]), (3, &["C", "B", "A"]), (2, &["B"])]).unwrap();
        let c = CandidateId(2);
        let _ = e.ranked().unwrap().pairwise();
        let changes = [
            BallotChange { from: vec![a, b], to: Some(vec![c, a]), count: 2 },
            BallotChange { from: vec![c, b, a], to: None, count: 1 },
            BallotChange { from: vec![b], to: Some(vec![a, c, b]), count: 2 },
        ];
        let changed = apply_changes(&e, &changes).unwrap();
        assert!(changed.ranked().unwrap().built_pairwise().is_some(), "the matrix was carried over");
        let kept = changed.ranked().unwrap().pairwise();
        assert_eq!(kept, &PairwiseMatrix::from_ballots(changed.ranked().unwrap()));
        assert_eq!((kept.get(c, a), kept.get(a, c)), (4, 5));
    }
}
