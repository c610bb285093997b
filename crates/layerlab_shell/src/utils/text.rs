//! Text filters with GNU messages: `cat`, `tee`, `head`, `tail`, `sort`, `wc`, `grep`.

use super::files::split_args;
use crate::exec::{Shell, R};
use crate::io::Io;
use layerlab_vfs::Content;
use std::fmt::Write as _;

impl Shell<'_> {
    pub(super) fn cat(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (_, _, ops) = split_args(args);
        let (data, status) = self.read_inputs("cat", &ops, io)?;
        self.write(io, 1, &data)?;
        Ok(status)
    }

    pub(super) fn tee(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (short, long, ops) = split_args(args);
        let append = short.contains('a') || super::any_arg(&long, &["append"]);
        let data = io.take_stdin();
        let mut status = 0;
        for op in ops {
            let p = self.path(op);
            let mut bytes = Vec::new();
            if append {
                if let Ok(c) = self.fs.read_file(&p) {
                    bytes = c.to_vec();
                }
            }
            bytes.extend_from_slice(&data);
            let meta = self
                .fs
                .metadata(&p)
                .unwrap_or_else(|_| self.new_file_meta(0o666));
            if let Err(e) = self.fs.write_file(&p, Content::inline(bytes), meta) {
                self.err_line(io, format_args!("tee: {op}: {}", e.kind.strerror()))?;
                status = 1;
            }
        }
        self.write(io, 1, &data)?;
        Ok(status)
    }

    pub(super) fn head_tail(&mut self, name: &str, args: &[String], io: &Io) -> R<u8> {
        let mut n: usize = 10;
        let mut files = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "-n" {
                n = it
                    .next()
                    .and_then(|v| v.trim_start_matches('+').parse().ok())
                    .unwrap_or(10);
            } else if let Some(v) = a.strip_prefix("-n") {
                n = v.parse().unwrap_or(10);
            } else if a.len() > 1
                && a.starts_with('-')
                && a[1..].bytes().all(|b| b.is_ascii_digit())
            {
                n = a[1..].parse().unwrap_or(10);
            } else {
                files.push(a);
            }
        }
        let (data, status) = self.read_inputs(name, &files, io)?;
        let lines: Vec<&[u8]> = data.split_inclusive(|&b| b == b'\n').collect();
        let pick: &[&[u8]] = if name == "head" {
            &lines[..n.min(lines.len())]
        } else {
            &lines[lines.len().saturating_sub(n)..]
        };
        let out: Vec<u8> = pick.concat();
        self.write(io, 1, &out)?;
        Ok(status)
    }

    /// `sort` in byte order (the C locale), with `-r`, `-u` and `-n`.
    pub(super) fn sort(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (short, _, ops) = split_args(args);
        let (data, status) = self.read_inputs("sort", &ops, io)?;
        let text = String::from_utf8_lossy(&data).into_owned();
        let mut lines: Vec<&str> = text.lines().collect();
        self.tick(lines.len() as u64)?;
        if short.contains('n') {
            lines.sort_by(|a, b| numeric_key(a).cmp(&numeric_key(b)).then(a.cmp(b)));
        } else {
            lines.sort();
        }
        if short.contains('u') {
            lines.dedup();
        }
        if short.contains('r') {
            lines.reverse();
        }
        let mut out = String::new();
        for l in lines {
            out.push_str(l);
            out.push('\n');
        }
        self.out(io, &out)?;
        Ok(status)
    }

    pub(super) fn wc(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (short, _, ops) = split_args(args);
        let (data, status) = self.read_inputs("wc", &ops, io)?;
        let lines = data.iter().filter(|&&b| b == b'\n').count();
        let words = String::from_utf8_lossy(&data).split_whitespace().count();
        let bytes = data.len();
        match short.as_str() {
            "l" => self.out_line(io, format_args!("{lines}"))?,
            "w" => self.out_line(io, format_args!("{words}"))?,
            "c" => self.out_line(io, format_args!("{bytes}"))?,
            _ => self.out_line(io, format_args!("{lines} {words} {bytes}"))?,
        }
        Ok(status)
    }

    /// `grep` with fixed strings or basic/extended regular expressions (the engine of
    /// `sed`): `-q -v -i -c -l -n -h -H -s -x -E -F -e`, several files with `name:`
    /// prefixes, status 0 (match), 1 (none) or 2 (error).
    pub(super) fn grep(&mut self, args: &[String], io: &Io) -> R<u8> {
        let mut flags = String::new();
        let mut files = Vec::new();
        let mut pattern: Option<String> = None;
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "-e" {
                pattern = it.next().cloned();
            } else if a.starts_with('-') && a.len() > 1 {
                flags.push_str(&a[1..]);
            } else if pattern.is_none() {
                pattern = Some(a.clone());
            } else {
                files.push(a);
            }
        }
        let Some(pattern) = pattern else {
            self.err(io, "Usage: grep [OPTION]... PATTERNS [FILE]...\n")?;
            self.err(io, "Try 'grep --help' for more information.\n")?;
            return Ok(2);
        };
        let f = |c: char| flags.contains(c);
        let ignore_case = f('i');
        let regex = if f('F') {
            None
        } else {
            let pat = if f('x') {
                format!("^\\({pattern}\\)$")
            } else {
                pattern.clone()
            };
            let pat = if f('x') && f('E') {
                format!("^({pattern})$")
            } else {
                pat
            };
            match super::sed::Regex::new(&pat, f('E'), ignore_case) {
                Ok(r) => Some(r),
                Err(e) => {
                    self.err_line(io, format_args!("grep: {e}"))?;
                    return Ok(2);
                }
            }
        };
        let sources: Vec<Option<&String>> = if files.is_empty() {
            vec![None]
        } else {
            files.iter().map(|f| Some(*f)).collect()
        };
        let prefix_names = (sources.len() > 1 || f('H')) && !f('h');
        let mut out = String::new();
        let mut any = false;
        let mut error = false;
        let mut budget = 1_000_000u64;
        for src in sources {
            let name = src.map_or("(standard input)".to_owned(), |s| (*s).clone());
            let data = match src {
                None => io.take_stdin(),
                Some(file) => {
                    let p = self.path(file);
                    match self.fs.node(&p).cloned() {
                        Ok(layerlab_vfs::Node::File(fl)) => {
                            if fl.content.len() as usize > crate::exec::MAX_MATERIALIZED {
                                return Err(crate::exec::Flow::Abort);
                            }
                            fl.content.to_vec()
                        }
                        Ok(_) => {
                            if !f('s') {
                                self.err_line(io, format_args!("grep: {file}: Is a directory"))?;
                            }
                            error = true;
                            continue;
                        }
                        Err(e) => {
                            if !f('s') {
                                self.err_line(
                                    io,
                                    format_args!("grep: {file}: {}", e.kind.strerror()),
                                )?;
                            }
                            error = true;
                            continue;
                        }
                    }
                }
            };
            let text = String::from_utf8_lossy(&data).into_owned();
            let mut count = 0;
            for (no, line) in text.lines().enumerate() {
                let hit = match &regex {
                    Some(r) => r.find(line, 0, &mut budget).is_some(),
                    None if f('x') => {
                        if ignore_case {
                            line.eq_ignore_ascii_case(&pattern)
                        } else {
                            line == pattern
                        }
                    }
                    // -i folds ASCII only, as grep does in the default C locale.
                    None if ignore_case => line
                        .to_ascii_lowercase()
                        .contains(&pattern.to_ascii_lowercase()),
                    None => line.contains(&pattern),
                };
                if hit == f('v') {
                    continue;
                }
                count += 1;
                if f('q') {
                    self.tick(1_000_000 - budget)?;
                    return Ok(0);
                }
                if f('l') || f('c') {
                    continue;
                }
                if prefix_names {
                    out.push_str(&name);
                    out.push(':');
                }
                if f('n') {
                    let _ = write!(out, "{}:", no + 1);
                }
                out.push_str(line);
                out.push('\n');
            }
            if f('l') && count > 0 {
                out.push_str(&name);
                out.push('\n');
            } else if f('c') {
                if prefix_names {
                    out.push_str(&name);
                    out.push(':');
                }
                let _ = writeln!(out, "{count}");
            }
            any |= count > 0;
        }
        self.tick(1_000_000 - budget)?;
        self.out(io, &out)?;
        Ok(if error && !(any && f('q')) {
            2
        } else if any {
            0
        } else {
            1
        })
    }
}

/// The leading number of a line for `sort -n`, compared exactly as a decimal (no float
/// parser in the page). A line without a readable number sorts as zero.
#[derive(PartialEq, Eq)]
struct NumericKey<'a> {
    negative: bool,
    /// Integer digits without leading zeros, fraction digits without trailing zeros.
    int: &'a str,
    frac: &'a str,
}

fn numeric_key(line: &str) -> NumericKey<'_> {
    let zero = NumericKey {
        negative: false,
        int: "",
        frac: "",
    };
    let t = line.trim_start();
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(t.len());
    let (negative, num) = match t[..end].strip_prefix('-') {
        Some(n) => (true, n),
        None => (false, &t[..end]),
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return zero;
    }
    let (int, frac) = (int.trim_start_matches('0'), frac.trim_end_matches('0'));
    if int.is_empty() && frac.is_empty() {
        return zero; // -0 is 0
    }
    NumericKey {
        negative,
        int,
        frac,
    }
}

impl Ord for NumericKey<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let magnitude = self
            .int
            .len()
            .cmp(&other.int.len())
            .then_with(|| self.int.cmp(other.int))
            .then_with(|| self.frac.cmp(other.frac));
        match (self.negative, other.negative) {
            (false, false) => magnitude,
            (true, true) => magnitude.reverse(),
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
        }
    }
}

impl PartialOrd for NumericKey<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod numeric_tests {
    use super::numeric_key;

    #[test]
    fn numeric_order() {
        let mut v = vec![
            "10", "9", "-2", "x", "1.5", "1.25", "-10", "0.0", "007", ".5", "-0",
        ];
        v.sort_by(|a, b| numeric_key(a).cmp(&numeric_key(b)).then(a.cmp(b)));
        assert_eq!(
            v,
            ["-10", "-2", "-0", "0.0", "x", ".5", "1.25", "1.5", "007", "9", "10"]
        );
    }
}
