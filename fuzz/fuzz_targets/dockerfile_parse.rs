//! Fuzz target: the Dockerfile parser, highlighter and checks never panic, every range
//! lies inside the text on char boundaries, and highlight spans are sorted and disjoint.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = layerlab_dockerfile::parse(text);
    let ok = |r: layerlab_text::TextRange| {
        r.end().to_usize() <= text.len()
            && text.is_char_boundary(r.start().to_usize())
            && text.is_char_boundary(r.end().to_usize())
    };
    for ins in &parsed.dockerfile.instructions {
        assert!(ok(ins.range) && ok(ins.keyword_range) && ok(ins.args_range));
        for w in &ins.value {
            assert!(ok(w.range));
        }
        for f in &ins.flags {
            assert!(ok(f.range));
        }
        for h in &ins.heredocs {
            assert!(ok(h.marker_range) && ok(h.body_range));
        }
    }
    for d in &parsed.diagnostics {
        assert!(ok(d.range));
    }
    let spans = layerlab_dockerfile::highlight(text, &parsed);
    for w in spans.windows(2) {
        assert!(w[0].range.end() <= w[1].range.start());
    }
    for d in layerlab_dockerfile::check(text, &parsed) {
        assert!(ok(d.range));
    }
    let _ = layerlab_dockerfile::oracle::to_oracle(&parsed);
});
