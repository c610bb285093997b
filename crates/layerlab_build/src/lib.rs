//! The layerlab build engine: what `docker build` (BuildKit) does, step by step, on the
//! in-memory filesystem, with a cache that says why every step was or was not reused.
//!
//! Layering: [`cache`] holds cache keys, the inputs they were computed from, the store
//! that persists between builds, and the explanations of misses. It knows nothing about
//! Dockerfiles: the engine turns each op (FROM, RUN, COPY, ADD, WORKDIR) into
//! [`cache::KeyInputs`] and asks the store.
#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

pub mod bases;
pub mod cache;
pub mod checksum;
pub mod command;
pub mod engine;
pub mod platform;
pub mod progress;
pub mod report;
pub mod runner;
pub mod suggest;
pub mod whatif;
