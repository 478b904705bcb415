//! The mapping pipeline: article files read, parsed, mapped and (for a build) SHACL-checked on
//! every core, handed back to one thread that loads or writes them.
//!
//! A full build streams the results into the bulk loader ([`spawn_mappers`]), an incremental
//! build collects the few it needs ([`map_parallel`]), and an export without a store writes each
//! article's lines in file order ([`map_to_writer`]): the same code maps in all three, so what
//! an export without a store writes is exactly what a build loads.

use crate::catalogue::report::{DuplicateCheck, Gathering};
use crate::dataset::{self, ArticleSource, DataSource, Foundation};
use crate::error::{Error, Result};
use crate::format::GraphFormat;
use crate::iris::Iris;
use crate::mapping::ArticleGraph;
use oxigraph::model::Quad;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// A check every mapped article passes before it goes on, run on the mapping thread (a build's
/// SHACL gate, [`crate::validate::gate::Checker`]).
pub trait ArticleCheck: Sync {
    /// An error stops the pipeline; the first file's error is reported.
    fn check(&self, source: &ArticleSource, article: &ArticleGraph) -> Result<()>;
}

/// Starts `threads` threads that read, parse and map `sources` (each index once, in order of
/// index) and send the results, in any order, to the returned channel. They stop early when
/// `stop` is set or the receiver is dropped.
pub(crate) fn spawn_mappers<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    sources: &'env [&'env ArticleSource],
    foundation: &'env Foundation,
    iris: &'env Iris,
    threads: usize,
    control: &'env MapControl,
    checker: Option<&'env dyn ArticleCheck>,
) -> mpsc::Receiver<(usize, Result<Mapped>)> {
    let (digest, render) = (control.digest, control.render);
    let (tx, rx) = mpsc::sync_channel::<(usize, Result<Mapped>)>(64);
    let (next, stop) = (&control.next, &control.stop);
    for _ in 0..threads.max(1) {
        let tx = tx.clone();
        scope.spawn(move || loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= sources.len() || stop.load(Ordering::Relaxed) {
                break;
            }
            // The stamp before the read: a file changed meanwhile is hashed again next time.
            let stamp = digest.then(|| sources[i].stamp()).flatten();
            let mapped = sources[i].read().and_then(|file| {
                let mut graph = dataset::parse_article(&file, &foundation.reference, iris)?;
                if let Some(c) = checker {
                    c.check(sources[i], &graph)?;
                }
                let definitions =
                    crate::catalogue::definitions_in(graph.quads.iter().map(|q| q.as_ref()), iris);
                let rendered = match render {
                    // The quads are freed here, by the thread that made them.
                    Some(format) => Some((
                        render_lines(&graph.quads, format)?,
                        std::mem::take(&mut graph.quads).len(),
                    )),
                    None => None,
                };
                Ok(Mapped {
                    digest: digest.then(|| crate::digest::digest_of(&[file.text.as_bytes()])),
                    stamp,
                    graph,
                    rendered,
                    definitions,
                })
            });
            if tx.send((i, mapped)).is_err() {
                break;
            }
        });
    }
    rx
}

/// One mapped article file, with the digest and stamp of the text it was mapped from when the
/// build records them.
pub(crate) struct Mapped {
    pub(crate) graph: ArticleGraph,
    pub(crate) digest: Option<String>,
    pub(crate) stamp: Option<String>,
    /// The quads as N-Quads or N-Triples lines and their number, when asked for (the graph's
    /// quads are then left out).
    pub(crate) rendered: Option<(Vec<u8>, usize)>,
    /// What the article defines of the resources articles share, for the things graph.
    pub(crate) definitions: crate::catalogue::report::Definitions,
}

/// Writes quads as lines of a line-based format (N-Quads, N-Triples), which concatenate.
fn render_lines(quads: &[Quad], format: oxigraph::io::RdfFormat) -> Result<Vec<u8>> {
    let triples_only = !format.supports_datasets();
    let mut out = oxigraph::io::RdfSerializer::from_format(format)
        .for_writer(Vec::with_capacity(quads.len() * 160));
    for q in quads {
        if triples_only {
            out.serialize_triple(q.as_ref()).map_err(Error::Output)?;
        } else {
            out.serialize_quad(q).map_err(Error::Output)?;
        }
    }
    out.finish().map_err(Error::Output)
}

/// Which file holds each article graph, so two files with one article id are refused. Graphs
/// are known by a 128-bit hash of their IRI (16 bytes each rather than the IRI: a build of
/// 20,000 files holds this to the end).
#[derive(Default)]
pub(crate) struct Owners(HashMap<u128, usize>);

impl Owners {
    /// Records that source `i` holds `graph`; the later of two files with one id is the error.
    pub(crate) fn claim(
        &mut self,
        i: usize,
        graph: &ArticleGraph,
        sources: &[ArticleSource],
    ) -> Result<()> {
        match self
            .0
            .entry(crate::digest::fingerprint(graph.graph.as_str()))
        {
            std::collections::hash_map::Entry::Occupied(owner) => {
                let j = *owner.get();
                let (first, second) = if j < i { (j, i) } else { (i, j) };
                Err(dataset::duplicate_article(
                    &sources[second].read()?,
                    &graph.id,
                    &sources[first].name(),
                ))
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
                Ok(())
            }
        }
    }
}

/// Shared by the mapping threads: the next file to take, whether to stop, whether to take
/// each file's digest and stamp (for the build record), and whether to write each article's
/// lines (for an export without a store: formatting is most of its work, done on every core).
#[derive(Default)]
pub(crate) struct MapControl {
    pub(crate) digest: bool,
    pub(crate) render: Option<oxigraph::io::RdfFormat>,
    pub(crate) next: AtomicUsize,
    pub(crate) stop: AtomicBool,
}

/// Maps the given sources on `threads` threads, handing each mapped article (in any order) to
/// `sink` on the calling thread. A data error does not stop the others: every file is mapped and
/// all their errors are reported together, in file order (see [`Error::gather`]); any other
/// error stops the threads.
pub(crate) fn map_parallel(
    sources: &[&ArticleSource],
    foundation: &Foundation,
    iris: &Iris,
    threads: usize,
    checker: Option<&dyn ArticleCheck>,
    render: Option<oxigraph::io::RdfFormat>,
    mut sink: impl FnMut(usize, Mapped) -> Result<()>,
) -> Result<()> {
    let control = MapControl {
        render,
        ..MapControl::default()
    };
    std::thread::scope(|scope| {
        let rx = spawn_mappers(scope, sources, foundation, iris, threads, &control, checker);
        let mut errors: Vec<(usize, Error)> = Vec::new();
        for (i, mapped) in rx {
            let outcome = mapped.and_then(|mapped| {
                if errors.is_empty() {
                    sink(i, mapped)
                } else {
                    Ok(())
                }
            });
            if let Err(e) = outcome {
                if !e.is_data() {
                    control.stop.store(true, Ordering::Relaxed);
                }
                errors.push((i, e));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::gather(errors))
        }
    })
}

/// Maps the data files straight to N-Quads (or N-Triples) with no store in between, for users
/// who only feed an external store. Streams: files are mapped in parallel and written in file
/// order, so the output is the same bytes for the same data. Returns the number of quads.
pub fn map_to_writer(
    data: &DataSource,
    iris: &Iris,
    threads: Option<usize>,
    format: GraphFormat,
    writer: impl std::io::Write,
) -> Result<usize> {
    if !format.is_line_based() {
        return Err(Error::Usage(format!(
            "--no-store writes nquads or ntriples, not {}",
            format.0.name()
        )));
    }
    let format = format.0;
    let foundation = dataset::load_foundation(data, iris)?;
    let sources = dataset::list_articles(data)?;
    let triples_only = !format.supports_datasets();
    let mut out = oxigraph::io::RdfSerializer::from_format(format).for_writer(writer);
    for q in foundation.quads() {
        if triples_only {
            out.serialize_triple(q.as_ref()).map_err(Error::Output)?;
        } else {
            out.serialize_quad(q).map_err(Error::Output)?;
        }
    }
    let mut count = foundation.len();
    // Line formats concatenate: the articles' lines, written by the mapping threads, follow.
    let mut writer = out.finish().map_err(Error::Output)?;
    let all: Vec<&ArticleSource> = sources.iter().collect();
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    // Articles come back in any order; hold the early arrivals until their turn.
    let mut waiting: BTreeMap<usize, (Vec<u8>, usize)> = BTreeMap::new();
    let mut next = 0;
    let mut owners = Owners::default();
    let mut gathering = Gathering::new(&foundation.reference);
    map_parallel(
        &all,
        &foundation,
        iris,
        threads,
        None,
        Some(format),
        |i, mapped| {
            owners.claim(i, &mapped.graph, &sources)?;
            gathering.add(i, mapped.definitions);
            waiting.insert(i, mapped.rendered.expect("lines requested"));
            while let Some((lines, quads)) = waiting.remove(&next) {
                writer.write_all(&lines).map_err(Error::Output)?;
                count += quads;
                next += 1;
            }
            Ok(())
        },
    )?;
    // The things graph, merged from every article's definitions, comes last.
    let (things, _) = gathering.finish(&sources, &foundation, iris, DuplicateCheck::Off)?;
    writer
        .write_all(&render_lines(&things, format)?)
        .map_err(Error::Output)?;
    count += things.len();
    writer.flush().map_err(Error::Output)?;
    Ok(count)
}
