//! One logical line → keyword, flags and arguments, by BuildKit's per-instruction rules.
//!
//! BuildKit splits the keyword off at the first run of `[ \t\v\f\r]`, reads leading
//! `--flag` words with its own small quote-aware splitter, then hands the rest to a
//! parser chosen by the lowercased keyword: JSON-or-shell for RUN/CMD/ENTRYPOINT/SHELL,
//! JSON-or-word-list for ADD/COPY/VOLUME, whitespace words for FROM/EXPOSE,
//! quote-aware words for ARG, key/value pairs for ENV/LABEL, a type word plus a command
//! for HEALTHCHECK, a nested instruction for ONBUILD, and the raw rest for the others.
//! Unknown keywords are accepted with no arguments (BuildKit only rejects them when
//! building). All offsets returned here are byte offsets into the logical line.

use crate::json::{parse_json_args, JsonArgs};
use crate::shell::{go_quote, is_space};

/// A piece of the logical line: text and `start..end` offsets.
pub(crate) type Piece = (String, usize, usize);

/// An ENV/LABEL pair in logical offsets.
#[derive(Clone, Debug)]
pub(crate) struct PairPiece {
    pub(crate) key: Piece,
    pub(crate) value: Piece,
    pub(crate) equals: bool,
}

/// A logical line taken apart.
#[derive(Clone, Debug, Default)]
pub(crate) struct Command {
    /// Keyword as written, with its offsets.
    pub(crate) keyword: Piece,
    /// Flags (BuildKit's processed text) with the offsets of the written word.
    pub(crate) flags: Vec<Piece>,
    /// Offsets of the arguments after the flags (trimmed).
    pub(crate) args: (usize, usize),
    /// Argument words.
    pub(crate) value: Vec<Piece>,
    /// ENV/LABEL pairs.
    pub(crate) pairs: Vec<PairPiece>,
    /// JSON (exec) form.
    pub(crate) json: bool,
    /// ONBUILD trigger.
    pub(crate) trigger: Option<Box<Command>>,
    /// BuildKit's error for this line, with the offsets it is about.
    pub(crate) error: Option<(String, usize, usize)>,
}

/// How deep ONBUILD triggers nest before the rest is kept unparsed (BuildKit refuses
/// `ONBUILD ONBUILD` when building anyway; this keeps recursion and drops bounded).
const MAX_TRIGGER_DEPTH: usize = 8;

/// Lowercases a keyword the way Go's `strings.ToLower` does for every character that
/// can turn into ASCII (`İ` → `i`, Kelvin sign → `k`).
pub(crate) fn fold_keyword(kw: &str) -> String {
    kw.chars()
        .map(|c| match c {
            '\u{130}' => 'i',
            '\u{212a}' => 'k',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The keywords BuildKit's parser dispatches on, lowercase.
pub(crate) const KNOWN: &[&str] = &[
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

/// Whether `lowercase_keyword` is one BuildKit knows.
pub(crate) fn is_known(lowercase_keyword: &str) -> bool {
    KNOWN.contains(&lowercase_keyword)
}

/// `[\t\v\f\r ]`, BuildKit's `reWhitespace`.
fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\x0b' | '\x0c' | '\r')
}

/// Go's `unicode.IsSpace(rune(b))` for one byte.
fn is_space_byte(b: u8) -> bool {
    matches!(
        b,
        b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ' | 0x85 | 0xa0
    )
}

/// `strings.TrimSpace` as offsets.
fn trim_span(s: &str, start: usize, end: usize) -> (usize, usize) {
    let t = &s[start..end];
    let lead = t.len() - t.trim_start_matches(is_space).len();
    let trail = t.trim_end_matches(is_space).len();
    if lead >= trail {
        return (start + lead, start + lead);
    }
    (start + lead, start + trail)
}

/// Parses one logical line with escape character `escape`.
pub(crate) fn parse_command(line: &str, escape: char) -> Command {
    parse_at(line, 0, line.len(), escape, 0)
}

fn parse_at(line: &str, start: usize, end: usize, escape: char, depth: usize) -> Command {
    let (ts, te) = trim_span(line, start, end);
    let kw_end = line[ts..te].find(is_ws).map_or(te, |i| ts + i);
    let mut cmd = Command {
        keyword: (line[ts..kw_end].to_string(), ts, kw_end),
        args: (te, te),
        ..Command::default()
    };
    if kw_end < te {
        let rest_start =
            kw_end + line[kw_end..te].len() - line[kw_end..te].trim_start_matches(is_ws).len();
        let (flags, args_start) = extract_flags(line, rest_start, te);
        cmd.flags = flags;
        cmd.args = trim_span(line, args_start, te);
    }
    let (a, b) = cmd.args;
    let rest = &line[a..b];
    let name = fold_keyword(&cmd.keyword.0);
    match name.as_str() {
        "add" | "copy" | "volume" => json_or(&mut cmd, rest, a, false),
        "run" | "cmd" | "entrypoint" | "shell" => json_or(&mut cmd, rest, a, true),
        "from" | "expose" => cmd.value = split_ws(rest, a),
        "arg" => cmd.value = parse_words(rest, a, escape),
        "env" | "label" => {
            let key = if name == "env" { "ENV" } else { "LABEL" };
            name_val(&mut cmd, rest, a, key, escape);
        }
        "maintainer" | "stopsignal" | "user" | "workdir" if !rest.is_empty() => {
            cmd.value = vec![(rest.to_string(), a, b)];
        }
        "healthcheck" => healthcheck(&mut cmd, line, a, b),
        "onbuild" if !rest.is_empty() => {
            if depth >= MAX_TRIGGER_DEPTH {
                cmd.value = vec![(rest.to_string(), a, b)];
            } else {
                let trigger = parse_at(line, a, b, escape, depth + 1);
                cmd.error = trigger.error.clone();
                cmd.trigger = Some(Box::new(trigger));
            }
        }
        _ => {}
    }
    cmd
}

/// BuildKit's `extractBuilderFlags`: leading words starting with `--`, read byte by byte.
/// Returns the flags and where the arguments start.
fn extract_flags(line: &str, start: usize, end: usize) -> (Vec<Piece>, usize) {
    let b = line.as_bytes();
    let mut flags = Vec::new();
    let mut word = String::new();
    let mut word_start = start;
    let mut in_word = false;
    let mut quote: Option<u8> = None;
    let mut blank_ok = false;
    let mut pos = start;
    // Go converts each byte to a rune, so non-ASCII bytes come out as Latin-1.
    loop {
        if pos >= end {
            if in_word && word != "--" && (blank_ok || !word.is_empty()) {
                flags.push((word, word_start, end));
            }
            return (flags, end);
        }
        let c = b[pos];
        if !in_word {
            if is_space_byte(c) {
                pos += 1;
                continue;
            }
            if c != b'-' || pos + 1 >= end || b[pos + 1] != b'-' {
                return (flags, next_boundary(line, pos));
            }
            in_word = true;
            word_start = pos;
        }
        if let Some(q) = quote {
            pos += 1;
            if c == q {
                quote = None;
                continue;
            }
            let mut ch = c;
            if c == b'\\' {
                if pos >= end {
                    quote = None;
                    continue;
                }
                ch = b[pos];
                pos += 1;
            }
            word.push(ch as char);
            continue;
        }
        if is_space_byte(c) {
            if word == "--" {
                return (flags, next_boundary(line, pos));
            }
            if blank_ok || !word.is_empty() {
                flags.push((
                    std::mem::take(&mut word),
                    word_start,
                    next_boundary(line, pos),
                ));
            }
            word.clear();
            blank_ok = false;
            in_word = false;
            pos += 1;
            continue;
        }
        pos += 1;
        if c == b'\'' || c == b'"' {
            quote = Some(c);
            blank_ok = true;
            continue;
        }
        let mut ch = c;
        if c == b'\\' {
            if pos >= end {
                continue;
            }
            ch = b[pos];
            pos += 1;
        }
        word.push(ch as char);
    }
}

fn next_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// `parseStringsWhitespaceDelimited`.
fn split_ws(rest: &str, base: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in rest.char_indices() {
        if is_ws(c) {
            if let Some(s) = start.take() {
                out.push((rest[s..i].to_string(), base + s, base + i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((rest[s..].to_string(), base + s, base + rest.len()));
    }
    out
}

/// `parseWords`: quote-aware words; quotes and escapes are kept in the text.
pub(crate) fn parse_words(rest: &str, base: usize, escape: char) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut blank_ok = false;
    let mut start = 0;
    let mut it = rest.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !in_word {
            if is_space(c) {
                continue;
            }
            in_word = true;
            start = i;
        }
        let at_end = i + c.len_utf8() == rest.len();
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            if c == escape && q != '\'' {
                if at_end {
                    quote = None;
                    continue;
                }
                word.push(c);
                let (_, n) = it.next().unwrap_or((i, c));
                word.push(n);
                continue;
            }
            word.push(c);
            continue;
        }
        if is_space(c) {
            if blank_ok || !word.is_empty() {
                out.push((std::mem::take(&mut word), base + start, base + i));
            }
            blank_ok = false;
            in_word = false;
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            blank_ok = true;
        }
        if c == escape {
            if at_end {
                continue;
            }
            word.push(c);
            let (_, n) = it.next().unwrap_or((i, c));
            word.push(n);
            continue;
        }
        word.push(c);
    }
    if in_word && (blank_ok || !word.is_empty()) {
        out.push((word, base + start, base + rest.len()));
    }
    out
}

/// `parseMaybeJSON` (`shell_one` = one shell-form word) and `parseMaybeJSONToList`.
fn json_or(cmd: &mut Command, rest: &str, base: usize, shell_one: bool) {
    match parse_json_args(rest) {
        JsonArgs::Strings(items) => {
            cmd.json = true;
            cmd.value = items
                .into_iter()
                .map(|(s, a, b)| (s, base + a, base + b))
                .collect();
        }
        JsonArgs::NotStrings => {
            cmd.error = Some((
                "when using JSON array syntax, arrays must be comprised of strings only".into(),
                base,
                base + rest.len(),
            ));
            // Recover with the shell-form reading.
            cmd.value = vec![(rest.to_string(), base, base + rest.len())];
        }
        JsonArgs::NotJson => {
            if shell_one {
                if !rest.is_empty() {
                    cmd.value = vec![(rest.to_string(), base, base + rest.len())];
                }
            } else {
                cmd.value = split_ws(rest, base);
            }
        }
    }
}

/// `parseNameVal` for ENV and LABEL.
fn name_val(cmd: &mut Command, rest: &str, base: usize, key: &str, escape: char) {
    let words = parse_words(rest, base, escape);
    let Some(first) = words.first() else {
        return;
    };
    if !first.0.contains('=') {
        // Legacy `ENV key value`: the value is the rest of the line, as written.
        let Some(i) = rest.find(is_ws) else {
            cmd.error = Some((
                format!("{key} must have two arguments"),
                base,
                base + rest.len(),
            ));
            return;
        };
        let v = i + rest[i..].len() - rest[i..].trim_start_matches(is_ws).len();
        cmd.pairs.push(PairPiece {
            key: (rest[..i].to_string(), base, base + i),
            value: (rest[v..].to_string(), base + v, base + rest.len()),
            equals: false,
        });
        return;
    }
    for (w, s, e) in words {
        let Some(eq) = w.find('=') else {
            if cmd.error.is_none() {
                cmd.error = Some((
                    format!(
                        "Syntax error - can't find = in {}. Must be of the form: name=value",
                        go_quote(&w)
                    ),
                    s,
                    e,
                ));
            }
            continue;
        };
        // The word text equals the source slice except for a dropped trailing escape,
        // so offsets inside it map one to one.
        cmd.pairs.push(PairPiece {
            key: (w[..eq].to_string(), s, s + eq),
            value: (w[eq + 1..].to_string(), (s + eq + 1).min(e), e),
            equals: true,
        });
    }
}

/// `parseHealthConfig`: a type word (`CMD`/`NONE`) then a JSON-or-shell command.
fn healthcheck(cmd: &mut Command, line: &str, a: usize, b: usize) {
    let bytes = &line.as_bytes()[a..b];
    let sep = bytes
        .iter()
        .position(|&c| is_space_byte(c))
        .unwrap_or(bytes.len());
    if sep == 0 {
        return;
    }
    let mut next = sep;
    while next < bytes.len() && is_space_byte(bytes[next]) {
        next += 1;
    }
    // Go cuts bytes here; a cut inside a character only happens for U+0085/U+00A0
    // continuation bytes, where we round to the next character instead.
    let sep_c = next_boundary(line, a + sep);
    let next_c = next_boundary(line, a + next);
    cmd.value.push((line[a..sep_c].to_string(), a, sep_c));
    let mut sub = Command::default();
    json_or(&mut sub, &line[next_c..b], next_c, true);
    cmd.json = sub.json;
    cmd.error = sub.error;
    cmd.value.extend(sub.value);
}

/// `parseNameVal` error check for a lone key, used by tests.
#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn texts(p: &[Piece]) -> Vec<&str> {
        p.iter().map(|x| x.0.as_str()).collect()
    }

    #[test]
    fn flags_are_unquoted_and_stop_at_first_non_flag() {
        let c = parse_command("COPY --from=a --chown=\"x y\" -- --not src dst", '\\');
        assert_eq!(texts(&c.flags), ["--from=a", "--chown=x y"]);
        assert_eq!(texts(&c.value), ["--not", "src", "dst"]);
    }

    #[test]
    fn env_forms() {
        let c = parse_command("ENV a=1 b=\"2 3\"", '\\');
        let kv: Vec<_> = c
            .pairs
            .iter()
            .map(|p| (p.key.0.as_str(), p.value.0.as_str()))
            .collect();
        assert_eq!(kv, [("a", "1"), ("b", "\"2 3\"")]);
        let c = parse_command("ENV a  b c", '\\');
        assert_eq!(c.pairs[0].value.0, "b c");
        let c = parse_command("ENV a", '\\');
        assert_eq!(c.error.unwrap().0, "ENV must have two arguments");
        let c = parse_command("LABEL a=b c", '\\');
        assert!(c
            .error
            .unwrap()
            .0
            .starts_with("Syntax error - can't find = in \"c\""));
    }

    #[test]
    fn keyword_folding() {
        assert_eq!(fold_keyword("rUn"), "run");
        assert_eq!(fold_keyword("WOR\u{212a}DIR"), "workdir");
    }

    #[test]
    fn healthcheck_and_onbuild() {
        let c = parse_command("HEALTHCHECK CMD [\"a\"]", '\\');
        assert!(c.json);
        assert_eq!(texts(&c.value), ["CMD", "a"]);
        let c = parse_command("ONBUILD RUN --x=1 echo", '\\');
        let t = c.trigger.unwrap();
        assert_eq!(t.keyword.0, "RUN");
        assert_eq!(texts(&t.value), ["echo"]);
    }
}
