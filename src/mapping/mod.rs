//! From the data files' model to RDF quads.
//!
//! A pure function of the model, the reference data and the IRI base: no I/O, no blank nodes, no
//! randomness, and quads come out in the order of the file, so two runs give the same graph.
//! Checks that need more than the TOML grammar (ids, references, dates, figures) happen here,
//! in the same pass that writes the triples, so there is one place that knows what a valid
//! fact is. Every error carries the byte span of the offending value. A reference to nothing
//! (an unknown kind, unit, country or id) is kept and the mapping goes on, so one build lists
//! them all ([`map_article`]); any other error stops the file.
//!
//! This file is the one-pass [`Mapper`] (about 700 lines, longer than our usual 600): one
//! method per table of the data file, each holding that table's checks beside the triples it
//! writes, in file order; splitting it would separate a check from the triple it guards. The
//! value parsers (ids, figures, dates) are in [`values`], the reference data in [`reference`].

mod reference;
mod values;

pub use reference::{map_reference, Reference};
pub use values::{PartialDate, Precision};

use crate::iris::Iris;
use crate::model::*;
use crate::vocab::{brikg, dcterms, prov, schema, skos};
use crate::vocabulary::{Category, Kind, Unit};
use oxrdf::vocab::rdf;
use oxrdf::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use oxsdatatypes::Duration;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::str::FromStr;
use toml::Spanned;
use values::{check_completeness, check_id, slug, unique_ids, Figure, Quantity};

/// Where messages send a curator who needs a new kind, event type or unit.
const DECLARATIONS: &str =
    "vocabulary/*.toml of the data directory (see docs/data.md, \"Declaring kinds and units\")";

/// The most paragraphs a section may declare: more is a typo, not an article.
pub const MAX_PARAGRAPHS: u32 = 1000;

/// A problem found while mapping, located by the span of the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapError {
    pub span: Range<usize>,
    pub field: String,
    pub message: String,
}

pub(crate) type MapResult<T> = Result<T, MapError>;

pub(crate) fn error<T>(
    span: Range<usize>,
    field: impl Into<String>,
    message: impl Into<String>,
) -> MapResult<T> {
    Err(MapError {
        span,
        field: field.into(),
        message: message.into(),
    })
}

/// The quads of one article, in its own named graph.
#[derive(Debug)]
pub struct ArticleGraph {
    pub id: String,
    pub graph: NamedNode,
    pub quads: Vec<Quad>,
}

/// Collects quads into one graph, in insertion order.
pub(crate) struct Emitter {
    graph: GraphName,
    pub(crate) quads: Vec<Quad>,
}

impl Emitter {
    pub(crate) fn new(graph: NamedNode) -> Self {
        Emitter {
            graph: graph.into(),
            quads: Vec::new(),
        }
    }
    pub(crate) fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads
            .push(Quad::new(s.clone(), p, o.into(), self.graph.clone()));
    }
}

/// Maps one article file into its named graph, checking every id, reference, date and figure.
///
/// Every reference that names nothing known (a kind, unit, event type, country, currency,
/// measure, field, section or id) is reported, in file order, not only the first: a curator
/// who drafted a file with four new kinds declares them all after one build, not four. Other
/// problems (a bad date, a duplicate id) stop the mapping where they are found, with the
/// references found before them.
pub fn map_article(
    file: &ArticleFile,
    reference: &Reference,
    iris: &Iris,
) -> Result<ArticleGraph, Vec<MapError>> {
    Mapper::new(file, reference, iris)
        .map_err(|e| vec![e])?
        .run()
}

/// What an id in the shared namespace of entities, organisations and agreement sets names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Named {
    /// An entity, with its class.
    Entity(NamedNode),
    /// An entity whose kind is unknown (already reported): references to it are not errors.
    Unkinded,
    Organization,
    Agreement,
}

struct Mapper<'a> {
    file: &'a ArticleFile,
    reference: &'a Reference,
    iris: &'a Iris,
    article_id: &'a str,
    article: NamedNode,
    lang: String,
    out: Emitter,
    /// Paragraph counts by section id.
    sections: BTreeMap<&'a str, u32>,
    named: BTreeMap<&'a str, Named>,
    /// The references to nothing found so far, reported together at the end.
    errors: Vec<MapError>,
}

impl<'a> Mapper<'a> {
    fn new(file: &'a ArticleFile, reference: &'a Reference, iris: &'a Iris) -> MapResult<Self> {
        let meta = &file.article;
        check_id(&meta.id, "article.id")?;
        let lang = meta.language.get_ref().to_ascii_lowercase();
        if Literal::new_language_tagged_literal("x", &lang).is_err() {
            return error(
                meta.language.span(),
                "article.language",
                format!(
                    "{:?} is not a BCP 47 language tag; write e.g. \"en\" or \"zh-Hans\"",
                    meta.language.get_ref()
                ),
            );
        }
        let article_id = meta.id.get_ref().as_str();
        Ok(Mapper {
            file,
            reference,
            iris,
            article_id,
            article: iris.article(article_id),
            lang,
            out: Emitter::new(iris.article_graph(article_id)),
            sections: BTreeMap::new(),
            named: BTreeMap::new(),
            errors: Vec::new(),
        })
    }

    fn text(&self, value: &str) -> Literal {
        Literal::new_language_tagged_literal_unchecked(value, &self.lang)
    }

    /// Keeps the error of a reference to nothing and goes on, so one pass finds them all; the
    /// triple it would have given is left out (the graph is thrown away anyway). A reference
    /// checked twice (a measure's unit, for each of its figures) is reported once.
    fn soft<T>(&mut self, result: MapResult<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                let known = self
                    .errors
                    .iter()
                    .any(|k| k.span.start == e.span.start && k.field == e.field);
                if !known {
                    self.errors.push(e);
                }
                None
            }
        }
    }

    fn run(mut self) -> Result<ArticleGraph, Vec<MapError>> {
        let stopped = self.tables().err();
        let mut errors = std::mem::take(&mut self.errors);
        errors.extend(stopped);
        if !errors.is_empty() {
            // In file order, as a compiler lists them; a stable sort keeps a value's own order.
            errors.sort_by_key(|e| e.span.start);
            return Err(errors);
        }
        Ok(ArticleGraph {
            id: self.article_id.to_owned(),
            graph: self.iris.article_graph(self.article_id),
            quads: self.out.quads,
        })
    }

    /// Maps the tables in file order; an error returned here stops the mapping.
    fn tables(&mut self) -> MapResult<()> {
        self.declare_names()?;
        self.article_meta()?;
        self.sections()?;
        self.concepts()?;
        self.entities()?;
        self.organizations()?;
        self.agreements()?;
        self.observations()?;
        self.events()
    }

    /// Registers every id first, so references may point forwards in the file.
    fn declare_names(&mut self) -> MapResult<()> {
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

    fn article_meta(&mut self) -> MapResult<()> {
        let meta = &self.file.article;
        let article = self.article.clone();
        self.out.add(&article, rdf::TYPE, brikg::ARTICLE);
        self.out.add(
            &article,
            dcterms::IDENTIFIER,
            Literal::new_simple_literal(self.article_id),
        );
        if meta.title.trim().is_empty() {
            return error(
                meta.id.span(),
                "article.title",
                "the title must not be empty",
            );
        }
        let title = self.text(&meta.title);
        self.out.add(&article, dcterms::TITLE, title);
        if meta.authors.is_empty() {
            return error(
                meta.id.span(),
                "article.authors",
                "name at least one author, e.g. authors = [\"Qiu Ping\"]",
            );
        }
        for (i, author) in meta.authors.iter().enumerate() {
            let slug = slug(author.get_ref());
            if slug.is_empty() {
                return error(
                    author.span(),
                    format!("article.authors[{i}]"),
                    "an author's name must contain letters or digits",
                );
            }
            let person = self.iris.person(&slug);
            self.out.add(&article, dcterms::CREATOR, person.clone());
            self.out.add(&person, rdf::TYPE, brikg::AUTHOR);
            self.out.add(
                &person,
                schema::NAME,
                Literal::new_simple_literal(author.get_ref().trim()),
            );
        }
        let date = PartialDate::parse(&meta.modified, "article.modified")?;
        if date.precision != Precision::Day {
            return error(
                meta.modified.span(),
                "article.modified",
                "the update date needs a day: YYYY-MM-DD",
            );
        }
        self.out.add(&article, dcterms::MODIFIED, date.literal());
        self.out.add(
            &article,
            dcterms::LANGUAGE,
            Literal::new_simple_literal(&self.lang),
        );
        for (i, about) in meta.about.iter().enumerate() {
            let field = format!("article.about[{i}]");
            if self.named.get(about.get_ref().as_str()) == Some(&Named::Organization) {
                self.soft::<()>(error(
                    about.span(),
                    field,
                    format!(
                        "{:?} is an organization; an article is about entities or agreements",
                        about.get_ref()
                    ),
                ));
                continue;
            }
            if let Some(target) = self.soft(self.resolve(about, &field, false)) {
                self.out.add(&article, dcterms::SUBJECT, target);
            }
        }
        Ok(())
    }

    fn sections(&mut self) -> MapResult<()> {
        for (i, s) in self.file.sections.iter().enumerate() {
            let id = s.id.get_ref();
            let node = self.iris.article_part(self.article_id, "section", id);
            self.out.add(&node, rdf::TYPE, brikg::SECTION);
            self.out
                .add(&node, dcterms::IS_PART_OF, self.article.clone());
            self.out
                .add(&node, brikg::POSITION, Literal::from(i as u64 + 1));
            if let Some(theme) = &s.theme {
                let theme = self.text(theme);
                self.out.add(&node, brikg::THEME, theme);
            }
            for n in 1..=*s.paragraphs.get_ref() {
                let p = self.iris.paragraph(self.article_id, id, n);
                self.out.add(&p, rdf::TYPE, brikg::PARAGRAPH);
                self.out.add(&p, dcterms::IS_PART_OF, node.clone());
                self.out.add(&p, brikg::POSITION, Literal::from(n));
            }
        }
        Ok(())
    }

    fn concepts(&mut self) -> MapResult<()> {
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

    fn entities(&mut self) -> MapResult<()> {
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
                if let Some(p) = self.soft(self.paragraph(source, &format!("entities[{i}].source")))
                {
                    self.out.add(&node, prov::WAS_DERIVED_FROM, p);
                }
            }
        }
        Ok(())
    }

    fn organizations(&mut self) -> MapResult<()> {
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
                if let Some(p) =
                    self.soft(self.paragraph(source, &format!("organizations[{i}].source")))
                {
                    self.out.add(&node, prov::WAS_DERIVED_FROM, p);
                }
            }
        }
        Ok(())
    }

    fn agreements(&mut self) -> MapResult<()> {
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
            if let Some(p) =
                self.soft(self.paragraph(&a.source, &format!("agreements[{i}].source")))
            {
                self.out.add(&node, prov::WAS_DERIVED_FROM, p);
            }
        }
        Ok(())
    }

    fn observations(&mut self) -> MapResult<()> {
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
            if let Some(about) = self.soft(self.resolve(&o.about, &at("about"), true)) {
                self.out.add(&node, schema::OBSERVATION_ABOUT, about);
            }
            if self.file.measures.contains_key(o.measure.get_ref()) {
                let measure = self.iris.concept("measure", o.measure.get_ref());
                self.out.add(&node, schema::VARIABLE_MEASURED, measure);
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
            if let Some(unit) = unit {
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
                self.out
                    .add(&node, schema::OBSERVATION_DATE, date.end_of_period());
                self.out
                    .add(&node, brikg::DATE_PRECISION_PROP, date.precision.term());
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
            if let Some(p) = self.soft(self.paragraph(&o.source, &at("source"))) {
                self.out.add(&node, prov::WAS_DERIVED_FROM, p);
            }
        }
        Ok(())
    }

    fn events(&mut self) -> MapResult<()> {
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
            if let Some(p) = self.soft(self.paragraph(&e.source, &format!("events[{i}].source"))) {
                self.out.add(&node, prov::WAS_DERIVED_FROM, p);
            }
        }
        Ok(())
    }

    /// Links `node` to the IRIs its identifiers in other graphs name (`schema:sameAs`, as the
    /// countries are linked to their Wikidata items): a link that Google, schema.org tools and
    /// SPARQL engines follow without the identity reasoning `owl:sameAs` would bring.
    fn identifiers(
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

    /// The kind `name` names, which must be of one of `categories`.
    fn kind(
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
    fn unit_of(&self, o: &Observation, i: usize) -> MapResult<MapResult<Option<&'a Unit>>> {
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
    fn unit(&self, spelled: &Spanned<String>, field: &str) -> MapResult<&'a Unit> {
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
    fn resolve(&self, id: &Spanned<String>, field: &str, countries: bool) -> MapResult<NamedNode> {
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

    fn country(&self, code: &Spanned<String>, field: &str) -> MapResult<NamedNode> {
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

    fn paragraph(&self, source: &SourceRef, field: &str) -> MapResult<NamedNode> {
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
