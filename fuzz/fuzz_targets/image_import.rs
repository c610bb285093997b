//! Arbitrary bytes as an image archive: import must return a value or an error, never
//! panic, and a successful import must be explorable, with no more bytes wasted than
//! the layers store.
#![no_main]

use layerlab_image::{
    import_archive, layer_created_by, Exploration, ImportLimits, TarLimits, WasteReport,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = ImportLimits {
        tar: TarLimits {
            max_entries: 10_000,
            ..TarLimits::default()
        },
        max_layer_bytes: 16 << 20,
        max_total_bytes: 32 << 20,
        ..ImportLimits::default()
    };
    if let Ok(img) = import_archive(data, &limits) {
        let layers: Vec<_> = img.layers.iter().map(|l| l.layer.clone()).collect();
        if let Ok(ex) = Exploration::new(&layers) {
            let waste = WasteReport::new(&ex);
            assert!(waste.wasted_bytes <= waste.stored_bytes);
            let created_by = layer_created_by(&img.config, layers.len());
            for p in &waste.paths {
                for v in &p.versions {
                    let _ = v.cause(&created_by);
                }
            }
        }
    }
});
