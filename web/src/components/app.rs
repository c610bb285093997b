//! The top-level component: owns the Dockerfile text and derives everything from it.

use super::diagnostics::Diagnostics;
use super::editor::Editor;
use super::instructions::Instructions;
use crate::engine::{parse_view, STARTER_DOCKERFILE};
use yew::prelude::*;

/// The playground page.
#[component(App)]
pub fn app() -> Html {
    let text = use_state(|| STARTER_DOCKERFILE.to_string());
    // Parsing is cheap (microseconds for tutorial files), so every keystroke re-parses.
    let view = use_memo((*text).clone(), |text| parse_view(text));
    let on_change = {
        let text = text.clone();
        Callback::from(move |new: String| text.set(new))
    };
    html! {
        <div class="app">
            <header class="topbar">
                <h1>{ "layerlab" }</h1>
                <span class="tagline">{ "what docker build really does" }</span>
                <span class="version" id="engine-version">{ format!("engine {}", crate::ENGINE_VERSION) }</span>
            </header>
            <main class="panes">
                <section class="pane">
                    <h2><label for="dockerfile">{ "Dockerfile" }</label></h2>
                    <Editor value={(*text).clone()} on_change={on_change} />
                </section>
                <section class="pane">
                    <h2>{ "Instructions" }</h2>
                    <Instructions items={view.instructions.clone()} />
                    <h2>{ "Problems" }</h2>
                    <Diagnostics items={view.diagnostics.clone()} />
                </section>
            </main>
        </div>
    }
}
