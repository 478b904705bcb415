//! Figures in a sentence: the number as written (digits or words), its scale, currency or unit,
//! comparator, and the date or period that governs it.

use super::dates::{DateExpr, Lead};
use super::lexicon::{Gazetteer, Lexicon};
use super::text::{Class, Token};
use text2num::{text2digits, Language};

/// A figure found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// The number as written, without thousands separators (`78000`, `1.9`).
    pub value: String,
    pub scale: Option<String>,
    pub currency: Option<String>,
    pub unit: Option<String>,
    pub comparator: String,
    pub as_of: Option<String>,
    pub period: Option<String>,
    /// Token range of the figure: comparator, currency, number, scale and unit.
    pub first: usize,
    pub last: usize,
    /// Token index of the number itself.
    pub number: usize,
    /// The measure's label, a best guess ("trips", "total value").
    pub measure: Option<String>,
}

const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "dozen",
];

fn is_number_word(word: &str) -> bool {
    word.split('-')
        .all(|part| part != "dozen" && NUMBER_WORDS.iter().any(|n| n.eq_ignore_ascii_case(part)))
}

/// Words that end a measure's noun phrase.
const STOP: &[&str] = &[
    "in",
    "at",
    "by",
    "from",
    "to",
    "with",
    "for",
    "on",
    "over",
    "since",
    "into",
    "across",
    "under",
    "than",
    "as",
    "per",
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "his",
    "her",
    "and",
    "or",
    "but",
    "while",
    "which",
    "who",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "may",
    "up",
    "down",
    "it",
    "they",
    "them",
    "of",
    "each",
    "every",
    "more",
    "less",
    "most",
    "all",
    "some",
    "bound",
    "said",
    "says",
    "according",
    "between",
    "through",
    "before",
    "after",
    "during",
    "including",
    "such",
    "so",
    "not",
    "no",
    "also",
    "now",
    "then",
    "there",
    "here",
    "long",
    "wide",
    "high",
    "deep",
    "away",
    "south",
    "north",
    "east",
    "west",
    "annually",
    "a year",
];

/// Words skipped when a measure's label is looked for before the figure.
const LINKING: &[&str] = &[
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "will",
    "be",
    "been",
    "reached",
    "reaching",
    "reach",
    "stood",
    "at",
    "to",
    "of",
    "totalled",
    "totaled",
    "totalling",
    "amounted",
    "rose",
    "rising",
    "grew",
    "climbed",
    "hit",
    "a",
    "an",
    "the",
    "by",
    "cost",
    "costs",
    "now",
];

fn is_stop(word: &str) -> bool {
    word.ends_with("ly") || STOP.iter().any(|s| s.eq_ignore_ascii_case(word))
}

/// The phrase of `gazetteer` that starts exactly at token `i` (a unit after a number, a
/// currency before or after it), and the last token it covers.
fn phrase_at(
    gazetteer: &Gazetteer,
    sentence: &str,
    tokens: &[Token<'_>],
    i: usize,
) -> Option<(String, usize)> {
    let t = tokens.get(i)?;
    let window_end = tokens.get(i + 4).map_or(sentence.len(), |t| t.start);
    let slice = &sentence[t.start..window_end];
    let (found, _) = gazetteer
        .find(slice)
        .into_iter()
        .find(|(f, _)| f.start == 0)?;
    let end = t.start + found.end;
    // The last token starting before `end` (tokens are in order).
    let last = tokens.partition_point(|t| t.start < end).checked_sub(1)?;
    (tokens[last].end() == end).then_some((found.code, last))
}

/// Every figure of a sentence. `dates` are the sentence's date expressions: their numbers are
/// not figures, and they give figures their reference date and period.
pub fn figures(
    sentence: &str,
    tokens: &[Token<'_>],
    dates: &[DateExpr],
    lexicon: &Lexicon,
) -> Vec<Figure> {
    // Which tokens a date covers, marked once: a sentence may list thousands of dates.
    let mut dated = vec![false; tokens.len()];
    for d in dates {
        let end = (d.last + 1).min(dated.len());
        if d.first < end {
            dated[d.first..end].fill(true);
        }
    }
    let in_date = |i: usize| dated.get(i).copied().unwrap_or(false);
    let english = Language::english();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if in_date(i) {
            i += 1;
            continue;
        }
        // The number, in digits or words.
        let (value, number_last) = if t.class == Class::Number {
            let prev = i.checked_sub(1).map(|p| &tokens[p]);
            let glued_to_word = !t.spaced
                && prev.is_some_and(|p| p.is_word() && lexicon.currencies.exact(p.text).is_none());
            let ordinal = tokens
                .get(i + 1)
                .is_some_and(|n| !n.spaced && matches!(n.text, "st" | "nd" | "rd" | "th" | "s"));
            // "Phase 2", "Line 3": a name, not a figure.
            let named = prev.is_some_and(|p| {
                p.is_capitalized() && i > 1 && lexicon.currencies.exact(p.text).is_none()
            });
            if glued_to_word || ordinal || named {
                i += 1;
                continue;
            }
            (t.text.replace(',', ""), i)
        } else if t.is_word() && is_number_word(t.text) {
            let mut last = i;
            while tokens
                .get(last + 1)
                .is_some_and(|n| n.is_word() && is_number_word(n.text) && !in_date(last + 1))
            {
                last += 1;
            }
            let words: Vec<String> = tokens[i..=last]
                .iter()
                .map(|t| t.text.to_lowercase().replace('-', " "))
                .collect();
            let Ok(digits) = text2digits(&words.join(" "), &english) else {
                i = last + 1;
                continue;
            };
            // "one" is as often a pronoun as a number: only with a scale, unit or currency.
            let next = tokens.get(last + 1);
            let quantified = next.is_some_and(|n| {
                lexicon.scales.iter().any(|s| s == n.text)
                    || phrase_at(&lexicon.units, sentence, tokens, last + 1).is_some()
            });
            if digits == "1" && !quantified {
                i = last + 1;
                continue;
            }
            (digits, last)
        } else {
            i += 1;
            continue;
        };

        let mut first = i;
        let mut last = number_last;
        // Scale.
        let mut scale = None;
        if let Some(n) = tokens.get(last + 1) {
            if lexicon.scales.iter().any(|s| s == n.text) {
                scale = Some(n.text.to_owned());
                last += 1;
            }
        }
        // Currency or unit after the number: "1.9 million TEU", "140-hectare", "€300 million",
        // "2.4 billion yuan", "85 percent", "2.5%".
        let mut unit = None;
        let mut currency = None;
        let after = if tokens
            .get(last + 1)
            .is_some_and(|n| n.text == "-" && !n.spaced)
        {
            last + 2
        } else {
            last + 1
        };
        if let Some((code, end)) = phrase_at(&lexicon.units, sentence, tokens, after) {
            unit = Some(code);
            last = end;
        } else if let Some((code, end)) = phrase_at(&lexicon.currencies, sentence, tokens, after) {
            // "US dollars" and "USD" after the number; a lone "$" after it is not a currency.
            if tokens[after].class != Class::Symbol {
                currency = Some(code);
                last = end;
            }
        }
        // Currency before the number: "US$1.2", "$450", "RMB 2.4", "USD 20".
        if currency.is_none() {
            for back in [3usize, 2, 1] {
                let Some(start) = i.checked_sub(back) else {
                    continue;
                };
                let span_ok = tokens[start + 1..=i].iter().all(|t| !t.spaced)
                    || (back == 1 && tokens[start].class == Class::Word);
                if !span_ok {
                    continue;
                }
                if let Some((code, end)) = phrase_at(&lexicon.currencies, sentence, tokens, start) {
                    if end + 1 == i {
                        currency = Some(code);
                        first = start;
                        break;
                    }
                }
            }
        }
        // Comparator: the longest phrase that ends right before the figure.
        let mut comparator = "exactly".to_owned();
        for (words, name) in &lexicon.comparators {
            let n = words.len();
            if first < n {
                continue;
            }
            let matches = tokens[first - n..first]
                .iter()
                .zip(words)
                .all(|(t, w)| t.text.eq_ignore_ascii_case(w));
            if matches {
                comparator = name.clone();
                first -= n;
                break;
            }
        }
        let measure = measure_label(tokens, first, last, unit.is_some() || currency.is_some());
        out.push(Figure {
            value,
            scale,
            currency,
            unit,
            comparator,
            as_of: None,
            period: None,
            first,
            last,
            number: i,
            measure,
        });
        i = last + 1;
    }
    govern(&mut out, dates, tokens);
    out
}

/// Gives each figure the date expression that governs it: one right after it (before the next
/// figure) that is not a start date; else one before it that states a reference date ("By the
/// end of September 2023, …") or opens the sentence ("In 2025 the park …"). A period
/// ("over the past decade") anywhere in the sentence covers the figures without a date.
fn govern(figures: &mut [Figure], dates: &[DateExpr], tokens: &[Token<'_>]) {
    let starts: Vec<usize> = figures.iter().map(|f| f.first).collect();
    // Dates in reading order, none overlapping the next (as `dates::dates` finds them): the
    // candidates of each figure are then found by binary search, not by reading every date of
    // a sentence that lists thousands. Otherwise every date is tried.
    let ordered = dates.windows(2).all(|w| w[0].last < w[1].first);
    // Those that state a reference date for the figures after them, by where they end.
    let leading: Vec<&DateExpr> = dates
        .iter()
        .filter(|d| {
            d.date.is_some() && (d.lead == Lead::Until || (d.first == 0 && d.lead != Lead::Since))
        })
        .collect();
    let period = dates
        .iter()
        .find(|d| d.date.is_none() && d.period.is_some());
    for (k, figure) in figures.iter_mut().enumerate() {
        let next_figure = starts.get(k + 1).copied().unwrap_or(usize::MAX);
        let punctuation_between = |from: usize, to: usize| {
            tokens[from..to]
                .iter()
                .any(|t| matches!(t.text, ";" | ":" | "(" | ")"))
        };
        let fits_after = |d: &&DateExpr| {
            d.first > figure.last
                && d.first < next_figure
                && d.first <= figure.last + 6
                && d.lead != Lead::Since
                && d.lead != Lead::On
                && d.date.is_some()
                && !punctuation_between(figure.last + 1, d.first)
        };
        let after = if ordered {
            let from = dates.partition_point(|d| d.first <= figure.last);
            dates[from..]
                .iter()
                .take_while(|d| d.first <= figure.last + 6)
                .find(fits_after)
        } else {
            dates.iter().find(fits_after)
        };
        let before = if ordered {
            let until = leading.partition_point(|d| d.last < figure.first);
            until.checked_sub(1).map(|i| leading[i])
        } else {
            leading
                .iter()
                .rev()
                .find(|d| d.last < figure.first)
                .copied()
        };
        let chosen = after.or(before);
        if let Some(d) = chosen {
            figure.as_of = d.date.clone();
            figure.period = d.period.clone();
        } else if let Some(d) = period {
            figure.period = d.period.clone();
        }
    }
}

/// The measure's label: the noun phrase right after the figure ("217 cities", "50,000 types
/// of goods"), else the one before it ("a total value of more than US$340 billion").
fn measure_label(
    tokens: &[Token<'_>],
    first: usize,
    last: usize,
    has_unit: bool,
) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    let mut j = last + 1;
    while let Some(t) = tokens.get(j) {
        if !t.is_word() || words.len() >= 4 {
            break;
        }
        let lower = t.text.to_lowercase();
        if (lower == "of" || lower == "and") && !words.is_empty() {
            let joins = tokens
                .get(j + 1)
                .is_some_and(|n| n.is_word() && !is_stop(n.text) && !n.is_capitalized());
            if joins && !words.contains(&"of") && !words.contains(&"and") {
                words.push(if lower == "of" { "of" } else { "and" });
                j += 1;
                continue;
            }
            break;
        }
        if is_stop(t.text) || (t.is_capitalized() && !words.is_empty()) {
            break;
        }
        words.push(t.text);
        j += 1;
    }
    // A unit or currency is what the figure is in; the words after it ("of goods") are not
    // the measure unless a noun follows directly.
    let of_after_unit = has_unit && words.first().is_some_and(|w| *w == "of");
    if !words.is_empty() && !of_after_unit {
        return Some(words.join(" "));
    }
    // Before: skip linking words, then take the noun phrase.
    let mut j = first;
    while j > 0
        && LINKING
            .iter()
            .any(|l| l.eq_ignore_ascii_case(tokens[j - 1].text))
    {
        j -= 1;
    }
    let mut back: Vec<&str> = Vec::new();
    while j > 0 && back.len() < 3 {
        let t = &tokens[j - 1];
        if !t.is_word() || is_stop(t.text) || t.is_capitalized() {
            break;
        }
        back.push(t.text);
        j -= 1;
    }
    back.reverse();
    (!back.is_empty()).then(|| back.join(" "))
}
