//! `psephos rctab`: count a contest from its RCTab configuration and write
//! every report RCTab writes for it.

use std::path::{Path, PathBuf};

use psephos_io::cvr::sanitize_for_output;

use crate::cdf_out::CvrCsvLayout;
use crate::config::ContestConfig;
use crate::contest::{self, RctabError};
use crate::report::{ReportContext, Slice};
use crate::tabulator::{self, Candidates, OperatorDecision};

/// A report to write: its path under the output folder and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFile {
    /// Path relative to the output folder.
    pub path: PathBuf,
    /// Contents.
    pub text: String,
}

/// The file stem RCTab's outputs share: the configuration's name without
/// `_config.json` (or `.json`).
pub fn stem_of(config_path: &Path) -> String {
    let name = config_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = name.strip_suffix(".json").unwrap_or(&name);
    name.strip_suffix("_config").unwrap_or(name).to_owned()
}

/// Count the contest a configuration describes and render every report.
///
/// Nothing is written: the caller writes the files only once every report
/// has been rendered, so a failure never leaves a partial set behind.
///
/// # Errors
///
/// [`RctabError`]: an invalid configuration (every problem listed), an
/// unreadable CVR (naming file and record), a count that cannot finish.
pub fn tabulate_config(config_path: &Path) -> Result<Vec<ReportFile>, RctabError> {
    tabulate_config_with(config_path, &OperatorDecision::Stop)
}

/// As [`tabulate_config`], with what decides the ties the configuration
/// leaves to an operator (`stopCountingAndAsk`, `previousRoundCountsThenAsk`).
///
/// # Errors
///
/// As [`tabulate_config`].
pub fn tabulate_config_with(config_path: &Path, operator: &OperatorDecision) -> Result<Vec<ReportFile>, RctabError> {
    let config = ContestConfig::load(config_path)?;
    let stem = stem_of(config_path);
    let cvrs = contest::read_sources(&config)?;
    let base = contest::candidates(&config, &cvrs);
    // The CVR CSV does not depend on the count: render it on another core meanwhile.
    let (counted, cvr_csv) = std::thread::scope(|scope| {
        let csv = scope.spawn(|| {
            crate::cdf_out::rctab_cvr_csv(&config, &cvrs.records, &cvrs.source_ranges, CvrCsvLayout::Tabulation)
        });
        let counted = count(&config, &stem, &base, &cvrs, operator);
        (counted, csv.join().expect("rendering the CVR CSV does not panic"))
    });
    let mut files = counted?;
    files.push(ReportFile { path: PathBuf::from(format!("{stem}_rctab_cvr.csv")), text: cvr_csv });
    Ok(files)
}

/// Count the contest (each pass of a sequential one) and render its reports.
fn count(
    config: &ContestConfig,
    stem: &str,
    base: &Candidates,
    cvrs: &contest::LoadedCvrs,
    operator: &OperatorDecision,
) -> Result<Vec<ReportFile>, RctabError> {
    // Per-ballot allocations are only needed for the CDF report.
    let ballots = contest::ballots_grouped(config, base, cvrs, !config.output.generate_cdf_json)?;
    let mut files = Vec::new();
    if contest::is_sequential(config) {
        let mut candidates = base.clone();
        for pass in 1..=config.rules.number_of_winners {
            let mut rules = contest::rules(config, &candidates, 1);
            rules.operator = operator.clone();
            let outcome = tabulator::tabulate(&candidates, &ballots, &rules, false)?;
            let prefix = format!("{stem}_{pass}");
            render(config, &candidates, &outcome, 1, &prefix, &mut files);
            let Some(&(winner, _)) = outcome.elected.first() else {
                break;
            };
            candidates.excluded[winner] = true;
            if candidates.num_declared() == 0 {
                break;
            }
        }
    } else {
        let seats = config.rules.number_of_winners;
        let mut rules = contest::rules(config, base, seats);
        rules.operator = operator.clone();
        let outcome = tabulator::tabulate(base, &ballots, &rules, config.output.generate_cdf_json)?;
        render(config, base, &outcome, seats, stem, &mut files);
        if config.output.generate_cdf_json {
            files.push(ReportFile {
                path: PathBuf::from(format!("{stem}_cdf_cvr.json")),
                text: crate::cdf_out::cdf_json(config, base, &outcome.snapshots, &cvrs.records, &now_rfc3339()),
            });
        }
    }
    Ok(files)
}

/// What `--convert` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// A NIST CDF JSON CVR report (`<stem>_cdf_cvr.json`).
    Cdf,
    /// RCTab's own CVR CSV (`<stem>.csv`).
    Csv,
}

/// Read the configuration's CVRs and convert them, without counting.
///
/// # Errors
///
/// [`RctabError`]: an invalid configuration or an unreadable CVR.
pub fn convert_config(config_path: &Path, to: Conversion) -> Result<ReportFile, RctabError> {
    let config = ContestConfig::load(config_path)?;
    let stem = stem_of(config_path);
    let cvrs = contest::read_sources(&config)?;
    let candidates = contest::candidates(&config, &cvrs);
    // Resolving names checks every mark against the declared candidates.
    contest::ballots(&config, &candidates, &cvrs)?;
    Ok(match to {
        Conversion::Cdf => ReportFile {
            path: PathBuf::from(format!("{stem}_cdf_cvr.json")),
            text: crate::cdf_out::cdf_json(&config, &candidates, &[], &cvrs.records, &now_rfc3339()),
        },
        Conversion::Csv => ReportFile {
            path: PathBuf::from(format!("{stem}.csv")),
            text: crate::cdf_out::rctab_cvr_csv(&config, &cvrs.records, &cvrs.source_ranges, CvrCsvLayout::Conversion),
        },
    })
}

fn render(
    config: &ContestConfig,
    candidates: &Candidates,
    outcome: &tabulator::Outcome,
    seats: u32,
    prefix: &str,
    files: &mut Vec<ReportFile>,
) {
    let ctx = ReportContext { config, candidates, outcome, seats };
    files.push(ReportFile {
        path: PathBuf::from(format!("{prefix}_detailed_report.json")),
        text: ctx.json(&outcome.rounds, &outcome.transfers, Slice::All),
    });
    files.push(ReportFile {
        path: PathBuf::from(format!("{prefix}_detailed_report.csv")),
        text: ctx.csv(&outcome.rounds, Slice::All),
    });
    files.push(ReportFile {
        path: PathBuf::from(format!("{prefix}_summary_report.csv")),
        text: ctx.summary_csv(&outcome.rounds),
    });
    for (folder, kind, slices) in
        [("Tabulate by Precinct", "precinct", &outcome.by_precinct), ("Tabulate by Batch", "batch", &outcome.by_batch)]
    {
        let Some(slices) = slices else { continue };
        let mut used = std::collections::HashSet::new();
        for (id, rounds) in &slices.rounds {
            let base = format!("{}_{kind}", sanitize_for_output(id));
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = format!("{base}_{n}");
                n += 1;
            }
            let slice = if kind == "precinct" { Slice::Precinct(id) } else { Slice::Batch(id) };
            let transfers = &slices.transfers[id];
            files.push(ReportFile {
                path: Path::new(folder).join(format!("{prefix}_{name}_detailed_report.json")),
                text: ctx.json(rounds, transfers, slice),
            });
            files.push(ReportFile {
                path: Path::new(folder).join(format!("{prefix}_{name}_detailed_report.csv")),
                text: ctx.csv(rounds, slice),
            });
        }
    }
}

/// Write rendered reports under `out`, each through a temporary file renamed into place.
///
/// # Errors
///
/// [`RctabError::Write`] naming the file that could not be written.
pub fn write_reports(out: &Path, files: &[ReportFile]) -> Result<Vec<PathBuf>, RctabError> {
    let mut written = Vec::new();
    for f in files {
        let path = out.join(&f.path);
        let err = |e: std::io::Error| RctabError::Write { path: path.clone(), message: e.to_string() };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(err)?;
        }
        let tmp = path.with_extension("partial");
        std::fs::write(&tmp, &f.text).map_err(err)?;
        std::fs::rename(&tmp, &path).map_err(err)?;
        written.push(path);
    }
    Ok(written)
}

/// The current UTC time as `yyyy-MM-ddTHH:mm:ssZ`.
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}
