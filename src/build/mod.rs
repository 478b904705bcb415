//! `brikg build`: from data files to the store, streaming, incremental and all-or-nothing.
//!
//! The store records, in the graph `<base>graph/build`, which file each article graph came from
//! and that file's SHA-256, plus a fingerprint of everything else that shapes the graph (brikg's
//! version, the IRI base, the ontology, the reference data), and the data directory it was built
//! from with a stamp of its files ([`source`]). A build then does the least work that
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

//!
//! The parts: [`plan`] decides what changed, [`state`] reads and writes the build state,
//! [`source`] keeps the store with the data directory it was built from,
//! [`full`] bulk-loads a fresh store, [`incremental`] replaces graphs in one transaction. The
//! mapping itself runs in [`crate::pipeline`], the SHACL check in [`crate::validate::gate`], and
//! the store directory's life cycle (lock, fresh store, swap, recovery) in [`crate::store`].

mod full;
mod incremental;
mod index;
mod plan;
mod source;
mod stamps;
mod state;
mod things;

pub use crate::catalogue::report::DuplicateCheck;
use crate::dataset::{self, DataSource};
use crate::english::count;
use crate::error::Result;
use crate::iris::Iris;
use crate::store::{compaction, store_error, ExclusiveStore};
use crate::validate::gate::Checker;
pub use crate::validate::gate::ShaclMode;
use crate::vocab::brikg;
use oxigraph::store::{StorageError, Store};
pub use source::OtherData;
pub use stamps::FileCheck;
use std::path::PathBuf;
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
    /// What likely duplicates across articles do to the build.
    pub duplicates: DuplicateCheck,
    /// What a store built from another data directory does to the build.
    pub other_data: OtherData,
    /// Whether unchanged stamps are trusted or every file is read (`--verify`).
    pub check: FileCheck,
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

impl BuildReport {
    /// One line saying what the build did to the store at `store`. The count is of the graphs
    /// the data is in, the same as `brikg describe`'s `void:triples` and an export's (without
    /// its computed description); the line says that the build record is left out.
    pub fn summary(&self, store: &std::path::Path, iris: &crate::iris::Iris) -> String {
        let secs = self.elapsed.as_secs_f64();
        let not_counted = format!("not counted: the build record {}", iris.build_state_graph());
        match self.mode {
            BuildMode::UpToDate => format!(
                "{} is up to date ({}, {})",
                store.display(),
                count(self.files, "file"),
                count(self.quads_total, "quad")
            ),
            BuildMode::Incremental => format!(
                "updated {}: {} of {} mapped, {} replaced, {} removed, {} ({secs:.2} s; {})",
                store.display(),
                self.files_mapped,
                count(self.files, "file"),
                count(self.graphs_written, "graph"),
                self.graphs_removed,
                count(self.quads_total, "quad"),
                not_counted
            ),
            BuildMode::Full => format!(
                "built {}: {} mapped, {} in {} ({secs:.2} s, {:.0} quads/s; {})",
                store.display(),
                count(self.files_mapped, "file"),
                count(self.quads_total, "quad"),
                count(self.graphs_written, "graph"),
                self.quads_written as f64 / secs.max(1e-9),
                not_counted
            ),
        }
    }

    /// The line a command that had to build the store first prints before its own output.
    pub fn built_first(&self, store: &std::path::Path) -> String {
        match self.mode {
            BuildMode::Full => format!(
                "built a new store at {} ({} in {})",
                store.display(),
                count(self.quads_total, "quad"),
                count(self.graphs_written, "graph")
            ),
            // A store of other data (another version of brikg's, or replaced by a directory's)
            // updated in place: only the changed graphs were written.
            _ => format!(
                "brought the store at {} up to date with the data ({})",
                store.display(),
                count(self.quads_total, "quad")
            ),
        }
    }
}

/// Progress of a build, reported from time to time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub files_done: usize,
    pub files_total: usize,
    pub quads: usize,
}

/// What a build is doing. The stages take different times per file, so a time remaining is
/// only told of the mapping, which goes at a steady pace from the first file to the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading, checking and mapping files, and (a full build) loading their quads.
    Mapping,
    /// A full build compacting the fresh store into compressed files, once every file is in
    /// (see `store::compaction`): its own stage, told with the time it has taken so far.
    Compacting,
}

/// Builds or updates the store; `progress` is called as files are mapped.
pub fn build(options: &BuildOptions, progress: &(dyn Fn(Progress) + Sync)) -> Result<BuildReport> {
    let started = Instant::now();
    let exclusive = ExclusiveStore::acquire(&options.store)?;
    let copy = crate::store::build_state_copy(&options.store);
    // The copy of the build state is read while the data files are looked at: each costs a
    // few tenths of a second at 100,000 articles.
    let (surveyed, copied) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| exclusive.exists().then(|| index::read(&copy)).flatten());
        // Taken before any file is read: a file changed during the build shows as changed after.
        let surveyed = source::Recording::surveyed(&options.data);
        let copied = reader.join().expect("the build state's reader panicked");
        (surveyed, copied)
    });
    let (recording, survey) = surveyed?;
    let mut recorded = None;
    let (previous_head, mut copied_state) = match copied {
        Some((head, state)) => (Some(head), state),
        None => (None, None),
    };
    let previous = if exclusive.exists() {
        // Up to date by the copy of the build state alone: the store is not even opened.
        if let Some(head) = &previous_head {
            source::check_build(
                &options.store,
                &head.recorded,
                &recording,
                &options.data,
                options.other_data,
            )?;
            let (time, quads) = (Some(head.time), Some(head.quads));
            let fingerprint = head.fingerprint.as_deref();
            if let Some(report) = settled_up_to_date(
                options,
                (&head.recorded, fingerprint, time, quads),
                &recording,
                &survey,
            )? {
                return Ok(BuildReport {
                    elapsed: started.elapsed(),
                    ..report
                });
            }
        }
        let store = exclusive.open_for_build()?;
        let err = |e: StorageError| store_error(&options.store, &e);
        let before = source::read_recorded(&store, &options.iris).map_err(err)?;
        source::check_build(
            &options.store,
            &before,
            &recording,
            &options.data,
            options.other_data,
        )?;
        let (time, quads) = state::read_build_record(&store, &options.iris).map_err(err)?;
        let fingerprint =
            state::read_value(&store, &options.iris, brikg::BUILD_FINGERPRINT).map_err(err)?;
        if let Some(report) = settled_up_to_date(
            options,
            (&before, fingerprint.as_deref(), time, quads),
            &recording,
            &survey,
        )? {
            return Ok(BuildReport {
                elapsed: started.elapsed(),
                ..report
            });
        }
        recorded = Some(before);
        // The copy's state only if it mirrors the build the store records.
        let mirrored = previous_head.as_ref().map(|h| h.time) == time && time.is_some();
        let state = match copied_state.take().filter(|_| mirrored) {
            Some(state) => state,
            None => state::read_state(&store, &options.iris).map_err(err)?,
        };
        Some((state, store))
    } else {
        None
    };
    let foundation = dataset::load_foundation(&options.data, &options.iris)?;
    let sources = survey.article_sources(&options.data)?;
    let checker = Checker::new(&foundation, options.shacl)?;
    // Digests are taken here only to compare with a store built the same way; a full build
    // takes them from the text it maps, on the mapping threads.
    let plan = match &previous {
        Some((state, _))
            if state.fingerprint.as_deref() == Some(foundation.fingerprint.as_str()) =>
        {
            let digests = plan::digest_all(&sources, Some(state), options.check, Some(&survey))?;
            Some((plan::plan_incremental(state, &sources, &digests), digests))
        }
        _ => None,
    };
    let mut report = match (plan, previous) {
        (Some((plan, digests)), Some((state, store))) if plan.is_empty() => {
            let total = state::total_quads(&store, &options.iris, &foundation, &state)?;
            // Record the data as it is (files touched but not changed, files that had not
            // settled at the last build, an older store), so the next build and the commands
            // that read the store trust it without reading a file.
            let err = |e: StorageError| store_error(&options.store, &e);
            let mut tx = store.start_transaction().map_err(err)?;
            if recorded.is_some_and(|r| r.now != recording) {
                recording.rewrite(&mut tx, &options.iris).map_err(err)?;
            }
            let refreshed = state::refresh_stamps(
                &mut tx,
                &options.iris,
                &state,
                &sources,
                &digests,
                survey.taken,
            )
            .map_err(err)?;
            state::rewrite_build_record(&mut tx, &options.iris, survey.taken, total)
                .map_err(err)?;
            remove_copy(&copy)?;
            tx.commit().map_err(err)?;
            let mut state = state;
            state.restamp(refreshed);
            let compacted = previous_head.as_ref().map_or(0, |h| h.compacted);
            write_copy(
                &copy,
                options,
                (&recording, &survey),
                (total, compacted),
                &state,
            );
            up_to_date(sources.len(), total)
        }
        (Some((plan, digests)), Some((state, store)))
            if plan.changed.len() * 4 <= sources.len().max(8) =>
        {
            let (report, state) = incremental::incremental(
                options,
                &foundation,
                &sources,
                &digests,
                state,
                &plan,
                &store,
                (&recording, &survey, &copy),
                checker
                    .as_ref()
                    .map(|c| c as &dyn crate::pipeline::ArticleCheck),
                progress,
            )?;
            drop(store);
            let compacted = compact_if_grown(
                &options.store,
                previous_head.as_ref().map_or(0, |h| h.compacted),
                threads(options),
            )?;
            write_copy(
                &copy,
                options,
                (&recording, &survey),
                (report.quads_total, compacted),
                &state,
            );
            report
        }
        (_, previous) => {
            drop(previous);
            full::full(
                options,
                &exclusive,
                &foundation,
                &sources,
                (&recording, &survey),
                checker
                    .as_ref()
                    .map(|c| c as &dyn crate::pipeline::ArticleCheck),
                progress,
            )?
        }
    };
    report.elapsed = started.elapsed();
    if let Some(checker) = checker {
        report.warnings.extend(checker.into_warnings());
    }
    Ok(report)
}

/// The report of a store found up to date from the stamps of its data files alone, without
/// reading the build state (see [`stamps`]): the directory and the stamps of all its files are
/// those recorded, every file had settled when the last build looked at them, and brikg, the IRI
/// base and the reference data shape the graph as they did. `None` when any of that does not hold.
fn settled_up_to_date(
    options: &BuildOptions,
    (before, fingerprint, time, quads): (
        &source::Recorded,
        Option<&str>,
        Option<Duration>,
        Option<usize>,
    ),
    recording: &source::Recording,
    survey: &source::Survey,
) -> Result<Option<BuildReport>> {
    if options.check != FileCheck::Stamps
        || recording.stamp.is_none()
        || before.now != *recording
        || before.kind.as_deref() != Some(state::source_kind(&options.data))
    {
        return Ok(None);
    }
    let (Some(time), Some(quads), Some(fingerprint)) = (time, quads, fingerprint) else {
        return Ok(None);
    };
    if !stamps::settled_at(survey.newest, time) {
        return Ok(None);
    }
    let foundation = dataset::load_foundation(&options.data, &options.iris)?;
    if fingerprint != foundation.fingerprint {
        return Ok(None);
    }
    Ok(Some(up_to_date(survey.articles, quads)))
}

/// Writes the copy of the build state (see [`index`]) after the store's commit. The store holds
/// the truth: a copy that cannot be written is only removed (the next build reads the store).
fn write_copy(
    path: &std::path::Path,
    options: &BuildOptions,
    (recording, survey): (&source::Recording, &source::Survey),
    (quads, compacted): (usize, u64),
    state: &state::State,
) {
    let head = index::Head {
        time: survey.taken,
        recorded: source::Recorded {
            kind: Some(state::source_kind(&options.data).to_owned()),
            now: recording.clone(),
        },
        fingerprint: state.fingerprint.clone(),
        quads,
        compacted,
    };
    if index::write(path, &head, state).is_err() {
        let _ = index::remove(path);
    }
}

/// Compacts the closed store at `path` into compressed files when its table files have grown
/// past [`compaction::REGROWTH`] times their size after the last compaction (`compacted`; 0:
/// unknown, then today's size is taken as the reference). Returns the new reference.
fn compact_if_grown(path: &std::path::Path, compacted: u64, threads: usize) -> Result<u64> {
    let io = |e: std::io::Error| crate::error::Error::Io {
        path: path.to_owned(),
        source: e,
    };
    let now = compaction::table_bytes(path).map_err(io)?;
    if compacted == 0 {
        return Ok(now);
    }
    if (now as f64) <= compacted as f64 * compaction::REGROWTH {
        return Ok(compacted);
    }
    let layout = compaction::compact(path, threads).map_err(|e| store_error(path, &e))?;
    Ok(layout.sst_bytes)
}

/// Removes the copy of the build state before the store changes (see [`index`]).
fn remove_copy(path: &std::path::Path) -> Result<()> {
    index::remove(path).map_err(|e| crate::error::Error::Io {
        path: path.to_owned(),
        source: e,
    })
}

/// The report of a build that found nothing to do.
fn up_to_date(files: usize, quads_total: usize) -> BuildReport {
    BuildReport {
        mode: BuildMode::UpToDate,
        files,
        files_mapped: 0,
        graphs_written: 0,
        graphs_removed: 0,
        quads_written: 0,
        quads_total,
        elapsed: Duration::ZERO,
        warnings: Vec::new(),
    }
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
    let source = state::read_value(store, &options.iris, brikg::DATA_SOURCE).map_err(err)?;
    if source.as_deref() != Some(state::source_kind(&options.data)) {
        return Ok(Freshness::OtherSource);
    }
    let state = state::read_state(store, &options.iris).map_err(err)?;
    let foundation = dataset::load_foundation(&options.data, &options.iris)?;
    if state.fingerprint.as_deref() != Some(foundation.fingerprint.as_str()) {
        return Ok(Freshness::Stale);
    }
    let sources = dataset::list_articles(&options.data)?;
    let digests = plan::digest_all(&sources, Some(&state), FileCheck::Stamps, None)?;
    Ok(
        if plan::plan_incremental(&state, &sources, &digests).is_empty() {
            Freshness::Current
        } else {
            Freshness::Stale
        },
    )
}

/// What a command that reads the store does with it, given the data it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holding {
    /// Use it: it holds the data named (or cannot tell: a store of an older brikg).
    Current,
    /// Use it, after saying this line: its data directory changed since it was built.
    Behind(String),
    /// Build first: it holds the bundled data, and brikg's or another is wanted.
    Rebuild,
}

/// Compares the store with the data `options` names, cheaply: three quads of the build state
/// and one `stat` per data file; the build state is read in full only to say what changed.
/// A store built from another directory than the one named is an error (see [`source`]).
pub fn holding(store: &Store, options: &BuildOptions) -> Result<Holding> {
    let err = |e: StorageError| store_error(&options.store, &e);
    let recorded = source::read_recorded(store, &options.iris).map_err(err)?;
    let dir = match (
        &options.data,
        recorded.kind.as_deref(),
        &recorded.now.directory,
    ) {
        (DataSource::Bundled, Some("bundled"), _) => {
            return Ok(match freshness(store, options)? {
                Freshness::Stale => Holding::Rebuild,
                _ => Holding::Current,
            })
        }
        // The bundled data is brikg's to replace: nothing is lost.
        (DataSource::Dir(_), Some("bundled"), _) => return Ok(Holding::Rebuild),
        (_, _, Some(dir)) => dir.clone(),
        // Built before the directory was recorded, or not by brikg: nothing to compare.
        _ => return Ok(Holding::Current),
    };
    let now = match &options.data {
        DataSource::Dir(given) => {
            let now = source::Recording::for_reading(given)?;
            if now.directory.as_ref() != Some(&dir) {
                return Err(source::other_data_error(
                    &options.store,
                    &dir,
                    &options.data,
                    &now,
                ));
            }
            now
        }
        // No --data: the store's own directory is the data.
        DataSource::Bundled => match source::Recording::for_reading(&PathBuf::from(&dir)) {
            Ok(now) => now,
            Err(e) => {
                return Ok(Holding::Behind(format!(
                    "the store {} was built from {dir}, which cannot be read now ({e})",
                    options.store.display()
                )))
            }
        },
    };
    if recorded.now.stamp.is_none() || now.stamp.is_none() || now.stamp == recorded.now.stamp {
        return Ok(Holding::Current);
    }
    let state = state::read_state(store, &options.iris).map_err(err)?;
    let what = source::changes(std::path::Path::new(&dir), &state)?;
    Ok(Holding::Behind(format!(
        "the store {} was built from {dir} before {what}: run `brikg build --data {dir}`",
        options.store.display()
    )))
}

/// The threads that map files (and bulk-load): all cores unless the options say otherwise.
fn threads(options: &BuildOptions) -> usize {
    options
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}
