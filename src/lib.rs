//! brikg turns curated facts of news articles about the Belt and Road Initiative into an RDF
//! knowledge graph: TOML data files ([`model`]) are checked and mapped to quads ([`mapping`]),
//! written into an embedded Oxigraph store ([`store`]), queried with the bundled SPARQL queries
//! ([`queries`]) and exported in the W3C formats ([`export`]).
//!
//! The binary is a thin layer over [`ops`], which takes plain option structs.

pub mod build;
pub mod dataset;
pub mod describe;
pub mod error;
pub mod export;
pub mod format;
pub mod http;
pub mod mapping;
pub mod model;
pub mod ops;
pub mod push;
pub mod queries;
pub mod results;
pub mod shacl;
pub mod store;
pub mod validate;
pub mod vocab;

pub use error::{DataError, Error, Result};
