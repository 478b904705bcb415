//! From the data files' model to RDF quads.
//!
//! A pure function of the model, the reference data and the IRI base: no I/O, no blank nodes, no
//! randomness, and quads come out in the order of the file, so two runs give the same graph.
//! Checks that need more than the TOML grammar (ids, references, dates, figures) happen here,
//! in the same pass that writes the triples, so there is one place that knows what a valid
//! fact is. Every error carries the byte span of the offending value.

use crate::model::*;
use crate::vocab::{brikg, dcterms, prov, schema, skos};
use oxrdf::vocab::{rdf, xsd};
use oxrdf::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use oxsdatatypes::{Decimal, Duration};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::str::FromStr;
use toml::Spanned;

/// The most paragraphs a section may declare: more is a typo, not an article.
pub const MAX_PARAGRAPHS: u32 = 1000;

/// The default base of the IRIs brikg mints for data.
pub const DEFAULT_BASE: &str = "https://w3id.org/brikg/id/";

/// Mints the IRIs of data resources and graphs under one base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iris {
    base: String,
}

impl Iris {
    /// Checks that `base` is an absolute IRI ending in `/` or `#`.
    pub fn new(base: &str) -> Result<Self, String> {
        oxrdf::NamedNode::new(base)
            .map_err(|e| format!("the IRI base {base:?} is not an absolute IRI: {e}"))?;
        if !(base.ends_with('/') || base.ends_with('#')) {
            return Err(format!(
                "the IRI base {base:?} must end with '/' or '#', e.g. {DEFAULT_BASE}"
            ));
        }
        Ok(Iris {
            base: base.to_owned(),
        })
    }

    /// The base itself.
    pub fn base(&self) -> &str {
        &self.base
    }

    fn node(&self, path: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{path}", self.base))
    }

    /// The graph that holds the ontology.
    pub fn ontology_graph(&self) -> NamedNode {
        self.node("graph/ontology")
    }

    /// The graph that holds the reference data (countries).
    pub fn reference_graph(&self) -> NamedNode {
        self.node("graph/reference")
    }

    /// The graph that holds one article's facts.
    pub fn article_graph(&self, article: &str) -> NamedNode {
        self.node(&format!("graph/article/{article}"))
    }

    /// The prefix shared by every graph brikg writes, so a build can find its own graphs.
    pub fn graph_prefix(&self) -> String {
        format!("{}graph/", self.base)
    }

    /// A country, by ISO 3166-1 alpha-2 code.
    pub fn country(&self, alpha2: &str) -> NamedNode {
        self.node(&format!("country/{alpha2}"))
    }

    fn article(&self, article: &str) -> NamedNode {
        self.node(&format!("article/{article}"))
    }
    fn article_part(&self, article: &str, kind: &str, id: &str) -> NamedNode {
        self.node(&format!("article/{article}/{kind}/{id}"))
    }
    fn paragraph(&self, article: &str, section: &str, n: u32) -> NamedNode {
        self.node(&format!(
            "article/{article}/section/{section}/paragraph/{n}"
        ))
    }
}

/// The reference data every article is checked against.
#[derive(Debug, Default)]
pub struct Reference {
    /// ISO 3166-1 countries by alpha-2 code.
    pub countries: BTreeMap<String, CountryRecord>,
    /// Wikidata QIDs by alpha-2 code.
    pub wikidata: BTreeMap<String, String>,
}

/// A problem found while mapping, located by the span of the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapError {
    pub span: Range<usize>,
    pub field: String,
    pub message: String,
}

type MapResult<T> = Result<T, MapError>;

fn error<T>(
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
struct Emitter {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Emitter {
    fn new(graph: NamedNode) -> Self {
        Emitter {
            graph: graph.into(),
            quads: Vec::new(),
        }
    }
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads
            .push(Quad::new(s.clone(), p, o.into(), self.graph.clone()));
    }
}

/// Maps the reference data into the reference graph.
pub fn map_reference(reference: &Reference, iris: &Iris) -> Vec<Quad> {
    let mut out = Emitter::new(iris.reference_graph());
    for c in reference.countries.values() {
        let node = iris.country(&c.alpha2);
        out.add(&node, rdf::TYPE, brikg::COUNTRY);
        out.add(&node, brikg::ALPHA2, Literal::new_simple_literal(&c.alpha2));
        out.add(&node, brikg::ALPHA3, Literal::new_simple_literal(&c.alpha3));
        out.add(
            &node,
            brikg::NUMERIC,
            Literal::new_simple_literal(&c.numeric),
        );
        let pref = c.common_name.as_deref().unwrap_or(&c.name);
        out.add(&node, skos::PREF_LABEL, en(pref));
        if pref != c.name {
            out.add(&node, skos::ALT_LABEL, en(&c.name));
        }
        if let Some(official) = &c.official_name {
            out.add(&node, schema::LEGAL_NAME, en(official));
        }
        if let Some(qid) = reference.wikidata.get(&c.alpha2) {
            out.add(
                &node,
                schema::SAME_AS,
                NamedNode::new_unchecked(format!("http://www.wikidata.org/entity/{qid}")),
            );
        }
    }
    out.quads
}

fn en(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

/// Maps one article file into its named graph, checking every id, reference, date and figure.
pub fn map_article(
    file: &ArticleFile,
    reference: &Reference,
    iris: &Iris,
) -> MapResult<ArticleGraph> {
    Mapper::new(file, reference, iris)?.run()
}

/// What an id in the shared namespace of entities, organisations and agreement sets names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Entity(EntityKind),
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
        })
    }

    fn text(&self, value: &str) -> Literal {
        Literal::new_language_tagged_literal_unchecked(value, &self.lang)
    }

    fn run(mut self) -> MapResult<ArticleGraph> {
        self.declare_names()?;
        self.article_meta()?;
        self.sections()?;
        self.concepts();
        self.entities()?;
        self.organizations()?;
        self.agreements()?;
        self.observations()?;
        self.events()?;
        Ok(ArticleGraph {
            id: self.article_id.to_owned(),
            graph: self.iris.article_graph(self.article_id),
            quads: self.out.quads,
        })
    }

    /// Registers every id first, so references may point forwards in the file.
    fn declare_names(&mut self) -> MapResult<()> {
        let file = self.file;
        let mut names = Vec::new();
        for (i, e) in file.entities.iter().enumerate() {
            names.push((&e.id, format!("entities[{i}].id"), Named::Entity(e.kind)));
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
            let person = self.iris.node(&format!("person/{slug}"));
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
                return error(
                    about.span(),
                    field,
                    format!(
                        "{:?} is an organization; an article is about entities or agreements",
                        about.get_ref()
                    ),
                );
            }
            let target = self.resolve(about, &field, false)?;
            self.out.add(&article, dcterms::SUBJECT, target);
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

    fn concepts(&mut self) {
        for (scheme, class, map) in [
            ("measure", brikg::MEASURE, &self.file.measures),
            ("field", brikg::FIELD, &self.file.fields),
        ] {
            for (id, concept) in map {
                let node = self.iris.node(&format!("{scheme}/{id}"));
                self.out.add(&node, rdf::TYPE, class);
                self.out
                    .add(&node, skos::NOTATION, Literal::new_simple_literal(id));
                let label = self.text(&concept.get_ref().label);
                self.out.add(&node, skos::PREF_LABEL, label);
            }
        }
    }

    fn entities(&mut self) -> MapResult<()> {
        for (i, e) in self.file.entities.iter().enumerate() {
            let node = self.iris.node(&format!("entity/{}", e.id.get_ref()));
            let class = match e.kind {
                EntityKind::Initiative => brikg::INITIATIVE,
                EntityKind::TransportService => brikg::TRANSPORT_SERVICE,
                EntityKind::TradeCorridor => brikg::TRADE_CORRIDOR,
                EntityKind::Railway => brikg::RAILWAY,
                EntityKind::CooperationZones => brikg::COOPERATION_ZONES,
                EntityKind::CooperationPlatform => brikg::COOPERATION_PLATFORM,
                EntityKind::StandardSystem => brikg::STANDARD_SYSTEM,
            };
            self.out.add(&node, rdf::TYPE, class);
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
                let c = self.country(c, &format!("entities[{i}].located_in[{j}]"))?;
                self.out.add(&node, brikg::LOCATED_IN, c);
            }
            for (j, c) in e.established_by.iter().enumerate() {
                let c = self.country(c, &format!("entities[{i}].established_by[{j}]"))?;
                self.out.add(&node, brikg::ESTABLISHED_BY, c);
            }
            if let Some(c) = &e.country {
                let c = self.country(c, &format!("entities[{i}].country"))?;
                self.out.add(&node, brikg::COUNTRY_PROP, c);
            }
            for (j, s) in e.standards.iter().enumerate() {
                let field = format!("entities[{i}].standards[{j}]");
                match self.named.get(s.get_ref().as_str()) {
                    Some(Named::Entity(EntityKind::StandardSystem)) => {}
                    _ => {
                        return error(
                            s.span(),
                            field,
                            format!("{:?} is not the id of an entity of kind \"standard-system\" in this file", s.get_ref()),
                        )
                    }
                }
                let target = self.iris.node(&format!("entity/{}", s.get_ref()));
                self.out.add(&node, brikg::USES_STANDARD, target);
            }
            if let Some(source) = &e.source {
                let p = self.paragraph(source, &format!("entities[{i}].source"))?;
                self.out.add(&node, prov::WAS_DERIVED_FROM, p);
            }
        }
        Ok(())
    }

    fn organizations(&mut self) -> MapResult<()> {
        for (i, o) in self.file.organizations.iter().enumerate() {
            let node = self.iris.node(&format!("organization/{}", o.id.get_ref()));
            let class = match o.kind {
                OrganizationKind::NationalStandardizationBody => {
                    brikg::NATIONAL_STANDARDIZATION_BODY
                }
                OrganizationKind::InternationalOrganization => brikg::INTERNATIONAL_ORGANIZATION,
                OrganizationKind::RegionalOrganization => brikg::REGIONAL_ORGANIZATION,
                OrganizationKind::Other => brikg::ORGANIZATION,
            };
            self.out.add(&node, rdf::TYPE, class);
            self.out.add(
                &node,
                dcterms::IDENTIFIER,
                Literal::new_simple_literal(o.id.get_ref()),
            );
            if let Some(name) = &o.name {
                let name = self.text(name);
                self.out.add(&node, schema::NAME, name);
            }
            match &o.country {
                Some(c) => {
                    let c = self.country(c, &format!("organizations[{i}].country"))?;
                    self.out.add(&node, brikg::COUNTRY_PROP, c);
                }
                None if o.kind == OrganizationKind::NationalStandardizationBody => {
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
                let p = self.paragraph(source, &format!("organizations[{i}].source"))?;
                self.out.add(&node, prov::WAS_DERIVED_FROM, p);
            }
        }
        Ok(())
    }

    fn agreements(&mut self) -> MapResult<()> {
        for (i, a) in self.file.agreements.iter().enumerate() {
            let node = self
                .iris
                .article_part(self.article_id, "agreements", a.id.get_ref());
            let class = match a.kind {
                AgreementKind::StandardsCooperationDocuments => {
                    brikg::STANDARDS_COOPERATION_DOCUMENTS
                }
                AgreementKind::MemorandumsOfUnderstanding => brikg::MEMORANDUMS_OF_UNDERSTANDING,
            };
            self.out.add(&node, rdf::TYPE, class);
            self.out.add(
                &node,
                dcterms::IDENTIFIER,
                Literal::new_simple_literal(a.id.get_ref()),
            );
            let name = self.text(&a.name);
            self.out.add(&node, schema::NAME, name);
            let signatory = self.country(&a.signatory, &format!("agreements[{i}].signatory"))?;
            self.out.add(&node, brikg::SIGNATORY, signatory);
            for t in &a.counterparty_types {
                let class = match t {
                    CounterpartyType::NationalStandardizationBody => {
                        brikg::NATIONAL_STANDARDIZATION_BODY
                    }
                    CounterpartyType::InternationalOrganization => {
                        brikg::INTERNATIONAL_ORGANIZATION
                    }
                    CounterpartyType::RegionalOrganization => brikg::REGIONAL_ORGANIZATION,
                    CounterpartyType::Country => brikg::COUNTRY,
                };
                self.out.add(&node, brikg::COUNTERPARTY_TYPE, class);
            }
            for (j, c) in a.counterparties.iter().enumerate() {
                let field = format!("agreements[{i}].counterparties[{j}]");
                if self.named.get(c.get_ref().as_str()) != Some(&Named::Organization) {
                    return error(
                        c.span(),
                        field,
                        format!(
                            "{:?} is not the id of an organization in this file",
                            c.get_ref()
                        ),
                    );
                }
                let target = self.iris.node(&format!("organization/{}", c.get_ref()));
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
                    return error(
                        f.span(),
                        format!("agreements[{i}].fields[{j}]"),
                        format!(
                            "{:?} is not defined under [fields]; add it there with a label",
                            f.get_ref()
                        ),
                    );
                }
                let target = self.iris.node(&format!("field/{}", f.get_ref()));
                self.out.add(&node, brikg::FIELD_PROP, target);
            }
            self.out
                .add(&node, brikg::FIELDS_LISTED, listed(a.fields_listed));
            let p = self.paragraph(&a.source, &format!("agreements[{i}].source"))?;
            self.out.add(&node, prov::WAS_DERIVED_FROM, p);
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
            let about = self.resolve(&o.about, &at("about"), true)?;
            self.out.add(&node, schema::OBSERVATION_ABOUT, about);
            if !self.file.measures.contains_key(o.measure.get_ref()) {
                return error(
                    o.measure.span(),
                    at("measure"),
                    format!(
                        "{:?} is not defined under [measures]; add it there with a label",
                        o.measure.get_ref()
                    ),
                );
            }
            let measure = self.iris.node(&format!("measure/{}", o.measure.get_ref()));
            self.out.add(&node, schema::VARIABLE_MEASURED, measure);

            let figure = Figure::parse(&o.value, o.scale, o.currency.is_some(), &at("value"))?;
            self.out.add(&node, schema::VALUE, figure.value);
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
            let p = self.paragraph(&o.source, &at("source"))?;
            self.out.add(&node, prov::WAS_DERIVED_FROM, p);
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
            let kind = match e.kind {
                EventKind::Launch => brikg::LAUNCH,
                EventKind::StartOfOperation => brikg::START_OF_OPERATION,
                EventKind::Signing => brikg::SIGNING,
                EventKind::Completion => brikg::COMPLETION,
            };
            self.out.add(&node, brikg::EVENT_TYPE_PROP, kind);
            let subject = self.resolve(&e.subject, &format!("events[{i}].subject"), false)?;
            self.out.add(&node, schema::ABOUT, subject);
            let date = PartialDate::parse(&e.date, &format!("events[{i}].date"))?;
            self.out.add(&node, dcterms::DATE, date.literal());
            self.out
                .add(&node, brikg::DATE_PRECISION_PROP, date.precision.term());
            let p = self.paragraph(&e.source, &format!("events[{i}].source"))?;
            self.out.add(&node, prov::WAS_DERIVED_FROM, p);
        }
        Ok(())
    }

    /// Resolves the id of an entity, organisation or agreement set (or, where allowed, a country code).
    fn resolve(&self, id: &Spanned<String>, field: &str, countries: bool) -> MapResult<NamedNode> {
        let key = id.get_ref().as_str();
        match self.named.get(key) {
            Some(Named::Entity(_)) => Ok(self.iris.node(&format!("entity/{key}"))),
            Some(Named::Organization) => Ok(self.iris.node(&format!("organization/{key}"))),
            Some(Named::Agreement) => {
                Ok(self.iris.article_part(self.article_id, "agreements", key))
            }
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

fn check_id(id: &Spanned<String>, field: &str) -> MapResult<()> {
    let s = id.get_ref();
    let ok = !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if ok {
        Ok(())
    } else {
        error(
            id.span(),
            field,
            format!("{s:?} is not a valid id; use lowercase letters, digits and single hyphens, e.g. \"cr-express\""),
        )
    }
}

fn unique_ids<'b>(ids: impl Iterator<Item = &'b Spanned<String>>, list: &str) -> MapResult<()> {
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

fn check_completeness(
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
fn slug(text: &str) -> String {
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

/// A figure in base units, with the number as reported.
struct Figure {
    value: Literal,
    reported: Literal,
}

impl Figure {
    /// Scales the reported number into base units. Money is `xsd:decimal`; a count must come out
    /// whole and is `xsd:integer`. Literals are in canonical form, as stores return them.
    fn parse(
        value: &Spanned<Number>,
        scale: Option<Scale>,
        money: bool,
        field: &str,
    ) -> MapResult<Figure> {
        let text = &value.get_ref().0;
        let reported = Decimal::from_str(text).map_err(|_| MapError {
            span: value.span(),
            field: field.to_owned(),
            message: format!("{text:?} is not a number; write digits such as 217 or 1.5, without separators or units"),
        })?;
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
        let value = if money {
            Literal::from(scaled)
        } else {
            let canonical = scaled.to_string();
            if canonical.contains('.') {
                return error(
                    value.span(),
                    field,
                    format!("a count must be a whole number, but {text} scales to {canonical}; add a currency if it is money"),
                );
            }
            Literal::new_typed_literal(canonical, xsd::INTEGER)
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
    fn term(self) -> NamedNodeRef<'static> {
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
    fn parse(value: &Spanned<String>, field: &str) -> MapResult<PartialDate> {
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
    fn literal(&self) -> Literal {
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
    fn end_of_period(&self) -> Literal {
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
        let f = Figure::parse(&spanned("340"), Some(Scale::Billion), true, "v").unwrap();
        assert_eq!(
            f.value,
            Literal::new_typed_literal("340000000000", xsd::DECIMAL)
        );
        assert_eq!(f.reported, Literal::new_typed_literal("340", xsd::DECIMAL));
        let f = Figure::parse(&spanned("1.25"), Some(Scale::Million), false, "v").unwrap();
        assert_eq!(f.value, Literal::new_typed_literal("1250000", xsd::INTEGER));
        let f = Figure::parse(&spanned("78000"), None, false, "v").unwrap();
        assert_eq!(f.value, Literal::new_typed_literal("78000", xsd::INTEGER));
    }

    #[test]
    fn bad_figures_are_refused() {
        let e = Figure::parse(&spanned("-5"), None, false, "v")
            .err()
            .unwrap();
        assert_eq!(
            e.message,
            "-5 is negative; figures are reported magnitudes, 0 or more"
        );
        let e = Figure::parse(&spanned("1.5"), None, false, "v")
            .err()
            .unwrap();
        assert_eq!(
            e.message,
            "a count must be a whole number, but 1.5 scales to 1.5; add a currency if it is money"
        );
        let e = Figure::parse(&spanned("12k"), None, false, "v")
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

    #[test]
    fn base_must_be_absolute_and_end_with_a_separator() {
        assert!(Iris::new(DEFAULT_BASE).is_ok());
        assert_eq!(
            Iris::new("https://example.org/kg").unwrap_err(),
            "the IRI base \"https://example.org/kg\" must end with '/' or '#', e.g. https://w3id.org/brikg/id/"
        );
        assert!(Iris::new("not an iri/").is_err());
    }
}
