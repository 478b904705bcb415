//! What a build must do: which files are new, changed or gone since the store was built, told
//! by their SHA-256, without reading the files whose size and time are those recorded.

use super::stamps::FileCheck;
use super::state::State;
use crate::dataset::ArticleSource;
use crate::error::Result;
use oxigraph::model::NamedNode;
use std::collections::BTreeSet;

/// What an incremental build must do.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Indexes into the sources of new or changed files.
    pub(super) changed: Vec<usize>,
    /// Graphs of files that are gone.
    pub(super) removed: Vec<NamedNode>,
}

impl Plan {
    pub(super) fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Compares the sources and their digests with the state.
pub(super) fn plan_incremental(
    state: &State,
    sources: &[ArticleSource],
    digests: &Digests,
) -> Plan {
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
pub(super) type Digests = Vec<(Option<String>, String)>;

/// The stamp (from `survey` when given) and digest of every file. With [`FileCheck::Stamps`], a file whose stamp is the
/// one recorded keeps its recorded digest without being read (as git does; see
/// [`super::stamps`]); the others are hashed. With [`FileCheck::Contents`] all are.
pub(super) fn digest_all(
    sources: &[ArticleSource],
    state: Option<&State>,
    check: FileCheck,
    survey: Option<&super::source::Survey>,
) -> Result<Digests> {
    sources
        .iter()
        .map(|s| {
            // Stamped once, by the survey taken before anything was read.
            let stamp = match survey.map(|v| v.stamp(&s.key)) {
                Some(stamp) => stamp.map(str::to_owned),
                None => s.stamp(),
            };
            if let (Some(stamp), Some(state), FileCheck::Stamps) = (&stamp, state, check) {
                if state.stamps.get(&s.key) == Some(stamp) {
                    if let Some((_, digest)) = state.files.get(&s.key) {
                        return Ok((Some(stamp.clone()), digest.clone()));
                    }
                }
            }
            Ok((
                stamp,
                crate::digest::digest_of(&[s.read()?.text.as_bytes()]),
            ))
        })
        .collect()
}
