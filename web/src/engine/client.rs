//! Where the engine runs. `index.html` starts a module worker (`worker.js`) on the
//! page's own compiled wasm; builds, predictions and lesson builds go to it as
//! [`wire`](super::wire) messages so a cold build never blocks typing. When there is no
//! worker (none could be started, or `?engine=main-thread`) or it fails, requests run
//! on this thread as before. `<html data-engine>` says which is in use.
//!
//! A worker that fails while working on a request (a trap, an error event) or gives it
//! no answer for [`ANSWER_LIMIT_MS`] is stopped the same way, without that request:
//! whatever stopped the worker would stop the page too.
//!
//! Each request has a sequence number. Answers that replace one another (a build and a
//! later build, a prediction and a later one) are applied only for the newest request;
//! older ones are dropped. The worker still runs every request in order, so its build
//! cache sees exactly the builds the page asked for.

use super::image;
use super::serve::handle;
use super::wire::{decode, encode, Answer, Request, Response};
use js_sys::{Array, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// Requests whose answers replace one another share a slot. A lesson build has its
/// own: a live rebuild sent after it must not drop the lesson's verdicts.
fn slot(r: &Request) -> usize {
    match r {
        Request::WhatIf(..) => 1,
        Request::Lesson { .. } => 2,
        // A prune, reset or forget makes an earlier build's answer stale too.
        _ => 0,
    }
}

const SLOTS: usize = 3;

/// How long the worker may work on one request before the page gives up on it. The
/// engine's own budgets end any build in seconds (the heaviest preset takes ~0.3 s), so
/// this only fires for a worker that is stuck. `window.layerlabWorkerAnswerLimitMs`
/// overrides it (tests).
const ANSWER_LIMIT_MS: u32 = 30_000;

struct Pending {
    seq: u32,
    request: Request,
    reply: Box<dyn FnOnce(Response)>,
}

#[derive(Default)]
struct Client {
    started: bool,
    worker: Option<Worker>,
    next: u32,
    /// The newest sequence number of each slot.
    latest: [u32; SLOTS],
    /// Sent to the worker, not answered yet (oldest first).
    pending: Vec<Pending>,
    busy: Option<Rc<dyn Fn(bool)>>,
    stopped: Option<Rc<dyn Fn(String)>>,
    /// The request at the head of the worker's queue and the timer that gives up on it.
    watchdog: Option<(u32, gloo_timers::callback::Timeout)>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

/// Picks where the engine runs (once) and says so on `<html data-engine>`:
/// `"worker"` or `"main-thread"`.
pub fn start() -> &'static str {
    let (first, worker) = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let first = !c.started;
        if first {
            c.started = true;
            c.worker = page_worker();
        }
        (first, c.worker.is_some())
    });
    let mode = if worker { "worker" } else { "main-thread" };
    if first {
        mark(mode);
    }
    mode
}

/// Calls `f` with whether requests are in flight, whenever that changes.
pub fn on_busy(f: impl Fn(bool) + 'static) {
    CLIENT.with(|c| c.borrow_mut().busy = Some(Rc::new(f)));
}

/// Calls `f` with a sentence for the reader when the page stops using its worker.
pub fn on_stopped(f: impl Fn(String) + 'static) {
    CLIENT.with(|c| c.borrow_mut().stopped = Some(Rc::new(f)));
}

/// Sends `request`; `reply` gets its answer unless a newer request of the same kind was
/// sent meanwhile. On the main thread the answer comes before this returns.
pub fn send(request: Request, reply: impl FnOnce(Response) + 'static) {
    start();
    let (seq, worker) = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.next = c.next.wrapping_add(1);
        let seq = c.next;
        c.latest[slot(&request)] = seq;
        (seq, c.worker.clone())
    });
    let Some(worker) = worker else {
        reply(handle(request));
        return;
    };
    let bytes = Uint8Array::from(&encode(seq, &request)[..]);
    CLIENT.with(|c| {
        c.borrow_mut().pending.push(Pending {
            seq,
            request,
            reply: Box::new(reply),
        })
    });
    notify_busy();
    if worker
        .post_message_with_transfer(&bytes, &Array::of1(&bytes.buffer()))
        .is_err()
    {
        fall_back("it refused a message");
    }
}

/// Drops the answers of every request in flight: the page they were for is gone (back
/// to the starter, a lesson loaded or closed). The worker still runs them.
pub fn supersede() {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.next = c.next.wrapping_add(1);
        c.latest = [c.next; SLOTS];
    });
}

/// Whether a lesson build is on its way: the player moves when it lands, so another
/// click must not send the same build again.
pub fn lesson_in_flight() -> bool {
    CLIENT.with(|c| {
        c.borrow()
            .pending
            .iter()
            .any(|p| matches!(p.request, Request::Lesson { .. }))
    })
}

/// The worker `index.html` started, with this module's handlers on it.
fn page_worker() -> Option<Worker> {
    let window = web_sys::window()?;
    let worker: Worker = js_sys::Reflect::get(&window, &"layerlabWorker".into())
        .ok()?
        .dyn_into()
        .ok()?;
    // The handlers live as long as the page (the worker is never replaced), so they
    // are leaked on purpose rather than kept.
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| received(e.data()));
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|_| {
        give_up(None, "it stopped with an error");
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Some(worker)
}

fn received(data: wasm_bindgen::JsValue) {
    // `"ready"` is for index.html's timing; anything else not bytes is a failure report.
    // A worker given up on may still have had a message on its way: it is not heard.
    if data.as_string().is_some_and(|s| s == "ready") || !has_worker() {
        return;
    }
    let Some(bytes) = data.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec) else {
        // worker.js reports `{ error }`: a trap in the engine, most likely (a bug).
        let field = |name: &str| js_sys::Reflect::get(&data, &name.into()).ok();
        let error = field("error")
            .and_then(|e| e.as_string())
            .unwrap_or_default();
        // One that could not start has run no request: nothing of the page's is dropped.
        if field("starting").is_some_and(|s| s.is_truthy()) {
            fall_back(&format!("it could not start: {error}"));
        } else {
            give_up(None, &format!("it failed a request: {error}"));
        }
        return;
    };
    match decode::<Answer>(&bytes) {
        Ok((seq, answer)) => deliver(seq, answer.response, answer.kept),
        Err(_) => fall_back("it sent an unreadable answer"),
    }
}

/// Applies an answer still wanted, with the image the build left for the Layers view
/// (the worker's state after it: a failed build's answer carries the previous image,
/// marked stale); a superseded answer's image is dropped with it, as the next answer
/// brings the worker's newer state.
fn deliver(seq: u32, response: Response, kept: Option<image::KeptImage>) {
    let Some((p, newest)) = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let i = c.pending.iter().position(|p| p.seq == seq)?;
        let p = c.pending.remove(i);
        let newest = c.latest[slot(&p.request)] == seq;
        Some((p, newest))
    }) else {
        return;
    };
    if newest {
        if let Some(kept) = kept {
            image::receive(kept);
        }
        (p.reply)(response);
    }
    notify_busy();
}

/// The worker failed (`why`) while working on request `seq`, or on the oldest one it
/// had not answered (it serves them in order): that request is dropped, not run here,
/// where whatever stopped the worker (a trap, no memory left, an endless loop) would
/// stop the page too; the others run here.
fn give_up(seq: Option<u32>, why: &str) {
    if !has_worker() {
        return;
    }
    let dropped = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let i = match seq {
            Some(seq) => c.pending.iter().position(|p| p.seq == seq),
            None => (!c.pending.is_empty()).then_some(0),
        };
        i.map(|i| c.pending.remove(i)).is_some()
    });
    stop(why, dropped);
}

/// Stops using the worker (`why`) with nothing dropped (see [`stop`]).
fn fall_back(why: &str) {
    stop(why, false);
}

fn has_worker() -> bool {
    CLIENT.with(|c| c.borrow().worker.is_some())
}

/// Stops using the worker, once (later reports of the same failure change nothing), and
/// says so on the page: what it had not answered and is still wanted runs here, in order
/// (prunes, resets and forgets always, so this thread forgets what the page asked to
/// forget; superseded builds not, since nobody would see them). `dropped`: a request
/// was taken out first (see [`give_up`]).
fn stop(why: &str, dropped: bool) {
    if !has_worker() {
        return;
    }
    let pending = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(w) = c.worker.take() {
            w.terminate();
        }
        std::mem::take(&mut c.pending)
    });
    mark("main-thread");
    if let Some(root) = document_element() {
        let _ = root.set_attribute("data-engine-fallback", why);
    }
    if let Some(f) = CLIENT.with(|c| c.borrow().stopped.clone()) {
        let what = if dropped {
            " What it was working on is not run again here."
        } else {
            ""
        };
        f(format!(
            "The build worker stopped ({why}).{what} Builds now run in this tab, on a new \
             build cache, and may pause typing while they run."
        ));
    }
    notify_busy();
    for p in pending {
        let newest = CLIENT.with(|c| c.borrow().latest[slot(&p.request)] == p.seq);
        if newest || matches!(p.request, Request::Prune | Request::Reset | Request::Forget) {
            let response = handle(p.request);
            if newest {
                (p.reply)(response);
            }
        }
    }
}

fn notify_busy() {
    watch();
    let (busy, f) = CLIENT.with(|c| {
        let c = c.borrow();
        (!c.pending.is_empty(), c.busy.clone())
    });
    if let Some(f) = f {
        f(busy);
    }
}

/// Keeps a timer on the request at the head of the worker's queue (the one it works
/// on): a new head starts a new timer, an empty queue stops it.
fn watch() {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let head = c.pending.first().map(|p| p.seq);
        if c.watchdog.as_ref().map(|w| w.0) != head {
            c.watchdog = head.map(|seq| {
                let limit = answer_limit_ms();
                let timer = gloo_timers::callback::Timeout::new(limit, move || gave_up(seq, limit));
                (seq, timer)
            });
        }
    });
}

/// The worker spent the whole limit on request `seq`.
fn gave_up(seq: u32, limit: u32) {
    let secs = (layerlab_text::decimal::Double::from_u64(limit.into()) / 1000).go_g(6);
    give_up(Some(seq), &format!("it gave no answer in {secs} s"));
}

fn answer_limit_ms() -> u32 {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"layerlabWorkerAnswerLimitMs".into()).ok())
        .and_then(|v| v.as_f64())
        .filter(|ms| *ms >= 1.0 && *ms <= f64::from(ANSWER_LIMIT_MS))
        .map_or(ANSWER_LIMIT_MS, |ms| ms as u32)
}

fn document_element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

fn mark(mode: &str) {
    if let Some(root) = document_element() {
        let _ = root.set_attribute("data-engine", mode);
    }
}
