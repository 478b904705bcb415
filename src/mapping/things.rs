//! The things an article names: its measures and fields of cooperation (SKOS concepts), its
//! entities, organisations and agreement sets, each with the checks beside the triples it writes.

use super::error::{error, MapResult};
use super::mapper::{Mapper, Named};
use super::values::check_completeness;
use crate::model::*;
use crate::vocab::{brikg, dcterms, schema, skos};
use crate::vocabulary::Category;
use oxrdf::vocab::rdf;
use oxrdf::{Literal, NamedNode};
use std::collections::BTreeMap;
use toml::Spanned;

impl Mapper<'_> {
    pub(super) fn concepts(&mut self) -> MapResult<()> {
        for (id, measure) in &self.file.measures {
            if let Some(unit) = &measure.get_ref().unit {
                let unit = self.unit(unit, &format!("measures.{id}.unit"));
                self.soft(unit);
            }
        }
        for (id, field) in &self.file.fields {
            if let Some(unit) = &field.get_ref().unit {
                return error(
                    unit.span(),
                    format!("fields.{id}.unit"),
                    "a field of cooperation has no unit; units belong to measures",
                );
            }
        }
        for (scheme, class, map) in [
            ("measure", brikg::MEASURE, &self.file.measures),
            ("field", brikg::FIELD, &self.file.fields),
        ] {
            for (id, concept) in map {
                let concept = concept.get_ref();
                let node = self.iris.concept(scheme, id);
                self.out.add(&node, rdf::TYPE, class);
                self.out
                    .add(&node, skos::NOTATION, Literal::new_simple_literal(id));
                if concept.label.get_ref().trim().is_empty() {
                    return error(
                        concept.label.span(),
                        format!("{scheme}s.{id}.label"),
                        "the label must not be empty; write what is measured, e.g. \"cities served\"",
                    );
                }
                let label = self.text(concept.label.get_ref());
                self.out.add(&node, skos::PREF_LABEL, label);
                for alt in &concept.alt_labels {
                    let alt = self.text(alt);
                    self.out.add(&node, skos::ALT_LABEL, alt);
                }
                if let Some(unit) = &concept.unit {
                    let unit = self.unit(unit, &format!("{scheme}s.{id}.unit"));
                    if let Some(unit) = self.soft(unit) {
                        self.out.add(&node, schema::UNIT_CODE, unit.iri.clone());
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn entities(&mut self) -> MapResult<()> {
        for (i, e) in self.file.entities.iter().enumerate() {
            let node = self.iris.entity(e.id.get_ref());
            let kind = self.kind(&e.kind, &[Category::Entity], &format!("entities[{i}].kind"));
            if let Some(kind) = self.soft(kind) {
                self.out.add(&node, rdf::TYPE, kind.class.clone());
            }
            self.out.add(
                &node,
                dcterms::IDENTIFIER,
                Literal::new_simple_literal(e.id.get_ref()),
            );
            let name = self.text(&e.name);
            self.out.add(&node, schema::NAME, name);
            for alt in &e.alt_names {
                let alt = self.text(alt);
                self.out.add(&node, schema::ALTERNATE_NAME, alt);
            }
            for (j, c) in e.located_in.iter().enumerate() {
                if let Some(c) =
                    self.soft(self.country(c, &format!("entities[{i}].located_in[{j}]")))
                {
                    self.out.add(&node, brikg::LOCATED_IN, c);
                }
            }
            for (j, c) in e.established_by.iter().enumerate() {
                if let Some(c) =
                    self.soft(self.country(c, &format!("entities[{i}].established_by[{j}]")))
                {
                    self.out.add(&node, brikg::ESTABLISHED_BY, c);
                }
            }
            if let Some(c) = &e.country {
                if let Some(c) = self.soft(self.country(c, &format!("entities[{i}].country"))) {
                    self.out.add(&node, brikg::COUNTRY_PROP, c);
                }
            }
            for (j, s) in e.standards.iter().enumerate() {
                let field = format!("entities[{i}].standards[{j}]");
                let vocabulary = &self.reference.vocabulary;
                match self.named.get(s.get_ref().as_str()) {
                    Some(Named::Entity(class))
                        if vocabulary.class_is_a(class.as_ref(), brikg::STANDARD_SYSTEM) => {}
                    Some(Named::Unkinded) => {}
                    _ => {
                        self.soft::<()>(error(
                            s.span(),
                            field,
                            format!("{:?} is not the id of an entity of kind \"standard-system\" in this file", s.get_ref()),
                        ));
                        continue;
                    }
                }
                let target = self.iris.entity(s.get_ref());
                self.out.add(&node, brikg::USES_STANDARD, target);
            }
            self.identifiers(&node, &e.identifiers, &format!("entities[{i}]"));
            if let Some(source) = &e.source {
                self.derived_from(&node, source, &format!("entities[{i}].source"));
            }
        }
        Ok(())
    }

    pub(super) fn organizations(&mut self) -> MapResult<()> {
        for (i, o) in self.file.organizations.iter().enumerate() {
            let node = self.iris.organization(o.id.get_ref());
            let kind = self.kind(
                &o.kind,
                &[Category::Organization],
                &format!("organizations[{i}].kind"),
            );
            let kind = self.soft(kind);
            let national_body = kind.is_some_and(|kind| {
                self.reference
                    .vocabulary
                    .is_a(kind, brikg::NATIONAL_STANDARDIZATION_BODY)
            });
            if let Some(kind) = kind {
                self.out.add(&node, rdf::TYPE, kind.class.clone());
            }
            self.out.add(
                &node,
                dcterms::IDENTIFIER,
                Literal::new_simple_literal(o.id.get_ref()),
            );
            if let Some(name) = &o.name {
                let name = self.text(name);
                self.out.add(&node, schema::NAME, name);
            }
            for alt in &o.alt_names {
                let alt = self.text(alt);
                self.out.add(&node, schema::ALTERNATE_NAME, alt);
            }
            self.identifiers(&node, &o.identifiers, &format!("organizations[{i}]"));
            match &o.country {
                Some(c) => {
                    if let Some(c) =
                        self.soft(self.country(c, &format!("organizations[{i}].country")))
                    {
                        self.out.add(&node, brikg::COUNTRY_PROP, c);
                    }
                }
                None if national_body => {
                    return error(
                        o.id.span(),
                        format!("organizations[{i}].country"),
                        "a national standardization body needs its country, e.g. country = \"PK\"",
                    );
                }
                None => {}
            }
            if o.name.is_none() && o.country.is_none() {
                return error(
                    o.id.span(),
                    format!("organizations[{i}]"),
                    "an organization needs a name or a country",
                );
            }
            if let Some(source) = &o.source {
                self.derived_from(&node, source, &format!("organizations[{i}].source"));
            }
        }
        Ok(())
    }

    pub(super) fn agreements(&mut self) -> MapResult<()> {
        for (i, a) in self.file.agreements.iter().enumerate() {
            let node = self.iris.agreement(a.id.get_ref());
            let kind = self.kind(
                &a.kind,
                &[Category::Agreement],
                &format!("agreements[{i}].kind"),
            );
            if let Some(kind) = self.soft(kind) {
                self.out.add(&node, rdf::TYPE, kind.class.clone());
            }
            self.out.add(
                &node,
                dcterms::IDENTIFIER,
                Literal::new_simple_literal(a.id.get_ref()),
            );
            let name = self.text(&a.name);
            self.out.add(&node, schema::NAME, name);
            for alt in &a.alt_names {
                let alt = self.text(alt);
                self.out.add(&node, schema::ALTERNATE_NAME, alt);
            }
            self.identifiers(&node, &a.identifiers, &format!("agreements[{i}]"));
            if let Some(signatory) =
                self.soft(self.country(&a.signatory, &format!("agreements[{i}].signatory")))
            {
                self.out.add(&node, brikg::SIGNATORY, signatory);
            }
            for (j, t) in a.counterparty_types.iter().enumerate() {
                let kind = self.kind(
                    t,
                    &[Category::Organization, Category::Country],
                    &format!("agreements[{i}].counterparty_types[{j}]"),
                );
                if let Some(kind) = self.soft(kind) {
                    self.out
                        .add(&node, brikg::COUNTERPARTY_TYPE, kind.class.clone());
                }
            }
            for (j, c) in a.counterparties.iter().enumerate() {
                let field = format!("agreements[{i}].counterparties[{j}]");
                if self.named.get(c.get_ref().as_str()) != Some(&Named::Organization) {
                    self.soft::<()>(error(
                        c.span(),
                        field,
                        format!(
                            "{:?} is not the id of an organization in this file",
                            c.get_ref()
                        ),
                    ));
                    continue;
                }
                let target = self.iris.organization(c.get_ref());
                self.out.add(&node, brikg::COUNTERPARTY, target);
            }
            let listed = |c: Completeness| match c {
                Completeness::Complete => brikg::COMPLETE_LIST,
                Completeness::Examples => brikg::EXAMPLES_ONLY,
                Completeness::None => brikg::NONE_NAMED,
            };
            check_completeness(
                a.counterparties_listed,
                a.counterparties.len(),
                &a.id,
                &format!("agreements[{i}].counterparties_listed"),
            )?;
            check_completeness(
                a.fields_listed,
                a.fields.len(),
                &a.id,
                &format!("agreements[{i}].fields_listed"),
            )?;
            self.out.add(
                &node,
                brikg::COUNTERPARTIES_LISTED,
                listed(a.counterparties_listed),
            );
            for (j, f) in a.fields.iter().enumerate() {
                if !self.file.fields.contains_key(f.get_ref()) {
                    self.soft::<()>(error(
                        f.span(),
                        format!("agreements[{i}].fields[{j}]"),
                        format!(
                            "{:?} is not defined under [fields]; add it there with a label",
                            f.get_ref()
                        ),
                    ));
                    continue;
                }
                let target = self.iris.concept("field", f.get_ref());
                self.out.add(&node, brikg::FIELD_PROP, target);
            }
            self.out
                .add(&node, brikg::FIELDS_LISTED, listed(a.fields_listed));
            self.derived_from(&node, &a.source, &format!("agreements[{i}].source"));
        }
        Ok(())
    }

    /// Links `node` to the IRIs its identifiers in other graphs name (`schema:sameAs`, as the
    /// countries are linked to their Wikidata items): a link that Google, schema.org tools and
    /// SPARQL engines follow without the identity reasoning `owl:sameAs` would bring.
    pub(super) fn identifiers(
        &mut self,
        node: &NamedNode,
        identifiers: &BTreeMap<String, Spanned<String>>,
        field: &str,
    ) {
        let vocabulary = &self.reference.vocabulary;
        for (scheme_name, id) in identifiers {
            let field = format!("{field}.identifiers.{scheme_name}");
            let Some(scheme) = vocabulary.scheme(scheme_name) else {
                let known: Vec<&str> = vocabulary.schemes().map(|s| s.name.as_str()).collect();
                self.soft::<()>(error(
                    id.span(),
                    field,
                    format!(
                        "unknown identifier scheme {scheme_name:?}; known: {}",
                        known.join(", ")
                    ),
                ));
                continue;
            };
            let Some(iri) = scheme.iri(id.get_ref().trim()) else {
                self.soft::<()>(error(
                    id.span(),
                    field,
                    format!(
                        "{:?} is not a {scheme_name} identifier (it must match {}); write the identifier only, e.g. the \"Q\" number of a Wikidata item, never a guess",
                        id.get_ref(),
                        scheme.pattern.as_str()
                    ),
                ));
                continue;
            };
            self.out.add(node, schema::SAME_AS, iri);
        }
    }
}
