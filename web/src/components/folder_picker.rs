//! "Open folder…": loads a real project folder as the build context (paths and sizes only).

use crate::upload::{self, Loaded};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Folder picker properties.
#[derive(Properties, PartialEq)]
pub struct FolderPickerProps {
    /// Called with the loaded folder, or a message saying why it could not be read.
    pub on_loaded: Callback<Result<Loaded, String>>,
}

/// A button opening the browser's folder chooser.
#[component(FolderPicker)]
pub fn folder_picker(props: &FolderPickerProps) -> Html {
    let onchange = {
        let on_loaded = props.on_loaded.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                let on_loaded = on_loaded.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    on_loaded.emit(upload::from_file_list(files).await);
                });
            }
        })
    };
    html! {
        <label class="button" title="check your own project: only file names and sizes are read, nothing leaves the browser">
            { "Open folder…" }
            <input id="folder-input" type="file" class="visually-hidden" webkitdirectory=true multiple=true {onchange} />
        </label>
    }
}

impl PartialEq for Loaded {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}
