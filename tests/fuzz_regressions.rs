//! One regression test per input the fuzz target (`fuzz/`) broke brikg with: each is now refused
//! with one clean line, or accepted and conforming.

mod common;
use common::{repo, Brikg};

/// Builds a data directory holding only `fixture`; returns the run and the article's path.
fn build_fixture(brikg: &Brikg, fixture: &str) -> (common::Run, std::path::PathBuf) {
    let dir = brikg.dir.path().join("data");
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    let target = dir.join("articles").join(fixture);
    std::fs::copy(repo().join("tests/fixtures/fuzz").join(fixture), &target).unwrap();
    (
        brikg.run(&["build", "--data", dir.to_str().unwrap(), "-q"]),
        target,
    )
}

fn refused(fixture: &str, expected: &str) {
    let brikg = Brikg::new();
    let (out, file) = build_fixture(&brikg, fixture);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, format!("brikg: {}{expected}\n", file.display()));
    assert_eq!(
        out.stderr.matches(['\n', '\r']).count(),
        1,
        "not one line: {:?}",
        out.stderr
    );
}

#[test]
fn a_carriage_return_in_an_unknown_key_is_escaped() {
    refused(
        "error-cr-unknown-key.toml",
        ":1:2: unknown field `\\r`, expected one of `article`, `sections`, `entities`, `organizations`, `measures`, `fields`, `agreements`, `observations`, `events`",
    );
}

#[test]
fn a_carriage_return_in_an_unknown_variant_is_escaped() {
    refused(
        "error-cr-unknown-variant.toml",
        ":9:8: entities[0].kind: unknown entity kind \"x\\ry\"; known: cooperation-platform, cooperation-subject, cooperation-zones, energy-facility, financing, initiative, loan, port, power-plant, railway, standard-system, trade-corridor, transport-facility, transport-service; declare a new kind under [[kinds]] in vocabulary/*.toml of the data directory (see docs/data.md, \"Declaring kinds and units\")",
    );
}

#[test]
fn a_newline_in_a_concept_id_is_escaped_in_the_field_path() {
    refused(
        "error-newline-in-field.toml",
        ":8:10: measures.a\\nb: \"a\\nb\" is not a valid id; use lowercase letters, digits and single hyphens, e.g. \"cr-express\"",
    );
}

#[test]
fn an_article_about_an_organization_is_refused() {
    refused(
        "about-organization.toml",
        ":6:10: article.about[0]: \"o\" is an organization; an article is about entities or agreements",
    );
}

#[test]
fn a_huge_paragraph_count_is_refused_before_anything_is_minted() {
    refused(
        "paragraphs-huge.toml",
        ":9:14: sections[0].paragraphs: a section has 1 to 1000 paragraphs, not 4294967295",
    );
}

#[test]
fn two_spellings_of_one_author_name_one_person_and_conform() {
    let brikg = Brikg::new();
    let (out, _) = build_fixture(&brikg, "author-slug-collision.toml");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = brikg.run(&[
        "validate",
        "--data",
        brikg.dir.path().join("data").to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let names = brikg
        .run(&["query", "--sparql", "SELECT ?p (COUNT(?n) AS ?names) WHERE { GRAPH ?g { ?p <http://schema.org/name> ?n ; a <https://w3id.org/brikg/ontology#Author> } } GROUP BY ?p ORDER BY ?p", "--format", "csv", "-q"])
        .ok()
        .stdout;
    assert!(names.starts_with("p,names\r\n"), "{names}");
    // "é" and "ue9" are different people now; the two spellings of "Qiu Ping" stay one.
    assert!(names.contains("/person/qiu-ping,2\r\n"), "{names}");
}
