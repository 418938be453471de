//! The model and runner on the built-in presets: determinism, value
//! stability, zero-noise limits, replays of every official count.

use psephos::CountOptions;
use psephos_sim::presets::{self, PresetKind};
use psephos_sim::{backtest, Model, Noise, Replay, Scenario, SimOptions, Summary};

fn preset(id: &str) -> Scenario {
    Scenario::from_toml(presets::find(id).unwrap().text, id).unwrap()
}

fn run(s: &Scenario, noise: Noise, draws: u64, seed: u64) -> Summary {
    let model = Model::new(s, noise);
    psephos_sim::run(&model, &SimOptions { draws, seed, rules: s.rules.clone() }, None).unwrap()
}

fn idx(s: &Scenario, name: &str) -> usize {
    s.names().iter().position(|n| *n == name).unwrap()
}

#[test]
fn every_preset_loads() {
    for p in presets::PRESETS {
        match p.kind {
            PresetKind::Scenario => {
                Scenario::from_toml(p.text, p.id).unwrap();
            }
            PresetKind::Replay => {
                Replay::from_toml(p.text, p.id).unwrap();
            }
        }
    }
    assert!(presets::find(presets::DEFAULT).is_some());
}

#[test]
fn same_seed_same_summary_whatever_the_thread_count() {
    let s = preset("london-2024-corbyn-rw");
    let in_pool = |threads| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| run(&s, Noise::FULL, 3000, 9))
    };
    let one = in_pool(1);
    assert_eq!(one, in_pool(2));
    assert_eq!(one, in_pool(5));
    assert_ne!(one, run(&s, Noise::FULL, 3000, 10));
}

#[test]
fn zero_noise_gives_the_deterministic_winner_every_time() {
    let s = preset("london-2024-corbyn-rw");
    let sum = run(&s, Noise::NONE, 300, 1);
    let (hall, khan) = (idx(&s, "Hall"), idx(&s, "Khan"));
    // Hall 30, Khan 25, Corbyn 15 with Corbyn; Khan 33, Hall 32 without.
    assert_eq!(sum.race.wins(0, hall), 300);
    assert_eq!(sum.base.as_ref().unwrap().wins(0, khan), 300);
    assert_eq!(sum.changes[0], 300);
    // The first-round shares are the poll's, to the vote.
    assert_eq!(sum.race.share_quantile(hall, 0.5), 30.0);
    assert_eq!(sum.race.share_quantile(idx(&s, "Corbyn"), 0.1), 15.0);
    assert_eq!(sum.base.as_ref().unwrap().share_quantile(khan, 0.9), 33.0);
}

#[test]
fn probabilities_add_up_and_changes_are_bounded() {
    let s = preset("london-2024-corbyn-fon");
    let sum = run(&s, Noise::FULL, 2000, 3);
    for r in 0..s.rules.len() {
        let total: u64 = (0..s.names().len()).map(|c| sum.race.wins(r, c)).sum();
        assert_eq!(total, 2000);
        assert!(sum.changes[r] <= 2000);
    }
}

/// Pinned outputs for a fixed seed: a change here changes what users see.
#[test]
fn default_preset_values_are_stable() {
    let s = preset("london-2024-corbyn-rw");
    let sum = run(&s, Noise::FULL, 2000, 2024);
    let (hall, khan) = (idx(&s, "Hall"), idx(&s, "Khan"));
    let got = (
        sum.race.wins(0, hall),
        sum.race.wins(1, khan),
        sum.race.wins(2, khan),
        sum.race.wins(3, khan),
        sum.base.as_ref().unwrap().wins(0, khan),
        sum.changes.clone(),
        sum.race.share_quantile(hall, 0.5),
    );
    // Hall's FPTP wins; Khan's SV, IRV and two-round wins; Khan's FPTP wins
    // without Corbyn; winner changes per rule; Hall's median share. (The
    // default error model: normal tails, σ = 3.96, from `backtest --all`.)
    assert_eq!(got, (1573, 1340, 1463, 1418, 1086, vec![666, 304, 212, 250], 29.9));
}

#[test]
fn replays_equal_the_official_counts() {
    for p in presets::PRESETS.iter().filter(|p| p.kind == PresetKind::Replay) {
        let r = Replay::from_toml(p.text, p.id).unwrap();
        let e = r.election().unwrap();
        let t = r.rule.count(&e, &CountOptions::default()).unwrap();
        r.check(&e, &t).unwrap_or_else(|m| panic!("{}: {m}", p.id));
        t.check_conservation().unwrap();
    }
    let final_of = |id: &str, name: &str| {
        let r = Replay::from_toml(presets::find(id).unwrap().text, id).unwrap();
        let e = r.election().unwrap();
        let t = r.rule.count(&e, &CountOptions::default()).unwrap();
        t.rounds.last().unwrap().votes(e.candidates.id_of(name).unwrap()).unwrap()
    };
    assert_eq!(final_of("london-2021", "Sadiq Khan"), 1_206_034);
    assert_eq!(final_of("london-2021", "Shaun Bailey"), 977_601);
    assert_eq!(final_of("london-2000", "Ken Livingstone"), 776_427);
    assert_eq!(final_of("london-2000", "Steven Norris"), 564_137);
    assert_eq!(final_of("london-2024", "Sadiq Khan"), 1_088_225);
}

#[test]
fn backtests_report_every_candidate() {
    for id in ["london-2021-final-polls", "london-2024-final-polls"] {
        let s = preset(id);
        let b = backtest::run(&s, &SimOptions { draws: 1000, seed: 5, rules: s.rules.clone() }).unwrap();
        assert_eq!(b.rows.len(), s.candidates.len());
        for r in &b.rows {
            assert!(r.interval_95.0 <= r.interval_80.0 && r.interval_80.0 <= r.median);
            assert!(r.median <= r.interval_80.1 && r.interval_80.1 <= r.interval_95.1);
            assert!(r.actual.is_some());
        }
    }
}

#[test]
fn default_systematic_error_matches_its_derivation() {
    let fit =
        psephos_sim::calibration::fit(&psephos_sim::calibration::london(), psephos_sim::calibration::DEFAULT_MODEL);
    assert!((fit.systematic_error - 3.955).abs() < 0.001, "{fit:?}");
}
