//! The problem list: every diagnostic with its line and column.

use crate::engine::DiagnosticView;
use yew::prelude::*;

/// Problem list properties.
#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    /// Diagnostics in source order.
    pub items: Vec<DiagnosticView>,
}

/// Lists diagnostics, or says there are none.
#[component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    if props.items.is_empty() {
        return html! { <p id="diagnostics" class="empty ok">{ "No problems." }</p> };
    }
    html! {
        <ul id="diagnostics" class="diagnostics">
            { for props.items.iter().map(|d| html! {
                <li class={classes!("diagnostic", d.severity)}>
                    <span class="where">{ format!("line {}:{}", d.line, d.col) }</span>
                    <span class="severity">{ d.severity }</span>
                    <span class="message">{ &d.message }</span>
                    <span class="code">{ d.code }</span>
                </li>
            }) }
        </ul>
    }
}
