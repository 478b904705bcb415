//! The quads a mapping writes, collected into one named graph in the order they are written.

use oxrdf::{GraphName, NamedNode, NamedNodeRef, Quad, Term};

/// The quads of one article, in its own named graph.
#[derive(Debug)]
pub struct ArticleGraph {
    pub id: String,
    pub graph: NamedNode,
    pub quads: Vec<Quad>,
}

/// Collects quads into one graph, in insertion order.
pub(crate) struct Emitter {
    graph: GraphName,
    pub(crate) quads: Vec<Quad>,
}

impl Emitter {
    pub(crate) fn new(graph: NamedNode) -> Self {
        Emitter {
            graph: graph.into(),
            quads: Vec::new(),
        }
    }
    pub(crate) fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads
            .push(Quad::new(s.clone(), p, o.into(), self.graph.clone()));
    }
}
