//! The Context panel: what the build context sends, what the ignore file leaves out, and
//! which rule decided each path.

use super::numbers::{count, size};
use super::prose::code_spans;
use crate::engine::context::{ContextView, EntryView, Status};
use crate::engine::DiagnosticView;
use yew::prelude::*;

/// Rows rendered at most; a 100,000-file folder is summarized, not drawn in full.
const MAX_ROWS: usize = 1500;

/// Context panel properties.
#[derive(Properties, PartialEq)]
pub struct ContextPanelProps {
    /// The walk's result.
    pub view: std::rc::Rc<ContextView>,
    /// The explanation of the selected path, if any.
    pub explanation: Option<AttrValue>,
    /// Called with a path the user chose.
    pub on_explain: Callback<String>,
    /// Called with a warning the user chose (to jump to it).
    pub on_warning: Callback<DiagnosticView>,
}

/// The build context, decided.
#[component(ContextPanel)]
pub fn context_panel(props: &ContextPanelProps) -> Html {
    let view = &props.view;
    let ignore = match &view.ignore_file {
        Some(p) => html! { <>{ "ignore file: " }<code>{ p }</code></> },
        None => html! { { "no ignore file: everything is sent" } },
    };
    html! {
        <div id="context-panel" class="context-panel">
            if let Some(error) = &view.error {
                <p class="context-error" role="alert">
                    { "BuildKit would fail the build: " }<code>{ error }</code>
                </p>
            }
            <p class="context-summary" id="context-summary">
                <span class="sent">{ format!("sends {} ({})", count(view.sent.0, "file"), size(view.sent.1)) }</span>
                { " · " }
                <span class="left-out">{ format!("leaves out {} ({})", count(view.excluded.0, "file"), size(view.excluded.1)) }</span>
                { " · " }{ ignore }
                if let Some(us) = view.elapsed_us {
                    <span class="timing" id="context-timing" data-ms={layerlab_text::decimal::quotient(us, 1000, 1)}>
                        { format!(" · visited {} in {} ms", count(view.entries as u64, "entry"), us / 1000) }
                    </span>
                }
            </p>
            if let Some(text) = &props.explanation {
                <p class="explanation" id="explanation" role="status">{ code_spans(text) }</p>
            }
            if !view.warnings.is_empty() {
                <ul class="context-warnings" id="context-warnings">
                    { for view.warnings.iter().map(|w| warning(w, &props.on_warning)) }
                </ul>
            }
            if !view.rules.is_empty() {
                <table class="rules">
                    <thead><tr><th>{ "line" }</th><th>{ "rule" }</th><th>{ "paths it decides" }</th></tr></thead>
                    <tbody>
                    { for view.rules.iter().map(|r| html! {
                        <tr class={classes!((r.decided == 0).then_some("unused"))}>
                            <td>{ r.line }</td><td><code>{ &r.text }</code></td><td>{ r.decided }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
            <ul class="context-tree" id="context-tree" aria-label="build context">
                { for view.rows.iter().take(MAX_ROWS).map(|row| entry(row, &props.on_explain)) }
            </ul>
            if view.rows.len() > MAX_ROWS {
                <p class="more">{ format!("… and {} more entries (see the summary above)", view.rows.len() - MAX_ROWS) }</p>
            }
        </div>
    }
}

fn warning(w: &DiagnosticView, on_warning: &Callback<DiagnosticView>) -> Html {
    let onclick = {
        let w = w.clone();
        on_warning.reform(move |_| w.clone())
    };
    html! {
        <li class={classes!("diagnostic", w.severity)} data-code={w.code}>
            <button type="button" class="jump" {onclick}>
                <span class="where">{ format!("{}:{}", w.file, w.line) }</span>
                <span class="message">{ code_spans(&w.message) }</span>
                <span class="code">{ w.code }</span>
            </button>
            if let Some(help) = &w.help {
                <p class="help">{ code_spans(help) }</p>
            }
        </li>
    }
}

fn entry(row: &EntryView, on_explain: &Callback<String>) -> Html {
    let onclick = {
        let path = row.path.clone();
        on_explain.reform(move |_| path.clone())
    };
    let badge = match row.status {
        Status::Sent => None,
        s => Some(s.as_str()),
    };
    let title = row
        .rule
        .clone()
        .unwrap_or_else(|| "sent: no rule matches it".to_string());
    html! {
        <li class={classes!("entry", row.status.as_str().replace([' ', ','], "-"), row.is_dir.then_some("dir"))}
            style={format!("--depth:{}", row.depth)} data-path={row.path.clone()}>
            <button type="button" class="entry-button" {onclick} title={title}>
                <span class="name">{ if row.is_dir { format!("{}/", row.name) } else { row.name.clone() } }</span>
                <span class="size">{ size(row.size) }</span>
                if let Some(b) = badge {
                    <span class="badge">{ b }</span>
                }
                if row.hidden > 0 {
                    <span class="hidden-count">{ format!("{} not visited", count(u64::from(row.hidden), "entry")) }</span>
                }
            </button>
        </li>
    }
}
