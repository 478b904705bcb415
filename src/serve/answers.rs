//! The answers a read-only server has already given, kept for the next time they are asked for.
//!
//! The store does not change under a read-only server, so an answer stays right for as long as
//! it is kept. The cache holds at most its budget of bytes, and one answer at most a share of it.
//! When a new answer does not fit, the answers asked for least recently go first: an analyst goes
//! back and forth between a few questions on the page, and those stay while one-off answers
//! leave.

use axum::body::Bytes;
use std::collections::{BTreeMap, HashMap};

/// The share of the cache one answer may take: a quarter, so that the 8 MB of a country's
/// 10,000 figures at 100,000 articles, which take seconds to compute, come back at once the
/// second time (the page asks again when one goes back to a question) without one answer
/// driving out all others.
const ANSWER_SHARE: usize = 4;

/// Answers by key (query, dataset and format): their content type and bytes, within a budget.
#[derive(Default)]
pub(super) struct Answers {
    entries: HashMap<String, Entry>,
    /// The key of each answer by the moment it was last asked for, the oldest first.
    by_use: BTreeMap<u64, String>,
    /// Counts the uses, to order them.
    clock: u64,
    /// The bytes of every answer kept.
    bytes: usize,
}

struct Entry {
    content_type: String,
    bytes: Bytes,
    used: u64,
}

impl Answers {
    /// The largest answer a cache of `budget` bytes keeps; the server stops copying an answer
    /// for the cache once it passes this.
    pub(super) fn largest(budget: usize) -> usize {
        budget / ANSWER_SHARE
    }

    /// The answer kept under `key`, if any; it becomes the most recently used.
    pub(super) fn get(&mut self, key: &str) -> Option<(String, Bytes)> {
        let now = self.tick();
        let entry = self.entries.get_mut(key)?;
        let key = self
            .by_use
            .remove(&entry.used)
            .expect("every entry has its use");
        self.by_use.insert(now, key);
        entry.used = now;
        Some((entry.content_type.clone(), entry.bytes.clone()))
    }

    /// Keeps `bytes` under `key` within `budget` bytes in all, unless it takes more than its
    /// share; the least recently used answers make room.
    pub(super) fn insert(&mut self, key: String, content_type: &str, bytes: &[u8], budget: usize) {
        if bytes.len() > Self::largest(budget) {
            return;
        }
        self.remove(&key);
        while self.bytes + bytes.len() > budget {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            let entry = self
                .entries
                .remove(&oldest)
                .expect("every use has its entry");
            self.bytes -= entry.bytes.len();
        }
        let used = self.tick();
        self.bytes += bytes.len();
        self.by_use.insert(used, key.clone());
        self.entries.insert(
            key,
            Entry {
                content_type: content_type.to_owned(),
                bytes: Bytes::copy_from_slice(bytes),
                used,
            },
        );
    }

    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.by_use.remove(&entry.used);
            self.bytes -= entry.bytes.len();
        }
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "text/tab-separated-values";

    fn kept(answers: &mut Answers, key: &str) -> Option<String> {
        answers
            .get(key)
            .map(|(_, bytes)| String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[test]
    fn the_answer_asked_for_least_recently_leaves_first() {
        let mut answers = Answers::default();
        for key in ["a", "b", "c", "d"] {
            answers.insert(key.into(), TSV, key.repeat(4).as_bytes(), 16);
        }
        assert_eq!(kept(&mut answers, "a").as_deref(), Some("aaaa"));
        answers.insert("e".into(), TSV, b"eeee", 16);
        assert_eq!(kept(&mut answers, "b"), None);
        for key in ["a", "c", "d", "e"] {
            assert_eq!(kept(&mut answers, key), Some(key.repeat(4)));
        }
        assert_eq!(answers.bytes, 16);
    }

    #[test]
    fn an_answer_larger_than_its_share_is_not_kept_and_drives_nothing_out() {
        let mut answers = Answers::default();
        answers.insert("a".into(), TSV, b"aa", 12);
        answers.insert("big".into(), TSV, b"bbbb", 12);
        assert_eq!(kept(&mut answers, "big"), None);
        assert_eq!(kept(&mut answers, "a").as_deref(), Some("aa"));
        assert_eq!(answers.bytes, 2);
    }

    #[test]
    fn an_answer_kept_twice_is_counted_once() {
        let mut answers = Answers::default();
        answers.insert("a".into(), TSV, b"aaa", 12);
        answers.insert("a".into(), "application/sparql-results+json", b"aaa", 12);
        assert_eq!(answers.bytes, 3);
        assert_eq!(answers.entries.len(), 1);
        assert_eq!(answers.by_use.len(), 1);
        let (content_type, _) = answers.get("a").unwrap();
        assert_eq!(content_type, "application/sparql-results+json");
    }
}
