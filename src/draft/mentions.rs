//! Where a sentence names something (an entity, an organisation, an agreement set, a country),
//! and from those mentions, what a figure is about.
//!
//! A report names hundreds of things with another name in brackets ("the Riut Corridor (RIC)"),
//! and every later sentence may use that name alone. [`AltNames`] finds which of them a
//! sentence holds in time proportional to the sentence, not to the names found so far.

use aho_corasick::AhoCorasick;
use std::collections::BTreeMap;

/// A name mention in the text, for choosing what a figure or event is about.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Entity id, agreement id or country code.
    pub target: String,
    pub start: usize,
    pub country: bool,
    /// An entity (a port, a railway), not an organisation, agreement or country.
    pub facility: bool,
}

/// A sentence's mentions in reading order, with what finding a figure's subject needs made
/// once: a sentence may list thousands of figures, and each would otherwise read every mention
/// and every character before it.
pub struct Sentence<'a> {
    pub mentions: &'a [Mention],
    /// For each `i`, the index of the last entity among `mentions[..i]`.
    last_facility: Vec<Option<usize>>,
    /// For each `i`, the index of the last mention of anything but a country among
    /// `mentions[..i]`.
    last_named: Vec<Option<usize>>,
    /// Byte offsets of the clause marks (`,`, `;`, `:`), in order.
    clause_marks: Vec<usize>,
}

impl<'a> Sentence<'a> {
    /// `mentions` must be in reading order (sorted by where they start).
    pub fn new(sentence: &str, mentions: &'a [Mention]) -> Self {
        let last_of = |keep: fn(&Mention) -> bool| {
            let mut out = Vec::with_capacity(mentions.len() + 1);
            out.push(None);
            for (i, m) in mentions.iter().enumerate() {
                let previous = *out.last().expect("one at least");
                out.push(if keep(m) { Some(i) } else { previous });
            }
            out
        };
        let last_facility = last_of(|m| m.facility);
        let last_named = last_of(|m| !m.country);
        let clause_marks = sentence
            .bytes()
            .enumerate()
            .filter(|(_, b)| matches!(b, b',' | b';' | b':'))
            .map(|(i, _)| i)
            .collect();
        Sentence {
            mentions,
            last_facility,
            last_named,
            clause_marks,
        }
    }

    /// What an event whose phrase starts at byte `start` is about, unless it is a signing
    /// (see `events`): the last thing but a country named before it, else the first named
    /// anywhere in the sentence.
    pub fn subject_at(&self, start: usize) -> Option<String> {
        let before = self.mentions.partition_point(|m| m.start < start);
        self.last_named[before]
            .or_else(|| self.mentions.iter().position(|m| !m.country))
            .map(|i| self.mentions[i].target.clone())
    }

    /// What a figure starting at byte `start` is about: the thing named last before it, if an
    /// entity; a country or organisation only in the same clause ("Russia took about 65,000
    /// tonnes"); else the last entity named before it in the sentence, then in the paragraph's
    /// earlier sentences (`paragraph_facility`, the last entity they name).
    pub fn about_figure(&self, paragraph_facility: Option<&str>, start: usize) -> Option<String> {
        let before = self.mentions.partition_point(|m| m.start < start);
        if let Some(last) = before.checked_sub(1).map(|i| &self.mentions[i]) {
            let mark = self.clause_marks.partition_point(|&p| p < last.start);
            let same_clause = self.clause_marks.get(mark).is_none_or(|&p| p >= start);
            if last.facility || (last.country && same_clause) {
                return Some(last.target.clone());
            }
        }
        self.last_facility[before]
            .map(|i| self.mentions[i].target.as_str())
            .or(paragraph_facility)
            .map(str::to_owned)
    }
}

/// The last word of a name, lowercase ("port" for "Nkalora Deepwater Port").
pub fn head_word(name: &str) -> String {
    name.rsplit([' ', '-'])
        .next()
        .unwrap_or(name)
        .to_lowercase()
}

/// Other names given in brackets, ASCII lowercase, with their entity, in the order found; and
/// automata to find them in a sentence.
#[derive(Default)]
pub struct AltNames {
    /// The names and their entity's index, in the order found.
    pub names: Vec<(String, usize)>,
    /// Automata over consecutive runs of `names`, from the first: each run more than twice
    /// as long as the next, so there are at most log₂ of the names' count and each name is
    /// put into a new automaton at most that often.
    runs: Vec<Run>,
}

/// The automaton over `names[start..start + len]`.
struct Run {
    start: usize,
    len: usize,
    /// `None` if it could not be built: every name of the run is then tried.
    automaton: Option<AhoCorasick>,
    /// For each pattern, the positions in `names` of the names it is.
    positions: Vec<Vec<usize>>,
}

impl AltNames {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Adds a name (ASCII lowercase) of the entity `index`.
    pub fn push(&mut self, name: String, index: usize) {
        self.names.push((name, index));
        let end = self.names.len();
        let mut start = end - 1;
        while let Some(last) = self.runs.last() {
            if last.len > 2 * (end - start) {
                break;
            }
            start = last.start;
            self.runs.pop();
        }
        self.runs.push(self.run(start, end));
    }

    fn run(&self, start: usize, end: usize) -> Run {
        let mut patterns: Vec<&str> = Vec::new();
        let mut positions: Vec<Vec<usize>> = Vec::new();
        let mut pattern_of: std::collections::HashMap<&str, usize> = Default::default();
        for (p, (name, _)) in self.names[start..end].iter().enumerate() {
            let k = *pattern_of.entry(name.as_str()).or_insert_with(|| {
                patterns.push(name);
                positions.push(Vec::new());
                patterns.len() - 1
            });
            positions[k].push(start + p);
        }
        Run {
            start,
            len: end - start,
            automaton: AhoCorasick::new(&patterns).ok(),
            positions,
        }
    }

    /// The names that occur in `lower` (an ASCII-lowercased sentence), by their position in
    /// [`AltNames::names`], ascending, each with where it occurs: left to right, none
    /// overlapping the one before (as repeated `str::find`s from the end of the last find them).
    pub fn found_in(&self, lower: &str) -> Vec<(usize, Vec<usize>)> {
        let mut starts: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for run in &self.runs {
            match &run.automaton {
                Some(automaton) => {
                    for m in automaton.find_overlapping_iter(lower) {
                        for &p in &run.positions[m.pattern().as_usize()] {
                            starts.entry(p).or_default().push(m.start());
                        }
                    }
                }
                None => {
                    for p in run.start..run.start + run.len {
                        let key = self.names[p].0.as_str();
                        let all = (0..=lower.len())
                            .filter(|&i| lower.as_bytes()[i..].starts_with(key.as_bytes()));
                        starts.entry(p).or_default().extend(all);
                    }
                }
            }
        }
        starts
            .into_iter()
            .filter_map(|(p, mut at)| {
                at.sort_unstable();
                at.dedup();
                let len = self.names[p].0.len().max(1);
                let mut kept: Vec<usize> = Vec::new();
                for a in at {
                    if kept.last().is_none_or(|&k| a >= k + len) {
                        kept.push(a);
                    }
                }
                (!kept.is_empty()).then_some((p, kept))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(target: &str, start: usize, country: bool, facility: bool) -> Mention {
        Mention {
            target: target.to_owned(),
            start,
            country,
            facility,
        }
    }

    #[test]
    fn a_figure_is_about_the_last_entity_or_a_country_in_its_clause() {
        let mentions = [
            mention("KE", 0, true, false),
            mention("port-a", 10, false, true),
            mention("group-b", 30, false, false),
            mention("TZ", 50, true, false),
        ];
        let mut text = " ".repeat(70);
        text.replace_range(55..56, ",");
        let s = Sentence::new(&text, &mentions);
        let about = |paragraph: Option<&str>, start| s.about_figure(paragraph, start);
        assert_eq!(about(None, 20).as_deref(), Some("port-a"));
        assert_eq!(about(None, 35).as_deref(), Some("port-a"));
        assert_eq!(about(None, 52).as_deref(), Some("TZ"));
        // A comma between the country and the figure: the last entity instead.
        assert_eq!(about(None, 60).as_deref(), Some("port-a"));
        assert_eq!(about(Some("port-p"), 5).as_deref(), Some("KE"));
        assert_eq!(about(Some("port-p"), 0).as_deref(), Some("port-p"));
        assert_eq!(s.subject_at(35).as_deref(), Some("group-b"));
        assert_eq!(s.subject_at(60).as_deref(), Some("group-b"));
        assert_eq!(s.subject_at(5).as_deref(), Some("port-a"));
        let countries = [mention("KE", 0, true, false)];
        assert_eq!(Sentence::new(&text, &countries).subject_at(5), None);
    }

    #[test]
    fn alternative_names_are_found_whatever_their_number_and_order() {
        let mut alt = AltNames::default();
        let names = ["cr express", "ric", "ric", "vop", "loip", "cr", "zz"];
        for (i, n) in names.iter().enumerate() {
            alt.push((*n).to_owned(), i);
            assert!(
                alt.runs.len() <= 3,
                "{} runs for {} names",
                alt.runs.len(),
                i + 1
            );
        }
        fn found(alt: &AltNames, text: &str) -> Vec<usize> {
            alt.found_in(text).into_iter().map(|(p, _)| p).collect()
        }
        assert_eq!(
            found(&alt, "the cr express and the ric met the loip"),
            [0, 1, 2, 4, 5]
        );
        assert_eq!(
            alt.found_in("cr express, ric, cr")[..2],
            [(0, vec![0]), (1, vec![12])]
        );
        assert_eq!(found(&alt, "nothing here"), Vec::<usize>::new());
        for n in 0..1000 {
            alt.push(format!("name {n}"), n);
        }
        assert!(alt.runs.len() <= 11, "{} runs", alt.runs.len());
        assert_eq!(found(&alt, "a name 999."), [7 + 9, 7 + 99, 7 + 999]);
    }
}
