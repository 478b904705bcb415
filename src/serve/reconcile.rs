//! `/reconcile`: the W3C Entity Reconciliation Service API 0.2 over the graph's things (see
//! [`crate::reconcile`]). `GET` without `queries` gives the manifest; `queries` (in the query
//! string, or a form body of a `POST`, as OpenRefine sends it) a batch of answers. Every answer
//! may be read from any origin, as the API asks: the data is public and nothing here writes.

use super::protocol::{first, pairs, Refusal};
use super::App;
use crate::reconcile::Index;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The index, read from the store on the first request and kept: the store a server serves
/// does not change, but for `--update` ones (where it is read again after a change).
pub(super) type Cached = std::sync::Mutex<Option<Arc<Index>>>;

/// Reads the index on a thread of its own, unless a request has already.
pub(super) fn prepare(app: Arc<App>) {
    std::thread::spawn(move || {
        if let Ok(index) = Index::read(app.store.inner(), &app.iris, &app.reference) {
            let mut slot = app.reconcile.lock().expect("not poisoned");
            if slot.is_none() {
                *slot = Some(Arc::new(index));
            }
        }
    });
}

async fn index(app: &Arc<App>) -> Result<Arc<Index>, Refusal> {
    if let Some(index) = app.reconcile.lock().expect("not poisoned").clone() {
        return Ok(index);
    }
    let for_read = app.clone();
    let index = tokio::task::spawn_blocking(move || {
        Index::read(for_read.store.inner(), &for_read.iris, &for_read.reference)
    })
    .await
    .map_err(|e| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let index = Arc::new(index);
    *app.reconcile.lock().expect("not poisoned") = Some(index.clone());
    Ok(index)
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut r = (status, format!("{value}\n")).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

fn refused(status: StatusCode, message: String) -> Response {
    json(status, &serde_json::json!({ "error": message }))
}

async fn respond(app: Arc<App>, headers: &HeaderMap, params: Vec<(String, String)>) -> Response {
    let index = match index(&app).await {
        Ok(i) => i,
        Err(r) => return refused(r.status, r.message),
    };
    match first(&params, "queries") {
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("127.0.0.1");
            // The page's view of one resource, by its IRI (the base, then the id).
            let view = format!("http://{host}/#/resource?iri={}{{{{id}}}}", app.iris.base());
            json(StatusCode::OK, &index.manifest(&view, &app.reference))
        }
        Some(queries) => match index.answer(queries, &app.reference) {
            Ok(answer) => json(StatusCode::OK, &answer),
            Err(e) => refused(StatusCode::BAD_REQUEST, e.to_string()),
        },
    }
}

pub(super) async fn get(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = pairs(raw.as_deref().unwrap_or("").as_bytes());
    respond(app, &headers, params).await
}

pub(super) async fn post(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the queries as a form (Content-Type: application/x-www-form-urlencoded, queries=…)".into(),
        );
    }
    respond(app, &headers, pairs(&body)).await
}
