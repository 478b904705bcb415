//! What the server answers where: the routes, and what wraps every request (one log line,
//! the CORS headers and preflights), the small JSON answers (`/api/queries`, `/health`), the
//! 404 for everything else, and the signals that stop the server.

use super::protocol::Refusal;
use super::{assets, body, graphs, reconcile, sparql, App};
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

pub(super) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/app.js", get(assets::script))
        .route("/assets/style.css", get(assets::style))
        .route("/assets/world-110m.json", get(assets::world))
        .route("/sparql", get(sparql::sparql_get).post(sparql::sparql_post))
        .route("/update", axum::routing::post(sparql::update))
        .route("/store", get(graphs::graph_store))
        .route("/export", get(graphs::export))
        .route("/api/queries", get(catalogue))
        .route("/queries/{name}", get(sparql::bundled))
        .route("/health", get(health))
        .route("/reconcile", get(reconcile::get).post(reconcile::post))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(app.clone(), around))
        .with_state(app)
}

/// Logs every request and adds the CORS headers; answers CORS preflights.
async fn around(
    State(app): State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let mut response = if method == Method::OPTIONS && app.options.cors.is_some() {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Accept, Content-Type, Authorization"),
        );
        r
    } else {
        next.run(request).await
    };
    if let Some(origin) = app
        .options
        .cors
        .as_deref()
        .and_then(|o| HeaderValue::from_str(o).ok())
    {
        response
            .headers_mut()
            .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    eprintln!(
        "{method} {path} {} {:.1} ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}

pub(super) async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}

/// The bundled queries with their parameters and text, for the page and for tools.
async fn catalogue() -> Response {
    let queries: Vec<serde_json::Value> = crate::queries::QUERIES
        .iter()
        .map(|q| {
            serde_json::json!({
                "name": q.name,
                "title": q.title(),
                "description": q.description(),
                "parameters": q.params().iter().map(|p| serde_json::json!({
                    "name": p.name,
                    "description": p.description,
                    "example": p.example,
                })).collect::<Vec<_>>(),
                "text": q.text,
            })
        })
        .collect();
    let text =
        serde_json::to_string(&serde_json::json!({ "queries": queries })).expect("serializable");
    body("application/json", text.into_bytes())
}

async fn health(State(app): State<Arc<App>>) -> Response {
    let text = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "store": app.store.path().display().to_string(),
        "queries running": app.running.load(Ordering::SeqCst),
        "queries waiting": app.waiting.load(Ordering::SeqCst),
        "read only": app.options.update_token.is_none(),
    })
    .to_string();
    body("application/json", text.into_bytes())
}

async fn not_found(method: Method, uri: axum::http::Uri) -> Response {
    Refusal::new(
        StatusCode::NOT_FOUND,
        format!(
            "{method} {}: nothing here; try / (the page), /sparql, /queries/NAME, /store?graph=IRI, /export or /health",
            uri.path()
        ),
    )
    .into_response()
}
