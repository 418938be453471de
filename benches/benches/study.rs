//! Study benchmark: 100,000 impartial-culture electorates of 1,001 voters
//! and 5 candidates, each counted under every ranked single-winner rule of
//! the catalogue (20 rules) with the Condorcet statistics (Condorcet winner
//! and loser, majority loser, and per rule Condorcet efficiency,
//! Condorcet- and majority-loser rates and decisive ties), without and then
//! with the spoiler test.
//!
//! Target: the study without spoilers in at most 20 s on 2 cores. Each
//! figure is one run (the study is long enough to time once); it prints the
//! wall time, the CPU time of the process and the rates, so the figures can
//! be compared with the published ones (a Condorcet winner in 74.9% of
//! electorates for 5 candidates). Run with
//! `cargo bench -p psephos-benches --bench study` (or `-- --quick` for
//! 10,000 electorates).

use std::time::Instant;

use psephos_study::{default_rules, models::Model, run, ParadoxSearch, Shard, SpoilerTest, StudyOptions};

/// CPU time of this process so far, in seconds (user + system), from
/// `/proc/self/stat` on Linux; `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let elections = if quick { 10_000 } else { 100_000 };
    for spoilers in [SpoilerTest::Off, SpoilerTest::On] {
        let options = StudyOptions {
            model: Model::ImpartialCulture,
            candidates: 5,
            voters: 1001,
            elections,
            seed: 2024,
            rules: default_rules(5),
            spoilers,
            paradoxes: ParadoxSearch::Off,
            shard: Shard::WHOLE,
            count: Default::default(),
        };
        let (cpu0, start) = (cpu_seconds(), Instant::now());
        let counts = run(&options, None).expect("the study runs");
        let wall = start.elapsed().as_secs_f64();
        let cpu = cpu_seconds().zip(cpu0).map_or(f64::NAN, |(b, a)| b - a);
        println!(
            "study/ic-5x1001 {elections} electorates, {} rules, spoilers {spoilers:?}: {wall:.2} s wall, {cpu:.2} s CPU ({} threads)",
            options.rules.len(),
            rayon::current_num_threads()
        );
        let cw = counts.condorcet_winner_rate().expect("electorates");
        println!("  Condorcet winner in {:.4} ± {:.4} of electorates", cw.value, cw.mc_error);
        for (i, r) in counts.rules.iter().enumerate() {
            let e = counts.rule_estimates(i);
            let ce = e.condorcet_efficiency.expect("some Condorcet winners");
            println!("  {:>20}  Condorcet efficiency {:.4} ± {:.4}", r.rule, ce.value, ce.mc_error);
        }
    }
}
