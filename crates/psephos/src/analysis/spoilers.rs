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
//! answer without a recount; otherwise it counts again.
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

use super::AuditContext;
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::rules::{CountOptions, Rule};

/// How a winner without a candidate was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpoilerMethod {
    /// The ballots were counted again under the rule.
    Recount,
    /// The rule elects a Condorcet winner, and the matrix without the
    /// candidate has one.
    CondorcetShortcut,
}

impl SpoilerMethod {
    /// The method's name, for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SpoilerMethod::Recount => "recount",
            SpoilerMethod::CondorcetShortcut => "condorcet-winner",
        }
    }
}

/// Options of the spoiler test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SpoilerOptions {
    /// Allow [`SpoilerMethod::CondorcetShortcut`].
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
    let owned;
    let without = match context.withdrawals.get(candidate) {
        Some(e) => e,
        None => {
            owned = election.without(candidate);
            &owned
        }
    };
    let result = rule.count(without, count).map(|t| t.elected);
    SpoilerFinding::new(candidate, winners, result, SpoilerMethod::Recount)
}
