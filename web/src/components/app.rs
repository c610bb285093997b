//! The top-level component: owns the workspace and derives every view from it.

use super::build_panel::BuildPanel;
use super::cache_panel::CachePanel;
use super::context_panel::ContextPanel;
use super::diagnostics::Diagnostics;
use super::editor::{Editor, Reveal};
use super::file_tabs::FileTabs;
use super::file_tree::FileTree;
use super::folder_picker::FolderPicker;
use super::instructions::Instructions;
use super::layers_panel::LayersPanel;
use super::lessons_panel::LessonsPanel;
use super::numbers::count;
use super::share_bar::ShareBar;
use super::tablist;
use crate::engine::build::{BuildView, PageOptions};
use crate::engine::cache::{PageEdit, WhatIfView};
use crate::engine::client;
use crate::engine::context::{context_view, explain};
use crate::engine::lessons::{self, lesson_list, Player};
use crate::engine::wire::{Request, Response};
use crate::engine::{self, parse_view, DiagnosticView};
use crate::share::{self, EmbedOptions, PageState};
use crate::storage;
use crate::upload::{self, Loaded};
use crate::workspace::{Workspace, DOCKERIGNORE};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The right-hand views by id: the names a share link's view and `panels=` may use.
pub(crate) const VIEWS: [&str; 6] = [
    "instructions",
    "context",
    "build",
    "layers",
    "cache",
    "lessons",
];

/// Where the page starts: a share link in the address, else the session saved in this
/// browser, else the starter project; with a notice saying which (or why a link failed).
struct Start {
    page: PageState,
    notice: Option<String>,
    embed: EmbedOptions,
    /// A first visit (no link, nothing saved, not an embed): point to the lessons.
    welcome: bool,
}

fn start() -> Start {
    let (_, search, hash) = share::location();
    let embed = EmbedOptions::parse(&search);
    let (page, notice) = if hash.starts_with("#v") {
        match PageState::decode(&hash) {
            // An embed is the host page's example, not a link the reader opened.
            Ok(page) if embed.embed => (page, None),
            Ok(page) => {
                let n = count(page.workspace.files.len() as u64, "file");
                (page, Some(format!("Opened a shared project ({n}) from the link itself: nothing was downloaded.")))
            }
            Err(e) => (
                PageState::starter(),
                Some(format!(
                    "This link could not be opened ({e}). Showing the starter project."
                )),
            ),
        }
    } else {
        match storage::load().filter(|_| !embed.embed) {
            Some(Ok(page)) => (page, Some("Restored your last session (saved in this browser). Reset goes back to the starter.".to_string())),
            Some(Err(e)) => (PageState::starter(), Some(format!("Could not restore {e}. Showing the starter project."))),
            None => (PageState::starter(), None),
        }
    };
    Start {
        welcome: !embed.embed && notice.is_none() && !hash.starts_with("#v"),
        page,
        notice,
        embed,
    }
}

/// The builds the Build and Cache views show: the last one, the one before it (what
/// the comparison compares with) and a what-if prediction made on the last one.
#[derive(Clone)]
struct Shown {
    build: UseStateHandle<Option<Rc<BuildView>>>,
    previous: UseStateHandle<Option<Rc<BuildView>>>,
    what_if: UseStateHandle<Option<Rc<WhatIfView>>>,
    selected: UseStateHandle<Option<usize>>,
}

impl Shown {
    /// A new build: the last one becomes the previous, and the prediction is stale.
    fn show(&self, view: BuildView) {
        self.previous.set((*self.build).clone());
        self.what_if.set(None);
        self.build.set(Some(Rc::new(view)));
    }

    /// Nothing built on this project and cache yet.
    fn clear(&self) {
        self.build.set(None);
        self.previous.set(None);
        self.what_if.set(None);
        self.selected.set(None);
    }
}

/// Whether the user changed the files since they were last loaded (a lesson, or the
/// starter when nothing was loaded): replacing them then asks first.
fn edited(pristine: &Option<Rc<Workspace>>, workspace: &Rc<Workspace>) -> bool {
    match pristine {
        Some(p) => !Rc::ptr_eq(p, workspace),
        None => **workspace != Workspace::starter(),
    }
}

/// The playground page.
#[component(App)]
pub fn app() -> Html {
    let start = use_memo((), |_| start());
    let embed = start.embed.clone();
    let workspace = use_state(|| Rc::new(start.page.workspace.clone()));
    let open = use_state(|| AttrValue::from(start.page.open.clone()));
    let reveal = use_state(|| None::<Reveal>);
    let notice = use_state(|| start.notice.clone());
    let welcome = use_state(|| start.welcome);
    let dragging = use_state(|| false);
    let right_tab = use_state(|| {
        let shown = |v: &str| !embed.embed || embed.shows(v);
        VIEWS
            .iter()
            .find(|v| **v == start.page.view && shown(v))
            .or_else(|| VIEWS.iter().find(|v| shown(v)))
            .copied()
            .unwrap_or("instructions")
    });
    let explanation = use_state(|| None::<AttrValue>);
    let build_view = use_state(|| None::<Rc<BuildView>>);
    // The build step selected in the Build view, the Layers view or by the caret on
    // its instruction; all three show it (index into the build's steps).
    let selected_step = use_state_eq(|| None::<usize>);
    let build_options = use_state(|| start.page.options.clone());
    // The Cache view compares the last build with the one before, and shows predictions.
    let previous_build = use_state(|| None::<Rc<BuildView>>);
    let what_if = use_state(|| None::<Rc<WhatIfView>>);
    let shown = Shown {
        build: build_view.clone(),
        previous: previous_build.clone(),
        what_if: what_if.clone(),
        selected: selected_step.clone(),
    };
    // The lesson being played, and the workspace as last loaded (to ask before
    // replacing the user's edits).
    let player = use_state(|| None::<Rc<Player>>);
    let pristine = use_state(|| None::<Rc<Workspace>>);
    let lesson_entries = use_memo((), |_| lesson_list());
    // Builds run in the build worker when the page has one (see `engine::client`);
    // while one is in flight the page says so, and it says when it stops using it.
    let busy = use_state_eq(|| false);
    {
        let (setter, notice) = (busy.setter(), notice.setter());
        use_effect_with((), move |_| {
            client::start();
            client::on_busy(move |b| setter.set(b));
            client::on_stopped(move |m| notice.set(Some(m)));
        });
    }

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

    // The Dockerfile's problems, shown by the editor while the caret is in one: the most
    // severe first, since overlapping spans show the first.
    let notes = use_memo(
        (view.clone(), open.as_str() == workspace.dockerfile_path),
        |(view, on)| {
            let rank = |s: &str| {
                ["error", "warning"]
                    .iter()
                    .position(|x| *x == s)
                    .unwrap_or(2)
            };
            let mut notes: Vec<_> = view.diagnostics.iter().filter(|_| *on).collect();
            notes.sort_by_key(|d| rank(d.severity));
            notes
                .into_iter()
                .map(|d| {
                    (
                        d.utf16.0,
                        d.utf16.1,
                        format!("{}: {}", d.severity, d.message),
                    )
                })
                .collect::<Vec<_>>()
        },
    );
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
    // `jump` moves the focus into the editor, `show` leaves it where it is.
    let jump_with = |focus: bool| {
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
                focus,
            }));
        })
    };
    let (jump, show) = (jump_with(true), jump_with(false));
    // The same into the Dockerfile: (UTF-16 start, UTF-16 end, zero-based line).
    let in_dockerfile = |go: &Callback<(String, u32, u32, u32)>| {
        let workspace = workspace.clone();
        go.reform(move |(start, end, line): (u32, u32, u32)| {
            (workspace.dockerfile_path.clone(), start, end, line)
        })
    };
    let on_select_diag = {
        let view = view.clone();
        let jump = in_dockerfile(&jump);
        Callback::from(move |i: usize| {
            if let Some(d) = view.diagnostics.get(i) {
                jump.emit((d.utf16.0, d.utf16.1, d.line - 1));
            }
        })
    };
    let on_explain = {
        let workspace = workspace.clone();
        let explanation = explanation.clone();
        Callback::from(move |path: String| explanation.set(Some(explain(&workspace, &path).into())))
    };
    let on_warning = jump.reform(|w: DiagnosticView| (w.file, w.utf16.0, w.utf16.1, w.line - 1));
    // A build shown in the Build and Cache views; `on_build` also brings the Build view
    // forward, a live rebuild does not move the user off the view they are reading.
    let rebuild = {
        let (workspace, build_options, shown) =
            (workspace.clone(), build_options.clone(), shown.clone());
        Callback::from(move |_: ()| {
            let request = Request::Build((*workspace).clone(), (*build_options).clone());
            let shown = shown.clone();
            client::send(request, move |r| {
                if let Response::Built(view) = r {
                    shown.show(view);
                }
            });
        })
    };
    let on_build = {
        let (rebuild, right_tab) = (rebuild.clone(), right_tab.clone());
        // An embed without the Build view keeps the view it shows (no tab selected
        // and a hidden view's panel otherwise).
        let to_build = !embed.embed || embed.shows("build");
        Callback::from(move |_: ()| {
            rebuild.emit(());
            if *right_tab != "cache" && to_build {
                right_tab.set("build");
            }
        })
    };
    // Live rebuild: one build 400 ms after the last edit (in the build worker, so typing
    // goes on while it runs). Replacing the pending timer drops it, which cancels it:
    // only the last edit of a burst builds.
    let live_timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    {
        let (rebuild, live_timer) = (rebuild.clone(), live_timer.clone());
        let live = build_options.live;
        use_effect_with((Rc::as_ptr(&workspace) as usize, live), move |_| {
            *live_timer.borrow_mut() =
                live.then(|| gloo_timers::callback::Timeout::new(400, move || rebuild.emit(())));
        });
    }
    let on_prune = {
        let build_view = build_view.clone();
        let previous_build = previous_build.clone();
        Callback::from(move |_: ()| {
            client::send(Request::Prune, |_| ());
            previous_build.set((*build_view).clone());
            build_view.set(None);
        })
    };
    let on_options = {
        let build_options = build_options.clone();
        Callback::from(move |o: PageOptions| build_options.set(o))
    };
    // A step chosen in the Build log or by its layer: selected everywhere, its
    // instruction shown in the editor. The focus stays in the list it was chosen in,
    // so Enter on a step, then Shift+Tab or the arrows, go on from that step.
    let on_step = {
        let show = in_dockerfile(&show);
        let (build_view, selected_step) = (build_view.clone(), selected_step.clone());
        Callback::from(move |i: Option<usize>| {
            selected_step.set(i);
            if let Some(s) = i.and_then(|i| build_view.as_ref()?.steps.get(i)) {
                show.emit((s.utf16.0, s.utf16.1, s.line - 1));
            }
        })
    };
    // The caret on an instruction's lines selects the step it ran as (none elsewhere).
    let on_caret = {
        let (workspace, open) = (workspace.clone(), open.clone());
        let (build_view, selected_step) = (build_view.clone(), selected_step.clone());
        Callback::from(move |at: u32| {
            if *open == workspace.dockerfile_path {
                selected_step.set(build_view.as_ref().and_then(|v| {
                    v.steps
                        .iter()
                        .position(|s| (s.utf16.0..=s.utf16.1).contains(&at))
                }));
            }
        })
    };
    let mark = (*open == workspace.dockerfile_path)
        .then(|| Some(build_view.as_ref()?.steps.get((*selected_step)?)?.utf16))
        .flatten();
    let on_what_if = {
        let workspace = workspace.clone();
        let build_options = build_options.clone();
        let what_if = what_if.clone();
        Callback::from(move |edit: PageEdit| {
            let request = Request::WhatIf((*workspace).clone(), (*build_options).clone(), edit);
            let what_if = what_if.clone();
            client::send(request, move |r| {
                if let Response::WhatIf(view) = r {
                    what_if.set(Some(Rc::new(view)));
                }
            });
        })
    };
    let on_cache_jump = in_dockerfile(&jump);
    let on_lesson_load = {
        let (workspace, pristine, open, player) = (
            workspace.clone(),
            pristine.clone(),
            open.clone(),
            player.clone(),
        );
        let (shown, notice, build_options) = (shown.clone(), notice.clone(), build_options.clone());
        Callback::from(move |id: &'static str| {
            if edited(&pristine, &workspace)
                && !super::confirm("Loading a lesson replaces your files. Continue?")
            {
                return;
            }
            if let Some((p, ws)) = lessons::load(id) {
                client::supersede();
                client::send(Request::Reset, |_| ());
                engine::image::forget();
                let ws = Rc::new(ws);
                notice.set(Some(format!("Lesson loaded: {}. Its files replace the workspace, and the build cache starts empty.", p.title)));
                pristine.set(Some(ws.clone()));
                open.set(AttrValue::from(ws.dockerfile_path.clone()));
                workspace.set(ws);
                player.set(Some(Rc::new(p)));
                shown.clear();
                // The lesson's project has its own stages and args: a target or build
                // args set for the old files would make Build fail or differ from the
                // lesson's builds. Only "rebuild as I type", a way of working, stays.
                build_options.set(PageOptions {
                    live: build_options.live,
                    ..PageOptions::default()
                });
            }
        })
    };
    let on_lesson_next = {
        let (workspace, pristine, player, jump) = (
            workspace.clone(),
            pristine.clone(),
            player.clone(),
            jump.clone(),
        );
        let shown = shown.clone();
        Callback::from(move |_: ()| {
            let Some(current) = &*player else { return };
            if client::lesson_in_flight() {
                return;
            }
            let mut p = (**current).clone();
            if !p.edited {
                let mut ws = (**workspace).clone();
                let show = lessons::apply_next(&mut p, &mut ws);
                let ws = Rc::new(ws);
                // Show the edit: open the changed file with its whole text selected.
                if let Some(path) = show {
                    let len = ws.text(&path).encode_utf16().count() as u32;
                    jump.emit((path, 0, len, 0));
                }
                pristine.set(Some(ws.clone()));
                workspace.set(ws);
                player.set(Some(Rc::new(p)));
            } else {
                let request = Request::Lesson {
                    id: p.id.to_string(),
                    at: p.at as u32,
                    workspace: (*workspace).clone(),
                };
                let (player, shown) = (player.clone(), shown.clone());
                client::send(request, move |r| {
                    if let Response::Lesson(Some((view, verdicts))) = r {
                        lessons::record(&mut p, verdicts);
                        shown.show(view);
                        player.set(Some(Rc::new(p)));
                    }
                });
            }
        })
    };
    let on_lesson_close = {
        let player = player.clone();
        Callback::from(move |_: ()| {
            client::supersede();
            player.set(None);
        })
    };
    let what_if_files: Rc<Vec<String>> = Rc::new(
        workspace
            .files
            .keys()
            .filter(|p| **p != workspace.dockerfile_path)
            .cloned()
            .collect(),
    );
    let what_if_lines: Rc<Vec<(u32, String)>> = Rc::new(
        view.instructions
            .iter()
            .map(|i| (i.first_line, format!("{} {}", i.keyword, i.args)))
            .collect(),
    );
    let page_state = {
        let (workspace, build_options) = (workspace.clone(), build_options.clone());
        let (right_tab, open) = (right_tab.clone(), open.clone());
        Callback::from(move |()| PageState {
            workspace: (**workspace).clone(),
            options: (*build_options).clone(),
            view: right_tab.to_string(),
            open: open.to_string(),
        })
    };
    // Autosave, debounced: the first run is the state just loaded (nothing to save yet);
    // embeds never write the host's storage. After an edit the address bar's link is
    // stale, so it is dropped and a reload restores the saved session instead. A
    // project too big for the format (a 100,000-file folder) is skipped without copying
    // it, and the header says it is not kept.
    let save_error = use_state_eq(|| None::<String>);
    {
        let pending = use_mut_ref(|| (false, None::<gloo_timers::callback::Timeout>));
        let (save_error, embedded, ws) = (save_error.clone(), embed.embed, (*workspace).clone());
        // The workspace is replaced (a new Rc) on every edit: its pointer is its version.
        let deps = (
            Rc::as_ptr(&ws) as usize,
            (*build_options).clone(),
            *right_tab,
            (*open).clone(),
        );
        use_effect_with(deps, move |(_, options, view, open)| {
            let mut slot = pending.borrow_mut();
            if !std::mem::replace(&mut slot.0, true) || embedded {
                return;
            }
            let (options, view, open) = (options.clone(), *view, open.clone());
            slot.1 = Some(gloo_timers::callback::Timeout::new(500, move || {
                let max = layerlab_share::Limits::default().max_entries;
                let result = if ws.files.len() + ws.dirs.len() > max {
                    Err(format!("more than {max} files"))
                } else {
                    storage::save(&PageState {
                        workspace: (*ws).clone(),
                        options,
                        view: view.to_string(),
                        open: open.to_string(),
                    })
                };
                if result.is_ok() {
                    share::set_fragment(None);
                }
                save_error.set(result.err());
            }));
        });
    }
    let on_reset = {
        let (workspace, open, build_options, pristine) = (
            workspace.clone(),
            open.clone(),
            build_options.clone(),
            pristine.clone(),
        );
        let (right_tab, notice, player, shown) = (
            right_tab.clone(),
            notice.clone(),
            player.clone(),
            shown.clone(),
        );
        Callback::from(move |()| {
            if edited(&pristine, &workspace)
                && !super::confirm("Reset replaces your files with the starter project. Continue?")
            {
                return;
            }
            pristine.set(None);
            client::supersede();
            // The starter has no build yet: no image here, nor in the worker (a failed
            // first build must not show the old project's as the previous one).
            engine::image::forget();
            client::send(Request::Forget, |_| ());
            player.set(None);
            shown.clear();
            let page = PageState::starter();
            storage::clear();
            share::set_fragment(None);
            open.set(AttrValue::from(page.open));
            workspace.set(Rc::new(page.workspace));
            build_options.set(page.options);
            right_tab.set("instructions");
            notice.set(Some("Back to the starter project.".to_string()));
        })
    };
    let on_tree_edit = {
        let (workspace, open) = (workspace.clone(), open.clone());
        Callback::from(move |(ws, path): (Workspace, String)| {
            open.set(AttrValue::from(path));
            workspace.set(Rc::new(ws));
        })
    };
    let on_notice = {
        let notice = notice.clone();
        Callback::from(move |m: String| notice.set(Some(m)))
    };
    // Embeds: the theme asked for, a build on load when asked, and a link opening this
    // same state in a full page (computed only for embeds: encoding is not free).
    {
        let (theme, autorun, on_build) = (embed.theme, embed.builds_on_load(), on_build.clone());
        use_effect_with((), move |_| {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                if let Some(theme) = theme {
                    let _ = root.set_attribute("data-theme", theme);
                }
            }
            if autorun {
                on_build.emit(());
            }
            // A link pasted into the address bar of an open page changes only the
            // fragment (no reload): reload so it opens like any link. Share itself
            // uses replaceState, which fires no hashchange.
            let reload = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
                if let Some(loc) = web_sys::window().map(|w| w.location()) {
                    if loc.hash().is_ok_and(|h| h.starts_with("#v")) {
                        let _ = loc.reload();
                    }
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    reload.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        reload.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let full_page_url = use_memo(
        (
            embed.embed,
            Rc::as_ptr(&*workspace) as usize,
            (*build_options).clone(),
            *right_tab,
            (*open).clone(),
        ),
        {
            let page_state = page_state.clone();
            move |(embedded, ..)| {
                let base = share::location().0;
                match (*embedded).then(|| page_state.emit(()).encode()) {
                    Some(Ok(link)) => share::page_url(&base, &link, false),
                    _ => base,
                }
            }
        },
    );
    let shows = |id: &str| !embed.embed || embed.shows(id);
    let tab = |id: &'static str, label: &'static str| {
        if !shows(id) {
            return html! {};
        }
        let right_tab = right_tab.clone();
        let selected = *right_tab == id;
        let onclick = Callback::from(move |_| right_tab.set(id));
        html! {
            <button type="button" role="tab" id={format!("tab-{id}")} aria-selected={selected.to_string()}
                tabindex={tablist::tab_index(selected)} aria-controls="view-panel"
                class={classes!("tab", selected.then_some("selected"))} {onclick}>{ label }</button>
        }
    };
    let on_views_key = {
        let shown: Vec<&'static str> = VIEWS.iter().copied().filter(|v| shows(v)).collect();
        let selected = shown.iter().position(|v| *v == *right_tab);
        let right_tab = right_tab.clone();
        let count = shown.len();
        tablist::on_keydown(
            count,
            selected,
            Callback::from(move |i: usize| right_tab.set(shown[i])),
        )
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
                let files = count(ws.files.len() as u64, "file");
                notice.set(Some(format!(
                    "Loaded a folder: {files}{}. Only names and sizes were read; nothing left the browser.",
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

    // Always in the page (an empty live region), so screen readers hear it change.
    let busy_status = html! {
        <span class="engine-status" id="engine-status" role="status" aria-live="polite">
            { if *busy { "building…" } else { "" } }
        </span>
    };
    let readonly = embed.readonly;
    let show_views = VIEWS.iter().any(|v| shows(v));
    html! {
        <div class={classes!("app", dragging.then_some("dragging"), embed.embed.then_some("embed"))} {ondragover} {ondragleave} {ondrop}>
            if embed.embed {
                <header class="topbar">
                    <a class="embed-title" id="open-in-layerlab" href={(*full_page_url).clone()} target="_blank" rel="noopener"
                        title="open this project in a full layerlab page">{ "layerlab ↗" }</a>
                    if embed.needs_build() {
                        <button type="button" class="button primary" id="top-build" onclick={on_build.reform(|_| ())}>{ "Build" }</button>
                        { busy_status.clone() }
                    }
                    if readonly {
                        <span class="readonly-badge" id="readonly-badge" title="this embed shows the files without letting them change">{ "read-only" }</span>
                    }
                    <span class="version" id="engine-version">{ format!("engine {}", crate::ENGINE_VERSION) }</span>
                </header>
            } else {
            <header class="topbar">
                <h1>{ "layerlab" }</h1>
                <span class="tagline">{ "what docker build really does" }</span>
                <FolderPicker {on_loaded} />
                <button type="button" class="button primary" id="top-build" onclick={on_build.reform(|_| ())}>{ "Build" }</button>
                { busy_status.clone() }
                <ShareBar state={page_state} {on_reset} />
                if let Some(e) = &*save_error {
                    <span class="save-error" id="save-error" role="status"
                        title={format!("Autosave failed: {e}. Share still works for projects that fit a link.")}>
                        { "not saved in this browser" }
                    </span>
                }
                <span class="version" id="engine-version">{ format!("engine {}", crate::ENGINE_VERSION) }</span>
            </header>
            }
            if let Some(message) = &*notice {
                <p class="notice" id="notice" role="status">{ message }
                    { close("notice-close", notice.clone(), None) }</p>
            } else if *welcome {
                <p class="notice" id="welcome">{ "New here? " }
                    <button type="button" class="link" id="welcome-lessons" onclick={
                        let (right_tab, welcome) = (right_tab.clone(), welcome.clone());
                        move |_| { right_tab.set("lessons"); welcome.set(false); }
                    }>{ "Take a lesson" }</button>
                    { ": each one builds a small project, changes it and shows what the build cache keeps and why. Or edit the starter project here and press Build." }
                    { close("welcome-close", welcome.clone(), false) }</p>
            }
            <main class={classes!("panes", (!shows("editor") || !show_views).then_some("single"))}>
                if shows("editor") {
                <section class={classes!("pane", (!embed.embed).then_some("with-tree"))}>
                    if !embed.embed {
                        <FileTree workspace={(*workspace).clone()} open={(*open).clone()} {readonly}
                            on_open={on_tab.clone()} on_edit={on_tree_edit} {on_notice} />
                    }
                    <div class="editor-col">
                    <FileTabs paths={tabs} selected={(*open).clone()} on_select={on_tab} />
                    <label for="editor" class="visually-hidden">{ format!("contents of {}", *open) }</label>
                    <Editor id="editor" value={open_text} {segments} {on_change} reveal={*reveal} {readonly} notes={notes} {mark} {on_caret}
                        placeholder={(open.ends_with(DOCKERIGNORE) && !readonly).then_some(AttrValue::from(
                            "Type patterns here, one a line (node_modules, *.log, !keep.log): the build context leaves out what they match."))} />
                    </div>
                </section>
                }
                if show_views {
                <section class="pane" aria-busy={busy.to_string()}>
                    <div class="tabs" role="tablist" aria-label="views" onkeydown={on_views_key}>
                        { tab("instructions", "Instructions") }
                        { tab("context", "Context") }
                        { tab("build", "Build") }
                        { tab("layers", "Layers") }
                        { tab("cache", "Cache") }
                        { tab("lessons", "Lessons") }
                    </div>
                    <div class="view-panel" id="view-panel" role="tabpanel" aria-labelledby={format!("tab-{}", *right_tab)}>
                    if *right_tab == "build" {
                        <BuildPanel view={(*build_view).clone()} options={(*build_options).clone()}
                            {on_options} {on_build} {on_prune} on_step={on_step.reform(Some)} selected={*selected_step} {readonly} />
                    } else if *right_tab == "layers" {
                        <LayersPanel build={(*build_view).clone()} selected_step={*selected_step} {on_step} />
                    } else if *right_tab == "cache" {
                        <CachePanel view={(*build_view).clone()} previous={(*previous_build).clone()}
                            files={what_if_files} lines={what_if_lines} what_if={(*what_if).clone()}
                            {on_what_if} on_jump={on_cache_jump} on_build={on_build.clone()} />
                    } else if *right_tab == "lessons" {
                        <LessonsPanel lessons={lesson_entries.clone()} player={(*player).clone()}
                            on_load={on_lesson_load} on_next={on_lesson_next} on_close={on_lesson_close} />
                    } else if *right_tab == "instructions" {
                        <Instructions items={view.instructions.clone()} />
                        <h2>{ "Problems" }</h2>
                        <Diagnostics items={view.diagnostics.clone()} on_select={on_select_diag} />
                    } else {
                        <ContextPanel view={context.clone()} explanation={(*explanation).clone()}
                            {on_explain} {on_warning} />
                    }
                    </div>
                </section>
                }
            </main>
            if *dragging {
                <div class="drop-hint" aria-hidden="true">{ "Drop a project folder to check its build context" }</div>
            }
        </div>
    }
}

/// A notice's dismiss button: sets `state` to `cleared`.
fn close<T: Clone + 'static>(id: &'static str, state: UseStateHandle<T>, cleared: T) -> Html {
    html! {
        <button type="button" class="notice-close" {id} aria-label="dismiss" title="dismiss"
            onclick={move |_| state.set(cleared.clone())}>{ "×" }</button>
    }
}
