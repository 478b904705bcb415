//! What the ids, codes and names of a file point to: the ids are declared before any table is
//! mapped, so a reference may point forwards; kinds, units, countries and paragraphs are looked
//! up with a message that lists what is known.

use super::error::{error, MapError, MapResult};
use super::mapper::{Mapper, Named, DECLARATIONS, MAX_PARAGRAPHS};
use super::values::{check_id, unique_ids};
use crate::model::*;
use crate::vocabulary::{Category, Kind, Unit};
use oxrdf::NamedNode;
use std::collections::BTreeSet;
use toml::Spanned;

impl<'a> Mapper<'a> {
    /// Registers every id first, so references may point forwards in the file.
    pub(super) fn declare_names(&mut self) -> MapResult<()> {
        let file = self.file;
        let mut names = Vec::new();
        for (i, e) in file.entities.iter().enumerate() {
            let kind = self.kind(&e.kind, &[Category::Entity], &format!("entities[{i}].kind"));
            let named = match self.soft(kind) {
                Some(kind) => Named::Entity(kind.class.clone()),
                None => Named::Unkinded,
            };
            names.push((&e.id, format!("entities[{i}].id"), named));
        }
        for (i, o) in file.organizations.iter().enumerate() {
            names.push((&o.id, format!("organizations[{i}].id"), Named::Organization));
        }
        for (i, a) in file.agreements.iter().enumerate() {
            names.push((&a.id, format!("agreements[{i}].id"), Named::Agreement));
        }
        for (id, field, named) in names {
            check_id(id, &field)?;
            if self.named.insert(id.get_ref(), named).is_some() {
                return error(
                    id.span(),
                    field,
                    format!(
                        "duplicate id {:?}: entities, organizations and agreements share one namespace; give each a unique id",
                        id.get_ref()
                    ),
                );
            }
        }
        let mut seen = BTreeSet::new();
        for (i, s) in file.sections.iter().enumerate() {
            let field = format!("sections[{i}].id");
            check_id(&s.id, &field)?;
            if !seen.insert(s.id.get_ref().as_str()) {
                return error(
                    s.id.span(),
                    field,
                    format!("duplicate section id {:?}", s.id.get_ref()),
                );
            }
            if !(1..=MAX_PARAGRAPHS).contains(s.paragraphs.get_ref()) {
                return error(
                    s.paragraphs.span(),
                    format!("sections[{i}].paragraphs"),
                    format!(
                        "a section has 1 to {MAX_PARAGRAPHS} paragraphs, not {}",
                        s.paragraphs.get_ref()
                    ),
                );
            }
            self.sections
                .insert(s.id.get_ref(), *s.paragraphs.get_ref());
        }
        unique_ids(file.observations.iter().map(|o| &o.id), "observations")?;
        unique_ids(file.events.iter().map(|e| &e.id), "events")?;
        for (scheme, map) in [("measures", &file.measures), ("fields", &file.fields)] {
            for (id, concept) in map {
                check_id(
                    &Spanned::new(concept.span(), id.clone()),
                    &format!("{scheme}.{id}"),
                )?;
            }
        }
        Ok(())
    }

    /// The kind `name` names, which must be of one of `categories`.
    pub(super) fn kind(
        &self,
        name: &Spanned<String>,
        categories: &[Category],
        field: &str,
    ) -> MapResult<&'a Kind> {
        let vocabulary = &self.reference.vocabulary;
        let what = categories
            .iter()
            .map(|c| c.noun())
            .collect::<Vec<_>>()
            .join(" or ");
        match vocabulary.kind(name.get_ref()) {
            Some(kind) if categories.contains(&kind.category) => Ok(kind),
            Some(kind) => error(
                name.span(),
                field,
                format!(
                    "{:?} is an {}, not an {what}; known: {}",
                    name.get_ref(),
                    kind.category.noun(),
                    vocabulary.kind_names(categories).join(", ")
                ),
            ),
            None => error(
                name.span(),
                field,
                format!(
                    "unknown {what} {:?}; known: {}; declare a new kind under [[kinds]] in {DECLARATIONS}",
                    name.get_ref(),
                    vocabulary.kind_names(categories).join(", ")
                ),
            ),
        }
    }

    /// The unit of an observation: its own, else its measure's; never with a currency.
    /// The outer error stops the mapping; the inner one is an unknown unit, reported with the
    /// others.
    pub(super) fn unit_of(
        &self,
        o: &Observation,
        i: usize,
    ) -> MapResult<MapResult<Option<&'a Unit>>> {
        // (An undefined measure is reported by the caller; the figure's own unit still counts.)
        let measure_unit = self
            .file
            .measures
            .get(o.measure.get_ref())
            .and_then(|m| m.get_ref().unit.as_ref());
        let spelled = match (&o.unit, measure_unit) {
            (Some(unit), _) => unit,
            (None, Some(unit)) => unit,
            (None, None) => return Ok(Ok(None)),
        };
        if let Some(currency) = &o.currency {
            let (span, message) = match &o.unit {
                Some(unit) => (
                    unit.span(),
                    "a figure has a currency or a unit, not both: money takes currency = \"USD\", a quantity unit = \"km\"".to_owned(),
                ),
                None => (
                    currency.span(),
                    format!(
                        "the measure {:?} is in {:?}, so this figure cannot have a currency; give money a measure of its own",
                        o.measure.get_ref(),
                        spelled.get_ref()
                    ),
                ),
            };
            return error(span, format!("observations[{i}].currency"), message);
        }
        let field = if o.unit.is_some() {
            format!("observations[{i}].unit")
        } else {
            format!("measures.{}.unit", o.measure.get_ref())
        };
        Ok(self.unit(spelled, &field).map(Some))
    }

    /// The unit `spelled` names.
    pub(super) fn unit(&self, spelled: &Spanned<String>, field: &str) -> MapResult<&'a Unit> {
        let vocabulary = &self.reference.vocabulary;
        vocabulary.unit(spelled.get_ref()).ok_or_else(|| MapError {
            span: spelled.span(),
            field: field.to_owned(),
            message: format!(
                "unknown unit {:?}; known units: {}; declare a new one under [[units]] in {DECLARATIONS}",
                spelled.get_ref(),
                vocabulary.unit_names().join(", ")
            ),
        })
    }

    /// Resolves the id of an entity, organisation or agreement set (or, where allowed, a country code).
    pub(super) fn resolve(
        &self,
        id: &Spanned<String>,
        field: &str,
        countries: bool,
    ) -> MapResult<NamedNode> {
        let key = id.get_ref().as_str();
        match self.named.get(key) {
            Some(Named::Entity(_) | Named::Unkinded) => Ok(self.iris.entity(key)),
            Some(Named::Organization) => Ok(self.iris.organization(key)),
            Some(Named::Agreement) => Ok(self.iris.agreement(key)),
            None if countries && self.reference.countries.contains_key(key) => {
                Ok(self.iris.country(key))
            }
            None => {
                let what = if countries {
                    "an entity, organization or agreement in this file, nor an ISO 3166-1 alpha-2 country code"
                } else {
                    "an entity, organization or agreement in this file"
                };
                error(id.span(), field, format!("{key:?} is not the id of {what}"))
            }
        }
    }

    pub(super) fn country(&self, code: &Spanned<String>, field: &str) -> MapResult<NamedNode> {
        let key = code.get_ref();
        if self.reference.countries.contains_key(key) {
            return Ok(self.iris.country(key));
        }
        let hint = if self
            .reference
            .countries
            .contains_key(&key.to_ascii_uppercase())
        {
            format!(
                "; country codes are upper case: {:?}",
                key.to_ascii_uppercase()
            )
        } else if let Some(c) = self.reference.countries.values().find(|c| &c.alpha3 == key) {
            format!(
                "; {key:?} is the alpha-3 code of {}, write {:?}",
                c.name, c.alpha2
            )
        } else {
            String::new()
        };
        error(
            code.span(),
            field,
            format!("{key:?} is not an ISO 3166-1 alpha-2 country code{hint}"),
        )
    }

    pub(super) fn paragraph(&self, source: &SourceRef, field: &str) -> MapResult<NamedNode> {
        let section = source.section.get_ref();
        let Some(&count) = self.sections.get(section.as_str()) else {
            let known = self.sections.keys().copied().collect::<Vec<_>>().join(", ");
            return error(
                source.section.span(),
                format!("{field}.section"),
                format!("{section:?} is not a section of this article (sections: {known})"),
            );
        };
        let n = *source.paragraph.get_ref();
        if n == 0 || n > count {
            return error(
                source.paragraph.span(),
                format!("{field}.paragraph"),
                format!("section {section:?} has paragraphs 1 to {count}, not {n}"),
            );
        }
        Ok(self.iris.paragraph(self.article_id, section, n))
    }
}
