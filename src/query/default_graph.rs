//! The default graph, which brikg leaves empty: every article is a named graph (as in
//! Oxigraph and Fuseki; Virtuoso's default is the union). A person's first own query often
//! reads it anyway; this says so instead of answering with silence.

use crate::error::{Error, Result};

/// Said when a person's own query reads the default graph (even a count, which answers 0): brikg keeps every
/// article in a named graph, so the default graph is empty, as in Oxigraph and Fuseki.
pub const EMPTY: &str = "this query reads the default graph, which is empty (every article is a named graph), so its patterns outside GRAPH match nothing; wrap its patterns in GRAPH ?g { … } as the bundled queries do (`brikg query NAME --print-query` shows one), or add --union-default-graph to read all graphs as one (slower on a large store: every pattern then scans every graph)";

/// Whether a query matches triple patterns against the default graph (outside any `GRAPH`)
/// without naming its own dataset (`FROM`).
pub fn reads_default_graph(query: &spargebra::Query) -> bool {
    use spargebra::algebra::GraphPattern as P;
    fn outside(p: &P) -> bool {
        match p {
            P::Bgp { patterns } => !patterns.is_empty(),
            P::Path { .. } => true,
            P::Graph { .. } | P::Service { .. } | P::Values { .. } => false,
            P::Join { left, right }
            | P::LeftJoin { left, right, .. }
            | P::Lateral { left, right }
            | P::Union { left, right }
            | P::Minus { left, right } => outside(left) || outside(right),
            P::Filter { inner, .. }
            | P::Extend { inner, .. }
            | P::OrderBy { inner, .. }
            | P::Project { inner, .. }
            | P::Distinct { inner }
            | P::Reduced { inner }
            | P::Slice { inner, .. }
            | P::Group { inner, .. } => outside(inner),
        }
    }
    let (dataset, pattern) = match query {
        spargebra::Query::Select {
            dataset, pattern, ..
        }
        | spargebra::Query::Construct {
            dataset, pattern, ..
        }
        | spargebra::Query::Describe {
            dataset, pattern, ..
        }
        | spargebra::Query::Ask {
            dataset, pattern, ..
        } => (dataset, pattern),
    };
    dataset.is_none() && outside(pattern)
}

/// Whether the store's default graph holds no triple.
pub fn is_empty(store: &oxigraph::store::Store) -> Result<bool> {
    match store
        .quads_for_pattern(
            None,
            None,
            None,
            Some(oxigraph::model::GraphNameRef::DefaultGraph),
        )
        .next()
    {
        None => Ok(true),
        Some(Ok(_)) => Ok(false),
        Some(Err(e)) => Err(Error::Query(format!("reading the store: {e}"))),
    }
}
