//! Winners of the simulator's four usual rules counted straight on its
//! weighted ballot types, without building a ballot store or a tabulation.
//!
//! A simulated election has a few hundred ballot types (see
//! [`crate::Model::ballot_types`]) and is counted a million times, so the
//! core's general counts (piles, rounds, events, tie records) cost more than
//! the arithmetic. For the rules below, this module finds the winner the
//! core's [`Rule::count`] would find, by the same definitions:
//!
//! - **Plurality** (`psephos::rules::plurality`): the most first choices.
//! - **Supplementary Vote** (`psephos::rules::supplementary`): more than half
//!   of the first choices wins; otherwise the two with the most first choices
//!   go on, and a ballot whose first choice is out counts for the finalist it
//!   names second (its second rank level; no later one).
//! - **Two-round** (`psephos::rules::runoff`): as the Supplementary Vote, but
//!   a ballot counts for whichever finalist it ranks higher, at any depth.
//! - **IRV** with [`IrvOptions::STANDARD`] (`psephos::rules::irv`): more than
//!   half of the votes for continuing candidates wins; otherwise the fewest
//!   leave (candidates without a vote all at once, which changes no tally)
//!   and their ballots pass to their next continuing choice.
//!
//! **Ties.** Wherever the core would consult the tie-break chain (a tie for
//! the most votes, for a finalist's place, for the fewest votes, or a final
//! tie) this module gives up and returns `None`, and the caller counts with
//! the core instead, so every winner, ties included, is the core's. Any
//! other rule, or IRV with other options, is always left to the core. The
//! test `fast_winners_are_the_cores` checks the equality on random
//! profiles.

use psephos::{IrvOptions, Rule};

/// A rule this module counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FastRule {
    Plurality,
    SupplementaryVote,
    TwoRound,
    Irv,
}

impl FastRule {
    /// The fast count of `rule`, if it has one.
    pub(crate) fn of(rule: &Rule) -> Option<FastRule> {
        match rule {
            Rule::Plurality => Some(FastRule::Plurality),
            Rule::SupplementaryVote => Some(FastRule::SupplementaryVote),
            Rule::TwoRound => Some(FastRule::TwoRound),
            Rule::Irv(o) if *o == IrvOptions::STANDARD => Some(FastRule::Irv),
            _ => None,
        }
    }
}

/// Weighted ballot types: type `t` ranks `marks[starts[t]..starts[t + 1]]`
/// (candidate indices below `n`, none twice, at least one) and has
/// `weights[t]` votes; `first[c]` is the sum of the weights of the types
/// that rank `c` first. When the types are in runs by first choice,
/// `groups` may list the runs, `(c, from, to)` for the types `from..to`
/// ranking `c` first, which the counts then use; else it is empty.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Types<'a> {
    pub n: usize,
    pub first: &'a [u64],
    pub marks: &'a [u16],
    pub starts: &'a [u32],
    pub weights: &'a [u64],
    pub groups: &'a [(u16, u32, u32)],
}

impl Types<'_> {
    pub(crate) fn ranking(&self, t: usize) -> &[u16] {
        &self.marks[self.starts[t] as usize..self.starts[t + 1] as usize]
    }
}

/// Scratch space reused across counts.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scratch {
    tally: Vec<u64>,
    /// Per candidate (IRV): the types whose current choice it is.
    piles: Vec<Vec<u32>>,
    /// Per type: the rank of its current choice (IRV), `u32::MAX` once inactive.
    at: Vec<u32>,
}

/// The winner (a candidate index) under `rule`, or `None` where the core
/// would break a tie (or the profile is empty).
pub(crate) fn winner(rule: FastRule, types: &Types, s: &mut Scratch) -> Option<usize> {
    match rule {
        FastRule::Plurality => unique_max(types.first, |_| true),
        FastRule::SupplementaryVote => top_two(types).supplementary,
        FastRule::TwoRound => top_two(types).two_round,
        FastRule::Irv => irv(types, s),
    }
}

/// The winner of each of `rules` (`None`: no fast count) into `out`, in
/// their order: [`winner`]'s, and `unknown` where it gives `None` or there
/// is no fast count. The Supplementary Vote and the two-round system share
/// one pass over the types.
pub(crate) fn winners(
    rules: &[Option<FastRule>],
    types: &Types,
    s: &mut Scratch,
    unknown: usize,
    out: &mut Vec<usize>,
) {
    out.clear();
    let mut runoffs: Option<Runoffs> = None;
    for rule in rules {
        let w = match rule {
            None => None,
            Some(FastRule::SupplementaryVote) => runoffs.get_or_insert_with(|| top_two(types)).supplementary,
            Some(FastRule::TwoRound) => runoffs.get_or_insert_with(|| top_two(types)).two_round,
            Some(rule) => winner(*rule, types, s),
        };
        out.push(w.unwrap_or(unknown));
    }
}

/// The candidate with strictly the most votes among those `alive` says are
/// in, if there is exactly one.
fn unique_max(votes: &[u64], alive: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<usize> = None;
    let mut tied = false;
    for (c, &v) in votes.iter().enumerate().filter(|&(c, _)| alive(c)) {
        match best {
            Some(b) if votes[b] > v => {}
            Some(b) if votes[b] == v => tied = true,
            _ => {
                best = Some(c);
                tied = false;
            }
        }
    }
    if tied {
        None
    } else {
        best
    }
}

/// The winners of the two runoff rules on the same types.
#[derive(Clone, Copy, Debug)]
struct Runoffs {
    supplementary: Option<usize>,
    two_round: Option<usize>,
}

/// The Supplementary Vote and the two-round system: a first-round
/// majority, or the better of the top two, with each other ballot counted
/// for the finalist it ranks higher: within its first two rank levels
/// (Supplementary Vote) or at any depth (two-round).
fn top_two(types: &Types) -> Runoffs {
    let both = |w| Runoffs { supplementary: w, two_round: w };
    let first = types.first;
    let total: u64 = first.iter().sum();
    if let Some(a) = unique_max(first, |_| true) {
        if 2 * u128::from(first[a]) > u128::from(total) {
            return both(Some(a));
        }
    }
    // The finalists: the two most first choices, with no tie for second place.
    let Some(a) = (0..first.len()).max_by(|&x, &y| first[x].cmp(&first[y]).then(y.cmp(&x))) else {
        return both(None);
    };
    let Some(b) = (0..first.len()).filter(|&c| c != a).max_by(|&x, &y| first[x].cmp(&first[y]).then(y.cmp(&x))) else {
        return both(None);
    };
    if first[b] == 0 || (0..first.len()).any(|c| c != a && c != b && first[c] == first[b]) {
        return both(None);
    }
    let (a16, b16) = (a as u16, b as u16);
    // Votes of a and b: [a, b], under each rule.
    let (mut sv, mut tr) = ([first[a], first[b]], [first[a], first[b]]);
    let mut count = |t: usize| {
        let (r, w) = (types.ranking(t), types.weights[t]);
        if w == 0 || r.is_empty() || r[0] == a16 || r[0] == b16 {
            return;
        }
        if let Some((depth, &c)) = r.iter().enumerate().skip(1).find(|&(_, &c)| c == a16 || c == b16) {
            let side = usize::from(c == b16);
            tr[side] += w;
            if depth == 1 {
                sv[side] += w;
            }
        }
    };
    if types.groups.is_empty() {
        (0..types.weights.len()).for_each(count);
    } else {
        // Only the ballots of the other first choices transfer.
        for &(_, from, to) in types.groups.iter().filter(|&&(c, _, _)| c != a16 && c != b16) {
            (from as usize..to as usize).for_each(&mut count);
        }
    }
    let better = |[va, vb]: [u64; 2]| match va.cmp(&vb) {
        std::cmp::Ordering::Greater => Some(a),
        std::cmp::Ordering::Less => Some(b),
        std::cmp::Ordering::Equal => None,
    };
    Runoffs { supplementary: better(sv), two_round: better(tr) }
}

/// Instant-runoff voting, one elimination a round, stopping at a majority.
/// Each candidate keeps a pile of the types currently counting for them, so
/// an elimination touches only the eliminated candidates' types.
fn irv(types: &Types, s: &mut Scratch) -> Option<usize> {
    let n = types.n;
    s.tally.clear();
    s.tally.extend_from_slice(types.first);
    s.piles.resize_with(n, Vec::new);
    s.piles.iter_mut().for_each(Vec::clear);
    s.at.clear();
    s.at.resize(types.weights.len(), 0);
    if types.groups.is_empty() {
        for (t, &w) in types.weights.iter().enumerate() {
            if w > 0 {
                s.piles[usize::from(types.ranking(t)[0])].push(t as u32);
            }
        }
    } else {
        // Types without votes too: moving them changes no tally.
        for &(c, from, to) in types.groups {
            s.piles[usize::from(c)].extend(from..to);
        }
    }
    let mut alive: u64 = if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    let is_alive = |alive: u64, c: usize| alive & (1 << c) != 0;
    loop {
        let active: u64 = (0..n).filter(|&c| is_alive(alive, c)).map(|c| s.tally[c]).sum();
        if active == 0 {
            return None;
        }
        if let Some(w) = unique_max(&s.tally, |c| is_alive(alive, c)) {
            if 2 * u128::from(s.tally[w]) > u128::from(active) {
                return Some(w);
            }
        }
        // Who leaves: every candidate without a vote, else the one with the fewest.
        let zero: u64 = (0..n).filter(|&c| is_alive(alive, c) && s.tally[c] == 0).fold(0, |m, c| m | 1 << c);
        let out = if zero != 0 {
            zero
        } else {
            let low = (0..n).filter(|&c| is_alive(alive, c)).map(|c| s.tally[c]).min()?;
            let mut lowest = (0..n).filter(|&c| is_alive(alive, c) && s.tally[c] == low);
            let c = lowest.next()?;
            if lowest.next().is_some() {
                return None;
            }
            1 << c
        };
        alive &= !out;
        for c in (0..n).filter(|&c| out & (1 << c) != 0) {
            let pile = std::mem::take(&mut s.piles[c]);
            for &t in &pile {
                let (t, w) = (t as usize, types.weights[t as usize]);
                s.tally[c] -= w;
                let r = types.ranking(t);
                let next =
                    r.iter().enumerate().skip(s.at[t] as usize + 1).find(|&(_, &k)| is_alive(alive, usize::from(k)));
                if let Some((i, &k)) = next {
                    s.at[t] = i as u32;
                    s.tally[usize::from(k)] += w;
                    s.piles[usize::from(k)].push(t as u32);
                }
            }
            s.piles[c] = pile;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psephos::{Candidate, CandidateId, Candidates, CountOptions, Election, RankedBallotsBuilder};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    const PENDING: usize = usize::MAX - 1;

    /// A random profile: `n` candidates (the last withdrawn and never ranked
    /// when `withdrawn`), distinct random rankings, small weights so that
    /// ties are common.
    fn profile(rng: &mut ChaCha8Rng) -> (usize, bool, Vec<u16>, Vec<u32>, Vec<u64>) {
        let n = rng.random_range(2..=6usize);
        let withdrawn = n > 2 && rng.random_bool(0.3);
        let ranked = if withdrawn { n - 1 } else { n };
        let (mut marks, mut starts, mut weights) = (Vec::new(), vec![0u32], Vec::new());
        for _ in 0..rng.random_range(1..=12) {
            let mut pool: Vec<u16> = (0..ranked as u16).collect();
            let len = rng.random_range(1..=ranked);
            for _ in 0..len {
                let k = rng.random_range(0..pool.len());
                marks.push(pool.swap_remove(k));
            }
            starts.push(marks.len() as u32);
            weights.push(if rng.random_bool(0.1) { 0 } else { rng.random_range(1..=30) });
        }
        if weights.iter().all(|&w| w == 0) {
            weights[0] = 1;
        }
        (n, withdrawn, marks, starts, weights)
    }

    fn first_of(n: usize, marks: &[u16], starts: &[u32], weights: &[u64]) -> Vec<u64> {
        let mut first = vec![0; n];
        for (t, &w) in weights.iter().enumerate() {
            first[usize::from(marks[starts[t] as usize])] += w;
        }
        first
    }

    /// The same types in runs by first choice (the first choices in order),
    /// and the runs.
    #[allow(clippy::type_complexity)]
    fn by_first_choice(
        marks: &[u16],
        starts: &[u32],
        weights: &[u64],
    ) -> ((Vec<u16>, Vec<u32>, Vec<u64>), Vec<(u16, u32, u32)>) {
        let ranking = |t: usize| &marks[starts[t] as usize..starts[t + 1] as usize];
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by_key(|&t| ranking(t)[0]);
        let (mut m, mut st, mut w, mut groups) = (Vec::new(), vec![0u32], Vec::new(), Vec::<(u16, u32, u32)>::new());
        for (i, &t) in order.iter().enumerate() {
            let c = ranking(t)[0];
            match groups.last_mut() {
                Some(g) if g.0 == c => g.2 += 1,
                _ => groups.push((c, i as u32, i as u32 + 1)),
            }
            m.extend_from_slice(ranking(t));
            st.push(m.len() as u32);
            w.push(weights[t]);
        }
        ((m, st, w), groups)
    }

    #[test]
    fn fast_winners_are_the_cores() {
        let rules = [Rule::Plurality, Rule::SupplementaryVote, Rule::TwoRound, Rule::Irv(IrvOptions::STANDARD)];
        let mut rng = ChaCha8Rng::seed_from_u64(14);
        let mut s = Scratch::default();
        let (mut decided, mut tried) = (0, 0);
        for _ in 0..20_000 {
            let (n, withdrawn, marks, starts, weights) = profile(&mut rng);
            let mut candidates = Candidates::new();
            for i in 0..n {
                let withdrawn = withdrawn && i == n - 1;
                candidates.push(Candidate { name: format!("C{i}"), party: None, withdrawn });
            }
            let mut builder = RankedBallotsBuilder::new(n);
            for (t, &w) in weights.iter().enumerate() {
                if w == 0 {
                    continue;
                }
                for &m in &marks[starts[t] as usize..starts[t + 1] as usize] {
                    builder.push(CandidateId(m));
                }
                builder.finish(w).unwrap();
            }
            let e = Election::from_ranked(candidates, 1, builder.build()).unwrap();
            let first = first_of(n, &marks, &starts, &weights);
            let (by_first, groups) = by_first_choice(&marks, &starts, &weights);
            let grouped = Types {
                n,
                first: &first,
                marks: &by_first.0,
                starts: &by_first.1,
                weights: &by_first.2,
                groups: &groups,
            };
            let types = Types { n, first: &first, marks: &marks, starts: &starts, weights: &weights, groups: &[] };
            for rule in &rules {
                let fast = FastRule::of(rule).unwrap();
                assert_eq!(winner(fast, &grouped, &mut s), winner(fast, &types, &mut s), "{rule:?}");
            }
            // All four at once (the runoffs sharing a pass), as one at a time, with a rule left to the core.
            let mut each: Vec<usize> =
                rules.iter().map(|r| winner(FastRule::of(r).unwrap(), &types, &mut s).unwrap_or(PENDING)).collect();
            each.push(PENDING);
            let mut all = Vec::new();
            let fast: Vec<Option<FastRule>> = rules.iter().map(FastRule::of).chain([None]).collect();
            winners(&fast, &types, &mut s, PENDING, &mut all);
            assert_eq!(all, each);
            for rule in &rules {
                let fast = FastRule::of(rule).expect("a fast rule");
                tried += 1;
                if let Some(w) = winner(fast, &types, &mut s) {
                    decided += 1;
                    let core = rule.count(&e, &CountOptions::default()).unwrap();
                    assert_eq!(
                        core.winner().map(|c| c.index()),
                        Some(w),
                        "{rule:?} on {n} candidates, {marks:?} {starts:?} {weights:?}"
                    );
                }
            }
        }
        // Ties are common with these small weights, but most counts are decided here.
        assert!(decided * 10 > tried * 6, "{decided} of {tried}");
    }

    #[test]
    fn other_rules_are_left_to_the_core() {
        assert_eq!(FastRule::of(&Rule::Irv(IrvOptions::MAINE)), None);
        assert_eq!(FastRule::of(&Rule::Coombs), None);
    }

    #[test]
    fn ties_are_left_to_the_core() {
        // A: 2, B: 2, C: 1 (C → A): a tie for the most first choices.
        let (marks, starts, weights) = ([0u16, 1, 2, 0], [0u32, 1, 2, 4], [2u64, 2, 1]);
        let first = first_of(3, &marks, &starts, &weights);
        let types = Types { n: 3, first: &first, marks: &marks, starts: &starts, weights: &weights, groups: &[] };
        let mut s = Scratch::default();
        assert_eq!(winner(FastRule::Plurality, &types, &mut s), None);
        assert_eq!(winner(FastRule::Irv, &types, &mut s), Some(0));
        assert_eq!(winner(FastRule::TwoRound, &types, &mut s), Some(0));
    }
}
