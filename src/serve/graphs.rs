//! Whole graphs rather than query answers: the Graph Store Protocol for reading
//! (`/store?graph=IRI` or `?default`) and `/export`, the whole graph as `brikg export` writes
//! it, streamed in chunks so a large store is never held in memory at once.

use super::limits::{limited, refusal, Capped};
use super::protocol::{self, first, pairs, Refusal};
use super::stream::{streamed, ChannelWriter};
use super::{body, App};
use crate::error::Error;
use crate::export::ExportOptions;
use crate::format::GraphFormat;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedNode};
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
    let (writer, body) = ChannelWriter::new(None);
    let worker = app.clone();
    tokio::task::spawn_blocking(move || {
        let options = ExportOptions {
            format,
            graph: None,
        };
        let mut out = std::io::BufWriter::new(writer);
        if let Err(e) = crate::export::export(
            &worker.store,
            &worker.iris,
            &worker.describe,
            &options,
            &mut out,
        ) {
            if let Ok(writer) = out.into_inner() {
                writer.fail(std::io::Error::other(e.to_string()));
            }
        }
    });
    let mut r = streamed(format.0.media_type(), body);
    let file = format!("attachment; filename=\"brikg.{}\"", format.extension());
    if let Ok(v) = HeaderValue::from_str(&file) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}
