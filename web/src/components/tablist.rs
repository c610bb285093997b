//! The keyboard of the WAI-ARIA tabs pattern for a tab list: only the selected tab is
//! in the Tab order (the others have `tabindex="-1"`), and the arrow keys, Home and End
//! move the selection along the list, taking the focus with it.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

/// The `tabindex` of a tab: 0 for the one Tab reaches (the selected one), -1 for the
/// rest.
pub fn tab_index(reachable: bool) -> &'static str {
    if reachable {
        "0"
    } else {
        "-1"
    }
}

/// A `keydown` handler for a tab list of `count` tabs (its `[role=tab]` elements, in
/// order) of which `selected` is chosen: a key of the pattern chooses another through
/// `select` and focuses it.
pub fn on_keydown(
    count: usize,
    selected: Option<usize>,
    select: Callback<usize>,
) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        let Some(to) = moved(&e.key(), selected, count) else {
            return;
        };
        e.prevent_default();
        select.emit(to);
        // From the tab the key was pressed on: Yew delegates events, so the current
        // target is the app's root, not this list.
        let tab = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[role=tablist]").ok().flatten())
            .and_then(|list| list.query_selector_all("[role=tab]").ok())
            .and_then(|tabs| tabs.get(to as u32))
            .and_then(|tab| tab.dyn_into::<HtmlElement>().ok());
        if let Some(tab) = tab {
            let _ = tab.focus();
        }
    })
}

/// A `keydown` handler for a vertical list whose buttons share one Tab stop (the file
/// tree): ArrowDown, ArrowUp, Home and End move the focus among the list's buttons;
/// Enter or Space then press the focused one, as for any button.
pub fn on_list_keydown() -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        let key = match e.key().as_str() {
            "ArrowDown" => "ArrowRight",
            "ArrowUp" => "ArrowLeft",
            "Home" => "Home",
            "End" => "End",
            _ => return,
        };
        let Some(focused) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Some(buttons) = focused
            .closest("[data-roving]")
            .ok()
            .flatten()
            .and_then(|list| list.query_selector_all("button").ok())
        else {
            return;
        };
        let count = buttons.length() as usize;
        let at = (0..count).find(|&i| {
            buttons
                .get(i as u32)
                .is_some_and(|b| b.is_same_node(Some(&focused)))
        });
        let Some(to) = moved(key, at, count) else {
            return;
        };
        e.prevent_default();
        if let Some(b) = buttons
            .get(to as u32)
            .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        {
            let _ = b.focus();
        }
    })
}

/// Where `key` moves the selection: the next or previous tab (wrapping), the first or
/// the last; `None` for any other key.
fn moved(key: &str, selected: Option<usize>, count: usize) -> Option<usize> {
    let last = count.checked_sub(1)?;
    let at = selected.unwrap_or(0).min(last);
    match key {
        "ArrowRight" => Some(if at == last { 0 } else { at + 1 }),
        "ArrowLeft" => Some(if at == 0 { last } else { at - 1 }),
        "Home" => Some(0),
        "End" => Some(last),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::moved;

    #[test]
    fn keys_move_along_the_list_and_wrap() {
        assert_eq!(moved("ArrowRight", Some(0), 3), Some(1));
        assert_eq!(moved("ArrowRight", Some(2), 3), Some(0));
        assert_eq!(moved("ArrowLeft", Some(0), 3), Some(2));
        assert_eq!(moved("ArrowLeft", None, 3), Some(2));
        assert_eq!(
            (moved("Home", Some(2), 3), moved("End", Some(0), 3)),
            (Some(0), Some(2))
        );
        assert_eq!(moved("Enter", Some(1), 3), None);
        assert_eq!(moved("ArrowRight", None, 0), None);
    }
}
