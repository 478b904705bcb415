//! The ids a draft mints for its sections, things, agreements, measures, figures and events.
//!
//! A new id never repeats one already taken (a thing the graph holds, or an earlier fact of
//! the draft): the second `port-handled` becomes `port-handled-2`, the third `port-handled-3`.
//! A long report repeats a few bases thousands of times, so [`Ids`] remembers, per base, the
//! first suffix not yet tried: trying `-2`, `-3` … from the start for each new fact made
//! drafting grow with the square of the report's length.

use std::collections::{HashMap, HashSet};

/// The ids taken so far, and for each base the next numbered suffix worth trying.
#[derive(Debug, Default)]
pub struct Ids {
    taken: HashSet<String>,
    /// Base → the suffix to try first (1 stands for the base itself). Every candidate below it
    /// was taken when it was tried, and ids are never given back, so it still is.
    next: HashMap<String, usize>,
}

impl Ids {
    /// Ids already taken, that a new one never repeats.
    pub fn new(taken: impl IntoIterator<Item = String>) -> Self {
        Ids {
            taken: taken.into_iter().collect(),
            next: HashMap::new(),
        }
    }

    /// Whether `id` is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// `id` if it is free, else the first of `id-2`, `id-3` … that is (`item` for an empty
    /// id); taken from then on.
    pub fn mint(&mut self, id: String) -> String {
        let base = if id.is_empty() { "item".to_owned() } else { id };
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        loop {
            let candidate = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            n += 1;
            if self.taken.insert(candidate.clone()) {
                self.next.insert(base, n);
                return candidate;
            }
        }
    }
}

/// The words of a title without small words, for ids.
pub fn significant(text: &str, max: usize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_id_gets_the_first_free_suffix_even_after_others_took_some() {
        let mut ids = Ids::new(["port".to_owned(), "port-3".to_owned()]);
        assert_eq!(ids.mint("port".into()), "port-2");
        assert_eq!(ids.mint("port".into()), "port-4");
        assert_eq!(ids.mint("port-5".into()), "port-5");
        assert_eq!(ids.mint("port".into()), "port-6");
        assert_eq!(ids.mint("port-2".into()), "port-2-2");
        assert_eq!(ids.mint(String::new()), "item");
        assert_eq!(ids.mint(String::new()), "item-2");
        assert!(ids.contains("port-6") && !ids.contains("port-7"));
    }
}
