//! The top-level component: owns the Dockerfile text and derives everything from it.

use super::diagnostics::Diagnostics;
use super::editor::{Editor, Reveal};
use super::instructions::Instructions;
use crate::engine::{parse_view, STARTER_DOCKERFILE};
use yew::prelude::*;

/// The playground page.
#[component(App)]
pub fn app() -> Html {
    let text = use_state(|| STARTER_DOCKERFILE.to_string());
    let reveal = use_state(|| None::<Reveal>);
    // Parsing is cheap (microseconds for tutorial files), so every keystroke re-parses.
    let view = use_memo((*text).clone(), |text| parse_view(text));
    let on_change = {
        let text = text.clone();
        Callback::from(move |new: String| text.set(new))
    };
    let on_select = {
        let view = view.clone();
        let reveal = reveal.clone();
        Callback::from(move |i: usize| {
            if let Some(d) = view.diagnostics.get(i) {
                let serial = reveal.map_or(0, |r| r.serial.wrapping_add(1));
                reveal.set(Some(Reveal {
                    start: d.utf16.0,
                    end: d.utf16.1,
                    line: d.line - 1,
                    serial,
                }));
            }
        })
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
                    <Editor id="dockerfile" value={(*text).clone()} segments={view.segments.clone()}
                        on_change={on_change} reveal={*reveal} />
                </section>
                <section class="pane">
                    <h2>{ "Instructions" }</h2>
                    <Instructions items={view.instructions.clone()} />
                    <h2>{ "Problems" }</h2>
                    <Diagnostics items={view.diagnostics.clone()} {on_select} />
                </section>
            </main>
        </div>
    }
}
