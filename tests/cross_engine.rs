//! The bundled queries are portable SPARQL 1.1: rdflib, an engine independent of Oxigraph, finds
//! the same rows in the exported N-Quads as `brikg query` finds in the store, for every bundled
//! query, on the bundled data, with a second article loaded, and with articles whose kinds,
//! event types and units a curator declared.
//!
//! `tests/engines/rdflib_query.py` runs the queries with rdflib (default graph empty, named graphs
//! kept, as in Oxigraph) and writes each term as Oxigraph's SPARQL TSV writer does. The rows must
//! be the same multiset; rows that only come in another order are reported on stderr, not failed,
//! since engines may order what ORDER BY leaves tied or undefined (SPARQL 1.1 §15.1) differently.
//! `scripts/install-deps` installs rdflib in `.venv/`; `BRIKG_PYTHON` picks another Python.

mod common;
use common::{repo, Brikg};
use std::path::PathBuf;
use std::process::Command;

fn python() -> PathBuf {
    let venv = repo().join(".venv/bin/python");
    std::env::var_os("BRIKG_PYTHON")
        .map(PathBuf::from)
        .unwrap_or(venv)
}

/// One query's results as SPARQL TSV lines: the header and the rows, in the engine's order.
#[derive(Debug, Default)]
struct Table {
    header: String,
    rows: Vec<String>,
}

impl Table {
    fn parse(tsv: &str) -> Table {
        let mut lines = tsv.lines().map(str::to_owned);
        Table {
            header: lines.next().unwrap_or_default(),
            rows: lines.collect(),
        }
    }

    fn sorted_rows(&self) -> Vec<String> {
        let mut rows = self.rows.clone();
        rows.sort();
        rows
    }
}

/// The store of `brikg`, exported as N-Quads and queried by rdflib with every bundled query:
/// `(query name, results)` in the order of `brikg::queries::QUERIES`.
fn rdflib_tables(brikg: &Brikg) -> Vec<(String, Table)> {
    let nq = brikg.dir.path().join("graph.nq");
    brikg
        .run(&["export", "-o", nq.to_str().unwrap(), "-q"])
        .ok();
    let dir = brikg.dir.path().join("rq");
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<PathBuf> = brikg::queries::QUERIES
        .iter()
        .map(|q| {
            let path = dir.join(format!("{}.rq", q.name));
            std::fs::write(&path, q.text).unwrap();
            path
        })
        .collect();
    let script = repo().join("tests/engines/rdflib_query.py");
    let out = Command::new(python())
        .arg(&script)
        .arg(&nq)
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} (run scripts/install-deps, or set BRIKG_PYTHON): {e}",
                python().display()
            )
        });
    assert!(
        out.status.success(),
        "{} failed:\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 from rdflib_query.py");
    split_blocks(&stdout)
}

/// Splits the script's output at its `## NAME` lines.
fn split_blocks(output: &str) -> Vec<(String, Table)> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in output.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            blocks.push((name.to_owned(), String::new()));
        } else {
            let (_, text) = blocks.last_mut().unwrap_or_else(|| {
                panic!("rdflib_query.py output does not start with ##:\n{output}")
            });
            text.push_str(line);
            text.push('\n');
        }
    }
    blocks
        .into_iter()
        .map(|(name, text)| (name, Table::parse(&text)))
        .collect()
}

fn show(rows: &[String]) -> String {
    if rows.is_empty() {
        return "    (no rows)\n".to_owned();
    }
    rows.iter().map(|r| format!("    {r}\n")).collect()
}

/// Rows of `a` not matched by a row of `b`, counting duplicates (both sorted).
fn missing_from(a: &[String], b: &[String]) -> Vec<String> {
    let mut b = b.to_vec();
    let mut missing = Vec::new();
    for row in a {
        match b.iter().position(|r| r == row) {
            Some(i) => {
                b.remove(i);
            }
            None => missing.push(row.clone()),
        }
    }
    missing
}

/// Runs every bundled query through `brikg query` and through rdflib and panics naming every
/// query whose header or multiset of rows differ. Returns brikg's tables for further checks.
fn assert_same_rows_as_rdflib(brikg: &Brikg, what: &str) -> Vec<(String, Table)> {
    let rdflib = rdflib_tables(brikg);
    let names: Vec<&str> = rdflib.iter().map(|(n, _)| n.as_str()).collect();
    let expected: Vec<&str> = brikg::queries::QUERIES.iter().map(|q| q.name).collect();
    assert_eq!(names, expected, "rdflib_query.py answered other queries");

    let mut failures = Vec::new();
    let mut ours = Vec::new();
    for (q, (_, theirs)) in brikg::queries::QUERIES.iter().zip(&rdflib) {
        let out = brikg.run(&["query", q.name, "--format", "tsv", "-q"]).ok();
        let mine = Table::parse(&out.stdout);
        // Figures sources disagree on need two articles about one thing (the follow-ups).
        let may_be_empty = q.name == "disagreements" && !what.contains("follow-up");
        assert!(
            !mine.rows.is_empty() || may_be_empty,
            "query {} gives no rows on {what}, so comparing engines would prove nothing",
            q.name
        );
        let (my_sorted, their_sorted) = (mine.sorted_rows(), theirs.sorted_rows());
        if mine.header != theirs.header || my_sorted != their_sorted {
            failures.push(format!(
                "query {name} on {what}: brikg (Oxigraph) and rdflib give different results\n  \
                 header, brikg:  {}\n  header, rdflib: {}\n  \
                 rows only brikg gives:\n{}  rows only rdflib gives:\n{}  \
                 all brikg rows ({}):\n{}  all rdflib rows ({}):\n{}",
                mine.header,
                theirs.header,
                show(&missing_from(&my_sorted, &their_sorted)),
                show(&missing_from(&their_sorted, &my_sorted)),
                mine.rows.len(),
                show(&mine.rows),
                theirs.rows.len(),
                show(&theirs.rows),
                name = q.name,
            ));
        } else if mine.rows != theirs.rows {
            eprintln!(
                "note: query {} on {what}: same rows, in another order\n  brikg:\n{}  rdflib:\n{}",
                q.name,
                show(&mine.rows),
                show(&theirs.rows)
            );
        }
        ours.push((q.name.to_owned(), mine));
    }
    assert!(
        failures.is_empty(),
        "{} of {} bundled queries differ between engines:\n\n{}",
        failures.len(),
        brikg::queries::QUERIES.len(),
        failures.join("\n")
    );
    ours
}

#[test]
fn rdflib_gives_the_same_rows_as_brikg_for_every_bundled_query() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    assert_same_rows_as_rdflib(&brikg, "the bundled data");
}

#[test]
fn rdflib_gives_the_same_rows_as_brikg_with_a_second_article() {
    let brikg = Brikg::new();
    let data = brikg.data_dir(
        "data",
        &[("fictional-test-article.toml", &common::fictional_article())],
    );
    brikg
        .run(&["build", "--data", data.to_str().unwrap(), "-q"])
        .ok();
    let ours = assert_same_rows_as_rdflib(&brikg, "the bundled data plus the fictional article");
    let articles = &ours.iter().find(|(n, _)| n == "articles").unwrap().1;
    assert!(
        articles
            .rows
            .iter()
            .any(|r| r.starts_with("\"fictional-test-article\"\t")),
        "the fictional article was not loaded, so no multi-article answer was compared:\n{}",
        show(&articles.rows)
    );
}

#[test]
fn rdflib_gives_the_same_rows_as_brikg_on_new_kinds_units_and_event_types() {
    let brikg = Brikg::new();
    let data = brikg.follow_up_dir("data");
    brikg
        .run(&["build", "--data", data.to_str().unwrap(), "-q"])
        .ok();
    let ours = assert_same_rows_as_rdflib(
        &brikg,
        "articles with declared kinds and units and their follow-ups",
    );
    let timeline = &ours.iter().find(|(n, _)| n == "timeline").unwrap().1;
    assert!(
        timeline
            .rows
            .iter()
            .any(|r| r.contains("\"groundbreaking\"@en"))
            && timeline.rows.iter().any(|r| r.contains("\"TEU\"")),
        "the declared event type and the units were not compared:\n{}",
        show(&timeline.rows)
    );
    // The cross-article questions, on two articles about one cascade.
    let disagreements = &ours.iter().find(|(n, _)| n == "disagreements").unwrap().1;
    assert_eq!(disagreements.rows.len(), 2, "{}", show(&disagreements.rows));
}
