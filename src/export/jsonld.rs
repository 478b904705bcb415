//! Compacted JSON-LD, written as the quads stream by.
//!
//! oxjsonld writes every IRI in full beside a `@context` nothing uses, which a reader has to
//! compact before it is readable. This writer compacts as it goes, the way Apache Jena and
//! rdflib write JSON-LD: the prefixes are the `@context`; `@id`, `@type` and property keys are
//! CURIEs where a declared prefix applies; typed literals are `{"@value": …, "@type": "xsd:…"}`;
//! each named graph is an entry of the top-level `@graph` with its own `@id` and `@graph`.
//!
//! It holds one subject's quads at a time: the exports hand it quads grouped by graph and by
//! subject (the store's key order, or sorted), so a whole export of millions of quads stays
//! flat in memory. A subject that came back later in the same graph would be written as a
//! second node object with the same `@id`, which JSON-LD readers merge. Values keep their
//! lexical form as strings (no JSON numbers or booleans), so the output reads back as exactly
//! the literals written, and the same quads always give the same bytes.

use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad, Term};
use oxrdf::vocab::{rdf, xsd};
use std::io::Write;

/// A streaming writer of one compacted JSON-LD document.
pub(super) struct JsonLdWriter<W: Write> {
    out: W,
    /// `(name, namespace)`, longest namespace first, so the most specific prefix wins.
    prefixes: Vec<(String, String)>,
    /// The prefixes in the order they are declared.
    declared: Vec<(String, String)>,
    started: bool,
    /// Whether the top-level `@graph` array has an entry yet.
    top_has_entries: bool,
    /// The named graph whose object is open, and whether its `@graph` has an entry yet.
    open_graph: Option<(GraphName, bool)>,
    /// The quads of the subject being gathered.
    node: Vec<Quad>,
}

impl<W: Write> JsonLdWriter<W> {
    /// A writer declaring `prefixes` as the document's `@context`.
    pub(super) fn new(prefixes: &[(String, String)], out: W) -> Self {
        let mut by_length = prefixes.to_vec();
        by_length.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        JsonLdWriter {
            out,
            prefixes: by_length,
            declared: prefixes.to_vec(),
            started: false,
            top_has_entries: false,
            open_graph: None,
            node: Vec::new(),
        }
    }

    /// Adds a quad; its subject's node object is written once a quad of another subject or
    /// graph arrives, or at [`finish`](Self::finish).
    pub(super) fn serialize_quad(&mut self, q: Quad) -> std::io::Result<()> {
        if let Some(first) = self.node.first() {
            if first.subject != q.subject || first.graph_name != q.graph_name {
                self.write_node()?;
            }
        }
        self.node.push(q);
        Ok(())
    }

    /// Writes what is pending and closes the document; returns the writer.
    pub(super) fn finish(mut self) -> std::io::Result<W> {
        self.write_node()?;
        self.start()?;
        if self.open_graph.take().is_some() {
            self.out.write_all(b"\n      ]\n    }")?;
        }
        if self.top_has_entries {
            self.out.write_all(b"\n  ]\n}\n")?;
        } else {
            self.out.write_all(b"]\n}\n")?;
        }
        Ok(self.out)
    }

    /// The header: the context and the opening of the top-level `@graph`.
    fn start(&mut self) -> std::io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        self.out.write_all(b"{\n  \"@context\": {")?;
        for (i, (name, namespace)) in self.declared.iter().enumerate() {
            let separator = if i == 0 { "\n" } else { ",\n" };
            write!(
                self.out,
                "{separator}    {}: {}",
                json(name),
                json(namespace)
            )?;
        }
        if !self.declared.is_empty() {
            self.out.write_all(b"\n  ")?;
        }
        self.out.write_all(b"},\n  \"@graph\": [")
    }

    /// Writes the gathered subject's node object, opening or closing a named graph's object
    /// first when the graph changed.
    fn write_node(&mut self) -> std::io::Result<()> {
        if self.node.is_empty() {
            return Ok(());
        }
        self.start()?;
        let node = std::mem::take(&mut self.node);
        let graph = &node[0].graph_name;
        let same_graph = match (&self.open_graph, graph) {
            (Some((open, _)), g) => open == g,
            (None, g) => g.is_default_graph(),
        };
        if !same_graph {
            if self.open_graph.take().is_some() {
                self.out.write_all(b"\n      ]\n    }")?;
            }
            if let GraphName::NamedNode(_) | GraphName::BlankNode(_) = graph {
                self.separate_top()?;
                let id = match graph {
                    GraphName::NamedNode(n) => self.compact(n.as_str()),
                    GraphName::BlankNode(b) => format!("_:{}", b.as_str()),
                    GraphName::DefaultGraph => unreachable!("a named graph"),
                };
                write!(
                    self.out,
                    "    {{\n      \"@id\": {},\n      \"@graph\": [",
                    json(&id)
                )?;
                self.open_graph = Some((graph.clone(), false));
            }
        }
        let indent = match &mut self.open_graph {
            Some((_, has_entries)) => {
                let separator: &[u8] = if *has_entries { b",\n" } else { b"\n" };
                *has_entries = true;
                self.out.write_all(separator)?;
                "        "
            }
            None => {
                self.separate_top()?;
                "    "
            }
        };
        let text = self.node_object(&node, indent);
        self.out.write_all(text.as_bytes())?;
        // Keep the allocation for the next subject.
        self.node = node;
        self.node.clear();
        Ok(())
    }

    /// The separator before an entry of the top-level `@graph`.
    fn separate_top(&mut self) -> std::io::Result<()> {
        let separator: &[u8] = if self.top_has_entries { b",\n" } else { b"\n" };
        self.top_has_entries = true;
        self.out.write_all(separator)
    }

    /// One subject's node object: `@id`, `@type`, then each property with its values, in the
    /// order the quads came (sorted: `rdf:type` first, then by predicate).
    fn node_object(&self, node: &[Quad], indent: &str) -> String {
        let subject = match &node[0].subject {
            NamedOrBlankNode::NamedNode(n) => self.compact(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
        };
        let mut types = Vec::new();
        let mut properties: Vec<(&str, Vec<String>)> = Vec::new();
        for q in node {
            if q.predicate == rdf::TYPE {
                match &q.object {
                    Term::NamedNode(n) => {
                        types.push(json(&self.compact(n.as_str())));
                        continue;
                    }
                    Term::BlankNode(b) => {
                        types.push(json(&format!("_:{}", b.as_str())));
                        continue;
                    }
                    _ => {}
                }
            }
            let value = self.value(&q.object);
            match properties
                .iter_mut()
                .find(|(p, _)| *p == q.predicate.as_str())
            {
                Some((_, values)) => values.push(value),
                None => properties.push((q.predicate.as_str(), vec![value])),
            }
        }
        let mut text = format!("{indent}{{\n{indent}  \"@id\": {}", json(&subject));
        if !types.is_empty() {
            text.push_str(&format!(",\n{indent}  \"@type\": {}", one_or_many(&types)));
        }
        for (predicate, values) in &properties {
            text.push_str(&format!(
                ",\n{indent}  {}: {}",
                json(&self.compact(predicate)),
                one_or_many(values)
            ));
        }
        text.push_str(&format!("\n{indent}}}"));
        text
    }

    /// An object as a JSON-LD value: `{"@id": …}`, a plain string for `xsd:string`, else a
    /// value object with its language or datatype.
    fn value(&self, object: &Term) -> String {
        match object {
            Term::NamedNode(n) => format!("{{\"@id\": {}}}", json(&self.compact(n.as_str()))),
            Term::BlankNode(b) => format!("{{\"@id\": {}}}", json(&format!("_:{}", b.as_str()))),
            Term::Literal(l) => self.literal(l),
            #[allow(unreachable_patterns)]
            other => json(&other.to_string()),
        }
    }

    fn literal(&self, l: &Literal) -> String {
        if let Some(language) = l.language() {
            return format!(
                "{{\"@value\": {}, \"@language\": {}}}",
                json(l.value()),
                json(language)
            );
        }
        if l.datatype() == xsd::STRING {
            return json(l.value());
        }
        format!(
            "{{\"@value\": {}, \"@type\": {}}}",
            json(l.value()),
            json(&self.compact(l.datatype().as_str()))
        )
    }

    /// `prefix:local` for an IRI under a declared prefix, else the IRI itself. As in Turtle,
    /// a local part with `/` or `#` keeps the IRI whole, so the same IRI reads the same in
    /// every format whichever prefixes a document declares.
    fn compact(&self, iri: &str) -> String {
        self.prefixes
            .iter()
            .find_map(|(name, namespace)| {
                iri.strip_prefix(namespace.as_str())
                    .filter(|local| !local.contains(['/', '#']))
                    .map(|local| format!("{name}:{local}"))
            })
            .unwrap_or_else(|| iri.to_owned())
    }
}

/// A JSON string literal.
fn json(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

/// One value as itself, several as an array.
fn one_or_many(values: &[String]) -> String {
    match values {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;

    fn prefixes() -> Vec<(String, String)> {
        vec![
            ("schema".into(), "http://schema.org/".into()),
            ("xsd".into(), "http://www.w3.org/2001/XMLSchema#".into()),
            ("entity".into(), "http://example.org/id/entity/".into()),
        ]
    }

    fn write(quads: Vec<Quad>) -> String {
        let mut writer = JsonLdWriter::new(&prefixes(), Vec::new());
        for q in quads {
            writer.serialize_quad(q).unwrap();
        }
        String::from_utf8(writer.finish().unwrap()).unwrap()
    }

    fn node(iri: &str) -> NamedNode {
        NamedNode::new_unchecked(iri)
    }

    #[test]
    fn an_empty_dataset_is_a_context_and_an_empty_graph() {
        assert_eq!(
            write(Vec::new()),
            "{\n  \"@context\": {\n    \"schema\": \"http://schema.org/\",\n    \"xsd\": \"http://www.w3.org/2001/XMLSchema#\",\n    \"entity\": \"http://example.org/id/entity/\"\n  },\n  \"@graph\": []\n}\n"
        );
    }

    #[test]
    fn named_graphs_nest_their_nodes_and_terms_are_compacted() {
        let g = GraphName::NamedNode(node("http://example.org/id/graph/a"));
        let a = node("http://example.org/id/entity/a");
        let quads = vec![
            Quad::new(
                a.clone(),
                rdf::TYPE,
                node("http://schema.org/Place"),
                g.clone(),
            ),
            Quad::new(
                a.clone(),
                node("http://schema.org/name"),
                Literal::new_simple_literal("A"),
                g.clone(),
            ),
            Quad::new(
                a.clone(),
                node("http://schema.org/name"),
                Literal::new_language_tagged_literal_unchecked("Ä", "de"),
                g.clone(),
            ),
            Quad::new(
                a.clone(),
                node("http://schema.org/value"),
                Literal::new_typed_literal("1.50", xsd::DECIMAL),
                g.clone(),
            ),
            Quad::new(
                node("http://example.org/id/entity/b/c"),
                node("http://schema.org/about"),
                a.clone(),
                GraphName::DefaultGraph,
            ),
        ];
        let text = write(quads);
        let body = text.split_once("\"@graph\": [").unwrap().1;
        assert_eq!(
            body,
            "
    {
      \"@id\": \"http://example.org/id/graph/a\",
      \"@graph\": [
        {
          \"@id\": \"entity:a\",
          \"@type\": \"schema:Place\",
          \"schema:name\": [\"A\", {\"@value\": \"Ä\", \"@language\": \"de\"}],
          \"schema:value\": {\"@value\": \"1.50\", \"@type\": \"xsd:decimal\"}
        }
      ]
    },
    {
      \"@id\": \"http://example.org/id/entity/b/c\",
      \"schema:about\": {\"@id\": \"entity:a\"}
    }
  ]
}
"
        );
    }
}
