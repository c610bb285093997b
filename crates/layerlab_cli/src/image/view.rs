//! Text and JSON rendering for `layerlab image`; the JSON shapes are this module's
//! own view types, not the core's (serialization stays at the edge).

use super::Format;
use layerlab_image::{
    ArchiveSummary, EntryEffect, Exploration, ImportedImage, ListEntry, Reference,
};
use layerlab_vfs::NodeType;
use serde_json::{json, Value};
use std::path::Path;

/// Docker's `units.HumanSizeWithPrecision(n, 3)`: decimal units, 3 significant digits.
pub(crate) fn human_size(n: u64) -> String {
    // `docker history`/`docker images` use go-units with 3 significant digits.
    layerlab_build::progress::human_size_precision(n, 3)
}

fn print_json(v: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).expect("JSON values serialize")
    );
}

fn type_letter(t: Option<NodeType>) -> char {
    match t {
        Some(NodeType::Dir) => 'd',
        Some(NodeType::Symlink) => 'l',
        Some(NodeType::File) => '-',
        None => ' ',
    }
}

fn effect_name(e: EntryEffect) -> &'static str {
    match e {
        EntryEffect::Added => "added",
        EntryEffect::Modified => "modified",
        EntryEffect::MetadataOnly => "metadata",
        EntryEffect::Unchanged => "unchanged",
        EntryEffect::Deleted => "deleted",
        EntryEffect::Opaque => "opaque",
        EntryEffect::DeletedMissing => "deleted-missing",
        _ => "other",
    }
}

fn layer_rows(img: &ImportedImage) -> Vec<Value> {
    let chain =
        layerlab_image::chain_ids(&img.layers.iter().map(|l| l.diff_id).collect::<Vec<_>>());
    img.layers
        .iter()
        .zip(chain)
        .enumerate()
        .map(|(i, (l, c))| {
            json!({
                "index": i,
                "diff_id": l.diff_id.to_string(),
                "chain_id": c.to_string(),
                "digest": l.blob_digest.to_string(),
                "media_type": l.media_type,
                "size": l.tar_size,
                "compressed_size": l.blob_size,
                "entries": l.layer.entries().len(),
                "file": l.file,
                "skipped": l.notes.skipped.iter().map(|(n, why)| json!({"name": n, "reason": why})).collect::<Vec<_>>(),
            })
        })
        .collect()
}

pub(crate) fn inspect(img: &ImportedImage, ex: &Exploration, format: Format) {
    let c = &img.config;
    let history: Vec<(usize, &layerlab_image::History, Option<usize>)> = c
        .history_layers()
        .into_iter()
        .enumerate()
        .map(|(i, (h, l))| (i, h, l))
        .collect();
    if format == Format::Json {
        let config: Value = serde_json::from_slice(&c.to_bytes()).unwrap_or(Value::Null);
        print_json(&json!({
            "format": format!("{:?}", img.format),
            "image_id": img.config_digest.to_string(),
            "manifest_digest": img.manifest_digest.map(|d| d.to_string()),
            "tags": img.tags,
            "config": config,
            "history": history.iter().map(|(_, h, l)| json!({
                "created": h.created, "created_by": h.created_by, "comment": h.comment,
                "empty_layer": h.empty_layer, "layer": l,
                "size": l.map_or(0, |l| img.layers.get(l).map_or(0, |x| x.tar_size)),
            })).collect::<Vec<_>>(),
            "layers": layer_rows(img),
            "size": img.layers.iter().map(|l| l.tar_size).sum::<u64>(),
            "wasted_bytes": ex.wasted_bytes(),
        }));
        return;
    }
    println!("Image ID:     {}", img.config_digest);
    if let Some(m) = img.manifest_digest {
        println!("Manifest:     {m}");
    }
    println!("Format:       {:?}", img.format);
    println!("Tags:         {}", img.tags.join(", "));
    println!(
        "Platform:     {}/{}{}",
        c.os,
        c.architecture,
        c.variant
            .as_ref()
            .map(|v| format!("/{v}"))
            .unwrap_or_default()
    );
    println!("Created:      {}", c.created.as_deref().unwrap_or("-"));
    let cc = &c.config;
    println!("User:         {}", cc.user.as_deref().unwrap_or(""));
    println!("WorkingDir:   {}", cc.working_dir.as_deref().unwrap_or(""));
    println!("Entrypoint:   {:?}", cc.entrypoint);
    println!("Cmd:          {:?}", cc.cmd);
    for e in &cc.env {
        println!("Env:          {e}");
    }
    for p in &cc.exposed_ports {
        println!("ExposedPort:  {p}");
    }
    for (k, v) in &cc.labels {
        println!("Label:        {k}={v}");
    }
    println!("\nHISTORY (oldest first)");
    for (i, h, l) in &history {
        let size = l.and_then(|l| img.layers.get(l)).map_or(0, |x| x.tar_size);
        let layer = l.map_or("-".to_owned(), |l| format!("L{l}"));
        println!(
            "{i:>3} {layer:>4} {:>8}  {}",
            human_size(size),
            h.created_by.as_deref().unwrap_or("")
        );
    }
    println!("\nLAYERS");
    for (i, l) in img.layers.iter().enumerate() {
        println!(
            "L{i:<3} {}  size {:>8}  stored {:>8}  {} entries",
            l.diff_id,
            human_size(l.tar_size),
            human_size(l.blob_size),
            l.layer.entries().len()
        );
    }
    let total: u64 = img.layers.iter().map(|l| l.tar_size).sum();
    println!(
        "\nTotal size: {}  wasted: {} in {} file versions",
        human_size(total),
        human_size(ex.wasted_bytes()),
        ex.wasted.len()
    );
}

pub(crate) fn layers(
    img: &ImportedImage,
    ex: &Exploration,
    only: Option<usize>,
    all: bool,
    format: Format,
) {
    let history = img.config.history_layers();
    let created_by = |i: usize| {
        history
            .iter()
            .find(|(_, l)| *l == Some(i))
            .and_then(|(h, _)| h.created_by.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (i, summary) in ex.layers.iter().enumerate() {
        if only.is_some_and(|n| n != i) {
            continue;
        }
        let changes: Vec<_> = summary
            .changes
            .iter()
            .filter(|c| all || c.effect != EntryEffect::Unchanged)
            .collect();
        if format == Format::Json {
            out.push(json!({
                "index": i,
                "diff_id": img.layers[i].diff_id.to_string(),
                "created_by": created_by(i),
                "size": img.layers[i].tar_size,
                "content_bytes": summary.content_bytes,
                "changes": changes.iter().map(|c| json!({
                    "path": c.path.as_str(), "change": effect_name(c.effect),
                    "type": c.node_type.map(|t| t.as_str()), "size": c.size,
                })).collect::<Vec<_>>(),
            }));
            continue;
        }
        println!(
            "Layer {i}  {}  {}",
            img.layers[i].diff_id,
            human_size(img.layers[i].tar_size)
        );
        println!("  {}", created_by(i));
        for c in changes {
            println!(
                "  {} {} {:>8}  {}",
                c.effect.letter(),
                type_letter(c.node_type),
                human_size(c.size),
                c.path
            );
        }
    }
    if format == Format::Json {
        print_json(&Value::Array(out));
    }
}

pub(crate) fn ls(rows: &[ListEntry], format: Format) {
    if format == Format::Json {
        print_json(&Value::Array(
            rows.iter()
                .map(|r| {
                    json!({
                        "path": r.path.as_str(), "type": r.node_type.as_str(), "size": r.size,
                        "mode": format!("{:04o}", r.mode), "uid": r.uid, "gid": r.gid,
                        "target": r.target, "layer": r.origin,
                    })
                })
                .collect(),
        ));
        return;
    }
    for r in rows {
        let layer = r.origin.map_or("  -".to_owned(), |l| format!("L{l:<2}"));
        let target = r
            .target
            .as_ref()
            .map(|t| format!(" -> {t}"))
            .unwrap_or_default();
        println!(
            "{layer} {}{:04o} {:>5}:{:<5} {:>8}  {}{target}",
            type_letter(Some(r.node_type)),
            r.mode,
            r.uid,
            r.gid,
            human_size(r.size),
            r.path
        );
    }
}

pub(crate) fn waste(ex: &Exploration, format: Format) {
    if format == Format::Json {
        print_json(&json!({
            "wasted_bytes": ex.wasted_bytes(),
            "files": ex.wasted.iter().map(|w| json!({
                "path": w.path.as_str(), "layer": w.layer, "size": w.size,
                "by_layer": w.by_layer, "reason": if w.deleted { "deleted" } else { "overwritten" },
            })).collect::<Vec<_>>(),
        }));
        return;
    }
    for w in &ex.wasted {
        let why = if w.deleted { "deleted" } else { "overwritten" };
        println!(
            "{:>8}  L{} {why} by L{}  {}",
            human_size(w.size),
            w.layer,
            w.by_layer,
            w.path
        );
    }
    println!(
        "Wasted: {} in {} file versions",
        human_size(ex.wasted_bytes()),
        ex.wasted.len()
    );
}

pub(crate) fn demo(s: &ArchiveSummary, dest: &Path, format: Format) {
    if format == Format::Json {
        print_json(&json!({
            "dest": dest.display().to_string(),
            "manifest": s.manifest.digest.to_string(),
            "config": s.config.digest.to_string(),
            "layers": s.layers.iter().map(|l| l.digest.to_string()).collect::<Vec<_>>(),
        }));
        return;
    }
    println!("wrote {}", dest.display());
    println!("manifest {}", s.manifest.digest);
    println!("image id {}", s.config.digest);
    for (i, l) in s.layers.iter().enumerate() {
        println!("layer {i}   {} ({})", l.digest, human_size(l.size));
    }
}

pub(crate) fn reference(r: &Reference, format: Format) {
    let full = r.clone().with_default_tag();
    if format == Format::Json {
        print_json(&json!({
            "normalized": full.to_string(), "familiar": r.familiar(), "domain": r.domain(),
            "path": r.path(), "tag": full.tag(), "digest": r.digest(),
        }));
        return;
    }
    println!("{full}");
}
