//! Share links, embed options and the embed snippet: the page's side of
//! [`layerlab_share`].
//!
//! The codec (format, limits, validation) lives in the core crate; this module maps the
//! page's state to and from it, reads the page's own URL (`?embed=1…`, `#v1:…`) and
//! writes the links and the `<iframe>` snippet. Nothing here makes a request: a link
//! carries the whole project in its fragment, which browsers never send to a server.

use crate::engine::build::PageOptions;
use crate::workspace::Workspace;
use layerlab_share::{Limits, ShareState};

/// Everything a link restores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageState {
    /// The build context.
    pub workspace: Workspace,
    /// Build options.
    pub options: PageOptions,
    /// The right-hand view's id (`instructions`, `build`, …).
    pub view: String,
    /// The file open in the editor.
    pub open: String,
}

impl PageState {
    /// The starter project, default options, the Dockerfile open.
    pub fn starter() -> PageState {
        let workspace = Workspace::starter();
        PageState {
            open: workspace.dockerfile_path.clone(),
            workspace,
            options: PageOptions::default(),
            view: String::new(),
        }
    }

    /// The codec's form of this state.
    pub fn to_share(&self) -> ShareState {
        let ws = &self.workspace;
        let mut s = ShareState::new(&ws.dockerfile_path);
        s.files = ws.files.clone();
        s.dirs = ws.dirs.iter().cloned().collect();
        s.build_args = self.options.build_args.clone();
        s.target = self.options.target.clone();
        s.no_cache = self.options.no_cache;
        s.view = self.view.clone();
        // The Dockerfile is what opens by default, so it needs no bytes in the link.
        if self.open != ws.dockerfile_path {
            s.open = self.open.clone();
        }
        s
    }

    /// The page state a decoded link describes.
    pub fn from_share(s: ShareState) -> PageState {
        let files = s.files;
        let open = if s.open.is_empty() {
            s.dockerfile.clone()
        } else {
            s.open
        };
        PageState {
            workspace: Workspace {
                files,
                dirs: s.dirs.into_iter().collect(),
                dockerfile_path: s.dockerfile,
            },
            options: PageOptions {
                build_args: s.build_args,
                target: s.target,
                no_cache: s.no_cache,
                // Rebuilding as one types is this browser's preference, not shared.
                ..PageOptions::default()
            },
            view: s.view,
            open,
        }
    }

    /// The link text `v1:…` for this state (no `#`), or why it cannot be shared.
    pub fn encode(&self) -> Result<String, String> {
        layerlab_share::encode(&self.to_share(), &Limits::default()).map_err(|e| e.to_string())
    }

    /// Reads link text (`#v1:…` or `v1:…`).
    pub fn decode(link: &str) -> Result<PageState, String> {
        layerlab_share::decode(link, &Limits::default())
            .map(PageState::from_share)
            .map_err(|e| e.to_string())
    }
}

/// How the page is embedded, from its query string (`?embed=1&readonly=1&panels=editor,build
/// &theme=dark&autorun=1`). Unknown keys and values are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedOptions {
    /// `embed=1`: the compact layout for an iframe.
    pub embed: bool,
    /// `readonly=1`: no editing, no file changes.
    pub readonly: bool,
    /// `panels=…`: which panes show (`editor` and view ids); empty for all.
    pub panels: Vec<String>,
    /// `theme=light|dark`; `None` follows `prefers-color-scheme`.
    pub theme: Option<&'static str>,
    /// `autorun=1`: build once on load.
    pub autorun: bool,
}

impl EmbedOptions {
    /// Parses `location.search` (with or without the leading `?`).
    pub fn parse(search: &str) -> EmbedOptions {
        let mut o = EmbedOptions::default();
        let on = |v: &str| matches!(v, "1" | "true" | "yes" | "");
        for pair in search.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            match key {
                "embed" => o.embed = on(&value),
                "readonly" => o.readonly = on(&value),
                "autorun" => o.autorun = on(&value),
                "theme" => {
                    o.theme = match value.as_str() {
                        "light" => Some("light"),
                        "dark" => Some("dark"),
                        _ => None,
                    }
                }
                "panels" => {
                    o.panels = value
                        .split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .take(8)
                        .map(str::to_string)
                        .collect()
                }
                _ => {}
            }
        }
        o
    }

    /// The query string asking for these options (`?embed=1&readonly=1&panels=…`), in the
    /// order and spelling [`EmbedOptions::parse`] reads back; options left at their
    /// defaults are left out, so the plain embed is `?embed=1`.
    pub fn query(&self) -> String {
        let mut q = String::from("?embed=1");
        if self.readonly {
            q.push_str("&readonly=1");
        }
        if !self.panels.is_empty() {
            q.push_str("&panels=");
            q.push_str(&self.panels.join(","));
        }
        if let Some(theme) = self.theme {
            q.push_str("&theme=");
            q.push_str(theme);
        }
        if self.autorun {
            q.push_str("&autorun=1");
        }
        q
    }

    /// Whether the pane or view `id` shows.
    pub fn shows(&self, id: &str) -> bool {
        self.panels.is_empty() || self.panels.iter().any(|p| p == id)
    }

    /// Whether a shown view needs a build to show anything: the header then has a
    /// Build button.
    pub fn needs_build(&self) -> bool {
        ["build", "layers", "cache"].iter().any(|v| self.shows(v))
    }

    /// Whether the embed builds on load: `autorun=1`, or a Layers or Cache view shown
    /// without the Build view (an author who picked only those wants them filled).
    pub fn builds_on_load(&self) -> bool {
        self.autorun || (self.embed && !self.shows("build") && self.needs_build())
    }
}

/// `%XX` escapes and `+` as space; malformed escapes stay as written.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page's address for `link`: `base` (origin and path, no query or fragment), the
/// embed query when asked, then `#v1:…`.
pub fn page_url(base: &str, link: &str, embed: bool) -> String {
    format!("{base}{}#{link}", if embed { "?embed=1" } else { "" })
}

/// The `<iframe>` snippet embedding `url`, `height` pixels high (the compact layout is
/// made for 400), lazy loading, and a sandbox that allows what the page needs (its own
/// scripts and wasm from its origin, and the "open in layerlab" link opening a normal tab).
pub fn embed_snippet(url: &str, height: u32) -> String {
    format!(
        "<iframe src=\"{}\" width=\"100%\" height=\"{height}\" title=\"layerlab: Dockerfile playground\" \
         loading=\"lazy\" style=\"border:1px solid #d9dde5;border-radius:6px\" \
         sandbox=\"allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox\"></iframe>",
        escape_attr(url)
    )
}

/// Escapes text for a double-quoted HTML attribute.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's own address, split: `(origin + path, query, fragment)`.
pub fn location() -> (String, String, String) {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return Default::default();
    };
    let base = format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    );
    (
        base,
        loc.search().unwrap_or_default(),
        loc.hash().unwrap_or_default(),
    )
}

/// Replaces the address bar's fragment without a new history entry or a reload; `None`
/// removes it (the work in progress has moved past the link).
pub fn set_fragment(link: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let (base, search, hash) = location();
    let url = match link {
        Some(link) => format!("{base}{search}#{link}"),
        None if hash.is_empty() => return,
        None => format!("{base}{search}"),
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Copies `text` with the Clipboard API; `Err` when the browser refuses (no permission,
/// an insecure origin, a sandboxed frame), so the page can show the text to copy by hand.
pub async fn copy_to_clipboard(text: &str) -> Result<(), ()> {
    let window = web_sys::window().ok_or(())?;
    let clipboard = window.navigator().clipboard();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_round_trips_through_a_link() {
        let mut s = PageState::starter();
        s.options.build_args = "A=1".into();
        s.options.no_cache = true;
        s.view = "build".into();
        s.open = "server.js".into();
        s.workspace.dirs.push("empty".into());
        let link = s.encode().unwrap();
        assert_eq!(PageState::decode(&format!("#{link}")).unwrap(), s);
        assert_eq!(link, s.encode().unwrap());
    }

    #[test]
    fn embed_options_parse_leniently() {
        let o = EmbedOptions::parse(
            "?embed=1&readonly=1&panels=editor%2Cbuild&theme=dark&autorun=1&x=y",
        );
        assert!(o.embed && o.readonly && o.autorun);
        assert_eq!(o.panels, ["editor", "build"]);
        assert_eq!(o.theme, Some("dark"));
        assert!(o.shows("build") && !o.shows("context"));
        let o = EmbedOptions::parse("theme=%3Cscript%3E&panels=&embed=0");
        assert_eq!(o, EmbedOptions::default());
        assert!(o.shows("context"));
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        let load = |q: &str| {
            let o = EmbedOptions::parse(q);
            (o.needs_build(), o.builds_on_load())
        };
        assert_eq!(load("embed=1"), (true, false));
        assert_eq!(load("embed=1&panels=editor,build"), (true, false));
        assert_eq!(load("embed=1&panels=layers"), (true, true));
        assert_eq!(load("embed=1&panels=editor,cache"), (true, true));
        assert_eq!(load("embed=1&panels=instructions,context"), (false, false));
        assert_eq!(load("embed=1&panels=context&autorun=1"), (false, true));
    }

    #[test]
    fn embed_options_read_back_their_query() {
        let plain = EmbedOptions {
            embed: true,
            ..EmbedOptions::default()
        };
        assert_eq!(plain.query(), "?embed=1");
        assert_eq!(EmbedOptions::parse(&plain.query()), plain);
        let all = EmbedOptions {
            embed: true,
            readonly: true,
            panels: vec!["editor".into(), "layers".into()],
            theme: Some("dark"),
            autorun: true,
        };
        assert_eq!(
            all.query(),
            "?embed=1&readonly=1&panels=editor,layers&theme=dark&autorun=1"
        );
        assert_eq!(EmbedOptions::parse(&all.query()), all);
    }

    #[test]
    fn the_snippet_escapes_its_url() {
        let s = embed_snippet("https://x/?a=1&b=\"><script>", 400);
        assert!(
            s.contains("src=\"https://x/?a=1&amp;b=&quot;&gt;&lt;script&gt;\""),
            "{s}"
        );
        assert!(s.contains("loading=\"lazy\"") && s.contains("sandbox=\""));
    }
}
