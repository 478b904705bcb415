//! The embedded Oxigraph store on disk: open it, replace brikg's graphs atomically, query it.
//!
//! A build touches only the graphs under the IRI base's `graph/` prefix, and does so in one
//! RocksDB transaction: either every graph is replaced, or the store stays as it was.

use crate::error::{Error, Result};
use oxigraph::model::{NamedOrBlankNode, Term, Variable};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// Whether `path` holds a store already (RocksDB keeps a `CURRENT` file).
pub fn exists(path: &Path) -> bool {
    path.join("CURRENT").is_file()
}

/// Finishes a full build's swap that a crash interrupted (see [`crate::build::recover`]), so a
/// reader never sees a store that is missing or half swapped.
pub fn recover_if_needed(path: &Path) -> Result<()> {
    let sibling = |s: &str| crate::build::sibling(path, s);
    if sibling("new").exists() || sibling("old").exists() || sibling("new.complete").exists() {
        let _lock = StoreLock::exclusive(path)?;
        crate::build::recover(path)?;
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
        let path = crate::build::sibling(store, "lock");
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

    /// Runs a SPARQL query. `bindings` pre-bind variables to RDF terms, which can never change
    /// the query's structure. With `union_default_graph`, the default graph is the union of all
    /// graphs (as in Virtuoso); otherwise it is the store's own, empty, default graph.
    pub fn query(&self, request: &QueryRequest<'_>) -> Result<QueryResults<'static>> {
        let query = spargebra::SparqlParser::new()
            .parse_query(request.text)
            .map_err(|e| Error::Query(format!("{}: {}", request.name, syntax_message(&e))))?;
        let query = bind_variables(query, request.bindings)
            .map_err(|e| Error::Query(format!("{}: {e}", request.name)))?;
        let mut prepared = SparqlEvaluator::new()
            .with_cancellation_token(request.cancel.clone())
            .for_query(query);
        if request.union_default_graph {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        prepared
            .on_store(&self.store)
            .execute()
            .map_err(|e| Error::Query(format!("{}: {e}", request.name)))
    }
}

/// A query to run, with its name for messages.
pub struct QueryRequest<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub bindings: &'a [(Variable, Term)],
    pub union_default_graph: bool,
    pub cancel: CancellationToken,
}

/// Cancels a query when the timeout passes.
pub fn cancel_after(timeout: Option<Duration>) -> CancellationToken {
    let token = CancellationToken::new();
    if let Some(timeout) = timeout {
        let t = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(timeout);
            t.cancel();
        });
    }
    token
}

/// Binds variables to terms in the query algebra, as a `VALUES` table joined with the query's
/// pattern under its solution modifiers: the same as writing `VALUES` at the top of the `WHERE`
/// clause, and since it never touches the query text, a value cannot change the query.
pub fn bind_variables(
    mut query: spargebra::Query,
    bindings: &[(Variable, Term)],
) -> Result<spargebra::Query, String> {
    use spargebra::algebra::GraphPattern;
    use spargebra::term::GroundTerm;
    if bindings.is_empty() {
        return Ok(query);
    }
    let mut variables = Vec::new();
    let mut row = Vec::new();
    for (variable, term) in bindings {
        let ground = match term {
            Term::NamedNode(n) => GroundTerm::NamedNode(n.clone()),
            Term::Literal(l) => GroundTerm::Literal(l.clone()),
            other => {
                return Err(format!(
                    "?{} cannot be bound to {other}: use an IRI or a literal",
                    variable.as_str()
                ))
            }
        };
        variables.push(variable.clone());
        row.push(Some(ground));
    }
    let values = GraphPattern::Values {
        variables,
        bindings: vec![row],
    };
    let pattern = match &mut query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Construct { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Ask { pattern, .. } => pattern,
    };
    // Descend through the solution modifiers to the WHERE pattern.
    let mut target = pattern;
    while let GraphPattern::Slice { inner, .. }
    | GraphPattern::Distinct { inner }
    | GraphPattern::Reduced { inner }
    | GraphPattern::Project { inner, .. }
    | GraphPattern::OrderBy { inner, .. } = target
    {
        target = inner;
    }
    let where_pattern = std::mem::replace(
        target,
        GraphPattern::Bgp {
            patterns: Vec::new(),
        },
    );
    *target = GraphPattern::Join {
        left: Box::new(values),
        right: Box::new(where_pattern),
    };
    Ok(query)
}

/// Runs a SPARQL update on the store, holding the build lock so nobody reads meanwhile.
pub fn update(path: &Path, update: &spargebra::Update) -> Result<()> {
    let _lock = StoreLock::exclusive(path)?;
    let store = Store::open(path).map_err(|e| store_error(path, &e))?;
    SparqlEvaluator::new()
        .for_update(update.clone())
        .on_store(&store)
        .execute()
        .map_err(|e| Error::Query(format!("update failed: {e}")))
}

/// Oxigraph's syntax errors name the line and column; keep them on one line.
fn syntax_message(e: &oxigraph::sparql::SparqlSyntaxError) -> String {
    format!("SPARQL syntax error: {}", e.to_string().replace('\n', " "))
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
