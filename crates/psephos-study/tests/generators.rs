//! Goodness of fit of the electorate models: Pearson's chi-square statistic
//! of drawn rankings against each model's exact distribution, on small
//! cases, compared with the 0.999 quantile of the chi-square distribution
//! (so a correct generator fails one seed in a thousand; the seeds are
//! fixed). Every test would fail for a generator with the wrong
//! distribution: the statistic grows with the number of draws.

use std::collections::BTreeMap;

use psephos::Election;
use psephos_study::models::mallows::{Mallows, MallowsComponent};
use psephos_study::models::plackett_luce::PlackettLuce;
use psephos_study::models::urn::Urn;
use psephos_study::models::{ic::ImpartialCulture, Scratch};
use psephos_study::profile::{candidate_names, ProfileBuilder};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// 0.999 quantiles of chi-square with 1, 5, 6, 8 and 20 degrees of freedom.
fn chi2_999(df: usize) -> f64 {
    match df {
        1 => 10.828,
        5 => 20.515,
        6 => 22.458,
        8 => 26.124,
        20 => 45.315,
        _ => unreachable!("not tabulated"),
    }
}

fn rankings(e: &Election) -> BTreeMap<Vec<usize>, u64> {
    e.ranked()
        .unwrap()
        .iter()
        .map(|b| (b.levels().flat_map(|l| l.candidates().map(|c| c.index()).collect::<Vec<_>>()).collect(), b.weight))
        .collect()
}

fn chi_square(observed: &[u64], expected_p: &[f64]) -> f64 {
    let n: u64 = observed.iter().sum();
    observed.iter().zip(expected_p).map(|(&o, &p)| (o as f64 - n as f64 * p).powi(2) / (n as f64 * p)).sum()
}

fn all_orders(k: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![vec![]];
    for _ in 0..k {
        let mut longer = Vec::new();
        for p in &out {
            for c in (0..k).filter(|c| !p.contains(c)) {
                longer.push([p.clone(), vec![c]].concat());
            }
        }
        out = longer;
    }
    out
}

fn inversions(order: &[usize], reference: &[usize]) -> usize {
    let pos = |c: usize| reference.iter().position(|&x| x == c).unwrap();
    let mut d = 0;
    for i in 0..order.len() {
        for j in i + 1..order.len() {
            d += usize::from(pos(order[i]) > pos(order[j]));
        }
    }
    d
}

#[test]
fn impartial_culture_is_uniform_over_orders() {
    for k in [3, 9] {
        // 9 candidates take the Fisher–Yates path; 3 the indexed one.
        let mut out = ProfileBuilder::new(k);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        ImpartialCulture.draw(k, 60_000, &mut rng, &mut out, &mut Scratch::default());
        let r = rankings(&out.build(&candidate_names(k)));
        if k == 3 {
            let observed: Vec<u64> = all_orders(3).iter().map(|o| r.get(o).copied().unwrap_or(0)).collect();
            let x2 = chi_square(&observed, &[1.0 / 6.0; 6]);
            assert!(x2 < chi2_999(5), "chi-square {x2}");
        } else {
            // Each candidate's first place, over 9 cells of 1/9.
            let mut first = [0u64; 9];
            for (order, w) in &r {
                first[order[0]] += w;
            }
            let x2 = chi_square(&first, &[1.0 / 9.0; 9]);
            assert!(x2 < chi2_999(8), "chi-square {x2}");
        }
    }
}

#[test]
fn mallows_distances_follow_the_mahonian_weights() {
    // P(d) ∝ φ^d × (orders of 4 at Kendall distance d): 1, 3, 5, 6, 5, 3, 1.
    let phi: f64 = 0.6;
    let reference = [2usize, 0, 3, 1];
    let mahonian = [1.0, 3.0, 5.0, 6.0, 5.0, 3.0, 1.0];
    let w: Vec<f64> = mahonian.iter().enumerate().map(|(d, m)| m * phi.powi(d as i32)).collect();
    let total: f64 = w.iter().sum();
    let p: Vec<f64> = w.iter().map(|x| x / total).collect();
    let model = Mallows::single(phi, reference.iter().map(|&c| c as u16).collect());
    let mut out = ProfileBuilder::new(4);
    model.draw(4, 50_000, &mut ChaCha8Rng::seed_from_u64(3), &mut out, &mut Scratch::default());
    let mut by_distance = [0u64; 7];
    for (order, n) in rankings(&out.build(&candidate_names(4))) {
        by_distance[inversions(&order, &reference)] += n;
    }
    let x2 = chi_square(&by_distance, &p);
    assert!(x2 < chi2_999(6), "chi-square {x2}, {by_distance:?}");
}

#[test]
fn mallows_mixture_draws_components_by_weight() {
    // Two camps with φ = 0: exactly the two reference orders, 3 : 1.
    let model = Mallows {
        components: vec![
            MallowsComponent { weight: 3.0, phi: 0.0, reference: vec![0, 1, 2] },
            MallowsComponent { weight: 1.0, phi: 0.0, reference: vec![2, 1, 0] },
        ],
    };
    let mut out = ProfileBuilder::new(3);
    model.draw(3, 40_000, &mut ChaCha8Rng::seed_from_u64(5), &mut out, &mut Scratch::default());
    let r = rankings(&out.build(&candidate_names(3)));
    assert_eq!(r.len(), 2);
    let observed = [r[&vec![0, 1, 2]], r[&vec![2, 1, 0]]];
    let x2 = chi_square(&observed, &[0.75, 0.25]);
    assert!(x2 < chi2_999(1), "chi-square {x2}");
}

#[test]
fn plackett_luce_matches_its_order_probabilities() {
    let w = [5.0, 3.0, 2.0];
    let model = PlackettLuce { weights: w.to_vec() };
    let mut out = ProfileBuilder::new(3);
    model.draw(3, 60_000, &mut ChaCha8Rng::seed_from_u64(9), &mut out, &mut Scratch::default());
    let r = rankings(&out.build(&candidate_names(3)));
    let orders = all_orders(3);
    let total: f64 = w.iter().sum();
    let p: Vec<f64> = orders.iter().map(|o| w[o[0]] / total * w[o[1]] / (total - w[o[0]])).collect();
    let observed: Vec<u64> = orders.iter().map(|o| r.get(o).copied().unwrap_or(0)).collect();
    let x2 = chi_square(&observed, &p);
    assert!(x2 < chi2_999(5), "chi-square {x2}");
}

/// Under the impartial anonymous culture every anonymous profile is equally
/// likely: with 3 candidates (6 orders) and 2 voters there are 21 profiles
/// (6 with both voters alike, 15 with two different orders), so the two
/// voters agree with probability 6/21, against 1/6 under impartial culture.
/// Also the 21 profiles one by one.
#[test]
fn iac_makes_every_anonymous_profile_equally_likely() {
    let urn = Urn::iac(3);
    let mut profiles: BTreeMap<Vec<(Vec<usize>, u64)>, u64> = BTreeMap::new();
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    let mut out = ProfileBuilder::new(3);
    let mut s = Scratch::default();
    for _ in 0..42_000 {
        out.clear();
        urn.draw(3, 2, &mut rng, &mut out, &mut s);
        *profiles.entry(rankings(&out.build(&candidate_names(3))).into_iter().collect()).or_insert(0) += 1;
    }
    assert_eq!(profiles.len(), 21);
    let observed: Vec<u64> = profiles.values().copied().collect();
    let x2 = chi_square(&observed, &[1.0 / 21.0; 21]);
    assert!(x2 < chi2_999(20), "chi-square {x2}");
}

/// The urn's convention: voter 2 copies voter 1 with probability α/(1+α),
/// and otherwise draws afresh (agreeing by chance with probability 1/k!).
#[test]
fn urn_copies_at_the_stated_rate() {
    let alpha = 0.5;
    let urn = Urn { alpha };
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut out = ProfileBuilder::new(3);
    let mut s = Scratch::default();
    let mut agree = 0u64;
    let trials = 30_000u64;
    for _ in 0..trials {
        out.clear();
        urn.draw(3, 2, &mut rng, &mut out, &mut s);
        agree += u64::from(rankings(&out.build(&candidate_names(3))).len() == 1);
    }
    let p = alpha / (1.0 + alpha) + 1.0 / (1.0 + alpha) / 6.0;
    let x2 = chi_square(&[agree, trials - agree], &[p, 1.0 - p]);
    assert!(x2 < chi2_999(1), "chi-square {x2}");
}
