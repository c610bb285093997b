//! The image JSON helpers: [`Json`] itself (reading and Go-compatible writing) lives in
//! `layerlab_text::json`; this adds the object builder the OCI types write with.

pub use layerlab_text::json::Json;

/// Builds an object, skipping fields whose value is `None` (Go's `omitempty`).
#[derive(Default)]
pub(crate) struct ObjBuilder(Vec<(String, Json)>);

impl ObjBuilder {
    pub(crate) fn field(mut self, k: &str, v: Json) -> Self {
        self.0.push((k.to_owned(), v));
        self
    }

    pub(crate) fn opt(self, k: &str, v: Option<Json>) -> Self {
        match v {
            Some(v) => self.field(k, v),
            None => self,
        }
    }

    pub(crate) fn build(self) -> Json {
        Json::Obj(self.0)
    }
}
