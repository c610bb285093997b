//! The problem list: every diagnostic with its line; choosing one jumps to it.

use super::prose::code_spans;
use crate::engine::DiagnosticView;
use yew::prelude::*;

/// Problem list properties.
#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    /// Diagnostics in source order.
    pub items: Vec<DiagnosticView>,
    /// Called with the index of the diagnostic the user chose.
    pub on_select: Callback<usize>,
}

/// Lists diagnostics, or says there are none.
#[component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    if props.items.is_empty() {
        return html! { <p id="diagnostics" class="empty ok">{ "No problems." }</p> };
    }
    html! {
        <ul id="diagnostics" class="diagnostics">
            { for props.items.iter().enumerate().map(|(i, d)| {
                let onclick = props.on_select.reform(move |_| i);
                html! {
                    <li class={classes!("diagnostic", d.severity)} data-code={d.code}>
                        <button type="button" class="jump" {onclick}
                            title={format!("go to line {}", d.line)}>
                            <span class="where">{ format!("{}:{}", d.line, d.col) }</span>
                            <span class="severity">{ d.severity }</span>
                            <span class="message">{ code_spans(&d.message) }</span>
                            <span class="code">{ d.code }</span>
                        </button>
                        if let Some(help) = &d.help {
                            <p class="help">{ code_spans(help) }</p>
                        }
                        if let Some(url) = &d.url {
                            <a class="docs" href={url.clone()} target="_blank" rel="noopener noreferrer">
                                { format!("about {}", d.code) }
                            </a>
                        }
                    </li>
                }
            }) }
        </ul>
    }
}
