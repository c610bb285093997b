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
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += value * scale;
        rest = tail;
    }
    if total > i64::MAX as f64 {
        return None;
    }
    let ns = total.round() as i64;
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
    }
}
