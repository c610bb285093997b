//! The Layers view: `docker history` for the last build or an imported archive, each
//! layer's changes as a tree, the final filesystem with the layer every file comes
//! from, wasted space with its cause, the image config, and archive downloads.

mod tree;

use super::numbers::{count, permille, size, tenths, width};
use crate::engine::build::BuildView;
use crate::engine::image::{self, ArchiveKind, ImageModel};
use std::rc::Rc;
use tree::{FileTree, Tree};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Wasted paths listed before "show more".
const WASTE_PAGE: usize = 25;

/// Layers panel properties.
#[derive(Properties, PartialEq)]
pub struct LayersPanelProps {
    /// The last build (its identity changes with every build).
    pub build: Option<Rc<BuildView>>,
    /// The step chosen in the Build view, if any (index into its steps).
    pub selected_step: Option<usize>,
    /// A row was chosen: select the step that made it (none for a base layer's row).
    pub on_step: Callback<Option<usize>>,
}

/// The Layers view.
#[component(LayersPanel)]
pub fn layers_panel(props: &LayersPanelProps) -> Html {
    let build_key = props.build.as_ref().map_or(0, |b| Rc::as_ptr(b) as usize);
    // Explored once per build (the model is kept with the build, not the component).
    let built = use_memo(build_key, |_| image::last_build());
    let imported = use_state(|| None::<Rc<ImageModel>>);
    let use_import = use_state(|| false);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let selected = use_state(|| None::<usize>);

    let model: Option<Rc<ImageModel>> = match (&*imported, *use_import, &*built) {
        (Some(m), true, _) => Some(m.clone()),
        (_, _, Some(m)) => Some(m.clone()),
        (Some(m), _, None) => Some(m.clone()),
        _ => None,
    };
    let model_key = model.as_ref().map_or(0, |m| Rc::as_ptr(m) as usize);

    // A step chosen in the Build view selects the layer it made.
    {
        let selected = selected.clone();
        let model = model.clone();
        use_effect_with((props.selected_step, model_key), move |(step, _)| {
            if let (Some(step), Some(m)) = (step, &model) {
                if let Some(l) = m.layers.iter().position(|l| l.step == Some(*step)) {
                    selected.set(Some(l));
                }
            }
        });
    }

    let on_file = {
        let (imported, use_import, error, busy) = (
            imported.clone(),
            use_import.clone(),
            error.clone(),
            busy.clone(),
        );
        let selected = selected.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            // Refused before reading: the bytes would not fit beside their expansion.
            let cap = image::PAGE_LIMITS.max_total_bytes;
            if file.size() > cap as f64 {
                error.set(Some(format!(
                    "{}: {} is more than the page can explore ({})",
                    file.name(),
                    size(file.size() as u64),
                    size(cap)
                )));
                input.set_value("");
                return;
            }
            let (imported, use_import, error, busy, selected) = (
                imported.clone(),
                use_import.clone(),
                error.clone(),
                busy.clone(),
                selected.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let read = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
                let result = match read {
                    Ok(buf) => image::import(&file.name(), &js_sys::Uint8Array::new(&buf).to_vec()),
                    Err(e) => Err(format!("could not read {}: {e:?}", file.name())),
                };
                busy.set(false);
                match result {
                    Ok(m) => {
                        imported.set(Some(Rc::new(m)));
                        use_import.set(true);
                        selected.set(None);
                        error.set(None);
                    }
                    Err(message) => error.set(Some(message)),
                }
            });
            // The same file chosen again is a new import.
            input.set_value("");
        })
    };

    let import_control = html! {
        <label class="button import" title="an OCI layout tar or a docker save tarball, optionally gzipped">
            { if *busy { "Importing…" } else { "Import image archive…" } }
            <input type="file" id="import-file" class="visually-hidden" accept=".tar,.gz,.tgz,application/x-tar,application/gzip" onchange={on_file} />
        </label>
    };
    let Some(m) = model else {
        return html! {
            <div class="layers-panel" id="layers-panel">
                <div class="layers-actions">{ import_control }</div>
                { for (*error).clone().map(|e| html! { <p class="build-error" id="import-error" role="alert">{ e }</p> }) }
                <p class="empty">{ "Build the Dockerfile (or import an image archive) to see its history, what each layer adds, changes and deletes, the final filesystem and wasted space." }</p>
            </div>
        };
    };
    let source_switch = if imported.is_some() && built.is_some() {
        let to = |v: bool| {
            let (use_import, selected, error) =
                (use_import.clone(), selected.clone(), error.clone());
            Callback::from(move |_| {
                use_import.set(v);
                selected.set(None);
                error.set(None);
            })
        };
        html! {
            <div class="source-switch" role="group" aria-label="image shown">
                <button type="button" class="button" aria-pressed={(!m.imported).to_string()} onclick={to(false)}>{ "last build" }</button>
                <button type="button" class="button" aria-pressed={m.imported.to_string()} onclick={to(true)}>{ "imported" }</button>
            </div>
        }
    } else {
        html! {}
    };
    let explore_ms = Some(m.explore_ms);
    let total: u64 = m.layers.iter().map(|l| l.size).sum();
    let select_layer = {
        let selected = selected.clone();
        let on_step = props.on_step.clone();
        let m = m.clone();
        Callback::from(move |layer: usize| {
            selected.set(Some(layer));
            if !m.imported {
                on_step.emit(m.layers.get(layer).and_then(|l| l.step));
            }
        })
    };
    html! {
        <div class="layers-panel" id="layers-panel" data-explore-ms={explore_ms.map(|t| tenths((t * 10.0).round() as u64))}>
            <div class="layers-actions">
                { source_switch }
                { import_control }
                <DownloadButton model={m.clone()} kind={ArchiveKind::Oci} />
                <DownloadButton model={m.clone()} kind={ArchiveKind::Docker} />
            </div>
            { for (*error).clone().map(|e| html! { <p class="build-error" id="import-error" role="alert">{ e }</p> }) }
            <p class="layers-summary" id="layers-summary">
                <strong>{ &m.title }</strong>
                { format!(" · {} · {} · ", count(m.layers.len() as u64, "layer"), size(total)) }
                <code title="image ID: sha256 of the config">{ short(&m.id) }</code>
                if let Some(ms) = explore_ms {
                    <span class="muted">{ format!(" · explored in {} ms", ms.round() as u64) }</span>
                }
            </p>
            if !m.notes.is_empty() {
                <ul class="import-notes">{ for m.notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            }
            { history(&m, *selected, &select_layer) }
            if let Some(layer) = (*selected).filter(|l| *l < m.layers.len()) {
                <LayerDetail model={m.clone()} {layer} />
            } else {
                <p class="empty">{ "Choose a row with a layer to see what it adds, changes and deletes." }</p>
            }
            <Waste model={m.clone()} />
            <FinalFs model={m.clone()} on_layer={select_layer.clone()} />
            <details class="inspect">
                <summary>{ "Image config (the OCI config JSON in the archive)" }</summary>
                <pre id="layers-inspect">{ &m.inspect }</pre>
            </details>
        </div>
    }
}

fn short(id: &str) -> String {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    hex.chars().take(12).collect()
}

fn history(m: &ImageModel, selected: Option<usize>, select: &Callback<usize>) -> Html {
    let max = m.history.iter().map(|h| h.size).max().unwrap_or(0).max(1);
    html! {
        <table class="layers-history" id="layers-history">
            <caption class="visually-hidden">{ "image history, oldest first" }</caption>
            <thead><tr><th>{ "layer" }</th><th>{ "created by" }</th><th class="num">{ "size" }</th></tr></thead>
            <tbody>
            { for m.history.iter().enumerate().map(|(i, h)| {
                let is_selected = h.layer.is_some() && h.layer == selected;
                let class = classes!(
                    "history-row",
                    h.base.then_some("base"),
                    h.layer.is_none().then_some("empty-layer"),
                    is_selected.then_some("selected"),
                );
                let label = match h.layer {
                    Some(l) => format!("L{l}"),
                    None => "–".into(),
                };
                let size_text = if h.layer.is_some() { size(h.size) } else { "0 B".into() };
                let bar = width(permille(h.size, max));
                let created = html! {
                    <>
                        if h.base { <span class="tag base-tag" title="inherited from the base image">{ "base" }</span> }
                        <span class="created-by">{ &h.created_by }</span>
                    </>
                };
                html! {
                    <tr {class} data-index={i.to_string()} data-layer={h.layer.map(|l| l.to_string())} data-step={h.step.map(|s| s.to_string())}>
                        <td class="layer-id">{ label }</td>
                        <td class="created">
                            if let Some(l) = h.layer {
                                <button type="button" class="row-button" aria-pressed={is_selected.to_string()}
                                    title={if h.step.is_some() { "show this layer and select its instruction" } else { "show this layer" }}
                                    onclick={select.reform(move |_| l)}>{ created }</button>
                            } else {
                                <span class="row-text" title="no layer: this instruction only changed the config">{ created }</span>
                            }
                        </td>
                        <td class="num size-cell">
                            <span class="size-text">{ if h.layer.is_some() { size_text } else { "no layer".into() } }</span>
                            <span class="size-bar" style={bar}></span>
                        </td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct ModelProps {
    model: Rc<ImageModel>,
}

#[derive(Properties, PartialEq)]
struct LayerProps {
    model: Rc<ImageModel>,
    layer: usize,
}

#[component(LayerDetail)]
fn layer_detail(props: &LayerProps) -> Html {
    let m = &props.model;
    let key = (Rc::as_ptr(m) as usize, props.layer);
    let tree = {
        let m = m.clone();
        use_memo(key, move |(_, l)| Rc::new(Tree::of_layer(&m.ex.layers[*l])))
    };
    let row = &m.layers[props.layer];
    let count = |(n, b): (u32, u64), what: &str| format!("{n} {what} ({})", size(b));
    html! {
        <section class="layer-detail" id="layer-detail" aria-label={format!("layer {}", props.layer)}>
            <h2>{ format!("Layer {}", props.layer) }</h2>
            <p class="layer-meta"><code>{ &row.diff_id }</code>{ format!(" · {}", size(row.size)) }</p>
            <p class="layer-created">{ &row.created_by }</p>
            <p class="layer-counts" id="layer-counts">
                <span class="added">{ count(row.added, "added") }</span>{ " · " }
                <span class="modified">{ count(row.modified, "modified") }</span>{ " · " }
                <span class="deleted">{ format!("{} deleted ({} hidden)", row.deleted.0, size(row.deleted.1)) }</span>
            </p>
            if row.added.0 + row.modified.0 + row.deleted.0 == 0 {
                <p class="empty">{ "This layer changes nothing (an empty tar)." }</p>
            } else {
                <FileTree key={format!("{}-{}", key.0, key.1)} tree={(*tree).clone()} id="layer-tree" count="changes" label={format!("changes in layer {}", props.layer)} />
            }
        </section>
    }
}

#[component(Waste)]
fn waste(props: &ModelProps) -> Html {
    let shown = use_state(|| WASTE_PAGE);
    let m = &props.model;
    let w = &m.waste;
    let more = {
        let shown = shown.clone();
        Callback::from(move |_| shown.set(*shown + WASTE_PAGE))
    };
    html! {
        <section class="layers-waste" id="layers-waste" aria-label="wasted space">
            <h2>{ "Wasted space" }</h2>
            <p id="waste-summary">
                // Rounded down, so an image with any waste never shows 100%.
                { format!("{} wasted in {} · efficiency {}% ({} of {} file bytes reachable; layer sizes also count tar headers)",
                    size(w.wasted_bytes), count(w.paths.len() as u64, "path"), tenths(permille(w.reachable_bytes(), w.stored_bytes)),
                    size(w.reachable_bytes()), size(w.stored_bytes)) }
            </p>
            if w.paths.is_empty() {
                <p class="empty ok">{ "No file is overwritten or deleted by a later layer." }</p>
            } else {
                <ul class="waste-list">
                { for w.paths.iter().take(*shown).map(|p| html! {
                    <li data-path={p.path.as_str().to_owned()}>
                        <span class="size">{ size(p.bytes) }</span>
                        <code class="path">{ p.path.as_str() }</code>
                        <ul class="causes">
                            { for p.versions.iter().map(|v| html! {
                                <li>{ format!("{} written in layer {}, {}", size(v.size), v.layer, v.cause(&m.created_by)) }</li>
                            }) }
                        </ul>
                    </li>
                }) }
                </ul>
                if w.paths.len() > *shown {
                    <button type="button" class="link" onclick={more}>{ format!("show more ({} left)", w.paths.len() - *shown) }</button>
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FinalProps {
    model: Rc<ImageModel>,
    on_layer: Callback<usize>,
}

#[component(FinalFs)]
fn final_fs(props: &FinalProps) -> Html {
    let open = use_state(|| false);
    let key = Rc::as_ptr(&props.model) as usize;
    let tree = {
        let m = props.model.clone();
        let open = *open;
        // Built only once opened: a base image has thousands of files.
        use_memo((key, open), move |_| {
            open.then(|| Rc::new(Tree::of_final(&m.ex)))
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    html! {
        <section class="final-fs" aria-label="final filesystem">
            <h2>
                <button type="button" class="tree-toggle heading-toggle" id="final-fs-toggle" aria-expanded={open.to_string()} onclick={toggle}>
                    <span class="chevron" aria-hidden="true">{ if *open { "▾" } else { "▸" } }</span>{ "Final filesystem" }
                </button>
            </h2>
            if let Some(tree) = &*tree {
                <p class="muted">{ "Each entry with the layer that last wrote it (choose one to see that layer)." }</p>
                <FileTree key={key.to_string()} tree={tree.clone()} id="final-tree" count="files" label="final filesystem" on_layer={props.on_layer.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DownloadProps {
    model: Rc<ImageModel>,
    kind: ArchiveKind,
}

/// Writes the archive only when clicked, hands it to the browser as a Blob behind an
/// object URL, and lets the URL go once the download has started.
#[component(DownloadButton)]
fn download_button(props: &DownloadProps) -> Html {
    let error = use_state(|| None::<String>);
    // The note with the ID of the image it is about: it goes when the view shows another.
    let note = use_state(|| None::<(String, String)>);
    let name = props.kind.file_name(&props.model.file_stem);
    let onclick = {
        let (m, kind, name, error, note) = (
            props.model.clone(),
            props.kind,
            name.clone(),
            error.clone(),
            note.clone(),
        );
        Callback::from(move |_| {
            let mut parts = BlobParts::default();
            let saved = match image::write_archive(&m, kind, &mut parts) {
                Ok(n) => save(parts.finish(), &name).map(|()| n),
                Err(e) => Err(JsValue::from(e.to_string())),
            };
            match saved {
                Ok(n) => note.set(n.map(|n| (m.id.clone(), n))),
                Err(e) => error.set(Some(format!("download failed: {e:?}"))),
            }
        })
    };
    let (label, id, title) = match props.kind {
        ArchiveKind::Oci => (
            "Download OCI",
            "download-oci",
            "an OCI image layout tar (docker buildx build -o type=oci)",
        ),
        ArchiveKind::Docker => (
            "Download docker",
            "download-docker",
            "a docker save tarball (docker load -i)",
        ),
    };
    html! {
        <>
            <button type="button" class="button" {id} title={format!("{title}: {name}")} {onclick}>{ label }</button>
            { for (*error).clone().map(|e| html! { <span class="build-error" role="alert">{ e }</span> }) }
            { for (*note).clone().filter(|(id, _)| *id == props.model.id).map(|(_, n)| html! { <span class="download-note" role="status">{ n }</span> }) }
        </>
    }
}

/// A download's bytes as they are written, moved out of wasm memory a few MiB at a
/// time: a Vec of the whole archive would grow the page's memory by its size for good
/// (wasm memory never shrinks) and copy it as it grows.
#[derive(Default)]
struct BlobParts {
    buf: Vec<u8>,
    parts: Vec<js_sys::Uint8Array>,
}

impl BlobParts {
    const CHUNK: usize = 4 << 20;

    fn move_out(&mut self) {
        if !self.buf.is_empty() {
            self.parts.push(js_sys::Uint8Array::from(&self.buf[..]));
            self.buf.clear();
        }
    }

    fn finish(mut self) -> js_sys::Array {
        self.move_out();
        self.parts.into_iter().collect()
    }
}

impl std::io::Write for BlobParts {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(Self::CHUNK);
        }
        let n = data.len().min(Self::CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == Self::CHUNK {
            self.move_out();
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn save(parts: js_sys::Array, name: &str) -> Result<(), JsValue> {
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/x-tar");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoking at once could cancel the download before the browser reads the Blob.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)?;
    Ok(())
}
