//! The engine's end of the wire: one request in, one response out. The same function
//! serves the build worker (through [`worker_handle`]) and, when there is no worker,
//! the page's own thread, so both give the same answers from the same code.

use super::build::{prune_cache, reset_cache, run_build};
use super::wire::{decode, encode, Answer, Request, Response};
use super::{cache, image, lessons};
use wasm_bindgen::prelude::wasm_bindgen;

/// Does what `request` asks, on this thread's engine and build cache.
pub fn handle(request: Request) -> Response {
    match request {
        Request::Build(ws, opts) => Response::Built(run_build(&ws, &opts)),
        Request::WhatIf(ws, opts, edit) => Response::WhatIf(cache::predict(&ws, &opts, &edit)),
        Request::Lesson { id, at, workspace } => {
            Response::Lesson(lessons::build_lesson(&id, at as usize, &workspace))
        }
        Request::Prune => {
            prune_cache();
            Response::Done
        }
        Request::Forget => {
            image::forget();
            Response::Done
        }
        Request::Reset => {
            reset_cache();
            // A new builder has built nothing: no image for the Layers view either.
            image::forget();
            Response::Done
        }
    }
}

/// The worker's entry point (`worker.js` calls it for each message): an encoded
/// request in, the encoded [`Answer`] with the request's sequence number out, which
/// after a build carries the image for the page's Layers view. Bytes that do not
/// decode give an empty answer, which the page takes as a broken worker.
#[wasm_bindgen]
pub fn worker_handle(bytes: &[u8]) -> Vec<u8> {
    match decode::<Request>(bytes) {
        Ok((seq, request)) => {
            let builds = matches!(request, Request::Build(..) | Request::Lesson { .. });
            let response = handle(request);
            let kept = if builds { image::kept() } else { None };
            encode(seq, &Answer { response, kept })
        }
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::build::PageOptions;
    use crate::workspace::Workspace;
    use std::rc::Rc;

    /// The worker's entry gives the answer `handle` gives, cache included: a second
    /// build through it is all cache hits, and after a prune none is.
    #[test]
    fn the_worker_entry_serves_encoded_requests_on_one_cache() {
        let ws = Rc::new(Workspace::starter());
        let build = |seq| {
            let req = Request::Build(ws.clone(), PageOptions::default());
            let (got, a) = decode::<Answer>(&worker_handle(&encode(seq, &req))).unwrap();
            assert_eq!(got, seq);
            assert!(a.kept.is_some(), "a build sends the image it made");
            match a.response {
                Response::Built(v) => v,
                other => panic!("{other:?}"),
            }
        };
        let _ = decode::<Answer>(&worker_handle(&encode(1, &Request::Reset))).unwrap();
        let cold = build(2);
        let warm = build(3);
        assert!(cold.summary.starts_with("built in"), "{}", cold.summary);
        assert!(
            warm.summary.contains("5 of 5 steps cached"),
            "{}",
            warm.summary
        );
        let (seq, done) = decode::<Answer>(&worker_handle(&encode(4, &Request::Prune))).unwrap();
        let kept = None;
        assert_eq!(
            (seq, done),
            (
                4,
                Answer {
                    response: Response::Done,
                    kept
                }
            )
        );
        assert!(build(5).summary.contains("0 of 5 steps cached"));
        // After a Forget, a failed build has no previous image to show.
        let _ = decode::<Answer>(&worker_handle(&encode(6, &Request::Forget))).unwrap();
        let mut broken = Workspace::starter();
        broken.set_text("Dockerfile", "FROM alpine\nRUN false\n".into());
        let req = Request::Build(Rc::new(broken), PageOptions::default());
        let (_, a) = decode::<Answer>(&worker_handle(&encode(7, &req))).unwrap();
        assert_eq!(
            a.kept, None,
            "no image kept after Forget and a failed build"
        );
        // The count agrees with its noun when the build has one step.
        let mut one = Workspace::starter();
        one.set_text("Dockerfile", "FROM alpine\n".into());
        let req = Request::Build(Rc::new(one), PageOptions::default());
        let (_, a) = decode::<Answer>(&worker_handle(&encode(8, &req))).unwrap();
        match a.response {
            Response::Built(v) => assert!(v.summary.contains(" of 1 step cached"), "{}", v.summary),
            other => panic!("{other:?}"),
        }
        assert!(
            worker_handle(&[1, 0xee]).is_empty(),
            "garbage gets no answer"
        );
    }
}
