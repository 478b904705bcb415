//! Whole graphs rather than query answers: the Graph Store Protocol for reading
//! (`/store?graph=IRI` or `?default`) and `/export`, the whole graph as `brikg export` writes
//! it, streamed in chunks so a large store is never held in memory at once.

use super::limits::{limited, refusal, Capped};
use super::protocol::{self, first, pairs, Refusal};
use super::{body, App};
use crate::error::Error;
use crate::export::ExportOptions;
use crate::format::GraphFormat;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedNode};
use std::io::Write;
use std::sync::Arc;

/// The Graph Store Protocol, for reading: `?graph=IRI` or `?default`.
pub(super) async fn graph_store(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = pairs(raw.as_deref().unwrap_or("").as_bytes());
    let graph = match (
        first(&params, "graph"),
        params.iter().any(|(k, _)| k == "default"),
    ) {
        (Some(g), false) => match NamedNode::new(g) {
            Ok(g) => Some(g),
            Err(e) => {
                return Refusal::new(
                    StatusCode::BAD_REQUEST,
                    format!("graph={g}: not an IRI: {e}"),
                )
                .into_response()
            }
        },
        (None, true) => None,
        _ => {
            return Refusal::new(
                StatusCode::BAD_REQUEST,
                "give one graph: ?graph=IRI or ?default (the whole graph is at /export)",
            )
            .into_response()
        }
    };
    let format = match protocol::graph_format(first(&params, "format"), &headers) {
        Ok(f) => f,
        Err(r) => return r.into_response(),
    };
    limited(&app, move |app, _| {
        let name = graph
            .as_ref()
            .map_or(GraphNameRef::DefaultGraph, |g| g.as_ref().into());
        if let Some(g) = &graph {
            let exists = app
                .store
                .inner()
                .contains_named_graph(g)
                .map_err(|e| refusal(app, app.store.error(e)))?;
            if !exists || *g == app.iris.build_state_graph() {
                return Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    format!("there is no graph <{}> here", g.as_str()),
                ));
            }
        }
        let quads = app
            .store
            .inner()
            .quads_for_pattern(None, None, None, Some(name))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| refusal(app, app.store.error(e)))?;
        let mut out = Capped {
            bytes: Vec::new(),
            limit: app.options.max_result_bytes,
        };
        let one = GraphFormat(if format.supports_datasets() {
            RdfFormat::NTriples
        } else {
            format
        });
        crate::export::write_sorted(quads, &app.iris, one, &mut out)
            .map_err(|e| refusal(app, Error::Output(e)))?;
        Ok(body(one.0.media_type(), out.bytes))
    })
    .await
    .unwrap_or_else(IntoResponse::into_response)
}

/// The whole graph, as `brikg export` writes it, streamed.
pub(super) async fn export(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = pairs(raw.as_deref().unwrap_or("").as_bytes());
    let format = match first(&params, "format") {
        Some(name) => match GraphFormat::parse(name) {
            Ok(f) => f,
            Err(e) => return Refusal::new(StatusCode::NOT_ACCEPTABLE, e).into_response(),
        },
        None => match protocol::graph_format(None, &headers) {
            Ok(f) => GraphFormat(f),
            Err(r) => return r.into_response(),
        },
    };
    let (sender, receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(16);
    let worker = app.clone();
    tokio::task::spawn_blocking(move || {
        let writer = ChannelWriter {
            sender: sender.clone(),
            buffer: Vec::with_capacity(CHUNK),
        };
        let options = ExportOptions {
            format,
            graph: None,
        };
        if let Err(e) = crate::export::export(
            &worker.store,
            &worker.iris,
            &worker.describe,
            &options,
            std::io::BufWriter::new(writer),
        ) {
            let _ = sender.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let mut r = Response::new(Body::from_stream(ReceiverStream(receiver)));
    if let Ok(v) = HeaderValue::from_str(format.0.media_type()) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    let file = format!("attachment; filename=\"brikg.{}\"", format.extension());
    if let Ok(v) = HeaderValue::from_str(&file) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

const CHUNK: usize = 64 * 1024;

/// Sends what an export writes to the response, chunk by chunk.
struct ChannelWriter {
    sender: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    buffer: Vec<u8>,
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
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// The receiving end of a [`ChannelWriter`], as a body stream.
struct ReceiverStream(tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>);

impl futures_core::Stream for ReceiverStream {
    type Item = std::io::Result<Bytes>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}
