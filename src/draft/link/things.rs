//! A drafted name, or agreement set, linked to the known thing it stands for: by one of its
//! names in normal form, else by a shorter or longer form of exactly one known name; several
//! fitting alike are candidates for a curator.

use super::words::{content_words, is_subsequence};
use super::{Known, KnownThing, Link, GENERIC};
use crate::iris::Shared;
use crate::matching::{normal_form, words};
use std::collections::{BTreeMap, BTreeSet};

impl Known {
    /// Whether the kind `drafted` (a guess from a name's last word) fits the known `kind`:
    /// one is the other or a narrower kind of it.
    fn kinds_fit(&self, drafted: &str, known: &str) -> bool {
        match (self.vocabulary.kind(drafted), self.vocabulary.kind(known)) {
            (Some(d), Some(k)) => {
                self.vocabulary.is_a(d, k.class.as_ref())
                    || self.vocabulary.is_a(k, d.class.as_ref())
            }
            // A kind the vocabulary does not know says nothing either way.
            _ => true,
        }
    }

    /// The known thing a drafted name (with its other names) stands for. `kind` is the
    /// drafted kind (`None`: an organisation).
    pub fn link_thing(&self, names: &[&str], kind: Option<&str>) -> Link {
        let category_fits = |t: &KnownThing| match kind {
            None => t.category == Shared::Organization,
            Some(_) => t.category == Shared::Entity,
        };
        // 1. One of its names, in normal form.
        let mut exact: BTreeMap<usize, String> = BTreeMap::new();
        for n in names {
            for &i in self.by_name.get(&normal_form(n)).into_iter().flatten() {
                if category_fits(&self.things[i]) {
                    let t = &self.things[i];
                    let how = if t
                        .name
                        .as_deref()
                        .is_some_and(|k| normal_form(k) == normal_form(n))
                    {
                        "the name"
                    } else {
                        "a name"
                    };
                    exact
                        .entry(i)
                        .or_insert_with(|| format!("{n:?} is {how} of {:?} in {}", t.id, t.file));
                }
            }
        }
        match exact.len() {
            1 => {
                let (index, reason) = exact.into_iter().next().expect("one");
                return Link::Sure { index, reason };
            }
            n if n > 1 => {
                return Link::Unsure {
                    candidates: exact.into_keys().collect(),
                }
            }
            _ => {}
        }
        // 2. A shorter (or longer) form of one known name, the kinds fitting: its last words
        //    (two of them telling it apart from other things of its kind: "Land-Sea Trade
        //    Corridor"), or its first and last word with every word of the shorter in the
        //    longer, in order ("Nkalora Port" for "Nkalora Deepwater Port").
        let mut partial: BTreeMap<usize, String> = BTreeMap::new();
        for n in names {
            let drafted: Vec<String> = words(&normal_form(n)).map(str::to_owned).collect();
            if drafted.len() < 2 {
                continue;
            }
            for (i, t) in self.things.iter().enumerate() {
                if !category_fits(t) {
                    continue;
                }
                if kind.is_some_and(|k| !self.kinds_fit(k, &t.kind)) {
                    continue;
                }
                for known_name in t.names() {
                    let known: Vec<String> =
                        words(&normal_form(known_name)).map(str::to_owned).collect();
                    if known.len() < 2 || known == drafted {
                        continue;
                    }
                    let (short, long) = if drafted.len() < known.len() {
                        (&drafted, &known)
                    } else {
                        (&known, &drafted)
                    };
                    let telling = short
                        .iter()
                        .filter(|w| !GENERIC.contains(&w.as_str()))
                        .count();
                    let suffix = long.ends_with(short) && telling >= 2;
                    let ends = short.first() == long.first()
                        && short.last() == long.last()
                        && is_subsequence(short, long)
                        && telling >= 1;
                    if suffix || ends {
                        partial.entry(i).or_insert_with(|| {
                            format!(
                                "{n:?} is a {} form of {known_name:?}, the name of {:?} in {}",
                                if drafted.len() < known.len() {
                                    "shorter"
                                } else {
                                    "longer"
                                },
                                t.id,
                                t.file
                            )
                        });
                    }
                }
            }
        }
        match partial.len() {
            0 => Link::New,
            1 => {
                let (index, reason) = partial.into_iter().next().expect("one");
                Link::Sure { index, reason }
            }
            _ => Link::Unsure {
                candidates: partial.into_keys().collect(),
            },
        }
    }

    /// The known agreement set a drafted one is: same signatory, a kind that fits, and a word
    /// of its name (other than "documents", "agreements" …) in the drafted sentence.
    pub fn link_agreement(&self, kind: &str, signatory: Option<&str>, context: &str) -> Link {
        let context: BTreeSet<String> = content_words(context).collect();
        let mut scored: Vec<(usize, usize)> = Vec::new();
        for (i, t) in self.things.iter().enumerate() {
            if t.category != Shared::Agreement {
                continue;
            }
            if signatory.is_some_and(|s| t.country.as_deref() != Some(s)) {
                continue;
            }
            let kind_fits = self.kinds_fit(kind, &t.kind) || matches!(kind, "agreement-set");
            if !kind_fits {
                continue;
            }
            let overlap = t
                .names()
                .flat_map(content_words)
                .filter(|w| !GENERIC.contains(&w.as_str()) && context.contains(w))
                .collect::<BTreeSet<_>>()
                .len();
            if overlap > 0 {
                scored.push((overlap, i));
            }
        }
        scored.sort_by(|a, b| b.cmp(a));
        match scored.as_slice() {
            [] => Link::New,
            [(_, i)] => Link::Sure {
                index: *i,
                reason: self.agreement_reason(*i),
            },
            [(a, i), (b, _), ..] if a > b => Link::Sure {
                index: *i,
                reason: self.agreement_reason(*i),
            },
            many => Link::Unsure {
                candidates: many.iter().map(|(_, i)| *i).collect(),
            },
        }
    }

    fn agreement_reason(&self, i: usize) -> String {
        let t = &self.things[i];
        format!(
            "signed by {} and named like {:?} ({:?} in {})",
            t.country.as_deref().unwrap_or("?"),
            t.name.as_deref().unwrap_or_default(),
            t.id,
            t.file
        )
    }
}
