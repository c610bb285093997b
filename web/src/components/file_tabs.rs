//! Tabs choosing which context file the editor shows.

use super::tablist::{on_keydown, tab_index};
use yew::prelude::*;

/// File tab properties.
#[derive(Properties, PartialEq)]
pub struct FileTabsProps {
    /// Editable files, in the order shown.
    pub paths: Vec<AttrValue>,
    /// The open file.
    pub selected: AttrValue,
    /// Called with the path the user chose.
    pub on_select: Callback<AttrValue>,
}

/// A tab list of editable files.
#[component(FileTabs)]
pub fn file_tabs(props: &FileTabsProps) -> Html {
    let selected = props.paths.iter().position(|p| *p == props.selected);
    // With no file of the list open, the first tab is the one Tab reaches.
    let reachable = selected.unwrap_or(0);
    let onkeydown = {
        let (paths, on_select) = (props.paths.clone(), props.on_select.clone());
        on_keydown(
            paths.len(),
            selected,
            Callback::from(move |i: usize| on_select.emit(paths[i].clone())),
        )
    };
    html! {
        <div class="tabs" role="tablist" aria-label="open files" {onkeydown}>
            { for props.paths.iter().enumerate().map(|(i, path)| {
                let selected = *path == props.selected;
                let onclick = {
                    let path = path.clone();
                    props.on_select.reform(move |_| path.clone())
                };
                html! {
                    <button type="button" role="tab" class={classes!("tab", selected.then_some("selected"))}
                        aria-selected={selected.to_string()} tabindex={tab_index(i == reachable)}
                        data-path={path.clone()} {onclick}>
                        { path.clone() }
                    </button>
                }
            }) }
        </div>
    }
}
