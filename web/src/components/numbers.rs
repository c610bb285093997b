//! Numbers as the views print them, in integer arithmetic: the page ships no float
//! formatting (see `layerlab_text::decimal`).

pub use layerlab_text::count;

/// `docker history`'s sizes: decimal units, three significant digits.
pub fn size(bytes: u64) -> String {
    layerlab_build::progress::human_size_precision(bytes, 3)
}

/// `part / whole` in thousandths, rounded down (`whole` 0 counts as all).
pub fn permille(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 1000;
    }
    (u128::from(part) * 1000 / u128::from(whole)) as u64
}

/// Tenths as a decimal: `123` → `12.3`.
pub fn tenths(n: u64) -> String {
    format!("{}.{}", n / 10, n % 10)
}

/// A CSS width of `permille` thousandths: `width:12.3%`.
pub fn width(permille: u64) -> String {
    format!("width:{}%", tenths(permille))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousandths_round_down_and_print_as_tenths_of_a_percent() {
        assert_eq!(permille(1, 3), 333);
        assert_eq!(permille(1509, 1510), 999);
        assert_eq!(permille(5, 0), 1000);
        assert_eq!(permille(u64::MAX, u64::MAX), 1000);
        assert_eq!(tenths(999), "99.9");
        assert_eq!(tenths(5), "0.5");
        assert_eq!(width(1000), "width:100.0%");
    }
}
