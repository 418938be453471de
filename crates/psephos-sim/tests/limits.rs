//! The documented limits, at the limit and past it: at most 64 candidates,
//! the entrant included; at most `MAX_BALLOT_TYPES` ballot types per race;
//! at most `MAX_DRAWS` draws.

use psephos_sim::{Model, Noise, Scenario, ScenarioError, SimError, SimOptions, MAX_BALLOT_TYPES, MAX_CANDIDATES};

/// `n` candidates: A on 50, B on 20, the rest sharing 30 equally, with
/// first choices only; and, if `entrant`, an entrant on 1 taken from A.
fn many(n: usize, entrant: bool) -> String {
    let rest = 30.0 / (n - 2) as f64;
    let candidates: Vec<String> = (0..n)
        .map(|i| {
            let share = match i {
                0 => 50.0,
                1 => 20.0,
                _ => rest,
            };
            format!("{{ name = \"C{i}\", share = {share} }}")
        })
        .collect();
    let mut s = format!(
        "title = \"many\"\nsource = \"invented\"\nsample_size = 2000\nvalid_votes = 1000000\nranks = 1\n\
         rules = [\"plurality\"]\ncandidates = [ {} ]\n",
        candidates.join(", ")
    );
    if entrant {
        s.push_str("[entrant]\nname = \"E\"\nshare = 1\ndrawn_from = { C0 = 1.0 }\n");
    }
    s
}

fn field(err: ScenarioError) -> String {
    match err {
        ScenarioError::Invalid { field, .. } => field,
        other => panic!("{other:?}"),
    }
}

#[test]
fn sixty_four_candidates_with_the_entrant_simulate_correctly() {
    assert_eq!(MAX_CANDIDATES, 64);
    let s = Scenario::from_toml(&many(63, true), "many").unwrap();
    assert_eq!(s.names().len(), 64);
    let model = Model::new(&s, Noise::FULL);
    let summary = psephos_sim::run(&model, &SimOptions { draws: 300, seed: 1, rules: s.rules.clone() }, None).unwrap();
    // The leader's share is drawn around 49 (50 less the entrant's 1), not lost to an overflowing set.
    let a = summary.race.share_quantile(0, 0.5);
    assert!((a - 49.0).abs() < 3.0, "A's median share {a}");
    let e = summary.race.share_quantile(63, 0.5);
    assert!(e > 0.0 && e < 3.0, "the entrant's median share {e}");
    assert!(summary.race.win_probability(0, 0) > 0.9);
    // A 1% entrant almost never changes the winner of a 30-point lead.
    assert!(summary.change_probability(0) < 0.05, "{}", summary.change_probability(0));

    let s = Scenario::from_toml(&many(64, false), "many").unwrap();
    let model = Model::new(&s, Noise::FULL);
    let summary = psephos_sim::run(&model, &SimOptions { draws: 100, seed: 1, rules: s.rules.clone() }, None).unwrap();
    assert!((summary.race.share_quantile(0, 0.5) - 50.0).abs() < 3.0);
}

#[test]
fn past_sixty_four_candidates_is_refused_naming_the_field() {
    assert_eq!(field(Scenario::from_toml(&many(64, true), "many").unwrap_err()), "entrant");
    assert_eq!(field(Scenario::from_toml(&many(65, false), "many").unwrap_err()), "candidates");
    let message = Scenario::from_toml(&many(64, true), "many").unwrap_err().to_string();
    assert!(message.contains("at most 64 candidates, the entrant included"), "{message}");
}

#[test]
fn too_many_ballot_types_are_refused_before_any_draw() {
    let twelve: Vec<String> = (0..12).map(|i| format!("{{ name = \"C{i}\", share = {} }}", 100.0 / 12.0)).collect();
    let text = |ranks: usize| {
        format!(
            "title = \"t\"\nsource = \"s\"\nsample_size = 1000\nvalid_votes = 1000\nranks = {ranks}\ncandidates = [ {} ]\n",
            twelve.join(", ")
        )
    };
    let s = Scenario::from_toml(&text(12), "t").unwrap();
    let model = Model::new(&s, Noise::FULL);
    assert!(model.ballot_types(12, MAX_BALLOT_TYPES) > MAX_BALLOT_TYPES);
    let err = psephos_sim::run(&model, &SimOptions { draws: 1, seed: 1, rules: s.rules.clone() }, None).unwrap_err();
    assert_eq!(err, SimError::TooManyBallotTypes { ranks: 12, candidates: 12, fits: 6 });
    // Six ranks: 12 + 12·11 + … + 12·11·10·9·8·7 orderings.
    assert_eq!(model.ballot_types(6, MAX_BALLOT_TYPES), 12 + 132 + 1_320 + 11_880 + 95_040 + 665_280);

    let err = psephos_sim::run(
        &model,
        &SimOptions { draws: psephos_sim::MAX_DRAWS + 1, seed: 1, rules: s.rules.clone() },
        None,
    )
    .unwrap_err();
    assert_eq!(err, SimError::TooManyDraws(psephos_sim::MAX_DRAWS + 1));
}
