//! Positional (scoring) rules: the Borda count, the Dowdall system and
//! anti-plurality.
//!
//! Each ballot gives every candidate points according to the place it ranks
//! them in; the candidate with the most points wins. With `n` standing
//! candidates and a candidate ranked at place `i` (1-based):
//!
//! - **Borda** (J.-C. de Borda, *Mémoire sur les élections au scrutin*, 1781):
//!   `n - i` points, the number of candidates ranked below.
//! - **Dowdall** (Nauru, Electoral Act 2016, s. 101 and sch. 2; designed by
//!   Desmond Dowdall, 1971): `1 / i` points.
//! - **Anti-plurality** (each voter votes against one candidate): one point to
//!   every candidate except the one ranked last.
//!
//! Truncated ballots (ranking fewer than `n` candidates) and equal rankings
//! follow declared conventions ([`BordaTruncation`] for Borda):
//!
//! - Unranked candidates share the lowest places. By default
//!   ([`BordaTruncation::Zero`]) they get the points of last place, 0, and
//!   the ranked candidates keep the points of their places: a candidate's
//!   Borda points are the number of candidates the ballot ranks strictly
//!   below it, unranked ones included, which makes a candidate's Borda score
//!   the sum of its row of the pairwise matrix (Saari, *Basic Geometry of
//!   Voting*, 1995). Candidates ranked equal get the points of the highest
//!   of their places minus the places they share, the same rule.
//! - [`BordaTruncation::Modified`] (the modified Borda count, P. Emerson,
//!   *Designing an All-Inclusive Democracy*, 2007): a ballot ranking `k`
//!   candidates gives `k` points to its first choice, `k - 1` to its second, …,
//!   1 to its last, and 0 to unranked ones.
//! - [`BordaTruncation::Averaged`]: candidates sharing places (the unranked
//!   ones, or an equal ranking) share the points of those places equally; the
//!   tally is then in half points (scale 2).
//! - Dowdall gives unranked candidates nothing and equal-ranked ones the
//!   points of the highest place they share. Its tally is scaled by
//!   `L = lcm(1, …, n)`, so that every entry is a whole number; a count whose
//!   scaled points would pass 2^64 is refused.
//! - Anti-plurality: a ballot gives its point to every candidate ranked above
//!   at least one other (unranked candidates share last place); a ballot that
//!   ranks nobody gives no points.
//!
//! Every rule reports one round of scores ([`RoundKind::Scores`]); the most
//! points wins, ties through the tie-break chain.
//!
//! [`RoundKind::Scores`]: crate::RoundKind::Scores
//!
//! ```
//! use psephos::{CountOptions, Election, Rule};
//! let e = Election::from_rankings(
//!     &["A", "B", "C"],
//!     &[(3, &["A", "B", "C"]), (2, &["B", "C", "A"])],
//! ).unwrap();
//! let t = "borda".parse::<Rule>().unwrap().count(&e, &CountOptions::default()).unwrap();
//! // A: 3 × 2 = 6; B: 3 × 1 + 2 × 2 = 7; C: 2 × 1 = 2.
//! assert_eq!(t.rounds[0].tally, vec![(e.candidates.id_of("A").unwrap(), 6), (e.candidates.id_of("B").unwrap(), 7), (e.candidates.id_of("C").unwrap(), 2)]);
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "B");
//! ```

use std::fmt;

use super::scored::{blank_weight, standing_ids, OneRound};
use super::CountOptions;
use crate::ballots::store::{is_placeholder, TIED};
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::tabulation::Tabulation;

/// How the Borda count scores truncated ballots and equal rankings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BordaTruncation {
    /// Points = candidates ranked strictly below; unranked candidates get 0.
    #[default]
    Zero,
    /// The modified Borda count: points counted from the ballot's own length.
    Modified,
    /// Shared places share their points (tally in half points).
    Averaged,
}

/// Borda options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BordaOptions {
    /// The truncated-ballot convention.
    pub truncation: BordaTruncation,
}

impl BordaOptions {
    /// The default: unranked candidates get no points.
    pub const STANDARD: BordaOptions = BordaOptions { truncation: BordaTruncation::Zero };
    /// The modified Borda count.
    pub const MODIFIED: BordaOptions = BordaOptions { truncation: BordaTruncation::Modified };
    /// Shared places share their points.
    pub const AVERAGED: BordaOptions = BordaOptions { truncation: BordaTruncation::Averaged };
}

impl fmt::Display for BordaTruncation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BordaTruncation::Zero => "zero",
            BordaTruncation::Modified => "modified",
            BordaTruncation::Averaged => "averaged",
        })
    }
}

/// One ballot's level, as a positional rule sees it.
#[derive(Clone, Copy)]
struct Place {
    /// Candidates ranked above this level.
    above: u64,
    /// Candidates at this level.
    size: u64,
    /// Candidates the ballot ranks.
    ranked: u64,
    /// Standing candidates.
    n: u64,
}

/// Sums `points(place) × weight` for every ranked candidate, plus
/// `unranked(ranked, n) × weight` for every unranked standing candidate.
fn positional(
    election: &Election,
    rule: &'static str,
    points: impl Fn(Place) -> u128,
    unranked: impl Fn(u64, u64) -> u128,
) -> Result<(Vec<(CandidateId, u64)>, u64), CountError> {
    let ballots = super::ranked(election, rule)?;
    let standing = standing_ids(election);
    let n = standing.len() as u64;
    let nc = ballots.num_candidates();
    // Scores may pass u64 while they accumulate (an unranked share is added
    // to everyone and taken back from the ranked): keep them in i128.
    let mut acc = vec![0i128; nc];
    let mut everyone: i128 = 0;
    let mut level: Vec<usize> = Vec::with_capacity(nc);
    // `lone[k][j]`: the points of a candidate alone at place `j` of a
    // ballot ranking `k`, one candidate per place (most ballots), and the
    // unranked share, worked out once per length met.
    let mut lone: Vec<Option<(Vec<i128>, i128)>> = Vec::new();
    for b in ballots.iter() {
        let marks = b.marks();
        let w = i128::from(b.weight);
        if marks.iter().all(|&m| m & TIED == 0 && !is_placeholder(m)) {
            let k = marks.len();
            if lone.len() <= k {
                lone.resize(k + 1, None);
            }
            let (points_at, share) = lone[k].get_or_insert_with(|| {
                let ranked = k as u64;
                let at = (0..ranked).map(|j| points(Place { above: j, size: 1, ranked, n }) as i128).collect();
                (at, unranked(ranked, n) as i128)
            });
            let share = *share * w;
            everyone += share;
            for (&m, &p) in marks.iter().zip(points_at.iter()) {
                acc[usize::from(m)] += p * w - share;
            }
            continue;
        }
        let ranked = marks.iter().filter(|&&m| !is_placeholder(m)).count() as u64;
        let share = unranked(ranked, n) as i128 * w;
        everyone += share;
        let mut above = 0u64;
        level.clear();
        for &m in marks {
            if is_placeholder(m) {
                continue;
            }
            level.push((m & !TIED) as usize);
            if m & TIED == 0 {
                let size = level.len() as u64;
                let p = points(Place { above, size, ranked, n }) as i128 * w;
                for &c in &level {
                    acc[c] += p - share;
                }
                above += size;
                level.clear();
            }
        }
    }
    let mut tally = Vec::with_capacity(standing.len());
    for c in standing {
        let v = acc[c.index()] + everyone;
        let v = u64::try_from(v).map_err(|_| CountError::Unsupported {
            rule,
            reason: "the scaled points pass 2^64; too many candidates or ballots for exact points".into(),
        })?;
        tally.push((c, v));
    }
    Ok((tally, blank_weight(ballots)))
}

/// The Borda scores ([`BordaTruncation::Zero`]) read off the store's
/// pairwise matrix when it has been built, with no pass over the ballots:
/// a candidate's points on a ballot are the standing candidates it ranks
/// strictly below them, unranked ones included, so their score is the sum
/// of their row of the matrix over the standing candidates (Saari, *Basic
/// Geometry of Voting*, 1995). `None` when the matrix is not built, or when
/// some ballot ranks a candidate who is not standing (whose place would
/// still count in the ballot's positions).
fn borda_from_matrix(election: &Election) -> Result<Option<Vec<(CandidateId, u64)>>, CountError> {
    let ballots = super::ranked(election, "borda")?;
    let Some(tallies) = ballots.built_pairwise() else { return Ok(None) };
    if election.candidates.iter().any(|(c, info)| info.withdrawn && tallies.ranked_weight(c) > 0) {
        return Ok(None);
    }
    let m = &tallies.matrix;
    let standing = standing_ids(election);
    let mut tally = Vec::with_capacity(standing.len());
    for &c in &standing {
        let v: u128 = standing.iter().filter(|&&d| d != c).map(|&d| u128::from(m.get(c, d))).sum();
        let v = u64::try_from(v).map_err(|_| CountError::Unsupported {
            rule: "borda",
            reason: "the scaled points pass 2^64; too many candidates or ballots for exact points".into(),
        })?;
        tally.push((c, v));
    }
    Ok(Some(tally))
}

/// Counts under the Borda count.
pub fn borda(election: &Election, options: &CountOptions, borda: BordaOptions) -> Result<Tabulation, CountError> {
    borda_unlabelled(election, options, borda).map(|t| t.labelled(super::Rule::Borda(borda)))
}

fn borda_unlabelled(
    election: &Election,
    options: &CountOptions,
    borda: BordaOptions,
) -> Result<Tabulation, CountError> {
    let (tally, blank, scale) = match borda.truncation {
        BordaTruncation::Zero => match borda_from_matrix(election)? {
            Some(t) => (t, blank_weight(super::ranked(election, "borda")?), 1),
            None => {
                let (t, b) = positional(election, "borda", |p| u128::from(p.n - p.above - p.size), |_, _| 0)?;
                (t, b, 1)
            }
        },
        BordaTruncation::Modified => {
            let (t, b) = positional(election, "borda", |p| u128::from(p.ranked - p.above - p.size + 1), |_, _| 0)?;
            (t, b, 1)
        }
        BordaTruncation::Averaged => {
            // Places above..above+size hold points n-1-above down to n-above-size;
            // twice their mean is 2(n - above - size) + size - 1.
            let (t, b) = positional(
                election,
                "borda",
                |p| u128::from(2 * (p.n - p.above - p.size) + p.size - 1),
                |ranked, n| u128::from((n - ranked).saturating_sub(1)),
            )?;
            (t, b, 2)
        }
    };
    let total = election.total_ballots();
    OneRound { rule: "borda", tally, scale, lowest_wins: false, total, blank, pairwise: None }.finish(election, options)
}

/// Counts under the Dowdall system.
pub fn dowdall(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let n = election.candidates.standing().count() as u64;
    let too_many = || CountError::Unsupported {
        rule: "dowdall",
        reason: format!("{n} candidates: lcm(1..={n}) is too large for exact points"),
    };
    let mut lcm: u64 = 1;
    for i in 1..=n.max(1) {
        lcm = (lcm / gcd(lcm, i)).checked_mul(i).ok_or_else(too_many)?;
    }
    let (tally, blank) = positional(election, "dowdall", |p| u128::from(lcm / (p.above + 1)), |_, _| 0)?;
    let total = election.total_ballots();
    OneRound { rule: "dowdall", tally, scale: lcm, lowest_wins: false, total, blank, pairwise: None }
        .finish(election, options)
}

/// Counts under anti-plurality.
pub fn anti_plurality(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let (tally, blank) = positional(election, "anti-plurality", |p| u128::from(p.n - p.above - p.size > 0), |_, _| 0)?;
    let total = election.total_ballots();
    OneRound { rule: "anti-plurality", tally, scale: 1, lowest_wins: false, total, blank, pairwise: None }
        .finish(election, options)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RoundKind;

    fn votes(t: &Tabulation, e: &Election, name: &str) -> u64 {
        t.rounds[0].votes(e.candidates.id_of(name).unwrap()).unwrap()
    }

    #[test]
    fn truncation_conventions() {
        // 4 candidates; one ballot ranks A, B only.
        let e = Election::from_rankings(&["A", "B", "C", "D"], &[(1, &["A", "B"])]).unwrap();
        let o = CountOptions::default();
        let zero = borda(&e, &o, BordaOptions::STANDARD).unwrap();
        assert_eq!([votes(&zero, &e, "A"), votes(&zero, &e, "B"), votes(&zero, &e, "C")], [3, 2, 0]);
        let modified = borda(&e, &o, BordaOptions::MODIFIED).unwrap();
        assert_eq!([votes(&modified, &e, "A"), votes(&modified, &e, "B"), votes(&modified, &e, "C")], [2, 1, 0]);
        let avg = borda(&e, &o, BordaOptions::AVERAGED).unwrap();
        // C and D share places 3 and 4: (1 + 0) / 2 = 0.5, i.e. 1 half point.
        assert_eq!([votes(&avg, &e, "A"), votes(&avg, &e, "B"), votes(&avg, &e, "C")], [6, 4, 1]);
        assert_eq!(avg.rounds[0].kind, RoundKind::Scores { scale: 2 });
    }

    #[test]
    fn dowdall_and_anti_plurality() {
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(2, &["A", "B", "C"]), (2, &["B", "C", "A"]), (1, &["C", "A"])],
        )
        .unwrap();
        let o = CountOptions::default();
        let d = dowdall(&e, &o).unwrap();
        // lcm(1,2,3) = 6. A: 2·6 + 2·2 + 1·3 = 19; B: 2·3 + 2·6 = 18; C: 2·2 + 2·3 + 1·6 = 16.
        assert_eq!(d.rounds[0].kind, RoundKind::Scores { scale: 6 });
        assert_eq!([votes(&d, &e, "A"), votes(&d, &e, "B"), votes(&d, &e, "C")], [19, 18, 16]);
        let a = anti_plurality(&e, &o).unwrap();
        // Last places: C (2), A (2), B (1, unranked).
        assert_eq!([votes(&a, &e, "A"), votes(&a, &e, "B"), votes(&a, &e, "C")], [3, 4, 3]);
        assert_eq!(e.candidates.name(a.winner().unwrap()), "B");
    }
}
