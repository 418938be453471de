//! Party-list proportional representation: seats shared among parties in
//! proportion to their votes.
//!
//! Divisor (highest-averages) methods give seats one at a time, each to the
//! party with the highest quotient `votes ÷ divisor(seats it holds)`:
//!
//! | method | divisors | source |
//! |---|---|---|
//! | [`ListMethod::DHondt`] | 1, 2, 3, … | V. D'Hondt, *Système pratique et raisonné de représentation proportionnelle* (1882) |
//! | [`ListMethod::SainteLague`] | 1, 3, 5, … | A. Sainte-Laguë, "La représentation proportionnelle et la méthode des moindres carrés", *Annales de l'ENS* (1910) |
//! | [`ListMethod::ModifiedSainteLague`] | 1.4, 3, 5, … | Norway's Election Act (2002) §11-4; Sweden's Elections Act ch. 14 §3 (until 2018) |
//!
//! Largest-remainder methods give each party the whole number of quotas in
//! its votes, then the seats left to the largest remainders: [`ListMethod::Hare`]
//! with the quota votes ÷ seats (Hamilton's method), [`ListMethod::Droop`]
//! with ⌊votes ÷ (seats + 1)⌋ + 1 (as in South Africa's Electoral Act 1998,
//! sch. 1A).
//!
//! A threshold (a share of all valid votes) shuts parties below it out of
//! the allocation. A divisor count may start from seats a party already
//! holds, which is how mixed-member systems fill list seats (see
//! [`mixed`](super::mixed)). All arithmetic is exact: quotients are
//! compared as fractions, never rounded.
//!
//! Ties for a seat go to the tie-break chain with the parties' indices as
//! candidate ids: `previous-rounds` prefers the party with more votes,
//! `candidate-order` the party listed first, `random` the seeded lot. Every
//! decision is recorded; ties that cannot change the outcome (every tied
//! party gets a seat) are not ties.
//!
//! ```
//! use psephos::rules::party_list::{allocate, ListMethod, ListOptions};
//! use psephos::TieBreak;
//! // Four parties, 8 seats (the worked example of Wikipedia's "D'Hondt method").
//! let votes = [100_000, 80_000, 30_000, 20_000];
//! let a = allocate(&votes, &ListOptions::new(ListMethod::DHondt, 8), &TieBreak::default()).unwrap();
//! assert_eq!(a.seats, [4, 3, 1, 0]);
//! let s = allocate(&votes, &ListOptions::new(ListMethod::SainteLague, 8), &TieBreak::default()).unwrap();
//! assert_eq!(s.seats, [3, 3, 1, 1]);
//! ```

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::candidate::CandidateId;
use crate::error::CountError;
use crate::tiebreak::{TieBreak, TieBreaker, TieDecision, TieKind};

/// How list seats are shared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ListMethod {
    /// D'Hondt (Jefferson): divisors 1, 2, 3, …
    #[default]
    DHondt,
    /// Sainte-Laguë (Webster): divisors 1, 3, 5, …
    SainteLague,
    /// Modified Sainte-Laguë: divisors 1.4, 3, 5, …
    ModifiedSainteLague,
    /// Largest remainder with the Hare quota.
    Hare,
    /// Largest remainder with the Droop quota.
    Droop,
}

impl ListMethod {
    /// Every method.
    pub const ALL: [ListMethod; 5] = [
        ListMethod::DHondt,
        ListMethod::SainteLague,
        ListMethod::ModifiedSainteLague,
        ListMethod::Hare,
        ListMethod::Droop,
    ];

    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            ListMethod::DHondt => "dhondt",
            ListMethod::SainteLague => "sainte-lague",
            ListMethod::ModifiedSainteLague => "modified-sainte-lague",
            ListMethod::Hare => "hare",
            ListMethod::Droop => "droop",
        }
    }

    /// Whether seats go by quotients (rather than remainders).
    pub fn is_divisor(self) -> bool {
        matches!(self, ListMethod::DHondt | ListMethod::SainteLague | ListMethod::ModifiedSainteLague)
    }

    /// The divisor for a party holding `seats` seats, in tenths.
    pub fn divisor_tenths(self, seats: u32) -> u64 {
        let s = u64::from(seats);
        match self {
            ListMethod::DHondt | ListMethod::Hare | ListMethod::Droop => 10 * (s + 1),
            ListMethod::SainteLague => 10 * (2 * s + 1),
            ListMethod::ModifiedSainteLague if s == 0 => 14,
            ListMethod::ModifiedSainteLague => 10 * (2 * s + 1),
        }
    }
}

impl fmt::Display for ListMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A list method name that is not known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown allocation method `{0}`; expected dhondt, sainte-lague, modified-sainte-lague, hare or droop")]
pub struct UnknownMethod(pub String);

impl FromStr for ListMethod {
    type Err = UnknownMethod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "dhondt" | "d'hondt" | "d-hondt" | "jefferson" => Ok(ListMethod::DHondt),
            "sainte-lague" | "saint-lague" | "webster" => Ok(ListMethod::SainteLague),
            "modified-sainte-lague" | "msl" => Ok(ListMethod::ModifiedSainteLague),
            "hare" | "hamilton" | "largest-remainder" => Ok(ListMethod::Hare),
            "droop" => Ok(ListMethod::Droop),
            _ => Err(UnknownMethod(s.to_owned())),
        }
    }
}

/// A vote threshold as a share of all valid votes, in hundredths of a
/// percent (500 = 5%).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Threshold(pub u32);

impl Threshold {
    /// Whether `votes` out of `total` reach the threshold.
    pub fn passes(self, votes: u64, total: u64) -> bool {
        u128::from(votes) * 10_000 >= u128::from(self.0) * u128::from(total)
    }
}

impl FromStr for Threshold {
    type Err = String;
    /// A percentage such as `5`, `5%` or `2.5`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().trim_end_matches('%');
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let bad = || format!("expected a percentage from 0 to 100 such as 5 or 2.5, found `{s}`");
        if int.is_empty() || frac.len() > 2 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let int: u32 = int.parse().map_err(|_| bad())?;
        let frac: u32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let v = int.checked_mul(100).and_then(|v| v.checked_add(frac)).filter(|&v| v <= 10_000).ok_or_else(bad)?;
        Ok(Threshold(v))
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 % 100 == 0 {
            write!(f, "{}%", self.0 / 100)
        } else {
            write!(f, "{}.{:02}%", self.0 / 100, self.0 % 100)
        }
    }
}

/// Allocation options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListOptions {
    /// The method.
    pub method: ListMethod,
    /// Seats to share.
    pub seats: u32,
    /// Parties below this share of all votes get no seats.
    pub threshold: Option<Threshold>,
}

impl ListOptions {
    /// Options with no threshold.
    pub fn new(method: ListMethod, seats: u32) -> Self {
        ListOptions { method, seats, threshold: None }
    }
}

/// A quotient `votes ÷ (divisor_tenths / 10)`, kept exact. Quotients
/// compare (and are equal) by value.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Quotient {
    /// The party's votes.
    pub votes: u64,
    /// The divisor, in tenths.
    pub divisor_tenths: u64,
}

impl Quotient {
    /// The quotient written with `places` decimals, truncated.
    ///
    /// ```
    /// use psephos::rules::party_list::Quotient;
    /// assert_eq!(Quotient { votes: 171_069, divisor_tenths: 20 }.to_decimal(1), "85534.5");
    /// ```
    pub fn to_decimal(&self, places: u32) -> String {
        let scale = 10u128.pow(places);
        let v = u128::from(self.votes) * 10 * scale / u128::from(self.divisor_tenths);
        if places == 0 {
            v.to_string()
        } else {
            format!("{}.{:0width$}", v / scale, v % scale, width = places as usize)
        }
    }

    /// The whole part.
    pub fn floor(&self) -> u64 {
        (u128::from(self.votes) * 10 / u128::from(self.divisor_tenths)) as u64
    }

    /// `self - other` written with `places` decimals, truncated; `None` when
    /// `other` is larger.
    pub fn margin_over(&self, other: &Quotient, places: u32) -> Option<String> {
        if self < other {
            return None;
        }
        let den = u128::from(self.divisor_tenths) * u128::from(other.divisor_tenths);
        let num = u128::from(self.votes) * 10 * u128::from(other.divisor_tenths)
            - u128::from(other.votes) * 10 * u128::from(self.divisor_tenths);
        let scale = 10u128.pow(places);
        let v = num * scale / den;
        Some(if places == 0 { v.to_string() } else { format!("{}.{:0w$}", v / scale, v % scale, w = places as usize) })
    }
}

impl PartialEq for Quotient {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quotient {}

impl PartialOrd for Quotient {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quotient {
    fn cmp(&self, other: &Self) -> Ordering {
        (u128::from(self.votes) * u128::from(other.divisor_tenths))
            .cmp(&(u128::from(other.votes) * u128::from(self.divisor_tenths)))
    }
}

/// One seat of a divisor allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SeatAward {
    /// 1-based, among the seats this allocation shared.
    pub seat: u32,
    /// The party's index.
    pub party: usize,
    /// The winning quotient.
    pub quotient: Quotient,
}

/// The largest-remainder working for one party.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RemainderRow {
    /// Whole quotas in the party's votes.
    pub quotas: u32,
    /// What is left, as a numerator over [`Allocation::remainder_denominator`].
    pub remainder: u64,
    /// Whether the remainder won a seat.
    pub remainder_seat: bool,
}

/// The result of an allocation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Allocation {
    /// The method used.
    pub method: ListMethod,
    /// Seats per party (prior seats included for a mixed count).
    pub seats: Vec<u32>,
    /// Whether each party passed the threshold.
    pub eligible: Vec<bool>,
    /// All valid votes (the threshold's base).
    pub total_votes: u64,
    /// Divisor methods: the seats in the order they were won.
    pub awards: Vec<SeatAward>,
    /// Divisor methods: the highest quotient that won no seat.
    pub next: Option<SeatAward>,
    /// Largest remainder: the quota, as a numerator over
    /// [`Self::remainder_denominator`].
    pub quota: Option<u64>,
    /// Largest remainder: the denominator of quotas and remainders (seats
    /// for Hare, 1 for Droop).
    pub remainder_denominator: u64,
    /// Largest remainder: each party's working.
    pub remainders: Vec<RemainderRow>,
    /// Every tie decision taken (party indices as candidate ids).
    pub ties: Vec<TieDecision>,
}

impl Allocation {
    /// Seats shared.
    pub fn total_seats(&self) -> u32 {
        self.seats.iter().sum()
    }

    /// Divisor methods: the first `columns` quotients of every eligible party
    /// (starting from the seats it held before this allocation, `prior`).
    pub fn quotient_table(&self, votes: &[u64], prior: &[u32], columns: u32) -> Vec<Vec<Quotient>> {
        (0..votes.len())
            .map(|p| {
                let start = prior.get(p).copied().unwrap_or(0);
                (start..start + columns)
                    .map(|s| Quotient { votes: votes[p], divisor_tenths: self.method.divisor_tenths(s) })
                    .collect()
            })
            .collect()
    }
}

/// Shares `options.seats` seats among parties with these votes.
pub fn allocate(votes: &[u64], options: &ListOptions, tie_break: &TieBreak) -> Result<Allocation, CountError> {
    allocate_after(votes, &vec![0; votes.len()], options, tie_break)
}

/// Shares `options.seats` more seats by a divisor method, each party
/// starting from the seats in `prior` (for mixed-member systems). With a
/// largest-remainder method, `prior` must be all zeros.
pub fn allocate_after(
    votes: &[u64],
    prior: &[u32],
    options: &ListOptions,
    tie_break: &TieBreak,
) -> Result<Allocation, CountError> {
    let n = votes.len();
    let unsupported = |reason: String| CountError::Unsupported { rule: "allocate", reason };
    if n == 0 || n >= crate::candidate::MAX_CANDIDATES || prior.len() != n {
        return Err(unsupported(format!("{n} parties, with seats already held given for {}", prior.len())));
    }
    let total: u64 =
        votes.iter().try_fold(0u64, |a, &v| a.checked_add(v)).ok_or_else(|| unsupported("votes overflow".into()))?;
    let passes = |v: u64| match options.threshold {
        Some(t) => t.passes(v, total),
        None => true,
    };
    let eligible: Vec<bool> = votes.iter().map(|&v| v > 0 && passes(v)).collect();
    if options.seats > 0 && !eligible.iter().any(|&e| e) {
        return Err(unsupported("no party has votes above the threshold".into()));
    }
    let mut ties = TieBreaker::new(tie_break, n);
    let mut a = Allocation {
        method: options.method,
        seats: prior.to_vec(),
        eligible,
        total_votes: total,
        awards: Vec::new(),
        next: None,
        quota: None,
        remainder_denominator: 1,
        remainders: Vec::new(),
        ties: Vec::new(),
    };
    if options.method.is_divisor() {
        divisor(votes, options, &mut a, &mut ties)?;
    } else {
        if prior.iter().any(|&s| s > 0) {
            return Err(unsupported("largest remainder cannot start from seats already held".into()));
        }
        largest_remainder(votes, options, &mut a, &mut ties)?;
    }
    a.ties = ties.into_decisions();
    Ok(a)
}

/// Picks `k` of `tied` (`k < tied.len()`) by the chain, preferring more votes.
fn pick(
    ties: &mut TieBreaker<'_>,
    round: u32,
    tied: &[usize],
    k: usize,
    votes: &[u64],
) -> Result<Vec<usize>, CountError> {
    let mut left: Vec<CandidateId> = tied.iter().map(|&p| CandidateId::from_index(p)).collect();
    let history = |_: usize, c: CandidateId| Some(u128::from(votes[c.index()]));
    let mut out = Vec::new();
    while out.len() < k {
        // One earlier "round" whose tallies are the votes, so that
        // `previous-rounds` prefers the party with more votes.
        let c = ties.choose(2, TieKind::Election, &left, &history)?;
        if let Some(d) = ties.decisions.last_mut() {
            d.round = round;
        }
        left.retain(|&x| x != c);
        out.push(c.index());
    }
    Ok(out)
}

fn divisor(
    votes: &[u64],
    options: &ListOptions,
    a: &mut Allocation,
    ties: &mut TieBreaker<'_>,
) -> Result<(), CountError> {
    let method = options.method;
    let quotient =
        |p: usize, seats: &[u32]| Quotient { votes: votes[p], divisor_tenths: method.divisor_tenths(seats[p]) };
    let live: Vec<usize> = (0..votes.len()).filter(|&p| a.eligible[p]).collect();
    let mut seat = 0u32;
    while seat < options.seats {
        let best = live.iter().map(|&p| quotient(p, &a.seats)).max().expect("an eligible party");
        let tied: Vec<usize> = live.iter().copied().filter(|&p| quotient(p, &a.seats) == best).collect();
        let left = (options.seats - seat) as usize;
        let winners = if tied.len() <= left { tied } else { pick(ties, seat + 1, &tied, left, votes)? };
        for p in winners {
            seat += 1;
            a.awards.push(SeatAward { seat, party: p, quotient: quotient(p, &a.seats) });
            a.seats[p] += 1;
        }
    }
    a.next = live
        .iter()
        .map(|&p| SeatAward { seat: seat + 1, party: p, quotient: quotient(p, &a.seats) })
        .max_by(|x, y| x.quotient.cmp(&y.quotient).then(y.party.cmp(&x.party)));
    Ok(())
}

fn largest_remainder(
    votes: &[u64],
    options: &ListOptions,
    a: &mut Allocation,
    ties: &mut TieBreaker<'_>,
) -> Result<(), CountError> {
    let s = u64::from(options.seats);
    if s == 0 {
        a.remainders = vec![RemainderRow { quotas: 0, remainder: 0, remainder_seat: false }; votes.len()];
        return Ok(());
    }
    let counted: u64 = (0..votes.len()).filter(|&p| a.eligible[p]).map(|p| votes[p]).sum();
    // Quota and remainders as numerators over `den`.
    let (quota, den) = match options.method {
        ListMethod::Hare => (counted, s.max(1)),
        _ => (counted / (s + 1) + 1, 1),
    };
    a.quota = Some(quota);
    a.remainder_denominator = den;
    let mut rows: Vec<RemainderRow> = votes
        .iter()
        .enumerate()
        .map(|(p, &v)| {
            if !a.eligible[p] || quota == 0 {
                return RemainderRow { quotas: 0, remainder: 0, remainder_seat: false };
            }
            let scaled = u128::from(v) * u128::from(den);
            RemainderRow {
                quotas: (scaled / u128::from(quota)) as u32,
                remainder: (scaled % u128::from(quota)) as u64,
                remainder_seat: false,
            }
        })
        .collect();
    let mut given: u32 = rows.iter().map(|r| r.quotas).sum();
    let mut order: Vec<usize> = (0..votes.len()).filter(|&p| a.eligible[p]).collect();
    order.sort_by(|&x, &y| rows[y].remainder.cmp(&rows[x].remainder).then(x.cmp(&y)));
    let mut i = 0;
    while given < options.seats && i < order.len() {
        let r = rows[order[i]].remainder;
        let tied: Vec<usize> = order[i..].iter().copied().take_while(|&p| rows[p].remainder == r).collect();
        let left = (options.seats - given) as usize;
        let winners = if tied.len() <= left { tied.clone() } else { pick(ties, given + 1, &tied, left, votes)? };
        for &p in &winners {
            rows[p].remainder_seat = true;
        }
        given += winners.len() as u32;
        i += tied.len();
    }
    for (p, row) in rows.iter().enumerate() {
        a.seats[p] = row.quotas + u32::from(row.remainder_seat);
    }
    a.remainders = rows;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(votes: &[u64], method: ListMethod, seats: u32) -> Allocation {
        allocate(votes, &ListOptions::new(method, seats), &TieBreak::default()).unwrap()
    }

    /// Wikipedia, "D'Hondt method", worked example: parties A–D with
    /// 100,000 / 80,000 / 30,000 / 20,000 votes and 8 seats -> 4, 3, 1, 0;
    /// Wikipedia, "Sainte-Laguë method", same votes -> 3, 3, 1, 1.
    #[test]
    fn wikipedia_examples() {
        let v = [100_000, 80_000, 30_000, 20_000];
        assert_eq!(run(&v, ListMethod::DHondt, 8).seats, [4, 3, 1, 0]);
        assert_eq!(run(&v, ListMethod::SainteLague, 8).seats, [3, 3, 1, 1]);
    }

    /// Wikipedia, "Largest remainder method", worked example: six parties,
    /// 100,000 votes, 10 seats. Hare: 5, 2, 1, 1, 1, 0; Droop: 5, 2, 2, 1, 0, 0.
    #[test]
    fn largest_remainder_examples() {
        let v = [47_000, 16_000, 15_800, 12_000, 6_100, 3_100];
        assert_eq!(run(&v, ListMethod::Hare, 10).seats, [5, 2, 1, 1, 1, 0]);
        assert_eq!(run(&v, ListMethod::Droop, 10).seats, [5, 2, 2, 1, 0, 0]);
    }

    /// Modified Sainte-Laguë's first divisor of 1.4 holds back small parties:
    /// with 1, 3, 5 the small party wins a seat, with 1.4, 3, 5 it does not.
    #[test]
    fn modified_first_divisor() {
        let v = [5_000, 3_100, 1_200];
        assert_eq!(run(&v, ListMethod::SainteLague, 4).seats, [2, 1, 1]);
        assert_eq!(run(&v, ListMethod::ModifiedSainteLague, 4).seats, [2, 2, 0]);
    }

    #[test]
    fn ties_are_decided_and_recorded() {
        let a = run(&[300, 300, 100], ListMethod::DHondt, 3);
        // Seats 1-2 go to the two equal parties together; the third is a tie
        // between them again, decided by candidate order.
        assert_eq!(a.seats, [2, 1, 0]);
        assert_eq!(a.ties.len(), 1);
        let none = run(&[300, 300, 100], ListMethod::DHondt, 4);
        assert!(none.ties.is_empty());
    }

    #[test]
    fn threshold_parsing_and_use() {
        assert_eq!("5".parse::<Threshold>().unwrap(), Threshold(500));
        assert_eq!("2.5%".parse::<Threshold>().unwrap(), Threshold(250));
        assert!("101".parse::<Threshold>().is_err());
        assert!("x".parse::<Threshold>().is_err());
        let o = ListOptions { threshold: Some(Threshold(500)), ..ListOptions::new(ListMethod::DHondt, 5) };
        let a = allocate(&[60, 36, 4], &o, &TieBreak::default()).unwrap();
        assert_eq!(a.eligible, [true, true, false]);
        assert_eq!(a.seats[2], 0);
        assert_eq!(a.total_seats(), 5);
    }
}
