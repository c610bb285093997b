//! Lexical path cleaning with the exact rules of Go's `filepath.Clean` on Unix.
//!
//! BuildKit cleans every pattern twice (in `ignorefile.ReadAll` and again in
//! `patternmatcher.New`), so the cleaned text decides both the match kind and the
//! directory-pruning shortcut; a look-alike cleaner would change verdicts.

/// Returns the shortest path equivalent to `path` by purely lexical processing:
/// repeated `/` collapse, `.` elements go, `name/..` pairs go, `..` at the root of a
/// rooted path goes, and trailing slashes go. An empty result becomes `"."`.
pub(crate) fn clean(path: &str) -> String {
    let bytes = path.as_bytes();
    if bytes.is_empty() {
        return ".".to_owned();
    }
    let rooted = bytes[0] == b'/';
    let n = bytes.len();
    let mut out: Vec<u8> = Vec::with_capacity(n);
    // `floor` is the length of `out` that `..` may not remove: the root slash, or the
    // leading run of `..` elements of a relative path that cannot be backtracked.
    let mut floor = 0;
    let mut r = 0;
    if rooted {
        out.push(b'/');
        r = 1;
        floor = 1;
    }
    while r < n {
        let at_sep = |i: usize| i == n || bytes[i] == b'/';
        // An empty element (`//`) or a `.` element is dropped.
        if bytes[r] == b'/' || (bytes[r] == b'.' && at_sep(r + 1)) {
            r += 1;
        } else if bytes[r] == b'.' && r + 1 < n && bytes[r + 1] == b'.' && at_sep(r + 2) {
            r += 2;
            if out.len() > floor {
                // Remove the last element (and the slash before it, if any).
                let mut w = out.len() - 1;
                while w > floor && out[w] != b'/' {
                    w -= 1;
                }
                out.truncate(w);
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                floor = out.len();
            }
        } else {
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            while r < n && bytes[r] != b'/' {
                out.push(bytes[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return ".".to_owned();
    }
    // Only whole ASCII bytes were removed or inserted, so `out` is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::clean;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn matches_go_filepath_clean_table() {
        // Expectations from Go's documented Clean rules.
        let cases = [
            ("", "."),
            ("abc", "abc"),
            ("abc/def", "abc/def"),
            ("a/b/c", "a/b/c"),
            (".", "."),
            ("..", ".."),
            ("../..", "../.."),
            ("../../abc", "../../abc"),
            ("/abc", "/abc"),
            ("/", "/"),
            ("abc/", "abc"),
            ("abc/def/", "abc/def"),
            ("a/b/c/", "a/b/c"),
            ("./", "."),
            ("../", ".."),
            ("../../", "../.."),
            ("/abc/", "/abc"),
            ("abc//def//ghi", "abc/def/ghi"),
            ("//abc", "/abc"),
            ("///abc", "/abc"),
            ("//abc//", "/abc"),
            ("abc//", "abc"),
            ("abc/./def", "abc/def"),
            ("/./abc/def", "/abc/def"),
            ("abc/.", "abc"),
            ("abc/def/ghi/../jkl", "abc/def/jkl"),
            ("abc/def/../ghi/../jkl", "abc/jkl"),
            ("abc/def/..", "abc"),
            ("abc/def/../..", "."),
            ("/abc/def/../..", "/"),
            ("abc/def/../../..", ".."),
            ("/abc/def/../../..", "/"),
            ("abc/def/../../../ghi/jkl/../../../mno", "../../mno"),
            ("/../abc", "/abc"),
            ("abc/./../def", "def"),
            ("abc//./../def", "def"),
            ("abc/../../././../def", "../../def"),
            ("!foo/", "!foo"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "clean({input:?})");
        }
    }
}
