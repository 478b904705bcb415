//! Writes query results: the W3C SPARQL results formats, or an aligned table for people.

use crate::error::{Error, Result};
use crate::format::ResultsFormat;
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::QueryResults;
use std::io::Write;

/// Writes `results` to `writer` in `format` and returns the number of rows (or triples).
/// A CONSTRUCT or DESCRIBE result is written as Turtle for `table`, N-Triples otherwise.
pub fn write_results(
    results: QueryResults<'_>,
    format: ResultsFormat,
    mut writer: impl Write,
) -> Result<usize> {
    let n = write_unflushed(results, format, &mut writer)?;
    writer.flush().map_err(Error::Output)?;
    Ok(n)
}

fn write_unflushed(
    results: QueryResults<'_>,
    format: ResultsFormat,
    mut writer: impl Write,
) -> Result<usize> {
    let io = Error::Output;
    let eval =
        |e: oxigraph::sparql::QueryEvaluationError| Error::Query(format!("query failed: {e}"));
    match (results, format) {
        (QueryResults::Boolean(value), ResultsFormat::Table) => {
            writeln!(writer, "{value}").map_err(io)?;
            Ok(1)
        }
        (QueryResults::Boolean(value), ResultsFormat::Sparql(f)) => {
            let writer = QueryResultsSerializer::from_format(f)
                .serialize_boolean_to_writer(writer, value)
                .map_err(io)?;
            end_line(f, writer).map_err(io)?;
            Ok(1)
        }
        (QueryResults::Solutions(solutions), ResultsFormat::Table) => {
            let header: Vec<String> = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect();
            // The first block sets the column widths and is printed as soon as it is complete;
            // the rows after it are printed as they come, on the same columns (a wider cell
            // pushes the rest of its line right), so a long listing starts at once and memory
            // does not grow with it.
            let mut rows = Vec::new();
            let mut table: Option<Table> = None;
            let mut n = 0;
            for solution in solutions {
                let solution = solution.map_err(eval)?;
                let row: Vec<String> = solution
                    .values()
                    .iter()
                    .map(|v| v.as_ref().map_or_else(String::new, vocab::display_term))
                    .collect();
                n += 1;
                match &table {
                    Some(table) => table.line(&row, &mut writer).map_err(io)?,
                    None => {
                        rows.push(row);
                        if rows.len() == TABLE_BLOCK {
                            let t = Table::new(&header, &rows);
                            t.head_and_rows(&header, &rows, &mut writer).map_err(io)?;
                            rows.clear();
                            table = Some(t);
                        }
                    }
                }
            }
            if table.is_none() {
                write_table(&header, &rows, &mut writer).map_err(io)?;
            }
            Ok(n)
        }
        (QueryResults::Solutions(solutions), ResultsFormat::Sparql(f)) => {
            let mut out = QueryResultsSerializer::from_format(f)
                .serialize_solutions_to_writer(writer, solutions.variables().to_vec())
                .map_err(io)?;
            let mut n = 0;
            for solution in solutions {
                out.serialize(&solution.map_err(eval)?).map_err(io)?;
                n += 1;
            }
            let writer = out.finish().map_err(io)?;
            end_line(f, writer).map_err(io)?;
            Ok(n)
        }
        (QueryResults::Graph(triples), format) => {
            let rdf = if format == ResultsFormat::Table {
                RdfFormat::Turtle
            } else {
                RdfFormat::NTriples
            };
            let mut serializer = RdfSerializer::from_format(rdf);
            for (name, iri) in vocab::PREFIXES {
                serializer = serializer.with_prefix(*name, *iri).expect("valid prefix");
            }
            let mut out = serializer.for_writer(writer);
            let mut n = 0;
            for t in triples {
                out.serialize_triple(&t.map_err(eval)?).map_err(io)?;
                n += 1;
            }
            out.finish().map_err(io)?;
            Ok(n)
        }
    }
}

/// Ends a JSON or XML document with a newline, as the CSV and TSV results end with one: a
/// document that stops mid-line leaves the shell prompt after it, and `cat`, `diff` and POSIX
/// text tools expect a final newline.
fn end_line(format: QueryResultsFormat, mut writer: impl Write) -> std::io::Result<()> {
    match format {
        QueryResultsFormat::Json | QueryResultsFormat::Xml => writer.write_all(b"\n"),
        _ => Ok(()),
    }
}

/// The rows that set a streamed table's column widths.
pub const TABLE_BLOCK: usize = 1000;

/// Writes aligned columns with a header and a rule.
pub fn write_table(
    header: &[String],
    rows: &[Vec<String>],
    w: &mut dyn Write,
) -> std::io::Result<()> {
    Table::new(header, rows).head_and_rows(header, rows, w)
}

/// Column widths, from a header and the rows seen.
struct Table {
    widths: Vec<usize>,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl Table {
    fn new(header: &[String], rows: &[Vec<String>]) -> Self {
        let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
        for row in rows {
            for (i, cell) in row.iter().enumerate() {
                widths[i] = widths[i].max(width(cell));
            }
        }
        Table { widths }
    }

    fn head_and_rows(
        &self,
        header: &[String],
        rows: &[Vec<String>],
        w: &mut dyn Write,
    ) -> std::io::Result<()> {
        self.line(header, w)?;
        let rule: Vec<String> = self.widths.iter().map(|n| "-".repeat(*n)).collect();
        self.line(&rule, w)?;
        for row in rows {
            self.line(row, w)?;
        }
        Ok(())
    }

    fn line(&self, cells: &[String], w: &mut dyn Write) -> std::io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.extend(std::iter::repeat_n(
                    ' ',
                    self.widths[i].saturating_sub(width(cell)),
                ));
            }
        }
        writeln!(w, "{}", text.trim_end())
    }
}
