//! Large-sample checks of the error model, kept out of the fast test run:
//! `cargo test -p psephos-sim --release --features slow-tests --test statistics`.

use psephos_sim::{Draw, Model, Noise, Scenario};

/// Each share's variance over many draws is `p(1−p)/(α+1)` =
/// `p(1−p)·(1/n + 4σ²)`, as the model documentation says.
#[test]
#[cfg_attr(not(feature = "slow-tests"), ignore = "slow: enable the slow-tests feature")]
fn share_variance_matches_the_error_model() {
    let s = Scenario::from_toml(
        r#"
title = "variance check"
source = "synthetic"
sample_size = 800
systematic_error = 3.0
error_tails = "normal"
valid_votes = 1000000
candidates = [ { name = "A", share = 50 }, { name = "B", share = 30 }, { name = "C", share = 15 }, { name = "D", share = 5 } ]
"#,
        "t",
    )
    .unwrap();
    let model = Model::new(&s, Noise::FULL);
    let draws = 400_000u64;
    let mut sum = [0.0f64; 4];
    let mut sq = [0.0f64; 4];
    let mut d = Draw::default();
    for t in 0..draws {
        let mut rng = psephos_sim::run::rng_for([3; 32], t);
        model.draw_into(&mut rng, &mut d);
        for c in 0..4 {
            sum[c] += d.shares[c];
            sq[c] += d.shares[c] * d.shares[c];
        }
    }
    let factor = 1.0 / 800.0 + 4.0 * 0.03 * 0.03;
    for (c, p) in [0.5, 0.3, 0.15, 0.05].into_iter().enumerate() {
        let mean = sum[c] / draws as f64;
        let var = sq[c] / draws as f64 - mean * mean;
        let want = p * (1.0 - p) * factor;
        assert!((mean - p).abs() < 0.001, "candidate {c}: mean {mean} vs {p}");
        // The standard error of a sample variance is about var·√(2/N) ≈ 0.2%.
        assert!((var / want - 1.0).abs() < 0.02, "candidate {c}: variance {var} vs {want}");
    }
}

/// The default error model is the one `backtest --all` finds best out of
/// sample (by winner log score, 10,000 draws per election, seed 2024), as
/// the README reports.
#[test]
#[cfg_attr(not(feature = "slow-tests"), ignore = "slow: enable the slow-tests feature")]
fn the_default_model_scores_best_out_of_sample() {
    use psephos_sim::{backtest, calibration, SimOptions};
    let records =
        backtest::compare(&calibration::london(), &SimOptions { draws: 10_000, seed: 2024, rules: vec![] }).unwrap();
    assert_eq!(records[backtest::best(&records)].model, calibration::DEFAULT_MODEL);
}

/// The record `simulate` quotes is what `backtest --all` computes.
#[test]
#[cfg_attr(not(feature = "slow-tests"), ignore = "slow: enable the slow-tests feature")]
fn the_quoted_london_record_is_recomputed() {
    use psephos_sim::{backtest, calibration, SimOptions};
    let options = SimOptions { draws: 10_000, seed: 2024, rules: vec![] };
    let record = backtest::leave_one_out(&calibration::london(), calibration::DEFAULT_MODEL, &options).unwrap();
    assert_eq!(record.headline(2024), backtest::LONDON_RECORD);
}
