//! The messages between the page and its build worker, as compact bytes.
//!
//! Both ends are this same wasm module, so the format needs no versioning or field
//! names: a message is its fields in declaration order. Integers are LEB128 varints,
//! strings and lists a varint length then their items, options and enums a tag byte.
//! Hand-written rather than serde: the page ships no serializer, and the few types that
//! cross are all here.
//!
//! Bytes from the other side are checked, not trusted: a short, long or malformed
//! message is an error naming the offset, never a panic, and no length is believed
//! beyond the bytes that are actually there.

use super::build::{BuildView, PageOptions, StepState, StepView};
use super::cache::{CacheStepView, CacheView, ChangeView, PageEdit, PredictedStepView, WhatIfView};
use super::image::KeptImage;
use super::lessons::Verdict;
use crate::workspace::{ContextFile, Workspace};
use std::rc::Rc;

/// What the page asks the engine to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Build the workspace with the page's options.
    Build(Rc<Workspace>, PageOptions),
    /// Predict what an edit would rebuild, on a copy of the cache.
    WhatIf(Rc<Workspace>, PageOptions, PageEdit),
    /// Build `at` of lesson `id` on the workspace, checking its expectations.
    Lesson {
        /// The lesson's id.
        id: String,
        /// Which of its builds.
        at: u32,
        /// The workspace, with that build's edits applied.
        workspace: Rc<Workspace>,
    },
    /// Forget every cached result (`docker builder prune`).
    Prune,
    /// A new, empty builder (a lesson starts on one).
    Reset,
    /// Forget the last build's image (the page went back to its starter project).
    Forget,
}

/// The engine's answer to a [`Request`] of the same sequence number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    /// A build's view.
    Built(BuildView),
    /// A prediction.
    WhatIf(WhatIfView),
    /// A lesson build's view and verdicts (`None`: no such lesson or build).
    Lesson(Option<(BuildView, Vec<Verdict>)>),
    /// Prune or reset done.
    Done,
}

/// What the worker sends back: the answer, and after a build the image it left for the
/// Layers view (images are made where the build ran; the page only reads them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The answer to the request.
    pub response: Response,
    /// The worker's last build image, after a build or a lesson build.
    pub kept: Option<KeptImage>,
}

/// A message that could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    /// What was wrong.
    pub message: &'static str,
    /// Byte offset in the message.
    pub offset: usize,
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

/// Encodes a message with its sequence number.
pub fn encode<T: Wire>(seq: u32, message: &T) -> Vec<u8> {
    let mut out = Vec::new();
    seq.put(&mut out);
    message.put(&mut out);
    out
}

/// Decodes a message and its sequence number; every byte must be used.
///
/// # Errors
/// A truncated or malformed message, or bytes left over after it.
pub fn decode<T: Wire>(bytes: &[u8]) -> Result<(u32, T), WireError> {
    let mut r = Reader { bytes, at: 0 };
    let seq = u32::get(&mut r)?;
    let message = T::get(&mut r)?;
    if r.at != bytes.len() {
        return Err(r.error("bytes after the end of the message"));
    }
    Ok((seq, message))
}

/// A cursor over a message being decoded.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn error(&self, message: &'static str) -> WireError {
        WireError {
            message,
            offset: self.at,
        }
    }

    fn byte(&mut self) -> Result<u8, WireError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.error("message ends early"))?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> Result<&[u8], WireError> {
        let left = self.bytes.len() - self.at;
        if n > left as u64 {
            return Err(self.error("length beyond the end of the message"));
        }
        let s = &self.bytes[self.at..self.at + n as usize];
        self.at += n as usize;
        Ok(s)
    }

    /// A list's length, checked against what is left: every item takes at least one
    /// byte, so a larger count is a lie and must not size an allocation.
    fn count(&mut self) -> Result<usize, WireError> {
        let n = u64::get(self)?;
        if n > (self.bytes.len() - self.at) as u64 {
            return Err(self.error("list longer than the message"));
        }
        Ok(n as usize)
    }
}

/// A type that crosses between the page and the worker.
pub trait Wire: Sized {
    /// Appends the encoding of `self`.
    fn put(&self, out: &mut Vec<u8>);
    /// Reads one value.
    ///
    /// # Errors
    /// Malformed or truncated input.
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError>;
}

impl Wire for u64 {
    fn put(&self, out: &mut Vec<u8>) {
        let mut v = *self;
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = r.byte()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(r.error("varint overflows 64 bits"));
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(r.error("varint longer than 10 bytes"))
    }
}

impl Wire for u32 {
    fn put(&self, out: &mut Vec<u8>) {
        u64::from(*self).put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        u32::try_from(u64::get(r)?).map_err(|_| r.error("number over 32 bits"))
    }
}

// Indices into a build's steps: small, sent as u32 so both ends agree on the width.
impl Wire for usize {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u64).put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        usize::try_from(u32::get(r)?).map_err(|_| r.error("index too large"))
    }
}

impl Wire for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(r.error("bad boolean")),
        }
    }
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u64).put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let n = u64::get(r)?;
        let start = r.at;
        let bytes = r.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| WireError {
            message: "string is not UTF-8",
            offset: start,
        })
    }
}

// Raw bytes: a length, then the bytes as they are.
impl Wire for Box<[u8]> {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u64).put(out);
        out.extend_from_slice(self);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let n = u64::get(r)?;
        Ok(r.take(n)?.into())
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u64).put(out);
        for item in self {
            item.put(out);
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let n = r.count()?;
        // A plain loop: `collect` into a `Result` costs more code per item type.
        // Every item takes at least one byte, so `count` caps `n` by the bytes left; the
        // reservation is capped too, since an item's size in memory can be far larger.
        let mut items = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            items.push(T::get(r)?);
        }
        Ok(items)
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(None),
            1 => Ok(Some(T::get(r)?)),
            _ => Err(r.error("bad option tag")),
        }
    }
}

// The page shares its workspace by `Rc`; only the bytes cross.
impl<T: Wire> Wire for Rc<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (**self).put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        T::get(r).map(Rc::new)
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok((A::get(r)?, B::get(r)?))
    }
}

/// A struct as its fields in order (struct expressions evaluate fields as written).
macro_rules! wire_struct {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                $(self.$f.put(out);)*
            }
            fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
                Ok($t { $($f: Wire::get(r)?,)* })
            }
        }
    };
}

wire_struct!(PageOptions {
    build_args,
    target,
    no_cache,
    live
});
wire_struct!(StepView {
    label,
    instruction,
    state,
    reason,
    time,
    ms,
    size,
    output,
    line,
    utf16
});
wire_struct!(BuildView {
    steps,
    summary,
    image,
    error,
    skipped,
    unused_args,
    cache
});
wire_struct!(CacheStepView {
    label,
    instruction,
    state,
    headline,
    changes,
    cause,
    root,
    caused,
    ms,
    line,
    utf16
});
wire_struct!(CacheView {
    steps,
    image_id,
    image_size,
    build_ms,
    saved_ms
});
wire_struct!(PredictedStepView {
    label,
    instruction,
    rebuild,
    anyway,
    why,
    line,
    utf16
});
wire_struct!(WhatIfView {
    headline,
    steps,
    note,
    pending
});
wire_struct!(KeptImage {
    image,
    step_of_layer,
    base_history,
    stale
});
wire_struct!(Answer { response, kept });
wire_struct!(Verdict {
    text,
    passed,
    instead
});

impl Wire for StepState {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(match self {
            StepState::Cached => 0,
            StepState::Built => 1,
            StepState::Failed => 2,
        });
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(StepState::Cached),
            1 => Ok(StepState::Built),
            2 => Ok(StepState::Failed),
            _ => Err(r.error("bad step state")),
        }
    }
}

impl Wire for ChangeView {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            ChangeView::Field {
                name,
                before,
                after,
                origin,
            } => {
                out.push(0);
                name.put(out);
                before.put(out);
                after.put(out);
                origin.put(out);
            }
            ChangeView::Files {
                label,
                modified,
                added,
                removed,
            } => {
                out.push(1);
                label.put(out);
                modified.put(out);
                added.put(out);
                removed.put(out);
            }
            ChangeView::Op { before, after } => {
                out.push(2);
                before.put(out);
                after.put(out);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(ChangeView::Field {
                name: Wire::get(r)?,
                before: Wire::get(r)?,
                after: Wire::get(r)?,
                origin: Wire::get(r)?,
            }),
            1 => Ok(ChangeView::Files {
                label: Wire::get(r)?,
                modified: Wire::get(r)?,
                added: Wire::get(r)?,
                removed: Wire::get(r)?,
            }),
            2 => Ok(ChangeView::Op {
                before: Wire::get(r)?,
                after: Wire::get(r)?,
            }),
            _ => Err(r.error("bad change kind")),
        }
    }
}

impl Wire for PageEdit {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            PageEdit::File(path) => {
                out.push(0);
                path.put(out);
            }
            PageEdit::Line(n) => {
                out.push(1);
                n.put(out);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(PageEdit::File(Wire::get(r)?)),
            1 => Ok(PageEdit::Line(Wire::get(r)?)),
            _ => Err(r.error("bad edit kind")),
        }
    }
}

impl Wire for ContextFile {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            ContextFile::Text(t) => {
                out.push(0);
                t.put(out);
            }
            ContextFile::Sized(n) => {
                out.push(1);
                n.put(out);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(ContextFile::Text(Wire::get(r)?)),
            1 => Ok(ContextFile::Sized(Wire::get(r)?)),
            _ => Err(r.error("bad file kind")),
        }
    }
}

impl Wire for Workspace {
    fn put(&self, out: &mut Vec<u8>) {
        (self.files.len() as u64).put(out);
        for (path, file) in &self.files {
            path.put(out);
            file.put(out);
        }
        self.dirs.put(out);
        self.dockerfile_path.put(out);
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let n = r.count()?;
        let mut files = std::collections::BTreeMap::new();
        for _ in 0..n {
            let at = r.at;
            let path = String::get(r)?;
            let file = ContextFile::get(r)?;
            if files.insert(path, file).is_some() {
                return Err(WireError {
                    message: "a file path appears twice",
                    offset: at,
                });
            }
        }
        Ok(Workspace {
            files,
            dirs: Wire::get(r)?,
            dockerfile_path: Wire::get(r)?,
        })
    }
}

impl Wire for Request {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Request::Build(ws, opts) => {
                out.push(0);
                ws.put(out);
                opts.put(out);
            }
            Request::WhatIf(ws, opts, edit) => {
                out.push(1);
                ws.put(out);
                opts.put(out);
                edit.put(out);
            }
            Request::Lesson { id, at, workspace } => {
                out.push(2);
                id.put(out);
                at.put(out);
                workspace.put(out);
            }
            Request::Prune => out.push(3),
            Request::Reset => out.push(4),
            Request::Forget => out.push(5),
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(Request::Build(Wire::get(r)?, Wire::get(r)?)),
            1 => Ok(Request::WhatIf(Wire::get(r)?, Wire::get(r)?, Wire::get(r)?)),
            2 => Ok(Request::Lesson {
                id: Wire::get(r)?,
                at: Wire::get(r)?,
                workspace: Wire::get(r)?,
            }),
            3 => Ok(Request::Prune),
            4 => Ok(Request::Reset),
            5 => Ok(Request::Forget),
            _ => Err(r.error("bad request kind")),
        }
    }
}

impl Wire for Response {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Response::Built(v) => {
                out.push(0);
                v.put(out);
            }
            Response::WhatIf(v) => {
                out.push(1);
                v.put(out);
            }
            Response::Lesson(v) => {
                out.push(2);
                v.put(out);
            }
            Response::Done => out.push(3),
        }
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(Response::Built(Wire::get(r)?)),
            1 => Ok(Response::WhatIf(Wire::get(r)?)),
            2 => Ok(Response::Lesson(Wire::get(r)?)),
            3 => Ok(Response::Done),
            _ => Err(r.error("bad response kind")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::build::run_build;
    use crate::engine::cache::predict;

    /// Requests of every kind, on a workspace with text and size-only files.
    fn requests() -> Vec<Request> {
        let mut ws = Workspace::starter();
        ws.files
            .insert("node_modules/big.bin".into(), ContextFile::Sized(u64::MAX));
        ws.dirs.push("empty/dir".into());
        let ws = Rc::new(ws);
        let opts = PageOptions {
            build_args: "A=1\nB=é".into(),
            target: "build".into(),
            no_cache: true,
            live: true,
        };
        vec![
            Request::Build(ws.clone(), opts.clone()),
            Request::WhatIf(ws.clone(), opts.clone(), PageEdit::File("server.js".into())),
            Request::WhatIf(ws.clone(), opts, PageEdit::Line(u32::MAX)),
            Request::Lesson {
                id: "cache-basics".into(),
                at: 3,
                workspace: ws,
            },
            Request::Prune,
            Request::Reset,
            Request::Forget,
        ]
    }

    /// Real answers: two builds (the second with a cascade of changes), a prediction,
    /// a failed build and a lesson's verdicts.
    fn responses() -> Vec<Response> {
        crate::engine::build::reset_cache();
        let mut ws = Workspace::starter();
        let opts = PageOptions::default();
        let first = run_build(&ws, &opts);
        let text = ws.text("package.json").replace("1.0.0", "1.0.1");
        ws.set_text("package.json", text);
        let second = run_build(&ws, &opts);
        assert!(!second.cache.steps[2].changes.is_empty());
        let what_if = predict(&ws, &opts, &PageEdit::File("server.js".into()));
        ws.set_text("Dockerfile", "FROM alpine\nRUN false\n".into());
        let failed = run_build(&ws, &opts);
        assert!(failed.error.is_some());
        let verdicts = vec![Verdict {
            text: "step 2 comes from the cache".into(),
            passed: false,
            instead: Some("it ran".into()),
        }];
        vec![
            Response::Built(first),
            Response::Built(second.clone()),
            Response::WhatIf(what_if),
            Response::Built(failed),
            Response::Lesson(Some((second, verdicts))),
            Response::Lesson(None),
            Response::Done,
        ]
    }

    /// Worker answers: a build's, with the image it kept, and one without.
    fn answers() -> Vec<Answer> {
        crate::engine::build::reset_cache();
        let response = Response::Built(run_build(&Workspace::starter(), &PageOptions::default()));
        let kept = crate::engine::image::kept();
        assert!(kept.as_ref().is_some_and(|k| k.image.len() > 1000));
        vec![
            Answer { response, kept },
            Answer {
                response: Response::Done,
                kept: None,
            },
        ]
    }

    #[test]
    fn every_message_survives_a_round_trip_with_its_sequence_number() {
        for (i, a) in answers().into_iter().enumerate() {
            assert_eq!(decode::<Answer>(&encode(9, &a)), Ok((9, a)), "answer {i}");
        }
        for (i, r) in requests().into_iter().enumerate() {
            let seq = u32::MAX - i as u32;
            assert_eq!(decode::<Request>(&encode(seq, &r)), Ok((seq, r)));
        }
        for (i, r) in responses().into_iter().enumerate() {
            let bytes = encode(i as u32, &r);
            assert_eq!(decode::<Response>(&bytes), Ok((i as u32, r)));
        }
    }

    #[test]
    fn truncated_extended_or_altered_messages_are_errors_not_panics() {
        let mut messages: Vec<Vec<u8>> = requests().iter().map(|r| encode(7, r)).collect();
        messages.extend(responses().iter().map(|r| encode(7, r)));
        // The answer carrying an image: its tail only, the image's bytes are opaque here.
        let with_image = encode(7, &answers()[0]);
        assert!(decode::<Answer>(&with_image[..with_image.len() - 1]).is_err());
        assert!(decode::<Answer>(&[&with_image[..], &[0]].concat()).is_err());
        for bytes in &messages {
            // Every cut short of the end is an error at an offset inside the message.
            for n in 0..bytes.len() {
                let e = decode::<Response>(&bytes[..n]).and(decode::<Request>(&bytes[..n]));
                let e = e.expect_err("a truncated message must not decode");
                assert!(e.offset <= n, "{e}");
                let e = decode::<Answer>(&bytes[..n]).expect_err("nor an answer");
                assert!(e.offset <= n, "{e}");
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(decode::<Response>(&longer).is_err() && decode::<Request>(&longer).is_err());
            // Any single byte changed decodes or fails, but never panics.
            for i in 0..bytes.len().min(600) {
                for v in [0x00, 0x01, 0x7f, 0x80, 0xff] {
                    let mut b = bytes.clone();
                    b[i] = v;
                    let _ = decode::<Response>(&b);
                    let _ = decode::<Request>(&b);
                }
            }
        }
    }

    #[test]
    fn lengths_are_checked_against_the_bytes_there() {
        // seq 1, Built, then a step list claiming 2^63 entries.
        let mut huge = vec![1, 0];
        (1u64 << 63).put(&mut huge);
        let e = decode::<Response>(&huge).unwrap_err();
        assert_eq!(e.message, "list longer than the message");
        // A string of invalid UTF-8: the error names where the string starts.
        let bad = [1, 1, 2, 0xff, 0xfe];
        let e = decode::<Response>(&bad).unwrap_err();
        assert_eq!((e.message, e.offset), ("string is not UTF-8", 3));
        // An eleven-byte varint, and one over 64 bits.
        let e = decode::<Response>(&[0x80; 11]).unwrap_err();
        assert_eq!(e.message, "varint longer than 10 bytes");
        let mut over = vec![0xff; 9];
        over.push(0x02);
        assert_eq!(
            decode::<Response>(&over).unwrap_err().message,
            "varint overflows 64 bits"
        );
        assert_eq!(
            decode::<Response>(&[0x80, 0x80, 0x80, 0x80, 0x10, 3])
                .unwrap_err()
                .message,
            "number over 32 bits"
        );
        assert_eq!(
            decode::<Request>(&[1, 9]).unwrap_err().to_string(),
            "bad request kind at byte 2"
        );
    }

    #[test]
    fn a_workspace_naming_a_file_twice_is_refused() {
        let mut bytes = Vec::new();
        1u32.put(&mut bytes);
        bytes.push(4 - 4); // Build
        2u64.put(&mut bytes);
        for _ in 0..2 {
            "a".to_string().put(&mut bytes);
            ContextFile::Sized(1).put(&mut bytes);
        }
        let e = decode::<Request>(&bytes).unwrap_err();
        assert_eq!((e.message, e.offset), ("a file path appears twice", 7));
    }
}
