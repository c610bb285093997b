//! Heredoc markers (`<<EOF`, `<<-EOF`, `<<'EOF'`, `3<<EOF`, `<< EOF`) as BuildKit finds them.
//!
//! Only RUN, COPY and ADD in shell form (and an ONBUILD whose trigger is one of those)
//! can have heredocs, and only when the logical line contains `<<`. BuildKit then lexes
//! the whole line with its shell lexer (escape `\`, quotes and escapes kept, unset
//! variables kept) and tests every word against `^(\d*)<<(-?)\s*([^<]*)$`. The
//! delimiter must lex to exactly one word; it is quoted (no expansion of the body) when
//! lexing with and without raw quotes gives different quote counts. Since BuildKit
//! v0.22.0 blanks after `<<` stay in the marker word, so `<< EOF` is a heredoc too.
//! Bodies are read line by line, raw, until a line equal to the delimiter (after
//! stripping the line ending, and leading tabs for `<<-`).

use crate::shell::Lexer;

/// A heredoc marker found in a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// The delimiter, quotes removed.
    pub name: String,
    /// The file descriptor (0 when absent; saturates like Go's `ParseUint`).
    pub file_descriptor: u64,
    /// `<<-`.
    pub chomp: bool,
    /// Whether the body is expanded (the delimiter has no quotes).
    pub expand: bool,
}

fn no_env(_: &str) -> Option<String> {
    None
}

/// Every heredoc marker of a logical line, in order.
///
/// # Errors
/// BuildKit's message when a marker word cannot be lexed.
pub fn markers_in_line(line: &str) -> Result<Vec<Marker>, String> {
    let mut lex = Lexer::new('\\');
    lex.raw_quotes = true;
    lex.raw_escapes = true;
    lex.skip_unset_env = true;
    // BuildKit ignores a lexing error here: the line simply has no heredocs.
    let words = lex.process_words(line, &no_env).unwrap_or_default();
    let mut out = Vec::new();
    for w in words {
        if let Some(m) = parse_marker(&w)? {
            out.push(m);
        }
    }
    Ok(out)
}

/// Tests one lexed word against BuildKit's heredoc pattern.
///
/// # Errors
/// BuildKit's message when the delimiter cannot be lexed.
pub fn parse_marker(word: &str) -> Result<Option<Marker>, String> {
    let b = word.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let rest = after.trim_start_matches([' ', '\t', '\n', '\r', '\x0c']);
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let file_descriptor = word[..digits].bytes().fold(0u64, |acc, d| {
        acc.checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
            .unwrap_or(u64::MAX)
    });
    let mut lex = Lexer::new('\\');
    lex.skip_unset_env = true;
    let words = lex.process_words(rest, &no_env).map_err(|e| e.message)?;
    if words.len() != 1 {
        return Ok(None);
    }
    lex.raw_quotes = true;
    let raw = lex.process_words(rest, &no_env).map_err(|e| e.message)?;
    if raw.len() != words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    Ok(Some(Marker {
        expand: quotes(&words[0]) == quotes(&raw[0]),
        name: words.into_iter().next().unwrap_or_default(),
        file_descriptor,
        chomp,
    }))
}

/// Removes leading tabs from every body line (`<<-`), as BuildKit does at build time.
pub fn chomp_content(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    for line in content.split_inclusive('\n') {
        out.push_str(line.trim_start_matches('\t'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn names(line: &str) -> Vec<(String, bool, bool, u64)> {
        markers_in_line(line)
            .unwrap()
            .into_iter()
            .map(|m| (m.name, m.chomp, m.expand, m.file_descriptor))
            .collect()
    }

    #[test]
    fn marker_forms() {
        assert_eq!(names("RUN <<EOF"), [("EOF".into(), false, true, 0)]);
        assert_eq!(names("RUN <<-'E F'"), [("E F".into(), true, false, 0)]);
        assert_eq!(
            names("RUN 3<<\"X\" a <<Y"),
            [("X".into(), false, false, 3), ("Y".into(), false, true, 0)]
        );
        assert_eq!(names("RUN << EOF"), [("EOF".into(), false, true, 0)]);
        assert_eq!(names("RUN \"<<EOF\""), []);
        assert_eq!(names("RUN cat <<<here"), []);
        assert_eq!(names("RUN <<eo\\'f"), [("eo'f".into(), false, true, 0)]);
        assert_eq!(names("RUN <<$EOF"), [("$EOF".into(), false, true, 0)]);
    }

    #[test]
    fn chomp_strips_leading_tabs_per_line() {
        assert_eq!(chomp_content("\t\ta\n\tb\n c\n"), "a\nb\n c\n");
    }
}
