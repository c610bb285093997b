//! The Lessons view: a picker of the embedded lessons, then the scripted-edit player:
//! "Step 1 of 3: build" → the build's verdicts (✓/✗ per expectation) and what to
//! notice → "Next: edit src/index.js" (the edit shows in the editor) → build → ….

use super::prose::code_spans;
use crate::engine::lessons::{LessonEntry, Player, Verdict};
use std::rc::Rc;
use yew::prelude::*;

/// Lessons panel properties.
#[derive(Properties, PartialEq)]
pub struct LessonsPanelProps {
    /// Every lesson.
    pub lessons: Rc<Vec<LessonEntry>>,
    /// The lesson being played.
    pub player: Option<Rc<Player>>,
    /// Load a lesson by id.
    pub on_load: Callback<&'static str>,
    /// Do the next scripted action (apply the edits, or build).
    pub on_next: Callback<()>,
    /// Back to the list.
    pub on_close: Callback<()>,
}

/// Markdown paragraphs as text, with `code` spans (the only markup lessons use inline).
#[inline(never)]
fn paragraphs(text: &str) -> Html {
    let para = |p: &str| {
        html! {
            <p>{ code_spans(p.trim()) }</p>
        }
    };
    html! { <>{ for text.split("\n\n").filter(|p| !p.trim().is_empty()).map(para) }</> }
}

fn verdicts(list: &[Verdict]) -> Html {
    html! {
        <ul class="verdicts">
            { for list.iter().map(|v| html! {
                <li class={if v.passed { "pass" } else { "fail" }}>
                    <span class="mark" aria-hidden="true">{ if v.passed { "✓" } else { "✗" } }</span>
                    <span class="visually-hidden">{ if v.passed { "holds: " } else { "does not hold: " } }</span>
                    { code_spans(&v.text) }
                    if let Some(instead) = &v.instead { <span class="instead">{ format!(" ({instead})") }</span> }
                </li>
            }) }
        </ul>
    }
}

/// The Lessons view.
#[component(LessonsPanel)]
pub fn lessons_panel(props: &LessonsPanelProps) -> Html {
    // After each action the player's button has the focus again, so a keyboard walks
    // the lesson with Enter alone: showing an edit selects it in the editor, which takes
    // the focus, so this waits for that to happen first.
    let next_ref = use_node_ref();
    {
        let next_ref = next_ref.clone();
        let key = props.player.as_ref().map(|p| (p.id, p.at, p.edited));
        use_effect_with(key, move |key| {
            if key.is_some() {
                gloo_timers::callback::Timeout::new(0, move || {
                    if let Some(b) = next_ref.cast::<web_sys::HtmlElement>() {
                        let _ = b.focus();
                    }
                })
                .forget();
            }
        });
    }
    let Some(p) = &props.player else {
        return html! {
            <div class="lessons-panel" id="lessons-panel">
                <p class="cache-help">{ "Each lesson replaces the files with a small project, then walks through builds and edits; every claim it makes is checked against the build." }</p>
                <ul class="lesson-list" id="lesson-list">
                    { for props.lessons.iter().map(|l| {
                        let id = l.id;
                        let onclick = props.on_load.reform(move |_: MouseEvent| id);
                        html! {
                            <li data-lesson={id}>
                                // Named by its title, described by its summary: a screen reader
                                // hears the name first, not a whole paragraph.
                                <button type="button" class="lesson-pick" {onclick}
                                    aria-labelledby={format!("lt-{id}")} aria-describedby={format!("ls-{id}")}>
                                    <span class="lesson-title" id={format!("lt-{id}")}>{ l.title }</span>
                                    <span class="lesson-summary" id={format!("ls-{id}")}>{ code_spans(&l.summary) }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        };
    };
    let total = p.steps.len();
    let next = p.steps.get(p.at);
    let action = next.map(|s| {
        if p.edited {
            format!("Build: {}", s.title)
        } else {
            format!("Next: {}", s.edits.join(", "))
        }
    });
    let on_next = props.on_next.reform(|_: MouseEvent| ());
    html! {
        <div class="lessons-panel" id="lessons-panel" data-lesson={p.id}>
            <div class="lesson-head">
                <h2 id="lesson-title">{ &p.title }</h2>
                <button type="button" class="button" id="lesson-close" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "All lessons" }</button>
            </div>
            <div class="lesson-explanation">{ paragraphs(&p.explanation) }</div>
            <ol class="lesson-steps" id="lesson-steps">
                { for p.steps.iter().enumerate().map(|(i, s)| {
                    let done = p.results.get(i);
                    let current = i == p.at;
                    let state = match done {
                        Some(v) if v.iter().all(|v| v.passed) => "done pass",
                        Some(_) => "done fail",
                        None if current => "current",
                        None => "todo",
                    };
                    html! {
                        <li class={classes!("lesson-step", state)} data-step={(i + 1).to_string()} aria-current={current.then_some("step")}>
                            <h3>{ format!("Step {} of {total}: {}", i + 1, s.title) }</h3>
                            if current || done.is_some() {
                                { paragraphs(&s.before) }
                                if !s.edits.is_empty() {
                                    <p class="lesson-edits">{ format!("edits: {}", s.edits.join(", ")) }</p>
                                }
                                if !s.flags.is_empty() {
                                    <p class="lesson-edits">{ "flags: " }<code>{ format!("docker build {} .", s.flags) }</code></p>
                                }
                            }
                            if let Some(v) = done {
                                { verdicts(v) }
                                <div class="lesson-notice">{ paragraphs(&s.after) }</div>
                            }
                        </li>
                    }
                }) }
            </ol>
            if let Some(label) = action {
                <button type="button" class="button primary" id="lesson-next" ref={next_ref} onclick={on_next}>{ label }</button>
            } else {
                <p class="lesson-done" id="lesson-done" role="status">
                    { if p.results.iter().flatten().all(|v| v.passed) {
                        "Lesson complete: every expectation held."
                    } else {
                        "Lesson complete; some expectations did not hold (your own edits may explain it)."
                    } }
                </p>
            }
        </div>
    }
}
