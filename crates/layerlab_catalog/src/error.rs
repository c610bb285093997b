//! [`CatalogError`]: why a `FROM` reference did not resolve, worded like BuildKit's
//! "load metadata" failures, with "did you mean" suggestions from the catalog.
//!
//! BuildKit's messages (as printed by `docker build`) are, for a reference `r`
//! normalised to `docker.io/library/r:tag`:
//!
//! * unknown repository: the registry answers 401 and containerd's resolver reports
//!   `pull access denied, repository does not exist or may require authorization:
//!   server message: insufficient_scope: authorization failed`;
//! * unknown tag: `docker.io/library/r:tag: not found`;
//! * no image for the requested platform: `no match for platform in manifest <digest>:
//!   not found`;
//!
//! each prefixed with `failed to resolve source metadata for <normalised ref>: `.

use std::fmt;

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not an image reference (distribution/reference's message).
    InvalidReference(String),
    /// No repository of that name in the catalog (a registry would say "pull access
    /// denied").
    RepositoryNotFound,
    /// The repository exists but has no such tag.
    TagNotFound,
    /// No image in the catalog has that digest.
    DigestNotFound,
    /// The image is not published for the requested platform.
    PlatformNotFound {
        /// The requested platform, e.g. `linux/s390x`.
        platform: String,
        /// The platforms the image has.
        available: Vec<String>,
    },
    /// The built-in digest table lacks a layer: the data changed without running the
    /// generator (a bug in layerlab, never in user input).
    StaleDigestTable {
        /// The layer's key.
        layer: String,
    },
}

/// A failed lookup. The location is the reference text itself ([`CatalogError::input`]);
/// the build engine maps it to the span of the `FROM` argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The reference as written.
    pub input: String,
    /// The normalised reference (`docker.io/library/node:20`), when it parsed.
    pub normalized: Option<String>,
    /// Close matches from the catalog in familiar form (`node:20`), best first.
    pub suggestions: Vec<String>,
}

impl CatalogError {
    /// `did you mean node:20?`, or `None` without suggestions.
    pub fn help(&self) -> Option<String> {
        match self.suggestions.as_slice() {
            [] => None,
            [one] => Some(format!("did you mean {one}?")),
            [first, rest @ ..] => {
                Some(format!("did you mean {first}? (also: {})", rest.join(", ")))
            }
        }
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.normalized.as_deref().unwrap_or(&self.input);
        match &self.kind {
            ErrorKind::InvalidReference(msg) => f.write_str(msg),
            ErrorKind::RepositoryNotFound => write!(
                f,
                "failed to resolve source metadata for {name}: pull access denied, repository \
                 does not exist or may require authorization: server message: \
                 insufficient_scope: authorization failed"
            ),
            ErrorKind::TagNotFound | ErrorKind::DigestNotFound => write!(
                f,
                "failed to resolve source metadata for {name}: {name}: not found"
            ),
            ErrorKind::PlatformNotFound { platform, .. } => write!(
                f,
                "failed to resolve source metadata for {name}: no match for platform {platform} \
                 in manifest: not found"
            ),
            ErrorKind::StaleDigestTable { layer } => write!(
                f,
                "internal error: layer {layer} of {name} has no recorded digest (run the \
                 gen_catalog example)"
            ),
        }
    }
}

impl std::error::Error for CatalogError {}

/// Levenshtein distance over bytes, capped: `None` when above `max` (names are short,
/// so the O(n·m) table is cheap; the cap keeps long garbage input from costing more).
pub(crate) fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > max || a.len() > 256 || b.len() > 256 {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// The candidates within a distance budget of `target` (a third of its length, at
/// least 1, at most 3), closest first; at most `limit`.
///
/// Ties go to the longer common prefix, then alphabetical order, or with
/// `newest_first` reverse order: for tags, `golang:1.24` should suggest `1.23` before
/// `1.20`.
pub(crate) fn closest<'a>(
    target: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
    newest_first: bool,
) -> Vec<&'a str> {
    let max = (target.len() / 3).clamp(1, 3);
    let prefix = |c: &str| {
        target
            .bytes()
            .zip(c.bytes())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let mut scored: Vec<(usize, std::cmp::Reverse<usize>, &str)> = candidates
        .into_iter()
        .filter_map(|c| edit_distance(target, c, max).map(|d| (d, std::cmp::Reverse(prefix(c)), c)))
        .collect();
    scored.sort_by(|a, b| {
        let order = (a.0, a.1).cmp(&(b.0, b.1));
        order.then_with(|| {
            if newest_first {
                b.2.cmp(a.2)
            } else {
                a.2.cmp(b.2)
            }
        })
    });
    scored.dedup();
    scored.into_iter().take(limit).map(|(.., c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("nodee", "node", 2), Some(1));
        assert_eq!(edit_distance("ubunut", "ubuntu", 2), Some(2));
        assert_eq!(edit_distance("python", "golang", 2), None);
        assert_eq!(
            closest("pyhton", ["python", "nginx", "rust"], 3, false),
            vec!["python"]
        );
        assert_eq!(
            closest("1.24", ["1.20", "1.23", "1.22"], 2, true),
            vec!["1.23", "1.22"]
        );
    }
}
