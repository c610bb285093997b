//! Property tests: random scripts never panic, never hang, and respect the budget;
//! the parser never panics and its errors point inside the input.
#![cfg(not(target_arch = "wasm32"))]

use layerlab_shell::{parse, run, ExitStatus, RunRequest};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use proptest::prelude::*;

/// Shell fragments that combine into tricky scripts.
const FRAGMENTS: &[&str] = &[
    "echo",
    " ",
    "a",
    "'q'",
    "\"d\"",
    "$x",
    "${x:-y}",
    "${#x}",
    "${x%%*}",
    "$(",
    ")",
    "`",
    "(",
    "{",
    "}",
    ";",
    "&&",
    "||",
    "|",
    "&",
    "\n",
    "<<EOF\n",
    "EOF\n",
    "<<-'E'\n",
    "E",
    ">",
    ">>",
    "<",
    "2>&1",
    "if",
    "then",
    "else",
    "fi",
    "for i in",
    "do",
    "done",
    "while",
    "until",
    "case",
    "in",
    "esac",
    ";;",
    "*)",
    "x=",
    "f()",
    "$((",
    "1+2",
    "))",
    "\\",
    "#",
    "set -e",
    "set -u",
    "exit",
    "return",
    "break",
    "continue",
    "cd /",
    "mkdir -p d",
    "rm -rf",
    "cp -r",
    "mv",
    "ln -s",
    "chmod",
    "find . -delete",
    "sed -i s/a/b/",
    "cat",
    "touch f",
    "*",
    "?",
    "[a-",
    "~",
    "$@",
    "\"$@\"",
    "shift",
    "eval",
    "read v",
    "printf %s",
    "test -f",
    "[",
    "]",
    "!",
    ":",
    "true",
    "false",
    "while :; do",
    "x=$x$x",
    "f",
    "useradd u",
    "grep",
    ".",
    "exec 3>&1",
    "$?",
];

fn image() -> Fs {
    let mut fs = Fs::default();
    fs.mkdir_p(&VfsPath::new("/bin"), Meta::new(0o755)).unwrap();
    for t in [
        "sh", "mkdir", "rm", "cp", "mv", "ln", "chmod", "find", "sed", "cat", "touch", "useradd",
        "grep", "unknown",
    ] {
        fs.write_file(
            &VfsPath::new("/bin").child(t),
            Content::inline("x"),
            Meta::new(0o755),
        )
        .unwrap();
    }
    fs.mkdir_p(&VfsPath::new("/etc"), Meta::new(0o755)).unwrap();
    fs.write_file(
        &VfsPath::new("/etc/passwd"),
        Content::inline("root:x:0:0::/root:/bin/sh\n"),
        Meta::new(0o644),
    )
    .unwrap();
    fs
}

fn script() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40).prop_map(|v| v.join(""))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_scripts_end_within_budget(s in script()) {
        let mut fs = image();
        let req = RunRequest { budget: 20_000, ..RunRequest::shell(&s) };
        let out = run(&mut fs, &req);
        if out.status != ExitStatus::BudgetExhausted {
            // Charges beyond the budget only come from the final step.
            prop_assert!(out.steps <= 20_000);
        }
        let code = out.status.code();
        prop_assert!((0..=255).contains(&code));
    }

    #[test]
    fn parser_never_panics_on_bytes(s in "\\PC{0,200}") {
        match parse(&s) {
            Ok(_) => {}
            Err(e) => {
                prop_assert!(u32::from(e.range.end()) as usize <= s.len());
                prop_assert!(e.line >= 1);
            }
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for open in ["(", "{ ", "$(", "if true; then ", "${x:-", "f() { "] {
        let s = open.repeat(5_000);
        let mut fs = image();
        let out = run(&mut fs, &RunRequest::shell(&s));
        assert_eq!(
            out.status,
            ExitStatus::Exited(2),
            "{open}: {}",
            out.stderr()
        );
    }
    // Within the limit, nesting works.
    let s = format!("{}echo deep{}", "( ".repeat(50), " )".repeat(50));
    let mut fs = image();
    let out = run(&mut fs, &RunRequest::shell(&s));
    assert_eq!(out.stdout(), "deep\n");
}

#[test]
fn hostile_arguments_do_not_overflow_the_stack() {
    let mut fs = image();
    let long = "ab".repeat(100_000);
    fs.write_file(
        &VfsPath::new("/long.txt"),
        Content::inline(format!("{long}\n")),
        Meta::new(0o644),
    )
    .unwrap();
    let scripts = [
        format!("[ {}x ]; echo $?", "! ".repeat(50_000)),
        format!("[ {}x ]; echo $?", "( ".repeat(10_000)),
        "sed 's/\\(ab\\)*$/X/' /long.txt | grep -c X".to_owned(),
        "sed -E 's/(a|b)+c//' /long.txt > /dev/null; echo done".to_owned(),
        "find / !".to_owned(),
        format!("{}echo deep{}", "{ ".repeat(98), "; }".repeat(98)),
        format!("x={}; echo ${{#x}}", "a".repeat(100_000)),
    ];
    for s in &scripts {
        let mut fs = fs.clone();
        let out = run(
            &mut fs,
            &RunRequest {
                budget: 5_000_000,
                ..RunRequest::shell(s)
            },
        );
        assert!(
            out.status != ExitStatus::NotFound,
            "{}",
            &s[..s.len().min(40)]
        );
    }
}
