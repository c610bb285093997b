//! Runs lessons as the page presents them: the explanation, then each build's title,
//! the prose before it, the verdict on every expectation, and the prose after it. For
//! lesson authors: `cargo run -p layerlab_lesson --example run_lesson [ID…]` (all
//! lessons without an id); exits non-zero when an expectation fails.

#![allow(clippy::disallowed_methods, reason = "an example reads its arguments")]

use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_build::runner::ShellRunner;
use layerlab_lesson::{lesson, lessons, Lesson, Services, Session};

fn main() {
    let ids: Vec<String> = std::env::args().skip(1).collect();
    let chosen: Vec<&Lesson> = if ids.is_empty() {
        lessons().iter().collect()
    } else {
        ids.iter()
            .map(|id| lesson(id).unwrap_or_else(|| panic!("no lesson `{id}`")))
            .collect()
    };
    let bases = CatalogBases::default();
    let services = Services {
        bases: &bases,
        runner: &ShellRunner,
    };
    let mut failed = 0;
    for l in chosen {
        let sc = l.parse().unwrap_or_else(|e| panic!("{e}"));
        println!("# {}\n\n{}\n", sc.title, sc.explanation);
        let mut cache = CacheStore::default();
        let mut session = Session::new(&sc);
        while let Some(spec) = session.next_build() {
            println!("## {}", spec.title.as_deref().unwrap_or("build"));
            if !spec.before.is_empty() {
                println!("{}", spec.before);
            }
            let result = session.build_next(services, &mut cache).expect("a build");
            if let Some(e) = &result.setup_error {
                println!("  ✗ the build did not start: {e}");
                failed += 1;
            }
            for o in &result.outcomes {
                println!("  {}", o.message());
                failed += usize::from(!o.passed());
            }
            if !spec.after.is_empty() {
                println!("{}", spec.after);
            }
            println!();
        }
    }
    if failed > 0 {
        eprintln!("{failed} expectation(s) failed");
        std::process::exit(1);
    }
}
