//! `psephos study`: how good is each voting rule over many synthetic
//! electorates; `psephos study merge`: shards' results added up.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use psephos::{Election, Rule};
use psephos_io::ReadOptions;
use psephos_study::models::mallows::{Mallows, MallowsComponent};
use psephos_study::models::plackett_luce::PlackettLuce;
use psephos_study::models::spatial::{Distribution, Spatial};
use psephos_study::models::urn::Urn;
use psephos_study::models::{bootstrap::Bootstrap, poll::Poll, Model};
use psephos_study::{default_rules, ParadoxSearch, Shard, SpoilerTest, StudyCounts, StudyOptions};
use serde_json::{json, Map, Value};

use crate::commands::{scenarios, sweep::write_out};
use crate::input;
use crate::output::{self, is_dash, Stdout};
use crate::progress::Progress;
use psephos_report::study::{self, Report};

/// Examples for `psephos study --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos study --model ic --candidates 3 --voters 1001 --elections 10000
  psephos study --model spatial --dimensions 2 --candidates 5 --rule plurality --rule irv --rule schulze --svg study.svg
  psephos study --model mallows --phi 0.8 --candidates 4 --json
  psephos study --model bootstrap --ballots testdata/audit/2009-Burlington-Mayor.blt --elections 1000
  psephos study --model ic --candidates 5 --elections 100000 --shard 1/4 --json > part1.json
  psephos study merge part1.json part2.json part3.json part4.json";

/// The electorate models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModelId {
    /// Impartial culture: every ranking equally likely.
    Ic,
    /// Impartial anonymous culture: every anonymous profile equally likely.
    Iac,
    /// Pólya–Eggenberger urn (--alpha).
    Urn,
    /// Mallows around a reference ranking (--phi, --reference, or --mixture).
    Mallows,
    /// Plackett–Luce (--weights).
    PlackettLuce,
    /// Voters and candidates in D dimensions (--dimensions, --distribution, --max-distance).
    Spatial,
    /// Weber's random society: utilities independent and uniform.
    RandomSociety,
    /// The poll model of a scenario (--scenario).
    Poll,
    /// Resampling a ballot file with replacement (--ballots).
    Bootstrap,
}

/// Arguments of `psephos study`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct StudyArgs {
    /// `merge`: add up shards.
    #[command(subcommand)]
    pub action: Option<StudyAction>,
    /// The electorate model.
    #[arg(long, value_enum)]
    pub model: Option<ModelId>,
    /// Candidates, 2 to 20 (poll and bootstrap: the scenario's or the file's).
    #[arg(long, default_value_t = 3)]
    pub candidates: usize,
    /// Voters per electorate, 1 to 10,000,000 (default 1,001; bootstrap: the ballots in the
    /// file; poll: the scenario's valid votes).
    #[arg(long)]
    pub voters: Option<u64>,
    /// Electorates, 1 to 10,000,000.
    #[arg(long, default_value_t = 10_000)]
    pub elections: u64,
    /// Seed; the same seed gives the same output whatever the number of threads.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// A rule to count under (repeatable); default: every ranked single-winner rule.
    #[arg(long = "rule", short = 'r', value_name = "RULE")]
    pub rules: Vec<Rule>,
    /// urn: copies returned per drawn ballot, as a fraction of K! (0 = IC, 1/K! = IAC).
    #[arg(long)]
    pub alpha: Option<f64>,
    /// mallows: dispersion, 0 (everyone agrees) to 1 (impartial culture).
    #[arg(long)]
    pub phi: Option<f64>,
    /// mallows: the reference ranking, candidate names best first (default A,B,C,…).
    #[arg(long, value_name = "NAMES")]
    pub reference: Option<String>,
    /// mallows: a mixture component WEIGHT:PHI:NAMES, e.g. 0.6:0.8:A,B,C (repeatable).
    #[arg(long, value_name = "W:PHI:NAMES")]
    pub mixture: Vec<String>,
    /// plackett-luce: one positive weight per candidate, comma-separated.
    #[arg(long, value_name = "W,W,…")]
    pub weights: Option<String>,
    /// spatial: dimensions of opinion, 1 to 10 (default 2).
    #[arg(long)]
    pub dimensions: Option<usize>,
    /// spatial: distribution of every coordinate (default normal).
    #[arg(long, value_enum)]
    pub distribution: Option<DistributionArg>,
    /// spatial: voters rank only candidates within this distance.
    #[arg(long, value_name = "R")]
    pub max_distance: Option<f64>,
    /// poll: a scenario file or preset (default london-2024-corbyn-rw).
    #[arg(long)]
    pub scenario: Option<String>,
    /// bootstrap: the ballot file to resample (any format `tally` reads).
    #[arg(long, value_name = "FILE")]
    pub ballots: Option<PathBuf>,
    /// Skip the spoiler test (it costs a count per rule and losing candidate).
    #[arg(long)]
    pub no_spoilers: bool,
    /// Also search every electorate for monotonicity and no-show paradoxes, under the runoff
    /// rules the audit searches (irv, supplementary-vote, contingent-vote, two-round); the
    /// rates found are lower bounds.
    #[arg(long)]
    pub paradoxes: bool,
    /// Run the K-th of N disjoint parts of the electorates (K from 1); merge the parts'
    /// --json outputs with `psephos study merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Output.
    #[command(flatten)]
    pub output: StudyOutput,
}

/// `--json`, `--csv`, `--svg`.
#[derive(Debug, Args)]
pub struct StudyOutput {
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write the rates as CSV to FILE (`-`: print it instead of the table).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write a chart with error bars as SVG to FILE (`-`: print it instead of the table).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

/// `psephos study merge`.
#[derive(Debug, Subcommand)]
pub enum StudyAction {
    /// Add up the --json outputs of every shard of a study into the result of the whole.
    Merge(MergeArgs),
}

/// Arguments of `psephos study merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' JSON files, every shard once.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output.
    #[command(flatten)]
    pub output: StudyOutput,
}

/// `--distribution`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DistributionArg {
    /// Standard normal.
    Normal,
    /// Uniform on [-1, 1].
    Uniform,
}

/// Runs the study or the merge.
pub fn run(args: StudyArgs) -> Result<()> {
    if let Some(StudyAction::Merge(m)) = args.action {
        return merge(m);
    }
    let mut inputs: Vec<(&str, &Path)> = Vec::new();
    if let Some(b) = &args.ballots {
        inputs.push(("ballot file", b));
    }
    check_outputs(&inputs, &args.output)?;
    let report = report(&args, true)?;
    write(&report, &args.output)
}

/// Runs the study the options describe (not `merge`), with a progress bar
/// on a terminal when `progress` is set, and returns its report.
pub fn report(args: &StudyArgs, progress: bool) -> Result<Report> {
    let Some(model_id) = args.model else {
        bail!("say which electorate model to draw from: --model ic, iac, urn, mallows, plackett-luce, spatial, random-society, poll or bootstrap");
    };
    let (model, parameters) = model(model_id, args)?;
    let k = model.own_candidates().map_or(args.candidates, |c| c.len());
    let voters = match (&model, args.voters) {
        (Model::Poll(_), Some(_)) => bail!("--voters: the poll model's electorates have the scenario's valid votes"),
        (Model::Poll(p), None) => p.model.valid_votes(),
        (Model::Bootstrap(b), None) => b.ballots(),
        (_, v) => v.unwrap_or(1001),
    };
    let rules = if args.rules.is_empty() { default_rules(k) } else { args.rules.clone() };
    let options = StudyOptions {
        candidates: k,
        voters,
        elections: args.elections,
        seed: args.seed,
        rules,
        spoilers: if args.no_spoilers { SpoilerTest::Off } else { SpoilerTest::On },
        paradoxes: if args.paradoxes { ParadoxSearch::Standard } else { ParadoxSearch::Off },
        shard: args.shard.unwrap_or(Shard::WHOLE),
        count: Default::default(),
        model,
    };
    options.check()?;
    let range = options.shard.range(options.elections);
    let bar = progress
        .then(|| Progress::with_template(range.end - range.start, "{bar:40} {pos}/{len} electorates, {eta} left"));
    let counts = match &bar {
        Some(bar) => psephos_study::run(&options, Some(&|n| bar.inc(n)))?,
        None => psephos_study::run(&options, None)?,
    };
    if let Some(bar) = bar {
        bar.finish();
    }
    Ok(Report {
        model: options.model.id().to_owned(),
        parameters,
        candidates: options.model.candidates(k).iter().map(|(_, c)| c.name.clone()).collect(),
        voters,
        elections: options.elections,
        seed: options.seed,
        shard: args.shard.filter(|s| s.count > 1),
        counts,
    })
}

fn check_outputs(inputs: &[(&str, &Path)], o: &StudyOutput) -> Result<()> {
    let outputs: Vec<(&str, &Path)> =
        [("--svg", &o.svg), ("--csv", &o.csv)].into_iter().filter_map(|(n, p)| p.as_deref().map(|p| (n, p))).collect();
    let printed = outputs.iter().filter(|(_, p)| is_dash(p)).count() + usize::from(o.json);
    if printed > 1 && outputs.iter().any(|(_, p)| is_dash(p)) {
        bail!("--json, --svg - and --csv - all print to standard output: write the chart or the CSV to a file");
    }
    output::refuse_overwrite(inputs, &outputs)
}

/// Prints the report and writes the files asked for.
fn write(report: &Report, o: &StudyOutput) -> Result<()> {
    let mut out = Stdout::new();
    let printed = [&o.svg, &o.csv].iter().any(|p| p.as_deref().is_some_and(is_dash));
    if o.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&study::json(report))?)?;
    } else if !printed {
        write!(out, "{}", study::text(report))?;
    }
    if let Some(path) = &o.csv {
        write_out(path, &study::csv(report), &mut out)?;
    }
    if let Some(path) = &o.svg {
        write_out(path, &study::svg(report), &mut out)?;
    }
    out.finish()
}

/// A parameter given for a model that does not take it.
fn only_for(model: ModelId, given: &[(&str, bool)], takes: &[&str]) -> Result<()> {
    for (name, present) in given {
        if *present && !takes.contains(name) {
            let id = model.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default();
            bail!("{name} does not apply to --model {id}");
        }
    }
    Ok(())
}

/// Candidate names (`A`, `B`, …) to indices.
fn ranking(text: &str, k: usize, what: &str) -> Result<Vec<u16>> {
    let names = psephos_study::profile::candidate_names(k);
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim) {
        let Some(id) = names.id_of(name) else {
            bail!(
                "{what}: `{name}` is not one of the candidates A to {}",
                names.name(psephos::CandidateId(k as u16 - 1))
            );
        };
        if out.contains(&id.0) {
            bail!("{what}: `{name}` is listed twice");
        }
        out.push(id.0);
    }
    if out.len() != k {
        bail!("{what}: rank all {k} candidates, and {} were listed", out.len());
    }
    Ok(out)
}

fn unit(name: &str, v: f64) -> Result<f64> {
    if !(0.0..=1.0).contains(&v) {
        bail!("{name} must be from 0 to 1, and {v} was given");
    }
    Ok(v)
}

/// The model and its parameters (for the report), from the options.
fn model(id: ModelId, a: &StudyArgs) -> Result<(Model, Map<String, Value>)> {
    let given = [
        ("--alpha", a.alpha.is_some()),
        ("--phi", a.phi.is_some()),
        ("--reference", a.reference.is_some()),
        ("--mixture", !a.mixture.is_empty()),
        ("--weights", a.weights.is_some()),
        ("--dimensions", a.dimensions.is_some()),
        ("--distribution", a.distribution.is_some()),
        ("--max-distance", a.max_distance.is_some()),
        ("--scenario", a.scenario.is_some()),
        ("--ballots", a.ballots.is_some()),
    ];
    let k = a.candidates;
    let mut p = Map::new();
    let model = match id {
        ModelId::Ic => {
            only_for(id, &given, &[])?;
            Model::ImpartialCulture
        }
        ModelId::Iac => {
            only_for(id, &given, &[])?;
            Model::ImpartialAnonymousCulture
        }
        ModelId::RandomSociety => {
            only_for(id, &given, &[])?;
            Model::RandomSociety
        }
        ModelId::Urn => {
            only_for(id, &given, &["--alpha"])?;
            let Some(alpha) = a.alpha else { bail!("--model urn needs --alpha (0 = impartial culture, 1/K! = IAC)") };
            if !(alpha.is_finite() && alpha >= 0.0) {
                bail!("--alpha must be a number from 0 up, and {alpha} was given");
            }
            p.insert("alpha".into(), json!(alpha));
            Model::Urn(Urn { alpha })
        }
        ModelId::Mallows => {
            only_for(id, &given, &["--phi", "--reference", "--mixture"])?;
            if !a.mixture.is_empty() {
                if a.phi.is_some() || a.reference.is_some() {
                    bail!("--mixture gives each component its own φ and reference: drop --phi and --reference");
                }
                if a.mixture.len() > 100 {
                    bail!("--mixture: at most 100 components");
                }
                let mut components = Vec::new();
                for m in &a.mixture {
                    let parts: Vec<&str> = m.splitn(3, ':').collect();
                    let [w, phi, names] = parts[..] else {
                        bail!("--mixture `{m}`: write WEIGHT:PHI:NAMES, e.g. 0.6:0.8:A,B,C")
                    };
                    let weight: f64 = w.trim().parse().with_context(|| format!("--mixture `{m}`: weight"))?;
                    if !(weight.is_finite() && weight > 0.0) {
                        bail!("--mixture `{m}`: the weight must be positive");
                    }
                    let phi = unit("--mixture φ", phi.trim().parse().with_context(|| format!("--mixture `{m}`: φ"))?)?;
                    components.push(MallowsComponent { weight, phi, reference: ranking(names, k, "--mixture")? });
                }
                p.insert(
                    "mixture".into(),
                    json!(components
                        .iter()
                        .map(|c| json!({"weight": c.weight, "phi": c.phi, "reference": names_of(&c.reference)}))
                        .collect::<Vec<_>>()),
                );
                Model::Mallows(Mallows { components })
            } else {
                let Some(phi) = a.phi else { bail!("--model mallows needs --phi (or --mixture)") };
                let phi = unit("--phi", phi)?;
                let reference = match &a.reference {
                    Some(r) => ranking(r, k, "--reference")?,
                    None => (0..k as u16).collect(),
                };
                p.insert("phi".into(), json!(phi));
                p.insert("reference".into(), json!(names_of(&reference)));
                Model::Mallows(Mallows::single(phi, reference))
            }
        }
        ModelId::PlackettLuce => {
            only_for(id, &given, &["--weights"])?;
            let Some(w) = &a.weights else { bail!("--model plackett-luce needs --weights, one per candidate") };
            let weights: Vec<f64> = w
                .split(',')
                .map(|x| x.trim().parse::<f64>().with_context(|| format!("--weights: `{x}` is not a number")))
                .collect::<Result<_>>()?;
            if weights.len() != k {
                bail!("--weights: one weight per candidate ({k}), and {} were given", weights.len());
            }
            if weights.iter().any(|w| !(w.is_finite() && *w > 0.0)) {
                bail!("--weights must all be positive");
            }
            p.insert("weights".into(), json!(weights));
            Model::PlackettLuce(PlackettLuce { weights })
        }
        ModelId::Spatial => {
            only_for(id, &given, &["--dimensions", "--distribution", "--max-distance"])?;
            let dimensions = a.dimensions.unwrap_or(2);
            if !(1..=10).contains(&dimensions) {
                bail!("--dimensions: from 1 to 10, and {dimensions} were asked for");
            }
            let distribution = match a.distribution.unwrap_or(DistributionArg::Normal) {
                DistributionArg::Normal => Distribution::Normal,
                DistributionArg::Uniform => Distribution::Uniform,
            };
            if let Some(r) = a.max_distance {
                if !(r.is_finite() && r > 0.0) {
                    bail!("--max-distance must be positive, and {r} was given");
                }
            }
            p.insert("dimensions".into(), json!(dimensions));
            p.insert("distribution".into(), json!(distribution.as_str()));
            p.insert("max_distance".into(), json!(a.max_distance));
            Model::Spatial(Spatial { dimensions, distribution, max_distance: a.max_distance })
        }
        ModelId::Poll => {
            only_for(id, &given, &["--scenario"])?;
            let (scenario, origin) = scenarios::load(a.scenario.as_deref())?;
            p.insert("scenario".into(), json!(origin));
            Model::Poll(Box::new(Poll::new(&scenario)))
        }
        ModelId::Bootstrap => {
            only_for(id, &given, &["--ballots"])?;
            let Some(path) = &a.ballots else { bail!("--model bootstrap needs --ballots FILE") };
            let name = input::name(path);
            let file = crate::commands::tally::read_ballots(path, &ReadOptions::default())?;
            let election = Election::from_raw(file.candidates, 1, file.ballots, Default::default())
                .with_context(|| format!("{name}: cannot set up the count"))?;
            let b = Bootstrap::new(election).with_context(|| name.clone())?;
            p.insert("ballots".into(), json!(name));
            p.insert("ballots_cast".into(), json!(b.ballots()));
            Model::Bootstrap(Box::new(b))
        }
    };
    Ok((model, p))
}

fn names_of(r: &[u16]) -> Vec<String> {
    r.iter().map(|&c| char::from(b'A' + c as u8).to_string()).collect()
}

/// Reads a shard's JSON output back.
fn read_report(path: &Path) -> Result<Report> {
    let name = input::name(path);
    let v: Value = serde_json::from_str(&input::read_text(path)?)
        .with_context(|| format!("{name}: not the JSON output of `psephos study --json`"))?;
    let field =
        |k: &str| v.get(k).with_context(|| format!("{name}: no `{k}`: not the JSON output of `psephos study --json`"));
    let number =
        |k: &str| field(k).and_then(|x| x.as_u64().with_context(|| format!("{name}: `{k}` is not a whole number")));
    let counts: StudyCounts =
        serde_json::from_value(field("counts")?.clone()).with_context(|| format!("{name}: `counts` cannot be read"))?;
    let shard = match v.get("shard") {
        None => None,
        Some(s) => Some(
            s.as_str().and_then(|s| s.parse::<Shard>().ok()).with_context(|| format!("{name}: `shard` is not K/N"))?,
        ),
    };
    Ok(Report {
        model: field("model")?.as_str().with_context(|| format!("{name}: `model` is not text"))?.to_owned(),
        parameters: field("model_parameters")?
            .as_object()
            .cloned()
            .with_context(|| format!("{name}: `model_parameters`"))?,
        candidates: serde_json::from_value(field("candidate_names")?.clone())
            .with_context(|| format!("{name}: `candidate_names`"))?,
        voters: number("voters")?,
        elections: number("elections")?,
        seed: number("seed")?,
        shard,
        counts,
    })
}

/// `psephos study merge`.
fn merge(args: MergeArgs) -> Result<()> {
    let inputs: Vec<(&str, &Path)> = args.files.iter().map(|f| ("shard file", f.as_path())).collect();
    check_outputs(&inputs, &args.output)?;
    let mut parts = Vec::new();
    for f in &args.files {
        parts.push((input::name(f), read_report(f)?));
    }
    let (first_name, first) = &parts[0];
    let mut seen = BTreeSet::new();
    let Some(n) = first.shard.map(|s| s.count) else {
        bail!("{first_name} is a whole study, not a shard: there is nothing to merge it with");
    };
    let mut total = StudyCounts::with_paradoxes(
        &first.counts.rules.iter().map(|r| r.rule.clone()).collect::<Vec<_>>(),
        &first.counts.rules.iter().map(|r| r.monotonicity_failures.is_some()).collect::<Vec<_>>(),
        first.candidates.len(),
        first.counts.rules.first().is_some_and(|r| r.spoiled.is_some()),
        first.counts.rules.first().is_some_and(|r| r.satisfaction.is_some()),
    );
    for (name, r) in &parts {
        let same = r.model == first.model
            && r.parameters == first.parameters
            && r.candidates == first.candidates
            && r.voters == first.voters
            && r.elections == first.elections
            && r.seed == first.seed;
        if !same {
            bail!("{name} is a shard of another study than {first_name} (model, parameters, candidates, voters, electorates and seed must all agree)");
        }
        let Some(s) = r.shard else { bail!("{name} is a whole study, not a shard") };
        if s.count != n {
            bail!("{name} is shard {s}, and {first_name} one of {n}: shards of one split only");
        }
        if !seen.insert(s.index) {
            bail!("{name}: shard {s} is given twice");
        }
        let expected = s.range(r.elections);
        if r.counts.electorates != expected.end - expected.start {
            bail!(
                "{name}: shard {s} should hold {} electorates and holds {}",
                expected.end - expected.start,
                r.counts.electorates
            );
        }
        total.merge(&r.counts).with_context(|| name.clone())?;
    }
    let missing: Vec<String> = (1..=n).filter(|k| !seen.contains(k)).map(|k| format!("{k}/{n}")).collect();
    if !missing.is_empty() {
        bail!("shards missing: {}; merge every shard of the study", missing.join(", "));
    }
    let report = Report { shard: None, counts: total, ..first.clone() };
    write(&report, &args.output)
}
