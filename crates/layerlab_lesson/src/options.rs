//! A build's ```` ```options ```` block: `docker build` flags, one a line, as the engine's
//! `BuildOptions`, plus `--prune` (`docker builder prune` before the build).

use layerlab_build::engine::BuildOptions;

/// The fixed SOURCE_DATE_EPOCH of lesson and scenario builds, so digests are
/// reproducible.
pub const EPOCH: i64 = 1_700_000_000;

/// What an options block asks for.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// The engine's options (epoch [`EPOCH`]).
    pub options: BuildOptions,
    /// Empty the build cache first.
    pub prune: bool,
}

/// Parses `(line, flag)` pairs; an unknown flag or a missing value is an error naming
/// the line.
pub fn flags(lines: &[(u32, String)]) -> Result<Flags, String> {
    let mut f = Flags {
        options: BuildOptions {
            epoch: EPOCH,
            ..BuildOptions::default()
        },
        prune: false,
    };
    for (line, opt) in lines {
        let (flag, value) = match opt.split_once(' ') {
            Some((f, v)) => (f, Some(v.trim())),
            None => (opt.as_str(), None),
        };
        let value = |needed: bool| -> Result<&str, String> {
            match value {
                Some(v) if needed && !v.is_empty() => Ok(v),
                None if !needed => Ok(""),
                Some(_) if !needed => Err(format!("line {line}: {flag} takes no value")),
                _ => Err(format!("line {line}: {flag} needs a value")),
            }
        };
        let kv = |v: &str| {
            let (k, val) = v.split_once('=').unwrap_or((v, ""));
            (k.to_string(), val.to_string())
        };
        let o = &mut f.options;
        match flag {
            "--build-arg" => o.build_args.push(kv(value(true)?)),
            "--label" => o.labels.push(kv(value(true)?)),
            "--target" => o.target = Some(value(true)?.to_string()),
            "--no-cache" => {
                value(false)?;
                o.no_cache = true;
            }
            "--no-cache-filter" => o
                .no_cache_filter
                .extend(value(true)?.split(',').map(|s| s.trim().to_string())),
            "--platform" => {
                let v = value(true)?;
                o.platform = Some(
                    layerlab_build::platform::parse(v)
                        .map_err(|e| format!("line {line}: --platform {v}: {e}"))?,
                );
            }
            "--prune" => {
                value(false)?;
                f.prune = true;
            }
            _ => return Err(format!("line {line}: unknown option `{opt}`")),
        }
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn flags_parse_and_typos_fail() {
        let f = flags(&[
            (3, "--build-arg A=1".into()),
            (4, "--target build".into()),
            (5, "--prune".into()),
        ])
        .unwrap();
        assert_eq!(f.options.build_args, [("A".to_string(), "1".to_string())]);
        assert_eq!(f.options.target.as_deref(), Some("build"));
        assert!(f.prune && !f.options.no_cache);
        assert_eq!(
            flags(&[(7, "--no-cahce".into())]).unwrap_err(),
            "line 7: unknown option `--no-cahce`"
        );
        assert_eq!(
            flags(&[(2, "--target".into())]).unwrap_err(),
            "line 2: --target needs a value"
        );
    }
}
