//! Counts and audits of an uploaded ballot file: the bytes of the request
//! body read as `tally` and `audit` read a file (every format they read),
//! counted by the same rules, and answered with the same JSON objects.
//! The upload is never written anywhere; `name` only labels messages and
//! lets the format be told from an extension.

use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::Duration;

use psephos::analysis::{rules_for, AuditOptions, SearchControl};
use psephos::{CountError, CountOptions, Election, NormalisePolicy, Profile, Rule, TieBreak};
use psephos_io::cardinal_csv::{self, CardinalCsvOptions};
use psephos_io::csv_ballots::{parse_delimiter, CsvOptions};
use psephos_io::{Format, ReadOptions};
use psephos_report::declared::Declared;
use psephos_report::tally::{Outcome, Source};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::query::Query;
use crate::Limits;

/// The parameters of `POST /api/tally` and `POST /api/audit` that say how
/// to read a CSV upload (see [`csv_options`]).
pub const CSV_KEYS: &[&str] = &[
    "delimiter",
    "csv_layout",
    "candidates",
    "overvote_label",
    "undervote_label",
    "writein_label",
    "weight_column",
    "ignore_column",
];

/// The parameters of `POST /api/tally`, besides [`CSV_KEYS`].
pub const TALLY_KEYS: &[&str] = &[
    "rule",
    "all_rules",
    "seats",
    "format",
    "contest",
    "approval",
    "scores",
    "policy",
    "overvote",
    "skipped",
    "duplicates",
    "equal_ranks",
    "tie_break",
    "seed",
    "withdraw",
    "name",
    "charts",
    "output",
];

/// The parameters of `POST /api/audit`, besides [`CSV_KEYS`].
pub const AUDIT_KEYS: &[&str] = &[
    "rule",
    "seats",
    "format",
    "contest",
    "policy",
    "overvote",
    "skipped",
    "duplicates",
    "equal_ranks",
    "tie_break",
    "seed",
    "withdraw",
    "name",
    "thorough",
    "charts",
];

/// What a count answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// `tally --json`'s object.
    Json,
    /// `tally --csv`'s rows.
    Csv,
    /// RCTab's detailed-report JSON of the first rule counted.
    Rctab,
}

/// A ballot file read, normalised and ready to count.
struct Read {
    source: Source,
    election: Election,
    declared: Declared,
    withdrawn: Vec<String>,
}

/// The ballots of the body, read as the query says, with the candidates of
/// `withdraw` withdrawn (their voters' next choices move up).
fn read(q: &Query, body: &[u8], rules_given: bool) -> Result<Read, ApiError> {
    let name = q.one("name")?.unwrap_or("upload").to_owned();
    let seats: Option<u32> = q.parsed("seats")?;
    let approval = q.flag("approval")?;
    let scores: Option<u16> = q.parsed("scores")?;
    let cardinal = if approval { Some(1) } else { scores };
    let (source, election, declared) = match cardinal {
        Some(0) => return Err(ApiError::bad("scores=0: the highest score must be at least 1")),
        Some(max) => {
            let csv = csv_options(q)?;
            let mut options = CardinalCsvOptions::scores(max);
            if let Some(d) = csv.delimiter {
                options.delimiter = d;
            }
            options.id_columns.extend(q.all("ignore_column").map(str::to_owned));
            let file = cardinal_csv::read(&name, body, &options).map_err(|e| ApiError::bad(e.to_string()))?;
            let max = file.ballots.max_score();
            let election = Election::from_cardinal(file.candidates, seats.unwrap_or(1), file.ballots)
                .map_err(|e| ApiError::bad(format!("{name}: cannot set up the count: {e}")))?;
            let source = Source {
                title: name.clone(),
                name: name.clone(),
                format: Format::Csv,
                max_score: Some(max),
                conversion: None,
                converted: Vec::new(),
            };
            (source, election, Declared::default())
        }
        None => {
            let format: Option<Format> = q.parsed("format")?;
            let read = ReadOptions { format, csv: csv_options(q)?, contest: q.one("contest")?.map(str::to_owned) };
            let file = psephos_io::read_bytes(&name, body, &read).map_err(|e| ApiError::bad(e.to_string()))?;
            let declared = Declared::of(&name, &file, rules_given);
            let title = file.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| name.clone());
            let source = Source {
                title,
                name: name.clone(),
                format: file.format,
                max_score: None,
                conversion: None,
                converted: Vec::new(),
            };
            let seats = seats.or(file.seats).unwrap_or(1);
            let election = Election::from_raw(file.candidates, seats, file.ballots, policy(q)?)
                .map_err(|e| ApiError::bad(format!("{name}: cannot set up the count: {e}")))?;
            (source, election, declared)
        }
    };
    let mut election = election;
    let mut withdrawn = Vec::new();
    for who in q.all("withdraw") {
        let Some(id) = election.candidates.id_of(who) else {
            let names: Vec<&str> = election.candidates.iter().map(|(_, c)| c.name.as_str()).collect();
            return Err(ApiError::bad(format!(
                "withdraw={who}: no such candidate; the candidates are {}",
                names.join(", ")
            )));
        };
        election = election.without(id);
        withdrawn.push(who.to_owned());
    }
    if election.total_ballots() == 0 {
        return Err(ApiError::unprocessable(format!(
            "{}: there are no ballots to count, so nobody is elected",
            source.name
        )));
    }
    Ok(Read { source, election, declared, withdrawn })
}

/// The normalisation policies: the `policy` preset, with any policy given
/// one by one in its place (as `--policy` and `--overvote` … on the command line).
fn policy(q: &Query) -> Result<NormalisePolicy, ApiError> {
    let preset = match q.one("policy")? {
        Some(p) => NormalisePolicy::preset(p).map_err(|e| ApiError::bad(format!("policy={p}: {e}")))?,
        None => NormalisePolicy::default(),
    };
    Ok(NormalisePolicy {
        overvote: q.parsed("overvote")?.unwrap_or(preset.overvote),
        skipped: q.parsed("skipped")?.unwrap_or(preset.skipped),
        duplicates: q.parsed("duplicates")?.unwrap_or(preset.duplicates),
        equal_ranks: q.parsed("equal_ranks")?.unwrap_or(preset.equal_ranks),
    })
}

/// The tie-break chain, seeded; a chain that draws lots needs a seed.
fn tie_break(q: &Query, declared: &Declared) -> Result<CountOptions, ApiError> {
    let chain: TieBreak = q.parsed("tie_break")?.unwrap_or_default();
    let seed: Option<u64> = q.parsed("seed")?;
    let chain = match (chain.is_random(), seed) {
        (true, Some(s)) => chain.with_seed(s),
        (true, None) => {
            return Err(ApiError::bad(format!(
                "the tie-break chain `{chain}` draws lots: give seed=N so the result can be repeated"
            )))
        }
        (false, _) => chain,
    };
    Ok(CountOptions { tie_break: declared.tie_break(chain) })
}

/// How to read CSV ballots, as `tally`'s CSV options say it: `delimiter`,
/// `csv_layout`, `candidates` (comma-separated), `overvote_label`,
/// `undervote_label` and `writein_label` (each repeatable, replacing the
/// defaults), `weight_column`, `ignore_column` (repeatable).
fn csv_options(q: &Query) -> Result<CsvOptions, ApiError> {
    let mut o = CsvOptions::default();
    if let Some(d) = q.one("delimiter")? {
        let d = parse_delimiter(d)
            .ok_or_else(|| ApiError::bad(format!("delimiter={d}: give one ASCII character (or \\t)")))?;
        o.delimiter = Some(d);
    }
    o.layout = q.parsed("csv_layout")?.unwrap_or_default();
    let candidates: Vec<String> =
        q.all("candidates").flat_map(|c| c.split(',')).map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
    if !candidates.is_empty() {
        o.candidates = Some(candidates);
    }
    let labels = |key| q.all(key).map(str::to_owned).collect::<Vec<String>>();
    o = o.with_labels(&labels("overvote_label"), &labels("undervote_label"), &labels("writein_label"));
    o.weight_column = q.one("weight_column")?.map(str::to_owned);
    o.id_columns.extend(q.all("ignore_column").map(str::to_owned));
    Ok(o)
}

/// The rules asked for.
fn rules(q: &Query) -> Result<Vec<Rule>, ApiError> {
    q.all("rule").map(|r| r.parse::<Rule>().map_err(|e| ApiError::bad(format!("rule={r}: {e}")))).collect()
}

/// A count error as the command line words it, naming the rule.
fn count_error(rule: &Rule, e: &CountError, election: &Election) -> ApiError {
    ApiError::unprocessable(format!("rule {rule}: {}", psephos_report::count_error_message(e, election)))
}

/// What a count answers: a JSON object, or text (CSV, RCTab JSON).
pub enum Answer {
    /// A JSON object.
    Json(Value),
    /// Text with its content type.
    Text(&'static str, String),
}

/// `POST /api/tally`.
pub fn tally(q: &Query, body: &[u8], limits: &Limits) -> Result<Answer, ApiError> {
    let output = match q.one("output")? {
        None | Some("json") => Output::Json,
        Some("csv") => Output::Csv,
        Some("rctab") => Output::Rctab,
        Some(o) => return Err(ApiError::bad(format!("output={o}: give json, csv or rctab"))),
    };
    let all_rules = q.flag("all_rules")?;
    let asked = rules(q)?;
    if all_rules && !asked.is_empty() {
        return Err(ApiError::bad("give rule=… or all_rules, not both"));
    }
    if asked.len() > limits.max_rules {
        return Err(ApiError::unprocessable(format!(
            "{} rules asked for; this server counts at most {} in one request",
            asked.len(),
            limits.max_rules
        )));
    }
    let read = read(q, body, all_rules || !asked.is_empty())?;
    let Read { source, election, declared, withdrawn } = read;
    let options = tie_break(q, &declared)?;
    let rules: Vec<Rule> = if all_rules {
        psephos::CATALOGUE.iter().map(|r| r.rule).collect()
    } else if !asked.is_empty() {
        asked
    } else {
        psephos_report::tally::default_rules(&election, declared.rule)
    };
    let mut outcomes = Vec::with_capacity(rules.len());
    for rule in &rules {
        match rule.count(&election, &options) {
            Ok(t) => outcomes.push(Outcome::Counted(t)),
            Err(CountError::Unsupported { rule, reason }) if all_rules => outcomes.push(Outcome::Refused(rule, reason)),
            Err(e) => return Err(count_error(rule, &e, &election)),
        }
    }
    match output {
        Output::Csv => {
            let mut out = Vec::new();
            psephos_report::csv::tally(&mut out, &election.candidates, &outcomes).map_err(|_| ApiError::internal())?;
            Ok(Answer::Text("text/csv; charset=utf-8", String::from_utf8_lossy(&out).into_owned()))
        }
        Output::Rctab => {
            let t = outcomes
                .iter()
                .find_map(|o| match o {
                    Outcome::Counted(t) => Some(t),
                    Outcome::Refused(..) => None,
                })
                .ok_or_else(|| ApiError::unprocessable("no rule counted these ballots"))?;
            let text = psephos_rctab::tabulation_json::rctab_json(&source.title, &election.candidates, t);
            Ok(Answer::Text("application/json", text))
        }
        Output::Json => {
            let mut v = psephos_report::json::tally(&source, &election, &outcomes);
            v["notes"] = json!(declared.notes);
            v["withdrawn"] = json!(withdrawn);
            if q.flag("charts")? {
                for (i, o) in outcomes.iter().enumerate() {
                    if let Outcome::Counted(t) = o {
                        let title = format!("{} — {}", source.title, t.rule);
                        v["results"][i]["charts"] = json!({
                            "rounds": psephos_report::charts::rounds(t, &election.candidates, &title),
                            "sankey": psephos_report::charts::sankey(t, &election.candidates, &title),
                        });
                        v["results"][i]["narrative"] = json!(psephos_report::text::narrative(t, &election.candidates));
                    }
                }
            }
            Ok(Answer::Json(v))
        }
    }
}

/// `POST /api/audit`.
pub fn audit(q: &Query, body: &[u8], limits: &Limits) -> Result<Value, ApiError> {
    let asked = rules(q)?;
    if asked.len() > limits.max_rules {
        return Err(ApiError::unprocessable(format!(
            "{} rules asked for; this server audits at most {} in one request",
            asked.len(),
            limits.max_rules
        )));
    }
    if q.one("approval")?.is_some() || q.one("scores")?.is_some() {
        return Err(ApiError::bad("the audit reads ranked ballots"));
    }
    // The audit chooses its own rules: a [droop] rule is not taken up.
    let Read { source, election, declared, .. } = read(q, body, true)?;
    let standing = election.candidates.standing().count();
    if standing > limits.max_audit_candidates {
        return Err(ApiError::unprocessable(format!(
            "{standing} standing candidates; this server audits at most {} (the audit recounts once per \
             candidate withdrawn): run `psephos audit` on your own machine",
            limits.max_audit_candidates
        )));
    }
    let rules = if asked.is_empty() { rules_for(&election) } else { asked };
    if let Some(r) = rules.iter().find(|r| !r.accepts(&election.profile)) {
        return Err(ApiError::unprocessable(format!("rule {r} does not count {} ballots", election.profile.kind())));
    }
    let mut options = if q.flag("thorough")? { AuditOptions::thorough() } else { AuditOptions::standard() };
    options.count = tie_break(q, &declared)?;
    options.control = SearchControl::new();
    let audit = watched(&election, &rules, &options, limits.audit_budget)?;
    let budget = Some(limits.audit_budget.as_secs());
    let mut v = psephos_report::audit::json(&source.name, &source.title, &election, &audit, budget);
    v["notes"] = json!(declared.notes);
    if q.flag("charts")? {
        if let (Some(r), Profile::Ranked(_)) = (&audit.condorcet, &election.profile) {
            v["charts"] = json!({
                "heatmap": psephos_report::charts::heatmap(&r.matrix, &election.candidates, &format!("{} — head to head", source.title)),
            });
        }
    }
    Ok(v)
}

/// The audit, its searches stopped once `budget` has passed.
fn watched(
    election: &Election,
    rules: &[Rule],
    options: &AuditOptions,
    budget: Duration,
) -> Result<psephos::analysis::Audit, ApiError> {
    let (done, finished) = channel::<()>();
    let control = options.control.clone();
    std::thread::scope(|s| {
        s.spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(budget) {
                control.stop();
            }
        });
        let audit = psephos::analysis::audit(election, rules, options);
        drop(done);
        audit
    })
    .map_err(|e| ApiError::unprocessable(psephos_report::count_error_message(&e, election)))
}
