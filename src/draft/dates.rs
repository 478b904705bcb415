//! Dates and periods in a sentence: "By the end of September 2023", "on 2 December 2024",
//! "in the third quarter of 2024", "between 2020 and 2024", "over the past decade".

use super::text::{Class, Token};

/// The words that introduce a date, which decide what it may govern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// "by", "by the end of", "at the end of", "as of", "through", "until": a reference date.
    Until,
    /// "in", "during", "of": the period a figure or event falls in.
    In,
    /// "on": a day, as events have.
    On,
    /// "since", "from": a start, which governs no figure.
    Since,
    /// No introducing word ("the 2025 volume", "2023, up from").
    Bare,
}

/// A date or period expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateExpr {
    /// Token range of the expression, its leading words included.
    pub first: usize,
    pub last: usize,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the end of what the expression names.
    pub date: Option<String>,
    /// An ISO 8601 duration, when the expression names a span.
    pub period: Option<String>,
    pub lead: Lead,
}

pub const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month(t: &Token<'_>) -> Option<u32> {
    let text = t.text.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| *m == text || ((text.len() == 3 || text == "Sept") && m.starts_with(text)))
        .map(|p| p as u32 + 1)
}

/// A year written as four digits (no thousands comma) between 1900 and 2100.
pub fn year(t: &Token<'_>) -> Option<u32> {
    if t.class != Class::Number || t.text.len() != 4 || !t.text.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let y: u32 = t.text.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn day(t: &Token<'_>) -> Option<u32> {
    if t.class != Class::Number {
        return None;
    }
    let d: u32 = t.text.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// A small count written in digits or words ("five", "10").
pub fn small_count(t: &Token<'_>) -> Option<u32> {
    if t.class == Class::Number {
        return t.text.parse().ok();
    }
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "fifteen", "twenty", "thirty", "forty", "fifty",
    ];
    let values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20, 30, 40, 50];
    let lower = t.text.to_lowercase();
    words.iter().position(|w| *w == lower).map(|p| values[p])
}

/// The lowercase words of a sentence, computed once: every rule compares against them.
fn lowered(tokens: &[Token<'_>]) -> Vec<String> {
    tokens.iter().map(|t| t.text.to_lowercase()).collect()
}

fn lower(low: &[String], i: usize) -> &str {
    low.get(i).map_or("", String::as_str)
}

/// The lead of an expression starting at token `first`, and where its leading words begin.
fn lead_before(low: &[String], first: usize) -> (Lead, usize) {
    let w = |back: usize| first.checked_sub(back).map_or("", |i| lower(low, i));
    if w(3) == "the" && w(2) == "end" && w(1) == "of" {
        let start = first - 3;
        if matches!(w(4), "by" | "at" | "to" | "until") {
            return (Lead::Until, start - 1);
        }
        return (Lead::Until, start);
    }
    if w(2) == "as" && matches!(w(1), "of" | "at") {
        return (Lead::Until, first - 2);
    }
    match w(1) {
        "by" | "through" | "until" | "till" | "to" => (Lead::Until, first - 1),
        "in" | "during" | "of" | "for" => (Lead::In, first - 1),
        "on" => (Lead::On, first - 1),
        "since" | "from" | "after" => (Lead::Since, first - 1),
        _ => (Lead::Bare, first),
    }
}

/// Every date and period expression of a sentence, in order.
pub fn dates(tokens: &[Token<'_>]) -> Vec<DateExpr> {
    let mut out: Vec<DateExpr> = Vec::new();
    let low = lowered(tokens);
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let at = |j: usize| tokens.get(j);
        let lw = |j: usize| lower(&low, j);
        // "the third quarter of 2024", "the first half of 2024"
        let ordinal = ["first", "second", "third", "fourth"]
            .iter()
            .position(|o| t.text.eq_ignore_ascii_case(o));
        if let Some(n) = ordinal {
            let part = lw(i + 1);
            if (part == "quarter" || part == "half") && lw(i + 2) == "of" {
                if let Some(y) = at(i + 3).and_then(year) {
                    let (months, per) = if part == "quarter" {
                        (3, "P3M")
                    } else {
                        (6, "P6M")
                    };
                    let end_month = (n as u32 + 1) * months;
                    if end_month <= 12 {
                        let first = if i > 0 && lw(i - 1) == "the" {
                            i - 1
                        } else {
                            i
                        };
                        let (lead, first) = lead_before(&low, first);
                        out.push(DateExpr {
                            first,
                            last: i + 3,
                            date: Some(format!("{y}-{end_month:02}")),
                            period: Some(per.to_owned()),
                            lead,
                        });
                        i += 4;
                        continue;
                    }
                }
            }
        }
        // "between 2020 and 2024", "from 2020 to 2024"
        if (t.text.eq_ignore_ascii_case("between") && lw(i + 2) == "and")
            || (t.text.eq_ignore_ascii_case("from") && lw(i + 2) == "to")
        {
            if let (Some(a), Some(b)) = (at(i + 1).and_then(year), at(i + 3).and_then(year)) {
                if b > a {
                    out.push(DateExpr {
                        first: i,
                        last: i + 3,
                        date: Some(b.to_string()),
                        period: Some(format!("P{}Y", b - a + 1)),
                        lead: Lead::In,
                    });
                    i += 4;
                    continue;
                }
            }
        }
        // "over the past decade", "in the last five years"
        if matches!(lw(i), "past" | "last") && i > 0 && lw(i - 1) == "the" {
            let first = if i >= 2 && matches!(lw(i - 2), "over" | "in" | "during" | "for") {
                i - 2
            } else {
                i - 1
            };
            let next = lw(i + 1);
            let found = if next == "decade" {
                Some(("P10Y".to_owned(), i + 1))
            } else if next == "year" {
                Some(("P1Y".to_owned(), i + 1))
            } else if let Some(n) = at(i + 1).and_then(small_count) {
                match lw(i + 2) {
                    "years" => Some((format!("P{n}Y"), i + 2)),
                    "months" => Some((format!("P{n}M"), i + 2)),
                    "decades" => Some((format!("P{}Y", n * 10), i + 2)),
                    _ => None,
                }
            } else {
                None
            };
            if let Some((period, last)) = found {
                out.push(DateExpr {
                    first,
                    last,
                    date: None,
                    period: Some(period),
                    lead: Lead::In,
                });
                i = last + 1;
                continue;
            }
        }
        // "2 December 2024", "December 2, 2024", "September 2023", "2024"
        if let Some(m) = month(t) {
            let comma = usize::from(at(i + 2).is_some_and(|t| t.text == ","));
            if let (Some(d), Some(y)) = (at(i + 1).and_then(day), at(i + 2 + comma).and_then(year))
            {
                let (lead, first) = lead_before(&low, i);
                out.push(DateExpr {
                    first,
                    last: i + 2 + comma,
                    date: Some(format!("{y}-{m:02}-{d:02}")),
                    period: None,
                    lead,
                });
                i += 3 + comma;
                continue;
            }
            if let Some(y) = at(i + 1).and_then(year) {
                let day_before = i.checked_sub(1).and_then(&at).and_then(day);
                let start = if day_before.is_some() { i - 1 } else { i };
                let (lead, first) = lead_before(&low, start);
                let date = match day_before {
                    Some(d) => format!("{y}-{m:02}-{d:02}"),
                    None => format!("{y}-{m:02}"),
                };
                out.push(DateExpr {
                    first,
                    last: i + 1,
                    date: Some(date),
                    period: None,
                    lead,
                });
                i += 2;
                continue;
            }
        }
        if let Some(y) = year(t) {
            let (lead, first) = lead_before(&low, i);
            let prev = i.checked_sub(1).map_or("", |p| lower(&low, p));
            let next = at(i + 1);
            // "2000 jobs" is a count; "the 2025 volume" and "in 2024" are years.
            let count_like = lead == Lead::Bare
                && prev != "the"
                && prev != "its"
                && next.is_some_and(|n| n.is_word() && !n.is_capitalized());
            if !count_like {
                out.push(DateExpr {
                    first,
                    last: i,
                    date: Some(y.to_string()),
                    period: None,
                    lead,
                });
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::text::tokens;
    use super::*;

    fn found(sentence: &str) -> Vec<(Option<String>, Option<String>, Lead)> {
        dates(&tokens(sentence))
            .into_iter()
            .map(|d| (d.date, d.period, d.lead))
            .collect()
    }

    fn d(date: &str) -> Option<String> {
        Some(date.to_owned())
    }

    #[test]
    fn reference_dates_and_periods() {
        assert_eq!(
            found("By the end of September 2023, it ran."),
            [(d("2023-09"), None, Lead::Until)]
        );
        assert_eq!(
            found("at the end of 2022 it did"),
            [(d("2022"), None, Lead::Until)]
        );
        assert_eq!(
            found("As of March 2025, the port"),
            [(d("2025-03"), None, Lead::Until)]
        );
        assert_eq!(
            found("opened on 2 December 2024 to"),
            [(d("2024-12-02"), None, Lead::On)]
        );
        assert_eq!(
            found("signed on May 21, 2025, at"),
            [(d("2025-05-21"), None, Lead::On)]
        );
        assert_eq!(
            found("in the third quarter of 2024"),
            [(d("2024-09"), d("P3M"), Lead::In)]
        );
        assert_eq!(
            found("between 2020 and 2024 it grew"),
            [(d("2024"), d("P5Y"), Lead::In)]
        );
        assert_eq!(
            found("Over the past decade, total"),
            [(None, d("P10Y"), Lead::In)]
        );
        assert_eq!(
            found("over the past five years"),
            [(None, d("P5Y"), Lead::In)]
        );
        assert_eq!(
            found("took 65,000 tonnes of the 2025 volume"),
            [(d("2025"), None, Lead::Bare)]
        );
        assert_eq!(found("placed 2000 orders"), []);
        assert_eq!(
            found("Since its launch in 2018, the"),
            [(d("2018"), None, Lead::In)]
        );
    }
}
