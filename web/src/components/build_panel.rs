//! The Build view: BuildKit-style steps with cache badges, why each step ran, modeled
//! time bars, and the image that came out.

use super::numbers::{permille, width};
use super::prose::code_spans;
use crate::engine::build::{BuildView, PageOptions, StepState, StepView};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Build panel properties.
#[derive(Properties, PartialEq)]
pub struct BuildPanelProps {
    /// The last build, if any.
    pub view: Option<std::rc::Rc<BuildView>>,
    /// Build options.
    pub options: PageOptions,
    /// Options changed.
    pub on_options: Callback<PageOptions>,
    /// Build now.
    pub on_build: Callback<()>,
    /// Forget the cache.
    pub on_prune: Callback<()>,
    /// A step was chosen (index into the steps): select it, show its line.
    pub on_step: Callback<usize>,
    /// The selected step (chosen here, by its layer, or by the caret on its line).
    #[prop_or_default]
    pub selected: Option<usize>,
    /// The files cannot change (a read-only embed): no rebuild-as-you-type to offer.
    #[prop_or_default]
    pub readonly: bool,
}

/// The Build view.
#[component(BuildPanel)]
pub fn build_panel(props: &BuildPanelProps) -> Html {
    let opts = props.options.clone();
    let on_args = {
        let (cb, opts) = (props.on_options.clone(), opts.clone());
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(PageOptions {
                build_args: el.value(),
                ..opts.clone()
            });
        })
    };
    let on_target = {
        let (cb, opts) = (props.on_options.clone(), opts.clone());
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            cb.emit(PageOptions {
                target: el.value(),
                ..opts.clone()
            });
        })
    };
    let on_no_cache = {
        let (cb, opts) = (props.on_options.clone(), opts.clone());
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            cb.emit(PageOptions {
                no_cache: el.checked(),
                ..opts.clone()
            });
        })
    };
    let on_live = {
        let (cb, opts) = (props.on_options.clone(), opts.clone());
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            cb.emit(PageOptions {
                live: el.checked(),
                ..opts.clone()
            });
        })
    };
    let build = props.on_build.reform(|_| ());
    let prune = props.on_prune.reform(|_| ());
    let max_ms = props
        .view
        .as_ref()
        .and_then(|v| v.steps.iter().map(|s| s.ms).max())
        .unwrap_or(1)
        .max(1);
    html! {
        <div class="build-panel" id="build-panel">
            <div class="build-options">
                <button type="button" class="button primary" id="build-button" onclick={build}>{ "Build" }</button>
                <label>{ "target " }<input id="opt-target" type="text" placeholder="last stage" value={opts.target.clone()} oninput={on_target} /></label>
                <label><input id="opt-no-cache" type="checkbox" checked={opts.no_cache} onchange={on_no_cache} />{ " --no-cache" }</label>
                if !props.readonly {
                    <label title="build again 0.4s after each edit"><input id="opt-live" type="checkbox" checked={opts.live} onchange={on_live} />{ " rebuild as I type" }</label>
                }
                <button type="button" class="button" id="prune-button" onclick={prune} title="docker builder prune: forget every cached step">{ "Prune cache" }</button>
                <label class="build-args">{ "build args (K=V per line)" }
                    <textarea id="opt-build-args" rows="2" spellcheck="false" value={opts.build_args.clone()} oninput={on_args} />
                </label>
            </div>
            { match &props.view {
                None => html! { <p class="empty">{ "Press Build to run the Dockerfile. Build again after an edit to see which steps the cache keeps, and why the others rebuild." }</p> },
                Some(v) => view(v, max_ms, &props.on_step, props.selected),
            } }
        </div>
    }
}

fn view(v: &BuildView, max_ms: u32, on_step: &Callback<usize>, selected: Option<usize>) -> Html {
    html! {
        <>
            <p class="build-summary" id="build-summary">{ &v.summary }</p>
            if !v.unused_args.is_empty() {
                <p class="skipped" id="unused-args">{ match &v.unused_args[..] {
                    [one] => format!("build arg {one}: no ARG declares it, so it changes nothing"),
                    all => format!("build args {}: no ARG declares them, so they change nothing", all.join(", ")),
                } }</p>
            }
            if !v.skipped.is_empty() {
                <p class="skipped">{ format!("skipped stages (the target does not need them): {}", v.skipped.join(", ")) }</p>
            }
            <ol class="steps" id="build-steps">
                { for v.steps.iter().enumerate().map(|(i, s)| step(s, max_ms, on_step.reform(move |_| i), selected == Some(i))) }
            </ol>
            if let Some((message, line)) = &v.error {
                <p class="build-error" id="build-error" role="alert">
                    { match line { Some(l) => format!("ERROR (line {l}): {message}"), None => format!("ERROR: {message}") } }
                </p>
            }
            if let Some((id, size)) = &v.image {
                <p class="image-line" id="image-id">{ "image " }<code>{ id }</code>{ format!(" · {size}") }</p>
            }
        </>
    }
}

fn step(s: &StepView, max_ms: u32, onclick: Callback<MouseEvent>, selected: bool) -> Html {
    let (class, badge) = match s.state {
        StepState::Cached => ("cached", "CACHED"),
        StepState::Built => ("built", "BUILT"),
        StepState::Failed => ("failed", "ERROR"),
    };
    // At least 1%, so a step that took no time still shows its bar.
    let bar = width(permille(u64::from(s.ms), u64::from(max_ms)).max(10));
    html! {
        <li class={classes!("step", class, selected.then_some("selected"))}>
            <button type="button" class="step-head" {onclick} title={format!("line {}", s.line)}
                aria-current={selected.then_some("true")}>
                <span class="badge">{ badge }</span>
                <span class="label">{ &s.label }</span>
                <span class="instruction">{ &s.instruction }</span>
                <span class="time">{ if s.state == StepState::Cached { format!("saved {}", s.time) } else { s.time.clone() } }</span>
                if let Some(size) = &s.size { <span class="size">{ size }</span> }
            </button>
            <span class="bar" style={bar}></span>
            if let Some(reason) = &s.reason {
                <p class="reason">{ code_spans(reason) }</p>
            }
            if !s.output.is_empty() {
                <pre class="output">{ s.output.join("\n") }</pre>
            }
        </li>
    }
}
