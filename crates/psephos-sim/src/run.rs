//! The Monte Carlo runner: many draws, each counted under every rule with
//! the core's own [`Rule::count`], tallied into integer counters.
//!
//! **Reproducibility.** Draw `t` uses its own ChaCha8 generator
//! (`rand_chacha::ChaCha8Rng`): key = the 32-byte seed that
//! `ChaCha8Rng::seed_from_u64(seed)` derives, stream = `t`. Its ties, if any,
//! are broken by the chain `previous-rounds,random` with lot seed
//! `seed ^ t·φ` (φ = 0x9E37_79B9_7F4A_7C15). Every statistic is a sum of
//! integer counts (wins, winner changes, share-histogram bins), and integer
//! sums do not depend on the order they are added in, so the same seed gives
//! the same summary whatever the number of threads.
//!
//! **Extra tests.** [`run_with`] takes [`Measures`]: what to test on every
//! draw besides counting the winners. [`Measures::SPOILERS`] adds the spoiler
//! test of every losing candidate under every rule (see [`crate::spoilers`]),
//! at the cost of one more count per rule and losing candidate; its counters
//! are integers too, and the withdrawal counts use the draw's own tie-break
//! chain and lot seed, so they keep the same guarantee.

use psephos::analysis::SpoilerOptions;
use psephos::{CountError, CountOptions, Election, Profile, RankedBallots, Rule, TieBreak, TieBreakStep};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::fast::{self, FastRule, Scratch};
use crate::model::{BallotLayout, Draw, Layout, Model, Workspace};
use crate::spoilers::{self, SpoilerTally};

/// Share histogram resolution: bins per share point.
pub const BINS_PER_POINT: u64 = 100;
const BINS: usize = 100 * BINS_PER_POINT as usize + 1;
/// The most draws one run makes: ten million, about two minutes of the
/// default scenario on two cores. More would not sharpen anything a reader
/// can see (the Monte Carlo error is then below 0.02 points) and could run
/// for hours.
pub const MAX_DRAWS: u64 = 10_000_000;
/// The most ballot types one race may have (see [`Model::ballot_types`]):
/// each draw builds and counts every type, so their number is the cost of a
/// draw. Every ordering of up to `ranks` of `n` candidates is a type, which
/// grows like `n!` — 12 candidates ranked to 12 levels make 1.3 billion —
/// while a million keeps a draw to a fraction of a second and its scratch
/// space to tens of megabytes.
pub const MAX_BALLOT_TYPES: u64 = 1_000_000;
/// Draws per unit of parallel work.
const CHUNK: u64 = 256;

/// What to run.
#[derive(Clone, Debug, PartialEq)]
pub struct SimOptions {
    /// Number of simulated elections.
    pub draws: u64,
    /// The seed.
    pub seed: u64,
    /// Rules to count under.
    pub rules: Vec<Rule>,
}

impl SimOptions {
    /// 10,000 draws, seed 2024, the given rules.
    pub fn new(rules: Vec<Rule>) -> Self {
        SimOptions { draws: 10_000, seed: 2024, rules }
    }
}

/// What a run tests on every draw besides counting the winners. Each test
/// costs extra counts, so none is on by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measures {
    /// The spoiler test of every losing candidate under every rule, with
    /// these options; `None` leaves it out.
    pub spoilers: Option<SpoilerOptions>,
}

impl Measures {
    /// Winners, winner changes and shares only: what [`run`] measures.
    pub const WINNERS: Measures = Measures { spoilers: None };
    /// Also the spoiler test, with the Condorcet shortcut where a rule allows
    /// it (the same answers as recounting, see [`SpoilerOptions::FAST`]).
    pub const SPOILERS: Measures = Measures { spoilers: Some(SpoilerOptions::FAST) };
}

/// A draw could not be counted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A rule refused the simulated ballots or met an unresolvable tie.
    #[error("draw {draw}, rule {rule}: {source}")]
    Count {
        /// The draw's index.
        draw: u64,
        /// The rule.
        rule: &'static str,
        /// The core's error.
        source: CountError,
    },
    /// The spoiler test's count without a losing candidate failed.
    #[error("draw {draw}, rule {rule}, without {candidate}: {source}")]
    Withdrawal {
        /// The draw's index.
        draw: u64,
        /// The rule.
        rule: &'static str,
        /// The withdrawn candidate's name.
        candidate: String,
        /// The core's error.
        source: CountError,
    },
    /// No draws were asked for.
    #[error("the number of draws must be at least 1")]
    NoDraws,
    /// The ballots would have more types than [`MAX_BALLOT_TYPES`].
    #[error(
        "ranks = {ranks} with {candidates} candidates gives more than the {MAX_BALLOT_TYPES} ballot types a race \
         may have (every ordering of up to {ranks} candidates that voters' next choices allow, each built and \
         counted in every simulated election): set `ranks` to {fits} or less"
    )]
    TooManyBallotTypes {
        /// The scenario's rank levels.
        ranks: usize,
        /// Candidates in the race, the entrant included.
        candidates: usize,
        /// The most rank levels that stay within the limit.
        fits: usize,
    },
    /// More draws were asked for than [`MAX_DRAWS`].
    #[error("{0} draws asked for; at most {MAX_DRAWS}")]
    TooManyDraws(u64),
}

/// Results of one race (with or without the entrant) over all draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RaceSummary {
    n: usize,
    /// `wins[r·n + c]`: draws in which candidate c won under rule r.
    wins: Vec<u64>,
    /// `hist[c·BINS + b]`: draws in which c's first-round share rounded to b/100 points.
    hist: Vec<u64>,
    draws: u64,
}

impl RaceSummary {
    fn new(n: usize, rules: usize) -> Self {
        RaceSummary { n, wins: vec![0; n * rules], hist: vec![0; n * BINS], draws: 0 }
    }

    fn merge(&mut self, other: &RaceSummary) {
        self.wins.iter_mut().zip(&other.wins).for_each(|(a, b)| *a += b);
        self.hist.iter_mut().zip(&other.hist).for_each(|(a, b)| *a += b);
        self.draws += other.draws;
    }

    /// Draws in which candidate `c` won under the `rule`-th rule.
    pub fn wins(&self, rule: usize, c: usize) -> u64 {
        self.wins[rule * self.n + c]
    }

    /// The share of draws candidate `c` won under the `rule`-th rule.
    pub fn win_probability(&self, rule: usize, c: usize) -> f64 {
        self.wins(rule, c) as f64 / self.draws.max(1) as f64
    }

    /// The Monte Carlo standard error of that probability, `√(p(1−p)/N)`.
    pub fn mc_error(&self, rule: usize, c: usize) -> f64 {
        mc_error(self.win_probability(rule, c), self.draws)
    }

    /// Draws in which candidate `c`'s first-round share, rounded to 0.01
    /// points, is below `share` (percent) rounded the same way.
    pub fn draws_below(&self, c: usize, share: f64) -> u64 {
        let bin = (share * BINS_PER_POINT as f64).round().clamp(0.0, BINS as f64) as usize;
        self.hist[c * BINS..c * BINS + bin].iter().sum()
    }

    /// The continuous ranked probability score of candidate `c`'s simulated
    /// first-round share against the actual `share` (both percent):
    /// `∫ (F(x) − [x ≥ share])² dx` over the share histogram, in share points
    /// (0 is a forecast certain of the actual share; lower is better).
    pub fn crps(&self, c: usize, share: f64) -> f64 {
        let at = (share * BINS_PER_POINT as f64).round().clamp(0.0, (BINS - 1) as f64) as usize;
        let draws = self.draws.max(1) as f64;
        let mut seen = 0;
        let mut sum = 0.0;
        for (b, &k) in self.hist[c * BINS..(c + 1) * BINS].iter().enumerate() {
            seen += k;
            let f = seen as f64 / draws - f64::from(u8::from(b >= at));
            sum += f * f;
        }
        sum / BINS_PER_POINT as f64
    }

    /// The `q`-quantile (0 < q < 1) of candidate `c`'s first-round share,
    /// in percent, to 0.01 points.
    pub fn share_quantile(&self, c: usize, q: f64) -> f64 {
        let bins = &self.hist[c * BINS..(c + 1) * BINS];
        let need = ((q * self.draws as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (b, &k) in bins.iter().enumerate() {
            seen += k;
            if seen >= need {
                return b as f64 / BINS_PER_POINT as f64;
            }
        }
        100.0
    }
}

/// The Monte Carlo standard error `√(p(1−p)/N)` of a proportion `p` of `draws` draws.
pub(crate) fn mc_error(p: f64, draws: u64) -> f64 {
    (p * (1.0 - p) / draws.max(1) as f64).sqrt()
}

/// Everything a run produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Draws made.
    pub draws: u64,
    /// The seed.
    pub seed: u64,
    /// The rules, in the order of the per-rule vectors.
    pub rules: Vec<Rule>,
    /// The race (with the entrant, if the scenario has one).
    pub race: RaceSummary,
    /// The base race without the entrant, counted on the same draws.
    pub base: Option<RaceSummary>,
    /// Per rule: draws in which the entrant's presence changed the winner.
    pub changes: Vec<u64>,
    /// Spoiler counters of the race (with the entrant), when [`Measures::spoilers`] asked for them.
    pub spoilers: Option<SpoilerTally>,
}

impl Summary {
    /// The share of draws in which the entrant changed the winner under the `rule`-th rule.
    pub fn change_probability(&self, rule: usize) -> f64 {
        self.changes.get(rule).map_or(0.0, |&k| k as f64 / self.draws.max(1) as f64)
    }
}

struct Acc {
    race: RaceSummary,
    base: Option<RaceSummary>,
    changes: Vec<u64>,
    spoilers: Option<SpoilerTally>,
    error: Option<SimError>,
}

impl Acc {
    fn merge(mut self, other: Acc) -> Acc {
        self.race.merge(&other.race);
        if let (Some(a), Some(b)) = (&mut self.base, &other.base) {
            a.merge(b);
        }
        self.changes.iter_mut().zip(&other.changes).for_each(|(a, b)| *a += b);
        if let (Some(a), Some(b)) = (&mut self.spoilers, &other.spoilers) {
            a.merge(b);
        }
        self.error = match (self.error, other.error) {
            (Some(a), Some(b)) => Some(if draw_of(&a) <= draw_of(&b) { a } else { b }),
            (a, b) => a.or(b),
        };
        self
    }
}

fn draw_of(e: &SimError) -> u64 {
    match e {
        SimError::Count { draw, .. } | SimError::Withdrawal { draw, .. } => *draw,
        SimError::NoDraws | SimError::TooManyDraws(_) | SimError::TooManyBallotTypes { .. } => 0,
    }
}

/// Per-thread state: the draw, the ballot scratch and two elections whose
/// profiles are replaced on every draw.
struct Worker {
    draw: Draw,
    ws: Workspace,
    race: Election,
    base: Option<Election>,
    race_layout: BallotLayout,
    base_layout: BallotLayout,
    winners: Vec<usize>,
    base_winners: Vec<usize>,
    /// Per rule: its count on the ballot types, if [`crate::fast`] has one.
    fast: Vec<Option<FastRule>>,
    scratch: Scratch,
}

impl Worker {
    fn new(model: &Model, rules: &[Rule]) -> Worker {
        let mut ws = Workspace::default();
        let expected = model.expected();
        let ballots = model.ballots(&expected, false, &mut ws);
        let race = Election::from_ranked(model.candidates().clone(), 1, ballots).expect("the model's candidates");
        let base = model.entrant().map(|_| {
            let ballots = model.ballots(&expected, true, &mut ws);
            Election::from_ranked(model.base_candidates().clone(), 1, ballots).expect("the model's candidates")
        });
        Worker {
            draw: Draw::default(),
            ws,
            race,
            base,
            race_layout: BallotLayout::default(),
            base_layout: BallotLayout::default(),
            winners: Vec::new(),
            base_winners: Vec::new(),
            fast: rules.iter().map(FastRule::of).collect(),
            scratch: Scratch::default(),
        }
    }
}

/// The ChaCha8 key for a seed.
fn key_of(seed: u64) -> [u8; 32] {
    ChaCha8Rng::seed_from_u64(seed).get_seed()
}

/// The generator of draw `t`.
pub fn rng_for(key: [u8; 32], t: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(t);
    rng
}

/// A winner not yet known: the rule has no fast count, or it met a tie.
const PENDING: usize = usize::MAX - 1;

/// One race of one draw and where to put it.
struct RaceSlot<'a> {
    /// The base race (without the entrant)?
    base: bool,
    /// Its ballot types.
    types: &'a Layout,
    election: &'a mut Election,
    layout: &'a mut BallotLayout,
    /// The election must hold this draw's ballots afterwards (for the spoiler test).
    need_store: bool,
}

/// Builds a race of a draw and counts it under every rule, adding wins and
/// shares to `tally`; the winners (by index, `usize::MAX` for none) are
/// left in `winners`. Each rule is counted on the ballot types where
/// [`crate::fast`] can, else (and on any tie) by the core's [`Rule::count`]
/// on the election, whose store is then refilled with this draw's ballots.
fn count_all(
    model: &Model,
    draw: &Draw,
    slot: RaceSlot,
    w: &mut WorkerScratch,
    spec: (&[Rule], &CountOptions, u64),
    tally: &mut RaceSummary,
    winners: &mut Vec<usize>,
) -> Result<(), SimError> {
    let (rules, options, t) = spec;
    let types = model.types_in(slot.types, draw, slot.base, w.ws);
    fast::winners(w.fast, &types, w.scratch, PENDING, winners);
    record_shares(tally, types.first, model.valid_votes());
    if slot.need_store || winners.contains(&PENDING) {
        if !matches!(slot.election.profile, Profile::Ranked(_)) {
            slot.election.profile = Profile::Ranked(RankedBallots::default());
            *slot.layout = BallotLayout::default();
        }
        if let Profile::Ranked(store) = &mut slot.election.profile {
            model.fill_store(&types, slot.layout, store);
        }
    }
    for (r, rule) in rules.iter().enumerate() {
        if winners[r] == PENDING {
            let c = rule.count(slot.election, options).map_err(|source| SimError::Count {
                draw: t,
                rule: rule.id(),
                source,
            })?;
            winners[r] = c.winner().map_or(usize::MAX, |c| c.index());
        }
        if winners[r] != usize::MAX {
            tally.wins[r * tally.n + winners[r]] += 1;
        }
    }
    Ok(())
}

/// The parts of a [`Worker`] every race of a draw shares.
struct WorkerScratch<'a> {
    ws: &'a mut Workspace,
    fast: &'a [Option<FastRule>],
    scratch: &'a mut Scratch,
}

fn record_shares(tally: &mut RaceSummary, first: &[u64], total: u64) {
    for (c, &v) in first.iter().enumerate() {
        let bin =
            ((u128::from(v) * u128::from(100 * BINS_PER_POINT) + u128::from(total / 2)) / u128::from(total)) as usize;
        tally.hist[c * BINS + bin.min(BINS - 1)] += 1;
    }
    tally.draws += 1;
}

/// Runs the simulation. `progress` is called with the number of draws just
/// finished, from any thread.
pub fn run(model: &Model, options: &SimOptions, progress: Option<&(dyn Fn(u64) + Sync)>) -> Result<Summary, SimError> {
    run_with(model, options, &Measures::WINNERS, progress)
}

/// Runs the simulation with the extra tests of `measures` on every draw.
pub fn run_with(
    model: &Model,
    options: &SimOptions,
    measures: &Measures,
    progress: Option<&(dyn Fn(u64) + Sync)>,
) -> Result<Summary, SimError> {
    if options.draws == 0 {
        return Err(SimError::NoDraws);
    }
    if options.draws > MAX_DRAWS {
        return Err(SimError::TooManyDraws(options.draws));
    }
    check_ballot_types(model)?;
    let n = model.candidates().len();
    let rules = &options.rules;
    let key = key_of(options.seed);
    let chain = TieBreak::new(vec![TieBreakStep::PreviousRounds, TieBreakStep::Random]).expect("non-empty");
    let chunks = options.draws.div_ceil(CHUNK);
    let has_base = model.entrant().is_some();
    let layouts = (model.layout(false), if has_base { model.layout(true) } else { Layout::default() });
    let new_acc = || Acc {
        race: RaceSummary::new(n, rules.len()),
        base: has_base.then(|| RaceSummary::new(n, rules.len())),
        changes: vec![0; rules.len()],
        spoilers: measures.spoilers.map(|_| SpoilerTally::new(n, rules.len())),
        error: None,
    };
    // A few pieces of work per thread, of 2,048 draws at least: each has
    // its own counters (the share histograms: 80 kB a candidate and race),
    // allocated and merged.
    let per_piece = chunks.div_ceil(8 * rayon::current_num_threads() as u64).max(2048 / CHUNK) as usize;
    let acc = (0..chunks as usize)
        .into_par_iter()
        .with_min_len(per_piece)
        .fold(
            || (new_acc(), None::<Worker>),
            |(mut acc, worker), chunk| {
                if acc.error.is_some() {
                    return (acc, worker);
                }
                let mut worker = worker.unwrap_or_else(|| Worker::new(model, rules));
                let chunk = chunk as u64;
                let end = ((chunk + 1) * CHUNK).min(options.draws);
                for t in chunk * CHUNK..end {
                    let draw =
                        DrawSpec { rules, chain: &chain, measures, layouts: &layouts, key, seed: options.seed, t };
                    if let Err(e) = one_draw(model, &draw, &mut worker, &mut acc) {
                        acc.error = Some(e);
                        break;
                    }
                }
                if let Some(p) = progress {
                    p(end - chunk * CHUNK);
                }
                (acc, Some(worker))
            },
        )
        .map(|(acc, _)| acc)
        .reduce(new_acc, Acc::merge);
    if let Some(e) = acc.error {
        return Err(e);
    }
    Ok(Summary {
        draws: options.draws,
        seed: options.seed,
        rules: rules.clone(),
        race: acc.race,
        base: acc.base,
        changes: if has_base { acc.changes } else { Vec::new() },
        spoilers: acc.spoilers,
    })
}

/// Refuses a model whose races have more than [`MAX_BALLOT_TYPES`] ballot
/// types, before any is built.
pub fn check_ballot_types(model: &Model) -> Result<(), SimError> {
    let ranks = model.ranks();
    if model.ballot_types(ranks, MAX_BALLOT_TYPES) <= MAX_BALLOT_TYPES {
        return Ok(());
    }
    let fits = (1..ranks).rev().find(|&r| model.ballot_types(r, MAX_BALLOT_TYPES) <= MAX_BALLOT_TYPES).unwrap_or(1);
    Err(SimError::TooManyBallotTypes { ranks, candidates: model.candidates().len(), fits })
}

/// What one draw needs besides the model and the worker.
struct DrawSpec<'a> {
    rules: &'a [Rule],
    chain: &'a TieBreak,
    measures: &'a Measures,
    /// The ballot types of the race and of the base race.
    layouts: &'a (Layout, Layout),
    key: [u8; 32],
    seed: u64,
    /// The draw's index.
    t: u64,
}

fn one_draw(model: &Model, spec: &DrawSpec, w: &mut Worker, acc: &mut Acc) -> Result<(), SimError> {
    let DrawSpec { rules, chain, measures, layouts, key, seed, t } = *spec;
    let mut rng = rng_for(key, t);
    model.draw_into(&mut rng, &mut w.draw);
    let options = CountOptions { tie_break: chain.clone().with_seed(seed ^ t.wrapping_mul(0x9E37_79B9_7F4A_7C15)) };
    let spoilers = measures.spoilers.is_some();
    let mut scratch = WorkerScratch { ws: &mut w.ws, fast: &w.fast, scratch: &mut w.scratch };
    let race = RaceSlot {
        base: false,
        types: &layouts.0,
        election: &mut w.race,
        layout: &mut w.race_layout,
        need_store: spoilers,
    };
    count_all(model, &w.draw, race, &mut scratch, (rules, &options, t), &mut acc.race, &mut w.winners)?;
    if let (Some(test), Some(tally)) = (&measures.spoilers, &mut acc.spoilers) {
        spoilers::test_draw(&w.race, rules, &w.winners, test, &options, t, tally)?;
    }
    if let (Some(base), Some(tally)) = (&mut w.base, &mut acc.base) {
        let slot =
            RaceSlot { base: true, types: &layouts.1, election: base, layout: &mut w.base_layout, need_store: false };
        count_all(model, &w.draw, slot, &mut scratch, (rules, &options, t), tally, &mut w.base_winners)?;
        for (r, (a, b)) in w.winners.iter().zip(&w.base_winners).enumerate() {
            if a != b {
                acc.changes[r] += 1;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A summary of one candidate whose draws had these shares (percent).
    fn summary(shares: &[f64]) -> RaceSummary {
        let mut s = RaceSummary::new(1, 1);
        for &x in shares {
            record_shares(&mut s, &[(x * 100.0).round() as u64], 10_000);
        }
        s
    }

    #[test]
    fn crps_of_a_point_forecast_is_the_absolute_error() {
        let s = summary(&[40.0; 5]);
        assert!((s.crps(0, 43.5) - 3.5).abs() < 1e-9, "{}", s.crps(0, 43.5));
        assert!((s.crps(0, 40.0)).abs() < 1e-9);
    }

    #[test]
    fn crps_of_two_points_matches_its_closed_form() {
        // Half the draws at 30, half at 50, actual 35: ∫(F − 1[x ≥ 35])² is
        // 5·0.25 (30–35) + 15·0.25 (35–50) = 5.
        let s = summary(&[30.0, 50.0]);
        assert!((s.crps(0, 35.0) - 5.0).abs() < 1e-9, "{}", s.crps(0, 35.0));
        assert_eq!(s.draws_below(0, 35.0), 1);
        assert_eq!(s.draws_below(0, 30.0), 0);
    }
}
