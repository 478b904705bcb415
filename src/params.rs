//! The parameters of the bundled queries: what a value a person types means, as an RDF term.
//!
//! A query's header declares its parameters (`# param: country ?c: …`); the name says what kind
//! of value it takes, and this module turns the value into the term the variable is bound to:
//! an article id into the article's graph (so the query reads one graph, not 20,000), a country
//! code or name into the country, a measure's id or label into the measure. The term is then
//! substituted into the query's algebra ([`crate::query::bind_variables`]), so the engine starts
//! from it.

use crate::error::{Error, Result};
use crate::iris::Iris;
use crate::mapping::{PartialDate, Reference};
use crate::queries::{BundledQuery, Param};
use oxigraph::model::{Literal, NamedNode, Term, Variable};

/// What a parameter's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// An article, by its id: bound to the article's named graph.
    Article,
    /// A country, by ISO 3166-1 code (alpha-2, alpha-3, numeric) or any of its names.
    Country,
    /// A thing facts are about, by its id or any of its names (or a country, by code or name).
    Subject,
    /// A measure, by its id or its English label.
    Measure,
    /// A field of cooperation, by its id.
    Field,
    /// The earliest date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, compared at its own precision.
    From,
    /// The latest date, likewise.
    To,
}

impl ParamKind {
    /// The kind a parameter name stands for.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "article" => ParamKind::Article,
            "country" => ParamKind::Country,
            "subject" => ParamKind::Subject,
            "measure" => ParamKind::Measure,
            "field" => ParamKind::Field,
            "from" => ParamKind::From,
            "to" => ParamKind::To,
            _ => return None,
        })
    }

    /// Whether turning a value into a term needs the reference data (countries).
    pub fn needs_reference(self) -> bool {
        matches!(self, ParamKind::Country | ParamKind::Subject)
    }
}

/// Looks up what a value names where the text alone does not say (the store knows).
pub trait Lookup {
    /// Whether the store holds the article with this id.
    fn article(&self, id: &str) -> Result<bool>;
    /// The measure with this id, or one of whose labels this is.
    fn measure(&self, text: &str) -> Result<Option<NamedNode>>;
    /// The thing (entity, organisation, agreement set) with this id, or one of whose names this is.
    fn thing(&self, text: &str) -> Result<Option<NamedNode>>;
    /// The field of cooperation with this id.
    fn field(&self, id: &str) -> Result<Option<NamedNode>>;
    /// The ids and names of this kind nearest to `text`, offered when it names nothing.
    fn nearest(&self, kind: ParamKind, text: &str) -> Result<Vec<String>>;
}

/// Where a parameter was given, so a message names it as the person wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// On the command line: `--param NAME=VALUE`.
    Flag,
    /// In a URL's query string: `NAME=VALUE`.
    QueryString,
}

impl Spelling {
    fn write(self, name: &str, value: Option<&str>) -> String {
        let pair = match value {
            Some(v) => format!("{name}={v}"),
            None => name.to_owned(),
        };
        match self {
            Spelling::Flag => format!("--param {pair}"),
            Spelling::QueryString => format!("parameter {pair}"),
        }
    }
}

/// What turning values into terms may need.
pub struct Context<'a> {
    pub iris: &'a Iris,
    /// The reference data, for countries (loaded only when a parameter needs it).
    pub reference: Option<&'a Reference>,
    /// The store's index of names. Without one (a query sent to another endpoint) a value is
    /// taken as an id, unchecked.
    pub lookup: Option<&'a dyn Lookup>,
    pub spelling: Spelling,
}

/// The bindings of `NAME=VALUE` pairs for a bundled query: each name must be one the query
/// declares.
pub fn bind(
    query: &BundledQuery,
    pairs: &[(String, String)],
    context: &Context<'_>,
) -> Result<Vec<(Variable, Term)>> {
    let declared = query.params();
    let mut bindings: Vec<(Variable, Term)> = Vec::new();
    for (name, value) in pairs {
        let Some(param) = declared.iter().find(|p| p.name == name) else {
            return Err(Error::Usage(unknown(query, &declared, name)));
        };
        let variable = Variable::new_unchecked(param.variable);
        if bindings.iter().any(|(v, _)| *v == variable) {
            let given = declared
                .iter()
                .filter(|p| p.variable == param.variable)
                .filter(|p| pairs.iter().any(|(n, _)| n == p.name))
                .map(|p| p.name)
                .collect::<Vec<_>>();
            return Err(Error::Usage(if given.len() > 1 {
                format!(
                    "{}: {} and {} say the same thing; give one of them",
                    query.name,
                    context.spelling.write(given[0], None),
                    context.spelling.write(given[1], None)
                )
            } else {
                format!(
                    "{}: {} is given twice; give it once",
                    query.name,
                    context.spelling.write(name, None)
                )
            }));
        }
        let term = term(param, value, context).map_err(|why| {
            Error::Usage(format!(
                "{}: {}: {why}",
                query.name,
                context.spelling.write(name, Some(value))
            ))
        })?;
        bindings.push((variable, term));
    }
    Ok(bindings)
}

/// Which parameters a query declares, said when one is unknown.
fn unknown(query: &BundledQuery, declared: &[Param], name: &str) -> String {
    if declared.is_empty() {
        format!("{}: takes no parameters, not {name:?}", query.name)
    } else {
        format!(
            "{}: no parameter {name:?}; it takes {}",
            query.name,
            declared
                .iter()
                .map(|p| format!("{} (e.g. {})", p.name, p.example))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The term a value of `param` stands for.
fn term(param: &Param, value: &str, context: &Context<'_>) -> std::result::Result<Term, String> {
    let kind = ParamKind::from_name(param.name).expect("queries declare known kinds (tested)");
    let value = value.trim();
    let id = || -> std::result::Result<&str, String> {
        if crate::model::is_kebab_case(value) {
            Ok(value)
        } else {
            Err(format!(
                "an id is lowercase letters, digits and single hyphens, e.g. {}",
                param.example
            ))
        }
    };
    let country = || {
        context
            .reference
            .and_then(|r| r.find_country(value))
            .map(|code| Term::from(context.iris.country(code)))
    };
    // A value the store does not know is refused, with the names it may have meant: an empty
    // answer would read as "nothing happened", not "no such thing".
    let unknown = |what: String| -> String {
        let offered = match context.lookup {
            Some(lookup) => lookup.nearest(kind, value).unwrap_or_default(),
            None => Vec::new(),
        };
        match crate::suggest::did_you_mean(&offered) {
            Some(offer) => format!("{what}; {offer}"),
            None if kind == ParamKind::Article => {
                format!("{what}; `brikg query articles` lists them")
            }
            None => format!("{what}; give an id or a name, e.g. {}", param.example),
        }
    };
    let found = |f: Option<NamedNode>| f.map(Term::from);
    Ok(match kind {
        ParamKind::Article => {
            let id = id()?;
            if let Some(lookup) = context.lookup {
                if !lookup.article(id).map_err(|e| e.to_string())? {
                    return Err(unknown(format!("the store holds no article {id:?}")));
                }
            }
            context.iris.article_graph(id).into()
        }
        ParamKind::Country => country().ok_or_else(|| {
            "no such country; give an ISO 3166-1 code (IT, ITA or 380) or a name (Italy, 意大利)"
                .to_owned()
        })?,
        ParamKind::Subject => match country() {
            Some(c) => c,
            None => match context.lookup {
                Some(lookup) => found(lookup.thing(value).map_err(|e| e.to_string())?)
                    .ok_or_else(|| unknown(format!("no thing has the id or name {value:?}")))?,
                None => context.iris.entity(id()?).into(),
            },
        },
        ParamKind::Field => match context.lookup {
            Some(lookup) => found(lookup.field(id()?).map_err(|e| e.to_string())?)
                .ok_or_else(|| unknown(format!("no field of cooperation has the id {value:?}")))?,
            None => context.iris.concept("field", id()?).into(),
        },
        ParamKind::Measure => match context.lookup {
            Some(lookup) => found(lookup.measure(value).map_err(|e| e.to_string())?)
                .ok_or_else(|| unknown(format!("no measure has the id or label {value:?}")))?,
            None => context.iris.concept("measure", id()?).into(),
        },
        ParamKind::From | ParamKind::To => {
            PartialDate::from_text(value)
                .map_err(|why| format!("{why}; write YYYY, YYYY-MM or YYYY-MM-DD"))?;
            Literal::new_simple_literal(value).into()
        }
    })
}

/// Splits `NAME=VALUE`.
pub fn split(pair: &str) -> Result<(String, String)> {
    let (name, value) = pair.split_once('=').ok_or_else(|| {
        Error::Usage(format!(
            "--param {pair:?}: write NAME=VALUE, e.g. --param country=IT"
        ))
    })?;
    Ok((name.trim().to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_is_a_known_kind_bound_to_a_variable_of_its_query() {
        for q in crate::queries::QUERIES {
            for p in q.params() {
                assert!(
                    ParamKind::from_name(p.name).is_some(),
                    "{}: unknown parameter {}",
                    q.name,
                    p.name
                );
                assert!(
                    q.text.contains(&format!("?{}", p.variable)),
                    "{}: no ?{}",
                    q.name,
                    p.variable
                );
                assert!(
                    !p.example.is_empty(),
                    "{}: {} has no example",
                    q.name,
                    p.name
                );
            }
        }
    }
}
