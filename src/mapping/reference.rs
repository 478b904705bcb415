//! The reference data every article is checked against (ISO 3166-1 countries with the names
//! people use and their Wikidata items, ISO 4217 currencies, QUDT units, the vocabulary of
//! kinds) and its mapping into the reference graph.

use super::graph::Emitter;
use crate::iris::Iris;
use crate::model::{CountryNames, CountryRecord, CurrencyRecord, UnitRecord};
use crate::vocab::{brikg, qudt, schema, skos};
use crate::vocabulary::Vocabulary;
use oxrdf::vocab::{rdf, rdfs};
use oxrdf::{Literal, NamedNode, Quad};
use std::collections::BTreeMap;

/// The reference data every article is checked against.
#[derive(Debug, Default)]
pub struct Reference {
    /// ISO 3166-1 countries by alpha-2 code.
    pub countries: BTreeMap<String, CountryRecord>,
    /// The names people use for countries, by alpha-2 code (CLDR).
    pub country_names: BTreeMap<String, CountryNames>,
    /// Wikidata QIDs by alpha-2 code.
    pub wikidata: BTreeMap<String, String>,
    /// ISO 4217 currencies by alpha-3 code.
    pub currencies: BTreeMap<String, CurrencyRecord>,
    /// The QUDT units brikg ships.
    pub units: Vec<UnitRecord>,
    /// The kinds, event types and units data files may name (read from the ontology, the
    /// units and the curator's declarations).
    pub vocabulary: Vocabulary,
}

impl Reference {
    /// The name a country is printed with: the short name people use where ISO 3166 or CLDR
    /// gives one ("Russia", "Laos"), else the ISO 3166-1 name. CLDR's forms with "&" or " - "
    /// ("Congo - Kinshasa") are abbreviations for menus, not names, and are not printed.
    pub fn country_label<'a>(&'a self, c: &'a CountryRecord) -> &'a str {
        let cldr = self
            .country_names
            .get(&c.alpha2)
            .and_then(|n| n.names_en.first())
            .filter(|n| !n.contains(" & ") && !n.contains(" - "));
        c.common_name
            .as_deref()
            .or(cldr.map(String::as_str))
            .unwrap_or(&c.name)
    }

    /// Every English name of a country, the printed one first, without repeats.
    pub fn country_names_en<'a>(&'a self, c: &'a CountryRecord) -> Vec<&'a str> {
        let mut names = vec![self.country_label(c), c.name.as_str()];
        names.extend(c.common_name.as_deref());
        if let Some(n) = self.country_names.get(&c.alpha2) {
            names.extend(n.names_en.iter().map(String::as_str));
            names.extend(n.aliases_en.iter().map(String::as_str));
        }
        let mut seen = Vec::new();
        names.retain(|n| {
            let new = !seen.contains(n);
            seen.push(*n);
            new
        });
        names
    }

    /// The alpha-2 code of the country a person means by `text`: an ISO 3166-1 code (alpha-2,
    /// alpha-3 or numeric) or any of its names in English or Chinese, in any case.
    pub fn find_country(&self, text: &str) -> Option<&str> {
        let wanted = text.trim().to_lowercase();
        self.countries.values().find_map(|c| {
            let codes = [&c.alpha2, &c.alpha3, &c.numeric];
            let by_code = codes.iter().any(|code| code.to_lowercase() == wanted);
            let by_name = self
                .country_names_en(c)
                .iter()
                .chain(self.country_names_zh(c).iter())
                .chain(c.official_name.as_deref().iter())
                .any(|n| n.to_lowercase() == wanted);
            (by_code || by_name).then_some(c.alpha2.as_str())
        })
    }

    fn country_names_zh<'a>(&'a self, c: &CountryRecord) -> Vec<&'a str> {
        self.country_names
            .get(&c.alpha2)
            .map(|n| {
                n.name_zh
                    .iter()
                    .chain(&n.aliases_zh)
                    .map(String::as_str)
                    .collect()
            })
            .unwrap_or_default()
    }
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
        let names = reference.country_names_en(c);
        out.add(&node, skos::PREF_LABEL, lang(names[0], "en"));
        for alt in &names[1..] {
            out.add(&node, skos::ALT_LABEL, lang(alt, "en"));
        }
        let zh = reference.country_names_zh(c);
        if let Some((pref, alts)) = zh.split_first() {
            out.add(&node, skos::PREF_LABEL, lang(pref, "zh"));
            for alt in alts {
                out.add(&node, skos::ALT_LABEL, lang(alt, "zh"));
            }
        }
        if let Some(official) = &c.official_name {
            out.add(&node, schema::LEGAL_NAME, lang(official, "en"));
        }
        if let Some(qid) = reference.wikidata.get(&c.alpha2) {
            out.add(
                &node,
                schema::SAME_AS,
                NamedNode::new_unchecked(format!("http://www.wikidata.org/entity/{qid}")),
            );
        }
    }
    for u in &reference.units {
        let node = NamedNode::new_unchecked(&u.iri);
        out.add(&node, rdf::TYPE, qudt::UNIT);
        out.add(
            &node,
            skos::NOTATION,
            Literal::new_simple_literal(unit_notation(u)),
        );
        out.add(&node, rdfs::LABEL, lang(&u.label, "en"));
        for code in std::iter::once(u.ucum.as_ref().unwrap_or(&u.code)).chain(&u.ucum_alt) {
            out.add(&node, qudt::UCUM_CODE, Literal::new_simple_literal(code));
        }
        if let Some(symbol) = &u.symbol {
            out.add(&node, qudt::SYMBOL, Literal::new_simple_literal(symbol));
        }
        out.add(
            &node,
            qudt::HAS_QUANTITY_KIND,
            NamedNode::new_unchecked(&u.quantity_iri),
        );
        // In canonical form, as stores return it (the file's text is checked when it is read).
        if let Ok(factor) = u.factor.parse::<oxsdatatypes::Decimal>() {
            out.add(&node, qudt::CONVERSION_MULTIPLIER, Literal::from(factor));
        }
    }
    out.quads
}

/// The name data files and queries use for a QUDT unit: its symbol written in ASCII (`GWh`,
/// `m2`, `ha`), or its UCUM code where the symbol has no plain form (`[bbl_us]`).
pub fn unit_notation(u: &UnitRecord) -> String {
    let Some(symbol) = &u.symbol else {
        return u.code.clone();
    };
    let plain: String = symbol
        .chars()
        .filter(|c| !matches!(c, '·' | '⋅'))
        .map(|c| match c {
            '²' => '2',
            '³' => '3',
            c => c,
        })
        .collect();
    if plain.is_ascii() && !plain.contains(['{', '}', ' ']) {
        plain
    } else {
        u.code.clone()
    }
}

fn lang(text: &str, tag: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, tag)
}
