//! Sequential-elimination rules: Coombs, Baldwin, Nanson and bottom-two
//! runoff IRV.
//!
//! Each eliminates candidates round by round and recounts the ballots as if
//! the eliminated had never stood, until one remains (or, where the rule
//! says so, one has a majority).
//!
//! - **`coombs`** (C. H. Coombs, *A Theory of Data*, 1964; as a voting rule,
//!   B. Grofman and S. L. Feld, "If you like the alternative vote (a.k.a. the
//!   instant runoff), then you ought to know about the Coombs rule",
//!   *Electoral Studies* 23 (2004)): if a candidate has a majority of the
//!   first choices of the ballots still counting, they win; otherwise the
//!   candidate ranked last by the most ballots is eliminated. A ballot's last
//!   place is the one continuing candidate it ranks lowest, unranked
//!   candidates counting as ranked together below the ranked ones; a ballot
//!   whose lowest place is shared by two or more continuing candidates (two
//!   or more unranked, or an equal ranking) gives no last-place vote.
//! - **`baldwin`** (J. M. Baldwin, "The technique of the Nanson preferential
//!   majority system of election", *Proceedings of the Royal Society of
//!   Victoria* 39 (1926)): the continuing candidate with the lowest Borda
//!   score is eliminated, and scores are recounted among the rest.
//! - **`nanson`** (E. J. Nanson, "Methods of election", *Transactions and
//!   Proceedings of the Royal Society of Victoria* 19 (1882)): every
//!   continuing candidate whose Borda score is at or below the average is
//!   eliminated at once. (Schwartz's variant, strictly below, differs only
//!   in rounds where a score equals the average exactly.)
//! - **`btr-irv`** (bottom-two runoff; R. Sewell, D. MacKay and I. McLean,
//!   "Probabilistic electoral methods, representative probability, and
//!   maximum entropy", *Voting Matters* 26 (2009)): of the two candidates
//!   with the fewest first choices, the one the other beats in their
//!   pairwise contest is eliminated (a pairwise tie goes to the chain), until
//!   one candidate remains. The count does not stop at a majority of first
//!   choices: with equal rankings, a ballot that ranks two continuing
//!   candidates equal first counts for neither's first choices but still
//!   prefers both to the others, so a majority of first choices need not be
//!   the pairwise winner.
//!
//! Baldwin's and Nanson's Borda scores are computed from the pairwise
//! matrix with shared places sharing their points (the averaged convention
//! of [`BordaTruncation::Averaged`]): in each pairwise contest a candidate
//! scores 2 half points for every ballot preferring it and 1 for every ballot
//! preferring neither. Every contest then hands out the same number of
//! points, so a Condorcet winner always scores above the average and is
//! never eliminated, whatever the ballots leave unranked. Their rounds are
//! scores rounds in half points (scale 2). Coombs and bottom-two runoff
//! report ballot rounds (first choices, with transfers); Coombs adds after
//! each one a scores round holding the last-place votes, in which the
//! **most** is eliminated, and a tie for most last places goes to the chain,
//! which compares the tied candidates' first choices in earlier ballot
//! rounds (the fewer, the sooner eliminated).
//!
//! Baldwin, Nanson and bottom-two runoff elect the Condorcet winner when there
//! is one (a Condorcet winner is never below the average Borda score, and
//! never loses a bottom-two contest); Baldwin and Nanson always elect within
//! the Smith set. Coombs does not: it can eliminate a Condorcet winner whom
//! many ballots rank last.
//!
//! [`BordaTruncation::Averaged`]: crate::rules::positional::BordaTruncation::Averaged
//!
//! ```
//! use psephos::{CountOptions, Election, Rule};
//! let e = Election::from_rankings(
//!     &["Memphis", "Nashville", "Chattanooga", "Knoxville"],
//!     &[
//!         (42, &["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
//!         (26, &["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
//!         (15, &["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
//!         (17, &["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
//!     ],
//! ).unwrap();
//! for id in ["coombs", "baldwin", "nanson", "btr-irv"] {
//!     let t = id.parse::<Rule>().unwrap().count(&e, &CountOptions::default()).unwrap();
//!     assert_eq!(e.candidates.name(t.winner().unwrap()), "Nashville", "{id}");
//!     t.check_conservation().unwrap();
//! }
//! ```

use super::scored::{scores_round, standing_ids};
use super::transfer::{Count, Piles};
use super::CountOptions;
use crate::ballots::store::{SKIP, TIED};
use crate::candidate::CandidateId;
use crate::election::Election;
use crate::error::CountError;
use crate::pairwise::PairwiseMatrix;
use crate::tabulation::{ElectedReason, EliminatedReason, Event, RoundKind, Tabulation};
use crate::tiebreak::{TieBreaker, TieKind};

/// Counts under Coombs' method.
pub fn coombs(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "coombs")?;
    let mut piles = Piles::new(ballots, super::standing(election), usize::MAX);
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let mut transfers = Vec::new();
    // Only a ballot ranking at least all but one continuing candidate can
    // give a last-place vote: visit ballots longest first and stop early.
    let mut by_length: Vec<(u32, u32)> =
        (0..ballots.unique_len()).map(|i| (ballots.get(i).marks().len() as u32, i as u32)).collect();
    by_length.sort_unstable_by(|a, b| b.cmp(a));
    loop {
        let round = piles.round(count.round_number() + 1, std::mem::take(&mut transfers));
        let tally = round.tally.clone();
        let counted = round.counted();
        count.rounds.push(round);
        if let Some(done) = majority_or_last(&mut count, &tally, counted)? {
            return Ok(count.finish("coombs", ballots.total_weight(), vec![done]));
        }
        let continuing: Vec<bool> =
            (0..election.candidates.len()).map(|i| piles.is_continuing(CandidateId::from_index(i))).collect();
        let need = tally.len().saturating_sub(1) as u32;
        let long = by_length.partition_point(|&(len, _)| len >= need);
        let last = last_places(ballots, by_length[..long].iter().map(|&(_, i)| i as usize), &continuing);
        let last_tally: Vec<(CandidateId, u64)> = tally.iter().map(|&(c, _)| (c, last[c.index()])).collect();
        count.rounds.push(scores_round(count.round_number() + 1, last_tally.clone(), 1, 0));
        let most = last_tally.iter().map(|e| e.1).max().unwrap_or(0);
        let tied: Vec<CandidateId> = last_tally.iter().filter(|e| e.1 == most).map(|e| e.0).collect();
        let loser = if tied.len() == 1 { tied[0] } else { choose_by_ballot_rounds(&mut count, &tied)? };
        count.event(Event::Eliminated { candidate: loser, reason: EliminatedReason::Lowest });
        transfers = piles.eliminate(&[loser]);
    }
}

/// Elects a candidate with a majority of `counted`, the last one left, or the
/// better of the last two; `None` when the count goes on.
fn majority_or_last(
    count: &mut Count<'_>,
    tally: &[(CandidateId, u64)],
    counted: u64,
) -> Result<Option<CandidateId>, CountError> {
    if tally.len() == 1 {
        count.event(Event::Elected { candidate: tally[0].0, reason: ElectedReason::LastRemaining });
        return Ok(Some(tally[0].0));
    }
    if let Some(&(w, _)) = tally.iter().find(|&&(_, v)| u128::from(v) * 2 > u128::from(counted)) {
        count.event(Event::Elected { candidate: w, reason: ElectedReason::Majority });
        defeat_others(count, tally, w);
        return Ok(Some(w));
    }
    if tally.len() == 2 {
        let w = count.pick_extreme(tally, 1, true)?[0];
        count.event(Event::Elected { candidate: w, reason: ElectedReason::Runoff });
        defeat_others(count, tally, w);
        return Ok(Some(w));
    }
    Ok(None)
}

fn defeat_others(count: &mut Count<'_>, tally: &[(CandidateId, u64)], winner: CandidateId) {
    if tally.len() == 2 {
        for &(c, _) in tally.iter().filter(|e| e.0 != winner) {
            count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::Defeated });
        }
    }
}

/// An elimination tie, decided by the chain looking only at ballot rounds.
fn choose_by_ballot_rounds(count: &mut Count<'_>, tied: &[CandidateId]) -> Result<CandidateId, CountError> {
    let rounds = &count.rounds;
    let history = |r: usize, c: CandidateId| {
        rounds.get(r).filter(|round| round.kind.is_ballots()).and_then(|round| round.votes(c)).map(u128::from)
    };
    count.ties.choose(rounds.len() as u32, TieKind::Elimination, tied, &history)
}

/// Last-place votes per candidate among the continuing ones.
fn last_places(ballots: &crate::RankedBallots, which: impl Iterator<Item = usize>, continuing: &[bool]) -> Vec<u64> {
    let n_cont = continuing.iter().filter(|&&k| k).count();
    let all_sum: usize = continuing.iter().enumerate().filter(|(_, &k)| k).map(|(i, _)| i).sum();
    let mut last = vec![0u64; continuing.len()];
    for b in which.map(|i| ballots.get(i)) {
        let mut ranked = 0;
        let mut ranked_sum = 0;
        // The lowest level holding a continuing candidate: its candidate, and
        // whether it holds more than one.
        let mut lowest: Option<(usize, bool)> = None;
        let mut level: Option<(usize, bool)> = None;
        for &m in b.marks() {
            if m == SKIP {
                continue;
            }
            let c = (m & !TIED) as usize;
            if continuing[c] {
                ranked += 1;
                ranked_sum += c;
                level = Some(match level {
                    None => (c, false),
                    Some((first, _)) => (first, true),
                });
            }
            if m & TIED == 0 {
                if level.is_some() {
                    lowest = level;
                }
                level = None;
            }
        }
        let unranked = n_cont - ranked;
        let loser = match (unranked, lowest) {
            (0, Some((c, false))) => Some(c),
            (1, _) => Some(all_sum - ranked_sum),
            _ => None,
        };
        if let Some(c) = loser {
            last[c] += b.weight;
        }
    }
    last
}

/// Borda scores among `continuing` in half points: for each other continuing
/// candidate, twice the ballots preferring c plus those preferring neither.
fn half_point_borda(m: &PairwiseMatrix, continuing: &[CandidateId], total: u64) -> Vec<(CandidateId, u64)> {
    continuing
        .iter()
        .map(|&c| {
            let s: i128 = continuing.iter().filter(|&&d| d != c).map(|&d| m.margin(c, d) + i128::from(total)).sum();
            // Each term is 2·P[c][d] + neither ≥ 0, at most 2·total.
            (c, u64::try_from(s).unwrap_or(u64::MAX))
        })
        .collect()
}

/// Counts under Baldwin's method.
pub fn baldwin(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    borda_elimination(election, options, "baldwin")
}

/// Counts under Nanson's method.
pub fn nanson(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    borda_elimination(election, options, "nanson")
}

fn borda_elimination(
    election: &Election,
    options: &CountOptions,
    rule: &'static str,
) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, rule)?;
    let total = ballots.total_weight();
    let m = PairwiseMatrix::from_ballots(ballots);
    let blank = super::scored::blank_weight(ballots);
    let mut continuing = standing_ids(election);
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    loop {
        let tally = half_point_borda(&m, &continuing, total);
        count.rounds.push(scores_round(count.round_number() + 1, tally.clone(), 2, blank));
        if tally.len() == 1 {
            count.event(Event::Elected { candidate: tally[0].0, reason: ElectedReason::LastRemaining });
            break;
        }
        let losers: Vec<CandidateId> = if rule == "baldwin" {
            count.pick_extreme(&tally, 1, false)?
        } else {
            // At or below the average: k·s ≤ Σ s.
            let sum: u128 = tally.iter().map(|e| u128::from(e.1)).sum();
            let k = tally.len() as u128;
            let below: Vec<CandidateId> = tally.iter().filter(|e| k * u128::from(e.1) <= sum).map(|e| e.0).collect();
            if below.len() == tally.len() {
                // Every score equals the average: a tie for election.
                let w = count.choose(TieKind::Election, &continuing)?;
                count.event(Event::Elected { candidate: w, reason: ElectedReason::MostVotes });
                for &c in continuing.iter().filter(|&&c| c != w) {
                    count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::Defeated });
                }
                continuing = vec![w];
                break;
            }
            below
        };
        for &c in &losers {
            count.event(Event::Eliminated { candidate: c, reason: EliminatedReason::Lowest });
        }
        continuing.retain(|c| !losers.contains(c));
    }
    let mut t = count.finish(rule, total, continuing);
    t.pairwise = Some(m);
    Ok(t)
}

/// Counts under bottom-two-runoff IRV.
pub fn btr_irv(election: &Election, options: &CountOptions) -> Result<Tabulation, CountError> {
    let ballots = super::ranked(election, "btr-irv")?;
    let m = PairwiseMatrix::from_ballots(ballots);
    let mut piles = Piles::new(ballots, super::standing(election), usize::MAX);
    let mut count = Count::new(TieBreaker::new(&options.tie_break, election.candidates.len()));
    let mut transfers = Vec::new();
    loop {
        let round = piles.round(count.round_number() + 1, std::mem::take(&mut transfers));
        debug_assert_eq!(round.kind, RoundKind::Ballots);
        let tally = round.tally.clone();
        count.rounds.push(round);
        if let [(w, _)] = tally[..] {
            count.event(Event::Elected { candidate: w, reason: ElectedReason::LastRemaining });
            let mut t = count.finish("btr-irv", ballots.total_weight(), vec![w]);
            t.pairwise = Some(m);
            return Ok(t);
        }
        let bottom = count.pick_extreme(&tally, 2, false)?;
        let (a, b) = (bottom[0], bottom[1]);
        let loser = match m.get(a, b).cmp(&m.get(b, a)) {
            std::cmp::Ordering::Greater => b,
            std::cmp::Ordering::Less => a,
            std::cmp::Ordering::Equal => count.choose(TieKind::Elimination, &[a, b])?,
        };
        count.event(Event::Eliminated { candidate: loser, reason: EliminatedReason::Lowest });
        transfers = piles.eliminate(&[loser]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_place_convention() {
        // 4 candidates. "A B C" leaves D alone unranked: D is last. "A B" leaves
        // C and D tied last: no last-place vote. "A B C D" ranks D last.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(5, &["A", "B", "C"]), (7, &["A", "B"]), (2, &["B", "A", "D", "C"])],
        )
        .unwrap();
        let b = e.ranked().unwrap();
        let last = last_places(b, 0..b.unique_len(), &[true; 4]);
        assert_eq!(last, vec![0, 0, 2, 5]);
        let last = last_places(b, 0..b.unique_len(), &[true, true, true, false]);
        assert_eq!(last, vec![0, 0, 5 + 7 + 2, 0]);
    }

    #[test]
    fn nanson_eliminates_at_or_below_average() {
        // A Condorcet cycle with one clear loser D.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(4, &["A", "B", "C", "D"]), (3, &["B", "C", "A", "D"]), (2, &["C", "A", "B", "D"])],
        )
        .unwrap();
        let t = nanson(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[0].kind, RoundKind::Scores { scale: 2 });
        assert!(t.rounds[0].eliminated().any(|c| c == CandidateId(3)));
        assert_eq!(e.candidates.name(t.winner().unwrap()), "A");
    }

    #[test]
    fn btr_eliminates_the_pairwise_loser_of_the_bottom_two() {
        // First choices: A 40, B 25, C 20, D 15. Bottom two C and D; D beats C.
        let e = Election::from_rankings(
            &["A", "B", "C", "D"],
            &[(40, &["A", "B"]), (25, &["B", "D", "C"]), (20, &["C", "B"]), (15, &["D", "C", "B"])],
        )
        .unwrap();
        let t = btr_irv(&e, &CountOptions::default()).unwrap();
        assert_eq!(t.rounds[0].eliminated().collect::<Vec<_>>(), vec![CandidateId(2)]);
        assert_eq!(e.candidates.name(t.winner().unwrap()), "B");
        t.check_conservation().unwrap();
    }
}
