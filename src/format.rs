//! One type for RDF serialization formats and one for SPARQL results formats, each taken from a
//! short name, a file extension or a media type, as oxigraph's own CLI does.

use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;
use std::path::Path;

/// An RDF format brikg can export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphFormat(pub RdfFormat);

impl GraphFormat {
    /// The formats, with the short names the CLI documents.
    pub const NAMES: &'static [(&'static str, RdfFormat)] = &[
        ("turtle", RdfFormat::Turtle),
        ("ntriples", RdfFormat::NTriples),
        ("nquads", RdfFormat::NQuads),
        ("trig", RdfFormat::TriG),
        ("rdfxml", RdfFormat::RdfXml),
        (
            "jsonld",
            RdfFormat::JsonLd {
                profile: oxjsonld::JsonLdProfileSet::empty(),
            },
        ),
    ];

    /// From a short name (`turtle`), an extension (`ttl`) or a media type (`text/turtle`).
    pub fn parse(value: &str) -> Result<Self, String> {
        let lower = value.to_ascii_lowercase();
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == lower)
            .map(|(_, f)| *f)
            .or_else(|| RdfFormat::from_extension(&lower))
            .or_else(|| RdfFormat::from_media_type(&lower))
            .filter(|f| Self::NAMES.iter().any(|(_, g)| g == f))
            .map(GraphFormat)
            .ok_or_else(|| {
                format!(
                    "unknown RDF format {value:?}; use one of {}, a file extension or a media type",
                    Self::NAMES
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }

    /// Guesses the format from a file name's extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?;
        Self::parse(ext).ok()
    }

    /// The one place a format is chosen: the one asked for, else the file's extension, else
    /// `default`.
    pub fn choose(asked: Option<Self>, path: Option<&Path>, default: RdfFormat) -> Self {
        asked
            .or_else(|| path.and_then(Self::from_path))
            .unwrap_or(GraphFormat(default))
    }

    /// The format of a file to read, which its extension must tell.
    pub fn of_file(path: &Path) -> Result<Self, String> {
        Self::from_path(path).ok_or_else(|| {
            format!(
                "{}: cannot tell the RDF format from the extension; use .ttl, .nt, .nq, .trig, .rdf or .jsonld",
                path.display()
            )
        })
    }

    /// Whether the format is written line by line (N-Triples, N-Quads), so that files in it
    /// concatenate.
    pub fn is_line_based(self) -> bool {
        matches!(self.0, RdfFormat::NQuads | RdfFormat::NTriples)
    }

    /// Its short name, as the CLI documents it.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, f)| *f == self.0)
            .map_or(self.0.name(), |(n, _)| n)
    }

    /// Whether the format keeps named graphs.
    pub fn supports_datasets(self) -> bool {
        self.0.supports_datasets()
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        self.0.file_extension()
    }
}

/// A SPARQL results format, or a human-readable table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsFormat {
    /// Aligned columns for a terminal.
    Table,
    /// One of the W3C SPARQL results formats.
    Sparql(QueryResultsFormat),
}

impl ResultsFormat {
    /// The formats, with the short names the CLI documents.
    pub const NAMES: &'static [&'static str] = &["table", "csv", "tsv", "json", "xml"];

    /// From a short name, an extension (`srj`) or a media type.
    pub fn parse(value: &str) -> Result<Self, String> {
        let lower = value.to_ascii_lowercase();
        if lower == "table" {
            return Ok(ResultsFormat::Table);
        }
        QueryResultsFormat::from_extension(&lower)
            .or_else(|| QueryResultsFormat::from_media_type(&lower))
            .map(ResultsFormat::Sparql)
            .ok_or_else(|| {
                format!(
                    "unknown results format {value:?}; use one of {}, a file extension or a media type",
                    Self::NAMES.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_formats_by_name_extension_and_media_type() {
        assert_eq!(GraphFormat::parse("turtle").unwrap().0, RdfFormat::Turtle);
        assert_eq!(GraphFormat::parse("ttl").unwrap().0, RdfFormat::Turtle);
        assert_eq!(
            GraphFormat::parse("application/n-quads").unwrap().0,
            RdfFormat::NQuads
        );
        assert_eq!(GraphFormat::parse("rdf").unwrap().0, RdfFormat::RdfXml);
        assert_eq!(
            GraphFormat::parse("yaml").unwrap_err(),
            "unknown RDF format \"yaml\"; use one of turtle, ntriples, nquads, trig, rdfxml, jsonld, a file extension or a media type"
        );
    }

    #[test]
    fn results_formats_by_name_and_media_type() {
        assert_eq!(ResultsFormat::parse("table").unwrap(), ResultsFormat::Table);
        assert_eq!(
            ResultsFormat::parse("json").unwrap(),
            ResultsFormat::Sparql(QueryResultsFormat::Json)
        );
        assert_eq!(
            ResultsFormat::parse("text/csv").unwrap(),
            ResultsFormat::Sparql(QueryResultsFormat::Csv)
        );
        assert!(ResultsFormat::parse("html").is_err());
    }
}
