//! Voting rules: one file per family, one [`Rule`] value naming what users ask for.
//!
//! | id | aliases | family |
//! |---|---|---|
//! | `plurality` | `fptp` | [`plurality`] |
//! | `supplementary-vote` | `sv` | [`supplementary`] |
//! | `contingent-vote` | `cv` | [`supplementary`] |
//! | `two-round` | `runoff` | [`runoff`] |
//! | `irv` | `rcv`, `av` | [`irv`] |
//! | `stv` | `scottish-stv`, `gregory`, `wigm` | [`stv`] ([`stv::scottish`]) |
//! | `meek` | `meek-stv` | [`stv`] ([`stv::meek`]) |
//! | `block` | `block-vote` | [`multi_plurality`] |
//! | `sntv` | | [`multi_plurality`] |

use std::fmt;
use std::str::FromStr;

use crate::ballots::RankedBallots;
use crate::election::Election;
use crate::error::CountError;
use crate::tabulation::Tabulation;
use crate::tiebreak::TieBreak;

pub mod irv;
pub mod mixed;
pub mod multi_plurality;
pub mod party_list;
pub mod plurality;
pub mod runoff;
pub mod stv;
pub mod supplementary;
pub(crate) mod transfer;

pub use irv::{Elimination, IrvOptions, IrvStop};
pub use stv::{QuotaKind, StvMethod, StvOptions};

/// Options every count takes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountOptions {
    /// How ties are broken.
    pub tie_break: TieBreak,
}

/// A voting rule with its options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// First past the post.
    Plurality,
    /// London's Supplementary Vote (first and second choices only).
    SupplementaryVote,
    /// The contingent vote (top two, transfers at any depth).
    ContingentVote,
    /// A two-round system, the runoff decided on the same ballots.
    TwoRound,
    /// Instant-runoff voting.
    Irv(IrvOptions),
    /// The single transferable vote (Gregory or Meek).
    Stv(StvOptions),
    /// The block vote: as many votes as seats, the most votes win.
    Block,
    /// The single non-transferable vote: one vote, the most votes win.
    Sntv,
}

/// A rule's names and a line about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// The canonical id.
    pub id: &'static str,
    /// Other accepted names.
    pub aliases: &'static [&'static str],
    /// One line.
    pub description: &'static str,
    /// The rule with default options.
    pub rule: Rule,
}

/// Every rule, in the order `psephos rules` lists them.
pub const CATALOGUE: &[RuleInfo] = &[
    RuleInfo {
        id: "plurality",
        aliases: &["fptp", "first-past-the-post"],
        description: "First past the post: the most first choices wins (London mayor from 2024).",
        rule: Rule::Plurality,
    },
    RuleInfo {
        id: "supplementary-vote",
        aliases: &["sv"],
        description: "Supplementary Vote: majority of first choices wins, else the top two take second choices (London mayor 2000-2021).",
        rule: Rule::SupplementaryVote,
    },
    RuleInfo {
        id: "contingent-vote",
        aliases: &["cv", "contingent"],
        description: "Contingent vote: majority wins, else the top two take each other ballot by its higher-ranked finalist.",
        rule: Rule::ContingentVote,
    },
    RuleInfo {
        id: "two-round",
        aliases: &["runoff", "two-round-runoff", "trs"],
        description: "Two-round system: majority wins, else the top two meet in a runoff decided on the same ballots.",
        rule: Rule::TwoRound,
    },
    RuleInfo {
        id: "irv",
        aliases: &["rcv", "av", "instant-runoff"],
        description: "Instant-runoff voting: eliminate the last candidate until one has a majority of continuing ballots. Options: irv:batch, irv:until-two.",
        rule: Rule::Irv(IrvOptions::STANDARD),
    },
    RuleInfo {
        id: "stv",
        aliases: &["scottish-stv", "gregory", "wigm", "single-transferable-vote"],
        description: "Single transferable vote, weighted inclusive Gregory as in Scottish council elections (Droop quota, 5 decimals). Options: stv:hare, stv:exact-droop, stv:decimals=N.",
        rule: Rule::Stv(StvOptions::SCOTTISH),
    },
    RuleInfo {
        id: "meek",
        aliases: &["meek-stv"],
        description: "Single transferable vote by Meek's method (9 decimals, iterated keep values). Options: meek:tolerance=0.000001, meek:droop, meek:hare.",
        rule: Rule::Stv(StvOptions::MEEK),
    },
    RuleInfo {
        id: "block",
        aliases: &["block-vote", "bv"],
        description: "Block vote: each ballot votes for its first `seats` choices; the most votes fill the seats.",
        rule: Rule::Block,
    },
    RuleInfo {
        id: "sntv",
        aliases: &["single-non-transferable-vote"],
        description: "Single non-transferable vote: first choices only; the most votes fill the seats.",
        rule: Rule::Sntv,
    },
];

/// A rule name that is not known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule `{given}`; `psephos rules` lists the rules")]
pub struct UnknownRule {
    /// What was given.
    pub given: String,
}

impl Rule {
    /// The canonical id.
    pub fn id(&self) -> &'static str {
        match self {
            Rule::Plurality => "plurality",
            Rule::SupplementaryVote => "supplementary-vote",
            Rule::ContingentVote => "contingent-vote",
            Rule::TwoRound => "two-round",
            Rule::Irv(_) => "irv",
            Rule::Stv(o) => o.id(),
            Rule::Block => "block",
            Rule::Sntv => "sntv",
        }
    }

    /// Counts an election.
    ///
    /// ```
    /// use psephos::{CountOptions, Election, Rule};
    /// let e = Election::from_rankings(
    ///     &["A", "B", "C"],
    ///     &[(4, &["A"]), (3, &["B", "C"]), (2, &["C", "B"])],
    /// ).unwrap();
    /// let fptp = Rule::Plurality.count(&e, &CountOptions::default()).unwrap();
    /// let irv: psephos::Rule = "irv".parse().unwrap();
    /// let irv = irv.count(&e, &CountOptions::default()).unwrap();
    /// assert_eq!(e.candidates.name(fptp.winner().unwrap()), "A");
    /// assert_eq!(e.candidates.name(irv.winner().unwrap()), "B");
    /// ```
    pub fn count(&self, election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
        match *self {
            Rule::Plurality => plurality::count(election, options),
            Rule::SupplementaryVote => supplementary::count_sv(election, options),
            Rule::ContingentVote => supplementary::count_contingent(election, options),
            Rule::TwoRound => runoff::count(election, options),
            Rule::Irv(o) => irv::count(election, options, o),
            Rule::Stv(o) => stv::count(election, options, o),
            Rule::Block => multi_plurality::count_block(election, options),
            Rule::Sntv => multi_plurality::count_sntv(election, options),
        }
    }

    /// The catalogue entry for this rule's family.
    pub fn info(&self) -> &'static RuleInfo {
        CATALOGUE.iter().find(|i| i.id == self.id()).expect("every rule is catalogued")
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Rule::Stv(o) = self {
            return write!(f, "{o}");
        }
        f.write_str(self.id())?;
        if let Rule::Irv(o) = self {
            if o.elimination == Elimination::Batch {
                f.write_str(":batch")?;
            }
            if o.stop == IrvStop::TwoRemaining {
                f.write_str(":until-two")?;
            }
        }
        Ok(())
    }
}

impl FromStr for Rule {
    type Err = UnknownRule;

    /// A rule id or alias, case-insensitive, with `:`-separated options
    /// (`irv:batch:until-two`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let mut parts = lower.split(':');
        let name = parts.next().unwrap_or_default();
        let info = CATALOGUE
            .iter()
            .find(|i| i.id == name || i.aliases.contains(&name))
            .ok_or_else(|| UnknownRule { given: s.to_owned() })?;
        let mut rule = info.rule;
        for opt in parts {
            match (&mut rule, opt) {
                (Rule::Irv(o), "batch") => o.elimination = Elimination::Batch,
                (Rule::Irv(o), "until-two") => o.stop = IrvStop::TwoRemaining,
                (Rule::Stv(o), opt) => {
                    if !o.apply_option(opt) {
                        return Err(UnknownRule { given: s.to_owned() });
                    }
                }
                _ => return Err(UnknownRule { given: s.to_owned() }),
            }
        }
        Ok(rule)
    }
}

/// The ranked ballots of an election, or an error naming the rule.
pub(crate) fn ranked<'a>(election: &'a Election, rule: &'static str) -> Result<&'a RankedBallots, CountError> {
    election.ranked().ok_or_else(|| CountError::Unsupported { rule, reason: "this rule counts ranked ballots".into() })
}

/// A continuing flag per candidate: every candidate who has not withdrawn.
pub(crate) fn standing(election: &Election) -> Vec<bool> {
    election.candidates.iter().map(|(_, c)| !c.withdrawn).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for info in CATALOGUE {
            assert_eq!(info.id.parse::<Rule>().unwrap(), info.rule);
            for a in info.aliases {
                assert_eq!(a.parse::<Rule>().unwrap().id(), info.id);
            }
            assert_eq!(info.rule.to_string(), info.id);
        }
        let r: Rule = "RCV:batch:until-two".parse().unwrap();
        assert_eq!(r.to_string(), "irv:batch:until-two");
        assert!("sv:batch".parse::<Rule>().is_err());
        assert!("borda-count".parse::<Rule>().is_err());
    }
}
