//! Condorcet–IRV hybrids: Smith/IRV and Condorcet/IRV.
//!
//! - **`smith-irv`** (Smith/IRV): every candidate outside the Smith set is
//!   eliminated at once, then the remaining candidates are counted by
//!   instant-runoff voting (J. Green-Armytage, "Four Condorcet–Hare hybrid
//!   methods for single-winner elections", *Voting Matters* 29 (2011)).
//!   It elects the Condorcet winner when there is one (the Smith set is then
//!   that candidate alone) and always elects within the Smith set.
//! - **`condorcet-irv`** (Condorcet, else IRV): the Condorcet winner if there
//!   is one, else the IRV winner among all candidates (the "Condorcet–Hare"
//!   fallback scheme of the same paper). It always elects a Condorcet winner
//!   but may elect outside the Smith set.
//!
//! Round 1 is the Condorcet step: a scores round whose tally holds each
//! candidate's pairwise wins, with the Smith-set exclusions (or the
//! Condorcet winner's election) as its events. The IRV rounds follow,
//! counted by the same engine as [`irv`], with its
//! standard options. The pairwise matrix is attached to the result.
//!
//! ```
//! use psephos::{CountOptions, Rule};
//! // The Tennessee example: Nashville is the Condorcet winner; IRV alone elects Knoxville.
//! let e = psephos::examples::tennessee();
//! for id in ["smith-irv", "condorcet-irv"] {
//!     let t = id.parse::<Rule>().unwrap().count(&e, &CountOptions::default()).unwrap();
//!     assert_eq!(e.candidates.name(t.winner().unwrap()), "Nashville");
//!     assert_eq!(t.rounds.len(), 1);
//! }
//! ```

use crate::election::Election;
use crate::error::CountError;
use crate::rules::irv::{self, IrvOptions};
use crate::rules::scored::scores_round;
use crate::rules::transfer::{rounds_table, with_piles, Count};
use crate::rules::CountOptions;
use crate::tabulation::{ElectedReason, EliminatedReason, Event, Tabulation};
use crate::tiebreak::TieBreaker;

/// Which hybrid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Restriction {
    /// IRV among the Smith set.
    Smith,
    /// The Condorcet winner, else IRV among all.
    CondorcetWinner,
}

/// Counts under Smith/IRV.
pub fn count_smith_irv(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    hybrid(election, options, "smith-irv", Restriction::Smith)
}

/// Counts under Condorcet/IRV.
pub fn count_condorcet_irv(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    hybrid(election, options, "condorcet-irv", Restriction::CondorcetWinner)
}

fn hybrid(
    election: &Election,
    options: &CountOptions,
    rule: &'static str,
    restriction: Restriction,
) -> Result<Tabulation, CountError> {
    let ballots = crate::rules::ranked(election, rule)?;
    let s = super::setup(election, rule)?;
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    count.rounds.push(scores_round(1, super::wins(&s.matrix, &s.standing), 1, s.blank));
    let finalists = match restriction {
        Restriction::Smith => s.matrix.smith_set(&s.standing),
        Restriction::CondorcetWinner => match s.matrix.condorcet_winner(&s.standing) {
            Some(w) => vec![w],
            None => s.standing.clone(),
        },
    };
    if let [only] = finalists[..] {
        for &c in s.standing.iter().filter(|&&c| c != only) {
            count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::Defeated });
        }
        count.event(Event::Elected { candidate: only, reason: ElectedReason::MostVotes });
        let mut t = count.finish(rule, s.total, vec![only]);
        t.pairwise = Some(s.matrix);
        return Ok(t);
    }
    let mut continuing = vec![false; election.candidates.len()];
    for &c in &finalists {
        continuing[c.index()] = true;
    }
    for &c in s.standing.iter().filter(|c| !continuing[c.index()]) {
        count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::NotFinalist });
    }
    // IRV among the finalists: off the ranked-above table on a large store
    // of plain rankings, else moving ballots between piles.
    let table = rounds_table(election);
    let winner = with_piles(ballots, continuing, table.as_deref(), |piles, _| {
        irv::run(&mut count, piles, IrvOptions::STANDARD)
    })?;
    let mut t = count.finish(rule, s.total, vec![winner]);
    t.pairwise = Some(s.matrix);
    Ok(t)
}
