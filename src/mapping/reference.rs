//! The reference data every article is checked against (ISO 3166-1 countries, their Wikidata
//! items) and its mapping into the reference graph.

use super::Emitter;
use crate::iris::Iris;
use crate::model::CountryRecord;
use crate::vocab::{brikg, schema, skos};
use oxrdf::vocab::rdf;
use oxrdf::{Literal, NamedNode, Quad};
use std::collections::BTreeMap;

/// The reference data every article is checked against.
#[derive(Debug, Default)]
pub struct Reference {
    /// ISO 3166-1 countries by alpha-2 code.
    pub countries: BTreeMap<String, CountryRecord>,
    /// Wikidata QIDs by alpha-2 code.
    pub wikidata: BTreeMap<String, String>,
}

/// Maps the reference data into the reference graph.
pub fn map_reference(reference: &Reference, iris: &Iris) -> Vec<Quad> {
    let mut out = Emitter::new(iris.reference_graph());
    for c in reference.countries.values() {
        let node = iris.country(&c.alpha2);
        out.add(&node, rdf::TYPE, brikg::COUNTRY);
        out.add(&node, brikg::ALPHA2, Literal::new_simple_literal(&c.alpha2));
        out.add(&node, brikg::ALPHA3, Literal::new_simple_literal(&c.alpha3));
        out.add(
            &node,
            brikg::NUMERIC,
            Literal::new_simple_literal(&c.numeric),
        );
        let pref = c.common_name.as_deref().unwrap_or(&c.name);
        out.add(&node, skos::PREF_LABEL, en(pref));
        if pref != c.name {
            out.add(&node, skos::ALT_LABEL, en(&c.name));
        }
        if let Some(official) = &c.official_name {
            out.add(&node, schema::LEGAL_NAME, en(official));
        }
        if let Some(qid) = reference.wikidata.get(&c.alpha2) {
            out.add(
                &node,
                schema::SAME_AS,
                NamedNode::new_unchecked(format!("http://www.wikidata.org/entity/{qid}")),
            );
        }
    }
    out.quads
}

fn en(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}
