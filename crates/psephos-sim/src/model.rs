//! The poll model: how one simulated election is drawn from a scenario and
//! turned into weighted ballots.
//!
//! **Shares.** The true first-choice shares are drawn from a Dirichlet
//! distribution centred on the poll, `Dirichlet(α·p)`, where `p` are the
//! poll's shares (normalised to add up to 1) and the concentration is
//! `α = 1 / (1/n + 4σ²) − 1` for sample size `n` and systematic error `σ`
//! (share points for a candidate on 50%, as a fraction). A candidate on
//! share `p` then varies with variance `p(1−p)·(1/n + 4σ²)`: the sampling
//! variance of a simple random sample of `n`, plus a systematic part whose
//! standard deviation is `σ` at 50% and `2σ·√(p(1−p))` elsewhere (4.6
//! points for σ = 5 at 30%, 2.2 at 5%). Draws are always positive and add
//! up to 1. (A Dirichlet draw is a vector of independent Gamma(α·pᵢ, 1)
//! draws divided by their sum.)
//!
//! **Fat tails.** With [`Tails::StudentT`]`(ν)`, each draw first draws a
//! scale `λ = ν / χ²_ν` and uses the concentration
//! `α = 1 / (1/n + 4σ²·λ·(ν−2)/ν) − 1`: the systematic part becomes a
//! Student-t scale mixture with the same variance as above (the mean of
//! `λ` is `ν/(ν−2)`) and fatter tails. One λ per draw, so the error is
//! shared by the whole race, as a polling miss is.
//!
//! **Favourite bias.** With a `favourite_bias` of b points, the centre `p`
//! is the poll with b/2 points moved from the poll's leader to its
//! runner-up (the earlier listed on equal shares): the lead the model
//! expects is the poll's lead less b. A negative b moves points the other
//! way; neither share is taken below zero.
//!
//! **Next choices.** Each candidate's row of next-choice fractions (named
//! candidates plus "no further choice") is drawn from a Dirichlet with the
//! scenario's `preference_concentration` κ around the row: `Dirichlet(κ·f)`;
//! zero fractions stay zero.
//!
//! **Entrant.** The entrant takes a fraction `rⱼ = e·dⱼ / pⱼ` of base
//! candidate j's voters (e = entrant share, dⱼ = fraction of it drawn from
//! j). Each draw perturbs rⱼ with a Beta draw of concentration `α·pⱼ` (the
//! effective number of j's voters in the sample), then sets j's share to
//! `xⱼ·(1 − rⱼ)` and the entrant's to `Σ xⱼ·rⱼ`, where `x` is the base draw.
//! The base race is counted on `x` and the same preference draw: common
//! random numbers, so a difference between the two is the entrant's effect.
//!
//! **Ballots.** Each first-choice group is split by next choice, down to
//! `ranks` levels: after a ballot ranks `… j`, its next rank follows j's row
//! restricted to candidates not yet ranked and standing, renormalised (the
//! "no further choice" fraction included). A candidate who is not standing
//! (the entrant, in the base race) is thus skipped. Weights are whole votes
//! by largest remainder, twice: `valid_votes` is first shared among the
//! first choices in proportion to the shares, then each first choice's votes
//! among its ballot types in proportion to their probabilities, so every
//! total is exact (ties in the remainders go to the earlier entry).

use psephos::{Candidate, CandidateId, Candidates, RankedBallots, RankedBallotsBuilder};
use rand::Rng;
use rand_distr::{Beta, ChiSquared, Distribution, Gamma};

use crate::fast::Types;
use crate::scenario::{Scenario, Tails};

/// Which parts of the model are random.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Noise {
    /// Draw shares (and the entrant's defection rates) around the poll.
    pub shares: bool,
    /// Draw next-choice fractions around the scenario's rows.
    pub preferences: bool,
}

impl Noise {
    /// Everything random: the model as documented.
    pub const FULL: Noise = Noise { shares: true, preferences: true };
    /// Nothing random: every draw is the poll itself.
    pub const NONE: Noise = Noise { shares: false, preferences: false };
}

impl Default for Noise {
    fn default() -> Self {
        Noise::FULL
    }
}

/// A scenario made ready to draw from. Immutable; draws take the caller's RNG.
#[derive(Clone, Debug)]
pub struct Model {
    candidates: Candidates,
    base_candidates: Candidates,
    n: usize,
    entrant: Option<usize>,
    base_n: usize,
    poll: Vec<f64>,
    alpha: f64,
    share_gammas: Vec<Option<Gamma<f64>>>,
    /// With Student-t tails: ν, its χ²_ν and the variance terms `1/n` and
    /// `4σ²(ν−2)/ν` that set each draw's concentration.
    fat_tails: Option<FatTails>,
    defection_mean: Vec<f64>,
    defection: Vec<Option<Beta<f64>>>,
    pref_mean: Vec<f64>,
    pref_gammas: Vec<Vec<(usize, Gamma<f64>)>>,
    ranks: usize,
    valid_votes: u64,
    noise: Noise,
}

/// What a Student-t draw of the shares needs (see the module docs).
#[derive(Clone, Debug)]
struct FatTails {
    df: f64,
    chi2: ChiSquared<f64>,
    inv_n: f64,
    systematic_var: f64,
}

/// One simulated election: shares and next-choice fractions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draw {
    /// First-choice shares of the race (with the entrant, if any), adding up to 1.
    pub shares: Vec<f64>,
    /// First-choice shares of the base race (the entrant's entry is 0); empty without an entrant.
    pub base_shares: Vec<f64>,
    /// Row-major `n × (n + 1)`: `prefs[i·(n+1) + j]` is the fraction of i's
    /// voters whose next choice is j; column `n` is "no further choice".
    pub prefs: Vec<f64>,
}

/// The ballot types a store kept across draws was built from (see
/// [`Model::ballots_into`]).
#[derive(Clone, Debug, Default)]
pub struct BallotLayout {
    marks: Vec<u16>,
    starts: Vec<u32>,
}

/// Scratch space for turning draws into ballots, reused across draws.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    marks: Vec<u16>,
    starts: Vec<u32>,
    probs: Vec<f64>,
    weights: Vec<u64>,
    order: Vec<(f64, u32)>,
    prefix: Vec<u16>,
    /// Index of the first ballot type of each first-choice group, and the end.
    groups: Vec<usize>,
    group_probs: Vec<f64>,
    group_votes: Vec<u64>,
    part: Vec<u64>,
    /// Per node of a [`Layout`]: its probability and the probability mass
    /// of its possible next choices (see [`Model::expand`]).
    node_p: Vec<f64>,
    node_avail: Vec<f64>,
    /// Scratch of [`split_votes`].
    buckets: Vec<u8>,
    tied: Vec<(u64, u32)>,
    /// First-choice votes per candidate in the last profile built.
    pub first: Vec<u64>,
}

/// Every ballot type a race of a model can have, built once per run: the
/// nodes [`Model::expand`] visits when every share and every next-choice
/// fraction the scenario allows is positive, in its order. A draw then only
/// computes each type's probability and weight ([`Model::types_in`]); the
/// marks never change, so the fast counts and the kept ballot store see the
/// same types in every draw, with weight zero for a type a draw has no
/// votes for.
#[derive(Clone, Debug, Default)]
pub(crate) struct Layout {
    nodes: Vec<Node>,
    marks: Vec<u16>,
    starts: Vec<u32>,
    /// First-choice groups: candidate, and the group's types `from..to`.
    groups: Vec<(u16, u32, u32)>,
}

/// A ballot prefix of a [`Layout`].
#[derive(Clone, Copy, Debug)]
struct Node {
    /// The prefix without its last choice (`u32::MAX`: a first choice).
    parent: u32,
    /// Its last choice.
    last: u16,
    /// Its length.
    len: u16,
    /// Standing candidates it does not rank and its last choice's row
    /// of next-choice fractions can name: the only ones whose fractions
    /// can be above zero in a draw (the others are exactly zero, and adding
    /// them changes no sum).
    named: u64,
    /// The type of ballots that stop here (`u32::MAX`: none can).
    stop: u32,
}

/// No node, or no type.
const NONE: u32 = u32::MAX;

impl Model {
    /// The model of a scenario, with the given randomness.
    pub fn new(scenario: &Scenario, noise: Noise) -> Model {
        let names = scenario.names();
        let n = names.len();
        let base_n = scenario.candidates.len();
        let entrant = scenario.entrant.as_ref().map(|_| base_n);
        let mut candidates = Candidates::new();
        for c in &scenario.candidates {
            candidates.push(Candidate { name: c.name.clone(), party: c.party.clone(), withdrawn: false });
        }
        if let Some(e) = &scenario.entrant {
            candidates.push(Candidate { name: e.name.clone(), party: e.party.clone(), withdrawn: false });
        }
        let mut base_candidates = candidates.clone();
        if let Some(e) = entrant {
            base_candidates.get_mut(CandidateId::from_index(e)).withdrawn = true;
        }

        let total: f64 = scenario.candidates.iter().map(|c| c.share).sum();
        let mut poll: Vec<f64> = scenario.candidates.iter().map(|c| c.share / total).collect();
        shift_favourite(&mut poll, scenario.favourite_bias / 100.0);
        let sigma = scenario.systematic_error / 100.0;
        let inv_n = 1.0 / scenario.sample_size as f64;
        let alpha = concentration(inv_n, 4.0 * sigma * sigma);
        let share_gammas = poll.iter().map(|&p| gamma(alpha * p)).collect();
        let fat_tails = match scenario.tails {
            Tails::Normal => None,
            Tails::StudentT(df) => ChiSquared::new(df).ok().map(|chi2| FatTails {
                df,
                chi2,
                inv_n,
                systematic_var: 4.0 * sigma * sigma * (df - 2.0) / df,
            }),
        };

        let (defection_mean, defection) = match &scenario.entrant {
            None => (Vec::new(), Vec::new()),
            Some(e) => scenario
                .candidates
                .iter()
                .zip(&poll)
                .map(|(c, &p)| {
                    let d = e.drawn_from.get(&c.name).copied().unwrap_or(0.0);
                    let r = if c.share > 0.0 { (e.share * d / c.share).clamp(0.0, 1.0) } else { 0.0 };
                    let k = alpha * p;
                    let beta = if r > 0.0 && r < 1.0 && k > 0.0 { Beta::new(k * r, k * (1.0 - r)).ok() } else { None };
                    (r, beta)
                })
                .unzip(),
        };

        // Shares the default rows split by: the poll's, and the entrant's own.
        let mut weight_of: Vec<f64> = scenario.candidates.iter().map(|c| c.share).collect();
        if let Some(e) = &scenario.entrant {
            weight_of.push(e.share);
        }
        let mut pref_mean = vec![0.0; n * (n + 1)];
        for (i, name) in names.iter().enumerate() {
            let row = &mut pref_mean[i * (n + 1)..(i + 1) * (n + 1)];
            match scenario.preferences.get(*name) {
                Some(given) => {
                    for (to, &f) in given {
                        let j = names.iter().position(|x| x == to).expect("validated");
                        row[j] = f;
                    }
                }
                None => {
                    let others: f64 = (0..n).filter(|&j| j != i).map(|j| weight_of[j]).sum();
                    if others > 0.0 {
                        for j in (0..n).filter(|&j| j != i) {
                            row[j] = (1.0 - scenario.no_further_choice) * weight_of[j] / others;
                        }
                    }
                }
            }
            let named: f64 = row[..n].iter().sum();
            row[n] = (1.0 - named).max(0.0);
        }
        let kappa = scenario.preference_concentration;
        let pref_gammas = (0..n)
            .map(|i| {
                let row = &pref_mean[i * (n + 1)..(i + 1) * (n + 1)];
                row.iter().enumerate().filter_map(|(j, &f)| gamma(kappa * f).map(|g| (j, g))).collect()
            })
            .collect();

        Model {
            candidates,
            base_candidates,
            n,
            entrant,
            base_n,
            poll,
            alpha,
            share_gammas,
            fat_tails,
            defection_mean,
            defection,
            pref_mean,
            pref_gammas,
            ranks: scenario.ranks,
            valid_votes: scenario.valid_votes,
            noise,
        }
    }

    /// Every candidate, the entrant last.
    pub fn candidates(&self) -> &Candidates {
        &self.candidates
    }

    /// The candidates of the base race: the entrant is marked withdrawn.
    pub fn base_candidates(&self) -> &Candidates {
        &self.base_candidates
    }

    /// The entrant's id, if the scenario has one.
    pub fn entrant(&self) -> Option<CandidateId> {
        self.entrant.map(CandidateId::from_index)
    }

    /// The Dirichlet concentration α of the share draw.
    pub fn concentration(&self) -> f64 {
        self.alpha
    }

    /// Valid votes of every simulated election.
    pub fn valid_votes(&self) -> u64 {
        self.valid_votes
    }

    /// Draws one election into `draw` (its buffers are reused).
    pub fn draw_into<R: Rng + ?Sized>(&self, rng: &mut R, draw: &mut Draw) {
        let n = self.n;
        let base = if self.entrant.is_some() { &mut draw.base_shares } else { &mut draw.shares };
        base.clear();
        base.resize(n, 0.0);
        if self.noise.shares {
            match &self.fat_tails {
                None => {
                    for (j, g) in self.share_gammas.iter().enumerate() {
                        base[j] = g.as_ref().map_or(0.0, |g| g.sample(rng));
                    }
                }
                Some(t) => {
                    let scale = t.df / t.chi2.sample(rng);
                    let alpha = concentration(t.inv_n, t.systematic_var * scale);
                    for (j, &p) in self.poll.iter().enumerate() {
                        base[j] = gamma(alpha * p).map_or(0.0, |g| g.sample(rng));
                    }
                }
            }
            normalise(&mut base[..self.base_n], &self.poll);
        } else {
            base[..self.base_n].copy_from_slice(&self.poll);
        }

        draw.prefs.clear();
        draw.prefs.extend_from_slice(&self.pref_mean);
        if self.noise.preferences {
            for (i, gammas) in self.pref_gammas.iter().enumerate() {
                let span = i * (n + 1)..(i + 1) * (n + 1);
                let row = &mut draw.prefs[span.clone()];
                for &(j, ref g) in gammas {
                    row[j] = g.sample(rng);
                }
                normalise(row, &self.pref_mean[span]);
            }
        }

        if let Some(e) = self.entrant {
            draw.shares.clear();
            draw.shares.resize(n, 0.0);
            let mut taken = 0.0;
            for j in 0..self.base_n {
                let r = match (&self.defection[j], self.noise.shares) {
                    (Some(b), true) => b.sample(rng),
                    _ => self.defection_mean[j],
                };
                let x = draw.base_shares[j];
                draw.shares[j] = x * (1.0 - r);
                taken += x * r;
            }
            draw.shares[e] = taken;
        }
    }

    /// The draw every draw would be without randomness: the poll itself.
    pub fn expected(&self) -> Draw {
        let mut d = Draw::default();
        let quiet = Model { noise: Noise::NONE, ..self.clone() };
        quiet.draw_into(&mut <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0), &mut d);
        d
    }

    /// The ballot types of a race and their whole-vote weights, left in
    /// `ws.marks`, `ws.starts` and `ws.weights`, with each candidate's
    /// first-choice votes in `ws.first`.
    fn types(&self, draw: &Draw, base: bool, ws: &mut Workspace) {
        let n = self.n;
        let shares = if base && self.entrant.is_some() { &draw.base_shares } else { &draw.shares };
        let mut standing: u64 = all_of(n);
        if let (true, Some(e)) = (base, self.entrant) {
            standing &= !(1u64 << e);
        }
        ws.marks.clear();
        ws.starts.clear();
        ws.starts.push(0);
        ws.probs.clear();
        ws.groups.clear();
        ws.group_probs.clear();
        for (i, &p) in shares.iter().enumerate() {
            if p > 0.0 && standing & (1 << i) != 0 {
                ws.groups.push(ws.probs.len());
                ws.group_probs.push(p);
                ws.prefix.clear();
                ws.prefix.push(i as u16);
                self.expand(&draw.prefs, standing & !(1 << i), i, p, ws);
            }
        }
        ws.groups.push(ws.probs.len());
        // First choices first, so they are the shares rounded to the vote;
        // then each first-choice group is split among its ballot types.
        largest_remainder(&ws.group_probs, self.valid_votes, &mut ws.group_votes, &mut ws.order);
        ws.weights.clear();
        for (g, &votes) in ws.group_votes.iter().enumerate() {
            let types = ws.groups[g]..ws.groups[g + 1];
            largest_remainder(&ws.probs[types], votes, &mut ws.part, &mut ws.order);
            ws.weights.extend_from_slice(&ws.part);
        }
        ws.first.clear();
        ws.first.resize(n, 0);
        for (t, &w) in ws.weights.iter().enumerate() {
            ws.first[ws.marks[ws.starts[t] as usize] as usize] += w;
        }
    }

    /// The ballot types every draw of a race (`base = true`: the base race)
    /// can have; see [`Layout`]. Costs about one draw's types.
    pub(crate) fn layout(&self, base: bool) -> Layout {
        let mut standing: u64 = all_of(self.n);
        if let (true, Some(e)) = (base, self.entrant) {
            standing &= !(1u64 << e);
        }
        let mut layout = Layout { starts: vec![0], ..Layout::default() };
        for i in (0..self.n).filter(|&i| standing & (1 << i) != 0) {
            let from = layout.starts.len() - 1;
            let mut prefix = vec![i as u16];
            self.layout_node(&mut layout, &mut prefix, NONE, standing & !(1 << i));
            layout.groups.push((i as u16, from as u32, (layout.starts.len() - 1) as u32));
        }
        layout
    }

    /// Adds the node `prefix` (its parent node `parent`, `open` still
    /// unranked) and its descendants to `layout`, in the order of [`Model::expand`].
    fn layout_node(&self, layout: &mut Layout, prefix: &mut Vec<u16>, parent: u32, open: u64) {
        let n = self.n;
        let last = usize::from(*prefix.last().expect("a first choice"));
        let row = &self.pref_mean[last * (n + 1)..(last + 1) * (n + 1)];
        let next = |k: usize| open & (1 << k) != 0 && row[k] > 0.0;
        let more = prefix.len() < self.ranks && (0..n).any(next);
        // As in `count_types`: the ballot may stop here at the last rank,
        // with no next choice left, or for voters who give none.
        let stop = if !more || row[n] > 0.0 {
            layout.marks.extend_from_slice(prefix);
            layout.starts.push(layout.marks.len() as u32);
            (layout.starts.len() - 2) as u32
        } else {
            NONE
        };
        let me = layout.nodes.len() as u32;
        let named = (0..n).filter(|&k| next(k)).fold(0u64, |m, k| m | 1 << k);
        layout.nodes.push(Node { parent, last: last as u16, len: prefix.len() as u16, named, stop });
        if more {
            for k in (0..n).filter(|&k| next(k)) {
                prefix.push(k as u16);
                self.layout_node(layout, prefix, me, open & !(1 << k));
                prefix.pop();
            }
        }
    }

    /// The ballot types of a race of a draw on its `layout` (see
    /// [`Model::layout`]), with their whole-vote weights in `ws.weights` and
    /// each candidate's first-choice votes in `ws.first`: the same types and
    /// weights as [`Model::ballots`] builds, plus, with weight zero, the
    /// layout's types this draw gives no probability. In the rare draw the
    /// layout does not cover (a drawn fraction so small that it is exactly
    /// zero, leaving a ballot no next choice where the scenario gives one),
    /// the types are built afresh instead.
    pub(crate) fn types_in<'w>(&self, layout: &'w Layout, draw: &Draw, base: bool, ws: &'w mut Workspace) -> Types<'w> {
        if !self.probs_in(layout, draw, base, ws) {
            return self.types_of(draw, base, ws);
        }
        ws.group_probs.clear();
        let shares = if base && self.entrant.is_some() { &draw.base_shares } else { &draw.shares };
        ws.group_probs.extend(layout.groups.iter().map(|&(c, _, _)| positive(shares[usize::from(c)])));
        split_votes(&ws.group_probs, self.valid_votes, &mut ws.group_votes, &mut ws.buckets, &mut ws.tied);
        ws.weights.clear();
        ws.first.clear();
        ws.first.resize(self.n, 0);
        for (g, &(c, from, to)) in layout.groups.iter().enumerate() {
            let types = from as usize..to as usize;
            split_votes(&ws.probs[types], ws.group_votes[g], &mut ws.part, &mut ws.buckets, &mut ws.tied);
            ws.weights.extend_from_slice(&ws.part);
            ws.first[usize::from(c)] = ws.part.iter().sum();
        }
        Types {
            n: self.n,
            first: &ws.first,
            marks: &layout.marks,
            starts: &layout.starts,
            weights: &ws.weights,
            groups: &layout.groups,
        }
    }

    /// Each type's probability in `ws.probs`, by the arithmetic of
    /// [`Model::expand`] (so bit for bit the same), 0 for a type the draw
    /// does not have; `false` if the draw has a type the layout lacks.
    fn probs_in(&self, layout: &Layout, draw: &Draw, base: bool, ws: &mut Workspace) -> bool {
        let n = self.n;
        let shares = if base && self.entrant.is_some() { &draw.base_shares } else { &draw.shares };
        ws.probs.clear();
        ws.probs.resize(layout.starts.len() - 1, 0.0);
        ws.node_p.clear();
        ws.node_avail.clear();
        for node in &layout.nodes {
            let last = usize::from(node.last);
            let p = if node.parent == NONE {
                positive(shares[last])
            } else {
                let q = node.parent as usize;
                let (parent_p, avail) = (ws.node_p[q], ws.node_avail[q]);
                let from = usize::from(layout.nodes[q].last) * (n + 1);
                if avail > 0.0 {
                    parent_p * draw.prefs[from + last] / avail
                } else {
                    0.0
                }
            };
            let row = &draw.prefs[last * (n + 1)..(last + 1) * (n + 1)];
            let avail: f64 = if usize::from(node.len) >= self.ranks {
                0.0
            } else {
                row[n] + ones(node.named).map(|k| row[k]).sum::<f64>()
            };
            let stop = if avail > 0.0 { p * row[n] / avail } else { p };
            if stop > 0.0 {
                if node.stop == NONE {
                    return false;
                }
                ws.probs[node.stop as usize] = stop;
            }
            ws.node_p.push(p);
            ws.node_avail.push(avail);
        }
        true
    }

    /// Weighted ballots for the race of a draw (`base = true`: the base race).
    /// Also leaves each candidate's first-choice votes in `ws.first`.
    pub fn ballots(&self, draw: &Draw, base: bool, ws: &mut Workspace) -> RankedBallots {
        self.types(draw, base, ws);
        let mut builder = RankedBallotsBuilder::with_capacity(self.n, ws.probs.len(), ws.marks.len());
        for (t, &w) in ws.weights.iter().enumerate() {
            if w == 0 {
                continue;
            }
            for &m in &ws.marks[ws.starts[t] as usize..ws.starts[t + 1] as usize] {
                builder.push(CandidateId(m));
            }
            builder.finish(w).expect("weights add up to valid_votes, which fits in u64");
        }
        builder.build()
    }

    /// As [`Model::ballots`], into a store kept from an earlier draw: when
    /// the draw has the same ballot types (the usual case: only the weights
    /// change), only the weight column is replaced, and nothing is hashed or
    /// allocated. A type with no votes in this draw stays in the store with
    /// weight zero.
    pub fn ballots_into(
        &self,
        draw: &Draw,
        base: bool,
        ws: &mut Workspace,
        layout: &mut BallotLayout,
        store: &mut RankedBallots,
    ) {
        let types = self.types_of(draw, base, ws);
        self.fill_store(&types, layout, store);
    }

    /// The ballot types and weights of a race of a draw, built into `ws`
    /// (with each candidate's first-choice votes in `ws.first`), for the
    /// fast counts of [`crate::fast`].
    pub(crate) fn types_of<'w>(&self, draw: &Draw, base: bool, ws: &'w mut Workspace) -> Types<'w> {
        self.types(draw, base, ws);
        Types { n: self.n, first: &ws.first, marks: &ws.marks, starts: &ws.starts, weights: &ws.weights, groups: &[] }
    }

    /// The second half of [`Model::ballots_into`]: `types` into `store`,
    /// whose ballot types are those of `layout`.
    pub(crate) fn fill_store(&self, types: &Types, layout: &mut BallotLayout, store: &mut RankedBallots) {
        if layout.marks[..] == *types.marks && layout.starts[..] == *types.starts {
            store.set_weights(types.weights).expect("one weight per type, adding up to valid_votes");
            return;
        }
        let mut builder = RankedBallotsBuilder::with_capacity(self.n, types.weights.len(), types.marks.len());
        for (t, &w) in types.weights.iter().enumerate() {
            for &m in &types.marks[types.starts[t] as usize..types.starts[t + 1] as usize] {
                builder.push(CandidateId(m));
            }
            builder.finish(w).expect("weights add up to valid_votes, which fits in u64");
        }
        *store = builder.build();
        layout.marks.clear();
        layout.marks.extend_from_slice(types.marks);
        layout.starts.clear();
        layout.starts.extend_from_slice(types.starts);
    }

    /// How many ballot types a race of this model has at most, when
    /// ballots rank up to `ranks` candidates (every first choice with a
    /// share, then every next choice its row allows); counting stops past
    /// `limit`, so this costs at most about `limit` steps and returns a
    /// number above `limit` when there are more. The base race (without the
    /// entrant) never has more types than the race with it.
    pub fn ballot_types(&self, ranks: usize, limit: u64) -> u64 {
        let mut count = 0;
        let standing = all_of(self.n);
        for i in 0..self.n {
            let first_share = if Some(i) == self.entrant { 1.0 } else { self.poll[i] };
            if first_share > 0.0 && count <= limit {
                self.count_types(standing & !(1 << i), i, 1, ranks, limit, &mut count);
            }
        }
        count
    }

    /// Adds to `count` the ballot types that begin with a prefix of `len`
    /// candidates ending in `last`, with `open` still unranked.
    fn count_types(&self, open: u64, last: usize, len: usize, ranks: usize, limit: u64, count: &mut u64) {
        let n = self.n;
        let row = &self.pref_mean[last * (n + 1)..(last + 1) * (n + 1)];
        let next = |k: usize| open & (1 << k) != 0 && row[k] > 0.0;
        let more = len < ranks && (0..n).any(next);
        // The ballot may stop here: at the last rank, with no next choice
        // left, or for voters who give none.
        if !more || row[n] > 0.0 {
            *count += 1;
        }
        if !more {
            return;
        }
        for k in (0..n).filter(|&k| next(k)) {
            if *count > limit {
                return;
            }
            self.count_types(open & !(1 << k), k, len + 1, ranks, limit, count);
        }
    }

    /// The rank levels ballots are generated to.
    pub fn ranks(&self) -> usize {
        self.ranks
    }

    /// Splits the ballots ranking `ws.prefix` (last choice `last`, total
    /// probability `p`) by next choice among `open` candidates.
    fn expand(&self, prefs: &[f64], open: u64, last: usize, p: f64, ws: &mut Workspace) {
        let n = self.n;
        let row = &prefs[last * (n + 1)..(last + 1) * (n + 1)];
        let avail: f64 = if ws.prefix.len() >= self.ranks {
            0.0
        } else {
            row[n] + (0..n).filter(|&k| open & (1 << k) != 0).map(|k| row[k]).sum::<f64>()
        };
        let stop = if avail > 0.0 { p * row[n] / avail } else { p };
        if stop > 0.0 {
            ws.marks.extend_from_slice(&ws.prefix);
            ws.starts.push(ws.marks.len() as u32);
            ws.probs.push(stop);
        }
        if avail <= 0.0 {
            return;
        }
        for (k, &f) in row[..n].iter().enumerate() {
            if open & (1 << k) != 0 && f > 0.0 {
                ws.prefix.push(k as u16);
                self.expand(prefs, open & !(1 << k), k, p * f / avail, ws);
                ws.prefix.pop();
            }
        }
    }
}

/// The set of candidates `0..n` as bits (`n` is at most 64, see
/// [`crate::scenario::MAX_CANDIDATES`]).
fn all_of(n: usize) -> u64 {
    debug_assert!(n <= 64);
    if n == 0 {
        0
    } else {
        u64::MAX >> (64 - n)
    }
}

/// The Dirichlet concentration `1/(1/n + v) − 1` for sampling variance
/// `1/n` and systematic variance `v` (at 50%, as `4σ²`), at least 0.001.
fn concentration(inv_n: f64, systematic_var: f64) -> f64 {
    (1.0 / (inv_n + systematic_var) - 1.0).max(1e-3)
}

/// Moves `bias / 2` (a fraction) from the largest share to the second
/// largest (the earlier on equal shares), keeping both above zero.
pub(crate) fn shift_favourite(poll: &mut [f64], bias: f64) {
    if poll.len() < 2 || bias == 0.0 {
        return;
    }
    let mut order: Vec<usize> = (0..poll.len()).collect();
    order.sort_by(|&a, &b| poll[b].total_cmp(&poll[a]).then(a.cmp(&b)));
    let (lead, second) = (order[0], order[1]);
    let floor = 1e-6;
    let h = (bias / 2.0).min(poll[lead] - floor).max(-(poll[second] - floor));
    if h.is_finite() {
        poll[lead] -= h;
        poll[second] += h;
    }
}

/// A Gamma(shape, 1) distribution, or `None` for a zero shape (always 0).
fn gamma(shape: f64) -> Option<Gamma<f64>> {
    if shape > 0.0 && shape.is_finite() {
        Gamma::new(shape, 1.0).ok()
    } else {
        None
    }
}

/// Scales `v` to add up to 1; falls back to `mean` if every entry is 0.
fn normalise(v: &mut [f64], mean: &[f64]) {
    let sum: f64 = v.iter().sum();
    if sum > 0.0 && sum.is_finite() {
        v.iter_mut().for_each(|x| *x /= sum);
    } else {
        v.copy_from_slice(mean);
    }
}

/// Whole numbers proportional to `probs` that add up to exactly `total`:
/// floors first, then one more to the largest remainders (earlier first on
/// equal remainders).
pub fn largest_remainder(probs: &[f64], total: u64, out: &mut Vec<u64>, rems: &mut Vec<(f64, u32)>) {
    out.clear();
    let sum: f64 = probs.iter().sum();
    if probs.is_empty() || sum <= 0.0 {
        return;
    }
    let scale = total as f64 / sum;
    let mut assigned: u64 = 0;
    rems.clear();
    for (i, &p) in probs.iter().enumerate() {
        let exact = p * scale;
        // `as` truncates, which is the floor for the non-negative values here.
        let w = (exact as u64).min(total - assigned);
        assigned += w;
        out.push(w);
        rems.push((exact - w as f64, i as u32));
    }
    let left = ((total - assigned) as usize).min(probs.len());
    if left == 0 {
        return;
    }
    if left < rems.len() {
        // Largest remainder first, the earlier on equal ones. The remainders
        // are non-negative, so their bit patterns sort as they do.
        rems.select_nth_unstable_by_key(left - 1, |&(r, i)| (u64::MAX - r.max(0.0).to_bits(), i));
    }
    for &(_, i) in &rems[..left] {
        out[i as usize] += 1;
    }
}

/// The members of a set of candidates, in order.
fn ones(mut set: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (set != 0).then(|| {
            let k = set.trailing_zeros() as usize;
            set &= set - 1;
            k
        })
    })
}

/// [`split_votes`] by [`largest_remainder`] itself.
fn split_plainly(probs: &[f64], total: u64, out: &mut [u64]) {
    let kept: Vec<f64> = probs.iter().copied().filter(|&p| p > 0.0).collect();
    let mut whole = Vec::new();
    largest_remainder(&kept, total, &mut whole, &mut Vec::new());
    let mut whole = whole.into_iter();
    for (w, &p) in out.iter_mut().zip(probs) {
        *w = if p > 0.0 { whole.next().unwrap_or(0) } else { 0 };
    }
}

/// A share or probability, 0 unless positive.
fn positive(x: f64) -> f64 {
    if x > 0.0 {
        x
    } else {
        0.0
    }
}

/// [`largest_remainder`] of the positive entries of `probs` alone, the
/// others getting 0 (`out` has an entry for each, also when none is
/// positive). The same numbers as [`largest_remainder`] on the positive
/// entries, found faster: every floor is taken without the running check
/// against `total` when their sum does not pass it (which only rounding
/// could make it do), and the remainders are sorted into 64 buckets by
/// their first bits, so that only the bucket where the extra votes run out
/// is ordered.
fn split_votes(probs: &[f64], total: u64, out: &mut Vec<u64>, buckets: &mut Vec<u8>, tied: &mut Vec<(u64, u32)>) {
    out.clear();
    out.resize(probs.len(), 0);
    let sum: f64 = probs.iter().sum();
    if sum <= 0.0 {
        return;
    }
    if total > 1 << 52 {
        // Beyond the integers an f64 holds exactly: the plain way.
        return split_plainly(probs, total, out);
    }
    let scale = total as f64 / sum;
    buckets.clear();
    buckets.resize(probs.len(), 0);
    // Bucket 0 marks an entry that takes no part; a remainder r (below 1)
    // is in bucket 1 + ⌊64·r⌋, so a larger remainder is never in a lower one.
    let mut counts = [0u32; 65];
    let mut assigned: u64 = 0;
    for ((&p, w), b) in probs.iter().zip(out.iter_mut()).zip(buckets.iter_mut()) {
        // ⌊64·exact⌋ (64·exact is exact, and below 2⁵⁹): the floor of
        // `exact` above its last six bits, and ⌊64·r⌋ of its remainder r in
        // them. `as` truncates, which is the floor for the non-negative
        // values here, and gives 0 for the others.
        let sixty_fourths = (p * scale * 64.0) as i64;
        *w = (sixty_fourths >> 6) as u64;
        assigned += *w;
        *b = if p > 0.0 { 1 + (sixty_fourths & 63) as u8 } else { 0 };
        counts[usize::from(*b)] += 1;
    }
    let positive = probs.len() - counts[0] as usize;
    if assigned > total {
        return split_plainly(probs, total, out);
    }
    let left = ((total - assigned) as usize).min(positive);
    if left == 0 {
        return;
    }
    // The remainders are below 1 (the floors were not capped), so the
    // buckets run to 64; the edge bucket is where the extra votes run out.
    let (mut above, mut edge) = (0, 64);
    while above + (counts[edge] as usize) < left {
        above += counts[edge] as usize;
        edge -= 1;
    }
    let edge_bucket = edge as u8;
    out.iter_mut().zip(buckets.iter()).for_each(|(w, &b)| *w += u64::from(b > edge_bucket));
    let need = left - above;
    if need == counts[edge] as usize {
        out.iter_mut().zip(buckets.iter()).for_each(|(w, &b)| *w += u64::from(b == edge_bucket));
        return;
    }
    tied.clear();
    for (i, &b) in buckets.iter().enumerate() {
        if b == edge_bucket {
            let exact = probs[i] * scale;
            tied.push(((exact - out[i] as f64).to_bits(), i as u32));
        }
    }
    // Largest remainder first, the earlier on equal ones, as in `largest_remainder`.
    tied.select_nth_unstable_by_key(need - 1, |&(bits, i)| (u64::MAX - bits, i));
    tied[..need].iter().for_each(|&(_, i)| out[i as usize] += 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn scenario(extra: &str) -> Scenario {
        let text = format!(
            "title = \"t\"\nsource = \"s\"\nsample_size = 1000\nvalid_votes = 1000003\n\
             candidates = [ {{ name = \"A\", share = 45 }}, {{ name = \"B\", share = 35 }}, {{ name = \"C\", share = 20 }} ]\n{extra}"
        );
        Scenario::from_toml(&text, "t").unwrap()
    }

    #[test]
    fn the_favourite_bias_moves_half_the_lead_to_the_runner_up() {
        let m = Model::new(&scenario("favourite_bias = 6\n"), Noise::NONE);
        let d = m.expected();
        for (got, want) in d.shares.iter().zip([0.42, 0.38, 0.20]) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        // A bias above the leader's share leaves it just above zero.
        let mut p = vec![0.1, 0.05];
        shift_favourite(&mut p, 0.5);
        assert!(p[0] > 0.0 && p[0] < 1e-5 && (p[0] + p[1] - 0.15).abs() < 1e-12);
    }

    #[test]
    fn student_t_tails_keep_the_variance_and_fatten_the_tails() {
        // The same σ: about the same standard deviation, more draws far out.
        let spread = |extra: &str| {
            let text = format!(
                "title = \"t\"\nsource = \"s\"\nsample_size = 1000000\nvalid_votes = 1000\nsystematic_error = 5\n{extra}\
                 candidates = [ {{ name = \"A\", share = 45 }}, {{ name = \"B\", share = 55 }} ]\n"
            );
            let m = Model::new(&Scenario::from_toml(&text, "t").unwrap(), Noise::FULL);
            let mut rng = ChaCha8Rng::seed_from_u64(7);
            let mut d = Draw::default();
            let draws = 40_000;
            let (mut sq, mut far) = (0.0, 0);
            for _ in 0..draws {
                m.draw_into(&mut rng, &mut d);
                let e = d.shares[0] - 0.45;
                sq += e * e;
                // Beyond three standard deviations (σ_A = 2·0.05·√(0.45·0.55)).
                if e.abs() > 3.0 * 0.1 * (0.45f64 * 0.55).sqrt() {
                    far += 1;
                }
            }
            ((sq / draws as f64).sqrt(), far)
        };
        let (sd_normal, far_normal) = spread("error_tails = \"normal\"\n");
        let (sd_t, far_t) = spread("error_tails = \"student-t:4\"\n");
        assert!((sd_t / sd_normal - 1.0).abs() < 0.1, "{sd_t} vs {sd_normal}");
        assert!(far_t > 3 * far_normal.max(10), "{far_t} vs {far_normal}");
    }

    #[test]
    fn largest_remainder_is_exact() {
        let (mut out, mut order) = (Vec::new(), Vec::new());
        largest_remainder(&[1.0, 1.0, 1.0], 100, &mut out, &mut order);
        assert_eq!(out, vec![34, 33, 33]);
        largest_remainder(&[0.5, 0.25, 0.25], 7, &mut out, &mut order);
        assert_eq!(out.iter().sum::<u64>(), 7);
        assert_eq!(out, vec![3, 2, 2]);
    }

    #[test]
    fn share_draws_add_up_to_one() {
        let m = Model::new(
            &scenario("[entrant]\nname = \"E\"\nshare = 10\ndrawn_from = { A = 0.7, C = 0.3 }\n"),
            Noise::FULL,
        );
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut d = Draw::default();
        for _ in 0..1000 {
            m.draw_into(&mut rng, &mut d);
            assert!((d.shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            assert!((d.base_shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            assert!(d.shares.iter().all(|&s| s >= 0.0));
            for i in 0..4 {
                let row: f64 = d.prefs[i * 5..(i + 1) * 5].iter().sum();
                assert!((row - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn zero_noise_reproduces_the_poll() {
        let m = Model::new(
            &scenario("[entrant]\nname = \"E\"\nshare = 10\ndrawn_from = { A = 0.7, C = 0.3 }\n"),
            Noise::NONE,
        );
        let d = m.expected();
        let want = [0.45 - 0.07, 0.35, 0.20 - 0.03, 0.10];
        for (got, want) in d.shares.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        let mut ws = Workspace::default();
        let b = m.ballots(&d, false, &mut ws);
        assert_eq!(b.total_weight(), 1_000_003);
        // First choices are the poll's shares of the valid votes, to the vote.
        assert_eq!(ws.first, vec![380_001, 350_001, 170_001, 100_000]);
        m.ballots(&d, true, &mut ws);
        assert_eq!(ws.first, vec![450_001, 350_001, 200_001, 0]);
    }

    #[test]
    fn next_choices_follow_the_rows() {
        // A's voters: 60% B, rest no further choice; ranks = 2.
        let s = scenario("ranks = 2\n[preferences]\nA = { B = 0.6 }\nB = {}\nC = {}\n");
        let m = Model::new(&s, Noise::NONE);
        let mut ws = Workspace::default();
        let b = m.ballots(&m.expected(), false, &mut ws);
        // Types: A, A>B, B, C.
        assert_eq!(b.unique_len(), 4);
        let ab = b.iter().find(|x| x.levels().count() == 2).unwrap();
        assert_eq!(ab.weight, 270_001);
        assert_eq!(m.ballot_types(2, 100), 4);
    }

    #[test]
    fn split_votes_is_largest_remainder_of_the_positive_entries() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (mut fast, mut plain, mut order, mut buckets, mut tied) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut ties = 0;
        for case in 0..20_000 {
            let len = rng.random_range(1..60);
            // Few distinct values, many zeros: equal remainders and small splits are common.
            let probs: Vec<f64> = (0..len)
                .map(|_| match rng.random_range(0..4) {
                    0 => 0.0,
                    1 => f64::from(rng.random_range(1..4u32)) / 8.0,
                    _ => rng.random::<f64>(),
                })
                .collect();
            let total = match case % 3 {
                0 => rng.random_range(0..20),
                1 => rng.random_range(0..5_000_000),
                _ => rng.random_range(0..1u64 << 60),
            };
            split_votes(&probs, total, &mut fast, &mut buckets, &mut tied);
            let kept: Vec<f64> = probs.iter().copied().filter(|&p| p > 0.0).collect();
            largest_remainder(&kept, total, &mut plain, &mut order);
            let mut plain = plain.iter();
            let want: Vec<u64> =
                probs.iter().map(|&p| if p > 0.0 { plain.next().copied().unwrap_or(0) } else { 0 }).collect();
            assert_eq!(fast, want, "{probs:?} {total}");
            ties += usize::from(tied.len() > 1);
        }
        // The ordering within a bucket was exercised.
        assert!(ties > 100, "{ties}");
    }

    #[test]
    fn the_layout_gives_the_types_built_afresh() {
        let cases = [
            "",
            "ranks = 3\n",
            "ranks = 3\n[preferences]\nA = { B = 1.0 }\nB = { C = 0.5 }\n",
            "ranks = 4\npreference_concentration = 0.05\n[entrant]\nname = \"E\"\nshare = 10\ndrawn_from = { A = 1.0 }\n",
            // Rows without "no further choice", drawn so concentrated that
            // most fractions are exactly zero: a ballot can be left with no
            // next choice where the scenario gives one.
            "preference_concentration = 0.001\n[preferences]\nA = { B = 0.5, C = 0.5 }\nB = { A = 0.5, C = 0.5 }\nC = { A = 0.5, B = 0.5 }\n",
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let (mut ws, mut fresh, mut d) = (Workspace::default(), Workspace::default(), Draw::default());
        let mut rebuilt = 0;
        for extra in cases {
            let m = Model::new(&scenario(extra), Noise::FULL);
            for base in [false, true] {
                let layout = m.layout(base);
                for _ in 0..300 {
                    m.draw_into(&mut rng, &mut d);
                    let covered = m.probs_in(&layout, &d, base, &mut ws);
                    let probs = ws.probs.clone();
                    rebuilt += usize::from(!covered);
                    let got = m.types_in(&layout, &d, base, &mut ws);
                    let want = m.types_of(&d, base, &mut fresh);
                    assert_eq!(got.first, want.first, "{extra}");
                    // The same types with the same weights, bar the layout's types of probability zero.
                    let kept: Vec<(&[u16], u64)> = (0..got.weights.len())
                        .filter(|&t| !covered || probs[t] > 0.0)
                        .map(|t| (got.ranking(t), got.weights[t]))
                        .collect();
                    let all: Vec<(&[u16], u64)> =
                        (0..want.weights.len()).map(|t| (want.ranking(t), want.weights[t])).collect();
                    assert_eq!(kept, all, "{extra}");
                }
            }
        }
        // The last scenario needs the types built afresh now and then; most draws do not.
        assert!(rebuilt > 0 && rebuilt < 600, "{rebuilt}");
    }

    #[test]
    fn ballot_types_counts_the_types_built() {
        let cases = [
            "",
            "ranks = 3\n",
            "ranks = 3\n[preferences]\nA = { B = 1.0 }\nB = { C = 0.5 }\n",
            "ranks = 4\n[entrant]\nname = \"E\"\nshare = 10\ndrawn_from = { A = 1.0 }\n",
        ];
        for extra in cases {
            let m = Model::new(&scenario(extra), Noise::NONE);
            let mut ws = Workspace::default();
            m.ballots(&m.expected(), false, &mut ws);
            assert_eq!(m.ballot_types(m.ranks(), u64::MAX - 1), ws.probs.len() as u64, "{extra}");
        }
        // Counting stops soon after the limit.
        let m = Model::new(&scenario("ranks = 3\n"), Noise::NONE);
        assert_eq!(m.ballot_types(3, 15), 15);
        assert!(m.ballot_types(3, 4) > 4 && m.ballot_types(3, 4) < 15);
    }
}
