//! Which data a store was built from, so that a store and its data stay together.
//!
//! A store built from a data directory records in its build state the directory's canonical
//! path and a stamp of its files (a digest of every data file's key, size and modification
//! time). With it:
//!
//! - a build pointed at other data than the store's is refused in one line naming both
//!   directories, unless told to replace ([`OtherData::Replace`]): a store built from a user's
//!   articles is never rebuilt from other ones because a `--data` was forgotten. A store of the
//!   bundled data is brikg's own and is replaced without asking (nothing is lost);
//! - a command that reads the store compares the stamp with what the file system says now (one
//!   `stat` per file, nothing read or hashed) and, when they differ, says which file changed
//!   and what to run. It warns and still answers, as `git status` tells of changes without
//!   stopping anyone: the store answers what it holds, and the line says that it is behind.
//!   (A refusal would stop every query while a curator edits, for a difference they know of.)

use crate::dataset::{self, ArticleOrigin, ArticleSource, DataSource};
use crate::error::{Error, Result};
use crate::iris::Iris;
use crate::vocab::{brikg, dcterms};
use oxigraph::model::{GraphName, Literal, NamedNodeRef, Quad};
use oxigraph::store::{StorageError, Store, Transaction};
use std::path::Path;

/// The most articles whose files a command that reads the store stats to tell whether the
/// store is behind them. A `stat` per file costs about 0.15 s at 20,000 articles (warm cache),
/// five times a question about one thing; a build, which stats them anyway, still tells, and
/// says it is up to date in under a second.
pub const STAMPED_READS: usize = 2_000;

/// What a build does when the store was built from another data directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OtherData {
    /// Refuse, naming both directories (the default).
    #[default]
    Refuse,
    /// Rebuild the store from the data given (`brikg build --replace`).
    Replace,
}

/// The predicate that records the data directory: `dcterms:source`, "a related resource from
/// which the described resource is derived" (the build state describes the store).
const DIRECTORY: NamedNodeRef<'static> = dcterms::SOURCE_GRAPH;

/// What a build records about the data it read, taken before it reads any file (a file changed
/// during the build then shows as changed afterwards).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Recording {
    /// The canonical path of the data directory; `None` for the bundled data.
    pub(crate) directory: Option<String>,
    /// The digest of the data files' keys and stamps.
    pub(crate) stamp: Option<String>,
}

/// What one look at a data directory's files tells, besides its [`Recording`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Survey {
    /// When the files were looked at (since the Unix epoch).
    pub(crate) taken: std::time::Duration,
    /// How many article files there are.
    pub(crate) articles: usize,
    /// The latest modification time among the data files.
    pub(crate) newest: std::time::Duration,
    /// Every data file's key and stamp (empty when it could not be looked at), sorted by key.
    pub(crate) stamps: Vec<(String, String)>,
}

impl Survey {
    /// The stamp of the file `key` as surveyed, so a build stats each file once.
    pub(crate) fn stamp(&self, key: &str) -> Option<&str> {
        let i = self
            .stamps
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()?;
        Some(self.stamps[i].1.as_str()).filter(|s| !s.is_empty())
    }

    /// The article files of `data`, sorted by key as [`dataset::list_articles`] lists them:
    /// for a directory, those this survey found, so a build lists 100,000 files once.
    pub(crate) fn article_sources(&self, data: &DataSource) -> Result<Vec<ArticleSource>> {
        match data {
            DataSource::Bundled => dataset::list_articles(data),
            DataSource::Dir(dir) => Ok(self
                .stamps
                .iter()
                .filter(|(key, _)| key.starts_with("articles/"))
                .map(|(key, _)| ArticleSource {
                    key: key.clone(),
                    origin: ArticleOrigin::Path(dir.join(key)),
                })
                .collect()),
        }
    }
}

impl Recording {
    /// What `data` is now.
    pub(crate) fn of(data: &DataSource) -> Result<Recording> {
        Ok(Recording::surveyed(data)?.0)
    }

    /// What `data` is now, and what the same look at its files tells of them.
    pub(crate) fn surveyed(data: &DataSource) -> Result<(Recording, Survey)> {
        let taken = super::stamps::now();
        match data {
            DataSource::Bundled => Ok((
                Recording::default(),
                Survey {
                    taken,
                    ..Survey::default()
                },
            )),
            DataSource::Dir(dir) => {
                let stamps = dataset::file_stamps(dir)?;
                let recording = Recording {
                    directory: Some(canonical(dir)),
                    stamp: Some(stamp_digest(&stamps)),
                };
                let survey = Survey {
                    taken,
                    articles: stamps
                        .iter()
                        .filter(|(k, _)| k.starts_with("articles/"))
                        .count(),
                    newest: stamps
                        .iter()
                        .filter_map(|(_, s)| dataset::stamp_modified(s))
                        .max()
                        .unwrap_or_default(),
                    stamps,
                };
                Ok((recording, survey))
            }
        }
    }

    /// What `dir` is now, as a command that reads the store compares it: with the stamp when
    /// the directory holds at most [`STAMPED_READS`] articles, else its path alone.
    pub(crate) fn for_reading(dir: &Path) -> Result<Recording> {
        // Counted no further than the threshold: 20,000 entries would cost a read of the whole
        // directory on every question.
        let articles = std::fs::read_dir(dir.join("articles"))
            .map_or(0, |d| d.take(STAMPED_READS + 1).count());
        if articles > STAMPED_READS {
            return Ok(Recording {
                directory: Some(canonical(dir)),
                stamp: None,
            });
        }
        Recording::of(&DataSource::Dir(dir.to_owned()))
    }

    /// The build-state quads that record it.
    pub(crate) fn quads(&self, iris: &Iris) -> Vec<Quad> {
        let graph = iris.build_state_graph();
        let g = GraphName::NamedNode(graph.clone());
        let mut quads = Vec::new();
        for (predicate, value) in [
            (DIRECTORY, &self.directory),
            (brikg::SOURCE_STAMP, &self.stamp),
        ] {
            if let Some(value) = value {
                quads.push(Quad::new(
                    graph.clone(),
                    predicate,
                    Literal::new_simple_literal(value),
                    g.clone(),
                ));
            }
        }
        quads
    }

    /// Replaces what the store records with this, in the transaction `tx`.
    pub(crate) fn rewrite(
        &self,
        tx: &mut Transaction<'_>,
        iris: &Iris,
    ) -> std::result::Result<(), StorageError> {
        super::state::remove_store_values(tx, iris, &[DIRECTORY, brikg::SOURCE_STAMP])?;
        tx.extend(self.quads(iris).iter());
        Ok(())
    }
}

/// What a store records about the data it was built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Recorded {
    /// "bundled" or "directory" (`None`: not a store brikg built).
    pub(crate) kind: Option<String>,
    pub(crate) now: Recording,
}

/// Reads what the store records (three quads).
pub(crate) fn read_recorded(
    store: &Store,
    iris: &Iris,
) -> std::result::Result<Recorded, StorageError> {
    Ok(Recorded {
        kind: super::state::read_value(store, iris, brikg::DATA_SOURCE)?,
        now: Recording {
            directory: super::state::read_value(store, iris, DIRECTORY)?,
            stamp: super::state::read_value(store, iris, brikg::SOURCE_STAMP)?,
        },
    })
}

/// The path of `dir` with links and `..` resolved, so one directory is known by one name
/// however it is spelled; as given when it cannot be resolved (it does not exist).
fn canonical(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .unwrap_or_else(|_| dir.to_owned())
        .display()
        .to_string()
}

/// A digest of every data file's key and stamp.
fn stamp_digest(stamps: &[(String, String)]) -> String {
    let mut parts: Vec<&[u8]> = Vec::with_capacity(stamps.len() * 2);
    for (key, stamp) in stamps {
        parts.push(key.as_bytes());
        parts.push(stamp.as_bytes());
    }
    crate::digest::digest_of(&parts)
}

/// Refuses a build of `data` into a store built from another directory, unless `other_data`
/// says to replace it.
pub(crate) fn check_build(
    store: &Path,
    recorded: &Recorded,
    now: &Recording,
    data: &DataSource,
    other_data: OtherData,
) -> Result<()> {
    match &recorded.now.directory {
        Some(old) if now.directory.as_ref() != Some(old) && other_data == OtherData::Refuse => {
            Err(other_data_error(store, old, data, now))
        }
        _ => Ok(()),
    }
}

/// The one-line error for a store built from `old` used with `data`.
pub(crate) fn other_data_error(
    store: &Path,
    old: &str,
    data: &DataSource,
    now: &Recording,
) -> Error {
    let (new, rebuild) = match (data, &now.directory) {
        (DataSource::Dir(_), Some(new)) => {
            (new.clone(), format!("brikg build --data {new} --replace"))
        }
        _ => (
            "the data bundled in brikg".to_owned(),
            "brikg build --replace".to_owned(),
        ),
    };
    Error::Usage(format!(
        "the store {} was built from {old}, not from {new}: give --data {old} to use it, another --store for {new}, or rebuild it from {new} with `{rebuild}`",
        store.display()
    ))
}

/// What changed in `dir` since the build recorded in `state`, in a few words: the first
/// changed, added or removed file (by key) and how many more.
pub(crate) fn changes(dir: &Path, state: &super::state::State) -> Result<String> {
    let now = dataset::file_stamps(dir)?;
    let mut changed: Vec<String> = Vec::new();
    for (key, stamp) in &now {
        if !key.starts_with("articles/") {
            continue;
        }
        let Some((_, digest)) = state.files.get(key) else {
            changed.push(format!("{key} was added"));
            continue;
        };
        let differs = match state.stamps.get(key) {
            Some(recorded) => recorded != stamp,
            // No stamp recorded (the file had not settled when the store was built): its
            // contents tell.
            None => std::fs::read_to_string(dir.join(key)).map_or(true, |text| {
                crate::digest::digest_of(&[text.as_bytes()]) != *digest
            }),
        };
        if differs {
            changed.push(format!("{key} changed"));
        }
    }
    for key in state.files.keys() {
        if !now.iter().any(|(k, _)| k == key) {
            changed.push(format!("{key} was removed"));
        }
    }
    changed.sort();
    Ok(match changed.len() {
        // The articles are as recorded: a reference or declaration file changed.
        0 => "its reference or vocabulary files changed".to_owned(),
        1 => changed.remove(0),
        n => format!("{} (and {} more files)", changed[0], n - 1),
    })
}
