//! "Share", "Embed" and "Reset": the link to this exact page state, the `<iframe>`
//! snippet embedding it (with the embed's options, chosen in the Embed box: read-only,
//! panels, theme, autorun, height), and the way back to the starter project.

use super::app::VIEWS;
use crate::share::{self, EmbedOptions, PageState};
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
    /// The share link; for the Embed box the `v1:…` link its snippet embeds; empty when
    /// the state cannot be shared.
    text: String,
    embed: bool,
}

/// The panels an embed may show, by the ids `panels=` reads: the editor, then the views.
fn panel_ids() -> impl Iterator<Item = &'static str> {
    std::iter::once("editor").chain(VIEWS)
}

/// The Embed box's choices, kept while the page is open.
#[derive(Clone, PartialEq)]
struct Choice {
    readonly: bool,
    /// Bit `i` set: the `i`th of [`panel_ids`] is left out (so 0 shows them all).
    hidden: u8,
    theme: Option<&'static str>,
    autorun: bool,
    height: u32,
}

impl Choice {
    /// The embed's query for these choices; every panel, or none, is no `panels=` at all.
    fn options(&self) -> EmbedOptions {
        let mut panels: Vec<String> = panel_ids()
            .enumerate()
            .filter(|(i, _)| self.hidden & (1 << i) == 0)
            .map(|(_, id)| id.to_string())
            .collect();
        if panels.len() > VIEWS.len() {
            panels.clear();
        }
        EmbedOptions {
            embed: true,
            readonly: self.readonly,
            panels,
            theme: self.theme,
            autorun: self.autorun,
        }
    }
}

/// What the Embed box says until its snippet is copied.
const CHOOSE: &str = "Choose the options: the snippet follows them.";

/// Takes new choices; a "copied" said of the old snippet no longer holds.
fn choose(choice: &UseStateHandle<Choice>, status: &UseStateHandle<String>, c: Choice) {
    choice.set(c);
    status.set(CHOOSE.into());
}

/// Copies `text`, saying so (or how to copy by hand) in `status`.
fn copy(status: &UseStateHandle<String>, text: String) {
    status.set(format!("{} characters; copying…", text.len()));
    let status = status.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let said = match share::copy_to_clipboard(&text).await {
            Ok(()) => "Copied to the clipboard. The project travels in the link itself: no server stores it.",
            Err(()) => "The browser did not allow the clipboard: select the text above and copy it.",
        };
        status.set(said.to_string());
    });
}

/// Header buttons and, after a click, the text to copy (for Embed, with its options).
#[component(ShareBar)]
pub fn share_bar(props: &ShareBarProps) -> Html {
    let shown = use_state(|| None::<Shown>);
    let status = use_state(String::new);
    let choice = use_state(|| Choice {
        readonly: false,
        hidden: 0,
        theme: None,
        autorun: false,
        height: 400,
    });
    let make = |embed: bool| {
        let (shown, status, state) = (shown.clone(), status.clone(), props.state.clone());
        Callback::from(move |_: MouseEvent| {
            let link = match state.emit(()).encode() {
                Ok(link) => link,
                Err(message) => {
                    shown.set(Some(Shown {
                        label: "Cannot share",
                        text: String::new(),
                        embed: false,
                    }));
                    status.set(message);
                    return;
                }
            };
            if embed {
                shown.set(Some(Shown {
                    label: "Embed snippet",
                    text: link,
                    embed: true,
                }));
                status.set(CHOOSE.into());
            } else {
                share::set_fragment(Some(&link));
                let url = share::page_url(&share::location().0, &link, false);
                shown.set(Some(Shown {
                    label: "Share link",
                    text: url.clone(),
                    embed: false,
                }));
                copy(&status, url);
            }
        })
    };
    // Closing (× or Escape) puts the focus back on Embed rather than on the page's body.
    let embed_ref = use_node_ref();
    let close = {
        let (shown, embed_ref) = (shown.clone(), embed_ref.clone());
        Callback::from(move |()| {
            shown.set(None);
            if let Some(b) = embed_ref.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        })
    };
    let on_key = {
        let close = close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                close.emit(());
            }
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        input.select();
    });
    let reset = props.on_reset.reform(|_: MouseEvent| ());
    // A change to one choice: `f` gets the choices and the changed control.
    let change = |f: fn(&mut Choice, &HtmlInputElement)| {
        let (choice, status) = (choice.clone(), status.clone());
        Callback::from(move |e: Event| {
            let mut c = (*choice).clone();
            f(&mut c, &e.target_unchecked_into());
            choose(&choice, &status, c);
        })
    };
    let options = |c: &Choice| {
        let panels = panel_ids().enumerate().map(|(i, id)| {
            let (choice, status) = (choice.clone(), status.clone());
            let onchange = Callback::from(move |_: Event| {
                let mut c = (*choice).clone();
                c.hidden ^= 1 << i;
                choose(&choice, &status, c);
            });
            html! {
                <label><input type="checkbox" id={format!("embed-panel-{id}")} checked={c.hidden & (1 << i) == 0} {onchange} />
                    { id }</label>
            }
        });
        let theme = |value: &'static str, label: &'static str| {
            html! { <option {value} selected={c.theme.unwrap_or_default() == value}>{ label }</option> }
        };
        html! {
            <fieldset class="embed-options" id="embed-options">
                <legend>{ "Embed options" }</legend>
                <label><input type="checkbox" id="embed-readonly" checked={c.readonly}
                    onchange={change(|c, i| c.readonly = i.checked())} />{ " read-only" }</label>
                <label><input type="checkbox" id="embed-autorun" checked={c.autorun}
                    onchange={change(|c, i| c.autorun = i.checked())} />{ " build on load" }</label>
                if !c.autorun && c.options().builds_on_load() {
                    <span class="embed-note" id="embed-builds-anyway">{ "(it builds on load anyway: Layers or Cache without Build)" }</span>
                }
                <label>{ "theme " }<select id="embed-theme" onchange={change(|c, i| {
                    // A <select>: `value` is read by name, as on an <input>.
                    c.theme = match i.value().as_str() {
                        "light" => Some("light"),
                        "dark" => Some("dark"),
                        _ => None,
                    }
                })}>
                    { theme("", "auto") }{ theme("light", "light") }{ theme("dark", "dark") }
                </select></label>
                <label>{ "height " }<input type="number" id="embed-height" min="240" max="1600" step="10"
                    value={c.height.to_string()}
                    onchange={change(|c, i| {
                        c.height = i.value().parse().map_or(c.height, |h: u32| h.clamp(240, 1600));
                        i.set_value(&c.height.to_string());
                    })} />{ " px" }</label>
                <fieldset class="embed-panels">
                    <legend>{ "panels" }</legend>
                    { for panels }
                    if c.hidden.count_ones() as usize > VIEWS.len() {
                        <span class="embed-note">{ "none chosen: the embed shows them all" }</span>
                    }
                </fieldset>
            </fieldset>
        }
    };
    // The snippet as the choices make it (the Embed box only).
    let text = shown.as_ref().map(|s| {
        if s.embed {
            let url = format!(
                "{}{}#{}",
                share::location().0,
                choice.options().query(),
                s.text
            );
            share::embed_snippet(&url, choice.height)
        } else {
            s.text.clone()
        }
    });
    let copy_snippet = {
        let (status, text) = (status.clone(), text.clone().unwrap_or_default());
        Callback::from(move |_: MouseEvent| copy(&status, text.clone()))
    };
    html! {
        <>
            <button type="button" class="button" id="share-button" onclick={make(false)}
                title="copy a link that opens this exact project, options and view">{ "Share" }</button>
            <button type="button" class="button" id="embed-button" onclick={make(true)} ref={embed_ref}
                aria-expanded={shown.as_ref().is_some_and(|s| s.embed).to_string()}
                title="an <iframe> snippet embedding this project, with its options">{ "Embed" }</button>
            <button type="button" class="button" id="reset-button" onclick={reset}
                title="back to the starter project (forgets the session saved in this browser)">{ "Reset" }</button>
            if let Some(s) = &*shown {
                <div class={classes!("share-box", s.embed.then_some("embed-box"))} id="share-box" onkeydown={on_key}>
                    if s.embed {
                        { options(&choice) }
                    }
                    if !s.text.is_empty() {
                        <label for="share-text">{ s.label }</label>
                        <input id="share-text" type="text" readonly=true onfocus={select_all} value={text} />
                    }
                    if s.embed {
                        <button type="button" class="button primary" id="embed-copy" onclick={copy_snippet}>{ "Copy snippet" }</button>
                    }
                    <span id="share-status" role="status">{ &*status }</span>
                    <button type="button" class="button" aria-label="close" onclick={close.reform(|_| ())}>{ "×" }</button>
                </div>
            }
        </>
    }
}
