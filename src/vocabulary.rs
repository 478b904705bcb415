//! The open vocabulary of the data files: the kinds of things, organisations and agreement sets,
//! the event types and the units of measure a data file may name.
//!
//! None of it is a Rust enum. Brikg's own kinds are classes of `ontology/brikg.ttl` with a
//! `skos:notation` (the name data files use); its units are QUDT's (`data/reference/units.toml`,
//! generated) plus `brikg:TEU`. A curator adds more in `data/vocabulary/*.toml` ([`declare`]),
//! which become RDF in the graph `<base>graph/vocabulary`: so the vocabulary is always read from
//! RDF ([`Vocabulary::read`]), the same way for what we ship and what a curator declares, and a
//! declared kind is a subclass in the exported graph, which the SHACL shapes follow.
//!
//! Why TOML for declarations rather than Turtle: curators already write TOML for articles; a
//! declaration is four plain fields (name, label, definition, parent) with no IRIs, prefixes or
//! OWL to get right; and a mistake is reported at its line and column like any data error.

use crate::error::{DataError, Result};
use crate::iris::Iris;
use crate::model::{EventTypeDeclaration, KindDeclaration, UnitDeclaration, VocabularyFile};
use crate::vocab::{brikg, owl, qudt, skos};
use oxrdf::vocab::{rdf, rdfs};
use oxrdf::{
    GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef,
    TripleRef,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use toml::Spanned;

/// Where a curator declares kinds, event types and units (relative to the data directory).
pub const DECLARATIONS_DIR: &str = "vocabulary";

/// What a kind is a kind of, which decides where data files may name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// A thing facts are about (`[[entities]] kind`): under `brikg:CooperationSubject`.
    Entity,
    /// An organisation (`[[organizations]] kind`): under `brikg:Organization`.
    Organization,
    /// A set of agreements (`[[agreements]] kind`): under `brikg:AgreementSet`.
    Agreement,
    /// A country, as a kind of counterparty.
    Country,
}

impl Category {
    /// How messages name it.
    pub fn noun(self) -> &'static str {
        match self {
            Category::Entity => "entity kind",
            Category::Organization => "organization kind",
            Category::Agreement => "agreement kind",
            Category::Country => "country",
        }
    }
}

/// A kind data files may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    pub name: String,
    pub class: NamedNode,
    pub category: Category,
}

/// A unit of measure data files may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The name queries print (`km`, `GWh`, `TEU`).
    pub notation: String,
    pub iri: NamedNode,
}

/// A published system of identifiers a curator may link a thing to (`identifiers = { wikidata
/// = "Q…" }`), read from the ontology (`brikg:IdentifierScheme`).
#[derive(Debug, Clone)]
pub struct IdentifierScheme {
    /// What data files write (`wikidata`).
    pub name: String,
    pub pattern: regex::Regex,
    /// The IRI of the thing an identifier names, with `{id}` for the identifier.
    pub template: String,
}

impl IdentifierScheme {
    /// The IRI an identifier of this scheme names, if it has the scheme's form.
    pub fn iri(&self, id: &str) -> Option<NamedNode> {
        if !self.pattern.is_match(id) {
            return None;
        }
        NamedNode::new(self.template.replace("{id}", id)).ok()
    }

    /// The part of the template before the identifier: every IRI of the scheme starts with it.
    pub fn prefix(&self) -> &str {
        self.template.split("{id}").next().unwrap_or_default()
    }
}

/// Everything data files may name, with the class hierarchy to tell what is a kind of what.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    kinds: BTreeMap<String, Kind>,
    /// Identifier schemes by name.
    schemes: BTreeMap<String, IdentifierScheme>,
    event_types: BTreeMap<String, NamedNode>,
    /// Units by every spelling accepted: notation, UCUM code, symbol.
    units: BTreeMap<String, Unit>,
    /// Each class's direct superclasses.
    parents: HashMap<NamedNode, Vec<NamedNode>>,
}

impl Vocabulary {
    /// Reads kinds (classes with `skos:notation` under one of the roots), event types
    /// (`brikg:EventType` with `skos:notation`) and units (`qudt:Unit` with `skos:notation`)
    /// from RDF, adding to what is known.
    pub fn read<'a>(&mut self, triples: impl IntoIterator<Item = TripleRef<'a>>) {
        let mut notations: Vec<(NamedNode, String)> = Vec::new();
        let mut spellings: Vec<(NamedNode, String)> = Vec::new();
        let mut event_types = BTreeSet::new();
        let mut units = BTreeSet::new();
        let mut schemes: BTreeMap<NamedNode, (Option<String>, Option<String>)> = BTreeMap::new();
        for t in triples {
            let NamedOrBlankNodeRef::NamedNode(s) = t.subject else {
                continue;
            };
            match (t.predicate, t.object) {
                (p, TermRef::NamedNode(o)) if p == rdfs::SUB_CLASS_OF => {
                    self.parents
                        .entry(s.into_owned())
                        .or_default()
                        .push(o.into_owned());
                }
                (p, TermRef::NamedNode(o)) if p == rdf::TYPE && o == brikg::EVENT_TYPE => {
                    event_types.insert(s.into_owned());
                }
                (p, TermRef::NamedNode(o)) if p == rdf::TYPE && o == qudt::UNIT => {
                    units.insert(s.into_owned());
                }
                (p, TermRef::NamedNode(o)) if p == rdf::TYPE && o == brikg::IDENTIFIER_SCHEME => {
                    schemes.entry(s.into_owned()).or_default();
                }
                (p, TermRef::Literal(l)) if p == brikg::IDENTIFIER_PATTERN => {
                    schemes.entry(s.into_owned()).or_default().0 = Some(l.value().to_owned());
                }
                (p, TermRef::Literal(l)) if p == brikg::IRI_TEMPLATE => {
                    schemes.entry(s.into_owned()).or_default().1 = Some(l.value().to_owned());
                }
                (p, TermRef::Literal(l)) if p == skos::NOTATION => {
                    notations.push((s.into_owned(), l.value().to_owned()));
                }
                (p, TermRef::Literal(l)) if p == qudt::UCUM_CODE || p == qudt::SYMBOL => {
                    spellings.push((s.into_owned(), l.value().to_owned()));
                }
                _ => {}
            }
        }
        for (node, notation) in &notations {
            if let Some((Some(pattern), Some(template))) = schemes.get(node) {
                // The ontology is ours and tested: a pattern that does not compile is a bug.
                let pattern = regex::Regex::new(pattern).expect("an identifier pattern compiles");
                self.schemes.insert(
                    notation.clone(),
                    IdentifierScheme {
                        name: notation.clone(),
                        pattern,
                        template: template.clone(),
                    },
                );
            } else if units.contains(node) {
                let unit = Unit {
                    notation: notation.clone(),
                    iri: node.clone(),
                };
                self.units.insert(notation.clone(), unit);
            } else if event_types.contains(node) {
                self.event_types.insert(notation.clone(), node.clone());
            } else if let Some(category) = self.category_of(node.as_ref()) {
                self.kinds.insert(
                    notation.clone(),
                    Kind {
                        name: notation.clone(),
                        class: node.clone(),
                        category,
                    },
                );
            }
        }
        // Other spellings of a unit (its UCUM code and symbol) find the same unit, unless a
        // notation already means another.
        for (node, spelling) in spellings {
            if let Some(unit) = self.units.values().find(|u| u.iri == node).cloned() {
                self.units.entry(spelling).or_insert(unit);
            }
        }
    }

    /// The category of a class, by the root it is under (`None`: not a kind data files name).
    fn category_of(&self, class: NamedNodeRef<'_>) -> Option<Category> {
        let ancestors = self.ancestors(class);
        let under = |root: NamedNodeRef<'_>| ancestors.iter().any(|a| a.as_ref() == root);
        // An agreement set is a cooperation subject too: the narrower root decides.
        if under(brikg::AGREEMENT_SET) {
            Some(Category::Agreement)
        } else if under(brikg::COOPERATION_SUBJECT) {
            Some(Category::Entity)
        } else if under(brikg::ORGANIZATION) {
            Some(Category::Organization)
        } else if under(brikg::COUNTRY) {
            Some(Category::Country)
        } else {
            None
        }
    }

    /// The class and every class above it.
    fn ancestors(&self, class: NamedNodeRef<'_>) -> Vec<NamedNode> {
        let mut out = vec![class.into_owned()];
        let mut i = 0;
        while i < out.len() {
            for p in self.parents.get(&out[i]).into_iter().flatten() {
                if !out.contains(p) {
                    out.push(p.clone());
                }
            }
            i += 1;
        }
        out
    }

    /// The kind with this name, of any category.
    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.get(name)
    }

    /// Whether `kind` is `class` or a narrower kind of it.
    pub fn is_a(&self, kind: &Kind, class: NamedNodeRef<'_>) -> bool {
        self.class_is_a(kind.class.as_ref(), class)
    }

    /// Whether `class` is `ancestor` or below it.
    pub fn class_is_a(&self, class: NamedNodeRef<'_>, ancestor: NamedNodeRef<'_>) -> bool {
        self.ancestors(class).iter().any(|a| a.as_ref() == ancestor)
    }

    /// The names of the kinds of these categories, sorted.
    pub fn kind_names(&self, categories: &[Category]) -> Vec<&str> {
        self.kinds
            .values()
            .filter(|k| categories.contains(&k.category))
            .map(|k| k.name.as_str())
            .collect()
    }

    /// The name of the kind whose class is `iri`.
    pub fn kind_of_class(&self, iri: &str) -> Option<&str> {
        self.kinds
            .values()
            .find(|k| k.class.as_str() == iri)
            .map(|k| k.name.as_str())
    }

    /// The notation of the unit whose IRI is `iri`.
    pub fn unit_of_iri(&self, iri: &str) -> Option<&str> {
        self.units
            .values()
            .find(|u| u.iri.as_str() == iri)
            .map(|u| u.notation.as_str())
    }

    /// The identifier scheme with this name.
    pub fn scheme(&self, name: &str) -> Option<&IdentifierScheme> {
        self.schemes.get(name)
    }

    /// The identifier schemes, by name.
    pub fn schemes(&self) -> impl Iterator<Item = &IdentifierScheme> {
        self.schemes.values()
    }

    /// The event type with this name.
    pub fn event_type(&self, name: &str) -> Option<&NamedNode> {
        self.event_types.get(name)
    }

    /// The names of the event types, sorted.
    pub fn event_type_names(&self) -> Vec<&str> {
        self.event_types.keys().map(String::as_str).collect()
    }

    /// The unit with this notation, UCUM code or symbol.
    pub fn unit(&self, spelling: &str) -> Option<&Unit> {
        self.units.get(spelling)
    }

    /// The notations of the units, sorted.
    pub fn unit_names(&self) -> Vec<&str> {
        let notations: BTreeSet<&str> = self.units.values().map(|u| u.notation.as_str()).collect();
        notations.into_iter().collect()
    }
}

/// One declarations file, read.
pub struct DeclarationFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub parsed: VocabularyFile,
}

/// Checks a curator's declarations against the vocabulary and adds them to it; returns their
/// quads, in the graph `<base>graph/vocabulary`. Refused, with the file, line and column: a
/// name already taken or not kebab-case, a missing label, definition or parent, a parent that
/// is not a kind, a cycle of parents, a unit code with spaces.
pub fn declare(
    vocabulary: &mut Vocabulary,
    files: &[DeclarationFile<'_>],
    iris: &Iris,
) -> Result<Vec<Quad>> {
    let graph = GraphName::NamedNode(iris.vocabulary_graph());
    let mut out = Vec::new();
    let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
        out.push(Quad::new(s.clone(), p, o, graph.clone()));
    };
    let en = |s: &Spanned<String>| {
        Literal::new_language_tagged_literal_unchecked(s.get_ref().trim(), "en")
    };

    // Every declared kind first, so a parent may be declared after its child or in another file.
    let mut declared: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (f, file) in files.iter().enumerate() {
        for (i, k) in file.parsed.kinds.iter().enumerate() {
            let field = format!("kinds[{i}]");
            check_name(file, &k.name, &format!("{field}.name"))?;
            let name = k.name.get_ref();
            if let Some(existing) = vocabulary.kind(name) {
                return Err(taken(file, &k.name, &field, &existing.class));
            }
            if let Some(&(g, j)) = declared.get(name) {
                return Err(at(
                    file,
                    &k.name,
                    &format!("{field}.name"),
                    format!(
                        "the kind {name:?} is already declared in {} (kinds[{j}])",
                        files[g].name
                    ),
                ));
            }
            declared.insert(name.clone(), (f, i));
            required(file, k, &field)?;
        }
    }
    // Resolve each declared kind's parent chain to a bundled kind, refusing cycles.
    let mut resolved: BTreeMap<String, Category> = BTreeMap::new();
    for (name, &(f, i)) in &declared {
        let mut chain = vec![name.clone()];
        let (mut file_index, mut kind_index) = (f, i);
        let category = loop {
            let file = &files[file_index];
            let decl = &file.parsed.kinds[kind_index];
            let parent = decl.parent.as_ref().expect("checked by required()");
            let field = format!("kinds[{kind_index}].parent");
            if let Some(kind) = vocabulary.kind(parent.get_ref()) {
                if kind.category == Category::Country {
                    return Err(at(
                        file,
                        parent,
                        &field,
                        "a kind cannot be a kind of country".into(),
                    ));
                }
                break kind.category;
            }
            if let Some(category) = resolved.get(parent.get_ref()) {
                break *category;
            }
            let Some(&(g, j)) = declared.get(parent.get_ref()) else {
                return Err(at(
                    file,
                    parent,
                    &field,
                    format!(
                        "{:?} is not a kind; a parent is one of {} or a kind declared in {DECLARATIONS_DIR}/",
                        parent.get_ref(),
                        vocabulary
                            .kind_names(&[Category::Entity, Category::Organization, Category::Agreement])
                            .join(", ")
                    ),
                ));
            };
            if chain.contains(parent.get_ref()) {
                chain.push(parent.get_ref().clone());
                let first = &files[f];
                let decl = &first.parsed.kinds[i];
                return Err(at(
                    first,
                    decl.parent.as_ref().expect("checked"),
                    &format!("kinds[{i}].parent"),
                    format!(
                        "the parents {} form a cycle; a kind's parents must lead to one of brikg's kinds",
                        chain.join(" → ")
                    ),
                ));
            }
            chain.push(parent.get_ref().clone());
            (file_index, kind_index) = (g, j);
        };
        resolved.insert(name.clone(), category);
    }
    for file in files {
        for k in &file.parsed.kinds {
            let class = iris.concept("kind", k.name.get_ref());
            let parent = k.parent.as_ref().expect("checked").get_ref();
            let parent_class = match vocabulary.kind(parent) {
                Some(kind) => kind.class.clone(),
                None => iris.concept("kind", parent),
            };
            add(&class, rdf::TYPE, owl::CLASS.into());
            add(&class, rdfs::SUB_CLASS_OF, parent_class.into());
            add(
                &class,
                skos::NOTATION,
                Literal::new_simple_literal(k.name.get_ref()).into(),
            );
            add(
                &class,
                rdfs::LABEL,
                en(k.label.as_ref().expect("checked")).into(),
            );
            add(
                &class,
                skos::DEFINITION,
                en(k.definition.as_ref().expect("checked")).into(),
            );
        }
    }

    for file in files {
        for (i, e) in file.parsed.event_types.iter().enumerate() {
            let field = format!("event_types[{i}]");
            check_name(file, &e.name, &format!("{field}.name"))?;
            if let Some(existing) = vocabulary.event_type(e.name.get_ref()) {
                return Err(taken(file, &e.name, &field, existing));
            }
            required_event(file, e, &field)?;
            let node = iris.concept("event-type", e.name.get_ref());
            add(&node, rdf::TYPE, brikg::EVENT_TYPE.into());
            add(&node, rdf::TYPE, skos::CONCEPT.into());
            add(&node, skos::IN_SCHEME, brikg::EVENT_TYPES.into());
            add(
                &node,
                skos::NOTATION,
                Literal::new_simple_literal(e.name.get_ref()).into(),
            );
            let label = en(e.label.as_ref().expect("checked"));
            add(&node, skos::PREF_LABEL, label.clone().into());
            add(&node, rdfs::LABEL, label.into());
            add(
                &node,
                skos::DEFINITION,
                en(e.definition.as_ref().expect("checked")).into(),
            );
            match &e.broader {
                Some(broader) => {
                    let Some(target) = vocabulary.event_type(broader.get_ref()) else {
                        return Err(at(
                            file,
                            broader,
                            &format!("{field}.broader"),
                            format!(
                                "{:?} is not an event type; use one of {} (or one declared before this one)",
                                broader.get_ref(),
                                vocabulary.event_type_names().join(", ")
                            ),
                        ));
                    };
                    add(&node, skos::BROADER, target.clone().into());
                }
                None => add(
                    &brikg::EVENT_TYPES.into_owned(),
                    skos::HAS_TOP_CONCEPT,
                    node.clone().into(),
                ),
            }
            vocabulary
                .event_types
                .insert(e.name.get_ref().clone(), node);
        }
        for (i, u) in file.parsed.units.iter().enumerate() {
            let field = format!("units[{i}]");
            let code = u.code.get_ref();
            if code.is_empty() || code.chars().any(char::is_whitespace) {
                return Err(at(
                    file,
                    &u.code,
                    &format!("{field}.code"),
                    format!("{code:?} is not a unit code; write it without spaces, e.g. \"bbl/d\""),
                ));
            }
            if let Some(existing) = vocabulary.unit(code) {
                return Err(taken(file, &u.code, &field, &existing.iri));
            }
            required_unit(file, u, &field)?;
            let iri = match &u.iri {
                Some(iri) => NamedNode::new(iri.get_ref()).map_err(|e| {
                    at(
                        file,
                        iri,
                        &format!("{field}.iri"),
                        format!("{:?} is not an absolute IRI: {e}", iri.get_ref()),
                    )
                })?,
                None => iris.concept("unit", &crate::iris::percent_encode(code)),
            };
            add(&iri, rdf::TYPE, qudt::UNIT.into());
            add(
                &iri,
                skos::NOTATION,
                Literal::new_simple_literal(code).into(),
            );
            add(
                &iri,
                rdfs::LABEL,
                en(u.label.as_ref().expect("checked")).into(),
            );
            add(
                &iri,
                skos::DEFINITION,
                en(u.definition.as_ref().expect("checked")).into(),
            );
            vocabulary.units.insert(
                code.clone(),
                Unit {
                    notation: code.clone(),
                    iri,
                },
            );
        }
    }
    // Now the declared kinds are RDF: read them as any other.
    vocabulary.read(out.iter().map(|q| TripleRef::from(q.as_ref())));
    Ok(out)
}

fn at(
    file: &DeclarationFile<'_>,
    value: &Spanned<String>,
    field: &str,
    message: String,
) -> crate::Error {
    DataError::at(
        file.name,
        file.text,
        value.span().start,
        Some(field.to_owned()),
        message,
    )
    .into()
}

fn taken(
    file: &DeclarationFile<'_>,
    name: &Spanned<String>,
    field: &str,
    existing: &NamedNode,
) -> crate::Error {
    at(
        file,
        name,
        &format!("{field}.name"),
        format!(
            "{:?} is already taken (by <{}>); choose another name",
            name.get_ref(),
            existing.as_str()
        ),
    )
}

fn check_name(file: &DeclarationFile<'_>, name: &Spanned<String>, field: &str) -> Result<()> {
    let s = name.get_ref();
    if crate::model::is_kebab_case(s) {
        Ok(())
    } else {
        Err(at(
            file,
            name,
            field,
            format!("{s:?} is not a valid name; use lowercase letters, digits and single hyphens, e.g. \"dry-port\""),
        ))
    }
}

/// The fields a declaration cannot do without, each refused at the declaration's name.
fn missing(
    file: &DeclarationFile<'_>,
    name: &Spanned<String>,
    field: &str,
    fields: &[(&str, bool, &str)],
) -> Result<()> {
    for (key, present, example) in fields {
        if !present {
            return Err(at(
                file,
                name,
                &format!("{field}.{key}"),
                format!("{:?} needs a {key}, e.g. {key} = {example}", name.get_ref()),
            ));
        }
    }
    Ok(())
}

fn required(file: &DeclarationFile<'_>, k: &KindDeclaration, field: &str) -> Result<()> {
    missing(
        file,
        &k.name,
        field,
        &[
            ("label", nonempty(&k.label), "\"dry port\""),
            (
                "definition",
                nonempty(&k.definition),
                "\"An inland terminal linked to seaports by rail.\"",
            ),
            ("parent", k.parent.is_some(), "\"port\""),
        ],
    )
}

fn required_event(file: &DeclarationFile<'_>, e: &EventTypeDeclaration, field: &str) -> Result<()> {
    missing(
        file,
        &e.name,
        field,
        &[
            ("label", nonempty(&e.label), "\"groundbreaking\""),
            (
                "definition",
                nonempty(&e.definition),
                "\"The ceremony that starts construction.\"",
            ),
        ],
    )
}

fn required_unit(file: &DeclarationFile<'_>, u: &UnitDeclaration, field: &str) -> Result<()> {
    missing(
        file,
        &u.code,
        field,
        &[
            ("label", nonempty(&u.label), "\"barrels per day\""),
            (
                "definition",
                nonempty(&u.definition),
                "\"Barrels of oil produced or carried in a day.\"",
            ),
        ],
    )
}

fn nonempty(value: &Option<Spanned<String>>) -> bool {
    value
        .as_ref()
        .is_some_and(|v| !v.get_ref().trim().is_empty())
}
