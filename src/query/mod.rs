//! Running SPARQL on the embedded store: parsing (with errors a person can act on), binding
//! parameters as RDF terms, time-outs, and refusing or running updates.
//!
//! Both `brikg query` and anything else that answers queries go through here, so a parameter is
//! bound, a query cancelled and a syntax error reported the same way everywhere.

pub mod default_graph;
mod nesting;
pub mod order;
mod substitute;

pub use nesting::{check_nesting, MAX_NESTING};
pub use substitute::substitute as bind_variables;

use crate::error::{Error, Result};
use crate::store::{ExclusiveStore, KgStore};
use oxigraph::model::{Literal, Term, Variable};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxrdf::vocab::xsd;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// A SPARQL request, read.
#[derive(Debug, Clone)]
pub enum Parsed {
    Query(Box<spargebra::Query>),
    Update(spargebra::Update),
}

/// Parses a query, or else an update; a text that is neither gets the query's syntax error,
/// with the line, a caret under the column and what was expected. A text nested too deep for
/// the parser is refused first.
pub fn parse(name: &str, text: &str) -> Result<Parsed> {
    check_nesting(name, text)?;
    match spargebra::SparqlParser::new().parse_query(text) {
        Ok(query) => Ok(Parsed::Query(Box::new(query))),
        Err(query_error) => match spargebra::SparqlParser::new().parse_update(text) {
            Ok(update) => Ok(Parsed::Update(update)),
            Err(_) => Err(syntax_error(name, text, &query_error)),
        },
    }
}

/// A query to run, with its name for messages.
pub struct QueryRequest<'a> {
    pub name: &'a str,
    pub query: spargebra::Query,
    pub bindings: &'a [(Variable, Term)],
    pub union_default_graph: bool,
    pub cancel: CancellationToken,
}

/// Runs a query. `bindings` pre-bind variables to RDF terms, which can never change the query's
/// structure. With `union_default_graph`, the default graph is the union of all graphs (as in
/// Virtuoso); otherwise it is the store's own, empty, default graph.
///
/// A `SELECT`'s top-level `ORDER BY` is applied outside the engine, in bounded memory
/// ([`order`]).
pub fn evaluate(store: &KgStore, request: QueryRequest<'_>) -> Result<QueryResults<'static>> {
    let name = request.name.to_owned();
    let failed = |e: oxigraph::sparql::QueryEvaluationError| Error::Query(format!("{name}: {e}"));
    let (prepared, plan) = prepare(store, request, true)?;
    let results = prepared.execute().map_err(failed)?;
    match (plan, results) {
        (Some(plan), QueryResults::Solutions(solutions)) => Ok(QueryResults::Solutions(
            plan.sort(solutions).map_err(failed)?,
        )),
        (_, results) => Ok(results),
    }
}

/// Runs a query and also returns the engine's plan, with the time and rows of each step once the
/// results are read (`brikg query --explain`).
pub fn explain(
    store: &KgStore,
    request: QueryRequest<'_>,
) -> Result<(QueryResults<'static>, oxigraph::sparql::QueryExplanation)> {
    let name = request.name.to_owned();
    let (prepared, _) = prepare(store, request, false)?;
    let (results, explanation) = prepared.compute_statistics().explain();
    let results = results.map_err(|e| Error::Query(format!("{name}: {e}")))?;
    Ok((results, explanation))
}

/// Binds the parameters and prepares the query; with `order_outside`, takes its `ORDER BY` out
/// for [`order::OrderPlan::sort`] (the engine's plan, for `--explain`, keeps it).
fn prepare(
    store: &KgStore,
    request: QueryRequest<'_>,
    order_outside: bool,
) -> Result<(
    oxigraph::sparql::BoundPreparedSparqlQuery<'static>,
    Option<order::OrderPlan>,
)> {
    let mut query = bind_variables(request.query, request.bindings)
        .map_err(|e| Error::Query(format!("{}: {e}", request.name)))?;
    let plan = if order_outside {
        order::take_order(&mut query)
    } else {
        None
    };
    let mut prepared = SparqlEvaluator::new()
        .with_cancellation_token(request.cancel)
        .for_query(query);
    if request.union_default_graph {
        prepared.dataset_mut().set_default_graph_as_union();
    }
    Ok((prepared.on_store(store.inner()), plan))
}

/// Cancels a query when the timeout passes.
pub fn cancel_after(timeout: Option<Duration>) -> CancellationToken {
    let token = CancellationToken::new();
    if let Some(timeout) = timeout {
        let t = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(timeout);
            t.cancel();
        });
    }
    token
}

/// Turns the engine's cancellation into the message a user of `--timeout` reads.
pub fn explain_timeout(name: &str, timeout: Option<Duration>, e: Error) -> Error {
    match (timeout, &e) {
        (Some(t), Error::Query(m)) if m.contains("has been cancelled") => Error::Query(format!(
            "{name}: the query ran longer than --timeout {} s and was cancelled",
            t.as_secs_f64()
        )),
        _ => e,
    }
}

/// Runs a SPARQL update on the store, holding the build lock so nobody reads meanwhile.
pub fn update(path: &Path, update: &spargebra::Update) -> Result<()> {
    let exclusive = ExclusiveStore::acquire(path)?;
    let store = exclusive.open()?;
    SparqlEvaluator::new()
        .for_update(update.clone())
        .on_store(&store)
        .execute()
        .map_err(|e| Error::Query(format!("update failed: {e}")))
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

/// Refuses a binding of a variable the query does not have (a typo would otherwise bind
/// nothing and return every row).
pub fn check_bindings(name: &str, text: &str, bindings: &[(Variable, Term)]) -> Result<()> {
    for (variable, _) in bindings {
        if !mentions_variable(text, variable.as_str()) {
            return Err(Error::Query(format!(
                "{name}: --param {}: the query has no variable ?{}",
                variable.as_str(),
                variable.as_str()
            )));
        }
    }
    Ok(())
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

/// A syntax error as a person reads it: `line:column`, what was expected in a few words, then
/// the line itself with a caret under the column.
///
/// The parser reports the furthest point it reached and every token it could have taken there,
/// which often says little ("expected OPTIONAL" for an undeclared prefix). The usual mistakes
/// are looked for first, each at its own position: a bracket never closed or closing nothing,
/// a prefix never declared, a query that does not start with a query form.
pub fn syntax_error(name: &str, text: &str, e: &dyn std::fmt::Display) -> Error {
    let raw = e.to_string();
    let (offset, what) = match lint(text) {
        Some(found) => found,
        None => match parse_peg_message(&raw) {
            Some((line, column, expected)) => {
                let offset = offset_of(text, line, column);
                // The parser often reads to the end before it gives up (on a triple missing its
                // object, say), and then lists the keywords that could have come instead.
                let what = if text[offset..].trim().is_empty() {
                    "the query cannot end here: check the last pattern (each triple needs a subject, a predicate and an object)".to_owned()
                } else {
                    summarize_expected(&expected)
                };
                (offset, what)
            }
            None => {
                return Error::Query(format!(
                    "{name}: SPARQL syntax error: {}",
                    crate::error::one_line(&raw)
                ))
            }
        },
    };
    let (line, column) = crate::error::line_column(text, offset);
    let source = text.lines().nth(line - 1).unwrap_or("");
    // The caret goes under the column, counted in characters; tabs stay tabs so it lines up.
    let pad: String = source
        .chars()
        .take(column - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    Error::Query(format!(
        "{name}: SPARQL syntax error: {line}:{column}: {what}\n  {}\n  {pad}^",
        crate::error::one_line(source)
    ))
}

/// The byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// Finds the common mistakes the parser reports poorly, with the offset to point at.
fn lint(text: &str) -> Option<(usize, String)> {
    const FORMS: &[&str] = &[
        "SELECT",
        "CONSTRUCT",
        "ASK",
        "DESCRIBE",
        "INSERT",
        "DELETE",
        "LOAD",
        "CLEAR",
        "DROP",
        "CREATE",
        "ADD",
        "MOVE",
        "COPY",
        "WITH",
    ];
    let tokens = tokenize(text);
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut declared: Vec<&str> = Vec::new();
    let mut first_keyword = true;
    let mut i = 0;
    while i < tokens.len() {
        let (at, token) = tokens[i];
        let upper = token.to_ascii_uppercase();
        if upper == "PREFIX" {
            if let Some((_, pname)) = tokens.get(i + 1) {
                declared.push(pname.strip_suffix(':').unwrap_or(pname));
            }
            i += 2;
            continue;
        }
        if upper == "BASE" {
            i += 1;
            continue;
        }
        if first_keyword {
            first_keyword = false;
            if !FORMS.contains(&upper.as_str()) {
                return Some((
                    at,
                    format!(
                        "expected SELECT, CONSTRUCT, ASK or DESCRIBE (or an update), not {token:?}"
                    ),
                ));
            }
        }
        match token {
            "{" | "(" | "[" => open.push((at, token.chars().next().expect("one char"))),
            "}" | ")" | "]" => {
                let expected = match token {
                    "}" => '{',
                    ")" => '(',
                    _ => '[',
                };
                match open.pop() {
                    Some((_, c)) if c == expected => {}
                    Some((opened, c)) => {
                        let (line, column) = crate::error::line_column(text, opened);
                        return Some((
                            at,
                            format!(
                                "unexpected '{token}': the '{c}' at {line}:{column} needs its '{}' first",
                                closer(c)
                            ),
                        ));
                    }
                    None => return Some((at, format!("this '{token}' closes nothing"))),
                }
            }
            _ => {
                if let Some((prefix, _)) = token.split_once(':') {
                    let is_name = prefix
                        .chars()
                        .all(|c| c.is_alphanumeric() || "_-.".contains(c))
                        && prefix.chars().next().is_none_or(char::is_alphabetic);
                    if is_name && !declared.contains(&prefix) {
                        return Some((
                            at,
                            format!(
                                "the prefix '{prefix}:' is not declared; add PREFIX {prefix}: <IRI> at the top"
                            ),
                        ));
                    }
                }
            }
        }
        i += 1;
    }
    open.pop().map(|(at, c)| {
        (
            at,
            format!("this '{c}' is never closed; add '{}'", closer(c)),
        )
    })
}

fn closer(c: char) -> char {
    match c {
        '{' => '}',
        '(' => ')',
        _ => ']',
    }
}

/// Splits SPARQL into rough tokens with their offsets: brackets alone, words and prefixed names
/// whole; IRIs, strings, comments, numbers, blank nodes and variables are skipped.
fn tokenize(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' => {
                let triple = [b, b, b];
                let quote: &[u8] = if bytes[i..].starts_with(&triple) {
                    &triple
                } else {
                    &triple[..1]
                };
                i += quote.len();
                while i < bytes.len() && !bytes[i..].starts_with(quote) {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += quote.len();
            }
            b'<' => {
                // An IRI has no spaces; `<` followed by a space or `=` is an operator.
                match text[i + 1..].find(|c: char| c == '>' || c.is_whitespace()) {
                    Some(end) if bytes[i + 1 + end] == b'>' => i += end + 2,
                    _ => i += 1,
                }
            }
            b'?' | b'$' | b'_' | b'@' | b'0'..=b'9' => {
                // Variables, blank nodes, language tags and numbers.
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || b"_:-.".contains(&bytes[i]))
                {
                    i += 1;
                }
            }
            b'{' | b'}' | b'(' | b')' | b'[' | b']' => {
                out.push((i, &text[i..i + 1]));
                i += 1;
            }
            _ if b.is_ascii_alphabetic() || b == b':' || b >= 0x80 => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || b"_-:.%".contains(&bytes[i])
                        || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                out.push((start, text[start..i].trim_end_matches('.')));
            }
            _ => i += 1,
        }
    }
    out
}

/// Reads `error at L:C: expected …`, the shape of the parser's messages.
fn parse_peg_message(raw: &str) -> Option<(usize, usize, String)> {
    let rest = raw.strip_prefix("error at ")?;
    let (position, expected) = rest.split_once(": expected ")?;
    let (line, column) = position.split_once(':')?;
    Some((
        line.parse().ok()?,
        column.parse().ok()?,
        expected.to_owned(),
    ))
}

/// The parser lists every token that could come next: say the punctuation, or the one keyword
/// that must follow.
fn summarize_expected(expected: &str) -> String {
    let list = expected.strip_prefix("one of ").unwrap_or(expected);
    let mut kinds: Vec<String> = Vec::new();
    let mut keywords: Vec<&str> = Vec::new();
    for token in list.split(", ") {
        let inner = token.trim_matches('"');
        if token.starts_with('"')
            && !inner.is_empty()
            && inner.chars().all(|c| "{}().;,".contains(c))
        {
            kinds.push(format!("'{inner}'"));
        } else if !token.starts_with('"')
            && !token.starts_with('[')
            && token.chars().all(|c| c.is_ascii_alphabetic())
        {
            keywords.push(token);
        }
    }
    kinds.truncate(4);
    // One keyword is what must follow (ORDER → BY); a list of them is the parser's last guesses.
    if keywords.len() == 1 {
        kinds.push(keywords[0].to_owned());
    }
    match kinds.len() {
        0 => "this is not valid SPARQL here".to_owned(),
        1 => format!("expected {}", kinds[0]),
        n => format!("expected {} or {}", kinds[..n - 1].join(", "), kinds[n - 1]),
    }
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

    fn message(text: &str) -> String {
        let e = spargebra::SparqlParser::new()
            .parse_query(text)
            .unwrap_err();
        syntax_error("q", text, &e).to_string()
    }

    #[test]
    fn syntax_errors_point_at_the_usual_mistakes() {
        assert_eq!(
            message("SELECT ?x WHERE {\n  ?x ?p ?o \n"),
            "q: SPARQL syntax error: 1:17: this '{' is never closed; add '}'\n  SELECT ?x WHERE {\n                  ^"
        );
        assert_eq!(
            message("PREFIX a: <http://a#>\nSELECT ?x WHERE { ?x b:c ?o }"),
            "q: SPARQL syntax error: 2:22: the prefix 'b:' is not declared; add PREFIX b: <IRI> at the top\n  SELECT ?x WHERE { ?x b:c ?o }\n                       ^"
        );
        assert_eq!(
            message("SELEC ?x WHERE { ?x ?p ?o }"),
            "q: SPARQL syntax error: 1:1: expected SELECT, CONSTRUCT, ASK or DESCRIBE (or an update), not \"SELEC\"\n  SELEC ?x WHERE { ?x ?p ?o }\n  ^"
        );
        assert_eq!(
            message("SELECT ?x WHERE { ?x ?p ?o . OPTIONAL ?x ?p ?o }"),
            "q: SPARQL syntax error: 1:39: expected '{'\n  SELECT ?x WHERE { ?x ?p ?o . OPTIONAL ?x ?p ?o }\n                                        ^"
        );
        assert_eq!(
            message("SELECT * WHERE { ?s ?p }"),
            "q: SPARQL syntax error: 1:25: the query cannot end here: check the last pattern (each triple needs a subject, a predicate and an object)\n  SELECT * WHERE { ?s ?p }\n                          ^"
        );
        assert_eq!(
            message("SELECT ?x WHERE { ?x ?p \"}\" . FILTER(?x < 3) ?x <http://a> ) }"),
            "q: SPARQL syntax error: 1:60: unexpected ')': the '{' at 1:17 needs its '}' first\n  SELECT ?x WHERE { ?x ?p \"}\" . FILTER(?x < 3) ?x <http://a> ) }\n                                                             ^"
        );
    }

    #[test]
    fn variables_are_matched_whole() {
        assert!(mentions_variable("SELECT ?country WHERE {}", "country"));
        assert!(!mentions_variable("SELECT ?countries WHERE {}", "country"));
        assert!(mentions_variable("SELECT $x {}", "x"));
    }
}
