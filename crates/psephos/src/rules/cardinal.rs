//! Cardinal rules, on approval or score ballots: approval voting, score
//! (range) voting, STAR voting and majority judgment.
//!
//! - **`approval`** (S. J. Brams and P. C. Fishburn, "Approval voting",
//!   *American Political Science Review* 72 (1978)): each ballot approves any
//!   number of candidates; the most approvals wins. Approval ballots only.
//! - **`score`** (range voting; W. D. Smith, "Range voting", 2000): each
//!   ballot scores candidates from 0 to the maximum; the highest total wins
//!   ([`ScoreAggregate::Total`], unscored counting as 0), or the highest
//!   average over the ballots that scored the candidate
//!   ([`ScoreAggregate::Average`]; a candidate nobody scored averages 0).
//!   Averages are compared exactly (by cross-multiplication); the tally shows
//!   them in millionths (scale 1,000,000), rounded down.
//! - **`star`** (Score Then Automatic Runoff; M. Frohnmayer and the Equal
//!   Vote Coalition, "STAR Voting Official Rules", 2019): the two highest
//!   score totals go to a runoff, in which each ballot counts for the finalist
//!   it scored higher; a ballot scoring them equal counts for neither
//!   (reported as exhausted). A runoff tie goes to the chain, whose
//!   `previous-rounds` step prefers the higher score total, as the official
//!   rules do.
//! - **`majority-judgment`** (M. Balinski and R. Laraki, *Majority
//!   Judgment*, MIT Press, 2011): each ballot grades every candidate (0 to the
//!   maximum; ungraded counts as the lowest grade, 0); the candidate with the
//!   highest median grade wins (the lower median when the count is even).
//!   Ties are broken by the majority value: the medians met as median grades
//!   are removed one ballot at a time, compared in order; computed exactly
//!   from grade histograms. The tally shows each candidate's median grade.
//!
//! Score, STAR and majority judgment also count approval ballots, as scores
//! from 0 to 1. Ranked ballots are refused: they carry no scores (a ranked
//! election can be counted by a cardinal rule only after an explicit
//! conversion of the caller's choosing).
//!
//! ```
//! use psephos::{CountOptions, Election, Rule};
//! let e = Election::from_scores(
//!     &["A", "B", "C"],
//!     5,
//!     &[(4, &[Some(5), Some(3), Some(0)]), (3, &[Some(0), Some(4), Some(5)]), (2, &[Some(1), Some(5), Some(4)])],
//! ).unwrap();
//! let opts = CountOptions::default();
//! for (rule, winner) in [("score", "B"), ("star", "B"), ("majority-judgment", "B")] {
//!     let t = rule.parse::<Rule>().unwrap().count(&e, &opts).unwrap();
//!     assert_eq!(e.candidates.name(t.winner().unwrap()), winner, "{rule}");
//! }
//! assert!("approval".parse::<Rule>().unwrap().count(&e, &opts).is_err());
//! ```

use std::cmp::Ordering;
use std::fmt;

use super::scored::{scores_round, standing_ids, OneRound};
use super::transfer::Count;
use super::CountOptions;
use crate::ballots::{CardinalBallots, InactiveReason};
use crate::candidate::CandidateId;
use crate::election::{Election, Profile};
use crate::error::CountError;
use crate::tabulation::{ElectedReason, EliminatedReason, Event, Round, Tabulation};
use crate::tiebreak::{TieBreaker, TieKind};

/// How score ballots are summed up per candidate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ScoreAggregate {
    /// The sum of scores; unscored counts as 0.
    #[default]
    Total,
    /// The mean over the ballots that scored the candidate.
    Average,
}

impl fmt::Display for ScoreAggregate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ScoreAggregate::Total => "total",
            ScoreAggregate::Average => "average",
        })
    }
}

/// The scale of the average-score tally.
pub const AVERAGE_SCALE: u64 = 1_000_000;

/// The ballots of a cardinal election, or why the rule refuses it.
fn cardinal<'a>(
    election: &'a Election,
    rule: &'static str,
    approval_only: bool,
) -> Result<&'a CardinalBallots, CountError> {
    match &election.profile {
        Profile::Approval(b) => Ok(b),
        Profile::Scored(b) if !approval_only => Ok(b),
        other => Err(CountError::Unsupported {
            rule,
            reason: format!(
                "this rule counts {} ballots, and these are {} ballots",
                if approval_only { "approval" } else { "score or approval" },
                other.kind()
            ),
        }),
    }
}

fn blank(b: &CardinalBallots) -> u64 {
    b.iter().filter(|x| x.is_blank()).map(|x| x.weight).sum()
}

/// Per standing candidate: (sum of scores, weight of ballots scoring them).
fn sums(b: &CardinalBallots, standing: &[CandidateId]) -> Vec<(u128, u64)> {
    let mut out = vec![(0u128, 0u64); b.num_candidates()];
    for ballot in b.iter() {
        for &c in standing {
            if let Some(s) = ballot.score(c) {
                let e = &mut out[c.index()];
                e.0 += u128::from(s) * u128::from(ballot.weight);
                e.1 += ballot.weight;
            }
        }
    }
    out
}

fn to_u64(v: u128, rule: &'static str) -> Result<u64, CountError> {
    u64::try_from(v).map_err(|_| CountError::Unsupported { rule, reason: "score totals pass 2^64".into() })
}

/// Counts under approval voting.
pub fn approval(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let b = cardinal(election, "approval", true)?;
    let standing = standing_ids(election);
    let s = sums(b, &standing);
    let tally = standing.iter().map(|&c| Ok((c, to_u64(s[c.index()].0, "approval")?))).collect::<Result<_, _>>()?;
    let total = b.total_weight();
    OneRound { rule: "approval", tally, scale: 1, lowest_wins: false, total, blank: blank(b), pairwise: None }
        .finish(election, options)
}

/// Counts under score voting.
pub fn score(election: &Election, options: &CountOptions, aggregate: ScoreAggregate) -> Result<Tabulation, CountError> {
    score_unlabelled(election, options, aggregate).map(|t| t.labelled(super::Rule::Score(aggregate)))
}

fn score_unlabelled(
    election: &Election,
    options: &CountOptions,
    aggregate: ScoreAggregate,
) -> Result<Tabulation, CountError> {
    let b = cardinal(election, "score", false)?;
    let standing = standing_ids(election);
    let s = sums(b, &standing);
    if aggregate == ScoreAggregate::Total {
        let tally = standing.iter().map(|&c| Ok((c, to_u64(s[c.index()].0, "score")?))).collect::<Result<_, _>>()?;
        let total = b.total_weight();
        return OneRound { rule: "score", tally, scale: 1, lowest_wins: false, total, blank: blank(b), pairwise: None }
            .finish(election, options);
    }
    // Exact averages: a/n > b/m  <=>  a·m > b·n.
    let avg = |c: CandidateId| s[c.index()];
    let cmp = |x: CandidateId, y: CandidateId| {
        let ((a, n), (b2, m)) = (avg(x), avg(y));
        let (n, m) = (u128::from(n.max(1)), u128::from(m.max(1)));
        // Sums are below 2^80 (weights < 2^64, scores < 2^16); products fit in u128
        // only after scaling down, so compare as quotient and remainder.
        let (qx, rx) = (a / n, a % n);
        let (qy, ry) = (b2 / m, b2 % m);
        qx.cmp(&qy).then_with(|| (rx * m).cmp(&(ry * n)))
    };
    let tally: Vec<(CandidateId, u64)> = standing
        .iter()
        .map(|&c| {
            let (sum, n) = avg(c);
            let scaled = sum * u128::from(AVERAGE_SCALE) / u128::from(n.max(1));
            (c, u64::try_from(scaled).unwrap_or(u64::MAX))
        })
        .collect();
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    count.rounds.push(scores_round(1, tally, AVERAGE_SCALE, blank(b)));
    let winner = best_by(&mut count, &standing, cmp)?;
    count.event(Event::Elected { candidate: winner, reason: ElectedReason::MostVotes });
    Ok(count.finish("score", b.total_weight(), vec![winner]))
}

/// The greatest of `among` under `cmp`; exact ties go to the chain.
fn best_by(
    count: &mut Count<'_>,
    among: &[CandidateId],
    cmp: impl Fn(CandidateId, CandidateId) -> Ordering,
) -> Result<CandidateId, CountError> {
    let mut top: Vec<CandidateId> = Vec::new();
    for &c in among {
        match top.first().map(|&t| cmp(c, t)) {
            None | Some(Ordering::Equal) => top.push(c),
            Some(Ordering::Greater) => top = vec![c],
            Some(Ordering::Less) => {}
        }
    }
    match top.len() {
        0 => Err(CountError::Unsupported { rule: "count", reason: "no candidates".into() }),
        1 => Ok(top[0]),
        _ => count.choose(TieKind::Election, &top),
    }
}

/// Counts under STAR voting.
pub fn star(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let b = cardinal(election, "star", false)?;
    let standing = standing_ids(election);
    let s = sums(b, &standing);
    let tally: Vec<(CandidateId, u64)> =
        standing.iter().map(|&c| Ok((c, to_u64(s[c.index()].0, "star")?))).collect::<Result<_, _>>()?;
    let blank_w = blank(b);
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    count.rounds.push(scores_round(1, tally.clone(), 1, blank_w));
    if tally.len() == 1 {
        count.event(Event::Elected { candidate: tally[0].0, reason: ElectedReason::LastRemaining });
        return Ok(count.finish("star", b.total_weight(), vec![tally[0].0]));
    }
    let finalists = count.pick_extreme(&tally, 2, true)?;
    let (x, y) = (finalists[0].min(finalists[1]), finalists[0].max(finalists[1]));
    for &(c, _) in tally.iter().filter(|e| e.0 != x && e.0 != y) {
        count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::NotFinalist });
    }
    let (mut vx, mut vy) = (0u64, 0u64);
    let mut round = Round { number: 2, ..Round::default() };
    for ballot in b.iter() {
        if ballot.is_blank() {
            round.inactive.add(InactiveReason::Blank, ballot.weight);
            continue;
        }
        let (sx, sy) = (ballot.score(x).unwrap_or(0), ballot.score(y).unwrap_or(0));
        match sx.cmp(&sy) {
            Ordering::Greater => vx += ballot.weight,
            Ordering::Less => vy += ballot.weight,
            Ordering::Equal => round.inactive.add(InactiveReason::Exhausted, ballot.weight),
        }
    }
    round.tally = vec![(x, vx), (y, vy)];
    let runoff = round.tally.clone();
    count.rounds.push(round);
    let winner = count.pick_extreme(&runoff, 1, true)?[0];
    count.event(Event::Elected { candidate: winner, reason: ElectedReason::Runoff });
    let loser = if winner == x { y } else { x };
    count.event(Event::Eliminated { candidate: loser, reason: EliminatedReason::Defeated });
    Ok(count.finish("star", b.total_weight(), vec![winner]))
}

/// A candidate's grades as a histogram, with cumulative counts.
struct Grades {
    /// `upto[g]`: ballots grading at most g.
    upto: Vec<u128>,
}

impl Grades {
    fn total(&self) -> u128 {
        *self.upto.last().expect("at least grades 0 and 1")
    }

    /// The grade at sorted position `p` (0-based, ascending).
    fn at(&self, p: u128) -> usize {
        self.upto.partition_point(|&u| u <= p)
    }

    /// The first sorted position holding grade `g`.
    fn start(&self, g: usize) -> u128 {
        if g == 0 {
            0
        } else {
            self.upto[g - 1]
        }
    }

    /// The last sorted position holding grade `g`.
    fn end(&self, g: usize) -> u128 {
        self.upto[g] - 1
    }

    fn lower_median(&self) -> usize {
        self.at((self.total().max(1) - 1) / 2)
    }
}

/// Compares two candidates' majority values (both over the same ballots).
fn majority_value(a: &Grades, b: &Grades) -> Ordering {
    let n = a.total();
    if n == 0 {
        return Ordering::Equal;
    }
    let m = (n - 1) / 2;
    // First index i where the grades at sorted position m - i differ.
    let mut left = None;
    let mut i = 0u128;
    while i <= m {
        let (ga, gb) = (a.at(m - i), b.at(m - i));
        if ga != gb {
            left = Some((i, ga.cmp(&gb)));
            break;
        }
        let run_start = a.start(ga).max(b.start(gb));
        if run_start == 0 {
            break;
        }
        i = m - run_start + 1;
    }
    // First index j where the grades at sorted position m + 1 + j differ.
    let mut right = None;
    let mut j = 0u128;
    while m + 1 + j < n {
        let (ga, gb) = (a.at(m + 1 + j), b.at(m + 1 + j));
        if ga != gb {
            right = Some((j, ga.cmp(&gb)));
            break;
        }
        j = a.end(ga).min(b.end(gb)) + 1 - (m + 1);
    }
    let odd = n % 2 == 1;
    let pos_left = |i: u128| {
        if odd {
            if i == 0 {
                0
            } else {
                2 * i - 1
            }
        } else {
            2 * i
        }
    };
    let pos_right = |j: u128| if odd { 2 * j + 2 } else { 2 * j + 1 };
    match (left, right) {
        (None, None) => Ordering::Equal,
        (Some((_, o)), None) | (None, Some((_, o))) => o,
        (Some((i, ol)), Some((j, or))) => {
            if pos_left(i) < pos_right(j) {
                ol
            } else {
                or
            }
        }
    }
}

/// Counts under majority judgment.
pub fn majority_judgment(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let b = cardinal(election, "majority-judgment", false)?;
    let standing = standing_ids(election);
    let g = usize::from(b.max_score()) + 1;
    let mut hist = vec![0u128; b.num_candidates() * g];
    for ballot in b.iter() {
        for &c in &standing {
            let s = usize::from(ballot.score(c).unwrap_or(0));
            hist[c.index() * g + s] += u128::from(ballot.weight);
        }
    }
    let grades: Vec<Grades> = (0..b.num_candidates())
        .map(|c| {
            let mut upto = hist[c * g..c * g + g].to_vec();
            for k in 1..g {
                upto[k] += upto[k - 1];
            }
            Grades { upto }
        })
        .collect();
    let tally: Vec<(CandidateId, u64)> =
        standing.iter().map(|&c| (c, grades[c.index()].lower_median() as u64)).collect();
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    count.rounds.push(scores_round(1, tally, 1, blank(b)));
    let winner = best_by(&mut count, &standing, |x, y| majority_value(&grades[x.index()], &grades[y.index()]))?;
    count.event(Event::Elected { candidate: winner, reason: ElectedReason::MostVotes });
    Ok(count.finish("majority-judgment", b.total_weight(), vec![winner]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grades(h: &[u128]) -> Grades {
        let mut upto = h.to_vec();
        for k in 1..upto.len() {
            upto[k] += upto[k - 1];
        }
        Grades { upto }
    }

    /// Brute force: remove medians one at a time.
    fn naive(h: &[u128]) -> Vec<usize> {
        let mut v: Vec<usize> = h.iter().enumerate().flat_map(|(g, &k)| (0..k).map(move |_| g)).collect();
        let mut out = Vec::new();
        while !v.is_empty() {
            let m = (v.len() - 1) / 2;
            out.push(v.remove(m));
        }
        out
    }

    #[test]
    fn majority_value_matches_removing_medians() {
        let hists: Vec<Vec<u128>> = vec![
            vec![1, 2, 3, 1],
            vec![2, 1, 3, 1],
            vec![0, 4, 0, 3],
            vec![3, 0, 0, 4],
            vec![1, 3, 2, 1],
            vec![2, 2, 2, 1],
            vec![0, 0, 7, 0],
            vec![1, 1, 4, 1],
        ];
        for a in &hists {
            for b in &hists {
                if a.iter().sum::<u128>() != b.iter().sum::<u128>() {
                    continue;
                }
                assert_eq!(majority_value(&grades(a), &grades(b)), naive(a).cmp(&naive(b)), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn approval_refuses_score_ballots_and_ranked_rules_refuse_cardinal() {
        let e = Election::from_scores(&["A", "B"], 3, &[(1, &[Some(3), Some(1)])]).unwrap();
        let err = approval(&e, &CountOptions::default()).unwrap_err();
        assert!(err.to_string().contains("approval ballots, and these are score ballots"), "{err}");
        let err = crate::rules::irv::count(&e, &CountOptions::default(), Default::default()).unwrap_err();
        assert!(matches!(err, CountError::Unsupported { .. }));
    }

    #[test]
    fn average_and_total_differ() {
        // A: scored 5 by one ballot only; B: 4 by three ballots.
        let e = Election::from_scores(&["A", "B"], 5, &[(1, &[Some(5), Some(4)]), (2, &[None, Some(4)])]).unwrap();
        let o = CountOptions::default();
        let total = score(&e, &o, ScoreAggregate::Total).unwrap();
        let avg = score(&e, &o, ScoreAggregate::Average).unwrap();
        assert_eq!(total.winner(), Some(CandidateId(1)));
        assert_eq!(avg.winner(), Some(CandidateId(0)));
        assert_eq!(avg.rounds[0].votes(CandidateId(1)), Some(4 * AVERAGE_SCALE));
    }

    #[test]
    fn star_runoff_counts_preferences_between_finalists() {
        // Totals: A 10, B 9, C 8. Runoff A v B: 1 ballot prefers A, 2 prefer B.
        let e = Election::from_scores(
            &["A", "B", "C"],
            5,
            &[(1, &[Some(5), Some(0), Some(0)]), (1, &[Some(3), Some(4), Some(4)]), (1, &[Some(2), Some(5), Some(4)])],
        )
        .unwrap();
        let t = star(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[1].tally, vec![(CandidateId(0), 1), (CandidateId(1), 2)]);
        assert_eq!(t.winner(), Some(CandidateId(1)));
        t.check_conservation().unwrap();
    }
}
