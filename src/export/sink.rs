//! The writing end of every export: one serializer per format (compacted JSON-LD by our own
//! [`super::jsonld`] writer, the others by oxigraph's), subjects grouped with `rdf:type` first,
//! a fixed sort order for the exports that sort, and the prefixes each declares.

use super::jsonld::JsonLdWriter;
use crate::format::GraphFormat;
use crate::iris::Iris;
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Quad, Term};
use oxrdf::vocab::{rdf, xsd};
use std::collections::BTreeSet;
use std::io::Write;

/// The writing end of a streaming export: a serializer, and for the formats that nest a
/// subject's triples, the current subject's quads, written together once the subject changes.
pub(super) struct Sink<W: Write> {
    serializer: Serializer<W>,
    triples_only: bool,
    /// Group each subject's quads (not for the line formats, which write them as they come).
    group: bool,
    pending: Vec<Quad>,
    written: usize,
}

enum Serializer<W: Write> {
    Rdf(oxigraph::io::WriterQuadSerializer<W>),
    JsonLd(JsonLdWriter<W>),
}

impl<W: Write> Sink<W> {
    /// A sink declaring `prefixes` (in the formats that have them); with `group`, it gathers
    /// each subject's quads before writing them.
    pub(super) fn new(
        format: GraphFormat,
        prefixes: &[(String, String)],
        group: bool,
        writer: W,
    ) -> Self {
        let serializer = match format.0 {
            RdfFormat::JsonLd { .. } => Serializer::JsonLd(JsonLdWriter::new(prefixes, writer)),
            f => {
                let mut serializer = RdfSerializer::from_format(f);
                // RDF/XML declares them as `xmlns:` attributes of `rdf:RDF` and writes element
                // names with them.
                if matches!(f, RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::RdfXml) {
                    for (name, iri) in prefixes {
                        serializer = serializer
                            .with_prefix(name.as_str(), iri.as_str())
                            .expect("valid prefix IRI");
                    }
                }
                Serializer::Rdf(serializer.for_writer(writer))
            }
        };
        Sink {
            serializer,
            triples_only: !format.supports_datasets(),
            group,
            pending: Vec::new(),
            written: 0,
        }
    }

    pub(super) fn push(&mut self, mut q: Quad) -> std::io::Result<()> {
        if self.triples_only {
            q.graph_name = GraphName::DefaultGraph;
        }
        if !self.group {
            return self.write(q);
        }
        if let Some(first) = self.pending.first() {
            if first.subject != q.subject || first.graph_name != q.graph_name {
                self.flush_subject()?;
            }
        }
        self.pending.push(q);
        Ok(())
    }

    fn flush_subject(&mut self) -> std::io::Result<()> {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable_by(compare_quads);
        for q in pending.drain(..) {
            self.write(q)?;
        }
        self.pending = pending;
        Ok(())
    }

    fn write(&mut self, q: Quad) -> std::io::Result<()> {
        self.written += 1;
        match &mut self.serializer {
            Serializer::Rdf(s) => s.serialize_quad(&q),
            Serializer::JsonLd(s) => s.serialize_quad(q),
        }
    }

    pub(super) fn finish(mut self) -> std::io::Result<usize> {
        self.flush_subject()?;
        match self.serializer {
            Serializer::Rdf(s) => s.finish()?.flush()?,
            Serializer::JsonLd(s) => s.finish()?.flush()?,
        }
        Ok(self.written)
    }
}

/// The prefixes a streaming export declares: the standard vocabularies' and the data's, all of
/// them, since the output is written before it is known which it uses. (The serializer writes
/// an IRI in full when its local part would not be a valid prefixed name.)
pub(super) fn standard_prefixes(iris: &Iris) -> Vec<(String, String)> {
    vocab::PREFIXES
        .iter()
        .map(|(n, i)| ((*n).to_owned(), (*i).to_owned()))
        .chain(iris.shared_prefixes())
        .collect()
}

/// Sorts, de-duplicates and writes quads. Public so the determinism of the order can be tested
/// without a store.
pub fn write_sorted(
    quads: Vec<Quad>,
    iris: &Iris,
    format: GraphFormat,
    writer: impl Write,
) -> std::io::Result<usize> {
    let triples_only = !format.supports_datasets();
    let mut quads = quads;
    if triples_only {
        for q in &mut quads {
            q.graph_name = GraphName::DefaultGraph;
        }
    }
    quads.sort_unstable_by(compare_quads);
    quads.dedup();
    // Sorted already: nothing to group.
    let mut sink = Sink::new(format, &used_prefixes(quads.iter(), iris), false, writer);
    for q in quads {
        sink.push(q)?;
    }
    sink.finish()
}

/// The sort order: graph, subject, `rdf:type` before other predicates, predicate, object; terms
/// by kind, then text. Compares in place, without building keys, so large exports sort fast.
pub(super) fn compare_quads(a: &Quad, b: &Quad) -> std::cmp::Ordering {
    compare_graph(&a.graph_name, &b.graph_name)
        .then_with(|| compare_subject(&a.subject, &b.subject))
        .then_with(|| (a.predicate != rdf::TYPE).cmp(&(b.predicate != rdf::TYPE)))
        .then_with(|| a.predicate.as_str().cmp(b.predicate.as_str()))
        .then_with(|| compare_term(&a.object, &b.object))
}

fn compare_graph(a: &GraphName, b: &GraphName) -> std::cmp::Ordering {
    let key = |g: &GraphName| -> (u8, String) {
        match g {
            GraphName::DefaultGraph => (0, String::new()),
            GraphName::NamedNode(n) => (1, n.as_str().to_owned()),
            GraphName::BlankNode(b) => (2, b.as_str().to_owned()),
        }
    };
    if a == b {
        return std::cmp::Ordering::Equal;
    }
    key(a).cmp(&key(b))
}

fn compare_subject(
    a: &oxigraph::model::NamedOrBlankNode,
    b: &oxigraph::model::NamedOrBlankNode,
) -> std::cmp::Ordering {
    use oxigraph::model::NamedOrBlankNode::{BlankNode, NamedNode};
    match (a, b) {
        (NamedNode(x), NamedNode(y)) => x.as_str().cmp(y.as_str()),
        (BlankNode(x), BlankNode(y)) => x.as_str().cmp(y.as_str()),
        (NamedNode(_), _) => std::cmp::Ordering::Less,
        (_, NamedNode(_)) => std::cmp::Ordering::Greater,
    }
}

fn compare_term(a: &Term, b: &Term) -> std::cmp::Ordering {
    let rank = |t: &Term| match t {
        Term::NamedNode(_) => 0,
        Term::BlankNode(_) => 1,
        Term::Literal(_) => 2,
        #[allow(unreachable_patterns)]
        _ => 3,
    };
    match (a, b) {
        (Term::NamedNode(x), Term::NamedNode(y)) => x.as_str().cmp(y.as_str()),
        (Term::BlankNode(x), Term::BlankNode(y)) => x.as_str().cmp(y.as_str()),
        (Term::Literal(x), Term::Literal(y)) => x
            .value()
            .cmp(y.value())
            .then_with(|| x.datatype().as_str().cmp(y.datatype().as_str()))
            .then_with(|| x.language().cmp(&y.language())),
        _ => rank(a).cmp(&rank(b)),
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
    let candidates = vocab::PREFIXES
        .iter()
        .map(|(n, i)| ((*n).to_owned(), (*i).to_owned()))
        .chain(iris.shared_prefixes());
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
    use oxigraph::model::{Literal, NamedNode, NamedNodeRef};

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
