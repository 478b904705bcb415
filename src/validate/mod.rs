//! `brikg validate`: the SHACL shapes over the store, one article graph at a time, each read
//! together with the ontology and the reference data (which `sh:class` and `rdfs:subClassOf`
//! need), so memory stays bounded by the largest article. The same check runs in every build,
//! article by article as they are mapped: see [`gate`].

pub mod gate;

use crate::error::{Error, Result};
use crate::iris::Iris;
use crate::shacl::{graph_of, short, ClassIndex, DataView, Shapes, Violation};
use crate::store::KgStore;
use oxigraph::model::{GraphNameRef, NamedNode};
use oxrdf::Graph;

/// What a validation found.
#[derive(Debug)]
pub struct ValidationOutcome {
    pub violations: Vec<Violation>,
    /// Graphs checked.
    pub graphs: usize,
    /// Triples checked.
    pub triples: usize,
}

/// The ontology and reference graphs, which every article is read with.
pub struct Context {
    pub ontology: Graph,
    pub reference: Graph,
    /// The ontology's class hierarchy, computed once.
    pub classes: ClassIndex,
}

impl Context {
    /// The context as stored.
    pub fn from_store(store: &KgStore, iris: &Iris) -> Result<Self> {
        // The curator's declared kinds are classes: they are read with the ontology.
        let mut ontology = load_graph(store, &iris.ontology_graph())?;
        for t in load_graph(store, &iris.vocabulary_graph())?.iter() {
            ontology.insert(t);
        }
        Ok(Context::new(
            ontology,
            load_graph(store, &iris.reference_graph())?,
        ))
    }

    /// The context of these two graphs.
    pub fn new(ontology: Graph, reference: Graph) -> Self {
        let classes = ClassIndex::new(&[&ontology, &reference]);
        Context {
            ontology,
            reference,
            classes,
        }
    }

    /// Violations of one article graph, read with the context.
    pub fn check_article(&self, shapes: &Shapes, article: &Graph) -> Vec<Violation> {
        shapes.validate(&DataView::new(
            vec![article, &self.reference, &self.ontology],
            1,
        ))
    }

    /// Violations of the context itself (the countries).
    pub fn check_self(&self, shapes: &Shapes) -> Vec<Violation> {
        shapes.validate(
            &DataView::new(vec![&self.reference, &self.ontology], 2).with_classes(&self.classes),
        )
    }
}

fn load_graph(store: &KgStore, graph: &NamedNode) -> Result<Graph> {
    let mut g = Graph::new();
    for q in store.inner().quads_for_pattern(
        None,
        None,
        None,
        Some(GraphNameRef::NamedNode(graph.as_ref())),
    ) {
        let q = q.map_err(|e| store.error(e))?;
        g.insert(q.as_ref());
    }
    Ok(g)
}

/// Validates every graph of the store.
pub fn validate_store(store: &KgStore, iris: &Iris, shapes: &Shapes) -> Result<ValidationOutcome> {
    let context = Context::from_store(store, iris)?;
    let mut violations = context.check_self(shapes);
    let mut triples = context.ontology.len() + context.reference.len();
    let mut graphs = 2;
    let skip = [
        iris.ontology_graph(),
        iris.reference_graph(),
        iris.build_state_graph(),
        iris.vocabulary_graph(),
    ];
    for name in store.graph_names()? {
        if skip.iter().any(|s| s.as_str() == name) {
            continue;
        }
        let node = NamedNode::new_unchecked(name);
        let article = load_graph(store, &node)?;
        triples += article.len();
        graphs += 1;
        violations.extend(context.check_article(shapes, &article));
    }
    violations.sort_by_cached_key(Violation::sort_key);
    Ok(ValidationOutcome {
        violations,
        graphs,
        triples,
    })
}

/// Validates the triples of an RDF file (all its graphs merged), read with the bundled ontology.
pub fn validate_file(path: &std::path::Path, shapes: &Shapes) -> Result<ValidationOutcome> {
    let format = crate::format::GraphFormat::of_file(path).map_err(Error::Usage)?;
    let file = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.to_owned(),
        source: e,
    })?;
    let mut data = Graph::new();
    for q in
        oxigraph::io::RdfParser::from_format(format.0).for_reader(std::io::BufReader::new(file))
    {
        let q = q.map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        data.insert(oxrdf::TripleRef::from(q.as_ref()));
    }
    let ontology = graph_of(
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
            .for_slice(crate::dataset::ONTOLOGY.as_bytes())
            .filter_map(|q| q.ok())
            .map(oxrdf::Triple::from)
            .collect::<Vec<_>>()
            .iter()
            .map(|t| t.as_ref()),
    );
    let triples = data.len();
    let violations = shapes.validate(&DataView::new(vec![&data, &ontology], 1));
    Ok(ValidationOutcome {
        violations,
        graphs: 1,
        triples,
    })
}

impl ValidationOutcome {
    /// Writes what a person reads: one line when the graph conforms, else a table of the
    /// violations (severity, focus, path, value, message).
    pub fn write_summary(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.violations.is_empty() {
            return writeln!(
                out,
                "conforms: {} triples in {} graphs checked",
                self.triples, self.graphs
            );
        }
        let header: Vec<String> = ["severity", "focus", "path", "value", "message"]
            .map(String::from)
            .to_vec();
        let rows: Vec<Vec<String>> = self
            .violations
            .iter()
            .map(|v| {
                vec![
                    v.severity
                        .as_str()
                        .rsplit('#')
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                    short(&v.focus),
                    v.path
                        .as_ref()
                        .map(|p| short(&p.clone().into()))
                        .unwrap_or_default(),
                    v.value.as_ref().map(short).unwrap_or_default(),
                    v.message.clone(),
                ]
            })
            .collect();
        crate::results::write_table(&header, &rows, out)
    }

    /// Writes the standard `sh:ValidationReport` as Turtle, with the usual prefixes.
    pub fn write_report(&self, out: &mut dyn std::io::Write) -> Result<()> {
        let mut serializer =
            oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::Turtle);
        for (name, iri) in crate::vocab::PREFIXES {
            serializer = serializer
                .with_prefix(*name, *iri)
                .expect("valid prefix IRI");
        }
        let mut writer = serializer.for_writer(out);
        for t in &crate::shacl::report(&self.violations) {
            writer.serialize_triple(t).map_err(Error::Output)?;
        }
        writer.finish().map_err(Error::Output)?;
        Ok(())
    }
}
