//! The image the Layers view explores: the last successful build's (kept for the page's
//! lifetime, like the build cache) or one imported from an archive. Exploring applies
//! the layers once (origins, per-layer effects, waste); archives are written only when
//! a download is asked for.

use layerlab_build::engine::BuildOutput;
use layerlab_image::{
    import_archive, layer_created_by, write_docker_archive, write_oci_archive, ArchiveFormat,
    ArchiveOptions, EntryEffect, Exploration, Image, ImportLimits, Reference, WasteReport,
};
use std::cell::RefCell;
use std::rc::Rc;

/// What the last successful build left for the Layers view.
struct Built {
    image: Image,
    /// For each image layer, the build step (index into the report's steps) that made it.
    step_of_layer: Vec<Option<usize>>,
    base_history: usize,
    /// A later build failed: this is the previous successful build's image.
    stale: bool,
}

/// What a build in the worker left for the Layers view, as it crosses to the page:
/// the image as bytes (synthetic content stays a seed and a length, so a 300 MB layer
/// costs a few bytes) with what links it to the build's steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptImage {
    /// [`layerlab_build::cache::image_to_bytes`] of the image.
    pub image: Box<[u8]>,
    /// For each image layer, the build step that made it.
    pub step_of_layer: Vec<Option<usize>>,
    /// How many history entries the base image brought.
    pub base_history: usize,
    /// A later build failed: this is the previous successful build's image.
    pub stale: bool,
}

thread_local! {
    static LAST_BUILD: RefCell<Option<Rc<Built>>> = const { RefCell::new(None) };
    // The worker's last successful build, not read yet (see `receive`).
    static RECEIVED: RefCell<Option<KeptImage>> = const { RefCell::new(None) };
    // The explored model of `LAST_BUILD`, made when the view first asks for it.
    static LAST_MODEL: RefCell<Option<Rc<ImageModel>>> = const { RefCell::new(None) };
}

/// Keeps a successful build's image for the Layers view. A failed build keeps the
/// previous image (as `docker history` would still show it), unlinked from the steps,
/// which are now the failed build's.
pub fn remember_build(out: &BuildOutput) {
    let (Some(image), Some(report)) = (&out.image, &out.report.image) else {
        mark_stale();
        return;
    };
    // Each step's layer is the very layer the image holds (a clone of one handle), so
    // identity, not equality, links them: two steps can make equal layers.
    let step_of_layer = image
        .layers
        .iter()
        .map(|l| {
            out.report
                .steps
                .iter()
                .position(|s| s.layer.as_ref().is_some_and(|i| i.layer.is_same_layer(l)))
        })
        .collect();
    let built = Built {
        image: image.clone(),
        step_of_layer,
        base_history: report.base_history as usize,
        stale: false,
    };
    LAST_BUILD.with(|b| *b.borrow_mut() = Some(Rc::new(built)));
    LAST_MODEL.with(|m| *m.borrow_mut() = None);
    RECEIVED.with(|r| *r.borrow_mut() = None);
}

/// The last successful build's image now stands for a failed build (the worker's, when
/// one is waiting to be read: builds run here after the worker stopped).
fn mark_stale() {
    let waiting = RECEIVED.with(|r| {
        let mut r = r.borrow_mut();
        let kept = r.as_mut()?;
        kept.stale = true;
        kept.step_of_layer.clear();
        Some(())
    });
    if waiting.is_some() {
        LAST_MODEL.with(|m| *m.borrow_mut() = None);
        return;
    }
    LAST_BUILD.with(|b| {
        let mut b = b.borrow_mut();
        if let Some(prev) = b.as_ref().filter(|p| !p.stale) {
            *b = Some(Rc::new(Built {
                image: prev.image.clone(),
                step_of_layer: Vec::new(),
                base_history: prev.base_history,
                stale: true,
            }));
            LAST_MODEL.with(|m| *m.borrow_mut() = None);
        }
    });
}

/// The worker's side: what its last build left for the Layers view (`None` before any
/// build made an image), sent with each build's answer so the page never builds again.
pub fn kept() -> Option<KeptImage> {
    LAST_BUILD.with(|b| {
        b.borrow().as_ref().map(|b| KeptImage {
            image: layerlab_build::cache::image_to_bytes(&b.image).into(),
            step_of_layer: b.step_of_layer.clone(),
            base_history: b.base_history,
            stale: b.stale,
        })
    })
}

/// Forgets the last image: the project it was built from is gone (Reset, a lesson
/// loaded) or the builder is new.
pub fn forget() {
    RECEIVED.with(|r| *r.borrow_mut() = None);
    LAST_BUILD.with(|b| *b.borrow_mut() = None);
    LAST_MODEL.with(|m| *m.borrow_mut() = None);
}

/// The page's side: the worker's image replaces this thread's, read on first use.
pub fn receive(kept: KeptImage) {
    forget();
    RECEIVED.with(|r| *r.borrow_mut() = Some(kept));
}

/// One `docker history` row (oldest first, unlike `docker history`'s newest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    /// `created_by`.
    pub created_by: String,
    /// `comment`, if any.
    pub comment: Option<String>,
    /// The layer this entry made, `None` for `empty_layer` entries.
    pub layer: Option<usize>,
    /// Layer tar size (0 for empty entries).
    pub size: u64,
    /// Inherited from the base image.
    pub base: bool,
    /// The build step that made it (built images only).
    pub step: Option<usize>,
}

/// One layer with its change counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerRow {
    /// `sha256:…`.
    pub diff_id: String,
    /// Tar size.
    pub size: u64,
    /// Added entries and their bytes.
    pub added: (u32, u64),
    /// Modified entries (content, type or metadata) and their bytes.
    pub modified: (u32, u64),
    /// Deleted paths (whiteouts, opaque directories) and the bytes they hid.
    pub deleted: (u32, u64),
    /// The history entry that made it.
    pub created_by: String,
    /// The build step that made it.
    pub step: Option<usize>,
}

/// Everything the Layers view shows about one image.
#[derive(Debug)]
pub struct ImageModel {
    /// `last build` or the imported file's name.
    pub title: String,
    /// Stem of download names (`layerlab-image`).
    pub file_stem: String,
    /// Image ID.
    pub id: String,
    /// The image, for archives.
    pub image: Image,
    /// Tags written into archives.
    pub tags: Vec<Reference>,
    /// History rows.
    pub history: Vec<HistoryRow>,
    /// Layers, bottom first.
    pub layers: Vec<LayerRow>,
    /// The layers applied with bookkeeping.
    pub ex: Exploration,
    /// Wasted space.
    pub waste: WasteReport,
    /// `created_by` per layer (for waste causes).
    pub created_by: Vec<String>,
    /// The config, pretty-printed.
    pub inspect: String,
    /// Import findings (skipped tar entries).
    pub notes: Vec<String>,
    /// Whether the image came from an archive.
    pub imported: bool,
    /// Milliseconds spent exploring (shown, so a slow case is visible).
    pub explore_ms: f64,
    /// The image as downloads write it and the layers that changed for that (see
    /// [`archive`]): made on the first download, since it hashes every layer again.
    export: std::cell::OnceCell<(Image, Vec<usize>)>,
}

impl PartialEq for ImageModel {
    /// Models are immutable once made: identity is equality.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

fn explore(
    image: Image,
    step_of_layer: &[Option<usize>],
    base_history: usize,
) -> Result<ImageModel, String> {
    let ex = Exploration::new(&image.layers).map_err(|e| e.to_string())?;
    let waste = WasteReport::new(&ex);
    let created_by = layer_created_by(&image.config, image.layers.len());
    let mut history: Vec<HistoryRow> = image
        .config
        .history_layers()
        .into_iter()
        .enumerate()
        .map(|(i, (h, layer))| HistoryRow {
            created_by: h.created_by.clone().unwrap_or_default(),
            comment: h.comment.clone().filter(|c| !c.is_empty()),
            layer,
            size: layer
                .and_then(|l| image.layers.get(l))
                .map_or(0, |l| l.tar_size()),
            base: i < base_history,
            step: layer.and_then(|l| step_of_layer.get(l).copied().flatten()),
        })
        .collect();
    // History is optional (OCI image-spec) and some tools write less of it than there
    // are layers; every layer still gets a row to choose it by.
    let described = history
        .iter()
        .filter_map(|h| h.layer)
        .max()
        .map_or(0, |l| l + 1);
    for (l, layer) in image.layers.iter().enumerate().skip(described) {
        history.push(HistoryRow {
            created_by: "(the config has no history entry for this layer)".into(),
            comment: None,
            layer: Some(l),
            size: layer.tar_size(),
            base: false,
            step: step_of_layer.get(l).copied().flatten(),
        });
    }
    let layers = image
        .layers
        .iter()
        .zip(&ex.layers)
        .enumerate()
        .map(|(i, (layer, summary))| {
            let mut row = LayerRow {
                diff_id: layer.diff_id().to_string(),
                size: layer.tar_size(),
                created_by: created_by[i].clone(),
                step: step_of_layer.get(i).copied().flatten(),
                ..LayerRow::default()
            };
            for c in &summary.changes {
                let slot = match c.effect {
                    EntryEffect::Added => &mut row.added,
                    EntryEffect::Modified | EntryEffect::MetadataOnly => &mut row.modified,
                    EntryEffect::Deleted | EntryEffect::Opaque | EntryEffect::DeletedMissing => {
                        &mut row.deleted
                    }
                    _ => continue,
                };
                slot.0 += 1;
                slot.1 += c.size;
            }
            row
        })
        .collect();
    Ok(ImageModel {
        title: String::new(),
        file_stem: "layerlab-image".into(),
        id: image.id().to_string(),
        // What `docker inspect` would show: the config as stored, fields layerlab does
        // not model included.
        inspect: layerlab_text::json::parse(&image.config_bytes())
            .unwrap_or_else(|_| image.config.to_json())
            .to_string_pretty(),
        tags: Vec::new(),
        history,
        layers,
        ex,
        waste,
        created_by,
        notes: Vec::new(),
        imported: false,
        explore_ms: 0.0,
        export: std::cell::OnceCell::new(),
        image,
    })
}

/// The last successful build's image, explored (once per build).
pub fn last_build() -> Option<Rc<ImageModel>> {
    if let Some(m) = LAST_MODEL.with(|m| m.borrow().clone()) {
        return Some(m);
    }
    if let Some(kept) = RECEIVED.with(|r| r.borrow_mut().take()) {
        // Bytes this same module wrote in the worker: one that does not read is a bug,
        // and the view then says there is no image rather than show a wrong one.
        let image = layerlab_build::cache::image_from_bytes(&kept.image).ok()?;
        let built = Built {
            image,
            step_of_layer: kept.step_of_layer,
            base_history: kept.base_history,
            stale: kept.stale,
        };
        LAST_BUILD.with(|b| *b.borrow_mut() = Some(Rc::new(built)));
    }
    let built = LAST_BUILD.with(|b| b.borrow().clone())?;
    let t0 = now();
    let mut model = explore(
        built.image.clone(),
        &built.step_of_layer,
        built.base_history,
    )
    .ok()?;
    model.title = if built.stale {
        "previous successful build (the last build failed)".into()
    } else {
        "last build".into()
    };
    model.explore_ms = now() - t0;
    model.tags = Reference::parse_docker("layerlab-image:latest")
        .into_iter()
        .collect();
    let model = Rc::new(model);
    LAST_MODEL.with(|m| *m.borrow_mut() = Some(model.clone()));
    Some(model)
}

/// The page's caps: wasm memory is at most 4 GiB and an import holds the archive, its
/// inflated tar and the layers' contents at once, so a gzip bomb must stop well
/// before that (the native CLI keeps the importer's larger defaults).
pub const PAGE_LIMITS: ImportLimits = ImportLimits {
    tar: layerlab_image::TarLimits {
        max_entries: 1_000_000,
        max_name_len: 4096,
        max_extended_header: 1 << 20,
    },
    max_layer_bytes: 768 << 20,
    max_total_bytes: 768 << 20,
    max_layers: 512,
    max_json_bytes: 8 << 20,
};

/// Imports an OCI or `docker save` archive (optionally gzipped) and explores it.
///
/// # Errors
/// The importer's message with its location (member, entry, offset), or the
/// applier's when a layer cannot be applied.
pub fn import(name: &str, bytes: &[u8]) -> Result<ImageModel, String> {
    import_with(name, bytes, &PAGE_LIMITS)
}

fn import_with(name: &str, bytes: &[u8], limits: &ImportLimits) -> Result<ImageModel, String> {
    if bytes.len() as u64 > limits.max_total_bytes {
        return Err(format!(
            "{name}: {} bytes is more than the page can explore ({} MiB)",
            bytes.len(),
            limits.max_total_bytes >> 20
        ));
    }
    let t0 = now();
    let img = import_archive(bytes, limits).map_err(|e| e.to_string())?;
    let mut notes = Vec::new();
    let layers = img
        .layers
        .iter()
        .map(|l| {
            for (entry, why) in &l.notes.skipped {
                notes.push(format!("{}: skipped {entry:?} ({why})", l.file));
            }
            // Verified against the config on import: no need to hash them again.
            l.layer.clone().with_known_digests(l.diff_id, l.tar_size)
        })
        .collect();
    // The config as stored names the image; a re-serialized one could differ.
    let image = Image::new(img.config, layers).with_stored_config(img.config_bytes);
    let mut model = explore(image, &[], 0)?;
    let format = match img.format {
        ArchiveFormat::OciLayout => "OCI layout",
        _ => "docker save",
    };
    model.title = format!("{name} ({format})");
    model.tags = img
        .tags
        .iter()
        .filter_map(|t| Reference::parse_normalized(t).ok())
        .collect();
    model.file_stem = stem(name);
    model.notes = notes;
    model.imported = true;
    model.explore_ms = now() - t0;
    Ok(model)
}

/// `alpine.oci.tar.gz` → `alpine`; anything unsafe in a file name becomes `-`.
fn stem(name: &str) -> String {
    let mut s = name.rsplit(['/', '\\']).next().unwrap_or(name);
    for ext in [".gz", ".tgz", ".tar", ".oci", ".docker"] {
        s = s.strip_suffix(ext).unwrap_or(s);
    }
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    if clean.is_empty() {
        "image".into()
    } else {
        clean
    }
}

/// The page's clock (native unit tests have no `window`, and no timing to show).
fn now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    #[cfg(not(target_arch = "wasm32"))]
    0.0
}

/// Archive kinds the view offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveKind {
    /// `docker buildx build -o type=oci`.
    Oci,
    /// `docker save`.
    Docker,
}

impl ArchiveKind {
    /// The download name: `layerlab-image.oci.tar`.
    pub fn file_name(self, stem: &str) -> String {
        match self {
            ArchiveKind::Oci => format!("{stem}.oci.tar"),
            ArchiveKind::Docker => format!("{stem}.docker.tar"),
        }
    }
}

/// A download: the archive's bytes and what the user should know about them.
pub struct Archive {
    /// The tar.
    pub bytes: Vec<u8>,
    /// Set when the archive is not the imported image byte for byte.
    pub note: Option<String>,
}

/// The archive in memory (see [`write_archive`]).
pub fn archive(model: &ImageModel, kind: ArchiveKind) -> Archive {
    let mut bytes = Vec::new();
    let note = write_archive(model, kind, &mut bytes).expect("writing to a Vec cannot fail");
    Archive { bytes, note }
}

/// Writes the archive to `w` and returns what the user should know about it. An
/// imported image is written exactly as imported when layerlab's tars of its layers
/// hash to the stored diff_ids; a layer from another tar writer is named by the digest
/// of what is written, so that the archive stays valid, and the note says which layers
/// and the new image ID. Which layers those are is found on the first download and
/// kept with the model.
///
/// # Errors
/// Only those of `w`.
pub fn write_archive(
    model: &ImageModel,
    kind: ArchiveKind,
    w: &mut dyn std::io::Write,
) -> std::io::Result<Option<String>> {
    let opts = ArchiveOptions {
        tags: model.tags.clone(),
        ..ArchiveOptions::default()
    };
    let (rewritten, changed) = model.export.get_or_init(|| {
        if model.imported {
            model.image.rewritten_for_export()
        } else {
            (model.image.clone(), Vec::new())
        }
    });
    let note = (!changed.is_empty()).then(|| {
        let which: Vec<String> = changed.iter().map(|i| i.to_string()).collect();
        format!(
            "layer {} of this archive came from another tar writer; layerlab writes the same \
             files in its own tar form, so the download names {} by new diff_ids and its image \
             ID is {} (was {})",
            which.join(", "),
            if changed.len() == 1 { "it" } else { "them" },
            rewritten.id(),
            model.id
        )
    });
    match kind {
        ArchiveKind::Oci => write_oci_archive(rewritten, &opts, w)?,
        ArchiveKind::Docker => write_docker_archive(rewritten, &opts, w)?,
    };
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_come_from_the_file() {
        assert_eq!(stem("alpine.oci.tar.gz"), "alpine");
        assert_eq!(stem("C:\\x\\my image.tar"), "my-image");
        assert_eq!(stem(".tar"), "image");
        assert_eq!(ArchiveKind::Docker.file_name("a"), "a.docker.tar");
    }

    #[test]
    fn equal_layers_of_two_steps_link_to_their_own_steps() {
        let mut ws = crate::workspace::Workspace::starter();
        ws.set_text(
            "Dockerfile",
            "FROM alpine:3.21\nRUN true\nENV A=1\nRUN true\n".into(),
        );
        let view = super::super::build::run_build(&ws, &Default::default());
        assert!(view.error.is_none(), "{:?}", view.error);
        let m = last_build().unwrap();
        let own: Vec<(String, Option<usize>)> = m
            .history
            .iter()
            .filter(|h| !h.base)
            .map(|h| (h.created_by.clone(), h.step))
            .collect();
        // Steps: [1/3] FROM, [2/3] RUN true, [3/3] RUN true.
        assert_eq!(
            own,
            [
                ("RUN /bin/sh -c true # buildkit".to_owned(), Some(1)),
                ("ENV A=1".to_owned(), None),
                ("RUN /bin/sh -c true # buildkit".to_owned(), Some(2)),
            ]
        );
        assert!(m
            .history
            .iter()
            .filter(|h| h.base)
            .all(|h| h.step.is_none()));
        assert_eq!(m.title, "last build");
    }

    /// What the page reads from the worker's bytes is the view a build on the page
    /// itself makes, archives included, and a failed build's stale image crosses too.
    #[test]
    fn the_worker_image_reads_back_as_the_view_a_build_here_makes() {
        let mut ws = crate::workspace::Workspace::starter();
        let _ = super::super::build::run_build(&ws, &Default::default());
        let here = last_build().unwrap();
        let kept_bytes = kept().unwrap();
        receive(kept_bytes.clone());
        let read = last_build().unwrap();
        assert!(!Rc::ptr_eq(&here, &read), "made again from the bytes");
        assert_eq!(
            (
                &read.id,
                &read.history,
                &read.layers,
                &read.inspect,
                &read.title
            ),
            (
                &here.id,
                &here.history,
                &here.layers,
                &here.inspect,
                &here.title
            )
        );
        assert_eq!(
            (&read.waste, &read.created_by),
            (&here.waste, &here.created_by)
        );
        for kind in [ArchiveKind::Docker, ArchiveKind::Oci] {
            assert!(archive(&read, kind).bytes == archive(&here, kind).bytes);
        }
        ws.set_text("Dockerfile", "FROM alpine\nRUN false\n".into());
        assert!(super::super::build::run_build(&ws, &Default::default())
            .error
            .is_some());
        let stale = kept().unwrap();
        assert!(stale.stale && stale.image == kept_bytes.image);
        receive(stale);
        let read = last_build().unwrap();
        assert_eq!(read.id, here.id);
        assert_eq!(
            read.title,
            "previous successful build (the last build failed)"
        );
        assert!(read.history.iter().all(|h| h.step.is_none()));
    }

    /// The worker stopped with its image still unread, and the next build, run here,
    /// failed: that image stands for the failed build, unlinked from its steps; Reset
    /// or a lesson forgets it.
    #[test]
    fn a_failed_build_here_marks_an_unread_worker_image_stale() {
        let mut ws = crate::workspace::Workspace::starter();
        let _ = super::super::build::run_build(&ws, &Default::default());
        let kept_bytes = kept().unwrap();
        forget();
        assert!(last_build().is_none());
        receive(kept_bytes);
        ws.set_text("Dockerfile", "FROM alpine\nRUN false\n".into());
        let _ = super::super::build::run_build(&ws, &Default::default());
        let read = last_build().unwrap();
        assert_eq!(
            read.title,
            "previous successful build (the last build failed)"
        );
        assert!(read.history.iter().all(|h| h.step.is_none()));
        forget();
        assert!(last_build().is_none() && kept().is_none());
    }

    fn demo_archive() -> Vec<u8> {
        layerlab_image::oci_archive_bytes(
            &layerlab_image::demo_image(0),
            &ArchiveOptions::default(),
        )
    }

    #[test]
    fn an_archive_round_trips_through_import_and_download() {
        let m = import("demo.oci.tar", &demo_archive()).unwrap();
        assert_eq!(m.title, "demo.oci.tar (OCI layout)");
        assert_eq!(m.layers.len(), 3);
        assert!(m.history.iter().all(|h| !h.base && h.step.is_none()));
        let out = archive(&m, ArchiveKind::Docker);
        assert_eq!(out.note, None, "layerlab's own tars come back unchanged");
        let kept = m.export.get().map(|(image, _)| image.layers[0].clone());
        assert!(
            kept.is_some_and(|l| l.is_same_layer(&m.image.layers[0])),
            "kept, not remade"
        );
        assert_eq!(archive(&m, ArchiveKind::Oci).note, None);
        let again = import("again.tar", &out.bytes).unwrap();
        assert_eq!(again.id, m.id, "the same config bytes");
        assert_eq!(again.waste, m.waste);
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_page_cap() {
        // 64 KiB of zeros inflate from a few hundred bytes; cap at 16 KiB.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut enc, &vec![0u8; 64 << 10]).unwrap();
        let bomb = enc.finish().unwrap();
        let limits = ImportLimits {
            max_total_bytes: 16 << 10,
            max_layer_bytes: 16 << 10,
            ..PAGE_LIMITS
        };
        let err = import_with("bomb.tar.gz", &bomb, &limits).unwrap_err();
        assert!(err.contains("decompression bomb"), "{err}");
        let err = import_with("big.tar", &vec![0u8; 32 << 10], &limits).unwrap_err();
        assert!(err.contains("more than the page can explore"), "{err}");
        let err = import("junk.tar", &[7u8; 3000]).unwrap_err();
        assert!(err.starts_with("archive:"), "{err}");
    }
}
