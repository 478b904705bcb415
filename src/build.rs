//! `brikg build`: from data files to the store, streaming, incremental and all-or-nothing.
//!
//! The store records, in the graph `<base>graph/build`, which file each article graph came from
//! and that file's SHA-256, plus a fingerprint of everything else that shapes the graph (brikg's
//! version, the IRI base, the ontology, the reference data). A build then does the least work that
//! leaves the store exactly as a build from scratch would:
//!
//! - nothing changed: nothing is written;
//! - a few files changed, were added or removed: their graphs are replaced in one RocksDB
//!   transaction, so the time is proportional to those files, not to the corpus;
//! - no store yet, the fingerprint changed, or most files changed: a fresh store is bulk-loaded
//!   beside the old one (`<store>.new`) and swapped in when complete.
//!
//! In every case all changed files are parsed, checked and mapped (on all cores) before anything
//! becomes visible: the bulk loader shows nothing until it commits, a transaction nothing until it
//! commits, and the swap happens only after a successful commit. A failed build leaves the store
//! as it was. A lock file (`<store>.lock`) keeps two builds from running at once.

use crate::dataset::{self, ArticleSource, DataSource, Foundation};
use crate::error::{Error, Result};
use crate::mapping::{ArticleGraph, Iris};
use crate::vocab::brikg;
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::{StorageError, Store};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What to build from where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub data: DataSource,
    pub store: PathBuf,
    pub iris: Iris,
    /// How many threads map files; the bulk loader uses as many. Default: all cores.
    pub threads: Option<usize>,
    /// What a violation of the SHACL shapes does to the build.
    pub shacl: ShaclMode,
}

/// What a build does when a mapped article violates the SHACL shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShaclMode {
    /// Refuse the build (the default).
    #[default]
    Enforce,
    /// Build anyway, reporting the violations as warnings.
    Warn,
    /// Do not check.
    Off,
}

/// Checks each mapped article against the shapes, with the ontology and the reference data.
struct Checker {
    shapes: crate::shacl::Shapes,
    context: crate::validate::Context,
    mode: ShaclMode,
    warnings: std::sync::Mutex<Vec<String>>,
}

impl Checker {
    fn new(foundation: &Foundation, mode: ShaclMode) -> Result<Option<Self>> {
        if mode == ShaclMode::Off {
            return Ok(None);
        }
        let graph = |quads: &[Quad]| {
            crate::shacl::graph_of(quads.iter().map(|q| oxrdf::TripleRef::from(q.as_ref())))
        };
        Ok(Some(Checker {
            shapes: crate::shacl::Shapes::bundled()?,
            context: crate::validate::Context::new(
                graph(&foundation.ontology_quads),
                graph(&foundation.reference_quads),
            ),
            mode,
            warnings: std::sync::Mutex::new(Vec::new()),
        }))
    }

    fn check(&self, source: &ArticleSource, article: &ArticleGraph) -> Result<()> {
        let graph = crate::shacl::graph_of(
            article
                .quads
                .iter()
                .map(|q| oxrdf::TripleRef::from(q.as_ref())),
        );
        let violations = self.context.check_article(&self.shapes, &graph);
        let Some(first) = violations.first() else {
            return Ok(());
        };
        let describe = |v: &crate::shacl::Violation| {
            let path = v
                .path
                .as_ref()
                .map(|p| format!(" {}", crate::shacl::short(&p.clone().into())))
                .unwrap_or_default();
            let value = v
                .value
                .as_ref()
                .map(|x| format!(" {}", x))
                .unwrap_or_default();
            format!(
                "<{}>{path}{value}: {}",
                crate::shacl::short(&v.focus),
                v.message
            )
        };
        match self.mode {
            ShaclMode::Enforce => {
                let more = match violations.len() {
                    1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                };
                Err(Error::Data(crate::error::DataError::file(
                    &source.name(),
                    format!(
                        "the mapped graph violates the SHACL shapes: {}{more}; fix the data, or build with --shacl warn",
                        describe(first)
                    ),
                )))
            }
            _ => {
                let mut warnings = self.warnings.lock().expect("not poisoned");
                warnings.extend(
                    violations
                        .iter()
                        .map(|v| format!("{}: {}", source.name(), describe(v))),
                );
                Ok(())
            }
        }
    }
}

/// How a build went about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildMode {
    /// The store was up to date.
    UpToDate,
    /// Changed graphs were replaced in one transaction.
    Incremental,
    /// A fresh store was bulk-loaded and swapped in.
    Full,
}

/// What a build did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    pub mode: BuildMode,
    /// Article files in the data source.
    pub files: usize,
    /// Files parsed and mapped by this build.
    pub files_mapped: usize,
    /// Named graphs written (articles, plus ontology and reference on a full build).
    pub graphs_written: usize,
    /// Article graphs removed because their file is gone.
    pub graphs_removed: usize,
    /// Quads written.
    pub quads_written: usize,
    /// Quads in the store afterwards, build state excluded.
    pub quads_total: usize,
    pub elapsed: Duration,
    /// SHACL violations let through by `ShaclMode::Warn`, one line each.
    pub warnings: Vec<String>,
}

/// Progress of a build, reported from time to time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub quads: usize,
}

/// Builds or updates the store; `progress` is called as files are mapped.
pub fn build(options: &BuildOptions, progress: &(dyn Fn(Progress) + Sync)) -> Result<BuildReport> {
    let started = Instant::now();
    let _lock = crate::store::StoreLock::exclusive(&options.store)?;
    recover(&options.store)?;
    refuse_foreign_directory(&options.store)?;
    let foundation = dataset::load_foundation(&options.data, &options.iris)?;
    let sources = dataset::list_articles(&options.data)?;
    let previous = if crate::store::exists(&options.store) {
        let store = open(&options.store)?;
        Some((
            read_state(&store, &options.iris).map_err(|e| store_error(&options.store, &e))?,
            store,
        ))
    } else {
        None
    };
    let checker = Checker::new(&foundation, options.shacl)?;
    // Digests are taken here only to compare with a store built the same way; a full build
    // takes them from the text it maps, on the mapping threads.
    let plan = match &previous {
        Some((state, _))
            if state.fingerprint.as_deref() == Some(foundation.fingerprint.as_str()) =>
        {
            let digests = digest_all(&sources, Some(state))?;
            Some((plan_incremental(state, &sources, &digests), digests))
        }
        _ => None,
    };
    let mut report = match (plan, previous) {
        (Some((plan, _)), Some((state, store))) if plan.is_empty() => BuildReport {
            mode: BuildMode::UpToDate,
            files: sources.len(),
            files_mapped: 0,
            graphs_written: 0,
            graphs_removed: 0,
            quads_written: 0,
            quads_total: total_quads(&store, &options.iris, &foundation, &state)?,
            elapsed: Duration::ZERO,
            warnings: Vec::new(),
        },
        (Some((plan, digests)), Some((state, store)))
            if plan.changed.len() * 4 <= sources.len().max(8) =>
        {
            incremental(
                options,
                &foundation,
                &sources,
                &digests,
                &state,
                &plan,
                &store,
                checker.as_ref(),
                progress,
            )?
        }
        (_, previous) => {
            drop(previous);
            full(options, &foundation, &sources, checker.as_ref(), progress)?
        }
    };
    report.elapsed = started.elapsed();
    if let Some(checker) = checker {
        report.warnings = checker.warnings.into_inner().expect("not poisoned");
    }
    Ok(report)
}

/// How a store stands against the data a build would read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// It holds exactly what a build would write.
    Current,
    /// It was built from the same kind of source, and the data has changed since.
    Stale,
    /// It was built from another kind of source (a data directory, say): not ours to replace.
    OtherSource,
}

/// Compares the store with what a build of `options` would write. Reads only; cheap for a few
/// files.
pub fn freshness(store: &Store, options: &BuildOptions) -> Result<Freshness> {
    // The source first: a store built from a directory of 20,000 files is not read further.
    let err = |e: StorageError| store_error(&options.store, &e);
    let source = read_value(store, &options.iris, brikg::DATA_SOURCE).map_err(err)?;
    if source.as_deref() != Some(source_kind(&options.data)) {
        return Ok(Freshness::OtherSource);
    }
    let state = read_state(store, &options.iris).map_err(err)?;
    let foundation = dataset::load_foundation(&options.data, &options.iris)?;
    if state.fingerprint.as_deref() != Some(foundation.fingerprint.as_str()) {
        return Ok(Freshness::Stale);
    }
    let sources = dataset::list_articles(&options.data)?;
    let digests = digest_all(&sources, Some(&state))?;
    Ok(if plan_incremental(&state, &sources, &digests).is_empty() {
        Freshness::Current
    } else {
        Freshness::Stale
    })
}

fn source_kind(data: &DataSource) -> &'static str {
    match data {
        DataSource::Bundled => "bundled",
        DataSource::Dir(_) => "directory",
    }
}

/// What the store says it was built from.
#[derive(Debug, Default)]
struct State {
    fingerprint: Option<String>,
    /// Source key → (article graph, digest).
    files: BTreeMap<String, (NamedNode, String)>,
    /// Source key → stamp (size and modification time) when the digest was taken.
    stamps: BTreeMap<String, String>,
    /// Article graph → its number of quads.
    counts: BTreeMap<NamedNode, usize>,
}

/// What an incremental build must do.
#[derive(Debug, Default)]
struct Plan {
    /// Indexes into the sources of new or changed files.
    changed: Vec<usize>,
    /// Graphs of files that are gone.
    removed: Vec<NamedNode>,
}

impl Plan {
    fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

fn build_graph(iris: &Iris) -> NamedNode {
    NamedNode::new_unchecked(format!("{}graph/build", iris.base()))
}

/// The name of the graph where the build state lives; exports leave it out.
pub fn state_graph(iris: &Iris) -> NamedNode {
    build_graph(iris)
}

/// One value the build state records about the store as a whole.
fn read_value(
    store: &Store,
    iris: &Iris,
    predicate: NamedNodeRef<'_>,
) -> std::result::Result<Option<String>, StorageError> {
    let graph = build_graph(iris);
    for q in store.quads_for_pattern(
        Some(graph.as_ref().into()),
        Some(predicate),
        None,
        Some(GraphNameRef::NamedNode(graph.as_ref())),
    ) {
        if let Term::Literal(o) = q?.object {
            return Ok(Some(o.destruct().0));
        }
    }
    Ok(None)
}

fn read_state(store: &Store, iris: &Iris) -> std::result::Result<State, StorageError> {
    let graph = build_graph(iris);
    let predicates = [
        brikg::BUILD_FINGERPRINT,
        brikg::SOURCE_FILE,
        brikg::SOURCE_DIGEST,
        brikg::SOURCE_STAMP,
        crate::vocab::void::TRIPLES,
    ];
    // Reading the state is the fixed cost of every build (four records per article, and
    // Oxigraph looks up each term of each quad): one thread per property shares it over the
    // cores.
    let columns: Vec<Vec<(NamedNode, String)>> = std::thread::scope(|scope| {
        let readers: Vec<_> = predicates
            .iter()
            .map(|predicate| {
                let graph = graph.as_ref();
                scope.spawn(move || {
                    let mut column = Vec::new();
                    for q in store.quads_for_pattern(
                        None,
                        Some(*predicate),
                        None,
                        Some(GraphNameRef::NamedNode(graph)),
                    ) {
                        let q = q?;
                        if let (NamedOrBlankNode::NamedNode(s), Term::Literal(o)) =
                            (q.subject, q.object)
                        {
                            column.push((s, o.destruct().0));
                        }
                    }
                    Ok(column)
                })
            })
            .collect();
        readers
            .into_iter()
            .map(|r| r.join().expect("a state reader panicked"))
            .collect::<std::result::Result<_, StorageError>>()
    })?;
    let [fingerprint, file, digest, stamp, triples] =
        <[_; 5]>::try_from(columns).expect("five properties");
    let mut state = State {
        fingerprint: fingerprint.into_iter().next().map(|(_, v)| v),
        ..State::default()
    };
    let mut digests: HashMap<NamedNode, String> = digest.into_iter().collect();
    let mut stamps: HashMap<NamedNode, String> = stamp.into_iter().collect();
    for (graph, file) in file {
        if let Some(digest) = digests.remove(&graph) {
            if let Some(stamp) = stamps.remove(&graph) {
                state.stamps.insert(file.clone(), stamp);
            }
            state.files.insert(file, (graph, digest));
        }
    }
    for (graph, n) in triples {
        if let Ok(n) = n.parse() {
            state.counts.insert(graph, n);
        }
    }
    Ok(state)
}

/// One article file as recorded in the build state.
struct FileRecord<'a> {
    graph: NamedNode,
    key: &'a str,
    digest: &'a str,
    stamp: Option<&'a str>,
    quads: usize,
}

/// The build state's records about the store as a whole.
fn state_header_quads(iris: &Iris, data: &DataSource, fingerprint: &str) -> [Quad; 2] {
    let graph = build_graph(iris);
    let g = GraphName::NamedNode(graph.clone());
    [
        Quad::new(
            graph.clone(),
            brikg::BUILD_FINGERPRINT,
            Literal::new_simple_literal(fingerprint),
            g.clone(),
        ),
        Quad::new(
            graph,
            brikg::DATA_SOURCE,
            Literal::new_simple_literal(source_kind(data)),
            g,
        ),
    ]
}

/// The build state's record of one article file, in the build state graph `g`.
fn file_record_quads(f: &FileRecord<'_>, g: &GraphName) -> Vec<Quad> {
    let text = |v: &str| Literal::new_simple_literal(v);
    let mut quads = vec![
        Quad::new(f.graph.clone(), brikg::SOURCE_FILE, text(f.key), g.clone()),
        Quad::new(
            f.graph.clone(),
            brikg::SOURCE_DIGEST,
            text(f.digest),
            g.clone(),
        ),
    ];
    if let Some(stamp) = f.stamp {
        quads.push(Quad::new(
            f.graph.clone(),
            brikg::SOURCE_STAMP,
            text(stamp),
            g.clone(),
        ));
    }
    quads.push(Quad::new(
        f.graph.clone(),
        crate::vocab::void::TRIPLES,
        Literal::from(f.quads as u64),
        g.clone(),
    ));
    quads
}

fn plan_incremental(state: &State, sources: &[ArticleSource], digests: &Digests) -> Plan {
    let mut plan = Plan::default();
    let keys: BTreeSet<&str> = sources.iter().map(|s| s.key.as_str()).collect();
    for (i, source) in sources.iter().enumerate() {
        match state.files.get(&source.key) {
            Some((_, digest)) if *digest == digests[i].1 => {}
            _ => plan.changed.push(i),
        }
    }
    for (key, (graph, _)) in &state.files {
        if !keys.contains(key.as_str()) {
            plan.removed.push(graph.clone());
        }
    }
    plan
}

/// Each file's stamp (when it has one) and SHA-256.
type Digests = Vec<(Option<String>, String)>;

/// The stamp and digest of every file. A file whose size and modification time are those
/// recorded keeps its recorded digest without being read (as git does); the others are hashed.
fn digest_all(sources: &[ArticleSource], state: Option<&State>) -> Result<Digests> {
    sources
        .iter()
        .map(|s| {
            let stamp = s.stamp();
            if let (Some(stamp), Some(state)) = (&stamp, state) {
                if state.stamps.get(&s.key) == Some(stamp) {
                    if let Some((_, digest)) = state.files.get(&s.key) {
                        return Ok((Some(stamp.clone()), digest.clone()));
                    }
                }
            }
            Ok((stamp, dataset::digest_of(&[s.read()?.text.as_bytes()])))
        })
        .collect()
}

/// Starts `threads` threads that read, parse and map `sources` (each index once, in order of
/// index) and send the results, in any order, to the returned channel. They stop early when
/// `stop` is set or the receiver is dropped.
fn spawn_mappers<'scope, 'env>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    sources: &'env [&'env ArticleSource],
    foundation: &'env Foundation,
    iris: &'env Iris,
    threads: usize,
    control: &'env MapControl,
    checker: Option<&'env Checker>,
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
                let rendered = match render {
                    // The quads are freed here, by the thread that made them.
                    Some(format) => Some((
                        render_lines(&graph.quads, format)?,
                        std::mem::take(&mut graph.quads).len(),
                    )),
                    None => None,
                };
                Ok(Mapped {
                    digest: digest.then(|| dataset::digest_of(&[file.text.as_bytes()])),
                    stamp,
                    graph,
                    rendered,
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
struct Mapped {
    graph: ArticleGraph,
    digest: Option<String>,
    stamp: Option<String>,
    /// The quads as N-Quads or N-Triples lines and their number, when asked for (the graph's
    /// quads are then left out).
    rendered: Option<(Vec<u8>, usize)>,
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
struct Owners(HashMap<u128, usize>);

impl Owners {
    /// Records that source `i` holds `graph`; the later of two files with one id is the error.
    fn claim(&mut self, i: usize, graph: &ArticleGraph, sources: &[ArticleSource]) -> Result<()> {
        match self
            .0
            .entry(crate::describe::fingerprint(graph.graph.as_str()))
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
struct MapControl {
    digest: bool,
    render: Option<oxigraph::io::RdfFormat>,
    next: AtomicUsize,
    stop: std::sync::atomic::AtomicBool,
}

/// Why the bulk load stopped.
enum LoadError {
    Data(Error),
    Storage(StorageError),
}

impl From<Error> for LoadError {
    fn from(e: Error) -> Self {
        LoadError::Data(e)
    }
}

impl From<StorageError> for LoadError {
    fn from(e: StorageError) -> Self {
        LoadError::Storage(e)
    }
}

/// Maps the given sources on `threads` threads, handing each mapped article (in any order) to
/// `sink` on the calling thread. Stops at the first error, reporting the one of the earliest file.
fn map_parallel(
    sources: &[&ArticleSource],
    foundation: &Foundation,
    iris: &Iris,
    threads: usize,
    checker: Option<&Checker>,
    render: Option<oxigraph::io::RdfFormat>,
    mut sink: impl FnMut(usize, Mapped) -> Result<()>,
) -> Result<()> {
    let control = MapControl {
        render,
        ..MapControl::default()
    };
    std::thread::scope(|scope| {
        let rx = spawn_mappers(scope, sources, foundation, iris, threads, &control, checker);
        let mut first_error: Option<(usize, Error)> = None;
        for (i, mapped) in rx {
            let outcome = mapped.and_then(|mapped| {
                if first_error.is_none() {
                    sink(i, mapped)
                } else {
                    Ok(())
                }
            });
            if let Err(e) = outcome {
                control.stop.store(true, Ordering::Relaxed);
                if first_error.as_ref().is_none_or(|(j, _)| i < *j) {
                    first_error = Some((i, e));
                }
            }
        }
        match first_error {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    })
}

fn threads(options: &BuildOptions) -> usize {
    options
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// Replaces the graphs of changed and removed files in one transaction.
#[expect(clippy::too_many_arguments)]
fn incremental(
    options: &BuildOptions,
    foundation: &Foundation,
    sources: &[ArticleSource],
    digests: &Digests,
    state: &State,
    plan: &Plan,
    store: &Store,
    checker: Option<&Checker>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport> {
    let iris = &options.iris;
    let changed: Vec<&ArticleSource> = plan.changed.iter().map(|&i| &sources[i]).collect();
    // Which graph each unchanged file owns, to refuse a changed file that takes its article id.
    let mut owners: BTreeMap<NamedNode, String> = BTreeMap::new();
    let changed_keys: BTreeSet<&str> = changed.iter().map(|s| s.key.as_str()).collect();
    let present: BTreeSet<&str> = sources.iter().map(|s| s.key.as_str()).collect();
    for (key, (graph, _)) in &state.files {
        if !changed_keys.contains(key.as_str()) && present.contains(key.as_str()) {
            owners.insert(graph.clone(), key.clone());
        }
    }
    let mut mapped: Vec<(usize, ArticleGraph)> = Vec::with_capacity(changed.len());
    let mut quads_written = 0;
    map_parallel(
        &changed,
        foundation,
        iris,
        threads(options),
        checker,
        None,
        |i, graph| {
            let graph = graph.graph;
            quads_written += graph.quads.len();
            mapped.push((i, graph));
            progress(Progress {
                files_done: mapped.len(),
                files_total: changed.len(),
                quads: quads_written,
            });
            Ok(())
        },
    )?;
    mapped.sort_by_key(|(i, _)| *i);
    for (i, graph) in &mapped {
        let source = changed[*i];
        if let Some(owner) = owners.insert(graph.graph.clone(), source.key.clone()) {
            let file = source.read()?;
            let previous = sources
                .iter()
                .find(|s| s.key == owner)
                .map_or(owner.clone(), |s| s.name());
            return Err(dataset::duplicate_article(&file, &graph.id, &previous));
        }
    }

    let err = |e: StorageError| store_error(&options.store, &e);
    let mut tx = store.start_transaction().map_err(err)?;
    for graph in &plan.removed {
        tx.remove_named_graph(graph).map_err(err)?;
    }
    for (i, _) in plan.changed.iter().enumerate() {
        // A changed file may now hold another article id: drop the graph it had.
        if let Some((old, _)) = state.files.get(&changed[i].key) {
            tx.remove_named_graph(old).map_err(err)?;
        }
    }
    for (_, graph) in &mapped {
        tx.remove_named_graph(&graph.graph).map_err(err)?;
        tx.insert_named_graph(&graph.graph);
        tx.extend(graph.quads.iter());
    }
    // The build state changes only for the files this build touched: their old records go,
    // their new ones come; the other 20,000 stay as they are.
    let build = build_graph(iris);
    let mut touched: Vec<NamedNode> = plan.removed.clone();
    for source in &changed {
        if let Some((old, _)) = state.files.get(&source.key) {
            touched.push(old.clone());
        }
    }
    touched.extend(mapped.iter().map(|(_, g)| g.graph.clone()));
    for graph in &touched {
        let records = tx
            .quads_for_pattern(
                Some(graph.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::NamedNode(build.as_ref())),
            )
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(err)?;
        for q in &records {
            tx.remove(q);
        }
    }
    let mut records: Vec<FileRecord<'_>> = Vec::new();
    for (i, graph) in &mapped {
        let index = plan.changed[*i];
        records.push(FileRecord {
            graph: graph.graph.clone(),
            key: sources[index].key.as_str(),
            digest: digests[index].1.as_str(),
            stamp: digests[index].0.as_deref(),
            quads: graph.quads.len(),
        });
    }
    // The fingerprint and data source are unchanged (an incremental build requires it).
    let state_graph = GraphName::NamedNode(build);
    for record in &records {
        tx.extend(file_record_quads(record, &state_graph).iter());
    }
    tx.commit().map_err(err)?;
    let changed_keys: BTreeSet<&str> = changed.iter().map(|s| s.key.as_str()).collect();
    let unchanged: usize = sources
        .iter()
        .filter(|s| !changed_keys.contains(s.key.as_str()))
        .map(|s| {
            let graph = &state.files[&s.key].0;
            state.counts.get(graph).copied().unwrap_or_else(|| {
                store
                    .quads_for_pattern(
                        None,
                        None,
                        None,
                        Some(GraphNameRef::NamedNode(graph.as_ref())),
                    )
                    .count()
            })
        })
        .sum();
    let quads_total = unchanged
        + records.iter().map(|r| r.quads).sum::<usize>()
        + foundation.ontology_quads.len()
        + foundation.reference_quads.len();
    Ok(BuildReport {
        mode: BuildMode::Incremental,
        files: sources.len(),
        files_mapped: changed.len(),
        graphs_written: mapped.len(),
        graphs_removed: plan.removed.len(),
        quads_written,
        quads_total,
        elapsed: Duration::ZERO,
        warnings: Vec::new(),
    })
}

/// Bulk-loads a fresh store beside the old one and swaps it in.
fn full(
    options: &BuildOptions,
    foundation: &Foundation,
    sources: &[ArticleSource],
    checker: Option<&Checker>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport> {
    let iris = &options.iris;
    let fresh = sibling(&options.store, "new");
    remove_dir(&fresh)?;
    let result = (|| -> Result<(usize, usize)> {
        let store = open(&fresh)?;
        let err = |e: StorageError| store_error(&options.store, &e);
        let threads = threads(options);
        // Batches of 25,000 quads (the loader takes megabytes and makes batches of a thousand
        // quads per megabyte and thread): the loading holds about 60 MiB of heap whatever the corpus
        // size. Larger batches were no faster here (100,000: 280 MiB) and smaller ones leave
        // more files for the final compaction.
        let mut loader = store
            .bulk_loader()
            .with_num_threads(threads)
            .with_max_memory_size_in_megabytes(25 * threads);
        let all: Vec<&ArticleSource> = sources.iter().collect();
        let mut owners = Owners::default();
        let mut quads = foundation.ontology_quads.len() + foundation.reference_quads.len();
        let mut done = 0;
        let control = MapControl {
            digest: true,
            ..MapControl::default()
        };
        let state_graph = GraphName::NamedNode(build_graph(iris));
        std::thread::scope(|scope| -> Result<()> {
            let rx = spawn_mappers(scope, &all, foundation, iris, threads, &control, checker);
            // One stream of quads for the whole corpus, so the loader fills its batches across
            // articles; while it indexes one batch, the mapping threads fill the channel with
            // the next articles. Each article's build record follows its quads, so nothing
            // about the 20,000 files is held until the end.
            let mut current = Vec::new().into_iter();
            let articles = std::iter::from_fn(|| loop {
                if let Some(q) = current.next() {
                    return Some(Ok(q));
                }
                let (i, mapped) = rx.recv().ok()?;
                let checked = mapped.and_then(|mapped| {
                    owners.claim(i, &mapped.graph, sources)?;
                    Ok(mapped)
                });
                match checked {
                    Ok(mapped) => {
                        let Mapped {
                            graph,
                            digest,
                            stamp,
                            ..
                        } = mapped;
                        quads += graph.quads.len();
                        done += 1;
                        progress(Progress {
                            files_done: done,
                            files_total: sources.len(),
                            quads,
                        });
                        let record = FileRecord {
                            graph: graph.graph,
                            key: sources[i].key.as_str(),
                            digest: digest.as_deref().expect("digests requested"),
                            stamp: stamp.as_deref(),
                            quads: graph.quads.len(),
                        };
                        let mut article_quads = graph.quads;
                        article_quads.extend(file_record_quads(&record, &state_graph));
                        current = article_quads.into_iter();
                    }
                    Err(e) => {
                        control.stop.store(true, Ordering::Relaxed);
                        return Some(Err(e));
                    }
                }
            });
            let foundation_quads = foundation
                .ontology_quads
                .iter()
                .chain(&foundation.reference_quads)
                .cloned()
                .chain(state_header_quads(
                    iris,
                    &options.data,
                    &foundation.fingerprint,
                ))
                .map(Ok);
            loader
                .load_ok_quads::<Error, LoadError>(foundation_quads.chain(articles))
                .map_err(|e| match e {
                    LoadError::Data(e) => e,
                    LoadError::Storage(e) => err(e),
                })
        })?;
        loader.commit().map_err(err)?;
        store.flush().map_err(err)?;
        // Compact now, while nobody waits: a bulk-loaded store left as it is makes RocksDB
        // compact in the background of the next build, which then takes seconds to open and close.
        store.optimize().map_err(err)?;
        Ok((quads, 2 + sources.len()))
    })();
    let (quads, graphs_written) = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&fresh);
            return Err(e);
        }
    };
    swap_in(&options.store, &fresh)?;
    Ok(BuildReport {
        mode: BuildMode::Full,
        files: sources.len(),
        files_mapped: sources.len(),
        graphs_written,
        graphs_removed: 0,
        quads_written: quads,
        quads_total: quads,
        elapsed: Duration::ZERO,
        warnings: Vec::new(),
    })
}

/// The quads of the store, build state excluded: from the recorded per-graph counts when the
/// store has them (no scan of millions of quads), else counted.
fn total_quads(
    store: &Store,
    iris: &Iris,
    foundation: &Foundation,
    state: &State,
) -> Result<usize> {
    if state.counts.len() == state.files.len() {
        let articles: usize = state.counts.values().sum();
        return Ok(articles + foundation.ontology_quads.len() + foundation.reference_quads.len());
    }
    let total = store
        .len()
        .map_err(|e| store_error(Path::new("store"), &e))?;
    let build = build_graph(iris);
    let state = store
        .quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(build.as_ref())),
        )
        .count();
    Ok(total - state)
}

/// A store path must be a brikg store, a new path or an empty directory: a build replaces the
/// directory whole, so anything else there would be lost.
fn refuse_foreign_directory(store: &Path) -> Result<()> {
    if !store.exists() || crate::store::exists(store) {
        return Ok(());
    }
    let empty = store.is_dir()
        && store
            .read_dir()
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
    if empty {
        return Ok(());
    }
    Err(Error::Store {
        path: store.to_owned(),
        message: "exists but is not a brikg store; choose an empty or new directory with --store"
            .into(),
    })
}

/// `<store>.<suffix>`, beside the store.
pub(crate) fn sibling(store: &Path, suffix: &str) -> PathBuf {
    let mut name = store
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "store".into());
    name.push(format!(".{suffix}"));
    store.with_file_name(name)
}

/// Puts a complete fresh store in place of the old one. The marker file says the fresh store is
/// complete, so a crash between the two renames is finished by [`recover`] on the next build.
fn swap_in(store: &Path, fresh: &Path) -> Result<()> {
    let io = |path: &Path, e: std::io::Error| Error::Io {
        path: path.to_owned(),
        source: e,
    };
    let marker = sibling(store, "new.complete");
    File::create(&marker)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(&marker, e))?;
    let old = sibling(store, "old");
    if store.exists() {
        remove_dir(&old)?;
        std::fs::rename(store, &old).map_err(|e| io(store, e))?;
    }
    std::fs::rename(fresh, store).map_err(|e| io(fresh, e))?;
    std::fs::remove_file(&marker).map_err(|e| io(&marker, e))?;
    remove_dir(&old)
}

/// Finishes or undoes a swap that a crash interrupted, and removes half-built stores.
pub fn recover(store: &Path) -> Result<()> {
    let fresh = sibling(store, "new");
    let marker = sibling(store, "new.complete");
    let old = sibling(store, "old");
    if marker.exists() && fresh.exists() {
        if store.exists() {
            remove_dir(&old)?;
            std::fs::rename(store, &old).map_err(|e| Error::Io {
                path: store.to_owned(),
                source: e,
            })?;
        }
        std::fs::rename(&fresh, store).map_err(|e| Error::Io {
            path: fresh.clone(),
            source: e,
        })?;
    }
    if marker.exists() {
        std::fs::remove_file(&marker).map_err(|e| Error::Io {
            path: marker.clone(),
            source: e,
        })?;
    }
    // A fresh store without the marker never committed: the old store is the truth.
    remove_dir(&fresh)?;
    if store.exists() {
        remove_dir(&old)?;
    } else if old.exists() {
        std::fs::rename(&old, store).map_err(|e| Error::Io {
            path: old.clone(),
            source: e,
        })?;
    }
    Ok(())
}

fn remove_dir(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io {
            path: path.to_owned(),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn open(path: &Path) -> Result<Store> {
    Store::open(path).map_err(|e| store_error(path, &e))
}

fn store_error(path: &Path, e: &dyn std::fmt::Display) -> Error {
    crate::store::store_error(path, e)
}

/// Maps the data files straight to N-Quads (or N-Triples) with no store in between, for users
/// who only feed an external store. Streams: files are mapped in parallel and written in file
/// order, so the output is the same bytes for the same data. Returns the number of quads.
pub fn map_to_writer(
    data: &DataSource,
    iris: &Iris,
    threads: Option<usize>,
    format: oxigraph::io::RdfFormat,
    writer: impl std::io::Write,
) -> Result<usize> {
    let foundation = dataset::load_foundation(data, iris)?;
    let sources = dataset::list_articles(data)?;
    let triples_only = !format.supports_datasets();
    let mut out = oxigraph::io::RdfSerializer::from_format(format).for_writer(writer);
    for q in foundation
        .ontology_quads
        .iter()
        .chain(&foundation.reference_quads)
    {
        if triples_only {
            out.serialize_triple(q.as_ref()).map_err(Error::Output)?;
        } else {
            out.serialize_quad(q).map_err(Error::Output)?;
        }
    }
    let mut count = foundation.ontology_quads.len() + foundation.reference_quads.len();
    // Line formats concatenate: the articles' lines, written by the mapping threads, follow.
    let mut writer = out.finish().map_err(Error::Output)?;
    let all: Vec<&ArticleSource> = sources.iter().collect();
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    // Articles come back in any order; hold the early arrivals until their turn.
    let mut waiting: BTreeMap<usize, (Vec<u8>, usize)> = BTreeMap::new();
    let mut next = 0;
    let mut owners = Owners::default();
    map_parallel(
        &all,
        &foundation,
        iris,
        threads,
        None,
        Some(format),
        |i, mapped| {
            owners.claim(i, &mapped.graph, &sources)?;
            waiting.insert(i, mapped.rendered.expect("lines requested"));
            while let Some((lines, quads)) = waiting.remove(&next) {
                writer.write_all(&lines).map_err(Error::Output)?;
                count += quads;
                next += 1;
            }
            Ok(())
        },
    )?;
    writer.flush().map_err(Error::Output)?;
    Ok(count)
}
