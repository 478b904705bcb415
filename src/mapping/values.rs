//! The values a data file writes as text, checked and turned into RDF terms: ids, figures in base
//! units, and dates as precise as the article gives them.

use super::error::{error, MapError, MapResult};
use crate::model::{Completeness, Number, Scale};
use crate::vocab::brikg;
use oxrdf::vocab::xsd;
use oxrdf::{Literal, NamedNodeRef};
use oxsdatatypes::Decimal;
use std::collections::BTreeSet;
use std::str::FromStr;
use toml::Spanned;

pub(super) fn check_id(id: &Spanned<String>, field: &str) -> MapResult<()> {
    let s = id.get_ref();
    if crate::model::is_kebab_case(s) {
        Ok(())
    } else {
        error(
            id.span(),
            field,
            format!("{s:?} is not a valid id; use lowercase letters, digits and single hyphens, e.g. \"cr-express\""),
        )
    }
}

pub(super) fn unique_ids<'b>(
    ids: impl Iterator<Item = &'b Spanned<String>>,
    list: &str,
) -> MapResult<()> {
    let mut seen = BTreeSet::new();
    for (i, id) in ids.enumerate() {
        let field = format!("{list}[{i}].id");
        check_id(id, &field)?;
        if !seen.insert(id.get_ref().as_str()) {
            return error(
                id.span(),
                field,
                format!("duplicate id {:?} among {list}", id.get_ref()),
            );
        }
    }
    Ok(())
}

pub(super) fn check_completeness(
    listed: Completeness,
    count: usize,
    id: &Spanned<String>,
    field: &str,
) -> MapResult<()> {
    match (listed, count) {
        (Completeness::None, n) if n > 0 => error(
            id.span(),
            field,
            format!("\"none\" but {n} are named; use \"examples\" or \"complete\""),
        ),
        (Completeness::Examples | Completeness::Complete, 0) => {
            error(id.span(), field, "nothing is named; use \"none\"")
        }
        _ => Ok(()),
    }
}

/// Lowercase letters and digits joined by single hyphens: a readable IRI segment.
pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        // IRIs take Unicode letters as they are, which keeps two different names apart.
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// What a figure counts or measures, which decides the numbers it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quantity {
    /// Money, in a currency: a decimal, scaled into base units.
    Money,
    /// A quantity in a unit (780.5 km): a decimal, scaled.
    Measured,
    /// A percentage, written as the number of percent (2.5 for 2.5 %): a decimal, no scale.
    Percent,
    /// A count of things (217 cities): a whole number once scaled.
    Count,
}

/// A figure in base units, with the number as reported.
pub(super) struct Figure {
    pub(super) value: Literal,
    pub(super) reported: Literal,
}

impl Figure {
    /// Scales the reported number into base units. Money and measured quantities are
    /// `xsd:decimal`; a count must come out whole and is `xsd:integer`. Literals are in canonical
    /// form, as stores return them.
    pub(super) fn parse(
        value: &Spanned<Number>,
        scale: Option<Scale>,
        quantity: Quantity,
        field: &str,
    ) -> MapResult<Figure> {
        let text = &value.get_ref().0;
        let reported = Decimal::from_str(text).map_err(|_| MapError {
            span: value.span(),
            field: field.to_owned(),
            message: if text.trim_end().ends_with('%') {
                format!("{text:?} is not a number; write a percentage as its number, value = {}, with unit = \"%\"", text.trim_end().trim_end_matches('%').trim())
            } else {
                format!("{text:?} is not a number; write digits such as 217 or 1.5, without separators or units")
            },
        })?;
        if quantity == Quantity::Percent && scale.is_some() {
            return error(
                value.span(),
                field,
                format!("a percentage takes no scale: write the number of percent, value = {text} for {text} %, without scale"),
            );
        }
        if reported.is_negative() {
            return error(
                value.span(),
                field,
                format!("{text} is negative; figures are reported magnitudes, 0 or more"),
            );
        }
        let factor = Decimal::from(10_i64.pow(scale.map_or(0, Scale::exponent)));
        let Some(scaled) = reported.checked_mul(factor) else {
            return error(
                value.span(),
                field,
                format!("{text} is too large once scaled"),
            );
        };
        let value = if quantity == Quantity::Count {
            let canonical = scaled.to_string();
            if canonical.contains('.') {
                return error(
                    value.span(),
                    field,
                    format!("a count must be a whole number, but {text} scales to {canonical}; add a currency if it is money, a unit if it is measured (unit = \"km\")"),
                );
            }
            Literal::new_typed_literal(canonical, xsd::INTEGER)
        } else {
            Literal::from(scaled)
        };
        Ok(Figure {
            value,
            reported: Literal::from(reported),
        })
    }
}

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl Precision {
    pub(super) fn term(self) -> NamedNodeRef<'static> {
        match self {
            Precision::Year => brikg::YEAR_PRECISION,
            Precision::Month => brikg::MONTH_PRECISION,
            Precision::Day => brikg::DAY_PRECISION,
        }
    }
}

/// A date as precise as the article gives it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub precision: Precision,
}

impl PartialDate {
    pub(super) fn parse(value: &Spanned<String>, field: &str) -> MapResult<PartialDate> {
        let text = value.get_ref();
        PartialDate::from_text(text).map_err(|why| MapError {
            span: value.span(),
            field: field.to_owned(),
            message: format!("{text:?} is not a date: {why}; write YYYY-MM-DD, YYYY-MM or YYYY"),
        })
    }

    /// Parses and checks a date, including month lengths and leap years.
    pub fn from_text(text: &str) -> Result<PartialDate, String> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize, what: &str| -> Result<u32, String> {
            if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
                Ok(s.parse().expect("digits"))
            } else {
                Err(format!("the {what} must have {len} digits"))
            }
        };
        let year = number(parts[0], 4, "year")? as u16;
        if year == 0 {
            return Err("there is no year 0000".into());
        }
        let month = match parts.get(1) {
            Some(m) => number(m, 2, "month")? as u8,
            None => 12,
        };
        if !(1..=12).contains(&month) {
            return Err(format!("there is no month {month}"));
        }
        let last = days_in_month(year, month);
        let (day, precision) = match (parts.get(2), parts.len()) {
            (_, 1) => (31, Precision::Year),
            (None, _) => (last, Precision::Month),
            (Some(d), 3) => (number(d, 2, "day")? as u8, Precision::Day),
            _ => return Err("too many parts".into()),
        };
        if day == 0 || day > last {
            return Err(format!("{year:04}-{month:02} has days 1 to {last}"));
        }
        Ok(PartialDate {
            year,
            month,
            day,
            precision,
        })
    }

    /// The date itself, typed by its precision: `xsd:gYear`, `xsd:gYearMonth` or `xsd:date`.
    pub(super) fn literal(&self) -> Literal {
        match self.precision {
            Precision::Year => Literal::new_typed_literal(format!("{:04}", self.year), xsd::G_YEAR),
            Precision::Month => Literal::new_typed_literal(
                format!("{:04}-{:02}", self.year, self.month),
                xsd::G_YEAR_MONTH,
            ),
            Precision::Day => self.end_of_period(),
        }
    }

    /// The last day of the period, as `xsd:date`: "by the end of September 2023" is 2023-09-30.
    pub(super) fn end_of_period(&self) -> Literal {
        Literal::new_typed_literal(
            format!("{:04}-{:02}-{:02}", self.year, self.month, self.day),
            xsd::DATE,
        )
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_end_their_period() {
        let d = PartialDate::from_text("2023-09").unwrap();
        assert_eq!(d.precision, Precision::Month);
        assert_eq!(d.end_of_period().value(), "2023-09-30");
        assert_eq!(
            PartialDate::from_text("2022")
                .unwrap()
                .end_of_period()
                .value(),
            "2022-12-31"
        );
        assert_eq!(
            PartialDate::from_text("2024-02")
                .unwrap()
                .end_of_period()
                .value(),
            "2024-02-29"
        );
        assert_eq!(
            PartialDate::from_text("2023-02")
                .unwrap()
                .end_of_period()
                .value(),
            "2023-02-28"
        );
        assert_eq!(
            PartialDate::from_text("2018").unwrap().literal(),
            Literal::new_typed_literal("2018", xsd::G_YEAR)
        );
        assert_eq!(
            PartialDate::from_text("2023-10").unwrap().literal(),
            Literal::new_typed_literal("2023-10", xsd::G_YEAR_MONTH)
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(
            PartialDate::from_text("2023-02-29").unwrap_err(),
            "2023-02 has days 1 to 28"
        );
        assert_eq!(
            PartialDate::from_text("2023-13").unwrap_err(),
            "there is no month 13"
        );
        assert_eq!(
            PartialDate::from_text("23-01").unwrap_err(),
            "the year must have 4 digits"
        );
        assert_eq!(
            PartialDate::from_text("2023-1-01").unwrap_err(),
            "the month must have 2 digits"
        );
        assert_eq!(
            PartialDate::from_text("2023-01-01-01").unwrap_err(),
            "too many parts"
        );
    }

    fn spanned(n: &str) -> Spanned<Number> {
        Spanned::new(0..1, Number(n.to_owned()))
    }

    #[test]
    fn figures_scale_into_base_units_in_canonical_form() {
        let f = Figure::parse(&spanned("340"), Some(Scale::Billion), Quantity::Money, "v").unwrap();
        assert_eq!(
            f.value,
            Literal::new_typed_literal("340000000000", xsd::DECIMAL)
        );
        assert_eq!(f.reported, Literal::new_typed_literal("340", xsd::DECIMAL));
        let f =
            Figure::parse(&spanned("1.25"), Some(Scale::Million), Quantity::Count, "v").unwrap();
        assert_eq!(f.value, Literal::new_typed_literal("1250000", xsd::INTEGER));
        let f = Figure::parse(&spanned("78000"), None, Quantity::Count, "v").unwrap();
        assert_eq!(f.value, Literal::new_typed_literal("78000", xsd::INTEGER));
    }

    #[test]
    fn bad_figures_are_refused() {
        let e = Figure::parse(&spanned("-5"), None, Quantity::Count, "v")
            .err()
            .unwrap();
        assert_eq!(
            e.message,
            "-5 is negative; figures are reported magnitudes, 0 or more"
        );
        let e = Figure::parse(&spanned("1.5"), None, Quantity::Count, "v")
            .err()
            .unwrap();
        assert_eq!(
            e.message,
            "a count must be a whole number, but 1.5 scales to 1.5; add a currency if it is money, a unit if it is measured (unit = \"km\")"
        );
        let e = Figure::parse(&spanned("12k"), None, Quantity::Count, "v")
            .err()
            .unwrap();
        assert_eq!(
            e.message,
            "\"12k\" is not a number; write digits such as 217 or 1.5, without separators or units"
        );
    }

    #[test]
    fn slugs_are_readable() {
        assert_eq!(slug("Qiu Ping"), "qiu-ping");
        assert_eq!(slug("  Zoë  O'Neil "), "zoë-o-neil");
        assert_ne!(slug("é"), slug("ue9"));
    }
}
