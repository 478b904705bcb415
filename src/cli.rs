//! Command-line arguments (clap types only) and their conversion into the library's options.

use anyhow::{Context, Result};
use brikg::dataset::DataSource;
use brikg::export::ExportOptions;
use brikg::format::{GraphFormat, ResultsFormat};
use brikg::mapping::{Iris, DEFAULT_BASE};
use brikg::ops::{QueryOptions, QuerySource, Settings};
use clap::{Args, Parser, Subcommand};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use std::path::PathBuf;
use std::time::Duration;

/// Turn curated facts of news articles about the Belt and Road Initiative into an RDF knowledge
/// graph: build it into an embedded Oxigraph store, query it with SPARQL, export it.
#[derive(Debug, Parser)]
#[command(name = "brikg", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The store directory [default: $XDG_DATA_HOME/brikg/store or ~/.local/share/brikg/store]
    #[arg(long, global = true, env = "BRIKG_STORE", value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// The data directory (articles/*.toml, reference/*.toml) [default: the data bundled in brikg]
    #[arg(long, global = true, env = "BRIKG_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The base of the IRIs minted for data resources and graphs
    #[arg(long, global = true, env = "BRIKG_BASE", value_name = "IRI", default_value = DEFAULT_BASE)]
    pub base: String,
    /// Print nothing on stderr but errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate all data files, then replace the graphs in the store in one transaction
    Build,
    /// List the bundled queries with their descriptions
    Queries,
    /// Run a bundled query, a query file or an inline query
    Query(QueryArgs),
    /// Write the graphs in an RDF format
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The name of a bundled query (see `brikg queries`)
    #[arg(value_name = "NAME", required_unless_present_any = ["file", "sparql"], conflicts_with_all = ["file", "sparql"])]
    pub name: Option<String>,
    /// Run the SPARQL query in this file (`-` for standard input)
    #[arg(long, value_name = "Q.rq", conflicts_with = "sparql")]
    pub file: Option<PathBuf>,
    /// Run this SPARQL query text
    #[arg(long, value_name = "QUERY")]
    pub sparql: Option<String>,
    /// Output format: table, csv, tsv, json, xml (or a results media type)
    #[arg(long, short, default_value = "table", value_parser = ResultsFormat::parse)]
    pub format: ResultsFormat,
    /// Bind a query variable to an RDF term: NAME=VALUE (repeatable). VALUE is a plain string,
    /// a number, true/false, or a term in Turtle syntax such as <IRI> or "text"@en
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Query the union of all graphs as the default graph (bundled queries do not need it)
    #[arg(long)]
    pub union_default_graph: bool,
    /// Cancel the query after this many seconds
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// turtle, ntriples, nquads, trig, rdfxml (or an extension or media type)
    /// [default: from the -o file's extension, else turtle]
    #[arg(long, short, value_parser = GraphFormat::parse)]
    pub format: Option<GraphFormat>,
    /// Export only this named graph
    #[arg(long, value_name = "IRI")]
    pub graph: Option<String>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl GlobalArgs {
    /// The library settings these arguments describe.
    pub fn settings(&self) -> Result<Settings> {
        let iris = Iris::new(&self.base)
            .map_err(anyhow::Error::msg)
            .context("--base")?;
        Ok(Settings {
            data: self
                .data
                .clone()
                .map_or(DataSource::Bundled, DataSource::Dir),
            store: self
                .store
                .clone()
                .unwrap_or_else(brikg::store::default_store_path),
            iris,
        })
    }
}

impl QueryArgs {
    /// The library's query options.
    pub fn options(&self) -> Result<QueryOptions> {
        let source = match (&self.name, &self.file, &self.sparql) {
            (Some(name), _, _) => QuerySource::Bundled(name.clone()),
            (_, Some(path), _) if path.as_os_str() == "-" => {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                    .context("reading the query from standard input")?;
                QuerySource::Inline(text)
            }
            (_, Some(path), _) => QuerySource::File(path.clone()),
            (_, _, Some(text)) => QuerySource::Inline(text.clone()),
            _ => unreachable!("clap requires one of them"),
        };
        let timeout = match self.timeout {
            Some(s) if s.is_finite() && s > 0.0 => Some(Duration::from_secs_f64(s)),
            Some(s) => anyhow::bail!("--timeout {s}: give a positive number of seconds"),
            None => None,
        };
        Ok(QueryOptions {
            source,
            params: self.params.clone(),
            format: self.format,
            union_default_graph: self.union_default_graph,
            timeout,
        })
    }
}

impl ExportArgs {
    /// The library's export options.
    pub fn options(&self) -> Result<ExportOptions> {
        let format = self
            .format
            .or_else(|| self.output.as_deref().and_then(GraphFormat::from_path))
            .unwrap_or(GraphFormat(RdfFormat::Turtle));
        let graph = self
            .graph
            .as_deref()
            .map(|g| NamedNode::new(g.trim_start_matches('<').trim_end_matches('>')))
            .transpose()
            .context("--graph takes an absolute IRI")?;
        Ok(ExportOptions { format, graph })
    }
}
