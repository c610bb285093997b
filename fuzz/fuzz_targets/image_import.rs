//! Arbitrary bytes as an image archive: import must return a value or an error, never
//! panic, and a successful import must be explorable.
#![no_main]

use layerlab_image::{import_archive, Exploration, ImportLimits, TarLimits};
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
        let _ = Exploration::new(&layers);
    }
});
