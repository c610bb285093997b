//! The layerlab playground, a Yew app over the layerlab core.
//!
//! Layering: [`engine`] is the only module that calls the core crates; it turns their
//! results into plain view models (line numbers and UTF-16 columns computed here, in
//! the host, never in the core). Components under [`components`] only render view
//! models and report user events.

pub mod components;
pub mod engine;
pub mod highlight;
pub mod share;
pub mod storage;
pub mod upload;
pub mod workspace;

pub use components::app::App;

/// The engine version shown on the page, so embeds and bug reports can name it.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
