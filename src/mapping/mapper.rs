//! The state of one article's mapping, shared by the passes over its tables: the article, its
//! language, the ids declared so far, the quads written and the references to nothing found.

use super::error::{error, MapError, MapResult};
use super::graph::{ArticleGraph, Emitter};
use super::reference::Reference;
use super::values::check_id;
use crate::iris::Iris;
use crate::model::{ArticleFile, SourceRef};
use crate::vocab::prov;
use oxrdf::{Literal, NamedNode};
use std::collections::BTreeMap;

/// Where messages send a curator who needs a new kind, event type or unit.
pub(super) const DECLARATIONS: &str =
    "vocabulary/*.toml of the data directory (see docs/data.md, \"Declaring kinds and units\")";

/// The most paragraphs a section may declare: more is a typo, not an article.
pub const MAX_PARAGRAPHS: u32 = 1000;

/// What an id in the shared namespace of entities, organisations and agreement sets names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Named {
    /// An entity, with its class.
    Entity(NamedNode),
    /// An entity whose kind is unknown (already reported): references to it are not errors.
    Unkinded,
    Organization,
    Agreement,
}

pub(super) struct Mapper<'a> {
    pub(super) file: &'a ArticleFile,
    pub(super) reference: &'a Reference,
    pub(super) iris: &'a Iris,
    pub(super) article_id: &'a str,
    pub(super) article: NamedNode,
    pub(super) lang: String,
    pub(super) out: Emitter,
    /// Paragraph counts by section id.
    pub(super) sections: BTreeMap<&'a str, u32>,
    pub(super) named: BTreeMap<&'a str, Named>,
    /// The references to nothing found so far, reported together at the end.
    pub(super) errors: Vec<MapError>,
}

impl<'a> Mapper<'a> {
    pub(super) fn new(
        file: &'a ArticleFile,
        reference: &'a Reference,
        iris: &'a Iris,
    ) -> MapResult<Self> {
        let meta = &file.article;
        check_id(&meta.id, "article.id")?;
        let lang = meta.language.get_ref().to_ascii_lowercase();
        if Literal::new_language_tagged_literal("x", &lang).is_err() {
            return error(
                meta.language.span(),
                "article.language",
                format!(
                    "{:?} is not a BCP 47 language tag; write e.g. \"en\" or \"zh-Hans\"",
                    meta.language.get_ref()
                ),
            );
        }
        let article_id = meta.id.get_ref().as_str();
        Ok(Mapper {
            file,
            reference,
            iris,
            article_id,
            article: iris.article(article_id),
            lang,
            out: Emitter::new(iris.article_graph(article_id)),
            sections: BTreeMap::new(),
            named: BTreeMap::new(),
            errors: Vec::new(),
        })
    }

    pub(super) fn text(&self, value: &str) -> Literal {
        Literal::new_language_tagged_literal_unchecked(value, &self.lang)
    }

    /// Keeps the error of a reference to nothing and goes on, so one pass finds them all; the
    /// triple it would have given is left out (the graph is thrown away anyway). A reference
    /// checked twice (a measure's unit, for each of its figures) is reported once.
    pub(super) fn soft<T>(&mut self, result: MapResult<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                let known = self
                    .errors
                    .iter()
                    .any(|k| k.span.start == e.span.start && k.field == e.field);
                if !known {
                    self.errors.push(e);
                }
                None
            }
        }
    }

    /// Links `node` to the paragraph `source` names (`prov:wasDerivedFrom`): every fact and
    /// thing points back to where it stands. A paragraph that does not exist is reported.
    pub(super) fn derived_from(&mut self, node: &NamedNode, source: &SourceRef, field: &str) {
        if let Some(p) = self.soft(self.paragraph(source, field)) {
            self.out.add(node, prov::WAS_DERIVED_FROM, p);
        }
    }

    /// The graph, or every error found: the references to nothing kept by [`Mapper::soft`] and
    /// the error that `stopped` the mapping, if one did, in file order.
    pub(super) fn finish(
        mut self,
        stopped: Option<MapError>,
    ) -> Result<ArticleGraph, Vec<MapError>> {
        let mut errors = std::mem::take(&mut self.errors);
        errors.extend(stopped);
        if !errors.is_empty() {
            // In file order, as a compiler lists them; a stable sort keeps a value's own order.
            errors.sort_by_key(|e| e.span.start);
            return Err(errors);
        }
        Ok(ArticleGraph {
            id: self.article_id.to_owned(),
            graph: self.iris.article_graph(self.article_id),
            quads: self.out.quads,
        })
    }
}
