//! The top-level component: owns the workspace and derives every view from it.

use super::build_panel::BuildPanel;
use super::context_panel::ContextPanel;
use super::diagnostics::Diagnostics;
use super::editor::{Editor, Reveal};
use super::file_tabs::FileTabs;
use super::folder_picker::FolderPicker;
use super::instructions::Instructions;
use super::layers_panel::LayersPanel;
use crate::engine::build::{prune_cache, run_build, BuildView, PageOptions, StepView};
use crate::engine::context::{context_view, explain};
use crate::engine::{self, parse_view, DiagnosticView};
use crate::upload::{self, Loaded};
use crate::workspace::{Workspace, DOCKERIGNORE};
use std::rc::Rc;
use yew::prelude::*;

/// The playground page.
#[component(App)]
pub fn app() -> Html {
    let workspace = use_state(|| Rc::new(Workspace::starter()));
    let open = use_state(|| AttrValue::from("Dockerfile"));
    let reveal = use_state(|| None::<Reveal>);
    let notice = use_state(|| None::<String>);
    let dragging = use_state(|| false);
    let right_tab = use_state(|| "instructions");
    let explanation = use_state(|| None::<AttrValue>);
    let build_view = use_state(|| None::<Rc<BuildView>>);
    let build_options = use_state(PageOptions::default);
    // The build step chosen in the Build or Layers view (index into the build's steps).
    let selected_step = use_state(|| None::<usize>);

    // Parsing is cheap (microseconds for tutorial files), so every keystroke re-parses.
    let dockerfile = workspace.dockerfile().to_string();
    let view = use_memo(dockerfile, |text| parse_view(text));
    // The context walk depends on every file; the workspace is replaced (new Rc) on
    // every edit, so the pointer is the version.
    let context = {
        let ws = (*workspace).clone();
        use_memo(Rc::as_ptr(&ws) as usize, move |_| {
            let now = || {
                web_sys::window()
                    .and_then(|w| w.performance())
                    .map_or(0.0, |p| p.now())
            };
            let t0 = now();
            let mut view = context_view(&ws);
            view.elapsed_us = Some(((now() - t0) * 1000.0) as u64);
            view
        })
    };
    let open_text = workspace.text(open.as_str()).to_string();
    let segments = if open.as_str() == workspace.dockerfile_path {
        view.segments.clone()
    } else {
        engine::plain_segments(open.as_str(), &open_text)
    };

    let on_change = {
        let workspace = workspace.clone();
        let open = open.clone();
        Callback::from(move |new: String| {
            let mut next = (**workspace).clone();
            next.set_text(open.as_str(), new);
            workspace.set(Rc::new(next));
        })
    };
    // Every "go to" in the page (a problem, a context warning, a build step) opens a file
    // and selects a range in it: (file, UTF-16 start, UTF-16 end, zero-based line).
    let jump = {
        let open = open.clone();
        let reveal = reveal.clone();
        Callback::from(move |(file, start, end, line): (String, u32, u32, u32)| {
            open.set(AttrValue::from(file));
            let serial = reveal.map_or(0, |r| r.serial.wrapping_add(1));
            reveal.set(Some(Reveal {
                start,
                end,
                line,
                serial,
            }));
        })
    };
    let on_select_diag = {
        let view = view.clone();
        let jump = jump.clone();
        let workspace = workspace.clone();
        Callback::from(move |i: usize| {
            if let Some(d) = view.diagnostics.get(i) {
                jump.emit((
                    workspace.dockerfile_path.clone(),
                    d.utf16.0,
                    d.utf16.1,
                    d.line - 1,
                ));
            }
        })
    };
    let on_explain = {
        let workspace = workspace.clone();
        let explanation = explanation.clone();
        Callback::from(move |path: String| explanation.set(Some(explain(&workspace, &path).into())))
    };
    let on_warning = jump.reform(|w: DiagnosticView| (w.file, w.utf16.0, w.utf16.1, w.line - 1));
    let on_build = {
        let workspace = workspace.clone();
        let build_view = build_view.clone();
        let build_options = build_options.clone();
        let right_tab = right_tab.clone();
        Callback::from(move |_: ()| {
            build_view.set(Some(Rc::new(run_build(&workspace, &build_options))));
            right_tab.set("build");
        })
    };
    let on_prune = {
        let build_view = build_view.clone();
        Callback::from(move |_: ()| {
            prune_cache();
            build_view.set(None);
        })
    };
    let on_options = {
        let build_options = build_options.clone();
        Callback::from(move |o: PageOptions| build_options.set(o))
    };
    let on_step = {
        let workspace = workspace.clone();
        let (build_view, selected_step) = (build_view.clone(), selected_step.clone());
        jump.reform(move |s: StepView| {
            let index = build_view
                .as_ref()
                .and_then(|v| v.steps.iter().position(|x| *x == s));
            selected_step.set(index);
            (
                workspace.dockerfile_path.clone(),
                s.utf16.0,
                s.utf16.1,
                s.line - 1,
            )
        })
    };
    // A layer made by a build step was chosen in the Layers view: select its line.
    let on_layer_step = {
        let build_view = build_view.clone();
        let on_step = on_step.clone();
        Callback::from(move |i: usize| {
            if let Some(s) = build_view.as_ref().and_then(|v| v.steps.get(i)) {
                on_step.emit(s.clone());
            }
        })
    };
    let tab = |id: &'static str, label: &'static str| {
        let right_tab = right_tab.clone();
        let selected = *right_tab == id;
        let onclick = Callback::from(move |_| right_tab.set(id));
        html! {
            <button type="button" role="tab" id={format!("tab-{id}")} aria-selected={selected.to_string()}
                class={classes!("tab", selected.then_some("selected"))} {onclick}>{ label }</button>
        }
    };
    let on_loaded = {
        let workspace = workspace.clone();
        let open = open.clone();
        let notice = notice.clone();
        Callback::from(move |loaded: Result<Loaded, String>| match loaded {
            Ok(Loaded {
                workspace: ws,
                skipped,
            }) => {
                let files = ws.files.len();
                notice.set(Some(format!(
                    "Loaded a folder: {files} files{}. Only names and sizes were read; nothing left the browser.",
                    if skipped > 0 { format!(", {skipped} entries skipped") } else { String::new() }
                )));
                open.set(AttrValue::from(ws.dockerfile_path.clone()));
                workspace.set(Rc::new(ws));
            }
            Err(message) => notice.set(Some(message)),
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let on_loaded = on_loaded.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(data) = e.data_transfer() {
                let on_loaded = on_loaded.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    on_loaded.emit(upload::from_drop(data).await);
                });
            }
        })
    };

    let mut tabs: Vec<AttrValue> = vec![
        workspace.dockerfile_path.clone().into(),
        AttrValue::from(DOCKERIGNORE),
    ];
    tabs.extend(
        workspace
            .files
            .iter()
            .filter(|(p, f)| {
                matches!(f, crate::workspace::ContextFile::Text(_))
                    && **p != workspace.dockerfile_path
                    && p.as_str() != DOCKERIGNORE
            })
            .map(|(p, _)| AttrValue::from(p.clone())),
    );
    let on_tab = {
        let open = open.clone();
        Callback::from(move |path: AttrValue| open.set(path))
    };

    html! {
        <div class={classes!("app", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            <header class="topbar">
                <h1>{ "layerlab" }</h1>
                <span class="tagline">{ "what docker build really does" }</span>
                <FolderPicker {on_loaded} />
                <button type="button" class="button primary" id="top-build" onclick={on_build.reform(|_| ())}>{ "Build" }</button>
                <span class="version" id="engine-version">{ format!("engine {}", crate::ENGINE_VERSION) }</span>
            </header>
            if let Some(message) = &*notice {
                <p class="notice" id="notice" role="status">{ message }</p>
            }
            <main class="panes">
                <section class="pane">
                    <FileTabs paths={tabs} selected={(*open).clone()} on_select={on_tab} />
                    <label for="editor" class="visually-hidden">{ format!("contents of {}", *open) }</label>
                    <Editor id="editor" value={open_text} {segments} {on_change} reveal={*reveal} />
                </section>
                <section class="pane">
                    <div class="tabs" role="tablist" aria-label="views">
                        { tab("instructions", "Instructions") }
                        { tab("context", "Context") }
                        { tab("build", "Build") }
                        { tab("layers", "Layers") }
                    </div>
                    if *right_tab == "build" {
                        <BuildPanel view={(*build_view).clone()} options={(*build_options).clone()}
                            {on_options} {on_build} {on_prune} {on_step} />
                    } else if *right_tab == "layers" {
                        <LayersPanel build={(*build_view).clone()} selected_step={*selected_step} on_step={on_layer_step} />
                    } else if *right_tab == "instructions" {
                        <Instructions items={view.instructions.clone()} />
                        <h2>{ "Problems" }</h2>
                        <Diagnostics items={view.diagnostics.clone()} on_select={on_select_diag} />
                    } else {
                        <ContextPanel view={context.clone()} explanation={(*explanation).clone()}
                            {on_explain} {on_warning} />
                    }
                </section>
            </main>
            if *dragging {
                <div class="drop-hint" aria-hidden="true">{ "Drop a project folder to check its build context" }</div>
            }
        </div>
    }
}
