//! The Cache view: why each step of the last build hit or missed (every changed input
//! with before → after), the cascade each rebuild caused, "what would an edit rebuild"
//! predictions, and this build against the previous one.

use super::numbers::count;
use super::prose::code_spans;
use crate::engine::build::{BuildView, StepState};
use crate::engine::cache::{
    compare, CacheStepView, CacheView, ChangeView, PageEdit, PredictedStepView, WhatIfView,
};
use layerlab_build::progress::seconds;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Cache panel properties.
#[derive(Properties, PartialEq)]
pub struct CachePanelProps {
    /// The last build.
    pub view: Option<Rc<BuildView>>,
    /// The build before it.
    pub previous: Option<Rc<BuildView>>,
    /// Context files the user can ask about.
    pub files: Rc<Vec<String>>,
    /// Dockerfile instructions the user can ask about: (first line, text).
    pub lines: Rc<Vec<(u32, String)>>,
    /// The last prediction.
    pub what_if: Option<Rc<WhatIfView>>,
    /// Predict an edit.
    pub on_what_if: Callback<PageEdit>,
    /// Select an instruction in the Dockerfile: (UTF-16 start, end, zero-based line).
    pub on_jump: Callback<(u32, u32, u32)>,
    /// Build now.
    pub on_build: Callback<()>,
}

fn edit_of(value: &str) -> Option<PageEdit> {
    if let Some(path) = value.strip_prefix("file:") {
        return Some(PageEdit::File(path.to_string()));
    }
    value
        .strip_prefix("line:")
        .and_then(|n| n.parse().ok())
        .map(PageEdit::Line)
}

/// The Cache view.
#[component(CachePanel)]
pub fn cache_panel(props: &CachePanelProps) -> Html {
    let picked = use_state(String::new);
    let on_pick = {
        let picked = picked.clone();
        let cb = props.on_what_if.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            let value = el.value();
            if let Some(edit) = edit_of(&value) {
                cb.emit(edit);
            }
            picked.set(value);
        })
    };
    let on_predict = {
        let picked = picked.clone();
        let cb = props.on_what_if.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(edit) = edit_of(&picked) {
                cb.emit(edit);
            }
        })
    };
    let last = match &props.view {
        None => html! {
            <p class="empty">
                { "No build yet. " }
                <button type="button" class="button" onclick={props.on_build.reform(|_| ())}>{ "Build" }</button>
                { " to see each step's cache decision; build again after an edit to see what changed." }
            </p>
        },
        Some(v) => decisions(&v.cache, &props.on_jump),
    };
    let comparison = match (&props.previous, &props.view) {
        (Some(before), Some(now)) => comparison(&before.cache, &now.cache),
        _ => {
            html! { <p class="empty">{ "Build twice to compare a build with the one before." }</p> }
        }
    };
    html! {
        <div class="cache-panel" id="cache-panel">
            <h2>{ "Last build" }</h2>
            { last }
            <h2 id="what-if-heading">{ "What would an edit rebuild?" }</h2>
            <div class="what-if-pick">
                <label for="what-if-select">{ "If I edit " }</label>
                <select id="what-if-select" onchange={on_pick} aria-describedby="what-if-help">
                    <option value="" selected={picked.is_empty()}>{ "choose a file or a line…" }</option>
                    <optgroup label="Context files">
                        { for props.files.iter().map(|f| {
                            let value = format!("file:{f}");
                            let selected = *picked == value;
                            html! { <option {selected} {value}>{ f.clone() }</option> }
                        }) }
                    </optgroup>
                    <optgroup label="Dockerfile lines">
                        { for props.lines.iter().map(|(n, text)| {
                            let value = format!("line:{n}");
                            let selected = *picked == value;
                            html! { <option {selected} {value}>{ format!("line {n}: {text}") }</option> }
                        }) }
                    </optgroup>
                </select>
                <button type="button" class="button" id="what-if-button" onclick={on_predict} disabled={picked.is_empty()}>{ "Predict" }</button>
            </div>
            <p class="cache-help" id="what-if-help">
                { "A pretend build on a copy of the cache: nothing is stored, the next real build is unaffected." }
            </p>
            if let Some(w) = &props.what_if {
                { what_if(w, &props.on_jump) }
            }
            <h2>{ "Compared with the previous build" }</h2>
            { comparison }
        </div>
    }
}

/// A step label that selects its instruction in the Dockerfile. Not inlined: it is
/// rendered from many places, and one copy keeps the page small.
#[inline(never)]
fn jump(label: &str, utf16: (u32, u32), line: u32, on_jump: &Callback<(u32, u32, u32)>) -> Html {
    let onclick = on_jump.reform(move |_: MouseEvent| (utf16.0, utf16.1, line.saturating_sub(1)));
    html! {
        <button type="button" class="cache-jump" {onclick} title={format!("select line {line} in the Dockerfile")}>
            { label.to_string() }
        </button>
    }
}

#[inline(never)]
fn decisions(v: &CacheView, on_jump: &Callback<(u32, u32, u32)>) -> Html {
    let cached = v
        .steps
        .iter()
        .filter(|s| s.state == StepState::Cached)
        .count();
    let own = v
        .steps
        .iter()
        .filter(|s| s.state != StepState::Cached && s.cause.is_none())
        .count();
    let cascaded = v.steps.iter().filter(|s| s.cause.is_some()).count();
    html! {
        <>
            <p class="cache-summary" id="cache-summary">
                { format!("{cached} of {} cached", count(v.steps.len() as u64, "step")) }
                if own > 0 {
                    { format!("; {own} built, {} the reason shown", if own == 1 { "for" } else { "each for" }) }
                }
                if cascaded > 0 {
                    { format!("; {cascaded} only because an earlier step was built") }
                }
            </p>
            <ol class="cache-steps" id="cache-steps">
                { for v.steps.iter().enumerate().map(|(i, s)| step(v, i, s, on_jump)) }
            </ol>
        </>
    }
}

#[inline(never)]
fn step(v: &CacheView, i: usize, s: &CacheStepView, on_jump: &Callback<(u32, u32, u32)>) -> Html {
    let (class, badge) = match s.state {
        StepState::Cached => ("cached", "CACHED"),
        StepState::Built if s.cause.is_some() => ("cascade", "BUILT"),
        StepState::Built => ("built", "BUILT"),
        StepState::Failed => ("failed", "ERROR"),
    };
    let cause = s.cause.and_then(|c| v.steps.get(c)).map(|c| {
        let root = s
            .root
            .filter(|r| Some(*r) != s.cause)
            .and_then(|r| v.steps.get(r));
        html! {
            <p class="cascade-cause">
                { "rebuilt because " }{ jump(&c.label, c.utf16, c.line, on_jump) }{ format!(" {} was rebuilt", c.instruction) }
                if let Some(r) = root {
                    { " (the chain starts at " }{ jump(&r.label, r.utf16, r.line, on_jump) }{ ")" }
                }
            </p>
        }
    });
    html! {
        <li class={classes!("cache-step", class)} data-step={i.to_string()}>
            <div class="cache-step-head">
                <span class="badge">{ badge }</span>
                { jump(&s.label, s.utf16, s.line, on_jump) }
                <code class="instruction">{ &s.instruction }</code>
                <span class="time">{ if s.state == StepState::Cached { format!("saved {}", seconds(s.ms)) } else { seconds(s.ms) } }</span>
            </div>
            if let Some(cause) = cause {
                { cause }
                if !s.changes.is_empty() {
                    <p class="reason">{ "its own inputs changed too:" }</p>
                }
            } else if let (Some(h), true) = (&s.headline, s.changes.is_empty()) {
                // The detail list below says the same, item by item.
                <p class="reason">{ code_spans(h) }</p>
            }
            if !s.changes.is_empty() {
                { changes(&s.changes) }
            }
            if !s.caused.is_empty() {
                <p class="cascade-effect">
                    { format!("→ caused {} later rebuild{}: ", s.caused.len(), if s.caused.len() == 1 { "" } else { "s" }) }
                    { for s.caused.iter().filter_map(|&j| v.steps.get(j)).map(|c| html! {
                        <>{ jump(&c.label, c.utf16, c.line, on_jump) }{ " " }</>
                    }) }
                </p>
            }
        </li>
    }
}

#[inline(never)]
fn changes(list: &[ChangeView]) -> Html {
    let files = |verb: &str, paths: &[String]| -> Html {
        if paths.is_empty() {
            return Html::default();
        }
        html! {
            <li>{ format!("{verb}: ") }
                { for paths.iter().take(20).map(|p| html! { <><code>{ p }</code>{ " " }</> }) }
                if paths.len() > 20 { <span class="more">{ format!("and {} more", paths.len() - 20) }</span> }
            </li>
        }
    };
    html! {
        <ul class="changes">
            { for list.iter().map(|c| match c {
                ChangeView::Field { name, before, after, origin } => html! {
                    <li class="change-field">
                        <span class="name">{ name }</span>{ ": " }
                        <code class="before">{ before }</code>{ " → " }<code class="after">{ after }</code>
                        if let Some(o) = origin { <span class="origin">{ format!(" (from {o})") }</span> }
                    </li>
                },
                ChangeView::Files { label, modified, added, removed } => html! {
                    <li class="change-files">{ format!("{label}:") }
                        <ul>
                            { files("changed", modified) }
                            { files("added", added) }
                            { files("removed", removed) }
                        </ul>
                    </li>
                },
                ChangeView::Op { before, after } => html! {
                    <li class="change-op">{ "instruction: " }<code class="before">{ before }</code>{ " → " }<code class="after">{ after }</code></li>
                },
            }) }
        </ul>
    }
}

#[inline(never)]
fn what_if(w: &WhatIfView, on_jump: &Callback<(u32, u32, u32)>) -> Html {
    let row = |s: &PredictedStepView| {
        html! {
            <li class={classes!("predicted", if s.rebuild { "rebuild" } else if s.anyway { "anyway" } else { "cached" })}>
                <span class="badge">{ if s.rebuild { "REBUILD" } else if s.anyway { "BUILDS" } else { "CACHED" } }</span>
                { jump(&s.label, s.utf16, s.line, on_jump) }
                <code class="instruction">{ &s.instruction }</code>
                if let Some(why) = &s.why { <p class="reason">{ code_spans(why) }</p> }
                else if s.anyway { <p class="reason">{ "the next build runs it with or without this edit" }</p> }
            </li>
        }
    };
    html! {
        <div class="what-if" id="what-if" role="status">
            <p class="what-if-headline" id="what-if-headline">{ &w.headline }</p>
            if let Some(note) = &w.note { <p class="cache-help">{ code_spans(note) }</p> }
            if let Some(p) = &w.pending { <p class="cache-help pending">{ p }</p> }
            <ol class="cache-steps" id="what-if-steps">{ for w.steps.iter().map(row) }</ol>
        </div>
    }
}

#[inline(never)]
fn comparison(before: &CacheView, now: &CacheView) -> Html {
    let c = compare(before, now);
    let state = |s: Option<StepState>| match s {
        None => "(new)",
        Some(StepState::Cached) => "cached",
        Some(StepState::Built) => "built",
        Some(StepState::Failed) => "failed",
    };
    html! {
        <div class="comparison" id="comparison">
            <dl class="comparison-facts">
                <dt>{ "build time" }</dt><dd id="compare-time">{ &c.time }</dd>
                <dt>{ "image" }</dt><dd id="compare-image"><code>{ &c.image }</code></dd>
                <dt>{ "size" }</dt><dd id="compare-size">{ &c.size }</dd>
            </dl>
            <table class="comparison-steps" id="comparison-steps">
                <thead><tr><th>{ "step" }</th><th>{ "before" }</th><th>{ "now" }</th><th>{ "time" }</th></tr></thead>
                <tbody>
                    { for c.rows.iter().map(|r| html! {
                        <tr class={classes!(state(Some(r.after)), (r.before != Some(r.after)).then_some("changed"))}>
                            <td>
                                <span class="label">{ &r.label }</span>{ " " }<code>{ &r.instruction }</code>
                                if let Some(was) = &r.was { <div class="was">{ "was " }<code>{ was }</code></div> }
                            </td>
                            <td>{ state(r.before) }</td>
                            <td>{ state(Some(r.after)) }</td>
                            <td>{ format!("{} → {}", seconds(r.spent.0), seconds(r.spent.1)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if !c.gone.is_empty() {
                <p class="cache-help">{ format!("no longer built: {}", c.gone.join(", ")) }</p>
            }
        </div>
    }
}
