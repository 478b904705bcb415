//! brikg turns curated facts of news articles about the Belt and Road Initiative into an RDF
//! knowledge graph, stored in an embedded Oxigraph store, queried with bundled SPARQL, exported
//! in the W3C formats and pushed to external triple stores.
//!
//! Data flows one way, and each job has one module:
//!
//! ```text
//! main, cli ─▶ ops ─▶ build │ export │ push │ query │ validate │ describe │ serve │ draft
//!                       └──▶ pipeline │ store │ mapping │ catalogue │ vocabulary │ shacl │ dataset │ results │ http
//!                              └──▶ model │ vocab │ iris │ matching │ format │ output │ digest │ error
//! ```
//!
//! | layer | module | job |
//! |---|---|---|
//! | commands | [`ops`] | one function per command, each taking a plain options struct |
//! | | [`build`] | data files → store: plan, full bulk load, incremental transaction, build state |
//! | | [`export`] | the store's graphs in any RDF format, whole, one graph or split |
//! | | [`push`] | graphs to external stores by the Graph Store Protocol |
//! | | [`query`] | running SPARQL: parsing, binding by substitution, time-outs, updates |
//! | | [`params`] | the bundled queries' parameters: a value a person types, as an RDF term |
//! | | [`validate`] | SHACL over the store or a file; the build's SHACL gate |
//! | | [`describe`] | the VoID/DCAT description of what is exported |
//! | | [`serve`] | the store over HTTP: SPARQL Protocol, Graph Store reads, bundled queries, reconciliation, the page |
//! | | [`reconcile`] | the W3C Reconciliation Service API: names matched to the graph's things |
//! | | [`draft`] | an article's text → a draft data file for a curator; scoring drafts |
//! | | [`settings`] | where the data, store and IRIs come from; where messages go |
//! | engine | [`pipeline`] | files read, parsed, mapped and checked on every core |
//! | | [`store`] | the store directory: open, lock, fresh store, swap, recovery |
//! | | [`mapping`] | model → quads, pure; value parsers; reference data |
//! | | [`catalogue`] | what all articles say each shared resource is: conflicts, merged names, likely duplicates |
//! | | [`matching`] | how two names of one thing are compared: normal forms, similarity |
//! | | [`vocabulary`] | the kinds, event types and units data files may name, read from RDF; curators' declarations |
//! | | [`dataset`] | finding and reading data files (a directory or the bundled copy) |
//! | | [`shacl`] | the SHACL Core validator |
//! | | [`queries`] | the bundled query catalogue |
//! | | [`lookup`] | a shared resource in the store by its id or any of its names |
//! | | [`results`] | SPARQL results as W3C formats or a table |
//! | | [`http`] | the HTTP client for endpoints and stores |
//! | foundation | [`model`] | serde types of the data files; no RDF |
//! | | [`vocab`] | the ontology's IRIs as constants |
//! | | [`iris`] | every IRI and graph name brikg mints |
//! | | [`format`] | RDF and results formats from a name, extension or media type |
//! | | [`output`] | files written under a temporary name and renamed |
//! | | [`digest`] | SHA-256 digests and 128-bit fingerprints |
//! | | [`error`] | typed errors that say where and what |

#[cfg(feature = "rocksdb")]
pub mod build;
pub mod catalogue;
pub mod dataset;
pub mod describe;
pub mod digest;
pub mod draft;
pub mod english;
pub mod error;
#[cfg(feature = "rocksdb")]
pub mod export;
pub mod format;
pub mod http;
pub mod iris;
#[cfg(feature = "rocksdb")]
pub mod lookup;
pub mod mapping;
pub mod matching;
pub mod model;
#[cfg(feature = "rocksdb")]
pub mod ops;
pub mod output;
#[cfg(feature = "rocksdb")]
pub mod params;
#[cfg(feature = "rocksdb")]
pub mod pipeline;
#[cfg(feature = "rocksdb")]
pub mod push;
pub mod queries;
#[cfg(feature = "rocksdb")]
pub mod query;
#[cfg(feature = "rocksdb")]
pub mod reconcile;
pub mod results;
#[cfg(feature = "rocksdb")]
pub mod serve;
#[cfg(feature = "rocksdb")]
pub mod settings;
pub mod shacl;
#[cfg(feature = "rocksdb")]
pub mod store;
pub mod suggest;
#[cfg(feature = "rocksdb")]
pub mod validate;
pub mod vocab;
pub mod vocabulary;

pub use error::{DataError, Error, Result};
