//! Arbitrary bytes as a layer tar: reading and applying never panic; what reads back
//! re-serializes to a tar that reads back to the same entries.
#![no_main]

use layerlab_image::{apply_layer, read_layer, TarLimits};
use layerlab_vfs::Fs;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((layer, _)) = read_layer(data, &TarLimits::default()) {
        let mut fs = Fs::default();
        let _ = apply_layer(&mut fs, &layer);
        let tar = layer.to_tar();
        let (again, _) = read_layer(&tar, &TarLimits::default()).expect("our own tar reads back");
        assert_eq!(again.entries(), layer.entries());
    }
});
