//! Arguments several subcommands share.

use anyhow::{bail, Result};
use clap::Args;
use psephos::{DuplicatePolicy, EqualRanksPolicy, NormalisePolicy, OvervotePolicy, Rule, SkippedPolicy, TieBreak};
use psephos_sim::SimOptions;

/// The normalisation policies applied to ranked ballots before counting:
/// a named preset (`--policy`) and the policies one by one (`--overvote`,
/// `--skipped`, `--duplicates`, `--equal-ranks`), which override the preset;
/// the same in `tally` and `audit`.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// A named set of policies: standard (the defaults below), maine (two
    /// consecutive skipped ranks exhaust a ballot), london (an unmarked first
    /// column voids a Supplementary Vote paper).
    #[arg(long, value_name = "PRESET", default_value = "standard", value_parser = parse_preset)]
    pub policy: NormalisePolicy,
    /// Overvoted ranks: exhaust (default), skip, exhaust-if-multiple-continuing.
    #[arg(long, value_name = "POLICY")]
    pub overvote: Option<OvervotePolicy>,
    /// Skipped ranks: ignore (default), exhaust-after:N.
    #[arg(long, value_name = "POLICY")]
    pub skipped: Option<SkippedPolicy>,
    /// A candidate ranked twice: skip (default), exhaust.
    #[arg(long, value_name = "POLICY")]
    pub duplicates: Option<DuplicatePolicy>,
    /// A rank marking several candidates: overvote (default; --overvote decides), or split
    /// (shared equally among them; counted by stv and meek only).
    #[arg(long, value_name = "POLICY")]
    pub equal_ranks: Option<EqualRanksPolicy>,
}

fn parse_preset(name: &str) -> Result<NormalisePolicy, psephos::ballots::NormaliseError> {
    NormalisePolicy::preset(name)
}

impl PolicyArgs {
    /// The policies as the core takes them: the preset, with any policy
    /// given one by one in its place.
    pub fn policy(&self) -> NormalisePolicy {
        NormalisePolicy {
            overvote: self.overvote.unwrap_or(self.policy.overvote),
            skipped: self.skipped.unwrap_or(self.policy.skipped),
            duplicates: self.duplicates.unwrap_or(self.policy.duplicates),
            equal_ranks: self.equal_ranks.unwrap_or(self.policy.equal_ranks),
        }
    }
}

/// How many elections to simulate and under which rules: `--draws`,
/// `--seed` and `--rule`, the same in `simulate` and `backtest`.
#[derive(Debug, Clone, Args)]
pub struct DrawArgs {
    /// Number of simulated elections, from 1 to 10,000,000 (time grows in
    /// proportion: about 1 s per 100,000 draws of the default scenario).
    #[arg(long, default_value_t = 10_000, value_parser = draws_parser())]
    pub draws: u64,
    /// Seed of the random draws; the same seed gives the same output.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// A rule to count under (repeatable); default: the scenario's rules.
    #[arg(long = "rule", short = 'r', value_name = "RULE")]
    pub rules: Vec<Rule>,
}

impl DrawArgs {
    /// The runner's options: these draws and seed, and the rules asked for or
    /// else the scenario's.
    pub fn options(&self, scenario_rules: &[Rule]) -> SimOptions {
        SimOptions { draws: self.draws, seed: self.seed, rules: rules_or(&self.rules, scenario_rules) }
    }
}

/// `--draws`: from 1 to [`psephos_sim::MAX_DRAWS`].
pub fn draws_parser() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(1..=psephos_sim::MAX_DRAWS)
}

/// The rules asked for on the command line, or else the scenario's.
pub fn rules_or(asked: &[Rule], scenario: &[Rule]) -> Vec<Rule> {
    if asked.is_empty() {
        scenario.to_vec()
    } else {
        asked.to_vec()
    }
}

/// How ties are broken and how the result is printed: `--tie-break`,
/// `--seed` and `--json`, the same in `tally`, `allocate` and `ams`.
#[derive(Debug, Clone, Default, Args)]
pub struct CountArgs {
    /// The tie-break chain, comma-separated: previous-rounds (more votes
    /// earlier), first-round, candidate-order (listed first), random.
    #[arg(long, value_name = "CHAIN", default_value = "previous-rounds,candidate-order")]
    pub tie_break: TieBreak,
    /// The seed of the `random` tie-break step (required when the chain has one).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

impl CountArgs {
    /// The chain with its seed, or an error when it draws lots and no seed
    /// was given (a count must be repeatable).
    pub fn tie_break(&self) -> Result<TieBreak> {
        match (self.tie_break.is_random(), self.seed) {
            (true, Some(s)) => Ok(self.tie_break.clone().with_seed(s)),
            (true, None) => bail!(
                "the tie-break chain `{}` draws lots: give --seed N so the result can be repeated",
                self.tie_break
            ),
            (false, _) => Ok(self.tie_break.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_matches_the_flag_default() {
        let parsed: TieBreak = "previous-rounds,candidate-order".parse().unwrap();
        assert_eq!(CountArgs::default().tie_break, parsed);
    }

    #[test]
    fn random_needs_a_seed() {
        let random = CountArgs { tie_break: "random".parse().unwrap(), ..CountArgs::default() };
        assert!(random.tie_break().unwrap_err().to_string().contains("--seed"));
        let seeded = CountArgs { seed: Some(7), ..random };
        assert!(seeded.tie_break().is_ok());
    }
}
