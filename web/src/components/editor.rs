//! The Dockerfile editor: a plain textarea reporting every edit.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Editor properties.
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The current text.
    pub value: String,
    /// Called with the new text on every input event.
    pub on_change: Callback<String>,
}

/// A monospace text editor for the Dockerfile.
#[component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let oninput = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(area.value());
        })
    };
    html! {
        <textarea id="dockerfile" class="editor" spellcheck="false" autocomplete="off"
            value={props.value.clone()} {oninput} />
    }
}
