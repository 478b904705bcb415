//! A drafted figure's measure linked to a known one: of the same kind of quantity, with the
//! words of its label in the figure's sentence.

use super::words::{content_words, verb_stem};
use super::{Known, KnownMeasure};
use std::collections::BTreeSet;

impl Known {
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
        self.link_measure_in(about, unit, &self.measure_context(context))
    }

    /// The words of a figure's sentence that measure labels are compared with: made once for
    /// all the figures of a sentence, as a sentence listing thousands of them would otherwise
    /// be read again for each.
    pub fn measure_context(&self, sentence: &str) -> MeasureContext {
        MeasureContext(self.measure_words_of(sentence))
    }

    /// [`Known::link_measure`] with the sentence's words made already.
    pub fn link_measure_in(
        &self,
        about: &str,
        unit: &str,
        context: &MeasureContext,
    ) -> MeasureLink {
        let context = &context.0;
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

/// A sentence's words in the forms measure labels are compared in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureContext(BTreeSet<String>);

/// What a drafted figure's measure is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeasureLink {
    Sure { id: String, reason: String },
    Unsure { candidates: Vec<String> },
    New,
}
