//! Running what clients ask: SPARQL queries from `/sparql` (GET, form or direct POST), the
//! bundled queries by name at `/queries/NAME`, updates at `/update`, and the cache of answers
//! already given. Kept apart from the router so the path of a query, from the request to the
//! written results, reads in one file.

use super::limits::{limited, refusal, too_large_query, Capped, MAX_QUERY_BYTES};
use super::protocol::{self, first, pairs, Refusal};
use super::{assets, body, App};
use crate::error::Error;
use crate::queries::BundledQuery;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfSerializer;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Variable};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::sync::Arc;

/// The cache of answers: key → (content type, bytes), within a total size.
#[derive(Default)]
pub(super) struct Answers {
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

pub(super) async fn sparql_get(
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

pub(super) async fn bundled(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(query) = BundledQuery::find(&name) else {
        let names: Vec<&str> = crate::queries::QUERIES.iter().map(|q| q.name).collect();
        return Refusal::new(
            StatusCode::NOT_FOUND,
            format!(
                "no bundled query named {name:?}; bundled queries: {}",
                names.join(", ")
            ),
        )
        .into_response();
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

pub(super) async fn update(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
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
