//! Which paths a shared context may hold: relative, inside the context, no NULs.

/// Checks a context path from a link; the error says what is wrong with it.
///
/// Paths are `/`-separated and relative to the context root, as `docker build` sends
/// them: no leading `/`, no empty, `.` or `..` components (a link must not write outside
/// the folder `layerlab unshare` is given), no NUL (no filesystem accepts it).
pub fn check_path(path: &str, max_len: usize) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty path".into());
    }
    if path.len() > max_len {
        return Err(format!("path longer than {max_len} bytes"));
    }
    if path.contains('\0') {
        return Err("path contains a NUL byte".into());
    }
    if path.starts_with('/') {
        return Err("absolute path (paths are relative to the context root)".into());
    }
    for part in path.split('/') {
        match part {
            "" => return Err("empty path component (`//` or a trailing `/`)".into()),
            "." | ".." => return Err(format!("`{part}` component: paths may not climb")),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn accepts_context_paths_and_rejects_escapes() {
        for ok in [
            "Dockerfile",
            "src/a b.js",
            ".dockerignore",
            "a/..b/c.",
            "日本/ファイル",
        ] {
            assert_eq!(check_path(ok, 4096), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "a//b",
            "a/",
            "a\0b",
        ] {
            assert!(check_path(bad, 4096).is_err(), "{bad:?}");
        }
        assert!(check_path("abcd", 3).is_err());
    }
}
