//! BuildKit's instruction flags (`--name=value`): declared per instruction, checked for
//! unknown, repeated and malformed flags when the instruction is read.

use layerlab_dockerfile::{Flag, Instruction};

/// The flags of one instruction, consumed as the instruction declares them.
pub(crate) struct FlagSet<'a> {
    flags: &'a [Flag],
    declared: Vec<&'static str>,
    error: Option<String>,
}

impl<'a> FlagSet<'a> {
    pub(crate) fn new(ins: &'a Instruction) -> FlagSet<'a> {
        FlagSet {
            flags: &ins.flags,
            declared: Vec::new(),
            error: None,
        }
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    fn all(&mut self, name: &'static str) -> Vec<&'a Flag> {
        self.declared.push(name);
        self.flags.iter().filter(|f| f.name == name).collect()
    }

    fn one(&mut self, name: &'static str) -> Option<&'a Flag> {
        let found = self.all(name);
        if found.len() > 1 {
            self.fail(format!("duplicate flag specified: {name}"));
        }
        found.last().copied()
    }

    /// A string flag given at most once.
    pub(crate) fn string(&mut self, name: &'static str) -> Option<String> {
        let flag = self.one(name)?;
        match &flag.value {
            Some(v) => Some(v.clone()),
            None => {
                self.fail(format!("missing a value on flag: {name}"));
                None
            }
        }
    }

    /// A string flag that may repeat (`--mount`, `--exclude`).
    pub(crate) fn strings(&mut self, name: &'static str) -> Vec<String> {
        let mut out = Vec::new();
        for flag in self.all(name) {
            match &flag.value {
                Some(v) => out.push(v.clone()),
                None => self.fail(format!("missing a value on flag: {name}")),
            }
        }
        out
    }

    /// A boolean flag: `--link` and `--link=true` are true.
    pub(crate) fn bool(&mut self, name: &'static str) -> bool {
        self.opt_bool(name).unwrap_or(false)
    }

    /// A boolean flag that may be absent.
    pub(crate) fn opt_bool(&mut self, name: &'static str) -> Option<bool> {
        let flag = self.one(name)?;
        match flag
            .value
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => {
                let v = flag.value.clone().unwrap_or_default();
                self.fail(format!("expecting boolean value for flag {name}, not: {v}"));
                None
            }
        }
    }

    /// Fails on the first problem, or on a flag the instruction does not declare.
    pub(crate) fn finish(&self) -> Result<(), String> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        match self
            .flags
            .iter()
            .find(|f| !self.declared.contains(&f.name.as_str()))
        {
            Some(f) => Err(format!("unknown flag: {}", f.name)),
            None => Ok(()),
        }
    }
}

/// Go's `time.ParseDuration`, in nanoseconds (`1m30s`, `500ms`, `1.5h`, `2us`).
pub(crate) fn parse_go_duration(s: &str) -> Option<i64> {
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    // Integer nanoseconds throughout, as Go does: no float parsing (and none of its code
    // in the page). A fraction contributes `frac × unit / 10^digits`, truncated.
    const LIMIT: u128 = i64::MAX as u128;
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        if (int.is_empty() && frac.is_empty()) || frac.contains('.') {
            return None;
        }
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let scale: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        let mut whole: u128 = 0;
        for d in int.bytes() {
            whole = whole * 10 + u128::from(d - b'0');
            if whole > LIMIT {
                return None;
            }
        }
        // Digits past the 19th cannot change a nanosecond count (units are ≤ 3.6e12 ns).
        let (mut f, mut div) = (0u128, 1u128);
        for d in frac.bytes().take(19) {
            f = f * 10 + u128::from(d - b'0');
            div *= 10;
        }
        total += whole * scale + f * scale / div;
        if total > LIMIT {
            return None;
        }
        rest = tail;
    }
    let ns = total as i64;
    Some(if neg { -ns } else { ns })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("30s"), Some(30_000_000_000));
        assert_eq!(parse_go_duration("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_go_duration("500ms"), Some(500_000_000));
        assert_eq!(parse_go_duration("1.5h"), Some(5_400_000_000_000));
        assert_eq!(parse_go_duration("0"), Some(0));
        assert_eq!(parse_go_duration("10"), None);
        assert_eq!(parse_go_duration("1x"), None);
        assert_eq!(parse_go_duration(""), None);
        // Go's edges: bare fractions, one dot only, truncation, the int64 limit.
        assert_eq!(parse_go_duration(".5s"), Some(500_000_000));
        assert_eq!(parse_go_duration("5.s"), Some(5_000_000_000));
        assert_eq!(parse_go_duration("-1.5us"), Some(-1_500));
        assert_eq!(parse_go_duration("1.2.3s"), None);
        assert_eq!(parse_go_duration(".s"), None);
        assert_eq!(parse_go_duration("1.9ns"), Some(1));
        assert_eq!(
            parse_go_duration("0.333333333333333333333333s"),
            Some(333_333_333)
        );
        assert_eq!(
            parse_go_duration("2562047h"),
            Some(9_223_369_200_000_000_000)
        );
        assert_eq!(parse_go_duration("2562048h"), None);
        assert_eq!(parse_go_duration("99999999999999999999999s"), None);
    }
}
