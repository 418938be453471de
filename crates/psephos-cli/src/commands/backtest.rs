//! `psephos backtest`: a final-week poll scenario against the result, or
//! every London election out of sample (`--all`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;
use psephos_sim::backtest::{self, TrackRecord};
use psephos_sim::calibration::{self, ErrorParams};
use psephos_sim::{presets, SimOptions};
use serde_json::{json, Map, Value};

use crate::args::DrawArgs;
use crate::commands::scenarios;
use crate::commands::sweep::write_out;
use crate::output::Stdout;
use crate::progress::Progress;
use psephos_report::simulate::pct;
use psephos_report::svg::{self, Chart, Series};
use psephos_report::text::thousands;

/// Examples for `psephos backtest --help`.
pub const EXAMPLES: &str = "\
Examples (the last from a checkout of the repository):
  psephos backtest london-2021
  psephos backtest london-2024 --draws 50000 --json
  psephos backtest --all --svg pit.svg
  psephos backtest --all --model student-t --json
  psephos backtest testdata/scenarios/backtest-entrant.toml --rule plurality";

/// Arguments of `psephos backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// london-YYYY (2004, 2008, 2012, 2016, 2021 or 2024), or a scenario
    /// (preset or file; `-` reads standard input) with an `[actual]` table.
    /// With an `[entrant]`, the race with the entrant is tested.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub election: Option<String>,
    /// Every London election with final-week polls, each forecast with the
    /// error model estimated from the other elections only; compares the
    /// candidate error models.
    #[arg(long)]
    pub all: bool,
    /// With --all: the error model detailed election by election (default:
    /// the default model).
    #[arg(long, requires = "all", value_parser = clap::builder::PossibleValuesParser::new(
        calibration::MODELS.map(|m| m.name)))]
    pub model: Option<String>,
    /// With --all: write the histogram of PIT values as SVG to this file
    /// (`-` prints it instead of the table).
    #[arg(long, requires = "all", value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Draws, seed and rules.
    #[command(flatten)]
    pub sim: DrawArgs,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the back-test.
pub fn run(args: BacktestArgs) -> Result<()> {
    let Some(election) = args.election.as_deref().filter(|_| !args.all) else {
        return run_all(&args);
    };
    let id = match presets::find(&format!("{election}-final-polls")) {
        Some(p) => p.id.to_owned(),
        None => election.to_owned(),
    };
    let (scenario, origin) = scenarios::load(Some(&id))?;
    if scenario.actual.is_none() {
        bail!("{origin} has no [actual] table: nothing to test the polls against");
    }
    let options = args.sim.options(&scenario.rules);
    // A London election the default error model was fitted with, tested with that model.
    let in_sample =
        calibration::london().iter().any(|r| r.id == id) && ErrorParams::of(&scenario) == ErrorParams::DEFAULT;
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
            "candidates": candidates, "win_probability": wins, "error_model_in_sample": in_sample,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        return out.finish();
    }
    writeln!(out, "{}", scenario.title)?;
    writeln!(out, "{} simulated elections, seed {}; first-round shares in %.", thousands(s.draws), s.seed)?;
    if let Some(e) = &scenario.entrant {
        writeln!(out, "The race with {0}: each poll share is the base poll's less what {0} draws from it.", e.name)?;
    }
    if in_sample {
        writeln!(
            out,
            "In sample: the default error model was fitted with this election among the others; \
             `psephos backtest --all` forecasts it from the other elections only."
        )?;
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

/// `backtest --all`: every model out of sample, the chosen one in detail.
fn run_all(args: &BacktestArgs) -> Result<()> {
    if !args.sim.rules.is_empty() {
        bail!("--rule does not apply to --all: each election is counted under the rule it was held under");
    }
    if args.json && args.svg.as_deref().is_some_and(|p| p.as_os_str() == "-") {
        bail!("--json and --svg - would both print to standard output: write the chart to a file");
    }
    let races = calibration::london();
    let options = SimOptions { draws: args.sim.draws, seed: args.sim.seed, rules: Vec::new() };
    let progress = Progress::new(args.sim.draws * (races.len() * calibration::MODELS.len()) as u64);
    let records = backtest::compare(&races, &options)?;
    progress.finish();
    let best = backtest::best(&records);
    let shown = match &args.model {
        Some(name) => records.iter().position(|r| r.model.name == name).expect("clap checked the name"),
        None => records.iter().position(|r| r.model == calibration::DEFAULT_MODEL).expect("the default is listed"),
    };
    let record = &records[shown];
    let mut out = Stdout::new();
    if let Some(path) = &args.svg {
        write_out(path, &pit_chart(record), &mut out)?;
        if path.as_os_str() == "-" {
            return out.finish();
        }
    }
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&all_json(&races, &records, shown, best, &options))?)?;
        return out.finish();
    }
    let years: Vec<String> = races.iter().map(|r| r.year.to_string()).collect();
    writeln!(
        out,
        "London mayoral elections with published final-week polls ({}), each forecast out of sample:",
        years.join(", ")
    )?;
    writeln!(
        out,
        "the error model of each is estimated from the other elections only. {} draws per election, seed {}.",
        thousands(options.draws),
        options.seed
    )?;
    writeln!(out, "\nModels compared over {} candidate-elections:", record.candidates())?;
    writeln!(
        out,
        "  {:16}  {:>8}  {:>8}  {:>10}  {:>7}  {:>6}   fitted to every election",
        "model", "80% cov.", "95% cov.", "log score", "Brier", "CRPS"
    )?;
    for r in &records {
        let all = calibration::fit(&races, r.model);
        writeln!(
            out,
            "  {:16}  {:>8}  {:>8}  {:>10.3}  {:>7.3}  {:>6.3}   {}",
            r.model.name,
            pct(r.coverage_80),
            pct(r.coverage_95),
            r.winner_log_score,
            r.winner_brier,
            r.mean_crps,
            params_text(&all)
        )?;
    }
    let chosen = &records[best].model;
    let default_note = if *chosen == calibration::DEFAULT_MODEL {
        ", the default of simulate".to_owned()
    } else {
        format!(" (the default of simulate is {})", calibration::DEFAULT_MODEL.name)
    };
    writeln!(
        out,
        "Chosen out of sample: {}{default_note}. (A model replaces a simpler one only if it is no worse on \
         winner log score, CRPS and the distance of both coverages from nominal, and better on one.)",
        chosen.name
    )?;
    writeln!(out, "\nModel {}, election by election (first-round %):", record.model.name)?;
    for e in &record.elections {
        writeln!(
            out,
            "\n{} ({}): {} won; forecast gave {} {}. From the other elections: {}.",
            e.year,
            e.rule,
            e.winner,
            e.winner,
            pct(e.winner_probability),
            params_text(&e.params)
        )?;
        let w = e.candidates.iter().map(|c| c.name.len()).max().unwrap_or(0).max(9);
        writeln!(
            out,
            "  {:w$}  {:>6}  {:>11}  {:>11}  {:>6}  {:>5}",
            "candidate", "median", "80%", "95%", "actual", "PIT"
        )?;
        for c in &e.candidates {
            let flag = if c.inside_95 { "" } else { "  OUTSIDE 95%" };
            writeln!(
                out,
                "  {:w$}  {:>6.1}  {:>11}  {:>11}  {:>6.1}  {:>5.3}{flag}",
                c.name,
                c.median,
                format!("{:.1}–{:.1}", c.interval_80.0, c.interval_80.1),
                format!("{:.1}–{:.1}", c.interval_95.0, c.interval_95.1),
                c.actual,
                c.pit
            )?;
        }
    }
    let k = record.candidates();
    let inside = |f: fn(&backtest::CandidateForecast) -> bool| {
        record.elections.iter().flat_map(|e| &e.candidates).filter(|c| f(c)).count()
    };
    writeln!(
        out,
        "\nOut of sample, {} of {k} actual shares fell inside the 80% intervals ({}) and {} inside the 95% \
         intervals ({}); winner probabilities: mean log score {:.3}, Brier score {:.3}; shares: mean CRPS \
         {:.3} points.",
        inside(|c| c.inside_80),
        pct(record.coverage_80),
        inside(|c| c.inside_95),
        pct(record.coverage_95),
        record.winner_log_score,
        record.winner_brier,
        record.mean_crps
    )?;
    let bins: Vec<String> = record.pit_histogram.iter().map(u64::to_string).collect();
    writeln!(out, "PIT histogram, ten bins from 0 to 1 (flat when calibrated): {}.", bins.join(" "))?;
    out.finish()
}

/// σ, tails and bias in words.
fn params_text(p: &ErrorParams) -> String {
    format!("σ = {:.2}, {} tails, favourite bias {:.2}", p.systematic_error, p.tails, p.favourite_bias)
}

fn params_json(p: &ErrorParams) -> Value {
    json!({"systematic_error": p.systematic_error, "tails": p.tails.to_string(), "favourite_bias": p.favourite_bias})
}

fn summary_json(r: &TrackRecord) -> Value {
    json!({
        "coverage_80": r.coverage_80, "coverage_95": r.coverage_95,
        "winner_log_score": r.winner_log_score, "winner_brier": r.winner_brier, "mean_crps": r.mean_crps,
        "pit_histogram": r.pit_histogram, "candidate_elections": r.candidates(),
    })
}

/// The `--all --json` object.
fn all_json(
    races: &[calibration::Race],
    records: &[TrackRecord],
    shown: usize,
    best: usize,
    options: &SimOptions,
) -> Value {
    let r = &records[shown];
    let elections: Vec<Value> = r
        .elections
        .iter()
        .map(|e| {
            let candidates: Vec<Value> = e
                .candidates
                .iter()
                .map(|c| {
                    json!({
                        "name": c.name, "median": c.median,
                        "interval_80": [c.interval_80.0, c.interval_80.1],
                        "interval_95": [c.interval_95.0, c.interval_95.1],
                        "actual": c.actual, "inside_80": c.inside_80, "inside_95": c.inside_95, "pit": c.pit,
                        "crps": c.crps,
                    })
                })
                .collect();
            json!({
                "year": e.year, "preset": e.id, "rule": e.rule.to_string(), "winner": e.winner,
                "winner_probability": e.winner_probability, "parameters": params_json(&e.params),
                "candidates": candidates,
            })
        })
        .collect();
    let models: Vec<Value> = records
        .iter()
        .map(|m| {
            let mut s = summary_json(m);
            s["model"] = json!(m.model.name);
            s["fitted_to_every_election"] = params_json(&calibration::fit(races, m.model));
            s
        })
        .collect();
    json!({
        "calibration": "leave-one-election-out",
        "model": r.model.name,
        "draws": options.draws,
        "seed": options.seed,
        "elections": elections,
        "summary": summary_json(r),
        "models": models,
        "best_model": records[best].model.name,
        "default_model": calibration::DEFAULT_MODEL.name,
    })
}

/// The PIT histogram as a step line (the share of candidate–elections in
/// each tenth; the chart's axis is 0–100%) beside the flat 10% of calibration.
fn pit_chart(r: &TrackRecord) -> String {
    let total = r.pit_histogram.iter().sum::<u64>().max(1) as f64;
    let mut steps = Vec::new();
    for (b, &k) in r.pit_histogram.iter().enumerate() {
        let share = k as f64 / total;
        steps.push((b as f64 / 10.0, share));
        steps.push(((b + 1) as f64 / 10.0, share));
    }
    let chart = Chart {
        title: format!("Out-of-sample PIT histogram, model {}", r.model.name),
        subtitle: format!(
            "{} candidate-elections of {} London mayoral elections; calibrated forecasts put 10% in each tenth",
            r.candidates(),
            r.elections.len()
        ),
        x_label: "PIT: the share of simulated draws below the actual share".into(),
        y_label: "Share of candidate-elections".into(),
        series: vec![
            Series { label: "PIT histogram".into(), colour: 0, dash: 0, points: steps },
            Series { label: "calibrated (uniform)".into(), colour: 1, dash: 1, points: vec![(0.0, 0.1), (1.0, 0.1)] },
        ],
    };
    svg::line_chart(&chart)
}
