//! The build cache: keys, their inputs, the store, and why a step missed.
//!
//! BuildKit keys an op by a digest of its definition and, per input, either the input's
//! own key (the previous state of the stage) or a content checksum of the selected
//! files (COPY/ADD sources). layerlab computes its keys the same way, from a
//! [`KeyInputs`] that keeps every component in readable form, so that a miss can be
//! explained by comparing the inputs with those of the same step in the previous build
//! (see `docs/semantics.md` §1 in the shared docs, and [`explain`]).

mod cascade;
mod explain;
mod inputs;
mod persist;
mod store;

pub use cascade::{causes, parent_step, root_cause};
pub use explain::{explain_miss, FileChanges, InputChange, MissReason};
pub use inputs::{
    link_merge_key, CacheKey, Field, KeyInputs, SourceFile, SourceSet, BUILD_CONTEXT,
};
pub use persist::{image_from_bytes, image_to_bytes, PersistError};
pub use store::{CacheEntry, CacheStore, StepRecord};
