//! Dated events in a sentence: a phrase of the rules ("began operations", "signed") and the
//! nearest date in the same sentence; one sentence may tell several ("opened on …, and a spur
//! was finished in …").

use super::dates::{self, DateExpr};
use super::lexicon::Lexicon;
use super::mentions::Mention;
use super::text::{quote, Token};
use super::{EventDraft, Place};

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
    sentence: &str,
    tokens: &[Token<'_>],
    dates: &[DateExpr],
    lower_words: &[String],
    mentions: &[Mention],
    agreements: Agreements<'_>,
    lexicon: &Lexicon,
    place: Place,
) -> Vec<EventDraft> {
    let mut out = Vec::new();
    let mut used_dates: Vec<usize> = Vec::new();
    for (kind, known, at) in event_phrases(lower_words, lexicon) {
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
            agreements
                .here
                .map(|(id, _)| id.clone())
                .or_else(|| agreements.paragraph.cloned())
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
