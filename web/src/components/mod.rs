//! The playground's components, one per file.

pub mod app;
pub mod diagnostics;
pub mod editor;
pub mod instructions;
