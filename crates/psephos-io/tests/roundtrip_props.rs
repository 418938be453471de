//! Property tests: ballots written as BLT or PrefLib read back identical.

use proptest::prelude::*;
use psephos::{Candidate, CandidateId, Candidates, RankedBallotsBuilder};
use psephos_io::{blt, preflib, write_blt, write_preflib, BallotFile, Format};

/// One rank level: `None` is a skipped rank, an empty list an overvote of
/// unnamed candidates (`-=-`), otherwise 1–3 candidate indices.
type Level = Option<Vec<usize>>;

fn file(
    names: Vec<String>,
    withdrawn: Vec<bool>,
    seats: u32,
    title: Option<String>,
    ballots: &[(u64, Vec<Level>)],
) -> BallotFile {
    let n = names.len();
    let mut candidates = Candidates::new();
    for (name, gone) in names.into_iter().zip(withdrawn) {
        let mut c = Candidate::new(name);
        c.withdrawn = gone;
        candidates.push(c);
    }
    let mut builder = RankedBallotsBuilder::new(n);
    for (weight, levels) in ballots {
        for level in levels {
            match level {
                None => builder.push_skip(),
                Some(ids) if ids.is_empty() => builder.push_unnamed_overvote(),
                Some(ids) => {
                    let ids: Vec<CandidateId> = ids.iter().map(|&i| CandidateId((i % n) as u16)).collect();
                    builder.push_level(&ids);
                }
            }
        }
        builder.finish(*weight).unwrap();
    }
    BallotFile {
        title,
        candidates,
        seats: Some(seats),
        ballots: builder.build(),
        format: Format::Blt,
        options: Default::default(),
    }
}

fn names() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::hash_set("[A-Za-z0-9 '\"\\\\#.=-]{0,12}", 1..8).prop_map(|s| s.into_iter().collect())
}

fn ballots(max_levels: usize) -> impl Strategy<Value = Vec<(u64, Vec<Level>)>> {
    let level = proptest::option::weighted(0.85, proptest::collection::vec(0usize..64, 0..3));
    proptest::collection::vec((1u64..1000, proptest::collection::vec(level, 0..max_levels)), 0..40)
}

/// The option lines and the text after the title, for `n` candidates: a
/// seed for the orders, whether to give nicknames, a tie order and
/// undeclared candidates, droop options, and a source, comment and notes.
type Extras = (u64, bool, bool, Vec<bool>, Vec<String>, Option<String>, Option<String>, Vec<String>);

fn extras() -> impl Strategy<Value = Extras> {
    let text = "[A-Za-z]([A-Za-z0-9 ,.#\"]{0,18}[A-Za-z0-9.])?";
    (
        any::<u64>(),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(any::<bool>(), 8),
        proptest::collection::vec("[a-z_]{1,6}(=[0-9a-z.]{1,4})?", 0..3),
        proptest::option::of("[A-Za-z0-9 \"\\\\]{0,12}"),
        proptest::option::of("[A-Za-z0-9 \"]{0,12}"),
        proptest::collection::vec(text, 0..3),
    )
}

/// `f` with the option lines and text after the title that `x` describes.
fn with_extras(mut f: BallotFile, x: Extras) -> BallotFile {
    let (seed, nicks, tie, undeclared, droop, source, comment, notes) = x;
    let n = f.candidates.len();
    let o = &mut f.options;
    if nicks {
        o.nicknames = (0..n).map(|i| format!("n{i}x")).collect();
    }
    if tie {
        // A rotation of the ballot order, by the seed.
        o.tie_order = Some((0..n).map(|i| CandidateId(((i + seed as usize % n) % n) as u16)).collect());
    }
    o.undeclared = (0..n).filter(|&i| undeclared[i]).map(|i| CandidateId(i as u16)).collect();
    o.droop = droop;
    if f.title.is_some() {
        o.source = source;
        o.comment = comment.filter(|_| o.source.is_some());
        o.notes = notes;
    }
    f
}

proptest! {
    #[test]
    fn blt_options_round_trip(
        names in names(),
        seats in 1u32..4,
        title in proptest::option::of("[A-Za-z0-9 ]{0,20}"),
        ballots in ballots(5),
        extras in extras(),
    ) {
        let n = names.len();
        let f = with_extras(file(names, vec![false; n], seats, title, &ballots), extras);
        let mut out = Vec::new();
        write_blt(&mut out, &f).unwrap();
        let again = blt::read("p.blt", &out).unwrap();
        prop_assert_eq!(again, f);
    }

    #[test]
    fn blt_round_trips(
        names in names(),
        withdrawn in proptest::collection::vec(any::<bool>(), 8),
        seats in 1u32..4,
        title in proptest::option::of("[A-Za-z0-9 \"\\\\]{0,20}"),
        ballots in ballots(7),
    ) {
        let withdrawn = withdrawn[..names.len()].to_vec();
        let f = file(names, withdrawn, seats, title, &ballots);
        let mut out = Vec::new();
        write_blt(&mut out, &f).unwrap();
        let again = blt::read("p.blt", &out).unwrap();
        prop_assert_eq!(again, f);
    }

    #[test]
    fn preflib_round_trips(
        names in proptest::collection::hash_set("[A-Za-z][A-Za-z0-9 ]{0,10}[a-z]", 1..8),
        orders in proptest::collection::vec((1u64..1000, Just(()).prop_perturb(|_, mut rng| {
            // A random order with ties, as a list of levels over 0..8.
            let mut ids: Vec<usize> = (0..8).collect();
            for i in (1..8).rev() {
                ids.swap(i, rng.random_range(0..=i));
            }
            let keep = rng.random_range(0..=8);
            let mut levels: Vec<Vec<usize>> = Vec::new();
            for id in ids.into_iter().take(keep) {
                match levels.last_mut() {
                    Some(l) if rng.random_bool(0.2) => l.push(id),
                    _ => levels.push(vec![id]),
                }
            }
            levels
        })), 0..40),
    ) {
        let names: Vec<String> = names.into_iter().collect();
        let n = names.len();
        // Keep only ids below n so no candidate is listed twice.
        let ballots: Vec<(u64, Vec<Level>)> = orders
            .into_iter()
            .map(|(w, levels)| {
                let levels = levels
                    .into_iter()
                    .map(|l| l.into_iter().filter(|&i| i < n).collect::<Vec<_>>())
                    .filter(|l| !l.is_empty())
                    .map(Some)
                    .collect();
                (w, levels)
            })
            .collect();
        let mut f = file(names, vec![false; n], 1, Some("Poll".into()), &ballots);
        f.seats = None;
        f.format = Format::PrefLib;
        let mut out = Vec::new();
        let dt = write_preflib(&mut out, &f).unwrap();
        let again = preflib::read(&format!("p.{dt}"), &out).unwrap();
        prop_assert_eq!(again, f);
    }
}
