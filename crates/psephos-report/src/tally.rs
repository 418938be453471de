//! What a count produced, as every renderer of `tally` takes it: the
//! outcome of each rule and the source of the ballots.

use psephos::rules::{ScoreAggregate, StvOptions};
use psephos::{Election, Profile, Rule, Tabulation};
use psephos_io::Format;

/// A documented conversion between ballot kinds, made only when asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Conversion {
    /// Each ballot ranks the candidates it scored, higher scores above, equal scores
    /// ranked equal, unscored candidates unranked (the core's `Election::ranked_from_scores`).
    ScoresToRanks,
}

impl Conversion {
    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Conversion::ScoresToRanks => "scores-to-ranks",
        }
    }
}

/// One rule's outcome: a result or the reason it could not count.
pub enum Outcome {
    /// Counted.
    Counted(Tabulation),
    /// Refused (wrong ballot kind, too many candidates, …) when every rule was asked for.
    Refused(&'static str, String),
}

/// What was counted, for the heading of the output.
pub struct Source {
    /// The file as named by the user.
    pub name: String,
    /// The election's title, else the file name.
    pub title: String,
    /// The file format read.
    pub format: Format,
    /// The ballots' maximum score, for approval and score ballots.
    pub max_score: Option<u16>,
    /// The conversion asked for, if any.
    pub conversion: Option<Conversion>,
    /// The rules (ids) that counted the converted ballots.
    pub converted: Vec<&'static str>,
}

impl Source {
    /// The ballot kind in words: `ranked`, `approval` or `score 0-MAX`.
    pub fn ballot_kind(&self) -> String {
        match self.max_score {
            None => "ranked".into(),
            Some(1) => "approval".into(),
            Some(m) => format!("score 0-{m}"),
        }
    }
}

/// The rules a count uses when none is asked for: the file's declared rule,
/// else STV when more than one seat is to be filled, else plurality and IRV
/// on ranked ballots, approval on approval ballots, score and STAR on score
/// ballots.
pub fn default_rules(election: &Election, declared: Option<Rule>) -> Vec<Rule> {
    if let Some(rule) = declared {
        return vec![rule];
    }
    match election.profile {
        Profile::Approval(_) => vec![Rule::Approval],
        Profile::Scored(_) => vec![Rule::Score(ScoreAggregate::Total), Rule::Star],
        _ if election.seats > 1 => vec![Rule::Stv(StvOptions::SCOTTISH)],
        _ => vec![Rule::Plurality, Rule::Irv(Default::default())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_irv_is_the_rule_named_irv() {
        assert_eq!(Rule::Irv(Default::default()), "irv".parse::<Rule>().unwrap());
    }
}
