//! Character classes of the regular-expression dialect BuildKit compiles patterns to
//! (Go's RE2 syntax with Perl extensions): sets of code-point ranges, plus the named
//! groups it knows (`[:alpha:]`, `\d`, `\pL`).

/// A set of code points as sorted, non-overlapping, non-adjacent inclusive ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ClassSet {
    ranges: Vec<(u32, u32)>,
}

const MAX_RUNE: u32 = 0x10FFFF;

impl ClassSet {
    pub(crate) fn push(&mut self, lo: u32, hi: u32) {
        self.ranges.push((lo, hi));
    }

    pub(crate) fn extend(&mut self, other: &ClassSet) {
        self.ranges.extend_from_slice(&other.ranges);
    }

    /// Sorts and merges the ranges; must be called before [`ClassSet::contains`].
    pub(crate) fn normalize(&mut self) {
        self.ranges.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(self.ranges.len());
        for &(lo, hi) in &self.ranges {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        self.ranges = out;
    }

    /// The complement within all code points (RE2's `ClassNL` flag is on in Go's
    /// `regexp.Compile`, so a negated class also matches `\n`).
    pub(crate) fn negate(&mut self) {
        self.normalize();
        let mut out = Vec::with_capacity(self.ranges.len() + 1);
        let mut next = 0u32;
        for &(lo, hi) in &self.ranges {
            if lo > next {
                out.push((next, lo - 1));
            }
            next = hi.saturating_add(1);
        }
        if next <= MAX_RUNE {
            out.push((next, MAX_RUNE));
        }
        self.ranges = out;
    }

    pub(crate) fn contains(&self, c: u32) -> bool {
        // Classes are small; a linear scan beats a binary search for the usual 1-3 ranges.
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi)
    }

    pub(crate) fn from_ranges(ranges: &[(u32, u32)]) -> ClassSet {
        let mut set = ClassSet {
            ranges: ranges.to_vec(),
        };
        set.normalize();
        set
    }
}

/// A POSIX bracket name as written inside a class, e.g. `[:alpha:]` or `[:^digit:]`.
/// `None` when RE2 does not know the name (which makes the expression invalid).
pub(crate) fn posix_group(name: &str) -> Option<ClassSet> {
    let (negated, bare) = match name.strip_prefix("[:^") {
        Some(rest) => (true, rest),
        None => (false, name.strip_prefix("[:")?),
    };
    let bare = bare.strip_suffix(":]")?;
    let c = |ch: char| ch as u32;
    let ranges: &[(u32, u32)] = match bare {
        "alnum" => &[(c('0'), c('9')), (c('A'), c('Z')), (c('a'), c('z'))],
        "alpha" => &[(c('A'), c('Z')), (c('a'), c('z'))],
        "ascii" => &[(0, 0x7F)],
        "blank" => &[(c('\t'), c('\t')), (c(' '), c(' '))],
        "cntrl" => &[(0, 0x1F), (0x7F, 0x7F)],
        "digit" => &[(c('0'), c('9'))],
        "graph" => &[(c('!'), c('~'))],
        "lower" => &[(c('a'), c('z'))],
        "print" => &[(c(' '), c('~'))],
        "punct" => &[
            (c('!'), c('/')),
            (c(':'), c('@')),
            (c('['), c('`')),
            (c('{'), c('~')),
        ],
        "space" => &[(c('\t'), 0x0D), (c(' '), c(' '))],
        "upper" => &[(c('A'), c('Z'))],
        "word" => &[
            (c('0'), c('9')),
            (c('A'), c('Z')),
            (c('_'), c('_')),
            (c('a'), c('z')),
        ],
        "xdigit" => &[(c('0'), c('9')), (c('A'), c('F')), (c('a'), c('f'))],
        _ => return None,
    };
    let mut set = ClassSet::from_ranges(ranges);
    if negated {
        set.negate();
    }
    Some(set)
}

/// The Perl escapes `\d \s \w` (ASCII-only in RE2) and their negations.
pub(crate) fn perl_group(letter: char) -> Option<ClassSet> {
    let c = |ch: char| ch as u32;
    let (ranges, negated): (&[(u32, u32)], bool) = match letter {
        'd' | 'D' => (&[(c('0'), c('9'))], letter == 'D'),
        's' | 'S' => (
            &[(c('\t'), c('\n')), (0x0C, 0x0D), (c(' '), c(' '))],
            letter == 'S',
        ),
        'w' | 'W' => (
            &[
                (c('0'), c('9')),
                (c('A'), c('Z')),
                (c('_'), c('_')),
                (c('a'), c('z')),
            ],
            letter == 'W',
        ),
        _ => return None,
    };
    let mut set = ClassSet::from_ranges(ranges);
    if negated {
        set.negate();
    }
    Some(set)
}

/// A one-letter Unicode general category (`\pL`, `\pN`, ...).
///
/// Exact for ASCII. Outside ASCII the core carries no Unicode tables (they would
/// cost the browser bundle more than the whole matcher), so membership comes from
/// the standard library's predicates; see `UnicodeCategory::contains`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnicodeCategory {
    Letter,
    Mark,
    Number,
    Punctuation,
    Symbol,
    Separator,
    Other,
}

impl UnicodeCategory {
    pub(crate) fn from_letter(letter: char) -> Option<UnicodeCategory> {
        Some(match letter {
            'L' => UnicodeCategory::Letter,
            'M' => UnicodeCategory::Mark,
            'N' => UnicodeCategory::Number,
            'P' => UnicodeCategory::Punctuation,
            'S' => UnicodeCategory::Symbol,
            'Z' => UnicodeCategory::Separator,
            'C' => UnicodeCategory::Other,
            _ => return None,
        })
    }

    pub(crate) fn contains(self, c: char) -> bool {
        if c.is_ascii() {
            return match self {
                UnicodeCategory::Letter => c.is_ascii_alphabetic(),
                UnicodeCategory::Mark => false,
                UnicodeCategory::Number => c.is_ascii_digit(),
                UnicodeCategory::Punctuation => {
                    c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c)
                }
                UnicodeCategory::Symbol => "$+<=>^`|~".contains(c),
                UnicodeCategory::Separator => c == ' ',
                UnicodeCategory::Other => c.is_ascii_control(),
            };
        }
        // Approximations outside ASCII (documented limitation).
        match self {
            UnicodeCategory::Letter => c.is_alphabetic() && !c.is_numeric(),
            UnicodeCategory::Mark => false,
            UnicodeCategory::Number => c.is_numeric(),
            UnicodeCategory::Punctuation | UnicodeCategory::Symbol => {
                !c.is_alphanumeric() && !c.is_whitespace() && !c.is_control()
            }
            UnicodeCategory::Separator => c.is_whitespace(),
            UnicodeCategory::Other => c.is_control(),
        }
    }
}
