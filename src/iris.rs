//! Every IRI brikg mints, in one place: data resources, named graphs and the dataset
//! description, all under one configurable base.
//!
//! The mapping, the build, the exports, the push and the validator all need the names of the
//! same graphs; keeping them here means a graph is named once, and a change of layout is one edit.

use oxrdf::NamedNode;

/// The default base of the IRIs brikg mints for data.
pub const DEFAULT_BASE: &str = "https://w3id.org/brikg/id/";

/// The path segments under the base of the resources shared across articles, which the exports
/// declare as prefixes (`country:PK`, `entity:cr-express`, …).
pub const SHARED_SEGMENTS: [&str; 7] = [
    "country",
    "entity",
    "organization",
    "agreements",
    "measure",
    "field",
    "person",
];

/// The resources articles define and share by id: the same id in two articles is one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shared {
    Entity,
    Organization,
    Agreement,
    Measure,
    Field,
}

impl Shared {
    pub const ALL: [Shared; 5] = [
        Shared::Entity,
        Shared::Organization,
        Shared::Agreement,
        Shared::Measure,
        Shared::Field,
    ];

    /// The path segment of its IRIs.
    pub fn segment(self) -> &'static str {
        match self {
            Shared::Entity => "entity",
            Shared::Organization => "organization",
            Shared::Agreement => "agreements",
            Shared::Measure => "measure",
            Shared::Field => "field",
        }
    }

    /// The table of a data file that defines it.
    pub fn table(self) -> &'static str {
        match self {
            Shared::Entity => "entities",
            Shared::Organization => "organizations",
            Shared::Agreement => "agreements",
            Shared::Measure => "measures",
            Shared::Field => "fields",
        }
    }

    /// What it is called in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Shared::Entity => "thing",
            Shared::Organization => "organization",
            Shared::Agreement => "agreement set",
            Shared::Measure => "measure",
            Shared::Field => "field",
        }
    }

    /// Whether it is a concept (labelled with SKOS) rather than a named thing.
    pub fn is_concept(self) -> bool {
        matches!(self, Shared::Measure | Shared::Field)
    }
}

/// Mints the IRIs of data resources and graphs under one base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iris {
    base: String,
}

impl Iris {
    /// Checks that `base` is an absolute IRI ending in `/` or `#`.
    pub fn new(base: &str) -> Result<Self, String> {
        NamedNode::new(base)
            .map_err(|e| format!("the IRI base {base:?} is not an absolute IRI: {e}"))?;
        if !(base.ends_with('/') || base.ends_with('#')) {
            return Err(format!(
                "the IRI base {base:?} must end with '/' or '#', e.g. {DEFAULT_BASE}"
            ));
        }
        Ok(Iris {
            base: base.to_owned(),
        })
    }

    /// The base itself.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `<base>{path}`.
    pub(crate) fn node(&self, path: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{path}", self.base))
    }

    // ----- Named graphs -----

    /// The prefix shared by every graph brikg writes, so a build can find its own graphs.
    pub fn graph_prefix(&self) -> String {
        format!("{}graph/", self.base)
    }

    /// The graph that holds the ontology.
    pub fn ontology_graph(&self) -> NamedNode {
        self.node("graph/ontology")
    }

    /// The graph that holds the reference data (countries).
    pub fn reference_graph(&self) -> NamedNode {
        self.node("graph/reference")
    }

    /// The graph that holds one article's facts.
    pub fn article_graph(&self, article: &str) -> NamedNode {
        self.node(&format!("graph/article/{article}"))
    }

    /// The graph that holds a curator's declared kinds, event types and units.
    pub fn vocabulary_graph(&self) -> NamedNode {
        self.node("graph/vocabulary")
    }

    /// The graph where a build merges what every article says each shared resource is: one
    /// preferred name, the other names, the identifiers in other graphs.
    pub fn things_graph(&self) -> NamedNode {
        self.node("graph/things")
    }

    /// The graph where a build records what the store was built from; never exported.
    pub fn build_state_graph(&self) -> NamedNode {
        self.node("graph/build")
    }

    /// The graph that holds the dataset's VoID/DCAT description in whole exports and pushes.
    pub fn void_graph(&self) -> NamedNode {
        self.node("graph/void")
    }

    // ----- Data resources -----

    /// A country, by ISO 3166-1 alpha-2 code.
    pub fn country(&self, alpha2: &str) -> NamedNode {
        self.node(&format!("country/{alpha2}"))
    }

    /// A thing facts are about (shared across articles).
    pub fn entity(&self, id: &str) -> NamedNode {
        self.node(&format!("entity/{id}"))
    }

    /// An organisation (shared across articles).
    pub fn organization(&self, id: &str) -> NamedNode {
        self.node(&format!("organization/{id}"))
    }

    /// A set of agreements (shared across articles).
    pub fn agreement(&self, id: &str) -> NamedNode {
        self.node(&format!("agreements/{id}"))
    }

    /// A shared resource of a kind, by id.
    pub fn shared(&self, kind: Shared, id: &str) -> NamedNode {
        self.node(&format!("{}/{id}", kind.segment()))
    }

    /// The kind and id of a shared resource's IRI, if it is one.
    pub fn shared_of<'a>(&self, iri: &'a str) -> Option<(Shared, &'a str)> {
        let rest = iri.strip_prefix(self.base.as_str())?;
        let (segment, id) = rest.split_once('/')?;
        let kind = Shared::ALL.into_iter().find(|k| k.segment() == segment)?;
        (!id.is_empty() && !id.contains('/')).then_some((kind, id))
    }

    /// The article whose graph is `graph`, by id, if it is an article graph.
    pub fn article_of_graph<'a>(&self, graph: &'a str) -> Option<&'a str> {
        graph
            .strip_prefix(self.base.as_str())?
            .strip_prefix("graph/article/")
    }

    /// A concept of a scheme defined by the data: `measure/{id}` and `field/{id}` (articles),
    /// `kind/{name}`, `event-type/{name}` and `unit/{code}` (declarations).
    pub fn concept(&self, scheme: &str, id: &str) -> NamedNode {
        self.node(&format!("{scheme}/{id}"))
    }

    /// An author, by the slug of their name.
    pub fn person(&self, slug: &str) -> NamedNode {
        self.node(&format!("person/{slug}"))
    }

    /// An article.
    pub fn article(&self, article: &str) -> NamedNode {
        self.node(&format!("article/{article}"))
    }

    /// A part of an article: a section, an observation, an event, an agreement set.
    pub fn article_part(&self, article: &str, kind: &str, id: &str) -> NamedNode {
        self.node(&format!("article/{article}/{kind}/{id}"))
    }

    /// A paragraph of a section, numbered from 1.
    pub fn paragraph(&self, article: &str, section: &str, n: u32) -> NamedNode {
        self.node(&format!(
            "article/{article}/section/{section}/paragraph/{n}"
        ))
    }

    /// The quantity a dated figure reports, shared by every figure of the same thing, measure,
    /// reference date and unit in any article: `quantity/{digest}`. A digest of the parts
    /// (IRIs, a date and a currency code) rather than the parts themselves, since they hold
    /// slashes and colons; the figures that share it say what it is.
    pub fn quantity(&self, parts: &[&str]) -> NamedNode {
        let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
        let digest = crate::digest::digest_of(&parts);
        self.node(&format!("quantity/{}", &digest[..32]))
    }

    // ----- The dataset description -----

    /// A node of the dataset description: the dataset itself for `""`, else a subset or a
    /// partition (`/graph/…`, `/class/…`, `/property/…`).
    pub fn dataset(&self, path: &str) -> NamedNode {
        self.node(&format!("dataset{path}"))
    }

    /// The dataset's publisher.
    pub fn publisher(&self) -> NamedNode {
        self.node("publisher")
    }

    /// The prefixes of the shared resources (`country:` …), for the exports.
    pub fn shared_prefixes(&self) -> [(String, String); 7] {
        SHARED_SEGMENTS.map(|name| (name.to_owned(), format!("{}{name}/", self.base)))
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_unreserved_characters() {
        assert_eq!(percent_encode("a-b_c.d~e f/g?h"), "a-b_c.d~e%20f%2Fg%3Fh");
    }

    #[test]
    fn base_must_be_absolute_and_end_with_a_separator() {
        assert!(Iris::new(DEFAULT_BASE).is_ok());
        assert_eq!(
            Iris::new("https://example.org/kg").unwrap_err(),
            "the IRI base \"https://example.org/kg\" must end with '/' or '#', e.g. https://w3id.org/brikg/id/"
        );
        assert!(Iris::new("not an iri/").is_err());
    }

    #[test]
    fn graphs_live_under_the_graph_prefix() {
        let iris = Iris::new(DEFAULT_BASE).unwrap();
        for g in [
            iris.ontology_graph(),
            iris.reference_graph(),
            iris.article_graph("a"),
            iris.build_state_graph(),
            iris.void_graph(),
            iris.vocabulary_graph(),
            iris.things_graph(),
        ] {
            assert!(g.as_str().starts_with(&iris.graph_prefix()), "{g}");
        }
    }
}
