//! The catalogue: what the whole data directory says each shared resource is, across articles.
//!
//! Articles are self-contained: each defines every thing, organisation, agreement set, measure
//! and field it refers to, so it can be reviewed, validated, moved or deleted on its own. Ids are
//! global, so two articles that define one id speak of one resource. The catalogue gathers their
//! definitions, finds those that disagree (another kind, country, signatory, unit, label or
//! identifier: a [`Conflict`], which the build refuses with both places) and merges the rest into
//! the graph `<base>graph/things`: for a thing, one preferred name per language (the name in the
//! earliest article that defines it) and every other name as an alternative; for a concept, its
//! label and every other wording; and every identifier in another graph as a link. It also finds
//! what looks like one resource under two ids ([`Catalogue::duplicates`]).
//!
//! It reads quads, not the data files' model, so a full build (from the articles it maps) and an
//! incremental one (from the store) gather and merge exactly the same way.

pub mod report;

use crate::iris::{Iris, Shared};
use crate::matching::normal_form;
use crate::vocab::{brikg, dcterms, schema, skos};
use oxrdf::vocab::rdf;
use oxrdf::{
    GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, Term, TermRef,
};
use std::collections::{BTreeMap, BTreeSet};

/// The article a definition stands in: the earlier article (by update date, then id) is the
/// one whose names are preferred.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Definer {
    /// `YYYY-MM-DD`; empty when the graph has none.
    pub modified: String,
    pub article: String,
}

/// What one article says a shared resource is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Definition {
    pub types: BTreeSet<NamedNode>,
    /// `schema:name` of a thing, `skos:prefLabel` of a concept.
    pub names: Vec<Literal>,
    /// `schema:alternateName` of a thing, `skos:altLabel` of a concept.
    pub alt_names: Vec<Literal>,
    pub same_as: BTreeSet<NamedNode>,
    /// An organisation's country.
    pub country: Option<NamedNode>,
    /// An agreement set's signatory.
    pub signatory: Option<NamedNode>,
    /// A measure's unit.
    pub unit: Option<NamedNode>,
}

/// What two definitions of one resource may not disagree on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Aspect {
    Kind,
    Country,
    Signatory,
    Unit,
    /// A concept's label in a language.
    Label(String),
    /// The identifier of a scheme, by the scheme's IRI prefix.
    Identifier(String),
}

impl Aspect {
    /// What it is called in messages.
    pub fn noun(&self) -> &'static str {
        match self {
            Aspect::Kind => "kind",
            Aspect::Country => "country",
            Aspect::Signatory => "signatory",
            Aspect::Unit => "unit",
            Aspect::Label(_) => "label",
            Aspect::Identifier(_) => "identifier",
        }
    }
}

/// Two articles that define one id differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub kind: Shared,
    pub id: String,
    pub aspect: Aspect,
    /// The earlier article (by id) and the value it gives.
    pub first: (String, String),
    /// The later article and the value it gives.
    pub second: (String, String),
}

/// Names (or identifiers) that look like one resource under several ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// `Entity` stands for things, organisations and agreement sets alike.
    pub kind: Shared,
    /// What they share: a name's normal form, or an identifier's IRI.
    pub key: String,
    /// The ids, sorted, each with the first article (by id) that defines it and how many do.
    pub ids: Vec<(String, String, usize)>,
    /// The id to keep: the one most articles define, else the one minted first.
    pub keep: String,
    /// Whether they share an identifier (a certain duplicate) rather than a name.
    pub by_identifier: bool,
}

/// The definitions of each shared resource found in one article graph's quads, with the
/// article. A resource is defined where the graph gives its `dcterms:identifier` (a thing) or
/// `skos:notation` (a concept).
pub fn definitions_in<'a>(
    quads: impl IntoIterator<Item = QuadRef<'a>>,
    iris: &Iris,
) -> (Option<Definer>, BTreeMap<(Shared, String), Definition>) {
    let mut found: BTreeMap<(Shared, String), (bool, Definition)> = BTreeMap::new();
    let mut definer = None;
    let mut modified = String::new();
    for q in quads {
        let NamedOrBlankNodeRef::NamedNode(s) = q.subject else {
            continue;
        };
        if q.predicate == dcterms::MODIFIED && definer.is_none() {
            if let (TermRef::Literal(l), oxrdf::GraphNameRef::NamedNode(g)) =
                (q.object, q.graph_name)
            {
                if let Some(article) = iris.article_of_graph(g.as_str()) {
                    if s.as_str() == iris.article(article).as_str() {
                        modified = l.value().to_owned();
                        definer = Some(article.to_owned());
                    }
                }
            }
            continue;
        }
        let Some((kind, id)) = iris.shared_of(s.as_str()) else {
            continue;
        };
        let (defined, d) = found.entry((kind, id.to_owned())).or_default();
        match (q.predicate, q.object) {
            (p, TermRef::Literal(_)) if p == dcterms::IDENTIFIER || p == skos::NOTATION => {
                *defined = true;
            }
            (p, TermRef::NamedNode(o)) if p == rdf::TYPE => {
                d.types.insert(o.into_owned());
            }
            (p, TermRef::Literal(l)) if p == schema::NAME || p == skos::PREF_LABEL => {
                d.names.push(l.into_owned());
            }
            (p, TermRef::Literal(l)) if p == schema::ALTERNATE_NAME || p == skos::ALT_LABEL => {
                d.alt_names.push(l.into_owned());
            }
            (p, TermRef::NamedNode(o)) if p == schema::SAME_AS => {
                d.same_as.insert(o.into_owned());
            }
            (p, TermRef::NamedNode(o)) if p == brikg::COUNTRY_PROP => {
                d.country = Some(o.into_owned());
            }
            (p, TermRef::NamedNode(o)) if p == brikg::SIGNATORY => {
                d.signatory = Some(o.into_owned());
            }
            (p, TermRef::NamedNode(o)) if p == schema::UNIT_CODE => {
                d.unit = Some(o.into_owned());
            }
            _ => {}
        }
    }
    let definer = definer.map(|article| Definer { modified, article });
    let definitions = found
        .into_iter()
        .filter(|(_, (defined, _))| *defined)
        .map(|(key, (_, d))| (key, d))
        .collect();
    (definer, definitions)
}

/// What every article says of one resource, merged.
#[derive(Debug, Default, Clone)]
struct Merged {
    /// Each aspect's values, with the first article (by id) that gives each: enough to name
    /// two articles that disagree, in the same words whatever order they came in, without
    /// holding every article of a resource 20,000 articles use.
    values: BTreeMap<Aspect, BTreeMap<String, String>>,
    /// The preferred name in each language: the earliest article's.
    preferred: BTreeMap<String, (Definer, String)>,
    /// Every name and alternative name, as (language, text).
    names: BTreeSet<(String, String)>,
    same_as: BTreeSet<NamedNode>,
    unit: Option<NamedNode>,
    /// How many articles define it, and the first of them by id.
    articles: usize,
    first_article: String,
    /// The earliest of them (by update date, then id): the one that minted the id.
    first: Option<Definer>,
}

/// The merged definitions of shared resources.
#[derive(Debug, Default)]
pub struct Catalogue {
    resources: BTreeMap<(Shared, String), Merged>,
    /// IRI prefixes of the identifier schemes, to tell one scheme's identifiers from another's.
    scheme_prefixes: Vec<String>,
}

impl Catalogue {
    /// An empty catalogue; `scheme_prefixes` are the IRI prefixes of the identifier schemes.
    pub fn new(scheme_prefixes: Vec<String>) -> Self {
        Catalogue {
            resources: BTreeMap::new(),
            scheme_prefixes,
        }
    }

    /// Adds what one article defines.
    pub fn add(&mut self, definer: &Definer, definitions: BTreeMap<(Shared, String), Definition>) {
        for (key, d) in definitions {
            let kind = key.0;
            let merged = self.resources.entry(key).or_default();
            merged.articles += 1;
            if merged.first_article.is_empty() || definer.article < merged.first_article {
                merged.first_article = definer.article.clone();
            }
            if merged.first.as_ref().is_none_or(|f| definer < f) {
                merged.first = Some(definer.clone());
            }
            let mut note = |aspect: Aspect, value: String| {
                let first = merged
                    .values
                    .entry(aspect)
                    .or_default()
                    .entry(value)
                    .or_insert_with(|| definer.article.clone());
                if definer.article < *first {
                    *first = definer.article.clone();
                }
            };
            for t in &d.types {
                note(Aspect::Kind, t.as_str().to_owned());
            }
            if let Some(c) = &d.country {
                note(Aspect::Country, c.as_str().to_owned());
            }
            if let Some(c) = &d.signatory {
                note(Aspect::Signatory, c.as_str().to_owned());
            }
            if let Some(u) = &d.unit {
                note(Aspect::Unit, u.as_str().to_owned());
            }
            for s in &d.same_as {
                let scheme = self
                    .scheme_prefixes
                    .iter()
                    .find(|p| s.as_str().starts_with(p.as_str()))
                    .cloned()
                    .unwrap_or_default();
                note(Aspect::Identifier(scheme), s.as_str().to_owned());
            }
            if kind.is_concept() {
                for l in &d.names {
                    note(
                        Aspect::Label(l.language().unwrap_or_default().to_owned()),
                        l.value().to_owned(),
                    );
                }
            }
            merged.same_as.extend(d.same_as);
            if d.unit.is_some() {
                merged.unit = d.unit;
            }
            for name in d.names {
                let lang = name.language().unwrap_or_default().to_owned();
                let (text, _, _) = name.destruct();
                match merged.preferred.get(&lang) {
                    Some((earlier, _)) if earlier <= definer => {}
                    _ => {
                        merged
                            .preferred
                            .insert(lang.clone(), (definer.clone(), text.clone()));
                    }
                }
                merged.names.insert((lang, text));
            }
            for name in d.alt_names {
                let lang = name.language().unwrap_or_default().to_owned();
                merged.names.insert((lang, name.destruct().0));
            }
        }
    }

    /// The first disagreement, in the order of kind, id and aspect, between the two earliest
    /// articles (by id) that give different values; the same whichever order articles came in.
    pub fn conflict(&self) -> Option<Conflict> {
        for ((kind, id), merged) in &self.resources {
            for (aspect, values) in &merged.values {
                if values.len() < 2 {
                    continue;
                }
                // Each value with its earliest article; the two earliest of those disagree.
                let mut firsts: Vec<(&String, &String)> =
                    values.iter().map(|(v, article)| (article, v)).collect();
                firsts.sort();
                let (a, b) = (firsts[0], firsts[1]);
                return Some(Conflict {
                    kind: *kind,
                    id: id.clone(),
                    aspect: aspect.clone(),
                    first: (a.0.clone(), a.1.clone()),
                    second: (b.0.clone(), b.1.clone()),
                });
            }
        }
        None
    }

    /// The quads of the things graph for every resource, sorted by resource.
    pub fn quads(&self, iris: &Iris) -> Vec<Quad> {
        let graph = GraphName::NamedNode(iris.things_graph());
        let mut out = Vec::new();
        for ((kind, id), merged) in &self.resources {
            merged_quads(iris, *kind, id, merged, &graph, &mut out);
        }
        out
    }

    /// Resources that look alike under different ids: things (entities, organisations,
    /// agreement sets) whose names have one normal form, measures or fields whose labels do, and
    /// things that share an identifier. Restricted to pairs where one id is in `only`, if given.
    pub fn duplicates(&self, only: Option<&BTreeSet<(Shared, String)>>) -> Vec<Duplicate> {
        let group = |k: Shared| match k {
            Shared::Entity | Shared::Organization | Shared::Agreement => Shared::Entity,
            other => other,
        };
        // (group, by identifier, key) → the resources that share it.
        type Key = (Shared, bool, String);
        let mut by_key: BTreeMap<Key, BTreeSet<(Shared, &str)>> = BTreeMap::new();
        for ((kind, id), merged) in &self.resources {
            // An agreement set's name describes it ("standards cooperation documents"): two sets
            // of other signatories or years read alike and are not one. Their identifiers count.
            let names = if *kind == Shared::Agreement {
                &BTreeSet::new()
            } else {
                &merged.names
            };
            for (_, name) in names {
                let key = normal_form(name);
                if !key.is_empty() {
                    by_key
                        .entry((group(*kind), false, key))
                        .or_default()
                        .insert((*kind, id));
                }
            }
            for s in &merged.same_as {
                by_key
                    .entry((group(*kind), true, s.as_str().to_owned()))
                    .or_default()
                    .insert((*kind, id));
            }
        }
        let mut out = Vec::new();
        let mut reported: BTreeSet<Vec<(Shared, &str)>> = BTreeSet::new();
        for ((kind, by_identifier, key), ids) in by_key {
            if ids.len() < 2 {
                continue;
            }
            if let Some(only) = only {
                if !ids
                    .iter()
                    .any(|(k, id)| only.contains(&(*k, (*id).to_owned())))
                {
                    continue;
                }
            }
            // One report per set of ids, the identifier's first.
            let set: Vec<(Shared, &str)> = ids.iter().copied().collect();
            if !by_identifier && reported.contains(&set) {
                continue;
            }
            reported.insert(set);
            let keep = ids
                .iter()
                .map(|(k, id)| {
                    let merged = &self.resources[&(*k, (*id).to_owned())];
                    (
                        std::cmp::Reverse(merged.articles),
                        merged.first.clone(),
                        *id,
                    )
                })
                .min()
                .map(|(_, _, id)| id.to_owned())
                .unwrap_or_default();
            out.push(Duplicate {
                keep,
                kind,
                key,
                ids: ids
                    .iter()
                    .map(|(k, id)| {
                        let merged = &self.resources[&(*k, (*id).to_owned())];
                        (
                            (*id).to_owned(),
                            merged.first_article.clone(),
                            merged.articles,
                        )
                    })
                    .collect(),
                by_identifier,
            });
        }
        // Certain duplicates (a shared identifier) first.
        out.sort_by(|a, b| {
            b.by_identifier
                .cmp(&a.by_identifier)
                .then(a.key.cmp(&b.key))
        });
        out
    }
}

/// The things-graph quads of one merged resource.
fn merged_quads(
    iris: &Iris,
    kind: Shared,
    id: &str,
    merged: &Merged,
    graph: &GraphName,
    out: &mut Vec<Quad>,
) {
    let node = iris.shared(kind, id);
    let mut add = |p: NamedNodeRef<'_>, o: Term| {
        out.push(Quad::new(node.clone(), p, o, graph.clone()));
    };
    // No rdf:type: kinds stay in the articles' graphs, so the shapes (which target classes)
    // check each resource where an article defines it, and this graph needs no shape of its own.
    let id_predicate = if kind.is_concept() {
        skos::NOTATION
    } else {
        dcterms::IDENTIFIER
    };
    add(id_predicate, Literal::new_simple_literal(id).into());
    let literal = |(lang, text): (&String, &String)| -> Term {
        if lang.is_empty() {
            Literal::new_simple_literal(text).into()
        } else {
            Literal::new_language_tagged_literal_unchecked(text, lang).into()
        }
    };
    for (lang, (_, text)) in &merged.preferred {
        add(skos::PREF_LABEL, literal((lang, text)));
    }
    for (lang, text) in &merged.names {
        if merged.preferred.get(lang).is_none_or(|(_, p)| p != text) {
            add(skos::ALT_LABEL, literal((lang, text)));
        }
    }
    for s in &merged.same_as {
        add(schema::SAME_AS, s.clone().into());
    }
    if let Some(u) = &merged.unit {
        add(schema::UNIT_CODE, u.clone().into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iris::DEFAULT_BASE;

    fn article(
        iris: &Iris,
        id: &str,
        modified: &str,
        body: &[(&str, NamedNodeRef<'_>, Term)],
    ) -> Vec<Quad> {
        let g = GraphName::NamedNode(iris.article_graph(id));
        let mut quads = vec![Quad::new(
            iris.article(id),
            dcterms::MODIFIED,
            Literal::new_simple_literal(modified),
            g.clone(),
        )];
        for (s, p, o) in body {
            quads.push(Quad::new(iris.entity(s), *p, o.clone(), g.clone()));
        }
        quads
    }

    fn en(s: &str) -> Term {
        Literal::new_language_tagged_literal_unchecked(s, "en").into()
    }

    #[test]
    fn names_merge_with_the_earliest_article_preferred() {
        let iris = Iris::new(DEFAULT_BASE).unwrap();
        let mut catalogue = Catalogue::new(Vec::new());
        let railway: Term = brikg::RAILWAY.into_owned().into();
        let later = article(
            &iris,
            "b",
            "2025-01-01",
            &[
                (
                    "x",
                    dcterms::IDENTIFIER,
                    Literal::new_simple_literal("x").into(),
                ),
                ("x", rdf::TYPE, railway.clone()),
                ("x", schema::NAME, en("X Line")),
            ],
        );
        let earlier = article(
            &iris,
            "a",
            "2024-01-01",
            &[
                (
                    "x",
                    dcterms::IDENTIFIER,
                    Literal::new_simple_literal("x").into(),
                ),
                ("x", rdf::TYPE, railway),
                ("x", schema::NAME, en("X Railway")),
                ("x", schema::ALTERNATE_NAME, en("XR")),
            ],
        );
        for quads in [&later, &earlier] {
            let (definer, defs) = definitions_in(quads.iter().map(Quad::as_ref), &iris);
            catalogue.add(&definer.unwrap(), defs);
        }
        assert_eq!(catalogue.conflict(), None);
        let labels: Vec<String> = catalogue
            .quads(&iris)
            .iter()
            .filter(|q| q.predicate == skos::PREF_LABEL || q.predicate == skos::ALT_LABEL)
            .map(|q| {
                format!(
                    "{} {}",
                    q.predicate.as_str().rsplit('#').next().unwrap(),
                    q.object
                )
            })
            .collect();
        assert_eq!(
            labels,
            [
                "prefLabel \"X Railway\"@en",
                "altLabel \"X Line\"@en",
                "altLabel \"XR\"@en"
            ]
        );
    }
}
