//! The store directory on disk and everything in it: the embedded Oxigraph store, and the files
//! beside it that make builds safe. No other module touches these paths.
//!
//! - `<store>`: the RocksDB store readers open.
//! - `<store>.lock`: locked exclusively by a build or an update, shared by readers, so nobody
//!   reads a store while it is written (RocksDB leaves that undefined) and two builds never run
//!   at once.
//! - `<store>.new`: a full build's fresh store, bulk-loaded beside the old one.
//! - `<store>.new.complete`: says the fresh store is committed; its presence lets the next
//!   command finish a swap that a crash interrupted.
//! - `<store>.old`: the previous store during a swap.
//! - `<store>/brikg-build-state`: a copy of the build state in one plain file (see
//!   `build::index`), inside the store's directory so that it moves with the store when a full
//!   build swaps one in; RocksDB leaves alone the files it did not make. Removed whenever the
//!   store is opened for writing by anything but a build.
//!
//! So a reader sees the old store or the new one, never half of one; see [`ExclusiveStore`].

pub mod compaction;

use crate::error::{Error, Result};
use oxigraph::model::NamedOrBlankNode;
use oxigraph::store::Store;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the default store path.
pub const STORE_ENV: &str = "BRIKG_STORE";

/// The store path when neither `--store` nor `BRIKG_STORE` is given:
/// `$XDG_DATA_HOME/brikg/store`, else `~/.local/share/brikg/store`, else `./.brikg/store`.
pub fn default_store_path() -> PathBuf {
    let data_home = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local/share"))
        });
    match data_home {
        Some(dir) => dir.join("brikg").join("store"),
        None => PathBuf::from(".brikg").join("store"),
    }
}

/// The copy of the build state inside the store at `store` (see the module's header).
pub fn build_state_copy(store: &Path) -> PathBuf {
    store.join("brikg-build-state")
}

/// Removes the copy of the build state, before anything but a build writes to the store.
fn remove_build_state_copy(store: &Path) -> Result<()> {
    let path = build_state_copy(store);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io { path, source: e }),
        _ => Ok(()),
    }
}

/// Whether `path` holds a store already (RocksDB keeps a `CURRENT` file).
pub fn exists(path: &Path) -> bool {
    path.join("CURRENT").is_file()
}

/// Finishes a full build's swap that a crash interrupted (see [`recover`]), so a reader never
/// sees a store that is missing or half swapped.
pub fn recover_if_needed(path: &Path) -> Result<()> {
    let sibling = |s: &str| sibling(path, s);
    if sibling("new").exists() || sibling("old").exists() || sibling("new.complete").exists() {
        let _lock = StoreLock::exclusive(path)?;
        recover(path)?;
    }
    Ok(())
}

/// A lock on `<store>.lock`: builds hold it exclusively, readers shared, so nobody reads a
/// store while a build writes it (RocksDB leaves that undefined), and two builds never run at once.
pub struct StoreLock {
    _file: std::fs::File,
}

impl StoreLock {
    /// For a build: fails at once if anyone else holds the lock.
    pub fn exclusive(store: &Path) -> Result<Self> {
        Self::acquire(store, true)
    }

    /// For reading: fails at once if a build holds the lock.
    pub fn shared(store: &Path) -> Result<Self> {
        Self::acquire(store, false)
    }

    fn acquire(store: &Path, exclusive: bool) -> Result<Self> {
        let path = sibling(store, "lock");
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::Io {
                path: parent.to_owned(),
                source: e,
            })?;
        }
        let file = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::Io {
                path: path.clone(),
                source: e,
            })?;
        let locked = if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match locked {
            Ok(()) => Ok(StoreLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Store {
                path: store.to_owned(),
                message: if exclusive {
                    "the store is in use by another brikg process; wait for it to finish, or use another --store"
                } else {
                    "the store is being built by another brikg process; wait for it to finish, or use another --store"
                }
                .into(),
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::Io { path, source: e }),
        }
    }
}

/// An open brikg store, for reading.
pub struct KgStore {
    store: Store,
    path: PathBuf,
    _lock: StoreLock,
}

impl KgStore {
    /// Opens the existing store at `path` for reading.
    pub fn open(path: &Path) -> Result<Self> {
        recover_if_needed(path)?;
        let lock = StoreLock::shared(path)?;
        if !exists(path) {
            return Err(Error::Store {
                path: path.to_owned(),
                message: "no store here; run brikg build".into(),
            });
        }
        let store = Store::open_read_only(path).map_err(|e| store_error(path, &e))?;
        Ok(KgStore {
            store,
            path: path.to_owned(),
            _lock: lock,
        })
    }

    /// Opens the existing store for reading and writing, holding it exclusively (a server that
    /// takes updates): no build and no other writer meanwhile.
    pub fn open_writable(path: &Path) -> Result<Self> {
        recover_if_needed(path)?;
        let lock = StoreLock::exclusive(path)?;
        if !exists(path) {
            return Err(Error::Store {
                path: path.to_owned(),
                message: "no store here; run brikg build".into(),
            });
        }
        // Updates may change the build state: its copy would no longer be true.
        remove_build_state_copy(path)?;
        let store = Store::open(path).map_err(|e| store_error(path, &e))?;
        Ok(KgStore {
            store,
            path: path.to_owned(),
            _lock: lock,
        })
    }

    /// The path of the store.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A storage error of this store, as brikg reports it (naming the store).
    pub fn error(&self, e: oxigraph::store::StorageError) -> Error {
        store_error(&self.path, &e)
    }

    /// The underlying Oxigraph store.
    pub fn inner(&self) -> &Store {
        &self.store
    }

    /// The named graphs of the store, sorted.
    pub fn graph_names(&self) -> Result<Vec<String>> {
        let mut names = Vec::new();
        for g in self.store.named_graphs() {
            names.push(match g.map_err(|e| store_error(&self.path, &e))? {
                NamedOrBlankNode::NamedNode(n) => n.into_string(),
                NamedOrBlankNode::BlankNode(b) => b.to_string(),
            });
        }
        names.sort();
        Ok(names)
    }
}

/// A store directory held exclusively, for a build or an update: an interrupted swap is
/// finished first, and a directory that is not a store is refused (a full build replaces the
/// directory whole, so anything else there would be lost).
pub struct ExclusiveStore {
    path: PathBuf,
    _lock: StoreLock,
}

impl ExclusiveStore {
    /// Takes the lock; fails at once if another process holds it.
    pub fn acquire(path: &Path) -> Result<Self> {
        let lock = StoreLock::exclusive(path)?;
        recover(path)?;
        refuse_foreign_directory(path)?;
        Ok(ExclusiveStore {
            path: path.to_owned(),
            _lock: lock,
        })
    }

    /// The store's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a store exists here yet.
    pub fn exists(&self) -> bool {
        exists(&self.path)
    }

    /// Opens the existing store for an update, which may change the build state: its copy is
    /// removed first (see [`build_state_copy`]).
    pub fn open(&self) -> Result<Store> {
        remove_build_state_copy(&self.path)?;
        self.open_for_build()
    }

    /// Opens the existing store for a build, which keeps the copy of the build state true itself.
    pub fn open_for_build(&self) -> Result<Store> {
        Store::open(&self.path).map_err(|e| store_error(&self.path, &e))
    }

    /// Starts a fresh, empty store beside this one, for a full build; a fresh store left by an
    /// earlier failed build is removed first.
    pub fn create_fresh(&self) -> Result<FreshStore> {
        let fresh = sibling(&self.path, "new");
        remove_dir(&fresh)?;
        let store = Store::open(&fresh).map_err(|e| store_error(&self.path, &e))?;
        Ok(FreshStore {
            target: self.path.clone(),
            path: fresh,
            store: Some(store),
            done: false,
        })
    }
}

/// A fresh store being bulk-loaded beside the real one. [`FreshStore::swap_in`] puts it in
/// place; dropped without that (a failed build), it is deleted and the old store stays.
pub struct FreshStore {
    target: PathBuf,
    path: PathBuf,
    store: Option<Store>,
    /// Swapped in: nothing to delete.
    done: bool,
}

impl FreshStore {
    /// Where the fresh store is, until swapped in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The store to load (until [`FreshStore::close_compacted`]).
    pub fn store(&self) -> &Store {
        self.store.as_ref().expect("open until swapped in")
    }

    /// Closes the fresh store and compacts it into compressed files on `threads` threads (see
    /// [`compaction`]); it is swapped in or, dropped, deleted as before.
    pub fn close_compacted(&mut self, threads: usize) -> Result<compaction::Layout> {
        drop(self.store.take());
        compaction::compact(&self.path, threads).map_err(|e| store_error(&self.target, &e))
    }

    /// Closes the fresh store and puts it in place of the old one.
    pub fn swap_in(mut self) -> Result<()> {
        drop(self.store.take());
        self.done = true;
        swap_in(&self.target, &self.path)
    }
}

impl Drop for FreshStore {
    fn drop(&mut self) {
        drop(self.store.take());
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// A store path must be a brikg store, a new path or an empty directory: a build replaces the
/// directory whole, so anything else there would be lost.
fn refuse_foreign_directory(store: &Path) -> Result<()> {
    if !store.exists() || exists(store) {
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
fn sibling(store: &Path, suffix: &str) -> PathBuf {
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
fn recover(store: &Path) -> Result<()> {
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

/// A storage error as one message, turning RocksDB's lock error into what it means.
pub fn store_error(path: &Path, e: &dyn std::fmt::Display) -> Error {
    let text = e.to_string();
    let message = if text.contains("LOCK")
        && (text.contains("temporarily unavailable") || text.contains("lock hold"))
    {
        "the store is in use by another brikg process; wait for it to finish, or use another --store".to_owned()
    } else {
        text
    };
    Error::Store {
        path: path.to_owned(),
        message,
    }
}
