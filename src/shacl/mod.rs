//! A SHACL Core validator for brikg's own shapes (`ontology/shapes.ttl`).
//!
//! Why our own: the maintained Rust SHACL engine (rudof's `shacl`) brings some 300 crates and turns
//! on oxigraph's HTTP client, which recompiles RocksDB with another feature set. Our shapes use a
//! small part of SHACL Core, and this module implements exactly that part, by the W3C
//! Recommendation's definitions: targets `sh:targetClass`; constraint components `sh:minCount`,
//! `sh:maxCount`, `sh:uniqueLang`, `sh:datatype`, `sh:class`, `sh:nodeKind`, `sh:pattern`, `sh:in`, `sh:hasValue`,
//! `sh:minInclusive`, `sh:maxInclusive`, `sh:or`, `sh:and`, `sh:not`, `sh:node` and
//! `sh:property` with predicate paths. A shape that uses anything else is refused when loaded,
//! never silently ignored. pySHACL, run by the tests over the same data and shapes, is the
//! independent check that the answers are standard.
//!
//! Here: the shapes and how a node is checked against them. [`load`] reads shapes, [`data`] is
//! what they read, [`report`] writes the standard report.

mod data;
mod load;
mod report;

pub use data::{graph_of, ClassIndex, DataView};
pub use report::{report, short};

use crate::error::Result;
use oxrdf::vocab::xsd;
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term};

pub(crate) const SH: &str = "http://www.w3.org/ns/shacl#";

pub(crate) fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

/// A constraint of a shape.
#[derive(Debug, Clone)]
pub(crate) enum Constraint {
    MinCount(usize),
    MaxCount(usize),
    /// No two values share a language tag (as SKOS wants of `skos:prefLabel`).
    UniqueLang,
    Datatype(NamedNode),
    Class(NamedNode),
    NodeKind(NamedNode),
    Pattern(regex::Regex),
    In(Vec<Term>),
    HasValue(Term),
    MinInclusive(Literal),
    MaxInclusive(Literal),
    Or(Vec<usize>),
    And(Vec<usize>),
    Not(usize),
    Node(usize),
    Property(usize),
}

impl Constraint {
    fn component(&self) -> &'static str {
        match self {
            Constraint::MinCount(_) => "MinCountConstraintComponent",
            Constraint::MaxCount(_) => "MaxCountConstraintComponent",
            Constraint::UniqueLang => "UniqueLangConstraintComponent",
            Constraint::Datatype(_) => "DatatypeConstraintComponent",
            Constraint::Class(_) => "ClassConstraintComponent",
            Constraint::NodeKind(_) => "NodeKindConstraintComponent",
            Constraint::Pattern(_) => "PatternConstraintComponent",
            Constraint::In(_) => "InConstraintComponent",
            Constraint::HasValue(_) => "HasValueConstraintComponent",
            Constraint::MinInclusive(_) => "MinInclusiveConstraintComponent",
            Constraint::MaxInclusive(_) => "MaxInclusiveConstraintComponent",
            Constraint::Or(_) => "OrConstraintComponent",
            Constraint::And(_) => "AndConstraintComponent",
            Constraint::Not(_) => "NotConstraintComponent",
            Constraint::Node(_) => "NodeConstraintComponent",
            Constraint::Property(_) => "PropertyConstraintComponent",
        }
    }
}

/// A node or property shape.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    /// The shape as reported in `sh:sourceShape`: itself when it has an IRI, else the named
    /// shape it belongs to (a blank node label would differ from run to run).
    pub(crate) id: Term,
    /// `Some` for a property shape.
    pub(crate) path: Option<NamedNode>,
    pub(crate) targets: Vec<NamedNode>,
    pub(crate) constraints: Vec<Constraint>,
    pub(crate) message: Option<String>,
    pub(crate) severity: NamedNode,
}

/// A set of shapes, ready to validate with.
#[derive(Debug)]
pub struct Shapes {
    shapes: Vec<Shape>,
}

/// One violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub focus: Term,
    pub path: Option<NamedNode>,
    pub value: Option<Term>,
    pub source_shape: Term,
    pub component: String,
    pub severity: NamedNode,
    pub message: String,
}

impl Violation {
    pub(crate) fn sort_key(&self) -> (String, String, String, String, String) {
        (
            self.focus.to_string(),
            self.path
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            self.component.clone(),
            self.value
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            self.source_shape.to_string(),
        )
    }
}

impl Shapes {
    /// The shapes of `ontology/shapes.ttl`, compiled into brikg.
    pub fn bundled() -> Result<Self> {
        Self::parse(crate::dataset::SHAPES)
    }

    /// Validates `data`, whose classes follow `rdfs:subClassOf` in `data` itself (include the
    /// ontology). Violations are sorted.
    pub fn validate(&self, data: &DataView<'_>) -> Vec<Violation> {
        let mut out = Vec::new();
        for (i, shape) in self.shapes.iter().enumerate() {
            if shape.targets.is_empty() {
                continue;
            }
            let mut focus: Vec<Term> = Vec::new();
            for class in &shape.targets {
                for c in data.subclasses(class) {
                    focus.extend(data.subjects_of_type(&c));
                }
            }
            focus.sort_by_cached_key(Term::to_string);
            focus.dedup();
            for node in focus {
                self.check(i, &node, data, &mut out);
            }
        }
        out.sort_by_cached_key(Violation::sort_key);
        out.dedup();
        out
    }

    /// Whether `node` conforms to shape `i`.
    fn conforms(&self, i: usize, node: &Term, data: &DataView<'_>) -> bool {
        let mut found = Vec::new();
        self.check(i, node, data, &mut found);
        found.is_empty()
    }

    fn check(&self, i: usize, focus: &Term, data: &DataView<'_>, out: &mut Vec<Violation>) {
        let shape = &self.shapes[i];
        let values: Vec<Term> = match &shape.path {
            Some(p) => data.objects(focus, p.as_ref()),
            None => vec![focus.clone()],
        };
        let mut nested = Vec::new();
        let mut report = |c: &Constraint, value: Option<&Term>| {
            out.push(Violation {
                focus: focus.clone(),
                path: shape.path.clone(),
                value: value.cloned(),
                source_shape: shape.id.clone(),
                component: c.component().to_owned(),
                severity: shape.severity.clone(),
                message: shape.message.clone().unwrap_or_else(|| default_message(c)),
            })
        };
        for c in &shape.constraints {
            match c {
                Constraint::MinCount(n) if values.len() < *n => report(c, None),
                Constraint::MaxCount(n) if values.len() > *n => report(c, None),
                Constraint::MinCount(_) | Constraint::MaxCount(_) => {}
                Constraint::UniqueLang => {
                    // One result per language tag used twice, as the Recommendation says.
                    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
                    for v in &values {
                        if let Term::Literal(l) = v {
                            if let Some(lang) = l.language() {
                                *seen.entry(lang).or_default() += 1;
                            }
                        }
                    }
                    for _ in seen.values().filter(|n| **n > 1) {
                        report(c, None);
                    }
                }
                Constraint::Property(p) => {
                    for v in &values {
                        self.check(*p, v, data, &mut nested);
                    }
                }
                Constraint::HasValue(expected) => {
                    if !values.contains(expected) {
                        report(c, None);
                    }
                }
                _ => {
                    for v in &values {
                        if !self.value_conforms(c, v, data) {
                            report(c, Some(v));
                        }
                    }
                }
            }
        }
        out.extend(nested);
    }

    fn value_conforms(&self, c: &Constraint, v: &Term, data: &DataView<'_>) -> bool {
        match c {
            Constraint::Datatype(dt) => match v {
                Term::Literal(l) => l.datatype() == dt.as_ref() && well_formed(l),
                _ => false,
            },
            Constraint::Class(class) => data.is_instance(v, class),
            Constraint::NodeKind(kind) => match kind.as_str().strip_prefix(SH) {
                Some("IRI") => matches!(v, Term::NamedNode(_)),
                Some("BlankNode") => matches!(v, Term::BlankNode(_)),
                Some("Literal") => matches!(v, Term::Literal(_)),
                Some("BlankNodeOrIRI") => !matches!(v, Term::Literal(_)),
                Some("BlankNodeOrLiteral") => !matches!(v, Term::NamedNode(_)),
                Some("IRIOrLiteral") => !matches!(v, Term::BlankNode(_)),
                _ => false,
            },
            Constraint::Pattern(re) => match v {
                Term::BlankNode(_) => false,
                Term::NamedNode(n) => re.is_match(n.as_str()),
                Term::Literal(l) => re.is_match(l.value()),
                #[allow(unreachable_patterns)]
                _ => false,
            },
            Constraint::In(list) => list.contains(v),
            Constraint::MinInclusive(bound) => compare(v, bound).is_some_and(|o| o.is_ge()),
            Constraint::MaxInclusive(bound) => compare(v, bound).is_some_and(|o| o.is_le()),
            Constraint::Or(shapes) => shapes.iter().any(|s| self.conforms(*s, v, data)),
            Constraint::And(shapes) => shapes.iter().all(|s| self.conforms(*s, v, data)),
            Constraint::Not(s) => !self.conforms(*s, v, data),
            Constraint::Node(s) => self.conforms(*s, v, data),
            Constraint::MinCount(_)
            | Constraint::MaxCount(_)
            | Constraint::UniqueLang
            | Constraint::HasValue(_)
            | Constraint::Property(_) => true,
        }
    }
}

fn default_message(c: &Constraint) -> String {
    format!(
        "value does not satisfy sh:{}",
        c.component().trim_end_matches("ConstraintComponent")
    )
}

/// Whether a literal's lexical form is valid for its datatype (SHACL's datatype constraint
/// requires it for the XSD types).
fn well_formed(l: &Literal) -> bool {
    use std::str::FromStr;
    let v = l.value();
    match l.datatype() {
        xsd::INTEGER => oxsdatatypes::Integer::from_str(v).is_ok(),
        xsd::DECIMAL => oxsdatatypes::Decimal::from_str(v).is_ok(),
        xsd::DATE => oxsdatatypes::Date::from_str(v).is_ok(),
        xsd::G_YEAR => oxsdatatypes::GYear::from_str(v).is_ok(),
        xsd::G_YEAR_MONTH => oxsdatatypes::GYearMonth::from_str(v).is_ok(),
        xsd::DURATION => oxsdatatypes::Duration::from_str(v).is_ok(),
        xsd::BOOLEAN => oxsdatatypes::Boolean::from_str(v).is_ok(),
        _ => true,
    }
}

/// Compares two numeric literals by value; `None` when either is not a number.
fn compare(a: &Term, b: &Literal) -> Option<std::cmp::Ordering> {
    use std::str::FromStr;
    let Term::Literal(a) = a else { return None };
    let num = |l: &Literal| match l.datatype() {
        xsd::INTEGER | xsd::DECIMAL => oxsdatatypes::Decimal::from_str(l.value()).ok(),
        _ => None,
    };
    num(a)?.partial_cmp(&num(b)?)
}
pub(crate) fn as_subject(t: &Term) -> Option<NamedOrBlankNode> {
    match t {
        Term::NamedNode(n) => Some(n.clone().into()),
        Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_shapes_load() {
        let shapes = Shapes::bundled().unwrap();
        assert!(
            shapes
                .shapes
                .iter()
                .filter(|s| !s.targets.is_empty())
                .count()
                >= 12
        );
    }

    #[test]
    fn an_unsupported_component_is_refused() {
        let e = Shapes::parse(
            "@prefix sh: <http://www.w3.org/ns/shacl#> . <http://e/s> a sh:NodeShape ; sh:closed true .",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with(
            "the shapes use sh:closed, which brikg's SHACL validator does not implement"
        ));
    }
}
