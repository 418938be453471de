//! Worked examples for the single-winner rules, each winner written down
//! from its published source and checked against the rule's definition.

use psephos::{CandidateId, CountError, CountOptions, Election, NormalisePolicy, Profile, RoundKind, Rule, CATALOGUE};

fn count(e: &Election, rule: &str) -> psephos::Tabulation {
    rule.parse::<Rule>().unwrap().count(e, &CountOptions::default()).unwrap()
}

fn winner(e: &Election, rule: &str) -> String {
    e.candidates.name(count(e, rule).winner().unwrap()).to_owned()
}

/// The Tennessee capital example: 42% Memphis > Nashville > Chattanooga >
/// Knoxville, 26% Nashville > Chattanooga > Knoxville > Memphis, 15%
/// Chattanooga > Knoxville > Nashville > Memphis, 17% Knoxville >
/// Chattanooga > Nashville > Memphis. Used by the Wikipedia articles
/// "Plurality voting", "Instant-runoff voting", "Borda count", "Coombs'
/// method", "Bucklin voting", "Copeland's method", "Minimax Condorcet
/// method", "Ranked pairs", "Schulze method", "Kemeny–Young method" and
/// "Condorcet method", whose winners are those below.
fn tennessee() -> Election {
    psephos::examples::tennessee()
}

#[test]
fn tennessee_every_rule() {
    let e = tennessee();
    let expected = [
        ("plurality", "Memphis"),
        ("irv", "Knoxville"),
        // Borda: Memphis 126, Nashville 194, Chattanooga 173, Knoxville 107.
        ("borda", "Nashville"),
        // Dowdall: Memphis 56.5, Nashville 57.67, Chattanooga 50.5, Knoxville 43.67.
        ("dowdall", "Nashville"),
        // Coombs: Memphis is last on 58 ballots; then Nashville has 68 first choices.
        ("coombs", "Nashville"),
        // Baldwin: Knoxville (107), then Memphis (84 of the remaining), then Chattanooga.
        ("baldwin", "Nashville"),
        // Nanson: the average is 150; Memphis and Knoxville are below it.
        ("nanson", "Nashville"),
        // Bucklin: no majority of first choices; with second choices Nashville has 68.
        ("bucklin", "Nashville"),
        // Bottom two Chattanooga/Knoxville: Knoxville loses 17-83; then Nashville beats Chattanooga 68-32.
        ("btr-irv", "Nashville"),
        // Nashville is the Condorcet winner (58-42, 68-32, 68-32).
        ("copeland", "Nashville"),
        ("minimax", "Nashville"),
        ("minimax:margins", "Nashville"),
        ("ranked-pairs", "Nashville"),
        ("ranked-pairs:margins", "Nashville"),
        ("schulze", "Nashville"),
        ("schulze:margins", "Nashville"),
        ("kemeny-young", "Nashville"),
        ("smith-irv", "Nashville"),
        ("condorcet-irv", "Nashville"),
    ];
    for (rule, name) in expected {
        assert_eq!(winner(&e, rule), name, "{rule}");
        count(&e, rule).check_conservation().unwrap();
    }
}

#[test]
fn tennessee_scores_as_published() {
    let e = tennessee();
    let id = |n| e.candidates.id_of(n).unwrap();
    let borda = count(&e, "borda");
    assert_eq!(borda.rounds[0].kind, RoundKind::Scores { scale: 1 });
    let points: Vec<u64> = borda.rounds[0].tally.iter().map(|t| t.1).collect();
    assert_eq!(points, vec![126, 194, 173, 107]);
    // Kemeny–Young (Wikipedia): the best ranking, Nashville > Chattanooga >
    // Knoxville > Memphis, scores 393.
    let k = count(&e, "kemeny-young");
    assert_eq!(k.rounds[0].votes(id("Nashville")), Some(393));
    // Copeland: Nashville 3 wins, Chattanooga 2, Knoxville 1, Memphis 0 (half points).
    let c = count(&e, "copeland");
    assert_eq!(c.rounds[0].tally.iter().map(|t| t.1).collect::<Vec<_>>(), vec![0, 6, 4, 2]);
    let m = c.pairwise.as_ref().unwrap();
    assert_eq!((m.get(id("Nashville"), id("Memphis")), m.get(id("Memphis"), id("Nashville"))), (58, 42));
    assert_eq!(m.get(id("Chattanooga"), id("Knoxville")), 83);
    // Bucklin: round 2 counts first and second choices.
    let b = count(&e, "bucklin");
    assert_eq!(b.rounds.len(), 2);
    assert_eq!(b.rounds[1].votes(id("Nashville")), Some(68));
    // Anti-plurality: Memphis is last on 58 ballots, Knoxville on 42; Nashville and
    // Chattanooga are never last and tie on 100, broken by candidate order.
    let a = count(&e, "anti-plurality");
    assert_eq!(a.rounds[0].tally.iter().map(|t| t.1).collect::<Vec<_>>(), vec![42, 100, 100, 58]);
    assert_eq!(a.ties.len(), 1);
    assert_eq!(a.winner(), Some(id("Nashville")));
}

/// Schulze (2011), "A new monotonic, clone-independent, reversal symmetric,
/// and Condorcet-consistent single-winner election method", example 1 (§3.1):
/// 45 voters, 5 candidates, winner E.
#[test]
fn schulze_paper_example_1() {
    let e = psephos::examples::schulze_2011_example_1();
    let t = count(&e, "schulze");
    assert_eq!(e.candidates.name(t.winner().unwrap()), "E");
    // No Condorcet winner: the Smith set is every candidate, so Smith/IRV is plain IRV.
    assert_eq!(winner(&e, "smith-irv"), winner(&e, "irv"));
}

/// Ranked pairs on a three-way cycle (Tideman 1987, the locking procedure):
/// A beats B 65-35, B beats C 75-25, C beats A 60-40. B>C and A>B lock, C>A
/// would close a cycle and is skipped: A wins, though minimax and Schulze agree.
#[test]
fn ranked_pairs_cycle() {
    let e = Election::from_rankings(
        &["A", "B", "C"],
        &[(40, &["A", "B", "C"]), (35, &["B", "C", "A"]), (25, &["C", "A", "B"])],
    )
    .unwrap();
    for rule in ["ranked-pairs", "ranked-pairs:margins", "schulze", "minimax", "kemeny-young"] {
        assert_eq!(winner(&e, rule), "A", "{rule}");
    }
}

#[test]
fn ballot_kinds_are_checked() {
    let ranked = tennessee();
    let scored = Election::from_scores(
        &["A", "B", "C"],
        9,
        &[(3, &[Some(9), Some(4), None]), (2, &[Some(0), Some(9), Some(7)])],
    )
    .unwrap();
    let approval =
        Election::from_scores(&["A", "B"], 1, &[(3, &[Some(1), Some(1)]), (2, &[Some(0), Some(1)])]).unwrap();
    assert!(matches!(approval.profile, Profile::Approval(_)));
    for info in CATALOGUE {
        for e in [&ranked, &scored, &approval] {
            let result = info.rule.count(e, &CountOptions::default());
            if info.rule.accepts(&e.profile) {
                let t = result.unwrap_or_else(|err| panic!("{}: {err}", info.id));
                t.check_conservation().unwrap();
            } else {
                let err = result.unwrap_err();
                assert!(matches!(err, CountError::Unsupported { .. }), "{}: {err}", info.id);
            }
        }
    }
    assert_eq!(winner(&approval, "approval"), "B");
    // Totals: A 3·9 = 27, B 3·4 + 2·9 = 30, C 14.
    assert_eq!(winner(&scored, "score"), "B");
    // An explicit conversion lets ranked rules count score ballots.
    let converted = scored.ranked_from_scores();
    assert_eq!(winner(&converted, "irv"), "A");
}

#[test]
fn withdrawn_candidates_take_no_part() {
    let e = tennessee();
    let mut candidates = e.candidates.clone();
    let memphis = candidates.id_of("Memphis").unwrap();
    candidates.get_mut(memphis).withdrawn = true;
    let e = Election::from_raw(candidates, 1, e.ranked().unwrap().clone(), NormalisePolicy::default()).unwrap();
    let t = count(&e, "borda");
    // Three standing candidates: Nashville 68·2 = 136, Chattanooga 68 + 15·2 + 17 = 115, Knoxville 49.
    assert_eq!(t.rounds[0].tally.iter().map(|t| t.1).collect::<Vec<_>>(), vec![136, 115, 49]);
    assert_eq!(t.winner(), Some(CandidateId(1)));
    for rule in ["schulze", "ranked-pairs", "copeland", "kemeny-young", "coombs", "nanson"] {
        assert_eq!(winner(&e, rule), "Nashville", "{rule}");
        assert!(count(&e, rule).rounds[0].votes(memphis).is_none(), "{rule}");
    }
}

#[test]
fn the_largest_candidate_list_counts_round_by_round() {
    // 32,767 declared candidates (the ceiling), 300 of them with votes, as
    // in a write-in heavy contest: every round is cheap, every candidate
    // without a vote leaves in round 1, and each later round eliminates one.
    let n = psephos::MAX_CANDIDATES;
    let names: Vec<String> = (0..n).map(|i| format!("C{i}")).collect();
    let mut b = psephos::RankedBallotsBuilder::new(n);
    for i in 0..300usize {
        b.push(CandidateId::from_index(i * 109));
        b.push(CandidateId::from_index((i * 7919 + 1) % n));
        b.finish(1 + (i as u64 % 3)).unwrap();
    }
    b.push(CandidateId::from_index(n - 1));
    b.finish(400).unwrap();
    let e =
        Election::from_raw(psephos::Candidates::from_names(names), 1, b.build(), NormalisePolicy::default()).unwrap();
    let t = count(&e, "irv");
    t.check_conservation().unwrap();
    assert_eq!(t.rounds[0].eliminated().count(), n - 301);
    assert!(t.rounds.len() <= 301, "{} rounds", t.rounds.len());
    assert_eq!(e.candidates.name(t.winner().unwrap()), format!("C{}", n - 1));
}
