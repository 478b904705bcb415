//! Hostile input: what once aborted brikg (a stack overflow takes the whole process, and with a
//! server every client on it) is refused with one clear message, and the server keeps
//! answering. A 20 KB query of 10,000 nested `{ }`, the same as an update, the same through
//! `brikg query`, and an HTML page nested 100,000 elements deep for `brikg draft`.

mod common;
mod server;

use common::Brikg;
use server::{agent, encode, read, Server};

/// `depth` nested groups around one triple pattern: 10,000 is 20 KB.
fn nested_query(depth: usize) -> String {
    format!(
        "SELECT * WHERE {} ?s ?p ?o {}",
        "{".repeat(depth),
        "}".repeat(depth)
    )
}

/// The message for a text whose bracket past the limit is at `column` of line 1.
fn too_deep(name: &str, column: usize) -> String {
    format!("{name}: line 1, column {column}: nested deeper than 100 levels of {{ }}, ( ) or [ ], more than brikg accepts (its parser would run out of stack)")
}

/// The server is still there: a query gets its answer.
fn still_answers(server: &Server) {
    let url = format!(
        "{}?query={}",
        server.url("/sparql"),
        encode("SELECT (1 + 1 AS ?two) WHERE {}")
    );
    let r = agent()
        .get(&url)
        .header("Accept", "text/csv")
        .call()
        .unwrap();
    assert_eq!(
        read(r),
        (200, "text/csv; charset=utf-8".into(), "two\r\n2\r\n".into())
    );
}

#[test]
fn a_query_nested_ten_thousand_deep_is_a_400_and_the_server_keeps_answering() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    let query = nested_query(10_000);
    assert_eq!(query.len(), 20_025);
    // "SELECT * WHERE " is 15 characters: the 101st `{` is at column 116.
    let expected = (
        400,
        "text/plain; charset=utf-8".to_owned(),
        format!("{}\n", too_deep("query", 116)),
    );
    let r = agent()
        .post(server.url("/sparql"))
        .send_form([("query", query.as_str())])
        .unwrap();
    assert_eq!(read(r), expected);
    let r = agent()
        .post(server.url("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .send(query.as_str())
        .unwrap();
    assert_eq!(read(r), expected);
    let url = format!("{}?query={}", server.url("/sparql"), encode(&query));
    assert_eq!(read(agent().get(&url).call().unwrap()), expected);
    still_answers(&server);
    // A flat chain builds as deep a tree: 20,000 terms (80 KB) aborted the server too. The
    // 4,000th `+` (column 9 + 4 × 3,999 + 2) is the 4,001st operator or bracket.
    let sum = format!(
        "SELECT ({} AS ?x) WHERE {{}}",
        vec!["1"; 20_000].join(" + ")
    );
    let r = agent()
        .post(server.url("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .send(sum.as_str())
        .unwrap();
    assert_eq!(
        read(r),
        (
            400,
            "text/plain; charset=utf-8".into(),
            "query: line 1, column 16007: more than 4000 operators, UNION, OPTIONAL, MINUS and brackets in one query, more than brikg accepts (its parser would run out of stack)\n".into()
        )
    );
    still_answers(&server);
    // At the limit a query runs.
    let url = format!(
        "{}?query={}",
        server.url("/sparql"),
        encode(&nested_query(99))
    );
    let r = agent()
        .get(&url)
        .header("Accept", "text/csv")
        .call()
        .unwrap();
    assert_eq!(
        read(r),
        (200, "text/csv; charset=utf-8".into(), "o,p,s\r\n".into())
    );
    still_answers(&server);
}

#[test]
fn an_update_nested_ten_thousand_deep_is_a_400_and_the_server_keeps_answering() {
    let brikg = Brikg::new();
    let token = "a-long-enough-test-token";
    let server = Server::start(&brikg, &["--update"], &[("BRIKG_TOKEN", token)]);
    let update = format!(
        "INSERT DATA {{ <https://example.org/s> <https://example.org/p> {}1{} }}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    // The `{` at column 13 is level 1; the `(`s start at column 63, so the 100th, at column
    // 162, opens level 101.
    let expected = (
        400,
        "text/plain; charset=utf-8".to_owned(),
        format!("{}\n", too_deep("update", 162)),
    );
    let r = agent()
        .post(server.url("/update"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/sparql-update")
        .send(update.as_str())
        .unwrap();
    assert_eq!(read(r), expected);
    let r = agent()
        .post(server.url("/update"))
        .header("Authorization", format!("Bearer {token}"))
        .send_form([("update", update.as_str())])
        .unwrap();
    assert_eq!(read(r), expected);
    still_answers(&server);
}

#[test]
fn brikg_query_refuses_a_query_or_update_nested_too_deep_in_one_line() {
    let brikg = Brikg::new();
    let query = nested_query(10_000);
    let run = brikg.run(&["query", "--sparql", &query]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, format!("brikg: {}\n", too_deep("query", 116)));
    assert_eq!(run.stdout, "");

    let file = brikg.dir.path().join("deep.rq");
    std::fs::write(&file, &query).unwrap();
    let run = brikg.run(&["query", "--file", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!("brikg: {}\n", too_deep(file.to_str().unwrap(), 116))
    );

    let update = format!(
        "INSERT DATA {{ <https://example.org/s> <https://example.org/p> {}1{} }}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let run = brikg.run(&["query", "--update", "--sparql", &update]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, format!("brikg: {}\n", too_deep("query", 162)));
}

#[test]
fn brikg_draft_refuses_a_page_nested_too_deep_naming_the_file_and_the_limit() {
    let brikg = Brikg::new();
    let page = |depth: usize| {
        format!(
            "<html><body><h1>Deep</h1>{}<p>Text.</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        )
    };
    let file = brikg.dir.path().join("page.html");
    std::fs::write(&file, page(100_000)).unwrap();
    let run = brikg.run(&["draft", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "brikg: {}: HTML elements nested more than 1000 deep; brikg reads pages nested at most 1000 deep\n",
            file.display()
        )
    );
    assert_eq!(run.stdout, "");
    // 990 levels of <div> in <html><body>: read as usual.
    std::fs::write(&file, page(990)).unwrap();
    let run = brikg.run(&["draft", file.to_str().unwrap()]).ok();
    assert!(run.stdout.contains("title = \"Deep\""), "{}", run.stdout);
}
