//! `brikg build` and `brikg export`, driven through the binary: a second article loads with no
//! code change, exports are byte-identical, and bad data is refused with its position while the
//! previous store keeps answering.

mod common;
use common::{fictional_article, without_timing, Brikg};

#[test]
fn a_second_article_in_the_same_format_loads_and_answers() {
    let brikg = Brikg::new();
    let data = brikg.data_dir(
        "data",
        &[("fictional-test-article.toml", &fictional_article())],
    );
    let data = data.to_str().unwrap();
    let out = brikg.run(&["build", "--data", data]).ok();
    assert_eq!(
        without_timing(&out.stderr),
        format!(
            "brikg: built {}: 2 files mapped, 3119 quads in 5 graphs\n",
            brikg.store().display()
        )
    );
    let out = brikg.run(&["query", "articles", "--format", "csv"]).ok();
    assert_eq!(
        out.stdout,
        "article,title,modified,statistics,events,author\r\n\
         bri-practical-measure-2024,Belt and Road Cooperation: A Practical Measure for Creating a New Development Dynamic,2024-02-18,14,2,Qiu Ping\r\n\
         fictional-test-article,FICTIONAL test article: an imaginary harbour link,2030-01-15,4,1,Second Test Author\r\n\
         fictional-test-article,FICTIONAL test article: an imaginary harbour link,2030-01-15,4,1,Test Author\r\n"
    );
    let out = brikg
        .run(&["query", "standards-coverage", "--format", "csv"])
        .ok();
    assert_eq!(
        out.stdout,
        "article,named,countries,documents,asOf,listed\r\n\
         bri-practical-measure-2024,4,65,107,2023-06-30,examples only\r\n\
         fictional-test-article,1,1,3,2029-12-31,complete list\r\n"
    );
    // Scales, currencies and comparators of the second article, in base units.
    let out = brikg.run(&["query", "investment", "--format", "tsv"]).ok();
    assert!(
        out.stdout.contains(
            "\"Imaginary Harbour Link\"@en\t\"total value of goods transported\"@en\t\"approximately\"@en\t\
             \"1250000\"^^<http://www.w3.org/2001/XMLSchema#decimal>\t\"EUR\"\t1.25\t\"million\"@en\t\
             \"2029-12-01\"^^<http://www.w3.org/2001/XMLSchema#date>\t\t\"fictional-test-article\"\n"
        ),
        "{}",
        out.stdout
    );
    let out = brikg.run(&["query", "cr-express", "--format", "csv"]).ok();
    assert_eq!(
        out.stdout.lines().count(),
        6,
        "the second article adds nothing to the CR Express: {}",
        out.stdout
    );

    // Removing the file removes its graph.
    std::fs::remove_file(
        brikg
            .dir
            .path()
            .join("data/articles/fictional-test-article.toml"),
    )
    .unwrap();
    let out = brikg.run(&["build", "--data", data]).ok();
    assert_eq!(
        without_timing(&out.stderr),
        format!(
            "brikg: updated {}: 0 of 1 file mapped, 0 graphs replaced, 1 removed, 3006 quads\n",
            brikg.store().display()
        )
    );
}

#[test]
fn exports_are_byte_identical_across_builds_and_runs() {
    let a = Brikg::new();
    let b = Brikg::new();
    for format in ["turtle", "ntriples", "nquads", "trig", "rdfxml"] {
        let first = a.run(&["export", "--format", format, "-q"]).ok().stdout;
        let again = a.run(&["export", "--format", format, "-q"]).ok().stdout;
        let other_store = b.run(&["export", "--format", format, "-q"]).ok().stdout;
        assert!(!first.is_empty());
        assert_eq!(first, again, "{format}: two exports of one store differ");
        assert_eq!(
            first, other_store,
            "{format}: exports of two stores built from the same data differ"
        );
    }
}

#[test]
fn export_writes_to_a_file_guessing_the_format_and_selects_one_graph() {
    let brikg = Brikg::new();
    let path = brikg.dir.path().join("out.nq");
    brikg
        .run(&["export", "-o", path.to_str().unwrap(), "-q"])
        .ok();
    let nquads = std::fs::read_to_string(&path).unwrap();
    assert_eq!(nquads.lines().count(), 3346);
    assert!(nquads.lines().all(|l| l
        .ends_with("<https://w3id.org/brikg/id/graph/article/bri-practical-measure-2024> .")
        || l.ends_with("<https://w3id.org/brikg/id/graph/ontology> .")
        || l.ends_with("<https://w3id.org/brikg/id/graph/reference> .")
        || l.ends_with("<https://w3id.org/brikg/id/graph/things> .")
        || l.ends_with("<https://w3id.org/brikg/id/graph/void> .")));

    let out = brikg
        .run(&[
            "export",
            "--format",
            "ntriples",
            "--graph",
            "https://w3id.org/brikg/id/graph/article/bri-practical-measure-2024",
        ])
        .ok();
    assert_eq!(out.stdout.lines().count(), 325);
    let out = brikg.run(&["export", "--graph", "https://example.org/none"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: there is no graph <https://example.org/none> in the store; its graphs are: \
         https://w3id.org/brikg/id/graph/article/bri-practical-measure-2024, \
         https://w3id.org/brikg/id/graph/ontology, https://w3id.org/brikg/id/graph/reference, \
         https://w3id.org/brikg/id/graph/things, and the description \
         https://w3id.org/brikg/id/graph/void that exports compute\n"
    );
}

#[test]
fn turtle_export_uses_only_the_prefixes_it_needs_and_canonical_literals() {
    let brikg = Brikg::new();
    let out = brikg
        .run(&[
            "export",
            "--graph",
            "https://w3id.org/brikg/id/graph/article/bri-practical-measure-2024",
            "-q",
        ])
        .ok();
    let prefixes: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("@prefix"))
        .map(|l| l.split(' ').nth(1).unwrap())
        .collect();
    let mut sorted = prefixes.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "agreements:",
            "brikg:",
            "country:",
            "dcterms:",
            "entity:",
            "field:",
            "measure:",
            "organization:",
            "person:",
            "prov:",
            "schema:",
            "skos:",
            "xsd:"
        ]
    );
    assert!(out
        .stdout
        .contains("\tschema:value \"340000000000\"^^xsd:decimal ;\n"));
    assert!(out
        .stdout
        .contains("\tbrikg:reportedNumber \"340\"^^xsd:decimal ;\n"));
    assert!(out
        .stdout
        .contains("\tschema:observationDate \"2023-09-30\"^^xsd:date ;\n"));
    assert!(out
        .stdout
        .contains("\tdcterms:date \"2023-10\"^^xsd:gYearMonth ;\n"));
    assert!(out
        .stdout
        .contains("\tschema:observationPeriod \"P10Y\"^^xsd:duration ;\n"));
}

#[test]
fn the_iri_base_is_configurable() {
    let brikg = Brikg::new();
    brikg
        .run(&["build", "--base", "http://example.org/kg/", "-q"])
        .ok();
    let out = brikg
        .run(&[
            "query",
            "--sparql",
            "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g",
            "--format",
            "csv",
        ])
        .ok();
    assert_eq!(
        out.stdout,
        "g\r\nhttp://example.org/kg/graph/article/bri-practical-measure-2024\r\n\
         http://example.org/kg/graph/build\r\n\
         http://example.org/kg/graph/ontology\r\nhttp://example.org/kg/graph/reference\r\nhttp://example.org/kg/graph/things\r\n"
    );
    let out = brikg.run(&["build", "--base", "http://example.org/kg"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: --base: the IRI base \"http://example.org/kg\" must end with '/' or '#', e.g. https://w3id.org/brikg/id/\n"
    );
}

#[test]
fn a_directory_without_articles_is_refused() {
    let brikg = Brikg::new();
    let empty = brikg.dir.path().join("empty");
    std::fs::create_dir_all(empty.join("articles")).unwrap();
    let out = brikg.run(&["build", "--data", empty.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: {}: no article files (*.toml); add one per article (see docs/data.md, \"Adding an article\")\n",
            empty.join("articles").display()
        )
    );
    assert!(!brikg.store().exists(), "a failed build created a store");
}
