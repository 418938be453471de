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
//! | `borda`, `dowdall`, `anti-plurality` | `veto` | [`positional`] |
//! | `coombs`, `baldwin`, `nanson`, `btr-irv` | `bottom-two-runoff` | [`elimination`] |
//! | `bucklin` | `grand-junction` | [`bucklin`] |
//! | `copeland`, `minimax`, `ranked-pairs`, `schulze`, `kemeny-young`, `smith-irv`, `condorcet-irv` | `tideman`, `beatpath` | [`condorcet`] |
//! | `approval`, `score`, `star`, `majority-judgment` | `range`, `mj` | [`cardinal`] |

use std::fmt;
use std::str::FromStr;

use crate::ballots::RankedBallots;
use crate::election::{Election, Profile};
use crate::error::CountError;
use crate::tabulation::Tabulation;
use crate::tiebreak::TieBreak;

pub mod bucklin;
pub mod cardinal;
pub mod condorcet;
pub mod elimination;
pub mod irv;
pub mod mixed;
pub mod multi_plurality;
pub mod party_list;
pub mod plurality;
pub mod positional;
pub mod runoff;
pub(crate) mod scored;
pub mod stv;
pub mod supplementary;
pub(crate) mod transfer;

pub use cardinal::ScoreAggregate;
pub use condorcet::copeland::{CopelandOptions, TiePoints};
pub use condorcet::Strength;
pub use irv::{Elimination, IrvOptions, IrvStop};
pub use positional::{BordaOptions, BordaTruncation};
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
    /// The Borda count.
    Borda(BordaOptions),
    /// The Dowdall system (1, 1/2, 1/3, … points).
    Dowdall,
    /// Anti-plurality: a vote against the last-ranked candidate.
    AntiPlurality,
    /// Coombs' method: eliminate the most last places.
    Coombs,
    /// Baldwin's method: eliminate the lowest Borda score.
    Baldwin,
    /// Nanson's method: eliminate Borda scores at or below the average.
    Nanson,
    /// The Bucklin system.
    Bucklin,
    /// Bottom-two-runoff IRV.
    BtrIrv,
    /// Copeland's method.
    Copeland(CopelandOptions),
    /// Minimax (Simpson–Kramer).
    Minimax(Strength),
    /// Ranked pairs (Tideman).
    RankedPairs(Strength),
    /// The Schulze method.
    Schulze(Strength),
    /// The Kemeny–Young method, exact (at most 10 candidates).
    KemenyYoung,
    /// IRV among the Smith set.
    SmithIrv,
    /// The Condorcet winner, else IRV.
    CondorcetIrv,
    /// Approval voting.
    Approval,
    /// Score (range) voting.
    Score(ScoreAggregate),
    /// STAR voting: score, then an automatic runoff.
    Star,
    /// Majority judgment.
    MajorityJudgment,
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
        description: "Contingent vote: majority wins, else exactly two finalists (a tie for second broken by the tie-break chain) take each other ballot by its higher-ranked finalist.",
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
    RuleInfo {
        id: "borda",
        aliases: &["borda-points"],
        description: "Borda count: n-1 points for a first choice, n-2 for a second, ...; unranked get 0. Options: borda:modified, borda:averaged.",
        rule: Rule::Borda(BordaOptions::STANDARD),
    },
    RuleInfo {
        id: "dowdall",
        aliases: &["nauru"],
        description: "Dowdall system (Nauru): 1 point for a first choice, 1/2 for a second, 1/3 for a third, ...",
        rule: Rule::Dowdall,
    },
    RuleInfo {
        id: "anti-plurality",
        aliases: &["antiplurality", "veto"],
        description: "Anti-plurality: each ballot votes against its last choice; the fewest votes against wins.",
        rule: Rule::AntiPlurality,
    },
    RuleInfo {
        id: "coombs",
        aliases: &["coombs-method"],
        description: "Coombs' method: majority of first choices wins, else eliminate the candidate ranked last most often.",
        rule: Rule::Coombs,
    },
    RuleInfo {
        id: "baldwin",
        aliases: &["total-vote-runoff"],
        description: "Baldwin's method: eliminate the lowest Borda score and recount, until one remains.",
        rule: Rule::Baldwin,
    },
    RuleInfo {
        id: "nanson",
        aliases: &["nanson-method"],
        description: "Nanson's method: eliminate every Borda score at or below the average and recount, until one remains.",
        rule: Rule::Nanson,
    },
    RuleInfo {
        id: "bucklin",
        aliases: &["grand-junction"],
        description: "Bucklin: add second, third, ... choices until someone has a majority; the most votes then wins.",
        rule: Rule::Bucklin,
    },
    RuleInfo {
        id: "btr-irv",
        aliases: &["bottom-two-runoff", "btr"],
        description: "Bottom-two runoff: of the two with the fewest first choices, eliminate the pairwise loser.",
        rule: Rule::BtrIrv,
    },
    RuleInfo {
        id: "copeland",
        aliases: &["copeland-method"],
        description: "Copeland: the most pairwise wins. Options: copeland:half (a tie is half a point), copeland:llull (a full point).",
        rule: Rule::Copeland(CopelandOptions::STANDARD),
    },
    RuleInfo {
        id: "minimax",
        aliases: &["simpson-kramer", "simpson"],
        description: "Minimax: the smallest worst pairwise defeat (winning votes). Option: minimax:margins.",
        rule: Rule::Minimax(Strength::WinningVotes),
    },
    RuleInfo {
        id: "ranked-pairs",
        aliases: &["tideman", "rp"],
        description: "Ranked pairs (Tideman): lock pairwise victories from the strongest, skipping cycles (winning votes). Option: ranked-pairs:margins.",
        rule: Rule::RankedPairs(Strength::WinningVotes),
    },
    RuleInfo {
        id: "schulze",
        aliases: &["beatpath", "schulze-method"],
        description: "Schulze: the strongest beatpaths (winning votes). Option: schulze:margins.",
        rule: Rule::Schulze(Strength::WinningVotes),
    },
    RuleInfo {
        id: "kemeny-young",
        aliases: &["kemeny"],
        description: "Kemeny-Young: the ranking agreeing with the most pairwise preferences (exact; at most 10 candidates).",
        rule: Rule::KemenyYoung,
    },
    RuleInfo {
        id: "smith-irv",
        aliases: &["smith-hare"],
        description: "Smith/IRV: eliminate everyone outside the Smith set, then count by IRV.",
        rule: Rule::SmithIrv,
    },
    RuleInfo {
        id: "condorcet-irv",
        aliases: &["condorcet-hare"],
        description: "Condorcet/IRV: the Condorcet winner if there is one, else the IRV winner.",
        rule: Rule::CondorcetIrv,
    },
    RuleInfo {
        id: "approval",
        aliases: &["approval-voting"],
        description: "Approval voting (approval ballots): the most approvals wins.",
        rule: Rule::Approval,
    },
    RuleInfo {
        id: "score",
        aliases: &["range", "range-voting", "score-voting"],
        description: "Score voting (score or approval ballots): the highest total score wins. Option: score:average.",
        rule: Rule::Score(ScoreAggregate::Total),
    },
    RuleInfo {
        id: "star",
        aliases: &["star-voting"],
        description: "STAR voting (score ballots): the two highest totals meet in a runoff of preferences.",
        rule: Rule::Star,
    },
    RuleInfo {
        id: "majority-judgment",
        aliases: &["mj"],
        description: "Majority judgment (score ballots as grades): the highest median grade wins.",
        rule: Rule::MajorityJudgment,
    },
];

/// A rule name that is not known, or a rule option the rule does not take.
///
/// ```
/// let err = "minimax:half".parse::<psephos::Rule>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "rule `minimax:half`: minimax has no option `half`; its options are winning-votes (wv), margins"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRule {
    /// What was given.
    pub given: String,
    /// The option that was not understood, when the rule's name was.
    pub option: Option<String>,
}

impl fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(option) = &self.option else {
            return write!(f, "unknown rule `{}`; `psephos rules` lists the rules", self.given);
        };
        let name = self.given.split(':').next().unwrap_or_default();
        let rule = Rule::from_str(name).map_err(|_| fmt::Error)?;
        let id = rule.id();
        match rule.options_help() {
            "" => write!(f, "rule `{}`: {id} takes no options, and `{option}` was given", self.given),
            valid => write!(f, "rule `{}`: {id} has no option `{option}`; its options are {valid}", self.given),
        }
    }
}

impl std::error::Error for UnknownRule {}

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
            Rule::Borda(_) => "borda",
            Rule::Dowdall => "dowdall",
            Rule::AntiPlurality => "anti-plurality",
            Rule::Coombs => "coombs",
            Rule::Baldwin => "baldwin",
            Rule::Nanson => "nanson",
            Rule::Bucklin => "bucklin",
            Rule::BtrIrv => "btr-irv",
            Rule::Copeland(_) => "copeland",
            Rule::Minimax(_) => "minimax",
            Rule::RankedPairs(_) => "ranked-pairs",
            Rule::Schulze(_) => "schulze",
            Rule::KemenyYoung => "kemeny-young",
            Rule::SmithIrv => "smith-irv",
            Rule::CondorcetIrv => "condorcet-irv",
            Rule::Approval => "approval",
            Rule::Score(_) => "score",
            Rule::Star => "star",
            Rule::MajorityJudgment => "majority-judgment",
        }
    }

    /// Whether the rule counts this kind of ballots: the cardinal rules count
    /// approval (and, but for `approval`, score) ballots; every other rule
    /// counts ranked ballots. [`count`](Self::count) refuses the others with
    /// [`CountError::Unsupported`].
    ///
    /// ```
    /// use psephos::{Election, Rule};
    /// let e = Election::from_scores(&["A", "B"], 1, &[(1, &[Some(1), Some(0)])]).unwrap();
    /// assert!(Rule::Approval.accepts(&e.profile));
    /// assert!(!"irv".parse::<Rule>().unwrap().accepts(&e.profile));
    /// ```
    pub fn accepts(&self, profile: &Profile) -> bool {
        match self {
            Rule::Approval => matches!(profile, Profile::Approval(_)),
            Rule::Score(_) | Rule::Star | Rule::MajorityJudgment => {
                matches!(profile, Profile::Approval(_) | Profile::Scored(_))
            }
            _ => matches!(profile, Profile::Ranked(_)),
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
        if election.total_ballots() == 0 {
            return Err(CountError::NoBallots { rule: self.id() });
        }
        if election.seats > 1 && !self.is_multi_winner() {
            return Err(CountError::Unsupported {
                rule: self.id(),
                reason: format!(
                    "this rule elects one candidate, and {} seats are to be filled; count them under a \
                     multi-winner rule (stv, meek, block or sntv) or fill one seat",
                    election.seats
                ),
            });
        }
        let counted = match *self {
            Rule::Plurality => plurality::count(election, options),
            Rule::SupplementaryVote => supplementary::count_sv(election, options),
            Rule::ContingentVote => supplementary::count_contingent(election, options),
            Rule::TwoRound => runoff::count(election, options),
            Rule::Irv(o) => irv::count(election, options, o),
            Rule::Stv(o) => stv::count(election, options, o),
            Rule::Block => multi_plurality::count_block(election, options),
            Rule::Sntv => multi_plurality::count_sntv(election, options),
            Rule::Borda(o) => positional::borda(election, options, o),
            Rule::Dowdall => positional::dowdall(election, options),
            Rule::AntiPlurality => positional::anti_plurality(election, options),
            Rule::Coombs => elimination::coombs(election, options),
            Rule::Baldwin => elimination::baldwin(election, options),
            Rule::Nanson => elimination::nanson(election, options),
            Rule::Bucklin => bucklin::count(election, options),
            Rule::BtrIrv => elimination::btr_irv(election, options),
            Rule::Copeland(o) => condorcet::copeland::count(election, options, o),
            Rule::Minimax(s) => condorcet::minimax::count(election, options, s),
            Rule::RankedPairs(s) => condorcet::ranked_pairs::count(election, options, s),
            Rule::Schulze(s) => condorcet::schulze::count(election, options, s),
            Rule::KemenyYoung => condorcet::kemeny::count(election, options),
            Rule::SmithIrv => condorcet::hybrid::count_smith_irv(election, options),
            Rule::CondorcetIrv => condorcet::hybrid::count_condorcet_irv(election, options),
            Rule::Approval => cardinal::approval(election, options),
            Rule::Score(a) => cardinal::score(election, options, a),
            Rule::Star => cardinal::star(election, options),
            Rule::MajorityJudgment => cardinal::majority_judgment(election, options),
        };
        counted.map(|t| t.labelled(*self))
    }

    /// Whether counting under this rule reads the ballots' pairwise matrix,
    /// which a store builds once and shares with every rule that counts it
    /// (the Borda count reads it when it is already built). A caller counting
    /// many rules can build it beside the counts of the rules that do not.
    pub fn reads_pairwise(&self) -> bool {
        // Every rule here that elects a Condorcet winner works from the
        // matrix (Baldwin and Nanson from its Borda scores, bottom-two
        // runoff for its contests).
        crate::analysis::spoilers::elects_condorcet_winner(*self)
            || *self == Rule::Borda(BordaOptions { truncation: BordaTruncation::Zero })
    }

    /// Whether the rule fills several seats (`stv`, `meek`, `block`, `sntv`);
    /// every other rule elects one candidate and refuses an election with
    /// more seats.
    pub fn is_multi_winner(&self) -> bool {
        matches!(self, Rule::Stv(_) | Rule::Block | Rule::Sntv)
    }

    /// The catalogue entry for this rule's family.
    pub fn info(&self) -> &'static RuleInfo {
        CATALOGUE.iter().find(|i| i.id == self.id()).expect("every rule is catalogued")
    }

    /// The family's rule with default options, from its canonical id (one of
    /// [`CATALOGUE`]'s ids; the counting code names its family this way).
    pub(crate) fn family(id: &'static str) -> Rule {
        match CATALOGUE.iter().find(|i| i.id == id) {
            Some(info) => info.rule,
            None => unreachable!("rule family `{id}` is not catalogued"),
        }
    }

    /// One line on what this rule, with its options, does: the catalogue's
    /// line for the default variant, and a line of its own for every other.
    ///
    /// ```
    /// use psephos::Rule;
    /// let margins: Rule = "minimax:margins".parse().unwrap();
    /// assert!(margins.description().contains("margin"));
    /// assert!(!margins.description().contains("winning votes"));
    /// ```
    pub fn description(&self) -> String {
        let info = self.info();
        if *self == info.rule {
            return info.description.to_owned();
        }
        match *self {
            Rule::Irv(o) => {
                let elimination = match o.elimination {
                    Elimination::Batch => {
                        "eliminate at once the largest group of last-placed candidates whose combined votes are fewer than the next candidate's"
                    }
                    Elimination::Single => "eliminate the last candidate",
                };
                let stop = match o.stop {
                    IrvStop::TwoRemaining => {
                        "until two candidates remain, the one with more votes winning (a majority does not end the count early)"
                    }
                    IrvStop::Majority => "until one has a majority of continuing ballots",
                };
                format!("Instant-runoff voting: {elimination}, {stop}.")
            }
            Rule::Stv(o) => o.description(),
            Rule::Borda(o) => match o.truncation {
                BordaTruncation::Zero => info.description.to_owned(),
                BordaTruncation::Modified => "Modified Borda count: a ballot ranking k candidates gives k-1 points to its first choice,                      k-2 to its second, ...; unranked candidates get 0."
                    .to_owned(),
                BordaTruncation::Averaged => "Borda count, averaged truncation: n-1 points for a first choice, n-2 for a second, ...;                      the unranked share the points left equally."
                    .to_owned(),
            },
            Rule::Copeland(o) => match o.ties {
                TiePoints::Zero => "Copeland: the most pairwise wins; a pairwise tie scores nothing.".to_owned(),
                TiePoints::Half => "Copeland: the most pairwise wins; a pairwise tie scores half a point.".to_owned(),
                TiePoints::One => "Copeland (Llull): the most pairwise wins; a pairwise tie scores a full point.".to_owned(),
            },
            Rule::Minimax(Strength::Margins) => {
                "Minimax: the smallest worst pairwise defeat, a defeat measured by its margin.".to_owned()
            }
            Rule::RankedPairs(Strength::Margins) => {
                "Ranked pairs (Tideman): lock pairwise victories from the largest margin, skipping cycles.".to_owned()
            }
            Rule::Schulze(Strength::Margins) => {
                "Schulze: the strongest beatpaths, a defeat's strength measured by its margin.".to_owned()
            }
            Rule::Score(ScoreAggregate::Average) => {
                "Score voting (score or approval ballots): the highest average score among the ballots that scored the candidate wins."
                    .to_owned()
            }
            _ => info.description.to_owned(),
        }
    }

    /// The options this rule's family accepts after a colon, for messages.
    pub fn options_help(&self) -> &'static str {
        match self {
            Rule::Irv(_) => "batch, until-two",
            Rule::Stv(o) if o.method == StvMethod::Meek => "hare, droop, exact-droop, decimals=N (1 to 9), tolerance=X",
            Rule::Stv(_) => "hare, droop, exact-droop, decimals=N (1 to 9)",
            Rule::Borda(_) => "zero, modified, averaged",
            Rule::Copeland(_) => "zero, half, llull",
            Rule::Minimax(_) | Rule::RankedPairs(_) | Rule::Schulze(_) => "winning-votes (wv), margins",
            Rule::Score(_) => "total, average",
            _ => "",
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
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
        match *self {
            Rule::Borda(o) if o.truncation != BordaTruncation::Zero => write!(f, ":{}", o.truncation)?,
            Rule::Copeland(o) if o.ties != TiePoints::Zero => write!(f, ":{}", o.ties)?,
            Rule::Minimax(s) | Rule::RankedPairs(s) | Rule::Schulze(s) if s != Strength::WinningVotes => {
                write!(f, ":{s}")?
            }
            Rule::Score(a) if a != ScoreAggregate::Total => write!(f, ":{a}")?,
            _ => {}
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
            .ok_or_else(|| UnknownRule { given: s.to_owned(), option: None })?;
        let bad_option = |opt: &str| UnknownRule { given: s.trim().to_owned(), option: Some(opt.to_owned()) };
        let mut rule = info.rule;
        for opt in parts {
            match (&mut rule, opt) {
                (Rule::Irv(o), "batch") => o.elimination = Elimination::Batch,
                (Rule::Irv(o), "until-two") => o.stop = IrvStop::TwoRemaining,
                (Rule::Borda(o), "zero") => o.truncation = BordaTruncation::Zero,
                (Rule::Borda(o), "modified") => o.truncation = BordaTruncation::Modified,
                (Rule::Borda(o), "averaged") => o.truncation = BordaTruncation::Averaged,
                (Rule::Copeland(o), "zero") => o.ties = TiePoints::Zero,
                (Rule::Copeland(o), "half") => o.ties = TiePoints::Half,
                (Rule::Copeland(o), "llull" | "one") => o.ties = TiePoints::One,
                (Rule::Minimax(s) | Rule::RankedPairs(s) | Rule::Schulze(s), "winning-votes" | "wv") => {
                    *s = Strength::WinningVotes
                }
                (Rule::Minimax(s) | Rule::RankedPairs(s) | Rule::Schulze(s), "margins") => *s = Strength::Margins,
                (Rule::Score(a), "total") => *a = ScoreAggregate::Total,
                (Rule::Score(a), "average" | "mean") => *a = ScoreAggregate::Average,
                (Rule::Stv(o), opt) => {
                    if !o.apply_option(opt) {
                        return Err(bad_option(opt));
                    }
                }
                _ => return Err(bad_option(opt)),
            }
        }
        Ok(rule)
    }
}

/// The ranked ballots of an election, or an error naming the rule (also when
/// they hold equal rankings to be shared out, which only STV counts).
pub(crate) fn ranked<'a>(election: &'a Election, rule: &'static str) -> Result<&'a RankedBallots, CountError> {
    election.refuse_split(rule)?;
    election.ranked().ok_or_else(|| CountError::Unsupported {
        rule,
        reason: format!(
            "this rule counts ranked ballots, and these are {} ballots (rank them by score explicitly, \
             with Election::ranked_from_scores, to count them under a ranked rule)",
            election.profile.kind()
        ),
    })
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
        let spelled = ["borda:modified", "borda:averaged", "copeland:half", "copeland:llull", "minimax:margins"];
        let more = ["ranked-pairs:margins", "schulze:margins", "score:average"];
        for spelled in spelled.into_iter().chain(more) {
            assert_eq!(spelled.parse::<Rule>().unwrap().to_string(), spelled);
        }
        assert_eq!("tideman:wv".parse::<Rule>().unwrap(), Rule::RankedPairs(Strength::WinningVotes));
        assert!("schulze:half".parse::<Rule>().is_err());
    }

    #[test]
    fn no_ballots_elect_nobody_and_one_winner_rules_refuse_seats() {
        use crate::election::Election;
        let empty = Election::from_rankings(&["A", "B"], &[]).unwrap();
        for info in CATALOGUE.iter().filter(|i| i.rule.accepts(&empty.profile)) {
            let err = info.rule.count(&empty, &CountOptions::default()).unwrap_err();
            assert_eq!(err, CountError::NoBallots { rule: info.id });
        }
        let mut two = Election::from_rankings(&["A", "B", "C"], &[(2, &["A", "B"]), (1, &["C"])]).unwrap();
        two.seats = 2;
        for info in CATALOGUE.iter().filter(|i| i.rule.accepts(&two.profile)) {
            match info.rule.count(&two, &CountOptions::default()) {
                Ok(t) => {
                    assert!(info.rule.is_multi_winner(), "{}", info.id);
                    assert_eq!(t.elected.len(), 2, "{}", info.id);
                }
                Err(CountError::Unsupported { reason, .. }) => {
                    assert!(!info.rule.is_multi_winner(), "{}", info.id);
                    assert!(reason.contains("2 seats"), "{reason}");
                }
                Err(e) => panic!("{}: {e}", info.id),
            }
        }
    }

    #[test]
    fn reads_pairwise_names_the_rules_that_build_the_matrix() {
        use crate::election::Election;
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(4, &["A", "B", "C"]), (3, &["B", "C", "A"]), (2, &["C", "B", "A"])],
        )
        .unwrap();
        for info in CATALOGUE.iter().filter(|i| i.rule.accepts(&e.profile)) {
            let fresh = e.clone();
            info.rule.count(&fresh, &CountOptions::default()).unwrap();
            let built = fresh.ranked().unwrap().built_pairwise().is_some();
            // Borda reads the matrix only when it is already built.
            let builds = info.rule.reads_pairwise() && !matches!(info.rule, Rule::Borda(_));
            assert_eq!(built, builds, "{}", info.id);
        }
        let fresh = e.clone();
        let _ = fresh.ranked().unwrap().pairwise();
        let borda = Rule::Borda(BordaOptions::STANDARD).count(&fresh, &CountOptions::default()).unwrap();
        assert_eq!(borda, Rule::Borda(BordaOptions::STANDARD).count(&e.clone(), &CountOptions::default()).unwrap());
    }

    /// Every rule option, spelled canonically.
    const WITH_OPTIONS: &[&str] = &[
        "irv:batch",
        "irv:until-two",
        "irv:batch:until-two",
        "stv:hare",
        "stv:exact-droop",
        "stv:decimals=3",
        "meek:droop",
        "meek:hare",
        "meek:tolerance=0.0001",
        "borda:modified",
        "borda:averaged",
        "copeland:half",
        "copeland:llull",
        "minimax:margins",
        "ranked-pairs:margins",
        "schulze:margins",
        "score:average",
    ];

    #[test]
    fn every_option_keeps_its_label_and_description() {
        use crate::election::Election;
        let ranked = Election::from_rankings(
            &["A", "B", "C"],
            &[(4, &["A", "B", "C"]), (3, &["B", "C", "A"]), (2, &["C", "B", "A"])],
        )
        .unwrap();
        let scored = Election::from_scores(&["A", "B"], 5, &[(2, &[Some(5), None]), (1, &[Some(1), Some(4)])]).unwrap();
        for spelled in WITH_OPTIONS {
            let rule: Rule = spelled.parse().unwrap();
            let default = rule.info().rule;
            assert_ne!(rule, default, "{spelled}");
            assert_ne!(rule.description(), default.description(), "{spelled}: a description of its own");
            let e = if rule.accepts(&ranked.profile) { &ranked } else { &scored };
            let t = rule.count(e, &CountOptions::default()).unwrap();
            assert_eq!(t.rule, rule, "{spelled}");
            assert_eq!(t.rule.to_string(), *spelled);
        }
        let margins: Rule = "minimax:margins".parse().unwrap();
        assert!(!margins.description().contains("winning votes"));
        // The family functions label their results too, not only Rule::count.
        let t = condorcet::minimax::count(&ranked, &CountOptions::default(), Strength::Margins).unwrap();
        assert_eq!(t.rule.to_string(), "minimax:margins");
        let t = irv::count(
            &ranked,
            &CountOptions::default(),
            IrvOptions { elimination: Elimination::Batch, ..IrvOptions::STANDARD },
        )
        .unwrap();
        assert_eq!(t.rule.to_string(), "irv:batch");
    }
}
