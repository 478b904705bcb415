//! `brikg serve`: the embedded store over HTTP, for tools (the W3C SPARQL 1.1 Protocol, the
//! Graph Store Protocol for reading, the bundled queries by name) and for people (a page at `/`).
//!
//! Safe by default: read-only unless started with `--update` (and then only with the token);
//! every query is cancelled at the time-out (the engine stops; the client gets 504); at most
//! `--max-concurrent` queries run at once and `--queue` more wait, the rest get 503 with
//! `Retry-After`; a result larger than `--max-result-bytes` is refused (413) rather than held.
//! One log line per request on stderr: method, path, status, time (never a query string, a
//! body or a credential). SIGINT and SIGTERM stop accepting and let running requests finish.
//!
//! Why axum: a well-kept HTTP server (on hyper and tokio) that gives routing, graceful shutdown
//! and streaming bodies, for about 1.5 MiB of binary and 90 s of first build here; the queries
//! themselves run on blocking threads, as Oxigraph's evaluator is synchronous.

mod assets;
mod protocol;
mod reconcile;

use crate::error::{Error, Result};
use crate::export::ExportOptions;
use crate::format::GraphFormat;
use crate::iris::Iris;
use crate::queries::BundledQuery;
use crate::settings::Settings;
use crate::store::KgStore;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term, Variable};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use protocol::{first, pairs, Refusal};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: SocketAddr,
    /// Each query is cancelled after this long.
    pub timeout: Duration,
    /// Queries running at once.
    pub max_concurrent: usize,
    /// Requests waiting for a turn; more are refused with 503.
    pub queue: usize,
    /// A larger result is refused with 413.
    pub max_result_bytes: usize,
    /// The origin allowed to call the server from a browser (CORS), or `*`.
    pub cors: Option<String>,
    /// With a token, SPARQL updates are accepted from clients that present it.
    pub update_token: Option<String>,
    /// The size of the answers kept for repeated queries (0: none; never with updates).
    pub cache_bytes: usize,
}

/// What every request reads.
struct App {
    store: KgStore,
    iris: Iris,
    describe: crate::describe::DescribeOptions,
    reference: crate::mapping::Reference,
    options: ServeOptions,
    slots: Semaphore,
    waiting: AtomicUsize,
    running: AtomicUsize,
    /// Answers already given, by query, dataset and format: the store does not change while a
    /// read-only server serves it, so an answer stays right. Small answers only, and a budget.
    answers: std::sync::Mutex<Answers>,
    /// The things names are reconciled against, read on the first request.
    reconcile: reconcile::Cached,
}

/// The cache of answers: key → (content type, bytes), within a total size.
#[derive(Default)]
struct Answers {
    entries: std::collections::HashMap<String, (String, Bytes)>,
    bytes: usize,
}

/// The largest answer kept.
const ANSWER_MAX: usize = 1024 * 1024;

impl App {
    fn cached(&self, key: &str) -> Option<Response> {
        let answers = self.answers.lock().expect("not poisoned");
        answers
            .entries
            .get(key)
            .map(|(content_type, bytes)| body(content_type, bytes.to_vec()))
    }

    fn keep(&self, key: String, content_type: &str, bytes: &[u8]) {
        let budget = self.options.cache_bytes;
        if self.options.update_token.is_some() || bytes.len() > ANSWER_MAX.min(budget) {
            return;
        }
        let mut answers = self.answers.lock().expect("not poisoned");
        if answers.bytes + bytes.len() > budget {
            *answers = Answers::default();
        }
        answers.bytes += bytes.len();
        answers.entries.insert(
            key,
            (content_type.to_owned(), Bytes::copy_from_slice(bytes)),
        );
    }
}

/// Serves until SIGINT or SIGTERM. `ready` hears the address once the server listens.
pub fn serve(
    settings: &Settings,
    options: &ServeOptions,
    ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    // A server that takes updates holds the store exclusively (no build meanwhile); a read-only
    // one shares it with other readers (a build is refused with the usual message).
    let store = match options.update_token {
        Some(_) => {
            drop(settings.open_or_build()?);
            KgStore::open_writable(&settings.store)?
        }
        None => settings.open_or_build()?,
    };
    let foundation = crate::dataset::load_foundation(&settings.data, &settings.iris)?;
    let app = Arc::new(App {
        store,
        iris: settings.iris.clone(),
        describe: settings.describe.clone(),
        reference: foundation.reference,
        options: options.clone(),
        slots: Semaphore::new(options.max_concurrent.max(1)),
        waiting: AtomicUsize::new(0),
        running: AtomicUsize::new(0),
        answers: std::sync::Mutex::new(Answers::default()),
        reconcile: std::sync::Mutex::new(None),
    });
    // The reconciliation index is read in the background from the start (seconds for 20,000
    // articles), so the first name a client sends to /reconcile does not wait for it; a server
    // that takes updates reads it when first asked, after any update.
    if options.update_token.is_none() {
        reconcile::prepare(app.clone());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server's runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", options.bind)))?;
        let address = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", options.bind)))?;
        ready(address);
        axum::serve(listener, router(app))
            .with_graceful_shutdown(shutdown())
            .await
            .map_err(|e| Error::Usage(format!("the server stopped: {e}")))
    })
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/app.js", get(assets::script))
        .route("/assets/style.css", get(assets::style))
        .route("/assets/world-110m.json", get(assets::world))
        .route("/sparql", get(sparql_get).post(sparql_post))
        .route("/update", axum::routing::post(update))
        .route("/store", get(graph_store))
        .route("/export", get(export))
        .route("/api/queries", get(catalogue))
        .route("/queries/{name}", get(bundled))
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

async fn shutdown() {
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

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut r = (self.status, format!("{}\n", self.message)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        r
    }
}

fn body(content_type: &str, bytes: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(bytes));
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

/// Runs `work` on a blocking thread once a slot is free, within the limits.
async fn limited<T: Send + 'static>(
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
struct Capped {
    bytes: Vec<u8>,
    limit: usize,
}

const OVER_LIMIT: &str = "brikg: over the result size limit";

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
fn refusal(app: &App, e: Error) -> Refusal {
    let text = format!("{e:#}");
    let chain = std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source())
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    if chain.contains(OVER_LIMIT) {
        return Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the result is larger than this server's limit of {} bytes (--max-result-bytes); add a LIMIT or a parameter",
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
        _ => Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, text),
    }
}

/// What a query request asks for, once read.
struct QueryRequest {
    name: String,
    query: spargebra::Query,
    bindings: Vec<(Variable, Term)>,
    default_graphs: Vec<NamedNode>,
    named_graphs: Vec<NamedNode>,
    format: Option<String>,
}

/// Runs a query and writes its results in the negotiated format.
async fn run_query(
    app: &Arc<App>,
    request: QueryRequest,
    headers: &HeaderMap,
) -> std::result::Result<Response, Refusal> {
    let graph_result = matches!(
        request.query,
        spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. }
    );
    // Negotiated before running, so a client that accepts nothing we write learns it at once.
    let results_format = (!graph_result)
        .then(|| protocol::results_format(request.format.as_deref(), headers))
        .transpose()?;
    let graph_format = graph_result
        .then(|| protocol::graph_format(request.format.as_deref(), headers))
        .transpose()?;
    let query = crate::query::bind_variables(request.query, &request.bindings)
        .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, format!("{}: {e}", request.name)))?;
    let key = format!(
        "{query}\u{0}{:?}\u{0}{:?}\u{0}{results_format:?}\u{0}{graph_format:?}",
        request.default_graphs, request.named_graphs
    );
    if let Some(answer) = app.cached(&key) {
        return Ok(answer);
    }
    let response = limited(app, move |app, token| {
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(token)
            .for_query(query);
        if !request.default_graphs.is_empty() || !request.named_graphs.is_empty() {
            let dataset = prepared.dataset_mut();
            if !request.default_graphs.is_empty() {
                dataset.set_default_graph(
                    request
                        .default_graphs
                        .iter()
                        .cloned()
                        .map(Into::into)
                        .collect(),
                );
            }
            if !request.named_graphs.is_empty() {
                dataset.set_available_named_graphs(
                    request
                        .named_graphs
                        .iter()
                        .cloned()
                        .map(NamedOrBlankNode::from)
                        .collect(),
                );
            }
        }
        let results = prepared
            .on_store(app.store.inner())
            .execute()
            .map_err(|e| refusal(app, Error::Query(format!("{}: {e}", request.name))))?;
        let mut out = Capped {
            bytes: Vec::new(),
            limit: app.options.max_result_bytes,
        };
        match (results, results_format, graph_format) {
            (QueryResults::Graph(triples), _, Some(format)) => {
                let mut serializer = RdfSerializer::from_format(format);
                for (name, iri) in crate::vocab::PREFIXES {
                    serializer = serializer.with_prefix(*name, *iri).expect("valid prefix");
                }
                let mut writer = serializer.for_writer(&mut out);
                for t in triples {
                    let t = t.map_err(|e| refusal(app, Error::Query(e.to_string())))?;
                    writer
                        .serialize_triple(&t)
                        .map_err(|e| refusal(app, Error::Output(e)))?;
                }
                writer
                    .finish()
                    .map_err(|e| refusal(app, Error::Output(e)))?;
                Ok((format.media_type().to_owned(), out.bytes))
            }
            (results, Some(format), _) => {
                crate::results::write_results(
                    results,
                    crate::format::ResultsFormat::Sparql(format),
                    &mut out,
                )
                .map_err(|e| refusal(app, e))?;
                Ok((protocol::results_media_type(format).to_owned(), out.bytes))
            }
            _ => Err(Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the query form and the negotiated format disagree",
            )),
        }
    })
    .await?;
    let (content_type, bytes) = response;
    app.keep(key, &content_type, &bytes);
    Ok(body(&content_type, bytes))
}

/// The query, dataset and format of a protocol request.
fn read_request(
    name: &str,
    query: Option<&str>,
    params: &[(String, String)],
) -> std::result::Result<QueryRequest, Refusal> {
    let text = query.ok_or_else(|| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "no query: give it as ?query=, as a form field query=, or as an application/sparql-query body",
        )
    })?;
    if text.len() > MAX_QUERY_BYTES {
        return Err(too_large_query());
    }
    let parsed =
        match crate::query::parse(name, text)
            .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, format!("{e}")))?
        {
            crate::query::Parsed::Query(q) => *q,
            crate::query::Parsed::Update(_) => return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "this is a SPARQL update: POST it to /update (the server must run with --update)",
            )),
        };
    let graphs = |key: &str| -> std::result::Result<Vec<NamedNode>, Refusal> {
        protocol::all(params, key)
            .into_iter()
            .map(|g| {
                NamedNode::new(g).map_err(|e| {
                    Refusal::new(
                        StatusCode::BAD_REQUEST,
                        format!("{key}={g}: not an IRI: {e}"),
                    )
                })
            })
            .collect()
    };
    Ok(QueryRequest {
        name: name.to_owned(),
        query: parsed,
        bindings: Vec::new(),
        default_graphs: graphs("default-graph-uri")?,
        named_graphs: graphs("named-graph-uri")?,
        format: first(params, "format").map(str::to_owned),
    })
}

/// The largest query text or request body accepted.
const MAX_QUERY_BYTES: usize = 1024 * 1024;

fn too_large_query() -> Refusal {
    Refusal::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the request is larger than {MAX_QUERY_BYTES} bytes"),
    )
}

async fn sparql_get(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = pairs(raw.as_deref().unwrap_or("").as_bytes());
    if first(&params, "query").is_none() {
        return assets::service_description(
            &app.iris,
            &headers,
            app.options.update_token.is_some(),
        );
    }
    let request = match read_request("query", first(&params, "query"), &params) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    run_query(&app, request, &headers)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn sparql_post(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    if bytes.len() > MAX_QUERY_BYTES {
        return too_large_query().into_response();
    }
    let mut params = pairs(raw.as_deref().unwrap_or("").as_bytes());
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let query = match content_type.as_str() {
        "application/x-www-form-urlencoded" => {
            params.extend(pairs(&bytes));
            first(&params, "query").map(str::to_owned)
        }
        "application/sparql-query" => match String::from_utf8(bytes.to_vec()) {
            Ok(text) => Some(text),
            Err(_) => {
                return Refusal::new(StatusCode::BAD_REQUEST, "the query is not UTF-8").into_response()
            }
        },
        other => {
            return Refusal::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Content-Type {other:?}: POST a query as application/x-www-form-urlencoded or application/sparql-query"),
            )
            .into_response()
        }
    };
    let request = match read_request("query", query.as_deref(), &params) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    run_query(&app, request, &headers)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn bundled(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(query) = BundledQuery::find(&name) else {
        return Refusal::new(StatusCode::NOT_FOUND, crate::queries::unknown(&name)).into_response();
    };
    let params = pairs(raw.as_deref().unwrap_or("").as_bytes());
    let values: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "format")
        .cloned()
        .collect();
    let lookup = crate::lookup::StoreLookup {
        store: app.store.inner(),
        iris: &app.iris,
    };
    let bindings = match crate::params::bind(
        query,
        &values,
        &crate::params::Context {
            iris: &app.iris,
            reference: Some(&app.reference),
            lookup: Some(&lookup),
            spelling: crate::params::Spelling::QueryString,
        },
    ) {
        Ok(b) => b,
        Err(e) => return Refusal::new(StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let mut request = match read_request(query.name, Some(query.text), &[]) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    request.bindings = bindings;
    request.format = first(&params, "format").map(str::to_owned);
    run_query(&app, request, &headers)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn update(State(app): State<Arc<App>>, headers: HeaderMap, bytes: Bytes) -> Response {
    let Some(token) = app.options.update_token.clone() else {
        return Refusal::new(
            StatusCode::FORBIDDEN,
            "this server is read-only; start it with --update (and a token) to accept updates",
        )
        .into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if presented != Some(token.as_str()) {
        let mut r = Refusal::new(
            StatusCode::UNAUTHORIZED,
            "updates need the server's token: Authorization: Bearer <token>",
        )
        .into_response();
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return r;
    }
    if bytes.len() > MAX_QUERY_BYTES {
        return too_large_query().into_response();
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = if content_type.starts_with("application/sparql-update") {
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        let fields = pairs(&bytes);
        match first(&fields, "update") {
            Some(u) => u.to_owned(),
            None => {
                return Refusal::new(StatusCode::BAD_REQUEST, "no update= field").into_response()
            }
        }
    };
    let result = limited(&app, move |app, _| {
        let update = spargebra::SparqlParser::new()
            .parse_update(&text)
            .map_err(|e| refusal(app, crate::query::syntax_error("update", &text, &e)))?;
        SparqlEvaluator::new()
            .for_update(update)
            .on_store(app.store.inner())
            .execute()
            .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, format!("update failed: {e}")))
    })
    .await;
    match result {
        Ok(()) => {
            // The things may have changed: the reconciliation index is read again.
            *app.reconcile.lock().expect("not poisoned") = None;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(r) => r.into_response(),
    }
}

/// The Graph Store Protocol, for reading: `?graph=IRI` or `?default`.
async fn graph_store(
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
async fn export(
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
