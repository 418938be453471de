//! Spoiler frequencies in simulations: agreement with the base race where
//! the model makes the two the same, determinism, and the zero-noise limit.

use psephos::analysis::spoilers::spoiler_effect;
use psephos::{CountOptions, Election};
use psephos_sim::presets;
use psephos_sim::{Draw, Measures, Model, Noise, Scenario, SimOptions, Summary, Workspace};

/// An entrant E drawn from B alone, whose voters all rank B next; no other
/// row names E; `ranks` is the number of candidates. Withdrawing E from the
/// ballots then hands back exactly the ballots of the base race, up to the
/// rounding of whole votes, which a billion valid votes makes irrelevant
/// next to the draws' margins (a rounding difference is a few votes).
const SAME_AS_BASE: &str = r#"
title = "Entrant drawn from one candidate"
source = "invented for this test"
sample_size = 1000
valid_votes = 1000000000
ranks = 4
candidates = [ { name = "A", share = 38 }, { name = "B", share = 37 }, { name = "C", share = 25 } ]

[preferences]
A = { C = 0.5 }
B = { C = 0.4, A = 0.1 }
C = { A = 0.3, B = 0.3 }
E = { B = 1.0 }

[entrant]
name = "E"
share = 8
drawn_from = { B = 1.0 }
"#;

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, "test").unwrap()
}

fn preset(id: &str) -> Scenario {
    scenario(presets::find(id).unwrap().text)
}

fn run(s: &Scenario, noise: Noise, draws: u64, seed: u64) -> Summary {
    let options = SimOptions { draws, seed, rules: s.rules.clone() };
    psephos_sim::run_with(&Model::new(s, noise), &options, &Measures::SPOILERS, None).unwrap()
}

/// Draw by draw, with the public model: whenever the entrant loses, "the
/// entrant is a spoiler" (the core's test on the race's ballots) holds
/// exactly when the base race elects someone else.
#[test]
fn entrant_spoiler_iff_base_winner_differs_when_withdrawal_is_the_base_race() {
    let s = scenario(SAME_AS_BASE);
    let model = Model::new(&s, Noise::FULL);
    let entrant = model.entrant().unwrap();
    let (mut draw, mut ws) = (Draw::default(), Workspace::default());
    let count = CountOptions::default();
    let (mut lost, mut spoiled) = (0, 0);
    for t in 0..400 {
        model.draw_into(&mut psephos_sim::run::rng_for([5; 32], t), &mut draw);
        let race = Election::from_ranked(model.candidates().clone(), 1, model.ballots(&draw, false, &mut ws)).unwrap();
        let base =
            Election::from_ranked(model.base_candidates().clone(), 1, model.ballots(&draw, true, &mut ws)).unwrap();
        for &rule in &s.rules {
            let finding = spoiler_effect(&race, rule, entrant, &count).unwrap();
            if finding.winners_with.contains(&entrant) {
                continue;
            }
            lost += 1;
            let base_winner = rule.count(&base, &count).unwrap().elected;
            assert_eq!(finding.is_spoiler(), base_winner != finding.winners_with, "draw {t}, {rule}");
            if finding.is_spoiler() {
                assert_eq!(finding.winners_without, base_winner, "draw {t}, {rule}");
                spoiled += 1;
            }
        }
    }
    // The test has teeth: the entrant loses often and is sometimes a spoiler.
    assert!(lost > 1000 && spoiled > 20, "lost {lost}, spoiled {spoiled}");
}

/// The same through the runner's counters: the entrant changes the winner
/// exactly when it wins or is a spoiler.
#[test]
fn runner_counts_agree_with_winner_changes_when_withdrawal_is_the_base_race() {
    let s = scenario(SAME_AS_BASE);
    let sum = run(&s, Noise::FULL, 2000, 8);
    let spoilers = sum.spoilers.as_ref().unwrap();
    let e = s.names().len() - 1;
    for r in 0..s.rules.len() {
        assert_eq!(sum.changes[r], sum.race.wins(r, e) + spoilers.spoiler_draws(r, e), "{}", s.rules[r]);
    }
    // Under plurality the entrant can only hurt B, the candidate its voters come from.
    assert!(spoilers.spoiler_draws(0, e) > 0);
    assert_eq!(spoilers.hurt_draws(0, e), vec![0, spoilers.spoiler_draws(0, e), 0, 0]);
}

/// In the London preset the two questions differ: at the poll itself,
/// Corbyn's presence changes the FPTP winner (the base race returns his
/// voters to the parties they came from: Khan 33, Hall 32), but withdrawing
/// him does not (his voters' next choices give Khan 30.4 and Hall 31.5).
#[test]
fn withdrawal_and_base_race_differ_in_the_london_preset() {
    let s = preset("london-2024-corbyn-rw");
    let sum = run(&s, Noise::NONE, 50, 1);
    let spoilers = sum.spoilers.as_ref().unwrap();
    let corbyn = s.names().iter().position(|n| *n == "Corbyn").unwrap();
    assert_eq!(sum.changes[0], 50);
    assert_eq!(spoilers.spoiler_draws(0, corbyn), 0);
    // Every draw is the same election, so every count is 0 or 50.
    for r in 0..s.rules.len() {
        for c in 0..s.names().len() {
            assert!([0, 50].contains(&spoilers.spoiler_draws(r, c)));
        }
    }
}

#[test]
fn spoiler_counts_do_not_depend_on_the_thread_count() {
    let s = preset("london-2024-corbyn-rw");
    let in_pool = |threads| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| run(&s, Noise::FULL, 700, 4))
    };
    let one = in_pool(1);
    assert_eq!(one, in_pool(3));
    let spoilers = one.spoilers.as_ref().unwrap();
    assert_eq!(spoilers.draws(), 700);
    for r in 0..s.rules.len() {
        for c in 0..s.names().len() {
            // A winner is never a spoiler; the combinations add up to the spoiler count.
            assert!(spoilers.spoiler_draws(r, c) + one.race.wins(r, c) <= 700);
            let by_hurt: u64 = spoilers.hurt_draws(r, c).iter().sum();
            let by_helped: u64 = spoilers.helped_draws(r, c).iter().sum();
            assert_eq!(by_hurt, spoilers.spoiler_draws(r, c));
            assert_eq!(by_helped, spoilers.spoiler_draws(r, c));
        }
        assert!(spoilers.effects(r).all(|e| e.spoiler != e.helped && e.helped != e.hurt && e.draws > 0));
    }
}

#[test]
fn without_the_measure_there_are_no_spoiler_counters_and_nothing_else_changes() {
    let s = preset("london-2024-corbyn-rw");
    let options = SimOptions { draws: 300, seed: 6, rules: s.rules.clone() };
    let model = Model::new(&s, Noise::FULL);
    let plain = psephos_sim::run(&model, &options, None).unwrap();
    assert!(plain.spoilers.is_none());
    let with = psephos_sim::run_with(&model, &options, &Measures::SPOILERS, None).unwrap();
    assert_eq!(Summary { spoilers: None, ..with }, plain);
}

#[test]
fn two_candidates_have_no_spoiler() {
    let s = scenario(
        "title = \"t\"\nsource = \"s\"\nsample_size = 1000\nvalid_votes = 1000\n\
         candidates = [ { name = \"A\", share = 50 }, { name = \"B\", share = 50 } ]\n",
    );
    let sum = run(&s, Noise::FULL, 200, 2);
    let spoilers = sum.spoilers.unwrap();
    assert!((0..s.rules.len()).all(|r| spoilers.spoiler_draws(r, 0) + spoilers.spoiler_draws(r, 1) == 0));
}
