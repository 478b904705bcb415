//! The standard `sh:ValidationReport` of a validation, and terms as people read them.

use super::{sh, Violation};
use oxrdf::vocab::rdf;
use oxrdf::{BlankNode, Literal, Term, Triple};

/// The standard `sh:ValidationReport` of a list of violations, as triples.
pub fn report(violations: &[Violation]) -> Vec<Triple> {
    let mut out = Vec::new();
    let report = BlankNode::new_unchecked("report");
    out.push(Triple::new(
        report.clone(),
        rdf::TYPE,
        sh("ValidationReport"),
    ));
    out.push(Triple::new(
        report.clone(),
        sh("conforms"),
        Literal::from(violations.is_empty()),
    ));
    for (i, v) in violations.iter().enumerate() {
        let r = BlankNode::new_unchecked(format!("result{}", i + 1));
        out.push(Triple::new(report.clone(), sh("result"), r.clone()));
        out.push(Triple::new(r.clone(), rdf::TYPE, sh("ValidationResult")));
        out.push(Triple::new(r.clone(), sh("focusNode"), v.focus.clone()));
        if let Some(p) = &v.path {
            out.push(Triple::new(r.clone(), sh("resultPath"), p.clone()));
        }
        if let Some(value) = &v.value {
            out.push(Triple::new(r.clone(), sh("value"), value.clone()));
        }
        out.push(Triple::new(
            r.clone(),
            sh("sourceShape"),
            v.source_shape.clone(),
        ));
        out.push(Triple::new(
            r.clone(),
            sh("sourceConstraintComponent"),
            sh(&v.component),
        ));
        out.push(Triple::new(
            r.clone(),
            sh("resultSeverity"),
            v.severity.clone(),
        ));
        out.push(Triple::new(
            r.clone(),
            sh("resultMessage"),
            Literal::new_language_tagged_literal_unchecked(&v.message, "en"),
        ));
    }
    out
}

/// A readable one-line form of a term.
pub fn short(term: &Term) -> String {
    crate::vocab::display_term(term)
}
