//! The W3C SPARQL 1.1 Protocol test suite (`tests/fixtures/w3c-protocol/manifest.ttl`, copied
//! with its licence) run against `brikg serve`: the query cases and bad requests on a read-only
//! server, then every case, updates included, on one started with `--update`. The requests are
//! sent as the manifest writes them by `tests/engines/w3c_protocol.py` (rdflib reads the
//! manifest); each line is a case's request with its status, content type and verdict. Then the
//! service description, as the SPARQL 1.1 Service Description spec describes it.

mod common;
mod server;

use common::{repo, Brikg};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use server::{agent, encode, read, Server};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

const TOKEN: &str = "a-long-enough-test-token";

fn python() -> PathBuf {
    std::env::var_os("BRIKG_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"))
}

/// The driver's lines for the suite run against `server` in `mode`.
fn run_suite(server: &Server, mode: &str) -> String {
    let out = Command::new(python())
        .arg(repo().join("tests/engines/w3c_protocol.py"))
        .arg(repo().join("tests/fixtures/w3c-protocol/manifest.ttl"))
        .arg(&server.base)
        .arg(mode)
        .arg(TOKEN)
        .output()
        .expect("the Python of .venv (run scripts/install-deps)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The query cases and bad requests, as the suite expects them of any endpoint: a query's
/// answer (2xx, in a results or RDF format, the right boolean), a refusal 4xx.
const QUERY_CASES: &str = "\
query_post_form 200 application/sparql-results+json ok
query_get 200 application/sparql-results+json ok
query_content_type_select 200 application/sparql-results+json ok
query_content_type_ask 200 application/sparql-results+json ok
query_content_type_describe 200 text/turtle ok
query_content_type_construct 200 text/turtle ok
query_post_direct 200 application/sparql-results+json ok
bad_query_method 405 - ok
bad_multiple_queries 400 text/plain ok
bad_query_wrong_media_type 415 text/plain ok
bad_query_missing_form_type 415 text/plain ok
bad_query_missing_direct_type 415 text/plain ok
bad_query_non_utf8 415 text/plain ok
bad_query_syntax 400 text/plain ok
bad_update_get 400 text/plain ok
";

#[test]
fn a_read_only_server_passes_the_query_cases_and_refuses_the_bad_requests() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    assert_eq!(run_suite(&server, "read-only"), QUERY_CASES);
}

#[test]
fn a_server_that_takes_updates_passes_every_case() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &["--update"], &[("BRIKG_TOKEN", TOKEN)]);
    let expected = "\
query_post_form 200 application/sparql-results+json ok
query_dataset_default_graphs_get 200 application/sparql-results+json ok
query_dataset_default_graphs_post 200 application/sparql-results+json ok
query_dataset_named_graphs_post 200 application/sparql-results+json ok
query_dataset_named_graphs_get 200 application/sparql-results+json ok
query_dataset_full 200 application/sparql-results+json ok
query_multiple_dataset 200 application/sparql-results+json ok
query_get 200 application/sparql-results+json ok
query_content_type_select 200 application/sparql-results+json ok
query_content_type_ask 200 application/sparql-results+json ok
query_content_type_describe 200 text/turtle ok
query_content_type_construct 200 text/turtle ok
update_dataset_default_graph 204 - ok
update_dataset_default_graph 200 application/sparql-results+json ok
update_dataset_default_graphs 204 - ok
update_dataset_default_graphs 200 application/sparql-results+json ok
update_dataset_named_graphs 204 - ok
update_dataset_named_graphs 200 application/sparql-results+json ok
update_dataset_full 204 - ok
update_dataset_full 200 application/sparql-results+json ok
update_post_form 204 - ok
update_post_direct 204 - ok
update_base_uri 204 - ok
update_base_uri 200 application/sparql-results+json ok
query_post_direct 200 application/sparql-results+json ok
bad_query_method 405 - ok
bad_multiple_queries 400 text/plain ok
bad_query_wrong_media_type 415 text/plain ok
bad_query_missing_form_type 415 text/plain ok
bad_query_missing_direct_type 415 text/plain ok
bad_query_non_utf8 415 text/plain ok
bad_query_syntax 400 text/plain ok
bad_update_get 400 text/plain ok
bad_multiple_updates 400 text/plain ok
bad_update_wrong_media_type 415 text/plain ok
bad_update_missing_form_type 415 text/plain ok
bad_update_non_utf8 415 text/plain ok
bad_update_syntax 400 text/plain ok
bad_update_dataset_conflict 400 text/plain ok
";
    assert_eq!(run_suite(&server, "update"), expected);
}

#[test]
fn relative_iris_resolve_against_the_endpoint_and_refusals_speak_http() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    let r = agent()
        .post(server.url("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "application/n-triples")
        .send("CONSTRUCT { <s> <p> 1 } WHERE {}")
        .unwrap();
    let endpoint = server.url("/sparql");
    let base = endpoint.trim_end_matches("sparql");
    assert_eq!(
        read(r),
        (
            200,
            "application/n-triples".into(),
            format!("<{base}s> <{base}p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n")
        )
    );
    let url = format!(
        "{}?query={}&query={}",
        server.url("/sparql"),
        encode("ASK {}"),
        encode("SELECT * {}")
    );
    assert_eq!(
        read(agent().get(&url).call().unwrap()),
        (
            400,
            "text/plain; charset=utf-8".into(),
            "2 query parameters: give exactly one\n".into()
        )
    );
    let r = agent()
        .post(server.url("/update"))
        .send_form([("update", "CLEAR ALL")])
        .unwrap();
    assert_eq!(
        read(r),
        (
            403,
            "text/plain; charset=utf-8".into(),
            "this server is read-only: it accepts no updates\n".into()
        )
    );
}

#[test]
fn the_service_description_names_the_default_graph_and_every_named_graph() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    let r = agent()
        .get(&server.url("/sparql"))
        .header("Accept", "text/turtle")
        .call()
        .unwrap();
    let (status, content_type, turtle) = read(r);
    assert_eq!((status, content_type.as_str()), (200, "text/turtle"));
    let sd = |local: &str| {
        NamedNode::new(format!(
            "http://www.w3.org/ns/sparql-service-description#{local}"
        ))
        .unwrap()
    };
    let quads: Vec<_> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    let object = |subject: &NamedOrBlankNode, predicate: &NamedNode| -> Vec<Term> {
        quads
            .iter()
            .filter(|q| &q.subject == subject && &q.predicate == predicate)
            .map(|q| q.object.clone())
            .collect()
    };
    let as_subject = |t: &Term| match t {
        Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
        Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
        other => panic!("not a node: {other}"),
    };
    let service = quads
        .iter()
        .find(|q| q.predicate == sd("endpoint"))
        .map(|q| q.subject.clone())
        .expect("an sd:Service with an endpoint");
    let datasets = object(&service, &sd("defaultDataset"));
    assert_eq!(datasets.len(), 1);
    let dataset = as_subject(&datasets[0]);
    let default_graphs = object(&dataset, &sd("defaultGraph"));
    assert_eq!(default_graphs.len(), 1);
    let named: BTreeSet<String> = object(&dataset, &sd("namedGraph"))
        .iter()
        .flat_map(|g| object(&as_subject(g), &sd("name")))
        .map(|n| n.to_string())
        .collect();
    // The graphs the endpoint itself answers with, by a query.
    let url = format!(
        "{}?query={}",
        server.url("/sparql"),
        encode("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    );
    let r = agent()
        .get(&url)
        .header("Accept", "text/tab-separated-values")
        .call()
        .unwrap();
    let (_, _, tsv) = read(r);
    let queried: BTreeSet<String> = tsv.lines().skip(1).map(str::to_owned).collect();
    assert!(queried.len() >= 3, "{tsv}");
    assert_eq!(named, queried);
}
