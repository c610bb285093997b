//! File descriptors, output sinks and the transcript.
//!
//! Nothing runs concurrently, so a pipe is a buffer: the left command writes into a
//! capture, the right one reads it as its standard input. Files are written through to
//! the VFS at once, so `echo a > f; cat f` sees the new bytes like a real shell does.

use layerlab_vfs::{Content, VfsPath};
use std::cell::Cell;
use std::rc::Rc;

/// Highest fd number a script may name (`9>&1`), as in dash.
pub(crate) const MAX_FD: usize = 10;

/// Where an output fd goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Sink {
    /// The step's standard output (the build log).
    Stdout,
    /// The step's standard error (the build log).
    Stderr,
    /// A capture buffer: `$(..)` or the left side of a pipe.
    Capture(usize),
    /// `/dev/null`.
    Null,
    /// A regular file in the VFS, appended to on every write.
    File(VfsPath),
}

/// One file descriptor.
#[derive(Clone, Debug)]
pub(crate) enum Fd {
    Closed,
    /// An input: the whole content plus a read position shared by every holder of this
    /// fd, so successive `read` calls in a loop consume successive lines.
    Read(Input),
    Write(Sink),
}

/// A readable fd: content and a shared offset.
#[derive(Clone, Debug)]
pub(crate) struct Input {
    pub(crate) content: Content,
    pub(crate) pos: Rc<Cell<usize>>,
}

impl Input {
    pub(crate) fn new(content: Content) -> Self {
        Input {
            content,
            pos: Rc::new(Cell::new(0)),
        }
    }
}

/// The fd table of a command.
#[derive(Clone, Debug)]
pub(crate) struct Io {
    pub(crate) fds: [Fd; MAX_FD],
}

impl Io {
    /// The table of the top-level shell: empty stdin, log stdout and stderr.
    pub(crate) fn top() -> Self {
        let mut fds: [Fd; MAX_FD] = std::array::from_fn(|_| Fd::Closed);
        fds[0] = Fd::Read(Input::new(Content::inline(Vec::new())));
        fds[1] = Fd::Write(Sink::Stdout);
        fds[2] = Fd::Write(Sink::Stderr);
        Io { fds }
    }

    /// The unread rest of standard input (consumed); empty when closed.
    pub(crate) fn take_stdin(&self) -> Vec<u8> {
        match &self.fds[0] {
            Fd::Read(input) => {
                let pos = input.pos.get();
                let len = input.content.len() as usize;
                if pos >= len {
                    return Vec::new();
                }
                input.pos.set(len);
                let all = input.content.to_vec();
                all[pos.min(all.len())..].to_vec()
            }
            _ => Vec::new(),
        }
    }

    /// Reads one line (without its newline) from stdin; `None` at end of input.
    pub(crate) fn read_line(&self) -> Option<(String, bool)> {
        let Fd::Read(input) = &self.fds[0] else {
            return None;
        };
        let pos = input.pos.get();
        let bytes = input.content.as_inline()?;
        if pos >= bytes.len() {
            return None;
        }
        let rest = &bytes[pos..];
        let (line, used, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], i + 1, true),
            None => (rest, rest.len(), false),
        };
        input.pos.set(pos + used);
        Some((String::from_utf8_lossy(line).into_owned(), complete))
    }

    /// The same table with stdout replaced.
    pub(crate) fn with_stdout(&self, sink: Sink) -> Self {
        let mut io = self.clone();
        io.fds[1] = Fd::Write(sink);
        io
    }

    /// The same table with stdin replaced.
    pub(crate) fn with_stdin(&self, input: Content) -> Self {
        let mut io = self.clone();
        io.fds[0] = Fd::Read(Input::new(input));
        io
    }
}

/// Which stream a transcript chunk came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// A run of output from one stream, in the order it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputChunk {
    /// The stream.
    pub stream: Stream,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The interleaved stdout/stderr of a step, capped so a chatty loop cannot fill memory.
#[derive(Clone, Debug, Default)]
pub(crate) struct Transcript {
    pub(crate) chunks: Vec<OutputChunk>,
    pub(crate) len: usize,
    pub(crate) truncated: bool,
}

/// Transcript bytes kept per step; BuildKit's log view also truncates long outputs.
pub(crate) const TRANSCRIPT_CAP: usize = 256 * 1024;

impl Transcript {
    pub(crate) fn push(&mut self, stream: Stream, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let room = TRANSCRIPT_CAP.saturating_sub(self.len);
        let bytes = if bytes.len() > room {
            self.truncated = true;
            &bytes[..room]
        } else {
            bytes
        };
        if bytes.is_empty() {
            return;
        }
        self.len += bytes.len();
        match self.chunks.last_mut() {
            Some(last) if last.stream == stream => last.bytes.extend_from_slice(bytes),
            _ => self.chunks.push(OutputChunk {
                stream,
                bytes: bytes.to_vec(),
            }),
        }
    }
}
