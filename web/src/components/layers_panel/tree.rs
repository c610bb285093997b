//! A collapsible file tree for a layer's changes and for the final filesystem.
//!
//! Base layers hold thousands of files, so nothing is rendered that is not visible:
//! directories start collapsed (except the top level), and an open directory shows
//! its first [`PAGE`] children with a "show more" button for the rest.

use crate::components::numbers::size;
use layerlab_image::{EntryEffect, Exploration, LayerSummary};
use layerlab_vfs::{Node, NodeType};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Trees up to this many nodes open fully.
const SMALL: usize = 40;

/// Children shown per directory before "show more".
pub(super) const PAGE: usize = 100;

/// One tree node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct TreeNode {
    /// Last path component (`/` for the root).
    pub(super) name: String,
    /// Full path.
    pub(super) path: String,
    /// A directory (with children here).
    pub(super) dir: bool,
    /// A symlink's target.
    pub(super) target: Option<String>,
    /// Own size (files), or the sum below (directories).
    pub(super) size: u64,
    /// What the layer did here (diff trees).
    pub(super) effect: Option<EntryEffect>,
    /// The layer that last wrote it (final filesystem).
    pub(super) origin: Option<u32>,
    /// Changed or listed entries below (directories).
    pub(super) count: u32,
    /// Child node indices, by name.
    pub(super) children: Vec<usize>,
}

/// Nodes in an arena; node 0 is the root.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Tree {
    /// The nodes.
    pub(super) nodes: Vec<TreeNode>,
}

impl Tree {
    fn with_root() -> Self {
        Tree {
            nodes: vec![TreeNode {
                name: "/".into(),
                path: "/".into(),
                dir: true,
                ..TreeNode::default()
            }],
        }
    }

    /// Inserts `path` (creating implied parents) and returns its node.
    fn insert(&mut self, index: &mut BTreeMap<String, usize>, path: &str) -> usize {
        if let Some(&i) = index.get(path) {
            return i;
        }
        let (parent, name) = match path.rfind('/') {
            Some(0) => ("/", &path[1..]),
            Some(i) => (&path[..i], &path[i + 1..]),
            None => return 0,
        };
        if name.is_empty() {
            return 0;
        }
        let p = self.insert(index, parent);
        self.nodes[p].dir = true;
        let i = self.nodes.len();
        self.nodes.push(TreeNode {
            name: name.to_owned(),
            path: path.to_owned(),
            ..TreeNode::default()
        });
        self.nodes[p].children.push(i);
        index.insert(path.to_owned(), i);
        i
    }

    /// Sorts children by name and sums sizes and counts into directories.
    fn finish(mut self) -> Self {
        fn total(nodes: &mut [TreeNode], i: usize) -> (u64, u32) {
            let mut children = std::mem::take(&mut nodes[i].children);
            children.sort_by(|a, b| nodes[*a].name.cmp(&nodes[*b].name));
            let (mut size, mut count) = (0, 0);
            for &c in &children {
                let (s, n) = total(nodes, c);
                size += s;
                count += n;
            }
            let n = &mut nodes[i];
            n.children = children;
            if n.dir {
                // A deleted directory carries the bytes it hid; its (absent) children
                // add nothing, so keep the larger figure.
                n.size = n.size.max(size);
                n.count = count;
            }
            (n.size, n.count + u32::from(n.effect.is_some() || !n.dir))
        }
        total(&mut self.nodes, 0);
        self
    }

    /// The changes of one layer (entries that only restate a parent are left out).
    pub(super) fn of_layer(summary: &LayerSummary) -> Self {
        let mut t = Tree::with_root();
        let mut index = BTreeMap::new();
        for c in &summary.changes {
            if c.effect == EntryEffect::Unchanged && c.node_type == Some(NodeType::Dir) {
                continue;
            }
            let i = t.insert(&mut index, c.path.as_str());
            let n = &mut t.nodes[i];
            n.effect = Some(c.effect);
            n.size = c.size;
            n.dir |= c.node_type == Some(NodeType::Dir);
        }
        t.finish()
    }

    /// The merged filesystem with each entry's origin layer.
    pub(super) fn of_final(ex: &Exploration) -> Self {
        let mut t = Tree::with_root();
        let mut index = BTreeMap::new();
        for (path, node) in ex.fs.walk() {
            let i = t.insert(&mut index, path.as_str());
            let n = &mut t.nodes[i];
            n.origin = ex.origin(&path);
            match node {
                Node::File(f) => n.size = f.content.len(),
                Node::Dir(_) => n.dir = true,
                Node::Symlink(s) => n.target = Some(s.target.clone()),
            }
        }
        t.finish()
    }
}

/// Tree properties.
#[derive(Properties, PartialEq)]
pub(super) struct TreeProps {
    /// The tree.
    pub(super) tree: Rc<Tree>,
    /// Element id.
    pub(super) id: AttrValue,
    /// Accessible name.
    pub(super) label: AttrValue,
    /// What a directory's count counts (`changes`, `files`).
    pub(super) count: AttrValue,
    /// An origin layer was chosen (final filesystem).
    #[prop_or_default]
    pub(super) on_layer: Option<Callback<usize>>,
}

fn effect_label(e: EntryEffect) -> (&'static str, &'static str) {
    match e {
        EntryEffect::Added => ("added", "A"),
        EntryEffect::Modified => ("modified", "M"),
        EntryEffect::MetadataOnly => ("modified", "m"),
        EntryEffect::Deleted | EntryEffect::DeletedMissing => ("deleted", "D"),
        EntryEffect::Opaque => ("deleted", "O"),
        _ => ("unchanged", "="),
    }
}

fn effect_title(e: EntryEffect) -> &'static str {
    match e {
        EntryEffect::Added => "added: not in the layers below",
        EntryEffect::Modified => "modified: new content, type or target",
        EntryEffect::MetadataOnly => {
            "modified: same content, new mode, owner or time (the layer still stores the whole file)"
        }
        EntryEffect::Deleted => "deleted by a whiteout (.wh.)",
        EntryEffect::DeletedMissing => "whiteout for a path the layers below do not have",
        EntryEffect::Opaque => "opaque directory: hides everything the layers below had in it",
        _ => "re-stored unchanged",
    }
}

/// A collapsible tree.
#[component(FileTree)]
pub(super) fn file_tree(props: &TreeProps) -> Html {
    // Per node: 0 closed, n open with n pages of children shown. A small tree opens
    // fully; a large one (a base layer) starts with only the top level.
    let pages = {
        let tree = props.tree.clone();
        use_state(move || {
            let small = tree.nodes.len() <= SMALL;
            let mut v: Vec<u32> = tree
                .nodes
                .iter()
                .map(|n| u32::from(small && n.dir))
                .collect();
            v[0] = 1;
            v
        })
    };
    let mut out = Vec::new();
    let ctx = Ctx {
        tree: &props.tree,
        pages: &pages,
        on_layer: props.on_layer.as_ref(),
        count: &props.count,
    };
    ctx.children(0, 0, &mut out);
    html! {
        <ul class="layer-tree" id={props.id.clone()} aria-label={props.label.clone()}>
            { for out }
        </ul>
    }
}

struct Ctx<'a> {
    tree: &'a Tree,
    pages: &'a UseStateHandle<Vec<u32>>,
    on_layer: Option<&'a Callback<usize>>,
    count: &'a str,
}

impl Ctx<'_> {
    /// Rows for the visible children of `dir`: only open directories are entered, so
    /// the cost is what is on screen (and the depth is bounded by the user's clicks).
    fn children(&self, dir: usize, depth: u32, out: &mut Vec<Html>) {
        let kids = &self.tree.nodes[dir].children;
        let limit = self.pages[dir].max(1) as usize * PAGE;
        for &c in kids.iter().take(limit) {
            let open = self.pages[c] > 0;
            out.push(row(self, c, depth, open));
            if open {
                self.children(c, depth + 1, out);
            }
        }
        if kids.len() > limit {
            out.push(more_button(dir, kids.len() - limit, depth, self.pages));
        }
    }
}

fn more_button(dir: usize, hidden: usize, depth: u32, pages: &UseStateHandle<Vec<u32>>) -> Html {
    let onclick = {
        let pages = pages.clone();
        Callback::from(move |_| {
            let mut next = (*pages).clone();
            next[dir] += 1;
            pages.set(next);
        })
    };
    html! {
        <li class="tree-more" style={format!("--depth:{depth}")}>
            <button type="button" class="link" {onclick}>{ format!("show {} more of {hidden}", hidden.min(PAGE)) }</button>
        </li>
    }
}

fn row(ctx: &Ctx<'_>, i: usize, depth: u32, open: bool) -> Html {
    let (n, on_layer) = (&ctx.tree.nodes[i], ctx.on_layer);
    let (class, letter) = n.effect.map_or(("", ""), effect_label);
    let name = match (&n.target, n.dir) {
        (Some(t), _) => format!("{} → {t}", n.name),
        (None, true) => format!("{}/", n.name),
        (None, false) => n.name.clone(),
    };
    let origin = n.origin.map(|l| {
        let label = format!("L{l}");
        match on_layer {
            Some(cb) => {
                let onclick = cb.reform(move |_| l as usize);
                html! { <button type="button" class="origin link" title={format!("last written by layer {l}")} {onclick}>{ label }</button> }
            }
            None => html! { <span class="origin">{ label }</span> },
        }
    });
    let body = html! {
        <>
            if !letter.is_empty() {
                <span class="effect" title={n.effect.map(effect_title)}>{ letter }</span>
            }
            <span class="name">{ name }</span>
            if n.dir && n.count > 0 {
                <span class="count">{ format!("{} {}", n.count, if n.count == 1 { ctx.count.trim_end_matches('s') } else { ctx.count }) }</span>
            }
            <span class="size">{ size(n.size) }</span>
        </>
    };
    let head = if n.dir && !n.children.is_empty() {
        let onclick = {
            let pages = ctx.pages.clone();
            Callback::from(move |_| {
                let mut next = (*pages).clone();
                next[i] = u32::from(next[i] == 0);
                pages.set(next);
            })
        };
        html! {
            <button type="button" class="tree-toggle" aria-expanded={open.to_string()} {onclick}>
                <span class="chevron" aria-hidden="true">{ if open { "▾" } else { "▸" } }</span>{ body }
            </button>
        }
    } else {
        html! { <span class="tree-leaf">{ body }</span> }
    };
    html! {
        <li class={classes!("tree-row", class, n.dir.then_some("dir"))} style={format!("--depth:{depth}")} data-path={n.path.clone()}>
            { head }
            { for origin }
        </li>
    }
}
