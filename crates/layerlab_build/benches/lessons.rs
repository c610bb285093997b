//! Lesson timing: every lesson's builds in order (as the page steps through them),
//! with each RUN's simulation timed on its own. Issue #7 asks for under 10 ms a RUN
//! natively; this prints each lesson's RUNs (median over runs) and the slowest.
//!
//! `cargo bench -p layerlab_build --bench lessons --profile fast` (`BENCH_RUNS=n`,
//! default 5).

#![allow(clippy::disallowed_methods, reason = "a benchmark reads the clock")]

use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_build::engine::{RunOutcome, RunRequest, RunSimulator};
use layerlab_build::runner::ShellRunner;
use layerlab_lesson::{lessons, Services, Session};
use layerlab_vfs::Fs;
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// The shell simulator, timing each call.
#[derive(Default)]
struct Timed {
    runs: RefCell<Vec<(String, Duration)>>,
}

impl RunSimulator for Timed {
    fn run(&self, fs: &mut Fs, req: &RunRequest) -> RunOutcome {
        let t = Instant::now();
        let out = ShellRunner.run(fs, req);
        let d = t.elapsed();
        let cmd = req.argv.last().cloned().unwrap_or_default();
        self.runs.borrow_mut().push((cmd, d));
        out
    }
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let mut slowest = (Duration::ZERO, String::new());
    let mut all = Vec::new();
    for lesson in lessons() {
        let sc = lesson.parse().expect("lessons parse");
        // Per RUN (in execution order): the durations over all runs.
        let mut per_run: Vec<(String, Vec<Duration>)> = Vec::new();
        let mut builds = Vec::new();
        for _ in 0..runs {
            let timed = Timed::default();
            let bases = CatalogBases::default();
            let services = Services {
                bases: &bases,
                runner: &timed,
            };
            let mut cache = CacheStore::default();
            let mut session = Session::new(&sc);
            let t = Instant::now();
            while let Some(r) = session.build_next(services, &mut cache) {
                assert!(r.passed(), "{}: {:?}", lesson.id, r.outcomes);
            }
            builds.push(t.elapsed());
            for (i, (cmd, d)) in timed.runs.into_inner().into_iter().enumerate() {
                if per_run.len() <= i {
                    per_run.push((cmd, Vec::new()));
                }
                per_run[i].1.push(d);
            }
        }
        builds.sort();
        println!(
            "{}: {} builds in {:.1?} (median, base images included)",
            lesson.id,
            sc.builds.len(),
            builds[builds.len() / 2]
        );
        for (cmd, mut ds) in per_run {
            ds.sort();
            let m = ds[ds.len() / 2];
            let short: String = cmd.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = short.chars().take(70).collect();
            println!("    RUN {m:>9.2?}  {short}");
            if m > slowest.0 {
                slowest = (m, format!("{}: {short}", lesson.id));
            }
            all.push(m);
        }
    }
    all.sort();
    println!(
        "{} RUNs executed: median {:.2?}, slowest {:.2?} ({})",
        all.len(),
        all[all.len() / 2],
        slowest.0,
        slowest.1
    );
}
