//! The out-of-sample back-test: the final-poll presets it rests on, the
//! estimators on a synthetic history whose errors are known, and pinned
//! values of the London record.

use std::collections::BTreeMap;

use psephos_sim::backtest;
use psephos_sim::calibration::{self, ErrorModel, Race, DEFAULT_MODEL, MODELS};
use psephos_sim::{Draw, Model, Noise, Scenario, SimOptions};
use rand::SeedableRng;

/// Every final-poll preset: each poll cites a source; the scenario's shares
/// are the polls' sample-size-weighted average (each poll's "Other" being
/// 100 less its named shares) and its sample size their total; the actual
/// shares add up to 100.
#[test]
fn every_final_poll_preset_adds_up_and_cites_its_sources() {
    let races = calibration::london();
    assert_eq!(races.len(), 6);
    for Race { id, scenario: s, .. } in &races {
        assert!(!s.sources.is_empty(), "{id}: no sources");
        assert!(!s.polls.is_empty(), "{id}: no polls recorded");
        let n: u64 = s.polls.iter().map(|p| p.sample_size).sum();
        assert_eq!(s.sample_size, n, "{id}: sample_size is not the polls' total");
        let mut weighted: BTreeMap<&str, f64> = BTreeMap::new();
        for p in &s.polls {
            assert!(p.source.starts_with("http"), "{id}: {} cites no address", p.pollster);
            assert!(s.sources.contains(&p.source), "{id}: {}'s source is not in `sources`", p.pollster);
            let named: f64 = p.shares.values().sum();
            for c in &s.candidates {
                let share =
                    p.shares.get(&c.name).copied().unwrap_or(if c.name == "Other" { 100.0 - named } else { 0.0 });
                *weighted.entry(&c.name).or_default() += share * p.sample_size as f64 / n as f64;
            }
        }
        for c in &s.candidates {
            assert!(
                (c.share - weighted[c.name.as_str()]).abs() < 0.006,
                "{id}: {} is {} not {}",
                c.name,
                c.share,
                weighted[c.name.as_str()]
            );
        }
        let actual = s.actual.as_ref().unwrap();
        let total: f64 = actual.shares.values().sum();
        assert!((total - 100.0).abs() < 0.05, "{id}: actual shares add up to {total}");
        assert_eq!(actual.shares.len(), s.candidates.len(), "{id}: a candidate has no actual share");
    }
}

/// A synthetic history: a three-way poll of `n`, and results drawn by the
/// model itself with known σ and favourite bias.
fn synthetic(races: usize, sigma: f64, bias: f64) -> Vec<Race> {
    let polls = [[45.0, 35.0, 20.0], [38.0, 36.0, 26.0], [52.0, 30.0, 18.0]];
    (0..races)
        .map(|i| {
            let p = polls[i % polls.len()];
            let text = format!(
                "title = \"synthetic {i}\"\nsource = \"synthetic\"\nsample_size = 2000\nvalid_votes = 100000\n\
                 systematic_error = {sigma}\nfavourite_bias = {bias}\nerror_tails = \"normal\"\n\
                 candidates = [ {{ name = \"A\", share = {} }}, {{ name = \"B\", share = {} }}, {{ name = \"C\", share = {} }} ]\n",
                p[0], p[1], p[2]
            );
            let truth = Scenario::from_toml(&text, "synthetic").unwrap();
            let mut d = Draw::default();
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(i as u64);
            Model::new(&truth, Noise::FULL).draw_into(&mut rng, &mut d);
            let shares: String =
                ["A", "B", "C"].iter().zip(&d.shares).map(|(n, s)| format!("{n} = {}, ", 100.0 * s)).collect();
            let with_result = format!(
                "{text}[actual]\nrule = \"plurality\"\nwinner = \"A\"\nshares = {{ {} }}\n",
                shares.trim_end_matches(", ")
            );
            Race { id: "synthetic", year: i as u32, scenario: Scenario::from_toml(&with_result, "synthetic").unwrap() }
        })
        .collect()
}

fn model(name: &str) -> ErrorModel {
    calibration::model(name).unwrap()
}

#[test]
fn the_estimators_recover_a_known_error() {
    // σ = 4 points, no bias: both the plain and the bias model find σ.
    let history = synthetic(600, 4.0, 0.0);
    let fit = calibration::fit(&history, model("normal"));
    assert!((fit.systematic_error - 4.0).abs() < 0.3, "{fit:?}");
    let fit = calibration::fit(&history, model("normal-bias"));
    assert!(fit.favourite_bias.abs() < 1.0, "{fit:?}");
    // A favourite overstated by 6 points of lead: found, and σ with it.
    let history = synthetic(600, 3.0, 6.0);
    let fit = calibration::fit(&history, model("normal-bias"));
    assert!((fit.favourite_bias - 6.0).abs() < 1.0, "{fit:?}");
    assert!((fit.systematic_error - 3.0).abs() < 0.4, "{fit:?}");
    // The plain model, blind to the bias, takes it for a larger σ.
    assert!(calibration::fit(&history, model("normal")).systematic_error > fit.systematic_error);
}

#[test]
fn leave_one_out_recovers_the_error_for_every_held_out_race() {
    let history = synthetic(300, 4.0, 0.0);
    for i in [0, 150, 299] {
        let loo = calibration::fit_without(&history, i, model("normal"));
        assert!((loo.systematic_error - 4.0).abs() < 0.4, "race {i}: {loo:?}");
        // The fit without race i is the fit of the other races.
        let others: Vec<Race> = history.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, r)| r.clone()).collect();
        assert_eq!(loo, calibration::fit(&others, model("normal")));
    }
}

/// On a synthetic history drawn from the model, the out-of-sample
/// intervals cover about as often as they say.
#[test]
fn out_of_sample_coverage_is_nominal_on_a_history_drawn_from_the_model() {
    let history = synthetic(60, 4.0, 0.0);
    let record =
        backtest::leave_one_out(&history, model("normal"), &SimOptions { draws: 400, seed: 1, rules: vec![] }).unwrap();
    assert_eq!(record.candidates(), 180);
    assert!((record.coverage_80 - 0.8).abs() < 0.08, "{}", record.coverage_80);
    assert!((record.coverage_95 - 0.95).abs() < 0.05, "{}", record.coverage_95);
}

/// Pinned values of the London record for a fixed seed: a change here
/// changes what `backtest --all` and `simulate` report.
#[test]
fn the_london_record_is_stable() {
    let races = calibration::london();
    let r =
        backtest::leave_one_out(&races, DEFAULT_MODEL, &SimOptions { draws: 500, seed: 2024, rules: vec![] }).unwrap();
    let inside_80 = r.elections.iter().flat_map(|e| &e.candidates).filter(|c| c.inside_80).count();
    let inside_95 = r.elections.iter().flat_map(|e| &e.candidates).filter(|c| c.inside_95).count();
    let winners: Vec<f64> = r.elections.iter().map(|e| e.winner_probability).collect();
    assert_eq!((r.candidates(), inside_80, inside_95), (28, 22, 27));
    assert_eq!(winners, vec![0.686, 0.532, 0.924, 0.964, 1.0, 0.99]);
    assert_eq!(r.pit_histogram, [2, 3, 8, 1, 3, 1, 3, 1, 1, 5]);
    assert!(MODELS.contains(&DEFAULT_MODEL));
}
