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
pub mod prose;
pub mod share_bar;
pub mod tablist;

/// Asks the user to confirm a change that cannot be undone (the browser's own dialog, so
/// it is keyboard accessible and announced); no window, or a refusal, is a no.
pub fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(message).ok())
        .unwrap_or(false)
}
