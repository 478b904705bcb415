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
//!
//! What an export holds is what the store holds, with two differences that [`Written::summary`]
//! says each time: the build record `<base>graph/build` (which file each article graph came
//! from) is bookkeeping and never exported, and the description `<base>graph/void` is not
//! stored but computed from the exported quads and added, so it always describes exactly them.
//! `--graph <base>graph/void` exports that description alone.
//!
//! The serializers and the sort order are in [`sink`], compacted JSON-LD in [`jsonld`],
//! `--split` in [`split`]; an export without a store is the mapping pipeline's
//! ([`crate::pipeline::map_to_writer`]).

mod jsonld;
mod sink;
mod split;

pub use sink::write_sorted;
pub use split::{export_split, Compression, SplitFile, MANIFEST};

use crate::describe::DescribeOptions;
use crate::error::{Error, Result};
use crate::format::GraphFormat;
use crate::iris::Iris;
use crate::store::KgStore;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad};
use sink::{compare_quads, standard_prefixes, Sink};
use std::io::Write;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: GraphFormat,
    /// One named graph; `None` means all (merged into one graph for the triple formats).
    pub graph: Option<NamedNode>,
}

/// What an export wrote, counted by where it came from, so that the command can say how its
/// count relates to the build's and `describe`'s (which count the stored graphs only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The graph asked for, or `None` for a whole export.
    pub graph: Option<NamedNode>,
    /// Triples or quads written, the description's included.
    pub quads: usize,
    /// Stored graphs that had quads to write.
    pub graphs: usize,
    /// Quads of the computed description `<base>graph/void`.
    pub description: usize,
}

impl Written {
    /// One line saying what was written and what was left out.
    pub fn summary(&self, iris: &Iris) -> String {
        match &self.graph {
            None => format!(
                "exported {} quads: {} in the store's {} graphs and {} in the description {}, computed for this export; the build record {} is never exported",
                self.quads,
                self.quads - self.description,
                self.graphs,
                self.description,
                iris.void_graph(),
                iris.build_state_graph()
            ),
            Some(g) if *g == iris.void_graph() => format!(
                "exported {} quads of {g}, the description computed from the store",
                self.quads
            ),
            Some(g) => format!("exported {} quads of {g}", self.quads),
        }
    }
}

/// Writes the selected graphs to `writer` and says what it wrote.
/// A whole export also carries the dataset's VoID/DCAT description as the graph
/// `<base>graph/void`, computed from what it exports; the build state is never exported.
pub fn export(
    store: &KgStore,
    iris: &Iris,
    describe: &DescribeOptions,
    options: &ExportOptions,
    writer: impl Write,
) -> Result<Written> {
    let graph = graph_filter(store, iris, options)?;
    if graph.as_ref().is_some_and(|g| *g == iris.void_graph()) {
        let description = crate::describe::describe_store(store, iris, describe)?;
        let quads =
            write_sorted(description, iris, options.format, writer).map_err(Error::Output)?;
        return Ok(Written {
            graph,
            quads,
            graphs: 0,
            description: quads,
        });
    }
    if graph.is_none() || matches!(options.format.0, RdfFormat::NQuads) {
        return stream(store, iris, describe, options, writer);
    }
    let quads = select(store, iris, options)?;
    let quads = write_sorted(quads, iris, options.format, writer).map_err(Error::Output)?;
    Ok(Written {
        graph,
        quads,
        graphs: usize::from(quads > 0),
        description: 0,
    })
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
) -> Result<Written> {
    let store_err = |e| store.error(e);
    let whole = options.graph.is_none();
    let graphs: Vec<GraphName> = match graph_filter(store, iris, options)? {
        Some(g) => vec![GraphName::NamedNode(g)],
        None => {
            // The store's key order: the default graph, then the named graphs in the order of
            // their keys (that of `named_graphs`).
            let build_state = iris.build_state_graph();
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
    let group = !options.format.is_line_based();
    let mut sink = Sink::new(options.format, &standard_prefixes(iris), group, writer);
    // Graphs that had quads to write.
    let mut non_empty = 0;
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
            let mut has_quads = false;
            loop {
                match receivers[i % readers].recv() {
                    Ok(Chunk::Quads(batch)) => {
                        // Readers send no empty batch: this graph has quads.
                        if !has_quads {
                            has_quads = true;
                            non_empty += 1;
                        }
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
    let mut description_quads = 0;
    if let Some(describer) = describer {
        let mut description = describer.finish(iris, describe);
        description.sort_unstable_by(compare_quads);
        description_quads = description.len();
        for q in description {
            sink.push(q).map_err(Error::Output)?;
        }
    }
    let quads = sink.finish().map_err(Error::Output)?;
    Ok(Written {
        graph: options.graph.clone(),
        quads,
        graphs: non_empty,
        description: description_quads,
    })
}

/// The one graph to export, checked to exist: a graph of the store, or the description
/// `<base>graph/void` that a whole export carries; the build record is refused, since no export
/// holds it.
fn graph_filter(
    store: &KgStore,
    iris: &Iris,
    options: &ExportOptions,
) -> Result<Option<NamedNode>> {
    let Some(g) = &options.graph else {
        return Ok(None);
    };
    let build_state = iris.build_state_graph();
    let void = iris.void_graph();
    let exists = *g != build_state
        && (*g == void
            || store
                .inner()
                .contains_named_graph(g)
                .map_err(|e| store.error(e))?);
    if exists {
        return Ok(Some(g.clone()));
    }
    let known: Vec<String> = store
        .graph_names()?
        .into_iter()
        .filter(|n| *n != build_state.as_str())
        .collect();
    let known = format!(
        "{}, and the description {} that exports compute",
        known.join(", "),
        void.as_str()
    );
    if *g == build_state {
        return Err(Error::Usage(format!(
            "<{}> is the build record (which file each article graph came from), which no export holds; the store's other graphs are: {known}",
            g.as_str()
        )));
    }
    Err(Error::Usage(format!(
        "there is no graph <{}> in the store; its graphs are: {known}",
        g.as_str()
    )))
}

/// The quads of the selected graphs (the build state left out), unsorted.
fn select(store: &KgStore, iris: &Iris, options: &ExportOptions) -> Result<Vec<Quad>> {
    let build_state = iris.build_state_graph();
    let store_err = |e| store.error(e);
    let filter = graph_filter(store, iris, options)?;
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
