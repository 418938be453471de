//! Spoilers: losing candidates whose withdrawal changes the winner.
//!
//! For a rule and a candidate `L` who lost under it, the ballots are counted
//! again as if `L` had never stood ([`Election::without`]: their marks are
//! taken out and later preferences move up). If someone other than the
//! actual winner `W` then wins, `L` is a *spoiler*: their candidacy *helps*
//! `W` and *hurts* the candidate who would have won without them. This is
//! the test of "independence of irrelevant alternatives" applied to one
//! withdrawal at a time (K. J. Arrow, *Social Choice and Individual Values*,
//! 1951; for its use on real ranked ballots see A. Graham-Squire and
//! D. McCune, "An examination of ranked-choice voting in the United States,
//! 2004–2022", *Representation* 60 (2024), which reports spoiler effects and
//! Condorcet failures in US elections).
//!
//! Counting again is exact for every rule. For rules that always elect a
//! Condorcet winner when there is one (Copeland, minimax, ranked pairs,
//! Schulze, Kemeny–Young, Smith/IRV, Condorcet/IRV, Baldwin, Nanson and
//! bottom-two runoff), [`SpoilerMethod::CondorcetShortcut`] reads the winner
//! without `L` off the pairwise matrix with `L`'s row and column left out
//! whenever that smaller matrix has a Condorcet winner, which is the same
//! answer without a recount; otherwise it counts again. For plurality, the
//! contingent vote and the two-round system on ballots with no equal
//! rankings, [`SpoilerMethod::FirstChoices`] counts the first round without
//! `L` from a table of first and second choices ([`FirstChoices`]: `L`'s
//! ballots pass to their second choice) and the runoff between two
//! finalists off the pairwise matrix (each ballot goes to the finalist it
//! ranks higher, which `L`'s withdrawal does not change), whenever no tie
//! needs the tie-break chain; otherwise it counts again. For IRV, the
//! Supplementary Vote, Coombs, Bucklin, the Borda count, Dowdall and
//! anti-plurality on such ballots over at most 16 candidates,
//! [`SpoilerMethod::Prefixes`] counts without `L` from a table of who is
//! ranked above whom ([`Prefixes`]), again unless a tie needs the chain.
//!
//! ```
//! use psephos::analysis::spoilers::spoiler_effect;
//! use psephos::{CountOptions, Election, Rule};
//! // C splits B's vote: A wins by plurality, B wins without C.
//! let e = Election::from_rankings(&["A", "B", "C"], &[(4, &["A"]), (3, &["B", "C"]), (2, &["C", "B"])]).unwrap();
//! let c = e.candidates.id_of("C").unwrap();
//! let f = spoiler_effect(&e, Rule::Plurality, c, &CountOptions::default()).unwrap();
//! assert!(f.is_spoiler());
//! assert_eq!(f.helped.map(|x| e.candidates.name(x)), Some("A"));
//! assert_eq!(f.hurt.map(|x| e.candidates.name(x)), Some("B"));
//! ```

use super::{AuditContext, Prefixes};
use crate::ballots::store::{is_placeholder, TIED};
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::pairwise::PairwiseMatrix;
use crate::rules::{CountOptions, Rule};

/// How a winner without a candidate was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpoilerMethod {
    /// The ballots were counted again under the rule.
    Recount,
    /// The rule elects a Condorcet winner, and the matrix without the
    /// candidate has one.
    CondorcetShortcut,
    /// A first-round rule (plurality, contingent vote, two-round) counted
    /// from the first and second choices and the pairwise matrix.
    FirstChoices,
    /// An elimination or positional rule counted from the table of who is
    /// ranked above whom ([`Prefixes`]).
    Prefixes,
}

impl SpoilerMethod {
    /// The method's name, for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SpoilerMethod::Recount => "recount",
            SpoilerMethod::CondorcetShortcut => "condorcet-winner",
            SpoilerMethod::FirstChoices => "first-choices",
            SpoilerMethod::Prefixes => "prefix-table",
        }
    }
}

/// Options of the spoiler test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SpoilerOptions {
    /// Allow [`SpoilerMethod::CondorcetShortcut`] and
    /// [`SpoilerMethod::FirstChoices`].
    pub condorcet_shortcut: bool,
}

impl SpoilerOptions {
    /// Shortcuts allowed (the same answers, fewer recounts).
    pub const FAST: SpoilerOptions = SpoilerOptions { condorcet_shortcut: true };
    /// Every withdrawal counted again.
    pub const RECOUNT: SpoilerOptions = SpoilerOptions { condorcet_shortcut: false };
}

impl Default for SpoilerOptions {
    fn default() -> Self {
        Self::FAST
    }
}

/// What withdrawing one losing candidate does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpoilerFinding {
    /// The withdrawn candidate.
    pub candidate: CandidateId,
    /// The winners of the ballots as cast.
    pub winners_with: Vec<CandidateId>,
    /// The winners without the candidate (empty when that count met an
    /// unresolved tie: see `unresolved`).
    pub winners_without: Vec<CandidateId>,
    /// The winner whom the candidate's presence helps (set for a spoiler).
    pub helped: Option<CandidateId>,
    /// The candidate who would have won without them (set for a spoiler).
    pub hurt: Option<CandidateId>,
    /// How `winners_without` was found.
    pub method: SpoilerMethod,
    /// The count without the candidate failed (an unresolved tie, say).
    pub unresolved: Option<CountError>,
}

impl SpoilerFinding {
    /// Whether the withdrawal changes the winner.
    pub fn is_spoiler(&self) -> bool {
        self.unresolved.is_none() && !same_winners(&self.winners_without, &self.winners_with)
    }

    fn new(
        candidate: CandidateId,
        with: &[CandidateId],
        without: Result<Vec<CandidateId>, CountError>,
        method: SpoilerMethod,
    ) -> Self {
        let (winners_without, unresolved) = match without {
            Ok(w) => (w, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let spoiler = unresolved.is_none() && !same_winners(&winners_without, with);
        // Of several seats, the one who loses a seat to the withdrawal and the
        // one who gains it.
        let helped = with.iter().find(|c| !winners_without.contains(c)).copied();
        let hurt = winners_without.iter().find(|c| !with.contains(c)).copied();
        SpoilerFinding {
            candidate,
            winners_with: with.to_vec(),
            helped: if spoiler { helped } else { None },
            hurt: if spoiler { hurt } else { None },
            winners_without,
            method,
            unresolved,
        }
    }
}

/// The same winners, in any order: a multi-seat count that elects the same
/// candidates in another order has the same result.
fn same_winners(a: &[CandidateId], b: &[CandidateId]) -> bool {
    a.len() == b.len() && a.iter().all(|c| b.contains(c))
}

/// Whether the rule elects the Condorcet winner whenever there is one.
pub fn elects_condorcet_winner(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::Copeland(_)
            | Rule::Minimax(_)
            | Rule::RankedPairs(_)
            | Rule::Schulze(_)
            | Rule::KemenyYoung
            | Rule::SmithIrv
            | Rule::CondorcetIrv
            | Rule::Baldwin
            | Rule::Nanson
            | Rule::BtrIrv
    )
}

/// The spoiler test for one rule and one candidate, from scratch: counts the
/// ballots as cast and without `candidate`. This is the entry point for a
/// caller that holds one election at a time (a simulation trial); an audit
/// shares the work through [`spoiler_for`].
pub fn spoiler_effect(
    election: &Election,
    rule: Rule,
    candidate: CandidateId,
    options: &CountOptions,
) -> Result<SpoilerFinding, CountError> {
    let with = rule.count(election, options)?.elected;
    if with.contains(&candidate) {
        return Ok(SpoilerFinding::new(candidate, &with, Ok(with.clone()), SpoilerMethod::Recount));
    }
    let without = rule.count(&election.without(candidate), options).map(|t| t.elected);
    Ok(SpoilerFinding::new(candidate, &with, without, SpoilerMethod::Recount))
}

/// The spoiler test for one rule and one losing candidate, reusing the
/// prepared withdrawal and pairwise matrix (`winners` are the rule's winners
/// on the ballots as cast).
pub fn spoiler_for(
    election: &Election,
    context: &AuditContext,
    rule: Rule,
    winners: &[CandidateId],
    candidate: CandidateId,
    options: &SpoilerOptions,
    count: &CountOptions,
) -> SpoilerFinding {
    if winners.contains(&candidate) {
        return SpoilerFinding::new(candidate, winners, Ok(winners.to_vec()), SpoilerMethod::Recount);
    }
    if options.condorcet_shortcut && elects_condorcet_winner(rule) {
        if let Some(w) = context.condorcet.as_ref().and_then(|r| r.winner_without(candidate)) {
            return SpoilerFinding::new(candidate, winners, Ok(vec![w]), SpoilerMethod::CondorcetShortcut);
        }
    }
    if options.condorcet_shortcut && FirstChoices::counts(rule) {
        let matrix = context.condorcet.as_ref().map(|r| &r.matrix);
        let table = context.withdrawals.first_choices(election);
        if let Some(w) = matrix.zip(table).and_then(|(m, t)| t.winner_without(rule, m, candidate)) {
            return SpoilerFinding::new(candidate, winners, Ok(vec![w]), SpoilerMethod::FirstChoices);
        }
    }
    if options.condorcet_shortcut && Prefixes::counts(rule) {
        let table = context.withdrawals.prefixes(election);
        if let Some(w) = table.and_then(|t| t.winner_without(rule, candidate)) {
            return SpoilerFinding::new(candidate, winners, Ok(vec![w]), SpoilerMethod::Prefixes);
        }
    }
    let owned;
    let without = match context.withdrawals.without(election, candidate) {
        Some(e) => e,
        None => {
            owned = election.without(candidate);
            &owned
        }
    };
    let result = rule.count(without, count).map(|t| t.elected);
    SpoilerFinding::new(candidate, winners, result, SpoilerMethod::Recount)
}

/// First choices, and the choices right after them, of ballots with no
/// equal rankings: with the pairwise matrix, what plurality, the contingent
/// vote and the two-round system need to count the ballots without any one
/// candidate, in one pass over the ballots for every withdrawal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstChoices {
    /// The standing candidates, in candidate order.
    standing: Vec<CandidateId>,
    /// `first[c]`: the weight of the ballots ranking `c` first.
    first: Vec<u64>,
    /// `second[c * n + d]`: the weight of the ballots ranking `c` first and
    /// `d` second.
    second: Vec<u64>,
}

impl FirstChoices {
    /// Whether the table decides `rule` without a candidate.
    pub fn counts(rule: Rule) -> bool {
        matches!(rule, Rule::Plurality | Rule::ContingentVote | Rule::TwoRound)
    }

    /// The table of a ranked election; `None` for other ballots, or when a
    /// ballot holds an equal ranking or a mark for a candidate who is not
    /// standing (whose first choice is then not simply its first mark).
    pub fn of(election: &Election) -> Option<Self> {
        let ballots = election.ranked()?;
        let n = ballots.num_candidates();
        let standing: Vec<CandidateId> = election.candidates.standing().collect();
        let mut is_standing = vec![false; n];
        for c in &standing {
            is_standing[c.index()] = true;
        }
        let mut first = vec![0u64; n];
        let mut second = vec![0u64; n * n];
        for b in ballots.iter() {
            let marks = b.marks();
            let plain = |m: u16| m & TIED == 0 && !is_placeholder(m) && is_standing[usize::from(m)];
            if !marks.iter().all(|&m| plain(m)) {
                return None;
            }
            if let Some(&f) = marks.first() {
                first[usize::from(f)] += b.weight;
                if let Some(&s) = marks.get(1) {
                    second[usize::from(f) * n + usize::from(s)] += b.weight;
                }
            }
        }
        Some(FirstChoices { standing, first, second })
    }

    /// The winner under `rule` of the ballots without `gone` (a standing
    /// candidate), `matrix` being the ballots' pairwise matrix; `None` when
    /// the table does not decide it: another rule, fewer than three
    /// candidates left, or a tie the tie-break chain would decide.
    pub fn winner_without(&self, rule: Rule, matrix: &PairwiseMatrix, gone: CandidateId) -> Option<CandidateId> {
        let n = self.first.len();
        if !Self::counts(rule) || !self.standing.contains(&gone) {
            return None;
        }
        // The first round without `gone`: their ballots pass to their second choice.
        let tally: Vec<(CandidateId, u64)> = self
            .standing
            .iter()
            .filter(|&&c| c != gone)
            .map(|&c| (c, self.first[c.index()] + self.second[gone.index() * n + c.index()]))
            .collect();
        if tally.len() < 3 {
            return None;
        }
        let mut by_votes = tally.clone();
        by_votes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let (top, second, third) = (by_votes[0], by_votes[1], by_votes[2]);
        if rule == Rule::Plurality {
            return (top.1 > second.1).then_some(top.0);
        }
        let counted: u128 = tally.iter().map(|e| u128::from(e.1)).sum();
        if u128::from(top.1) * 2 > counted {
            return Some(top.0);
        }
        if second.1 == third.1 {
            return None;
        }
        // The runoff: each ballot counts for the finalist it ranks higher.
        let (a, b) = (top.0, second.0);
        match matrix.get(a, b).cmp(&matrix.get(b, a)) {
            std::cmp::Ordering::Greater => Some(a),
            std::cmp::Ordering::Less => Some(b),
            std::cmp::Ordering::Equal => None,
        }
    }
}
