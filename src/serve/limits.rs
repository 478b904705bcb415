//! The limits that keep one client from taking the server: a slot among `--max-concurrent`
//! (with `--queue` waiting, the rest refused with 503), the time-out that cancels a query
//! (504), the cap on a result's size (413) and on a request's size. One place, so every
//! handler that runs work on the store is held to the same rules.

use super::protocol::Refusal;
use super::App;
use crate::error::Error;
use axum::http::StatusCode;
use oxigraph::sparql::CancellationToken;
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Runs `work` on a blocking thread once a slot is free, within the limits.
pub(super) async fn limited<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&App, CancellationToken) -> std::result::Result<T, Refusal> + Send + 'static,
) -> std::result::Result<T, Refusal> {
    if app.waiting.load(Ordering::SeqCst) >= app.options.queue && app.slots.available_permits() == 0
    {
        return Err(Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the server is busy: {} queries running and {} waiting; try again shortly",
                app.options.max_concurrent, app.options.queue
            ),
        ));
    }
    app.waiting.fetch_add(1, Ordering::SeqCst);
    let permit = tokio::time::timeout(app.options.timeout, app.slots.acquire()).await;
    app.waiting.fetch_sub(1, Ordering::SeqCst);
    let permit = match permit {
        Ok(Ok(p)) => p,
        _ => {
            return Err(Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server stayed busy for the whole time-out; try again shortly",
            ))
        }
    };
    let token = CancellationToken::new();
    let cancel = token.clone();
    let timeout = app.options.timeout;
    let timer = tokio::spawn(async move {
        tokio::time::sleep(timeout).await;
        cancel.cancel();
    });
    let worker = app.clone();
    app.running.fetch_add(1, Ordering::SeqCst);
    let outcome = tokio::task::spawn_blocking(move || work(&worker, token)).await;
    app.running.fetch_sub(1, Ordering::SeqCst);
    timer.abort();
    drop(permit);
    outcome.unwrap_or_else(|e| {
        Err(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the query failed: {e}"),
        ))
    })
}

/// A writer that refuses to grow past a limit.
pub(super) struct Capped {
    pub(super) bytes: Vec<u8>,
    pub(super) limit: usize,
}

pub(super) const OVER_LIMIT: &str = "brikg: over the result size limit";

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            return Err(std::io::Error::other(OVER_LIMIT));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Turns a library error into a status: a cancelled query is 504, too large a result 413,
/// anything the query got wrong 400.
pub(super) fn refusal(app: &App, e: Error) -> Refusal {
    let text = format!("{e:#}");
    let chain = std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source())
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    if chain.contains(OVER_LIMIT) {
        return Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the result is larger than this server's limit of {} bytes; add a LIMIT or a parameter",
                app.options.max_result_bytes
            ),
        );
    }
    if chain.contains("has been cancelled") {
        return Refusal::new(
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "the query ran longer than this server's time-out of {} s and was cancelled",
                app.options.timeout.as_secs_f64()
            ),
        );
    }
    match e {
        Error::Query(_) | Error::Usage(_) => Refusal::new(StatusCode::BAD_REQUEST, text),
        // The causes too: "cannot write the output" alone does not say that the client left.
        _ => Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, chain),
    }
}

/// The largest query text or request body accepted.
pub(super) const MAX_QUERY_BYTES: usize = 1024 * 1024;

pub(super) fn too_large_query() -> Refusal {
    Refusal::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the request is larger than {MAX_QUERY_BYTES} bytes"),
    )
}
