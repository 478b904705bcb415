//! The W3C Entity Reconciliation Service API, version 0.2 (the final community group report,
//! what OpenRefine speaks): a spreadsheet's column of names matched to the graph's things,
//! organisations and agreement sets, with scores, so an analyst links their own table to the
//! graph without writing SPARQL. `brikg serve` answers it at `/reconcile`.
//!
//! Candidates come from the things graph, where every name of every shared resource is (the
//! preferred one and the others), with each resource's kinds and countries from the articles
//! that define it. A name scores 100 when it is one of the resource's names in normal form
//! ([`crate::matching::normal_form`]), else the words the two have in common
//! ([`crate::matching::similarity`]); a `country` property, when given, counts as much as the
//! name. A candidate is a `match` as Wikidata's reconciler decides (EXTERNAL-TOOLS.md): its
//! score is above 95 less 5 for each property given, and 10 above the next one.

use crate::error::{Error, Result};
use crate::iris::Iris;
use crate::mapping::Reference;
use crate::matching::{normal_form, similarity};
use crate::vocab::{brikg, skos};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term};
use oxigraph::store::Store;
use oxrdf::vocab::{rdf, rdfs};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The versions of the API served.
pub const VERSIONS: [&str; 1] = ["0.2"];

/// One resource that names can be matched to.
#[derive(Debug, Clone)]
struct Candidate {
    /// Its IRI, less the base (`entity/cr-express`): the id the API gives.
    id: String,
    name: String,
    /// Every name, in normal form.
    names: Vec<String>,
    /// Its kinds: class and notation.
    kinds: Vec<(NamedNode, String)>,
    /// Countries it is in, belongs to or was signed by (alpha-2).
    countries: BTreeSet<String>,
    /// How many articles define it.
    articles: usize,
}

/// The graph's things, ready to be matched.
pub struct Index {
    candidates: Vec<Candidate>,
    /// A kind's notation → its label.
    kind_labels: BTreeMap<String, String>,
    base: String,
}

fn storage(e: oxigraph::store::StorageError) -> Error {
    Error::Store {
        path: std::path::PathBuf::from("store"),
        message: e.to_string(),
    }
}

impl Index {
    /// Reads the things graph, and each resource's kinds and countries, from the store.
    pub fn read(store: &Store, iris: &Iris, reference: &Reference) -> Result<Index> {
        let things = iris.things_graph();
        let graph = Some(GraphNameRef::NamedNode(things.as_ref()));
        // Resource → its preferred names (language, text) and its other names.
        type Labels = (Vec<(String, String)>, Vec<String>);
        let mut labels: BTreeMap<NamedNode, Labels> = BTreeMap::new();
        for (preferred, predicate) in [(true, skos::PREF_LABEL), (false, skos::ALT_LABEL)] {
            for q in store.quads_for_pattern(None, Some(predicate), None, graph) {
                let q = q.map_err(storage)?;
                let (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) = (q.subject, q.object)
                else {
                    continue;
                };
                let entry = labels.entry(s).or_default();
                if preferred {
                    entry.0.push((
                        l.language().unwrap_or_default().to_owned(),
                        l.value().to_owned(),
                    ));
                } else {
                    entry.1.push(l.value().to_owned());
                }
            }
        }
        // Things known by a country alone (a national standardization body) have no label.
        for q in store.quads_for_pattern(None, Some(crate::vocab::dcterms::IDENTIFIER), None, graph)
        {
            if let NamedOrBlankNode::NamedNode(s) = q.map_err(storage)?.subject {
                labels.entry(s).or_default();
            }
        }
        let vocabulary = &reference.vocabulary;
        let mut candidates = Vec::new();
        let mut kind_labels = BTreeMap::new();
        for (node, (preferred, alternatives)) in labels {
            let Some((kind, id)) = iris.shared_of(node.as_str()) else {
                continue;
            };
            if kind.is_concept() {
                continue;
            }
            let mut kinds: Vec<(NamedNode, String)> = Vec::new();
            let mut countries = BTreeSet::new();
            // Every article that defines it gives its kind: the graphs of those quads are the
            // articles it is in. Only the predicates wanted are read, not all it is said to be.
            let mut graphs = BTreeSet::new();
            for q in
                store.quads_for_pattern(Some(node.as_ref().into()), Some(rdf::TYPE), None, None)
            {
                let q = q.map_err(storage)?;
                if let Term::NamedNode(class) = &q.object {
                    graphs.insert(q.graph_name.to_string());
                    if let Some(name) = vocabulary.kind_of_class(class.as_str()) {
                        if !kinds.iter().any(|(c, _)| c == class) {
                            kinds.push((class.clone(), name.to_owned()));
                        }
                        if !kind_labels.contains_key(name) {
                            let label = class_label(store, class)?.unwrap_or(name.to_owned());
                            kind_labels.insert(name.to_owned(), label);
                        }
                    }
                }
            }
            for predicate in [brikg::LOCATED_IN, brikg::COUNTRY_PROP, brikg::SIGNATORY] {
                for q in
                    store.quads_for_pattern(Some(node.as_ref().into()), Some(predicate), None, None)
                {
                    if let Term::NamedNode(c) = q.map_err(storage)?.object {
                        if let Some(code) = c.as_str().rsplit('/').next() {
                            countries.insert(code.to_owned());
                        }
                    }
                }
            }
            let name = preferred
                .iter()
                .find(|(lang, _)| lang == "en")
                .or(preferred.first())
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| {
                    let kind = kinds.first().map(|(_, k)| k.as_str()).unwrap_or("thing");
                    let label = kind_labels.get(kind).cloned().unwrap_or(kind.to_owned());
                    let country = countries
                        .iter()
                        .next()
                        .and_then(|c| reference.countries.get(c))
                        .map(|c| reference.country_label(c).to_owned());
                    match country {
                        Some(c) => format!("{label} of {c}"),
                        None => id.to_owned(),
                    }
                });
            let mut names: Vec<String> = preferred
                .iter()
                .map(|(_, n)| normal_form(n))
                .chain(alternatives.iter().map(|n| normal_form(n)))
                .chain(std::iter::once(normal_form(&name)))
                .collect();
            names.sort();
            names.dedup();
            candidates.push(Candidate {
                id: format!("{}/{id}", kind.segment()),
                name,
                names,
                kinds,
                countries,
                articles: graphs.len(),
            });
        }
        Ok(Index {
            candidates,
            kind_labels,
            base: iris.base().to_owned(),
        })
    }

    /// How many things it holds.
    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    /// The service manifest; `view` is the page that shows one resource (`{{id}}` in it).
    pub fn manifest(&self, view: &str, reference: &Reference) -> Value {
        let roots = [
            brikg::COOPERATION_SUBJECT,
            brikg::ORGANIZATION,
            brikg::AGREEMENT_SET,
        ];
        let default_types: Vec<Value> = roots
            .iter()
            .filter_map(|root| reference.vocabulary.kind_of_class(root.as_str()))
            .map(|name| {
                json!({
                    "id": name,
                    "name": self.kind_labels.get(name).cloned().unwrap_or_else(|| name.replace('-', " ")),
                })
            })
            .collect();
        json!({
            "versions": VERSIONS,
            "name": "brikg: things, organisations and agreement sets of the Belt and Road Initiative knowledge graph",
            "identifierSpace": self.base,
            "schemaSpace": brikg::NS,
            "documentation": "https://w3id.org/brikg",
            "view": { "url": view },
            "defaultTypes": default_types,
        })
    }

    /// Answers a batch of queries (the JSON of the `queries` parameter).
    pub fn answer(&self, queries: &str, reference: &Reference) -> Result<Value> {
        let batch: BTreeMap<String, Query> = serde_json::from_str(queries).map_err(|e| {
            Error::Usage(format!(
                "queries: not a JSON object of reconciliation queries ({e}); send e.g. queries={{\"q0\":{{\"query\":\"China Railway Express\"}}}}"
            ))
        })?;
        let mut out = Map::new();
        for (key, query) in batch {
            let result = self.candidates_for(&query, reference)?;
            out.insert(key, json!({ "result": result }));
        }
        Ok(Value::Object(out))
    }

    fn candidates_for(&self, query: &Query, reference: &Reference) -> Result<Vec<Value>> {
        let wanted = normal_form(query.query.as_deref().unwrap_or_default());
        let types: Vec<String> = match &query.kind {
            None => Vec::new(),
            Some(OneOrMany::One(t)) => vec![t.clone()],
            Some(OneOrMany::Many(ts)) => ts.clone(),
        };
        let vocabulary = &reference.vocabulary;
        let type_classes: Vec<NamedNode> = types
            .iter()
            .filter_map(|t| vocabulary.kind(t).map(|k| k.class.clone()))
            .collect();
        if !types.is_empty() && type_classes.is_empty() {
            return Err(Error::Usage(format!(
                "type {:?}: not a kind of this graph; give a kind such as \"port\" or \"organization\"",
                types.join(", ")
            )));
        }
        let mut countries_wanted: Vec<String> = Vec::new();
        for p in &query.properties {
            if p.pid != "country" {
                return Err(Error::Usage(format!(
                    "properties: {:?} is not a property of this service; it matches \"country\" (a code or a name)",
                    p.pid
                )));
            }
            for v in p.v.values() {
                let code = reference.find_country(&v).ok_or_else(|| {
                    Error::Usage(format!(
                        "properties: country {v:?} is not a country; give an ISO 3166-1 code or a name"
                    ))
                })?;
                countries_wanted.push(code.to_owned());
            }
        }
        let limit = query.limit.unwrap_or(5.0).clamp(1.0, 100.0) as usize;
        let mut scored: Vec<(f64, u32, &Candidate)> = Vec::new();
        for c in &self.candidates {
            if !type_classes.is_empty()
                && !c.kinds.iter().any(|(class, _)| {
                    type_classes
                        .iter()
                        .any(|t| vocabulary.class_is_a(class.as_ref(), t.as_ref()))
                })
            {
                continue;
            }
            let name_score = c
                .names
                .iter()
                .map(|n| similarity(&wanted, n))
                .max()
                .unwrap_or(0);
            if name_score < 40 && !wanted.is_empty() {
                continue;
            }
            let properties = countries_wanted.len();
            let matched = countries_wanted
                .iter()
                .filter(|code| c.countries.contains(*code))
                .count();
            let score = (f64::from(name_score) + 100.0 * matched as f64) / (1 + properties) as f64;
            scored.push((score, name_score, c));
        }
        scored.sort_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.2.id.cmp(&b.2.id))
        });
        let threshold = 95.0 - 5.0 * countries_wanted.len() as f64;
        let second = scored.get(1).map(|s| s.0);
        Ok(scored
            .iter()
            .take(limit)
            .enumerate()
            .map(|(i, (score, name_score, c))| {
                let is_match =
                    i == 0 && *score > threshold && second.is_none_or(|s| score - s > 10.0);
                let types: Vec<Value> = c
                    .kinds
                    .iter()
                    .map(|(_, k)| {
                        json!({ "id": k, "name": self.kind_labels.get(k).cloned().unwrap_or_default() })
                    })
                    .collect();
                let mut description = c
                    .kinds
                    .first()
                    .and_then(|(_, k)| self.kind_labels.get(k).cloned())
                    .unwrap_or_default();
                if !c.countries.is_empty() {
                    let codes: Vec<&str> = c.countries.iter().map(String::as_str).collect();
                    description.push_str(&format!(" ({})", codes.join(", ")));
                }
                description.push_str(&format!(
                    "; in {} article{}",
                    c.articles,
                    if c.articles == 1 { "" } else { "s" }
                ));
                let mut features = vec![json!({ "id": "name", "value": name_score })];
                if !countries_wanted.is_empty() {
                    let all = countries_wanted.iter().all(|code| c.countries.contains(code));
                    features.push(json!({ "id": "country", "value": all }));
                }
                json!({
                    "id": c.id,
                    "name": c.name,
                    "description": description,
                    "type": types,
                    "score": (score * 100.0).round() / 100.0,
                    "match": is_match,
                    "features": features,
                })
            })
            .collect())
    }
}

/// A class's English label, from the ontology or the declarations.
fn class_label(store: &Store, class: &NamedNode) -> Result<Option<String>> {
    for q in store.quads_for_pattern(Some(class.as_ref().into()), Some(rdfs::LABEL), None, None) {
        if let Term::Literal(l) = q.map_err(storage)?.object {
            if l.language() == Some("en") {
                return Ok(Some(l.value().to_owned()));
            }
        }
    }
    Ok(None)
}

/// One reconciliation query.
#[derive(Debug, Deserialize)]
struct Query {
    query: Option<String>,
    #[serde(rename = "type")]
    kind: Option<OneOrMany>,
    limit: Option<f64>,
    #[serde(default)]
    properties: Vec<PropertyValue>,
    // `type_strict` (any, all, should) is accepted; types are always applied strictly.
    #[serde(default)]
    #[allow(dead_code)]
    type_strict: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
struct PropertyValue {
    pid: String,
    v: PropertyValues,
}

/// A property value: text, a number, an entity (`{"id": …}`), or a list of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PropertyValues {
    Many(Vec<Value>),
    One(Value),
}

impl PropertyValues {
    fn values(&self) -> Vec<String> {
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_owned),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match self {
            PropertyValues::Many(vs) => vs.iter().filter_map(text).collect(),
            PropertyValues::One(v) => text(v).into_iter().collect(),
        }
    }
}
