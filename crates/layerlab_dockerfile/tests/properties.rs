//! Property tests (bounded, run in `cargo test`): no input panics, every range is on
//! char boundaries, the tree covers every non-blank byte (lossless), highlight spans
//! are sorted and disjoint, and printing instructions then parsing gives them back.
#![cfg(not(target_arch = "wasm32"))]

use layerlab_dockerfile::{check, highlight, parse};
use layerlab_text::TextRange;
use proptest::prelude::*;

/// Pieces that hit the parser's special cases.
const PIECES: &[&str] = &[
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ENV ",
    "LABEL ",
    "ARG ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "CMD ",
    "rUn ",
    "FOO ",
    "a",
    "b=c",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\\",
    "\\\n",
    "`",
    "`\n",
    "#",
    "# escape=`\n",
    "# syntax=x\n",
    "\"",
    "'",
    "<<",
    "<<EOF",
    "<<-'E'",
    "\nEOF\n",
    "\tE\n",
    "[",
    "]",
    "[\"a\", \"b\"]",
    "[1]",
    "--",
    "--mount=type=cache",
    "$",
    "${A:-b}",
    "{",
    "}",
    "é",
    "😀",
    "\u{a0}",
    "\u{2003}",
    "\u{feff}",
    "\u{b}",
    "\u{85}",
    "à",
];

fn dockerfile_ish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn on_boundaries(text: &str, r: TextRange) -> bool {
    r.end().to_usize() <= text.len()
        && text.is_char_boundary(r.start().to_usize())
        && text.is_char_boundary(r.end().to_usize())
}

fn check_invariants(text: &str) {
    let parsed = parse(text);
    let df = &parsed.dockerfile;
    let mut covered = vec![false; text.len()];
    let mut cover = |r: TextRange| covered[r.to_range()].iter_mut().for_each(|c| *c = true);
    for c in &df.comments {
        assert!(on_boundaries(text, *c));
        cover(*c);
    }
    for ins in &df.instructions {
        for r in [ins.range, ins.keyword_range, ins.args_range] {
            assert!(on_boundaries(text, r), "{r:?} in {text:?}");
        }
        assert!(ins.range.contains_range(ins.keyword_range));
        for w in ins
            .value
            .iter()
            .chain(ins.key_values.iter().flat_map(|kv| [&kv.key, &kv.value]))
        {
            assert!(on_boundaries(text, w.range), "{w:?} in {text:?}");
        }
        for f in &ins.flags {
            assert!(on_boundaries(text, f.range));
        }
        for h in &ins.heredocs {
            assert!(on_boundaries(text, h.marker_range) && on_boundaries(text, h.body_range));
        }
        assert!(ins.start_line <= ins.end_line);
        cover(ins.range);
    }
    for d in &parsed.diagnostics {
        assert!(on_boundaries(text, d.range));
    }
    // Lossless: every non-blank byte belongs to an instruction or a comment (the BOM
    // and anything after a too-long line excepted).
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skip = text.len() - body.len();
    if parsed
        .buildkit_error
        .as_ref()
        .is_none_or(|e| !e.message.contains("max allowed size"))
    {
        for (i, c) in body.char_indices() {
            if !c.is_whitespace() {
                assert!(
                    covered[skip + i],
                    "byte {} ({c:?}) not covered in {text:?}",
                    skip + i
                );
            }
        }
    }
    let spans = highlight(text, &parsed);
    for w in spans.windows(2) {
        assert!(w[0].range.end() <= w[1].range.start());
    }
    for s in &spans {
        assert!(on_boundaries(text, s.range) && !s.range.is_empty());
    }
    for d in check(text, &parsed) {
        assert!(on_boundaries(text, d.range));
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn never_panics_and_ranges_hold(text in dockerfile_ish()) {
        check_invariants(&text);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        check_invariants(&text);
    }
}

/// One simple instruction for the round trip: keyword, words, and how to print it.
#[derive(Clone, Debug)]
struct Simple {
    keyword: &'static str,
    words: Vec<String>,
    /// Split before these word indices with `\` + newline.
    breaks: Vec<bool>,
    comment_before: bool,
}

fn simple() -> impl Strategy<Value = Simple> {
    let kw = prop::sample::select(vec![
        "FROM", "EXPOSE", "COPY", "ADD", "VOLUME", "from", "Copy",
    ]);
    let word = "[a-z0-9./][a-z0-9./:_-]{0,7}";
    (
        kw,
        prop::collection::vec(word, 1..5),
        prop::collection::vec(any::<bool>(), 5),
        any::<bool>(),
    )
        .prop_map(|(keyword, words, breaks, comment_before)| Simple {
            keyword,
            words,
            breaks,
            comment_before,
        })
}

fn print(instructions: &[Simple]) -> String {
    let mut out = String::new();
    for s in instructions {
        if s.comment_before {
            out.push_str("# a comment\n");
        }
        out.push_str(s.keyword);
        for (i, w) in s.words.iter().enumerate() {
            if s.breaks[i] {
                out.push_str(" \\\n   ");
            } else {
                out.push(' ');
            }
            out.push_str(w);
        }
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn print_then_parse_round_trips(instructions in prop::collection::vec(simple(), 1..8)) {
        let text = print(&instructions);
        let parsed = parse(&text);
        prop_assert!(parsed.buildkit_error.is_none());
        prop_assert_eq!(parsed.dockerfile.instructions.len(), instructions.len());
        for (ins, s) in parsed.dockerfile.instructions.iter().zip(&instructions) {
            prop_assert_eq!(&ins.keyword, s.keyword);
            let got: Vec<&str> = ins.value.iter().map(|w| w.text.as_str()).collect();
            prop_assert_eq!(got, s.words.iter().map(String::as_str).collect::<Vec<_>>());
            for w in &ins.value {
                prop_assert_eq!(&text[w.range.to_range()], w.text.as_str());
            }
        }
    }
}

#[test]
fn deep_nesting_and_long_lines_are_bounded() {
    let text = format!("ONBUILD {}RUN x\n", "ONBUILD ".repeat(5000));
    check_invariants(&text);
    let text = format!("RUN [{}]\n", "[".repeat(50_000));
    check_invariants(&text);
    let text = format!(
        "RUN <<EOF {}{}\nEOF\n",
        "${a:-".repeat(9000),
        "}".repeat(9000)
    );
    check_invariants(&text);
    let text = format!("FROM a\nRUN {}\n", "x".repeat(70_000));
    let p = parse(&text);
    assert!(p.buildkit_error.unwrap().message.contains("65535"));
}
