//! Typed errors of the library.
//!
//! Each variant carries what a user needs to fix the problem: the file with line and column, the
//! field path, the query name, or the store path. The binary adds nothing but the `brikg:` prefix.

use std::fmt;
use std::path::PathBuf;

/// Any error of the brikg library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A data file is malformed or inconsistent.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Several problems in data files, found in one pass (see [`DataErrors`]).
    #[error(transparent)]
    DataList(DataErrors),
    /// A file or directory could not be read or written.
    #[error("{path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The store could not be opened, read or written.
    #[error("store {path}: {message}")]
    Store { path: PathBuf, message: String },
    /// A query is unknown, malformed, or failed.
    #[error("{0}")]
    Query(String),
    /// The graph does not conform to the SHACL shapes.
    #[error("{count} {} of the SHACL shapes", if *.count == 1 { "violation" } else { "violations" })]
    Invalid { count: usize },
    /// A push to an external store failed.
    #[error("{0}")]
    Push(String),
    /// Writing the output failed (a closed pipe among others).
    #[error("cannot write the output")]
    Output(#[source] std::io::Error),
    /// Anything else a user asked for that cannot be done, said in one sentence.
    #[error("{0}")]
    Usage(String),
}

/// A problem in a data file, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// The file, as the user named it.
    pub path: String,
    /// 1-based line, or 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The field path, such as `observations[2].value`, when known.
    pub field: Option<String>,
    /// What is wrong and what would be right.
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for DataError {}

/// How many problems a list of data errors shows; the rest are counted. Enough to fix in one
/// sitting, few enough that the first still shows in a terminal.
pub const MAX_SHOWN: usize = 50;

/// Every problem found in the data files, in file order, each `file:line:column: field:
/// message` on a line of its own, as a compiler lists them: a curator fixes all of them and
/// builds once, rather than once per problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataErrors(pub Vec<DataError>);

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files: std::collections::BTreeSet<&str> =
            self.0.iter().map(|e| e.path.as_str()).collect();
        let noun =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{} in {}:",
            noun(self.0.len(), "error", "errors"),
            noun(files.len(), "data file", "data files")
        )?;
        for e in self.0.iter().take(MAX_SHOWN) {
            write!(f, "\n{e}")?;
        }
        if self.0.len() > MAX_SHOWN {
            write!(f, "\nand {} more", self.0.len() - MAX_SHOWN)?;
        }
        Ok(())
    }
}

impl std::error::Error for DataErrors {}

impl Error {
    /// Whether this is about the content of data files (and so worth reading on for more).
    pub fn is_data(&self) -> bool {
        matches!(self, Error::Data(_) | Error::DataList(_))
    }

    /// One error for the problems of one or more data files: a single one as it is, several
    /// as a list. `errors` must not be empty.
    pub fn from_data(mut errors: Vec<DataError>) -> Error {
        if errors.len() == 1 {
            Error::Data(errors.remove(0))
        } else {
            Error::DataList(DataErrors(errors))
        }
    }

    /// One error for the errors of several files, given with the file's index: the data errors
    /// of every file, in file order, unless the earliest error is of another kind (a file that
    /// cannot be read, a store that fails), which is then reported alone.
    pub fn gather(mut errors: Vec<(usize, Error)>) -> Error {
        errors.sort_by_key(|(i, _)| *i);
        if !matches!(
            errors.first(),
            Some((_, Error::Data(_) | Error::DataList(_)))
        ) {
            return errors.swap_remove(0).1;
        }
        let mut all = Vec::new();
        for (_, e) in errors {
            match e {
                Error::Data(e) => all.push(e),
                Error::DataList(list) => all.extend(list.0),
                _ => {}
            }
        }
        Error::from_data(all)
    }
}

/// The text with control characters (line breaks, carriage returns, escapes) written as Rust
/// escapes, so an error stays one line and cannot drive the terminal.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

impl DataError {
    /// Builds an error at a byte offset of `text`, turning it into a line and a column.
    pub fn at(
        path: &str,
        text: &str,
        offset: usize,
        field: Option<String>,
        message: String,
    ) -> Self {
        let (line, column) = line_column(text, offset);
        DataError {
            path: path.to_owned(),
            line,
            column,
            field: field.map(|f| one_line(&f)),
            message: one_line(&message),
        }
    }

    /// Builds an error about a whole file.
    pub fn file(path: &str, message: impl Into<String>) -> Self {
        DataError {
            path: path.to_owned(),
            line: 0,
            column: 0,
            field: None,
            message: one_line(&message.into()),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 9), (2, 3));
    }

    fn problem(path: &str, line: usize) -> DataError {
        DataError {
            path: path.into(),
            line,
            column: 1,
            field: None,
            message: "unknown".into(),
        }
    }

    #[test]
    fn errors_of_several_files_are_listed_in_file_order() {
        let gathered = Error::gather(vec![
            (
                2,
                Error::DataList(DataErrors(vec![problem("c", 1), problem("c", 9)])),
            ),
            (0, Error::Data(problem("a", 4))),
        ]);
        assert_eq!(
            gathered.to_string(),
            "3 errors in 2 data files:\na:4:1: unknown\nc:1:1: unknown\nc:9:1: unknown"
        );
        // One error reads as it always did.
        let one = Error::gather(vec![(5, Error::Data(problem("a", 4)))]);
        assert_eq!(one.to_string(), "a:4:1: unknown");
    }

    #[test]
    fn an_earlier_error_of_another_kind_is_reported_alone() {
        let gathered = Error::gather(vec![
            (3, Error::Data(problem("d", 1))),
            (1, Error::Usage("cannot read b".into())),
        ]);
        assert_eq!(gathered.to_string(), "cannot read b");
    }

    #[test]
    fn a_long_list_shows_the_first_fifty() {
        let list = DataErrors((1..=MAX_SHOWN + 3).map(|n| problem("a", n)).collect());
        let text = list.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), MAX_SHOWN + 2);
        assert_eq!(lines[0], "53 errors in 1 data file:");
        assert_eq!(lines[MAX_SHOWN], "a:50:1: unknown");
        assert_eq!(lines[MAX_SHOWN + 1], "and 3 more");
    }

    #[test]
    fn display_names_file_line_column_and_field() {
        let e = DataError {
            path: "data/a.toml".into(),
            line: 3,
            column: 9,
            field: Some("observations[0].value".into()),
            message: "expected a number".into(),
        };
        assert_eq!(
            e.to_string(),
            "data/a.toml:3:9: observations[0].value: expected a number"
        );
    }
}
