//! Finding a shared resource in the store by what a person types: its id, or any of its names
//! in any of the forms news writes them (case, dashes, "the", a possessive). Bundled queries'
//! `subject` and `measure` parameters go through it; it reads the things graph, where every
//! name of every resource is, so one lookup is a few index reads, or one scan of the names
//! when the text is not a name as written.

use crate::error::{Error, Result};
use crate::iris::{Iris, Shared};
use crate::matching::normal_form;
use crate::params::ParamKind;
use crate::vocab::{dcterms, skos};
use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Term};
use oxigraph::store::Store;

/// Lookups in one store.
pub struct StoreLookup<'a> {
    pub store: &'a Store,
    pub iris: &'a Iris,
}

impl StoreLookup<'_> {
    fn error(&self, e: oxigraph::store::StorageError) -> Error {
        Error::Store {
            path: std::path::PathBuf::from("store"),
            message: e.to_string(),
        }
    }

    /// The resource of one of `kinds` whose id is `id`, if the things graph knows it.
    pub fn by_id(&self, id: &str, kinds: &[Shared]) -> Result<Option<NamedNode>> {
        let things = self.iris.things_graph();
        for kind in kinds {
            let node = self.iris.shared(*kind, id);
            let predicate = if kind.is_concept() {
                skos::NOTATION
            } else {
                dcterms::IDENTIFIER
            };
            let found = self
                .store
                .quads_for_pattern(
                    Some(node.as_ref().into()),
                    Some(predicate),
                    None,
                    Some(GraphNameRef::NamedNode(things.as_ref())),
                )
                .next()
                .transpose()
                .map_err(|e| self.error(e))?
                .is_some();
            if found {
                return Ok(Some(node));
            }
        }
        Ok(None)
    }

    /// The resources of one of `kinds` one of whose names is `name` in normal form, sorted:
    /// first those with the name as written, then the others.
    pub fn by_name(&self, name: &str, kinds: &[Shared]) -> Result<Vec<NamedNode>> {
        let things = self.iris.things_graph();
        let graph = Some(GraphNameRef::NamedNode(things.as_ref()));
        let wanted = normal_form(name);
        let mut exact = Vec::new();
        for literal in [
            Literal::new_language_tagged_literal_unchecked(name.trim(), "en"),
            Literal::new_simple_literal(name.trim()),
        ] {
            for predicate in [skos::PREF_LABEL, skos::ALT_LABEL] {
                for q in self.store.quads_for_pattern(
                    None,
                    Some(predicate),
                    Some(literal.as_ref().into()),
                    graph,
                ) {
                    let q = q.map_err(|e| self.error(e))?;
                    self.keep(&q.subject, kinds, &mut exact);
                }
            }
        }
        if !exact.is_empty() {
            exact.sort();
            exact.dedup();
            return Ok(exact);
        }
        let mut alike = Vec::new();
        if wanted.is_empty() {
            return Ok(alike);
        }
        for predicate in [skos::PREF_LABEL, skos::ALT_LABEL] {
            for q in self
                .store
                .quads_for_pattern(None, Some(predicate), None, graph)
            {
                let q = q.map_err(|e| self.error(e))?;
                if let Term::Literal(l) = &q.object {
                    if normal_form(l.value()) == wanted {
                        self.keep(&q.subject, kinds, &mut alike);
                    }
                }
            }
        }
        alike.sort();
        alike.dedup();
        Ok(alike)
    }

    fn keep(&self, subject: &NamedOrBlankNode, kinds: &[Shared], out: &mut Vec<NamedNode>) {
        if let NamedOrBlankNode::NamedNode(n) = subject {
            if self
                .iris
                .shared_of(n.as_str())
                .is_some_and(|(k, _)| kinds.contains(&k))
            {
                out.push(n.clone());
            }
        }
    }
}

/// The things a `subject` parameter may name.
pub const THINGS: [Shared; 3] = [Shared::Entity, Shared::Organization, Shared::Agreement];

impl StoreLookup<'_> {
    /// Every id and name of resources of `kinds` in the things graph, each with the resource's
    /// id: the candidates offered for a value that names none of them. One scan of the graph,
    /// done only on a mistake.
    fn names(&self, kinds: &[Shared]) -> Result<Vec<(String, String)>> {
        let things = self.iris.things_graph();
        let graph = Some(GraphNameRef::NamedNode(things.as_ref()));
        let mut out = Vec::new();
        for predicate in [
            dcterms::IDENTIFIER,
            skos::NOTATION,
            skos::PREF_LABEL,
            skos::ALT_LABEL,
        ] {
            for q in self
                .store
                .quads_for_pattern(None, Some(predicate), None, graph)
            {
                let q = q.map_err(|e| self.error(e))?;
                if let (NamedOrBlankNode::NamedNode(n), Term::Literal(l)) = (&q.subject, &q.object)
                {
                    if let Some((kind, id)) = self.iris.shared_of(n.as_str()) {
                        if kinds.contains(&kind) {
                            out.push((l.value().to_owned(), id.to_owned()));
                        }
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The ids of the articles in the store.
    fn articles(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for g in self.store.named_graphs() {
            let g = g.map_err(|e| self.error(e))?;
            if let NamedOrBlankNode::NamedNode(n) = g {
                if let Some(id) = self.iris.article_of_graph(n.as_str()) {
                    out.push(id.to_owned());
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

impl crate::params::Lookup for StoreLookup<'_> {
    fn article(&self, id: &str) -> Result<bool> {
        self.store
            .contains_named_graph(self.iris.article_graph(id).as_ref())
            .map_err(|e| self.error(e))
    }

    fn field(&self, id: &str) -> Result<Option<NamedNode>> {
        self.by_id(id, &[Shared::Field])
    }

    fn nearest(&self, kind: ParamKind, text: &str) -> Result<Vec<String>> {
        let names = match kind {
            ParamKind::Article => self
                .articles()?
                .into_iter()
                .map(|a| (a.clone(), a))
                .collect(),
            ParamKind::Subject => self.names(&THINGS)?,
            ParamKind::Measure => self.names(&[Shared::Measure])?,
            ParamKind::Field => self.names(&[Shared::Field])?,
            _ => Vec::new(),
        };
        // One offer per resource, by its nearest name: as an id when an id was typed, else as
        // the name.
        let as_id = crate::model::is_kebab_case(text.trim());
        let offered = crate::suggest::nearest(text, names.iter().map(|(n, _)| n.as_str()));
        let mut out: Vec<String> = Vec::new();
        let mut ids: Vec<&str> = Vec::new();
        for name in offered.iter().copied() {
            for (n, id) in &names {
                if n == name && !ids.contains(&id.as_str()) {
                    ids.push(id);
                    out.push(if as_id { id.clone() } else { name.to_owned() });
                }
            }
        }
        Ok(out)
    }

    fn measure(&self, text: &str) -> Result<Option<NamedNode>> {
        if crate::model::is_kebab_case(text) {
            if let Some(found) = self.by_id(text, &[Shared::Measure])? {
                return Ok(Some(found));
            }
        }
        Ok(self.by_name(text, &[Shared::Measure])?.into_iter().next())
    }

    fn thing(&self, text: &str) -> Result<Option<NamedNode>> {
        if crate::model::is_kebab_case(text) {
            if let Some(found) = self.by_id(text, &THINGS)? {
                return Ok(Some(found));
            }
        }
        Ok(self.by_name(text, &THINGS)?.into_iter().next())
    }
}
