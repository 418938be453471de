//! The long-run target of the simulator: 1,000,000 draws of the default
//! preset (with its base race, four rules) in at most 8 s on 2 cores, with
//! memory flat in the number of draws. Criterion's repeated sampling does
//! not suit a run this long, so this bench times single runs of 100,000 and
//! 1,000,000 draws and reports the peak heap of each.
//!
//! `cargo bench -p psephos-benches --bench simulate_million`

use std::time::Instant;

use psephos_benches::alloc::{peak_since, reset_peak, CountingAlloc};
use psephos_sim::{presets, Model, Noise, Scenario, SimOptions};

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

fn main() {
    // `cargo bench` passes `--bench`; a filter argument other than that skips the run.
    if std::env::args().skip(1).any(|a| a != "--bench" && !"simulate_million".contains(a.as_str())) {
        return;
    }
    let p = presets::find(presets::DEFAULT).expect("the default preset");
    let s = Scenario::from_toml(p.text, p.id).expect("a valid preset");
    let model = Model::new(&s, Noise::FULL);
    let threads = rayon::current_num_threads();
    for draws in [100_000u64, 1_000_000] {
        let base = reset_peak();
        let start = Instant::now();
        let summary =
            psephos_sim::run(&model, &SimOptions { draws, seed: 1, rules: s.rules.clone() }, None).expect("runs");
        let secs = start.elapsed().as_secs_f64();
        let peak = peak_since(base);
        println!(
            "{draws:>9} draws × 2 races × {} rules on {threads} threads: {secs:.2} s ({:.1} µs a draw), peak heap {:.1} MB",
            s.rules.len(),
            secs * 1e6 / draws as f64,
            peak as f64 / 1e6
        );
        assert_eq!(summary.draws, draws);
    }
}
