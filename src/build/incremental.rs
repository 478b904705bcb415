//! An incremental build: the graphs of changed, added and removed files, and their build
//! records, replaced in one RocksDB transaction, so the time is proportional to the change.

use super::plan::{Digests, Plan};
use super::state::{file_record_quads, FileRecord, State};
use super::things;
use super::{threads, BuildMode, BuildOptions, BuildReport, Progress, Stage};
use crate::catalogue::report::{self, DuplicateCheck};
use crate::catalogue::{definitions_in, Definer, Definition};
use crate::dataset::{self, ArticleSource, Foundation};
use crate::error::Result;
use crate::iris::Shared;
use crate::mapping::ArticleGraph;
use crate::pipeline::map_parallel;
use crate::store::store_error;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode};
use oxigraph::store::{StorageError, Store};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// What the changed files define, by shared resource: each definition with its definer.
type Definitions = BTreeMap<(Shared, String), Vec<(Option<Definer>, Definition)>>;

fn add_definitions(
    to: &mut Definitions,
    (definer, definitions): (Option<Definer>, BTreeMap<(Shared, String), Definition>),
) {
    for (key, definition) in definitions {
        to.entry(key)
            .or_default()
            .push((definer.clone(), definition));
    }
}

/// The shared resources whose definitions by the changed and removed files differ from what
/// those files defined before. Only their merged definitions in the things graph can change: a
/// resource defined alike before and after (by an edit of a figure, say, most edits) keeps the
/// merge of the same definitions, and gathering its definitions from every other article
/// (a measure such as "documents signed" is defined by 12,000 of 20,000 generated articles)
/// would cost seconds and change nothing.
fn changed_definitions(
    mut now: Definitions,
    mut before: Definitions,
) -> BTreeSet<(Shared, String)> {
    let keys: BTreeSet<(Shared, String)> = now.keys().chain(before.keys()).cloned().collect();
    keys.into_iter()
        .filter(|key| {
            let mut a = now.remove(key).unwrap_or_default();
            let mut b = before.remove(key).unwrap_or_default();
            a.sort_by(|x, y| x.0.cmp(&y.0));
            b.sort_by(|x, y| x.0.cmp(&y.0));
            a != b
        })
        .collect()
}

/// Replaces the graphs of changed and removed files in one transaction.
#[expect(clippy::too_many_arguments)]
pub(super) fn incremental(
    options: &BuildOptions,
    foundation: &Foundation,
    sources: &[ArticleSource],
    digests: &Digests,
    state: State,
    plan: &Plan,
    store: &Store,
    (recording, survey, copy): (
        &super::source::Recording,
        &super::source::Survey,
        &std::path::Path,
    ),
    checker: Option<&dyn crate::pipeline::ArticleCheck>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(BuildReport, State)> {
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
    // The shared resources the change touches: what the changed files define now, and (below)
    // what they and the removed files defined before.
    let mut now = Definitions::new();
    map_parallel(
        &changed,
        foundation,
        iris,
        threads(options),
        checker,
        None,
        |i, graph| {
            add_definitions(&mut now, graph.definitions);
            let graph = graph.graph;
            quads_written += graph.quads.len();
            mapped.push((i, graph));
            progress(Progress {
                stage: Stage::Mapping,
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
    let mut old_graphs: Vec<&NamedNode> = plan.removed.iter().collect();
    old_graphs.extend(
        changed
            .iter()
            .filter_map(|s| state.files.get(&s.key).map(|(g, _)| g)),
    );
    let mut before = Definitions::new();
    for graph in old_graphs {
        let quads = store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(err)?;
        add_definitions(
            &mut before,
            definitions_in(quads.iter().map(|q| q.as_ref()), iris),
        );
    }
    let affected = changed_definitions(now, before);
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
    // What the articles now define together: refused if they disagree, merged into the things
    // graph for the resources the change touched.
    let catalogue =
        things::gather_from_store(&mut tx, &affected, &foundation.reference, iris).map_err(err)?;
    let file_of = |article: &str| -> Option<&ArticleSource> {
        let graph = iris.article_graph(article);
        if let Some((i, _)) = mapped.iter().find(|(_, g)| g.graph == graph) {
            return Some(changed[*i]);
        }
        let (key, _) = state.files.iter().find(|(_, (g, _))| *g == graph)?;
        sources.iter().find(|s| &s.key == key)
    };
    if let Some(conflict) = catalogue.conflict() {
        return Err(report::conflict_error(
            &conflict,
            &file_of,
            &foundation.reference,
        ));
    }
    let warnings = match options.duplicates {
        DuplicateCheck::Off => Vec::new(),
        _ => report::duplicate_messages(&catalogue.duplicates(Some(&affected)), &file_of),
    };
    if options.duplicates == DuplicateCheck::Error && !warnings.is_empty() {
        return Err(report::duplicates_error(&warnings));
    }
    let things_quads =
        things::replace_things(&mut tx, &affected, &catalogue, iris, state.things).map_err(err)?;
    // The build state changes only for the files this build touched: their old records go,
    // their new ones come; the other 20,000 stay as they are.
    let build = iris.build_state_graph();
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
            stamp: super::stamps::recordable(digests[index].0.as_deref(), survey.taken),
            quads: graph.quads.len(),
        });
    }
    // The fingerprint and data source are unchanged (an incremental build requires it).
    let state_graph = GraphName::NamedNode(build);
    for record in &records {
        tx.extend(file_record_quads(record, &state_graph).iter());
    }
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
        + things_quads
        + foundation.len();
    recording.rewrite(&mut tx, iris).map_err(err)?;
    // Unchanged files hashed because they were touched or had not settled: recorded now.
    let refreshed =
        super::state::refresh_stamps(&mut tx, iris, &state, sources, digests, survey.taken)
            .map_err(err)?;
    super::state::rewrite_build_record(&mut tx, iris, survey.taken, quads_total).map_err(err)?;
    // The copy of the build state goes before the store changes (the build writes it anew).
    super::remove_copy(copy)?;
    tx.commit().map_err(err)?;
    // The build state as now recorded, for its copy (see `super::index`).
    let mut after = state;
    for graph in &touched {
        after.counts.remove(graph);
    }
    after
        .files
        .retain(|key, _| present.contains(key.as_str()) && !changed_keys.contains(key.as_str()));
    after.stamps.retain(|key, _| after.files.contains_key(key));
    for record in &records {
        after.add(record);
    }
    after.things = things_quads;
    after.restamp(refreshed);
    let report = BuildReport {
        mode: BuildMode::Incremental,
        files: sources.len(),
        files_mapped: changed.len(),
        graphs_written: mapped.len(),
        graphs_removed: plan.removed.len(),
        quads_written,
        quads_total,
        elapsed: Duration::ZERO,
        warnings,
    };
    Ok((report, after))
}
