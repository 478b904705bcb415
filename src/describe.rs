//! A description of the dataset in VoID and DCAT, computed from the quads themselves.
//!
//! Whole exports and pushes compute it from what they send, as they send it, and carry it as the
//! graph `<base>graph/void`; `brikg describe` computes it from the store (optionally naming the
//! SPARQL endpoint the graph was pushed to). It is never stored: it always describes exactly the
//! quads it travels with. Nothing in it is typed by hand: counts, partitions, examples and the
//! issued date come from the data; title and description from this module; publisher and
//! licence from the user's configuration.

use crate::digest::fingerprint;
use crate::iris::Iris;
use crate::vocab::{self, brikg, dcat, dcterms, foaf, void};
use oxrdf::vocab::{rdf, xsd};
use oxrdf::{GraphName, Literal, NamedNode, Quad, QuadRef, Term};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What the user configures about the dataset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeOptions {
    /// The publisher's name.
    pub publisher: Option<String>,
    /// The IRI of the licence of the data.
    pub license: Option<NamedNode>,
    /// A SPARQL endpoint that serves the data.
    pub endpoint: Option<NamedNode>,
}

/// The fingerprints are hashes already: the sets use their low bits as they are, instead of
/// hashing them a second time.
#[derive(Default, Clone, Copy)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

type Fingerprints = HashSet<u128, std::hash::BuildHasherDefault<Prehashed>>;

#[derive(Default)]
struct Stats {
    triples: usize,
    subjects: Fingerprints,
    objects: Fingerprints,
    entities: Fingerprints,
    properties: BTreeMap<String, usize>,
    classes: BTreeMap<String, Fingerprints>,
}

#[derive(Default)]
struct GraphStats {
    triples: usize,
    entities: Fingerprints,
}

/// Accumulates what a description needs, one quad at a time, so a streaming export can describe
/// what it writes without holding it.
pub struct Describer {
    skip: NamedNode,
    all: Stats,
    per_graph: BTreeMap<String, GraphStats>,
    /// The graph being counted: quads come grouped by graph, so most quads find it here
    /// without a lookup among thousands of graph names.
    current: Option<(String, GraphStats)>,
    articles: BTreeSet<String>,
    issued: Option<String>,
}

impl Describer {
    /// A describer for the graphs under `iris` (the description's own graph is skipped).
    pub fn new(iris: &Iris) -> Self {
        Describer {
            skip: iris.void_graph(),
            all: Stats::default(),
            per_graph: BTreeMap::new(),
            current: None,
            articles: BTreeSet::new(),
            issued: None,
        }
    }

    /// Counts one quad.
    pub fn add(&mut self, q: QuadRef<'_>) {
        let oxrdf::GraphNameRef::NamedNode(g) = q.graph_name else {
            return;
        };
        if g == self.skip.as_ref() {
            return;
        }
        let all = &mut self.all;
        all.triples += 1;
        let subject = fingerprint(q.subject);
        all.subjects.insert(subject);
        all.objects.insert(fingerprint(q.object));
        match all.properties.get_mut(q.predicate.as_str()) {
            Some(n) => *n += 1,
            None => {
                all.properties.insert(q.predicate.as_str().to_owned(), 1);
            }
        }
        if self
            .current
            .as_ref()
            .is_none_or(|(name, _)| name != g.as_str())
        {
            if let Some((name, stats)) = self.current.take() {
                self.per_graph.insert(name, stats);
            }
            let stats = self.per_graph.remove(g.as_str()).unwrap_or_default();
            self.current = Some((g.as_str().to_owned(), stats));
        }
        let graph = &mut self.current.as_mut().expect("just set").1;
        graph.triples += 1;
        if let oxrdf::NamedOrBlankNodeRef::NamedNode(_) = q.subject {
            all.entities.insert(subject);
            graph.entities.insert(subject);
        }
        if q.predicate == rdf::TYPE {
            if let oxrdf::TermRef::NamedNode(class) = q.object {
                all.classes
                    .entry(class.as_str().to_owned())
                    .or_default()
                    .insert(subject);
                if class == brikg::ARTICLE {
                    self.articles.insert(q.subject.to_string());
                }
            }
        }
        if q.predicate == dcterms::MODIFIED {
            if let oxrdf::TermRef::Literal(l) = q.object {
                if l.datatype() == xsd::DATE && self.issued.as_deref().is_none_or(|d| l.value() > d)
                {
                    self.issued = Some(l.value().to_owned());
                }
            }
        }
    }

    /// What was counted so far: quads, and the graphs they are in.
    pub fn totals(&self) -> Totals {
        Totals {
            quads: self.all.triples,
            graphs: self.per_graph.len() + usize::from(self.current.is_some()),
        }
    }

    /// The description's quads.
    pub fn finish(mut self, iris: &Iris, options: &DescribeOptions) -> Vec<Quad> {
        if let Some((name, stats)) = self.current.take() {
            self.per_graph.insert(name, stats);
        }
        write_description(self, iris, options)
    }
}

/// Computes the description of `quads` (the description's own graph is skipped).
pub fn describe<'a>(
    quads: impl IntoIterator<Item = QuadRef<'a>>,
    iris: &Iris,
    options: &DescribeOptions,
) -> Vec<Quad> {
    let mut describer = Describer::new(iris);
    for q in quads {
        describer.add(q);
    }
    describer.finish(iris, options)
}

/// The quads a description counts (`void:triples`) and the graphs they are in (its
/// `void:subset`s): the store's graphs, without the build record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub quads: usize,
    pub graphs: usize,
}

impl Totals {
    /// One line saying what `brikg describe` counted and what it left out, in the words of the
    /// build's and the export's summaries, so the three counts can be read side by side.
    pub fn summary(&self, iris: &Iris) -> String {
        format!(
            "described {} quads in {} graphs; not counted: the build record {}, and the description itself, which is not stored (exports carry it as {})",
            self.quads,
            self.graphs,
            iris.build_state_graph(),
            iris.void_graph()
        )
    }
}

#[cfg(feature = "rocksdb")]
/// The VoID/DCAT description of the store's graphs (the build state left out), computed in one
/// pass over the store without holding its quads.
pub fn describe_store(
    store: &crate::store::KgStore,
    iris: &Iris,
    options: &DescribeOptions,
) -> crate::error::Result<Vec<Quad>> {
    describe_store_counted(store, iris, options).map(|(quads, _)| quads)
}

#[cfg(feature = "rocksdb")]
/// [`describe_store`], and what it counted.
pub fn describe_store_counted(
    store: &crate::store::KgStore,
    iris: &Iris,
    options: &DescribeOptions,
) -> crate::error::Result<(Vec<Quad>, Totals)> {
    let build_state = iris.build_state_graph();
    let mut describer = Describer::new(iris);
    for q in store.inner().iter() {
        let q = q.map_err(|e| store.error(e))?;
        if !matches!(&q.graph_name, GraphName::NamedNode(g) if *g == build_state) {
            describer.add(q.as_ref());
        }
    }
    let totals = describer.totals();
    Ok((describer.finish(iris, options), totals))
}

fn write_description(d: Describer, iris: &Iris, options: &DescribeOptions) -> Vec<Quad> {
    let Describer {
        skip: graph,
        all,
        per_graph,
        articles,
        issued,
        ..
    } = d;
    let mut out = Vec::new();
    let g = GraphName::NamedNode(graph);
    let mut add = |s: &NamedNode, p: oxrdf::NamedNodeRef<'_>, o: Term| {
        out.push(Quad::new(s.clone(), p, o, g.clone()))
    };
    let node = |path: &str| iris.dataset(path);
    let count = |n: usize| Term::from(Literal::from(n as u64));

    let dataset = node("");
    add(&dataset, rdf::TYPE, void::DATASET.into());
    add(&dataset, rdf::TYPE, dcat::DATASET.into());
    add(
        &dataset,
        dcterms::TITLE,
        Literal::new_language_tagged_literal_unchecked(
            "brikg: facts of news articles about the Belt and Road Initiative",
            "en",
        )
        .into(),
    );
    add(
        &dataset,
        dcterms::DESCRIPTION,
        Literal::new_language_tagged_literal_unchecked(
            "Statistics, agreements and events restated from news articles about the Belt and Road Initiative, each with its provenance (article, section, paragraph), with ISO 3166-1 reference data and the brikg ontology.",
            "en",
        )
        .into(),
    );
    if let Some(date) = issued {
        add(
            &dataset,
            dcterms::ISSUED,
            Literal::new_typed_literal(date, xsd::DATE).into(),
        );
    }
    if let Some(name) = &options.publisher {
        let publisher = iris.publisher();
        add(&dataset, dcterms::PUBLISHER, publisher.clone().into());
        add(&publisher, rdf::TYPE, foaf::AGENT.into());
        add(
            &publisher,
            foaf::NAME,
            Literal::new_simple_literal(name).into(),
        );
    }
    if let Some(license) = &options.license {
        add(&dataset, dcterms::LICENSE, license.clone().into());
    }
    if let Some(endpoint) = &options.endpoint {
        add(&dataset, void::SPARQL_ENDPOINT, endpoint.clone().into());
    }
    add(&dataset, dcterms::CONFORMS_TO, brikg::ONTOLOGY.into());
    add(
        &dataset,
        void::URI_SPACE,
        Literal::new_simple_literal(iris.base()).into(),
    );
    for (_, ns) in vocab::PREFIXES {
        if all
            .properties
            .keys()
            .chain(all.classes.keys())
            .any(|i| i.starts_with(ns))
        {
            add(
                &dataset,
                void::VOCABULARY,
                NamedNode::new_unchecked(*ns).into(),
            );
        }
    }
    add(&dataset, void::TRIPLES, count(all.triples));
    add(&dataset, void::ENTITIES, count(all.entities.len()));
    add(&dataset, void::CLASSES, count(all.classes.len()));
    add(&dataset, void::PROPERTIES, count(all.properties.len()));
    add(&dataset, void::DISTINCT_SUBJECTS, count(all.subjects.len()));
    add(&dataset, void::DISTINCT_OBJECTS, count(all.objects.len()));
    for example in articles.iter().take(3) {
        if let Ok(n) = NamedNode::new(example.trim_start_matches('<').trim_end_matches('>')) {
            add(&dataset, void::EXAMPLE_RESOURCE, n.into());
        }
    }
    for (graph_name, stats) in &per_graph {
        let subset = node(&format!(
            "/graph/{}",
            slug(
                graph_name
                    .strip_prefix(&iris.graph_prefix())
                    .unwrap_or(graph_name)
            )
        ));
        add(&dataset, void::SUBSET, subset.clone().into());
        add(&subset, rdf::TYPE, void::DATASET.into());
        add(
            &subset,
            dcterms::SOURCE_GRAPH,
            NamedNode::new_unchecked(graph_name).into(),
        );
        add(&subset, void::TRIPLES, count(stats.triples));
        add(&subset, void::ENTITIES, count(stats.entities.len()));
    }
    for (class, instances) in &all.classes {
        let partition = node(&format!("/class/{}", compact_slug(class)));
        add(&dataset, void::CLASS_PARTITION, partition.clone().into());
        add(
            &partition,
            void::CLASS,
            NamedNode::new_unchecked(class).into(),
        );
        add(&partition, void::ENTITIES, count(instances.len()));
    }
    for (property, triples) in &all.properties {
        let partition = node(&format!("/property/{}", compact_slug(property)));
        add(&dataset, void::PROPERTY_PARTITION, partition.clone().into());
        add(
            &partition,
            void::PROPERTY,
            NamedNode::new_unchecked(property).into(),
        );
        add(&partition, void::TRIPLES, count(*triples));
    }
    out
}

/// `brikg:Article` → `brikg-Article`; IRIs without a known prefix are percent-encoded.
fn compact_slug(iri: &str) -> String {
    for (prefix, ns) in vocab::PREFIXES {
        if let Some(local) = iri.strip_prefix(ns) {
            if !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return format!("{prefix}-{local}");
            }
        }
    }
    slug(iri)
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(b as char);
        } else if b == b'/' {
            out.push('-');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
