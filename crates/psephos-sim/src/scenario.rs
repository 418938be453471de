//! Scenario files: a poll, the uncertainty around it, voters' next choices,
//! the rules to compare and, optionally, an entrant.
//!
//! A scenario is TOML. Every field is described in the README; the shortest
//! valid file names a title, a source, a sample size, the expected number of
//! valid votes and two candidates with their shares:
//!
//! ```
//! use psephos_sim::Scenario;
//! let s = Scenario::from_toml(r#"
//!     title = "A two-horse race"
//!     source = "invented for this example"
//!     sample_size = 1000
//!     valid_votes = 100000
//!     candidates = [ { name = "A", share = 52 }, { name = "B", share = 48 } ]
//! "#, "example.toml").unwrap();
//! assert_eq!(s.candidates.len(), 2);
//! assert_eq!(s.rules.len(), 4);
//! ```
//!
//! Invalid files are refused with a [`ScenarioError`] naming the field.

use std::collections::BTreeMap;

use psephos::Rule;
use serde::Deserialize;

/// The default systematic poll error, in share points for a candidate on
/// 50%: the estimate of [`crate::calibration::DEFAULT_MODEL`] from the
/// final-week polls of every London mayoral election with published polls
/// (see [`crate::calibration`]; a test checks it against the estimate).
pub const DEFAULT_SYSTEMATIC_ERROR: f64 = 3.96;

/// The default shape of the error shared by all polls of a race (see
/// [`crate::calibration::DEFAULT_MODEL`]).
pub const DEFAULT_TAILS: Tails = Tails::Normal;

/// The default "favourite overstated" bias, share points of lead (see
/// [`crate::calibration::DEFAULT_MODEL`]).
pub const DEFAULT_FAVOURITE_BIAS: f64 = 0.0;

/// The shape of the error shared by all polls of a race (see [`crate::model`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tails {
    /// The Dirichlet draw with a fixed concentration: close to normal.
    Normal,
    /// A Student-t scale mixture with these degrees of freedom (above 2):
    /// each race's systematic variance is scaled by `ν / χ²_ν`, so the same
    /// variance as [`Tails::Normal`] with fatter tails. Written
    /// `student-t:ν` (`student-t` alone is ν = 4).
    StudentT(f64),
}

impl std::fmt::Display for Tails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tails::Normal => f.write_str("normal"),
            Tails::StudentT(df) => write!(f, "student-t:{df}"),
        }
    }
}

impl std::str::FromStr for Tails {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}`: write `normal`, `student-t` or `student-t:DF` with DF above 2");
        match s.split_once(':') {
            None if s == "normal" => Ok(Tails::Normal),
            None if s == "student-t" => Ok(Tails::StudentT(4.0)),
            Some(("student-t", df)) => match df.parse::<f64>() {
                Ok(df) if df > 2.0 && df.is_finite() => Ok(Tails::StudentT(df)),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }
}

/// The default share of a candidate's voters who give no further choice:
/// 23.4%, from the official 2021 London mayoral declaration. Of 2,531,357
/// valid first choices, 319,978 ballots left the second choice unmarked,
/// 8,002 spoilt it and 265,343 repeated the first choice, leaving
/// 1,938,034 (76.6%) with a second choice for another candidate.
pub const DEFAULT_NO_FURTHER_CHOICE: f64 = 0.234;

/// The default concentration of the Dirichlet draw around each row of
/// next-choice fractions: a row behaves as if measured on 100 respondents.
pub const DEFAULT_PREFERENCE_CONCENTRATION: f64 = 100.0;

/// How far the candidates' shares may add up from 100 by default (share
/// points): polls publish whole numbers, so six rounded shares can miss by 3.
pub const DEFAULT_SHARE_TOLERANCE: f64 = 3.0;

/// The rules compared when a scenario names none.
pub const DEFAULT_RULES: [&str; 4] = ["plurality", "supplementary-vote", "irv", "two-round"];

/// The most candidates a scenario may have, the entrant included: the model
/// keeps the set of candidates a ballot may still rank in 64 bits.
pub const MAX_CANDIDATES: usize = 64;

/// Rank levels generated per ballot by default.
pub const DEFAULT_RANKS: usize = 3;

/// A scenario file could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The text is not valid TOML, or a field has the wrong type or is missing.
    #[error("{origin}:{line}: {message}")]
    Parse {
        /// The file or preset the text came from.
        origin: String,
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// What is wrong, naming the field.
        message: String,
    },
    /// A field has a value the model cannot use.
    #[error("{origin}: `{field}`: {message}")]
    Invalid {
        /// The file or preset the text came from.
        origin: String,
        /// The field, as a TOML path (`candidates[2].share`, `entrant.drawn_from.Khan`).
        field: String,
        /// What is wrong with it.
        message: String,
    },
}

/// A candidate of the poll.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateSpec {
    /// The name, as used in the other tables of the file.
    pub name: String,
    /// Party or description.
    pub party: Option<String>,
    /// Poll share in percent, as published.
    pub share: f64,
}

/// A candidate who joins the race: the with-entrant race is the base poll
/// with `share` points taken from the other candidates.
#[derive(Clone, Debug, PartialEq)]
pub struct Entrant {
    /// The entrant's name.
    pub name: String,
    /// Party or description.
    pub party: Option<String>,
    /// The entrant's share in percent.
    pub share: f64,
    /// The fraction of the entrant's share drawn from each base candidate
    /// (adds up to 1).
    pub drawn_from: BTreeMap<String, f64>,
}

/// The actual result, for back-testing a final-week poll.
#[derive(Clone, Debug, PartialEq)]
pub struct Actual {
    /// Each candidate's share of valid first-round votes, in percent.
    pub shares: BTreeMap<String, f64>,
    /// The winner.
    pub winner: String,
    /// The rule the election was held under.
    pub rule: Rule,
}

/// One published poll behind a scenario's shares (for the record and for
/// checking the average; the model uses `candidates`).
#[derive(Clone, Debug, PartialEq)]
pub struct PollRecord {
    /// The polling company.
    pub pollster: String,
    /// Who commissioned it.
    pub client: Option<String>,
    /// Fieldwork dates (or the publication date when they were not found), as written.
    pub fieldwork: String,
    /// Sample size, as published or as assumed.
    pub sample_size: u64,
    /// Whether the sample size is an assumption (it was not published or not found).
    pub sample_size_assumed: bool,
    /// Published first-choice shares of the named candidates, percent; the
    /// rest of 100 is "Other".
    pub shares: BTreeMap<String, f64>,
    /// Where the figures were found.
    pub source: String,
}

/// A validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// A line saying what the scenario is.
    pub title: String,
    /// Where the numbers come from.
    pub source: String,
    /// Links to the sources.
    pub sources: Vec<String>,
    /// Assumptions and remarks.
    pub notes: Option<String>,
    /// The poll's sample size.
    pub sample_size: u64,
    /// Systematic poll error, share points for a candidate on 50%.
    pub systematic_error: f64,
    /// Shape of the error shared by all polls of the race.
    pub tails: Tails,
    /// Share points by which the poll is taken to overstate the leader's
    /// lead over the runner-up; the model moves half of it from the leader
    /// to the runner-up.
    pub favourite_bias: f64,
    /// The published polls averaged into `candidates`, when recorded.
    pub polls: Vec<PollRecord>,
    /// Valid votes expected on the day.
    pub valid_votes: u64,
    /// Rules to compare, in order.
    pub rules: Vec<Rule>,
    /// Rank levels generated per ballot (1 = first choices only).
    pub ranks: usize,
    /// Dirichlet concentration of the next-choice fractions.
    pub preference_concentration: f64,
    /// Share of voters with no further choice, for candidates without a row.
    pub no_further_choice: f64,
    /// The poll's candidates, in the order given.
    pub candidates: Vec<CandidateSpec>,
    /// Next-choice fractions by candidate: `preferences[a][b]` is the
    /// fraction of a's voters whose next choice is b.
    pub preferences: BTreeMap<String, BTreeMap<String, f64>>,
    /// A candidate joining the race.
    pub entrant: Option<Entrant>,
    /// The actual result, when known.
    pub actual: Option<Actual>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    title: String,
    source: String,
    #[serde(default)]
    sources: Vec<String>,
    notes: Option<String>,
    sample_size: f64,
    systematic_error: Option<f64>,
    error_tails: Option<String>,
    favourite_bias: Option<f64>,
    #[serde(default)]
    polls: Vec<RawPoll>,
    valid_votes: f64,
    rules: Option<Vec<String>>,
    ranks: Option<f64>,
    preference_concentration: Option<f64>,
    no_further_choice: Option<f64>,
    share_tolerance: Option<f64>,
    candidates: Vec<RawCandidate>,
    #[serde(default)]
    preferences: BTreeMap<String, BTreeMap<String, f64>>,
    entrant: Option<RawEntrant>,
    actual: Option<RawActual>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoll {
    pollster: String,
    client: Option<String>,
    fieldwork: String,
    sample_size: f64,
    #[serde(default)]
    sample_size_assumed: bool,
    shares: BTreeMap<String, f64>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCandidate {
    name: String,
    party: Option<String>,
    share: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntrant {
    name: String,
    party: Option<String>,
    share: f64,
    drawn_from: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActual {
    shares: BTreeMap<String, f64>,
    winner: String,
    rule: String,
}

/// Collects the context of validation errors.
struct Check<'a> {
    origin: &'a str,
}

impl Check<'_> {
    fn fail<T>(&self, field: impl Into<String>, message: impl Into<String>) -> Result<T, ScenarioError> {
        Err(ScenarioError::Invalid { origin: self.origin.to_owned(), field: field.into(), message: message.into() })
    }

    fn finite(&self, field: &str, v: f64) -> Result<f64, ScenarioError> {
        if v.is_finite() {
            Ok(v)
        } else {
            self.fail(field, format!("must be a finite number, got {v}"))
        }
    }

    fn non_negative(&self, field: &str, v: f64) -> Result<f64, ScenarioError> {
        if self.finite(field, v)? < 0.0 {
            return self.fail(field, format!("must not be negative, got {v}"));
        }
        Ok(v)
    }

    fn positive_count(&self, field: &str, v: f64) -> Result<u64, ScenarioError> {
        if self.finite(field, v)? < 1.0 || v.fract() != 0.0 || v > 1e15 {
            return self.fail(field, format!("must be a positive whole number, got {v}"));
        }
        Ok(v as u64)
    }

    fn fraction(&self, field: &str, v: f64) -> Result<f64, ScenarioError> {
        if !(0.0..=1.0).contains(&self.finite(field, v)?) {
            return self.fail(field, format!("must be a fraction between 0 and 1, got {v}"));
        }
        Ok(v)
    }
}

/// A table key written so it can be pasted into a TOML path.
fn key(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        name.to_owned()
    } else {
        format!("{name:?}")
    }
}

impl Scenario {
    /// Parses and validates a scenario. `origin` names the file or preset in
    /// error messages.
    pub fn from_toml(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = toml::from_str(text).map_err(|e| parse_error(text, origin, &e))?;
        Self::validate(raw, &Check { origin })
    }

    fn validate(raw: RawScenario, ck: &Check<'_>) -> Result<Scenario, ScenarioError> {
        if raw.title.trim().is_empty() {
            return ck.fail("title", "must not be empty");
        }
        if raw.source.trim().is_empty() {
            return ck.fail("source", "must not be empty: say where the numbers come from");
        }
        let sample_size = ck.positive_count("sample_size", raw.sample_size)?;
        let valid_votes = ck.positive_count("valid_votes", raw.valid_votes)?;
        let systematic_error =
            ck.non_negative("systematic_error", raw.systematic_error.unwrap_or(DEFAULT_SYSTEMATIC_ERROR))?;
        if systematic_error >= 50.0 {
            return ck.fail("systematic_error", format!("must be below 50 share points, got {systematic_error}"));
        }
        let tails = match &raw.error_tails {
            None => DEFAULT_TAILS,
            Some(s) => s.parse::<Tails>().or_else(|e| ck.fail("error_tails", e))?,
        };
        let favourite_bias = ck.finite("favourite_bias", raw.favourite_bias.unwrap_or(DEFAULT_FAVOURITE_BIAS))?;
        if favourite_bias.abs() >= 100.0 {
            return ck
                .fail("favourite_bias", format!("must be between -100 and 100 share points, got {favourite_bias}"));
        }
        let tolerance = ck.non_negative("share_tolerance", raw.share_tolerance.unwrap_or(DEFAULT_SHARE_TOLERANCE))?;
        let preference_concentration = ck.finite(
            "preference_concentration",
            raw.preference_concentration.unwrap_or(DEFAULT_PREFERENCE_CONCENTRATION),
        )?;
        if preference_concentration <= 0.0 {
            return ck.fail("preference_concentration", format!("must be positive, got {preference_concentration}"));
        }
        let no_further_choice =
            ck.fraction("no_further_choice", raw.no_further_choice.unwrap_or(DEFAULT_NO_FURTHER_CHOICE))?;

        if raw.candidates.len() < 2 {
            return ck.fail("candidates", format!("need at least two candidates, got {}", raw.candidates.len()));
        }
        let mut candidates = Vec::with_capacity(raw.candidates.len());
        for (i, c) in raw.candidates.into_iter().enumerate() {
            if c.name.trim().is_empty() {
                return ck.fail(format!("candidates[{i}].name"), "must not be empty");
            }
            if candidates.iter().any(|x: &CandidateSpec| x.name == c.name) {
                return ck.fail(format!("candidates[{i}].name"), format!("`{}` is listed twice", c.name));
            }
            let share = ck.non_negative(&format!("candidates[{i}].share"), c.share)?;
            candidates.push(CandidateSpec { name: c.name, party: c.party, share });
        }
        if candidates.len() > MAX_CANDIDATES {
            return ck.fail(
                "candidates",
                format!("{} candidates; at most {MAX_CANDIDATES}, the entrant included", candidates.len()),
            );
        }
        let total: f64 = candidates.iter().map(|c| c.share).sum();
        if (total - 100.0).abs() > tolerance {
            return ck.fail(
                "candidates",
                format!(
                    "shares add up to {total}, not 100 (tolerance {tolerance} points); \
                     add an `Other` candidate for the rest or fix the shares"
                ),
            );
        }
        if candidates.iter().filter(|c| c.share > 0.0).count() < 1 {
            return ck.fail("candidates", "every share is zero");
        }

        let entrant = match raw.entrant {
            None => None,
            Some(e) => Some(validate_entrant(e, &candidates, ck)?),
        };
        if entrant.is_some() && candidates.len() + 1 > MAX_CANDIDATES {
            return ck.fail(
                "entrant",
                format!(
                    "the poll has {} candidates, so the race with the entrant has {}; at most {MAX_CANDIDATES} \
                     candidates, the entrant included",
                    candidates.len(),
                    candidates.len() + 1
                ),
            );
        }
        let is_name = |n: &str| candidates.iter().any(|c| c.name == n) || entrant.as_ref().is_some_and(|e| e.name == n);
        let n_all = candidates.len() + usize::from(entrant.is_some());

        let rule_names: Vec<String> =
            raw.rules.unwrap_or_else(|| DEFAULT_RULES.iter().map(|s| (*s).to_owned()).collect());
        if rule_names.is_empty() {
            return ck.fail("rules", "name at least one rule");
        }
        let mut rules = Vec::new();
        for (i, name) in rule_names.iter().enumerate() {
            match name.parse::<Rule>() {
                Ok(r) if !rules.contains(&r) => rules.push(r),
                Ok(_) => return ck.fail(format!("rules[{i}]"), format!("`{name}` is listed twice")),
                Err(e) => return ck.fail(format!("rules[{i}]"), e.to_string()),
            }
        }

        let ranks = match raw.ranks {
            None => DEFAULT_RANKS.min(n_all),
            Some(r) => {
                let r = ck.positive_count("ranks", r)? as usize;
                if r > n_all {
                    return ck.fail("ranks", format!("must be at most the number of candidates ({n_all}), got {r}"));
                }
                r
            }
        };

        for (from, row) in &raw.preferences {
            let field = format!("preferences.{}", key(from));
            if !is_name(from) {
                return ck.fail(field, format!("`{from}` is not a candidate"));
            }
            let mut sum = 0.0;
            for (to, &v) in row {
                let f = format!("{field}.{}", key(to));
                if !is_name(to) {
                    return ck.fail(f, format!("`{to}` is not a candidate"));
                }
                if to == from {
                    return ck.fail(f, "a candidate cannot be their own voters' next choice");
                }
                sum += ck.fraction(&f, v)?;
            }
            if sum > 1.0 + 1e-6 {
                return ck.fail(
                    field,
                    format!("fractions add up to {sum:.4}, more than 1 (the rest is \"no further choice\")"),
                );
            }
        }

        let polls = validate_polls(raw.polls, &is_name, tolerance, ck)?;

        let actual = match raw.actual {
            None => None,
            Some(a) => {
                let mut sum = 0.0;
                for (name, &v) in &a.shares {
                    let f = format!("actual.shares.{}", key(name));
                    if !is_name(name) {
                        return ck.fail(f, format!("`{name}` is not a candidate"));
                    }
                    sum += ck.non_negative(&f, v)?;
                }
                if (sum - 100.0).abs() > tolerance {
                    return ck.fail("actual.shares", format!("shares add up to {sum}, not 100"));
                }
                if !is_name(&a.winner) {
                    return ck.fail("actual.winner", format!("`{}` is not a candidate", a.winner));
                }
                let rule = a.rule.parse::<Rule>().or_else(|e| ck.fail("actual.rule", e.to_string()))?;
                Some(Actual { shares: a.shares, winner: a.winner, rule })
            }
        };

        Ok(Scenario {
            title: raw.title,
            source: raw.source,
            sources: raw.sources,
            notes: raw.notes,
            sample_size,
            systematic_error,
            tails,
            favourite_bias,
            polls,
            valid_votes,
            rules,
            ranks,
            preference_concentration,
            no_further_choice,
            candidates,
            preferences: raw.preferences,
            entrant,
            actual,
        })
    }

    /// The same scenario with the entrant's share set to `share` percent,
    /// checked again (the base candidates must still have the points the
    /// entrant draws from them).
    pub fn with_entrant_share(&self, share: f64, origin: &str) -> Result<Scenario, ScenarioError> {
        let ck = Check { origin };
        let Some(e) = &self.entrant else {
            return ck.fail("entrant", "the scenario has no entrant");
        };
        let raw = RawEntrant { name: e.name.clone(), party: e.party.clone(), share, drawn_from: e.drawn_from.clone() };
        let entrant = validate_entrant(raw, &self.candidates, &ck)?;
        Ok(Scenario { entrant: Some(entrant), ..self.clone() })
    }

    /// Every candidate's name: the poll's, then the entrant's.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.candidates.iter().map(|c| c.name.as_str()).collect();
        if let Some(e) = &self.entrant {
            names.push(&e.name);
        }
        names
    }
}

/// A TOML error as a [`ScenarioError::Parse`], quoting the offending line
/// (which names the field) when the error has a position.
pub(crate) fn parse_error(text: &str, origin: &str, e: &toml::de::Error) -> ScenarioError {
    let (line, quote) = match e.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let line = text[..start].matches('\n').count() + 1;
            let quote = text.lines().nth(line - 1).map(str::trim).unwrap_or_default();
            (line, quote)
        }
        None => (0, ""),
    };
    let mut message = e.message().trim().replace('\n', " ");
    if !quote.is_empty() {
        message = format!("{message} (at `{quote}`)");
    }
    ScenarioError::Parse { origin: origin.to_owned(), line, message }
}

fn validate_polls(
    raw: Vec<RawPoll>,
    is_name: &dyn Fn(&str) -> bool,
    tolerance: f64,
    ck: &Check<'_>,
) -> Result<Vec<PollRecord>, ScenarioError> {
    let mut polls = Vec::with_capacity(raw.len());
    for (i, p) in raw.into_iter().enumerate() {
        let field = |f: &str| format!("polls[{i}].{f}");
        for (name, value) in [("pollster", &p.pollster), ("fieldwork", &p.fieldwork), ("source", &p.source)] {
            if value.trim().is_empty() {
                return ck.fail(field(name), "must not be empty");
            }
        }
        let sample_size = ck.positive_count(&field("sample_size"), p.sample_size)?;
        let mut sum = 0.0;
        for (name, &v) in &p.shares {
            let f = field(&format!("shares.{}", key(name)));
            if !is_name(name) {
                return ck.fail(f, format!("`{name}` is not a candidate"));
            }
            sum += ck.non_negative(&f, v)?;
        }
        if sum > 100.0 + tolerance {
            return ck.fail(field("shares"), format!("shares add up to {sum}, more than 100"));
        }
        polls.push(PollRecord {
            pollster: p.pollster,
            client: p.client,
            fieldwork: p.fieldwork,
            sample_size,
            sample_size_assumed: p.sample_size_assumed,
            shares: p.shares,
            source: p.source,
        });
    }
    Ok(polls)
}

fn validate_entrant(e: RawEntrant, candidates: &[CandidateSpec], ck: &Check<'_>) -> Result<Entrant, ScenarioError> {
    if e.name.trim().is_empty() {
        return ck.fail("entrant.name", "must not be empty");
    }
    if candidates.iter().any(|c| c.name == e.name) {
        return ck.fail("entrant.name", format!("`{}` is already a candidate of the base poll", e.name));
    }
    let share = ck.finite("entrant.share", e.share)?;
    if share <= 0.0 || share >= 100.0 {
        return ck.fail("entrant.share", format!("must be above 0 and below 100, got {share}"));
    }
    if e.drawn_from.is_empty() {
        return ck.fail("entrant.drawn_from", "say which candidates the entrant's share comes from");
    }
    let mut sum = 0.0;
    for (name, &v) in &e.drawn_from {
        let field = format!("entrant.drawn_from.{}", key(name));
        let Some(c) = candidates.iter().find(|c| &c.name == name) else {
            return ck.fail(field, format!("`{name}` is not a candidate of the base poll"));
        };
        let v = ck.fraction(&field, v)?;
        sum += v;
        if share * v > c.share + 1e-9 {
            return ck.fail(
                field,
                format!(
                    "takes {:.2} points from {name}, who has only {} in the base poll; lower entrant.share or this fraction",
                    share * v,
                    c.share
                ),
            );
        }
    }
    if (sum - 1.0).abs() > 0.01 {
        return ck.fail("entrant.drawn_from", format!("fractions add up to {sum:.4}, not 1"));
    }
    Ok(Entrant { name: e.name, party: e.party, share, drawn_from: e.drawn_from })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
title = "t"
source = "s"
sample_size = 1000
valid_votes = 1000
candidates = [ { name = "A", share = 60 }, { name = "B", share = 40 } ]
"#;

    fn field_of(text: &str) -> String {
        match Scenario::from_toml(text, "x.toml").unwrap_err() {
            ScenarioError::Invalid { field, .. } => field,
            ScenarioError::Parse { message, .. } => format!("parse: {message}"),
        }
    }

    #[test]
    fn defaults_are_filled_in() {
        let s = Scenario::from_toml(MINIMAL, "x.toml").unwrap();
        assert_eq!(s.systematic_error, DEFAULT_SYSTEMATIC_ERROR);
        assert_eq!((s.tails, s.favourite_bias), (DEFAULT_TAILS, DEFAULT_FAVOURITE_BIAS));
        assert!(s.polls.is_empty());
        assert_eq!(s.no_further_choice, DEFAULT_NO_FURTHER_CHOICE);
        assert_eq!(s.ranks, 2);
        assert_eq!(s.rules.iter().map(|r| r.id()).collect::<Vec<_>>(), DEFAULT_RULES);
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(field_of(&MINIMAL.replace("share = 40", "share = 10")), "candidates");
        assert_eq!(field_of(&MINIMAL.replace("share = 40", "share = -40")), "candidates[1].share");
        assert_eq!(field_of(&MINIMAL.replace("sample_size = 1000", "sample_size = -3")), "sample_size");
        assert!(field_of(&MINIMAL.replace("valid_votes = 1000\n", "")).contains("valid_votes"));
        let prefs = format!("{MINIMAL}[preferences]\nA = {{ C = 0.5 }}\n");
        assert_eq!(field_of(&prefs), "preferences.A.C");
        let rules = MINIMAL.replace("title", "rules = [\"plurality\", \"borda-ish\"]\ntitle");
        assert_eq!(field_of(&rules), "rules[1]");
        let entrant = format!("{MINIMAL}[entrant]\nname = \"E\"\nshare = 50\ndrawn_from = {{ B = 1.0 }}\n");
        assert_eq!(field_of(&entrant), "entrant.drawn_from.B");
        assert_eq!(field_of(&MINIMAL.replace("title", "error_tails = \"student-t:2\"\ntitle")), "error_tails");
        assert_eq!(field_of(&MINIMAL.replace("title", "error_tails = \"cauchy\"\ntitle")), "error_tails");
        assert_eq!(field_of(&MINIMAL.replace("title", "favourite_bias = 120\ntitle")), "favourite_bias");
        let poll = |body: &str| {
            format!("{MINIMAL}[[polls]]\npollster = \"P\"\nfieldwork = \"2028-03-01\"\nsample_size = 900\n{body}")
        };
        let good = poll("shares = { A = 61, B = 39 }\nsource = \"https://example.org\"\n");
        let s = Scenario::from_toml(&good, "x.toml").unwrap();
        assert_eq!((s.polls[0].sample_size, s.polls[0].sample_size_assumed), (900, false));
        assert_eq!(field_of(&poll("shares = { Z = 61 }\nsource = \"https://example.org\"\n")), "polls[0].shares.Z");
        assert_eq!(field_of(&poll("shares = { A = 61 }\nsource = \" \"\n")), "polls[0].source");
        assert_eq!(field_of(&poll("shares = { A = 80, B = 40 }\nsource = \"s\"\n")), "polls[0].shares");
    }

    #[test]
    fn tails_read_and_write_the_same() {
        for text in ["normal", "student-t:4", "student-t:7.5"] {
            assert_eq!(text.parse::<Tails>().unwrap().to_string(), text);
        }
        assert_eq!("student-t".parse::<Tails>(), Ok(Tails::StudentT(4.0)));
    }

    #[test]
    fn parse_errors_carry_a_line() {
        let err = Scenario::from_toml("title = \"t\"\nsource = 3\n", "x.toml").unwrap_err();
        match err {
            ScenarioError::Parse { line, .. } => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }
}
