//! What each command counts, and what the export formats write, checked as a user meets them:
//! the build, `describe`, the SPARQL endpoint of `brikg serve` and the export agree on the
//! bundled data's quads and graphs, and say which graphs they leave out; JSON-LD is compacted
//! and rdflib reads it back as the N-Quads export; RDF/XML declares the standard prefixes;
//! JSON and XML query results end with a newline, on the command line and from the endpoint.

mod common;
mod server;

use common::{repo, Brikg};
use server::Server;
use std::path::{Path, PathBuf};
use std::process::Command;

const BUILD: &str = "https://w3id.org/brikg/id/graph/build";
const VOID: &str = "https://w3id.org/brikg/id/graph/void";
const ARTICLE: &str = "https://w3id.org/brikg/id/graph/article/bri-practical-measure-2024";

fn python() -> PathBuf {
    std::env::var_os("BRIKG_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"))
}

/// Runs a Python script with rdflib on `files` and returns what it printed.
fn rdflib(script: &str, files: &[&Path]) -> String {
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .expect("the Python of .venv (run scripts/install-deps)");
    assert!(
        out.status.success(),
        "rdflib failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The body of a GET of `/sparql?query=…` accepting `accept`.
fn sparql(server: &Server, query: &str, accept: &str) -> String {
    let query: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    let mut response = ureq::get(&server.url(&format!("/sparql?query={query}")))
        .header("Accept", accept)
        .call()
        .unwrap();
    response.body_mut().read_to_string().unwrap()
}

/// The quads of an N-Quads text in graph `graph`.
fn in_graph<'a>(nquads: &'a str, graph: &str) -> Vec<&'a str> {
    let end = format!(" <{graph}> .");
    nquads.lines().filter(|l| l.ends_with(&end)).collect()
}

#[test]
fn build_describe_the_endpoint_and_the_export_count_the_same_quads_and_graphs() {
    let brikg = Brikg::new();
    let build = brikg.run(&["build"]).ok();
    let (head, tail) = build.stderr.rsplit_once(" (").unwrap();
    assert_eq!(
        head,
        format!(
            "brikg: built {}: 1 file mapped, 3006 quads in 4 graphs",
            brikg.store().display()
        )
    );
    assert!(
        tail.ends_with(&format!("; not counted: the build record <{BUILD}>)\n")),
        "{tail}"
    );

    let describe = brikg.run(&["describe", "--format", "ntriples"]).ok();
    assert_eq!(
        describe.stderr,
        format!(
            "brikg: described 3006 quads in 4 graphs; not counted: the build record <{BUILD}>, and the description itself, which is not stored (exports carry it as <{VOID}>)\n"
        )
    );
    let triples = "<https://w3id.org/brikg/id/dataset> <http://rdfs.org/ns/void#triples> ";
    let subsets = "<https://w3id.org/brikg/id/dataset> <http://rdfs.org/ns/void#subset> ";
    assert!(describe.stdout.contains(&format!(
        "{triples}\"3006\"^^<http://www.w3.org/2001/XMLSchema#integer> ."
    )));
    assert_eq!(describe.stdout.matches(subsets).count(), 4);

    // The endpoint sees the store as it is: the four graphs of the data and the build record,
    // and no description, which only exports carry.
    let server = Server::start(&brikg, &[], &[]);
    let count = |filter: &str| {
        sparql(
            &server,
            &format!(
                "SELECT (COUNT(*) AS ?quads) (COUNT(DISTINCT ?g) AS ?graphs) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {filter} }}"
            ),
            "text/csv",
        )
    };
    assert_eq!(
        count(&format!("FILTER (?g != <{BUILD}>)")),
        "quads,graphs\r\n3006,4\r\n"
    );
    let record = count(&format!("FILTER (?g = <{BUILD}>)"));
    let record: usize = record
        .strip_prefix("quads,graphs\r\n")
        .and_then(|r| r.strip_suffix(",1\r\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{record:?}"));
    assert!(record > 0);
    assert_eq!(
        count(""),
        format!("quads,graphs\r\n{},5\r\n", 3006 + record)
    );
    assert_eq!(
        sparql(
            &server,
            &format!("ASK {{ GRAPH <{VOID}> {{ ?s ?p ?o }} }}"),
            "text/csv"
        ),
        "false"
    );
    drop(server);

    let export = brikg.run(&["export", "--format", "nquads"]).ok();
    assert_eq!(
        export.stderr,
        format!(
            "brikg: exported 3346 quads: 3006 in the store's 4 graphs and 340 in the description <{VOID}>, computed for this export; the build record <{BUILD}> is never exported\n"
        )
    );
    assert_eq!(export.stdout.lines().count(), 3346);
    let description = in_graph(&export.stdout, VOID);
    assert_eq!(description.len(), 340);
    assert_eq!(in_graph(&export.stdout, BUILD).len(), 0);

    // The description the export carries can be exported alone, and is the same quads.
    let void = brikg
        .run(&["export", "--format", "nquads", "--graph", VOID])
        .ok();
    assert_eq!(
        void.stderr,
        format!("brikg: exported 340 quads of <{VOID}>, the description computed from the store\n")
    );
    let mut alone: Vec<&str> = void.stdout.lines().collect();
    let mut carried = description.clone();
    alone.sort_unstable();
    carried.sort_unstable();
    assert_eq!(alone, carried);

    // The build record is not exported, and the refusal says why.
    let refused = brikg.run(&["export", "--graph", BUILD]);
    assert_eq!(refused.code, 1);
    assert_eq!(
        refused.stderr,
        format!(
            "brikg: <{BUILD}> is the build record (which file each article graph came from), which no export holds; the store's other graphs are: \
             {ARTICLE}, https://w3id.org/brikg/id/graph/ontology, https://w3id.org/brikg/id/graph/reference, \
             https://w3id.org/brikg/id/graph/things, and the description {VOID} that exports compute\n"
        )
    );
    assert_eq!(refused.stdout, "");
}

const ROUND_TRIP: &str = r#"
import sys, rdflib
rdflib.NORMALIZE_LITERALS = False
from rdflib.compare import isomorphic

def graphs(path, fmt):
    d = rdflib.Dataset()
    d.parse(path, format=fmt)
    return {str(g.identifier): g for g in d.graphs() if len(g) > 0}

ours = graphs(sys.argv[1], "json-ld")
nquads = graphs(sys.argv[2], "nquads")
print("same graphs" if sorted(ours) == sorted(nquads) else f"graphs differ: {sorted(ours)} {sorted(nquads)}")
for name in sorted(nquads):
    same = name in ours and isomorphic(ours[name], nquads[name])
    print(name, len(ours.get(name, [])), len(nquads[name]), "isomorphic" if same else "different")
one = graphs(sys.argv[3], "json-ld")
print("one graph:", *[f"{n} {len(g)}" for n, g in one.items()])
"#;

#[test]
fn json_ld_is_compacted_and_rdflib_reads_it_as_the_nquads_export() {
    let brikg = Brikg::new();
    let dir = brikg.dir.path();
    let path = |name: &str| dir.join(name);
    for (name, extra) in [
        ("graph.jsonld", &[][..]),
        ("again.jsonld", &[][..]),
        ("graph.nq", &[][..]),
        ("article.jsonld", &["--graph", ARTICLE][..]),
    ] {
        let file = path(name);
        brikg
            .run(&[&["export", "-q", "-o", file.to_str().unwrap()], extra].concat())
            .ok();
    }
    let text = std::fs::read_to_string(path("graph.jsonld")).unwrap();
    assert_eq!(
        text.as_bytes(),
        std::fs::read(path("again.jsonld")).unwrap(),
        "two exports of the same store differ"
    );

    assert_eq!(
        rdflib(
            ROUND_TRIP,
            &[
                &path("graph.jsonld"),
                &path("graph.nq"),
                &path("article.jsonld")
            ]
        ),
        format!(
            "same graphs\n\
             {ARTICLE} 325 325 isomorphic\n\
             https://w3id.org/brikg/id/graph/ontology 542 542 isomorphic\n\
             https://w3id.org/brikg/id/graph/reference 2077 2077 isomorphic\n\
             https://w3id.org/brikg/id/graph/things 62 62 isomorphic\n\
             {VOID} 340 340 isomorphic\n\
             one graph: {ARTICLE} 325\n"
        )
    );

    // The prefixes are the context, and the terms are written with them.
    assert!(text.starts_with(
        "{\n  \"@context\": {\n    \"brikg\": \"https://w3id.org/brikg/ontology#\",\n    \"dcat\": \"http://www.w3.org/ns/dcat#\",\n"
    ));
    assert!(text.contains(&format!(
        "    {{\n      \"@id\": \"{ARTICLE}\",\n      \"@graph\": [\n"
    )));
    assert!(
        text.contains(
            r#"
        {
          "@id": "https://w3id.org/brikg/id/article/bri-practical-measure-2024/observation/cr-express-value-of-goods",
          "@type": "brikg:Observation",
          "dcterms:identifier": "cr-express-value-of-goods",
          "schema:currency": "USD",
          "schema:observationAbout": {"@id": "entity:cr-express"},
          "schema:observationDate": {"@value": "2023-09-30", "@type": "xsd:date"},
          "schema:value": {"@value": "340000000000", "@type": "xsd:decimal"},
          "schema:variableMeasured": {"@id": "measure:value-of-goods-transported"},
          "prov:wasDerivedFrom": {"@id": "https://w3id.org/brikg/id/article/bri-practical-measure-2024/section/market-connectivity/paragraph/1"},
          "brikg:comparator": {"@id": "brikg:greaterThan"},
          "brikg:datePrecision": {"@id": "brikg:monthPrecision"},
          "brikg:quantity": {"@id": "https://w3id.org/brikg/id/quantity/158a45388821896b5b7bbed358da09dd"},
          "brikg:reportedNumber": {"@value": "340", "@type": "xsd:decimal"},
          "brikg:reportedScale": {"@id": "brikg:billion"}
        },
"#
        ),
        "the observation of the README is not written compacted"
    );
    assert!(text.ends_with("\n    }\n  ]\n}\n"));
}

const NAMESPACES: &str = r#"
import sys, rdflib
g = rdflib.Graph(bind_namespaces="none")
g.parse(sys.argv[1], format="xml")
print(len(g))
for prefix, namespace in sorted(g.namespaces()):
    if prefix != "xml":
        print(prefix, namespace)
"#;

#[test]
fn rdf_xml_declares_the_standard_prefixes() {
    let brikg = Brikg::new();
    let file = brikg.dir.path().join("graph.rdf");
    brikg
        .run(&["export", "-q", "-o", file.to_str().unwrap()])
        .ok();
    let out = Command::new("rapper")
        .args(["-i", "rdfxml", "-c"])
        .arg(&file)
        .output()
        .expect("rapper is installed (scripts/install-deps installs raptor2-utils)");
    assert!(out.status.success());
    // rapper counts a triple held in two graphs twice, as the merged export writes it; rdflib
    // reads it once.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("returned 3346 triples"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        rdflib(NAMESPACES, &[&file]),
        "3295\n\
         agreements https://w3id.org/brikg/id/agreements/\n\
         brikg https://w3id.org/brikg/ontology#\n\
         country https://w3id.org/brikg/id/country/\n\
         dcat http://www.w3.org/ns/dcat#\n\
         dcterms http://purl.org/dc/terms/\n\
         entity https://w3id.org/brikg/id/entity/\n\
         field https://w3id.org/brikg/id/field/\n\
         foaf http://xmlns.com/foaf/0.1/\n\
         its http://www.w3.org/2005/11/its\n\
         measure https://w3id.org/brikg/id/measure/\n\
         organization https://w3id.org/brikg/id/organization/\n\
         owl http://www.w3.org/2002/07/owl#\n\
         person https://w3id.org/brikg/id/person/\n\
         prov http://www.w3.org/ns/prov#\n\
         quantitykind http://qudt.org/vocab/quantitykind/\n\
         qudt http://qudt.org/schema/qudt/\n\
         rdf http://www.w3.org/1999/02/22-rdf-syntax-ns#\n\
         rdfs http://www.w3.org/2000/01/rdf-schema#\n\
         schema http://schema.org/\n\
         sh http://www.w3.org/ns/shacl#\n\
         skos http://www.w3.org/2004/02/skos/core#\n\
         unit http://qudt.org/vocab/unit/\n\
         void http://rdfs.org/ns/void#\n\
         wd http://www.wikidata.org/entity/\n\
         xsd http://www.w3.org/2001/XMLSchema#\n"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\t<brikg:Observation rdf:about=\"https://w3id.org/brikg/id/article/bri-practical-measure-2024/observation/cr-express-value-of-goods\">\n"));
}

#[test]
fn json_and_xml_results_end_with_one_newline_from_the_command_line_and_the_endpoint() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let ask = "ASK { GRAPH ?g { ?s a <https://w3id.org/brikg/ontology#Railway> } }";
    let select = "SELECT ?railway WHERE { GRAPH ?g { ?railway a <https://w3id.org/brikg/ontology#Railway> } } ORDER BY ?railway LIMIT 1";
    let mut texts = Vec::new();
    for format in ["json", "xml"] {
        for query in [ask, select] {
            let out = brikg
                .run(&["query", "--sparql", query, "--format", format, "-q"])
                .ok();
            texts.push(out.stdout);
        }
    }
    let server = Server::start(&brikg, &[], &[]);
    for accept in [
        "application/sparql-results+json",
        "application/sparql-results+xml",
    ] {
        for query in [ask, select] {
            texts.push(sparql(&server, query, accept));
        }
    }
    // The endpoint writes what the command line writes.
    assert_eq!(texts[..4], texts[4..]);
    assert_eq!(texts[0], "{\"head\":{},\"boolean\":true}\n");
    assert_eq!(
        texts[2],
        "<?xml version=\"1.0\"?><sparql xmlns=\"http://www.w3.org/2005/sparql-results#\"><head></head><boolean>true</boolean></sparql>\n"
    );
    for text in &texts {
        assert!(
            text.ends_with("}\n") || text.ends_with("</sparql>\n"),
            "{text:?}"
        );
    }
}

#[test]
fn a_long_table_is_printed_on_the_widths_of_its_first_thousand_rows() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    // 1,001 rows: the first thousand set the widths; the last, wider, pushes its line right.
    let mut values: Vec<String> = (0..1000).map(|i| format!("(\"r{i}\" {i})")).collect();
    values.push("(\"a much wider cell\" 1000)".into());
    let query = format!(
        "SELECT ?name ?n WHERE {{ VALUES (?name ?n) {{ {} }} }}",
        values.join(" ")
    );
    let out = brikg.run(&["query", "--sparql", &query, "-q"]).ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2 + 1001);
    assert_eq!(lines[0], "name  n");
    assert_eq!(lines[1], "----  ---");
    assert_eq!(lines[2], "r0    0");
    assert_eq!(lines[1001], "r999  999");
    assert_eq!(lines[1002], "a much wider cell  1000");
}
