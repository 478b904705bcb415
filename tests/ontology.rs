//! The ontology, the code and the data agree: every `brikg:` constant of `src/vocab.rs` is
//! declared in `ontology/brikg.ttl` with a label and a comment, every term the ontology declares
//! has a constant, and pySHACL finds the exported graph conforms to `ontology/shapes.ttl`.

mod common;
use brikg::vocab;
use common::{repo, Brikg};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use oxrdf::vocab::{rdf, rdfs};
use std::collections::BTreeSet;
use std::process::Command;

fn ontology() -> Vec<Triple> {
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(brikg::dataset::ONTOLOGY.as_bytes())
        .map(|q| q.unwrap().into())
        .collect()
}

fn has(triples: &[Triple], s: &NamedNode, p: oxrdf::NamedNodeRef<'_>) -> bool {
    triples
        .iter()
        .any(|t| t.subject == NamedOrBlankNode::NamedNode(s.clone()) && t.predicate == p)
}

#[test]
fn every_vocab_constant_is_declared_with_label_and_comment() {
    let triples = ontology();
    for term in vocab::brikg::ALL {
        let node = term.into_owned();
        for p in [rdf::TYPE, rdfs::LABEL, rdfs::COMMENT] {
            assert!(
                has(&triples, &node, p),
                "{} lacks {}",
                node.as_str(),
                p.as_str()
            );
        }
    }
}

#[test]
fn every_term_the_ontology_declares_has_a_constant() {
    let constants: BTreeSet<&str> = vocab::brikg::ALL.iter().map(|t| t.as_str()).collect();
    let declared: BTreeSet<String> = ontology()
        .into_iter()
        .filter(|t| t.predicate == rdf::TYPE)
        .filter_map(|t| match t.subject {
            NamedOrBlankNode::NamedNode(n) if n.as_str().starts_with(vocab::brikg::NS) => {
                Some(n.into_string())
            }
            _ => None,
        })
        .collect();
    let missing: Vec<&String> = declared
        .iter()
        .filter(|d| !constants.contains(d.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "declared in the ontology but not in src/vocab.rs: {missing:?}"
    );
}

#[test]
fn the_mapping_uses_no_brikg_term_the_ontology_lacks() {
    let declared: BTreeSet<String> = ontology()
        .into_iter()
        .filter_map(|t| match t.subject {
            NamedOrBlankNode::NamedNode(n) => Some(n.into_string()),
            _ => None,
        })
        .collect();
    let brikg = Brikg::new();
    let out = brikg.run(&["export", "--format", "ntriples", "-q"]).ok();
    let triples: Vec<Triple> = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(out.stdout.as_bytes())
        .map(|q| q.unwrap().into())
        .collect();
    for t in &triples {
        let mut iris = vec![t.predicate.as_str().to_owned()];
        if let Term::NamedNode(o) = &t.object {
            iris.push(o.as_str().to_owned());
        }
        for iri in iris {
            // The namespace itself appears as a void:vocabulary value.
            if iri.starts_with(vocab::brikg::NS) && iri != vocab::brikg::NS {
                assert!(declared.contains(&iri), "{iri} is used but not declared");
            }
        }
    }
}

#[test]
fn pyshacl_finds_the_export_conforms_to_the_shapes() {
    let brikg = Brikg::new();
    let data = brikg.dir.path().join("graph.ttl");
    brikg
        .run(&["export", "-o", data.to_str().unwrap(), "-q"])
        .ok();
    let out = Command::new(repo().join(".venv/bin/pyshacl"))
        .arg("-s")
        .arg(repo().join("ontology/shapes.ttl"))
        .arg(&data)
        .output()
        .expect("pyshacl in .venv (run scripts/install-deps)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pySHACL: {report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("Conforms: True"), "{report}");
}

#[test]
fn pyshacl_reports_a_planted_violation() {
    let brikg = Brikg::new();
    let data = brikg.dir.path().join("graph.ttl");
    brikg
        .run(&["export", "-o", data.to_str().unwrap(), "-q"])
        .ok();
    let mut text = std::fs::read_to_string(&data).unwrap();
    // An observation whose value is not a number.
    text = text.replacen("schema:value 217 ;", "schema:value \"two hundred\" ;", 1);
    std::fs::write(&data, text).unwrap();
    let out = Command::new(repo().join(".venv/bin/pyshacl"))
        .arg("-s")
        .arg(repo().join("ontology/shapes.ttl"))
        .arg(&data)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains("Conforms: False") && report.contains("Results (1)"),
        "{report}"
    );
    assert!(report.contains("observation/cr-express-cities"), "{report}");
}

#[test]
fn reference_countries_are_generated_from_iso_codes() {
    let out = Command::new("python3")
        .arg(repo().join("scripts/gen-countries.py"))
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string(repo().join("data/reference/countries.toml")).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        committed,
        "regenerate data/reference/countries.toml"
    );
}

/// Runs a generator script and compares its output with the committed file.
fn generated(python: &std::path::Path, script: &str, file: &str) {
    let out = Command::new(python)
        .arg(repo().join("scripts").join(script))
        .output()
        .expect("python (scripts/install-deps --test)");
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string(repo().join("data/reference").join(file)).unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap() == committed,
        "data/reference/{file} differs from what scripts/{script} prints: regenerate it"
    );
}

#[test]
fn currencies_country_names_and_units_are_generated_from_their_sources() {
    let system = std::path::Path::new("python3");
    generated(system, "gen-currencies.py", "currencies.toml");
    generated(system, "gen-country-names.py", "country-names.toml");
    generated(
        &repo().join(".venv/bin/python"),
        "gen-units.py",
        "units.toml",
    );
}

#[test]
fn the_ontology_diagram_is_drawn_from_the_ontology_as_it_is() {
    let out = Command::new(repo().join(".venv/bin/python"))
        .arg(repo().join("scripts/ontology-diagram.py"))
        .arg("--check")
        .output()
        .expect("python with rdflib (scripts/install-deps --test)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
