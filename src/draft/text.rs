//! Sentences and tokens of a paragraph: the units every drafting rule works on.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Letters, with inner hyphens, apostrophes and the dots of "U.S." (`Land-Sea`, `China's`).
    Word,
    /// Digits with inner thousands commas and one decimal point (`48,000`, `1.9`).
    Number,
    /// Any other character (`$`, `%`, `,`, `-`, `(`).
    Symbol,
}

/// One token of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub class: Class,
    /// Byte offset in the sentence.
    pub start: usize,
    /// Whether white space comes right before it (`US$1.2`: `$` and `1.2` have none).
    pub spaced: bool,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.class == Class::Word
    }

    pub fn is(&self, text: &str) -> bool {
        self.text == text
    }

    /// Starts with a capital letter.
    pub fn is_capitalized(&self) -> bool {
        self.is_word() && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Co", "Ltd", "Inc", "No", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "e.g", "i.e", "U.S", "U.K",
];

/// The sentences of a paragraph. A sentence ends at `.`, `!` or `?` (and any closing quote)
/// followed by white space and a capital, a digit or an opening quote, except after an
/// abbreviation or a single capital letter (an initial).
pub fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in paragraph.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(q) = paragraph[end..]
            .chars()
            .next()
            .filter(|q| "\"”’')".contains(*q))
        {
            end += q.len_utf8();
        }
        let rest = &paragraph[end..];
        let next = rest.trim_start();
        if next.len() == rest.len() || next.is_empty() {
            continue;
        }
        let opens = next
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“‘(".contains(n));
        if !opens {
            continue;
        }
        if c == '.' {
            let word_start = paragraph[..i]
                .rfind(|ch: char| ch.is_whitespace() || ch == '(')
                .map_or(0, |p| p + 1);
            let word = &paragraph[word_start..i];
            let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if initial || ABBREVIATIONS.contains(&word) {
                continue;
            }
        }
        let sentence = paragraph[start..end].trim();
        if !sentence.is_empty() {
            out.push(sentence);
        }
        start = end;
    }
    let last = paragraph[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

/// The tokens of a sentence.
pub fn tokens(sentence: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    let mut i = 0;
    let mut spaced = true;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            spaced = true;
            i += 1;
            continue;
        }
        let at = |j: usize| chars.get(j).map(|(_, c)| *c);
        let (class, mut j) = if c.is_ascii_digit() {
            let mut j = i + 1;
            while let Some(n) = at(j) {
                let inner = (n == ',' || n == '.') && at(j + 1).is_some_and(|d| d.is_ascii_digit());
                if n.is_ascii_digit() || inner {
                    j += if inner { 2 } else { 1 };
                } else {
                    break;
                }
            }
            (Class::Number, j)
        } else if c.is_alphabetic() {
            let mut j = i + 1;
            while let Some(n) = at(j) {
                let joiner = matches!(n, '-' | '\'' | '’' | '.')
                    && at(j + 1).is_some_and(char::is_alphabetic)
                    && (n != '.' || at(j + 2) == Some('.'));
                if n.is_alphabetic() || joiner {
                    j += if joiner { 2 } else { 1 };
                } else {
                    break;
                }
            }
            // "U.S." keeps its final dot.
            if at(j) == Some('.') && chars[i..j].iter().any(|(_, c)| *c == '.') {
                j += 1;
            }
            (Class::Word, j)
        } else {
            (Class::Symbol, i + 1)
        };
        if j > chars.len() {
            j = chars.len();
        }
        let end = chars.get(j).map_or(sentence.len(), |(b, _)| *b);
        out.push(Token {
            text: &sentence[start..end],
            class,
            start,
            spaced,
        });
        spaced = false;
        i = j;
    }
    out
}

/// Lowercase kebab-case of the words of `text`, at most `max_words` of them.
pub fn kebab(text: &str, max_words: usize) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .filter_map(|c| {
                    let c = crate::matching::fold_accent(c);
                    c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
                })
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .take(max_words)
        .collect();
    words.join("-")
}

/// At most `max` words of `sentence` around the byte range `start..end`: the few words a fact
/// was found in, quoted in a comment, never a whole sentence.
pub fn quote(sentence: &str, start: usize, end: usize, max: usize) -> String {
    Quoter::new(sentence).quote(start, end, max)
}

/// A sentence split into words once, to quote from it many times: a sentence listing
/// thousands of figures is not split again for each.
pub struct Quoter<'a> {
    sentence: &'a str,
    /// The byte ranges of its words (runs of anything but white space), in order.
    words: Vec<(usize, usize)>,
}

impl<'a> Quoter<'a> {
    pub fn new(sentence: &'a str) -> Self {
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut at = None;
        for (i, c) in sentence.char_indices() {
            match (c.is_whitespace(), at) {
                (false, None) => at = Some(i),
                (true, Some(s)) => {
                    words.push((s, i));
                    at = None;
                }
                _ => {}
            }
        }
        if let Some(s) = at {
            words.push((s, sentence.len()));
        }
        Quoter { sentence, words }
    }

    /// See [`quote`].
    pub fn quote(&self, start: usize, end: usize, max: usize) -> String {
        let (sentence, words) = (self.sentence, &self.words);
        if words.is_empty() {
            return String::new();
        }
        // The first word ending after `start`, the last starting before `end` (words are in
        // order, so both by binary search).
        let first = match words.partition_point(|w| w.1 <= start) {
            p if p == words.len() => 0,
            p => p,
        };
        let last = match words.partition_point(|w| w.0 < end) {
            0 => words.len() - 1,
            p => p - 1,
        }
        .max(first);
        let inner = last - first + 1;
        let trim = |t: &str| {
            t.trim_matches(|c: char| {
                c == ',' || c == ';' || c == ':' || c == '.' || c.is_whitespace()
            })
            .to_owned()
        };
        if inner > max {
            // A long span: its two ends, the middle left out.
            let head = max / 2;
            let tail = max - head;
            return format!(
                "{} … {}",
                trim(&sentence[words[first].0..words[first + head - 1].1]),
                trim(&sentence[words[last + 1 - tail].0..words[last].1])
            );
        }
        let room = max.saturating_sub(inner);
        let mut before = (room / 2).min(first);
        let after = (room - before).min(words.len() - 1 - last);
        before = (room - after).min(first);
        let (mut lo, mut hi) = (first - before, last + after);
        // Never the whole sentence: leave out a word at one end.
        if lo == 0 && hi == words.len() - 1 && words.len() > 1 {
            if hi > last {
                hi -= 1;
            } else if lo < first {
                lo += 1;
            } else {
                hi -= 1;
            }
        }
        trim(&sentence[words[lo].0..words[hi].1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_a_stop_not_at_an_abbreviation_or_a_decimal() {
        assert_eq!(
            sentences("It cost US$1.2 billion. The U.S. Treasury said so. Mr. Li agreed. Done"),
            [
                "It cost US$1.2 billion.",
                "The U.S. Treasury said so.",
                "Mr. Li agreed.",
                "Done"
            ]
        );
    }

    #[test]
    fn tokens_split_currency_signs_and_hyphenated_units_but_keep_names() {
        let t = tokens("US$1.2 billion, a 140-hectare Land-Sea zone; 48,000 TEU in the U.S.");
        let texts: Vec<&str> = t.iter().map(|t| t.text).collect();
        assert_eq!(
            texts,
            [
                "US", "$", "1.2", "billion", ",", "a", "140", "-", "hectare", "Land-Sea", "zone",
                ";", "48,000", "TEU", "in", "the", "U.S."
            ]
        );
        assert!(!t[2].spaced);
        assert!(t[3].spaced);
    }

    #[test]
    fn ids_are_ascii_kebab_case() {
        assert_eq!(
            kebab("Korvana Cascade: Bosnia's Rivers", 4),
            "korvana-cascade-bosnia-s"
        );
        assert_eq!(kebab("Hadžić Türkiye", 3), "hadzic-turkiye");
    }

    #[test]
    fn quotes_are_a_few_words_never_the_sentence() {
        let s = "By the end of September 2023, the service had completed more than 78,000 trips.";
        let at = s.find("more").unwrap();
        assert_eq!(
            quote(s, at, at + 16, 6),
            "had completed more than 78,000 trips"
        );
        assert_eq!(quote("It had 12 berths.", 7, 9, 8), "It had 12");
    }
}
