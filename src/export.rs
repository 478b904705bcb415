//! Writes the store's graphs in any RDF format, byte-identical for the same content.
//!
//! A whole export streams the store in its own key order, which depends on the content only
//! (Oxigraph keys terms by value or by a fixed hash of it): the same data always gives the same
//! bytes, memory stays flat, and nothing is sorted. One thread reads the store and computes the
//! VoID description on the way, the other writes, so the export keeps pace with the store's own
//! dump. In Turtle, TriG, RDF/XML and JSON-LD each subject's triples are written together with
//! `rdf:type` first, and the standard prefixes are declared.
//!
//! One graph (`--graph`, `--split`, `describe`) is small: it is sorted (graph, subject,
//! `rdf:type` first, predicate, object) and declares only the prefixes it uses.

use crate::describe::DescribeOptions;
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
/// A whole export also carries the dataset's VoID/DCAT description as the graph
/// `<base>graph/void`, computed from what it exports; the build state is never exported.
pub fn export(
    store: &KgStore,
    iris: &Iris,
    describe: &DescribeOptions,
    options: &ExportOptions,
    writer: impl Write,
) -> Result<usize> {
    if options.graph.is_none() || matches!(options.format.0, RdfFormat::NQuads) {
        return stream(store, iris, describe, options, writer);
    }
    let quads = select(store, iris, options)?;
    write_sorted(quads, iris, options.format, writer).map_err(Error::Output)
}

/// Quads travel from a reading thread to the writing thread in batches of this many.
const BATCH: usize = 4096;

/// What a reading thread sends: a graph's quads, batch by batch, then the end of that graph.
enum Chunk {
    Quads(Vec<Quad>),
    EndOfGraph,
}

/// Streams the selected graphs from the store's index, in its key order, the description
/// appended (for a whole export).
///
/// Decoding the store's keys back into terms (a lookup per term) is most of an export's cost,
/// so graphs are decoded on several threads: graph `i` by thread `i % n`, each thread in
/// graph order, while this thread takes graph after graph from the thread that has it, and
/// writes and describes. The output is the store's key order, whatever the number of threads.
fn stream(
    store: &KgStore,
    iris: &Iris,
    describe: &DescribeOptions,
    options: &ExportOptions,
    writer: impl Write,
) -> Result<usize> {
    let store_err = |e| store.error(e);
    let whole = options.graph.is_none();
    let graphs: Vec<GraphName> = match graph_filter(store, options)? {
        Some(g) => vec![GraphName::NamedNode(g)],
        None => {
            // The store's key order: the default graph, then the named graphs in the order of
            // their keys (that of `named_graphs`).
            let build_state = crate::build::state_graph(iris);
            let mut graphs = vec![GraphName::DefaultGraph];
            for g in store.inner().named_graphs() {
                let g = g.map_err(store_err)?;
                if !matches!(&g, oxigraph::model::NamedOrBlankNode::NamedNode(n) if *n == build_state)
                {
                    graphs.push(g.into());
                }
            }
            graphs
        }
    };
    let readers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(1, 8)
        .min(graphs.len().max(1));
    let mut describer = whole.then(|| crate::describe::Describer::new(iris));
    let group = !matches!(options.format.0, RdfFormat::NQuads | RdfFormat::NTriples);
    let mut sink = Sink::new(options.format, &standard_prefixes(iris), group, writer);
    std::thread::scope(|scope| {
        let mut receivers = Vec::with_capacity(readers);
        let mut handles = Vec::with_capacity(readers);
        for k in 0..readers {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Chunk>(8);
            receivers.push(receiver);
            let graphs = &graphs;
            handles.push(scope.spawn(move || -> Result<()> {
                for graph in graphs.iter().skip(k).step_by(readers) {
                    let mut batch = Vec::with_capacity(BATCH);
                    for q in store
                        .inner()
                        .quads_for_pattern(None, None, None, Some(graph.as_ref()))
                    {
                        batch.push(q.map_err(store_err)?);
                        if batch.len() == BATCH {
                            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                            if sender.send(Chunk::Quads(full)).is_err() {
                                // The writer stopped on an error, which it reports.
                                return Ok(());
                            }
                        }
                    }
                    if !batch.is_empty() && sender.send(Chunk::Quads(batch)).is_err() {
                        return Ok(());
                    }
                    if sender.send(Chunk::EndOfGraph).is_err() {
                        return Ok(());
                    }
                }
                Ok(())
            }));
        }
        let mut written: std::io::Result<()> = Ok(());
        'graphs: for i in 0..graphs.len() {
            loop {
                match receivers[i % readers].recv() {
                    Ok(Chunk::Quads(batch)) => {
                        for q in batch {
                            if let Some(describer) = &mut describer {
                                describer.add(q.as_ref());
                            }
                            written = sink.push(q);
                            if written.is_err() {
                                break 'graphs;
                            }
                        }
                    }
                    Ok(Chunk::EndOfGraph) => break,
                    // The reader failed: its error is reported below.
                    Err(_) => break 'graphs,
                }
            }
        }
        drop(receivers);
        for handle in handles {
            handle.join().expect("an export reader panicked")?;
        }
        written.map_err(Error::Output)
    })?;
    if let Some(describer) = describer {
        let mut description = describer.finish(iris, describe);
        description.sort_unstable_by(compare_quads);
        for q in description {
            sink.push(q).map_err(Error::Output)?;
        }
    }
    sink.finish().map_err(Error::Output)
}

/// The writing end of a streaming export: a serializer, and for the formats that nest a
/// subject's triples, the current subject's quads, written together once the subject changes.
struct Sink<W: Write> {
    serializer: Serializer<W>,
    triples_only: bool,
    /// Group each subject's quads (not for the line formats, which write them as they come).
    group: bool,
    pending: Vec<Quad>,
    written: usize,
}

enum Serializer<W: Write> {
    Rdf(oxigraph::io::WriterQuadSerializer<W>),
    JsonLd(oxjsonld::WriterJsonLdSerializer<W>),
}

impl<W: Write> Sink<W> {
    /// A sink declaring `prefixes` (in the formats that have them); with `group`, it gathers
    /// each subject's quads before writing them.
    fn new(format: GraphFormat, prefixes: &[(String, String)], group: bool, writer: W) -> Self {
        let serializer = match format.0 {
            RdfFormat::JsonLd { .. } => {
                // oxrdfio ignores prefixes for JSON-LD; oxjsonld's own serializer writes them as
                // the document's @context.
                let mut serializer = oxjsonld::JsonLdSerializer::new();
                for (name, iri) in prefixes {
                    serializer = serializer
                        .with_prefix(name.as_str(), iri.as_str())
                        .expect("valid prefix IRI");
                }
                Serializer::JsonLd(serializer.for_writer(writer))
            }
            f => {
                let mut serializer = RdfSerializer::from_format(f);
                if matches!(f, RdfFormat::Turtle | RdfFormat::TriG) {
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

    fn push(&mut self, mut q: Quad) -> std::io::Result<()> {
        if self.triples_only {
            q.graph_name = GraphName::DefaultGraph;
        }
        if !self.group {
            return self.write(&q);
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
            self.write(&q)?;
        }
        self.pending = pending;
        Ok(())
    }

    fn write(&mut self, q: &Quad) -> std::io::Result<()> {
        self.written += 1;
        match &mut self.serializer {
            Serializer::Rdf(s) => s.serialize_quad(q),
            Serializer::JsonLd(s) => s.serialize_quad(q),
        }
    }

    fn finish(mut self) -> std::io::Result<usize> {
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
fn standard_prefixes(iris: &Iris) -> Vec<(String, String)> {
    vocab::PREFIXES
        .iter()
        .map(|(n, i)| ((*n).to_owned(), (*i).to_owned()))
        .chain(data_prefixes(iris))
        .collect()
}

fn data_prefixes(iris: &Iris) -> [(String, String); 6] {
    [
        "country",
        "entity",
        "organization",
        "measure",
        "field",
        "person",
    ]
    .map(|name| (name.to_owned(), format!("{}{name}/", iris.base())))
}

/// The one graph to export, checked to exist.
fn graph_filter(store: &KgStore, options: &ExportOptions) -> Result<Option<NamedNode>> {
    let Some(g) = &options.graph else {
        return Ok(None);
    };
    let exists = store
        .inner()
        .contains_named_graph(g)
        .map_err(|e| store.error(e))?;
    if !exists {
        let known = store.graph_names()?.join(", ");
        return Err(Error::Usage(format!(
            "there is no graph <{}> in the store; its graphs are: {known}",
            g.as_str()
        )));
    }
    Ok(Some(g.clone()))
}

/// The VoID/DCAT description of the store's graphs (the build state left out), computed in one
/// pass over the store without holding its quads.
pub fn describe_store(
    store: &KgStore,
    iris: &Iris,
    options: &DescribeOptions,
) -> Result<Vec<Quad>> {
    let build_state = crate::build::state_graph(iris);
    let mut describer = crate::describe::Describer::new(iris);
    for q in store.inner().iter() {
        let q = q.map_err(|e| store.error(e))?;
        if !matches!(&q.graph_name, GraphName::NamedNode(g) if *g == build_state) {
            describer.add(q.as_ref());
        }
    }
    Ok(describer.finish(iris, options))
}

fn select(store: &KgStore, iris: &Iris, options: &ExportOptions) -> Result<Vec<Quad>> {
    let build_state = crate::build::state_graph(iris);
    let store_err = |e| store.error(e);
    let filter = graph_filter(store, options)?;
    let graph_filter = filter.as_ref().map(|g| GraphNameRef::NamedNode(g.as_ref()));
    let mut quads = Vec::new();
    for q in store
        .inner()
        .quads_for_pattern(None, None, None, graph_filter)
    {
        let q = q.map_err(store_err)?;
        if options.graph.is_none()
            && matches!(&q.graph_name, GraphName::NamedNode(g) if *g == build_state)
        {
            continue;
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

/// One file of a split export, as listed in its manifest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SplitFile {
    /// The file name, relative to the output directory.
    pub file: String,
    /// The named graph the file holds.
    pub graph: String,
    /// Its number of triples.
    pub triples: usize,
    /// Its size in bytes, as written (compressed when gzip).
    pub bytes: u64,
}

/// Whether split files are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
}

/// The name of the manifest a split export writes beside its files.
pub const MANIFEST: &str = "manifest.json";

/// Writes one file per named graph into `dir`, plus `manifest.json` listing file, graph, triple
/// count and size, for bulk loaders that take a directory of files.
pub fn export_split(
    store: &KgStore,
    iris: &Iris,
    describe: &DescribeOptions,
    options: &ExportOptions,
    compression: Compression,
    dir: &std::path::Path,
) -> Result<Vec<SplitFile>> {
    let io = |path: &std::path::Path, e: std::io::Error| Error::Io {
        path: path.to_owned(),
        source: e,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let build_state = crate::build::state_graph(iris);
    let void_graph = crate::describe::void_graph(iris);
    let mut graphs: Vec<String> = match &options.graph {
        Some(g) => vec![g.as_str().to_owned()],
        None => store
            .graph_names()?
            .into_iter()
            .filter(|g| g != build_state.as_str())
            .collect(),
    };
    let description = if options.graph.is_none() {
        graphs.push(void_graph.as_str().to_owned());
        describe_store(store, iris, describe)?
    } else {
        Vec::new()
    };
    let mut files = Vec::new();
    for graph in graphs {
        let node = NamedNode::new(graph.clone())
            .map_err(|e| Error::Usage(format!("graph {graph}: {e}")))?;
        let quads = if node == void_graph && options.graph.is_none() {
            description.clone()
        } else {
            let one = ExportOptions {
                format: options.format,
                graph: Some(node),
            };
            select(store, iris, &one)?
        };
        let mut name = format!("{}.{}", file_stem(&graph, iris), options.format.extension());
        if compression == Compression::Gzip {
            name.push_str(".gz");
        }
        let path = dir.join(&name);
        let file = std::fs::File::create(&path).map_err(|e| io(&path, e))?;
        let writer = std::io::BufWriter::new(file);
        let triples = match compression {
            Compression::None => write_sorted(quads, iris, options.format, writer),
            Compression::Gzip => {
                // A fixed header (no name, mtime 0) keeps compressed files byte-identical too.
                let mut gz = flate2::GzBuilder::new()
                    .mtime(0)
                    .write(writer, flate2::Compression::default());
                write_sorted(quads, iris, options.format, &mut gz)
                    .and_then(|n| gz.finish().map(|_| n))
            }
        }
        .map_err(|e| io(&path, e))?;
        let bytes = std::fs::metadata(&path).map_err(|e| io(&path, e))?.len();
        files.push(SplitFile {
            file: name,
            graph,
            triples,
            bytes,
        });
    }
    let manifest = serde_json::json!({
        "format": options.format.0.media_type(),
        "compression": match compression { Compression::None => "none", Compression::Gzip => "gzip" },
        "files": files,
    });
    let path = dir.join(MANIFEST);
    let text = serde_json::to_string_pretty(&manifest).expect("serializable") + "\n";
    std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    Ok(files)
}

/// A readable file name for a graph: its path under `<base>graph/` with `/` as `-`, else the
/// percent-free characters of its IRI.
fn file_stem(graph: &str, iris: &Iris) -> String {
    let rest = graph.strip_prefix(&iris.graph_prefix()).unwrap_or(graph);
    rest.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .to_owned()
}

/// The sort order: graph, subject, `rdf:type` before other predicates, predicate, object; terms
/// by kind, then text. Compares in place, without building keys, so large exports sort fast.
fn compare_quads(a: &Quad, b: &Quad) -> std::cmp::Ordering {
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
        .chain(data_prefixes(iris));
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
