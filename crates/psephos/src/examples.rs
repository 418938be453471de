//! Textbook profiles, each with its source: the elections that the
//! literature and encyclopaedias use to explain voting rules, ready to count
//! in examples, tests and teaching.
//!
//! ```
//! use psephos::{examples, CountOptions, Rule};
//! let e = examples::tennessee();
//! let irv = Rule::Irv(psephos::IrvOptions::STANDARD).count(&e, &CountOptions::default()).unwrap();
//! assert_eq!(e.candidates.name(irv.winner().unwrap()), "Knoxville");
//! ```

use crate::election::Election;

/// The Tennessee capital election: the state's voters live around four
/// cities and rank them by distance. 42% Memphis > Nashville > Chattanooga >
/// Knoxville, 26% Nashville > Chattanooga > Knoxville > Memphis, 15%
/// Chattanooga > Knoxville > Nashville > Memphis, 17% Knoxville >
/// Chattanooga > Nashville > Memphis (as 100 ballots).
///
/// Source: the Wikipedia articles "Plurality voting", "Instant-runoff
/// voting", "Borda count", "Condorcet method", "Schulze method" and others,
/// which all use it: plurality elects Memphis, IRV Knoxville, and the
/// Condorcet methods and Borda Nashville, the Condorcet winner.
pub fn tennessee() -> Election {
    Election::from_rankings(
        &["Memphis", "Nashville", "Chattanooga", "Knoxville"],
        &[
            (42, &["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
            (26, &["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
            (15, &["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
            (17, &["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
        ],
    )
    .expect("a valid profile")
}

/// Example 1 of M. Schulze, "A new monotonic, clone-independent, reversal
/// symmetric, and Condorcet-consistent single-winner election method",
/// *Social Choice and Welfare* 36 (2011), §3.1: 45 voters, 5 candidates, no
/// Condorcet winner; the strongest paths give the order E > A > C > B > D.
pub fn schulze_2011_example_1() -> Election {
    Election::from_rankings(
        &["A", "B", "C", "D", "E"],
        &[
            (5, &["A", "C", "B", "E", "D"]),
            (5, &["A", "D", "E", "C", "B"]),
            (8, &["B", "E", "D", "A", "C"]),
            (3, &["C", "A", "B", "E", "D"]),
            (7, &["C", "A", "E", "B", "D"]),
            (2, &["C", "B", "A", "D", "E"]),
            (7, &["D", "C", "E", "B", "A"]),
            (8, &["E", "B", "A", "D", "C"]),
        ],
    )
    .expect("a valid profile")
}

#[cfg(test)]
mod tests {
    #[test]
    fn profiles_have_their_published_sizes() {
        assert_eq!(super::tennessee().total_ballots(), 100);
        assert_eq!(super::schulze_2011_example_1().total_ballots(), 45);
    }
}
