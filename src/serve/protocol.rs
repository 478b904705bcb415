//! The W3C SPARQL 1.1 Protocol's request side: where the query is (`?query=`, a form body, a
//! direct `application/sparql-query` body), the dataset (`default-graph-uri`,
//! `named-graph-uri`), and which format the client accepts (`Accept` with q-values, or a
//! `format=` parameter, which wins, as Virtuoso and Fuseki allow).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// A failed request: its status and one line saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl Refusal {
    /// A refusal; the message may span lines (a syntax error shows the line and a caret).
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Refusal {
            status,
            message: message.into(),
        }
    }
}

/// The `NAME=VALUE` pairs of a query string or a form body, in order, repeats kept.
pub fn pairs(encoded: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of `name`.
pub fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Every value of `name`.
pub fn all<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
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

/// The media types of an `Accept` header, best first (by q-value, then order); `*/*` when absent.
pub fn accepted(headers: &HeaderMap) -> Vec<String> {
    let Some(accept) = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return vec!["*/*".to_owned()];
    };
    let mut types: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let media = pieces.next()?.trim().to_ascii_lowercase();
            if media.is_empty() {
                return None;
            }
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, media))
        })
        .collect();
    types.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    types.into_iter().map(|(_, _, m)| m).collect()
}

/// A short `format=` name or a media type, as a results format.
fn results_format_named(name: &str) -> Option<QueryResultsFormat> {
    match name.to_ascii_lowercase().as_str() {
        "json" | "srj" => Some(QueryResultsFormat::Json),
        "xml" | "srx" => Some(QueryResultsFormat::Xml),
        "csv" => Some(QueryResultsFormat::Csv),
        "tsv" => Some(QueryResultsFormat::Tsv),
        other => QueryResultsFormat::from_media_type(other),
    }
}

/// A short `format=` name or a media type, as an RDF format the server writes.
fn graph_format_named(name: &str) -> Option<RdfFormat> {
    crate::format::GraphFormat::parse(name).ok().map(|f| f.0)
}

/// The results format for a `SELECT` or `ASK`: `format=`, else the best accepted, else JSON.
pub fn results_format(
    format: Option<&str>,
    headers: &HeaderMap,
) -> Result<QueryResultsFormat, Refusal> {
    if let Some(name) = format {
        return results_format_named(name).ok_or_else(|| {
            Refusal::new(
                StatusCode::NOT_ACCEPTABLE,
                format!("format={name}: this server writes json, xml, csv or tsv results"),
            )
        });
    }
    for media in accepted(headers) {
        match media.as_str() {
            "*/*" | "application/*" => return Ok(QueryResultsFormat::Json),
            "text/*" => return Ok(QueryResultsFormat::Csv),
            m => {
                if let Some(f) = QueryResultsFormat::from_media_type(m) {
                    return Ok(f);
                }
                if m == "application/json" {
                    return Ok(QueryResultsFormat::Json);
                }
                // A browser asks for HTML first: give it what it can show.
                if m == "text/html" || m == "application/xhtml+xml" {
                    continue;
                }
            }
        }
    }
    Err(Refusal::new(
        StatusCode::NOT_ACCEPTABLE,
        "none of the accepted types is a SPARQL results format: accept application/sparql-results+json, application/sparql-results+xml, text/csv or text/tab-separated-values",
    ))
}

/// The RDF format for a `CONSTRUCT`, `DESCRIBE` or graph read: `format=`, else the best
/// accepted, else Turtle.
pub fn graph_format(format: Option<&str>, headers: &HeaderMap) -> Result<RdfFormat, Refusal> {
    if let Some(name) = format {
        return graph_format_named(name).ok_or_else(|| {
            Refusal::new(
                StatusCode::NOT_ACCEPTABLE,
                format!("format={name}: this server writes turtle, ntriples, nquads, trig, rdfxml or jsonld"),
            )
        });
    }
    for media in accepted(headers) {
        match media.as_str() {
            "*/*" | "text/*" | "application/*" | "text/html" | "application/xhtml+xml" => {
                return Ok(RdfFormat::Turtle)
            }
            m => {
                if m == "application/json" {
                    return Ok(graph_format_named("jsonld").expect("known"));
                }
                if let Some(f) = graph_format_named(m) {
                    return Ok(f);
                }
            }
        }
    }
    Err(Refusal::new(
        StatusCode::NOT_ACCEPTABLE,
        "none of the accepted types is an RDF format: accept text/turtle, application/n-triples, application/ld+json or application/rdf+xml",
    ))
}

/// The content type of a results format.
pub fn results_media_type(format: QueryResultsFormat) -> &'static str {
    match format {
        QueryResultsFormat::Json => "application/sparql-results+json",
        QueryResultsFormat::Xml => "application/sparql-results+xml",
        QueryResultsFormat::Csv => "text/csv; charset=utf-8",
        QueryResultsFormat::Tsv => "text/tab-separated-values; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::ACCEPT,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn the_best_accepted_format_wins_and_format_overrides() {
        let h = with_accept("text/csv;q=0.5, application/sparql-results+xml");
        assert_eq!(results_format(None, &h).unwrap(), QueryResultsFormat::Xml);
        assert_eq!(
            results_format(Some("tsv"), &h).unwrap(),
            QueryResultsFormat::Tsv
        );
        assert_eq!(
            results_format(None, &HeaderMap::new()).unwrap(),
            QueryResultsFormat::Json
        );
        assert_eq!(
            results_format(None, &with_accept("image/png"))
                .unwrap_err()
                .status,
            StatusCode::NOT_ACCEPTABLE
        );
        assert_eq!(
            graph_format(None, &with_accept("application/rdf+xml")).unwrap(),
            RdfFormat::RdfXml
        );
    }
}
