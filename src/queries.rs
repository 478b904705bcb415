//! The bundled SPARQL queries, compiled into the binary from `queries/*.rq`.
//!
//! Each file starts with `# title:` and `# description:` comment lines, which `brikg queries`
//! lists. The queries use `GRAPH` patterns only, so they give the same answers whether an
//! engine's default graph is empty (Oxigraph, Fuseki) or the union of all graphs (Virtuoso).

/// One bundled query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundledQuery {
    /// The file name without `.rq`: what `brikg query NAME` takes.
    pub name: &'static str,
    /// The SPARQL text.
    pub text: &'static str,
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(BundledQuery { name: $name, text: include_str!(concat!("../queries/", $name, ".rq")) }),*]
    };
}

/// Every bundled query, in the order `brikg queries` lists them.
pub const QUERIES: &[BundledQuery] = bundled![
    "standards-countries",
    "standards-coverage",
    "standards-fields",
    "cr-express",
    "statistics",
    "investment",
    "timeline",
    "countries",
    "mou-areas",
    "facts-by-section",
    "articles",
];

impl BundledQuery {
    /// Finds a bundled query by name.
    pub fn find(name: &str) -> Option<&'static BundledQuery> {
        QUERIES.iter().find(|q| q.name == name)
    }

    /// The `# title:` line of the header.
    pub fn title(&self) -> &'static str {
        header(self.text, "title")
    }

    /// The `# description:` line of the header.
    pub fn description(&self) -> &'static str {
        header(self.text, "description")
    }
}

fn header(text: &'static str, key: &str) -> &'static str {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| {
            l.trim_start_matches('#')
                .trim()
                .strip_prefix(key)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(str::trim)
        })
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_queries_is_bundled() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/queries");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".rq"))
            .map(|n| n.trim_end_matches(".rq").to_owned())
            .collect();
        files.sort();
        let mut bundled: Vec<String> = QUERIES.iter().map(|q| q.name.to_owned()).collect();
        bundled.sort();
        assert_eq!(files, bundled);
    }

    #[test]
    fn every_query_parses_and_has_a_header() {
        for q in QUERIES {
            assert!(!q.title().is_empty(), "{} has no title", q.name);
            assert!(!q.description().is_empty(), "{} has no description", q.name);
            let _ = oxigraph::sparql::SparqlEvaluator::new()
                .parse_query(q.text)
                .unwrap_or_else(|e| panic!("{}: {e}", q.name));
        }
    }
}
