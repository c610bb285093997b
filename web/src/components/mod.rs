//! The playground's components, one per file.

pub mod app;
pub mod build_panel;
pub mod cache_panel;
pub mod context_panel;
pub mod diagnostics;
pub mod editor;
pub mod file_tabs;
pub mod file_tree;
pub mod folder_picker;
pub mod instructions;
pub mod layers_panel;
pub mod lessons_panel;
pub mod numbers;
pub mod share_bar;
pub mod tablist;
