//! "Did you mean …?": the names nearest to one a person mistyped.
//!
//! Every place that refuses a value because it names nothing (a query, a parameter's article,
//! thing, measure or field) offers the few known names it was most likely meant to be, as
//! compilers and git do, instead of a bare "not found" or, worse, an empty answer. Two measures
//! of nearness, the better one counting: characters (a Damerau–Levenshtein distance over the
//! name's normal form, for typos: `cr-expres`) and words (the word similarity the duplicate
//! check uses, for reordered or missing words: "Express China Railway").

use crate::matching::{normal_form, similarity};

/// How near a name must be to be offered, from 0 to 1.
const THRESHOLD: f64 = 0.7;

/// How many names are offered at most.
const OFFERED: usize = 3;

/// How near `candidate` is to `typed`, from 0 to 1.
pub fn nearness(typed: &str, candidate: &str) -> f64 {
    let (a, b) = (normal_form(typed), normal_form(candidate));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let characters = strsim::normalized_damerau_levenshtein(&a, &b);
    let words = f64::from(similarity(&a, &b)) / 100.0;
    characters.max(words)
}

/// The candidates nearest to `typed`, nearest first (ties in name order), at most three, none
/// below the threshold; each name once.
pub fn nearest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (nearness(typed, c), c))
        .filter(|(score, _)| *score >= THRESHOLD)
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
    let mut out: Vec<&str> = Vec::new();
    for (_, c) in scored {
        if !out.contains(&c) {
            out.push(c);
        }
        if out.len() == OFFERED {
            break;
        }
    }
    out
}

/// `did you mean a, b or c?`, or nothing when no name is near.
pub fn did_you_mean(names: &[String]) -> Option<String> {
    let (last, rest) = names.split_last()?;
    Some(if rest.is_empty() {
        format!("did you mean {last}?")
    } else {
        format!("did you mean {} or {last}?", rest.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_name_and_a_stranger_finds_nothing() {
        let known = [
            "cr-express",
            "cr-express-hub",
            "belt-and-road-forum",
            "gwadar-port",
        ];
        assert_eq!(nearest("cr-expres", known), ["cr-express"]);
        assert_eq!(
            nearest("express-hub", known),
            ["cr-express-hub", "cr-express"]
        );
        assert_eq!(nearest("gwadr-port", known), ["gwadar-port"]);
        assert!(nearest("zzz", known).is_empty());
    }

    #[test]
    fn reordered_words_are_near() {
        let known = ["China Railway Express", "China–Europe Railway"];
        assert_eq!(
            nearest("Express China Railway", known),
            ["China Railway Express"]
        );
    }

    #[test]
    fn the_offer_reads_as_a_question() {
        assert_eq!(did_you_mean(&[]), None);
        assert_eq!(
            did_you_mean(&["a".into()]).as_deref(),
            Some("did you mean a?")
        );
        assert_eq!(
            did_you_mean(&["a".into(), "b".into(), "c".into()]).as_deref(),
            Some("did you mean a, b or c?")
        );
    }
}
