//! [`Catalog`]: the lookup `FROM` uses. Tags map to images; an image resolves, for one
//! platform, to a [`BaseImage`] with its config, history and layers.
//!
//! References are normalised by `layerlab_image::Reference` (distribution/reference
//! rules: `node:20` → `docker.io/library/node:20`), so the catalog is keyed by full
//! names and `FROM docker.io/library/node:20` finds the same image as `FROM node:20`.

use crate::digests::{parse_digest_table, DigestTable, LayerDigest};
use crate::error::{closest, CatalogError, ErrorKind};
use crate::spec::{ImageSpec, LayerSpec};
use layerlab_image::{ImageConfig, Platform, Reference};
use layerlab_vfs::{Digest, Fs, FsError};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// The set of simulated images. Immutable once built; cheap to share.
#[derive(Debug)]
pub struct Catalog {
    images: Vec<ImageSpec>,
    digests: DigestTable,
    /// `(full repository name, tag)` → index into `images`.
    tags: BTreeMap<(String, String), usize>,
}

/// One layer of a resolved base image.
#[derive(Clone, Debug)]
pub struct BaseLayer {
    /// sha256 of the layer tar written by `layerlab_image::Layer` (a real diff_id,
    /// computed by the generator and stored; never recomputed at build time).
    pub diff_id: Digest,
    /// Sum of file content sizes, `docker history`'s SIZE.
    pub size: u64,
    /// Length of the uncompressed tar.
    pub tar_size: u64,
    /// The history step that created it.
    pub created_by: String,
    recipe: LayerRecipe,
}

impl BaseLayer {
    /// Writes this layer's files onto `fs` (which must hold the layers below it).
    ///
    /// # Errors
    /// Only if `fs` contradicts the layer (e.g. a file where it needs a directory);
    /// never for a catalog image applied in order.
    pub fn apply(&self, fs: &mut Fs) -> Result<(), FsError> {
        self.recipe.apply(fs)
    }

    /// The recipe (for the generator and tests).
    pub fn recipe(&self) -> &LayerRecipe {
        &self.recipe
    }
}

/// How to produce one catalog layer: the unhashed description behind a [`BaseLayer`].
#[derive(Clone, Debug)]
pub struct LayerRecipe(Arc<LayerSpec>);

impl LayerRecipe {
    /// Globally unique key (e.g. `debian/bookworm/rootfs`), the digest table's index.
    pub fn key(&self) -> &str {
        &self.0.key
    }

    /// Content bytes the layer adds.
    pub fn size(&self) -> u64 {
        self.0.size
    }

    /// Number of entries written (files, dirs, links), bulk expanded.
    pub fn n_entries(&self) -> u64 {
        self.0.n_ops()
    }

    /// Writes the layer's files onto `fs`.
    ///
    /// # Errors
    /// As [`BaseLayer::apply`].
    pub fn apply(&self, fs: &mut Fs) -> Result<(), FsError> {
        self.0.apply(fs)
    }
}

/// A base image resolved for one platform.
#[derive(Clone, Debug)]
pub struct BaseImage {
    /// The normalised reference that was asked for, e.g. `docker.io/library/node:20`.
    pub reference: String,
    /// A stable digest of the whole multi-platform image (all tags of it share it):
    /// sha256 over each platform's image ID. It stands in for the registry's
    /// manifest-list digest, which the catalog cannot know; `FROM name@<digest>`
    /// resolves with it, and with [`BaseImage::image_id`].
    pub digest: Digest,
    /// The image ID for this platform: sha256 of [`BaseImage::config`]'s JSON.
    pub image_id: Digest,
    /// The image config: platform, `config` (Env, Cmd, ...), `rootfs.diff_ids`,
    /// `history`.
    pub config: ImageConfig,
    /// Layers, bottom first (empty for `scratch`).
    pub layers: Vec<BaseLayer>,
}

impl BaseImage {
    /// The filesystem after each layer (structurally shared snapshots), bottom first.
    ///
    /// # Errors
    /// As [`BaseLayer::apply`]; never for catalog images.
    pub fn layer_snapshots(&self) -> Result<Vec<Fs>, FsError> {
        let mut fs = Fs::default();
        let mut out = Vec::with_capacity(self.layers.len());
        for layer in &self.layers {
            layer.apply(&mut fs)?;
            out.push(fs.clone());
        }
        Ok(out)
    }

    /// The image's root filesystem (all layers applied).
    ///
    /// # Errors
    /// As [`BaseLayer::apply`]; never for catalog images.
    pub fn rootfs(&self) -> Result<Fs, FsError> {
        let mut fs = Fs::default();
        for layer in &self.layers {
            layer.apply(&mut fs)?;
        }
        Ok(fs)
    }

    /// Total content size, as `docker images` reports it.
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size).sum()
    }
}

/// One row of the image picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogEntry {
    /// Familiar repository name, e.g. `node`, `gcr.io/distroless/static-debian12`.
    pub name: String,
    /// All tags of this image, the canonical one first.
    pub tags: Vec<String>,
    /// Uncompressed size in bytes.
    pub size: u64,
    /// One line.
    pub description: String,
    /// Platforms such as `linux/amd64`, `linux/arm64/v8`.
    pub platforms: Vec<String>,
    /// The published (or estimated) size the data was sized against, and its source.
    pub reference_size: Option<(u64, &'static str)>,
}

impl Catalog {
    /// The built-in catalog, built on first use and shared afterwards.
    ///
    /// # Panics
    /// If the shipped digest table is malformed: a build-time bug caught by the tests.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let (digests, diags) = parse_digest_table(include_str!("digests.txt"));
            assert!(diags.is_empty(), "digests.txt is malformed: {diags:?}");
            Catalog::new(crate::data::all(), digests)
        })
    }

    pub(crate) fn new(images: Vec<ImageSpec>, digests: DigestTable) -> Catalog {
        let mut tags = BTreeMap::new();
        for (i, img) in images.iter().enumerate() {
            let name = format!("{}/{}", img.domain, img.path);
            for t in &img.tags {
                // The first image to claim a tag keeps it; the tests forbid duplicates.
                tags.entry((name.clone(), t.clone())).or_insert(i);
            }
        }
        Catalog {
            images,
            digests,
            tags,
        }
    }

    /// The image picker's rows, in catalog order.
    pub fn list(&self) -> Vec<CatalogEntry> {
        self.images
            .iter()
            .map(|img| CatalogEntry {
                name: familiar_name(img),
                tags: img.tags.clone(),
                size: img
                    .steps
                    .iter()
                    .filter_map(|s| s.layer.as_ref())
                    .map(|l| match self.digests.get(&l.key) {
                        Some(d) => d.size,
                        None => l.size.max(l.explicit_bytes()),
                    })
                    .sum(),
                description: img.description.clone(),
                platforms: img
                    .platforms
                    .iter()
                    .map(|(arch, variant)| match variant {
                        Some(v) => format!("linux/{arch}/{v}"),
                        None => format!("linux/{arch}"),
                    })
                    .collect(),
                reference_size: img.expected.as_ref().map(|e| (e.bytes, e.source)),
            })
            .collect()
    }

    /// Resolves a `FROM` reference for `platform`.
    ///
    /// `scratch` is not an image: the build engine handles `FROM scratch` itself, but it
    /// also resolves here, to an image without layers, so callers may treat it uniformly.
    ///
    /// # Errors
    /// [`CatalogError`] with BuildKit's wording and catalog suggestions: invalid
    /// reference, unknown repository, tag or digest, or unpublished platform.
    pub fn resolve(&self, reference: &str, platform: &Platform) -> Result<BaseImage, CatalogError> {
        let fail = |kind, normalized: Option<String>, suggestions| CatalogError {
            kind,
            input: reference.to_owned(),
            normalized,
            suggestions,
        };
        let parsed = Reference::parse_docker(reference)
            .map_err(|e| fail(ErrorKind::InvalidReference(e.message), None, Vec::new()))?;
        let normalized = parsed.to_string();
        let name = parsed.name();
        let idx = match (parsed.digest(), parsed.tag()) {
            // BuildKit resolves by digest when both are given.
            (Some(d), _) => self
                .find_digest(&name, d)
                .ok_or_else(|| fail(ErrorKind::DigestNotFound, Some(normalized.clone()), vec![]))?,
            // `parse_docker` adds `:latest` when there is no digest, so a tag is present.
            (None, tag) => match self
                .tags
                .get(&(name.clone(), tag.unwrap_or("latest").to_owned()))
            {
                Some(i) => *i,
                None if self.has_repository(&name) => {
                    let sugg = self.suggest_tag(&parsed, tag.unwrap_or("latest"));
                    return Err(fail(ErrorKind::TagNotFound, Some(normalized), sugg));
                }
                None => {
                    let sugg = self.suggest_repository(&parsed);
                    return Err(fail(ErrorKind::RepositoryNotFound, Some(normalized), sugg));
                }
            },
        };
        let img = &self.images[idx];
        // containerd treats arm64 without a variant as arm64/v8.
        let norm = |arch: &str, v: Option<&str>| match (arch, v) {
            ("arm64", Some("v8")) => None,
            (_, v) => v.map(str::to_owned),
        };
        let wanted_variant = norm(&platform.architecture, platform.variant.as_deref());
        let Some(&(arch, variant)) = img.platforms.iter().find(|(a, v)| {
            platform.os == "linux"
                && *a == platform.architecture
                && (wanted_variant.is_none() || wanted_variant == norm(a, *v))
        }) else {
            let available = self.list()[idx].platforms.clone();
            let mut requested = format!("{}/{}", platform.os, platform.architecture);
            if let Some(v) = &platform.variant {
                requested = format!("{requested}/{v}");
            }
            return Err(fail(
                ErrorKind::PlatformNotFound {
                    platform: requested,
                    available,
                },
                Some(normalized),
                vec![],
            ));
        };
        self.build_image(idx, arch, variant, normalized)
    }

    fn build_image(
        &self,
        idx: usize,
        arch: &str,
        variant: Option<&str>,
        reference: String,
    ) -> Result<BaseImage, CatalogError> {
        let img = &self.images[idx];
        let mut layers = Vec::new();
        for step in &img.steps {
            let Some(spec) = &step.layer else { continue };
            let Some(LayerDigest {
                diff_id,
                tar_size,
                size,
            }) = self.digests.get(&spec.key).copied()
            else {
                return Err(CatalogError {
                    kind: ErrorKind::StaleDigestTable {
                        layer: spec.key.clone(),
                    },
                    input: reference.clone(),
                    normalized: Some(reference),
                    suggestions: vec![],
                });
            };
            layers.push(BaseLayer {
                diff_id,
                size,
                tar_size,
                created_by: step.created_by.clone(),
                recipe: LayerRecipe(Arc::clone(spec)),
            });
        }
        let config = self.config_for(img, arch, variant, &layers);
        Ok(BaseImage {
            reference,
            digest: self.index_digest(idx),
            image_id: config.image_id(),
            config,
            layers,
        })
    }

    fn config_for(
        &self,
        img: &ImageSpec,
        arch: &str,
        variant: Option<&str>,
        layers: &[BaseLayer],
    ) -> ImageConfig {
        ImageConfig {
            architecture: arch.to_owned(),
            os: "linux".to_owned(),
            variant: variant.map(str::to_owned),
            created: img.steps.last().map(|s| layerlab_image::rfc3339(s.created)),
            config: img.config.clone(),
            diff_ids: layers.iter().map(|l| l.diff_id).collect(),
            history: img.history(arch),
            ..ImageConfig::default()
        }
    }

    /// sha256 over `<arch>[/<variant>] <image id>\n` for each platform: changes when any
    /// platform's config or layers change, and is shared by all tags of the image.
    fn index_digest(&self, idx: usize) -> Digest {
        let img = &self.images[idx];
        let mut text = String::new();
        for (arch, variant) in &img.platforms {
            let layers: Vec<BaseLayer> = match self.build_layers_quiet(img) {
                Some(l) => l,
                // Only with a stale digest table, which `resolve` reports before
                // anyone sees this value; any stable placeholder will do.
                None => return Digest::of(img.path.as_bytes()),
            };
            let id = self.config_for(img, arch, *variant, &layers).image_id();
            let v = variant.map(|v| format!("/{v}")).unwrap_or_default();
            text.push_str(&format!("{arch}{v} {id}\n"));
        }
        Digest::of(text.as_bytes())
    }

    fn build_layers_quiet(&self, img: &ImageSpec) -> Option<Vec<BaseLayer>> {
        img.steps
            .iter()
            .filter_map(|s| s.layer.as_ref().map(|l| (s, l)))
            .map(|(s, l)| {
                let d = self.digests.get(&l.key)?;
                Some(BaseLayer {
                    diff_id: d.diff_id,
                    size: d.size,
                    tar_size: d.tar_size,
                    created_by: s.created_by.clone(),
                    recipe: LayerRecipe(Arc::clone(l)),
                })
            })
            .collect()
    }

    fn find_digest(&self, name: &str, digest: &str) -> Option<usize> {
        let wanted = Digest::parse(digest)?;
        (0..self.images.len()).find(|&i| {
            let img = &self.images[i];
            format!("{}/{}", img.domain, img.path) == name
                && (self.index_digest(i) == wanted
                    || self.build_layers_quiet(img).is_some_and(|layers| {
                        img.platforms
                            .iter()
                            .any(|(a, v)| self.config_for(img, a, *v, &layers).image_id() == wanted)
                    }))
        })
    }

    fn has_repository(&self, name: &str) -> bool {
        self.images
            .iter()
            .any(|img| format!("{}/{}", img.domain, img.path) == name)
    }

    /// Repositories whose familiar name is close to the requested one, keeping the tag
    /// when that repository has it (`nodee:20` → `node:20`).
    fn suggest_repository(&self, parsed: &Reference) -> Vec<String> {
        let wanted = parsed.familiar_name();
        let names: Vec<String> = self.images.iter().map(familiar_name).collect();
        let mut uniq: Vec<&str> = names.iter().map(String::as_str).collect();
        uniq.sort_unstable();
        uniq.dedup();
        let tag = parsed.tag().unwrap_or("latest");
        closest(&wanted, uniq, 3, false)
            .into_iter()
            .map(|n| {
                let has_tag = self
                    .images
                    .iter()
                    .any(|img| familiar_name(img) == n && img.tags.iter().any(|t| t == tag));
                if has_tag {
                    format!("{n}:{tag}")
                } else {
                    n.to_owned()
                }
            })
            .collect()
    }

    /// Tags of the same repository close to the requested one; failing that, tags that
    /// share its leading version number (`node:21` → `node:20`, `node:22`).
    fn suggest_tag(&self, parsed: &Reference, tag: &str) -> Vec<String> {
        let name = parsed.name();
        let fam = parsed.familiar_name();
        let all: Vec<&str> = self
            .tags
            .keys()
            .filter(|(n, _)| *n == name)
            .map(|(_, t)| t.as_str())
            .collect();
        let mut found = closest(tag, all.iter().copied(), 3, true);
        if found.is_empty() {
            let head = tag.split(['.', '-']).next().unwrap_or(tag);
            found = all
                .iter()
                .copied()
                .filter(|t| t.starts_with(head) || t.contains(head))
                .take(3)
                .collect();
        }
        found.into_iter().map(|t| format!("{fam}:{t}")).collect()
    }

    /// Every image (by its canonical tag) with its layer recipes, bottom first: what the
    /// generator hashes and the tests check.
    pub fn recipes(&self) -> Vec<(String, Vec<LayerRecipe>)> {
        self.images
            .iter()
            .map(|img| {
                let name = format!("{}:{}", familiar_name(img), img.tags[0]);
                let layers = img
                    .steps
                    .iter()
                    .filter_map(|s| s.layer.as_ref())
                    .map(|l| LayerRecipe(Arc::clone(l)))
                    .collect();
                (name, layers)
            })
            .collect()
    }

    /// The digest table this catalog was built with.
    pub fn digests(&self) -> &DigestTable {
        &self.digests
    }

    /// Every `familiar:tag` the catalog answers to, in catalog order.
    pub fn references(&self) -> Vec<String> {
        self.images
            .iter()
            .flat_map(|img| {
                let n = familiar_name(img);
                img.tags.iter().map(move |t| format!("{n}:{t}"))
            })
            .collect()
    }
}

fn familiar_name(img: &ImageSpec) -> String {
    match (img.domain, img.path.strip_prefix("library/")) {
        ("docker.io", Some(rest)) => rest.to_owned(),
        ("docker.io", None) => img.path.clone(),
        (d, _) => format!("{d}/{}", img.path),
    }
}
