//! Tabs choosing which context file the editor shows.

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
    html! {
        <div class="tabs" role="tablist" aria-label="context files">
            { for props.paths.iter().map(|path| {
                let selected = *path == props.selected;
                let onclick = {
                    let path = path.clone();
                    props.on_select.reform(move |_| path.clone())
                };
                html! {
                    <button type="button" role="tab" class={classes!("tab", selected.then_some("selected"))}
                        aria-selected={selected.to_string()} data-path={path.clone()} {onclick}>
                        { path.clone() }
                    </button>
                }
            }) }
        </div>
    }
}
