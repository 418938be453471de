//! Where the default systematic poll error comes from.
//!
//! The final-week polls of the 2021 and 2024 London mayoral elections are
//! compared with the official first-round shares (all figures from
//! `london_polls.toml` in the project's data, which cites each source).
//! Under the model of [`crate::model`] a poll error `e` on a candidate whose
//! true share is `p` has expected square `p(1−p)·(1/n + 4σ²)`. So each
//! error gives an estimate `e² / (p(1−p)) − 1/n` of `4σ²`; their mean over
//! the 18 poll–candidate pairs below gives `4σ² ≈ 0.0100`, `σ ≈ 5.0` points.
//! Savanta's final 2024 poll did not publish its sample size; 1,000 is
//! assumed. The estimate is rough (four polls, two elections) and in-sample
//! for the back-tests of those two elections.
//!
//! ```
//! let sigma = psephos_sim::calibration::systematic_error();
//! assert!((sigma - psephos_sim::DEFAULT_SYSTEMATIC_ERROR).abs() < 0.05);
//! ```

/// One final-week poll: sample size, then (candidate, poll %, actual %).
pub type FinalPoll = (u64, &'static [(&'static str, f64, f64)]);

/// The final-week polls and actual first-round shares used.
pub const FINAL_POLLS: &[FinalPoll] = &[
    // 2021, Opinium for the Evening Standard, published 28 April 2021.
    (1005, &[("Khan", 48.0, 40.0), ("Bailey", 29.0, 35.3), ("Berry", 7.0, 7.8), ("Porritt", 8.0, 4.4)]),
    // 2021, YouGov, fieldwork 2-4 May 2021.
    (1141, &[("Khan", 43.0, 40.0), ("Bailey", 31.0, 35.3), ("Berry", 10.0, 7.8), ("Porritt", 5.0, 4.4)]),
    // 2024, YouGov, fieldwork 24-30 April 2024.
    (
        1192,
        &[("Khan", 47.0, 43.8), ("Hall", 25.0, 32.7), ("Blackie", 6.0, 5.8), ("Garbett", 7.0, 5.8), ("Cox", 6.0, 3.2)],
    ),
    // 2024, Savanta for Centre for London, published 1 May 2024 (sample size not published).
    (
        1000,
        &[("Khan", 42.0, 43.8), ("Hall", 32.0, 32.7), ("Blackie", 10.0, 5.8), ("Garbett", 8.0, 5.8), ("Cox", 3.0, 3.2)],
    ),
];

/// The systematic error σ, in share points for a candidate on 50%,
/// estimated from [`FINAL_POLLS`].
pub fn systematic_error() -> f64 {
    let mut sum = 0.0;
    let mut k = 0.0;
    for &(n, rows) in FINAL_POLLS {
        for &(_, poll, actual) in rows {
            let p = actual / 100.0;
            let e = (poll - actual) / 100.0;
            sum += e * e / (p * (1.0 - p)) - 1.0 / n as f64;
            k += 1.0;
        }
    }
    100.0 * (sum / k / 4.0).max(0.0).sqrt()
}
