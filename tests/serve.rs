//! `brikg serve`, tested as its users meet it: the SPARQL Protocol through independent clients
//! (curl, rdflib's SPARQLStore, a plain HTTP client), the page in a real browser (Debian's
//! Chromium, headless), and 200 clients at once, all on 127.0.0.1.

mod common;
mod server;

use common::{repo, Brikg};
use server::{agent, encode, read, shots, Server};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Status, content type and body of a GET.
fn get(url: &str, accept: &str) -> (u16, String, String) {
    read(agent().get(url).header("Accept", accept).call().unwrap())
}

/// Status, content type and body of a form POST of `query`.
fn post_query(url: &str, query: &str, accept: &str) -> (u16, String, String) {
    read(
        agent()
            .post(url)
            .header("Accept", accept)
            .send_form([("query", query)])
            .unwrap(),
    )
}

/// A query that cannot finish: every triple with every triple with every triple.
const RUNAWAY: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?x ?y ?z } GRAPH ?c { ?q ?r ?t } }";

#[test]
fn every_bundled_query_over_http_gives_the_rows_of_brikg_query() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    for q in brikg::queries::QUERIES {
        let local = brikg
            .run(&["query", q.name, "--format", "tsv", "-q"])
            .ok()
            .stdout;
        let (status, ct, by_name) = get(
            &server.url(&format!("/queries/{}", q.name)),
            "text/tab-separated-values",
        );
        assert_eq!(status, 200, "{}: {by_name}", q.name);
        assert_eq!(ct, "text/tab-separated-values; charset=utf-8");
        assert_eq!(by_name, local, "{} by name", q.name);
        let (status, _, by_protocol) =
            post_query(&server.url("/sparql"), q.text, "text/tab-separated-values");
        assert_eq!(status, 200);
        assert_eq!(by_protocol, local, "{} through the protocol", q.name);
    }
    // With a parameter, by name, in every results format.
    let (_, ct, csv) = get(
        &server.url("/queries/standards-countries?country=Italy&format=csv"),
        "*/*",
    );
    assert_eq!(ct, "text/csv; charset=utf-8");
    assert_eq!(
        csv,
        "country,alpha2,alpha3,documents,countries,asOf,article\r\nItaly,IT,ITA,107,65,2023-06-30,bri-practical-measure-2024\r\n"
    );
    let (_, ct, xml) = get(
        &server.url("/queries/standards-countries?country=IT"),
        "application/sparql-results+xml",
    );
    assert_eq!(ct, "application/sparql-results+xml");
    assert!(
        xml.contains("<literal xml:lang=\"en\">Italy</literal>"),
        "{xml}"
    );
    let (_, ct, json) = get(
        &server.url("/queries/standards-countries?country=IT"),
        "application/json",
    );
    assert_eq!(ct, "application/sparql-results+json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["results"]["bindings"][0]["alpha3"]["value"], "ITA");
    let (status, _, message) = get(&server.url("/queries/statistics?year=2023"), "*/*");
    assert_eq!(status, 400);
    assert_eq!(
        message,
        "statistics: no parameter \"year\"; it takes article (e.g. bri-practical-measure-2024), country (e.g. CN), subject (e.g. cr-express), measure (e.g. cities-served)\n"
    );
}

#[test]
fn the_protocol_negotiates_formats_and_refuses_clearly() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &["--max-result-bytes", "25000"], &[]);
    let sparql = server.url("/sparql");
    let construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s a <https://w3id.org/brikg/ontology#Event> ; ?p ?o } }";
    for (accept, ct, marker) in [
        ("text/turtle", "text/turtle", " a brikg:Event ;"),
        ("application/n-triples", "application/n-triples", "> .\n"),
        ("application/ld+json", "application/ld+json", "\"@id\""),
        ("application/rdf+xml", "application/rdf+xml", "<rdf:RDF"),
    ] {
        let (status, got, text) = post_query(&sparql, construct, accept);
        assert_eq!((status, got.as_str()), (200, ct), "{accept}: {text}");
        assert!(text.contains(marker), "{accept}: {text}");
    }
    // GET with the query in the URL; ASK; 406 for a type no result takes.
    let ask = format!("{sparql}?query={}", encode("ASK { GRAPH ?g { ?s ?p ?o } }"));
    assert_eq!(
        get(&ask, "application/sparql-results+json").2,
        "{\"head\":{},\"boolean\":true}\n"
    );
    let (status, _, text) = get(&ask, "image/png");
    assert_eq!(status, 406);
    assert_eq!(
        text,
        "none of the accepted types is a SPARQL results format: accept application/sparql-results+json, application/sparql-results+xml, text/csv or text/tab-separated-values\n"
    );
    // 400 with the message, line, caret and all.
    let (status, ct, text) = post_query(&sparql, "SELECT * WHERE { ?s ?p }", "*/*");
    assert_eq!((status, ct.as_str()), (400, "text/plain; charset=utf-8"));
    assert_eq!(
        text,
        "query: SPARQL syntax error: 1:25: the query cannot end here: check the last pattern (each triple needs a subject, a predicate and an object)\n  SELECT * WHERE { ?s ?p }\n                          ^\n"
    );
    // 413: a request body over 1 MiB, and a result over --max-result-bytes.
    let big = format!("SELECT * WHERE {{ ?s ?p ?o }} # {}", "x".repeat(1_100_000));
    assert_eq!(post_query(&sparql, &big, "*/*").0, 413);
    let (status, _, text) = post_query(
        &sparql,
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
        "text/csv",
    );
    assert_eq!(status, 413);
    assert_eq!(
        text,
        "the result is larger than this server's limit of 25000 bytes; add a LIMIT or a parameter\n"
    );
    // The dataset of the request: default-graph-uri makes an article graph the default graph.
    let article = "https://w3id.org/brikg/id/graph/article/bri-practical-measure-2024";
    let url = format!(
        "{sparql}?query={}&default-graph-uri={}",
        encode("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        encode(article)
    );
    assert_eq!(get(&url, "text/csv").2, "n\r\n325\r\n");
    // The Graph Store Protocol, reading.
    let (status, ct, turtle) = get(
        &server.url(&format!("/store?graph={}", encode(article))),
        "text/turtle",
    );
    assert_eq!((status, ct.as_str()), (200, "text/turtle"));
    assert!(
        turtle.contains("schema:name \"China Railway Express\"@en"),
        "{turtle}"
    );
    let (status, _, text) = get(&server.url("/store?default"), "application/n-triples");
    assert_eq!((status, text.as_str()), (200, ""));
    let (status, _, text) = get(&server.url("/store?graph=https://example.org/none"), "*/*");
    assert_eq!(status, 404);
    assert_eq!(text, "there is no graph <https://example.org/none> here\n");
    // The service description, the health check, and a page for unknown paths.
    let (_, ct, description) = get(&sparql, "text/turtle");
    assert_eq!(ct, "text/turtle");
    assert!(
        description.contains("sparql-service-description#SPARQL11Query"),
        "{description}"
    );
    let (_, ct, health) = get(&server.url("/health"), "*/*");
    assert_eq!(ct, "application/json");
    let health: serde_json::Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["read only"], true);
    assert_eq!(get(&server.url("/nope"), "*/*").0, 404);
    // One line per request: method, path, status, time; no query string. (The line follows
    // the answer: wait for the last request's.)
    let log = server.log_once("GET /nope 404 ");
    assert!(log.contains("\nGET /health 200 "), "{log}");
    assert!(log.contains("\nPOST /sparql 413 "), "{log}");
    assert!(!log.contains("default-graph-uri"), "{log}");
}

#[test]
fn independent_clients_read_the_endpoint() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    // curl, as a script would.
    let curl = Command::new("curl")
        .args([
            "-s",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            "query=SELECT ?code WHERE { GRAPH ?g { ?c <https://w3id.org/brikg/ontology#iso3166Alpha2> ?code FILTER(?code IN (\"IT\", \"PK\")) } } ORDER BY ?code",
            &server.url("/sparql"),
        ])
        .output()
        .expect("curl (scripts/install-deps --test)");
    assert_eq!(
        String::from_utf8(curl.stdout).unwrap(),
        "code\r\nIT\r\nPK\r\n"
    );
    // rdflib's SPARQLStore, as a Python tool would.
    let script = r#"
import sys
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
g = Graph(store=SPARQLStore(sys.argv[1]))
for row in g.query(open(sys.argv[2]).read()):
    print(row.country, row.alpha2)
"#;
    let rq = brikg.dir.path().join("q.rq");
    std::fs::write(
        &rq,
        brikg::queries::BundledQuery::find("standards-countries")
            .unwrap()
            .text,
    )
    .unwrap();
    let out = Command::new(repo().join(".venv/bin/python"))
        .args(["-c", script, &server.url("/sparql"), rq.to_str().unwrap()])
        .output()
        .expect("python with rdflib (scripts/install-deps --test)");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Ethiopia ET\nItaly IT\nPakistan PK\nRussia RU\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_runaway_query_is_cancelled_at_the_time_out_and_a_full_server_says_so() {
    let brikg = Brikg::new();
    let server = Server::start(
        &brikg,
        &["--timeout", "1", "--max-concurrent", "1", "--queue", "0"],
        &[],
    );
    let sparql = server.url("/sparql");
    let runaway = {
        let sparql = sparql.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let r = post_query(&sparql, RUNAWAY, "*/*");
            (r, started.elapsed())
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    // The one slot is taken and nobody may wait: 503, with when to come back.
    let r = agent()
        .post(&sparql)
        .send_form([("query", "ASK {}")])
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(r.headers().get("retry-after").unwrap(), "1");
    let ((status, _, text), took) = runaway.join().unwrap();
    assert_eq!(status, 504);
    assert_eq!(
        text,
        "the query ran longer than this server's time-out of 1 s and was cancelled\n"
    );
    assert!(took < Duration::from_secs(10), "cancelled after {took:?}");
    // Cancelled for real: the slot is free again.
    let (status, _, _) = post_query(&sparql, "ASK { GRAPH ?g { ?s ?p ?o } }", "*/*");
    assert_eq!(status, 200);
}

#[test]
fn updates_are_refused_unless_started_with_update_and_given_the_token() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    let r = agent()
        .post(server.url("/update"))
        .send_form([("update", "CLEAR ALL")])
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    drop(server);

    let token = "a-long-enough-test-token";
    let server = Server::start(&brikg, &["--update"], &[("BRIKG_TOKEN", token)]);
    let insert = "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> 42 } }";
    let r = agent()
        .post(server.url("/update"))
        .send_form([("update", insert)])
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = agent()
        .post(server.url("/update"))
        .header("Authorization", format!("Bearer {token}"))
        .send_form([("update", insert)])
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let url = format!(
        "{}?query={}",
        server.url("/sparql"),
        encode("SELECT ?o WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }")
    );
    assert_eq!(get(&url, "text/csv").2, "o\r\n42\r\n");
    // The token never reaches the log. A request's line is written once its answer is sent, so
    // it may reach the log a moment after the client has the answer.
    let deadline = Instant::now() + Duration::from_secs(10);
    let log = loop {
        let log = server.log.lock().unwrap().join("\n");
        if log.contains("\nPOST /update 204 ") || Instant::now() > deadline {
            break log;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(!log.contains(token), "{log}");
    assert!(log.contains("\nPOST /update 204 "), "{log}");
}

#[test]
fn cors_a_build_during_serving_and_a_clean_stop() {
    let brikg = Brikg::new();
    let mut server = Server::start(&brikg, &["--cors", "https://analysts.example.org"], &[]);
    let r = agent().get(server.url("/health")).call().unwrap();
    assert_eq!(
        r.headers().get("access-control-allow-origin").unwrap(),
        "https://analysts.example.org"
    );
    let r = agent().options(server.url("/sparql")).call().unwrap();
    assert_eq!(r.status().as_u16(), 204);
    // The server shares the store with readers: a build is refused, as with any reader.
    let build = brikg.run(&["build"]);
    assert_eq!(build.code, 1);
    assert_eq!(
        build.stderr,
        format!(
            "brikg: store {}: the store is in use by another brikg process; wait for it to finish, or use another --store\n",
            brikg.store().display()
        )
    );
    assert!(
        brikg.run(&["query", "articles", "-q"]).code == 0,
        "readers still read"
    );
    let started = Instant::now();
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // And once it stopped, the build goes ahead.
    brikg.run(&["build", "-q"]).ok();
}

#[test]
fn two_hundred_clients_at_once_get_every_answer_right_while_a_runaway_is_cancelled() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &["--timeout", "2", "--max-concurrent", "4"], &[]);
    let cases: Vec<(String, String)> = [
        "standards-countries",
        "standards-countries?country=PK",
        "statistics?article=bri-practical-measure-2024",
        "timeline",
        "countries?country=Russia",
        "figures-per-measure",
    ]
    .iter()
    .map(|path| {
        let (name, param) = path
            .split_once('?')
            .map_or((*path, None), |(n, p)| (n, Some(p)));
        let mut args = vec!["query", name, "--format", "csv", "-q"];
        if let Some(p) = param {
            args.push("--param");
            args.push(p);
        }
        let expected = brikg.run(&args).ok().stdout;
        (server.url(&format!("/queries/{path}")), expected)
    })
    .collect();
    let runaway = {
        let sparql = server.url("/sparql");
        std::thread::spawn(move || post_query(&sparql, RUNAWAY, "*/*").0)
    };
    let cases = Arc::new(cases);
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let cases = cases.clone();
            std::thread::spawn(move || {
                let (url, expected) = &cases[i % cases.len()];
                let (status, _, text) = get(url, "text/csv");
                (
                    status == 200 && text == *expected,
                    format!("{url}: {status}"),
                )
            })
        })
        .collect();
    let mut wrong = Vec::new();
    for c in clients {
        let (right, what) = c.join().unwrap();
        if !right {
            wrong.push(what);
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of 200 answers lost or wrong: {wrong:?}",
        wrong.len()
    );
    assert_eq!(runaway.join().unwrap(), 504);
}

#[test]
fn the_page_shows_the_standards_countries_and_a_figures_source_in_a_real_browser() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    let shots = shots("serve-screenshots");
    let page = server.in_browser("browser_check", &shots, &["https://w3id.org/brikg/id/article/bri-practical-measure-2024/observation/cr-express-value-of-goods"]);
    assert_eq!(page["queries listed"], brikg::queries::QUERIES.len());
    assert_eq!(
        page["countries"],
        serde_json::json!(["Ethiopia", "Italy", "Pakistan", "Russia"])
    );
    assert_eq!(page["status"], "4 rows");
    assert_eq!(
        page["source"],
        "Source: Belt and Road Cooperation: A Practical Measure for Creating a New Development Dynamic, section 2 (market connectivity), paragraph 1"
    );
    let figure = page["figure"].as_str().unwrap();
    assert!(
        figure.starts_with("greater than 340,000,000,000 USD\n"),
        "{figure}"
    );
    assert!(
        figure.contains("September 2023 (2023-09-30, precision: month)"),
        "{figure}"
    );
    assert_eq!(page["phone page width"], 375);
    assert_eq!(page["errors"], serde_json::json!([]));
    assert!(shots.join("standards-countries.png").exists());
}

/// A thing's page in a real browser: the port's figures of the two articles, grouped by
/// measure, with a line over time for each measure reported at two dates or more (only the
/// throughput is; the berths have one dated figure and one undated).
#[test]
fn a_things_page_shows_its_figures_across_articles_with_a_chart() {
    let brikg = Brikg::new();
    let data = brikg.follow_up_dir("data");
    let server = Server::start(&brikg, &[], &[("BRIKG_DATA", data.to_str().unwrap())]);
    let shots = shots("serve-screenshots");
    let page = server.in_browser(
        "thing_page_check",
        &shots,
        &[
            "https://w3id.org/brikg/id/entity/nkalora-deepwater-port",
            "container throughput (TEU)",
        ],
    );
    assert_eq!(page["title"], "Nkalora Deepwater Port");
    assert_eq!(page["measures"], 13);
    assert_eq!(
        page["charts"],
        serde_json::json!(["container throughput (TEU)"])
    );
    assert_eq!(
        page["points"],
        serde_json::json!([
            "2023-12-31: exactly 1,100,000 TEU (nkalora-port-2025, section 1, paragraph 1)",
            "2024-12-31: approximately 1,900,000 TEU (nkalora-port-2025, section 1, paragraph 1)",
            "2024-12-31: exactly 1,860,000 TEU (nkalora-port-2026, section 1, paragraph 2)",
            "2024-12-31: approximately 1,900,000 TEU (nkalora-port-2026, section 1, paragraph 2)",
            "2025-12-31: exactly 2,380,000 TEU (nkalora-port-2026, section 1, paragraph 1)"
        ])
    );
    assert_eq!(
        page["rows"][1],
        serde_json::json!([
            "2024-12-31",
            "approximately",
            "1,900,000 TEU",
            "+800,000",
            "nkalora-port-2025, section 1, paragraph 1"
        ])
    );
    assert_eq!(page["download"], "container-throughput-TEU-.svg");
    assert_eq!(page["errors"], serde_json::json!([]));
    assert!(shots.join("thing-figures.png").exists());
}

/// Checks JSON documents against the Reconciliation Service API 0.2's JSON Schemas (the
/// specification's own, `../shared/reconciliation-api-0.2/schemas/`) with `jsonschema` from
/// PyPI (Draft 7); prints one line per document.
const RECONCILIATION_SCHEMAS: &str = r##"
import glob, json, sys
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
schemas = sys.argv[1]
# The schemas refer to each other by their $id: resolved here, never fetched.
registry = Registry().with_resources(
    (s["$id"].rstrip("#"), Resource.from_contents(s, default_specification=DRAFT7))
    for s in (json.load(open(f)) for f in glob.glob(f"{schemas}/*.json"))
)
for arg in sys.argv[2:]:
    name, path = arg.split("=", 1)
    schema = json.load(open(f"{schemas}/{name}.json"))
    doc = json.load(open(path))
    validator = Draft7Validator(schema, registry=registry)
    errors = sorted(e.message for e in validator.iter_errors(doc))
    print(name, "valid" if not errors else "INVALID: " + "; ".join(errors))
"##;

#[test]
fn names_reconcile_to_the_graphs_things_as_the_w3c_api_says() {
    let brikg = Brikg::new();
    let data = brikg.follow_up_dir("data");
    let server = Server::start(&brikg, &[], &[("BRIKG_DATA", data.to_str().unwrap())]);
    let (status, ct, manifest) = get(&server.url("/reconcile"), "application/json");
    assert_eq!(
        (status, ct.as_str()),
        (200, "application/json; charset=utf-8")
    );
    let queries = r#"{"q0":{"query":"Nkalora Port"},"q1":{"query":"the China–Railway Express's","type":"transport-service","limit":2},"q2":{"query":"Korvana hydropower cascade","properties":[{"pid":"country","v":"Bosnia and Herzegovina"}],"limit":1},"q3":{"query":"Korvana Cascade","type":"organization"}}"#;
    // As OpenRefine sends it: a form POST.
    let mut r = agent()
        .post(&server.url("/reconcile"))
        .send_form([("queries", queries)])
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers().get("access-control-allow-origin").unwrap(), "*");
    let answers = r.body_mut().read_to_string().unwrap();
    let answer: serde_json::Value = serde_json::from_str(&answers).unwrap();
    let top = |q: &str| -> (String, f64, bool) {
        let c = &answer[q]["result"][0];
        (
            c["id"].as_str().unwrap().to_owned(),
            c["score"].as_f64().unwrap(),
            c["match"].as_bool().unwrap(),
        )
    };
    // A name the follow-up uses, in another form: the port, certainly; the fishing port of the
    // same town is a candidate, not a match.
    assert_eq!(
        top("q0"),
        ("entity/nkalora-deepwater-port".into(), 100.0, true)
    );
    assert_eq!(
        answer["q0"]["result"][1]["id"],
        "entity/nkalora-fishing-port"
    );
    assert_eq!(answer["q0"]["result"][1]["match"], false);
    assert_eq!(top("q1"), ("entity/cr-express".into(), 100.0, true));
    assert_eq!(answer["q1"]["result"].as_array().unwrap().len(), 1);
    // A name only the follow-up gives, and the country.
    assert_eq!(top("q2"), ("entity/korvana-cascade".into(), 100.0, true));
    // Among organisations only: the cascade is not one; its utility shares a word.
    assert_eq!(
        top("q3"),
        ("organization/elektro-korvana".into(), 50.0, false)
    );
    assert_eq!(answer["q3"]["result"].as_array().unwrap().len(), 1);

    // Both documents as the specification's schemas say.
    let dir = tempfile::tempdir().unwrap();
    let (m, a) = (
        dir.path().join("manifest.json"),
        dir.path().join("answers.json"),
    );
    std::fs::write(&m, &manifest).unwrap();
    std::fs::write(&a, &answers).unwrap();
    let out = Command::new(repo().join(".venv/bin/python"))
        .arg("-c")
        .arg(RECONCILIATION_SCHEMAS)
        .arg(repo().join("../shared/reconciliation-api-0.2/schemas"))
        .arg(format!("manifest={}", m.display()))
        .arg(format!("reconciliation-result-batch={}", a.display()))
        .output()
        .expect("the Python of .venv (scripts/install-deps --test)");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "manifest valid\nreconciliation-result-batch valid\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A malformed batch and an unknown type are refused, saying what would be right.
    let (status, _, body) = get(
        &format!("{}?queries={}", server.url("/reconcile"), encode("[1")),
        "application/json",
    );
    assert_eq!(status, 400);
    assert!(
        body.starts_with("{\"error\":\"queries: not a JSON object of reconciliation queries"),
        "{body}"
    );
    let (status, _, body) = get(
        &format!(
            "{}?queries={}",
            server.url("/reconcile"),
            encode(r#"{"q0":{"query":"x","type":"spaceship"}}"#)
        ),
        "application/json",
    );
    assert_eq!(
        (status, body.as_str()),
        (
            400,
            "{\"error\":\"type \\\"spaceship\\\": not a kind of this graph; give a kind such as \\\"port\\\" or \\\"organization\\\"\"}\n"
        )
    );
}

#[test]
fn a_server_may_read_the_union_of_all_graphs_as_its_default_graph() {
    let brikg = Brikg::new();
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://schema.org/name> ?name }";
    let plain = Server::start(&brikg, &[], &[]);
    let url = format!("{}?query={}", plain.url("/sparql"), encode(count));
    assert_eq!(get(&url, "text/csv").2, "n\r\n0\r\n");
    drop(plain);
    let union = Server::start(&brikg, &["--union-default-graph"], &[]);
    let url = format!("{}?query={}", union.url("/sparql"), encode(count));
    assert_eq!(get(&url, "text/csv").2, "n\r\n10\r\n");
    // A default graph the request names is still that graph alone.
    let named = format!(
        "{url}&default-graph-uri={}",
        encode("https://w3id.org/brikg/id/graph/ontology")
    );
    assert_eq!(get(&named, "text/csv").2, "n\r\n0\r\n");
}

/// An answer past its first 64 KiB streams in chunks as it is written, so the server holds a
/// chunk, not the answer: it arrives whole, byte for byte what `brikg query` prints. One that
/// passes `--max-result-bytes` after it began to stream is cut short, which the client sees as
/// an error, never as a shorter answer that looks whole; the server says so in its log.
#[test]
fn a_long_answer_streams_and_one_past_the_limit_is_cut_not_shortened() {
    let brikg = Brikg::new();
    // Every quad of the store eight times: 24,248 rows, about 3.5 MB of TSV.
    let query =
        "SELECT ?g ?s ?p ?o ?n WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?n { 1 2 3 4 5 6 7 8 } }";
    let server = Server::start(&brikg, &[], &[]);
    let local = brikg
        .run(&["query", "--format", "tsv", "-q", "--sparql", query])
        .ok()
        .stdout;
    assert_eq!(local.lines().count(), 1 + 8 * 3044);
    let mut r = agent()
        .post(server.url("/sparql"))
        .header("Accept", "text/tab-separated-values")
        .send_form([("query", query)])
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("content-length").is_none());
    assert_eq!(r.headers().get("transfer-encoding").unwrap(), "chunked");
    let served = r
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .unwrap();
    assert!(
        served == local,
        "the streamed answer differs from brikg query's"
    );
    drop(server);

    let server = Server::start(&brikg, &["--max-result-bytes", "1000000"], &[]);
    let mut r = agent()
        .post(server.url("/sparql"))
        .header("Accept", "text/tab-separated-values")
        .send_form([("query", query)])
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let read = r
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string();
    assert!(read.is_err(), "a cut answer read as whole");
    let log = server.log_once("cut short");
    assert!(
        log.contains("\nquery: the answer was cut short: the result is larger than this server's limit of 1000000 bytes; add a LIMIT or a parameter"),
        "{log}"
    );
}

/// A client that stops reading a streamed answer is given up at the time-out, so it cannot keep
/// a query's turn: with one turn and no queue, the next question is answered once it is.
#[test]
fn a_client_that_stops_reading_is_given_up_at_the_time_out() {
    use std::io::{Read, Write};
    let brikg = Brikg::new();
    let server = Server::start(
        &brikg,
        &["--timeout", "2", "--max-concurrent", "1", "--queue", "0"],
        &[],
    );
    // Every quad 64 times: about 28 MB, more than the sockets and the server's queue hold.
    let values: String = (1..=64).map(|n| format!(" {n}")).collect();
    let query = format!(
        "SELECT ?g ?s ?p ?o ?n WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?n {{{values} }} }}"
    );
    let body = format!("query={}", encode(&query));
    let address = server.url("").trim_start_matches("http://").to_owned();
    let mut slow = std::net::TcpStream::connect(address.trim_end_matches('/')).unwrap();
    write!(
        slow,
        "POST /sparql HTTP/1.1\r\nHost: {address}\r\nAccept: text/tab-separated-values\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut head = [0u8; 12];
    slow.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    // Read no more, and keep the connection open.
    let log = server.log_once("cut short");
    assert!(
        log.contains("\nquery: the answer was cut short: cannot write the output: the client read too slowly: the answer was not taken within the time-out"),
        "{log}"
    );
    let ask = format!(
        "{}?query={}",
        server.url("/sparql"),
        encode("ASK { GRAPH ?g { ?s ?p ?o } }")
    );
    // Answered as soon as the turn is given back (503 "busy" until then).
    let mut answer = get(&ask, "application/sparql-results+json");
    for _ in 0..100 {
        if answer.0 != 503 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        answer = get(&ask, "application/sparql-results+json");
    }
    assert_eq!(
        (answer.0, answer.2.as_str()),
        (200, "{\"head\":{},\"boolean\":true}\n")
    );
    drop(slow);
}
