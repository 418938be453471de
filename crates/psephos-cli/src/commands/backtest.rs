//! `psephos backtest`: a final-week poll scenario against the result.

use anyhow::{bail, Result};
use clap::Args;
use psephos_sim::backtest;
use serde_json::{json, Map, Value};

use crate::args::DrawArgs;
use crate::commands::scenarios;
use crate::commands::simulate::{pct, Progress};
use crate::render::text::thousands;

/// Arguments of `psephos backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// london-2021, london-2024, or a scenario (preset or file) with an `[actual]` table.
    pub election: String,
    /// Draws, seed and rules.
    #[command(flatten)]
    pub sim: DrawArgs,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the back-test.
pub fn run(args: BacktestArgs) -> Result<()> {
    let id = match args.election.as_str() {
        "london-2021" | "london-2024" => format!("{}-final-polls", args.election),
        other => other.to_owned(),
    };
    let (scenario, origin) = scenarios::load(Some(&id))?;
    if scenario.actual.is_none() {
        bail!("{origin} has no [actual] table: nothing to test the polls against");
    }
    let options = args.sim.options(&scenario.rules);
    let progress = Progress::new(args.sim.draws);
    let b = backtest::run(&scenario, &options)?;
    progress.finish();
    let s = &b.summary;
    if args.json {
        let candidates: Vec<Value> = b
            .rows
            .iter()
            .map(|r| {
                json!({
                    "name": r.name, "poll": r.poll, "median": r.median,
                    "interval_80": [r.interval_80.0, r.interval_80.1],
                    "interval_95": [r.interval_95.0, r.interval_95.1],
                    "actual": r.actual, "inside_80": r.inside_80, "inside_95": r.inside_95,
                })
            })
            .collect();
        let mut wins = Map::new();
        for (ri, r) in s.rules.iter().enumerate() {
            let p: Map<String, Value> = b
                .rows
                .iter()
                .enumerate()
                .map(|(c, row)| (row.name.clone(), json!(s.race.win_probability(ri, c))))
                .collect();
            wins.insert(r.to_string(), Value::Object(p));
        }
        let out = json!({
            "scenario": origin, "title": scenario.title, "draws": s.draws, "seed": s.seed,
            "rule": b.rule.to_string(), "actual_winner": b.winner,
            "candidates": candidates, "win_probability": wins,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("{}", scenario.title);
    println!("{} simulated elections, seed {}; first-round shares in %.\n", thousands(s.draws), s.seed);
    let w = b.rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(9);
    println!("  {:w$}  {:>5}  {:>6}  {:>11}  {:>11}  {:>6}", "candidate", "poll", "median", "80%", "95%", "actual");
    let mut outside = Vec::new();
    for r in &b.rows {
        let actual = r.actual.map_or("—".to_owned(), |a| format!("{a:.1}"));
        let flag = if r.inside_95 {
            ""
        } else {
            outside.push(r.name.clone());
            "  OUTSIDE 95%"
        };
        println!(
            "  {:w$}  {:>5.1}  {:>6.1}  {:>11}  {:>11}  {actual:>6}{flag}",
            r.name,
            r.poll,
            r.median,
            format!("{:.1}–{:.1}", r.interval_80.0, r.interval_80.1),
            format!("{:.1}–{:.1}", r.interval_95.0, r.interval_95.1),
        );
    }
    println!();
    for (ri, r) in s.rules.iter().enumerate() {
        let mut ranked: Vec<(usize, f64)> = (0..b.rows.len()).map(|c| (c, s.race.win_probability(ri, c))).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let list: Vec<String> = ranked.iter().take(3).map(|&(c, p)| format!("{} {}", b.rows[c].name, pct(p))).collect();
        let held = if *r == b.rule { " (the rule in force)" } else { "" };
        println!("  win chances under {r}{held}: {}", list.join(", "));
    }
    println!("  actual winner: {} under {}", b.winner, b.rule);
    if outside.is_empty() {
        println!("\nEvery actual share fell inside its 95% interval.");
    } else {
        println!("\nOutside the 95% interval: {}.", outside.join(", "));
    }
    Ok(())
}
