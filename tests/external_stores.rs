//! brikg against real external triple stores started on 127.0.0.1: Virtuoso Open Source 7
//! (`scripts/virtuoso`) and the Oxigraph server (`.venv/bin/oxigraph`, from PyPI), both installed
//! by `scripts/install-deps`. Every bundled query must give the same rows there as in our
//! embedded store; pushes that fail must say so in one line and leave the remote graph whole.

mod common;
use common::{repo, to_run, Brikg, Run};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ARTICLE_GRAPH: &str = "https://w3id.org/brikg/id/graph/article/bri-practical-measure-2024";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A throwaway Virtuoso, stopped when dropped.
struct Virtuoso {
    dir: tempfile::TempDir,
    gsp: String,
    sparql: String,
}

impl Virtuoso {
    fn start() -> Self {
        Self::start_with(&[])
    }

    /// An instance started with these environment variables (`VIRTUOSO_RESULT_SET_MAX_ROWS`).
    fn start_with(env: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(repo().join("scripts/virtuoso"))
            .envs(env.iter().copied())
            .arg("start")
            .arg(dir.path())
            .arg(free_port().to_string())
            .arg(free_port().to_string())
            .output()
            .expect("scripts/virtuoso (run scripts/install-deps)");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "virtuoso did not start: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let field = |name: &str| {
            stdout
                .split_whitespace()
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("no {name} in {stdout}"))
                .to_owned()
        };
        Virtuoso {
            gsp: field("GSP"),
            sparql: field("SPARQL"),
            dir,
        }
    }

    fn isql(&self, sql: &str) -> String {
        let out = Command::new(repo().join("scripts/virtuoso"))
            .arg("isql")
            .arg(self.dir.path())
            .arg(sql)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "isql: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = Command::new(repo().join("scripts/virtuoso"))
            .arg("stop")
            .arg(self.dir.path())
            .output();
    }
}

/// An Oxigraph server on a store directory, killed when dropped.
struct OxigraphServer {
    child: Child,
    base: String,
}

fn oxigraph() -> PathBuf {
    repo().join(".venv/bin/oxigraph")
}

impl OxigraphServer {
    fn start(location: &std::path::Path) -> Self {
        let port = free_port();
        let child = Command::new(oxigraph())
            .args(["serve", "--location"])
            .arg(location)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(".venv/bin/oxigraph (run scripts/install-deps)");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the oxigraph server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        OxigraphServer { child, base }
    }
}

impl Drop for OxigraphServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server answering every request with one status, killed when dropped.
struct StatusServer {
    child: Child,
    url: String,
}

impl StatusServer {
    fn start(status: u16) -> Self {
        let port = free_port();
        let child = Command::new("python3")
            .arg(repo().join("tests/engines/status_server.py"))
            .args([port.to_string(), status.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the status server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        StatusServer {
            child,
            url: format!("http://127.0.0.1:{port}/store"),
        }
    }

    /// Stops the server and returns the requests it received.
    fn requests(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let out = std::mem::replace(&mut self.child, Command::new("true").spawn().unwrap());
        let out = out.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for StatusServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run_with_password(brikg: &Brikg, password: &str, args: &[&str]) -> Run {
    to_run(
        brikg
            .command(args)
            .env("BRIKG_PASSWORD", password)
            .output()
            .unwrap(),
    )
}

/// Every bundled query, run at `endpoint`, gives our store's rows (after `known_deviation`);
/// each gives rows here, but the cross-article questions on data with one article per thing.
fn same_rows_everywhere(brikg: &Brikg, endpoint: &str, known_deviation: impl Fn(String) -> String) {
    let data = brikg
        .run(&["query", "articles", "--format", "tsv", "-q"])
        .ok()
        .stdout;
    // The follow-up data (two articles about one port) has figures sources disagree on.
    let follow_ups = data.contains("nkalora-port-2026");
    let mut differing = Vec::new();
    for q in brikg::queries::QUERIES {
        let ours = brikg
            .run(&["query", q.name, "--format", "tsv", "-q"])
            .ok()
            .stdout;
        let theirs = brikg
            .run(&["query", q.name, "--format", "tsv", "--endpoint", endpoint])
            .ok()
            .stdout;
        if q.name != "disagreements" || follow_ups {
            assert!(ours.lines().count() > 1, "{} gives no rows here", q.name);
        }
        if known_deviation(ours.clone()) != theirs {
            differing.push(format!("== {}\nours:\n{ours}theirs:\n{theirs}", q.name));
        }
    }
    assert!(
        differing.is_empty(),
        "queries answer differently at {endpoint}:\n{}",
        differing.join("\n")
    );
}

fn remote_count(brikg: &Brikg, endpoint: &str, graph: &str) -> String {
    let query = format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}");
    let out = brikg
        .run(&[
            "query",
            "--sparql",
            &query,
            "--endpoint",
            endpoint,
            "--format",
            "csv",
        ])
        .ok();
    out.stdout.lines().nth(1).unwrap().to_owned()
}

/// Virtuoso 7.2.5 keeps an `xsd:duration` as a number of months: "P10Y" comes back as "120".
/// Documented in the README; everything else must match exactly.
fn virtuoso_duration(rows: String) -> String {
    let mut out = rows;
    for n in 1..=24 {
        for (unit, months) in [("Y", 12), ("M", 1)] {
            out = out.replace(
                &format!("\"P{n}{unit}\"^^<http://www.w3.org/2001/XMLSchema#duration>"),
                &format!(
                    "\"{}\"^^<http://www.w3.org/2001/XMLSchema#duration>",
                    n * months
                ),
            );
        }
    }
    out
}

#[test]
fn declared_kinds_units_and_event_types_answer_the_same_in_virtuoso_and_the_oxigraph_server() {
    let brikg = Brikg::new();
    // With the follow-ups, the cross-article questions (history, disagreements) have rows.
    let data = brikg.follow_up_dir("data");
    brikg
        .run(&["build", "--data", data.to_str().unwrap(), "-q"])
        .ok();
    let virtuoso = Virtuoso::start();
    run_with_password(
        &brikg,
        "dba",
        &[
            "push",
            "-q",
            "--endpoint",
            &virtuoso.gsp,
            "--query-endpoint",
            &virtuoso.sparql,
            "--user",
            "dba",
        ],
    )
    .ok();
    same_rows_everywhere(&brikg, &virtuoso.sparql, virtuoso_duration);
    drop(virtuoso);

    let location = tempfile::tempdir().unwrap();
    let server = OxigraphServer::start(location.path());
    let store = format!("{}/store", server.base);
    let query = format!("{}/query", server.base);
    brikg
        .run(&[
            "push",
            "-q",
            "--endpoint",
            &store,
            "--query-endpoint",
            &query,
        ])
        .ok();
    same_rows_everywhere(&brikg, &query, |rows| rows);
}

#[test]
fn push_to_virtuoso_then_every_bundled_query_answers_the_same_there() {
    let virtuoso = Virtuoso::start();
    let brikg = Brikg::new();
    let out = run_with_password(
        &brikg,
        "dba",
        &[
            "push",
            "--endpoint",
            &virtuoso.gsp,
            "--query-endpoint",
            &virtuoso.sparql,
            "--user",
            "dba",
        ],
    )
    .ok();
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "brikg: built a new store at {} (3006 quads in 4 graphs)",
            brikg.store().display()
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        lines[1..].to_vec(),
        [
            format!("brikg: pushed <{ARTICLE_GRAPH}>: 325 triples, HTTP 201, remote count 325"),
            "brikg: pushed <https://w3id.org/brikg/id/graph/ontology>: 542 triples, HTTP 201, remote count 542".to_owned(),
            "brikg: pushed <https://w3id.org/brikg/id/graph/reference>: 2077 triples, HTTP 201, remote count 2077".to_owned(),
            "brikg: pushed <https://w3id.org/brikg/id/graph/things>: 62 triples, HTTP 201, remote count 62".to_owned(),
            "brikg: pushed <https://w3id.org/brikg/id/graph/void>: 341 triples, HTTP 201, remote count 341".to_owned(),
            format!("brikg: pushed 5 graphs, 3347 triples, to {}", virtuoso.gsp),
        ]
    );
    same_rows_everywhere(&brikg, &virtuoso.sparql, virtuoso_duration);

    // A second push replaces: same counts, HTTP 200.
    let out = run_with_password(
        &brikg,
        "dba",
        &[
            "push",
            "--endpoint",
            &virtuoso.gsp,
            "--query-endpoint",
            &virtuoso.sparql,
            "--user",
            "dba",
            "--graph",
            ARTICLE_GRAPH,
        ],
    )
    .ok();
    assert!(
        out.stderr
            .contains("325 triples, HTTP 200, remote count 325"),
        "{}",
        out.stderr
    );
}

#[test]
fn push_to_virtuoso_with_a_wrong_password_fails_and_leaves_the_graph_whole() {
    let virtuoso = Virtuoso::start();
    let brikg = Brikg::new();
    let args = [
        "push",
        "--endpoint",
        &virtuoso.gsp,
        "--query-endpoint",
        &virtuoso.sparql,
        "--user",
        "dba",
        "--graph",
        ARTICLE_GRAPH,
    ];
    run_with_password(&brikg, "dba", &args).ok();
    let before = remote_count(&brikg, &virtuoso.sparql, ARTICLE_GRAPH);
    assert_eq!(before, "325");

    let out = run_with_password(&brikg, "wrong", &args);
    assert_eq!(out.code, 1);
    let url = format!("{}?graph=https%3A%2F%2Fw3id.org%2Fbrikg%2Fid%2Fgraph%2Farticle%2Fbri-practical-measure-2024", virtuoso.gsp);
    assert_eq!(
        out.stderr,
        format!("brikg: PUT {url}: 401 Unauthorized: the store refused these credentials\n")
    );

    let mut no_user = brikg.command(&[
        "push",
        "--endpoint",
        &virtuoso.gsp,
        "--graph",
        ARTICLE_GRAPH,
    ]);
    no_user.env_remove("BRIKG_PASSWORD");
    let out = to_run(no_user.output().unwrap());
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!("brikg: PUT {url}: 401 Unauthorized: the store wants a user; give --user NAME and the password in BRIKG_PASSWORD\n")
    );
    assert_eq!(
        remote_count(&brikg, &virtuoso.sparql, ARTICLE_GRAPH),
        before
    );
    virtuoso.isql("checkpoint;");
}

#[test]
fn push_to_the_oxigraph_server_then_every_bundled_query_answers_the_same_there() {
    let location = tempfile::tempdir().unwrap();
    let server = OxigraphServer::start(location.path());
    let brikg = Brikg::new();
    let store = format!("{}/store", server.base);
    let query = format!("{}/query", server.base);
    let out = brikg
        .run(&["push", "--endpoint", &store, "--query-endpoint", &query])
        .ok();
    assert!(
        out.stderr.contains(&format!(
            "brikg: pushed <{ARTICLE_GRAPH}>: 325 triples, HTTP 201, remote count 325\n"
        )),
        "{}",
        out.stderr
    );
    same_rows_everywhere(&brikg, &query, |rows| rows);

    // A parameter is substituted into the query the server runs: the same one row there.
    let args = [
        "query",
        "standards-countries",
        "--param",
        "country=Italy",
        "--format",
        "tsv",
    ];
    let local = brikg.run(&args).ok().stdout;
    let remote = brikg
        .run(&[&args[..], &["--endpoint", &query]].concat())
        .ok()
        .stdout;
    assert_eq!(remote, local);
    assert_eq!(remote.lines().count(), 2, "{remote}");

    // --merge adds (POST); the count check accepts a graph that holds more than ours.
    let out = brikg
        .run(&[
            "push",
            "--endpoint",
            &store,
            "--query-endpoint",
            &query,
            "--merge",
            "--graph",
            ARTICLE_GRAPH,
        ])
        .ok();
    assert!(
        out.stderr
            .contains("325 triples, HTTP 204, remote count 325"),
        "{}",
        out.stderr
    );
}

#[test]
fn push_to_a_store_that_is_down_fails_in_one_line() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let port = free_port();
    let endpoint = format!("http://127.0.0.1:{port}/store");
    let out = brikg.run(&[
        "push",
        "--endpoint",
        &endpoint,
        "--graph",
        ARTICLE_GRAPH,
        "--retries",
        "1",
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    let expected = format!(
        "brikg: PUT {endpoint}?graph=https%3A%2F%2Fw3id.org%2Fbrikg%2Fid%2Fgraph%2Farticle%2Fbri-practical-measure-2024: "
    );
    assert!(out.stderr.starts_with(&expected), "{}", out.stderr);
    assert!(
        out.stderr.ends_with("(after 2 attempts)\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.to_lowercase().contains("connection refused"),
        "{}",
        out.stderr
    );
}

#[test]
fn push_to_a_store_answering_500_retries_then_fails_in_one_line() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let server = StatusServer::start(500);
    let out = brikg.run(&[
        "push",
        "--endpoint",
        &server.url,
        "--graph",
        ARTICLE_GRAPH,
        "--retries",
        "2",
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: PUT {}?graph=https%3A%2F%2Fw3id.org%2Fbrikg%2Fid%2Fgraph%2Farticle%2Fbri-practical-measure-2024: \
             500 simulated failure (after 3 attempts)\n",
            server.url
        )
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert!(
        requests.iter().all(|r| r.starts_with("PUT /store?graph=")),
        "{requests:?}"
    );
}

#[test]
fn a_4xx_answer_is_not_retried() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let server = StatusServer::start(400);
    let out = brikg.run(&["push", "--endpoint", &server.url, "--graph", ARTICLE_GRAPH]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.ends_with(": 400 simulated failure\n"),
        "{}",
        out.stderr
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_dry_run_says_what_would_be_sent_and_sends_nothing() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let server = StatusServer::start(500);
    let out = brikg
        .run(&["push", "--endpoint", &server.url, "--dry-run"])
        .ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", out.stdout);
    assert!(
        lines[0].starts_with(&format!(
            "PUT {}?graph=https%3A%2F%2Fw3id.org%2Fbrikg%2Fid%2Fgraph%2Farticle%2Fbri-practical-measure-2024 (325 triples, ",
            server.url
        )),
        "{}",
        lines[0]
    );
    assert!(server.requests().is_empty());
}

/// The README's Virtuoso bulk-load recipe: `brikg export --split --gzip`, then ld_dir and
/// rdf_loader_run through `scripts/virtuoso bulk-load`; every graph arrives whole.
#[test]
fn split_gzip_files_bulk_load_into_virtuoso() {
    let virtuoso = Virtuoso::start();
    let brikg = Brikg::new();
    let dir = brikg.dir.path().join("split");
    brikg
        .run(&["export", "--split", dir.to_str().unwrap(), "--gzip", "-q"])
        .ok();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let out = Command::new(repo().join("scripts/virtuoso"))
        .arg("bulk-load")
        .arg(virtuoso.dir.path())
        .arg(&dir)
        .arg("*.nq.gz")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bulk load: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    for f in files {
        let graph = f["graph"].as_str().unwrap();
        assert_eq!(
            remote_count(&brikg, &virtuoso.sparql, graph),
            f["triples"].to_string(),
            "{graph}"
        );
    }
    same_rows_everywhere(&brikg, &virtuoso.sparql, virtuoso_duration);
}

/// The README's Oxigraph recipe: `oxigraph load` of the N-Quads export, then `oxigraph serve`.
#[test]
fn the_nquads_export_bulk_loads_into_oxigraph() {
    let brikg = Brikg::new();
    let file = brikg.dir.path().join("graph.nq");
    brikg
        .run(&["export", "-o", file.to_str().unwrap(), "-q"])
        .ok();
    let location = tempfile::tempdir().unwrap();
    let out = Command::new(oxigraph())
        .args(["load", "--location"])
        .arg(location.path())
        .arg("--file")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "oxigraph load: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = OxigraphServer::start(location.path());
    let query = format!("{}/query", server.base);
    assert_eq!(remote_count(&brikg, &query, ARTICLE_GRAPH), "325");
    same_rows_everywhere(&brikg, &query, |rows| rows);
}

/// A whole export is the store's own order, read on several threads and put back together: it
/// is exactly Oxigraph's own dump of the same store, less brikg's bookkeeping graph, plus the
/// description graph at the end.
#[test]
fn the_nquads_export_is_oxigraphs_own_dump_order_less_the_build_state_plus_the_description() {
    let brikg = Brikg::new();
    let data = brikg.data_dir("data", &[("fictional.toml", &common::fictional_article())]);
    brikg
        .run(&["build", "--data", data.to_str().unwrap(), "-q"])
        .ok();
    let ours = brikg.dir.path().join("export.nq");
    brikg
        .run(&[
            "export",
            "--format",
            "nquads",
            "-o",
            ours.to_str().unwrap(),
            "-q",
        ])
        .ok();
    let theirs = brikg.dir.path().join("dump.nq");
    let out = Command::new(oxigraph())
        .args(["dump", "--format", "nq", "--location"])
        .arg(brikg.store())
        .arg("--file")
        .arg(&theirs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "oxigraph dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ours = std::fs::read_to_string(ours).unwrap();
    let theirs = std::fs::read_to_string(theirs).unwrap();
    let void = "<https://w3id.org/brikg/id/graph/void> .";
    let build = "<https://w3id.org/brikg/id/graph/build> .";
    let data_lines: Vec<&str> = ours.lines().filter(|l| !l.ends_with(void)).collect();
    let dump_lines: Vec<&str> = theirs.lines().filter(|l| !l.ends_with(build)).collect();
    assert_eq!(data_lines.len(), 3119);
    assert!(
        data_lines == dump_lines,
        "the export's order is not the store's"
    );
    let description = &ours.lines().collect::<Vec<_>>()[3119..];
    assert!(description.iter().all(|l| l.ends_with(void)));
    // The fingerprint and source kind, the data directory and its stamp, four records for
    // each of the two files, one for the things graph and 33 name keys of things.
    assert_eq!(theirs.lines().filter(|l| l.ends_with(build)).count(), 46);
}

#[test]
fn a_query_virtuoso_stops_at_its_time_limit_is_reported_once_with_the_setting_to_change() {
    let virtuoso = Virtuoso::start_with(&[("VIRTUOSO_MAX_QUERY_EXECUTION_TIME", "1")]);
    let brikg = Brikg::new();
    // Every three triples of Virtuoso's own graphs: billions of combinations, far past a second.
    let slow = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER (STR(?c) = STR(?f) && STR(?f) = STR(?i)) }";
    let out = brikg.run(&["query", "--endpoint", &virtuoso.sparql, "--sparql", slow]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    // One attempt: the message does not end "(after 3 attempts)" as a server error does.
    assert_eq!(
        out.stderr,
        format!(
            "brikg: query: POST {}: the query ran out of time (Virtuoso S1T00 Error SR171: Transaction timed out): raise MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini, or ask for less with a parameter\n",
            virtuoso.sparql
        )
    );
}

#[test]
fn an_answer_virtuoso_cut_at_its_row_cap_is_refused_with_the_setting_to_change() {
    let virtuoso = Virtuoso::start_with(&[("VIRTUOSO_RESULT_SET_MAX_ROWS", "1000")]);
    let brikg = Brikg::new();
    // Virtuoso's own graphs hold more than 1,000 triples.
    let all = "SELECT * WHERE { ?s ?p ?o }";
    let out = brikg.run(&["query", "--endpoint", &virtuoso.sparql, "--sparql", all]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        format!(
            "brikg: query: {}: the answer was cut at 1000 rows (Virtuoso's ResultSetMaxRows): raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini, or ask for fewer rows with LIMIT and OFFSET\n",
            virtuoso.sparql
        )
    );
    let few = "SELECT * WHERE { ?s ?p ?o } LIMIT 10";
    let out = brikg
        .run(&[
            "query",
            "--endpoint",
            &virtuoso.sparql,
            "--sparql",
            few,
            "--format",
            "tsv",
        ])
        .ok();
    assert_eq!(out.stdout.lines().count(), 11, "{}", out.stdout);
}
