//! "Share", "Embed" and "Reset": the link to this exact page state, the `<iframe>`
//! snippet embedding it, and the way back to the starter project.

use crate::share::{self, PageState};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Share bar properties.
#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    /// The page's current state (asked for on click: encoding a big context is not free).
    pub state: Callback<(), PageState>,
    /// Back to the starter project.
    pub on_reset: Callback<()>,
}

#[derive(Clone, PartialEq)]
struct Shown {
    label: &'static str,
    text: String,
    status: String,
}

/// Header buttons and, after a click, the text to copy.
#[component(ShareBar)]
pub fn share_bar(props: &ShareBarProps) -> Html {
    let shown = use_state(|| None::<Shown>);
    let make = |embed: bool| {
        let (shown, state) = (shown.clone(), props.state.clone());
        Callback::from(move |_: MouseEvent| {
            let link = match state.emit(()).encode() {
                Ok(link) => link,
                Err(message) => {
                    shown.set(Some(Shown {
                        label: "Cannot share",
                        text: String::new(),
                        status: message,
                    }));
                    return;
                }
            };
            let (base, _, _) = share::location();
            let (label, text) = if embed {
                let url = share::page_url(&base, &link, true);
                ("Embed snippet", share::embed_snippet(&url))
            } else {
                share::set_fragment(Some(&link));
                ("Share link", share::page_url(&base, &link, false))
            };
            let copying = format!("{} characters; copying…", text.len());
            shown.set(Some(Shown {
                label,
                text: text.clone(),
                status: copying,
            }));
            let shown = shown.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let status = match share::copy_to_clipboard(&text).await {
                    Ok(()) => "Copied to the clipboard. The project travels in the link itself: no server stores it.",
                    Err(()) => "The browser did not allow the clipboard: select the text above and copy it.",
                };
                shown.set(Some(Shown {
                    label,
                    text,
                    status: status.to_string(),
                }));
            });
        })
    };
    let close = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(None))
    };
    let select_all = Callback::from(|e: FocusEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        input.select();
    });
    let reset = props.on_reset.reform(|_: MouseEvent| ());
    html! {
        <>
            <button type="button" class="button" id="share-button" onclick={make(false)}
                title="copy a link that opens this exact project, options and view">{ "Share" }</button>
            <button type="button" class="button" id="embed-button" onclick={make(true)}
                title="copy an <iframe> snippet embedding this project">{ "Embed" }</button>
            <button type="button" class="button" id="reset-button" onclick={reset}
                title="back to the starter project (forgets the session saved in this browser)">{ "Reset" }</button>
            if let Some(s) = &*shown {
                <div class="share-box" id="share-box">
                    if !s.text.is_empty() {
                        <label for="share-text">{ s.label }</label>
                        <input id="share-text" type="text" readonly=true value={s.text.clone()} onfocus={select_all} />
                    }
                    <span id="share-status" role="status">{ &s.status }</span>
                    <button type="button" class="button" aria-label="close" onclick={close}>{ "×" }</button>
                </div>
            }
        </>
    }
}
