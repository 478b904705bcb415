//! `brikg serve`: the embedded store over HTTP, for tools (the W3C SPARQL 1.1 Protocol, the
//! Graph Store Protocol for reading, the bundled queries by name) and for people (a page at `/`).
//!
//! Safe by default: read-only unless started with `--update` (and then only with the token);
//! every query is cancelled at the time-out (the engine stops; the client gets 504); at most
//! `--max-concurrent` queries run at once and `--queue` more wait, the rest get 503 with
//! `Retry-After`; a result larger than `--max-result-bytes` is refused (413), or cut short if it
//! was already streaming (answers stream past their first 64 KiB: `stream`).
//! One log line per request on stderr: method, path, status, time (never a query string, a
//! body or a credential). SIGINT and SIGTERM stop accepting and let running requests finish.
//!
//! Why axum: a well-kept HTTP server (on hyper and tokio) that gives routing, graceful shutdown
//! and streaming bodies, for about 1.5 MiB of binary and 90 s of first build here; the queries
//! themselves run on blocking threads, as Oxigraph's evaluator is synchronous.

mod answers;
mod assets;
mod graphs;
mod limits;
mod protocol;
mod reconcile;
mod routes;
mod sparql;
mod stream;

use crate::error::{Error, Result};
use crate::iris::Iris;
use crate::settings::Settings;
use crate::store::KgStore;
use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Duration;
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
    /// Queries that name no default graph read the union of all graphs as it, as Virtuoso's
    /// and `oxigraph serve --union-default-graph` do (else the store's empty default graph).
    pub union_default_graph: bool,
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
    answers: std::sync::Mutex<answers::Answers>,
    /// The things names are reconciled against, read on the first request.
    reconcile: reconcile::Cached,
}

/// The stack of each of the server's threads.
const STACK_BYTES: usize = 8 * 1024 * 1024;

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
        answers: std::sync::Mutex::new(answers::Answers::default()),
        reconcile: std::sync::Mutex::new(None),
    });
    // The reconciliation index is read in the background from the start (seconds for 20,000
    // articles), so the first name a client sends to /reconcile does not wait for it; a server
    // that takes updates reads it when first asked, after any update.
    if options.update_token.is_none() {
        reconcile::prepare(app.clone());
    }
    // Queries are parsed on the runtime's threads and evaluated on its blocking ones; both get
    // the main thread's 8 MiB of stack rather than tokio's 2 MiB, so what the nesting check
    // lets through (see `crate::query::MAX_NESTING`) is far from overflowing either. The
    // memory is reserved, not used, until a thread needs it.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(STACK_BYTES)
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
        axum::serve(listener, routes::router(app))
            .with_graceful_shutdown(routes::shutdown())
            .await
            .map_err(|e| Error::Usage(format!("the server stopped: {e}")))
    })
}

fn body(content_type: &str, bytes: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(bytes));
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}
