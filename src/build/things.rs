//! The things graph of an incremental build: every definition, in the store, of the resources
//! the changed files define or used to define, merged again by the [`Catalogue`] and written
//! over their old quads in the same transaction as the articles' graphs. (A full build gathers
//! its articles' definitions as they stream past: [`crate::catalogue::report::Gathering`].)

use crate::catalogue::report::new_catalogue;
use crate::catalogue::{Catalogue, Definer};
use crate::iris::{Iris, Shared};
use crate::mapping::Reference;
use crate::vocab::{brikg, dcterms};
use oxigraph::model::{GraphNameRef, LiteralRef, NamedNode, NamedOrBlankNodeRef, Quad};
use oxigraph::store::{StorageError, Transaction};
use std::collections::{BTreeMap, BTreeSet};

/// Every definition, in the store as `tx` sees it, of the resources `keys`, with their
/// merged things-graph quads; the graph's current quads of those resources are replaced.
/// Returns the catalogue of those resources (and of others that share a name with them, for
/// the duplicate check).
pub(crate) fn gather_from_store(
    tx: &mut Transaction<'_>,
    keys: &BTreeSet<(Shared, String)>,
    reference: &Reference,
    iris: &Iris,
) -> std::result::Result<Catalogue, StorageError> {
    let mut catalogue = new_catalogue(reference);
    let things = iris.things_graph();
    // Names of the affected resources, to find other resources that share one.
    let mut wanted_names: BTreeSet<String> = BTreeSet::new();
    let mut wanted_links: BTreeSet<NamedNode> = BTreeSet::new();
    let mut all: BTreeSet<(Shared, String)> = keys.clone();
    add_resources(tx, keys, &mut catalogue, iris)?;
    for (_, merged_quad) in catalogue_quads_by_key(&catalogue, iris) {
        match merged_quad.object {
            oxigraph::model::Term::Literal(l)
                if merged_quad.predicate == crate::vocab::skos::PREF_LABEL
                    || merged_quad.predicate == crate::vocab::skos::ALT_LABEL =>
            {
                wanted_names.insert(crate::matching::normal_form(l.value()));
            }
            oxigraph::model::Term::NamedNode(n)
                if merged_quad.predicate == crate::vocab::schema::SAME_AS =>
            {
                wanted_links.insert(n);
            }
            _ => {}
        }
    }
    // Other resources of the things graph with one of those names or links, by the build
    // state's name keys (a store built before them is read label by label once, and keyed).
    let mut others: BTreeSet<(Shared, String)> = BTreeSet::new();
    let mut other = |s: NamedOrBlankNodeRef<'_>| {
        if let NamedOrBlankNodeRef::NamedNode(s) = s {
            if let Some((kind, id)) = iris.shared_of(s.as_str()) {
                let key = (kind, id.to_owned());
                if !all.contains(&key) {
                    others.insert(key);
                }
            }
        }
    };
    let build = iris.build_state_graph();
    let keyed = tx
        .quads_for_pattern(
            None,
            Some(brikg::NAME_KEY),
            None,
            Some(GraphNameRef::NamedNode(build.as_ref())),
        )
        .next()
        .transpose()?
        .is_some();
    if keyed {
        for name in &wanted_names {
            let key = LiteralRef::new_simple_literal(name);
            for q in tx.quads_for_pattern(
                None,
                Some(brikg::NAME_KEY),
                Some(key.into()),
                Some(GraphNameRef::NamedNode(build.as_ref())),
            ) {
                other(q?.subject.as_ref());
            }
        }
    } else {
        let mut labels = Vec::new();
        for predicate in [
            crate::vocab::skos::PREF_LABEL,
            crate::vocab::skos::ALT_LABEL,
        ] {
            for q in tx.quads_for_pattern(
                None,
                Some(predicate),
                None,
                Some(GraphNameRef::NamedNode(things.as_ref())),
            ) {
                let q = q?;
                if let oxigraph::model::Term::Literal(l) = &q.object {
                    if wanted_names.contains(&crate::matching::normal_form(l.value())) {
                        other(q.subject.as_ref());
                    }
                }
                labels.push(q);
            }
        }
        // The resources `keys` get their keys when their quads are replaced.
        let unchanged = labels.iter().filter(|q| match &q.subject {
            oxigraph::model::NamedOrBlankNode::NamedNode(s) => iris
                .shared_of(s.as_str())
                .is_none_or(|(kind, id)| !all.contains(&(kind, id.to_owned()))),
            _ => true,
        });
        for q in name_keys(unchanged, iris) {
            tx.insert(&q);
        }
    }
    for link in &wanted_links {
        for q in tx.quads_for_pattern(
            None,
            Some(crate::vocab::schema::SAME_AS),
            Some(link.as_ref().into()),
            Some(GraphNameRef::NamedNode(things.as_ref())),
        ) {
            other(q?.subject.as_ref());
        }
    }
    add_resources(tx, &others, &mut catalogue, iris)?;
    all.extend(others);
    Ok(catalogue)
}

/// Adds to `catalogue` every article graph's definition of the resources `keys`.
fn add_resources(
    tx: &Transaction<'_>,
    keys: &BTreeSet<(Shared, String)>,
    catalogue: &mut Catalogue,
    iris: &Iris,
) -> std::result::Result<(), StorageError> {
    let mut definers: BTreeMap<NamedNode, Option<Definer>> = BTreeMap::new();
    for (kind, id) in keys {
        let node = iris.shared(*kind, id);
        let mut by_graph: BTreeMap<NamedNode, Vec<Quad>> = BTreeMap::new();
        for q in tx.quads_for_pattern(Some(node.as_ref().into()), None, None, None) {
            let q = q?;
            if let oxigraph::model::GraphName::NamedNode(g) = &q.graph_name {
                if iris.article_of_graph(g.as_str()).is_some() {
                    by_graph.entry(g.clone()).or_default().push(q);
                }
            }
        }
        for (graph, quads) in by_graph {
            let (_, definitions) =
                crate::catalogue::definitions_in(quads.iter().map(Quad::as_ref), iris);
            if definitions.is_empty() {
                continue;
            }
            let definer = match definers.get(&graph) {
                Some(d) => d.clone(),
                None => {
                    let d = definer_of(tx, &graph, iris)?;
                    definers.insert(graph.clone(), d.clone());
                    d
                }
            };
            if let Some(definer) = definer {
                catalogue.add(&definer, definitions);
            }
        }
    }
    Ok(())
}

/// The article of an article graph, with its update date.
fn definer_of(
    tx: &Transaction<'_>,
    graph: &NamedNode,
    iris: &Iris,
) -> std::result::Result<Option<Definer>, StorageError> {
    let Some(article) = iris.article_of_graph(graph.as_str()) else {
        return Ok(None);
    };
    let node = iris.article(article);
    let mut modified = String::new();
    for q in tx.quads_for_pattern(
        Some(node.as_ref().into()),
        Some(dcterms::MODIFIED),
        None,
        Some(GraphNameRef::NamedNode(graph.as_ref())),
    ) {
        if let oxigraph::model::Term::Literal(l) = q?.object {
            modified = l.value().to_owned();
        }
    }
    Ok(Some(Definer {
        modified,
        article: article.to_owned(),
    }))
}

/// The catalogue's quads with the resource each is about.
fn catalogue_quads_by_key(catalogue: &Catalogue, iris: &Iris) -> Vec<(NamedNode, Quad)> {
    catalogue
        .quads(iris)
        .into_iter()
        .filter_map(|q| match &q.subject {
            oxigraph::model::NamedOrBlankNode::NamedNode(n) => Some((n.clone(), q)),
            _ => None,
        })
        .collect()
}

/// Replaces the things graph's quads of `keys` with the catalogue's, and the build state's
/// count of them (`before` until now); returns the new count.
pub(crate) fn replace_things(
    tx: &mut Transaction<'_>,
    keys: &BTreeSet<(Shared, String)>,
    catalogue: &Catalogue,
    iris: &Iris,
    before: usize,
) -> std::result::Result<usize, StorageError> {
    let things = iris.things_graph();
    let build = iris.build_state_graph();
    let mut count = before;
    for (kind, id) in keys {
        let node = iris.shared(*kind, id);
        let old = tx
            .quads_for_pattern(
                Some(node.as_ref().into()),
                None,
                None,
                Some(GraphNameRef::NamedNode(things.as_ref())),
            )
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let old_keys = tx
            .quads_for_pattern(
                Some(node.as_ref().into()),
                Some(brikg::NAME_KEY),
                None,
                Some(GraphNameRef::NamedNode(build.as_ref())),
            )
            .collect::<std::result::Result<Vec<_>, _>>()?;
        for q in old.iter().chain(&old_keys) {
            tx.remove(q);
        }
        count -= old.len().min(count);
    }
    let mut new = Vec::new();
    for (node, q) in catalogue_quads_by_key(catalogue, iris) {
        if let Some((kind, id)) = iris.shared_of(node.as_str()) {
            if keys.contains(&(kind, id.to_owned())) {
                tx.insert(&q);
                new.push(q);
                count += 1;
            }
        }
    }
    for q in name_keys(&new, iris) {
        tx.insert(&q);
    }
    let records = tx
        .quads_for_pattern(
            Some(things.as_ref().into()),
            Some(crate::vocab::void::TRIPLES),
            None,
            Some(GraphNameRef::NamedNode(build.as_ref())),
        )
        .collect::<std::result::Result<Vec<_>, _>>()?;
    for q in &records {
        tx.remove(q);
    }
    if count > 0 {
        tx.insert(&super::state::things_record_quad(iris, count));
    } else {
        // No resource left: the graph goes, as a full build would not write it.
        tx.remove_named_graph(&things)?;
    }
    Ok(count)
}

/// The build state's name keys (`brikg:nameKey`) of the things-graph quads `quads`: the normal
/// form of each name (`skos:prefLabel`, `skos:altLabel`) of a resource, sorted, once each.
pub(crate) fn name_keys<'a>(quads: impl IntoIterator<Item = &'a Quad>, iris: &Iris) -> Vec<Quad> {
    let build = oxigraph::model::GraphName::NamedNode(iris.build_state_graph());
    let keys: BTreeSet<(&NamedNode, String)> = quads
        .into_iter()
        .filter(|q| {
            q.predicate == crate::vocab::skos::PREF_LABEL
                || q.predicate == crate::vocab::skos::ALT_LABEL
        })
        .filter_map(|q| match (&q.subject, &q.object) {
            (
                oxigraph::model::NamedOrBlankNode::NamedNode(subject),
                oxigraph::model::Term::Literal(l),
            ) => {
                let key = crate::matching::normal_form(l.value());
                (!key.is_empty()).then_some((subject, key))
            }
            _ => None,
        })
        .collect();
    keys.into_iter()
        .map(|(subject, key)| {
            Quad::new(
                subject.clone(),
                brikg::NAME_KEY,
                oxigraph::model::Literal::new_simple_literal(key),
                build.clone(),
            )
        })
        .collect()
}
