//! Property tests of the proportional rules: list allocations fill exactly
//! the seats asked for; every STV round conserves the vote (candidates +
//! inactive + rounding loss = total); Meek's keep values stay within [0, 1];
//! STV fills every seat.

use proptest::prelude::*;
use psephos::rules::mixed::{allocate_ams, AmsOptions};
use psephos::rules::party_list::{allocate, ListMethod, ListOptions, Threshold};
use psephos::{CandidateId, Candidates, CountOptions, Election, RankedBallotsBuilder, RoundAction, Rule, TieBreak};

fn election(n: usize, seats: u32, ballots: &[(u64, Vec<usize>)]) -> Election {
    let mut raw = RankedBallotsBuilder::new(n);
    for (w, order) in ballots {
        let mut seen = vec![false; n];
        for &c in order {
            if !seen[c % n] {
                seen[c % n] = true;
                raw.push(CandidateId((c % n) as u16));
            }
        }
        raw.finish(*w).unwrap();
    }
    let names: Vec<String> = (0..n).map(|i| format!("C{i}")).collect();
    Election::from_ranked(Candidates::from_names(names), seats, raw.build()).unwrap()
}

fn ballots() -> impl Strategy<Value = (usize, u32, Vec<(u64, Vec<usize>)>)> {
    (3usize..8).prop_flat_map(|n| {
        (Just(n), 1u32..(n as u32), prop::collection::vec((1u64..50, prop::collection::vec(0usize..n, 0..n)), 1..40))
    })
}

proptest! {
    #[test]
    fn allocations_fill_the_seats(
        votes in prop::collection::vec(0u64..1_000_000, 1..12),
        seats in 0u32..60,
        method in prop::sample::select(ListMethod::ALL.to_vec()),
        threshold in prop::option::of(0u32..1_000),
    ) {
        prop_assume!(votes.iter().any(|&v| v > 0));
        let options = ListOptions { method, seats, threshold: threshold.map(Threshold) };
        let chain: TieBreak = "previous-rounds,candidate-order".parse().unwrap();
        if let Ok(a) = allocate(&votes, &options, &chain) {
            prop_assert_eq!(a.total_seats(), seats);
            for (p, &s) in a.seats.iter().enumerate() {
                prop_assert!(s == 0 || a.eligible[p]);
            }
        } else {
            // Only when every party is below the threshold.
            prop_assert!(threshold.is_some());
        }
    }

    #[test]
    fn ams_fills_the_list_seats(
        votes in prop::collection::vec(1u64..1_000_000, 1..8),
        won in prop::collection::vec(0u32..6, 8),
        list_seats in 1u32..20,
    ) {
        let won = &won[..votes.len()];
        let o = AmsOptions { list_seats, ..AmsOptions::SCOTTISH_PARLIAMENT_REGION };
        let r = allocate_ams(&votes, won, &o, &TieBreak::default()).unwrap();
        prop_assert_eq!(r.list_seats.iter().sum::<u32>(), list_seats);
        for ((&total, &list), &w) in r.total_seats.iter().zip(&r.list_seats).zip(won) {
            prop_assert_eq!(total, list + w);
        }
    }

    #[test]
    fn stv_conserves_votes_and_fills_the_seats((n, seats, bs) in ballots()) {
        let e = election(n, seats, &bs);
        for rule in ["scottish-stv", "stv:hare", "stv:exact-droop", "meek", "meek:droop"] {
            let rule: Rule = rule.parse().unwrap();
            let t = rule.count(&e, &CountOptions::default()).unwrap();
            prop_assert!(t.check_conservation().is_ok(), "{}: {:?}", rule, t.check_conservation());
            prop_assert_eq!(t.elected.len(), seats as usize);
            let mut sorted = t.elected.clone();
            sorted.sort_unstable();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), seats as usize);
            let unit = t.unit();
            for r in &t.rounds {
                if let Some(RoundAction::Iteration { keep_values, .. }) = &r.action {
                    prop_assert!(keep_values.iter().all(|&(_, k)| k <= unit));
                }
            }
        }
    }

    #[test]
    fn multi_plurality_fills_the_seats((n, seats, bs) in ballots()) {
        let e = election(n, seats, &bs);
        for rule in [Rule::Block, Rule::Sntv] {
            let t = rule.count(&e, &CountOptions::default()).unwrap();
            prop_assert_eq!(t.elected.len(), seats as usize);
            prop_assert!(t.check_conservation().is_ok());
        }
    }
}
