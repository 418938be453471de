//! Study results against published closed forms for many voters.
//!
//! Each test allows four Monte Carlo standard errors plus 0.005 for the
//! finite electorate (1,001 voters, against the published limits for
//! infinitely many); the fast tests draw a few thousand electorates (errors
//! of 0.004–0.01, enough to tell plurality from Borda), the slow ones
//! 20,000. The longer runs are behind the `slow-tests` feature:
//! `cargo test -p psephos-study --release --features slow-tests`.

use psephos::Rule;
use psephos_study::{models::Model, run, Estimate, ParadoxSearch, Shard, SpoilerTest, StudyCounts, StudyOptions};

fn study(model: Model, k: usize, elections: u64, rules: &[&str]) -> StudyCounts {
    let options = StudyOptions {
        model,
        candidates: k,
        voters: 1001,
        elections,
        seed: 2024,
        rules: rules.iter().map(|r| r.parse::<Rule>().unwrap()).collect(),
        spoilers: SpoilerTest::Off,
        paradoxes: ParadoxSearch::Off,
        shard: Shard::WHOLE,
        count: Default::default(),
    };
    run(&options, None).unwrap()
}

fn assert_near(what: &str, e: Estimate, expected: f64) {
    let allowed = 4.0 * e.mc_error + 0.005;
    eprintln!("{what}: {:.4} ± {:.4}, published {expected:.4}", e.value, e.mc_error);
    assert!(
        (e.value - expected).abs() <= allowed,
        "{what}: {:.4} ± {:.4}, published {expected} (allowed {allowed:.4})",
        e.value,
        e.mc_error
    );
}

/// G.-T. Guilbaud (1952); W. V. Gehrlein and P. C. Fishburn, "The
/// probability of the paradox of voting: a computable solution", *Journal of
/// Economic Theory* 13 (1976): with 3 candidates under impartial culture and
/// many voters, a Condorcet winner exists with probability
/// 3/4 + (3/(2π))·arcsin(1/3) = 0.9123. Plurality elects it with probability
/// 0.7572 and Borda with 0.9012 (W. V. Gehrlein and P. C. Fishburn,
/// "Coincidence probabilities for simple majority and positional voting
/// rules", *Social Science Research* 7 (1978); W. V. Gehrlein, "Condorcet
/// efficiency of simple voting rules for large electorates", *Economics
/// Letters* 40 (1992), Table 1).
#[test]
fn impartial_culture_three_candidates() {
    let guilbaud = 0.75 + 1.5 / std::f64::consts::PI * (1.0f64 / 3.0).asin();
    assert!((guilbaud - 0.9123).abs() < 1e-4);
    let c = study(Model::ImpartialCulture, 3, 6_000, &["plurality", "borda", "schulze"]);
    assert_near("P(Condorcet winner), 3 candidates", c.condorcet_winner_rate().unwrap(), guilbaud);
    assert_near("plurality's Condorcet efficiency", c.rule_estimates(0).condorcet_efficiency.unwrap(), 0.7572);
    assert_near("Borda's Condorcet efficiency", c.rule_estimates(1).condorcet_efficiency.unwrap(), 0.9012);
    assert_eq!(c.rule_estimates(2).condorcet_efficiency.unwrap().value, 1.0);
}

/// Gehrlein and Fishburn (1976), Table 1 (also W. V. Gehrlein, *Condorcet's
/// Paradox*, Springer 2006, Table 2.3): under impartial culture with many
/// voters a Condorcet winner exists with probability 0.8245 for 4
/// candidates and 0.7487 for 5.
#[test]
#[cfg_attr(not(feature = "slow-tests"), ignore = "slow: enable the slow-tests feature")]
fn impartial_culture_four_and_five_candidates() {
    let four = study(Model::ImpartialCulture, 4, 20_000, &["plurality"]);
    assert_near("P(Condorcet winner), 4 candidates", four.condorcet_winner_rate().unwrap(), 0.8245);
    let five = study(Model::ImpartialCulture, 5, 20_000, &["plurality"]);
    assert_near("P(Condorcet winner), 5 candidates", five.condorcet_winner_rate().unwrap(), 0.7487);
}

/// R. J. Weber, "Comparison of public choice systems", Cowles Foundation
/// Discussion Paper 498 (1978): in a random society (utilities independent
/// and uniform) with many voters, the effectiveness (voter satisfaction
/// efficiency) of plurality is √(3k)/(k+1) and that of Borda √(k/(k+1)),
/// for k candidates: 0.75 and 0.866 for 3.
#[test]
fn random_society_satisfaction() {
    let k = 3.0f64;
    let c = study(Model::RandomSociety, 3, 2_500, &["plurality", "borda"]);
    assert_near("plurality's VSE", c.rule_estimates(0).vse.unwrap(), (3.0 * k).sqrt() / (k + 1.0));
    assert_near("Borda's VSE", c.rule_estimates(1).vse.unwrap(), (k / (k + 1.0)).sqrt());
}

/// Weber (1978), as above, for 5 candidates: plurality √15/6 = 0.645,
/// Borda √(5/6) = 0.913.
#[test]
#[cfg_attr(not(feature = "slow-tests"), ignore = "slow: enable the slow-tests feature")]
fn random_society_satisfaction_five_candidates() {
    let k = 5.0f64;
    let c = study(Model::RandomSociety, 5, 20_000, &["plurality", "borda"]);
    assert_near("plurality's VSE", c.rule_estimates(0).vse.unwrap(), (3.0 * k).sqrt() / (k + 1.0));
    assert_near("Borda's VSE", c.rule_estimates(1).vse.unwrap(), (k / (k + 1.0)).sqrt());
}
