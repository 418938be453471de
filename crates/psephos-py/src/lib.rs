//! The Python module `psephos._psephos`: elections read from every format
//! `psephos tally` reads or built from numpy arrays, counted, audited and
//! simulated by the same code as the command line, which also builds every
//! JSON object (the command line's renderers, shared through the
//! `psephos_cli` library). Counts run with the interpreter's lock released.
//!
//! The Python package `psephos` (in `python/`) re-exports this module and
//! adds the pref_voting adapters.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use psephos::{Candidates, CountOptions, Election, ElectionError, Rule, Tabulation};
use psephos_cli::args::{CountArgs, DrawArgs, PolicyArgs};
use psephos_cli::commands::tally::{self as tally_cmd, TallyArgs};
use psephos_cli::commands::{audit as audit_cmd, scenarios, study as study_cmd};
use psephos_report::tally::Outcome;

/// Rust's allocations in the extension go to the system allocator as
/// before, with huge pages advised for large blocks, as in the `psephos`
/// binary (Python's own objects are the interpreter's).
#[global_allocator]
static ALLOCATOR: psephos_cli::alloc::HugePages = psephos_cli::alloc::HugePages;
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::Value;

mod rankings;

create_exception!(
    psephos,
    ReadError,
    PyValueError,
    "A ballot file, a scenario or an array of rankings could not be read; the message is the command line's."
);
create_exception!(
    psephos,
    CountError,
    PyValueError,
    "A count could not be made (unknown rule, wrong ballot kind, unresolved tie, bad seats); the message is the command line's."
);

/// An error's message with its causes, as the command line prints it.
fn message(err: &anyhow::Error) -> String {
    format!("{err:#}")
}

fn read_error(err: anyhow::Error) -> PyErr {
    ReadError::new_err(message(&err))
}

fn count_error(err: anyhow::Error) -> PyErr {
    CountError::new_err(message(&err))
}

/// A JSON value as Python objects (dicts, lists, str, int, float, None).
fn to_python(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

/// A clap parser over arguments given as Python keywords: `key=value`
/// becomes `--key value` (underscores as dashes), `True` a bare flag,
/// `False` and `None` nothing, a list one `--key item` per item.
fn keyword_args(kwargs: &[(String, Bound<'_, PyAny>)]) -> PyResult<Vec<String>> {
    let mut argv = Vec::new();
    for (key, value) in kwargs {
        let flag = format!("--{}", key.replace('_', "-"));
        if value.is_none() {
            continue;
        }
        if let Ok(b) = value.extract::<bool>() {
            if value.is_instance_of::<pyo3::types::PyBool>() {
                if b {
                    argv.push(flag);
                }
                continue;
            }
        }
        if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
            for item in value.try_iter()? {
                argv.push(flag.clone());
                argv.push(item?.str()?.to_string());
            }
            continue;
        }
        argv.push(flag);
        argv.push(value.str()?.to_string());
    }
    Ok(argv)
}

/// Parses `argv` as `T`'s arguments; a clap error becomes `error` with the
/// first line of clap's message.
fn parse_args<T: Parser>(argv: Vec<String>, error: fn(String) -> PyErr) -> PyResult<T> {
    T::try_parse_from(argv).map_err(|e| {
        let text = e.to_string();
        let first = text.lines().next().unwrap_or_default();
        error(first.trim_start_matches("error: ").to_owned())
    })
}

/// `psephos.read`'s arguments: those of `psephos tally` that say how to read.
#[derive(Parser)]
#[command(name = "psephos.read", no_binary_name = true)]
struct ReadCommand {
    #[command(flatten)]
    tally: TallyArgs,
}

/// Normalisation policies given as keywords.
#[derive(Parser)]
#[command(name = "policy", no_binary_name = true)]
struct PolicyCommand {
    #[command(flatten)]
    policies: PolicyArgs,
}

/// The keywords `psephos.read` takes besides the path, format and policy.
const READ_OPTIONS: [&str; 15] = [
    "overvote",
    "skipped",
    "duplicates",
    "equal_ranks",
    "seats",
    "approval",
    "scores",
    "delimiter",
    "csv_layout",
    "candidates",
    "overvote_label",
    "undervote_label",
    "writein_label",
    "weight_column",
    "ignore_column",
];

/// The policy argument: a preset name, or a dict of policies (`overvote`,
/// `skipped`, `duplicates`, `equal_ranks`, `policy` for the preset).
fn policy_keywords<'py>(policy: Option<&Bound<'py, PyAny>>) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
    let Some(p) = policy else { return Ok(Vec::new()) };
    if p.is_instance_of::<PyString>() {
        return Ok(vec![("policy".to_owned(), p.clone())]);
    }
    let dict = p.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err("policy: a preset name (standard, maine, london) or a dict such as {'overvote': 'skip'}")
    })?;
    let mut out = Vec::new();
    for (k, v) in dict.iter() {
        let key: String = k.extract()?;
        if !["policy", "overvote", "skipped", "duplicates", "equal_ranks"].contains(&key.as_str()) {
            return Err(PyTypeError::new_err(format!(
                "policy: unknown key `{key}` (policy, overvote, skipped, duplicates, equal_ranks)"
            )));
        }
        out.push((key, v));
    }
    Ok(out)
}

/// An election: candidates, seats and normalised ballots, ready to count.
///
/// Made by `psephos.read(path)`, `Election.from_rankings(array)` or
/// `Election.from_pref_voting(profile)`. Immutable: counting never changes it.
#[pyclass(name = "Election", module = "psephos", frozen)]
pub struct PyElection {
    election: Arc<Election>,
    /// The file as named, or `<rankings>`.
    name: String,
    /// The file's title, else its name.
    title: String,
    /// The format read (`blt`, `preflib`, `csv`), or `None` for arrays.
    format: Option<String>,
    /// What the file declares that a count takes up ([tie] order, [droop] rule).
    declared: psephos_report::declared::Declared,
}

impl PyElection {
    fn from_election(election: Election, name: &str) -> PyElection {
        PyElection {
            election: Arc::new(election),
            name: name.to_owned(),
            title: name.to_owned(),
            format: None,
            declared: psephos_report::declared::Declared::default(),
        }
    }

    /// The rule `tally` counts under when none is given: the file's
    /// declared rule, else the last of the command line's defaults (stv for
    /// several seats, irv for ranked ballots, approval, star).
    fn default_rule(&self, seats: u32) -> Rule {
        if let Some(r) = self.declared.rule {
            return r;
        }
        match self.election.profile {
            psephos::Profile::Approval(_) => Rule::Approval,
            psephos::Profile::Scored(_) => Rule::Star,
            _ if seats > 1 => Rule::Stv(psephos::rules::StvOptions::SCOTTISH),
            _ => Rule::Irv(psephos::rules::IrvOptions::default()),
        }
    }

    /// The election with `seats` to fill, checked as the core checks seats.
    fn with_seats(&self, seats: Option<u32>) -> PyResult<Arc<Election>> {
        let e = &self.election;
        let Some(seats) = seats.filter(|&s| s != e.seats) else { return Ok(e.clone()) };
        let standing = e.candidates.standing().count();
        if seats == 0 || seats as usize > standing {
            return Err(CountError::new_err(ElectionError::BadSeats { seats, standing }.to_string()));
        }
        let mut other = Election::clone(e);
        other.seats = seats;
        Ok(Arc::new(other))
    }

    fn count_options(&self, tie_break: Option<&str>, seed: Option<u64>) -> PyResult<CountOptions> {
        let mut args = CountArgs { seed, ..CountArgs::default() };
        if let Some(chain) = tie_break {
            args.tie_break = chain.parse().map_err(|e: psephos::TieBreakError| CountError::new_err(e.to_string()))?;
        }
        let chain = args.tie_break().map_err(count_error)?;
        Ok(CountOptions { tie_break: self.declared.tie_break(chain) })
    }
}

fn parse_rule(rule: &str) -> PyResult<Rule> {
    rule.parse::<Rule>().map_err(|e| CountError::new_err(e.to_string()))
}

#[pymethods]
impl PyElection {
    /// An election from rankings. `rankings` is a 2-D numpy array of integers
    /// (any integer dtype, any strides; read without a copy), one row per
    /// ballot holding candidate indices best first, `-1` for no choice: a row
    /// ending in `-1`s is a truncated ballot, a `-1` before a choice a skipped
    /// rank. Or a list of sequences, each entry an index, a candidate name,
    /// or a list of them ranked equal. `counts` gives each row's number of
    /// ballots (default 1 each). `candidates` names the candidates in index
    /// order (default "0", "1", ...; with names in the rankings, the order
    /// they first appear). The ballots are normalised under `policy` (a
    /// preset name or a dict, as in `psephos.read`).
    #[staticmethod]
    #[pyo3(signature = (rankings, counts=None, candidates=None, *, policy=None, seats=1))]
    fn from_rankings(
        py: Python<'_>,
        rankings: &Bound<'_, PyAny>,
        counts: Option<&Bound<'_, PyAny>>,
        candidates: Option<Vec<String>>,
        policy: Option<&Bound<'_, PyAny>>,
        seats: u32,
    ) -> PyResult<PyElection> {
        let policy = {
            let argv = keyword_args(&policy_keywords(policy)?)?;
            parse_args::<PolicyCommand>(argv, ReadError::new_err)?.policies.policy()
        };
        let counts = rankings::counts(counts)?;
        let (names, raw) = rankings::build(py, rankings, counts.as_deref(), candidates)?;
        let candidates = Candidates::from_names(names);
        let election = py
            .detach(|| Election::from_raw(candidates, seats, raw, policy))
            .map_err(|e| ReadError::new_err(format!("<rankings>: cannot set up the count: {e}")))?;
        Ok(PyElection::from_election(election, "<rankings>"))
    }

    /// An election from a pref_voting `Profile` (linear orders) or
    /// `ProfileWithTies` (equal ranks and truncation), restricted to
    /// `curr_cands` when given. Candidates are named as the profile's `cmap`
    /// shows them (when those names are distinct), else by `str(candidate)`.
    #[staticmethod]
    #[pyo3(signature = (profile, curr_cands=None))]
    fn from_pref_voting(
        py: Python<'_>,
        profile: &Bound<'_, PyAny>,
        curr_cands: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyElection> {
        let convert = py.import("psephos._convert")?.getattr("from_pref_voting")?;
        let (rows, counts, names): (Bound<'_, PyAny>, Bound<'_, PyAny>, Vec<String>) =
            convert.call1((profile, curr_cands))?.extract()?;
        PyElection::from_rankings(py, &rows, Some(&counts), Some(names), None, 1)
    }

    /// The candidates' names, in ballot-paper order (index order).
    #[getter]
    fn candidates(&self) -> Vec<String> {
        self.election.candidates.iter().map(|(_, c)| c.name.clone()).collect()
    }

    /// Seats to fill (the file's, else 1).
    #[getter]
    fn seats(&self) -> u32 {
        self.election.seats
    }

    /// The number of ballots (the sum of the counts).
    #[getter]
    fn ballots(&self) -> u64 {
        self.election.total_ballots()
    }

    /// The ballot kind: `ranked`, `approval` or `score`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.election.profile.kind()
    }

    /// The file as named, or `<rankings>` for an election built in Python.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// The election's title (the file's, else its name).
    #[getter]
    fn title(&self) -> &str {
        &self.title
    }

    /// The format read (`blt`, `preflib`, `csv`), or None.
    #[getter]
    fn format(&self) -> Option<&str> {
        self.format.as_deref()
    }

    /// What normalisation did to the ballots, as `tally --json` reports it
    /// under `normalisation` (None for approval or score ballots).
    #[getter]
    fn normalisation(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let v = self.election.normalisation.as_ref().map_or(Value::Null, psephos_report::json::normalisation_json);
        to_python(py, &v)
    }

    fn __len__(&self) -> usize {
        usize::try_from(self.election.total_ballots()).unwrap_or(usize::MAX)
    }

    fn __repr__(&self) -> String {
        format!(
            "<psephos.Election {:?}: {} {} ballots, {} candidates, {} seat(s)>",
            self.title,
            self.election.total_ballots(),
            self.election.profile.kind(),
            self.election.candidates.len(),
            self.election.seats
        )
    }
}

/// The result of one count: winners, rounds and tie decisions, shaped as
/// one entry of `psephos tally --json`'s `results`.
#[pyclass(name = "Tabulation", module = "psephos", frozen)]
pub struct PyTabulation {
    tabulation: Tabulation,
    election: Arc<Election>,
}

impl PyTabulation {
    fn json(&self) -> Value {
        psephos_report::json::tabulation_json(&self.tabulation, &self.election.candidates)
    }

    fn field(&self, py: Python<'_>, key: &str) -> PyResult<Py<PyAny>> {
        to_python(py, &self.json()[key])
    }
}

#[pymethods]
impl PyTabulation {
    /// The rule counted under, with its options (e.g. `irv`, `stv:hare`).
    #[getter]
    fn rule(&self) -> String {
        self.tabulation.rule.to_string()
    }

    /// The winners' names, in the order elected.
    #[getter]
    fn winners(&self) -> Vec<String> {
        self.tabulation.elected.iter().map(|&id| self.election.candidates.name(id).to_owned()).collect()
    }

    /// The winners' indices in `Election.candidates`, in the order elected.
    #[getter]
    fn winner_indices(&self) -> Vec<usize> {
        self.tabulation.elected.iter().map(|id| id.index()).collect()
    }

    /// Every round as a dict, shaped as the rounds of `tally --json`.
    #[getter]
    fn rounds(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.field(py, "rounds")
    }

    /// Every tie the tie-break chain decided: round, kind, tied, chosen, step.
    #[getter]
    fn ties(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.field(py, "ties")
    }

    /// Warnings about the count (e.g. a quota not reached).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.tabulation.warnings.clone()
    }

    /// The whole result as a dict (the same object as `to_json()`).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_python(py, &self.json())
    }

    /// The result as JSON text, as `psephos tally --json` prints each result.
    #[pyo3(signature = (indent=2))]
    fn to_json(&self, indent: Option<usize>) -> PyResult<String> {
        let v = self.json();
        let text = match indent {
            None => serde_json::to_string(&v),
            Some(2) => serde_json::to_string_pretty(&v),
            Some(n) => {
                let spaces = " ".repeat(n);
                let mut out = Vec::new();
                let mut ser = serde_json::Serializer::with_formatter(
                    &mut out,
                    serde_json::ser::PrettyFormatter::with_indent(spaces.as_bytes()),
                );
                serde::Serialize::serialize(&v, &mut ser).map(|()| String::from_utf8(out).unwrap_or_default())
            }
        };
        text.map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The rounds as a pandas DataFrame, one row per candidate (or inactive
    /// reason) per round, with the columns of `tally --csv`: rule, round,
    /// kind, name, votes, percent, elected, eliminated. Needs pandas.
    fn to_dataframe(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let mut csv = Vec::new();
        let outcomes = [Outcome::Counted(self.tabulation.clone())];
        psephos_report::csv::tally(&mut csv, &self.election.candidates, &outcomes)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let text = String::from_utf8(csv).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(py.import("psephos._frames")?.getattr("rounds_frame")?.call1((text,))?.unbind())
    }

    fn __repr__(&self) -> String {
        format!("<psephos.Tabulation {}: {}>", self.tabulation.rule, self.winners().join(", "))
    }
}

/// Reads a ballot file in any format `psephos tally` reads (BLT, PrefLib
/// .soc/.soi/.toc/.toi/.cat, CSV, approval and score CSV) into an Election.
/// `format` is `blt`, `preflib` or `csv` when the extension does not tell;
/// `policy` a normalisation preset (`standard`, `maine`, `london`) or a dict
/// of policies. `reader_options` are `tally`'s reading options with
/// underscores: overvote, skipped, duplicates, equal_ranks, seats,
/// approval=True, scores=MAX, delimiter, csv_layout, candidates (a list),
/// overvote_label, undervote_label, writein_label, weight_column,
/// ignore_column. Raises ReadError with the command line's message.
#[pyfunction]
#[pyo3(signature = (path, format=None, policy=None, **reader_options))]
fn read(
    py: Python<'_>,
    path: PathBuf,
    format: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
    reader_options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyElection> {
    let mut kwargs = policy_keywords(policy)?;
    if let Some(f) = format {
        kwargs.push(("format".to_owned(), f.clone()));
    }
    if let Some(options) = reader_options {
        for (k, v) in options.iter() {
            let key: String = k.extract()?;
            if !READ_OPTIONS.contains(&key.as_str()) {
                return Err(PyTypeError::new_err(format!(
                    "read() got an unexpected keyword argument '{key}' (reader options: {})",
                    READ_OPTIONS.join(", ")
                )));
            }
            kwargs.push((key, v));
        }
    }
    // The path after `--`, so that a name starting with `-` is a file.
    let mut argv = keyword_args(&kwargs)?;
    argv.push("--".to_owned());
    argv.push(path.to_string_lossy().into_owned());
    let args = parse_args::<ReadCommand>(argv, ReadError::new_err)?.tally;
    let (source, election, declared) = py.detach(|| tally_cmd::read(&args)).map_err(read_error)?;
    if election.total_ballots() == 0 {
        return Err(ReadError::new_err(format!(
            "{}: there are no ballots to count, so nobody is elected",
            source.name
        )));
    }
    Ok(PyElection {
        election: Arc::new(election),
        name: source.name.clone(),
        title: source.title.clone(),
        format: Some(source.format.to_string()),
        declared,
    })
}

/// Counts the election under one rule (a rule id with options, as
/// `psephos rules` lists them: "irv", "schulze:margins", "stv:hare"), with
/// the interpreter's lock released. `rule` defaults to the rule a BLT file
/// declares, else stv for several seats, irv for ranked ballots, approval
/// or star for approval or score ballots; `seats` to the election's.
/// `tie_break` is the chain ("previous-rounds,candidate-order" by default;
/// `random` needs `seed`). Raises CountError with the command line's message.
#[pyfunction]
#[pyo3(signature = (election, rule=None, seats=None, *, tie_break=None, seed=None))]
fn tally(
    py: Python<'_>,
    election: &Bound<'_, PyElection>,
    rule: Option<&str>,
    seats: Option<u32>,
    tie_break: Option<&str>,
    seed: Option<u64>,
) -> PyResult<PyTabulation> {
    let e = election.get();
    let counted = e.with_seats(seats)?;
    let rule = match rule {
        Some(r) => parse_rule(r)?,
        None => e.default_rule(counted.seats),
    };
    let options = e.count_options(tie_break, seed)?;
    let result = py.detach(|| rule.count(&counted, &options));
    match result {
        Ok(tabulation) => Ok(PyTabulation { tabulation, election: counted }),
        Err(err) => {
            let err = psephos_cli::describe_count_error(&err, &counted).context(format!("rule {rule}"));
            Err(count_error(err))
        }
    }
}

/// Audits the election as `psephos audit --json` does: the pairwise matrix,
/// every rule's winner, spoilers, centre squeezes, paradoxes and margins, and
/// the plain-language summary. `rules` is a list of rule ids (default: every
/// rule that counts these ballots for the seats to fill); `thorough` searches
/// further; `budget` (whole seconds) stops the paradox and margin searches once
/// spent, and the report says what they covered (results can then depend on
/// the machine's speed). Runs on every core with the interpreter's lock
/// released.
#[pyfunction]
#[pyo3(signature = (election, rules=None, *, thorough=false, budget=None, tie_break=None, seed=None))]
fn audit(
    py: Python<'_>,
    election: &Bound<'_, PyElection>,
    rules: Option<Vec<String>>,
    thorough: bool,
    budget: Option<u64>,
    tie_break: Option<&str>,
    seed: Option<u64>,
) -> PyResult<Py<PyAny>> {
    let e = election.get();
    if let Some(b) = budget.filter(|&b| b > audit_cmd::MAX_BUDGET_SECONDS) {
        return Err(PyValueError::new_err(format!(
            "budget: from 0 to {} seconds, not {b}",
            audit_cmd::MAX_BUDGET_SECONDS
        )));
    }
    let mut options = if thorough {
        psephos::analysis::AuditOptions::thorough()
    } else {
        psephos::analysis::AuditOptions::standard()
    };
    options.count = e.count_options(tie_break, seed)?;
    let rules = match rules {
        None => psephos::analysis::rules_for(&e.election),
        Some(ids) => ids.iter().map(|r| parse_rule(r)).collect::<PyResult<Vec<_>>>()?,
    };
    let el = &e.election;
    if let Some(r) = rules.iter().find(|r| !r.accepts(&el.profile)) {
        return Err(CountError::new_err(format!("rule {r} does not count {} ballots", el.profile.kind())));
    }
    options.control = psephos::analysis::SearchControl::new();
    let report = py.detach(|| {
        let audit = audit_cmd::run_watched(el, &rules, &options, budget.map(std::time::Duration::from_secs));
        psephos_report::audit::json(&e.name, &e.title, el, &audit, budget)
    });
    to_python(py, &report)
}

/// Simulates a race from a poll scenario as `psephos simulate --json` does:
/// `scenario_or_preset` is a preset id (`psephos scenarios`), a scenario
/// file's path, or the scenario's TOML text (default: the default preset).
/// `rules` overrides the scenario's rules; `spoilers` also measures how
/// often each losing candidate is a spoiler. Runs with the interpreter's
/// lock released.
#[pyfunction]
#[pyo3(signature = (scenario_or_preset=None, draws=10_000, seed=2024, *, rules=None, spoilers=false))]
fn simulate(
    py: Python<'_>,
    scenario_or_preset: Option<&str>,
    draws: u64,
    seed: u64,
    rules: Option<Vec<String>>,
    spoilers: bool,
) -> PyResult<Py<PyAny>> {
    if !(1..=psephos_sim::MAX_DRAWS).contains(&draws) {
        return Err(PyValueError::new_err(format!("draws: from 1 to {}, not {draws}", psephos_sim::MAX_DRAWS)));
    }
    let (scenario, origin) = match scenario_or_preset {
        Some(text) if text.contains('\n') => {
            let scenario =
                psephos_sim::Scenario::from_toml(text, "<scenario>").map_err(|e| ReadError::new_err(e.to_string()))?;
            (scenario, "<scenario>".to_owned())
        }
        arg => scenarios::load(arg).map_err(read_error)?,
    };
    let rules = rules.unwrap_or_default().iter().map(|r| parse_rule(r)).collect::<PyResult<Vec<_>>>()?;
    let options = DrawArgs { draws, seed, rules }.options(&scenario.rules);
    let measures = if spoilers { psephos_sim::Measures::SPOILERS } else { psephos_sim::Measures::WINNERS };
    let summary = py
        .detach(|| {
            let model = psephos_sim::Model::new(&scenario, psephos_sim::Noise::FULL);
            psephos_sim::run_with(&model, &options, &measures, None)
        })
        .map_err(|e| CountError::new_err(e.to_string()))?;
    to_python(py, &psephos_report::simulate::json(&origin, &scenario, &summary))
}

/// Studies voting rules over synthetic electorates as `psephos study --json`
/// does, and returns the same object: `model` is `ic`, `iac`, `urn`,
/// `mallows`, `plackett-luce`, `spatial`, `random-society`, `poll` or
/// `bootstrap`, with that model's options (`alpha`; `phi` and `reference`
/// or `mixture`; `weights`; `dimensions`, `distribution`, `max_distance`;
/// `scenario`; `ballots`) as keywords. `rules` defaults to every ranked
/// single-winner rule; `shard="K/N"` runs one part, to be added up with
/// `psephos study merge`. Runs with the interpreter's lock released.
#[pyfunction]
#[pyo3(signature = (
    model, candidates=3, voters=None, elections=10_000, seed=2024, *, rules=None, alpha=None, phi=None,
    reference=None, mixture=None, weights=None, dimensions=None, distribution=None, max_distance=None,
    scenario=None, ballots=None, spoilers=true, paradoxes=false, shard=None
))]
#[allow(clippy::too_many_arguments)]
fn study(
    py: Python<'_>,
    model: &str,
    candidates: usize,
    voters: Option<u64>,
    elections: u64,
    seed: u64,
    rules: Option<Vec<String>>,
    alpha: Option<f64>,
    phi: Option<f64>,
    reference: Option<Vec<String>>,
    mixture: Option<Vec<String>>,
    weights: Option<Vec<f64>>,
    dimensions: Option<usize>,
    distribution: Option<&str>,
    max_distance: Option<f64>,
    scenario: Option<String>,
    ballots: Option<PathBuf>,
    spoilers: bool,
    paradoxes: bool,
    shard: Option<&str>,
) -> PyResult<Py<PyAny>> {
    use clap::ValueEnum;
    use study_cmd::{DistributionArg, ModelId, StudyArgs, StudyOutput};
    let model = ModelId::from_str(model, true).map_err(|_| {
        PyValueError::new_err(format!(
            "model: `{model}` is not one of ic, iac, urn, mallows, plackett-luce, spatial, random-society, poll, bootstrap"
        ))
    })?;
    let distribution = distribution
        .map(|d| DistributionArg::from_str(d, true))
        .transpose()
        .map_err(|_| PyValueError::new_err("distribution: normal or uniform"))?;
    let shard = shard.map(str::parse::<psephos_study::Shard>).transpose().map_err(PyValueError::new_err)?;
    let args = StudyArgs {
        action: None,
        model: Some(model),
        candidates,
        voters,
        elections,
        seed,
        rules: rules.unwrap_or_default().iter().map(|r| parse_rule(r)).collect::<PyResult<Vec<_>>>()?,
        alpha,
        phi,
        reference: reference.map(|r| r.join(",")),
        mixture: mixture.unwrap_or_default(),
        weights: weights.map(|w| w.iter().map(f64::to_string).collect::<Vec<_>>().join(",")),
        dimensions,
        distribution,
        max_distance,
        scenario,
        ballots,
        no_spoilers: !spoilers,
        paradoxes,
        shard,
        output: StudyOutput { json: true, csv: None, svg: None },
    };
    let report = py.detach(|| study_cmd::report(&args, false)).map_err(count_error)?;
    to_python(py, &psephos_report::study::json(&report))
}

/// Every rule: its id, aliases and description, as `psephos rules --json`.
#[pyfunction]
fn rules(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_python(py, &psephos_report::rules::catalogue_json())
}

/// The extension module.
#[pymodule]
#[pyo3(name = "_psephos")]
fn psephos_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ReadError", py.get_type::<ReadError>())?;
    m.add("CountError", py.get_type::<CountError>())?;
    m.add_class::<PyElection>()?;
    m.add_class::<PyTabulation>()?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(tally, m)?)?;
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(study, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
