//! The serde types of the data files: one article per TOML file, plus reference data.
//!
//! These types know nothing of RDF. They mirror what a curator writes, reject unknown fields so a
//! typo fails loudly, and keep source positions (`Spanned`) on every field that a later check may
//! refuse, so the error can name the line and column.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use toml::Spanned;

/// Whether `s` is lowercase kebab-case (`bri-practical-measure-2024`), as every id, kind name and
/// declared name in the data files is: they become parts of IRIs.
pub fn is_kebab_case(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// One data file: the facts of one article.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleFile {
    pub article: ArticleMeta,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub organizations: Vec<Organization>,
    #[serde(default)]
    pub measures: BTreeMap<String, Spanned<Concept>>,
    #[serde(default)]
    pub fields: BTreeMap<String, Spanned<Concept>>,
    #[serde(default)]
    pub agreements: Vec<AgreementSet>,
    #[serde(default)]
    pub observations: Vec<Observation>,
    #[serde(default)]
    pub events: Vec<Event>,
}

/// The article's own metadata.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    pub id: Spanned<String>,
    pub title: String,
    pub authors: Vec<Spanned<String>>,
    /// Date of the last update, `YYYY-MM-DD`.
    pub modified: Spanned<String>,
    /// BCP 47 language tag of the article and of the labels in this file.
    #[serde(default = "default_language")]
    pub language: Spanned<String>,
    /// Ids of the entities the article is about.
    #[serde(default)]
    pub about: Vec<Spanned<String>>,
}

fn default_language() -> Spanned<String> {
    Spanned::new(0..0, "en".to_owned())
}

/// A section of the article, in reading order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: Spanned<String>,
    /// The section's theme, restated in a few words; absent for an untitled lead.
    pub theme: Option<String>,
    /// How many paragraphs the section has.
    pub paragraphs: Spanned<u32>,
}

/// Where in the article a fact stands.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub section: Spanned<String>,
    pub paragraph: Spanned<u32>,
}

/// Something the article reports facts about.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    pub id: Spanned<String>,
    /// The name of an entity kind: bundled (`railway`) or declared in `data/vocabulary/`.
    pub kind: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub alt_names: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of the countries where it is.
    #[serde(default)]
    pub located_in: Vec<Spanned<String>>,
    /// ISO 3166-1 alpha-2 codes of the countries that established it.
    #[serde(default)]
    pub established_by: Vec<Spanned<String>>,
    /// The country a standard system belongs to.
    pub country: Option<Spanned<String>>,
    /// Ids of the standard systems it is built to.
    #[serde(default)]
    pub standards: Vec<Spanned<String>>,
    /// Its identifiers in other graphs, by scheme: `{ wikidata = "Q…", geonames = "…" }`.
    #[serde(default)]
    pub identifiers: BTreeMap<String, Spanned<String>>,
    pub source: Option<SourceRef>,
}

/// An organisation, named or identified by its country and kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub id: Spanned<String>,
    /// The name of an organisation kind (`national-standardization-body`, `other`, or declared).
    pub kind: Spanned<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub alt_names: Vec<String>,
    pub country: Option<Spanned<String>>,
    /// Its identifiers in other graphs, by scheme.
    #[serde(default)]
    pub identifiers: BTreeMap<String, Spanned<String>>,
    pub source: Option<SourceRef>,
}

/// A concept defined by the file: a measure or a field of cooperation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// The one label every answer prints; the same in every article that defines the concept.
    pub label: Spanned<String>,
    /// Other wordings articles use for it.
    #[serde(default)]
    pub alt_labels: Vec<String>,
    /// For a measure: the unit its figures are in unless a figure says otherwise.
    pub unit: Option<Spanned<String>>,
}

/// Agreements the article reports in aggregate.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementSet {
    pub id: Spanned<String>,
    /// The name of an agreement kind (`memorandums-of-understanding`, or declared).
    pub kind: Spanned<String>,
    /// A short description of the set, such as "standards cooperation documents".
    pub name: String,
    #[serde(default)]
    pub alt_names: Vec<String>,
    /// ISO 3166-1 alpha-2 code of the signing country.
    pub signatory: Spanned<String>,
    /// Kinds of counterparty: organisation kinds, or `country`.
    #[serde(default)]
    pub counterparty_types: Vec<Spanned<String>>,
    /// Ids of the organisations named as counterparties.
    #[serde(default)]
    pub counterparties: Vec<Spanned<String>>,
    pub counterparties_listed: Completeness,
    /// Ids of fields of cooperation.
    #[serde(default)]
    pub fields: Vec<Spanned<String>>,
    pub fields_listed: Completeness,
    /// Its identifiers in other graphs, by scheme.
    #[serde(default)]
    pub identifiers: BTreeMap<String, Spanned<String>>,
    pub source: SourceRef,
}

/// Whether a list of named items is all of them.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Completeness {
    Complete,
    Examples,
    None,
}

/// One statistic.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub id: Spanned<String>,
    /// Id of an entity, organisation or agreement set, or a country code.
    pub about: Spanned<String>,
    /// Id of a measure defined under `[measures]`.
    pub measure: Spanned<String>,
    /// The number as reported, before scaling.
    pub value: Spanned<Number>,
    pub scale: Option<Scale>,
    /// ISO 4217 code of the currency of a monetary value.
    pub currency: Option<Spanned<String>>,
    /// The unit of a measured quantity (`km`, `TEU`, `%`); the measure's unit when absent.
    pub unit: Option<Spanned<String>>,
    pub comparator: Comparator,
    /// The reference date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, meaning the end of that period.
    pub as_of: Option<Spanned<String>>,
    /// The period the figure covers, as an ISO 8601 duration such as `P10Y`.
    pub period: Option<Spanned<String>>,
    pub source: SourceRef,
}

/// How the reported figure relates to the true value.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Comparator {
    Exactly,
    GreaterThan,
    AtLeast,
    LessThan,
    AtMost,
    Approximately,
}

/// The scale a figure was reported in.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Scale {
    Thousand,
    Million,
    Billion,
    Trillion,
}

impl Scale {
    /// The power of ten the scale stands for.
    pub fn exponent(self) -> u32 {
        match self {
            Scale::Thousand => 3,
            Scale::Million => 6,
            Scale::Billion => 9,
            Scale::Trillion => 12,
        }
    }
}

/// A dated event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: Spanned<String>,
    /// The name of an event type (`launch`, or declared).
    pub kind: Spanned<String>,
    /// Id of the entity or agreement set the event happened to.
    pub subject: Spanned<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, as precise as the article is.
    pub date: Spanned<String>,
    pub source: SourceRef,
}

/// A number as written in a data file: a TOML integer, float or a string such as `"1.25"`.
///
/// Kept as its decimal text so that no binary floating point ever touches a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(pub String);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl Visitor<'_> for NumberVisitor {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number such as 217, 1.5 or \"1.5\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                if v.is_finite() {
                    // Rust prints the shortest text that reads back as the same float, which is
                    // the text the curator wrote for any figure with up to 15 significant digits.
                    Ok(Number(v.to_string()))
                } else {
                    Err(E::custom("a figure must be a finite number"))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                Ok(Number(v.trim().to_owned()))
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

/// The ISO 3166-1 reference file (`data/reference/countries.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountriesFile {
    pub country: Vec<CountryRecord>,
}

/// One country of ISO 3166-1.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryRecord {
    pub alpha2: String,
    pub alpha3: String,
    pub numeric: String,
    pub name: String,
    pub common_name: Option<String>,
    pub official_name: Option<String>,
}

/// The names people use for countries (`data/reference/country-names.toml`, from CLDR).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryNamesFile {
    pub country: Vec<CountryNames>,
}

/// The names of one country besides its ISO 3166-1 names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryNames {
    pub alpha2: String,
    /// The name to print instead of the ISO name, first; empty to print the ISO name.
    #[serde(default)]
    pub names_en: Vec<String>,
    /// Other English names, to recognise the country.
    #[serde(default)]
    pub aliases_en: Vec<String>,
    pub name_zh: Option<String>,
    #[serde(default)]
    pub aliases_zh: Vec<String>,
    #[serde(default)]
    pub demonyms_en: Vec<String>,
}

/// The units of measure of QUDT brikg ships (`data/reference/units.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsFile {
    pub unit: Vec<UnitRecord>,
}

/// One unit of measure, as QUDT defines it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRecord {
    /// Its UCUM code.
    pub code: String,
    pub label: String,
    pub iri: String,
    /// Its UCUM code as QUDT gives it (absent where QUDT's is wrong: then `code`, checked
    /// against UCUM by the generator, is the UCUM code).
    pub ucum: Option<String>,
    #[serde(default)]
    pub ucum_alt: Vec<String>,
    pub symbol: Option<String>,
    #[serde(default)]
    pub unece: Vec<String>,
    pub quantity: String,
    pub quantity_iri: String,
    /// The factor to the SI unit, as decimal text.
    pub factor: String,
}

/// The ISO 4217 currencies (`data/reference/currencies.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrenciesFile {
    pub currency: Vec<CurrencyRecord>,
}

/// One currency of ISO 4217.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrencyRecord {
    pub alpha3: String,
    pub numeric: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub qudt_iri: Option<String>,
    /// CLDR 48 English names (en); `brikg draft` uses them to recognise currencies in articles.
    #[serde(default)]
    pub names_en: Vec<String>,
    /// CLDR 48 symbols (en, en-001); `brikg draft` uses them to recognise currencies in articles.
    #[serde(default)]
    pub symbols: Vec<String>,
}

/// A curator's declarations (`data/vocabulary/*.toml`): new kinds of things, event types and
/// units, so that articles about them load without a change to brikg.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyFile {
    /// Kinds of entities, organisations or agreement sets: each under a parent kind.
    #[serde(default)]
    pub kinds: Vec<KindDeclaration>,
    /// Kinds of events.
    #[serde(default)]
    pub event_types: Vec<EventTypeDeclaration>,
    /// Units of measure.
    #[serde(default)]
    pub units: Vec<UnitDeclaration>,
}

/// A new kind: what data files call it, what it is, and what it is a kind of.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDeclaration {
    pub name: Spanned<String>,
    pub label: Option<Spanned<String>>,
    pub definition: Option<Spanned<String>>,
    /// The kind it is a narrower kind of: bundled (`port`, `organization`) or declared.
    pub parent: Option<Spanned<String>>,
}

/// A new event type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTypeDeclaration {
    pub name: Spanned<String>,
    pub label: Option<Spanned<String>>,
    pub definition: Option<Spanned<String>>,
    /// A broader event type, if it is a narrower kind of one.
    pub broader: Option<Spanned<String>>,
}

/// A new unit of measure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDeclaration {
    /// What figures write: `unit = "bbl/d"`.
    pub code: Spanned<String>,
    pub label: Option<Spanned<String>>,
    pub definition: Option<Spanned<String>>,
    /// The IRI of the unit in a published vocabulary (QUDT, say), when it has one.
    pub iri: Option<Spanned<String>>,
}

/// Wikidata items of countries (`data/reference/wikidata.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WikidataFile {
    pub wikidata: BTreeMap<String, String>,
}
