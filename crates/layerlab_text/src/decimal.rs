//! Decimal text of `f64` quotients, computed in integers: the digits Rust's and Go's
//! `%.Nf` print for `a as f64 / b as f64` and for sizes scaled down by 1000 a step
//! (BuildKit's `0.3s`, Go's `units.HumanSize`, apt's and pip's sizes).
//!
//! Why not floats: formatting an `f64` pulls the shortest/exact float printers and their
//! power-of-ten tables into the page (~5 KB gzipped), for a dozen numbers. The results
//! must still be the float ones to the digit, because the tools they imitate divide in
//! doubles and round the double's exact value half to even (`{:.1}` of 1.15 is `1.1`:
//! the double is 1.149999…). So [`Double`] is an `f64` in integers (a 53-bit
//! significand and an exponent) with correctly rounded division by an integer, and
//! [`Double::fixed`] prints its exact value rounded half to even. The tests compare
//! every function with the float code it replaces over millions of inputs.

/// A finite, non-negative `f64` value, `significand × 2^exponent`, with the
/// significand of exactly 53 bits (or zero, with exponent 0): one representation per
/// value, so the derived equality is value equality.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Double {
    significand: u64,
    exponent: i32,
}

const BITS: u32 = 53;

impl Double {
    /// `n as f64` (rounded half to even above 2^53, as the cast does).
    pub fn from_u64(n: u64) -> Double {
        Double::round(u128::from(n), 0, false)
    }

    /// Rounds `q × 2^exponent` (plus a nonzero tail below `q`'s last bit when
    /// `sticky`) to 53 bits, half to even.
    fn round(mut q: u128, mut exponent: i32, sticky: bool) -> Double {
        if q == 0 {
            return Double {
                significand: 0,
                exponent: 0,
            };
        }
        let width = 128 - q.leading_zeros();
        if width > BITS {
            let shift = width - BITS;
            q = shr_half_even(q, shift, sticky);
            exponent += shift as i32;
            // Rounding up can carry into a 54th bit.
            if q == 1u128 << BITS {
                q >>= 1;
                exponent += 1;
            }
        } else {
            // Exact: left-align to 53 bits.
            let shift = BITS - width;
            q <<= shift;
            exponent -= shift as i32;
        }
        Double {
            significand: q as u64,
            exponent,
        }
    }

    /// Whether the value is below `n`.
    pub fn lt(self, n: u64) -> bool {
        self < Double::from_u64(n)
    }

    /// The exact value with `decimals` digits after the point, rounded half to even:
    /// `format!("{:.decimals$}", x)` of the `f64` (`decimals` above 9 count as 9).
    pub fn fixed(self, decimals: u32) -> String {
        let decimals = decimals.min(9);
        let scale = 10u128.pow(decimals);
        let scaled = u128::from(self.significand) * scale;
        let units = if self.exponent >= 0 {
            // At most 2^64 × 10^9 < 2^94: `from_u64` gives exponents up to 12, and
            // division only lowers them.
            debug_assert!(self.exponent <= 12);
            scaled << self.exponent
        } else {
            shr_half_even(scaled, self.exponent.unsigned_abs(), false)
        };
        let int = units / scale;
        if decimals == 0 {
            return int.to_string();
        }
        let frac = units % scale;
        format!("{int}.{frac:0width$}", width = decimals as usize)
    }

    /// Go's `%.{precision}g` for values below 10^precision: `precision` significant
    /// digits in fixed notation, trailing zeros dropped (`1.862`, `34.12`, `1000`).
    pub fn go_g(self, precision: u32) -> String {
        if self.significand == 0 {
            return "0".to_string();
        }
        let int_digits = digits(self.floor()).max(1);
        let decimals = precision.saturating_sub(int_digits);
        let mut s = self.fixed(decimals);
        // Rounding can add a digit (999.95 → "1000.0"); %g then drops a decimal.
        if s.split('.').next().map_or(0, str::len) > int_digits as usize && decimals > 0 {
            s = self.fixed(decimals - 1);
        }
        if s.contains('.') {
            s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        s
    }

    fn floor(self) -> u128 {
        if self.exponent >= 0 {
            debug_assert!(self.exponent <= 12);
            u128::from(self.significand) << self.exponent
        } else if self.exponent <= -64 {
            0
        } else {
            u128::from(self.significand >> self.exponent.unsigned_abs())
        }
    }
}

/// `x / d` as `f64` division rounds it (0 for `d` = 0: callers divide by units).
impl std::ops::Div<u64> for Double {
    type Output = Double;

    fn div(self, d: u64) -> Double {
        if self.significand == 0 || d == 0 {
            return Double {
                significand: 0,
                exponent: 0,
            };
        }
        // The dividend's top bit at bit 126: the quotient keeps at least 63 bits for
        // any d < 2^64, enough to round to 53 with the remainder as the sticky bit.
        let shift = 127 - (64 - self.significand.leading_zeros()) as i32;
        let n = u128::from(self.significand) << shift;
        let q = n / u128::from(d);
        let sticky = q * u128::from(d) != n;
        Double::round(q, self.exponent - shift, sticky)
    }
}

impl PartialOrd for Double {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Double {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Both 53-bit (or zero): the exponent decides, then the significand.
        let key = |d: &Double| (d.significand != 0, d.exponent, d.significand);
        key(self).cmp(&key(other))
    }
}

/// `q >> shift` rounded half to even, where `sticky` says a nonzero tail lies below
/// `q`'s last bit (so an apparent tie is above half). `q` is below 2^127.
fn shr_half_even(q: u128, shift: u32, sticky: bool) -> u128 {
    if shift == 0 {
        return q;
    }
    if shift >= 128 {
        return 0; // q < 2^127 ≤ half of 2^shift
    }
    let kept = q >> shift;
    let dropped = q & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    let up = dropped > half || (dropped == half && (sticky || kept & 1 == 1));
    kept + u128::from(up)
}

/// Decimal digits of `n` (1 for 0).
fn digits(n: u128) -> u32 {
    n.checked_ilog10().map_or(1, |l| l + 1)
}

/// `format!("{:.decimals$}", num as f64 / den as f64)`.
pub fn quotient(num: u64, den: u64, decimals: u32) -> String {
    (Double::from_u64(num) / den).fixed(decimals)
}

#[cfg(test)]
#[allow(
    clippy::cast_precision_loss,
    reason = "the float code is the reference"
)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A deterministic spread of u64s: small, around powers of ten, and large.
    fn samples() -> impl Iterator<Item = u64> {
        // Fewer under wasm, where these tests run unoptimized in Node and Chromium.
        const N: u64 = if cfg!(target_arch = "wasm32") {
            5_000
        } else {
            200_000
        };
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..N).flat_map(move |i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let p = 10u64.pow((i % 19) as u32);
            [
                i,
                x >> (i % 64),
                p.saturating_add(i % 7).saturating_sub(3),
                p / 2 * 3,
            ]
        })
    }

    #[test]
    fn quotients_print_as_the_float_code_prints_them() {
        for n in samples() {
            for (den, dec) in [(1000, 1), (1000, 3), (1_000_000, 1), (1000, 2), (1000, 0)] {
                let want = format!("{:.*}", dec as usize, n as f64 / den as f64);
                assert_eq!(quotient(n, den, dec), want, "{n} / {den} to {dec}");
            }
        }
        assert_eq!(Double::from_u64(2), Double::from_u64(4) / 2);
        let max = u64::MAX as f64;
        assert_eq!(Double::from_u64(u64::MAX).fixed(2), format!("{max:.2}"));
        assert_eq!((Double::from_u64(3) / 2).fixed(12), "1.500000000");
        assert_eq!(quotient(1150, 1000, 1), "1.1");
        assert_eq!(quotient(1250, 1000, 1), "1.2");
        assert_eq!(quotient(1350, 1000, 1), "1.4");
    }

    #[test]
    fn repeated_scaling_rounds_as_doubles_do() {
        for n in samples() {
            let (mut f, mut d) = (n as f64, Double::from_u64(n));
            for _ in 0..8 {
                assert_eq!(d.fixed(4), format!("{f:.4}"), "{n}");
                assert_eq!(d.lt(1000), f < 1000.0, "{n}");
                assert_eq!(d.lt(100), f < 100.0, "{n}");
                f /= 1000.0;
                d = d / 1000;
            }
        }
    }

    #[test]
    fn go_g_matches_the_float_version() {
        fn float_go_g(value: f64, precision: usize) -> String {
            if value == 0.0 {
                return "0".to_string();
            }
            let int_digits = (value.abs().log10().floor() as i64 + 1).max(1) as usize;
            let decimals = precision.saturating_sub(int_digits);
            let mut s = format!("{value:.decimals$}");
            if s.split('.').next().map_or(0, str::len) > int_digits && decimals > 0 {
                s = format!("{value:.prec$}", prec = decimals - 1);
            }
            if s.contains('.') {
                s = s.trim_end_matches('0').trim_end_matches('.').to_string();
            }
            s
        }
        for n in samples() {
            let (mut f, mut d) = (n as f64, Double::from_u64(n));
            while f >= 1000.0 {
                f /= 1000.0;
                d = d / 1000;
            }
            for p in [3, 4] {
                assert_eq!(d.go_g(p), float_go_g(f, p as usize), "{n} at {p}");
            }
        }
    }
}
