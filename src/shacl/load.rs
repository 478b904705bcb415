//! Reading shapes: SHACL in Turtle into [`Shapes`], refusing any component this validator does
//! not implement rather than ignoring it.

use super::{as_subject, sh, Constraint, Shape, Shapes, SH};
use crate::error::{Error, Result};
use oxigraph::io::{RdfFormat, RdfParser};
use oxrdf::vocab::rdf;
use oxrdf::{Graph, NamedNode, Term, Triple};
use std::collections::HashMap;

/// The SHACL Core components this validator implements.
const SUPPORTED: &[&str] = &[
    "targetClass",
    "property",
    "path",
    "minCount",
    "maxCount",
    "uniqueLang",
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

impl Shapes {
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
        match self.one(id, "uniqueLang") {
            Some(Term::Literal(l)) if l.value() == "true" => {
                constraints.push(Constraint::UniqueLang)
            }
            Some(Term::Literal(l)) if l.value() == "false" => {}
            Some(_) => return Err(Error::Usage("sh:uniqueLang must be true or false".into())),
            None => {}
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
