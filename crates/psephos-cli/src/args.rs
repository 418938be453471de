//! Arguments several subcommands share.

use anyhow::{bail, Result};
use clap::Args;
use psephos::TieBreak;

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
