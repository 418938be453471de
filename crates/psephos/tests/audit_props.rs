//! Property tests of the audit: every witness, counted again, shows what it
//! claims; withdrawal matches normalising the ballots with the candidate
//! withdrawn; the Condorcet shortcut matches counting again.

use proptest::prelude::*;
use psephos::analysis::{apply_changes, audit, AuditOptions, ParadoxKind, SpoilerOptions};
use psephos::{CandidateId, Candidates, CountOptions, Election, NormalisePolicy, RankedBallotsBuilder, Rule};

const RULES: &[&str] = &[
    "plurality",
    "supplementary-vote",
    "contingent-vote",
    "two-round",
    "irv",
    "borda",
    "coombs",
    "bucklin",
    "copeland",
    "minimax",
    "schulze",
    "ranked-pairs",
    "smith-irv",
    "condorcet-irv",
    "baldwin",
    "nanson",
    "btr-irv",
];

/// Strict rankings (possibly truncated) with weights, over `n` candidates.
fn profile(n: u16) -> impl Strategy<Value = Vec<(u64, Vec<u16>)>> {
    let ranking = Just((0..n).collect::<Vec<u16>>())
        .prop_shuffle()
        .prop_flat_map(move |p| (1..=p.len()).prop_map(move |len| p[..len].to_vec()));
    prop::collection::vec((1u64..30, ranking), 2..9)
}

fn raw(n: u16, ballots: &[(u64, Vec<u16>)]) -> psephos::RankedBallots {
    let mut b = RankedBallotsBuilder::new(n as usize);
    for (w, r) in ballots {
        for &c in r {
            b.push(CandidateId(c));
        }
        b.finish(*w).unwrap();
    }
    b.build()
}

fn election(n: u16, ballots: &[(u64, Vec<u16>)]) -> Election {
    let names: Vec<String> = (0..n).map(|i| format!("C{i}")).collect();
    Election::from_raw(Candidates::from_names(names), 1, raw(n, ballots), NormalisePolicy::default()).unwrap()
}

fn prefers(r: &[CandidateId], a: CandidateId, b: CandidateId) -> bool {
    match (r.iter().position(|&x| x == a), r.iter().position(|&x| x == b)) {
        (Some(x), Some(y)) => x < y,
        (Some(_), None) => true,
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_witness_shows_what_it_claims(n in 3u16..6, ballots in profile(5)) {
        let ballots: Vec<(u64, Vec<u16>)> =
            ballots.into_iter().map(|(w, r)| (w, r.into_iter().filter(|&c| c < n).collect())).collect();
        let e = election(n, &ballots);
        let rules: Vec<Rule> = RULES.iter().map(|r| r.parse().unwrap()).collect();
        let a = audit(&e, &rules, &AuditOptions::thorough()).unwrap();
        let opts = CountOptions::default();
        for ra in a.audited() {
            let w = ra.tabulation.winner().unwrap();
            if let Some(p) = &ra.paradoxes {
                for f in &p.findings {
                    prop_assert!(f.confirmed);
                    let changed = apply_changes(&e, &f.witness.changes).unwrap();
                    let t = ra.rule.count(&changed, &opts).unwrap();
                    prop_assert_eq!(&t.elected, &f.witness.recount.elected);
                    match f.kind {
                        ParadoxKind::UpwardMonotonicity => {
                            prop_assert!(!t.elected.contains(&w));
                            for c in &f.witness.changes {
                                // W raised to the top, the others' order kept.
                                let to = c.to.as_ref().unwrap();
                                prop_assert_eq!(to[0], w);
                                let rest_to: Vec<_> = to[1..].to_vec();
                                let rest_from: Vec<_> = c.from.iter().copied().filter(|&x| x != w).collect();
                                prop_assert_eq!(rest_to, rest_from);
                            }
                        }
                        ParadoxKind::DownwardMonotonicity => {
                            prop_assert!(t.elected.contains(&f.candidate));
                            prop_assert!(f.candidate != w);
                            for c in &f.witness.changes {
                                // The loser lowered: first before, not first after.
                                let to = c.to.as_ref().unwrap();
                                prop_assert_eq!(c.from[0], f.candidate);
                                prop_assert!(to[0] != f.candidate);
                            }
                        }
                        ParadoxKind::NoShow => {
                            let nw = t.winner().unwrap();
                            prop_assert!(nw != w);
                            prop_assert_eq!(nw, f.candidate);
                            for c in &f.witness.changes {
                                prop_assert!(c.to.is_none());
                                prop_assert!(prefers(&c.from, nw, w));
                            }
                        }
                    }
                }
            }
            if let Some(m) = &ra.margin {
                let changed = apply_changes(&e, &m.witness.changes).unwrap();
                let t = ra.rule.count(&changed, &opts).unwrap();
                prop_assert!(!t.elected.contains(&w), "{}", ra.rule);
                prop_assert_eq!(m.witness.ballots(), m.ballots);
            }
        }
    }

    #[test]
    fn withdrawal_matches_normalising_without_the_candidate(n in 3u16..6, ballots in profile(5), gone in 0u16..3) {
        let ballots: Vec<(u64, Vec<u16>)> =
            ballots.into_iter().map(|(w, r)| (w, r.into_iter().filter(|&c| c < n).collect())).collect();
        let e = election(n, &ballots);
        let fast = e.without(CandidateId(gone));
        let mut cands = e.candidates.clone();
        cands.get_mut(CandidateId(gone)).withdrawn = true;
        let slow = Election::from_raw(cands, 1, raw(n, &ballots), NormalisePolicy::default()).unwrap();
        for id in RULES {
            let rule: Rule = id.parse().unwrap();
            let a = rule.count(&fast, &CountOptions::default()).unwrap();
            let b = rule.count(&slow, &CountOptions::default()).unwrap();
            prop_assert_eq!(a.elected, b.elected, "{}", id);
        }
    }

    #[test]
    fn condorcet_shortcut_matches_recount(n in 3u16..6, ballots in profile(5)) {
        let ballots: Vec<(u64, Vec<u16>)> =
            ballots.into_iter().map(|(w, r)| (w, r.into_iter().filter(|&c| c < n).collect())).collect();
        let e = election(n, &ballots);
        let rules: Vec<Rule> = RULES.iter().map(|r| r.parse().unwrap()).collect();
        let quick = AuditOptions { spoilers: SpoilerOptions::FAST, ..AuditOptions::standard() };
        let full = AuditOptions { spoilers: SpoilerOptions::RECOUNT, ..AuditOptions::standard() };
        let a = audit(&e, &rules, &quick).unwrap();
        let b = audit(&e, &rules, &full).unwrap();
        for (x, y) in a.audited().zip(b.audited()) {
            for (s, t) in x.spoilers.iter().zip(&y.spoilers) {
                prop_assert_eq!(&s.winners_without, &t.winners_without, "{} without {}", x.rule, s.candidate);
            }
        }
    }
}
