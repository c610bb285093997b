//! Counts with their nouns, as the views and lesson verdicts print them.

/// A count and its noun, singular for one: `count(1, "path")` is `1 path`, `count(2,
/// "entry")` is `2 entries`. The nouns are the core's own English words: a final `y`
/// becomes `ies`, anything else takes `s`.
pub fn count(n: u64, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_other_counts_are_plural() {
        assert_eq!(count(1, "path"), "1 path");
        assert_eq!(count(0, "path"), "0 paths");
        assert_eq!(count(2, "entry"), "2 entries");
        assert_eq!(count(1, "entry"), "1 entry");
        assert_eq!(count(4, "layer"), "4 layers");
    }
}
