//! Where a sentence names something (an entity, an organisation, an agreement set, a country),
//! and from those mentions, what a figure is about.
//!
//! A report names hundreds of things with another name in brackets ("the Riut Corridor (RIC)"),
//! and every later sentence may use that name alone. [`AltNames`] finds which of them a
//! sentence holds in time proportional to the sentence, not to the names found so far.

use aho_corasick::AhoCorasick;

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

/// What a figure starting at byte `start` is about: the thing named last before it, if an
/// entity; a country or organisation only in the same clause ("Russia took about 65,000
/// tonnes"); else the last entity named before it in the sentence (`mentions`, in reading
/// order), then in the paragraph's earlier sentences (`paragraph_facility`, the last entity
/// they name).
pub fn about_figure(
    sentence: &str,
    mentions: &[Mention],
    paragraph_facility: Option<&str>,
    start: usize,
) -> Option<String> {
    let before = &mentions[..mentions.partition_point(|m| m.start < start)];
    if let Some(last) = before.last() {
        let same_clause = !sentence[last.start..start].contains([',', ';', ':']);
        if last.facility || (last.country && same_clause) {
            return Some(last.target.clone());
        }
    }
    before
        .iter()
        .rev()
        .find(|m| m.facility)
        .map(|m| m.target.as_str())
        .or(paragraph_facility)
        .map(str::to_owned)
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

    /// The positions in [`AltNames::names`] of the names that occur in `lower` (anywhere,
    /// as the byte search of an ASCII-lowercased sentence finds them), in ascending order.
    pub fn found_in(&self, lower: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for run in &self.runs {
            match &run.automaton {
                Some(automaton) => {
                    for m in automaton.find_overlapping_iter(lower) {
                        out.extend(&run.positions[m.pattern().as_usize()]);
                    }
                }
                None => out.extend(run.start..run.start + run.len),
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            alt.found_in("the cr express and the ric met the loip"),
            [0, 1, 2, 4, 5]
        );
        assert_eq!(alt.found_in("nothing here"), Vec::<usize>::new());
        for n in 0..1000 {
            alt.push(format!("name {n}"), n);
        }
        assert!(alt.runs.len() <= 11, "{} runs", alt.runs.len());
        assert_eq!(alt.found_in("a name 999."), [7 + 9, 7 + 99, 7 + 999]);
    }
}
