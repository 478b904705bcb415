//! The build state: what the store says it was built from, kept as RDF in the graph
//! `<base>graph/build` (never exported): a fingerprint of everything besides the article files,
//! the kind of data source, and for each article file its key, SHA-256, size-and-time stamp and
//! quad count.

use crate::dataset::{DataSource, Foundation};
use crate::error::Result;
use crate::iris::Iris;
use crate::store::store_error;
use crate::vocab::brikg;
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::store::{StorageError, Store, Transaction};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Duration;

/// What the store says it was built from.
#[derive(Debug, Default, Clone)]
pub(super) struct State {
    pub(super) fingerprint: Option<String>,
    /// Source key → (article graph, digest).
    pub(super) files: BTreeMap<String, (NamedNode, String)>,
    /// Source key → stamp (size and modification time) when the digest was taken.
    pub(super) stamps: BTreeMap<String, String>,
    /// Article graph → its number of quads.
    pub(super) counts: BTreeMap<NamedNode, usize>,
    /// How many quads the things graph holds.
    pub(super) things: usize,
}

impl State {
    /// Adds the record of one article file.
    pub(super) fn add(&mut self, record: &FileRecord<'_>) {
        self.files.insert(
            record.key.to_owned(),
            (record.graph.clone(), record.digest.to_owned()),
        );
        if let Some(stamp) = record.stamp {
            self.stamps.insert(record.key.to_owned(), stamp.to_owned());
        }
        self.counts.insert(record.graph.clone(), record.quads);
    }

    /// Records new stamps of files (`None`: no stamp).
    pub(super) fn restamp(&mut self, stamps: Vec<(String, Option<String>)>) {
        for (key, stamp) in stamps {
            match stamp {
                Some(stamp) => self.stamps.insert(key, stamp),
                None => self.stamps.remove(&key),
            };
        }
    }
}

/// One value the build state records about the store as a whole.
pub(super) fn read_value(
    store: &Store,
    iris: &Iris,
    predicate: NamedNodeRef<'_>,
) -> std::result::Result<Option<String>, StorageError> {
    let graph = iris.build_state_graph();
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

pub(super) fn read_state(store: &Store, iris: &Iris) -> std::result::Result<State, StorageError> {
    let graph = iris.build_state_graph();
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
    let build_graph = iris.build_state_graph();
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
    let things = iris.things_graph();
    for (graph, n) in triples {
        if let Ok(n) = n.parse() {
            if graph == build_graph {
                // The store's total (see `build_record_quads`), not a graph's.
                continue;
            } else if graph == things {
                state.things = n;
            } else {
                state.counts.insert(graph, n);
            }
        }
    }
    Ok(state)
}

/// One article file as recorded in the build state.
pub(super) struct FileRecord<'a> {
    pub(super) graph: NamedNode,
    pub(super) key: &'a str,
    pub(super) digest: &'a str,
    pub(super) stamp: Option<&'a str>,
    pub(super) quads: usize,
}

/// The build state's record of how many quads the things graph holds.
pub(super) fn things_record_quad(iris: &Iris, quads: usize) -> Quad {
    Quad::new(
        iris.things_graph(),
        crate::vocab::void::TRIPLES,
        Literal::from(quads as u64),
        GraphName::NamedNode(iris.build_state_graph()),
    )
}

/// The build state's records about the store as a whole.
pub(super) fn state_header_quads(iris: &Iris, data: &DataSource, fingerprint: &str) -> [Quad; 2] {
    let graph = iris.build_state_graph();
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
pub(super) fn file_record_quads(f: &FileRecord<'_>, g: &GraphName) -> Vec<Quad> {
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

pub(super) fn source_kind(data: &DataSource) -> &'static str {
    match data {
        DataSource::Bundled => "bundled",
        DataSource::Dir(_) => "directory",
    }
}

/// The quads of the store, build state excluded: from the recorded per-graph counts when the
/// store has them (no scan of millions of quads), else counted.
pub(super) fn total_quads(
    store: &Store,
    iris: &Iris,
    foundation: &Foundation,
    state: &State,
) -> Result<usize> {
    if state.counts.len() == state.files.len() {
        let articles: usize = state.counts.values().sum();
        return Ok(articles + state.things + foundation.len());
    }
    let total = store
        .len()
        .map_err(|e| store_error(Path::new("store"), &e))?;
    let build = iris.build_state_graph();
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

/// The build state's records of when this build looked at the data files (`dcterms:modified`,
/// `seconds.nanoseconds`) and of how many quads the store holds besides the build state
/// (`void:triples`), both of the build state graph, which stands for the store (as
/// `dcterms:source`, the data directory, does). They let the next build say "up to date" from
/// the files' stamps without reading the build state (see [`super::stamps`]).
pub(super) fn build_record_quads(iris: &Iris, taken: Duration, quads: usize) -> [Quad; 2] {
    let graph = iris.build_state_graph();
    let g = GraphName::NamedNode(graph.clone());
    [
        Quad::new(
            graph.clone(),
            crate::vocab::dcterms::MODIFIED,
            Literal::new_simple_literal(super::stamps::format_time(taken)),
            g.clone(),
        ),
        Quad::new(
            graph,
            crate::vocab::void::TRIPLES,
            Literal::from(quads as u64),
            g,
        ),
    ]
}

/// Removes, in the transaction `tx`, what the build state says of the whole store with these
/// predicates (its values are then written again).
pub(super) fn remove_store_values(
    tx: &mut Transaction<'_>,
    iris: &Iris,
    predicates: &[NamedNodeRef<'_>],
) -> std::result::Result<(), StorageError> {
    let graph = iris.build_state_graph();
    for predicate in predicates {
        let old = tx
            .quads_for_pattern(
                Some(graph.as_ref().into()),
                Some(*predicate),
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .collect::<std::result::Result<Vec<_>, _>>()?;
        for q in &old {
            tx.remove(q);
        }
    }
    Ok(())
}

/// Replaces the records of [`build_record_quads`] in the transaction `tx`.
pub(super) fn rewrite_build_record(
    tx: &mut Transaction<'_>,
    iris: &Iris,
    taken: Duration,
    quads: usize,
) -> std::result::Result<(), StorageError> {
    remove_store_values(
        tx,
        iris,
        &[crate::vocab::dcterms::MODIFIED, crate::vocab::void::TRIPLES],
    )?;
    tx.extend(build_record_quads(iris, taken, quads).iter());
    Ok(())
}

/// What the last build recorded of when it looked at the files and of the store's quads.
pub(super) fn read_build_record(
    store: &Store,
    iris: &Iris,
) -> std::result::Result<(Option<Duration>, Option<usize>), StorageError> {
    let time = read_value(store, iris, crate::vocab::dcterms::MODIFIED)?;
    let quads = read_value(store, iris, crate::vocab::void::TRIPLES)?;
    Ok((
        time.as_deref().and_then(super::stamps::parse_time),
        quads.and_then(|q| q.parse().ok()),
    ))
}

/// Records the stamps of files found unchanged but not recorded with their present stamp (a
/// file touched, or hashed because it had not settled at the last build), so the next build
/// trusts them without reading them again: `now` holds each source's stamp and digest. Returns
/// the stamps recorded (`None`: removed, the file had not settled), as [`State::restamp`] takes.
pub(super) fn refresh_stamps(
    tx: &mut Transaction<'_>,
    iris: &Iris,
    state: &State,
    sources: &[crate::dataset::ArticleSource],
    now: &super::plan::Digests,
    taken: Duration,
) -> std::result::Result<Vec<(String, Option<String>)>, StorageError> {
    let build = GraphName::NamedNode(iris.build_state_graph());
    let mut refreshed = Vec::new();
    for (source, (stamp, digest)) in sources.iter().zip(now) {
        let Some((graph, recorded_digest)) = state.files.get(&source.key) else {
            continue;
        };
        let stamp = super::stamps::recordable(stamp.as_deref(), taken);
        if recorded_digest != digest || state.stamps.get(&source.key).map(String::as_str) == stamp {
            continue;
        }
        let old = tx
            .quads_for_pattern(
                Some(graph.as_ref().into()),
                Some(brikg::SOURCE_STAMP),
                None,
                Some(build.as_ref()),
            )
            .collect::<std::result::Result<Vec<_>, _>>()?;
        for q in &old {
            tx.remove(q);
        }
        if let Some(stamp) = stamp {
            tx.insert(
                Quad::new(
                    graph.clone(),
                    brikg::SOURCE_STAMP,
                    Literal::new_simple_literal(stamp),
                    build.clone(),
                )
                .as_ref(),
            );
        }
        refreshed.push((source.key.clone(), stamp.map(str::to_owned)));
    }
    Ok(refreshed)
}
