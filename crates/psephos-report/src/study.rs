//! Renderers of a study (`psephos study`, `psephos study merge`): a text
//! table of rules × metrics, JSON, CSV, and an SVG dot chart with error bars.

use std::fmt::Write;

use psephos_study::{Estimate, RuleEstimates, Shard, StudyCounts};
use serde_json::{json, Map, Value};

use crate::text::thousands;

/// A study's result with what it was run with.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The model's id.
    pub model: String,
    /// The model's parameters, as JSON.
    pub parameters: Map<String, Value>,
    /// Candidate names, in ballot-paper order.
    pub candidates: Vec<String>,
    /// Voters per electorate.
    pub voters: u64,
    /// Electorates in the whole study.
    pub elections: u64,
    /// The seed.
    pub seed: u64,
    /// The part of the study these counts cover (`None`: all of it).
    pub shard: Option<Shard>,
    /// The counters.
    pub counts: StudyCounts,
}

/// The metrics, in table order: JSON key, column heading, reader.
type Metric = (&'static str, &'static str, fn(&RuleEstimates) -> Option<Estimate>);

const METRICS: [Metric; 8] = [
    ("condorcet_efficiency", "Condorcet eff.", |e| e.condorcet_efficiency),
    ("vse", "VSE", |e| e.vse),
    ("spoiler_rate", "spoiler", |e| e.spoiler_rate),
    ("condorcet_loser_rate", "Condorcet loser", |e| e.condorcet_loser_rate),
    ("majority_loser_rate", "majority loser", |e| e.majority_loser_rate),
    ("tie_rate", "tie-break", |e| e.tie_rate),
    ("monotonicity_failure_rate", "monotonicity ≥", |e| e.monotonicity_failure_rate),
    ("no_show_failure_rate", "no-show ≥", |e| e.no_show_failure_rate),
];

/// Whether a metric was measured in this study (VSE needs utilities; the
/// spoiler test and the paradox search can be off).
fn measured(c: &StudyCounts, key: &str) -> bool {
    match key {
        "vse" => c.rules.iter().any(|r| r.satisfaction.is_some()),
        "spoiler_rate" => c.rules.iter().any(|r| r.spoiled.is_some()),
        "monotonicity_failure_rate" | "no_show_failure_rate" => {
            c.rules.iter().any(|r| r.monotonicity_failures.is_some())
        }
        _ => true,
    }
}

fn estimate_json(e: Option<Estimate>) -> Value {
    e.map_or(Value::Null, |e| json!({"value": e.value, "mc_error": e.mc_error}))
}

/// Whether per-candidate win probabilities mean something: the model has
/// named candidates (a scenario's or a ballot file's).
fn named(r: &Report) -> bool {
    matches!(r.model.as_str(), "poll" | "bootstrap")
}

/// The JSON object.
pub fn json(r: &Report) -> Value {
    let c = &r.counts;
    let rules: Vec<Value> = (0..c.rules.len())
        .map(|i| {
            let e = c.rule_estimates(i);
            let mut o = Map::new();
            o.insert("rule".into(), json!(c.rules[i].rule));
            for (key, _, get) in METRICS {
                let paradox = key.ends_with("failure_rate");
                if paradox && !measured(c, key) {
                    continue;
                }
                let mut v = estimate_json(get(&e));
                if let (true, Value::Object(m)) = (paradox, &mut v) {
                    m.insert("lower_bound".into(), Value::Bool(true));
                }
                o.insert(key.into(), v);
            }
            if named(r) {
                let wins: Map<String, Value> =
                    r.candidates.iter().zip(&e.win_probability).map(|(n, p)| (n.clone(), estimate_json(*p))).collect();
                o.insert("win_probability".into(), Value::Object(wins));
            }
            Value::Object(o)
        })
        .collect();
    let mut o = Map::new();
    o.insert("model".into(), json!(r.model));
    o.insert("model_parameters".into(), Value::Object(r.parameters.clone()));
    o.insert("candidates".into(), json!(r.candidates.len()));
    o.insert("candidate_names".into(), json!(r.candidates));
    o.insert("voters".into(), json!(r.voters));
    o.insert("elections".into(), json!(r.elections));
    o.insert("seed".into(), json!(r.seed));
    if let Some(s) = r.shard {
        o.insert("shard".into(), json!(s.to_string()));
        o.insert("electorates".into(), json!(c.electorates));
    }
    o.insert("condorcet_winner_rate".into(), estimate_json(c.condorcet_winner_rate()));
    o.insert("rules".into(), Value::Array(rules));
    o.insert("counts".into(), serde_json::to_value(c).expect("counters serialise"));
    Value::Object(o)
}

/// `0.757` → `75.7%`, with `<0.1%` and `>99.9%` at the ends.
fn pct(p: f64) -> String {
    crate::simulate::pct(p)
}

fn cell(e: Option<Estimate>) -> String {
    e.map_or_else(|| "—".into(), |e| format!("{} ±{:.1}", pct(e.value), e.mc_error * 100.0))
}

/// A line naming the model and the run.
fn headline(r: &Report) -> String {
    let c = &r.counts;
    let mut s = format!(
        "{}: {} electorates of {} voters, {} candidates, seed {}",
        model_phrase(r),
        thousands(c.electorates),
        thousands(r.voters),
        r.candidates.len(),
        r.seed
    );
    if let Some(shard) = r.shard {
        let _ = write!(s, " (shard {shard} of a study of {} electorates)", thousands(r.elections));
    }
    s.push('.');
    s
}

fn model_phrase(r: &Report) -> String {
    let p = |k: &str| r.parameters.get(k).map(|v| v.to_string().trim_matches('"').to_owned()).unwrap_or_default();
    match r.model.as_str() {
        "ic" => "Impartial culture".into(),
        "iac" => "Impartial anonymous culture".into(),
        "urn" => format!("Urn model, α = {}", p("alpha")),
        "mallows" => {
            "Mallows model".to_owned()
                + &r.parameters.get("phi").map_or(String::new(), |_| format!(", φ = {}", p("phi")))
        }
        "plackett-luce" => format!("Plackett–Luce, weights {}", p("weights")),
        "spatial" => format!("Spatial model, {} dimensions, {}", p("dimensions"), p("distribution")),
        "random-society" => "Random society (uniform utilities)".into(),
        "poll" => format!("Poll model of {}", p("scenario")),
        "bootstrap" => format!("Bootstrap of {}", p("ballots")),
        other => other.to_owned(),
    }
}

/// The text report.
pub fn text(r: &Report) -> String {
    let c = &r.counts;
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(r));
    let _ = writeln!(
        out,
        "A Condorcet winner in {} of electorates; rates ± one Monte Carlo standard error, in points.",
        cell(c.condorcet_winner_rate())
    );
    let shown: Vec<&Metric> = METRICS.iter().filter(|(key, ..)| measured(c, key)).collect();
    let name_w = c.rules.iter().map(|r| r.rule.len()).max().unwrap_or(4).max(4);
    let _ = write!(out, "\n  {:name_w$}", "rule");
    for (_, head, _) in &shown {
        let _ = write!(out, "  {head:>15}");
    }
    let _ = writeln!(out);
    for i in 0..c.rules.len() {
        let e = c.rule_estimates(i);
        let _ = write!(out, "  {:name_w$}", c.rules[i].rule);
        for (_, _, get) in &shown {
            let _ = write!(out, "  {:>15}", cell(get(&e)));
        }
        let _ = writeln!(out);
    }
    if named(r) {
        let _ = writeln!(out, "\nWin probability:");
        let w = r.candidates.iter().map(String::len).max().unwrap_or(9).max(9);
        let _ = write!(out, "  {:w$}", "candidate");
        for rule in &c.rules {
            let _ = write!(out, "  {:>15}", rule.rule);
        }
        let _ = writeln!(out);
        for (ci, name) in r.candidates.iter().enumerate() {
            let _ = write!(out, "  {name:w$}");
            for i in 0..c.rules.len() {
                let _ = write!(out, "  {:>15}", cell(c.rule_estimates(i).win_probability[ci]));
            }
            let _ = writeln!(out);
        }
    }
    let _ = writeln!(
        out,
        "\nCondorcet eff.: elects the Condorcet winner, of electorates with one. VSE: (winner's mean utility − \
         average candidate's) ÷ (best's − average's). spoiler: some loser's withdrawal changes the winner. \
         Condorcet loser, majority loser (ranked last by a majority), tie-break (decided the winner): of all \
         electorates.{}",
        if measured(c, "monotonicity_failure_rate") {
            " monotonicity ≥, no-show ≥: paradoxes the audit's search found and proved, so lower bounds \
             (runoff rules only)."
        } else {
            ""
        }
    );
    out
}

/// The CSV: one row per rule and metric.
pub fn csv(r: &Report) -> String {
    let c = &r.counts;
    let mut out = String::from("rule,metric,value,mc_error\n");
    let _ = writeln!(
        out,
        ",condorcet_winner_rate,{}",
        c.condorcet_winner_rate().map_or(",".into(), |e| format!("{},{}", e.value, e.mc_error))
    );
    for i in 0..c.rules.len() {
        let e = c.rule_estimates(i);
        for (key, _, get) in METRICS {
            if let Some(v) = get(&e) {
                let _ = writeln!(out, "{},{key},{},{}", c.rules[i].rule, v.value, v.mc_error);
            }
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The SVG chart: one panel per metric (Condorcet efficiency, and voter
/// satisfaction and the spoiler rate when measured), one row per rule, a dot
/// at the estimate and a bar of ± two standard errors.
pub fn svg(r: &Report) -> String {
    let c = &r.counts;
    let panels: Vec<&Metric> = METRICS.iter().take(3).filter(|(key, ..)| measured(c, key)).collect();
    let (left, top, panel_w, gap, row_h) = (150.0, 80.0, 240.0, 30.0, 20.0);
    let n = c.rules.len() as f64;
    let width = left + panels.len() as f64 * (panel_w + gap) + 10.0;
    let height = top + n * row_h + 60.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(s, r#"<text x="10" y="24" font-size="16" font-weight="bold">{}</text>"#, esc(&headline(r)));
    let _ = writeln!(
        s,
        r##"<text x="10" y="44" fill="#555">Dots: estimates; bars: ± two Monte Carlo standard errors. A Condorcet winner in {} of electorates.</text>"##,
        esc(&cell(c.condorcet_winner_rate()))
    );
    for (i, rule) in c.rules.iter().enumerate() {
        let y = top + (i as f64 + 0.5) * row_h;
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 8.0,
            y + 4.0,
            esc(&rule.rule)
        );
    }
    for (p, (_, head, get)) in panels.iter().enumerate() {
        let x0 = left + p as f64 * (panel_w + gap);
        let px = |v: f64| x0 + v.clamp(0.0, 1.0) * panel_w;
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-weight="bold">{}</text>"#,
            x0 + panel_w / 2.0,
            top - 12.0,
            esc(head)
        );
        for t in 0..=4 {
            let v = f64::from(t) / 4.0;
            let x = px(v);
            let _ = writeln!(
                s,
                r##"<line x1="{x:.1}" x2="{x:.1}" y1="{top}" y2="{:.1}" stroke="#ddd"/>"##,
                top + n * row_h
            );
            let _ = writeln!(
                s,
                r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{}%</text>"#,
                top + n * row_h + 16.0,
                t * 25
            );
        }
        for i in 0..c.rules.len() {
            let Some(e) = get(&c.rule_estimates(i)) else { continue };
            let y = top + (i as f64 + 0.5) * row_h;
            let (lo, hi) = (px(e.value - 2.0 * e.mc_error), px(e.value + 2.0 * e.mc_error));
            let _ = writeln!(
                s,
                r##"<line x1="{lo:.1}" x2="{hi:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#0072B2" stroke-width="2"/>"##
            );
            let _ = writeln!(
                s,
                r##"<circle cx="{:.1}" cy="{y:.1}" r="4" fill="#0072B2"><title>{}: {}</title></circle>"##,
                px(e.value),
                esc(&c.rules[i].rule),
                esc(&cell(Some(e)))
            );
        }
    }
    s.push_str("</svg>\n");
    s
}
