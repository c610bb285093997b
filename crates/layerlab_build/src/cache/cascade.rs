//! The cascade: which executed step made each later step miss.
//!
//! A step whose own inputs are unchanged still misses when the state it runs on is new
//! ([`MissReason::ParentRebuilt`]). Its key's `parent` is the key of the state it ran on,
//! so following parent keys back through the build's executed steps finds the step that
//! started the chain: the one edit that cost every rebuild after it.

use super::{CacheKey, CacheStore, MissReason};
use crate::report::{BuildReport, StepStatus};

/// For each step of `report`, the index of the executed step whose new result it ran on,
/// when that is why it executed (a cascade); `None` for cached steps and for steps that
/// missed for reasons of their own.
///
/// `cache` must be the store the build used (executed steps are recorded in it with the
/// inputs their key was computed from).
pub fn causes(report: &BuildReport, cache: &CacheStore) -> Vec<Option<usize>> {
    report
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let cascaded = matches!(
                &step.status,
                StepStatus::Executed(MissReason::ParentRebuilt { .. })
            );
            if !cascaded {
                return None;
            }
            parent_step(report, cache, i)
        })
        .collect()
}

/// The executed step whose result step `i` ran on: found through the parent key its
/// key was computed from.
pub fn parent_step(report: &BuildReport, cache: &CacheStore, i: usize) -> Option<usize> {
    let step = report.steps.get(i)?;
    // A step after `COPY --link` runs on a merged state whose key is no step's own:
    // then the cause is the stage's previous executed step, as the engine names it.
    cache
        .get(&step.key)
        .and_then(|e| e.inputs.parent)
        .and_then(|parent| executed_step_with_key(report, i, parent))
        .or_else(|| {
            report.steps[..i]
                .iter()
                .rposition(|s| s.stage_index == step.stage_index && !s.is_cached())
        })
}

/// The step that started the chain `causes` leads back along: the first step without a
/// cause of its own. `start` itself when it has none.
pub fn root_cause(causes: &[Option<usize>], start: usize) -> usize {
    let mut at = start;
    // Causes always point at an earlier step, so this ends; the bound guards bad input.
    for _ in 0..causes.len() {
        match causes.get(at).copied().flatten() {
            Some(earlier) if earlier < at => at = earlier,
            _ => break,
        }
    }
    at
}

/// The last step before `before` that executed and produced `key`.
fn executed_step_with_key(report: &BuildReport, before: usize, key: CacheKey) -> Option<usize> {
    report.steps[..before]
        .iter()
        .rposition(|s| s.key == key && !s.is_cached())
}
