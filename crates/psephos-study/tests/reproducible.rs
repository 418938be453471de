//! A study's result depends only on its options and seed: not on the number
//! of threads, and shards add up exactly to the whole run.

use psephos_study::models::spatial::{Distribution, Spatial};
use psephos_study::{default_rules, models::Model, run, ParadoxSearch, Shard, SpoilerTest, StudyCounts, StudyOptions};

fn options(model: Model, shard: Shard) -> StudyOptions {
    StudyOptions {
        model,
        candidates: 4,
        voters: 51,
        elections: 301,
        seed: 77,
        rules: default_rules(4),
        spoilers: SpoilerTest::On,
        paradoxes: ParadoxSearch::Standard,
        shard,
        count: Default::default(),
    }
}

fn with_threads(n: usize, o: &StudyOptions) -> StudyCounts {
    rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap().install(|| run(o, None).unwrap())
}

#[test]
fn shards_add_up_to_the_whole_run_whatever_the_threads() {
    let spatial =
        Model::Spatial(Spatial { dimensions: 2, distribution: Distribution::Normal, max_distance: Some(1.5) });
    for model in [Model::ImpartialCulture, spatial] {
        let whole = with_threads(1, &options(model.clone(), Shard::WHOLE));
        assert_eq!(whole.electorates, 301);
        assert_eq!(with_threads(3, &options(model.clone(), Shard::WHOLE)), whole);
        let mut merged = with_threads(2, &options(model.clone(), Shard { index: 1, count: 3 }));
        for index in [3, 2] {
            merged.merge(&with_threads(2, &options(model.clone(), Shard { index, count: 3 }))).unwrap();
        }
        assert_eq!(merged, whole);
    }
}

#[test]
fn shards_are_disjoint_and_cover_every_electorate() {
    for count in [1, 2, 7, 301, 400] {
        let mut next = 0;
        for index in 1..=count {
            let r = Shard { index, count }.range(301);
            assert_eq!(r.start, next);
            next = r.end;
        }
        assert_eq!(next, 301);
    }
    assert!("0/3".parse::<Shard>().is_err());
    assert!("4/3".parse::<Shard>().is_err());
    assert_eq!("2/3".parse::<Shard>().unwrap(), Shard { index: 2, count: 3 });
}

#[test]
fn absurd_sizes_are_refused_before_any_work() {
    let mut o = options(Model::ImpartialCulture, Shard::WHOLE);
    o.voters = 10_000_000;
    o.elections = 10_000_000;
    let err = run(&o, None).unwrap_err().to_string();
    assert!(err.contains("--voters × --elections"), "{err}");
    let mut o = options(Model::ImpartialCulture, Shard::WHOLE);
    o.candidates = 21;
    assert!(run(&o, None).unwrap_err().to_string().contains("--candidates"));
    let mut o = options(Model::ImpartialCulture, Shard::WHOLE);
    o.candidates = 12;
    o.rules = vec![psephos::Rule::KemenyYoung];
    assert!(run(&o, None).unwrap_err().to_string().contains("kemeny-young"));
    o.rules = vec!["stv".parse().unwrap()];
    assert!(run(&o, None).unwrap_err().to_string().contains("single-winner"));
}
