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
    match deepest(text, MAX_NESTING) {
        None => Ok(()),
        Some((line, column)) => Err(Error::Query(format!(
            "{name}: line {line}, column {column}: nested deeper than {MAX_NESTING} levels of {{ }}, ( ) or [ ], more than brikg accepts (its parser would run out of stack)"
        ))),
    }
}

/// The line and column (1-based, in characters) of the first bracket that opens level
/// `limit + 1`, if any.
fn deepest(text: &str, limit: usize) -> Option<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' | '(' | '[' => {
                depth += 1;
                if depth > limit {
                    return Some(position(&chars, i));
                }
            }
            '}' | ')' | ']' => depth = depth.saturating_sub(1),
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '<' => {
                // An IRI only if it closes before any character an IRI may not hold; else it
                // is the less-than operator (as the SPARQL grammar's IRIREF says).
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '>' || is_not_in_iri(c));
                if let Some(e) = end.filter(|&e| chars[i + 1 + e] == '>') {
                    i += 1 + e;
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
            }
            _ => {}
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
}
