//! One pass of the rules over a document, sentence by sentence, in reading order.
//!
//! Every lookup a sentence makes into what the earlier ones found (a name seen before, an
//! entity by id, the other names given in brackets, the paragraph's last entity, the next free
//! id) is a hash lookup or an automaton over the sentence, never a walk over all that came
//! before: drafting time grows with the document's length, from a 3 KB article to a 2 MB
//! report.

use super::agreements::{agreement, SentenceCountry};
use super::byline::byline;
use super::events::{events, Agreements};
use super::ids::{significant, Ids};
use super::lexicon::Lexicon;
use super::link::{self, Known, Link};
use super::mentions::{head_word, AltNames, Mention, Sentence};
use super::observations::{add_observations, Pending};
use super::read::Document;
use super::text::{self, kebab, Quoter};
use super::{add_alt_name, dates, figures, names};
use super::{Draft, EntityDraft, Place, SectionDraft};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Drafts the data file of a document.
pub fn draft_document(
    source_name: &str,
    document: &Document,
    lexicon: &Lexicon,
    known: &Known,
) -> Draft {
    let mut d = Draft {
        source_name: source_name.to_owned(),
        title: document.title.clone(),
        ..Draft::default()
    };
    let (authors, modified) = byline(&document.byline);
    d.authors = authors;
    d.modified = modified;
    let year = d.modified.as_deref().map(|m| &m[..4]).unwrap_or("");
    d.id = kebab(&format!("{} {year}", significant(&document.title, 5)), 8);
    let mut drafter = Drafter {
        d,
        lexicon,
        known,
        // A new thing never takes the id of one the graph holds: that would make it that thing.
        ids: Ids::new(known.things.iter().map(|t| t.id.clone())),
        names_seen: HashMap::new(),
        alt_names: AltNames::default(),
        last_by_head: HashMap::new(),
        entity_index: HashMap::new(),
        pending: Vec::new(),
    };
    for (s, section) in document.sections.iter().enumerate() {
        let id = match &section.heading {
            None => "lead".to_owned(),
            Some(h) => {
                let words = significant(h, usize::MAX);
                let words: Vec<&str> = words.split(' ').collect();
                kebab(&words[words.len().saturating_sub(3)..].join(" "), 6)
            }
        };
        let id = drafter.ids.mint(id);
        drafter.d.sections.push(SectionDraft {
            id,
            heading: section.heading.clone(),
            paragraphs: section.paragraphs.len(),
        });
        for (p, paragraph_text) in section.paragraphs.iter().enumerate() {
            let place = Place {
                section: s,
                paragraph: p + 1,
            };
            let mut paragraph = Paragraph::default();
            for sentence in text::sentences(paragraph_text) {
                drafter.sentence(sentence, place, &mut paragraph);
            }
        }
    }
    drafter.finish()
}

/// What the earlier sentences of a paragraph leave to the later ones.
#[derive(Default)]
struct Paragraph {
    /// The last entity (not an organisation or country) named so far.
    facility: Option<String>,
    /// The last agreement set told of so far.
    agreement: Option<String>,
}

/// What the rules found so far in a document.
struct Drafter<'a> {
    d: Draft,
    lexicon: &'a Lexicon,
    known: &'a Known,
    ids: Ids,
    /// Names seen (lowercase) → the entity they name.
    names_seen: HashMap<String, usize>,
    /// Other names given in brackets, ASCII lowercase, with their entity.
    alt_names: AltNames,
    /// The last entity named with each head word ("port" → the Nkalora Deepwater Port).
    last_by_head: HashMap<String, usize>,
    /// Entity id → its index in the draft's entities.
    entity_index: HashMap<String, usize>,
    pending: Vec<Pending<'a>>,
}

impl<'a> Drafter<'a> {
    fn sentence(&mut self, sentence: &'a str, place: Place, paragraph: &mut Paragraph) {
        let (lexicon, known) = (self.lexicon, self.known);
        let tokens = text::tokens(sentence);
        let dates = dates::dates(&tokens);
        let figures = figures::figures(sentence, &tokens, &dates, lexicon);
        let found_names = names::names(&tokens, lexicon);
        let quoter = Quoter::new(sentence);
        let mut mentions: Vec<Mention> = Vec::new();
        for n in &found_names {
            let index = self.entity_named(n, place);
            let facility = self.d.entities[index].kind.is_some();
            if facility {
                self.last_by_head
                    .insert(head_word(&self.d.entities[index].name), index);
            }
            mentions.push(Mention {
                target: self.d.entities[index].id.clone(),
                start: tokens[n.first].start,
                country: false,
                facility,
            });
        }
        // Which tokens a name covers, marked once.
        let mut in_name = vec![false; tokens.len()];
        for n in &found_names {
            let end = (n.last + 1).min(in_name.len());
            if n.first < end {
                in_name[n.first..end].fill(true);
            }
        }
        // "the port", "its railway": the last entity named with that word.
        for (k, t) in tokens.iter().enumerate().skip(1) {
            let determiner = tokens[k - 1].text.to_lowercase();
            if !matches!(determiner.as_str(), "the" | "its" | "this") || !t.is_word() {
                continue;
            }
            if let Some(index) = self.last_by_head.get(&t.text.to_lowercase()) {
                if !in_name[k] {
                    mentions.push(Mention {
                        target: self.d.entities[*index].id.clone(),
                        start: tokens[k - 1].start,
                        country: false,
                        facility: true,
                    });
                }
            }
        }
        // Alternative names used alone ("The CR Express has …").
        if !self.alt_names.is_empty() {
            // ASCII lowercase keeps byte offsets.
            let lower = sentence.to_ascii_lowercase();
            let found = self.alt_names.found_in(&lower);
            // Where the mentions so far start, to ask which start shortly before a place.
            let mut starts: BTreeSet<usize> = BTreeSet::new();
            if !found.is_empty() {
                starts.extend(mentions.iter().map(|m| m.start));
            }
            for (position, occurrences) in found {
                let (key, index) = &self.alt_names.names[position];
                for start in occurrences {
                    // A mention starting less than this far before it holds it.
                    let reach = self.d.entities[*index].name.len() + key.len() + 3;
                    let inside_name = starts
                        .range((start + 1).saturating_sub(reach)..=start)
                        .next()
                        .is_some();
                    if !inside_name {
                        starts.insert(start);
                        mentions.push(Mention {
                            target: self.d.entities[*index].id.clone(),
                            start,
                            country: false,
                            facility: self.d.entities[*index].kind.is_some(),
                        });
                    }
                }
            }
        }
        // Things the graph holds, named as it names them ("CR Express"), where the rules
        // found no name.
        let mut named: Vec<(link::Named, Option<String>)> = known
            .named_in(sentence)
            .into_iter()
            .map(|n| (n, None))
            .collect();
        named.extend(
            known
                .forms_in(sentence)
                .into_iter()
                .map(|(n, of)| (n, Some(of))),
        );
        let name_spans = Spans::new(
            found_names
                .iter()
                .map(|n| (tokens[n.first].start, tokens[n.last].end()))
                .collect(),
        );
        // The spans taken so far, none overlapping another: start → end.
        let mut taken_spans: BTreeMap<usize, usize> = BTreeMap::new();
        for (named, form_of) in named {
            let inside = name_spans.holds(named.start)
                || taken_spans
                    .range(..named.end)
                    .next_back()
                    .is_some_and(|(_, b)| named.start < *b);
            if inside {
                continue;
            }
            taken_spans.insert(named.start, named.end);
            let words = &sentence[named.start..named.end];
            let thing = &known.things[named.index];
            let reason = match &form_of {
                None => format!(
                    "the text names it {words:?}, a name of {:?} in {}",
                    thing.id, thing.file
                ),
                Some(of) => format!(
                    "the text names it {words:?}, a form of {of:?}, a name of {:?} in {}",
                    thing.id, thing.file
                ),
            };
            let i = self.linked_entity(named.index, place, &reason);
            add_alt_name(&mut self.d.entities[i], words);
            let facility = self.d.entities[i].kind.is_some();
            if facility {
                self.last_by_head
                    .insert(head_word(&self.d.entities[i].name), i);
            }
            mentions.push(Mention {
                target: self.d.entities[i].id.clone(),
                start: named.start,
                country: false,
                facility,
            });
        }
        // Countries.
        let mut sentence_countries: Vec<SentenceCountry> = Vec::new();
        for (found, unsure) in lexicon.countries_in(sentence) {
            // "China" in "China Railway Express" is part of a name.
            let demonym = lexicon.is_demonym(&sentence[found.start..found.end])
                || name_spans.contain(found.start, found.end);
            if unsure {
                self.d
                    .unsure_countries
                    .entry(found.code.clone())
                    .or_insert_with(|| quoter.quote(found.start, found.end, 4));
            } else {
                self.d.countries.insert(found.code.clone());
            }
            sentence_countries.push((found.code.clone(), found.start, demonym));
            if !demonym && !unsure {
                mentions.push(Mention {
                    target: found.code.clone(),
                    start: found.start,
                    country: true,
                    facility: false,
                });
            }
        }
        mentions.sort_by_key(|m| m.start);
        // Where entities are: a country named in the same sentence as a facility.
        // (Each entity and each country once: a list may name hundreds of both.)
        let codes: BTreeSet<&String> = sentence_countries
            .iter()
            .filter(|(_, _, demonym)| !demonym)
            .map(|(code, ..)| code)
            .collect();
        if !codes.is_empty() {
            let located: BTreeSet<usize> = mentions
                .iter()
                .filter(|m| !m.country)
                .filter_map(|m| self.entity_index.get(&m.target).copied())
                .collect();
            for i in located {
                let e = &mut self.d.entities[i];
                if e.kind.is_some() && e.place == place {
                    e.countries.extend(codes.iter().map(|c| (*c).clone()));
                }
            }
        }

        // Agreements: "signed 107 documents with … in 65 countries, including …".
        let lower_words: Vec<String> = tokens.iter().map(|t| t.text.to_lowercase()).collect();
        let mut agreement_here: Option<(String, usize)> = None;
        if let Some((a, signed)) = agreement(
            sentence,
            &tokens,
            &lower_words,
            &sentence_countries,
            lexicon,
            known,
            &mut self.ids,
            place,
        ) {
            agreement_here = Some((a.id.clone(), signed));
            paragraph.agreement = Some(a.id.clone());
            self.d.agreements.push(a);
        }

        // Figures, each about the nearest thing named before it.
        let in_order = Sentence::new(sentence, &mentions);
        for figure in figures {
            let start = tokens[figure.first].start;
            let about = match &agreement_here {
                Some((id, signed)) if figure.first > *signed => Some(id.clone()),
                _ => in_order.about_figure(paragraph.facility.as_deref(), start),
            };
            let q = quoter.quote(start, tokens[figure.last].end(), 7);
            let label = figure
                .measure
                .clone()
                .unwrap_or_else(|| "figure".to_owned());
            self.pending.push(Pending {
                figure,
                about,
                place,
                label,
                quote: q,
                sentence,
            });
        }

        // Events: a phrase of the rules and the nearest date in the same sentence.
        let agreements = Agreements {
            here: agreement_here.as_ref(),
            paragraph: paragraph.agreement.as_ref(),
        };
        let found = events(
            &quoter,
            &tokens,
            &dates,
            &lower_words,
            &in_order,
            agreements,
            lexicon,
            place,
        );
        self.d.events.extend(found);
        if let Some(m) = mentions.iter().rev().find(|m| m.facility) {
            paragraph.facility = Some(m.target.clone());
        }
    }

    /// The entity a name the rules found stands for: the one named so before, else a thing
    /// the graph holds, else a new one.
    fn entity_named(&mut self, n: &names::Name, place: Place) -> usize {
        let key = n.text.to_lowercase();
        if let Some(&i) = self.names_seen.get(&key) {
            return i;
        }
        let known = self.known;
        let mut names: Vec<&str> = vec![n.text.as_str()];
        names.extend(n.alt.as_deref());
        let i = match known.link_thing(&names, n.kind.as_deref()) {
            Link::Sure { index, reason } => {
                let i = self.linked_entity(index, place, &reason);
                for name in &names {
                    add_alt_name(&mut self.d.entities[i], name);
                }
                i
            }
            link => {
                let id = self.ids.mint(kebab(&n.text, 6));
                self.push_entity(EntityDraft {
                    id,
                    kind: n.kind.clone(),
                    name: n.text.clone(),
                    alt_names: n.alt.iter().cloned().collect(),
                    countries: BTreeSet::new(),
                    place,
                    link: None,
                    candidates: match link {
                        Link::Unsure { candidates } => candidates
                            .into_iter()
                            .map(|c| known.things[c].id.clone())
                            .collect(),
                        _ => Vec::new(),
                    },
                })
            }
        };
        self.names_seen.insert(key, i);
        if let Some(alt) = &n.alt {
            self.names_seen.insert(alt.to_lowercase(), i);
            self.alt_names.push(alt.to_ascii_lowercase(), i);
        }
        i
    }

    /// The draft entity for the known thing `index`, made (with the graph's id, kind and name)
    /// the first time the article names it.
    fn linked_entity(&mut self, index: usize, place: Place, reason: &str) -> usize {
        let thing = &self.known.things[index];
        if let Some(&i) = self.entity_index.get(&thing.id) {
            return i;
        }
        if thing.category == crate::iris::Shared::Organization {
            self.d.known_organizations.insert(
                thing.id.clone(),
                (thing.kind.clone(), thing.country.clone()),
            );
        }
        self.push_entity(EntityDraft {
            id: thing.id.clone(),
            kind: match thing.category {
                crate::iris::Shared::Organization => None,
                _ => Some(thing.kind.clone()),
            },
            name: thing.name.clone().unwrap_or_default(),
            alt_names: Vec::new(),
            countries: BTreeSet::new(),
            place,
            link: Some(reason.to_owned()),
            candidates: Vec::new(),
        })
    }

    /// Adds an entity (its id is new to the draft: the graph's own, or one just minted).
    fn push_entity(&mut self, e: EntityDraft) -> usize {
        let i = self.d.entities.len();
        self.entity_index.entry(e.id.clone()).or_insert(i);
        self.d.entities.push(e);
        i
    }

    /// The main entity, the figures' observations and the events' ids, once every sentence
    /// is read.
    fn finish(mut self) -> Draft {
        let d = &mut self.d;
        // The main entity: the first one named in the title, else the first one named.
        let title = d.title.to_lowercase();
        d.main = d
            .entities
            .iter()
            .filter(|e| e.kind.is_some())
            .find(|e| title.contains(&e.name.to_lowercase()))
            .or_else(|| d.entities.iter().find(|e| e.kind.is_some()))
            .map(|e| e.id.clone());
        let fallback = d
            .main
            .clone()
            .or_else(|| d.countries.iter().next().cloned());
        add_observations(
            d,
            std::mem::take(&mut self.pending),
            fallback.as_ref(),
            self.known,
            self.lexicon,
            &mut self.ids,
        );
        for e in &mut d.events {
            if e.subject.is_empty() {
                e.subject = fallback.clone().unwrap_or_default();
            }
            e.id = self
                .ids
                .mint(format!("{}-{}", e.subject.to_lowercase(), e.kind));
        }
        d.events.retain(|e| !e.subject.is_empty());
        self.d
    }
}

/// The byte spans of a sentence's names, to ask whether a place is inside one. Names are found
/// left to right, none overlapping the next, so the one span to check is found by binary
/// search; were they not, every span is checked.
struct Spans {
    spans: Vec<(usize, usize)>,
    ordered: bool,
}

impl Spans {
    fn new(spans: Vec<(usize, usize)>) -> Self {
        let ordered = spans.windows(2).all(|w| w[0].1 <= w[1].0);
        Spans { spans, ordered }
    }

    /// The span starting last at or before `at`, if the spans are ordered.
    fn before(&self, at: usize) -> Option<&(usize, usize)> {
        let i = self.spans.partition_point(|(a, _)| *a <= at);
        i.checked_sub(1).map(|i| &self.spans[i])
    }

    /// Whether byte `at` is inside a span.
    fn holds(&self, at: usize) -> bool {
        if self.ordered {
            self.before(at).is_some_and(|(_, b)| at < *b)
        } else {
            self.spans.iter().any(|(a, b)| *a <= at && at < *b)
        }
    }

    /// Whether `start..end` is within a span.
    fn contain(&self, start: usize, end: usize) -> bool {
        if self.ordered {
            self.before(start).is_some_and(|(_, b)| end <= *b)
        } else {
            self.spans.iter().any(|(a, b)| *a <= start && end <= *b)
        }
    }
}
