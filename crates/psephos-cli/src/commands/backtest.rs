//! `psephos backtest`: a final-week poll scenario against the result.

use std::io::Write;

use anyhow::{bail, Result};
use clap::Args;
use psephos_sim::backtest;
use serde_json::{json, Map, Value};

use crate::args::DrawArgs;
use crate::commands::scenarios;
use crate::commands::simulate::pct;
use crate::output::Stdout;
use crate::progress::Progress;
use crate::render::text::thousands;

/// Examples for `psephos backtest --help`.
pub const EXAMPLES: &str = "\
Examples (the last from a checkout of the repository):
  psephos backtest london-2021
  psephos backtest london-2024 --draws 50000 --json
  psephos backtest testdata/scenarios/backtest-entrant.toml --rule plurality";

/// Arguments of `psephos backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// london-2021, london-2024, or a scenario (preset or file; `-` reads
    /// standard input) with an `[actual]` table. With an `[entrant]`, the
    /// race with the entrant is tested.
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
    let mut out = Stdout::new();
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
        let json = json!({
            "scenario": origin, "title": scenario.title, "draws": s.draws, "seed": s.seed,
            "rule": b.rule.to_string(), "actual_winner": b.winner,
            "candidates": candidates, "win_probability": wins,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        return out.finish();
    }
    writeln!(out, "{}", scenario.title)?;
    writeln!(out, "{} simulated elections, seed {}; first-round shares in %.", thousands(s.draws), s.seed)?;
    if let Some(e) = &scenario.entrant {
        writeln!(out, "The race with {0}: each poll share is the base poll's less what {0} draws from it.", e.name)?;
    }
    writeln!(out)?;
    let w = b.rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(9);
    writeln!(
        out,
        "  {:w$}  {:>5}  {:>6}  {:>11}  {:>11}  {:>6}",
        "candidate", "poll", "median", "80%", "95%", "actual"
    )?;
    let mut outside = Vec::new();
    for r in &b.rows {
        let actual = r.actual.map_or("—".to_owned(), |a| format!("{a:.1}"));
        let flag = if r.inside_95 {
            ""
        } else {
            outside.push(r.name.clone());
            "  OUTSIDE 95%"
        };
        writeln!(
            out,
            "  {:w$}  {:>5.1}  {:>6.1}  {:>11}  {:>11}  {actual:>6}{flag}",
            r.name,
            r.poll,
            r.median,
            format!("{:.1}–{:.1}", r.interval_80.0, r.interval_80.1),
            format!("{:.1}–{:.1}", r.interval_95.0, r.interval_95.1),
        )?;
    }
    writeln!(out)?;
    for (ri, r) in s.rules.iter().enumerate() {
        let mut ranked: Vec<(usize, f64)> = (0..b.rows.len()).map(|c| (c, s.race.win_probability(ri, c))).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let list: Vec<String> = ranked.iter().take(3).map(|&(c, p)| format!("{} {}", b.rows[c].name, pct(p))).collect();
        let held = if *r == b.rule { " (the rule in force)" } else { "" };
        writeln!(out, "  win chances under {r}{held}: {}", list.join(", "))?;
    }
    writeln!(out, "  actual winner: {} under {}", b.winner, b.rule)?;
    if outside.is_empty() {
        writeln!(out, "\nEvery actual share fell inside its 95% interval.")?;
    } else {
        writeln!(out, "\nOutside the 95% interval: {}.", outside.join(", "))?;
    }
    out.finish()
}
