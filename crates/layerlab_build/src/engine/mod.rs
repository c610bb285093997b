//! The engine: a Dockerfile, a build context and options in; a [`BuildReport`] and an
//! [`Image`] out, with the cache consulted and updated step by step.
//!
//! Host services are injected, never reached for: base images come from a
//! [`BaseImages`] (the catalog in the hosts, fakes in tests), RUN steps are simulated by
//! a [`RunSimulator`] (the shell crate), and time is the `epoch` option. The engine
//! itself does no IO.
//!
//! The algorithm is BuildKit's (semantics.md §1.20): plan the stages, keep only those
//! the target needs, and for each op compute its cache key from its inputs; a key the
//! store knows replays the stored layer, any other executes the op on a snapshot of the
//! stage's filesystem and records the layer. Metadata instructions only edit the stage's
//! config and variables.

mod copy;
mod glob;
mod meta;
mod run;
mod scope;
mod stage;
mod users;

#[cfg(test)]
mod tests;

pub use run::{NoopRunner, RunOutcome, RunRequest, RunSimulator};

use crate::cache::{CacheStore, StepRecord};
use crate::command::{plan, Plan};
use crate::platform::Platform;
use crate::report::{BuildError, BuildReport, ImageReport, StageReport};
use layerlab_image::{Image, ImageConfig, Layer};
use layerlab_vfs::{Digest, Fs};
use stage::{Builder, StageState};

/// A base image as a host provides it.
#[derive(Clone, Debug)]
pub struct BaseImage {
    /// The normalized reference (`docker.io/library/node:20-alpine`).
    pub reference: String,
    /// The manifest digest the reference resolved to (pinned in progress output).
    pub digest: Digest,
    /// The image config (env, cmd, history, diff_ids…).
    pub config: ImageConfig,
    /// The layers, bottom first.
    pub layers: Vec<Layer>,
    /// The merged filesystem of all layers.
    pub fs: Fs,
}

/// Where base images come from.
pub trait BaseImages {
    /// Resolves `reference` (as written after expansion) for `platform`.
    ///
    /// # Errors
    /// A message as BuildKit would print it (`docker.io/library/nodee:20: not found`),
    /// with suggestions when the host has them.
    fn resolve(&self, reference: &str, platform: &Platform) -> Result<BaseImage, String>;
}

/// Build options, as `docker build` flags give them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// `--build-arg K=V`, in order.
    pub build_args: Vec<(String, String)>,
    /// `--target`.
    pub target: Option<String>,
    /// `--no-cache`.
    pub no_cache: bool,
    /// `--no-cache-filter` stage names.
    pub no_cache_filter: Vec<String>,
    /// `--platform` (default: the builder's, linux/amd64).
    pub platform: Option<Platform>,
    /// SOURCE_DATE_EPOCH: the time stamped on new history entries, files and layers.
    pub epoch: i64,
    /// `--label K=V` added to the final image.
    pub labels: Vec<(String, String)>,
}

/// Everything a build reads.
pub struct BuildRequest<'a> {
    /// The Dockerfile's text.
    pub dockerfile: &'a str,
    /// Where the Dockerfile is in the build context (`Dockerfile`, `docker/app.Dockerfile`),
    /// when its path is inside the context; `None` when it is not (`-f ../Dockerfile`,
    /// stdin). `context` holds it unless the ignore file excludes it. The build does not
    /// read it; what-if does: editing a line of the Dockerfile edits that file too.
    pub dockerfile_path: Option<&'a str>,
    /// The build context as the builder receives it (already filtered by the ignore file).
    pub context: &'a Fs,
    /// Says why a context path is absent, when the ignore file excluded it, so a failing
    /// COPY can name the rule (`excluded by .dockerignore: node_modules (line 2)`).
    pub excluded: &'a dyn Fn(&str) -> Option<String>,
    /// Options.
    pub options: &'a BuildOptions,
    /// Base images.
    pub bases: &'a dyn BaseImages,
    /// The RUN simulator.
    pub runner: &'a dyn RunSimulator,
}

/// What a build produced.
#[derive(Clone, Debug, Default)]
pub struct BuildOutput {
    /// Every step, stage and decision.
    pub report: BuildReport,
    /// The image of the target stage, when the build succeeded.
    pub image: Option<Image>,
    /// The target stage's final filesystem, when the build succeeded.
    pub fs: Option<Fs>,
}

/// Builds, using and updating `cache`.
pub fn build(req: &BuildRequest<'_>, cache: &mut CacheStore) -> BuildOutput {
    let mut out = BuildOutput::default();
    let parsed = layerlab_dockerfile::parse(req.dockerfile);
    if let Some(err) = &parsed.buildkit_error {
        out.report.error = Some(BuildError {
            message: err.to_message_with_line(),
            source: Some(err.range),
        });
        return out;
    }
    let (plan, err) = plan(&parsed.dockerfile);
    if let Some(err) = err {
        out.report.error = Some(BuildError {
            message: err.to_message_with_line(),
            source: Some(err.range),
        });
        return out;
    }
    out.report.unused_build_args = plan
        .unused_build_args(&req.options.build_args)
        .into_iter()
        .map(str::to_string)
        .collect();
    if let Err(e) = check_structure(req.dockerfile, &plan) {
        out.report.error = Some(e);
        return out;
    }
    let mut builder = match Builder::new(req, &plan, parsed.dockerfile.escape, cache) {
        Ok(b) => b,
        Err(e) => {
            out.report.error = Some(e);
            return out;
        }
    };
    if let Err(e) = builder.check_references() {
        out.report.error = Some(e);
        return out;
    }
    if let Err(e) = builder.check_image_names() {
        out.report.error = Some(e);
        return out;
    }
    let target = builder.target;
    let needed = builder.reachable(target);
    if let Err(e) = builder.check_forward_reads(&needed) {
        out.report.error = Some(e);
        return out;
    }
    if let Err(e) = builder.resolve_images(&needed) {
        out.report.error = Some(e);
        return out;
    }
    out.report.stages = plan
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| StageReport {
            name: s.name.clone(),
            base: s.base.clone(),
            built: needed[i],
        })
        .collect();
    let mut results: Vec<Option<StageState>> = vec![None; plan.stages.len()];
    for index in 0..plan.stages.len() {
        if !needed[index] {
            continue;
        }
        match builder.build_stage(index, &results) {
            Ok(result) => results[index] = Some(result),
            Err(e) => {
                out.report.error = Some(e);
                break;
            }
        }
    }
    let steps = std::mem::take(&mut builder.steps);
    let records: Vec<StepRecord> = std::mem::take(&mut builder.records);
    drop(builder);
    out.report.steps = steps;
    if out.report.error.is_none() {
        if let Some(result) = results[target].take() {
            let mut config = result.config.clone();
            for (k, v) in &req.options.labels {
                config.config.labels.insert(k.clone(), v.clone());
            }
            // The base image's `created` was dropped when the stage began; BuildKit's
            // exporter gives a config without one the time of its last history entry
            // (exporter/containerimage/writer.go `patchImageConfig`).
            if config.created.is_none() {
                config.created = config.history.iter().rev().find_map(|h| h.created.clone());
            }
            let image = Image::new(config, result.layers.clone());
            out.report.image = Some(ImageReport {
                id: image.id(),
                size: result.layers.iter().map(Layer::tar_size).sum(),
                new_layers: result.new_layers,
                base_history: u32::try_from(result.base_history).unwrap_or(u32::MAX),
            });
            out.image = Some(image);
            out.fs = Some(result.fs);
        }
    }
    // Remember this build's steps, even a failed build's, so the next build can say
    // what changed since. Steps it did not run keep the record of the last build that
    // ran them: those of stages the target does not need, and, when it failed, every
    // step it never reached.
    let failed = out.report.error.is_some();
    cache.record_build(records, |old| {
        failed || stage::stage_of(&old.id).is_some_and(|i| needed.get(i) == Some(&false))
    });
    out
}

/// BuildKit's whole-file checks that come before any step: stages exist.
fn check_structure(text: &str, plan: &Plan) -> Result<(), BuildError> {
    if plan.stages.is_empty() {
        let message = if text.trim().is_empty() {
            "the Dockerfile cannot be empty"
        } else if plan.meta_args.is_empty() {
            "file with no instructions"
        } else {
            "dockerfile contains no stages to build"
        };
        return Err(BuildError {
            message: message.into(),
            source: None,
        });
    }
    Ok(())
}
