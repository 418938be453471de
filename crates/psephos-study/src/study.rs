//! The runner: draws electorates in parallel, counts each under every rule
//! with the core's rules (the same code as `psephos tally`) and adds up the
//! counters of [`crate::metrics`].
//!
//! **Reproducibility.** Electorate `i` has its own generator: ChaCha8
//! (`rand_chacha`) keyed by the seed, on stream `i` (as the simulator does:
//! [`psephos_sim::run::rng_for`]). Counters are integers. So the result
//! depends only on the options and the seed, never on the number of threads
//! or on how the electorates are split into shards: the `k`-th of `n` shards
//! ([`Shard`]) runs electorates `⌊(k−1)·E/n⌋ .. ⌊k·E/n⌋`, and adding up the
//! shards' counters gives exactly the counters of the whole run.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use psephos::analysis::condorcet::{condorcet_loser, CondorcetReport};
use psephos::analysis::paradoxes::{self, ParadoxKind, ParadoxOptions};
use psephos::analysis::spoilers::spoiler_for;
use psephos::analysis::{AuditContext, SearchControl, SpoilerOptions, Withdrawals};
use psephos::{CandidateId, CountOptions, Election, PairwiseMatrix, Profile, RankedBallots, Rule};
use rayon::prelude::*;

use crate::metrics::StudyCounts;
use crate::models::{Model, Scratch};
use crate::profile::{ProfileBuilder, MAX_CANDIDATES};
use crate::StudyError;

/// The most electorates a study may draw.
pub const MAX_ELECTIONS: u64 = 10_000_000;
/// The most voters an electorate may have.
pub const MAX_VOTERS: u64 = 10_000_000;
/// The most voters drawn one by one in a whole study (voters × electorates),
/// for the models that draw each voter: about an hour on two cores.
pub const MAX_VOTER_DRAWS: u64 = 10_000_000_000;

/// Whether the spoiler test runs in every electorate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpoilerTest {
    /// Withdraw every losing candidate in turn, under every rule.
    On,
    /// Skip it (faster: the test costs a count per rule and loser).
    Off,
}

/// Whether the paradox search runs in every electorate, for the rules it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParadoxSearch {
    /// The audit's search, with its standard budget of recounts.
    Standard,
    /// Skip it.
    Off,
}

/// A part of a study: the `index`-th (from 1) of `count` disjoint ranges
/// of electorates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shard {
    /// Which part, from 1.
    pub index: u64,
    /// How many parts.
    pub count: u64,
}

impl Shard {
    /// The whole study.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// The electorates of this part of a study of `elections`.
    pub fn range(&self, elections: u64) -> Range<u64> {
        let at = |k: u64| (u128::from(k) * u128::from(elections) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `K/N`, with 1 ≤ K ≤ N ≤ 1,000,000.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write K/N, the K-th of N parts, 1 <= K <= N <= 1000000");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || index > count || count > 1_000_000 {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// What to study.
#[derive(Clone, Debug)]
pub struct StudyOptions {
    /// The electorate model.
    pub model: Model,
    /// Candidates (for models without their own).
    pub candidates: usize,
    /// Voters per electorate.
    pub voters: u64,
    /// Electorates in the whole study.
    pub elections: u64,
    /// The seed.
    pub seed: u64,
    /// The rules to count under.
    pub rules: Vec<Rule>,
    /// The spoiler test.
    pub spoilers: SpoilerTest,
    /// The paradox search.
    pub paradoxes: ParadoxSearch,
    /// Which part of the study to run.
    pub shard: Shard,
    /// Tie-breaking for every count.
    pub count: CountOptions,
}

/// Every single-winner rule that counts ranked ballots of `k` candidates
/// (`kemeny-young` only up to 10).
pub fn default_rules(k: usize) -> Vec<Rule> {
    let e = Election::from_rankings(&["A"], &[(1, &["A"])]).expect("one candidate, one ballot");
    psephos::analysis::single_winner_rules(&e.profile)
        .into_iter()
        .filter(|r| *r != Rule::KemenyYoung || k <= psephos::rules::condorcet::kemeny::MAX_CANDIDATES)
        .collect()
}

impl StudyOptions {
    /// Refuses, before any work, what cannot be run or would run for days.
    pub fn check(&self) -> Result<(), StudyError> {
        let bound = |what: &str, limit: String| Err(StudyError::Bounds(format!("{what}: {limit}")));
        let k = self.model.own_candidates().map_or(self.candidates, |c| c.len());
        if self.model.own_candidates().is_none() && !(2..=MAX_CANDIDATES).contains(&k) {
            return bound("--candidates", format!("from 2 to {MAX_CANDIDATES}, and {k} were asked for"));
        }
        if !(1..=MAX_ELECTIONS).contains(&self.elections) {
            return bound("--elections", format!("from 1 to {MAX_ELECTIONS}, and {} were asked for", self.elections));
        }
        // A scenario's valid votes are shared among its ballot types, not drawn one by one.
        if !matches!(self.model, Model::Poll(_)) && !(1..=MAX_VOTERS).contains(&self.voters) {
            return bound("--voters", format!("from 1 to {MAX_VOTERS}, and {} were asked for", self.voters));
        }
        let draws_voters = !matches!(self.model, Model::Poll(_) | Model::Bootstrap(_));
        if draws_voters && u128::from(self.voters) * u128::from(self.elections) > u128::from(MAX_VOTER_DRAWS) {
            return bound(
                "--voters × --elections",
                format!(
                    "at most {MAX_VOTER_DRAWS} voters drawn in all (about an hour on two cores), and {} × {} were asked for; \
                     split the study with --shard",
                    self.voters, self.elections
                ),
            );
        }
        if self.rules.is_empty() {
            return Err(StudyError::Parameter("no rule to count under".into()));
        }
        for r in &self.rules {
            if r.is_multi_winner() || !r.accepts(&Profile::Ranked(RankedBallots::default())) {
                return Err(StudyError::Parameter(format!(
                    "rule {r}: a study counts single-winner rules on ranked ballots"
                )));
            }
            if *r == Rule::KemenyYoung && k > psephos::rules::condorcet::kemeny::MAX_CANDIDATES {
                return Err(StudyError::Parameter(format!(
                    "rule kemeny-young counts at most {} candidates, and the study has {k}",
                    psephos::rules::condorcet::kemeny::MAX_CANDIDATES
                )));
            }
        }
        Ok(())
    }

    /// The rules' names, as the counters record them.
    pub fn rule_names(&self) -> Vec<String> {
        self.rules.iter().map(Rule::to_string).collect()
    }

    /// Which rules the paradox search covers in this study.
    pub fn searched(&self) -> Vec<bool> {
        self.rules.iter().map(|&r| self.paradoxes == ParadoxSearch::Standard && paradoxes::covers(r)).collect()
    }

    /// Zero counters for this study.
    pub fn zero_counts(&self) -> StudyCounts {
        StudyCounts::with_paradoxes(
            &self.rule_names(),
            &self.searched(),
            self.num_candidates(),
            self.spoilers == SpoilerTest::On,
            self.model.has_utilities(),
        )
    }

    /// Candidates in the study.
    pub fn num_candidates(&self) -> usize {
        self.model.own_candidates().map_or(self.candidates, |c| c.len())
    }
}

/// Runs this shard of the study. `progress` is called with the number of
/// electorates just finished, from any thread.
pub fn run(options: &StudyOptions, progress: Option<&(dyn Fn(u64) + Sync)>) -> Result<StudyCounts, StudyError> {
    options.check()?;
    let k = options.num_candidates();
    let candidates = options.model.candidates(k);
    let key = key_of(options.seed);
    let fresh = || options.zero_counts();
    options
        .shard
        .range(options.elections)
        .into_par_iter()
        .try_fold(
            || (fresh(), ProfileBuilder::new(k.min(MAX_CANDIDATES)), Scratch::default()),
            |(mut counts, mut builder, mut scratch), i| {
                let mut rng = psephos_sim::run::rng_for(key, i);
                let electorate =
                    options.model.electorate(&candidates, options.voters, &mut rng, &mut builder, &mut scratch);
                evaluate(&electorate.election, electorate.utilities.as_deref(), options, i, &mut counts)?;
                if let Some(p) = progress {
                    p(1);
                }
                Ok((counts, builder, scratch))
            },
        )
        .map(|r| r.map(|(c, _, _)| c))
        .try_reduce(fresh, |mut a, b| {
            a.merge(&b).expect("counters of one study");
            Ok(a)
        })
}

/// The ChaCha8 key for a seed (as the simulator derives it).
fn key_of(seed: u64) -> [u8; 32] {
    use rand::SeedableRng;
    rand_chacha::ChaCha8Rng::seed_from_u64(seed).get_seed()
}

/// Counts one electorate under every rule and adds what it finds to `counts`.
pub fn evaluate(
    election: &Election,
    utilities: Option<&[f64]>,
    options: &StudyOptions,
    index: u64,
    counts: &mut StudyCounts,
) -> Result<(), StudyError> {
    let ballots = election.ranked().expect("electorates are ranked");
    let standing: Vec<_> = election.candidates.standing().collect();
    let context = (options.spoilers == SpoilerTest::On || options.paradoxes == ParadoxSearch::Standard).then(|| {
        let report = CondorcetReport::new(&election.candidates, PairwiseMatrix::from_ballots(ballots));
        let withdrawals =
            if options.spoilers == SpoilerTest::On { Withdrawals::new(election) } else { Withdrawals::default() };
        AuditContext { condorcet: Some(report), withdrawals }
    });
    let owned;
    let matrix = match context.as_ref().and_then(|c| c.condorcet.as_ref()) {
        Some(r) => &r.matrix,
        None => {
            owned = PairwiseMatrix::from_ballots(ballots);
            &owned
        }
    };
    let cw = matrix.condorcet_winner(&standing);
    let cl = condorcet_loser(matrix, &standing);
    let ml = majority_loser(ballots, standing.len());
    counts.electorates += 1;
    counts.condorcet_winners += u64::from(cw.is_some());
    counts.condorcet_losers += u64::from(cl.is_some());
    counts.majority_losers += u64::from(ml.is_some());
    let alternatives = other_tie_breaks(&options.count, standing.len());
    let satisfaction = utilities.map(|u| {
        let best = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let average = u.iter().sum::<f64>() / u.len() as f64;
        (best, average)
    });
    for (rule, tally) in options.rules.iter().zip(counts.rules.iter_mut()) {
        let count_error = |source| StudyError::Count { electorate: index, rule: rule.to_string(), source };
        let t = rule.count(election, &options.count).map_err(count_error)?;
        let Some(w) = t.winner() else {
            return Err(StudyError::NoWinner { electorate: index, rule: rule.to_string() });
        };
        tally.wins[w.index()] += 1;
        tally.condorcet_winner_elected += u64::from(cw == Some(w));
        tally.condorcet_loser_elected += u64::from(cl == Some(w));
        tally.majority_loser_elected += u64::from(ml == Some(w.index()));
        if !t.ties.is_empty() {
            let mut decisive = false;
            for other in &alternatives {
                let again = rule.count(election, other).map_err(count_error)?;
                if again.winner() != Some(w) {
                    decisive = true;
                    break;
                }
            }
            tally.ties += u64::from(decisive);
        }
        if let (Some(u), Some((best, average))) = (utilities, satisfaction) {
            tally.satisfaction.as_mut().expect("a model with utilities").add(u[w.index()], best, average);
        }
        if let (Some(ctx), Some(spoiled)) = (&context, tally.spoiled.as_mut()) {
            let mut any = false;
            for &c in standing.iter().filter(|&&c| c != w) {
                let f = spoiler_for(election, ctx, *rule, &t.elected, c, &SpoilerOptions::FAST, &options.count);
                if let Some(e) = f.unresolved {
                    return Err(count_error(e));
                }
                if f.is_spoiler() {
                    any = true;
                    break;
                }
            }
            *spoiled += u64::from(any);
        }
        if let (Some(ctx), Some(mono), Some(no_show)) =
            (&context, tally.monotonicity_failures.as_mut(), tally.no_show_failures.as_mut())
        {
            let found = paradoxes::search(
                election,
                ctx,
                *rule,
                &t,
                &ParadoxOptions::STANDARD,
                &options.count,
                &SearchControl::default(),
            );
            let findings = found.map(|r| r.findings).unwrap_or_default();
            let has = |kinds: &[ParadoxKind]| findings.iter().any(|f| f.confirmed && kinds.contains(&f.kind));
            *mono += u64::from(has(&[ParadoxKind::UpwardMonotonicity, ParadoxKind::DownwardMonotonicity]));
            *no_show += u64::from(has(&[ParadoxKind::NoShow]));
        }
    }
    Ok(())
}

/// Two tie-break chains that decide every tie the other way from `count`'s
/// default `candidate-order` step, for elections and for eliminations in
/// turn: a declared order `A, B, …` elects the first listed (as the default
/// does) but eliminates the first listed (the default eliminates the last);
/// the reverse order does the opposite. A winner that changes under either
/// was decided by a tie-break.
fn other_tie_breaks(count: &CountOptions, k: usize) -> [CountOptions; 2] {
    let forward: Vec<CandidateId> = (0..k).map(CandidateId::from_index).collect();
    let backward: Vec<CandidateId> = forward.iter().rev().copied().collect();
    [forward, backward].map(|order| CountOptions { tie_break: count.tie_break.clone().with_candidate_order(order) })
}

/// The candidate ranked strictly last by more than half of the ballots cast:
/// a ballot ranks `c` strictly last when it ranks every candidate with `c`
/// last, or every candidate but `c`.
pub fn majority_loser(ballots: &RankedBallots, k: usize) -> Option<usize> {
    let mut last = vec![0u64; k];
    let mut seen = vec![false; k];
    for b in ballots.iter() {
        let ranked: Vec<usize> = b.levels().flat_map(|l| l.candidates().map(|c| c.index())).collect();
        if ranked.len() == k {
            last[ranked[k - 1]] += b.weight;
        } else if ranked.len() + 1 == k {
            seen.iter_mut().for_each(|s| *s = false);
            ranked.iter().for_each(|&c| seen[c] = true);
            if let Some(c) = seen.iter().position(|s| !s) {
                last[c] += b.weight;
            }
        }
    }
    let total = ballots.total_weight();
    last.iter().position(|&v| 2 * u128::from(v) > u128::from(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts_of(e: &Election, rule: &str) -> StudyCounts {
        let options = StudyOptions {
            model: Model::ImpartialCulture,
            candidates: e.candidates.len(),
            voters: 1,
            elections: 1,
            seed: 0,
            rules: vec![rule.parse().unwrap()],
            spoilers: SpoilerTest::On,
            paradoxes: ParadoxSearch::Standard,
            shard: Shard::WHOLE,
            count: CountOptions::default(),
        };
        let mut counts = options.zero_counts();
        evaluate(e, None, &options, 0, &mut counts).unwrap();
        counts
    }

    #[test]
    fn only_ties_that_decide_the_winner_count() {
        // A tie for first place decides the plurality winner.
        let tied = Election::from_rankings(&["A", "B"], &[(2, &["A"]), (2, &["B"])]).unwrap();
        assert_eq!(counts_of(&tied, "plurality").rules[0].ties, 1);
        // IRV breaks a tie between C and D for elimination, and A wins either way.
        let harmless =
            Election::from_rankings(&["A", "B", "C", "D"], &[(4, &["A"]), (2, &["B", "A"]), (1, &["C"]), (1, &["D"])])
                .unwrap();
        let t = "irv".parse::<Rule>().unwrap().count(&harmless, &CountOptions::default()).unwrap();
        assert!(!t.ties.is_empty());
        assert_eq!(counts_of(&harmless, "irv").rules[0].ties, 0);
    }

    #[test]
    fn burlington_counts_a_spoiler_and_a_condorcet_failure() {
        // Burlington-like: B is the Condorcet winner, IRV elects A, and C
        // is a spoiler (without C, B wins).
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(37, &["A", "B", "C"]), (25, &["B", "A", "C"]), (38, &["C", "B", "A"])],
        )
        .unwrap();
        let c = counts_of(&e, "irv");
        assert_eq!((c.condorcet_winners, c.rules[0].condorcet_winner_elected), (1, 0));
        assert_eq!(c.rules[0].spoiled, Some(1));
        assert_eq!(c.rules[0].wins, [1, 0, 0]);
        // C is the Condorcet loser, and last on 62 of 100 ballots: the majority loser too.
        assert_eq!((c.condorcet_losers, c.majority_losers), (1, 1));
        assert_eq!((c.rules[0].condorcet_loser_elected, c.rules[0].majority_loser_elected), (0, 0));
        let s = counts_of(&e, "schulze");
        assert_eq!((s.rules[0].condorcet_winner_elected, s.rules[0].spoiled), (1, Some(0)));
    }

    #[test]
    fn monotonicity_failures_are_counted_for_the_rules_searched() {
        // The audit's own example: A wins IRV, and raising A on 2 B-first
        // ballots makes C win.
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(10, &["A", "B", "C"]), (9, &["B", "C", "A"]), (8, &["C", "A", "B"])],
        )
        .unwrap();
        let irv = counts_of(&e, "irv");
        assert_eq!(irv.rules[0].monotonicity_failures, Some(1));
        let schulze = counts_of(&e, "schulze");
        assert_eq!(schulze.rules[0].monotonicity_failures, None, "not a rule the search covers");
        let plain = Election::from_rankings(&["A", "B"], &[(3, &["A"]), (2, &["B"])]).unwrap();
        assert_eq!(counts_of(&plain, "irv").rules[0].monotonicity_failures, Some(0));
    }

    #[test]
    fn majority_loser_is_last_on_more_than_half_of_the_ballots() {
        let e =
            Election::from_rankings(&["A", "B", "C"], &[(3, &["A", "B", "C"]), (2, &["B", "A"]), (2, &["A"])]).unwrap();
        // C is strictly last on 3 + 2 ballots of 7; the ballot "A" ranks B and C equal last.
        assert_eq!(majority_loser(e.ranked().unwrap(), 3), Some(2));
        let e = Election::from_rankings(&["A", "B", "C"], &[(3, &["A", "B", "C"]), (4, &["A"])]).unwrap();
        assert_eq!(majority_loser(e.ranked().unwrap(), 3), None);
    }
}
