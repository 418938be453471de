//! Quotas: the votes a candidate needs to be elected in a quota count.
//!
//! With `V` the votes counted (in units of 10^-d of a vote), `S` the seats
//! and `u` = 10^d one vote:
//!
//! | kind | quota (in units) | source |
//! |---|---|---|
//! | [`QuotaKind::Droop`] | (⌊V / u / (S + 1)⌋ + 1) · u | Scottish Local Government Elections Order 2007, sch. 1 r. 46 |
//! | [`QuotaKind::Hare`] | ⌈V / S⌉ (at least one unit) | Hare, *The Election of Representatives* (1859) |
//! | [`QuotaKind::ExactDroop`] | ⌊V / (S + 1)⌋ + 1 | Hill, Wichmann & Woodall, "Algorithm 123", *Computer Journal* 30(3), 1987 |
//!
//! A candidate reaches the quota when their votes are at least the quota.
//!
//! ```
//! use psephos::rules::stv::QuotaKind;
//! // 6,900 valid papers, 4 seats, 5 decimals: the Scottish quota is 1,381.
//! assert_eq!(QuotaKind::Droop.quota(6_900 * 100_000, 4, 100_000), 1_381 * 100_000);
//! assert_eq!(QuotaKind::Hare.quota(100, 3, 1), 34);
//! assert_eq!(QuotaKind::ExactDroop.quota(100_000, 3, 1_000), 25_001);
//! ```

use std::fmt;

/// Which quota a count uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum QuotaKind {
    /// Whole-vote Droop: the integer part of votes / (seats + 1), plus one.
    #[default]
    Droop,
    /// Hare: votes / seats, rounded up to the count's units.
    Hare,
    /// Fractional Droop: votes / (seats + 1) truncated to the count's units,
    /// plus one unit (the smallest amount more than the exact Droop quota).
    ExactDroop,
}

impl QuotaKind {
    /// The quota for `votes` (in units, where `unit` is one vote) and `seats`.
    pub fn quota(self, votes: u64, seats: u32, unit: u64) -> u64 {
        let seats = u64::from(seats.max(1));
        match self {
            QuotaKind::Droop => (votes / unit / (seats + 1) + 1) * unit,
            QuotaKind::Hare => votes.div_ceil(seats).max(1),
            QuotaKind::ExactDroop => votes / (seats + 1) + 1,
        }
    }

    /// The quota's name as used in rule options.
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaKind::Droop => "droop",
            QuotaKind::Hare => "hare",
            QuotaKind::ExactDroop => "exact-droop",
        }
    }

    /// The quota's name in prose.
    pub fn label(self) -> &'static str {
        match self {
            QuotaKind::Droop => "Droop",
            QuotaKind::Hare => "Hare",
            QuotaKind::ExactDroop => "exact Droop",
        }
    }

    /// The kind for a rule option, if it names one.
    pub fn from_option(s: &str) -> Option<Self> {
        match s {
            "droop" => Some(QuotaKind::Droop),
            "hare" => Some(QuotaKind::Hare),
            "exact-droop" | "exact" => Some(QuotaKind::ExactDroop),
            _ => None,
        }
    }
}

impl fmt::Display for QuotaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas() {
        // Droop: 100 votes, 2 seats -> 34; exactly divisible 99 / 3 -> 34.
        assert_eq!(QuotaKind::Droop.quota(100, 2, 1), 34);
        assert_eq!(QuotaKind::Droop.quota(99, 2, 1), 34);
        assert_eq!(QuotaKind::Hare.quota(99, 2, 1), 50);
        assert_eq!(QuotaKind::ExactDroop.quota(99_000, 2, 1_000), 33_001);
        for k in [QuotaKind::Droop, QuotaKind::Hare, QuotaKind::ExactDroop] {
            assert_eq!(QuotaKind::from_option(k.as_str()), Some(k));
        }
    }
}
