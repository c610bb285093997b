//! Stored cache bytes (from `--cache-dir` or browser storage) never panic the reader,
//! and whatever it accepts writes back to the same bytes.
#![no_main]
use layerlab_build::cache::CacheStore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(store) = CacheStore::from_bytes(bytes) {
        let again = store.to_bytes();
        assert_eq!(CacheStore::from_bytes(&again).as_ref(), Ok(&store));
    }
});
