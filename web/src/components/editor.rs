//! The Dockerfile editor: a textarea over a highlighted copy of its text.
//!
//! The textarea keeps native editing (IME, undo, selection, accessibility); its text is
//! transparent and the `<pre>` underneath shows the same text in colour, with
//! diagnostics underlined at their spans. The two scroll together. A squiggle's message
//! shows under the editor while the caret is inside its span (the textarea is on top, so
//! the underlined text cannot carry a tooltip; this way keyboard and screen-reader users
//! get it too, and it never covers the line being typed).

use super::prose::code_spans;
use crate::highlight::Segment;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// A request to select a range and bring it into view ("jump to line").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reveal {
    /// Start, in UTF-16 code units from the start of the text.
    pub start: u32,
    /// End, in UTF-16 code units.
    pub end: u32,
    /// Zero-based line of the start, for scrolling.
    pub line: u32,
    /// Changes on every request, so revealing the same range twice still scrolls.
    pub serial: u32,
    /// Move the keyboard focus into the editor ("go to" a problem). Without it the
    /// range is selected and scrolled to while the focus stays where the user chose
    /// (a build step or a layer row: a keyboard user keeps their place in that list).
    pub focus: bool,
}

/// Editor properties.
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The element id of the textarea (labels point at it).
    pub id: AttrValue,
    /// The current text.
    pub value: AttrValue,
    /// The highlighted text, covering `value` exactly.
    pub segments: Vec<Segment>,
    /// Called with the new text on every input event.
    pub on_change: Callback<String>,
    /// Select and scroll to this range when it changes.
    #[prop_or_default]
    pub reveal: Option<Reveal>,
    /// Shown but not editable (embeds with `readonly=1`).
    #[prop_or_default]
    pub readonly: bool,
    /// What each underlined span says: UTF-16 start and end, and the text to show while
    /// the caret is in it.
    #[prop_or_default]
    pub notes: Rc<Vec<(u32, u32, String)>>,
    /// UTF-16 range whose lines are marked (the selected build step's instruction),
    /// visible with the focus elsewhere, where a textarea paints no selection.
    #[prop_or_default]
    pub mark: Option<(u32, u32)>,
    /// The caret moved (UTF-16 offset): on a click, a key, or the focus coming in.
    #[prop_or_default]
    pub on_caret: Callback<u32>,
    /// Shown while the text is empty (what to type in a file that is not there yet).
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
}

/// Zero-based line of a UTF-16 offset in `text`.
fn line_at(text: &str, at: u32) -> u32 {
    let (mut n, mut line) = (0, 0);
    for c in text.chars() {
        if n >= at {
            break;
        }
        n += c.len_utf16() as u32;
        line += u32::from(c == '\n');
    }
    line
}

/// A monospace code editor with syntax and diagnostic highlighting.
#[component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let area_ref = use_node_ref();
    let pre_ref = use_node_ref();
    // The caret (UTF-16 offset) while the textarea has the focus.
    let caret = use_state_eq(|| None::<u32>);
    let track = {
        let (caret, on_caret) = (caret.clone(), props.on_caret.clone());
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let at = area.selection_start().ok().flatten();
            caret.set(at);
            if let Some(at) = at {
                on_caret.emit(at);
            }
        })
    };
    let oninput = {
        let (on_change, track) = (props.on_change.clone(), track.clone());
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(area.value());
            track.emit(e.into());
        })
    };
    let onblur = {
        let caret = caret.clone();
        Callback::from(move |_: FocusEvent| caret.set(None))
    };
    let onfocus = track.reform(Event::from);
    let note = caret.and_then(|at| {
        props
            .notes
            .iter()
            .find(|(start, end, _)| (*start..=*end).contains(&at))
    });
    let onscroll = {
        let pre_ref = pre_ref.clone();
        Callback::from(move |e: Event| {
            let area: HtmlElement = e.target_unchecked_into();
            if let Some(pre) = pre_ref.cast::<HtmlElement>() {
                pre.set_scroll_top(area.scroll_top());
                pre.set_scroll_left(area.scroll_left());
            }
        })
    };
    {
        let (area_ref, caret) = (area_ref.clone(), caret.clone());
        use_effect_with(props.reveal, move |reveal| {
            if let (Some(r), Some(area)) = (reveal, area_ref.cast::<HtmlTextAreaElement>()) {
                if r.focus {
                    let _ = area.focus();
                    caret.set(Some(r.start));
                }
                let _ = area.set_selection_range(r.start, r.end);
                let lines = area.value().split('\n').count().max(1) as i32;
                let line_height = area.scroll_height() / lines;
                let el: &HtmlElement = area.unchecked_ref();
                el.set_scroll_top((r.line as i32 - 3).max(0) * line_height);
            }
        });
    }
    html! {
        <>
        <div class="editor-wrap">
            <pre class="editor-layer highlight" aria-hidden="true" ref={pre_ref}>
                if let Some((start, end)) = props.mark {
                    <span class="line-mark" style={{
                        let first = line_at(&props.value, start);
                        let lines = line_at(&props.value, end) + 1 - first;
                        format!("top:calc(8px + {first} * 1.5em);height:calc({lines} * 1.5em)")
                    }}></span>
                }
                { for props.segments.iter().map(segment) }
                // A trailing newline needs one more line box to keep the layers aligned.
                { " " }
            </pre>
            <textarea id={props.id.clone()} class="editor-layer editor" spellcheck="false"
                autocomplete="off" autocapitalize="off" wrap="off" ref={area_ref}
                value={props.value.clone()} readonly={props.readonly} placeholder={props.placeholder.clone()} {oninput} {onscroll} {onblur}
                {onfocus} onkeyup={track.reform(Event::from)} onclick={track.reform(Event::from)} />
        </div>
        // Always in the page (empty, and then without a box, when there is nothing to
        // say), so screen readers hear it change.
        <p class="editor-note" id="editor-note" role="status">
            if let Some((_, _, text)) = note { { code_spans(text) } }
        </p>
        </>
    }
}

fn segment(s: &Segment) -> Html {
    let classes = classes!(
        (!s.class.is_empty()).then(|| format!("tok-{}", s.class)),
        s.diagnostic.map(|d| format!("diag-{d}")),
    );
    html! { <span class={classes}>{ &s.text }</span> }
}
