//! Refusing SPARQL nested too deep, before it is parsed.
//!
//! Oxigraph's parser and evaluator recurse once per level of `{ }`, `( )` or `[ ]`: a 20 KB
//! query of 10,000 nested groups overflows the stack and aborts the whole process (a server
//! with every client on it). On the 8 MiB main stack the parser overflows at about 3,480
//! levels of `{` or `(`, on a 2 MiB thread (tokio's default) at a quarter of that. Real
//! queries need far less: the deepest bundled query nests 10 levels. So a query or update is
//! scanned first (cheap, linear, no recursion) and refused past [`MAX_NESTING`] levels, with a
//! message that says where the limit was crossed.

use crate::error::{Error, Result};

/// The deepest nesting of `{`, `(` and `[` (counted together) a query or update may have: ten
/// times what the bundled queries need, a thirtieth of where the parser overflows on the
/// main stack.
pub const MAX_NESTING: usize = 100;

/// Refuses `text` if its brackets nest deeper than [`MAX_NESTING`]. Brackets inside strings,
/// IRIs and comments do not count; unbalanced ones are left for the parser to report.
pub fn check_nesting(name: &str, text: &str) -> Result<()> {
    match scan(text, MAX_NESTING, MAX_CHAINED) {
        None => Ok(()),
        Some(Over::Nesting(line, column)) => Err(Error::Query(format!(
            "{name}: line {line}, column {column}: nested deeper than {MAX_NESTING} levels of {{ }}, ( ) or [ ], more than brikg accepts (its parser would run out of stack)"
        ))),
        Some(Over::Chained(line, column)) => Err(Error::Query(format!(
            "{name}: line {line}, column {column}: more than {MAX_CHAINED} operators, UNION, OPTIONAL, MINUS and brackets in one query, more than brikg accepts (its parser would run out of stack)"
        ))),
    }
}

/// The most operators (`+ - * / | & = ! < >`, each character counted), `UNION`, `OPTIONAL`,
/// `MINUS` and opening brackets a query or update may hold in all. Long flat chains build deep
/// trees as nesting does: on the 8 MiB main stack `{…} UNION {…} UNION …` overflows at about
/// 4,000 branches and `1 + 1 + …` at about 11,900 terms. A chain counts at least two per link
/// (`UNION` and `{`), so the longest chain allowed is half of this; real queries hold a few
/// hundred (the largest bundled query: see the test).
pub const MAX_CHAINED: usize = 4_000;

/// Which limit a text went past, and where.
#[derive(Debug, PartialEq, Eq)]
enum Over {
    Nesting(usize, usize),
    Chained(usize, usize),
}

#[cfg(test)]
fn deepest(text: &str, limit: usize) -> Option<(usize, usize)> {
    match scan(text, limit, usize::MAX) {
        Some(Over::Nesting(line, column)) => Some((line, column)),
        _ => None,
    }
}

/// Where the first bracket that opens level `nesting + 1`, or the `chained + 1`th operator,
/// keyword or bracket, is (1-based line and column, in characters), if any.
fn scan(text: &str, nesting: usize, chained: usize) -> Option<Over> {
    let chars: Vec<char> = text.chars().collect();
    let mut depth = 0usize;
    let mut count = 0usize;
    let mut i = 0;
    let word = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let counted = match chars[i] {
            '{' | '(' | '[' => {
                depth += 1;
                if depth > nesting {
                    let (line, column) = position(&chars, i);
                    return Some(Over::Nesting(line, column));
                }
                true
            }
            '+' | '*' | '/' | '|' | '&' | '=' | '!' | '>' => true,
            // A hyphen inside a name (`brikg:has-value`) is no operator.
            '-' => !(i > 0 && word(chars[i - 1]) && chars.get(i + 1).is_some_and(|&c| word(c))),
            c if word(c) => {
                let start = i;
                while i + 1 < chars.len() && word(chars[i + 1]) {
                    i += 1;
                }
                let w: String = chars[start..=i].iter().collect();
                ["UNION", "OPTIONAL", "MINUS"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k))
            }
            '}' | ')' | ']' => {
                depth = depth.saturating_sub(1);
                false
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                false
            }
            '<' => {
                // An IRI only if it closes before any character an IRI may not hold; else it
                // is the less-than operator (as the SPARQL grammar's IRIREF says).
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '>' || is_not_in_iri(c));
                match end.filter(|&e| chars[i + 1 + e] == '>') {
                    Some(e) => {
                        i += 1 + e;
                        false
                    }
                    None => true,
                }
            }
            quote @ ('"' | '\'') => {
                let long = chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote);
                i += if long { 3 } else { 1 };
                while i < chars.len() {
                    if chars[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if chars[i] == quote {
                        if !long {
                            break;
                        }
                        if chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote) {
                            i += 2;
                            break;
                        }
                    }
                    if chars[i] == '\n' && !long {
                        break;
                    }
                    i += 1;
                }
                false
            }
            _ => false,
        };
        if counted {
            count += 1;
            if count > chained {
                let (line, column) = position(&chars, i);
                return Some(Over::Chained(line, column));
            }
        }
        i += 1;
    }
    None
}

fn is_not_in_iri(c: char) -> bool {
    matches!(c, '<' | '"' | '{' | '}' | '|' | '^' | '`' | '\\') || c <= ' '
}

fn position(chars: &[char], at: usize) -> (usize, usize) {
    let before = &chars[..at];
    let line = before.iter().filter(|&&c| c == '\n').count() + 1;
    let column = at - before.iter().rposition(|&c| c == '\n').map_or(0, |p| p + 1) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, close: &str, n: usize) -> String {
        format!(
            "SELECT * WHERE {{ FILTER({}1{}) }}",
            open.repeat(n),
            close.repeat(n)
        )
    }

    #[test]
    fn counts_every_kind_of_bracket_together() {
        // Two levels are the query's own `{` and `FILTER(`.
        assert!(check_nesting("q", &nested("(", ")", 98)).is_ok());
        let e = check_nesting("q", &nested("(", ")", 99)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "q: line 1, column 123: nested deeper than 100 levels of { }, ( ) or [ ], more than brikg accepts (its parser would run out of stack)"
        );
        assert!(check_nesting("q", &nested("([{", "}])", 33)).is_err());
        assert!(check_nesting("q", &nested("([{", "}])", 32)).is_ok());
    }

    #[test]
    fn brackets_in_strings_iris_and_comments_do_not_count() {
        let deep = "(".repeat(200);
        for text in [
            format!("SELECT * WHERE {{ ?s ?p \"{deep}\" }}"),
            format!("SELECT * WHERE {{ ?s ?p '{deep}' }}"),
            format!("SELECT * WHERE {{ ?s ?p \"\"\"a\"\n{deep}\"\"\" }}"),
            format!("SELECT * WHERE {{ ?s ?p \"\\\"{deep}\" }}"),
            format!("# {deep}\nSELECT * WHERE {{ ?s ?p ?o }}"),
            format!("SELECT * WHERE {{ ?s <http://e/{}> ?o }}", "[".repeat(200)),
        ] {
            assert!(check_nesting("q", &text).is_ok(), "{text}");
        }
        // `<` as less-than: the brackets after it count.
        let text = format!(
            "SELECT * WHERE {{ FILTER(1 < {deep}2{}) }}",
            ")".repeat(200)
        );
        assert!(check_nesting("q", &text).is_err());
    }

    #[test]
    fn the_line_and_column_are_those_of_the_bracket_past_the_limit() {
        let text = format!("SELECT *\nWHERE {}", "{".repeat(150));
        assert_eq!(deepest(&text, MAX_NESTING), Some((2, 107)));
    }

    #[test]
    fn long_chains_are_refused_and_the_bundled_queries_are_far_from_it() {
        let sum = |n: usize| format!("SELECT ({} AS ?x) WHERE {{}}", vec!["1"; n].join(" + "));
        // `(` and `{` count too: 3,999 terms make 4,000; with 4,000 terms the `{` is the 4,001st.
        assert!(check_nesting("q", &sum(3_999)).is_ok());
        let e = check_nesting("q", &sum(4_000)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "q: line 1, column 16020: more than 4000 operators, UNION, OPTIONAL, MINUS and brackets in one query, more than brikg accepts (its parser would run out of stack)"
        );
        // Hyphens inside names are not operators.
        let names = format!(
            "SELECT * WHERE {{ {} }}",
            "?s brikg:has-value-in-units ?o . ".repeat(2_000)
        );
        assert!(check_nesting("q", &names).is_ok());
        let most = crate::queries::QUERIES
            .iter()
            .map(|q| {
                (1..)
                    .find(|&limit| scan(q.text, MAX_NESTING, limit).is_none())
                    .unwrap()
            })
            .max()
            .unwrap();
        assert!(most < MAX_CHAINED / 10, "{most}");
    }
}
