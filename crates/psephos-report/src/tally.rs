//! What a count produced, as every renderer of `tally` takes it: the
//! outcome of each rule and the source of the ballots.

use psephos::Tabulation;
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
