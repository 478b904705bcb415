//! The words the drafter recognises, built once from the reference data (countries, currencies,
//! units, the vocabulary of kinds and event types) and `data/drafting.toml` (the phrases news
//! writers use besides those). Every code a phrase leads to is checked here, so a drafting rule
//! can only propose identifiers the reference data has.

use crate::error::{DataError, Result};
use crate::mapping::Reference;
use crate::vocabulary::Category;
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The bundled drafting rules.
pub const RULES: &str = include_str!("../../data/drafting.toml");
const RULES_NAME: &str = "<bundled>/data/drafting.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    scales: Vec<String>,
    comparators: BTreeMap<String, String>,
    currency_words: BTreeMap<String, String>,
    unit_words: BTreeMap<String, String>,
    event_phrases: BTreeMap<String, String>,
    kind_heads: BTreeMap<String, String>,
    organization_heads: Vec<String>,
    agreement_nouns: Vec<String>,
    vague_words: Vec<String>,
    /// Country names that more often name something else in news text.
    ambiguous_country_words: Vec<String>,
    #[serde(default)]
    country_words: BTreeMap<String, String>,
    /// Words that say the same of what a figure measures, to one form.
    #[serde(default)]
    measure_words: BTreeMap<String, String>,
    /// Which of `country_words` are demonyms.
    #[serde(default)]
    demonym_words: Vec<String>,
}

/// A phrase found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    /// The code it leads to (a country's alpha-2 code, a currency's alpha-3 code, a unit's
    /// notation).
    pub code: String,
}

/// A dictionary of phrases matched as whole words.
#[derive(Debug)]
pub struct Gazetteer {
    automaton: AhoCorasick,
    codes: Vec<String>,
    /// Whether a phrase names something else more often than what it leads to ("Chad").
    ambiguous: Vec<bool>,
    /// Each phrase's code, for exact lookups.
    exact: HashMap<String, usize>,
}

impl Gazetteer {
    /// The gazetteer of `phrases` (phrase → code); those in `ambiguous` are only guesses.
    fn new(
        phrases: BTreeMap<String, String>,
        case_insensitive: bool,
        ambiguous: &[String],
    ) -> Gazetteer {
        let (patterns, codes): (Vec<String>, Vec<String>) = phrases.into_iter().unzip();
        let ambiguous = patterns.iter().map(|p| ambiguous.contains(p)).collect();
        let exact = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let key = if case_insensitive {
                    p.to_ascii_lowercase()
                } else {
                    p.clone()
                };
                (key, i)
            })
            .collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(case_insensitive)
            .build(&patterns)
            .expect("the gazetteer's phrases build an automaton");
        Gazetteer {
            automaton,
            codes,
            ambiguous,
            exact,
        }
    }

    /// Every phrase of the dictionary in `text`, as whole words, leftmost longest first.
    pub fn find(&self, text: &str) -> Vec<(Found, bool)> {
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        self.automaton
            .find_iter(text)
            .filter(|m| {
                let phrase = &text[m.start()..m.end()];
                let word_start = phrase.chars().next().is_some_and(char::is_alphanumeric);
                let word_end = phrase
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
                (!word_start || boundary(text[..m.start()].chars().next_back()))
                    && (!word_end || boundary(text[m.end()..].chars().next()))
            })
            .map(|m| {
                let i = m.pattern().as_usize();
                (
                    Found {
                        start: m.start(),
                        end: m.end(),
                        code: self.codes[i].clone(),
                    },
                    self.ambiguous[i],
                )
            })
            .collect()
    }

    /// The code of a phrase that is exactly `text`.
    pub fn exact(&self, text: &str) -> Option<&str> {
        self.exact.get(text).map(|i| self.codes[*i].as_str())
    }
}

/// Everything the drafter recognises.
#[derive(Debug)]
pub struct Lexicon {
    pub countries: Gazetteer,
    /// Currency symbols, codes and names, to alpha-3 codes.
    pub currencies: Gazetteer,
    /// Unit notations, symbols and names, to notations.
    pub units: Gazetteer,
    pub scales: Vec<String>,
    /// Comparator phrases, lowercase, longest first.
    pub comparators: Vec<(Vec<String>, String)>,
    /// Event phrases as word sequences (`…` a gap), with their event types; whether the type
    /// is in the vocabulary.
    pub events: Vec<(Vec<String>, String, bool)>,
    pub kind_heads: HashMap<String, String>,
    pub organization_heads: Vec<String>,
    /// Agreement kinds the vocabulary has.
    pub agreement_kinds: Vec<String>,
    /// The nouns of what is signed ("documents"), lowercase.
    pub agreement_nouns: Vec<String>,
    /// Words that alone say nothing of what an id names, the agreement nouns among them.
    vague_words: HashSet<String>,
    /// Demonyms ("Chinese"): they say a country is mentioned, not that a fact is about it.
    demonyms: HashSet<String>,
    /// The name each country is printed with, by alpha-2 code.
    country_labels: HashMap<String, String>,
    /// Words that say the same of what a figure measures (`annually` → `annual`), lowercase.
    pub measure_words: HashMap<String, String>,
}

fn rules_error(message: String) -> crate::error::Error {
    DataError::file(RULES_NAME, message).into()
}

impl Lexicon {
    /// The lexicon of the bundled rules over `reference`.
    pub fn new(reference: &Reference) -> Result<Lexicon> {
        let rules: RulesFile = toml::from_str(RULES)
            .map_err(|e| rules_error(format!("does not parse: {}", e.message())))?;
        let vocabulary = &reference.vocabulary;

        let mut countries = BTreeMap::new();
        let mut demonyms = HashSet::new();
        for c in reference.countries.values() {
            let mut names: Vec<&str> = reference.country_names_en(c);
            names.extend(c.official_name.as_deref());
            if let Some(n) = reference.country_names.get(&c.alpha2) {
                for d in &n.demonyms_en {
                    names.extend(d.split(", "));
                    demonyms.extend(d.split(", ").map(str::to_owned));
                }
            }
            for name in names {
                if name.contains(" & ") || name.contains(", ") || name.len() < 2 {
                    continue;
                }
                countries.insert(name.to_owned(), c.alpha2.clone());
            }
        }
        for (word, code) in &rules.country_words {
            if !reference.countries.contains_key(code) {
                return Err(rules_error(format!(
                    "country_words: {word:?}: {code:?} is not a country of the reference data"
                )));
            }
            countries.insert(word.clone(), code.clone());
        }
        if let Some(word) = rules
            .ambiguous_country_words
            .iter()
            .find(|w| !countries.contains_key(*w))
        {
            return Err(rules_error(format!(
                "ambiguous_country_words: {word:?} is not a name of a country in the reference data or in country_words"
            )));
        }
        for word in &rules.demonym_words {
            demonyms.insert(word.clone());
        }

        let mut currencies = BTreeMap::new();
        for c in reference.currencies.values() {
            currencies.insert(c.alpha3.clone(), c.alpha3.clone());
            for name in c.names_en.iter().chain(&c.symbols) {
                currencies.insert(name.clone(), c.alpha3.clone());
            }
        }
        for (word, code) in &rules.currency_words {
            if !reference.currencies.contains_key(code) {
                return Err(rules_error(format!(
                    "currency_words: {word:?}: {code:?} is not an ISO 4217 code of the reference data"
                )));
            }
            currencies.insert(word.clone(), code.clone());
        }

        let mut units = BTreeMap::new();
        for notation in vocabulary.unit_names() {
            units.insert(notation.to_owned(), notation.to_owned());
        }
        for (word, notation) in &rules.unit_words {
            if vocabulary.unit(notation).is_none() {
                return Err(rules_error(format!(
                    "unit_words: {word:?}: {notation:?} is not a unit brikg knows"
                )));
            }
            units.insert(word.clone(), notation.clone());
        }

        let mut comparators: Vec<(Vec<String>, String)> = Vec::new();
        for (phrase, comparator) in &rules.comparators {
            // A comparator is one the data files take: the data format's own type decides.
            let name =
                serde::de::value::StrDeserializer::<serde::de::value::Error>::new(comparator);
            if let Err(e) = crate::model::Comparator::deserialize(name) {
                return Err(rules_error(format!("comparators: {phrase:?}: {e}")));
            }
            comparators.push((
                phrase.split(' ').map(str::to_owned).collect(),
                comparator.clone(),
            ));
        }
        comparators.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));

        let mut events: Vec<(Vec<String>, String, bool)> = rules
            .event_phrases
            .iter()
            .map(|(phrase, kind)| {
                (
                    phrase.split(' ').map(str::to_owned).collect(),
                    kind.clone(),
                    vocabulary.event_type(kind).is_some(),
                )
            })
            .collect();
        events.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));

        let entity_kinds = vocabulary.kind_names(&[Category::Entity]);
        for (head, kind) in &rules.kind_heads {
            if !entity_kinds.contains(&kind.as_str()) {
                return Err(rules_error(format!(
                    "kind_heads: {head:?}: {kind:?} is not an entity kind brikg knows"
                )));
            }
        }
        let agreement_kinds = vocabulary
            .kind_names(&[Category::Agreement])
            .into_iter()
            .map(str::to_owned)
            .collect();

        Ok(Lexicon {
            countries: Gazetteer::new(countries, false, &rules.ambiguous_country_words),
            currencies: Gazetteer::new(currencies, false, &[]),
            units: Gazetteer::new(units, false, &[]),
            scales: rules.scales,
            comparators,
            events,
            kind_heads: rules.kind_heads.into_iter().collect(),
            organization_heads: rules.organization_heads,
            vague_words: rules
                .vague_words
                .iter()
                .chain(&rules.agreement_nouns)
                .map(|w| w.to_lowercase())
                .collect(),
            agreement_nouns: rules
                .agreement_nouns
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            agreement_kinds,
            demonyms,
            measure_words: rules
                .measure_words
                .iter()
                .map(|(k, v)| (k.to_lowercase(), v.to_lowercase()))
                .collect(),
            country_labels: reference
                .countries
                .values()
                .map(|c| (c.alpha2.clone(), reference.country_label(c).to_owned()))
                .collect(),
        })
    }

    /// The name a country is printed with ("Russia").
    pub fn country_name(&self, code: &str) -> Option<String> {
        self.country_labels.get(code).cloned()
    }

    /// Whether an id says nothing: all its words vague ("documents", "project", "figure") or
    /// numbers.
    pub fn is_vague(&self, id: &str) -> bool {
        id.split('-')
            .all(|w| self.vague_words.contains(w) || w.chars().all(|c| c.is_ascii_digit()))
    }

    /// Whether `word` is a demonym ("Chinese", "Lao").
    pub fn is_demonym(&self, word: &str) -> bool {
        self.demonyms.contains(word)
    }

    /// The countries named in a sentence, with whether each is only a guess (an ambiguous word
    /// in a context that does not settle it). "US$" names a currency, not the United States.
    pub fn countries_in(&self, sentence: &str) -> Vec<(Found, bool)> {
        self.countries
            .find(sentence)
            .into_iter()
            .filter(|(f, _)| !sentence[f.end..].starts_with('$'))
            .filter_map(|(f, ambiguous)| {
                if !ambiguous {
                    return Some((f, false));
                }
                let before = sentence[..f.start].trim_end();
                let after = sentence[f.end..].trim_start();
                let next_capitalized = after
                    .split_whitespace()
                    .next()
                    .and_then(|w| w.chars().next())
                    .is_some_and(char::is_uppercase);
                let previous = before.split_whitespace().next_back().unwrap_or("");
                let previous_is_name = previous.chars().next().is_some_and(char::is_uppercase)
                    && !previous.ends_with([',', '.', ';', ':'])
                    && f.start > 0
                    && !matches!(previous, "The" | "In" | "From" | "To");
                let a_state = before.ends_with("state of") || before.ends_with("State of");
                if next_capitalized && !after.starts_with("and ") || previous_is_name || a_state {
                    None
                } else {
                    Some((f, true))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{load_foundation, DataSource};
    use crate::iris::{Iris, DEFAULT_BASE};

    fn lexicon() -> Lexicon {
        let iris = Iris::new(DEFAULT_BASE).unwrap();
        let foundation = load_foundation(&DataSource::Bundled, &iris).unwrap();
        Lexicon::new(&foundation.reference).unwrap()
    }

    /// The codes `countries_in` finds, with whether each is a guess.
    fn countries(lexicon: &Lexicon, sentence: &str) -> Vec<(String, bool)> {
        lexicon
            .countries_in(sentence)
            .into_iter()
            .map(|(found, guess)| (found.code, guess))
            .collect()
    }

    #[test]
    fn an_ambiguous_country_word_is_a_country_only_where_nothing_says_otherwise() {
        let lexicon = lexicon();
        assert_eq!(
            countries(&lexicon, "Trade with Georgia grew."),
            [("GE".to_owned(), true)]
        );
        assert_eq!(
            countries(&lexicon, "Trade with Kenya grew."),
            [("KE".to_owned(), false)]
        );
        assert!(countries(&lexicon, "Chad Morrison spoke in Nairobi.").is_empty());
        assert!(countries(&lexicon, "It opened in the US state of Georgia.")
            .iter()
            .all(|(code, _)| code != "GE"));
    }

    #[test]
    fn the_vague_words_are_the_listed_ones_and_the_agreement_nouns() {
        let lexicon = lexicon();
        assert!(lexicon.is_vague("documents"));
        assert!(lexicon.is_vague("project-2"));
        assert!(lexicon.is_vague("treaties"));
        assert!(!lexicon.is_vague("port-project"));
        assert!(!lexicon.is_vague("treaty"));
    }
}
