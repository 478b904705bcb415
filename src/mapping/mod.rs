//! From the data files' model to RDF quads.
//!
//! A pure function of the model, the reference data and the IRI base: no I/O, no blank nodes, no
//! randomness, and quads come out in the order of the file, so two runs give the same graph.
//! Checks that need more than the TOML grammar (ids, references, dates, figures) happen here,
//! in the same pass that writes the triples, so there is one place that knows what a valid
//! fact is. Every error carries the byte span of the offending value. A reference to nothing
//! (an unknown kind, unit, country or id) is kept and the mapping goes on, so one build lists
//! them all ([`map_article`]); any other error stops the file.
//!
//! One file per job: `mapper` holds the state of one article's mapping; `resolve` declares
//! the ids and looks every reference up; `article`, `things` and `facts` hold one method
//! per table of the data file, each with that table's checks beside the triples it writes, in
//! file order. The value parsers (ids, figures, dates) are in `values`, the reference data in
//! `reference`.

mod article;
mod error;
mod facts;
mod graph;
mod mapper;
mod reference;
mod resolve;
mod things;
mod values;

pub use error::MapError;
pub use graph::ArticleGraph;
pub use mapper::MAX_PARAGRAPHS;
pub use reference::{map_reference, Reference};
pub use values::{PartialDate, Precision};

use crate::iris::Iris;
use crate::model::ArticleFile;
use error::MapResult;
use mapper::Mapper;

/// Maps one article file into its named graph, checking every id, reference, date and figure.
///
/// Every reference that names nothing known (a kind, unit, event type, country, currency,
/// measure, field, section or id) is reported, in file order, not only the first: a curator
/// who drafted a file with four new kinds declares them all after one build, not four. Other
/// problems (a bad date, a duplicate id) stop the mapping where they are found, with the
/// references found before them.
pub fn map_article(
    file: &ArticleFile,
    reference: &Reference,
    iris: &Iris,
) -> Result<ArticleGraph, Vec<MapError>> {
    let mut mapper = Mapper::new(file, reference, iris).map_err(|e| vec![e])?;
    let stopped = tables(&mut mapper).err();
    mapper.finish(stopped)
}

/// Maps the tables in file order; an error returned here stops the mapping.
fn tables(m: &mut Mapper<'_>) -> MapResult<()> {
    m.declare_names()?;
    m.article_meta()?;
    m.sections()?;
    m.concepts()?;
    m.entities()?;
    m.organizations()?;
    m.agreements()?;
    m.observations()?;
    m.events()
}
