//! A full build: every article mapped on all cores and streamed into Oxigraph's bulk loader
//! in a fresh store beside the old one, which is swapped in only once it is complete.

use super::stamps::recordable;
use super::state::{
    build_record_quads, file_record_quads, state_header_quads, things_record_quad, FileRecord,
    State,
};
use super::{threads, BuildMode, BuildOptions, BuildReport, Progress, Stage};
use crate::catalogue::report::Gathering;
use crate::dataset::{ArticleSource, Foundation};
use crate::error::{Error, Result};
use crate::pipeline::{spawn_mappers, MapControl, Mapped, Owners};
use crate::store::{store_error, ExclusiveStore};
use oxigraph::model::{GraphName, Quad};
use oxigraph::store::StorageError;
use std::sync::atomic::Ordering;
use std::time::Duration;

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

/// Bulk-loads a fresh store beside the old one and swaps it in.
pub(super) fn full(
    options: &BuildOptions,
    exclusive: &ExclusiveStore,
    foundation: &Foundation,
    sources: &[ArticleSource],
    (recording, survey): (&super::source::Recording, &super::source::Survey),
    checker: Option<&dyn crate::pipeline::ArticleCheck>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport> {
    let iris = &options.iris;
    // Dropped on an error, the fresh store is deleted and the old one stays.
    let mut fresh = exclusive.create_fresh()?;
    let (quads, graphs_written, warnings, copy) = {
        let store = fresh.store();
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
        let mut quads = foundation.len();
        let mut done = 0;
        let control = MapControl {
            digest: true,
            ..MapControl::default()
        };
        let state_graph = GraphName::NamedNode(iris.build_state_graph());
        let mut gathering = Gathering::new(&foundation.reference);
        // The build state, for its copy (see `super::index`): some 300 bytes an article.
        let mut copy = State {
            fingerprint: Some(foundation.fingerprint.clone()),
            ..State::default()
        };
        let (things, warnings, copy) =
            std::thread::scope(|scope| -> Result<(Vec<Quad>, Vec<String>, State)> {
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
                                definitions,
                                ..
                            } = mapped;
                            gathering.add(i, definitions);
                            quads += graph.quads.len();
                            done += 1;
                            progress(Progress {
                                stage: Stage::Mapping,
                                files_done: done,
                                files_total: sources.len(),
                                quads,
                            });
                            let record = FileRecord {
                                graph: graph.graph,
                                key: sources[i].key.as_str(),
                                digest: digest.as_deref().expect("digests requested"),
                                stamp: recordable(stamp.as_deref(), survey.taken),
                                quads: graph.quads.len(),
                            };
                            copy.add(&record);
                            let mut article_quads = graph.quads;
                            article_quads.extend(file_record_quads(&record, &state_graph));
                            current = article_quads.into_iter();
                        }
                        Err(e) => {
                            // A data error lets the others map on, so all the files' errors are
                            // reported at once, as a compiler does; anything else stops them. The
                            // errors are put in file order, the same whichever thread came first.
                            let mut errors = vec![(i, e)];
                            if !errors[0].1.is_data() {
                                control.stop.store(true, Ordering::Relaxed);
                            }
                            for (j, later) in rx.iter() {
                                if let Err(e) = later {
                                    if !e.is_data() {
                                        control.stop.store(true, Ordering::Relaxed);
                                    }
                                    errors.push((j, e));
                                }
                            }
                            return Some(Err(Error::gather(errors)));
                        }
                    }
                });
                let foundation_quads = foundation
                    .quads()
                    .cloned()
                    .chain(state_header_quads(
                        iris,
                        &options.data,
                        &foundation.fingerprint,
                    ))
                    .chain(recording.quads(iris))
                    .map(Ok);
                loader
                    .load_ok_quads::<Error, LoadError>(foundation_quads.chain(articles))
                    .map_err(|e| match e {
                        LoadError::Data(e) => e,
                        LoadError::Storage(e) => err(e),
                    })?;
                // Every article is in: what they define together, merged (or refused).
                let (things, warnings) =
                    gathering.finish(sources, foundation, iris, options.duplicates)?;
                let record = things_record_quad(iris, things.len());
                let totals = build_record_quads(iris, survey.taken, quads + things.len());
                loader
                    .load_quads(
                        things
                            .iter()
                            .cloned()
                            .chain([record])
                            .chain(totals)
                            .chain(super::things::name_keys(&things, iris)),
                    )
                    .map_err(err)?;
                copy.things = things.len();
                Ok((things, warnings, copy))
            })?;
        quads += things.len();
        loader.commit().map_err(err)?;
        store.flush().map_err(err)?;
        (
            quads,
            foundation.graphs() + sources.len() + usize::from(!things.is_empty()),
            warnings,
            copy,
        )
    };
    // Compact now, while nobody waits: a bulk-loaded store left as it is makes RocksDB compact
    // in the background of the next build, which then takes seconds to open and close; and
    // compacted by Oxigraph it would be stored uncompressed (see `store::compaction`).
    progress(Progress {
        stage: Stage::Compacting,
        files_done: sources.len(),
        files_total: sources.len(),
        quads,
    });
    let layout = fresh.close_compacted(threads(options))?;
    super::write_copy(
        &crate::store::build_state_copy(fresh.path()),
        options,
        (recording, survey),
        (quads, layout.sst_bytes),
        &copy,
    );
    fresh.swap_in()?;
    Ok(BuildReport {
        mode: BuildMode::Full,
        files: sources.len(),
        files_mapped: sources.len(),
        graphs_written,
        graphs_removed: 0,
        quads_written: quads,
        quads_total: quads,
        elapsed: Duration::ZERO,
        warnings,
    })
}
