//! The operations behind each command, each taking a plain options struct.
//!
//! The binary's `cli` module turns arguments into these structs; tests and other programs call
//! the same functions directly.

use crate::build::{self, BuildOptions, BuildReport};
use crate::dataset::DataSource;
use crate::describe::DescribeOptions;
use crate::error::{Error, Result};
use crate::export::{self, ExportOptions};
use crate::format::ResultsFormat;
use crate::mapping::Iris;
use crate::queries::BundledQuery;
use crate::results;
use crate::store::{self, KgStore, QueryRequest};
use oxigraph::model::{Literal, Term, Variable};
use oxrdf::vocab::xsd;
use std::io::Write;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// Where the data, the store and the IRIs come from.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data: DataSource,
    pub store: PathBuf,
    pub iris: Iris,
    /// Publisher and licence for the dataset description.
    pub describe: DescribeOptions,
    /// What a SHACL violation does to a build.
    pub shacl: build::ShaclMode,
}

impl Settings {
    /// The build options these settings describe.
    pub fn build_options(&self) -> BuildOptions {
        BuildOptions {
            data: self.data.clone(),
            store: self.store.clone(),
            iris: self.iris.clone(),
            threads: None,
            shacl: self.shacl,
        }
    }

    /// Opens the store, building it from the data first when it does not exist yet, so the
    /// first command a newcomer types just works.
    pub fn open_or_build(&self) -> Result<(KgStore, Option<BuildReport>)> {
        store::recover_if_needed(&self.store)?;
        if store::exists(&self.store) {
            let store = KgStore::open(&self.store)?;
            // The bundled data is one small file: check that the store still holds it, so a new
            // version of brikg never answers from an old store. A data directory is the user's
            // to rebuild (checking thousands of files on every query would cost too much).
            if self.data != DataSource::Bundled
                || build::freshness(store.inner(), &self.build_options())?
                    != build::Freshness::Stale
            {
                return Ok((store, None));
            }
        }
        let report = build::build(&self.build_options(), &|_| {})?;
        Ok((KgStore::open(&self.store)?, Some(report)))
    }
}

/// Checks all data, then brings the store up to date (see [`crate::build`]).
pub fn build(
    settings: &Settings,
    progress: &(dyn Fn(build::Progress) + Sync),
) -> Result<BuildReport> {
    build::build(&settings.build_options(), progress)
}

/// Which query to run.
#[derive(Debug, Clone)]
pub enum QuerySource {
    /// A bundled query by name.
    Bundled(String),
    /// A file of SPARQL.
    File(PathBuf),
    /// SPARQL text given on the command line.
    Inline(String),
}

/// A query run.
#[derive(Debug, Clone)]
pub struct QueryOptions {
    pub source: QuerySource,
    /// `NAME=VALUE` pairs, each binding a variable to an RDF term.
    pub params: Vec<String>,
    pub format: ResultsFormat,
    pub union_default_graph: bool,
    pub timeout: Option<Duration>,
    /// Run the query at this SPARQL endpoint instead of the embedded store.
    pub endpoint: Option<String>,
    /// For the endpoint's basic or digest authentication.
    pub credentials: Option<crate::http::Credentials>,
    /// Run SPARQL updates against the store (refused otherwise).
    pub allow_update: bool,
}

/// Runs a query and writes its results; returns the number of rows.
pub fn query(
    settings: &Settings,
    options: &QueryOptions,
    writer: impl Write,
) -> Result<(usize, Option<BuildReport>)> {
    let (name, text) = match &options.source {
        QuerySource::Bundled(name) => {
            let q = BundledQuery::find(name).ok_or_else(|| {
                let names: Vec<&str> = crate::queries::QUERIES.iter().map(|q| q.name).collect();
                Error::Query(format!(
                    "no bundled query named {name:?}; bundled queries: {}",
                    names.join(", ")
                ))
            })?;
            (q.name.to_owned(), q.text.to_owned())
        }
        QuerySource::File(path) => (
            path.display().to_string(),
            std::fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?,
        ),
        QuerySource::Inline(text) => ("query".to_owned(), text.clone()),
    };
    // An update is refused unless asked for: `query` reads.
    if spargebra::SparqlParser::new().parse_query(&text).is_err() {
        if let Ok(update) = spargebra::SparqlParser::new().parse_update(&text) {
            if !options.allow_update || options.endpoint.is_some() {
                return Err(Error::Query(format!(
                    "{name}: this is a SPARQL update; brikg query only reads the store (add --update to change the embedded store; the next brikg build replaces changed article graphs only)"
                )));
            }
            let (_, report) = settings.open_or_build()?;
            store::update(&settings.store, &update)?;
            return Ok((0, report));
        }
    }
    let bindings = options
        .params
        .iter()
        .map(|p| parse_binding(p))
        .collect::<Result<Vec<_>>>()?;
    for (variable, _) in &bindings {
        if !mentions_variable(&text, variable.as_str()) {
            return Err(Error::Query(format!(
                "{name}: --param {}: the query has no variable ?{}",
                variable.as_str(),
                variable.as_str()
            )));
        }
    }
    if let Some(endpoint) = &options.endpoint {
        // Without parameters the text goes as written; with them, the query re-serialized from
        // its algebra with the values joined in, so they still cannot change its structure.
        let text = if bindings.is_empty() {
            text
        } else {
            let parsed = spargebra::SparqlParser::new()
                .parse_query(&text)
                .map_err(|e| Error::Query(format!("{name}: SPARQL syntax error: {e}")))?;
            store::bind_variables(parsed, &bindings)
                .map_err(|e| Error::Query(format!("{name}: {e}")))?
                .to_string()
        };
        let mut client = crate::http::HttpClient::new(
            options.credentials.clone(),
            options.timeout.unwrap_or(Duration::from_secs(300)),
            2,
        );
        let results = client
            .sparql_query(endpoint, &text)
            .map_err(|e| Error::Query(format!("{name}: {e}")))?;
        let rows = results::write_results(results, options.format, writer)?;
        return Ok((rows, None));
    }
    let (store, report) = settings.open_or_build()?;
    let timed_out = |e: Error| match (options.timeout, &e) {
        (Some(t), Error::Query(m)) if m.contains("has been cancelled") => Error::Query(format!(
            "{name}: the query ran longer than --timeout {} s and was cancelled",
            t.as_secs_f64()
        )),
        _ => e,
    };
    let results = store
        .query(&QueryRequest {
            name: &name,
            text: &text,
            bindings: &bindings,
            union_default_graph: options.union_default_graph,
            cancel: store::cancel_after(options.timeout),
        })
        .map_err(timed_out)?;
    let rows = results::write_results(results, options.format, writer).map_err(timed_out)?;
    Ok((rows, report))
}

/// Exports the store (built first if missing); returns the number of triples or quads written.
pub fn export(
    settings: &Settings,
    options: &ExportOptions,
    writer: impl Write,
) -> Result<(usize, Option<BuildReport>)> {
    let (store, report) = settings.open_or_build()?;
    let n = export::export(&store, &settings.iris, &settings.describe, options, writer)?;
    Ok((n, report))
}

/// Exports one file per named graph into `dir`, with a manifest.
pub fn export_split(
    settings: &Settings,
    options: &ExportOptions,
    compression: export::Compression,
    dir: &std::path::Path,
) -> Result<(Vec<export::SplitFile>, Option<BuildReport>)> {
    let (store, report) = settings.open_or_build()?;
    let files = export::export_split(
        &store,
        &settings.iris,
        &settings.describe,
        options,
        compression,
        dir,
    )?;
    Ok((files, report))
}

/// Describes the store's graphs in VoID and DCAT, computed afresh from the store.
pub fn describe(
    settings: &Settings,
    endpoint: Option<oxigraph::model::NamedNode>,
) -> Result<(Vec<oxigraph::model::Quad>, Option<BuildReport>)> {
    let (store, report) = settings.open_or_build()?;
    let mut options = settings.describe.clone();
    options.endpoint = endpoint;
    let description = export::describe_store(&store, &settings.iris, &options)?;
    Ok((description, report))
}

/// Pushes the store's graphs (built first if missing) to an external store.
pub fn push(
    settings: &Settings,
    options: &crate::push::PushOptions,
    progress: impl FnMut(&crate::push::GraphPush),
) -> Result<(Vec<crate::push::GraphPush>, Option<BuildReport>)> {
    let (store, report) = settings.open_or_build()?;
    let pushed = crate::push::push(
        &store,
        &settings.iris,
        &settings.describe,
        options,
        progress,
    )?;
    Ok((pushed, report))
}

/// Parses `NAME=VALUE` into a variable and an RDF term.
///
/// VALUE is read as an RDF term in N-Triples/Turtle syntax when it looks like one (`<iri>`,
/// `"text"@en`, `"5"^^<http://www.w3.org/2001/XMLSchema#integer>`), as an `xsd:integer`,
/// `xsd:decimal` or `xsd:boolean` when it is a bare number or `true`/`false`, and as a plain
/// string otherwise. The term is bound by the engine, never pasted into the query text.
pub fn parse_binding(param: &str) -> Result<(Variable, Term)> {
    let (name, value) = param.split_once('=').ok_or_else(|| {
        Error::Usage(format!(
            "--param {param:?}: write NAME=VALUE, e.g. --param country=PK"
        ))
    })?;
    let name = name.trim().trim_start_matches(['?', '$']);
    let variable = Variable::new(name).map_err(|e| {
        Error::Usage(format!(
            "--param {param:?}: {name:?} is not a variable name: {e}"
        ))
    })?;
    let term = if value.starts_with('<') || value.starts_with('"') || value.starts_with("_:") {
        Term::from_str(value).map_err(|e| Error::Usage(format!("--param {param:?}: {e}")))?
    } else if is_integer(value) {
        Literal::new_typed_literal(value, xsd::INTEGER).into()
    } else if is_decimal(value) {
        Literal::new_typed_literal(value, xsd::DECIMAL).into()
    } else if value == "true" || value == "false" {
        Literal::new_typed_literal(value, xsd::BOOLEAN).into()
    } else {
        Literal::new_simple_literal(value).into()
    };
    Ok((variable, term))
}

fn is_integer(v: &str) -> bool {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal(v: &str) -> bool {
    let body = v.strip_prefix(['+', '-']).unwrap_or(v);
    match body.split_once('.') {
        Some((int, frac)) => {
            !frac.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Whether `?name` or `$name` occurs in the query as a whole variable name.
fn mentions_variable(text: &str, name: &str) -> bool {
    ["?", "$"].iter().any(|sigil| {
        let needle = format!("{sigil}{name}");
        text.match_indices(&needle).any(|(i, _)| {
            text[i + needle.len()..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_become_terms() {
        let (v, t) = parse_binding("country=PK").unwrap();
        assert_eq!(v.as_str(), "country");
        assert_eq!(t, Literal::new_simple_literal("PK").into());
        assert_eq!(
            parse_binding("n=65").unwrap().1,
            Literal::new_typed_literal("65", xsd::INTEGER).into()
        );
        assert_eq!(
            parse_binding("x=1.5").unwrap().1,
            Literal::new_typed_literal("1.5", xsd::DECIMAL).into()
        );
        assert_eq!(
            parse_binding("l=\"Italy\"@en").unwrap().1,
            Literal::new_language_tagged_literal("Italy", "en")
                .unwrap()
                .into()
        );
        assert_eq!(
            parse_binding("c=<http://example.org/c>").unwrap().1,
            Term::NamedNode(oxigraph::model::NamedNode::new("http://example.org/c").unwrap())
        );
        let injection = "x=\"} UNION { ?s ?p ?o }";
        assert_eq!(
            parse_binding(injection).unwrap_err().to_string(),
            "--param \"x=\\\"} UNION { ?s ?p ?o }\": Unexpected end of literal".replace(
                "Unexpected end of literal",
                &Term::from_str("\"} UNION { ?s ?p ?o }")
                    .unwrap_err()
                    .to_string()
            )
        );
        assert_eq!(
            parse_binding("x=} UNION {").unwrap().1,
            Literal::new_simple_literal("} UNION {").into()
        );
    }

    #[test]
    fn variables_are_matched_whole() {
        assert!(mentions_variable("SELECT ?country WHERE {}", "country"));
        assert!(!mentions_variable("SELECT ?countries WHERE {}", "country"));
        assert!(mentions_variable("SELECT $x {}", "x"));
    }
}
