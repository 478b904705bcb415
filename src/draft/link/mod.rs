//! What the graph already holds, for `brikg draft` to link a new article to: the things,
//! organisations, agreement sets and measures that the data directory's articles define (and
//! those the earlier articles of the same batch drafted), found by name.
//!
//! Precision first: a name links to a thing only when it is one of the thing's names in normal
//! form (case, dashes, "the" and possessives aside), an acronym the graph knows, or a shorter
//! form of exactly one known name (same first and last word, no word the known name lacks).
//! Where two known things fit, or the kinds disagree, the draft keeps a new thing and lists the
//! candidates in a comment for review. Each link carries its reason, written beside it in the
//! draft so a curator can check it in seconds.

mod find;
mod measures;
mod things;
mod words;

pub use self::measures::{MeasureContext, MeasureLink};
pub use self::words::content_words;

use super::lexicon::Lexicon;
use crate::dataset::{self, DataSource};
use crate::error::Result;
use crate::iris::Shared;
use crate::mapping::Reference;
use crate::matching::normal_form;
use crate::model::ArticleFile;
use crate::vocabulary::Vocabulary;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A thing, organisation or agreement set the graph holds, as its first definition gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownThing {
    pub category: Shared,
    pub id: String,
    /// Its kind's name (`seaport`).
    pub kind: String,
    /// Its name (absent for an organisation known by its country).
    pub name: Option<String>,
    pub alt_names: Vec<String>,
    /// An organisation's country, an agreement set's signatory.
    pub country: Option<String>,
    /// Where it is defined first: the data file, as the data directory names it.
    pub file: String,
}

impl KnownThing {
    /// Every name it goes by.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.name.iter().chain(&self.alt_names).map(String::as_str)
    }
}

/// A measure the graph holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownMeasure {
    pub id: String,
    pub label: String,
    pub alt_labels: Vec<String>,
    /// Its declared unit.
    pub unit: Option<String>,
    /// What its figures are in: a currency code, a unit, or "" for a count.
    pub units: BTreeSet<String>,
    /// The things its figures are about.
    pub about: BTreeSet<String>,
    pub file: String,
}

/// Why a drafted name stands for a known thing, or which known things it might be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// One known thing, with the reason in words.
    Sure { index: usize, reason: String },
    /// Several known things fit: a curator chooses.
    Unsure { candidates: Vec<usize> },
    /// Nothing known fits.
    New,
}

/// The graph's things and measures, indexed by name.
#[derive(Default)]
pub struct Known {
    pub things: Vec<KnownThing>,
    pub measures: BTreeMap<String, KnownMeasure>,
    /// Normal form of a name → the things that go by it.
    by_name: HashMap<String, Vec<usize>>,
    /// Thing id → its index.
    by_id: HashMap<String, usize>,
    vocabulary: Vocabulary,
    /// What each unit measures (`km` → "length"), so figures in km and m are of one measure
    /// while figures in km and t are not.
    unit_kinds: HashMap<String, String>,
    /// Words that say the same of a measure, to one form (`annually` → `annual`).
    measure_words: HashMap<String, String>,
    /// The names worth looking for in a text, of the things known when it was first needed
    /// (the data directory's), and of those added since (the batch's earlier drafts).
    finder: std::sync::OnceLock<(usize, Option<Finder>)>,
    later: std::sync::OnceLock<Option<Finder>>,
    /// The names of two words or more (not of agreement sets) by their first word in normal
    /// form, with their thing and words: what `forms_in` tries at a capitalised word, made
    /// when first needed and again after names change.
    forms: std::sync::OnceLock<FormsIndex>,
}

/// An automaton over names, with the thing each pattern names.
type Finder = (aho_corasick::AhoCorasick, Vec<usize>);

/// First word → (thing, name, the name's words), in the order of things and of their names.
type FormsIndex = HashMap<String, Vec<(usize, String, Vec<String>)>>;

impl std::fmt::Debug for Known {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Known")
            .field("things", &self.things.len())
            .field("measures", &self.measures.len())
            .finish()
    }
}

/// A known thing named in a sentence: its index and the byte range of the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub index: usize,
    pub start: usize,
    pub end: usize,
}

/// Words that say what kind of thing a name names, not which one: a known name made only of
/// them is not used to find the thing in a text.
const GENERIC: &[&str] = &[
    "the",
    "of",
    "and",
    "for",
    "in",
    "on",
    "port",
    "railway",
    "line",
    "plant",
    "project",
    "phase",
    "park",
    "zone",
    "zones",
    "fund",
    "loan",
    "loans",
    "agreement",
    "agreements",
    "documents",
    "memorandums",
    "memoranda",
    "understanding",
    "bank",
    "banks",
    "company",
    "group",
    "station",
    "terminal",
    "corridor",
    "bridge",
    "road",
    "dam",
    "new",
    "first",
    "second",
    "third",
    "international",
    "national",
    "government",
    "ministry",
    "trade",
    "economic",
    "cooperation",
    "development",
    "industrial",
    "power",
    "express",
    "service",
    "services",
    "high",
    "speed",
    "special",
    "free",
    "logistics",
    "energy",
    "water",
    "hydropower",
    "solar",
    "wind",
    "inland",
];

impl Known {
    /// An empty index over the reference data (kinds: a seaport is a port; units: km and m
    /// measure lengths) and the drafting rules' words for measures.
    pub fn new(reference: &Reference, lexicon: &Lexicon) -> Self {
        // By unit IRI: a figure's unit is any spelling the vocabulary knows (`GWh`, `GW.h`).
        let unit_kinds = reference
            .units
            .iter()
            .map(|u| (u.iri.clone(), u.quantity.clone()))
            .collect();
        Known {
            vocabulary: reference.vocabulary.clone(),
            unit_kinds,
            measure_words: lexicon.measure_words.clone(),
            ..Known::default()
        }
    }

    /// Reads every article file of `data` and indexes what they define.
    pub fn read(data: &DataSource, reference: &Reference, lexicon: &Lexicon) -> Result<Self> {
        let mut known = Known::new(reference, lexicon);
        // A data directory of declarations alone holds no articles to link to.
        if let DataSource::Dir(dir) = data {
            let articles = dir.join("articles");
            let any = std::fs::read_dir(&articles).is_ok_and(|entries| {
                entries
                    .flatten()
                    .any(|e| e.path().extension().is_some_and(|x| x == "toml"))
            });
            if !any {
                return Ok(known);
            }
        }
        for source in dataset::list_articles(data)? {
            let file = source.read()?;
            let parsed: ArticleFile = dataset::parse_file(&file)?;
            known.add_file(&parsed, &file.name);
        }
        Ok(known)
    }

    /// Adds what one data file defines (the first definition of an id is kept).
    pub fn add_file(&mut self, file: &ArticleFile, name: &str) {
        for e in &file.entities {
            self.add_thing(KnownThing {
                category: Shared::Entity,
                id: e.id.get_ref().clone(),
                kind: e.kind.get_ref().clone(),
                name: Some(e.name.clone()),
                alt_names: e.alt_names.clone(),
                country: None,
                file: name.to_owned(),
            });
        }
        for o in &file.organizations {
            self.add_thing(KnownThing {
                category: Shared::Organization,
                id: o.id.get_ref().clone(),
                kind: o.kind.get_ref().clone(),
                name: o.name.clone(),
                alt_names: o.alt_names.clone(),
                country: o.country.as_ref().map(|c| c.get_ref().clone()),
                file: name.to_owned(),
            });
        }
        for a in &file.agreements {
            self.add_thing(KnownThing {
                category: Shared::Agreement,
                id: a.id.get_ref().clone(),
                kind: a.kind.get_ref().clone(),
                name: Some(a.name.clone()),
                alt_names: a.alt_names.clone(),
                country: Some(a.signatory.get_ref().clone()),
                file: name.to_owned(),
            });
        }
        for (id, concept) in &file.measures {
            let concept = concept.get_ref();
            let measure = self
                .measures
                .entry(id.clone())
                .or_insert_with(|| KnownMeasure {
                    id: id.clone(),
                    label: concept.label.get_ref().clone(),
                    unit: concept.unit.as_ref().map(|u| u.get_ref().clone()),
                    file: name.to_owned(),
                    ..KnownMeasure::default()
                });
            for alt in &concept.alt_labels {
                if !measure.alt_labels.contains(alt) {
                    measure.alt_labels.push(alt.clone());
                }
            }
        }
        for o in &file.observations {
            let Some(measure) = self.measures.get_mut(o.measure.get_ref()) else {
                continue;
            };
            let declared = file
                .measures
                .get(o.measure.get_ref())
                .and_then(|m| m.get_ref().unit.as_ref())
                .map(|u| u.get_ref().clone());
            let unit = o
                .currency
                .as_ref()
                .or(o.unit.as_ref())
                .map(|u| u.get_ref().clone())
                .or(declared)
                .unwrap_or_default();
            measure.units.insert(unit);
            measure.about.insert(o.about.get_ref().clone());
        }
    }

    fn add_thing(&mut self, thing: KnownThing) {
        // Names change: the automaton of later things is made again when next needed.
        self.later = std::sync::OnceLock::new();
        self.forms = std::sync::OnceLock::new();
        if let Some(&i) = self.by_id.get(&thing.id) {
            // A later definition adds its names.
            let known = &mut self.things[i];
            for n in thing.names() {
                if !known.names().any(|k| k == n) {
                    known.alt_names.push(n.to_owned());
                    let key = normal_form(n);
                    let entry = self.by_name.entry(key).or_default();
                    if !entry.contains(&i) {
                        entry.push(i);
                    }
                }
            }
            return;
        }
        let i = self.things.len();
        for n in thing.names() {
            let key = normal_form(n);
            if !key.is_empty() {
                let entry = self.by_name.entry(key).or_default();
                if !entry.contains(&i) {
                    entry.push(i);
                }
            }
        }
        self.by_id.insert(thing.id.clone(), i);
        self.things.push(thing);
    }

    /// The known thing with this id.
    pub fn thing(&self, id: &str) -> Option<&KnownThing> {
        self.by_id.get(id).map(|&i| &self.things[i])
    }

    /// Whether it holds nothing (drafting without a graph).
    pub fn is_empty(&self) -> bool {
        self.things.is_empty() && self.measures.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        let mut k = Known::default();

        for (id, kind, name, alts) in [
            (
                "cr-express",
                "transport-service",
                "China Railway Express",
                vec!["CR Express"],
            ),
            (
                "new-international-land-sea-trade-corridor",
                "trade-corridor",
                "New International Land-Sea Trade Corridor",
                vec![],
            ),
            (
                "nkalora-deepwater-port",
                "seaport",
                "Nkalora Deepwater Port",
                vec![],
            ),
        ] {
            k.add_thing(KnownThing {
                category: Shared::Entity,
                id: id.into(),
                kind: kind.into(),
                name: Some(name.into()),
                alt_names: alts.into_iter().map(str::to_owned).collect(),
                country: None,
                file: "a.toml".into(),
            });
        }
        k
    }

    fn linked(link: Link, known: &Known) -> Option<String> {
        match link {
            Link::Sure { index, .. } => Some(known.things[index].id.clone()),
            _ => None,
        }
    }

    #[test]
    fn names_link_in_their_normal_forms_acronyms_and_shorter_forms() {
        let k = known();
        for (name, id) in [
            ("the China–Railway Express's", "cr-express"),
            ("CR Express", "cr-express"),
            (
                "Land-Sea Trade Corridor",
                "new-international-land-sea-trade-corridor",
            ),
            (
                "New International Land Sea Trade Corridor",
                "new-international-land-sea-trade-corridor",
            ),
            ("Nkalora Port", "nkalora-deepwater-port"),
        ] {
            assert_eq!(
                linked(k.link_thing(&[name], Some("cooperation-subject")), &k).as_deref(),
                Some(id),
                "{name}"
            );
        }
        // A different thing with a name alike is new.
        for name in [
            "Nkalora Fishing Port",
            "China Railway",
            "Express",
            "Trade Corridor",
        ] {
            assert_eq!(
                k.link_thing(&[name], Some("cooperation-subject")),
                Link::New,
                "{name}"
            );
        }
    }

    #[test]
    fn plural_endings_are_one_word() {
        assert_eq!(
            content_words("Cities served by the trains").collect::<Vec<_>>(),
            ["city", "served", "train"]
        );
    }
}
