//! Test helpers shared by layerlab's crates; a dev-dependency only, never shipped.
//!
//! The shared corpora (`../shared` beside the repository) are read in place, never
//! copied into the repo. A user's clone has no `../shared`, so every test that needs it
//! asks [`shared_dir`], which prints a skip notice and returns `None` when it is absent.

#![allow(
    clippy::disallowed_methods,
    reason = "test helper, reads the environment"
)]

use std::path::PathBuf;

/// The environment variable that points at the shared corpora.
pub const SHARED_ENV: &str = "LAYERLAB_SHARED";

/// The shared corpora folder: `$LAYERLAB_SHARED`, else `../shared` beside the repository.
///
/// Returns `None` (after printing why) when the folder does not exist. When CI is set
/// (`CI=true`), a missing folder is a failure instead: CI always has it, so a silent
/// skip there would hide a broken path.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os(SHARED_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: shared corpora not found at {} (set {SHARED_ENV})",
        dir.display()
    );
    eprintln!(
        "{test}: skipped, shared corpora not found at {} (set {SHARED_ENV})",
        dir.display()
    );
    None
}

#[cfg(feature = "scenario")]
pub mod scenario;
