//! Spoiler frequencies: how often each candidate is a spoiler, per rule,
//! over the simulated elections.
//!
//! **The test.** In every draw and under every rule, each candidate who lost
//! is withdrawn from that draw's ballots ([`psephos::Election::without`]:
//! their marks are taken out and later preferences move up) and the ballots
//! are counted again, with the draw's own tie-break chain and lot seed. A
//! candidate whose withdrawal changes the winner is a *spoiler* in that draw:
//! their candidacy *helps* the actual winner and *hurts* the candidate who
//! would have won without them. This is the core's own test
//! ([`psephos::analysis::spoilers::spoiler_for`], with the Condorcet shortcut
//! of [`SpoilerOptions::FAST`] where a rule allows it), so a simulation and an
//! audit of real ballots give the same answer on the same ballots. It costs
//! one more count per rule and losing candidate in every draw.
//!
//! **What is counted.** Integer counters only, so a run gives the same
//! figures whatever the number of threads: per rule and candidate, the draws
//! in which the candidate was a spoiler; per rule and (spoiler, helped,
//! hurt), the draws of each combination. A probability is a count divided by
//! the number of draws (over *all* draws, won or lost), with Monte Carlo
//! standard error `√(p(1−p)/N)`.
//!
//! **The entrant, two ways.** With an entrant, the runner also counts a base
//! race built from the poll without the entrant, and reports how often the
//! entrant's presence changes the winner (`Summary::changes`). That is a
//! different question from "is the entrant a spoiler", because the two races
//! hand the entrant's voters back differently:
//!
//! - the *base race* returns each entrant voter to the candidate they were
//!   drawn from (the scenario's `drawn_from`), then follows that candidate's
//!   row of next choices;
//! - the *withdrawal* moves each entrant voter to the next choice on their
//!   ballot (the entrant's own row of next choices); those with no further
//!   choice drop out, and a ballot cut off at `ranks` levels stays cut off.
//!
//! Other candidates' voters who ranked the entrant next also differ: the
//! withdrawal moves them on to their following choice, while in the base race
//! their rows were never split by the entrant at all. The two agree, draw by
//! draw and up to the rounding of whole votes, when the entrant is drawn
//! from one candidate only, every entrant voter's next choice is that
//! candidate, no other row names the entrant, and `ranks` is the number of
//! candidates; then, whenever the entrant loses, "the entrant is a spoiler"
//! holds exactly when "the base race's winner differs". In the London presets
//! they do not agree: Corbyn's voters name Khan next far less often (35.7%)
//! than the share of them taken from Khan (53.3%), and 23.4% of them name no
//! one, so withdrawing him helps Khan less than the base race does.
//!
//! ```
//! use psephos_sim::{Measures, Model, Noise, Scenario, SimOptions};
//! // C's voters would otherwise vote B: C splits B's vote under first past the post.
//! let s = Scenario::from_toml(r#"
//!     title = "Vote splitting"
//!     source = "invented for this example"
//!     sample_size = 1000
//!     valid_votes = 100000
//!     rules = ["plurality", "irv"]
//!     candidates = [ { name = "A", share = 40 }, { name = "B", share = 35 }, { name = "C", share = 25 } ]
//!     [preferences]
//!     C = { B = 1.0 }
//! "#, "example.toml").unwrap();
//! let model = Model::new(&s, Noise::NONE);
//! let options = SimOptions { draws: 10, ..SimOptions::new(s.rules.clone()) };
//! let summary = psephos_sim::run_with(&model, &options, &Measures::SPOILERS, None).unwrap();
//! let spoilers = summary.spoilers.unwrap();
//! // Under plurality C is a spoiler in every draw, helping A and hurting B …
//! assert_eq!(spoilers.spoiler_draws(0, 2), 10);
//! assert_eq!((spoilers.most_helped(0, 2), spoilers.most_hurt(0, 2)), (Some(0), Some(1)));
//! // … and under IRV C's ballots transfer to B anyway: no spoiler.
//! assert_eq!(spoilers.spoiler_draws(1, 2), 0);
//! ```

use std::collections::BTreeMap;

use psephos::analysis::spoilers::{elects_condorcet_winner, spoiler_for, SpoilerOptions};
use psephos::analysis::{condorcet_report, AuditContext, Withdrawals};
use psephos::{CandidateId, CountOptions, Election, Rule};

use crate::run::{self, SimError};

/// Draws in which one candidate's presence helped one winner and hurt one
/// other candidate, under one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpoilerCount {
    /// The spoiler (candidate index).
    pub spoiler: usize,
    /// The winner their presence helped.
    pub helped: usize,
    /// The candidate who would have won without them.
    pub hurt: usize,
    /// Draws with this combination.
    pub draws: u64,
}

/// Spoiler counters over all draws, per rule (in the order of the run's rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpoilerTally {
    n: usize,
    draws: u64,
    /// `spoiled[r·n + c]`: draws in which c was a spoiler under rule r.
    spoiled: Vec<u64>,
    /// (rule, spoiler, helped, hurt) → draws.
    effects: BTreeMap<(usize, usize, usize, usize), u64>,
}

impl SpoilerTally {
    pub(crate) fn new(n: usize, rules: usize) -> Self {
        SpoilerTally { n, draws: 0, spoiled: vec![0; n * rules], effects: BTreeMap::new() }
    }

    pub(crate) fn merge(&mut self, other: &SpoilerTally) {
        self.spoiled.iter_mut().zip(&other.spoiled).for_each(|(a, b)| *a += b);
        for (&key, &k) in &other.effects {
            *self.effects.entry(key).or_insert(0) += k;
        }
        self.draws += other.draws;
    }

    /// Draws tested.
    pub fn draws(&self) -> u64 {
        self.draws
    }

    /// Draws in which candidate `c` was a spoiler under the `rule`-th rule.
    pub fn spoiler_draws(&self, rule: usize, c: usize) -> u64 {
        self.spoiled[rule * self.n + c]
    }

    /// The share of all draws in which candidate `c` was a spoiler under the `rule`-th rule.
    pub fn probability(&self, rule: usize, c: usize) -> f64 {
        self.spoiler_draws(rule, c) as f64 / self.draws.max(1) as f64
    }

    /// The Monte Carlo standard error of that probability, `√(p(1−p)/N)`.
    pub fn mc_error(&self, rule: usize, c: usize) -> f64 {
        run::mc_error(self.probability(rule, c), self.draws)
    }

    /// Every (spoiler, helped, hurt) combination seen under the `rule`-th
    /// rule with its number of draws, by spoiler, then helped, then hurt.
    pub fn effects(&self, rule: usize) -> impl Iterator<Item = SpoilerCount> + '_ {
        self.effects
            .range((rule, 0, 0, 0)..(rule + 1, 0, 0, 0))
            .map(|(&(_, spoiler, helped, hurt), &draws)| SpoilerCount { spoiler, helped, hurt, draws })
    }

    /// Per candidate: draws in which `c`'s presence hurt them under the `rule`-th rule.
    pub fn hurt_draws(&self, rule: usize, c: usize) -> Vec<u64> {
        let mut out = vec![0; self.n];
        self.effects(rule).filter(|e| e.spoiler == c).for_each(|e| out[e.hurt] += e.draws);
        out
    }

    /// Per candidate: draws in which `c`'s presence helped them win under the `rule`-th rule.
    pub fn helped_draws(&self, rule: usize, c: usize) -> Vec<u64> {
        let mut out = vec![0; self.n];
        self.effects(rule).filter(|e| e.spoiler == c).for_each(|e| out[e.helped] += e.draws);
        out
    }

    /// The candidate `c` hurt most often under the `rule`-th rule (the
    /// earlier candidate on equal counts); `None` if `c` was never a spoiler.
    pub fn most_hurt(&self, rule: usize, c: usize) -> Option<usize> {
        most(&self.hurt_draws(rule, c))
    }

    /// The winner `c` helped most often under the `rule`-th rule (the
    /// earlier candidate on equal counts); `None` if `c` was never a spoiler.
    pub fn most_helped(&self, rule: usize, c: usize) -> Option<usize> {
        most(&self.helped_draws(rule, c))
    }
}

/// The index of the largest positive count, the earliest on equal counts.
fn most(counts: &[u64]) -> Option<usize> {
    let (i, &k) = counts.iter().enumerate().rev().max_by_key(|&(_, &k)| k)?;
    (k > 0).then_some(i)
}

/// Runs the spoiler test on one draw's race. `winners[r]` is the winner's
/// index under `rules[r]` (`usize::MAX` for none); `count` are the draw's own
/// count options.
pub(crate) fn test_draw(
    election: &Election,
    rules: &[Rule],
    winners: &[usize],
    options: &SpoilerOptions,
    count: &CountOptions,
    draw: u64,
    tally: &mut SpoilerTally,
) -> Result<(), SimError> {
    let n = tally.n;
    // Each withdrawal is built once, when a spoiler test first needs it.
    let shortcut = options.condorcet_shortcut && rules.iter().any(|&r| elects_condorcet_winner(r));
    let context = AuditContext {
        condorcet: if shortcut { condorcet_report(election) } else { None },
        withdrawals: Withdrawals::new(election),
    };
    for (r, (&rule, &w)) in rules.iter().zip(winners).enumerate() {
        if w == usize::MAX {
            continue;
        }
        let elected = [CandidateId::from_index(w)];
        for c in election.candidates.standing().filter(|c| c.index() != w) {
            let finding = spoiler_for(election, &context, rule, &elected, c, options, count);
            if let Some(source) = finding.unresolved {
                let candidate = election.candidates.name(c).to_owned();
                return Err(SimError::Withdrawal { draw, rule: rule.id(), candidate, source });
            }
            if finding.is_spoiler() {
                tally.spoiled[r * n + c.index()] += 1;
                if let Some(hurt) = finding.hurt {
                    *tally.effects.entry((r, c.index(), w, hurt.index())).or_insert(0) += 1;
                }
            }
        }
    }
    tally.draws += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_takes_the_earliest_of_equal_counts() {
        assert_eq!(most(&[0, 3, 3, 1]), Some(1));
        assert_eq!(most(&[0, 0]), None);
        assert_eq!(most(&[]), None);
    }

    #[test]
    fn merging_adds_every_counter() {
        let mut a = SpoilerTally::new(3, 1);
        a.spoiled[2] = 4;
        a.effects.insert((0, 2, 0, 1), 4);
        a.draws = 10;
        let mut b = a.clone();
        b.effects.insert((0, 2, 1, 0), 1);
        b.spoiled[2] = 5;
        a.merge(&b);
        assert_eq!((a.draws(), a.spoiler_draws(0, 2)), (20, 9));
        assert_eq!(a.hurt_draws(0, 2), vec![1, 8, 0]);
        assert_eq!(a.helped_draws(0, 2), vec![8, 1, 0]);
        assert_eq!((a.most_hurt(0, 2), a.most_helped(0, 2)), (Some(1), Some(0)));
        assert_eq!(a.effects(0).count(), 2);
    }
}
