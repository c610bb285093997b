//! `cargo bench -p layerlab_dockerignore` (or `cargo run --profile fast --example
//! ...`): matching 100,000 realistic paths against a 40-line ignore file, three ways:
//! per path on its own (BuildKit's `MatchesOrParentMatches`), the whole context walk
//! with parent results and pruning, and the browser case (paths arrive as strings:
//! build the tree, then walk).

#![allow(clippy::disallowed_methods, reason = "a benchmark reads the clock")]

#[path = "support/workload.rs"]
mod workload;

use layerlab_dockerignore::{walk, ContextEntry, ContextTree, IgnoreFile};
use std::time::Instant;

fn main() {
    let n = 100_000;
    let files = workload::paths(n);
    let matcher = IgnoreFile::parse(workload::IGNORE_FILE)
        .matcher()
        .expect("valid ignore file");
    assert_eq!(matcher.patterns().len(), 40);

    // Best of 5 runs for each measurement.
    let best = |f: &mut dyn FnMut() -> usize| {
        let mut best = f64::MAX;
        let mut last = 0;
        for _ in 0..5 {
            let t = Instant::now();
            last = f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        (best, last)
    };

    let (t, excluded) = best(&mut || {
        files
            .iter()
            .filter(|(p, _)| {
                matcher
                    .matches_or_parent_matches(p)
                    .expect("valid")
                    .excluded
            })
            .count()
    });
    println!(
        "per-path (MatchesOrParentMatches): {n} paths in {:.1} ms = {:.3} us/path ({excluded} excluded)",
        t * 1e3,
        t * 1e6 / n as f64
    );

    let listing = || files.iter().map(|(p, s)| ContextEntry::file(p.clone(), *s));
    let tree = ContextTree::new(listing());
    let (t, sent) = best(&mut || walk(&matcher, &tree).expect("walk").sent().count());
    println!(
        "walk: {} entries in {:.1} ms = {:.3} us/entry ({sent} sent)",
        tree.entries().len(),
        t * 1e3,
        t * 1e6 / tree.entries().len() as f64
    );

    let (t, sent) = best(&mut || {
        let tree = ContextTree::new(listing());
        walk(&matcher, &tree).expect("walk").sent().count()
    });
    println!(
        "strings -> tree -> walk (browser drop): {n} paths in {:.1} ms ({sent} sent)",
        t * 1e3
    );
}
