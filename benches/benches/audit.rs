//! Audit benchmark: a full audit (every single-winner rule, every loser's
//! withdrawal, the paradox search and margins) of 1,000,000 random truncated
//! ballots over 10 candidates (drawn from a fixed seed), on one thread and
//! on two, as the CLI runs it: the pairwise matrix, then the Condorcet
//! facts beside the tables that count without a candidate (withdrawals are
//! built when a recount needs one) and the counts, then one task per rule
//! and part. The spoiler tests are timed with their shortcuts (Condorcet
//! winner, first choices, the ranked-above table) and with every withdrawal
//! counted again.
//!
//! Target (issue 14): the full audit in at most 1.0 s on 2 cores. Each figure is the
//! median of three runs; run with `cargo bench -p psephos-benches --bench audit`.

use std::time::{Duration, Instant};

use psephos::analysis::{
    audit_in_parallel, audit_rule, condorcet_report, single_winner_rules, Audit, AuditContext, AuditOptions,
};
use psephos::{Election, Rule};
use psephos_benches::{random_election, SEED};

/// The audit as the CLI runs it.
fn full_audit(e: &Election, rules: &[Rule], options: &AuditOptions) -> Audit {
    audit_in_parallel(e, rules, options, &|_| {})
}

fn median(mut f: impl FnMut() -> Duration) -> Duration {
    let mut v: Vec<Duration> = (0..3).map(|_| f()).collect();
    v.sort();
    v[1]
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

fn main() {
    let e = random_election(1_000_000, 10, SEED);
    let rules = single_winner_rules(&e.profile);
    let options = AuditOptions::standard();
    let ranked = e.ranked().expect("ranked");
    println!("audit_1m_10: {} ballots, {} unique, {} rules", e.total_ballots(), ranked.unique_len(), rules.len());
    let d = median(|| time(|| condorcet_report(&e)).0);
    println!("  pairwise matrix and Condorcet facts   {d:>10.1?}");
    let d = median(|| time(|| e.without(psephos::CandidateId(0))).0);
    println!("  one withdrawal (Election::without)     {d:>10.1?}");
    let context = AuditContext::new(&e);
    for (label, opts) in [
        (
            "count + spoilers only",
            AuditOptions {
                paradoxes: psephos::analysis::ParadoxOptions::OFF,
                margins: psephos::analysis::MarginOptions::OFF,
                ..options.clone()
            },
        ),
        (
            "count + spoilers, every withdrawal recounted",
            AuditOptions {
                spoilers: psephos::analysis::SpoilerOptions::RECOUNT,
                paradoxes: psephos::analysis::ParadoxOptions::OFF,
                margins: psephos::analysis::MarginOptions::OFF,
                ..options.clone()
            },
        ),
        ("standard audit", options.clone()),
    ] {
        let mut per_rule: Vec<(String, Duration)> =
            rules.iter().map(|&r| (r.to_string(), time(|| audit_rule(&e, &context, r, &opts)).0)).collect();
        let total: Duration = per_rule.iter().map(|x| x.1).sum();
        per_rule.sort_by_key(|x| std::cmp::Reverse(x.1));
        let top: Vec<String> = per_rule.iter().take(5).map(|(r, d)| format!("{r} {d:.0?}")).collect();
        println!("  {label}, one thread, rules only: {total:.2?} (slowest: {})", top.join(", "));
    }
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
        let d = median(|| pool.install(|| time(|| full_audit(&e, &rules, &options)).0));
        println!("  full audit, {threads} thread(s)                {d:>10.2?}");
    }
}
