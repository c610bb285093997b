//! Text positions and diagnostics shared by every layerlab parser.
//!
//! Offsets inside the core are UTF-8 byte offsets stored as `u32` ([`TextSize`]);
//! a [`TextRange`] is a half-open byte range. Hosts turn offsets into line/column pairs
//! with a [`LineIndex`], in UTF-8 bytes for terminals or UTF-16 code units for browser
//! editors. A [`Diagnostic`] is a user-facing problem with a stable code and a range.
//! [`json`] reads and writes the JSON the core exchanges (image configs, manifests).
//!
//! ```
//! use layerlab_text::{LineIndex, TextRange};
//! let text = "FROM alpine\nRUN echo hé\n";
//! let index = LineIndex::new(text);
//! let pos = index.line_col(10.into());
//! assert_eq!((pos.line, pos.col), (0, 10));
//! assert_eq!(index.line_range(1, text), TextRange::new(12.into(), 25.into()));
//! ```
#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

mod count;
pub mod decimal;
mod diagnostic;
pub mod json;
mod line_index;
mod range;

pub use count::count;
pub use diagnostic::{Diagnostic, Label, Severity};
pub use line_index::{LineCol, LineIndex};
pub use range::{TextRange, TextSize};
