//! Any article, not only the first: kinds of things, event types and units a curator declares in
//! the data directory load with no change to brikg, are checked like brikg's own, and refused
//! with a located error when malformed.

mod common;

use common::{repo, Brikg, OPEN_MODEL_ARTICLES};
use std::path::{Path, PathBuf};

/// A data directory of the four fictional articles alone, with the declarations.
fn fictional_only(brikg: &Brikg) -> PathBuf {
    let dir = brikg.open_model_dir("data");
    for entry in std::fs::read_dir(repo().join("data/articles")).unwrap() {
        std::fs::remove_file(dir.join("articles").join(entry.unwrap().file_name())).unwrap();
    }
    dir
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(repo().join(format!("tests/expected/open-model/{name}.tsv"))).unwrap()
}

#[test]
fn articles_about_ports_power_plants_loans_and_parks_load_and_every_query_answers() {
    let brikg = Brikg::new();
    let data = fictional_only(&brikg);
    let data = data.to_str().unwrap();
    let out = brikg.run(&["build", "--data", data]).ok();
    assert_eq!(
        common::without_timing(&out.stderr),
        format!(
            "brikg: built {}: 4 files mapped, 4148 quads in 8 graphs\n",
            brikg.store().display()
        )
    );
    for q in brikg::queries::QUERIES {
        let out = brikg.run(&["query", q.name, "--format", "tsv", "-q"]).ok();
        assert_eq!(out.stdout, expected(q.name), "query {}", q.name);
    }
    // Units, currencies and a declared event type, as a person reads them.
    let timeline = brikg.run(&["query", "timeline", "-q"]).ok().stdout;
    for line in [
        "2019-04-12  day        event      groundbreaking",
        "2024-06     month      event      grid connection",
        "2024-12-31  year       statistic  container throughput                    Nkalora Deepwater Port                                      1900000     TEU   nkalora-port-2025",
        "2024-09-30  month      statistic  electricity delivered to the grid       Korvana Cascade                                             412         GWh   korvana-cascade-2024",
        "2025-03-31  month      statistic  area                                    Nkalora Deepwater Port                                      620         ha    nkalora-port-2025",
    ] {
        assert!(timeline.contains(line), "{line:?} not in\n{timeline}");
    }
    let brikg_validate = brikg.run(&["validate", "-q"]).ok();
    assert_eq!(
        brikg_validate.stdout,
        "conforms: 4148 triples in 7 graphs checked\n"
    );
}

#[test]
fn declared_kinds_are_classes_in_the_exported_graph() {
    let brikg = Brikg::new();
    let data = brikg.open_model_dir("data");
    brikg
        .run(&["build", "--data", data.to_str().unwrap(), "-q"])
        .ok();
    let vocabulary = brikg
        .run(&[
            "export",
            "-q",
            "--format",
            "ntriples",
            "--graph",
            "https://w3id.org/brikg/id/graph/vocabulary",
        ])
        .ok()
        .stdout;
    // 14 kinds × 5 triples, 3 event types × 7 or 8 (the broader one or a top concept).
    assert_eq!(vocabulary.lines().count(), 14 * 5 + 3 * 8);
    for triple in [
        "<https://w3id.org/brikg/id/kind/seaport> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <https://w3id.org/brikg/ontology#Port> .",
        "<https://w3id.org/brikg/id/kind/industrial-park> <http://www.w3.org/2004/02/skos/core#notation> \"industrial-park\" .",
        "<https://w3id.org/brikg/id/event-type/groundbreaking> <http://www.w3.org/2004/02/skos/core#broader> <https://w3id.org/brikg/id/event-type/start-of-construction> .",
        "<https://w3id.org/brikg/id/entity/nkalora-deepwater-port> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/brikg/id/kind/seaport> .",
    ] {
        let text = if triple.contains("entity/") {
            brikg.run(&["export", "-q", "--format", "ntriples"]).ok().stdout
        } else {
            vocabulary.clone()
        };
        assert!(text.contains(triple), "{triple} missing");
    }
    // The observation's unit is QUDT's own IRI; TEU, which QUDT lacks, is brikg's.
    let units = brikg
        .run(&[
            "query",
            "--sparql",
            "PREFIX schema: <http://schema.org/> SELECT DISTINCT ?unit WHERE { GRAPH ?g { ?o schema:unitCode ?unit } } ORDER BY ?unit",
            "--format",
            "csv",
            "-q",
        ])
        .ok()
        .stdout;
    assert_eq!(
        units,
        "unit\r\nhttp://qudt.org/vocab/unit/GigaW-HR\r\nhttp://qudt.org/vocab/unit/HA\r\nhttp://qudt.org/vocab/unit/KiloM\r\nhttp://qudt.org/vocab/unit/KiloM2\r\nhttp://qudt.org/vocab/unit/KiloW-HR\r\nhttp://qudt.org/vocab/unit/M3\r\nhttp://qudt.org/vocab/unit/MegaW\r\nhttp://qudt.org/vocab/unit/PERCENT\r\nhttp://qudt.org/vocab/unit/TONNE\r\nhttps://w3id.org/brikg/ontology#TEU\r\n"
    );
}

/// Builds a data directory of the fictional articles with `kinds.toml` replaced by `text`;
/// returns the directory and the outcome.
fn build_with_declarations(brikg: &Brikg, text: &str) -> (PathBuf, common::Run) {
    let data = fictional_only(brikg);
    std::fs::write(data.join("vocabulary/kinds.toml"), text).unwrap();
    let out = brikg.run(&["build", "--data", data.to_str().unwrap()]);
    (data, out)
}

/// The declarations of the fixture with `old` replaced by `new` must be refused with `message`
/// at the place the declarations file names.
fn refused_declaration(old: &str, new: &str, expected: &str) {
    refused_declarations(&[(old, new)], expected);
}

/// As [`refused_declaration`], with several replacements.
fn refused_declarations(replacements: &[(&str, &str)], expected: &str) {
    let brikg = Brikg::new();
    let mut text =
        std::fs::read_to_string(repo().join("tests/fixtures/open-model/vocabulary/kinds.toml"))
            .unwrap();
    for (old, new) in replacements {
        assert!(text.contains(old), "{old:?}");
        text = text.replacen(old, new, 1);
    }
    let (data, out) = build_with_declarations(&brikg, &text);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: {}{expected}\n",
            data.join("vocabulary/kinds.toml").display()
        )
    );
    assert!(!brikg.store().exists(), "nothing may be built");
}

#[test]
fn a_kind_without_a_parent_is_refused_where_it_is_declared() {
    refused_declaration(
        "parent = \"port\"\n",
        "",
        ":7:8: kinds[0].parent: \"seaport\" needs a parent, e.g. parent = \"port\"",
    );
}

#[test]
fn a_kind_without_a_label_is_refused() {
    refused_declaration(
        "label = \"dry port\"\n",
        "",
        ":13:8: kinds[1].label: \"dry-port\" needs a label, e.g. label = \"dry port\"",
    );
}

#[test]
fn a_name_already_taken_is_refused() {
    refused_declaration(
        "name = \"expressway\"",
        "name = \"railway\"",
        ":31:8: kinds[4].name: \"railway\" is already taken (by <https://w3id.org/brikg/ontology#Railway>); choose another name",
    );
}

#[test]
fn a_cycle_of_parents_is_refused() {
    refused_declaration(
        "parent = \"power-plant\"",
        "parent = \"hydropower-plant\"",
        ":46:10: kinds[6].parent: the parents hydropower-plant → hydropower-plant form a cycle; a kind's parents must lead to one of brikg's kinds",
    );
    refused_declarations(
        &[
            (
                "parent = \"energy-facility\"\n\n[[kinds]]\nname = \"power-line\"",
                "parent = \"power-line\"\n\n[[kinds]]\nname = \"power-line\"",
            ),
            (
                "parent = \"energy-facility\"\n\n[[kinds]]\nname = \"power-purchase-agreement\"",
                "parent = \"transmission-line\"\n\n[[kinds]]\nname = \"power-purchase-agreement\"",
            ),
        ],
        ":58:10: kinds[8].parent: the parents power-line → transmission-line → power-line form a cycle; a kind's parents must lead to one of brikg's kinds",
    );
}

#[test]
fn a_parent_that_is_no_kind_is_refused_with_the_kinds_there_are() {
    refused_declaration(
        "parent = \"port\"",
        "parent = \"harbour\"",
        ":10:10: kinds[0].parent: \"harbour\" is not a kind; a parent is one of agreement-set, cooperation-platform, cooperation-subject, cooperation-zones, energy-facility, financing, initiative, international-organization, loan, memorandums-of-understanding, national-standardization-body, organization, other, port, power-plant, railway, regional-organization, standard-system, standards-cooperation-documents, trade-corridor, transport-facility, transport-service or a kind declared in vocabulary/",
    );
}

#[test]
fn an_unknown_kind_in_an_article_says_where_to_declare_it() {
    let brikg = Brikg::new();
    let (data, out) = build_with_declarations(&brikg, "");
    assert_eq!(out.code, 1);
    // Every undeclared kind and event type of the four articles is listed (tests/all_errors.rs
    // checks such lists line by line); the first is the first of the first file.
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines[0], "brikg: 19 errors in 4 data files:");
    assert_eq!(
        lines[1],
        format!(
            "{}:43:8: entities[0].kind: unknown entity kind \"development-fund\"; known: cooperation-platform, cooperation-subject, cooperation-zones, energy-facility, financing, initiative, loan, port, power-plant, railway, standard-system, trade-corridor, transport-facility, transport-service; declare a new kind under [[kinds]] in vocabulary/*.toml of the data directory (see docs/data.md, \"Declaring kinds and units\")",
            data.join("articles/jade-corridor-loans-2025.toml").display()
        )
    );
    assert_eq!(lines.len(), 20);
}

/// The first fictional article with `old` replaced by `new` must be refused with `message`.
fn refused_figure(old: &str, new: &str, expected: &str) {
    let brikg = Brikg::new();
    let data = fictional_only(&brikg);
    let file = data.join("articles").join(OPEN_MODEL_ARTICLES[2]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(old), "{old:?}");
    std::fs::write(&file, text.replacen(old, new, 1)).unwrap();
    let out = brikg.run(&["build", "--data", data.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stderr, format!("brikg: {}{expected}\n", file.display()));
}

#[test]
fn a_figure_with_a_currency_and_a_unit_is_refused() {
    refused_figure(
        "unit = \"TEU\"",
        "unit = \"TEU\"\ncurrency = \"USD\"",
        ":134:8: observations[0].currency: a figure has a currency or a unit, not both: money takes currency = \"USD\", a quantity unit = \"km\"",
    );
}

#[test]
fn an_unknown_unit_lists_the_units_and_says_where_to_declare_one() {
    refused_figure(
        "unit = \"TEU\"",
        "unit = \"containers\"",
        ":134:8: observations[0].unit: unknown unit \"containers\"; known units: %, GW, GWh, J, L, MW, MWh, TEU, TWh, [bbl_us], ha, kW, kWh, kg, km, km2, m, m2, m3, t; declare a new one under [[units]] in vocabulary/*.toml of the data directory (see docs/data.md, \"Declaring kinds and units\")",
    );
}

#[test]
fn a_percentage_is_written_as_its_number_without_scale() {
    refused_figure(
        "value = 85\n",
        "value = \"85%\"\n",
        ":247:9: observations[12].value: \"85%\" is not a number; write a percentage as its number, value = 85, with unit = \"%\"",
    );
    refused_figure(
        "value = 85\n",
        "value = 0.085\nscale = \"thousand\"\n",
        ":247:9: observations[12].value: a percentage takes no scale: write the number of percent, value = 0.085 for 0.085 %, without scale",
    );
}

#[test]
fn a_declared_kind_is_checked_by_the_shapes_through_the_hierarchy() {
    let brikg = Brikg::new();
    let data = brikg.open_model_dir("data");
    brikg
        .run(&["build", "--data", data.to_str().unwrap(), "-q"])
        .ok();
    // Plant a violation on a seaport (a kind the shapes never name): a name without a language.
    brikg
        .run(&[
            "query",
            "--update",
            "-q",
            "--sparql",
            "INSERT DATA { GRAPH <https://w3id.org/brikg/id/graph/article/nkalora-port-2025> { <https://w3id.org/brikg/id/entity/nkalora-deepwater-port> <http://schema.org/name> \"Port of Nowhere\" } }",
        ])
        .ok();
    let out = brikg.run(&["validate", "-q"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains(
            "Violation  https://w3id.org/brikg/id/entity/nkalora-deepwater-port  schema:name"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(out.stderr, "brikg: 1 violation of the SHACL shapes\n");
    // pySHACL finds the same focus node in the export, through the subclass axioms it carries.
    let ttl = brikg.dir.path().join("graph.ttl");
    brikg
        .run(&["export", "-q", "-o", ttl.to_str().unwrap()])
        .ok();
    let report = pyshacl(&ttl);
    assert!(report.contains("Conforms: False"), "{report}");
    assert!(report.contains("Results (1)"), "{report}");
    assert!(
        report.contains("Focus Node: entity:nkalora-deepwater-port\n"),
        "{report}"
    );
}

fn pyshacl(data: &Path) -> String {
    let out = std::process::Command::new(repo().join(".venv/bin/pyshacl"))
        .args(["-s"])
        .arg(repo().join("ontology/shapes.ttl"))
        .arg(data)
        .output()
        .expect("pyshacl (scripts/install-deps --test)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn changing_a_declaration_rebuilds_what_depends_on_it() {
    let brikg = Brikg::new();
    let data = brikg.open_model_dir("data");
    let data_arg = data.to_str().unwrap();
    brikg.run(&["build", "--data", data_arg, "-q"]).ok();
    let again = brikg.run(&["build", "--data", data_arg]).ok();
    assert!(again.stderr.contains(" is up to date "), "{}", again.stderr);
    let file = data.join("vocabulary/kinds.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("label = \"seaport\"", "label = \"sea port\""),
    )
    .unwrap();
    let rebuilt = brikg.run(&["build", "--data", data_arg]).ok();
    assert!(
        rebuilt.stderr.starts_with(&format!(
            "brikg: built {}: 5 files mapped,",
            brikg.store().display()
        )),
        "{}",
        rebuilt.stderr
    );
    let label = brikg
        .run(&[
            "query",
            "--sparql",
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/brikg/id/kind/seaport> rdfs:label ?l } }",
            "--format",
            "csv",
            "-q",
        ])
        .ok()
        .stdout;
    assert_eq!(label, "l\r\nsea port\r\n");
}
