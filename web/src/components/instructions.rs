//! The parsed instruction table: keyword, arguments and line range.

use crate::engine::InstructionView;
use yew::prelude::*;

/// Instruction table properties.
#[derive(Properties, PartialEq)]
pub struct InstructionsProps {
    /// Instructions in source order.
    pub items: Vec<InstructionView>,
}

/// Lists the parsed instructions.
#[component(Instructions)]
pub fn instructions(props: &InstructionsProps) -> Html {
    if props.items.is_empty() {
        return html! { <p id="instructions" class="empty">{ "No instructions yet." }</p> };
    }
    html! {
        <table id="instructions" class="instructions">
            <thead><tr><th>{ "lines" }</th><th>{ "instruction" }</th><th>{ "arguments" }</th></tr></thead>
            <tbody>
            { for props.items.iter().map(|ins| {
                let lines = if ins.first_line == ins.last_line {
                    ins.first_line.to_string()
                } else {
                    format!("{}–{}", ins.first_line, ins.last_line)
                };
                html! {
                    <tr class="instruction">
                        <td class="lines">{ lines }</td>
                        <td class="keyword">{ &ins.keyword }</td>
                        <td class="args">{ &ins.args }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}
