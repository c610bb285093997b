//! The context's files as a tree: open, add, rename, delete, upload files or a context
//! tar. Every change is made on a copy of the workspace with the checks in
//! [`Workspace`] (paths may not climb or be absolute), then handed up whole.

use super::numbers;
use crate::upload;
use crate::workspace::{ContextFile, Workspace};

use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Rows drawn at most: a 100,000-file folder is listed by the Context view, not here.
const MAX_ROWS: usize = 400;

/// File tree properties.
#[derive(Properties, PartialEq)]
pub struct FileTreeProps {
    /// The build context.
    pub workspace: Rc<Workspace>,
    /// The file open in the editor.
    pub open: AttrValue,
    /// No changes allowed (embeds with `readonly=1`).
    #[prop_or_default]
    pub readonly: bool,
    /// A file was chosen.
    pub on_open: Callback<AttrValue>,
    /// The workspace changed, with the file to open next.
    pub on_edit: Callback<(Workspace, String)>,
    /// Something to tell the user (an upload's result, why a name was refused).
    pub on_notice: Callback<String>,
}

#[derive(Clone, PartialEq)]
enum Form {
    New,
    Rename(String),
}

/// The file tree with its toolbar.
#[component(FileTree)]
pub fn file_tree(props: &FileTreeProps) -> Html {
    let form = use_state(|| None::<Form>);
    let name = use_state(String::new);
    let error = use_state(|| None::<String>);
    // `autofocus` only acts when a page loads: the name field is focused when it opens.
    let name_field = use_node_ref();
    {
        let name_field = name_field.clone();
        // Keyed on the form itself: switching from New to Rename focuses it again.
        use_effect_with((*form).clone(), move |open| {
            if let Some(input) = open
                .as_ref()
                .and_then(|_| name_field.cast::<web_sys::HtmlInputElement>())
            {
                let _ = input.focus();
                input.select();
            }
        });
    }
    let ws = props.workspace.clone();
    let open = props.open.to_string();

    let start = |f: Form, initial: String| {
        let (form, name, error) = (form.clone(), name.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            name.set(initial.clone());
            error.set(None);
            form.set(Some(f.clone()));
        })
    };
    let on_new = start(Form::New, String::new());
    let on_rename = start(Form::Rename(open.clone()), open.clone());
    let on_delete = {
        let (ws, open, on_edit) = (ws.clone(), open.clone(), props.on_edit.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*ws).clone();
            if !super::confirm(&format!("Delete {open}? This cannot be undone.")) {
                return;
            }
            if next.delete(&open) {
                let dockerfile = next.dockerfile_path.clone();
                on_edit.emit((next, dockerfile));
            }
        })
    };
    let cancel = {
        let form = form.clone();
        Callback::from(move |_| form.set(None))
    };
    let submit = {
        let (form, name, error) = (form.clone(), name.clone(), error.clone());
        let (ws, on_edit) = (ws.clone(), props.on_edit.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut next = (*ws).clone();
            let done = match &*form {
                Some(Form::New) => next
                    .add_file(&name)
                    .map(|_| name.trim().trim_matches('/').to_string()),
                Some(Form::Rename(from)) => next.rename(from, &name),
                None => return,
            };
            match done {
                Ok(path) => {
                    form.set(None);
                    on_edit.emit((next, path));
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    let oninput = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            name.set(input.value());
        })
    };
    let onkeydown = {
        let form = form.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                form.set(None);
            }
        })
    };
    let on_files = {
        let (ws, on_edit, on_notice) = (ws.clone(), props.on_edit.clone(), props.on_notice.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            // The input's FileList is live: take the files out before clearing it.
            let Some(list) = input.files() else { return };
            let files: Vec<web_sys::File> =
                (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            let (ws, on_edit, on_notice) = (ws.clone(), on_edit.clone(), on_notice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match upload::files_from_list(files).await {
                    Ok(added) => {
                        let mut next = (*ws).clone();
                        match next.add_uploads(added) {
                            Ok((first, summary)) => {
                                on_notice.emit(format!(
                                    "{summary}. Read in the browser; nothing left it."
                                ));
                                on_edit.emit((next, first));
                            }
                            Err(message) => on_notice.emit(message),
                        }
                    }
                    Err(message) => on_notice.emit(message),
                }
            });
        })
    };
    let on_tar = {
        let (ws, on_edit, on_notice) = (ws.clone(), props.on_edit.clone(), props.on_notice.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let name = file.name();
            let dockerfile = ws.dockerfile_path.clone();
            let (on_edit, on_notice) = (on_edit.clone(), on_notice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match upload::from_tar_file(file, dockerfile).await {
                    Ok(loaded) => {
                        let ws = loaded.workspace;
                        on_notice.emit(format!(
                            "Loaded {name}: {}{}. Read in the browser; nothing left it.",
                            numbers::count(ws.files.len() as u64, "file"),
                            if loaded.skipped > 0 {
                                format!(", {} links or special files skipped", loaded.skipped)
                            } else {
                                String::new()
                            }
                        ));
                        let open = ws.dockerfile_path.clone();
                        on_edit.emit((ws, open));
                    }
                    Err(message) => on_notice.emit(format!("Could not load {name}: {message}")),
                }
            });
            input.set_value("");
        })
    };

    // The workspace is replaced (a new Rc) on every change, so the pointer is the version.
    let listed = use_memo(Rc::as_ptr(&ws) as usize, {
        let ws = ws.clone();
        move |_| {
            let entries = ws.entries();
            let hidden = entries.len().saturating_sub(MAX_ROWS);
            (
                entries.into_iter().take(MAX_ROWS).collect::<Vec<_>>(),
                hidden,
            )
        }
    });
    let hidden = listed.1;
    // One Tab stop for the whole list (the open file's button, else the first file's);
    // the arrow keys move among the rest (`tablist::on_list_keydown`).
    let stop = listed
        .0
        .iter()
        .find(|(p, is_dir, _)| !is_dir && *p == open)
        .or_else(|| listed.0.iter().find(|(_, is_dir, _)| !is_dir))
        .map(|(p, ..)| p.clone());
    let rows = listed.0.iter().cloned().map(|(path, is_dir, size)| {
        let depth = path.matches('/').count();
        let label = path.rsplit('/').next().unwrap_or(&path).to_string();
        // 0.9em a level, plus 0.3em.
        let style = format!("padding-left: {}em", numbers::tenths(depth as u64 * 9 + 3));
        if is_dir {
            return html! { <li class="tree-dir" data-path={path} {style}>{ format!("{label}/") }</li> };
        }
        let current = path == open;
        let sized = matches!(ws.files.get(&path), Some(ContextFile::Sized(_)));
        let onclick = {
            let path = AttrValue::from(path.clone());
            props.on_open.reform(move |_| path.clone())
        };
        let title = if sized { format!("{path}: {size} bytes, known by size only") } else { format!("{path}: {size} bytes") };
        html! {
            <li data-path={path.clone()} class={classes!("tree-file", sized.then_some("sized"), current.then_some("current"))}>
                <button type="button" {style} {title} aria-current={current.then_some("true")} {onclick}
                    tabindex={super::tablist::tab_index(stop.as_deref() == Some(path.as_str()))}>{ label }</button>
            </li>
        }
    });
    let exists = ws.files.contains_key(&open);
    html! {
        <nav class="file-tree" id="file-tree" aria-label="context files">
            if !props.readonly {
                <div class="tree-tools">
                    <button type="button" class="button" id="tree-new" onclick={on_new}>{ "New file" }</button>
                    <button type="button" class="button" id="tree-rename" disabled={!exists} onclick={on_rename}
                        title={format!("rename {open}")}>{ "Rename" }</button>
                    <button type="button" class="button" id="tree-delete" disabled={!exists} onclick={on_delete}
                        title={format!("delete {open}")}>{ "Delete" }</button>
                    <label class="button" title="add files from your computer (read in the browser)">{ "Upload files" }
                        <input id="tree-upload" type="file" multiple=true class="visually-hidden" onchange={on_files} />
                    </label>
                    <label class="button" title="docker build - < context.tar: load a context archive (.tar, .tar.gz)">{ "Upload .tar" }
                        <input id="tree-tar" type="file" accept=".tar,.tgz,.tar.gz,application/x-tar,application/gzip" class="visually-hidden" onchange={on_tar} />
                    </label>
                </div>
                if let Some(f) = &*form {
                    <form class="tree-form" onsubmit={submit}>
                        <label for="tree-name">{ match f { Form::New => "new file path".to_string(), Form::Rename(from) => format!("rename {from} to") } }</label>
                        <input id="tree-name" ref={name_field} type="text" value={(*name).clone()} {oninput} {onkeydown} spellcheck="false"
                            aria-invalid={error.is_some().then_some("true")} aria-describedby="tree-error" />
                        <button type="submit" class="button primary">{ "OK" }</button>
                        <button type="button" class="button" onclick={cancel}>{ "Cancel" }</button>
                        if let Some(message) = &*error {
                            <p id="tree-error" class="tree-error" role="alert">{ message }</p>
                        }
                    </form>
                }
            }
            <ul class="tree-list" data-roving="true" aria-label="files: arrow keys move, Enter opens" onkeydown={super::tablist::on_list_keydown()}>
                { for rows }
                if hidden > 0 {
                    <li class="tree-more">{ format!("… {hidden} more (the Context view lists every entry)") }</li>
                }
            </ul>
        </nav>
    }
}
