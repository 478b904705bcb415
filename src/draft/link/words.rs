//! Words as linking compares them: a text's word spans, a name's words in normal form, a
//! text's content words without plural or verb endings.

use crate::matching::{normal_form, words};

/// The byte ranges of a text's words (runs of letters and digits; a possessive "'s" is not a
/// word of its own).
pub(super) fn word_spans(text: &str) -> Vec<(usize, usize)> {
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
pub(super) fn words_of(name: &str) -> Vec<String> {
    words(&normal_form(name)).map(str::to_owned).collect()
}

pub(super) fn is_subsequence(short: &[String], long: &[String]) -> bool {
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
pub(super) fn verb_stem(word: &str) -> String {
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
