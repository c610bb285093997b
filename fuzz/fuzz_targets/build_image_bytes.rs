//! Image bytes (what the page's build worker sends with a build) never panic the reader,
//! and an image it accepts writes bytes that read back to the same image.
#![no_main]
use layerlab_build::cache::{image_from_bytes, image_to_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(image) = image_from_bytes(bytes) {
        let again = image_to_bytes(&image);
        assert_eq!(image_from_bytes(&again).as_ref(), Ok(&image));
    }
});
