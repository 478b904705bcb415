//! Sends graphs to an external triple store by the W3C SPARQL 1.1 Graph Store HTTP Protocol,
//! then counts the remote graphs through the store's SPARQL endpoint.
//!
//! Each graph is written to a temporary N-Triples file first and sent from disk with its length,
//! so memory stays flat whatever the graph's size, and a retry resends exactly the same bytes.
//! One request replaces (PUT) or merges into (POST) one graph: the store applies it whole or not
//! at all, and the count check afterwards catches a store that kept only part of it.

use crate::describe::DescribeOptions;
use crate::error::{Error, Result};
use crate::http::{first_line, percent_encode, Body, Credentials, HttpClient};
use crate::iris::Iris;
use crate::store::KgStore;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, Quad};
use oxigraph::sparql::QueryResults;
use oxrdf::Term;
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::time::Duration;

/// Replace the remote graph or add to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushMode {
    /// HTTP PUT: the remote graph becomes exactly ours.
    Replace,
    /// HTTP POST: our triples are added to the remote graph.
    Merge,
}

/// What to push where.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The Graph Store Protocol endpoint, e.g. `http://localhost:8890/sparql-graph-crud-auth`.
    pub endpoint: String,
    /// The SPARQL query endpoint for the count check; the GSP endpoint when absent.
    pub query_endpoint: Option<String>,
    /// One graph; all of brikg's graphs when absent.
    pub graph: Option<NamedNode>,
    pub mode: PushMode,
    pub credentials: Option<Credentials>,
    /// Per-request time limit.
    pub timeout: Duration,
    /// How many times a 5xx answer or a connection failure is retried.
    pub retries: u32,
    /// Say what would be sent, send nothing.
    pub dry_run: bool,
}

/// The outcome for one graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphPush {
    pub graph: String,
    pub url: String,
    pub triples: usize,
    pub bytes: u64,
    /// The HTTP status of the write; `None` in a dry run.
    pub status: Option<u16>,
    /// The count of the remote graph after the push; `None` in a dry run.
    pub remote_triples: Option<usize>,
}

impl GraphPush {
    /// What a dry run prints: the request it would send.
    pub fn planned(&self, mode: PushMode) -> String {
        format!(
            "{} {} ({} triples, {} bytes of N-Triples)",
            mode.method(),
            self.url,
            self.triples,
            self.bytes
        )
    }

    /// What a push says once the graph is sent and counted.
    pub fn done(&self) -> String {
        format!(
            "pushed <{}>: {} triples, HTTP {}, remote count {}",
            self.graph,
            self.triples,
            self.status.unwrap_or_default(),
            self.remote_triples.unwrap_or_default()
        )
    }
}

impl PushMode {
    /// The HTTP method of the Graph Store Protocol for this mode.
    pub fn method(self) -> &'static str {
        match self {
            PushMode::Replace => "PUT",
            PushMode::Merge => "POST",
        }
    }
}

/// Pushes the selected graphs and checks their remote counts. Returns one record per graph, or
/// the first error (a count that differs is an error too).
pub fn push(
    store: &KgStore,
    iris: &Iris,
    describe: &DescribeOptions,
    options: &PushOptions,
    mut progress: impl FnMut(&GraphPush),
) -> Result<Vec<GraphPush>> {
    let build_state = iris.build_state_graph();
    let void_graph = iris.void_graph();
    let mut graphs = match &options.graph {
        Some(g) => vec![g.clone()],
        None => store
            .graph_names()?
            .into_iter()
            .filter(|g| g != build_state.as_str())
            .map(NamedNode::new)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| Error::Usage(format!("a graph name is not an IRI: {e}")))?,
    };
    if graphs.is_empty() {
        return Err(Error::Usage(
            "the store has no named graphs to push; run brikg build".into(),
        ));
    }
    let mut client = HttpClient::new(
        options.credentials.clone(),
        options.timeout,
        options.retries,
    );
    let query_endpoint = options
        .query_endpoint
        .clone()
        .unwrap_or_else(|| options.endpoint.clone());
    // A whole push also sends the dataset description, naming the endpoint it now lives at.
    let description = if options.graph.is_none() {
        let mut describe = describe.clone();
        describe.endpoint = NamedNode::new(&query_endpoint).ok();
        graphs.push(void_graph.clone());
        crate::describe::describe_store(store, iris, &describe)?
    } else {
        Vec::new()
    };
    let mut done = Vec::new();
    for graph in graphs {
        let (file, triples) = if graph == void_graph && options.graph.is_none() {
            write_ntriples(description.iter().map(|q| Ok(q.clone())))?
        } else {
            let quads = store
                .inner()
                .quads_for_pattern(
                    None,
                    None,
                    None,
                    Some(GraphNameRef::NamedNode(graph.as_ref())),
                )
                .map(|q| q.map_err(|e| store.error(e)));
            write_ntriples(quads)?
        };
        let bytes = file
            .metadata()
            .map_err(|e| Error::Usage(format!("temporary file: {e}")))?
            .len();
        let url = graph_url(&options.endpoint, &graph);
        let mut record = GraphPush {
            graph: graph.as_str().to_owned(),
            url: url.clone(),
            triples,
            bytes,
            status: None,
            remote_triples: None,
        };
        if options.dry_run {
            progress(&record);
            done.push(record);
            continue;
        }
        let method = options.mode.method();
        record.status = Some(send_graph(&mut client, method, &url, &file)?);
        let remote = count(&mut client, &query_endpoint, &graph)?;
        record.remote_triples = Some(remote);
        let consistent = match options.mode {
            PushMode::Replace => remote == triples,
            PushMode::Merge => remote >= triples,
        };
        if !consistent {
            return Err(Error::Push(format!(
                "<{}>: the remote graph has {remote} triples after the push, ours has {triples}; \
                 the store did not apply the whole graph (push again with --replace)",
                graph.as_str()
            )));
        }
        progress(&record);
        done.push(record);
    }
    Ok(done)
}

/// Writes one graph's quads as N-Triples to an anonymous temporary file.
fn write_ntriples(quads: impl Iterator<Item = Result<Quad>>) -> Result<(File, usize)> {
    let io = |e: std::io::Error| Error::Usage(format!("cannot write a temporary file: {e}"));
    let mut file = tempfile::tempfile().map_err(io)?;
    let mut triples = 0;
    {
        let mut writer =
            RdfSerializer::from_format(RdfFormat::NTriples).for_writer(BufWriter::new(&mut file));
        for q in quads {
            writer.serialize_triple(q?.as_ref()).map_err(io)?;
            triples += 1;
        }
        writer.finish().map_err(io)?.flush().map_err(io)?;
    }
    file.rewind().map_err(io)?;
    Ok((file, triples))
}

/// `endpoint?graph=IRI`, the IRI percent-encoded.
pub fn graph_url(endpoint: &str, graph: &NamedNode) -> String {
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{sep}graph={}", percent_encode(graph.as_str()))
}

fn send_graph(client: &mut HttpClient, method: &str, url: &str, file: &File) -> Result<u16> {
    let (status, text) = client.request(
        method,
        url,
        &[("Content-Type", "application/n-triples")],
        Body::File(file),
    )?;
    match status {
        200..=299 => Ok(status),
        401 if !client.has_credentials() => Err(Error::Push(format!(
            "{method} {url}: 401 Unauthorized: the store wants a user; give --user NAME and the password in BRIKG_PASSWORD"
        ))),
        401 | 403 => Err(Error::Push(format!(
            "{method} {url}: {status} {}: the store refused these credentials",
            if status == 401 { "Unauthorized" } else { "Forbidden" }
        ))),
        _ => Err(Error::Push(format!("{method} {url}: {status} {}", first_line(&text)))),
    }
}

/// Counts the triples of a remote graph with a SPARQL query.
fn count(client: &mut HttpClient, endpoint: &str, graph: &NamedNode) -> Result<usize> {
    let query = format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
        graph.as_str()
    );
    let bad = |why: String| {
        Error::Push(format!(
            "counting <{}> at {endpoint}: {why}",
            graph.as_str()
        ))
    };
    let results = client.sparql_query(endpoint, &query).map_err(|e| {
        bad(format!(
            "{e}; give the SPARQL query endpoint with --query-endpoint"
        ))
    })?;
    let QueryResults::Solutions(mut solutions) = results else {
        return Err(bad("the answer is not a table".into()));
    };
    let solution = solutions
        .next()
        .ok_or_else(|| bad("no row".into()))?
        .map_err(|e| bad(e.to_string()))?;
    match solution.get("n") {
        Some(Term::Literal(l)) => l
            .value()
            .parse()
            .map_err(|_| bad(format!("{:?} is not a count", l.value()))),
        other => Err(bad(format!("unexpected value {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_urls_are_percent_encoded() {
        let g = NamedNode::new("https://w3id.org/brikg/id/graph/article/a").unwrap();
        assert_eq!(
            graph_url("http://127.0.0.1:8890/sparql-graph-crud-auth", &g),
            "http://127.0.0.1:8890/sparql-graph-crud-auth?graph=https%3A%2F%2Fw3id.org%2Fbrikg%2Fid%2Fgraph%2Farticle%2Fa"
        );
        assert_eq!(
            graph_url("http://h/ds?x=1", &g).split_once('&').unwrap().0,
            "http://h/ds?x=1"
        );
    }
}
