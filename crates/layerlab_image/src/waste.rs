//! Wasted space, summed per path and explained by the history entry that caused it.
//!
//! [`Exploration`] records every file version a later layer made unreachable. This
//! module turns that list into what a reader asks: which paths waste the most, how
//! many bytes the layers store in total, how many the final filesystem can still
//! reach, and for each wasted version the step that hid it ("removed in layer 2 by
//! `RUN … rm -rf /var/lib/apt/lists/*`").
//!
//! Unlike `dive`, which compares each path's smallest version with the sum of all
//! its versions (so a file deleted in a later layer counts its deletion as a zero-byte
//! version), the count here is of bytes actually stored in layer tars and unreachable
//! in the merged tree: `stored = reachable + wasted` for images without hard links.

use crate::config::ImageConfig;
use crate::explore::{Exploration, WastedFile};
use layerlab_vfs::VfsPath;
use std::collections::BTreeMap;

/// Every wasted version of one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WastedPath {
    /// The path.
    pub path: VfsPath,
    /// Sum of its wasted versions.
    pub bytes: u64,
    /// The versions, oldest first.
    pub versions: Vec<WastedFile>,
}

/// Wasted space of a stack of layers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WasteReport {
    /// Paths with wasted versions, most wasted bytes first (ties in path order).
    pub paths: Vec<WastedPath>,
    /// Bytes of unreachable file versions.
    pub wasted_bytes: u64,
    /// Bytes of file content stored across all layers.
    pub stored_bytes: u64,
}

impl WasteReport {
    /// Sums `ex.wasted` per path.
    pub fn new(ex: &Exploration) -> Self {
        let mut by_path: BTreeMap<&str, WastedPath> = BTreeMap::new();
        for w in &ex.wasted {
            let row = by_path
                .entry(w.path.as_str())
                .or_insert_with(|| WastedPath {
                    path: w.path.clone(),
                    bytes: 0,
                    versions: Vec::new(),
                });
            row.bytes += w.size;
            row.versions.push(w.clone());
        }
        let mut paths: Vec<WastedPath> = by_path.into_values().collect();
        // Stable sort: equal sizes keep path order, so the listing is deterministic.
        paths.sort_by_key(|p| std::cmp::Reverse(p.bytes));
        WasteReport {
            paths,
            wasted_bytes: ex.wasted_bytes(),
            stored_bytes: ex.layers.iter().map(|l| l.content_bytes).sum(),
        }
    }

    /// Bytes the final filesystem can reach.
    pub fn reachable_bytes(&self) -> u64 {
        self.stored_bytes.saturating_sub(self.wasted_bytes)
    }

    /// Share of stored bytes still reachable, in `0.0..=1.0` (1.0 without content).
    pub fn efficiency(&self) -> f64 {
        if self.stored_bytes == 0 {
            1.0
        } else {
            self.reachable_bytes() as f64 / self.stored_bytes as f64
        }
    }
}

/// The `created_by` of the history entry that produced each layer, by layer index
/// (empty when the config's history has fewer non-empty entries than layers).
pub fn layer_created_by(config: &ImageConfig, layers: usize) -> Vec<String> {
    let mut out = vec![String::new(); layers];
    for (h, layer) in config.history_layers() {
        if let Some(slot) = layer.and_then(|l| out.get_mut(l)) {
            slot.clone_from(h.created_by.as_ref().unwrap_or(&String::new()));
        }
    }
    out
}

impl WastedFile {
    /// What hid this version: `removed in layer 2 by RUN …` or `overwritten in layer 3
    /// by COPY …`, with `created_by` from [`layer_created_by`].
    pub fn cause(&self, created_by: &[String]) -> String {
        let verb = if self.deleted {
            "removed"
        } else {
            "overwritten"
        };
        match created_by
            .get(self.by_layer as usize)
            .filter(|s| !s.is_empty())
        {
            Some(step) => format!("{verb} in layer {} by {step}", self.by_layer),
            None => format!("{verb} in layer {}", self.by_layer),
        }
    }
}

#[cfg(test)]
mod tests;
