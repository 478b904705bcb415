//! Finding, reading and parsing the data files: the articles and the reference data.
//!
//! Data comes either from a directory (`--data DIR`) or from the copy of the repository's `data/`
//! compiled into the binary, so `brikg query` works anywhere without a checkout. Everything is
//! read and checked before the store is touched; the first problem stops the build with the
//! file, line and column.

use crate::error::{DataError, Error, Result};
use crate::iris::Iris;
use crate::mapping::{self, ArticleGraph, MapError, Reference};
use crate::model::{
    ArticleFile, CountriesFile, CountryNamesFile, CurrenciesFile, UnitsFile, WikidataFile,
};
use crate::vocabulary;
use oxrdf::NamedNode;
use oxrdf::{GraphName, Quad};
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
    (
        "reference/country-names.toml",
        include_str!("../data/reference/country-names.toml"),
    ),
    (
        "reference/units.toml",
        include_str!("../data/reference/units.toml"),
    ),
    (
        "reference/currencies.toml",
        include_str!("../data/reference/currencies.toml"),
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

/// Where one article file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArticleOrigin {
    /// Compiled into the binary.
    Bundled(&'static str),
    /// A file on disk.
    Path(PathBuf),
}

/// One article file, not read yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSource {
    /// The path relative to the data directory, such as `articles/x.toml`: stable across
    /// machines, so it can be recorded in the store.
    pub key: String,
    pub origin: ArticleOrigin,
}

impl ArticleSource {
    /// The name shown in messages: the file's path. (Made when needed: a build of 20,000 files
    /// keeps only the key and the path of each.)
    pub fn name(&self) -> String {
        match &self.origin {
            ArticleOrigin::Bundled(_) => format!("<bundled>/data/{}", self.key),
            ArticleOrigin::Path(path) => path.display().to_string(),
        }
    }

    /// The file's size and modification time, to notice a change without reading it; `None` for
    /// bundled data (always hashed: it is one small file).
    pub fn stamp(&self) -> Option<String> {
        let ArticleOrigin::Path(path) = &self.origin else {
            return None;
        };
        stamp_of(path)
    }

    /// Reads the file.
    pub fn read(&self) -> Result<SourceFile> {
        match &self.origin {
            ArticleOrigin::Bundled(text) => Ok(SourceFile {
                name: self.name(),
                text: (*text).to_owned(),
            }),
            ArticleOrigin::Path(path) => read(path),
        }
    }
}

/// The reference data, the ontology and the curator's declarations, ready to map articles
/// against and to store.
#[derive(Debug)]
pub struct Foundation {
    pub reference: Reference,
    /// The quads of the reference graph.
    pub reference_quads: Vec<Quad>,
    /// The quads of the ontology graph.
    pub ontology_quads: Vec<Quad>,
    /// The quads of the curator's declarations (`data/vocabulary/*.toml`), empty without any.
    pub vocabulary_quads: Vec<Quad>,
    /// A digest of everything besides the article files that shapes the graph: brikg's
    /// version, the IRI base, the ontology, the reference files and the declarations. When it
    /// changes, every article is mapped again.
    pub fingerprint: String,
}

impl Foundation {
    /// The quads of the ontology, reference and vocabulary graphs, in that order.
    pub fn quads(&self) -> impl Iterator<Item = &Quad> {
        self.ontology_quads
            .iter()
            .chain(&self.reference_quads)
            .chain(&self.vocabulary_quads)
    }

    /// How many quads [`Foundation::quads`] gives.
    pub fn len(&self) -> usize {
        self.ontology_quads.len() + self.reference_quads.len() + self.vocabulary_quads.len()
    }

    /// Whether there is nothing at all (never: the ontology is always there).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many named graphs its quads fill.
    pub fn graphs(&self) -> usize {
        2 + usize::from(!self.vocabulary_quads.is_empty())
    }
}

/// The article files of a data source, sorted by key.
pub fn list_articles(source: &DataSource) -> Result<Vec<ArticleSource>> {
    match source {
        DataSource::Bundled => Ok(BUNDLED
            .iter()
            .filter(|(n, _)| n.starts_with("articles/"))
            .map(|(n, text)| ArticleSource {
                key: (*n).to_owned(),
                origin: ArticleOrigin::Bundled(text),
            })
            .collect()),
        DataSource::Dir(dir) => {
            let articles_dir = dir.join("articles");
            if !articles_dir.is_dir() {
                return Err(Error::Usage(format!(
                    "{}: no articles directory; a data directory holds articles/*.toml (see docs/data.md, \"Data files\")",
                    dir.display()
                )));
            }
            let mut sources = Vec::new();
            for entry in fs::read_dir(&articles_dir).map_err(|e| io(&articles_dir, e))? {
                let entry = entry.map_err(|e| io(&articles_dir, e))?;
                let path = entry.path();
                // The directory entry's type costs no system call; only a link is followed.
                let is_file = match entry.file_type() {
                    Ok(t) if t.is_symlink() => path.is_file(),
                    Ok(t) => t.is_file(),
                    Err(_) => path.is_file(),
                };
                if path.extension().is_some_and(|e| e == "toml") && is_file {
                    let file_name = path
                        .file_name()
                        .expect("a file")
                        .to_string_lossy()
                        .into_owned();
                    sources.push(ArticleSource {
                        key: format!("articles/{file_name}"),
                        origin: ArticleOrigin::Path(path),
                    });
                }
            }
            sources.sort_by(|a, b| a.key.cmp(&b.key));
            if sources.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no article files (*.toml); add one per article (see docs/data.md, \"Adding an article\")",
                    articles_dir.display()
                )));
            }
            Ok(sources)
        }
    }
}

/// A file's size, modification time and inode (`size:seconds.nanoseconds:inode`), what git's
/// index compares to tell a changed file without reading it (an editor that saves by writing a
/// new file and renaming it changes the inode even when size and time agree); `None` when the
/// file cannot be looked at.
pub fn stamp_of(path: &Path) -> Option<String> {
    let meta = fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(format!(
        "{}:{}.{:09}:{inode}",
        meta.len(),
        modified.as_secs(),
        modified.subsec_nanos()
    ))
}

/// The modification time a stamp of [`stamp_of`] records.
pub fn stamp_modified(stamp: &str) -> Option<std::time::Duration> {
    let (seconds, nanos) = stamp.split(':').nth(1)?.split_once('.')?;
    Some(std::time::Duration::new(
        seconds.parse().ok()?,
        nanos.parse().ok()?,
    ))
}

/// The reference files a data directory may hold instead of the bundled ones.
const REFERENCE_FILES: [&str; 5] = [
    "countries.toml",
    "wikidata.toml",
    "country-names.toml",
    "units.toml",
    "currencies.toml",
];

/// How many threads `stat` the data files.
const STAT_THREADS: usize = 8;

/// Every file of a data directory that a build reads, by key (`articles/x.toml`,
/// `reference/units.toml`, `vocabulary/kinds.toml`), with its stamp, sorted by key: what the
/// file system tells about the data without reading it.
pub fn file_stamps(dir: &Path) -> Result<Vec<(String, String)>> {
    let source = DataSource::Dir(dir.to_owned());
    let articles = list_articles(&source)?;
    // Several threads at once: when the file system's metadata is not cached (after a large
    // write), each `stat` waits for the disk, and 100,000 of them one after another took 1.4 s.
    let chunk = articles.len().div_ceil(STAT_THREADS).max(1024);
    let mut stamps: Vec<(String, String)> = std::thread::scope(|scope| {
        let workers: Vec<_> = articles
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|s| s.stamp().unwrap_or_default())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a stat thread panicked"))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .zip(articles)
    .map(|(stamp, s)| (s.key, stamp))
    .collect();
    for name in REFERENCE_FILES {
        if let Some(stamp) = stamp_of(&dir.join("reference").join(name)) {
            stamps.push((format!("reference/{name}"), stamp));
        }
    }
    for path in declaration_paths(&source)? {
        let name = path.file_name().expect("a file").to_string_lossy();
        let key = format!("{}/{name}", vocabulary::DECLARATIONS_DIR);
        stamps.push((key, stamp_of(&path).unwrap_or_default()));
    }
    stamps.sort();
    Ok(stamps)
}

/// Reads the reference files and the ontology of a data source.
pub fn load_foundation(source: &DataSource, iris: &Iris) -> Result<Foundation> {
    let reference_file = |name: &str| -> Result<SourceFile> {
        if let DataSource::Dir(dir) = source {
            let path = dir.join("reference").join(name);
            if path.exists() {
                return read(&path);
            }
        }
        Ok(bundled(&format!("reference/{name}")))
    };
    let [countries, wikidata, names, units, currencies] = REFERENCE_FILES.map(reference_file);
    let (countries, wikidata, names, units, currencies) =
        (countries?, wikidata?, names?, units?, currencies?);
    let mut reference = parse_reference(&countries, &wikidata)?;
    add_reference_names(&mut reference, &names, &units, &currencies)?;
    let ontology_quads = parse_ontology(iris)?;
    let reference_quads = mapping::map_reference(&reference, iris);
    // The vocabulary is read from RDF: brikg's kinds from the ontology, its units from the
    // reference graph, then the curator's declarations on top.
    reference.vocabulary.read(
        ontology_quads
            .iter()
            .chain(&reference_quads)
            .map(|q| oxrdf::TripleRef::from(q.as_ref())),
    );
    let declarations = list_declarations(source)?;
    let parsed = declarations
        .iter()
        .map(|file| {
            Ok(vocabulary::DeclarationFile {
                name: &file.name,
                text: &file.text,
                parsed: parse_toml_allow_empty(file)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let vocabulary_quads = vocabulary::declare(&mut reference.vocabulary, &parsed, iris)?;
    let mut parts: Vec<&[u8]> = vec![
        env!("CARGO_PKG_VERSION").as_bytes(),
        iris.base().as_bytes(),
        ONTOLOGY.as_bytes(),
    ];
    for file in [&countries, &wikidata, &names, &units, &currencies]
        .into_iter()
        .chain(&declarations)
    {
        parts.push(file.name.as_bytes());
        parts.push(file.text.as_bytes());
    }
    let fingerprint = crate::digest::digest_of(&parts);
    Ok(Foundation {
        reference_quads,
        ontology_quads,
        vocabulary_quads,
        reference,
        fingerprint,
    })
}

/// The curator's declaration files (`vocabulary/*.toml` in a data directory), sorted by name;
/// none for the bundled data.
fn list_declarations(source: &DataSource) -> Result<Vec<SourceFile>> {
    declaration_paths(source)?.iter().map(|p| read(p)).collect()
}

/// The paths of the declaration files, sorted.
fn declaration_paths(source: &DataSource) -> Result<Vec<PathBuf>> {
    let DataSource::Dir(dir) = source else {
        return Ok(Vec::new());
    };
    let folder = dir.join(vocabulary::DECLARATIONS_DIR);
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let mut paths = Vec::new();
    for entry in fs::read_dir(&folder).map_err(|e| io(&folder, e))? {
        let path = entry.map_err(|e| io(&folder, e))?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Adds the names people use for countries, the units and the currencies to the reference.
fn add_reference_names(
    reference: &mut Reference,
    names: &SourceFile,
    units: &SourceFile,
    currencies: &SourceFile,
) -> Result<()> {
    let parsed: CountryNamesFile = parse_toml(names)?;
    for n in parsed.country {
        if !reference.countries.contains_key(&n.alpha2) {
            return Err(DataError::file(
                &names.name,
                format!(
                    "{:?} is not an alpha-2 code of countries.toml; regenerate both with scripts/",
                    n.alpha2
                ),
            )
            .into());
        }
        reference.country_names.insert(n.alpha2.clone(), n);
    }
    let parsed: UnitsFile = parse_toml(units)?;
    for u in &parsed.unit {
        let valid = NamedNode::new(&u.iri).is_ok()
            && NamedNode::new(&u.quantity_iri).is_ok()
            && u.factor.parse::<oxsdatatypes::Decimal>().is_ok();
        if !valid {
            return Err(DataError::file(
                &units.name,
                format!("unit {:?}: its IRIs or factor do not parse; regenerate it with scripts/gen-units.py", u.code),
            )
            .into());
        }
    }
    reference.units = parsed.unit;
    let parsed: CurrenciesFile = parse_toml(currencies)?;
    for c in parsed.currency {
        reference.currencies.insert(c.alpha3.clone(), c);
    }
    Ok(())
}

/// The error for a second file that uses an article id already taken.
pub fn duplicate_article(file: &SourceFile, id: &str, previous: &str) -> Error {
    let offset = toml::from_str::<ArticleFile>(&file.text).map_or(0, |p| p.article.id.span().start);
    DataError::at(
        &file.name,
        &file.text,
        offset,
        Some("article.id".into()),
        format!("article id {id:?} is already used by {previous}; each article needs its own id"),
    )
    .into()
}

/// Parses and maps one article file.
pub fn parse_article(
    file: &SourceFile,
    reference: &Reference,
    iris: &Iris,
) -> Result<ArticleGraph> {
    let parsed = parse_toml::<ArticleFile>(file)?;
    mapping::map_article(&parsed, reference, iris).map_err(|errors: Vec<MapError>| {
        Error::from_data(
            errors
                .into_iter()
                .map(|e| {
                    DataError::at(
                        &file.name,
                        &file.text,
                        e.span.start,
                        Some(e.field),
                        e.message,
                    )
                })
                .collect(),
        )
    })
}

/// Parses an article file into the model, without mapping it.
pub fn parse_file(file: &SourceFile) -> Result<ArticleFile> {
    parse_toml(file)
}

fn parse_toml<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<T> {
    if file.text.trim().is_empty() {
        return Err(DataError::file(
            &file.name,
            "the file is empty; an article file needs at least an [article] table",
        )
        .into());
    }
    parse_toml_allow_empty(file)
}

/// Parses a TOML file that may be empty (a declarations file with nothing declared yet).
fn parse_toml_allow_empty<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<T> {
    toml::from_str(&file.text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = e.message().trim_end().replace('\n', "; ");
        // (Other control characters are escaped by DataError itself.)
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

/// Data files larger than this are refused before they are read: no article is that long, and
/// reading one would take the memory of the whole corpus.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

fn read(path: &Path) -> Result<SourceFile> {
    let size = fs::metadata(path).map_err(|e| io(path, e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(DataError::file(
            &path.display().to_string(),
            format!(
                "the file is {:.1} MiB; an article file is at most {} MiB (one article per file: split it)",
                size as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .into());
    }
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

    // Counted from the reference files by hand (a Python one-off over the TOML, not this code):
    // English alternative names (ISO names, CLDR names and aliases besides the printed one),
    // Chinese preferred and alternative names, official names, and the units' quads (type,
    // notation, label, quantity kind, factor, UCUM codes, symbol).
    const ALT_LABELS_EN: usize = 68;
    const LABELS_ZH: usize = 249 + 202;
    const LEGAL_NAMES: usize = 173;
    const UNIT_QUADS: usize = 134;

    #[test]
    fn the_bundled_data_loads() {
        let iris = Iris::new(crate::iris::DEFAULT_BASE).unwrap();
        let foundation = load_foundation(&DataSource::Bundled, &iris).unwrap();
        assert_eq!(foundation.ontology_quads.len(), 542);
        assert!(foundation.vocabulary_quads.is_empty());
        let articles = list_articles(&DataSource::Bundled).unwrap();
        assert_eq!(articles.len(), 1);
        let graph =
            parse_article(&articles[0].read().unwrap(), &foundation.reference, &iris).unwrap();
        assert_eq!(graph.quads.len(), 325);
        // 249 countries × (type, 3 codes, English prefLabel), the other names, official names
        // where ISO gives one, 6 Wikidata links, and 19 units.
        assert_eq!(
            foundation.reference_quads.len(),
            249 * 5 + ALT_LABELS_EN + LABELS_ZH + LEGAL_NAMES + 6 + UNIT_QUADS
        );
    }
}
