//! Which ignore file a build uses.
//!
//! BuildKit first looks for `<Dockerfile path>.dockerignore` (for example
//! `docker/app.Dockerfile.dockerignore` beside `docker/app.Dockerfile`); only when it
//! does not exist does it read `.dockerignore` at the context root. The two are
//! never merged.

/// The ignore file a build uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IgnoreFileChoice {
    /// `<Dockerfile path>.dockerignore`, which takes precedence.
    DockerfileSpecific(String),
    /// `.dockerignore` at the context root.
    ContextRoot(String),
    /// No ignore file: everything is sent.
    None,
}

impl IgnoreFileChoice {
    /// The chosen file's path, if any.
    pub fn path(&self) -> Option<&str> {
        match self {
            IgnoreFileChoice::DockerfileSpecific(p) | IgnoreFileChoice::ContextRoot(p) => Some(p),
            IgnoreFileChoice::None => None,
        }
    }
}

/// Chooses the ignore file. `dockerfile` is the Dockerfile's path as given to the
/// build (`-f`), `context` the context directory; paths are joined with `/` and
/// checked with `exists` (the host's lookup: a real filesystem, a dropped folder).
pub fn select_ignore_file(
    dockerfile: Option<&str>,
    context: &str,
    exists: &dyn Fn(&str) -> bool,
) -> IgnoreFileChoice {
    if let Some(dockerfile) = dockerfile {
        let specific = format!("{dockerfile}.dockerignore");
        if exists(&specific) {
            return IgnoreFileChoice::DockerfileSpecific(specific);
        }
    }
    let root = if context.is_empty() || context == "." {
        ".dockerignore".to_owned()
    } else {
        format!("{}/.dockerignore", context.trim_end_matches('/'))
    };
    if exists(&root) {
        return IgnoreFileChoice::ContextRoot(root);
    }
    IgnoreFileChoice::None
}

#[cfg(test)]
mod tests {
    use super::{select_ignore_file, IgnoreFileChoice};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn dockerfile_specific_wins_and_is_not_merged() {
        let files = ["ctx/.dockerignore", "ctx/build/app.Dockerfile.dockerignore"];
        let exists = |p: &str| files.contains(&p);
        assert_eq!(
            select_ignore_file(Some("ctx/build/app.Dockerfile"), "ctx", &exists),
            IgnoreFileChoice::DockerfileSpecific("ctx/build/app.Dockerfile.dockerignore".into())
        );
        assert_eq!(
            select_ignore_file(Some("ctx/Dockerfile"), "ctx/", &exists),
            IgnoreFileChoice::ContextRoot("ctx/.dockerignore".into())
        );
        assert_eq!(
            select_ignore_file(None, "other", &exists),
            IgnoreFileChoice::None
        );
    }
}
