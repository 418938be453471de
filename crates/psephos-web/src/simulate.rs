//! Simulations: a scenario (a preset, or a TOML or JSON body), adjusted by
//! the query's what-ifs (`share.NAME`, `entrant_share`, `drawn.NAME`,
//! `systematic_error`, `sample_size`) and checked again exactly as a
//! scenario file is, then simulated as `psephos simulate` and `psephos sweep`
//! do, answered with the same JSON objects and chart.

use psephos::{CountOptions, Rule};
use psephos_sim::presets::{self, PresetKind};
use psephos_sim::{sweep, Measures, Model, Noise, Replay, Scenario, SimOptions};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::query::Query;
use crate::Limits;

/// The parameters of `/api/simulate`.
pub const SIMULATE_KEYS: &[&str] = &[
    "preset",
    "draws",
    "seed",
    "rule",
    "spoilers",
    "entrant_share",
    "systematic_error",
    "sample_size",
    "share.",
    "drawn.",
];

/// The parameters of `/api/sweep`: those of a simulation (bar `spoilers`)
/// and the range of the entrant's share.
pub const SWEEP_KEYS: &[&str] = &[
    "preset",
    "draws",
    "seed",
    "rule",
    "entrant_share",
    "systematic_error",
    "sample_size",
    "share.",
    "drawn.",
    "from",
    "to",
    "step",
];

/// The scenario of a request: the body (TOML, or JSON of the same shape)
/// or the preset named, else the default, with the query's what-ifs.
fn scenario(q: &Query, body: &[u8]) -> Result<(Scenario, String), ApiError> {
    let preset = q.one("preset")?;
    let (mut table, origin): (toml::Table, String) = if body.iter().any(|b| !b.is_ascii_whitespace()) {
        if preset.is_some() {
            return Err(ApiError::bad("give a scenario in the body or preset=ID, not both"));
        }
        let text = std::str::from_utf8(body).map_err(|_| ApiError::bad("the scenario is not UTF-8 text"))?;
        let table = if text.trim_start().starts_with('{') {
            serde_json::from_str::<toml::Table>(text).map_err(|e| ApiError::bad(format!("scenario (JSON): {e}")))?
        } else {
            // Parsed by the scenario reader below, for its messages; a table here for the what-ifs.
            Scenario::from_toml(text, "scenario").map_err(|e| ApiError::bad(e.to_string()))?;
            text.parse::<toml::Table>().map_err(|e| ApiError::bad(format!("scenario: {e}")))?
        };
        (table, "scenario".to_owned())
    } else {
        let id = preset.unwrap_or(presets::DEFAULT);
        let Some(p) = presets::find(id) else {
            return Err(ApiError::not_found(format!("no preset `{id}`; GET /api/scenarios lists them")));
        };
        if p.kind != PresetKind::Scenario {
            return Err(ApiError::bad(format!(
                "`{id}` is an official result, not a poll scenario; GET /api/replays/{id}"
            )));
        }
        (p.text.parse::<toml::Table>().map_err(|e| ApiError::bad(format!("{id}: {e}")))?, id.to_owned())
    };
    let number = |key: &str, v: &str| -> Result<f64, ApiError> {
        v.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| ApiError::bad(format!("{key}={v}: not a number")))
    };
    for (name, v) in q.prefixed("share.") {
        let share = number(&format!("share.{name}"), v)?;
        let found = table
            .get_mut("candidates")
            .and_then(toml::Value::as_array_mut)
            .and_then(|list| list.iter_mut().find(|c| c.get("name").and_then(toml::Value::as_str) == Some(name)))
            .and_then(toml::Value::as_table_mut)
            .map(|c| c.insert("share".into(), toml::Value::Float(share)));
        if found.is_none() {
            return Err(ApiError::bad(format!("share.{name}: the scenario has no candidate `{name}`")));
        }
    }
    let entrant_share = q.one("entrant_share")?.map(|v| number("entrant_share", v)).transpose()?;
    let drawn: Vec<(&str, &str)> = q.prefixed("drawn.").collect();
    if entrant_share.is_some() || !drawn.is_empty() {
        let Some(entrant) = table.get_mut("entrant").and_then(toml::Value::as_table_mut) else {
            return Err(ApiError::bad("the scenario has no [entrant]"));
        };
        if let Some(s) = entrant_share {
            entrant.insert("share".into(), toml::Value::Float(s));
        }
        if !drawn.is_empty() {
            let mut from = toml::Table::new();
            for (name, v) in drawn {
                from.insert(name.to_owned(), toml::Value::Float(number(&format!("drawn.{name}"), v)?));
            }
            entrant.insert("drawn_from".into(), toml::Value::Table(from));
        }
    }
    if let Some(v) = q.one("systematic_error")? {
        table.insert("systematic_error".into(), toml::Value::Float(number("systematic_error", v)?));
    }
    if let Some(v) = q.parsed::<u64>("sample_size")? {
        let v = i64::try_from(v).map_err(|_| ApiError::bad("sample_size: too large"))?;
        table.insert("sample_size".into(), toml::Value::Integer(v));
    }
    let text = toml::to_string(&table).map_err(|e| ApiError::bad(format!("scenario: {e}")))?;
    let scenario = Scenario::from_toml(&text, &origin).map_err(|e| ApiError::bad(e.to_string()))?;
    Ok((scenario, origin))
}

/// Draws, seed and rules, the draws within the limit.
fn options(q: &Query, scenario: &Scenario, limits: &Limits, default_draws: u64) -> Result<SimOptions, ApiError> {
    let draws: u64 = q.parsed("draws")?.unwrap_or(default_draws);
    if draws == 0 {
        return Err(ApiError::bad("draws=0: give at least one draw"));
    }
    if draws > limits.max_draws {
        return Err(ApiError::unprocessable(format!(
            "draws={draws}: this server simulates at most {} elections in one request; run `psephos simulate` on \
             your own machine for more",
            limits.max_draws
        )));
    }
    let rules: Vec<Rule> = q
        .all("rule")
        .map(|r| r.parse::<Rule>().map_err(|e| ApiError::bad(format!("rule={r}: {e}"))))
        .collect::<Result<_, _>>()?;
    let rules = if rules.is_empty() { scenario.rules.clone() } else { rules };
    if rules.len() > limits.max_rules {
        return Err(ApiError::unprocessable(format!(
            "{} rules; at most {} in one request",
            rules.len(),
            limits.max_rules
        )));
    }
    Ok(SimOptions { draws, seed: q.parsed("seed")?.unwrap_or(2024), rules })
}

/// `/api/simulate`: `psephos simulate --json`'s object.
pub fn simulate(q: &Query, body: &[u8], limits: &Limits) -> Result<Value, ApiError> {
    let (scenario, origin) = scenario(q, body)?;
    let options = options(q, &scenario, limits, 10_000)?;
    let measures = if q.flag("spoilers")? { Measures::SPOILERS } else { Measures::WINNERS };
    let model = Model::new(&scenario, Noise::FULL);
    let summary =
        psephos_sim::run_with(&model, &options, &measures, None).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    Ok(psephos_report::simulate::json(&origin, &scenario, &summary))
}

/// `/api/sweep`: the sweep's chart (SVG) and rows (CSV).
pub fn sweep(q: &Query, body: &[u8], limits: &Limits) -> Result<Value, ApiError> {
    let (scenario, _) = scenario(q, body)?;
    if scenario.entrant.is_none() {
        return Err(ApiError::bad("the scenario has no [entrant]: there is nothing to sweep"));
    }
    let options = options(q, &scenario, limits, 1_000)?;
    let from: f64 = q.parsed("from")?.unwrap_or(0.0);
    let to: f64 = q.parsed("to")?.unwrap_or(20.0);
    let step: f64 = q.parsed("step")?.unwrap_or(2.5);
    let mut shares = sweep::steps(from, to, step).map_err(|e| ApiError::bad(e.to_string()))?;
    // A share of 0 means no entrant at all; sweep from just above it.
    for s in &mut shares {
        if *s <= 0.0 {
            *s = 0.01;
        }
    }
    let total = options.draws.saturating_mul(shares.len() as u64);
    if total > limits.max_draws {
        return Err(ApiError::unprocessable(format!(
            "{} shares × {} draws = {total} simulated elections; this server allows {} in one request",
            shares.len(),
            options.draws,
            limits.max_draws
        )));
    }
    let points = sweep::run(&scenario, &shares, &options, None).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    Ok(json!({
        "svg": psephos_report::sweep::chart(&scenario, &options.rules, &points),
        "csv": psephos_report::sweep::csv(&scenario, &options.rules, &points),
    }))
}

/// `GET /api/scenarios`: every preset, with what a page needs to draw its
/// sliders (candidates, shares, the entrant, the error model, sources).
pub fn scenarios() -> Value {
    let list: Vec<Value> = presets::PRESETS
        .iter()
        .map(|p| {
            let mut v = json!({
                "id": p.id,
                "kind": match p.kind { PresetKind::Scenario => "scenario", PresetKind::Replay => "replay" },
                "description": p.description,
                "default": p.id == presets::DEFAULT,
            });
            if p.kind == PresetKind::Scenario {
                if let Ok(s) = Scenario::from_toml(p.text, p.id) {
                    v["scenario"] = scenario_json(&s);
                }
            }
            v
        })
        .collect();
    Value::Array(list)
}

/// A scenario's inputs, for the sliders.
fn scenario_json(s: &Scenario) -> Value {
    json!({
        "title": s.title,
        "source": s.source,
        "sources": s.sources,
        "notes": s.notes,
        "sample_size": s.sample_size,
        "systematic_error": s.systematic_error,
        "rules": s.rules.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "candidates": s.candidates.iter().map(|c| json!({"name": c.name, "party": c.party, "share": c.share})).collect::<Vec<_>>(),
        "entrant": s.entrant.as_ref().map(|e| json!({"name": e.name, "party": e.party, "share": e.share, "drawn_from": e.drawn_from})),
    })
}

/// `GET /api/replays/ID`: an official London count rebuilt and counted
/// again, with its check against the official figures and its round chart.
pub fn replay(id: &str) -> Result<Value, ApiError> {
    let Some(p) = presets::find(id).filter(|p| p.kind == PresetKind::Replay) else {
        return Err(ApiError::not_found(format!("no replay `{id}`; GET /api/scenarios lists them")));
    };
    let replay = Replay::from_toml(p.text, p.id).map_err(|e| ApiError::unprocessable(e.to_string()))?;
    let election =
        replay.election().map_err(|e| ApiError::unprocessable(format!("cannot rebuild the ballots: {e}")))?;
    let t = replay
        .rule
        .count(&election, &CountOptions::default())
        .map_err(|e| ApiError::unprocessable(psephos_report::count_error_message(&e, &election)))?;
    let check = replay.check(&election, &t);
    let mut v = psephos_report::json::tabulation_json(&t, &election.candidates);
    v["id"] = json!(p.id);
    v["title"] = json!(replay.title);
    v["notes"] = json!(replay.notes);
    v["sources"] = json!(replay.sources);
    v["official_winner"] = json!(replay.winner);
    v["matches_official"] = json!(check.is_ok());
    if let Err(m) = check {
        v["difference"] = json!(m.to_string());
    }
    v["narrative"] = json!(psephos_report::text::narrative(&t, &election.candidates));
    v["charts"] = json!({"rounds": psephos_report::charts::rounds(&t, &election.candidates, &replay.title)});
    Ok(v)
}
