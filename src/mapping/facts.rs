//! The facts of an article: its figures (observations) and dated events, each pointing back to
//! its paragraph.

use super::error::{error, MapError, MapResult};
use super::mapper::{Mapper, DECLARATIONS};
use super::values::{Figure, PartialDate, Quantity};
use crate::model::*;
use crate::vocab::{brikg, dcterms, schema};
use oxrdf::vocab::rdf;
use oxrdf::Literal;
use oxsdatatypes::Duration;
use std::str::FromStr;

impl Mapper<'_> {
    pub(super) fn observations(&mut self) -> MapResult<()> {
        for (i, o) in self.file.observations.iter().enumerate() {
            let at = |f: &str| format!("observations[{i}].{f}");
            let node = self
                .iris
                .article_part(self.article_id, "observation", o.id.get_ref());
            self.out.add(&node, rdf::TYPE, brikg::OBSERVATION);
            self.out.add(
                &node,
                dcterms::IDENTIFIER,
                Literal::new_simple_literal(o.id.get_ref()),
            );
            let about = self.soft(self.resolve(&o.about, &at("about"), true));
            if let Some(about) = &about {
                self.out
                    .add(&node, schema::OBSERVATION_ABOUT, about.clone());
            }
            let mut measure = None;
            if self.file.measures.contains_key(o.measure.get_ref()) {
                let iri = self.iris.concept("measure", o.measure.get_ref());
                self.out.add(&node, schema::VARIABLE_MEASURED, iri.clone());
                measure = Some(iri);
            } else {
                self.soft::<()>(error(
                    o.measure.span(),
                    at("measure"),
                    format!(
                        "{:?} is not defined under [measures]; add it there with a label",
                        o.measure.get_ref()
                    ),
                ));
            }
            // An unknown unit is reported and the figure still checked, as a count.
            let unit = self.unit_of(o, i)?;
            let unit = match unit {
                Ok(unit) => unit,
                Err(e) => {
                    self.soft::<()>(Err(e));
                    None
                }
            };
            let quantity = match (&o.currency, &unit) {
                (Some(_), _) => Quantity::Money,
                (None, Some(u)) if u.notation == "%" => Quantity::Percent,
                (None, Some(_)) => Quantity::Measured,
                (None, None) => Quantity::Count,
            };
            let figure = Figure::parse(&o.value, o.scale, quantity, &at("value"))?;
            self.out.add(&node, schema::VALUE, figure.value);
            if let Some(unit) = &unit {
                self.out.add(&node, schema::UNIT_CODE, unit.iri.clone());
            }
            let comparator = match o.comparator {
                Comparator::Exactly => brikg::EXACTLY,
                Comparator::GreaterThan => brikg::GREATER_THAN,
                Comparator::AtLeast => brikg::AT_LEAST,
                Comparator::LessThan => brikg::LESS_THAN,
                Comparator::AtMost => brikg::AT_MOST,
                Comparator::Approximately => brikg::APPROXIMATELY,
            };
            self.out.add(&node, brikg::COMPARATOR_PROP, comparator);
            if let Some(scale) = o.scale {
                self.out.add(&node, brikg::REPORTED_NUMBER, figure.reported);
                let scale = match scale {
                    Scale::Thousand => brikg::THOUSAND,
                    Scale::Million => brikg::MILLION,
                    Scale::Billion => brikg::BILLION,
                    Scale::Trillion => brikg::TRILLION,
                };
                self.out.add(&node, brikg::REPORTED_SCALE, scale);
            }
            if let Some(currency) = &o.currency {
                let code = currency.get_ref();
                if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                    return error(
                        currency.span(),
                        at("currency"),
                        format!("{code:?} is not an ISO 4217 currency code; write three capital letters, e.g. \"USD\""),
                    );
                }
                if !self.reference.currencies.is_empty()
                    && !self.reference.currencies.contains_key(code)
                {
                    self.soft::<()>(error(
                        currency.span(),
                        at("currency"),
                        format!("{code:?} is not a current ISO 4217 currency (data/reference/currencies.toml); e.g. \"USD\", \"EUR\", \"CNY\""),
                    ));
                }
                self.out
                    .add(&node, schema::CURRENCY, Literal::new_simple_literal(code));
            }
            if let Some(as_of) = &o.as_of {
                let date = PartialDate::parse(as_of, &at("as_of"))?;
                let end = date.end_of_period();
                self.out
                    .add(&node, brikg::DATE_PRECISION_PROP, date.precision.term());
                if let (Some(about), Some(measure)) = (&about, &measure) {
                    // The unit as the figures compare it: the currency, else the unit, else none.
                    let unit_key = match (&o.currency, &unit) {
                        (Some(code), _) => code.get_ref().as_str(),
                        (None, Some(u)) => u.iri.as_str(),
                        (None, None) => "",
                    };
                    let key = self.iris.quantity(&[
                        about.as_str(),
                        measure.as_str(),
                        end.value(),
                        unit_key,
                    ]);
                    self.out.add(&node, brikg::QUANTITY_PROP, key);
                }
                self.out.add(&node, schema::OBSERVATION_DATE, end);
            }
            if let Some(period) = &o.period {
                let duration = Duration::from_str(period.get_ref()).map_err(|_| MapError {
                    span: period.span(),
                    field: at("period"),
                    message: format!(
                        "{:?} is not an ISO 8601 duration; write e.g. \"P10Y\" for ten years or \"P6M\" for six months",
                        period.get_ref()
                    ),
                })?;
                self.out
                    .add(&node, schema::OBSERVATION_PERIOD, Literal::from(duration));
            }
            self.derived_from(&node, &o.source, &at("source"));
        }
        Ok(())
    }

    pub(super) fn events(&mut self) -> MapResult<()> {
        for (i, e) in self.file.events.iter().enumerate() {
            let node = self
                .iris
                .article_part(self.article_id, "event", e.id.get_ref());
            self.out.add(&node, rdf::TYPE, brikg::EVENT);
            self.out.add(
                &node,
                dcterms::IDENTIFIER,
                Literal::new_simple_literal(e.id.get_ref()),
            );
            let vocabulary = &self.reference.vocabulary;
            match vocabulary.event_type(e.kind.get_ref()) {
                Some(kind) => self.out.add(&node, brikg::EVENT_TYPE_PROP, kind.clone()),
                None => {
                    self.soft::<()>(error(
                        e.kind.span(),
                        format!("events[{i}].kind"),
                        format!(
                            "unknown event type {:?}; known event types: {}; declare a new one under [[event_types]] in {DECLARATIONS}",
                            e.kind.get_ref(),
                            vocabulary.event_type_names().join(", ")
                        ),
                    ));
                }
            }
            if let Some(subject) =
                self.soft(self.resolve(&e.subject, &format!("events[{i}].subject"), false))
            {
                self.out.add(&node, schema::ABOUT, subject);
            }
            let date = PartialDate::parse(&e.date, &format!("events[{i}].date"))?;
            self.out.add(&node, dcterms::DATE, date.literal());
            self.out
                .add(&node, brikg::DATE_PRECISION_PROP, date.precision.term());
            self.derived_from(&node, &e.source, &format!("events[{i}].source"));
        }
        Ok(())
    }
}
