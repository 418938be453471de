//! Fixed-point decimal numbers that add, compare and print as Java's
//! `BigDecimal` does, the arithmetic RCTab counts with.
//!
//! A value is an integer `unscaled` and a `scale`: the number is
//! `unscaled × 10^-scale`. Sums keep the larger scale (`1` + `0.5000` =
//! `1.5000`), so a tally that never received a fractional vote prints as a
//! whole number (`"14866"`) while one that did keeps its decimal places
//! (`"14866.0000"`), exactly as RCTab's reports show them. Products and
//! quotients are cut to `decimalPlacesForVoteArithmetic` places, rounding
//! toward zero, as RCTab does. Java SE documentation: `java.math.BigDecimal`.

use std::cmp::Ordering;
use std::fmt;

/// A decimal number with an explicit scale (number of decimal places kept).
#[derive(Clone, Copy, Debug)]
pub struct Decimal {
    unscaled: i128,
    scale: u32,
}

const fn pow10(n: u32) -> i128 {
    10i128.pow(n)
}

/// How to round a quotient cut to a given number of places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Toward zero.
    Down,
    /// Away from zero.
    Up,
}

impl Decimal {
    /// Zero, with no decimal places.
    pub const ZERO: Decimal = Decimal { unscaled: 0, scale: 0 };
    /// One, with no decimal places.
    pub const ONE: Decimal = Decimal { unscaled: 1, scale: 0 };

    /// A whole number.
    pub fn from_int(n: i64) -> Decimal {
        Decimal { unscaled: i128::from(n), scale: 0 }
    }

    /// `unscaled × 10^-scale`.
    pub fn new(unscaled: i128, scale: u32) -> Decimal {
        Decimal { unscaled, scale }
    }

    /// Parse a plain decimal (`12`, `-0.25`, `3.50`), keeping its scale.
    pub fn parse(text: &str) -> Option<Decimal> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (int, frac) = match digits.split_once('.') {
            Some((i, f)) => (i, f),
            None => (digits, ""),
        };
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || int.len() + frac.len() > 30
        {
            return None;
        }
        let mut unscaled: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            unscaled = unscaled * 10 + i128::from(b - b'0');
        }
        Some(Decimal { unscaled: if negative { -unscaled } else { unscaled }, scale: frac.len() as u32 })
    }

    /// The number of decimal places kept.
    pub fn scale(self) -> u32 {
        self.scale
    }

    /// -1, 0 or 1.
    pub fn signum(self) -> i32 {
        self.unscaled.signum() as i32
    }

    /// The value at a larger scale (exact).
    fn rescaled(self, scale: u32) -> i128 {
        debug_assert!(scale >= self.scale);
        self.unscaled * pow10(scale - self.scale)
    }

    /// Exact sum, at the larger of the two scales.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, other: Decimal) -> Decimal {
        let scale = self.scale.max(other.scale);
        Decimal { unscaled: self.rescaled(scale) + other.rescaled(scale), scale }
    }

    /// Exact difference, at the larger of the two scales.
    #[allow(clippy::should_implement_trait)]
    pub fn sub(self, other: Decimal) -> Decimal {
        let scale = self.scale.max(other.scale);
        Decimal { unscaled: self.rescaled(scale) - other.rescaled(scale), scale }
    }

    /// Exact product (the scales add).
    pub fn mul_exact(self, other: Decimal) -> Decimal {
        Decimal { unscaled: self.unscaled * other.unscaled, scale: self.scale + other.scale }
    }

    /// Exact product with a whole number (a count of identical ballots).
    pub fn times(self, n: u64) -> Decimal {
        if n == 1 {
            return self;
        }
        Decimal { unscaled: self.unscaled * i128::from(n), scale: self.scale }
    }

    /// The value cut to `places` decimal places.
    pub fn with_scale(self, places: u32, rounding: Rounding) -> Decimal {
        if places >= self.scale {
            return Decimal { unscaled: self.rescaled(places), scale: places };
        }
        let div = pow10(self.scale - places);
        Decimal { unscaled: round_div(self.unscaled, div, rounding), scale: places }
    }

    /// The product cut to `places` decimal places.
    pub fn mul(self, other: Decimal, places: u32, rounding: Rounding) -> Decimal {
        self.mul_exact(other).with_scale(places, rounding)
    }

    /// The quotient at exactly `places` decimal places. `None` when dividing by zero.
    pub fn div(self, other: Decimal, places: u32, rounding: Rounding) -> Option<Decimal> {
        if other.unscaled == 0 {
            return None;
        }
        // self / other = (a × 10^-s) / (b × 10^-t); at `places` the unscaled
        // result is a × 10^(places + t - s) / b.
        let shift = i64::from(places) + i64::from(other.scale) - i64::from(self.scale);
        let (num, den) = if shift >= 0 {
            (self.unscaled * pow10(shift as u32), other.unscaled)
        } else {
            (self.unscaled, other.unscaled * pow10((-shift) as u32))
        };
        Some(Decimal { unscaled: round_div(num, den, rounding), scale: places })
    }

    /// The whole part, rounded toward zero (Java's `intValue` of a small value).
    pub fn trunc_int(self) -> i128 {
        self.unscaled / pow10(self.scale)
    }

    /// The share `self / total` as RCTab prints it in its CSV reports: the
    /// quotient to 7 significant digits (Java's `MathContext.DECIMAL32`, half
    /// even), cut to hundredths of a percent, then printed as a Java `double`
    /// (`33.33%`, `25.0%`).
    pub fn percent_of(self, total: Decimal) -> Option<String> {
        if total.unscaled == 0 {
            return None;
        }
        let scale = self.scale.max(total.scale);
        let num = self.rescaled(scale);
        let den = total.rescaled(scale);
        let basis_points = if num == 0 {
            0
        } else {
            // Find k with 10^6 <= |num/den| × 10^k < 10^7.
            let (n, d) = (num.abs(), den.abs());
            let mut k: i32 = 0;
            loop {
                let (sn, sd) = scale_pair(n, d, k);
                if sn < sd * 1_000_000 {
                    k += 1;
                } else if sn >= sd * 10_000_000 {
                    k -= 1;
                } else {
                    break;
                }
            }
            let (sn, sd) = scale_pair(n, d, k);
            let q = sn / sd;
            let r = sn % sd;
            let rounded = match (2 * r).cmp(&sd) {
                Ordering::Less => q,
                Ordering::Greater => q + 1,
                Ordering::Equal => q + (q & 1),
            };
            let negative = (num < 0) != (den < 0);
            let shifted = if 4 - k >= 0 { rounded * pow10((4 - k) as u32) } else { rounded / pow10((k - 4) as u32) };
            if negative {
                -shifted
            } else {
                shifted
            }
        };
        Some(format!("{}%", java_double(basis_points as f64 / 100.0)))
    }
}

/// `(n × 10^k, d)` for k ≥ 0, `(n, d × 10^-k)` otherwise.
fn scale_pair(n: i128, d: i128, k: i32) -> (i128, i128) {
    if k >= 0 {
        (n * pow10(k as u32), d)
    } else {
        (n, d * pow10((-k) as u32))
    }
}

fn round_div(num: i128, den: i128, rounding: Rounding) -> i128 {
    let q = num / den;
    let r = num % den;
    match rounding {
        Rounding::Down => q,
        Rounding::Up if r != 0 => {
            if (num < 0) != (den < 0) {
                q - 1
            } else {
                q + 1
            }
        }
        Rounding::Up => q,
    }
}

/// A `double` as Java's `Double.toString` prints a value between 10^-3 and
/// 10^7: the shortest digits that read back, with at least one decimal.
pub fn java_double(x: f64) -> String {
    let s = format!("{x}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    /// Numeric order, ignoring scale (`2.0` equals `2.00`), as `compareTo` does.
    fn cmp(&self, other: &Self) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.rescaled(scale).cmp(&other.rescaled(scale))
    }
}

impl fmt::Display for Decimal {
    /// Plain notation with exactly `scale` decimals, as `BigDecimal.toString` prints them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.unscaled);
        }
        let sign = if self.unscaled < 0 { "-" } else { "" };
        let abs = self.unscaled.unsigned_abs();
        let p = 10u128.pow(self.scale);
        write!(f, "{sign}{}.{:0width$}", abs / p, abs % p, width = self.scale as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn sums_keep_the_larger_scale() {
        assert_eq!(d("1").add(d("0.5000")).to_string(), "1.5000");
        assert_eq!(d("5.7777").sub(d("4.7777")).to_string(), "1.0000");
        assert_eq!(d("14866").to_string(), "14866");
        assert_eq!(d("-0.0500").to_string(), "-0.0500");
    }

    #[test]
    fn quotients_round_as_asked() {
        assert_eq!(d("29").div(d("4"), 0, Rounding::Down).unwrap().to_string(), "7");
        assert_eq!(d("7").div(d("3"), 2, Rounding::Up).unwrap().to_string(), "2.34");
        assert_eq!(d("1").div(d("9"), 4, Rounding::Down).unwrap().to_string(), "0.1111");
        assert_eq!(d("1").mul(d("0.1111"), 4, Rounding::Down).to_string(), "0.1111");
        assert!(d("1").div(d("0"), 4, Rounding::Down).is_none());
    }

    #[test]
    fn comparison_ignores_scale() {
        assert_eq!(d("2.0"), d("2.00"));
        assert!(d("2.0001") > d("2"));
    }

    #[test]
    fn percentages_print_as_rctab_prints_them() {
        assert_eq!(d("4").percent_of(d("12")).unwrap(), "33.33%");
        assert_eq!(d("5").percent_of(d("12")).unwrap(), "41.66%");
        assert_eq!(d("3").percent_of(d("12")).unwrap(), "25.0%");
        assert_eq!(d("0").percent_of(d("12")).unwrap(), "0.0%");
        assert_eq!(d("3").percent_of(d("3")).unwrap(), "100.0%");
        assert_eq!(d("65").percent_of(d("79462")).unwrap(), "0.08%");
        assert_eq!(d("9.2222").percent_of(d("29")).unwrap(), "31.8%");
    }
}
