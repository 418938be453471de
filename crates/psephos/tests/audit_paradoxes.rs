//! Hand-made profiles with known audit findings. Each profile is written
//! down with where it comes from and the arithmetic that shows the finding;
//! the same profiles are in `testdata/audit/` for the CLI.

use psephos::analysis::{apply_changes, audit, AuditOptions, ParadoxKind, RuleAudit, SearchControl, SpoilerOptions};
use psephos::{CountOptions, Election, Rule};

fn rules(ids: &[&str]) -> Vec<Rule> {
    ids.iter().map(|r| r.parse().unwrap()).collect()
}

fn audited(e: &Election, ids: &[&str]) -> Vec<RuleAudit> {
    audit(e, &rules(ids), &AuditOptions::thorough()).unwrap().audited().cloned().collect()
}

fn name(e: &Election, c: psephos::CandidateId) -> &str {
    e.candidates.name(c)
}

/// Re-counts a finding's witness and checks it shows the same winners.
fn recount_matches(e: &Election, rule: Rule, w: &psephos::analysis::Witness) {
    let changed = apply_changes(e, &w.changes).unwrap();
    let t = rule.count(&changed, &CountOptions::default()).unwrap();
    assert_eq!(t.elected, w.recount.elected);
}

/// The centre squeeze: a three-candidate left/centre/right electorate (the
/// textbook illustration, e.g. Ornstein & Norman 2014, §2). Centre beats Left
/// 63-37 and Right 62-38 but has the fewest first choices (25), so IRV
/// eliminates Centre in round 1 and Left wins 62-38.
#[test]
fn centre_squeeze_under_irv() {
    let e = Election::from_rankings(
        &["Left", "Centre", "Right"],
        &[(37, &["Left", "Centre", "Right"]), (25, &["Centre", "Left", "Right"]), (38, &["Right", "Centre", "Left"])],
    )
    .unwrap();
    let a = audit(&e, &rules(&["irv", "plurality", "schulze"]), &AuditOptions::standard()).unwrap();
    let c = a.condorcet.as_ref().unwrap();
    assert_eq!(c.winner, e.candidates.id_of("Centre"));
    assert_eq!(c.loser, e.candidates.id_of("Right"));
    let irv = a.audited().next().unwrap();
    assert_eq!(name(&e, irv.tabulation.winner().unwrap()), "Left");
    let sq = irv.squeeze.unwrap();
    assert_eq!((name(&e, sq.candidate), sq.round, sq.votes), ("Centre", 1, Some(25)));
    // Right is a spoiler under IRV: without Right, Centre takes Right's 38
    // and wins 63-37.
    let right = e.candidates.id_of("Right").unwrap();
    let s = irv.spoilers.iter().find(|s| s.candidate == right).unwrap();
    assert!(s.is_spoiler());
    assert_eq!(s.hurt, e.candidates.id_of("Centre"));
    assert_eq!(s.helped, e.candidates.id_of("Left"));
    // Schulze elects Centre: no squeeze.
    assert!(a.audited().nth(2).unwrap().squeeze.is_none());
}

/// Upward monotonicity and no-show under IRV, built on the three-candidate
/// conditions of Fishburn & Brams (1983) and Ornstein & Norman (2014):
/// first choices A 10, B 9, C 8; C's voters go to A, who wins 18-9.
/// - Upward: 2 B>C>A voters raise A to the top: B has 7 and is eliminated,
///   its 7 go to C, and C beats A 15-12.
/// - No-show: 2 B>C>A voters stay at home: B has 7, C wins 15-10, and those
///   voters prefer C to A.
#[test]
fn upward_monotonicity_and_no_show_under_irv() {
    let e = Election::from_rankings(
        &["A", "B", "C"],
        &[(10, &["A", "B", "C"]), (9, &["B", "C", "A"]), (8, &["C", "A", "B"])],
    )
    .unwrap();
    let irv = &audited(&e, &["irv"])[0];
    let p = irv.paradoxes.as_ref().unwrap();
    let up = p.findings.iter().find(|f| f.kind == ParadoxKind::UpwardMonotonicity).unwrap();
    assert_eq!(up.witness.ballots(), 2);
    assert_eq!(names(&e, up.witness.winners_after()), ["C"]);
    assert_eq!(up.witness.recount.rounds.last().unwrap().votes(e.candidates.id_of("C").unwrap()), Some(15));
    recount_matches(&e, irv.rule, &up.witness);
    let ns = p.findings.iter().find(|f| f.kind == ParadoxKind::NoShow).unwrap();
    assert_eq!(ns.witness.ballots(), 2);
    assert!(ns.witness.changes.iter().all(|c| c.to.is_none()));
    assert_eq!(name(&e, ns.candidate), "C");
    recount_matches(&e, irv.rule, &ns.witness);
    assert!(p.findings.iter().all(|f| f.confirmed));
}

/// Downward monotonicity under IRV (the "less is more" case of Fishburn &
/// Brams 1983): first choices A 11 (A>C>B), B 8 (B>A>C), C 7 (C>B>A). C is
/// eliminated and B wins 15-11. If 2 A voters rank C first (C>A>B), B has
/// the fewest (8 against 9 and 9), B's voters go to A, and A wins 17-9.
#[test]
fn downward_monotonicity_under_irv() {
    let e = Election::from_rankings(
        &["A", "B", "C"],
        &[(11, &["A", "C", "B"]), (8, &["B", "A", "C"]), (7, &["C", "B", "A"])],
    )
    .unwrap();
    let irv = &audited(&e, &["irv"])[0];
    assert_eq!(name(&e, irv.tabulation.winner().unwrap()), "B");
    let p = irv.paradoxes.as_ref().unwrap();
    let down = p.findings.iter().find(|f| f.kind == ParadoxKind::DownwardMonotonicity).unwrap();
    assert_eq!(name(&e, down.candidate), "A");
    assert_eq!(down.witness.ballots(), 2);
    assert_eq!(names(&e, down.witness.winners_after()), ["A"]);
    for c in &down.witness.changes {
        assert_eq!(names(&e, &c.from), ["A", "C", "B"]);
        assert_eq!(names(&e, c.to.as_ref().unwrap()), ["C", "A", "B"]);
    }
    recount_matches(&e, irv.rule, &down.witness);
}

/// A rock-paper-scissors cycle above a Condorcet loser (as in Schulze 2011,
/// §2): A beats B 6-3, B beats C 7-2, C beats A 5-4; everyone beats D.
#[test]
fn cycle_and_smith_set() {
    let e = Election::from_rankings(
        &["A", "B", "C", "D"],
        &[(4, &["A", "B", "C", "D"]), (3, &["B", "C", "A", "D"]), (2, &["C", "A", "B", "D"])],
    )
    .unwrap();
    let a = audit(&e, &rules(&["plurality"]), &AuditOptions::standard()).unwrap();
    let c = a.condorcet.unwrap();
    assert_eq!(c.winner, None);
    assert_eq!(names(&e, &c.smith_set), ["A", "B", "C"]);
    assert_eq!(names(&e, &c.cycle), ["A", "B", "C"]);
    assert_eq!(c.loser, e.candidates.id_of("D"));
}

/// Vote splitting under plurality (the spoiler of the popular article):
/// A 4, B 3 (B>C), C 2 (C>B). A wins with 4 of 9; without C, B wins 5-4;
/// the plurality margin is exact: one A voter switching to B makes it 3-4.
#[test]
fn vote_splitting_and_exact_plurality_margin() {
    let e = Election::from_rankings(&["A", "B", "C"], &[(4, &["A"]), (3, &["B", "C"]), (2, &["C", "B"])]).unwrap();
    let pl = &audited(&e, &["plurality"])[0];
    let c = e.candidates.id_of("C").unwrap();
    let s = pl.spoilers.iter().find(|s| s.candidate == c).unwrap();
    assert!(s.is_spoiler());
    assert_eq!(names(&e, &s.winners_without), ["B"]);
    let m = pl.margin.as_ref().unwrap();
    assert_eq!((m.ballots, m.exact), (1, true));
    recount_matches(&e, pl.rule, &m.witness);
}

/// The Condorcet shortcut gives the same spoiler answers as counting again.
#[test]
fn shortcut_agrees_with_recount() {
    let e = Election::from_rankings(
        &["A", "B", "C", "D"],
        &[(5, &["A", "B", "C"]), (4, &["B", "C", "A"]), (3, &["C", "D", "B"]), (2, &["D", "A"]), (1, &["B"])],
    )
    .unwrap();
    let ids = ["copeland", "minimax", "ranked-pairs", "schulze", "kemeny-young", "smith-irv", "condorcet-irv"];
    let more = ["baldwin", "nanson", "btr-irv"];
    let all: Vec<&str> = ids.iter().chain(more.iter()).copied().collect();
    let fast = AuditOptions { spoilers: SpoilerOptions::FAST, ..AuditOptions::standard() };
    let slow = AuditOptions { spoilers: SpoilerOptions::RECOUNT, ..AuditOptions::standard() };
    let a = audit(&e, &rules(&all), &fast).unwrap();
    let b = audit(&e, &rules(&all), &slow).unwrap();
    for (x, y) in a.audited().zip(b.audited()) {
        let wx: Vec<_> = x.spoilers.iter().map(|s| s.winners_without.clone()).collect();
        let wy: Vec<_> = y.spoilers.iter().map(|s| s.winners_without.clone()).collect();
        assert_eq!(wx, wy, "{}", x.rule);
    }
}

fn names<'a>(e: &'a Election, ids: &[psephos::CandidateId]) -> Vec<&'a str> {
    ids.iter().map(|&c| e.candidates.name(c)).collect()
}

/// A search control that is never stopped changes nothing; one stopped
/// before the audit leaves every proposal untried, makes no recount, and
/// says the searches were cut short.
#[test]
fn a_stopped_control_cuts_the_searches_short_and_an_idle_one_changes_nothing() {
    // The upward-monotonicity profile of the paradoxes module.
    let e = Election::from_rankings(
        &["A", "B", "C"],
        &[(10, &["A", "B", "C"]), (9, &["B", "C", "A"]), (8, &["C", "A", "B"])],
    )
    .unwrap();
    let ids = ["irv", "two-round", "schulze", "borda"];
    let plain = audit(&e, &rules(&ids), &AuditOptions::thorough()).unwrap();
    let idle = SearchControl::new();
    let watched = audit(&e, &rules(&ids), &AuditOptions { control: idle.clone(), ..AuditOptions::thorough() }).unwrap();
    let mut recounts = 0;
    for (x, y) in plain.audited().zip(watched.audited()) {
        assert_eq!(x.paradoxes, y.paradoxes, "{}", x.rule);
        assert_eq!(x.margin, y.margin, "{}", x.rule);
        assert_eq!(x.margin_search, y.margin_search, "{}", x.rule);
        assert!(!y.margin_search.cut_short);
        recounts += y.margin_search.recounts + y.paradoxes.as_ref().map_or(0, |p| p.recounts);
    }
    assert!(recounts > 0);
    assert_eq!(idle.recounts(), u64::from(recounts));

    let stopped = SearchControl::new();
    stopped.stop();
    let cut = audit(&e, &rules(&ids), &AuditOptions { control: stopped.clone(), ..AuditOptions::thorough() }).unwrap();
    assert_eq!(stopped.recounts(), 0);
    for (x, y) in plain.audited().zip(cut.audited()) {
        // The counts themselves are not part of the searches.
        assert_eq!(x.tabulation, y.tabulation);
        assert_eq!(y.margin_search.recounts, 0);
        assert!(y.margin.is_none(), "{}", y.rule);
        assert!(y.margin_search.cut_short, "{}", y.rule);
    }
    let irv = cut.audited().next().unwrap().paradoxes.clone().unwrap();
    let full = plain.audited().next().unwrap().paradoxes.clone().unwrap();
    assert!(irv.cut_short);
    assert!(!full.cut_short);
    assert!(!full.findings.is_empty());
    assert!(irv.findings.is_empty());
    assert_eq!(irv.recounts, 0);
    // The same proposals, and every one not ruled out head to head is untried.
    assert_eq!(irv.proposals, full.proposals);
    assert_eq!(irv.unexamined + irv.pruned, irv.proposals);
    assert!(irv.unexamined > 0);
    let kinds: Vec<ParadoxKind> = irv.by_kind.iter().map(|k| k.kind).collect();
    assert_eq!(kinds, ParadoxKind::ALL);
    assert_eq!(irv.by_kind.iter().map(|k| k.unexamined).sum::<u32>(), irv.unexamined);
    assert_eq!(full.by_kind.iter().map(|k| k.recounts).sum::<u32>(), full.recounts);
    assert_eq!(full.by_kind.iter().map(|k| k.proposals).sum::<u32>(), full.proposals);
}
