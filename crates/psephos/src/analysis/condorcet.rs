//! Condorcet facts of an election: the Condorcet winner and loser, the Smith
//! set and, when there is no Condorcet winner, a majority cycle that shows
//! why.
//!
//! A *Condorcet winner* beats every other standing candidate head to head (a
//! strict majority of the ballots that rank one above the other); a
//! *Condorcet loser* is beaten by every other. The *Smith set* is the
//! smallest non-empty set whose members all beat everyone outside it
//! (J. H. Smith, "Aggregation of preferences with variable electorate",
//! *Econometrica* 41 (1973)); it is the Condorcet winner alone when there is
//! one. Head-to-head counts follow [`PairwiseMatrix`]: unranked candidates
//! count as ranked together below every ranked one, and the matrix is
//! computed once and reused by everything in [`crate::analysis`].
//!
//! ```
//! use psephos::analysis::condorcet::CondorcetReport;
//! use psephos::{Election, PairwiseMatrix};
//! // A rock-paper-scissors cycle above a Condorcet loser D.
//! let e = Election::from_rankings(
//!     &["A", "B", "C", "D"],
//!     &[(3, &["A", "B", "C", "D"]), (2, &["B", "C", "A", "D"]), (2, &["C", "A", "B", "D"])],
//! ).unwrap();
//! let r = CondorcetReport::new(&e.candidates, PairwiseMatrix::from_ballots(e.ranked().unwrap()));
//! assert_eq!(r.winner, None);
//! assert_eq!(r.loser.map(|c| e.candidates.name(c)), Some("D"));
//! assert_eq!(r.smith_set.len(), 3);
//! assert_eq!(r.cycle.len(), 3);
//! ```

use crate::candidate::{CandidateId, Candidates};
use crate::pairwise::PairwiseMatrix;

/// Pairwise facts about the standing candidates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CondorcetReport {
    /// The pairwise matrix over every candidate (withdrawn ones included, unused).
    pub matrix: PairwiseMatrix,
    /// Standing candidates, in candidate order.
    pub standing: Vec<CandidateId>,
    /// The candidate who beats every other one, if any.
    pub winner: Option<CandidateId>,
    /// The candidate whom every other one beats, if any.
    pub loser: Option<CandidateId>,
    /// The Smith set, in candidate order.
    pub smith_set: Vec<CandidateId>,
    /// With no Condorcet winner: a shortest cycle of strict majorities inside
    /// the Smith set, `[a, b, c]` meaning a beats b, b beats c and c beats a.
    /// Empty when there is a Condorcet winner, or when the Smith set holds
    /// only pairwise ties.
    pub cycle: Vec<CandidateId>,
}

impl CondorcetReport {
    /// The facts, from the matrix of the election's ballots.
    pub fn new(candidates: &Candidates, matrix: PairwiseMatrix) -> Self {
        let standing: Vec<CandidateId> = candidates.standing().collect();
        let winner = matrix.condorcet_winner(&standing);
        let loser = condorcet_loser(&matrix, &standing);
        let smith_set = matrix.smith_set(&standing);
        let cycle = if winner.is_some() { Vec::new() } else { shortest_cycle(&matrix, &smith_set) };
        CondorcetReport { matrix, standing, winner, loser, smith_set, cycle }
    }

    /// The Condorcet winner among the standing candidates other than `gone`:
    /// the matrix with `gone`'s row and column left out, which is exactly the
    /// matrix of the ballots with `gone` withdrawn.
    pub fn winner_without(&self, gone: CandidateId) -> Option<CandidateId> {
        let rest: Vec<CandidateId> = self.standing.iter().copied().filter(|&c| c != gone).collect();
        self.matrix.condorcet_winner(&rest)
    }
}

/// The candidate among `among` beaten by every other one, if any.
pub fn condorcet_loser(m: &PairwiseMatrix, among: &[CandidateId]) -> Option<CandidateId> {
    if among.len() < 2 {
        return None;
    }
    among.iter().copied().find(|&a| among.iter().all(|&b| a == b || m.beats(b, a)))
}

/// A shortest cycle of strict pairwise defeats among `among`, found by a
/// breadth-first search from each member in turn (candidate order, so the
/// answer is deterministic); empty when there is none.
pub fn shortest_cycle(m: &PairwiseMatrix, among: &[CandidateId]) -> Vec<CandidateId> {
    let k = among.len();
    let mut best: Vec<CandidateId> = Vec::new();
    for start in 0..k {
        // parent[j] = the position we reached j from.
        let mut parent = vec![usize::MAX; k];
        let mut queue = std::collections::VecDeque::from([start]);
        let mut found = None;
        'bfs: while let Some(i) = queue.pop_front() {
            for j in 0..k {
                if i != j && m.beats(among[i], among[j]) {
                    if j == start {
                        found = Some(i);
                        break 'bfs;
                    }
                    if parent[j] == usize::MAX && j != start {
                        parent[j] = i;
                        queue.push_back(j);
                    }
                }
            }
        }
        if let Some(mut last) = found {
            let mut path = vec![among[last]];
            while last != start {
                last = parent[last];
                path.push(among[last]);
            }
            path.reverse();
            if best.is_empty() || path.len() < best.len() {
                best = path;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Election;

    fn report(e: &Election) -> CondorcetReport {
        CondorcetReport::new(&e.candidates, e.ranked().unwrap().pairwise().clone())
    }

    #[test]
    fn tennessee_capital() {
        // The Tennessee capital example (Wikipedia, "Condorcet method"):
        // Nashville beats everyone, Memphis loses to everyone.
        let e = crate::examples::tennessee();
        let r = report(&e);
        assert_eq!(r.winner, e.candidates.id_of("Nashville"));
        assert_eq!(r.loser, e.candidates.id_of("Memphis"));
        assert_eq!(r.smith_set, vec![e.candidates.id_of("Nashville").unwrap()]);
        assert!(r.cycle.is_empty());
        // Without Nashville, Chattanooga beats Knoxville and Memphis.
        assert_eq!(r.winner_without(e.candidates.id_of("Nashville").unwrap()), e.candidates.id_of("Chattanooga"));
    }

    #[test]
    fn cycle_is_a_real_cycle() {
        let e = Election::from_rankings(
            &["A", "B", "C"],
            &[(4, &["A", "B", "C"]), (3, &["B", "C", "A"]), (2, &["C", "A", "B"])],
        )
        .unwrap();
        let r = report(&e);
        assert_eq!(r.winner, None);
        assert_eq!(r.loser, None);
        let c = &r.cycle;
        assert_eq!(c.len(), 3);
        for i in 0..c.len() {
            assert!(r.matrix.beats(c[i], c[(i + 1) % c.len()]));
        }
    }
}
