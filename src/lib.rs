//! brikg turns curated facts of news articles about the Belt and Road Initiative into an RDF
//! knowledge graph: TOML data files ([`model`]) are checked and mapped to quads ([`mapping`]),
//! written into an embedded Oxigraph store ([`store`]), queried with the bundled SPARQL queries
//! ([`queries`]) and exported in the W3C formats ([`export`]).
//!
//! The binary is a thin layer over [`ops`], which takes plain option structs.

#[cfg(feature = "rocksdb")]
pub mod build;
pub mod dataset;
pub mod describe;
pub mod error;
#[cfg(feature = "rocksdb")]
pub mod export;
pub mod format;
pub mod http;
pub mod mapping;
pub mod model;
#[cfg(feature = "rocksdb")]
pub mod ops;
#[cfg(feature = "rocksdb")]
pub mod push;
pub mod queries;
pub mod results;
pub mod shacl;
#[cfg(feature = "rocksdb")]
pub mod store;
#[cfg(feature = "rocksdb")]
pub mod validate;
pub mod vocab;

pub use error::{DataError, Error, Result};
