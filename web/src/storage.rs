//! Autosave: the workspace and options kept in `localStorage`, in the share-link format.
//!
//! The stored value is the same `v1:…` text a share link carries, so one codec (with its
//! limits and validation) reads both, and a saved session that no longer decodes is
//! reported like a broken link instead of half-restoring.

use crate::share::PageState;

/// The `localStorage` key.
pub const KEY: &str = "layerlab.session";

fn storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .ok_or("no window")?
        .local_storage()
        .map_err(|_| "this browser blocks storage for the page".to_string())?
        .ok_or_else(|| "this browser has no local storage".to_string())
}

/// The saved session, if there is one: `Some(Err)` when it cannot be read back.
pub fn load() -> Option<Result<PageState, String>> {
    let text = storage().ok()?.get_item(KEY).ok()??;
    Some(PageState::decode(&text).map_err(|e| format!("the saved session: {e}")))
}

/// Saves the session; the error says why it could not be (too big for a link, storage
/// full or blocked), so the page can tell the user their work is not kept.
pub fn save(state: &PageState) -> Result<(), String> {
    let text = state.encode()?;
    storage()?.set_item(KEY, &text).map_err(|e| {
        let name = js_sys::Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        if name == "QuotaExceededError" {
            "the browser's storage for this page is full".to_string()
        } else {
            format!("the browser refused to store it ({name})")
        }
    })
}

/// Forgets the saved session.
pub fn clear() {
    if let Ok(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}
