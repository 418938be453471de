//! The report of `psephos simulate`: win probabilities from a poll
//! scenario as text, as the `--json` object, and the plain-language verdict,
//! spoiler paragraph and track record.

use std::fmt::Write;

use psephos::Rule;
use psephos_sim::backtest::LONDON_RECORD;
use psephos_sim::calibration::ErrorParams;
use psephos_sim::{RaceSummary, Scenario, SpoilerTally, Summary};
use serde_json::{json, Map, Value};

use crate::text::thousands;

/// How a rule is named in a sentence.
pub fn rule_phrase(rule: &Rule) -> String {
    match rule.id() {
        "plurality" => "first past the post".into(),
        "supplementary-vote" => "the Supplementary Vote".into(),
        "contingent-vote" => "the contingent vote".into(),
        "two-round" => "a two-round runoff".into(),
        "irv" => "instant-runoff voting".into(),
        _ => rule.to_string(),
    }
}

/// A short name for a rule in sentences that list several.
pub fn rule_short(rule: &Rule) -> String {
    match rule.id() {
        "plurality" => "FPTP".into(),
        "supplementary-vote" => "SV".into(),
        "irv" => "IRV".into(),
        "two-round" => "two-round".into(),
        _ => rule.to_string(),
    }
}

/// `0.4231` → `42.3%`, with `<0.1%` and `>99.9%` at the ends.
pub fn pct(p: f64) -> String {
    if p > 0.0 && p < 0.0005 {
        "<0.1%".into()
    } else if p < 1.0 && p > 0.9995 {
        ">99.9%".into()
    } else {
        format!("{:.1}%", p * 100.0)
    }
}

/// Candidates counted in a race (the entrant is left out of the base race).
fn in_race(scenario: &Scenario, base: bool) -> Vec<(usize, String)> {
    let names = scenario.names();
    let n = if base { scenario.candidates.len() } else { names.len() };
    names.iter().take(n).enumerate().map(|(i, s)| (i, (*s).to_owned())).collect()
}

/// The most likely winner under a rule.
fn leader(race: &RaceSummary, rule: usize, names: &[(usize, String)]) -> (String, f64) {
    names
        .iter()
        .map(|(c, name)| (name.clone(), race.win_probability(rule, *c)))
        .fold((String::new(), -1.0), |best, x| if x.1 > best.1 { x } else { best })
}

fn race_table(out: &mut String, race: &RaceSummary, rules: &[Rule], names: &[(usize, String)]) {
    let w = names.iter().map(|(_, n)| n.len()).max().unwrap_or(0).max(9);
    let col = |r: &Rule| r.to_string().len().max(15);
    let _ = write!(out, "  {:w$}  {:>6}  {:>13}", "candidate", "median", "80% interval");
    for r in rules {
        let _ = write!(out, "  {:>c$}", r.to_string(), c = col(r));
    }
    let _ = writeln!(out);
    let mut order: Vec<&(usize, String)> = names.iter().collect();
    order.sort_by(|a, b| race.share_quantile(b.0, 0.5).total_cmp(&race.share_quantile(a.0, 0.5)).then(a.0.cmp(&b.0)));
    for (c, name) in order {
        let interval = format!("{:.1}–{:.1}", race.share_quantile(*c, 0.1), race.share_quantile(*c, 0.9));
        let _ = write!(out, "  {name:w$}  {:>6.1}  {interval:>13}", race.share_quantile(*c, 0.5));
        for (ri, r) in rules.iter().enumerate() {
            let cell = format!("{} ±{:.1}", pct(race.win_probability(ri, *c)), race.mc_error(ri, *c) * 100.0);
            let _ = write!(out, "  {cell:>c$}", c = col(r));
        }
        let _ = writeln!(out);
    }
}

/// The text report.
pub fn text(scenario: &Scenario, s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", scenario.title);
    let _ = writeln!(
        out,
        "{} simulated elections, seed {}; poll of {} with systematic error {:.1} points (at 50%, {} tails{}); {} \
         valid votes.",
        thousands(s.draws),
        s.seed,
        thousands(scenario.sample_size),
        scenario.systematic_error,
        scenario.tails,
        if scenario.favourite_bias == 0.0 {
            String::new()
        } else {
            format!(", favourite's lead cut by {:.1}", scenario.favourite_bias)
        },
        thousands(scenario.valid_votes)
    );
    let _ =
        writeln!(out, "Shares are first-round % (median, 80% interval); win chances ± one Monte Carlo standard error.");
    let names = in_race(scenario, false);
    let entrant = scenario.entrant.as_ref().map(|e| e.name.clone());
    let _ = writeln!(out);
    match &entrant {
        Some(e) => {
            let _ = writeln!(out, "With {e}:");
        }
        None => {
            let _ = writeln!(out, "Race:");
        }
    }
    race_table(&mut out, &s.race, &s.rules, &names);
    let base_names = in_race(scenario, true);
    if let (Some(base), Some(e)) = (&s.base, &entrant) {
        let _ = writeln!(out, "\nWithout {e} (base race, same draws):");
        race_table(&mut out, base, &s.rules, &base_names);
    }
    let _ = writeln!(out, "\n{}", verdict(scenario, s));
    if let Some(spoilers) = &s.spoilers {
        let _ = writeln!(out, "\n{}", spoiler_text(scenario, s, spoilers));
    }
    let _ = writeln!(out, "\n{}", track_record(scenario));
    out
}

/// Whether the scenario uses the default error model, so that its track
/// record applies.
fn default_errors(scenario: &Scenario) -> bool {
    ErrorParams::of(scenario) == ErrorParams::DEFAULT
}

/// The sentence on how the default error model has done out of sample.
pub fn track_record(scenario: &Scenario) -> String {
    let r = &LONDON_RECORD;
    let mut s = format!(
        "Track record: out of sample, {} of {} actual first-round shares ({}) fell inside this model's 95% \
         intervals and {} ({}) inside its 80% intervals across {} London mayoral elections ({}–{}; \
         `psephos backtest --all`).",
        r.inside_95,
        r.candidate_elections,
        pct(r.coverage_95()),
        r.inside_80,
        pct(r.coverage_80()),
        r.elections,
        r.first_year,
        r.last_year
    );
    if !default_errors(scenario) {
        s.push_str(" This scenario sets its own error model, so the record is the default model's, not its own.");
    }
    s
}

fn track_record_json(scenario: &Scenario) -> Value {
    let r = &LONDON_RECORD;
    json!({
        "calibration": "leave-one-election-out",
        "model": r.model,
        "elections": r.elections,
        "years": [r.first_year, r.last_year],
        "candidate_elections": r.candidate_elections,
        "coverage_80": r.coverage_80(),
        "coverage_95": r.coverage_95(),
        "winner_log_score": r.winner_log_score,
        "winner_brier": r.winner_brier,
        "applies_to_this_scenario": default_errors(scenario),
        "sentence": track_record(scenario),
    })
}

/// Candidates by how often they were spoilers under a rule, most often
/// first (candidate order on equal counts), leaving out those never one.
fn spoilers_by_frequency(spoilers: &SpoilerTally, rule: usize, names: &[(usize, String)]) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> =
        names.iter().filter(|(c, _)| spoilers.spoiler_draws(rule, *c) > 0).cloned().collect();
    out.sort_by_key(|(c, _)| std::cmp::Reverse(spoilers.spoiler_draws(rule, *c)));
    out
}

/// The spoiler paragraph: one sentence per rule.
pub fn spoiler_text(scenario: &Scenario, s: &Summary, spoilers: &SpoilerTally) -> String {
    let names = in_race(scenario, false);
    let name_of = |c: usize| names[c].1.as_str();
    let mut out = String::from(
        "Spoilers (losing candidates whose withdrawal from the ballots, their voters' next choices moving up, \
         changes the winner), in % of simulations ± one Monte Carlo standard error, with whom they most often \
         hurt (the winner without them) and helped:",
    );
    for (ri, r) in s.rules.iter().enumerate() {
        let listed = spoilers_by_frequency(spoilers, ri, &names);
        let _ = write!(out, "\n  Under {}, ", rule_phrase(r));
        if listed.is_empty() {
            let _ = write!(out, "no candidate is a spoiler in any simulation.");
            continue;
        }
        let parts: Vec<String> = listed
            .iter()
            .enumerate()
            .map(|(i, (c, name))| {
                let p = format!("{} ±{:.1}", pct(spoilers.probability(ri, *c)), spoilers.mc_error(ri, *c) * 100.0);
                let who = match (spoilers.most_hurt(ri, *c), spoilers.most_helped(ri, *c)) {
                    (Some(h), Some(w)) => format!(" (hurting {}, helping {})", name_of(h), name_of(w)),
                    _ => String::new(),
                };
                if i == 0 {
                    format!("{name} is a spoiler in {p} of simulations{who}")
                } else {
                    format!("{name} in {p}{who}")
                }
            })
            .collect();
        let _ = write!(out, "{}.", parts.join("; "));
    }
    if let Some(e) = &scenario.entrant {
        let _ = write!(
            out,
            "\n{0} as a spoiler and {0}'s candidacy changing the winner are different questions: the base race \
             hands {0}'s voters back to the candidates they came from, a withdrawal moves them to their next \
             choices.",
            e.name
        );
    }
    out
}

/// The `spoilers` object of `--json`: per rule, every candidate of the race
/// (most often a spoiler first) with the share of simulations in which they
/// were a spoiler and, per candidate hurt or helped, the share of
/// simulations in which they hurt or helped them (these add up to the
/// spoiler probability).
pub fn spoiler_json(scenario: &Scenario, s: &Summary, spoilers: &SpoilerTally) -> Value {
    let names = in_race(scenario, false);
    let draws = spoilers.draws().max(1) as f64;
    let by_name = |counts: Vec<u64>| -> Map<String, Value> {
        counts
            .iter()
            .enumerate()
            .filter(|(_, &k)| k > 0)
            .map(|(c, &k)| (names[c].1.clone(), json!(k as f64 / draws)))
            .collect()
    };
    let mut out = Map::new();
    for (ri, r) in s.rules.iter().enumerate() {
        let mut order: Vec<&(usize, String)> = names.iter().collect();
        order.sort_by_key(|(c, _)| std::cmp::Reverse(spoilers.spoiler_draws(ri, *c)));
        let rows: Vec<Value> = order
            .into_iter()
            .map(|(c, name)| {
                json!({
                    "candidate": name,
                    "probability": spoilers.probability(ri, *c),
                    "mc_error": spoilers.mc_error(ri, *c),
                    "hurts": by_name(spoilers.hurt_draws(ri, *c)),
                    "helps": by_name(spoilers.helped_draws(ri, *c)),
                })
            })
            .collect();
        out.insert(r.to_string(), Value::Array(rows));
    }
    Value::Object(out)
}

/// The plain-language verdict.
pub fn verdict(scenario: &Scenario, s: &Summary) -> String {
    let names = in_race(scenario, false);
    let mut parts = Vec::new();
    for (ri, r) in s.rules.iter().enumerate() {
        let (who, p) = leader(&s.race, ri, &names);
        let phrase = rule_phrase(r);
        if parts.is_empty() {
            parts.push(format!("Under {phrase}, {who} wins in {} of simulated elections", pct(p)));
        } else {
            parts.push(format!("under {phrase}, {who} wins in {}", pct(p)));
        }
    }
    let mut v = parts.join("; ") + ".";
    if let (Some(base), Some(e)) = (&s.base, &scenario.entrant) {
        let base_names = in_race(scenario, true);
        let (who, p) = leader(base, 0, &base_names);
        let _ = write!(v, " Without {}, {who} wins in {} under {}.", e.name, pct(p), rule_phrase(&s.rules[0]));
        let changes: Vec<String> = s
            .rules
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let of = if ri == 0 { " of simulations" } else { "" };
                format!("{}{of} under {}", pct(s.change_probability(ri)), rule_short(r))
            })
            .collect();
        let list = match changes.len() {
            1 => changes[0].clone(),
            k => format!("{} and {}", changes[..k - 1].join(", "), changes[k - 1]),
        };
        let _ = write!(v, " {}'s candidacy changes the winner in {list}.", e.name);
    }
    v
}

fn results_json(race: &RaceSummary, rules: &[Rule], names: &[(usize, String)]) -> Value {
    let results: Vec<Value> = rules
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let mut p = Map::new();
            let mut e = Map::new();
            for (c, name) in names {
                p.insert(name.clone(), json!(race.win_probability(ri, *c)));
                e.insert(name.clone(), json!(race.mc_error(ri, *c)));
            }
            json!({"rule": r.to_string(), "win_probability": p, "mc_error": e})
        })
        .collect();
    let mut shares = Map::new();
    for (c, name) in names {
        shares.insert(
            name.clone(),
            json!({
                "median": race.share_quantile(*c, 0.5),
                "p10": race.share_quantile(*c, 0.1),
                "p90": race.share_quantile(*c, 0.9),
            }),
        );
    }
    json!({"results": results, "first_round_share": shares})
}

/// The `--json` object.
pub fn json(origin: &str, scenario: &Scenario, s: &Summary) -> Value {
    let names = in_race(scenario, false);
    let race = results_json(&s.race, &s.rules, &names);
    let mut out = json!({
        "scenario": origin,
        "title": scenario.title,
        "draws": s.draws,
        "seed": s.seed,
        "results": race["results"],
        "first_round_share": race["first_round_share"],
    });
    if let Some(base) = &s.base {
        out["base"] = results_json(base, &s.rules, &in_race(scenario, true));
        let mut changes = Map::new();
        for (ri, r) in s.rules.iter().enumerate() {
            changes.insert(r.to_string(), json!(s.change_probability(ri)));
        }
        out["entrant"] = json!(scenario.entrant.as_ref().map(|e| e.name.clone()));
        out["entrant_changes_winner"] = Value::Object(changes);
    }
    if let Some(spoilers) = &s.spoilers {
        out["spoilers"] = spoiler_json(scenario, s, spoilers);
    }
    out["verdict"] = json!(verdict(scenario, s));
    out["track_record"] = track_record_json(scenario);
    out
}
