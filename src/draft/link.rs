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

use super::lexicon::Lexicon;
use crate::dataset::{self, DataSource};
use crate::error::Result;
use crate::iris::Shared;
use crate::mapping::Reference;
use crate::matching::{normal_form, words};
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
}

/// An automaton over names, with the thing each pattern names.
type Finder = (aho_corasick::AhoCorasick, Vec<usize>);

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

    /// The names worth looking for in a text: those of two or more words with a word that is
    /// not generic, and acronyms of two or more capitals; with the thing they name.
    pub fn findable_names(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for (i, t) in self.things.iter().enumerate() {
            for n in t.names() {
                let normal = normal_form(n);
                let distinctive = words(&normal).any(|w| !GENERIC.contains(&w));
                let acronym = n.len() >= 2
                    && n.len() <= 8
                    && n.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                    && n.chars().filter(char::is_ascii_uppercase).count() >= 2;
                let capitalised = n.chars().next().is_some_and(char::is_uppercase);
                if acronym || (capitalised && distinctive && words(&normal).count() >= 2) {
                    out.push((n.to_owned(), i));
                }
            }
        }
        out
    }

    /// The known things named in a sentence by one of their names (case aside, any dash),
    /// each as a whole word starting with a capital, longest first where names overlap.
    pub fn named_in(&self, sentence: &str) -> Vec<Named> {
        let (base, finder) = self
            .finder
            .get_or_init(|| (self.things.len(), self.finder_of(0..self.things.len())));
        let later = self
            .later
            .get_or_init(|| self.finder_of(*base..self.things.len()));
        let mut out = Vec::new();
        for (automaton, targets) in [finder, later].into_iter().flatten() {
            out.extend(
                automaton
                    .find_iter(sentence)
                    .filter(|m| {
                        let before = sentence[..m.start()].chars().next_back();
                        let after = sentence[m.end()..].chars().next();
                        let first = sentence[m.start()..].chars().next();
                        before.is_none_or(|c| !c.is_alphanumeric())
                            && after.is_none_or(|c| !c.is_alphanumeric())
                            && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                    })
                    .map(|m| Named {
                        index: targets[m.pattern().as_usize()],
                        start: m.start(),
                        end: m.end(),
                    }),
            );
        }
        out.sort_by_key(|n| (n.start, std::cmp::Reverse(n.end)));
        out
    }

    /// Known things named in a sentence by a shorter or longer form of one of their names: the
    /// name's first word, capitalised, then words ending in its last word (any case), all of
    /// one in the other in order ("Korvana hydropower cascade" for "Korvana Cascade", "the
    /// Ilembo depot" for "Ilembo Inland Depot"). Where two things fit one place, neither is
    /// taken. Each with the known name it is a form of.
    pub fn forms_in(&self, sentence: &str) -> Vec<(Named, String)> {
        let words = word_spans(sentence);
        let normal: Vec<String> = words
            .iter()
            .map(|&(a, b)| normal_form(&sentence[a..b]))
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let capitalised = sentence[words[i].0..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            let mut found: BTreeMap<usize, (usize, String)> = BTreeMap::new();
            if capitalised && !GENERIC.contains(&normal[i].as_str()) {
                for (t, thing) in self.things.iter().enumerate() {
                    if thing.category == Shared::Agreement {
                        continue;
                    }
                    for name in thing.names() {
                        let known: Vec<String> = words_of(name);
                        if known.len() < 2 || known[0] != normal[i] {
                            continue;
                        }
                        let last = known.last().expect("two words");
                        let end = (i + 1..words.len().min(i + known.len() + 3))
                            .find(|&j| &normal[j] == last);
                        let Some(j) = end else { continue };
                        let span: Vec<String> = normal[i..=j].to_vec();
                        if span == known {
                            continue; // the name itself: `named_in` finds it
                        }
                        if is_subsequence(&span, &known) || is_subsequence(&known, &span) {
                            found.entry(t).or_insert((j, name.to_owned()));
                        }
                    }
                }
            }
            if found.len() == 1 {
                let (t, (j, name)) = found.into_iter().next().expect("one");
                out.push((
                    Named {
                        index: t,
                        start: words[i].0,
                        end: words[j].1,
                    },
                    name,
                ));
                i = j + 1;
            } else {
                i += 1;
            }
        }
        out
    }

    /// An automaton over the findable names of the things `range` (not agreement sets, whose
    /// names are descriptions rather than names).
    fn finder_of(&self, range: std::ops::Range<usize>) -> Option<Finder> {
        {
            let mut patterns = Vec::new();
            let mut targets = Vec::new();
            for (name, i) in self.findable_names() {
                if !range.contains(&i) || self.things[i].category == Shared::Agreement {
                    continue;
                }
                let mut variants = vec![name.clone()];
                if name.contains('-') {
                    variants.push(name.replace('-', "\u{2013}"));
                    variants.push(name.replace('-', " "));
                }
                for v in variants {
                    patterns.push(v);
                    targets.push(i);
                }
            }
            if patterns.is_empty() {
                return None;
            }
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(&patterns)
                .ok()
                .map(|a| (a, targets))
        }
    }

    /// Whether the kind `drafted` (a guess from a name's last word) fits the known `kind`:
    /// one is the other or a narrower kind of it.
    fn kinds_fit(&self, drafted: &str, known: &str) -> bool {
        match (self.vocabulary.kind(drafted), self.vocabulary.kind(known)) {
            (Some(d), Some(k)) => {
                self.vocabulary.is_a(d, k.class.as_ref())
                    || self.vocabulary.is_a(k, d.class.as_ref())
            }
            // A kind the vocabulary does not know says nothing either way.
            _ => true,
        }
    }

    /// The known thing a drafted name (with its other names) stands for. `kind` is the
    /// drafted kind (`None`: an organisation).
    pub fn link_thing(&self, names: &[&str], kind: Option<&str>) -> Link {
        let category_fits = |t: &KnownThing| match kind {
            None => t.category == Shared::Organization,
            Some(_) => t.category == Shared::Entity,
        };
        // 1. One of its names, in normal form.
        let mut exact: BTreeMap<usize, String> = BTreeMap::new();
        for n in names {
            for &i in self.by_name.get(&normal_form(n)).into_iter().flatten() {
                if category_fits(&self.things[i]) {
                    let t = &self.things[i];
                    let how = if t
                        .name
                        .as_deref()
                        .is_some_and(|k| normal_form(k) == normal_form(n))
                    {
                        "the name"
                    } else {
                        "a name"
                    };
                    exact
                        .entry(i)
                        .or_insert_with(|| format!("{n:?} is {how} of {:?} in {}", t.id, t.file));
                }
            }
        }
        match exact.len() {
            1 => {
                let (index, reason) = exact.into_iter().next().expect("one");
                return Link::Sure { index, reason };
            }
            n if n > 1 => {
                return Link::Unsure {
                    candidates: exact.into_keys().collect(),
                }
            }
            _ => {}
        }
        // 2. A shorter (or longer) form of one known name, the kinds fitting: its last words
        //    (two of them telling it apart from other things of its kind: "Land-Sea Trade
        //    Corridor"), or its first and last word with every word of the shorter in the
        //    longer, in order ("Nkalora Port" for "Nkalora Deepwater Port").
        let mut partial: BTreeMap<usize, String> = BTreeMap::new();
        for n in names {
            let drafted: Vec<String> = words(&normal_form(n)).map(str::to_owned).collect();
            if drafted.len() < 2 {
                continue;
            }
            for (i, t) in self.things.iter().enumerate() {
                if !category_fits(t) {
                    continue;
                }
                if kind.is_some_and(|k| !self.kinds_fit(k, &t.kind)) {
                    continue;
                }
                for known_name in t.names() {
                    let known: Vec<String> =
                        words(&normal_form(known_name)).map(str::to_owned).collect();
                    if known.len() < 2 || known == drafted {
                        continue;
                    }
                    let (short, long) = if drafted.len() < known.len() {
                        (&drafted, &known)
                    } else {
                        (&known, &drafted)
                    };
                    let telling = short
                        .iter()
                        .filter(|w| !GENERIC.contains(&w.as_str()))
                        .count();
                    let suffix = long.ends_with(short) && telling >= 2;
                    let ends = short.first() == long.first()
                        && short.last() == long.last()
                        && is_subsequence(short, long)
                        && telling >= 1;
                    if suffix || ends {
                        partial.entry(i).or_insert_with(|| {
                            format!(
                                "{n:?} is a {} form of {known_name:?}, the name of {:?} in {}",
                                if drafted.len() < known.len() {
                                    "shorter"
                                } else {
                                    "longer"
                                },
                                t.id,
                                t.file
                            )
                        });
                    }
                }
            }
        }
        match partial.len() {
            0 => Link::New,
            1 => {
                let (index, reason) = partial.into_iter().next().expect("one");
                Link::Sure { index, reason }
            }
            _ => Link::Unsure {
                candidates: partial.into_keys().collect(),
            },
        }
    }

    /// The known agreement set a drafted one is: same signatory, a kind that fits, and a word
    /// of its name (other than "documents", "agreements" …) in the drafted sentence.
    pub fn link_agreement(&self, kind: &str, signatory: Option<&str>, context: &str) -> Link {
        let context: BTreeSet<String> = content_words(context).collect();
        let mut scored: Vec<(usize, usize)> = Vec::new();
        for (i, t) in self.things.iter().enumerate() {
            if t.category != Shared::Agreement {
                continue;
            }
            if signatory.is_some_and(|s| t.country.as_deref() != Some(s)) {
                continue;
            }
            let kind_fits = self.kinds_fit(kind, &t.kind) || matches!(kind, "agreement-set");
            if !kind_fits {
                continue;
            }
            let overlap = t
                .names()
                .flat_map(content_words)
                .filter(|w| !GENERIC.contains(&w.as_str()) && context.contains(w))
                .collect::<BTreeSet<_>>()
                .len();
            if overlap > 0 {
                scored.push((overlap, i));
            }
        }
        scored.sort_by(|a, b| b.cmp(a));
        match scored.as_slice() {
            [] => Link::New,
            [(_, i)] => Link::Sure {
                index: *i,
                reason: self.agreement_reason(*i),
            },
            [(a, i), (b, _), ..] if a > b => Link::Sure {
                index: *i,
                reason: self.agreement_reason(*i),
            },
            many => Link::Unsure {
                candidates: many.iter().map(|(_, i)| *i).collect(),
            },
        }
    }

    fn agreement_reason(&self, i: usize) -> String {
        let t = &self.things[i];
        format!(
            "signed by {} and named like {:?} ({:?} in {})",
            t.country.as_deref().unwrap_or("?"),
            t.name.as_deref().unwrap_or_default(),
            t.id,
            t.file
        )
    }

    /// What a figure in `unit` (a currency code, a unit, or "" for a count) measures: money,
    /// a count, or the unit's quantity kind (a unit the reference data does not know: itself).
    fn quantity(&self, unit: &str) -> String {
        if unit.is_empty() {
            "count".to_owned()
        } else if unit.len() == 3 && unit.bytes().all(|b| b.is_ascii_uppercase()) {
            "money".to_owned()
        } else {
            self.vocabulary
                .unit(unit)
                .and_then(|u| self.unit_kinds.get(u.iri.as_str()))
                .cloned()
                .unwrap_or_else(|| unit.to_owned())
        }
    }

    /// A text's content words in the forms measures are compared in.
    fn measure_words_of(&self, text: &str) -> BTreeSet<String> {
        content_words(text)
            .map(|w| {
                let w = self.measure_words.get(&w).cloned().unwrap_or(w);
                verb_stem(&w)
            })
            .collect()
    }

    /// The known measure a drafted figure is of: among the measures already used for the
    /// same thing, then among all, one of the figure's kind of quantity (money, a count, a
    /// length …) whose label's words stand in its sentence (`context`); or, for the same
    /// thing, the only one of that kind of quantity (not money or a count, which most figures
    /// are). The reason, or the candidates when several fit alike.
    pub fn link_measure(&self, about: &str, unit: &str, context: &str) -> MeasureLink {
        let context = self.measure_words_of(context);
        let quantity = self.quantity(unit);
        let fits = |m: &KnownMeasure| {
            m.units
                .iter()
                .chain(&m.unit)
                .any(|u| self.quantity(u) == quantity)
        };
        let same_thing: Vec<&KnownMeasure> = self
            .measures
            .values()
            .filter(|m| m.about.contains(about) && fits(m))
            .collect();
        let elsewhere: Vec<&KnownMeasure> = self
            .measures
            .values()
            .filter(|m| !m.about.contains(about) && fits(m))
            .collect();
        for (scope, candidates, needed) in [
            ("used for the same thing", &same_thing, 50),
            ("used elsewhere", &elsewhere, 100),
        ] {
            let mut scored: Vec<(u32, &KnownMeasure)> = candidates
                .iter()
                .filter_map(|m| {
                    let best = std::iter::once(&m.label)
                        .chain(&m.alt_labels)
                        .map(|l| {
                            let words = self.measure_words_of(l);
                            if words.is_empty() {
                                return 0;
                            }
                            let found = words.iter().filter(|w| context.contains(*w)).count();
                            (100 * found / words.len()) as u32
                        })
                        .max()
                        .unwrap_or(0);
                    (best >= needed).then_some((best, *m))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
            match scored.as_slice() {
                [] => {}
                [(best, m), rest @ ..] if rest.first().is_none_or(|r| r.0 < *best) => {
                    return MeasureLink::Sure {
                        id: m.id.clone(),
                        reason: format!(
                            "the words of its label {:?} stand by the figure, in {quantity}; a measure {scope} in {}",
                            m.label, m.file
                        ),
                    };
                }
                [(best, _), ..] => {
                    return MeasureLink::Unsure {
                        candidates: scored
                            .iter()
                            .take_while(|(s, _)| s == best)
                            .map(|(_, m)| m.id.clone())
                            .collect(),
                    };
                }
            }
        }
        if let [only] = same_thing.as_slice() {
            if quantity != "money" && quantity != "count" {
                return MeasureLink::Sure {
                    id: only.id.clone(),
                    reason: format!(
                        "the only measure in {quantity} used for the same thing ({:?}, in {})",
                        only.label, only.file
                    ),
                };
            }
        }
        MeasureLink::New
    }

    /// The known measure with this id.
    pub fn measure(&self, id: &str) -> Option<&KnownMeasure> {
        self.measures.get(id)
    }
}

/// What a drafted figure's measure is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeasureLink {
    Sure { id: String, reason: String },
    Unsure { candidates: Vec<String> },
    New,
}

/// The byte ranges of a text's words (runs of letters and digits; a possessive "'s" is not a
/// word of its own).
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    // "cascade's": drop the "s" after an apostrophe.
    out.retain(|&(a, b)| {
        let apostrophe = text[..a].ends_with('\'') || text[..a].ends_with('’');
        !(apostrophe && &text[a..b] == "s")
    });
    out
}

/// The words of a name in normal form.
fn words_of(name: &str) -> Vec<String> {
    words(&normal_form(name)).map(str::to_owned).collect()
}

fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|w| it.any(|l| l == w))
}

/// Small words that say nothing of what is measured.
const STOP: &[&str] = &[
    "the", "a", "an", "of", "in", "on", "at", "to", "by", "for", "and", "or", "with", "from", "as",
    "its", "it", "their", "this", "that", "is", "was", "were", "be", "been", "has", "had", "have",
    "than", "more", "less", "about", "some", "per", "each", "all", "up", "out", "over",
];

/// The content words of a text, lowercase and without a plural "s".
pub fn content_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w: String = w
                .chars()
                .map(crate::matching::fold_accent)
                .collect::<String>();
            stem(&w.to_lowercase())
        })
        .filter(|w| !STOP.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
}

/// A word without a verb ending ("delivered" → "deliver", "handling" → "handl"): the same
/// cut for a label's words and a sentence's, so forms of one verb meet.
fn verb_stem(word: &str) -> String {
    for ending in ["ing", "ed"] {
        if let Some(base) = word.strip_suffix(ending) {
            if base.len() >= 4 {
                return base.trim_end_matches('e').to_owned();
            }
        }
    }
    word.trim_end_matches('e').to_owned()
}

/// A word without its plural ending ("cities" → "city", "berths" → "berth").
fn stem(word: &str) -> String {
    if let Some(base) = word.strip_suffix("ies") {
        if base.len() >= 2 {
            return format!("{base}y");
        }
    }
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
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
