//! `brikg draft`: from an article's text to a data file a curator only has to review.
//!
//! Rules, not a model: the article is read into sections and paragraphs ([`read`]), each
//! paragraph into sentences and tokens ([`text`]); in each sentence the drafter finds dates
//! ([`dates`]), figures ([`figures`]), names ([`names`]) and countries ([`lexicon`]), then
//! proposes facts with their `source`. What a rule cannot settle (an event type brikg does not
//! know, an agreement without a signatory, a country word that may be a person's name) is
//! written as a commented-out proposal, so the draft always builds. The draft is written by
//! [`write`]; [`score`] compares a draft with a curated file.

pub mod dates;
pub mod figures;
pub mod lexicon;
pub mod link;
pub mod names;
pub mod read;
pub mod score;
pub mod text;
pub mod write;

use self::figures::Figure;
use self::lexicon::Lexicon;
use self::link::{Known, Link, MeasureLink};
use self::read::{Document, Layout};
use self::text::{kebab, quote};
use std::collections::{BTreeMap, BTreeSet};

/// Where a proposed fact stands: section index (0-based) and paragraph (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub section: usize,
    pub paragraph: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionDraft {
    pub id: String,
    pub heading: Option<String>,
    pub paragraphs: usize,
}

/// A named thing: an entity, or an organisation when `kind` is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDraft {
    pub id: String,
    pub kind: Option<String>,
    pub name: String,
    pub alt_names: Vec<String>,
    pub countries: BTreeSet<String>,
    pub place: Place,
    /// Why it is a thing the graph already holds (its id, kind and name are then the graph's).
    pub link: Option<String>,
    /// Known things it might be, for a curator to choose (it is left new).
    pub candidates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservationDraft {
    pub id: String,
    pub figure: Figure,
    /// An entity, organisation or agreement id, or a country code.
    pub about: String,
    pub measure: String,
    pub place: Place,
    /// The few words it was found in.
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDraft {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub date: String,
    pub place: Place,
    pub quote: String,
    /// Whether brikg knows the event type; if not, the event is a commented-out proposal.
    pub known: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementDraft {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub signatory: Option<String>,
    /// Why it is a set the graph already holds.
    pub link: Option<String>,
    /// Known sets it might be.
    pub candidates: Vec<String>,
    pub counterparties: Vec<String>,
    /// `examples` ("including …"), `complete` or `none`.
    pub listed: &'static str,
    pub place: Place,
    pub quote: String,
}

/// A draft data file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub source_name: String,
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub modified: Option<String>,
    pub sections: Vec<SectionDraft>,
    pub entities: Vec<EntityDraft>,
    pub agreements: Vec<AgreementDraft>,
    /// Measure id → label.
    pub measures: BTreeMap<String, String>,
    /// Measure id → why it is a measure the graph already holds.
    pub measure_links: BTreeMap<String, String>,
    /// Measure id → known measures it might be, for a curator to choose.
    pub measure_candidates: BTreeMap<String, Vec<String>>,
    /// Linked organisation id → its kind and country in the graph.
    pub known_organizations: BTreeMap<String, (String, Option<String>)>,
    pub observations: Vec<ObservationDraft>,
    pub events: Vec<EventDraft>,
    /// Every country the article names, by alpha-2 code.
    pub countries: BTreeSet<String>,
    /// Country words the rules could not settle ("Jordan"), with the words around them.
    pub unsure_countries: BTreeMap<String, String>,
    /// The main entity: what figures without a nearer subject are about.
    pub main: Option<String>,
}

/// A name mention in the text, for choosing what a figure or event is about.
#[derive(Debug, Clone)]
struct Mention {
    /// Entity id, agreement id or country code.
    target: String,
    start: usize,
    country: bool,
    /// An entity (a port, a railway), not an organisation, agreement or country.
    facility: bool,
}

/// Drafts the data file of an article saved as `name` (the extension tells the layout), with
/// nothing to link to.
pub fn draft(name: &str, text: &str, lexicon: &Lexicon) -> Draft {
    draft_linked(name, text, lexicon, &Known::default())
}

/// Drafts the data file of an article, linking what it names to what `known` holds.
pub fn draft_linked(name: &str, text: &str, lexicon: &Lexicon, known: &Known) -> Draft {
    let document = read::read(text, Layout::guess(name, text));
    draft_document(name, &document, lexicon, known)
}

fn unique(id: String, taken: &mut BTreeSet<String>) -> String {
    let base = if id.is_empty() { "item".to_owned() } else { id };
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

const AGREEMENT_NOUNS: &[&str] = &[
    "documents",
    "agreements",
    "memorandums",
    "memoranda",
    "mous",
    "deals",
    "contracts",
    "treaties",
    "accords",
];

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
    // A new thing never takes the id of one the graph holds: that would make it that thing.
    let mut ids: BTreeSet<String> = known.things.iter().map(|t| t.id.clone()).collect();
    let mut names_seen: BTreeMap<String, usize> = BTreeMap::new();
    // Other names given in brackets, ASCII lowercase, with their entity.
    let mut alt_names: Vec<(String, usize)> = Vec::new();
    // The last entity named with each head word ("port" → the Nkalora Deepwater Port).
    let mut last_by_head: BTreeMap<String, usize> = BTreeMap::new();
    let mut pending_observations: Vec<(Figure, Option<String>, Place, String, String, String)> =
        Vec::new();

    for (s, section) in document.sections.iter().enumerate() {
        let id = match &section.heading {
            None => "lead".to_owned(),
            Some(h) => {
                let words = significant(h, usize::MAX);
                let words: Vec<&str> = words.split(' ').collect();
                kebab(&words[words.len().saturating_sub(3)..].join(" "), 6)
            }
        };
        d.sections.push(SectionDraft {
            id: unique(id, &mut ids),
            heading: section.heading.clone(),
            paragraphs: section.paragraphs.len(),
        });
        for (p, paragraph) in section.paragraphs.iter().enumerate() {
            let place = Place {
                section: s,
                paragraph: p + 1,
            };
            let mut paragraph_mentions: Vec<Mention> = Vec::new();
            let mut paragraph_agreement: Option<String> = None;
            for sentence in text::sentences(paragraph) {
                let tokens = text::tokens(sentence);
                let dates = dates::dates(&tokens);
                let figures = figures::figures(sentence, &tokens, &dates, lexicon);
                let found_names = names::names(&tokens, lexicon);
                let mut mentions: Vec<Mention> = Vec::new();
                for n in &found_names {
                    let key = n.text.to_lowercase();
                    let index = match names_seen.get(&key) {
                        Some(i) => *i,
                        None => {
                            let mut names: Vec<&str> = vec![n.text.as_str()];
                            names.extend(n.alt.as_deref());
                            let i = match known.link_thing(&names, n.kind.as_deref()) {
                                Link::Sure { index, reason } => {
                                    let i = linked_entity(&mut d, known, index, place, &reason);
                                    for name in &names {
                                        add_alt_name(&mut d.entities[i], name);
                                    }
                                    i
                                }
                                link => {
                                    let id = unique(kebab(&n.text, 6), &mut ids);
                                    d.entities.push(EntityDraft {
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
                                    });
                                    d.entities.len() - 1
                                }
                            };
                            names_seen.insert(key, i);
                            if let Some(alt) = &n.alt {
                                names_seen.insert(alt.to_lowercase(), i);
                                alt_names.push((alt.to_ascii_lowercase(), i));
                            }
                            i
                        }
                    };
                    let facility = d.entities[index].kind.is_some();
                    if facility {
                        last_by_head.insert(head_word(&d.entities[index].name), index);
                    }
                    mentions.push(Mention {
                        target: d.entities[index].id.clone(),
                        start: tokens[n.first].start,
                        country: false,
                        facility,
                    });
                }
                // "the port", "its railway": the last entity named with that word.
                for (k, t) in tokens.iter().enumerate().skip(1) {
                    let determiner = tokens[k - 1].text.to_lowercase();
                    if !matches!(determiner.as_str(), "the" | "its" | "this") || !t.is_word() {
                        continue;
                    }
                    if let Some(index) = last_by_head.get(&t.text.to_lowercase()) {
                        let inside = found_names.iter().any(|n| n.first <= k && k <= n.last);
                        if !inside {
                            mentions.push(Mention {
                                target: d.entities[*index].id.clone(),
                                start: tokens[k - 1].start,
                                country: false,
                                facility: true,
                            });
                        }
                    }
                }
                // Alternative names used alone ("The CR Express has …").
                if !alt_names.is_empty() {
                    // ASCII lowercase keeps byte offsets.
                    let lower = sentence.to_ascii_lowercase();
                    for (key, index) in &alt_names {
                        let mut from = 0;
                        while let Some(at) = lower[from..].find(key.as_str()) {
                            let start = from + at;
                            let inside_name = mentions.iter().any(|m| {
                                m.start <= start
                                    && start
                                        < m.start + d.entities[*index].name.len() + key.len() + 3
                            });
                            if !inside_name {
                                mentions.push(Mention {
                                    target: d.entities[*index].id.clone(),
                                    start,
                                    country: false,
                                    facility: d.entities[*index].kind.is_some(),
                                });
                            }
                            from = start + key.len();
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
                let mut taken_spans: Vec<(usize, usize)> = Vec::new();
                for (named, form_of) in named {
                    let inside = found_names.iter().any(|n| {
                        tokens[n.first].start <= named.start && named.start < tokens[n.last].end()
                    }) || taken_spans
                        .iter()
                        .any(|(a, b)| *a < named.end && named.start < *b);
                    if inside {
                        continue;
                    }
                    taken_spans.push((named.start, named.end));
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
                    let i = linked_entity(&mut d, known, named.index, place, &reason);
                    add_alt_name(&mut d.entities[i], words);
                    let facility = d.entities[i].kind.is_some();
                    if facility {
                        last_by_head.insert(head_word(&d.entities[i].name), i);
                    }
                    mentions.push(Mention {
                        target: d.entities[i].id.clone(),
                        start: named.start,
                        country: false,
                        facility,
                    });
                }
                // Countries.
                let mut sentence_countries: Vec<(String, usize, bool)> = Vec::new();
                let name_spans: Vec<(usize, usize)> = found_names
                    .iter()
                    .map(|n| (tokens[n.first].start, tokens[n.last].end()))
                    .collect();
                for (found, unsure) in lexicon.countries_in(sentence) {
                    // "China" in "China Railway Express" is part of a name.
                    let demonym = lexicon.is_demonym(&sentence[found.start..found.end])
                        || name_spans
                            .iter()
                            .any(|(a, b)| *a <= found.start && found.end <= *b);
                    if unsure {
                        d.unsure_countries
                            .entry(found.code.clone())
                            .or_insert_with(|| quote(sentence, found.start, found.end, 4));
                    } else {
                        d.countries.insert(found.code.clone());
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
                for m in mentions.iter().filter(|m| !m.country) {
                    if let Some(e) = d.entities.iter_mut().find(|e| e.id == m.target) {
                        if e.kind.is_some() && e.place == place {
                            for (code, _, demonym) in &sentence_countries {
                                if !demonym {
                                    e.countries.insert(code.clone());
                                }
                            }
                        }
                    }
                }

                // Agreements: "signed 107 documents with … in 65 countries, including …".
                let lower_words: Vec<String> =
                    tokens.iter().map(|t| t.text.to_lowercase()).collect();
                let mut agreement_here: Option<(String, usize)> = None;
                if let Some(signed) = lower_words.iter().position(|w| w == "signed") {
                    let noun = (signed + 1..(signed + 4).min(tokens.len()))
                        .find(|j| AGREEMENT_NOUNS.contains(&lower_words[*j].as_str()));
                    if let Some(noun) = noun {
                        let mut name_end = noun;
                        if lower_words.get(noun + 1).is_some_and(|w| w == "of")
                            && tokens.get(noun + 2).is_some_and(|t| t.is_word())
                        {
                            name_end = noun + 2;
                        }
                        let name = tokens[noun..=name_end]
                            .iter()
                            .map(|t| t.text)
                            .collect::<Vec<_>>()
                            .join(" ");
                        let signed_at = tokens[signed].start;
                        let signatory = sentence_countries
                            .iter()
                            .filter(|(_, start, _)| *start < signed_at)
                            .map(|(c, _, _)| c.clone())
                            .next_back();
                        let mut counterparties: Vec<String> = Vec::new();
                        for (code, start, demonym) in &sentence_countries {
                            if *start > signed_at
                                && !demonym
                                && Some(code) != signatory.as_ref()
                                && !counterparties.contains(code)
                            {
                                counterparties.push(code.clone());
                            }
                        }
                        let examples = ["including", "such as", "among them"]
                            .iter()
                            .any(|w| sentence[signed_at..].contains(w));
                        let kind = if name.to_lowercase().starts_with("memorand")
                            || name.to_lowercase().starts_with("mou")
                        {
                            "memorandums-of-understanding"
                        } else {
                            "agreement-set"
                        };
                        let kind = if lexicon.agreement_kinds.iter().any(|k| k == kind) {
                            kind
                        } else {
                            lexicon
                                .agreement_kinds
                                .first()
                                .map_or("agreement-set", String::as_str)
                        };
                        let (id, kind, name, signatory, link, candidates) =
                            match known.link_agreement(kind, signatory.as_deref(), sentence) {
                                Link::Sure { index, reason } => {
                                    let t = &known.things[index];
                                    (
                                        t.id.clone(),
                                        t.kind.clone(),
                                        t.name.clone().unwrap_or(name),
                                        t.country.clone().or(signatory),
                                        Some(reason),
                                        Vec::new(),
                                    )
                                }
                                link => {
                                    let mut id = kebab(&name, 5);
                                    if is_vague(&id) {
                                        // "documents": say with whom, or by whom.
                                        let with = sentence[tokens[name_end].end()..]
                                            .split_once(" with ")
                                            .map(|(_, rest)| significant(rest, 3))
                                            .unwrap_or_default();
                                        let by = signatory
                                            .as_deref()
                                            .and_then(|c| lexicon.country_name(c))
                                            .unwrap_or_default();
                                        let context = if with.is_empty() { by } else { with };
                                        id = kebab(&format!("{name} {context}"), 6);
                                    }
                                    let candidates = match link {
                                        Link::Unsure { candidates } => candidates
                                            .into_iter()
                                            .map(|c| known.things[c].id.clone())
                                            .collect(),
                                        _ => Vec::new(),
                                    };
                                    (
                                        unique(id, &mut ids),
                                        kind.to_owned(),
                                        name.clone(),
                                        signatory,
                                        None,
                                        candidates,
                                    )
                                }
                            };
                        d.agreements.push(AgreementDraft {
                            id: id.clone(),
                            kind,
                            name: name.clone(),
                            signatory,
                            link,
                            candidates,
                            listed: if counterparties.is_empty() {
                                "none"
                            } else if examples {
                                "examples"
                            } else {
                                "complete"
                            },
                            counterparties,
                            place,
                            quote: quote(sentence, tokens[signed].start, tokens[name_end].end(), 6),
                        });
                        agreement_here = Some((id.clone(), signed));
                        paragraph_agreement = Some(id);
                    }
                }

                // Figures, each about the nearest thing named before it.
                for figure in figures {
                    let start = tokens[figure.first].start;
                    let about = match &agreement_here {
                        Some((id, signed)) if figure.first > *signed => Some(id.clone()),
                        _ => about_figure(sentence, &mentions, &paragraph_mentions, start),
                    };
                    let q = quote(sentence, start, tokens[figure.last].end(), 7);
                    let label = figure
                        .measure
                        .clone()
                        .unwrap_or_else(|| "figure".to_owned());
                    pending_observations.push((
                        figure,
                        about,
                        place,
                        label,
                        q,
                        sentence.to_owned(),
                    ));
                }

                // Events: a phrase of the rules and the nearest date in the same sentence; one
                // sentence may tell several ("opened on …, and a spur was finished in …").
                let mut used_dates: Vec<usize> = Vec::new();
                for (kind, known, at) in event_phrases(&lower_words, lexicon) {
                    let date = dates
                        .iter()
                        .enumerate()
                        .filter(|(k, x)| {
                            x.date.is_some()
                                && x.period.is_none()
                                && !matches!(x.lead, dates::Lead::Since | dates::Lead::Until)
                                && !used_dates.contains(k)
                        })
                        .min_by_key(|(_, x)| x.first.abs_diff(at));
                    let Some((k, date)) = date else {
                        continue;
                    };
                    used_dates.push(k);
                    let at_byte = tokens[at].start;
                    let subject = if kind == "signing" {
                        agreement_here
                            .as_ref()
                            .map(|(id, _)| id.clone())
                            .or_else(|| paragraph_agreement.clone())
                    } else {
                        None
                    }
                    .or_else(|| {
                        mentions
                            .iter()
                            .filter(|m| !m.country && m.start < at_byte)
                            .map(|m| m.target.clone())
                            .next_back()
                    })
                    .or_else(|| {
                        mentions
                            .iter()
                            .find(|m| !m.country)
                            .map(|m| m.target.clone())
                    });
                    let q = quote(
                        sentence,
                        tokens[at].start.min(tokens[date.first].start),
                        tokens[at].end().max(tokens[date.last].end()),
                        8,
                    );
                    d.events.push(EventDraft {
                        id: String::new(),
                        kind,
                        subject: subject.unwrap_or_default(),
                        date: date.date.clone().unwrap_or_default(),
                        place,
                        quote: q,
                        known,
                    });
                }
                paragraph_mentions.extend(mentions);
            }
        }
    }

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

    let mut measure_ids: BTreeMap<(String, String), String> = BTreeMap::new();
    // Measures are keys of their own table: their ids may repeat an entity's; a new one never
    // takes the id of a measure the graph holds.
    let mut measure_taken: BTreeSet<String> = known.measures.keys().cloned().collect();
    for (figure, about, place, label, q, sentence) in pending_observations {
        let Some(about) = about.or_else(|| fallback.clone()) else {
            continue;
        };
        let unit = figure
            .currency
            .clone()
            .or_else(|| figure.unit.clone())
            .unwrap_or_default();
        let measure = match known.link_measure(&about, &unit, &sentence) {
            MeasureLink::Sure { id, reason } => {
                let m = known.measure(&id).expect("a known measure");
                d.measures.insert(id.clone(), m.label.clone());
                d.measure_links.entry(id.clone()).or_insert(reason);
                id
            }
            link => {
                // One new measure per label and unit; a label that says nothing ("figure")
                // takes the thing's name, so it is not shared with other articles' figures.
                let key = (label.clone(), unit.clone());
                match measure_ids.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let mut id = kebab(&label, 5);
                        if is_vague(&id) {
                            id = kebab(&format!("{about} {label}"), 7);
                        }
                        let id = unique(id, &mut measure_taken);
                        measure_ids.insert(key, id.clone());
                        d.measures.insert(id.clone(), label.clone());
                        if let MeasureLink::Unsure { candidates } = link {
                            d.measure_candidates.insert(id.clone(), candidates);
                        }
                        id
                    }
                }
            }
        };
        let short_about = about.split('-').take(3).collect::<Vec<_>>().join("-");
        let short_about = short_about.to_lowercase();
        let id = if measure.starts_with(&format!("{short_about}-")) {
            measure.clone()
        } else {
            format!("{short_about}-{measure}")
        };
        let id = unique(id, &mut ids);
        d.observations.push(ObservationDraft {
            id,
            figure,
            about,
            measure,
            place,
            quote: q,
        });
    }
    for e in &mut d.events {
        if e.subject.is_empty() {
            e.subject = fallback.clone().unwrap_or_default();
        }
        e.id = unique(format!("{}-{}", e.subject.to_lowercase(), e.kind), &mut ids);
    }
    d.events.retain(|e| !e.subject.is_empty());
    d
}

/// Links the new things and measures of a draft to those that the earlier drafts of its
/// batch minted (`batch`): by name as [`Known::link_thing`] does, a measure by its label and
/// unit; a new id that an earlier draft took for something else gets another.
pub fn relink(d: &mut Draft, batch: &Known) {
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for e in d.entities.iter_mut().filter(|e| e.link.is_none()) {
        let mut names: Vec<&str> = vec![e.name.as_str()];
        names.extend(e.alt_names.iter().map(String::as_str));
        if let Link::Sure { index, reason } = batch.link_thing(&names, e.kind.as_deref()) {
            let thing = &batch.things[index];
            renames.insert(e.id.clone(), thing.id.clone());
            let drafted_name = std::mem::take(&mut e.name);
            e.id = thing.id.clone();
            if e.kind.is_some() {
                e.kind = Some(thing.kind.clone());
            }
            e.name = thing.name.clone().unwrap_or_default();
            e.link = Some(format!("{reason}, drafted earlier in this batch"));
            e.candidates.clear();
            add_alt_name(e, &drafted_name);
        }
    }
    // Two drafted names of one thing: one entity, with both names.
    let mut merged: Vec<EntityDraft> = Vec::new();
    for e in std::mem::take(&mut d.entities) {
        match merged.iter_mut().find(|m| m.id == e.id) {
            Some(m) => {
                for n in std::iter::once(&e.name).chain(&e.alt_names) {
                    add_alt_name(m, n);
                }
            }
            None => merged.push(e),
        }
    }
    d.entities = merged;
    let mut taken: BTreeSet<String> = batch.things.iter().map(|t| t.id.clone()).collect();
    for e in d.entities.iter_mut().filter(|e| e.link.is_none()) {
        if taken.contains(&e.id) {
            let id = unique(e.id.clone(), &mut taken);
            renames.insert(e.id.clone(), id.clone());
            e.id = id;
        }
    }
    let rename = |id: &mut String| {
        if let Some(new) = renames.get(id.as_str()) {
            *id = new.clone();
        }
    };
    for o in &mut d.observations {
        rename(&mut o.about);
    }
    for e in &mut d.events {
        rename(&mut e.subject);
    }
    if let Some(main) = &mut d.main {
        rename(main);
    }

    // Measures: one of an earlier draft with the same label, in the same unit.
    let mut measure_renames: BTreeMap<String, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = batch.measures.keys().cloned().collect();
    for (id, label) in &d.measures {
        if d.measure_links.contains_key(id) {
            continue;
        }
        let unit = d
            .observations
            .iter()
            .find(|o| &o.measure == id)
            .map(|o| {
                o.figure
                    .currency
                    .clone()
                    .or_else(|| o.figure.unit.clone())
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        let normal = crate::matching::normal_form(label);
        let same = batch
            .measures
            .values()
            .find(|m| crate::matching::normal_form(&m.label) == normal && m.units.contains(&unit));
        match same {
            Some(m) => {
                measure_renames.insert(id.clone(), m.id.clone());
            }
            None if taken.contains(id) => {
                measure_renames.insert(id.clone(), unique(id.clone(), &mut taken));
            }
            None => {}
        }
    }
    for (old, new) in &measure_renames {
        if let Some(label) = d.measures.remove(old) {
            let label = batch.measure(new).map_or(label, |m| m.label.clone());
            d.measures.insert(new.clone(), label);
        }
        if let Some(c) = d.measure_candidates.remove(old) {
            d.measure_candidates.insert(new.clone(), c);
        }
        if let Some(m) = batch.measure(new) {
            d.measure_links.insert(
                new.clone(),
                format!(
                    "the label {:?} of a measure drafted earlier in this batch ({})",
                    m.label, m.file
                ),
            );
        }
        for o in d.observations.iter_mut().filter(|o| &o.measure == old) {
            o.measure = new.clone();
        }
    }
}

/// The draft entity for the known thing `index`, made (with the graph's id, kind and name)
/// the first time the article names it.
fn linked_entity(d: &mut Draft, known: &Known, index: usize, place: Place, reason: &str) -> usize {
    let thing = &known.things[index];
    if let Some(i) = d.entities.iter().position(|e| e.id == thing.id) {
        return i;
    }
    if thing.category == crate::iris::Shared::Organization {
        d.known_organizations.insert(
            thing.id.clone(),
            (thing.kind.clone(), thing.country.clone()),
        );
    }
    d.entities.push(EntityDraft {
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
    });
    d.entities.len() - 1
}

/// Adds a name the article uses to a linked entity's other names, unless it is one already.
fn add_alt_name(e: &mut EntityDraft, name: &str) {
    let normal = crate::matching::normal_form(name);
    let has = std::iter::once(&e.name)
        .chain(&e.alt_names)
        .any(|n| crate::matching::normal_form(n) == normal);
    if !has && !normal.is_empty() {
        e.alt_names
            .push(name.trim().trim_start_matches("the ").to_owned());
    }
}

/// Words that alone say nothing of what an id names.
const VAGUE: &[&str] = &[
    "documents",
    "document",
    "agreements",
    "agreement",
    "memorandums",
    "memoranda",
    "mous",
    "deals",
    "contracts",
    "treaties",
    "accords",
    "project",
    "projects",
    "figure",
    "phase",
    "programme",
    "program",
    "scheme",
    "plan",
    "item",
    "total",
    "number",
    "amount",
    "value",
    "share",
    "expected",
    "reached",
    "handled",
];

/// Whether an id says nothing: all its words vague ("documents", "project", "figure").
fn is_vague(id: &str) -> bool {
    id.split('-')
        .all(|w| VAGUE.contains(&w) || w.chars().all(|c| c.is_ascii_digit()))
}

/// The last word of a name, lowercase ("port" for "Nkalora Deepwater Port").
fn head_word(name: &str) -> String {
    name.rsplit([' ', '-'])
        .next()
        .unwrap_or(name)
        .to_lowercase()
}

/// What a figure starting at byte `start` is about: the thing named last before it, if an
/// entity; a country or organisation only in the same clause ("Russia took about 65,000
/// tonnes"); else the last entity named before it in the sentence, then in the paragraph.
fn about_figure(
    sentence: &str,
    mentions: &[Mention],
    paragraph: &[Mention],
    start: usize,
) -> Option<String> {
    let before: Vec<&Mention> = mentions.iter().filter(|m| m.start < start).collect();
    if let Some(last) = before.last() {
        let same_clause = !sentence[last.start..start].contains([',', ';', ':']);
        if last.facility || (last.country && same_clause) {
            return Some(last.target.clone());
        }
    }
    before
        .iter()
        .rev()
        .chain(paragraph.iter().rev().collect::<Vec<_>>().iter())
        .find(|m| m.facility)
        .map(|m| m.target.clone())
}

/// The event phrases of the rules in a sentence, in reading order, none overlapping another
/// (the longest wins): each one's event type, whether brikg knows it, and its last token.
fn event_phrases(words: &[String], lexicon: &Lexicon) -> Vec<(String, bool, usize)> {
    let mut found: Vec<(usize, usize, String, bool)> = Vec::new();
    for (phrase, kind, known) in &lexicon.events {
        for start in 0..words.len() {
            if let Some(end) = phrase_end(words, start, phrase) {
                let overlaps = found.iter().any(|(s, e, _, _)| start <= *e && *s <= end);
                if !overlaps {
                    found.push((start, end, kind.clone(), *known));
                }
            }
        }
    }
    found.sort_by_key(|(start, ..)| *start);
    found
        .into_iter()
        .map(|(_, end, kind, known)| (kind, known, end))
        .collect()
}

/// Where `phrase` ends if it starts at word `start` (`…` stands for up to eight words).
fn phrase_end(words: &[String], start: usize, phrase: &[String]) -> Option<usize> {
    let mut w = start;
    let mut k = 0;
    while k < phrase.len() {
        if phrase[k] == "…" {
            let next = phrase.get(k + 1)?;
            w = (w..(w + 9).min(words.len())).find(|j| words[*j] == *next)?;
            k += 1;
            continue;
        }
        if words.get(w) != Some(&phrase[k]) {
            return None;
        }
        w += 1;
        k += 1;
    }
    Some(w - 1)
}

/// The words of a title without small words, for ids.
fn significant(text: &str, max: usize) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "the", "of", "and", "for", "to", "in", "on", "at", "its", "is", "as", "with",
        "by", "from", "how", "why", "what",
    ];
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty() && !SMALL.contains(&w.to_lowercase().as_str()))
        .take(max)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The authors and the date of a byline ("By A and B Source: … Updated: 2025-04-22").
fn byline(line: &str) -> (Vec<String>, Option<String>) {
    let tokens = text::tokens(line);
    let dates = dates::dates(&tokens);
    let modified = dates
        .iter()
        .filter_map(|d| d.date.clone())
        .find(|d| d.len() == 10)
        .or_else(|| {
            // ISO dates tokenise as numbers and dashes: 2025 - 04 - 22.
            line.split(|c: char| !(c.is_ascii_digit() || c == '-'))
                .find(|w| w.len() == 10 && w.as_bytes()[4] == b'-' && w.as_bytes()[7] == b'-')
                .map(str::to_owned)
        });
    let names = line
        .trim()
        .trim_start_matches(['*', '_'])
        .trim_start()
        .strip_prefix("By ")
        .or_else(|| line.trim().strip_prefix("by "))
        .unwrap_or("");
    let end = [
        "Source:", "Updated:", "|", "·", "•", "—", "–", "*", "\u{a0}",
    ]
    .iter()
    .filter_map(|m| names.find(m))
    .min()
    .unwrap_or(names.len());
    let authors = names[..end]
        .split([',', '&'])
        .flat_map(|part| part.split(" and "))
        // "Kofi Mensah-Boateng in Addis Ababa": a dateline after the name is not the name.
        .map(|a| a.split(" in ").next().unwrap_or(a))
        .map(|a| a.trim().trim_matches(['*', '_']).trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    (authors, modified)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_give_authors_and_the_date() {
        assert_eq!(
            byline("By Amina Okoth and Li Wenjun Source: Updated: 2025-04-22"),
            (
                vec!["Amina Okoth".to_owned(), "Li Wenjun".to_owned()],
                Some("2025-04-22".to_owned())
            )
        );
        assert_eq!(
            byline("**By Lejla Hadžić** | Updated: 2024-11-05"),
            (
                vec!["Lejla Hadžić".to_owned()],
                Some("2024-11-05".to_owned())
            )
        );
        assert_eq!(
            byline("By Grace Wanjiru · Updated: June 3, 2025"),
            (
                vec!["Grace Wanjiru".to_owned()],
                Some("2025-06-03".to_owned())
            )
        );
    }
}
