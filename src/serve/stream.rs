//! Answers sent to the client as they are written, from the blocking thread that writes them
//! to the response body, chunk by chunk, so a listing of hundreds of thousands of rows is never
//! held whole: the export (`/export`) and query answers past their first [`HOLD`] bytes.
//!
//! A query's answer is held until it passes [`HOLD`] bytes: an error before then (a query that
//! fails on its first rows, a result over `--max-result-bytes` when that is small, a time-out
//! while the rows are sorted) is still answered with its status and sentence. Past it, the
//! status line is gone: an error cuts the body short (the chunked transfer ends without its
//! last chunk, which every HTTP client reports as an error), never a shorter answer that looks
//! whole. What was sent is kept in the answer cache when it is small enough.

use super::limits::OVER_LIMIT;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use std::io::Write;
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// The size of a chunk of the body.
const CHUNK: usize = 64 * 1024;

/// What a query's answer holds before its status is sent and the rest streams.
const HOLD: usize = 64 * 1024;

/// How many chunks wait for a slow client before the writer waits too.
const QUEUE: usize = 16;

/// Sends what is written to the response, chunk by chunk.
pub(super) struct ChannelWriter {
    sender: mpsc::Sender<std::io::Result<Bytes>>,
    buffer: Vec<u8>,
    /// The error that ends the body, given to the stream beside the queue (which may be full).
    failure: Failure,
    /// When a client that stops reading is given up, so that it cannot hold a query's turn.
    deadline: Option<Instant>,
}

impl ChannelWriter {
    /// A writer and the body stream it feeds; `deadline`: see [`ChannelWriter::deadline`].
    pub(super) fn new(deadline: Option<Instant>) -> (ChannelWriter, ReceiverStream) {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let failure = Failure::default();
        (
            ChannelWriter {
                sender,
                buffer: Vec::with_capacity(CHUNK),
                failure: failure.clone(),
                deadline,
            },
            ReceiverStream { receiver, failure },
        )
    }

    /// Ends the body with an error after the chunks already queued: the client sees the
    /// transfer cut, not a shorter answer. Never waits (the client may have stopped reading).
    pub(super) fn fail(mut self, error: std::io::Error) {
        self.buffer.clear();
        *self.failure.lock().expect("not poisoned") = Some(error);
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        let left = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left");
        let Some(deadline) = self.deadline else {
            return self.sender.blocking_send(Ok(chunk)).map_err(|_| left());
        };
        // On a blocking thread of the runtime, which may wait on it.
        let wait = deadline.saturating_duration_since(Instant::now());
        let sent = tokio::runtime::Handle::current()
            .block_on(tokio::time::timeout(wait, self.sender.send(Ok(chunk))));
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(left()),
            Err(_) => Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client read too slowly: the answer was not taken within the time-out",
            )),
        }
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// The error a [`ChannelWriter`] ended with, if any.
type Failure = std::sync::Arc<std::sync::Mutex<Option<std::io::Error>>>;

/// The receiving end of a [`ChannelWriter`], as a body stream: its chunks, then its error if
/// it failed.
pub(super) struct ReceiverStream {
    receiver: mpsc::Receiver<std::io::Result<Bytes>>,
    failure: Failure,
}

impl futures_core::Stream for ReceiverStream {
    type Item = std::io::Result<Bytes>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        match self.receiver.poll_recv(cx) {
            std::task::Poll::Ready(None) => {
                std::task::Poll::Ready(self.failure.lock().expect("not poisoned").take().map(Err))
            }
            other => other,
        }
    }
}

/// A response of `content_type` whose body is `stream`.
pub(super) fn streamed(content_type: &str, stream: ReceiverStream) -> Response {
    let mut r = Response::new(Body::from_stream(stream));
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

/// Where a query's answer is written: held up to [`HOLD`] bytes, then streamed through a
/// [`ChannelWriter`] whose body is handed over on `start`; never more than `limit` bytes in all.
/// A copy of what was written is kept while it stays within `keep` bytes, for the answer cache.
pub(super) struct Spout {
    held: Vec<u8>,
    limit: usize,
    keep: usize,
    written: usize,
    start: Option<oneshot::Sender<ReceiverStream>>,
    stream: Option<ChannelWriter>,
    deadline: Instant,
}

/// How a written answer ended.
pub(super) enum Ended {
    /// Held whole: sent with its status, cached if small enough.
    Whole(Vec<u8>),
    /// Streamed; its bytes, when they were few enough to keep.
    Streamed(Option<Vec<u8>>),
}

impl Spout {
    /// `deadline`: the query's time-out, past which a client that stops reading is given up.
    pub(super) fn new(
        limit: usize,
        keep: usize,
        deadline: Instant,
        start: oneshot::Sender<ReceiverStream>,
    ) -> Spout {
        Spout {
            held: Vec::new(),
            limit,
            keep,
            written: 0,
            start: Some(start),
            stream: None,
            deadline,
        }
    }

    /// Whether the status has been sent and the answer is streaming.
    pub(super) fn streaming(&self) -> bool {
        self.stream.is_some()
    }

    /// Sends what is left and tells how the answer ended.
    pub(super) fn finish(mut self) -> std::io::Result<Ended> {
        match self.stream.take() {
            None => Ok(Ended::Whole(std::mem::take(&mut self.held))),
            Some(mut stream) => {
                stream.flush()?;
                let kept = (self.written <= self.keep).then(|| std::mem::take(&mut self.held));
                Ok(Ended::Streamed(kept))
            }
        }
    }

    /// Cuts a streaming answer short with `error`.
    pub(super) fn fail(mut self, error: std::io::Error) {
        if let Some(stream) = self.stream.take() {
            stream.fail(error);
        }
    }
}

impl Write for Spout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written + buf.len() > self.limit {
            return Err(std::io::Error::other(OVER_LIMIT));
        }
        self.written += buf.len();
        // A copy for the cache while the answer is small enough to keep.
        if self.stream.is_none() || self.written <= self.keep {
            self.held.extend_from_slice(buf);
        } else if !self.held.is_empty() {
            self.held = Vec::new();
        }
        match &mut self.stream {
            Some(stream) => stream.write_all(buf)?,
            None if self.held.len() > HOLD => {
                let (mut stream, body) = ChannelWriter::new(Some(self.deadline));
                if let Some(start) = self.start.take() {
                    if start.send(body).is_err() {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::BrokenPipe,
                            "the client left",
                        ));
                    }
                }
                stream.write_all(&self.held)?;
                if self.written > self.keep {
                    self.held = Vec::new();
                }
                self.stream = Some(stream);
            }
            None => {}
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
