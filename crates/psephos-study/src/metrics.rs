//! What a study measures, as integer counters that add up exactly across
//! threads, shards and machines ([`StudyCounts::merge`]), and the estimates
//! with their Monte Carlo standard errors read off them.
//!
//! Per electorate:
//! - a **Condorcet winner** beats every other candidate head to head, a
//!   **Condorcet loser** is beaten by every other (pairwise counts as in
//!   [`psephos::PairwiseMatrix`]); a **majority loser** is ranked strictly
//!   last by more than half of the ballots cast;
//! - per rule: whether it elects the Condorcet winner, the Condorcet loser,
//!   the majority loser; whether a tie-break decided its winner (the count
//!   took a tie decision, and counting again with every tie decided the
//!   other way, for elections or for eliminations, elects someone else);
//!   whether some
//!   losing candidate is a **spoiler** (their withdrawal from the ballots
//!   changes the winner: the audit's test,
//!   [`psephos::analysis::spoilers`]); who won; and, for models with
//!   utilities, the winner's mean utility against the best candidate's and
//!   the average candidate's.
//!
//! Rates:
//! - **Condorcet efficiency** = electorates where the rule elects the
//!   Condorcet winner ÷ electorates with one (W. V. Gehrlein, "Condorcet
//!   efficiency of simple voting rules for large electorates", *Economics
//!   Letters* 40 (1992); S. Merrill, *AJPS* 28 (1984));
//! - **voter satisfaction efficiency** (social utility efficiency in
//!   Merrill's terms, effectiveness in R. J. Weber's, 1978) =
//!   (E[U(winner)] − E[U(random candidate)]) ÷ (E[U(best)] − E[U(random
//!   candidate)]), a ratio of sums over electorates, where U(c) is the mean
//!   utility of candidate c over the electorate's voters;
//! - the **spoiler, Condorcet-loser, majority-loser and tie rates**: shares
//!   of all electorates;
//! - the **monotonicity and no-show failure rates** of the runoff rules the
//!   audit searches (`irv`, `supplementary-vote`, `contingent-vote`,
//!   `two-round`): shares of all electorates where the audit's paradox search
//!   ([`psephos::analysis::paradoxes`], standard budget) found and proved
//!   one. The search is heuristic, so these are **lower bounds**.
//!
//! Standard errors: `√(p(1−p)/n)` for a share `p` of `n` electorates; for
//! the ratio of sums, the delta method, `√(Σ(xᵢ − R·yᵢ)² / (n(n−1))) / ȳ`.
//! Utilities are summed in fixed point (units of 10⁻⁹) so that sums are
//! exact integers too.
//!
//! ```
//! use psephos_study::metrics::Estimate;
//! let e = Estimate::share(757, 1000).unwrap();
//! assert!((e.value - 0.757).abs() < 1e-12 && (e.mc_error - 0.01356).abs() < 1e-4);
//! assert_eq!(Estimate::share(0, 0), None);
//! ```

use serde::{Deserialize, Serialize};

/// Fixed-point units per unit of utility.
pub const UTILITY_SCALE: f64 = 1e9;

/// A rate with its Monte Carlo standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// The estimate.
    pub value: f64,
    /// One Monte Carlo standard error.
    pub mc_error: f64,
}

impl Estimate {
    /// The share `hits / trials` (`None` with no trials).
    pub fn share(hits: u64, trials: u64) -> Option<Estimate> {
        if trials == 0 {
            return None;
        }
        let p = hits as f64 / trials as f64;
        Some(Estimate { value: p, mc_error: (p * (1.0 - p) / trials as f64).sqrt() })
    }
}

/// Sums for voter satisfaction efficiency, in fixed point: per electorate
/// `x` = U(winner) − U(average), `y` = U(best) − U(average).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Satisfaction {
    /// Electorates.
    pub n: u64,
    /// Σx.
    #[serde(with = "wide")]
    pub x: i128,
    /// Σy.
    #[serde(with = "wide")]
    pub y: i128,
    /// Σx².
    #[serde(with = "wide")]
    pub xx: i128,
    /// Σy².
    #[serde(with = "wide")]
    pub yy: i128,
    /// Σxy.
    #[serde(with = "wide")]
    pub xy: i128,
}

impl Satisfaction {
    /// Adds one electorate: the winner's, the best and the average mean utility.
    pub fn add(&mut self, winner: f64, best: f64, average: f64) {
        let x = ((winner - average) * UTILITY_SCALE).round() as i64;
        let y = ((best - average) * UTILITY_SCALE).round() as i64;
        let (x, y) = (i128::from(x), i128::from(y));
        self.n += 1;
        self.x += x;
        self.y += y;
        self.xx += x * x;
        self.yy += y * y;
        self.xy += x * y;
    }

    fn merge(&mut self, o: &Satisfaction) {
        self.n += o.n;
        self.x += o.x;
        self.y += o.y;
        self.xx += o.xx;
        self.yy += o.yy;
        self.xy += o.xy;
    }

    /// The efficiency and its delta-method standard error (`None` with no
    /// electorates, or when the best candidate is never better than average).
    pub fn estimate(&self) -> Option<Estimate> {
        if self.n == 0 || self.y <= 0 {
            return None;
        }
        let n = self.n as f64;
        let r = self.x as f64 / self.y as f64;
        let mc_error = if self.n > 1 {
            let s = (self.xx as f64 - 2.0 * r * self.xy as f64 + r * r * self.yy as f64).max(0.0);
            (s / (n * (n - 1.0))).sqrt() / (self.y as f64 / n)
        } else {
            0.0
        };
        Some(Estimate { value: r, mc_error })
    }
}

/// 128-bit integers as decimal strings in JSON (readers of JSON numbers
/// often keep only 53 bits).
mod wide {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &i128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i128, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One rule's counters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCounts {
    /// The rule, as `psephos rules` names it (with its options).
    pub rule: String,
    /// Electorates where it elected the Condorcet winner.
    pub condorcet_winner_elected: u64,
    /// Electorates where it elected the Condorcet loser.
    pub condorcet_loser_elected: u64,
    /// Electorates where it elected a majority loser.
    pub majority_loser_elected: u64,
    /// Electorates whose winner a tie-break decided.
    pub ties: u64,
    /// Electorates where some losing candidate was a spoiler (`None`: not tested).
    pub spoiled: Option<u64>,
    /// Electorates where the paradox search found a monotonicity failure,
    /// upward or downward (`None`: not searched, or a rule it does not cover).
    #[serde(default)]
    pub monotonicity_failures: Option<u64>,
    /// Electorates where the paradox search found a no-show paradox.
    #[serde(default)]
    pub no_show_failures: Option<u64>,
    /// Wins per candidate.
    pub wins: Vec<u64>,
    /// Satisfaction sums (`None`: the model has no utilities).
    pub satisfaction: Option<Satisfaction>,
}

/// A study's counters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudyCounts {
    /// Electorates counted.
    pub electorates: u64,
    /// Electorates with a Condorcet winner.
    pub condorcet_winners: u64,
    /// Electorates with a Condorcet loser.
    pub condorcet_losers: u64,
    /// Electorates with a majority loser.
    pub majority_losers: u64,
    /// One entry per rule, in the order asked.
    pub rules: Vec<RuleCounts>,
}

/// Two sets of counters that cannot be added up.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the counts are of different studies: {0}")]
pub struct MergeError(pub String);

impl StudyCounts {
    /// Zero counters for these rules and `k` candidates.
    pub fn new(rules: &[String], k: usize, spoilers: bool, utilities: bool) -> StudyCounts {
        Self::with_paradoxes(rules, &vec![false; rules.len()], k, spoilers, utilities)
    }

    /// Zero counters, with the paradox counters of the rules marked in `searched`.
    pub fn with_paradoxes(
        rules: &[String],
        searched: &[bool],
        k: usize,
        spoilers: bool,
        utilities: bool,
    ) -> StudyCounts {
        StudyCounts {
            electorates: 0,
            condorcet_winners: 0,
            condorcet_losers: 0,
            majority_losers: 0,
            rules: rules
                .iter()
                .zip(searched)
                .map(|(r, &searched)| RuleCounts {
                    rule: r.clone(),
                    monotonicity_failures: searched.then_some(0),
                    no_show_failures: searched.then_some(0),
                    condorcet_winner_elected: 0,
                    condorcet_loser_elected: 0,
                    majority_loser_elected: 0,
                    ties: 0,
                    spoiled: spoilers.then_some(0),
                    wins: vec![0; k],
                    satisfaction: utilities.then(Satisfaction::default),
                })
                .collect(),
        }
    }

    /// Adds another set of counters of the same study (same rules, same
    /// candidates, same metrics): the result is exactly the counters of
    /// both sets of electorates together.
    pub fn merge(&mut self, o: &StudyCounts) -> Result<(), MergeError> {
        if self.rules.len() != o.rules.len() {
            return Err(MergeError(format!("{} rules against {}", self.rules.len(), o.rules.len())));
        }
        for (a, b) in self.rules.iter().zip(&o.rules) {
            if a.rule != b.rule || a.wins.len() != b.wins.len() {
                return Err(MergeError(format!("rule {} against {}", a.rule, b.rule)));
            }
            if a.spoiled.is_some() != b.spoiled.is_some()
                || a.satisfaction.is_some() != b.satisfaction.is_some()
                || a.monotonicity_failures.is_some() != b.monotonicity_failures.is_some()
            {
                return Err(MergeError(format!("rule {}: different metrics", a.rule)));
            }
        }
        self.electorates += o.electorates;
        self.condorcet_winners += o.condorcet_winners;
        self.condorcet_losers += o.condorcet_losers;
        self.majority_losers += o.majority_losers;
        for (a, b) in self.rules.iter_mut().zip(&o.rules) {
            a.condorcet_winner_elected += b.condorcet_winner_elected;
            a.condorcet_loser_elected += b.condorcet_loser_elected;
            a.majority_loser_elected += b.majority_loser_elected;
            a.ties += b.ties;
            for (x, y) in [
                (&mut a.spoiled, b.spoiled),
                (&mut a.monotonicity_failures, b.monotonicity_failures),
                (&mut a.no_show_failures, b.no_show_failures),
            ] {
                if let (Some(x), Some(y)) = (x.as_mut(), y) {
                    *x += y;
                }
            }
            for (x, y) in a.wins.iter_mut().zip(&b.wins) {
                *x += y;
            }
            if let (Some(x), Some(y)) = (a.satisfaction.as_mut(), b.satisfaction.as_ref()) {
                x.merge(y);
            }
        }
        Ok(())
    }

    /// The rate of electorates with a Condorcet winner.
    pub fn condorcet_winner_rate(&self) -> Option<Estimate> {
        Estimate::share(self.condorcet_winners, self.electorates)
    }

    /// The estimates for the rule at `i`.
    pub fn rule_estimates(&self, i: usize) -> RuleEstimates {
        let r = &self.rules[i];
        let n = self.electorates;
        RuleEstimates {
            condorcet_efficiency: Estimate::share(r.condorcet_winner_elected, self.condorcet_winners),
            vse: r.satisfaction.as_ref().and_then(Satisfaction::estimate),
            spoiler_rate: r.spoiled.and_then(|s| Estimate::share(s, n)),
            condorcet_loser_rate: Estimate::share(r.condorcet_loser_elected, n),
            majority_loser_rate: Estimate::share(r.majority_loser_elected, n),
            tie_rate: Estimate::share(r.ties, n),
            monotonicity_failure_rate: r.monotonicity_failures.and_then(|m| Estimate::share(m, n)),
            no_show_failure_rate: r.no_show_failures.and_then(|m| Estimate::share(m, n)),
            win_probability: r.wins.iter().map(|&w| Estimate::share(w, n)).collect(),
        }
    }
}

/// One rule's estimates.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleEstimates {
    /// Condorcet efficiency.
    pub condorcet_efficiency: Option<Estimate>,
    /// Voter satisfaction efficiency.
    pub vse: Option<Estimate>,
    /// Spoiler rate.
    pub spoiler_rate: Option<Estimate>,
    /// Rate of electing the Condorcet loser.
    pub condorcet_loser_rate: Option<Estimate>,
    /// Rate of electing a majority loser.
    pub majority_loser_rate: Option<Estimate>,
    /// Rate of winners decided by a tie-break.
    pub tie_rate: Option<Estimate>,
    /// Rate of monotonicity failures found (a lower bound).
    pub monotonicity_failure_rate: Option<Estimate>,
    /// Rate of no-show paradoxes found (a lower bound).
    pub no_show_failure_rate: Option<Estimate>,
    /// Each candidate's win probability.
    pub win_probability: Vec<Option<Estimate>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satisfaction_is_a_ratio_of_sums() {
        let mut s = Satisfaction::default();
        s.add(1.0, 1.0, 0.0);
        s.add(0.0, 3.0, 0.0);
        let e = s.estimate().unwrap();
        assert!((e.value - 0.25).abs() < 1e-12);
        assert!(e.mc_error > 0.0);
        let mut whole = s.clone();
        let mut other = Satisfaction::default();
        other.add(0.5, 1.0, 0.25);
        whole.merge(&other);
        assert_eq!(whole.n, 3);
        assert_eq!(whole.x, 1_000_000_000 + 250_000_000);
    }

    #[test]
    fn merge_refuses_other_rules() {
        let mut a = StudyCounts::new(&["irv".into()], 3, true, false);
        let b = StudyCounts::new(&["plurality".into()], 3, true, false);
        assert!(a.merge(&b).is_err());
        let c = StudyCounts::new(&["irv".into()], 3, false, false);
        assert!(a.merge(&c).is_err());
    }
}
