//! Known things named in a sentence: by one of their names as the graph writes it (an
//! automaton over every findable name), or by a shorter or longer form of one.

use super::words::{is_subsequence, word_spans, words_of};
use super::{Finder, FormsIndex, Known, Named, GENERIC};
use crate::iris::Shared;
use crate::matching::{normal_form, words};
use std::collections::BTreeMap;

impl Known {
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
                let index = self.forms.get_or_init(|| self.forms_index());
                for (t, name, known) in index.get(&normal[i]).into_iter().flatten() {
                    let last = known.last().expect("two words");
                    let end =
                        (i + 1..words.len().min(i + known.len() + 3)).find(|&j| &normal[j] == last);
                    let Some(j) = end else { continue };
                    let span: Vec<String> = normal[i..=j].to_vec();
                    if span == *known {
                        continue; // the name itself: `named_in` finds it
                    }
                    if is_subsequence(&span, known) || is_subsequence(known, &span) {
                        found.entry(*t).or_insert((j, name.clone()));
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

    /// The names `forms_in` tries, by their first word (see `Known::forms`).
    fn forms_index(&self) -> FormsIndex {
        let mut index = FormsIndex::new();
        for (t, thing) in self.things.iter().enumerate() {
            if thing.category == Shared::Agreement {
                continue;
            }
            for name in thing.names() {
                let known: Vec<String> = words_of(name);
                if known.len() < 2 {
                    continue;
                }
                index
                    .entry(known[0].clone())
                    .or_default()
                    .push((t, name.to_owned(), known));
            }
        }
        index
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
}
