//! A SHACL Core validator for brikg's own shapes (`ontology/shapes.ttl`).
//!
//! Why our own: the maintained Rust SHACL engine (rudof's `shacl`) brings some 300 crates and turns
//! on oxigraph's HTTP client, which recompiles RocksDB with another feature set. Our shapes use a
//! small part of SHACL Core, and this module implements exactly that part, by the W3C
//! Recommendation's definitions: targets `sh:targetClass`; constraint components `sh:minCount`,
//! `sh:maxCount`, `sh:datatype`, `sh:class`, `sh:nodeKind`, `sh:pattern`, `sh:in`, `sh:hasValue`,
//! `sh:minInclusive`, `sh:maxInclusive`, `sh:or`, `sh:and`, `sh:not`, `sh:node` and
//! `sh:property` with predicate paths. A shape that uses anything else is refused when loaded,
//! never silently ignored. pySHACL, run by the tests over the same data and shapes, is the
//! independent check that the answers are standard.

use crate::error::{Error, Result};
use oxigraph::io::{RdfFormat, RdfParser};
use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{BlankNode, Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use std::collections::{HashMap, HashSet};

const SH: &str = "http://www.w3.org/ns/shacl#";

fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

/// The SHACL Core components this validator implements.
const SUPPORTED: &[&str] = &[
    "targetClass",
    "property",
    "path",
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "nodeKind",
    "pattern",
    "flags",
    "in",
    "hasValue",
    "minInclusive",
    "maxInclusive",
    "or",
    "and",
    "not",
    "node",
    "message",
    "severity",
    "name",
    "description",
    "deactivated",
];

/// A constraint of a shape.
#[derive(Debug, Clone)]
enum Constraint {
    MinCount(usize),
    MaxCount(usize),
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
struct Shape {
    /// The shape as reported in `sh:sourceShape`: itself when it has an IRI, else the named
    /// shape it belongs to (a blank node label would differ from run to run).
    id: Term,
    /// `Some` for a property shape.
    path: Option<NamedNode>,
    targets: Vec<NamedNode>,
    constraints: Vec<Constraint>,
    message: Option<String>,
    severity: NamedNode,
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

    /// Reads shapes from Turtle, refusing SHACL features this validator does not implement.
    pub fn parse(turtle: &str) -> Result<Self> {
        let mut graph = Graph::new();
        for t in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            let t: Triple = t
                .map_err(|e| Error::Usage(format!("the shapes do not parse: {e}")))?
                .into();
            graph.insert(&t);
        }
        for t in graph.iter() {
            if let Some(local) = t.predicate.as_str().strip_prefix(SH) {
                if !SUPPORTED.contains(&local) {
                    return Err(Error::Usage(format!(
                        "the shapes use sh:{local}, which brikg's SHACL validator does not implement (it implements sh:{})",
                        SUPPORTED.join(", sh:")
                    )));
                }
            }
        }
        let mut loader = Loader {
            graph: &graph,
            shapes: Vec::new(),
            index: HashMap::new(),
        };
        let node_shapes: Vec<Term> = graph
            .subjects_for_predicate_object(rdf::TYPE, &sh("NodeShape"))
            .map(|s| s.into_owned().into())
            .collect();
        let mut node_shapes = node_shapes;
        node_shapes.sort_by_cached_key(Term::to_string);
        for s in node_shapes {
            loader.load(&s, &s)?;
        }
        Ok(Shapes {
            shapes: loader.shapes,
        })
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

struct Loader<'a> {
    graph: &'a Graph,
    shapes: Vec<Shape>,
    index: HashMap<Term, usize>,
}

impl Loader<'_> {
    fn objects(&self, s: &Term, p: &str) -> Vec<Term> {
        let Some(subject) = as_subject(s) else {
            return Vec::new();
        };
        self.graph
            .objects_for_subject_predicate(&subject, &sh(p))
            .map(|o| o.into_owned())
            .collect()
    }

    fn one(&self, s: &Term, p: &str) -> Option<Term> {
        self.objects(s, p).into_iter().next()
    }

    fn list(&self, head: &Term) -> Result<Vec<Term>> {
        let mut items = Vec::new();
        let mut node = head.clone();
        while node != Term::from(rdf::NIL) {
            let subject = as_subject(&node)
                .ok_or_else(|| Error::Usage("a SHACL list is not a list".into()))?;
            let first = self
                .graph
                .object_for_subject_predicate(&subject, rdf::FIRST);
            let rest = self.graph.object_for_subject_predicate(&subject, rdf::REST);
            match (first, rest) {
                (Some(f), Some(r)) => {
                    items.push(f.into_owned());
                    node = r.into_owned();
                }
                _ => {
                    return Err(Error::Usage(
                        "a SHACL list is not a well-formed RDF list".into(),
                    ))
                }
            }
        }
        Ok(items)
    }

    fn count(&self, s: &Term, p: &str) -> Result<Option<usize>> {
        match self.one(s, p) {
            Some(Term::Literal(l)) => l
                .value()
                .parse()
                .map(Some)
                .map_err(|_| Error::Usage(format!("sh:{p} {} is not a count", l.value()))),
            Some(_) => Err(Error::Usage(format!("sh:{p} must be an integer"))),
            None => Ok(None),
        }
    }

    fn load(&mut self, id: &Term, owner: &Term) -> Result<usize> {
        if let Some(&i) = self.index.get(id) {
            return Ok(i);
        }
        let i = self.shapes.len();
        self.index.insert(id.clone(), i);
        let owner = if matches!(id, Term::NamedNode(_)) {
            id.clone()
        } else {
            owner.clone()
        };
        self.shapes.push(Shape {
            id: owner.clone(),
            path: None,
            targets: Vec::new(),
            constraints: Vec::new(),
            message: None,
            severity: sh("Violation"),
        });
        let path = match self.one(id, "path") {
            Some(Term::NamedNode(p)) => Some(p),
            Some(_) => {
                return Err(Error::Usage(
                    "brikg's SHACL validator supports predicate paths only".into(),
                ))
            }
            None => None,
        };
        let targets = self
            .objects(id, "targetClass")
            .into_iter()
            .filter_map(|t| {
                if let Term::NamedNode(n) = t {
                    Some(n)
                } else {
                    None
                }
            })
            .collect();
        let message = self.one(id, "message").and_then(|m| match m {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        });
        let severity = match self.one(id, "severity") {
            Some(Term::NamedNode(n)) => n,
            _ => sh("Violation"),
        };
        let mut constraints = Vec::new();
        if let Some(n) = self.count(id, "minCount")? {
            constraints.push(Constraint::MinCount(n));
        }
        if let Some(n) = self.count(id, "maxCount")? {
            constraints.push(Constraint::MaxCount(n));
        }
        for (name, make) in [
            (
                "datatype",
                Constraint::Datatype as fn(NamedNode) -> Constraint,
            ),
            ("class", Constraint::Class),
            ("nodeKind", Constraint::NodeKind),
        ] {
            for v in self.objects(id, name) {
                if let Term::NamedNode(n) = v {
                    constraints.push(make(n));
                }
            }
        }
        if let Some(Term::Literal(p)) = self.one(id, "pattern") {
            let flags = match self.one(id, "flags") {
                Some(Term::Literal(f)) if f.value().contains('i') => "(?i)",
                _ => "",
            };
            let re = regex::Regex::new(&format!("{flags}{}", p.value()))
                .map_err(|e| Error::Usage(format!("sh:pattern {:?}: {e}", p.value())))?;
            constraints.push(Constraint::Pattern(re));
        }
        if let Some(head) = self.one(id, "in") {
            constraints.push(Constraint::In(self.list(&head)?));
        }
        if let Some(v) = self.one(id, "hasValue") {
            constraints.push(Constraint::HasValue(v));
        }
        for (name, min) in [("minInclusive", true), ("maxInclusive", false)] {
            if let Some(Term::Literal(l)) = self.one(id, name) {
                constraints.push(if min {
                    Constraint::MinInclusive(l)
                } else {
                    Constraint::MaxInclusive(l)
                });
            }
        }
        for (name, and) in [("or", false), ("and", true)] {
            for head in self.objects(id, name) {
                let members = self.list(&head)?;
                let mut ids = Vec::new();
                for m in members {
                    ids.push(self.load(&m, &owner)?);
                }
                constraints.push(if and {
                    Constraint::And(ids)
                } else {
                    Constraint::Or(ids)
                });
            }
        }
        for s in self.objects(id, "not") {
            let j = self.load(&s, &owner)?;
            constraints.push(Constraint::Not(j));
        }
        for s in self.objects(id, "node") {
            let j = self.load(&s, &owner)?;
            constraints.push(Constraint::Node(j));
        }
        for s in self.objects(id, "property") {
            let j = self.load(&s, &owner)?;
            constraints.push(Constraint::Property(j));
        }
        let shape = &mut self.shapes[i];
        shape.path = path;
        shape.targets = targets;
        shape.message = message;
        shape.severity = severity;
        shape.constraints = constraints;
        Ok(i)
    }
}

fn as_subject(t: &Term) -> Option<NamedOrBlankNode> {
    match t {
        Term::NamedNode(n) => Some(n.clone().into()),
        Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}

/// The data a validation sees: several graphs read as one (an article graph with the ontology
/// and the reference data), without copying them together.
pub struct DataView<'a> {
    layers: Vec<&'a Graph>,
    /// How many of the first layers hold the nodes to check; the others are context.
    focus_layers: usize,
    /// The class hierarchy, when it was computed once beforehand.
    classes: Option<&'a ClassIndex>,
}

/// The `rdfs:subClassOf` hierarchy of some graphs, computed once: each class with every class at
/// or below it.
#[derive(Debug, Default)]
pub struct ClassIndex {
    below: HashMap<NamedNode, Vec<NamedNode>>,
}

impl ClassIndex {
    /// The hierarchy stated in `graphs`.
    pub fn new(graphs: &[&Graph]) -> Self {
        let view = DataView::new(graphs.to_vec(), 0);
        let mut classes: HashSet<NamedNode> = HashSet::new();
        for g in graphs {
            for t in g.triples_for_predicate(rdfs::SUB_CLASS_OF) {
                if let (oxrdf::NamedOrBlankNodeRef::NamedNode(s), oxrdf::TermRef::NamedNode(o)) =
                    (t.subject, t.object)
                {
                    classes.insert(s.into_owned());
                    classes.insert(o.into_owned());
                }
            }
        }
        let below = classes
            .into_iter()
            .map(|c| (c.clone(), view.subclasses(&c)))
            .collect();
        ClassIndex { below }
    }
}

impl<'a> DataView<'a> {
    /// A view of `layers`, checking the nodes typed in the first `focus_layers` of them.
    pub fn new(layers: Vec<&'a Graph>, focus_layers: usize) -> Self {
        DataView {
            layers,
            focus_layers,
            classes: None,
        }
    }

    /// Uses a class hierarchy computed beforehand (the layers must add no `rdfs:subClassOf`).
    pub fn with_classes(mut self, classes: &'a ClassIndex) -> Self {
        self.classes = Some(classes);
        self
    }

    fn objects(&self, s: &Term, p: NamedNodeRef<'_>) -> Vec<Term> {
        let Some(subject) = as_subject(s) else {
            return Vec::new();
        };
        let mut values: Vec<Term> = Vec::new();
        for g in &self.layers {
            for o in g.objects_for_subject_predicate(&subject, p) {
                let o = o.into_owned();
                if !values.contains(&o) {
                    values.push(o);
                }
            }
        }
        values
    }

    fn subjects_of_type(&self, class: &NamedNode) -> Vec<Term> {
        let mut out = Vec::new();
        for g in self.layers.iter().take(self.focus_layers) {
            for s in g.subjects_for_predicate_object(rdf::TYPE, class) {
                out.push(s.into_owned().into());
            }
        }
        out
    }

    /// `class` and every class below it by `rdfs:subClassOf`.
    fn subclasses(&self, class: &NamedNode) -> Vec<NamedNode> {
        if let Some(index) = self.classes {
            return index
                .below
                .get(class)
                .cloned()
                .unwrap_or_else(|| vec![class.clone()]);
        }
        let mut out = vec![class.clone()];
        let mut seen: HashSet<NamedNode> = out.iter().cloned().collect();
        let mut i = 0;
        while i < out.len() {
            let current = out[i].clone();
            for g in &self.layers {
                for s in g.subjects_for_predicate_object(rdfs::SUB_CLASS_OF, &current) {
                    if let oxrdf::NamedOrBlankNodeRef::NamedNode(n) = s {
                        if seen.insert(n.into_owned()) {
                            out.push(n.into_owned());
                        }
                    }
                }
            }
            i += 1;
        }
        out
    }

    fn is_instance(&self, v: &Term, class: &NamedNode) -> bool {
        let types = self.objects(v, rdf::TYPE);
        if types.is_empty() {
            return false;
        }
        let allowed = self.subclasses(class);
        types
            .iter()
            .any(|t| matches!(t, Term::NamedNode(n) if allowed.contains(n)))
    }
}

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
    crate::results::display_term(term)
}

/// Collects a set of quads' triples into a graph.
pub fn graph_of<'a>(triples: impl IntoIterator<Item = oxrdf::TripleRef<'a>>) -> Graph {
    let mut g = Graph::new();
    for t in triples {
        g.insert(t);
    }
    g
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
