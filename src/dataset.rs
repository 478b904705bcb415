//! Finding, reading and parsing the data files: the articles and the reference data.
//!
//! Data comes either from a directory (`--data DIR`) or from the copy of the repository's `data/`
//! compiled into the binary, so `brikg query` works anywhere without a checkout. Everything is
//! read and checked before the store is touched; the first problem stops the build with the
//! file, line and column.

use crate::error::{DataError, Error, Result};
use crate::mapping::{self, ArticleGraph, Iris, MapError, Reference};
use crate::model::{ArticleFile, CountriesFile, WikidataFile};
use oxrdf::{GraphName, Quad};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The ontology, compiled in so every store carries the vocabulary its data uses.
pub const ONTOLOGY: &str = include_str!("../ontology/brikg.ttl");
/// The SHACL shapes of the ontology.
pub const SHAPES: &str = include_str!("../ontology/shapes.ttl");

/// The repository's `data/` directory, compiled in (path relative to `data/`, contents).
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "articles/bri-practical-measure-2024.toml",
        include_str!("../data/articles/bri-practical-measure-2024.toml"),
    ),
    (
        "reference/countries.toml",
        include_str!("../data/reference/countries.toml"),
    ),
    (
        "reference/wikidata.toml",
        include_str!("../data/reference/wikidata.toml"),
    ),
];

/// Where data files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// The data compiled into the binary.
    Bundled,
    /// A directory laid out like the repository's `data/`: `articles/*.toml`, and optionally
    /// `reference/countries.toml` and `reference/wikidata.toml` (the bundled ones otherwise).
    Dir(PathBuf),
}

/// One file's name (as shown in messages) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// All data, parsed and mapped: what a build writes.
#[derive(Debug)]
pub struct Dataset {
    pub iris: Iris,
    /// One graph per article, sorted by article id.
    pub articles: Vec<ArticleGraph>,
    pub reference: Vec<Quad>,
    pub ontology: Vec<Quad>,
    /// The VoID and DCAT description of the other graphs; empty until [`Dataset::describe`].
    pub description: Vec<Quad>,
}

impl Dataset {
    /// Every graph of the dataset with its quads, in a stable order.
    pub fn graphs(&self) -> Vec<(oxrdf::NamedNode, &[Quad])> {
        let mut graphs = vec![
            (self.iris.ontology_graph(), self.ontology.as_slice()),
            (self.iris.reference_graph(), self.reference.as_slice()),
        ];
        graphs.extend(
            self.articles
                .iter()
                .map(|a| (a.graph.clone(), a.quads.as_slice())),
        );
        if !self.description.is_empty() {
            graphs.push((
                crate::describe::void_graph(&self.iris),
                self.description.as_slice(),
            ));
        }
        graphs
    }

    /// Computes the dataset's VoID and DCAT description, stored as one more graph.
    pub fn describe(&mut self, options: &crate::describe::DescribeOptions) {
        self.description.clear();
        let quads: Vec<&Quad> = self
            .graphs()
            .into_iter()
            .flat_map(|(_, q)| q.iter())
            .collect();
        let description =
            crate::describe::describe(quads.into_iter().map(Quad::as_ref), &self.iris, options);
        self.description = description;
    }

    /// The number of quads in all graphs.
    pub fn len(&self) -> usize {
        self.graphs().iter().map(|(_, q)| q.len()).sum()
    }

    /// Whether the dataset has no quads at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads, checks and maps all data of `source` under the IRI base of `iris`.
pub fn load(source: &DataSource, iris: &Iris) -> Result<Dataset> {
    let (articles, countries, wikidata) = read_files(source)?;
    let reference = parse_reference(&countries, &wikidata)?;
    let mut graphs = Vec::with_capacity(articles.len());
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for file in &articles {
        let graph = parse_article(file, &reference, iris)?;
        if let Some(previous) = seen.insert(graph.id.clone(), file.name.clone()) {
            let parsed: ArticleFile = toml::from_str(&file.text).expect("parsed above");
            return Err(DataError::at(
                &file.name,
                &file.text,
                parsed.article.id.span().start,
                Some("article.id".into()),
                format!(
                    "article id {:?} is already used by {previous}; each article needs its own id",
                    graph.id
                ),
            )
            .into());
        }
        graphs.push(graph);
    }
    graphs.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Dataset {
        reference: mapping::map_reference(&reference, iris),
        ontology: parse_ontology(iris)?,
        iris: iris.clone(),
        articles: graphs,
        description: Vec::new(),
    })
}

/// Parses and maps one article file.
pub fn parse_article(
    file: &SourceFile,
    reference: &Reference,
    iris: &Iris,
) -> Result<ArticleGraph> {
    let parsed = parse_toml::<ArticleFile>(file)?;
    mapping::map_article(&parsed, reference, iris).map_err(|e: MapError| {
        DataError::at(
            &file.name,
            &file.text,
            e.span.start,
            Some(e.field),
            e.message,
        )
        .into()
    })
}

fn parse_toml<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<T> {
    if file.text.trim().is_empty() {
        return Err(DataError::file(
            &file.name,
            "the file is empty; an article file needs at least an [article] table",
        )
        .into());
    }
    toml::from_str(&file.text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = e.message().trim_end().replace('\n', "; ");
        DataError::at(&file.name, &file.text, offset, None, message).into()
    })
}

/// Builds the reference tables from the two reference files.
pub fn parse_reference(countries: &SourceFile, wikidata: &SourceFile) -> Result<Reference> {
    let parsed: CountriesFile = parse_toml(countries)?;
    let mut reference = Reference::default();
    for c in parsed.country {
        reference.countries.insert(c.alpha2.clone(), c);
    }
    let wd: WikidataFile = parse_toml(wikidata)?;
    for (code, qid) in wd.wikidata {
        let valid_qid =
            qid.len() > 1 && qid.starts_with('Q') && qid[1..].bytes().all(|b| b.is_ascii_digit());
        if !reference.countries.contains_key(&code) || !valid_qid {
            return Err(DataError::file(
                &wikidata.name,
                format!("wikidata.{code} = {qid:?}: needs an ISO 3166-1 alpha-2 code and a QID such as \"Q148\""),
            )
            .into());
        }
        reference.wikidata.insert(code, qid);
    }
    Ok(reference)
}

fn parse_ontology(iris: &Iris) -> Result<Vec<Quad>> {
    let graph = GraphName::from(iris.ontology_graph());
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(ONTOLOGY.as_bytes())
        .map(|q| q.map(|q| Quad::new(q.subject, q.predicate, q.object, graph.clone())))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Error::Usage(format!("the bundled ontology does not parse: {e}")))
}

fn bundled(name: &str) -> SourceFile {
    let text = BUNDLED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (*t).to_owned())
        .expect("bundled file");
    SourceFile {
        name: format!("<bundled>/data/{name}"),
        text,
    }
}

type Files = (Vec<SourceFile>, SourceFile, SourceFile);

fn read_files(source: &DataSource) -> Result<Files> {
    match source {
        DataSource::Bundled => {
            let articles = BUNDLED
                .iter()
                .filter(|(n, _)| n.starts_with("articles/"))
                .map(|(n, _)| bundled(n))
                .collect();
            Ok((
                articles,
                bundled("reference/countries.toml"),
                bundled("reference/wikidata.toml"),
            ))
        }
        DataSource::Dir(dir) => {
            let articles_dir = dir.join("articles");
            if !articles_dir.is_dir() {
                return Err(Error::Usage(format!(
                    "{}: no articles directory; a data directory holds articles/*.toml (see README, \"Data files\")",
                    dir.display()
                )));
            }
            let mut paths = Vec::new();
            for entry in fs::read_dir(&articles_dir).map_err(|e| io(&articles_dir, e))? {
                let path = entry.map_err(|e| io(&articles_dir, e))?.path();
                if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                    paths.push(path);
                }
            }
            paths.sort();
            if paths.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no article files (*.toml); add one per article (see README, \"Adding an article\")",
                    articles_dir.display()
                )));
            }
            let articles = paths.iter().map(|p| read(p)).collect::<Result<Vec<_>>>()?;
            let reference = |name: &str| {
                let path = dir.join("reference").join(name);
                if path.exists() {
                    read(&path)
                } else {
                    Ok(bundled(&format!("reference/{name}")))
                }
            };
            Ok((
                articles,
                reference("countries.toml")?,
                reference("wikidata.toml")?,
            ))
        }
    }
}

fn read(path: &Path) -> Result<SourceFile> {
    let bytes = fs::read(path).map_err(|e| io(path, e))?;
    let name = path.display().to_string();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile { name, text }),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = std::str::from_utf8(&e.as_bytes()[..offset]).expect("valid prefix");
            let (line, column) = crate::error::line_column(valid, offset);
            Err(DataError {
                path: name,
                line,
                column,
                field: None,
                message: "the file is not valid UTF-8; save it as UTF-8".into(),
            }
            .into())
        }
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_is_bundled() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut on_disk = Vec::new();
        for sub in ["articles", "reference"] {
            for entry in fs::read_dir(root.join(sub)).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                if name.ends_with(".toml") {
                    on_disk.push(format!("{sub}/{name}"));
                }
            }
        }
        on_disk.sort();
        let mut bundled: Vec<String> = BUNDLED.iter().map(|(n, _)| (*n).to_owned()).collect();
        bundled.sort();
        assert_eq!(on_disk, bundled, "add new data files to BUNDLED");
    }

    const ALT_LABELS: usize = 11;
    const LEGAL_NAMES: usize = 173;

    #[test]
    fn the_bundled_data_loads() {
        let iris = Iris::new(crate::mapping::DEFAULT_BASE).unwrap();
        let dataset = load(&DataSource::Bundled, &iris).unwrap();
        assert_eq!(dataset.articles.len(), 1);
        // 249 countries × (type, 3 codes, prefLabel), altLabels where a common name differs,
        // official names where ISO gives one, and 6 Wikidata links (computed from iso-codes).
        assert_eq!(
            dataset.reference.len(),
            249 * 5 + ALT_LABELS + LEGAL_NAMES + 6
        );
    }
}
