//! Writes the store's graphs in any RDF format, byte-identical for the same content.
//!
//! Quads are sorted (graph, subject, `rdf:type` first, predicate, object) before writing, so the
//! Turtle serializer groups each subject's triples, and the same graph always gives the same
//! bytes whatever order the store returned it in. Turtle and TriG declare only the prefixes the
//! output uses.

use crate::error::{Error, Result};
use crate::format::GraphFormat;
use crate::mapping::Iris;
use crate::store::KgStore;
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad, Term};
use oxrdf::vocab::{rdf, xsd};
use std::collections::BTreeSet;
use std::io::Write;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: GraphFormat,
    /// One named graph; `None` means all (merged into one graph for the triple formats).
    pub graph: Option<NamedNode>,
}

/// Writes the selected graphs to `writer` and returns the number of triples or quads written.
pub fn export(
    store: &KgStore,
    iris: &Iris,
    options: &ExportOptions,
    writer: impl Write,
) -> Result<usize> {
    let quads = select(store, options)?;
    write_sorted(quads, iris, options.format, writer).map_err(Error::Output)
}

fn select(store: &KgStore, options: &ExportOptions) -> Result<Vec<Quad>> {
    let store_err = |e: oxigraph::store::StorageError| Error::Store {
        path: store.path().to_owned(),
        message: e.to_string(),
    };
    let graph_filter = match &options.graph {
        Some(g) => {
            if !store.inner().contains_named_graph(g).map_err(store_err)? {
                let known = store.graph_names()?.join(", ");
                return Err(Error::Usage(format!(
                    "there is no graph <{}> in the store; its graphs are: {known}",
                    g.as_str()
                )));
            }
            Some(GraphNameRef::NamedNode(g.as_ref()))
        }
        None => None,
    };
    let mut quads = Vec::new();
    for q in store
        .inner()
        .quads_for_pattern(None, None, None, graph_filter)
    {
        let mut q = q.map_err(store_err)?;
        if !options.format.supports_datasets() {
            q.graph_name = GraphName::DefaultGraph;
        }
        quads.push(q);
    }
    Ok(quads)
}

/// Sorts, de-duplicates and writes quads. Public so the determinism of the order can be tested
/// without a store.
pub fn write_sorted(
    quads: Vec<Quad>,
    iris: &Iris,
    format: GraphFormat,
    writer: impl Write,
) -> std::io::Result<usize> {
    let mut keyed: Vec<(SortKey, Quad)> = quads.into_iter().map(|q| (SortKey::of(&q), q)).collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    let mut serializer = RdfSerializer::from_format(format.0);
    if matches!(format.0, RdfFormat::Turtle | RdfFormat::TriG) {
        for (name, iri) in used_prefixes(keyed.iter().map(|(_, q)| q), iris) {
            serializer = serializer.with_prefix(name, iri).expect("valid prefix IRI");
        }
    }
    let mut writer = serializer.for_writer(writer);
    for (_, q) in &keyed {
        writer.serialize_quad(q)?;
    }
    writer.finish()?.flush()?;
    Ok(keyed.len())
}

/// The sort order: graph, subject, `rdf:type` before other predicates, predicate, object.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    graph: String,
    subject: String,
    not_type: bool,
    predicate: String,
    object: String,
}

impl SortKey {
    fn of(q: &Quad) -> Self {
        SortKey {
            graph: match &q.graph_name {
                GraphName::DefaultGraph => String::new(),
                g => g.to_string(),
            },
            subject: q.subject.to_string(),
            not_type: q.predicate != rdf::TYPE,
            predicate: q.predicate.as_str().to_owned(),
            object: q.object.to_string(),
        }
    }
}

/// The prefixes the output needs: a prefix is declared when at least one IRI is written with
/// it, and data prefixes (under the IRI base) only when none of their IRIs would need escapes.
fn used_prefixes<'a>(quads: impl Iterator<Item = &'a Quad>, iris: &Iris) -> Vec<(String, String)> {
    let mut iris_used: BTreeSet<&str> = BTreeSet::new();
    for q in quads {
        if q.predicate != rdf::TYPE {
            // rdf:type is written `a`.
            iris_used.insert(q.predicate.as_str());
        }
        if let oxigraph::model::NamedOrBlankNode::NamedNode(n) = &q.subject {
            iris_used.insert(n.as_str());
        }
        if let GraphName::NamedNode(n) = &q.graph_name {
            iris_used.insert(n.as_str());
        }
        match &q.object {
            Term::NamedNode(n) => {
                iris_used.insert(n.as_str());
            }
            Term::Literal(l) if !written_inline(l) => {
                iris_used.insert(l.datatype().as_str());
            }
            _ => {}
        }
    }
    let data = [
        "country",
        "entity",
        "organization",
        "measure",
        "field",
        "person",
    ]
    .map(|name| (name.to_owned(), format!("{}{name}/", iris.base())));
    let candidates = vocab::PREFIXES
        .iter()
        .map(|(n, i)| ((*n).to_owned(), (*i).to_owned()))
        .chain(data);
    candidates
        .filter(|(_, ns)| {
            let locals: Vec<&str> = iris_used
                .iter()
                .filter_map(|i| i.strip_prefix(ns.as_str()))
                .collect();
            !locals.is_empty() && locals.iter().all(|l| !l.contains(['/', '#']))
        })
        .collect()
}

/// Whether Turtle writes the literal without `^^datatype` (as oxttl does).
fn written_inline(literal: &oxigraph::model::Literal) -> bool {
    let value = literal.value();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    match literal.datatype() {
        xsd::STRING | rdf::LANG_STRING => true,
        xsd::INTEGER => digits(unsigned),
        xsd::DECIMAL => unsigned
            .split_once('.')
            .is_some_and(|(i, f)| (i.is_empty() || digits(i)) && digits(f)),
        xsd::BOOLEAN => value == "true" || value == "false",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNodeRef};

    fn quad(s: &str, p: NamedNodeRef<'_>, o: impl Into<Term>) -> Quad {
        Quad::new(NamedNode::new_unchecked(s), p, o, GraphName::DefaultGraph)
    }

    #[test]
    fn turtle_groups_subjects_puts_types_first_and_declares_only_used_prefixes() {
        let iris = Iris::new("http://example.org/id/").unwrap();
        let b = "http://example.org/id/entity/b";
        let a = "http://example.org/id/entity/a";
        let quads = vec![
            quad(b, vocab::schema::NAME, Literal::new_simple_literal("B")),
            quad(a, vocab::schema::NAME, Literal::new_simple_literal("A")),
            quad(b, rdf::TYPE, vocab::brikg::RAILWAY),
            quad(
                a,
                vocab::schema::VALUE,
                Literal::new_typed_literal("1.5", xsd::DECIMAL),
            ),
            quad(a, vocab::schema::NAME, Literal::new_simple_literal("A")),
        ];
        let mut out = Vec::new();
        let n = write_sorted(quads, &iris, GraphFormat(RdfFormat::Turtle), &mut out).unwrap();
        assert_eq!(n, 4);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "@prefix brikg: <https://w3id.org/brikg/ontology#> .\n\
             @prefix entity: <http://example.org/id/entity/> .\n\
             @prefix schema: <http://schema.org/> .\n\
             entity:a schema:name \"A\" ;\n\tschema:value 1.5 .\n\
             entity:b a brikg:Railway ;\n\tschema:name \"B\" .\n"
        );
    }
}
