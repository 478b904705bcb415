//! The bundled SPARQL queries, compiled into the binary from `queries/*.rq`.
//!
//! Each file starts with `# title:` and `# description:` comment lines, which `brikg queries`
//! lists, and one `# param: NAME ?VARIABLE: what it is (e.g. EXAMPLE)` line per parameter it
//! takes (the `params` module says what each name means). The queries use `GRAPH` patterns only, so they give the same answers whether an
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

/// What is said of a name no bundled query has: the nearest names, or all of them.
pub fn unknown(name: &str) -> String {
    let names = QUERIES.iter().map(|q| q.name);
    let offered: Vec<String> = crate::suggest::nearest(name, names.clone())
        .into_iter()
        .map(str::to_owned)
        .collect();
    match crate::suggest::did_you_mean(&offered) {
        Some(offer) => {
            format!("no bundled query named {name:?}; {offer} (`brikg queries` lists them)")
        }
        None => format!(
            "no bundled query named {name:?}; bundled queries: {}",
            names.collect::<Vec<_>>().join(", ")
        ),
    }
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
    "figures-per-country",
    "figures-per-measure",
    "figures-per-year",
    "countries-by-articles",
    "history",
    "disagreements",
    "thing",
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

    /// The parameters the header declares, in order.
    pub fn params(&self) -> Vec<Param> {
        self.text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .filter_map(|l| l.trim_start_matches('#').trim().strip_prefix("param:"))
            .filter_map(Param::parse)
            .collect()
    }
}

/// A parameter of a bundled query, as its header declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// What `--param NAME=VALUE` and `?NAME=VALUE` in a URL use.
    pub name: &'static str,
    /// The query variable the value is bound to.
    pub variable: &'static str,
    /// What the value is, for people.
    pub description: &'static str,
    /// An example value (what follows "e.g." in the description).
    pub example: &'static str,
}

impl Param {
    /// Reads `NAME ?VARIABLE: description (e.g. EXAMPLE, …)`.
    fn parse(line: &'static str) -> Option<Param> {
        let (head, description) = line.split_once(':')?;
        let mut words = head.split_whitespace();
        let name = words.next()?;
        let variable = words.next()?.strip_prefix('?')?;
        let description = description.trim();
        let example = description
            .split_once("(e.g. ")
            .map(|(_, rest)| rest.split([',', ')']).next().unwrap_or("").trim())
            .unwrap_or("");
        Some(Param {
            name,
            variable,
            description,
            example,
        })
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
