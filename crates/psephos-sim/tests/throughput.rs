//! Throughput check of the default preset, run by hand:
//! `cargo test -p psephos-sim --release --test throughput -- --ignored --nocapture`.
//! The criterion benchmark (`benches/benches/simulate.rs`) is the reference.

use std::time::Instant;

use psephos_sim::{presets, Model, Noise, Scenario, SimOptions};

#[test]
#[ignore = "a timing, not a test: run it in release by hand"]
fn default_preset_100k_draws() {
    let p = presets::find(presets::DEFAULT).unwrap();
    let s = Scenario::from_toml(p.text, p.id).unwrap();
    let model = Model::new(&s, Noise::FULL);
    let draws: u64 = std::env::var("DRAWS").ok().and_then(|d| d.parse().ok()).unwrap_or(100_000);
    let start = Instant::now();
    let summary = psephos_sim::run(&model, &SimOptions { draws, seed: 1, rules: s.rules.clone() }, None).unwrap();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{draws} draws x 2 races x {} rules: {secs:.2} s ({:.1} us/draw)",
        s.rules.len(),
        secs * 1e6 / draws as f64
    );
    assert_eq!(summary.draws, draws);
}
