//! Monte Carlo throughput: the default preset (Corbyn entrant plus its base
//! race, counted on the same draws) under four rules.
//!
//! `cargo bench -p psephos-benches --bench simulate`. Targets: 100,000 draws
//! in at most 2 s on 2 cores; 1,000,000 draws in at most 15 s with memory
//! flat in the number of draws (the runner keeps only integer counters).

use criterion::{criterion_group, criterion_main, Criterion};
use psephos_sim::{presets, Model, Noise, Scenario, SimOptions};

fn default_model() -> (Model, Vec<psephos::Rule>) {
    let p = presets::find(presets::DEFAULT).expect("the default preset");
    let s = Scenario::from_toml(p.text, p.id).expect("a valid preset");
    (Model::new(&s, Noise::FULL), s.rules)
}

fn simulate(c: &mut Criterion) {
    let (model, rules) = default_model();
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    for draws in [10_000u64, 100_000] {
        let options = SimOptions { draws, seed: 1, rules: rules.clone() };
        group.bench_function(format!("default-preset/{draws}-draws/4-rules"), |b| {
            b.iter(|| psephos_sim::run(&model, &options, None).expect("runs"))
        });
    }
    group.finish();
    // One draw's ballots and counts, without the runner around it.
    let mut ws = psephos_sim::Workspace::default();
    let mut draw = psephos_sim::Draw::default();
    let mut rng = psephos_sim::run::rng_for([7; 32], 0);
    c.bench_function("simulate/one-draw-ballots", |b| {
        b.iter(|| {
            model.draw_into(&mut rng, &mut draw);
            model.ballots(&draw, false, &mut ws)
        })
    });
}

criterion_group!(benches, simulate);
criterion_main!(benches);
