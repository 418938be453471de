//! RCTab contest configurations: the JSON file RCTab 2.x writes and reads.
//!
//! A configuration has four parts: `outputSettings` (the contest's name,
//! date, jurisdiction and office, and which extra reports to write),
//! `cvrFileSources` (the cast-vote record files, each with its provider and
//! per-source settings), `candidates` (names, aliases, and whether each is
//! excluded) and `rules` (how to count). Numbers may be written as JSON
//! numbers or as strings; an absent or blank key takes RCTab's default;
//! file paths are relative to the configuration file. [`ContestConfig::load`]
//! validates the file as RCTab does and reports every problem at once, each
//! naming its field. Semantics from RCTab's `ContestConfig` and
//! `RawContestConfig` (BrightSpots/rcv).

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::decimal::Decimal;

/// The CVR providers RCTab reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// ES&S `.xlsx` workbooks.
    Ess,
    /// NIST SP 1500-103 CDF, JSON or XML.
    Cdf,
    /// Dominion CVR export JSON with its manifests.
    Dominion,
    /// Hart: a folder of per-ballot XML files.
    Hart,
    /// Clear Ballot CSV.
    ClearBallot,
    /// RCTab's generic CSV.
    GenericCsv,
}

impl Provider {
    fn parse(label: &str) -> Option<Provider> {
        Some(match label {
            "ess" => Provider::Ess,
            "cdf" => Provider::Cdf,
            "dominion" => Provider::Dominion,
            "hart" => Provider::Hart,
            "clearBallot" => Provider::ClearBallot,
            "genericCsv" => Provider::GenericCsv,
            _ => return None,
        })
    }

    /// The label RCTab's configuration uses.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Ess => "ess",
            Provider::Cdf => "cdf",
            Provider::Dominion => "dominion",
            Provider::Hart => "hart",
            Provider::ClearBallot => "clearBallot",
            Provider::GenericCsv => "genericCsv",
        }
    }
}

/// How ties are broken (`tiebreakMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TiebreakMode {
    /// `random`: seeded by `randomSeed`.
    Random,
    /// `stopCountingAndAsk`: an operator decides.
    StopCountingAndAsk,
    /// `previousRoundCountsThenRandom`.
    PreviousRoundCountsThenRandom,
    /// `previousRoundCountsThenAsk`.
    PreviousRoundCountsThenAsk,
    /// `useCandidateOrder`: the order of the configuration's candidate list.
    UseCandidateOrder,
    /// `generatePermutation`: a random order drawn once from `randomSeed`.
    GeneratePermutation,
}

impl TiebreakMode {
    fn parse(label: &str) -> Option<TiebreakMode> {
        Some(match label {
            "random" => TiebreakMode::Random,
            "stopCountingAndAsk" => TiebreakMode::StopCountingAndAsk,
            "previousRoundCountsThenRandom" => TiebreakMode::PreviousRoundCountsThenRandom,
            "previousRoundCountsThenAsk" => TiebreakMode::PreviousRoundCountsThenAsk,
            "useCandidateOrder" => TiebreakMode::UseCandidateOrder,
            "generatePermutation" => TiebreakMode::GeneratePermutation,
            _ => return None,
        })
    }

    /// Whether this mode draws from `randomSeed`.
    pub fn needs_seed(self) -> bool {
        matches!(
            self,
            TiebreakMode::Random | TiebreakMode::PreviousRoundCountsThenRandom | TiebreakMode::GeneratePermutation
        )
    }
}

/// What an overvote (two or more candidates at one rank) does (`overvoteRule`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OvervoteRule {
    /// `alwaysSkipToNextRank`.
    AlwaysSkipToNextRank,
    /// `exhaustImmediately`.
    ExhaustImmediately,
    /// `exhaustIfMultipleContinuing`: only if two or more of them are still continuing.
    ExhaustIfMultipleContinuing,
}

impl OvervoteRule {
    fn parse(label: &str) -> Option<OvervoteRule> {
        Some(match label {
            "alwaysSkipToNextRank" => OvervoteRule::AlwaysSkipToNextRank,
            "exhaustImmediately" => OvervoteRule::ExhaustImmediately,
            "exhaustIfMultipleContinuing" => OvervoteRule::ExhaustIfMultipleContinuing,
            _ => return None,
        })
    }
}

/// How winners are found (`winnerElectionMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WinnerElectionMode {
    /// `singleWinnerMajority`.
    SingleWinnerMajority,
    /// `multiWinnerAllowOnlyOneWinnerPerRound`.
    MultiWinnerAllowOnlyOneWinnerPerRound,
    /// `multiWinnerAllowMultipleWinnersPerRound`.
    MultiWinnerAllowMultipleWinnersPerRound,
    /// `bottomsUp`: eliminate until `numberOfWinners` remain.
    BottomsUp,
    /// `bottomsUpUsingPercentageThreshold`: eliminate until everyone left has the percentage.
    BottomsUpUsingPercentageThreshold,
    /// `multiPassIrv`: sequential single-winner counts, each winner removed from the next.
    MultiPassIrv,
}

impl WinnerElectionMode {
    fn parse(label: &str) -> Option<WinnerElectionMode> {
        Some(match label {
            "singleWinnerMajority" => WinnerElectionMode::SingleWinnerMajority,
            "multiWinnerAllowOnlyOneWinnerPerRound" => WinnerElectionMode::MultiWinnerAllowOnlyOneWinnerPerRound,
            "multiWinnerAllowMultipleWinnersPerRound" => WinnerElectionMode::MultiWinnerAllowMultipleWinnersPerRound,
            "bottomsUp" => WinnerElectionMode::BottomsUp,
            "bottomsUpUsingPercentageThreshold" => WinnerElectionMode::BottomsUpUsingPercentageThreshold,
            "multiPassIrv" => WinnerElectionMode::MultiPassIrv,
            _ => return None,
        })
    }
}

/// The contest's descriptive settings and which reports to write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutputSettings {
    /// `contestName`.
    pub contest_name: String,
    /// `contestDate`.
    pub contest_date: String,
    /// `contestJurisdiction`.
    pub contest_jurisdiction: String,
    /// `contestOffice`.
    pub contest_office: String,
    /// `tabulateByPrecinct`: also write one report per precinct.
    pub tabulate_by_precinct: bool,
    /// `tabulateByBatch`: also write one report per batch.
    pub tabulate_by_batch: bool,
    /// `generateCdfJson`: also write the CVRs as a CDF JSON file.
    pub generate_cdf_json: bool,
}

/// One CVR source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CvrSource {
    /// The path as the configuration writes it.
    pub file_path: String,
    /// The path resolved against the configuration's folder.
    pub path: PathBuf,
    /// The provider.
    pub provider: Provider,
    /// The per-source settings (labels, columns, contest).
    pub options: psephos_io::cvr::SourceOptions,
}

/// One declared candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The name reports use.
    pub name: String,
    /// Other spellings the CVRs may use.
    pub aliases: Vec<String>,
    /// Excluded candidates are never counted; their marks are passed over.
    pub excluded: bool,
}

/// `maxRankingsAllowed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxRankings {
    /// `max`: as many as there are declared candidates.
    Max,
    /// A number.
    Limit(u32),
}

/// The counting rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    /// `tiebreakMode`.
    pub tiebreak_mode: TiebreakMode,
    /// `overvoteRule`.
    pub overvote_rule: OvervoteRule,
    /// `winnerElectionMode`.
    pub winner_election_mode: WinnerElectionMode,
    /// `randomSeed`.
    pub random_seed: Option<i64>,
    /// `numberOfWinners`.
    pub number_of_winners: u32,
    /// `multiSeatBottomsUpPercentageThreshold`, as a fraction (15 → 0.15).
    pub bottoms_up_percentage: Option<Decimal>,
    /// `decimalPlacesForVoteArithmetic`.
    pub decimal_places: u32,
    /// `minimumVoteThreshold`.
    pub minimum_vote_threshold: Decimal,
    /// `maxSkippedRanksAllowed`; `None` is `unlimited`.
    pub max_skipped_ranks: Option<u32>,
    /// `maxRankingsAllowed`.
    pub max_rankings: MaxRankings,
    /// `nonIntegerWinningThreshold`.
    pub non_integer_winning_threshold: bool,
    /// `doesFirstRoundDetermineThreshold`.
    pub first_round_determines_threshold: bool,
    /// `hareQuota`.
    pub hare_quota: bool,
    /// `batchElimination`.
    pub batch_elimination: bool,
    /// `cutoffElimination`: in percentage bottoms-up, drop everyone under the threshold at once.
    pub cutoff_elimination: bool,
    /// `continueUntilTwoCandidatesRemain`.
    pub continue_until_two_remain: bool,
    /// `stopTabulationEarlyAfterRound`.
    pub stop_after_round: Option<u32>,
    /// `exhaustOnDuplicateCandidate`.
    pub exhaust_on_duplicate: bool,
}

/// A validated contest configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContestConfig {
    /// `tabulatorVersion`.
    pub tabulator_version: String,
    /// `outputSettings`.
    pub output: OutputSettings,
    /// `cvrFileSources`.
    pub sources: Vec<CvrSource>,
    /// `candidates`, in file order.
    pub candidates: Vec<Candidate>,
    /// `rules`.
    pub rules: Rules,
}

/// One problem found in a configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The field, as a path (`rules.overvoteRule`, `cvrFileSources[0].filePath`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why a configuration could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read the contest configuration: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The file is not JSON.
    #[error("{path}: not a JSON contest configuration: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The configuration breaks RCTab's rules; every problem is listed.
    #[error("{path}: the contest configuration is invalid ({} problem{}):\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" }, problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<ConfigProblem>,
    },
}

/// Collects problems while the configuration is read.
struct Checker {
    problems: Vec<ConfigProblem>,
}

impl Checker {
    fn problem(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(ConfigProblem { field: field.into(), message: message.into() });
    }

    /// A string field; numbers are accepted and written as text. Blank is `None`.
    fn text(&mut self, obj: Option<&Value>, key: &str, field: &str) -> Option<String> {
        match obj.and_then(|o| o.get(key)) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            Some(_) => {
                self.problem(field, "expected a string or a number");
                None
            }
        }
    }

    /// A string field kept verbatim (labels may be blank).
    fn label(&mut self, obj: Option<&Value>, key: &str, field: &str) -> Option<String> {
        match obj.and_then(|o| o.get(key)) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                self.problem(field, "expected a string");
                None
            }
        }
    }

    /// A boolean; `"true"`/`"false"` strings are accepted.
    fn flag(&mut self, obj: Option<&Value>, key: &str, field: &str) -> bool {
        match obj.and_then(|o| o.get(key)) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") || s.is_empty() => false,
            Some(other) => {
                self.problem(field, format!("expected true or false, found {other}"));
                false
            }
        }
    }

    /// An integer in `lo..=hi`, if given.
    fn integer(&mut self, obj: Option<&Value>, key: &str, field: &str, lo: i64, hi: i64) -> Option<i64> {
        let text = self.text(obj, key, field)?;
        match text.trim().parse::<i64>() {
            Ok(n) if (lo..=hi).contains(&n) => Some(n),
            _ => {
                self.problem(field, format!("must be an integer from {lo} to {hi}, found {text:?}"));
                None
            }
        }
    }
}

impl ContestConfig {
    /// Read and validate a configuration file.
    ///
    /// # Errors
    ///
    /// [`ConfigError`]: the file cannot be read, is not JSON, or breaks
    /// RCTab's rules (every problem listed with its field).
    pub fn load(path: &Path) -> Result<ContestConfig, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::Io { path: path.to_path_buf(), message: e.to_string() })?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| ConfigError::Json { path: path.to_path_buf(), message: e.to_string() })?;
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        Self::from_value(&value, dir).map_err(|problems| ConfigError::Invalid { path: path.to_path_buf(), problems })
    }

    /// Validate a parsed configuration whose relative paths start at `dir`.
    ///
    /// # Errors
    ///
    /// Every problem found, each naming its field.
    pub fn from_value(value: &Value, dir: &Path) -> Result<ContestConfig, Vec<ConfigProblem>> {
        let mut c = Checker { problems: Vec::new() };
        if !value.is_object() {
            c.problem("(root)", "expected a JSON object");
            return Err(c.problems);
        }
        let tabulator_version = c.text(Some(value), "tabulatorVersion", "tabulatorVersion");
        if tabulator_version.is_none() {
            c.problem("tabulatorVersion", "is required");
        }
        let out = value.get("outputSettings");
        let output = OutputSettings {
            contest_name: c.text(out, "contestName", "outputSettings.contestName").unwrap_or_default(),
            contest_date: c.label(out, "contestDate", "outputSettings.contestDate").unwrap_or_default(),
            contest_jurisdiction: c
                .label(out, "contestJurisdiction", "outputSettings.contestJurisdiction")
                .unwrap_or_default(),
            contest_office: c.label(out, "contestOffice", "outputSettings.contestOffice").unwrap_or_default(),
            tabulate_by_precinct: c.flag(out, "tabulateByPrecinct", "outputSettings.tabulateByPrecinct"),
            tabulate_by_batch: c.flag(out, "tabulateByBatch", "outputSettings.tabulateByBatch"),
            generate_cdf_json: c.flag(out, "generateCdfJson", "outputSettings.generateCdfJson"),
        };
        if output.contest_name.is_empty() {
            c.problem("outputSettings.contestName", "is required");
        }

        let candidates = read_candidates(&mut c, value.get("candidates"));
        let rules = read_rules(&mut c, value.get("rules"), &candidates);
        let declared = candidates.iter().filter(|x| !x.excluded).count() as u32;
        let max_rankings = match rules.as_ref().map(|r| r.max_rankings) {
            Some(MaxRankings::Limit(n)) => n as usize,
            _ => declared.max(1) as usize,
        };
        let context = SourceContext {
            output: &output,
            max_rankings,
            overvote_rule: rules.as_ref().map(|r| r.overvote_rule),
            candidates: &candidates,
        };
        let sources = read_sources(&mut c, value.get("cvrFileSources"), dir, &context);

        match (c.problems.is_empty(), tabulator_version, rules) {
            (true, Some(tabulator_version), Some(rules)) => {
                Ok(ContestConfig { tabulator_version, output, sources, candidates, rules })
            }
            _ => Err(c.problems),
        }
    }

    /// The declared candidates that are not excluded.
    pub fn num_declared_candidates(&self) -> usize {
        self.candidates.iter().filter(|c| !c.excluded).count()
    }

    /// How many rankings a ballot may hold.
    pub fn max_rankings(&self) -> usize {
        match self.rules.max_rankings {
            MaxRankings::Limit(n) => n as usize,
            MaxRankings::Max => self.num_declared_candidates(),
        }
    }

    /// Whether any source declares an undeclared write-in label (then RCTab
    /// counts "Undeclared Write-ins" as a candidate).
    pub fn has_undeclared_write_ins(&self) -> bool {
        self.sources
            .iter()
            .any(|s| s.options.undeclared_write_in_label.is_some() || s.options.treat_blank_as_undeclared_write_in)
    }
}

fn read_candidates(c: &mut Checker, value: Option<&Value>) -> Vec<Candidate> {
    let Some(list) = value.and_then(Value::as_array) else {
        c.problem("candidates", "expected a list of candidates");
        return Vec::new();
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut candidates = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let field = format!("candidates[{i}]");
        let name = c
            .text(Some(item), "name", &format!("{field}.name"))
            .or_else(|| c.text(Some(item), "code", &format!("{field}.code")));
        let Some(name) = name else {
            c.problem(format!("{field}.name"), "a name is required for each candidate");
            continue;
        };
        let mut aliases = Vec::new();
        if let Some(code) = c.text(Some(item), "code", &format!("{field}.code")) {
            if code != name {
                aliases.push(code);
            }
        }
        if let Some(list) = item.get("aliases").and_then(Value::as_array) {
            for (j, alias) in list.iter().enumerate() {
                match alias.as_str().map(str::trim) {
                    Some(a) if !a.is_empty() => aliases.push(a.to_owned()),
                    _ => c.problem(format!("{field}.aliases[{j}]"), "an alias must be a non-blank string"),
                }
            }
        }
        for text in std::iter::once(&name).chain(&aliases) {
            if !seen.insert(text.clone()) {
                c.problem(format!("{field}.name"), format!("duplicate candidate name or alias: {text:?}"));
            }
            if RESERVED.iter().any(|r| text.eq_ignore_ascii_case(r)) {
                c.problem(format!("{field}.name"), format!("{text:?} is a reserved term"));
            }
        }
        let excluded = c.flag(Some(item), "excluded", &format!("{field}.excluded"));
        candidates.push(Candidate { name, aliases, excluded });
    }
    if !candidates.iter().any(|x| !x.excluded) {
        c.problem("candidates", "the contest must have at least one candidate that is not excluded");
    }
    candidates
}

/// A required `rules.KEY` naming one of a fixed set of choices: a problem
/// when it is missing or names none of them.
fn required_choice<T>(
    c: &mut Checker,
    value: Option<&Value>,
    key: &str,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let field = format!("rules.{key}");
    match c.text(value, key, &field) {
        Some(t) => parse(&t).or_else(|| {
            c.problem(&field, format!("unknown {what} {t:?}"));
            None
        }),
        None => {
            c.problem(&field, "is required");
            None
        }
    }
}

fn read_rules(c: &mut Checker, value: Option<&Value>, candidates: &[Candidate]) -> Option<Rules> {
    if value.is_none() {
        c.problem("rules", "is required");
        return None;
    }
    let before = c.problems.len();
    let pick = |c: &mut Checker, key: &str| c.text(value, key, &format!("rules.{key}"));
    let tiebreak_mode = required_choice(c, value, "tiebreakMode", "tie-break mode", TiebreakMode::parse);
    let overvote_rule = required_choice(c, value, "overvoteRule", "overvote rule", OvervoteRule::parse);
    let winner_election_mode =
        required_choice(c, value, "winnerElectionMode", "winner election mode", WinnerElectionMode::parse);
    let random_seed = c.integer(value, "randomSeed", "rules.randomSeed", -140_737_488_355_328, 140_737_488_355_327);
    if tiebreak_mode.is_some_and(TiebreakMode::needs_seed) && random_seed.is_none() {
        c.problem("rules.randomSeed", "is required when the tie-break mode is random");
    }
    let percentage_mode = winner_election_mode == Some(WinnerElectionMode::BottomsUpUsingPercentageThreshold);
    let declared = candidates.iter().filter(|x| !x.excluded).count() as i64;
    let number_of_winners = if percentage_mode {
        // The percentage decides how many win: the count is not given.
        if pick(c, "numberOfWinners").is_some_and(|n| n.trim() != "0") {
            c.problem(
                "rules.numberOfWinners",
                "must be 0 when winnerElectionMode is bottomsUpUsingPercentageThreshold",
            );
        }
        0
    } else {
        match c.integer(value, "numberOfWinners", "rules.numberOfWinners", 1, declared.max(1)) {
            Some(n) => n as u32,
            None => {
                if pick(c, "numberOfWinners").is_none() {
                    c.problem("rules.numberOfWinners", "is required");
                }
                0
            }
        }
    };
    if winner_election_mode == Some(WinnerElectionMode::SingleWinnerMajority) && number_of_winners > 1 {
        c.problem("rules.numberOfWinners", "must be 1 when winnerElectionMode is singleWinnerMajority");
    }
    if matches!(
        winner_election_mode,
        Some(
            WinnerElectionMode::MultiWinnerAllowOnlyOneWinnerPerRound
                | WinnerElectionMode::MultiWinnerAllowMultipleWinnersPerRound
                | WinnerElectionMode::BottomsUp
                | WinnerElectionMode::MultiPassIrv
        )
    ) && number_of_winners == 1
    {
        c.problem("rules.numberOfWinners", "must be more than 1 for a multi-winner mode");
    }
    let bottoms_up_percentage = if percentage_mode {
        match c.integer(
            value,
            "multiSeatBottomsUpPercentageThreshold",
            "rules.multiSeatBottomsUpPercentageThreshold",
            1,
            100,
        ) {
            Some(p) => Some(Decimal::new(i128::from(p), 2)),
            None => {
                if pick(c, "multiSeatBottomsUpPercentageThreshold").is_none() {
                    c.problem(
                        "rules.multiSeatBottomsUpPercentageThreshold",
                        "is required when winnerElectionMode is bottomsUpUsingPercentageThreshold",
                    );
                }
                None
            }
        }
    } else {
        None
    };
    let decimal_places = c
        .integer(value, "decimalPlacesForVoteArithmetic", "rules.decimalPlacesForVoteArithmetic", 1, 20)
        .unwrap_or(4) as u32;
    let minimum_vote_threshold =
        c.integer(value, "minimumVoteThreshold", "rules.minimumVoteThreshold", 0, 1_000_000).unwrap_or(0);
    let max_skipped_ranks = match pick(c, "maxSkippedRanksAllowed") {
        Some(t) if t == "unlimited" => None,
        Some(_) => c
            .integer(value, "maxSkippedRanksAllowed", "rules.maxSkippedRanksAllowed", 0, i64::from(u32::MAX))
            .map(|n| n as u32),
        None => Some(1),
    };
    let max_rankings = match pick(c, "maxRankingsAllowed") {
        Some(t) if t == "max" => MaxRankings::Max,
        Some(_) => c
            .integer(value, "maxRankingsAllowed", "rules.maxRankingsAllowed", 1, i64::from(u32::MAX))
            .map_or(MaxRankings::Max, |n| MaxRankings::Limit(n as u32)),
        None => MaxRankings::Max,
    };
    let stop_after_round = c
        .integer(value, "stopTabulationEarlyAfterRound", "rules.stopTabulationEarlyAfterRound", 1, i64::from(u32::MAX))
        .map(|n| n as u32);
    let flag = |c: &mut Checker, key: &str| c.flag(value, key, &format!("rules.{key}"));
    let rules = Rules {
        tiebreak_mode: tiebreak_mode?,
        overvote_rule: overvote_rule?,
        winner_election_mode: winner_election_mode?,
        random_seed,
        number_of_winners,
        bottoms_up_percentage,
        decimal_places,
        minimum_vote_threshold: Decimal::from_int(minimum_vote_threshold),
        max_skipped_ranks,
        max_rankings,
        non_integer_winning_threshold: flag(c, "nonIntegerWinningThreshold"),
        first_round_determines_threshold: flag(c, "doesFirstRoundDetermineThreshold"),
        hare_quota: flag(c, "hareQuota"),
        batch_elimination: flag(c, "batchElimination"),
        cutoff_elimination: flag(c, "cutoffElimination"),
        continue_until_two_remain: flag(c, "continueUntilTwoCandidatesRemain"),
        stop_after_round,
        exhaust_on_duplicate: flag(c, "exhaustOnDuplicateCandidate"),
    };
    if rules.batch_elimination
        && rules.number_of_winners > 1
        && rules.winner_election_mode != WinnerElectionMode::MultiPassIrv
    {
        c.problem("rules.batchElimination", "can't be used in a multi-winner contest");
    }
    check_rule_combinations(c, &rules);
    (c.problems.len() == before).then_some(rules)
}

/// The combinations of rules RCTab refuses: options of multi-winner
/// thresholds in other modes, a threshold both Hare and non-integer, and
/// options that cannot apply to the mode.
fn check_rule_combinations(c: &mut Checker, rules: &Rules) {
    use WinnerElectionMode as Mode;
    let mode = rules.winner_election_mode;
    let multi_winner_threshold =
        matches!(mode, Mode::MultiWinnerAllowOnlyOneWinnerPerRound | Mode::MultiWinnerAllowMultipleWinnersPerRound);
    if rules.non_integer_winning_threshold && !multi_winner_threshold {
        c.problem(
            "rules.nonIntegerWinningThreshold",
            "can only be true when winnerElectionMode is multiWinnerAllowOnlyOneWinnerPerRound or multiWinnerAllowMultipleWinnersPerRound",
        );
    }
    if rules.hare_quota && !multi_winner_threshold {
        c.problem(
            "rules.hareQuota",
            "can only be true when winnerElectionMode is multiWinnerAllowOnlyOneWinnerPerRound or multiWinnerAllowMultipleWinnersPerRound",
        );
    }
    if rules.non_integer_winning_threshold && rules.hare_quota {
        c.problem("rules.hareQuota", "can't be true together with nonIntegerWinningThreshold");
    }
    if rules.continue_until_two_remain && rules.number_of_winners > 1 && mode != Mode::MultiPassIrv {
        c.problem(
            "rules.continueUntilTwoCandidatesRemain",
            "can't be true in a multi-winner contest unless winnerElectionMode is multiPassIrv",
        );
    }
    if rules.batch_elimination && mode == Mode::BottomsUpUsingPercentageThreshold {
        c.problem(
            "rules.batchElimination",
            "can't be true when winnerElectionMode is bottomsUpUsingPercentageThreshold",
        );
    }
}

/// The per-source settings RCTab refuses: settings the provider does not
/// use, labels that are reserved or used twice (also by a candidate), a
/// rule the labels cannot serve.
fn check_source_fields(
    c: &mut Checker,
    item: &Value,
    field: &str,
    provider: Option<Provider>,
    file_path: &str,
    options: &psephos_io::cvr::SourceOptions,
    context: &SourceContext<'_>,
) {
    let f = |k: &str| format!("{field}.{k}");
    let given = |key: &str| match item.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    };
    let unused = |c: &mut Checker, key: &str, provider: Provider| {
        if given(key) {
            c.problem(f(key), format!("should not be given for provider {:?}", provider.label()));
        }
    };
    match provider {
        None => {}
        Some(Provider::Ess) => {}
        Some(p @ Provider::GenericCsv) => {
            for key in ["idColumnIndex", "precinctColumnIndex"] {
                unused(c, key, p);
            }
        }
        Some(p) => {
            for key in [
                "firstVoteColumnIndex",
                "firstVoteRowIndex",
                "idColumnIndex",
                "precinctColumnIndex",
                "overvoteDelimiter",
                "skippedRankLabel",
            ] {
                unused(c, key, p);
            }
            if options.treat_blank_as_undeclared_write_in {
                c.problem(f("treatBlankAsUndeclaredWriteIn"), format!("can't be true for provider {:?}", p.label()));
            }
            if p == Provider::Cdf {
                let lower = file_path.to_ascii_lowercase();
                if !lower.ends_with(".json") && !lower.ends_with(".xml") {
                    c.problem(f("filePath"), "a CDF file must be .json or .xml");
                }
            } else {
                unused(c, "overvoteLabel", p);
            }
        }
    }
    if let Some(p @ (Provider::Ess | Provider::GenericCsv)) = provider {
        unused(c, "contestId", p);
    }
    if provider == Some(Provider::Ess)
        && context.overvote_rule == Some(OvervoteRule::ExhaustIfMultipleContinuing)
        && options.overvote_delimiter.is_none()
    {
        c.problem(
            f("overvoteDelimiter"),
            "is required for ES&S files when overvoteRule is exhaustIfMultipleContinuing",
        );
    }
    if options.overvote_label.is_some()
        && !matches!(
            context.overvote_rule,
            None | Some(OvervoteRule::ExhaustImmediately | OvervoteRule::AlwaysSkipToNextRank)
        )
    {
        c.problem(f("overvoteLabel"), "can only be used with overvoteRule exhaustImmediately or alwaysSkipToNextRank");
    }
    let labels = [
        ("overvoteLabel", options.overvote_label.as_deref()),
        ("skippedRankLabel", options.skipped_rank_label.as_deref()),
        ("undeclaredWriteInLabel", options.undeclared_write_in_label.as_deref()),
    ];
    for (key, label) in labels {
        if let Some(problem) = label.and_then(|l| label_conflict(l, key, &labels)) {
            c.problem(f(key), problem);
        }
    }
    for (i, candidate) in context.candidates.iter().enumerate() {
        for text in std::iter::once(&candidate.name).chain(&candidate.aliases) {
            if let Some((key, _)) = labels.iter().find(|(_, l)| l.is_some_and(|l| l.eq_ignore_ascii_case(text))) {
                c.problem(format!("candidates[{i}].name"), format!("{text:?} is also {field}.{key}"));
            }
        }
    }
}

/// A label RCTab reserves for its own reports, or that another label of
/// the source already uses (case aside): the problem, if any.
fn label_conflict(text: &str, own: &str, labels: &[(&str, Option<&str>)]) -> Option<String> {
    if let Some(reserved) = RESERVED.iter().find(|r| text.eq_ignore_ascii_case(r)) {
        return Some(format!("{reserved:?} is a reserved term"));
    }
    labels
        .iter()
        .find(|(key, label)| *key != own && label.is_some_and(|l| l.eq_ignore_ascii_case(text)))
        .map(|(key, _)| format!("{text:?} is also this source's {key}"))
}

/// The terms RCTab's reports use for their own rows.
const RESERVED: [&str; 3] = ["residual surplus", "exhausted", "uncounted"];

/// What the sources are checked against: the rest of the configuration.
struct SourceContext<'a> {
    output: &'a OutputSettings,
    max_rankings: usize,
    /// The overvote rule, when it is valid.
    overvote_rule: Option<OvervoteRule>,
    candidates: &'a [Candidate],
}

fn read_sources(c: &mut Checker, value: Option<&Value>, dir: &Path, context: &SourceContext<'_>) -> Vec<CvrSource> {
    let SourceContext { output, max_rankings, .. } = *context;
    let list = value.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    if list.is_empty() {
        c.problem("cvrFileSources", "the contest must have at least one cast vote record file");
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut sources = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let field = format!("cvrFileSources[{i}]");
        let o = Some(item);
        let f = |k: &str| format!("{field}.{k}");
        let file_path = c.text(o, "filePath", &f("filePath"));
        let provider = match c.text(o, "provider", &f("provider")) {
            Some(p) => Provider::parse(&p).or_else(|| {
                c.problem(f("provider"), format!("unknown provider {p:?}"));
                None
            }),
            None => {
                c.problem(f("provider"), "is required");
                None
            }
        };
        let Some(file_path) = file_path else {
            c.problem(f("filePath"), "is required for each cast vote record file");
            continue;
        };
        let path = dir.join(&file_path);
        if !seen.insert(path.clone()) {
            c.problem(f("filePath"), format!("duplicate cast vote record file: {file_path}"));
        }
        if !path.exists() {
            c.problem(f("filePath"), format!("cast vote record file not found: {}", path.display()));
        }
        let spreadsheet = matches!(provider, Some(Provider::Ess | Provider::GenericCsv));
        let column = |c: &mut Checker, key: &str, required: bool| -> Option<usize> {
            let n = c.integer(o, key, &f(key), 1, 1000).map(|n| n as usize);
            if required && n.is_none() && c.text(o, key, &f(key)).is_none() {
                c.problem(f(key), "is required for this provider");
            }
            n
        };
        let first_vote_column = column(c, "firstVoteColumnIndex", spreadsheet);
        let first_vote_row = if spreadsheet {
            let n = c.integer(o, "firstVoteRowIndex", &f("firstVoteRowIndex"), 1, 100_000);
            if n.is_none() && c.text(o, "firstVoteRowIndex", &f("firstVoteRowIndex")).is_none() {
                c.problem(f("firstVoteRowIndex"), "is required for this provider");
            }
            n.map(|n| n as usize)
        } else {
            None
        };
        let id_column = column(c, "idColumnIndex", false);
        let precinct_column = column(c, "precinctColumnIndex", false);
        let batch_column = column(c, "batchColumnIndex", false);
        if provider == Some(Provider::Ess) {
            if output.tabulate_by_precinct && precinct_column.is_none() {
                c.problem(f("precinctColumnIndex"), "is required when tabulating by precinct");
            }
            if output.tabulate_by_batch && batch_column.is_none() {
                c.problem(f("batchColumnIndex"), "is required when tabulating by batch");
            }
        }
        let contest_id = c.text(o, "contestId", &f("contestId"));
        if matches!(provider, Some(Provider::Cdf | Provider::Dominion | Provider::Hart | Provider::ClearBallot))
            && contest_id.is_none()
        {
            c.problem(f("contestId"), "is required for this provider");
        }
        let options = psephos_io::cvr::SourceOptions {
            contest_id,
            first_vote_column: first_vote_column.unwrap_or(1),
            first_vote_row: first_vote_row.unwrap_or(1),
            id_column,
            precinct_column,
            batch_column,
            overvote_delimiter: c.label(o, "overvoteDelimiter", &f("overvoteDelimiter")),
            overvote_label: c.label(o, "overvoteLabel", &f("overvoteLabel")),
            skipped_rank_label: c.label(o, "skippedRankLabel", &f("skippedRankLabel")),
            undeclared_write_in_label: c.label(o, "undeclaredWriteInLabel", &f("undeclaredWriteInLabel")),
            treat_blank_as_undeclared_write_in: c.flag(
                o,
                "treatBlankAsUndeclaredWriteIn",
                &f("treatBlankAsUndeclaredWriteIn"),
            ),
            max_rankings,
            vendor_names: false,
        };
        if let Some(d) = &options.overvote_delimiter {
            if d.chars().any(|ch| ch.is_alphanumeric() || ch.is_whitespace()) {
                c.problem(f("overvoteDelimiter"), format!("{d:?} is not a valid overvote delimiter"));
            }
        }
        if options.overvote_delimiter.is_some() && options.overvote_label.is_some() {
            c.problem(f("overvoteDelimiter"), "can't be used together with overvoteLabel");
        }
        check_source_fields(c, item, &field, provider, &file_path, &options, context);
        if let Some(provider) = provider {
            sources.push(CvrSource { file_path, path, provider, options });
        }
    }
    sources
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A valid configuration: one ES&S source, four candidates, one winner.
    fn base() -> Value {
        json!({
            "tabulatorVersion": "TEST",
            "outputSettings": { "contestName": "Test" },
            "cvrFileSources": [{
                "filePath": "simple_ess_cvr.xlsx",
                "provider": "ess",
                "firstVoteColumnIndex": "2",
                "firstVoteRowIndex": "2",
                "overvoteLabel": "overvote",
                "skippedRankLabel": "undervote",
                "undeclaredWriteInLabel": "UWI"
            }],
            "candidates": [
                { "name": "Ada" }, { "name": "Bo" }, { "name": "Cy" }, { "name": "Di" }
            ],
            "rules": {
                "tiebreakMode": "useCandidateOrder",
                "overvoteRule": "alwaysSkipToNextRank",
                "winnerElectionMode": "singleWinnerMajority",
                "numberOfWinners": "1",
                "decimalPlacesForVoteArithmetic": "4",
                "maxSkippedRanksAllowed": "1",
                "maxRankingsAllowed": "max"
            }
        })
    }

    fn check(config: &Value) -> Result<ContestConfig, Vec<ConfigProblem>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/rctab/_shared");
        ContestConfig::from_value(config, &dir)
    }

    /// The base with `changes` applied (`section.key` or `cvrFileSources.key`
    /// for the one source) is refused with a problem on `field` whose
    /// message contains `says`.
    fn refused(changes: &[(&str, Value)], field: &str, says: &str) {
        let mut config = base();
        for (path, value) in changes {
            let (section, key) = path.split_once('.').unwrap();
            let target = if section == "cvrFileSources" { &mut config[section][0] } else { &mut config[section] };
            target[key] = value.clone();
        }
        let problems = check(&config).expect_err(&format!("{changes:?} is refused"));
        assert!(
            problems.iter().any(|p| p.field == field && p.message.contains(says)),
            "{changes:?}: no problem on {field} saying {says:?} in {problems:?}"
        );
    }

    #[test]
    fn the_base_is_valid() {
        check(&base()).unwrap();
    }

    #[test]
    fn threshold_options_belong_to_multi_winner_modes() {
        refused(&[("rules.nonIntegerWinningThreshold", true.into())], "rules.nonIntegerWinningThreshold", "only");
        refused(&[("rules.hareQuota", true.into())], "rules.hareQuota", "only");
        let multi = [
            ("rules.winnerElectionMode", "multiWinnerAllowOnlyOneWinnerPerRound".into()),
            ("rules.numberOfWinners", "2".into()),
        ];
        let mut both = multi.to_vec();
        both.extend([("rules.hareQuota", true.into()), ("rules.nonIntegerWinningThreshold", true.into())]);
        refused(&both, "rules.hareQuota", "together with nonIntegerWinningThreshold");
        let mut hare = multi.to_vec();
        hare.push(("rules.hareQuota", true.into()));
        let mut config = base();
        for (path, value) in &hare {
            config["rules"][path.trim_start_matches("rules.")] = value.clone();
        }
        check(&config).expect("a Hare quota in a multi-winner mode is valid");
    }

    #[test]
    fn options_that_cannot_apply_to_the_mode() {
        refused(
            &[
                ("rules.winnerElectionMode", "multiWinnerAllowMultipleWinnersPerRound".into()),
                ("rules.numberOfWinners", "2".into()),
                ("rules.continueUntilTwoCandidatesRemain", true.into()),
            ],
            "rules.continueUntilTwoCandidatesRemain",
            "multiPassIrv",
        );
        refused(
            &[
                ("rules.winnerElectionMode", "bottomsUpUsingPercentageThreshold".into()),
                ("rules.multiSeatBottomsUpPercentageThreshold", "25".into()),
                ("rules.batchElimination", true.into()),
            ],
            "rules.batchElimination",
            "bottomsUpUsingPercentageThreshold",
        );
        refused(&[("rules.winnerElectionMode", "multiPassIrv".into())], "rules.numberOfWinners", "more than 1");
        let percentage = [
            ("rules.winnerElectionMode", "bottomsUpUsingPercentageThreshold".into()),
            ("rules.multiSeatBottomsUpPercentageThreshold", "25".into()),
        ];
        refused(&percentage, "rules.numberOfWinners", "must be 0");
        let mut config = base();
        for (path, value) in percentage.iter().chain(&[("rules.numberOfWinners", Value::from("0"))]) {
            config["rules"][path.trim_start_matches("rules.")] = value.clone();
        }
        check(&config).expect("no winners given with a percentage threshold is valid");
    }

    #[test]
    fn settings_the_provider_does_not_use() {
        refused(
            &[("cvrFileSources.provider", "genericCsv".into()), ("cvrFileSources.idColumnIndex", "1".into())],
            "cvrFileSources[0].idColumnIndex",
            "genericCsv",
        );
        let cdf = [
            ("cvrFileSources.provider", "cdf".into()),
            ("cvrFileSources.filePath", "cdf_json/cdf_json_file1_cvr.json".into()),
            ("cvrFileSources.contestId", "aliases file 1".into()),
        ];
        refused(&cdf, "cvrFileSources[0].firstVoteColumnIndex", "should not be given for provider \"cdf\"");
        refused(&cdf, "cvrFileSources[0].skippedRankLabel", "should not be given");
        let mut blank_uwi = cdf.to_vec();
        blank_uwi.push(("cvrFileSources.treatBlankAsUndeclaredWriteIn", true.into()));
        refused(&blank_uwi, "cvrFileSources[0].treatBlankAsUndeclaredWriteIn", "can't be true");
        refused(
            &[("cvrFileSources.provider", "cdf".into()), ("cvrFileSources.contestId", "Mayor".into())],
            "cvrFileSources[0].filePath",
            ".json or .xml",
        );
        refused(
            &[
                ("cvrFileSources.provider", "dominion".into()),
                ("cvrFileSources.filePath", "dominion_alaska/alaska_input_data".into()),
                ("cvrFileSources.contestId", "1".into()),
            ],
            "cvrFileSources[0].overvoteLabel",
            "\"dominion\"",
        );
        refused(&[("cvrFileSources.contestId", "Mayor".into())], "cvrFileSources[0].contestId", "\"ess\"");
    }

    #[test]
    fn overvote_settings_must_serve_the_overvote_rule() {
        refused(
            &[
                ("rules.overvoteRule", "exhaustIfMultipleContinuing".into()),
                ("cvrFileSources.overvoteLabel", Value::Null),
            ],
            "cvrFileSources[0].overvoteDelimiter",
            "exhaustIfMultipleContinuing",
        );
        refused(
            &[("rules.overvoteRule", "exhaustIfMultipleContinuing".into())],
            "cvrFileSources[0].overvoteLabel",
            "exhaustImmediately or alwaysSkipToNextRank",
        );
    }

    #[test]
    fn labels_are_neither_reserved_nor_used_twice() {
        refused(
            &[("cvrFileSources.skippedRankLabel", "Exhausted".into())],
            "cvrFileSources[0].skippedRankLabel",
            "reserved",
        );
        let twice = [("cvrFileSources.undeclaredWriteInLabel", "OVERVOTE".into())];
        refused(&twice, "cvrFileSources[0].undeclaredWriteInLabel", "overvoteLabel");
        refused(&twice, "cvrFileSources[0].overvoteLabel", "undeclaredWriteInLabel");
        let mut config = base();
        config["candidates"][1]["aliases"] = json!(["uwi"]);
        let problems = check(&config).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.field == "candidates[1].name"
                    && p.message.contains("cvrFileSources[0].undeclaredWriteInLabel")),
            "{problems:?}"
        );
    }

    #[test]
    fn every_problem_is_listed() {
        let mut config = base();
        config["rules"]["hareQuota"] = true.into();
        config["cvrFileSources"][0]["contestId"] = "Mayor".into();
        config["cvrFileSources"][0]["skippedRankLabel"] = "uncounted".into();
        let fields: Vec<String> = check(&config).unwrap_err().into_iter().map(|p| p.field).collect();
        for field in ["rules.hareQuota", "cvrFileSources[0].contestId", "cvrFileSources[0].skippedRankLabel"] {
            assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
        }
    }
}
