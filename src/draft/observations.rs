//! Figures become observations once the whole document is read: the main entity is known
//! only then, and figures without a nearer subject are about it. Each figure gets a measure (one
//! the graph holds, or one new measure per label and unit) and an id.

use super::figures::Figure;
use super::ids::Ids;
use super::lexicon::Lexicon;
use super::link::{Known, MeasureContext, MeasureLink};
use super::text::kebab;
use super::{Draft, ObservationDraft, Place};
use std::collections::HashMap;

/// A figure found in a sentence, waiting for the end of the document.
pub struct Pending<'a> {
    pub figure: Figure,
    /// What it is about, if the sentence or paragraph said.
    pub about: Option<String>,
    pub place: Place,
    pub label: String,
    pub quote: String,
    /// The sentence it stands in (borrowed from the document: a long sentence with many
    /// figures is not copied once for each).
    pub sentence: &'a str,
}

/// Adds the observations of `pending` to the draft, in order; a figure about nothing
/// (`about` unset and no `fallback`) is left out.
pub fn add_observations(
    d: &mut Draft,
    pending: Vec<Pending<'_>>,
    fallback: Option<&String>,
    known: &Known,
    lexicon: &Lexicon,
    ids: &mut Ids,
) {
    let mut measure_ids: HashMap<(String, String), String> = HashMap::new();
    // Measures are keys of their own table: their ids may repeat an entity's; a new one never
    // takes the id of a measure the graph holds.
    let mut measure_taken = Ids::new(known.measures.keys().cloned());
    let mut context: Option<(&str, MeasureContext)> = None;
    for p in pending {
        let Some(about) = p.about.or_else(|| fallback.cloned()) else {
            continue;
        };
        let figure = p.figure;
        let label = p.label;
        let unit = figure
            .currency
            .clone()
            .or_else(|| figure.unit.clone())
            .unwrap_or_default();
        // Figures of one sentence come one after the other: its words are made once.
        if !context
            .as_ref()
            .is_some_and(|(s, _)| std::ptr::eq(*s, p.sentence))
        {
            context = Some((p.sentence, known.measure_context(p.sentence)));
        }
        let (_, words) = context.as_ref().expect("made above");
        let measure = match known.link_measure_in(&about, &unit, words) {
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
                        if lexicon.is_vague(&id) {
                            id = kebab(&format!("{about} {label}"), 7);
                        }
                        let id = measure_taken.mint(id);
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
        let id = ids.mint(id);
        d.observations.push(ObservationDraft {
            id,
            figure,
            about,
            measure,
            place: p.place,
            quote: p.quote,
        });
    }
}

/// The units of a draft's measures: for each, that of its first observation (a currency
/// code, a unit, or "" for a count), as relinking compares them.
pub fn first_units(d: &Draft) -> HashMap<&str, String> {
    let mut out: HashMap<&str, String> = HashMap::new();
    for o in &d.observations {
        out.entry(o.measure.as_str()).or_insert_with(|| {
            o.figure
                .currency
                .clone()
                .or_else(|| o.figure.unit.clone())
                .unwrap_or_default()
        });
    }
    out
}
