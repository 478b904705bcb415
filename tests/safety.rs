//! The graph is checked by the SHACL shapes (ours and pySHACL agree), queries cannot change it by
//! accident or run forever, and a build killed at any moment leaves the old store or the new one,
//! never a mix.

mod common;
use common::{fictional_article, repo, to_run, Brikg};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn validate_reports_conformance() {
    let brikg = Brikg::new();
    let out = brikg.run(&["validate", "-q"]).ok();
    assert_eq!(out.stdout, "conforms: 3006 triples in 4 graphs checked\n");
}

/// Violations planted by hand (SPARQL updates) are each reported, by us and by pySHACL alike.
#[test]
fn validate_reports_each_planted_violation_as_pyshacl_does() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let plant = "PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX schema: <http://schema.org/>
        PREFIX brikg: <https://w3id.org/brikg/ontology#>
        DELETE { GRAPH ?g { ?article dcterms:title ?t } } WHERE { GRAPH ?g { ?article a brikg:Article ; dcterms:title ?t } } ;
        DELETE { GRAPH ?g { ?o schema:value ?v } } INSERT { GRAPH ?g { ?o schema:value \"many\" } }
          WHERE { GRAPH ?g { ?o dcterms:identifier \"cr-express-cities\" ; schema:value ?v } } ;
        INSERT { GRAPH ?g { ?c brikg:iso3166Alpha2 \"itA\" } } WHERE { GRAPH ?g { ?c brikg:iso3166Alpha2 \"IT\" } }";
    brikg
        .run(&["query", "--update", "--sparql", plant, "-q"])
        .ok();
    let report = brikg.dir.path().join("report.ttl");
    let out = brikg.run(&["validate", "--report", report.to_str().unwrap(), "-q"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, "brikg: 4 violations of the SHACL shapes\n");
    let mut focus: Vec<(&str, &str)> = out
        .stdout
        .lines()
        .skip(2)
        .map(|l| {
            let cols: Vec<&str> = l
                .split("  ")
                .filter(|c| !c.trim().is_empty())
                .map(str::trim)
                .collect();
            (cols[1], cols[2])
        })
        .collect();
    focus.sort();
    assert_eq!(
        focus,
        [
            ("https://w3id.org/brikg/id/article/bri-practical-measure-2024", "dcterms:title"),
            ("https://w3id.org/brikg/id/article/bri-practical-measure-2024/observation/cr-express-cities", "schema:value"),
            ("https://w3id.org/brikg/id/country/IT", "brikg:iso3166Alpha2"),
            ("https://w3id.org/brikg/id/country/IT", "brikg:iso3166Alpha2"),
        ]
    );
    // The report is a standard sh:ValidationReport with one result per violation.
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("sh:conforms false"));
    assert_eq!(text.matches("a sh:ValidationResult").count(), 4);

    // pySHACL over the exported graph with the same shapes finds the same focus nodes.
    let data = brikg.dir.path().join("graph.ttl");
    brikg
        .run(&["export", "-o", data.to_str().unwrap(), "-q"])
        .ok();
    let py = Command::new(repo().join(".venv/bin/python"))
        .arg("-c")
        .arg(
            "import sys, pyshacl, rdflib\n\
             ok, g, _ = pyshacl.validate(sys.argv[1], shacl_graph=sys.argv[2], data_graph_format='turtle', shacl_graph_format='turtle')\n\
             SH = rdflib.Namespace('http://www.w3.org/ns/shacl#')\n\
             rows = sorted((str(g.value(r, SH.focusNode)), g.value(r, SH.resultPath).n3(g.namespace_manager)) for r in g.subjects(rdflib.RDF.type, SH.ValidationResult))\n\
             print(ok); [print(f, p) for f, p in rows]",
        )
        .arg(&data)
        .arg(repo().join("ontology/shapes.ttl"))
        .output()
        .expect("pyshacl in .venv (run scripts/install-deps)");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let pyshacl = String::from_utf8(py.stdout).unwrap();
    let ours: String = std::iter::once("False\n".to_owned())
        .chain(focus.iter().map(|(f, p)| format!("{f} {p}\n")))
        .collect();
    assert_eq!(pyshacl, ours);
}

#[test]
fn an_update_is_refused_without_update() {
    let brikg = Brikg::new();
    let out = brikg.run(&["query", "--sparql", "CLEAR ALL", "-q"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: query: this is a SPARQL update; brikg query only reads the store (add --update to change the embedded store; the next brikg build replaces changed article graphs only)\n"
    );
    let out = brikg
        .run(&["query", "standards-coverage", "--format", "csv", "-q"])
        .ok();
    assert_eq!(out.stdout.lines().count(), 2);
}

#[test]
fn a_query_past_its_timeout_is_cancelled() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let started = Instant::now();
    let out = brikg.run(&[
        "query",
        "--timeout",
        "0.5",
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . ?h ?i ?j } }",
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: query: the query ran longer than --timeout 0.5 s and was cancelled\n"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// A data directory with the seed article and `n` copies of the fictional one, each with its
/// own id and `value` for its document count.
fn corpus(brikg: &Brikg, name: &str, n: usize, value: u32) -> String {
    let text = fictional_article();
    let copies: Vec<(String, String)> = (0..n)
        .map(|i| {
            let article = text
                .replacen(
                    "id = \"fictional-test-article\"",
                    &format!("id = \"fictional-{i:04}\""),
                    1,
                )
                .replacen("value = 3\n", &format!("value = {value}\n"), 1);
            (format!("fictional-{i:04}.toml"), article)
        })
        .collect();
    let refs: Vec<(&str, &str)> = copies
        .iter()
        .map(|(f, t)| (f.as_str(), t.as_str()))
        .collect();
    brikg.data_dir(name, &refs).to_str().unwrap().to_owned()
}

/// How many articles the store has and the sum of their document counts: the state of a build.
fn state(brikg: &Brikg) -> String {
    let mut answers = String::new();
    for query in [
        "PREFIX brikg: <https://w3id.org/brikg/ontology#> SELECT (COUNT(DISTINCT ?a) AS ?articles) WHERE { GRAPH ?g { ?a a brikg:Article } }",
        "PREFIX schema: <http://schema.org/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
         SELECT (SUM(?v) AS ?documents) WHERE { GRAPH ?g { ?o schema:variableMeasured ?m ; schema:value ?v . ?m skos:notation \"documents-signed\" } }",
    ] {
        let out = brikg.run(&["query", "--sparql", query, "--format", "csv", "-q"]);
        assert_eq!(out.code, 0, "the store does not answer after a kill: {}", out.stderr);
        answers.push_str(&out.stdout);
    }
    answers
}

/// Kills builds with SIGKILL at many moments; after each, the store must open and hold exactly
/// the old state or exactly the new one. (The builds switch one store between two data
/// directories, hence `--replace`.)
fn kill_at_many_moments(brikg: &Brikg, old_data: &str, new_data: &str) {
    brikg
        .run(&["build", "--data", old_data, "--replace", "-q"])
        .ok();
    let old = state(brikg);
    let finished = Brikg::new();
    finished
        .run(&["build", "--data", new_data, "--replace", "-q"])
        .ok();
    let new = state(&finished);
    assert_ne!(old, new);
    let mut seen_old = 0;
    let mut seen_new = 0;
    for delay_ms in [
        0u64, 10, 25, 50, 100, 200, 300, 450, 600, 800, 1000, 1300, 1700, 2500,
    ] {
        // Start each round from the old state.
        if state(brikg) != old {
            brikg
                .run(&["build", "--data", old_data, "--replace", "-q"])
                .ok();
        }
        let mut child = brikg
            .command(&["build", "--data", new_data, "--replace", "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = state(brikg);
        assert!(
            now == old || now == new,
            "after a kill at {delay_ms} ms the store holds a mix:\n{now}"
        );
        if now == old {
            seen_old += 1;
        } else {
            seen_new += 1;
        }
        // And the store still builds.
        let out = to_run(
            brikg
                .command(&["build", "--data", new_data, "--replace", "-q"])
                .output()
                .unwrap(),
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(state(brikg), new);
        brikg
            .run(&["build", "--data", old_data, "--replace", "-q"])
            .ok();
    }
    eprintln!("kills: {seen_old} left the old store, {seen_new} the new one");
}

#[test]
fn a_killed_full_build_leaves_the_old_store_or_the_new_one() {
    let brikg = Brikg::new();
    let old = brikg.data_dir("old", &[]).to_str().unwrap().to_owned();
    let new = corpus(&brikg, "new", 300, 3);
    kill_at_many_moments(&brikg, &old, &new);
}

#[test]
fn a_killed_incremental_build_leaves_the_old_store_or_the_new_one() {
    let brikg = Brikg::new();
    let old = corpus(&brikg, "old", 300, 3);
    // The same corpus with one article changed: an incremental build.
    let new = corpus(&brikg, "new", 300, 3);
    let changed = std::path::Path::new(&new).join("articles/fictional-0007.toml");
    let text = std::fs::read_to_string(&changed)
        .unwrap()
        .replacen("value = 3\n", "value = 9\n", 1);
    std::fs::write(&changed, text).unwrap();
    kill_at_many_moments(&brikg, &old, &new);
}
