//! `layerlab_share`: the playground's whole state as a share link, and back.
//!
//! A link's fragment is `#v1:<base64url(deflate(payload))>`: the version names the
//! payload's layout ([`codec`]), deflate keeps typical projects to a few hundred
//! characters, and base64url keeps the fragment free of characters a URL would escape.
//! The same text is what the page autosaves, so there is one format to keep readable.
//!
//! Links are untrusted input: [`decode`] caps the link's length, the inflated size, the
//! number of files and the declared sizes ([`Limits`]), validates every path (no `..`,
//! no absolute paths, no NULs), and reports where it failed ([`ShareError`]); it never
//! panics. Encoding is deterministic: the same [`ShareState`] gives the same link on
//! every host, natively and in wasm.
//!
//! ```
//! use layerlab_share::{decode, encode, Limits, ShareState, SharedFile};
//!
//! let mut state = ShareState::new("Dockerfile");
//! state.files.insert("Dockerfile".into(), SharedFile::Text("FROM alpine\n".into()));
//! let link = encode(&state, &Limits::default()).unwrap();
//! assert!(link.starts_with("v1:"));
//! assert_eq!(decode(&link, &Limits::default()).unwrap(), state);
//! ```

#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

mod base64url;
pub mod codec;
mod error;
mod limits;
mod path;
mod state;

pub use codec::{decode, encode, VERSION};
pub use error::{At, ShareError};
pub use limits::Limits;
pub use path::check_path;
pub use state::{ShareState, SharedFile};
