//! Mixed-member systems: constituency seats won by plurality, topped up
//! from party lists so that each party's total tracks its list votes.
//!
//! Each party's list votes are divided by (constituency seats won + list
//! seats already allocated + 1); the highest quotient takes the next list
//! seat, until the list seats are filled (the modified D'Hondt of the
//! Additional Member System). Parties below the threshold take no list
//! seats but keep their constituency seats.
//!
//! Presets ([`AmsOptions`]):
//! - [`AmsOptions::LONDON_ASSEMBLY`]: 11 London-wide list seats, 5%
//!   threshold of all London-wide list votes (Greater London Authority Act
//!   1999, ss. 4 and 2(5)–(6), and sch. 2 on the return of London members).
//! - [`AmsOptions::SCOTTISH_PARLIAMENT_REGION`]: 7 regional list seats, no
//!   threshold (Scotland Act 1998, ss. 6–8).
//!
//! ```
//! use psephos::rules::mixed::{allocate_ams, AmsOptions};
//! use psephos::TieBreak;
//! // London Assembly 2016: Labour, Conservative, Green, UKIP, Liberal Democrats,
//! // and the seven lists below 5%.
//! let votes = [1_054_801, 764_230, 207_959, 171_069, 165_580, 91_772, 41_324, 39_071, 27_172, 25_810, 15_833, 11_055];
//! let mut constituency = [0; 12];
//! constituency[0] = 9;
//! constituency[1] = 5;
//! let r = allocate_ams(&votes, &constituency, &AmsOptions::LONDON_ASSEMBLY, &TieBreak::default()).unwrap();
//! assert_eq!(&r.list_seats[..5], &[3, 3, 2, 2, 1]);
//! ```

use super::party_list::{allocate_after, Allocation, ListMethod, ListOptions, Threshold};
use crate::error::CountError;
use crate::tiebreak::TieBreak;

/// Options of a mixed-member count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AmsOptions {
    /// List seats to fill.
    pub list_seats: u32,
    /// Parties below this share of all list votes take no list seats.
    pub threshold: Option<Threshold>,
    /// The divisor method (D'Hondt in the British systems).
    pub method: ListMethod,
}

impl AmsOptions {
    /// The London Assembly: 11 list seats, 5% threshold, D'Hondt.
    pub const LONDON_ASSEMBLY: AmsOptions =
        AmsOptions { list_seats: 11, threshold: Some(Threshold(500)), method: ListMethod::DHondt };
    /// A Scottish Parliament region: 7 list seats, no threshold, D'Hondt.
    pub const SCOTTISH_PARLIAMENT_REGION: AmsOptions =
        AmsOptions { list_seats: 7, threshold: None, method: ListMethod::DHondt };

    /// The preset with this name (`london-assembly`,
    /// `scottish-parliament-region`).
    pub fn preset(name: &str) -> Option<AmsOptions> {
        match name {
            "london-assembly" | "london" => Some(AmsOptions::LONDON_ASSEMBLY),
            "scottish-parliament-region" | "scottish-parliament" | "holyrood" => {
                Some(AmsOptions::SCOTTISH_PARLIAMENT_REGION)
            }
            _ => None,
        }
    }
}

/// The result of a mixed-member count, per party (in input order).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AmsResult {
    /// Constituency seats won.
    pub constituency_seats: Vec<u32>,
    /// List seats allocated.
    pub list_seats: Vec<u32>,
    /// Both together.
    pub total_seats: Vec<u32>,
    /// The list allocation: the quotient of every list seat in order, the
    /// best losing quotient, threshold eligibility, ties.
    pub allocation: Allocation,
}

/// Allocates list seats on top of constituency seats.
pub fn allocate_ams(
    list_votes: &[u64],
    constituency_seats: &[u32],
    options: &AmsOptions,
    tie_break: &TieBreak,
) -> Result<AmsResult, CountError> {
    if !options.method.is_divisor() {
        return Err(CountError::Unsupported {
            rule: "ams",
            reason: format!("{} is not a divisor method", options.method),
        });
    }
    let list = ListOptions { method: options.method, seats: options.list_seats, threshold: options.threshold };
    let allocation = allocate_after(list_votes, constituency_seats, &list, tie_break)?;
    let total_seats = allocation.seats.clone();
    let list_seats = total_seats.iter().zip(constituency_seats).map(|(t, c)| t - c).collect();
    Ok(AmsResult { constituency_seats: constituency_seats.to_vec(), list_seats, total_seats, allocation })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A party that wins every constituency it can gets no list seat until
    /// its quotient catches up; a party below the threshold keeps its
    /// constituency seats.
    #[test]
    fn constituency_seats_count_against_list_seats() {
        let o = AmsOptions { list_seats: 3, threshold: Some(Threshold(500)), method: ListMethod::DHondt };
        let r = allocate_ams(&[500, 400, 20], &[4, 0, 1], &o, &TieBreak::default()).unwrap();
        // Quotients: A 500/5 = 100, B 400, 200, 133.3 -> all three to B.
        assert_eq!(r.list_seats, [0, 3, 0]);
        assert_eq!(r.total_seats, [4, 3, 1]);
        assert!(!r.allocation.eligible[2]);
        assert_eq!(AmsOptions::preset("london-assembly"), Some(AmsOptions::LONDON_ASSEMBLY));
    }
}
