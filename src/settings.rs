//! What every command needs to know before it starts: where the data, the store and the IRIs
//! come from, and where messages to the user go. Its own module, below `ops` and `serve`, because
//! both the commands and the server start from it.

use crate::build::{self, BuildOptions, DuplicateCheck, FileCheck, OtherData, ShaclMode};
use crate::dataset::DataSource;
use crate::describe::DescribeOptions;
use crate::error::Result;
use crate::iris::Iris;
use crate::store::{self, KgStore};
use std::path::PathBuf;
use std::sync::Arc;

/// Where the library's messages to the user go: stderr in the binary, nowhere with `-q` or in
/// a test. Messages are one line each and never data (data goes to the writer of the command).
#[derive(Clone, Default)]
pub struct Notifier(Option<Arc<Say>>);

/// What a [`Notifier`] calls with each message.
type Say = dyn Fn(&str) + Send + Sync;

impl Notifier {
    /// Messages go to `say`.
    pub fn new(say: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Notifier(Some(Arc::new(say)))
    }

    /// Says `message`, if anyone listens.
    pub fn note(&self, message: &str) {
        if let Some(say) = &self.0 {
            say(message);
        }
    }
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Notifier(on)"
        } else {
            "Notifier(off)"
        })
    }
}

/// Where the data, the store and the IRIs come from.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data: DataSource,
    pub store: PathBuf,
    pub iris: Iris,
    /// Publisher and licence for the dataset description.
    pub describe: DescribeOptions,
    /// What a SHACL violation does to a build.
    pub shacl: ShaclMode,
    /// What likely duplicates across articles do to a build.
    pub duplicates: DuplicateCheck,
    /// What a store built from another data directory does to a build.
    pub other_data: OtherData,
    /// Whether a build trusts unchanged stamps or reads every file.
    pub check: FileCheck,
    /// Where notes such as "built a new store" go.
    pub notify: Notifier,
}

impl Settings {
    /// The build options these settings describe.
    pub fn build_options(&self) -> BuildOptions {
        BuildOptions {
            data: self.data.clone(),
            store: self.store.clone(),
            iris: self.iris.clone(),
            threads: None,
            shacl: self.shacl,
            duplicates: self.duplicates,
            other_data: self.other_data,
            check: self.check,
        }
    }

    /// Opens the store, building it from the data first when it does not exist yet, so the
    /// first command a newcomer types just works; a build is noted.
    pub fn open_or_build(&self) -> Result<KgStore> {
        store::recover_if_needed(&self.store)?;
        if store::exists(&self.store) {
            let store = KgStore::open(&self.store)?;
            // The bundled data is one small file: a store of it that is out of date is built
            // again, so a new version of brikg never answers from an old store. A data
            // directory is the user's to rebuild: a store behind its files answers, with a line
            // that says so (see `build::holding`).
            match build::holding(store.inner(), &self.build_options())? {
                build::Holding::Current => return Ok(store),
                build::Holding::Behind(line) => {
                    self.notify.note(&format!("warning: {line}"));
                    return Ok(store);
                }
                build::Holding::Rebuild => {}
            }
        }
        let report = build::build(&self.build_options(), &|_| {})?;
        self.notify.note(&report.built_first(&self.store));
        KgStore::open(&self.store)
    }
}
