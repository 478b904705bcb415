//! The data a validation reads: several graphs seen as one, and the class hierarchy.

use super::as_subject;
use oxrdf::vocab::{rdf, rdfs};
use oxrdf::{Graph, NamedNode, NamedNodeRef, Term};
use std::collections::{HashMap, HashSet};

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

    pub(super) fn objects(&self, s: &Term, p: NamedNodeRef<'_>) -> Vec<Term> {
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

    pub(super) fn subjects_of_type(&self, class: &NamedNode) -> Vec<Term> {
        let mut out = Vec::new();
        for g in self.layers.iter().take(self.focus_layers) {
            for s in g.subjects_for_predicate_object(rdf::TYPE, class) {
                out.push(s.into_owned().into());
            }
        }
        out
    }

    /// `class` and every class below it by `rdfs:subClassOf`.
    pub(super) fn subclasses(&self, class: &NamedNode) -> Vec<NamedNode> {
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

    pub(super) fn is_instance(&self, v: &Term, class: &NamedNode) -> bool {
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

/// Collects a set of quads' triples into a graph.
pub fn graph_of<'a>(triples: impl IntoIterator<Item = oxrdf::TripleRef<'a>>) -> Graph {
    let mut g = Graph::new();
    for t in triples {
        g.insert(t);
    }
    g
}
