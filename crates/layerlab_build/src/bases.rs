//! Base images from the built-in catalog, as the engine's [`BaseImages`] service.
//!
//! The catalog describes each layer as a recipe with a stored diff_id (computed once by
//! its generator); this adapter materializes the layers' filesystems and hands the
//! engine [`Layer`]s that carry those stored digests, so naming a base image never
//! hashes it. Resolved images are memoized per reference and platform: a playground
//! rebuilds the same `FROM` on every edit.

use crate::engine::{BaseImage, BaseImages};
use crate::platform::{self, Platform};
use layerlab_catalog::Catalog;
use layerlab_image::{Layer, LayerOptions};
use layerlab_vfs::Fs;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The catalog, memoized.
pub struct CatalogBases {
    catalog: &'static Catalog,
    memo: RefCell<BTreeMap<(String, String), BaseImage>>,
}

impl Default for CatalogBases {
    fn default() -> Self {
        CatalogBases {
            catalog: Catalog::builtin(),
            memo: RefCell::new(BTreeMap::new()),
        }
    }
}

impl BaseImages for CatalogBases {
    fn resolve(&self, reference: &str, platform: &Platform) -> Result<BaseImage, String> {
        let memo_key = (reference.to_string(), platform::display(platform));
        if let Some(image) = self.memo.borrow().get(&memo_key) {
            return Ok(image.clone());
        }
        let image = self
            .catalog
            .resolve(reference, platform)
            .map_err(|e| match e.help() {
                Some(help) => format!("{e} ({help})"),
                None => e.to_string(),
            })?;
        let snapshots = image
            .layer_snapshots()
            .map_err(|e| format!("catalog image {reference} could not be materialized: {e}"))?;
        let mut layers = Vec::with_capacity(snapshots.len());
        let mut prev = Fs::default();
        for (snapshot, base) in snapshots.iter().zip(&image.layers) {
            let layer = Layer::between(&prev, snapshot, &LayerOptions::default())
                .with_known_digests(base.diff_id, base.tar_size);
            layers.push(layer);
            prev = snapshot.clone();
        }
        let resolved = BaseImage {
            reference: image.reference.clone(),
            digest: image.digest,
            config: image.config.clone(),
            layers,
            fs: prev,
        };
        self.memo.borrow_mut().insert(memo_key, resolved.clone());
        Ok(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn catalog_images_come_with_their_stored_digests() {
        let bases = CatalogBases::default();
        let alpine = bases
            .resolve("alpine:3.21", &platform::builder_platform())
            .unwrap();
        assert_eq!(alpine.reference, "docker.io/library/alpine:3.21");
        let stored: Vec<_> = alpine.config.diff_ids.clone();
        let named: Vec<_> = alpine
            .layers
            .iter()
            .map(|l| l.cached_diff_id().unwrap())
            .collect();
        assert_eq!(named, stored);
        let err = bases
            .resolve("nodee:20", &platform::builder_platform())
            .unwrap_err();
        assert!(err.contains("did you mean node:20?"), "{err}");
    }
}
