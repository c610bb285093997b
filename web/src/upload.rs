//! Reading a user's folder (picked or dropped) into a [`Workspace`], via `folder.js`.
//!
//! Only paths and sizes cross into wasm, as one `path\tsize\tkind` listing string (one
//! boundary crossing for 100,000 files instead of 100,000 objects), plus the texts of
//! Dockerfiles and ignore files at the folder's root.

use crate::workspace::Workspace;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/folder.js")]
extern "C" {
    #[wasm_bindgen(js_name = readPickedFiles)]
    fn read_picked_files(files: &web_sys::FileList) -> js_sys::Promise;
    #[wasm_bindgen(js_name = readDroppedItems)]
    fn read_dropped_items(data: &web_sys::DataTransfer) -> js_sys::Promise;
}

/// What reading a folder produced.
pub struct Loaded {
    /// The folder as a build context.
    pub workspace: Workspace,
    /// Entries that could not be used (bad names).
    pub skipped: usize,
}

/// Reads the files of an `<input type=file webkitdirectory>`.
pub async fn from_file_list(files: web_sys::FileList) -> Result<Loaded, String> {
    finish(JsFuture::from(read_picked_files(&files)).await)
}

/// Reads what was dropped on the page (a folder, or loose files).
pub async fn from_drop(data: web_sys::DataTransfer) -> Result<Loaded, String> {
    finish(JsFuture::from(read_dropped_items(&data)).await)
}

fn finish(result: Result<JsValue, JsValue>) -> Result<Loaded, String> {
    let value = result.map_err(|e| {
        format!(
            "could not read the folder: {}",
            e.as_string().unwrap_or_else(|| format!("{e:?}"))
        )
    })?;
    let listing = js_sys::Reflect::get(&value, &"listing".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let mut texts = BTreeMap::new();
    if let Ok(obj) = js_sys::Reflect::get(&value, &"texts".into()) {
        for key in js_sys::Object::keys(&obj.into()).iter() {
            if let (Some(k), Some(v)) = (
                key.as_string(),
                js_sys::Reflect::get(&value, &"texts".into())
                    .and_then(|t| js_sys::Reflect::get(&t, &key))
                    .ok()
                    .and_then(|v| v.as_string()),
            ) {
                texts.insert(k, v);
            }
        }
    }
    let dockerfile = if texts.contains_key("Dockerfile") {
        "Dockerfile".to_string()
    } else {
        texts
            .keys()
            .find(|k| !k.ends_with(".dockerignore"))
            .cloned()
            .unwrap_or_else(|| "Dockerfile".to_string())
    };
    let (workspace, skipped) = Workspace::from_listing(&listing, texts, &dockerfile);
    Ok(Loaded { workspace, skipped })
}

/// Reads one browser `File`'s bytes.
async fn bytes_of(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("could not read {}", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Reads loose files the user chose (`<input type=file multiple>`) as context files by
/// name: UTF-8 files up to [`TEXT_LIMIT`](crate::workspace::TEXT_LIMIT) as text, the
/// rest by size. Only what the user picked is read, in the browser.
pub async fn files_from_list(
    files: Vec<web_sys::File>,
) -> Result<Vec<(String, crate::workspace::ContextFile)>, String> {
    let mut out = Vec::new();
    for file in files {
        let file_of = if file.size() as usize > crate::workspace::TEXT_LIMIT {
            crate::workspace::ContextFile::Sized(file.size() as u64)
        } else {
            Workspace::file_of(&bytes_of(&file).await?)
        };
        out.push((file.name(), file_of));
    }
    Ok(out)
}

/// Reads a context archive (`.tar`, `.tar.gz`) the user chose into a workspace.
pub async fn from_tar_file(file: web_sys::File, dockerfile_path: String) -> Result<Loaded, String> {
    if file.size() > (crate::workspace::TAR_LIMIT as f64) {
        return Err(format!(
            "larger than the {} MiB the page reads",
            crate::workspace::TAR_LIMIT >> 20
        ));
    }
    let bytes = bytes_of(&file).await?;
    let (workspace, skipped) = Workspace::from_tar(&bytes, &dockerfile_path)?;
    Ok(Loaded { workspace, skipped })
}
