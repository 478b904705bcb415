//! Running what clients ask: SPARQL queries from `/sparql` (GET, form or direct POST), the
//! bundled queries by name at `/queries/NAME`, updates at `/update`, and the cache of answers
//! already given. Kept apart from the router so the path of a query, from the request to the
//! written results, reads in one file.

use super::answers::Answers;
use super::limits::{limited, refusal, too_large_query, MAX_QUERY_BYTES};
use super::protocol::{self, first, pairs, Refusal};
use super::stream::{streamed, Ended, Spout};
use super::{assets, body, App};
use crate::error::Error;
use crate::queries::BundledQuery;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfSerializer;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Variable};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use std::sync::Arc;

impl App {
    fn cached(&self, key: &str) -> Option<Response> {
        // The lock is let go before the answer is copied out.
        let (content_type, bytes) = self.answers.lock().expect("not poisoned").get(key)?;
        Some(body(&content_type, bytes.to_vec()))
    }

    fn keep(&self, key: String, content_type: &str, bytes: &[u8]) {
        if self.options.update_token.is_some() {
            return;
        }
        let mut answers = self.answers.lock().expect("not poisoned");
        answers.insert(key, content_type, bytes, self.options.cache_bytes);
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
    let QueryRequest {
        name,
        query,
        bindings,
        default_graphs,
        named_graphs,
        ..
    } = request;
    let query = crate::query::bind_variables(query, &bindings)
        .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, format!("{name}: {e}")))?;
    let key = format!(
        "{query}\u{0}{default_graphs:?}\u{0}{named_graphs:?}\u{0}{results_format:?}\u{0}{graph_format:?}"
    );
    if let Some(answer) = app.cached(&key) {
        return Ok(answer);
    }
    let content_type = match (results_format, graph_format) {
        (Some(format), _) => protocol::results_media_type(format).to_owned(),
        (_, Some(format)) => format.media_type().to_owned(),
        _ => {
            return Err(Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the query form and the negotiated format disagree",
            ))
        }
    };
    // The answer is held until it passes `stream::HOLD` bytes, then streams (see `stream`).
    let (start, started) = tokio::sync::oneshot::channel();
    let keep = Answers::largest(app.options.cache_bytes);
    let deadline = std::time::Instant::now() + app.options.timeout;
    let spout = Spout::new(app.options.max_result_bytes, keep, deadline, start);
    let path = name.clone();
    let dataset = (name, default_graphs, named_graphs);
    let worker = app.clone();
    let mut work = tokio::spawn(async move {
        limited(&worker, move |app, token| {
            let mut spout = spout;
            match write_answer(
                app,
                dataset,
                query,
                token,
                (results_format, graph_format),
                &mut spout,
            ) {
                Ok(()) => spout.finish().map_err(|e| refusal(app, Error::Output(e))),
                Err(refused) if spout.streaming() => {
                    eprintln!("{path}: the answer was cut short: {}", refused.message);
                    spout.fail(std::io::Error::other(refused.message));
                    Ok(Ended::Streamed(None))
                }
                Err(refused) => Err(refused),
            }
        })
        .await
    });
    let mut started = started;
    let ended = tokio::select! {
        stream = &mut started => match stream {
            Ok(stream) => {
                // Kept in the cache once written whole, if it was small enough.
                let (app, kept_type) = (app.clone(), content_type.clone());
                tokio::spawn(async move {
                    if let Ok(Ok(Ended::Streamed(Some(bytes)))) = work.await {
                        app.keep(key, &kept_type, &bytes);
                    }
                });
                return Ok(streamed(&content_type, stream));
            }
            Err(_) => work.await,
        },
        ended = &mut work => ended,
    };
    match ended {
        Ok(Ok(Ended::Whole(bytes))) => {
            app.keep(key, &content_type, &bytes);
            Ok(body(&content_type, bytes))
        }
        Ok(Ok(Ended::Streamed(_))) => match started.try_recv() {
            Ok(stream) => Ok(streamed(&content_type, stream)),
            Err(_) => Err(Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the answer was streamed to no one",
            )),
        },
        Ok(Err(refused)) => Err(refused),
        Err(e) => Err(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the query failed: {e}"),
        )),
    }
}

/// Evaluates `query` and writes its answer in the negotiated format to `out`.
fn write_answer(
    app: &App,
    (name, default_graphs, named_graphs): (String, Vec<NamedNode>, Vec<NamedNode>),
    query: spargebra::Query,
    token: CancellationToken,
    (results_format, graph_format): (
        Option<oxigraph::sparql::results::QueryResultsFormat>,
        Option<oxigraph::io::RdfFormat>,
    ),
    out: &mut Spout,
) -> std::result::Result<(), Refusal> {
    // Ordered outside the engine, in bounded memory, as on the command line.
    let mut query = query;
    let order = crate::query::order::take_order(&mut query);
    let mut prepared = SparqlEvaluator::new()
        .with_cancellation_token(token)
        .for_query(query);
    if default_graphs.is_empty() && app.options.union_default_graph {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    if !default_graphs.is_empty() || !named_graphs.is_empty() {
        let dataset = prepared.dataset_mut();
        if !default_graphs.is_empty() {
            dataset.set_default_graph(default_graphs.iter().cloned().map(Into::into).collect());
        }
        if !named_graphs.is_empty() {
            dataset.set_available_named_graphs(
                named_graphs
                    .iter()
                    .cloned()
                    .map(NamedOrBlankNode::from)
                    .collect(),
            );
        }
    }
    let failed = |e| refusal(app, Error::Query(format!("{name}: {e}")));
    let results = prepared
        .on_store(app.store.inner())
        .execute()
        .map_err(failed)?;
    let results = match (order, results) {
        (Some(order), QueryResults::Solutions(solutions)) => {
            QueryResults::Solutions(order.sort(solutions).map_err(failed)?)
        }
        (_, results) => results,
    };
    match (results, results_format, graph_format) {
        (QueryResults::Graph(triples), _, Some(format)) => {
            let mut serializer = RdfSerializer::from_format(format);
            for (name, iri) in crate::vocab::PREFIXES {
                serializer = serializer.with_prefix(*name, *iri).expect("valid prefix");
            }
            let mut writer = serializer.for_writer(out);
            for t in triples {
                let t = t.map_err(|e| refusal(app, Error::Query(e.to_string())))?;
                writer
                    .serialize_triple(&t)
                    .map_err(|e| refusal(app, Error::Output(e)))?;
            }
            writer
                .finish()
                .map_err(|e| refusal(app, Error::Output(e)))?;
            Ok(())
        }
        (results, Some(format), _) => crate::results::write_results(
            results,
            crate::format::ResultsFormat::Sparql(format),
            out,
        )
        .map(|_| ())
        .map_err(|e| refusal(app, e)),
        _ => Err(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the query form and the negotiated format disagree",
        )),
    }
}

/// The query, dataset and format of a protocol request. Relative IRIs in the query resolve
/// against `base`, the endpoint's own URL, as the SPARQL 1.1 Protocol asks.
fn read_request(
    name: &str,
    query: Option<&str>,
    params: &[(String, String)],
    base: &str,
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
    let bad = |e: Error| Refusal::new(StatusCode::BAD_REQUEST, e.to_string());
    crate::query::check_nesting(name, text).map_err(bad)?;
    let parser = || {
        spargebra::SparqlParser::new()
            .with_base_iri(base)
            .unwrap_or_else(|_| spargebra::SparqlParser::new())
    };
    let parsed = match parser().parse_query(text) {
        Ok(q) => q,
        Err(e) if parser().parse_update(text).is_ok() => {
            let _ = e;
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                "this is a SPARQL update: POST it to /update, on a server that accepts updates",
            ));
        }
        Err(e) => return Err(bad(crate::query::syntax_error(name, text, &e))),
    };
    Ok(QueryRequest {
        name: name.to_owned(),
        query: parsed,
        bindings: Vec::new(),
        default_graphs: graph_iris(params, "default-graph-uri")?,
        named_graphs: graph_iris(params, "named-graph-uri")?,
        format: first(params, "format").map(str::to_owned),
    })
}

/// The IRIs given as `key` parameters (`default-graph-uri`, `using-graph-uri`, …).
fn graph_iris(
    params: &[(String, String)],
    key: &str,
) -> std::result::Result<Vec<NamedNode>, Refusal> {
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
}

/// The URL a client reached `path` at (from its `Host` header): the base of relative IRIs.
fn endpoint_url(headers: &HeaderMap, path: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && !h.contains(['/', ' ', '<', '>', '"']))
        .unwrap_or("localhost");
    format!("http://{host}{path}")
}

/// Refuses a request that gives `key` more than once: which one was meant cannot be known.
fn once(params: &[(String, String)], key: &str) -> std::result::Result<(), Refusal> {
    match protocol::all(params, key).len() {
        0 | 1 => Ok(()),
        n => Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("{n} {key} parameters: give exactly one"),
        )),
    }
}

/// The media type of a POST body, lowercase and without parameters; a `charset` other than
/// UTF-8 is refused (415), as brikg reads SPARQL as UTF-8 only.
fn body_type(headers: &HeaderMap) -> std::result::Result<String, Refusal> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or("").trim().to_owned();
    for part in parts {
        if let Some(charset) = part.trim().strip_prefix("charset=") {
            let charset = charset.trim().trim_matches('"');
            if charset != "utf-8" && charset != "utf8" {
                return Err(Refusal::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!("Content-Type charset {charset}: send SPARQL as UTF-8"),
                ));
            }
        }
    }
    Ok(media)
}

pub(super) async fn sparql_get(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let params = pairs(raw.as_deref().unwrap_or("").as_bytes());
    if first(&params, "update").is_some() {
        return Refusal::new(
            StatusCode::BAD_REQUEST,
            "an update cannot be sent with GET: POST it to /update, on a server that accepts updates",
        )
        .into_response();
    }
    if first(&params, "query").is_none() {
        // Every graph a query can name, as the description is of the dataset queries see.
        let graphs: Vec<NamedNode> = app
            .store
            .inner()
            .named_graphs()
            .filter_map(|g| match g {
                Ok(oxigraph::model::NamedOrBlankNode::NamedNode(n)) => Some(n),
                _ => None,
            })
            .collect();
        return assets::service_description(
            &app.iris,
            &headers,
            app.options.update_token.is_some(),
            &graphs,
        );
    }
    let base = endpoint_url(&headers, "/sparql");
    let request = match once(&params, "query")
        .and_then(|()| read_request("query", first(&params, "query"), &params, &base))
    {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    run_query(&app, request, &headers)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

pub(super) async fn sparql_post(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    if bytes.len() > MAX_QUERY_BYTES {
        return too_large_query().into_response();
    }
    let mut params = pairs(raw.as_deref().unwrap_or("").as_bytes());
    let content_type = match body_type(&headers) {
        Ok(t) => t,
        Err(r) => return r.into_response(),
    };
    let query = match content_type.as_str() {
        "application/x-www-form-urlencoded" => {
            params.extend(pairs(&bytes));
            if let Err(r) = once(&params, "query") {
                return r.into_response();
            }
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
    let base = endpoint_url(&headers, "/sparql");
    let request = match read_request("query", query.as_deref(), &params, &base) {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    run_query(&app, request, &headers)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

pub(super) async fn bundled(
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
    let mut request = match read_request(query.name, Some(query.text), &[], "") {
        Ok(r) => r,
        Err(r) => return r.into_response(),
    };
    request.bindings = bindings;
    request.format = first(&params, "format").map(str::to_owned);
    run_query(&app, request, &headers)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

pub(super) async fn update(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let Some(token) = app.options.update_token.clone() else {
        return Refusal::new(
            StatusCode::FORBIDDEN,
            "this server is read-only: it accepts no updates",
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
    let mut params = pairs(raw.as_deref().unwrap_or("").as_bytes());
    let text = match read_update(&headers, &bytes, &mut params) {
        Ok(t) => t,
        Err(r) => return r.into_response(),
    };
    let dataset = match (
        graph_iris(&params, "using-graph-uri"),
        graph_iris(&params, "using-named-graph-uri"),
    ) {
        (Ok(default), Ok(named)) => {
            (!default.is_empty() || !named.is_empty()).then_some(spargebra::algebra::QueryDataset {
                default,
                named: Some(named),
            })
        }
        (Err(r), _) | (_, Err(r)) => return r.into_response(),
    };
    let base = endpoint_url(&headers, "/update");
    let result = limited(&app, move |app, _| {
        let mut update = spargebra::SparqlParser::new()
            .with_base_iri(base)
            .unwrap_or_else(|_| spargebra::SparqlParser::new())
            .parse_update(&text)
            .map_err(|e| refusal(app, crate::query::syntax_error("update", &text, &e)))?;
        if let Some(dataset) = dataset {
            use_dataset(&mut update, &dataset)?;
        }
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

/// The update text of a request: an `application/sparql-update` body or one `update` field of
/// a form body (whose other fields join `params`), checked for nesting before it is parsed.
fn read_update(
    headers: &HeaderMap,
    bytes: &[u8],
    params: &mut Vec<(String, String)>,
) -> std::result::Result<String, Refusal> {
    let text = match body_type(headers)?.as_str() {
        "application/sparql-update" => String::from_utf8(bytes.to_vec()).map_err(|_| {
            Refusal::new(StatusCode::BAD_REQUEST, "the update is not UTF-8")
        })?,
        "application/x-www-form-urlencoded" => {
            params.extend(pairs(bytes));
            once(params, "update")?;
            first(params, "update")
                .ok_or_else(|| Refusal::new(StatusCode::BAD_REQUEST, "no update= field"))?
                .to_owned()
        }
        other => {
            return Err(Refusal::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Content-Type {other:?}: POST an update as application/sparql-update or application/x-www-form-urlencoded"),
            ))
        }
    };
    crate::query::check_nesting("update", &text)
        .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    Ok(text)
}

/// Applies the protocol's `using-graph-uri` and `using-named-graph-uri` to each
/// DELETE/INSERT of an update; one that names its own dataset (USING, WITH) is refused, as
/// the protocol asks.
fn use_dataset(
    update: &mut spargebra::Update,
    dataset: &spargebra::algebra::QueryDataset,
) -> std::result::Result<(), Refusal> {
    for operation in &mut update.operations {
        if let spargebra::GraphUpdateOperation::DeleteInsert { using, .. } = operation {
            if using.is_some() {
                return Err(Refusal::new(
                    StatusCode::BAD_REQUEST,
                    "the update names its graphs with USING or WITH and the request with using-graph-uri or using-named-graph-uri: give one of the two",
                ));
            }
            *using = Some(dataset.clone());
        }
    }
    Ok(())
}
