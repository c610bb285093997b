//! "Did you mean …?": the parser's suggester (`layerlab_dockerfile::suggest`), which
//! also suggests instruction keywords.

pub use layerlab_dockerfile::suggest::{closest, edit_distance};
