//! Dated events in a sentence: a phrase of the rules ("began operations", "signed") and the
//! nearest date in the same sentence; one sentence may tell several ("opened on …, and a spur
//! was finished in …").

use super::dates::{self, DateExpr};
use super::lexicon::Lexicon;
use super::mentions::Sentence;
use super::text::{Quoter, Token};
use super::{EventDraft, Place};
use std::collections::{BTreeMap, BTreeSet};

/// What a sentence says of the agreement sets around it, for a signing's subject.
pub struct Agreements<'a> {
    /// The set this sentence tells of, and the token index of its "signed".
    pub here: Option<&'a (String, usize)>,
    /// The last set the paragraph told of so far.
    pub paragraph: Option<&'a String>,
}

/// The events a sentence tells, their ids left to mint once subjects are known.
#[allow(clippy::too_many_arguments)]
pub fn events(
    quoter: &Quoter<'_>,
    tokens: &[Token<'_>],
    dates: &[DateExpr],
    lower_words: &[String],
    mentions: &Sentence<'_>,
    agreements: Agreements<'_>,
    lexicon: &Lexicon,
    place: Place,
) -> Vec<EventDraft> {
    let mut out = Vec::new();
    let mut free = FreeDates::new(dates);
    for (kind, known, at) in event_phrases(lower_words, lexicon) {
        let Some(k) = free.take(at) else {
            continue;
        };
        let date = &dates[k];
        let at_byte = tokens[at].start;
        let subject = if kind == "signing" {
            agreements
                .here
                .map(|(id, _)| id.clone())
                .or_else(|| agreements.paragraph.cloned())
        } else {
            None
        }
        .or_else(|| mentions.subject_at(at_byte));
        let q = quoter.quote(
            tokens[at].start.min(tokens[date.first].start),
            tokens[at].end().max(tokens[date.last].end()),
            8,
        );
        out.push(EventDraft {
            id: String::new(),
            kind,
            subject: subject.unwrap_or_default(),
            date: date.date.clone().unwrap_or_default(),
            place,
            quote: q,
            known,
        });
    }
    out
}

/// The dates an event may take (a date, not a period, not a start or an end), not taken yet,
/// by the token they start at: the nearest one is found by looking either side of the phrase,
/// not by reading every date of a sentence that lists thousands.
struct FreeDates(BTreeSet<(usize, usize)>);

impl FreeDates {
    fn new(dates: &[DateExpr]) -> Self {
        FreeDates(
            dates
                .iter()
                .enumerate()
                .filter(|(_, x)| {
                    x.date.is_some()
                        && x.period.is_none()
                        && !matches!(x.lead, dates::Lead::Since | dates::Lead::Until)
                })
                .map(|(k, x)| (x.first, k))
                .collect(),
        )
    }

    /// Takes the free date starting nearest token `at`, by its index in the sentence's dates;
    /// of two as near, the first in that list.
    fn take(&mut self, at: usize) -> Option<usize> {
        let free = &self.0;
        let left = free
            .range(..=(at, usize::MAX))
            .next_back()
            .and_then(|&(first, _)| free.range((first, 0)..).next());
        let right = free.range((at + 1, 0)..).next();
        let (first, k) = [left, right]
            .into_iter()
            .flatten()
            .min_by_key(|(first, k)| (first.abs_diff(at), *k))
            .copied()?;
        self.0.remove(&(first, k));
        Some(k)
    }
}

/// The event phrases of the rules in a sentence, in reading order, none overlapping another
/// (the longest wins): each one's event type, whether brikg knows it, and its last token.
fn event_phrases(words: &[String], lexicon: &Lexicon) -> Vec<(String, bool, usize)> {
    // Start → (end, event type, known); none overlapping another, so the one a new phrase
    // could overlap is the last starting at or before its end.
    let mut found: BTreeMap<usize, (usize, String, bool)> = BTreeMap::new();
    for (phrase, kind, known) in &lexicon.events {
        for start in 0..words.len() {
            if let Some(end) = phrase_end(words, start, phrase) {
                let overlaps = found
                    .range(..=end)
                    .next_back()
                    .is_some_and(|(_, (e, ..))| start <= *e);
                if !overlaps {
                    found.insert(start, (end, kind.clone(), *known));
                }
            }
        }
    }
    found
        .into_values()
        .map(|(end, kind, known)| (kind, known, end))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn date(first: usize, lead: dates::Lead) -> DateExpr {
        DateExpr {
            first,
            last: first,
            date: Some("2024".into()),
            period: None,
            lead,
        }
    }

    #[test]
    fn each_event_takes_the_nearest_free_date_ties_to_the_first_listed() {
        use dates::Lead::{In, Since};
        let dates = [date(6, In), date(2, In), date(10, In), date(4, Since)];
        let mut free = FreeDates::new(&dates);
        // 6 and 2 are as near to 4 (the start date at 4 is never taken): the first listed.
        assert_eq!(free.take(4), Some(0));
        assert_eq!(free.take(4), Some(1));
        assert_eq!(free.take(4), Some(2));
        assert_eq!(free.take(4), None);
    }
}
