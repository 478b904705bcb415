//! Command-line arguments (clap types only) and their conversion into the library's options.

use anyhow::{Context, Result};
use brikg::dataset::DataSource;
use brikg::describe::DescribeOptions;
use brikg::export::ExportOptions;
use brikg::format::{GraphFormat, ResultsFormat};
use brikg::http::Credentials;
use brikg::iris::{Iris, DEFAULT_BASE};
use brikg::ops::{ExportTarget, Notifier, QueryOptions, QuerySource, Settings, ValidateOptions};
use brikg::output::Destination;
use brikg::push::{PushMode, PushOptions};
use clap::{Args, Parser, Subcommand};
use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

mod build_args;
pub use build_args::BuildArgs;

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

/// Options every command takes; the store, data and description options may also come before
/// the command (`brikg --store S query …`), as they did when every command took them.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print nothing on stderr but errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub description: DescriptionArgs,
}

/// Where the data is and how its IRIs are minted: for the commands that read the data.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// The data directory (articles/*.toml, reference/*.toml) [default: the data bundled in brikg]
    #[arg(long, env = "BRIKG_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The base of the IRIs minted for data resources and graphs [default:
    /// https://w3id.org/brikg/id/]
    #[arg(long, env = "BRIKG_BASE", value_name = "IRI")]
    pub base: Option<String>,
}

/// The store, and the data it is built from: for the commands that open the store.
#[derive(Debug, Args)]
#[command(next_help_heading = "Store and data")]
pub struct StoreArgs {
    /// The store directory [default: $XDG_DATA_HOME/brikg/store or ~/.local/share/brikg/store]
    #[arg(long, env = "BRIKG_STORE", value_name = "PATH")]
    pub store: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
}

/// Who publishes the data under which licence: for the commands that write the dataset's
/// description.
#[derive(Debug, Args)]
#[command(next_help_heading = "Dataset description")]
pub struct DescriptionArgs {
    /// The publisher named in the dataset description (VoID/DCAT)
    #[arg(long, env = "BRIKG_PUBLISHER", value_name = "NAME")]
    pub publisher: Option<String>,
    /// The IRI of the data's licence, for the dataset description
    #[arg(long, env = "BRIKG_LICENSE", value_name = "IRI")]
    pub license: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check all data files, then bring the store up to date (only changed files are mapped)
    Build(BuildArgs),
    /// List the bundled queries with their descriptions
    Queries,
    /// Run a bundled query, a query file or an inline query
    Query(QueryArgs),
    /// Write the graphs in an RDF format
    Export(ExportArgs),
    /// Send the graphs to an external triple store (SPARQL 1.1 Graph Store HTTP Protocol)
    Push(PushArgs),
    /// Describe the dataset in VoID and DCAT, computed from the store
    Describe(DescribeArgs),
    /// Check the graph against the SHACL shapes of ontology/shapes.ttl
    Validate(ValidateArgs),
    /// Serve the store: a SPARQL endpoint, the bundled queries by name, and a page for people
    Serve(ServeArgs),
    /// Draft a data file from an article's text (plain text, Markdown or HTML) for a curator to
    /// review
    Draft(DraftArgs),
    /// Print a shell completion script (e.g. `brikg completions bash > ~/.local/share/bash-completion/completions/brikg`)
    Completions(CompletionsArgs),
    /// Print a manual page in roff (e.g. `brikg man --dir ~/.local/share/man/man1` writes them all)
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (e.g. build) [default: brikg's own page]
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
    /// Write every page (brikg.1, brikg-build.1, …) into this directory instead
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

impl CompletionsArgs {
    /// Prints the script, generated in memory: clap_complete panics on a write error such as
    /// a closed pipe.
    pub fn run(&self, out: &mut dyn std::io::Write) -> Result<()> {
        let mut script = Vec::new();
        let mut cli = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(self.shell, &mut cli, "brikg", &mut script);
        out.write_all(&script)?;
        Ok(())
    }
}

impl ManArgs {
    /// Prints one page, or writes them all: brikg(1) lists brikg-build(1) and the others, so
    /// each exists.
    pub fn run(&self, out: &mut dyn std::io::Write) -> Result<()> {
        let mut cli = <Cli as clap::CommandFactory>::command();
        cli.build();
        let pages = std::iter::once(cli.clone()).chain(
            cli.get_subcommands()
                .filter(|c| c.get_name() != "help")
                .cloned(),
        );
        let page = |cmd: clap::Command| -> Result<(String, Vec<u8>)> {
            let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_owned();
            let mut roff = Vec::new();
            clap_mangen::Man::new(cmd)
                .source(format!("brikg {}", env!("CARGO_PKG_VERSION")))
                .render(&mut roff)?;
            Ok((name, roff))
        };
        match (&self.dir, &self.command) {
            (Some(dir), _) => {
                std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
                for cmd in pages {
                    let (name, roff) = page(cmd)?;
                    let path = dir.join(format!("{name}.1"));
                    brikg::output::write_atomically(&path, |w| {
                        w.write_all(&roff).map_err(brikg::error::Error::Output)
                    })?;
                }
            }
            (None, Some(name)) => {
                let Some(cmd) = cli.find_subcommand(name).filter(|_| name != "help") else {
                    let names: Vec<&str> = cli
                        .get_subcommands()
                        .map(|c| c.get_name())
                        .filter(|n| *n != "help")
                        .collect();
                    anyhow::bail!("no command {name:?}; the commands are {}", names.join(", "));
                };
                out.write_all(&page(cmd.clone())?.1)?;
            }
            (None, None) => out.write_all(&page(cli.clone())?.1)?,
        }
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The article: plain text as the news site prints it, Markdown (.md) or a saved page (.html)
    #[arg(required = true, value_name = "ARTICLE")]
    pub articles: Vec<PathBuf>,
    /// Write the draft to FILE (several articles: to a directory, one FILE.toml each) [default:
    /// stdout]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Compare the draft with a curated data file and print precision, recall and F1
    #[arg(long, value_name = "CURATED")]
    pub score: Option<PathBuf>,
    /// Print the score as JSON
    #[arg(long, requires = "score")]
    pub json: bool,
    /// How many articles are drafted at once [default: one per core]
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Replace draft files that exist (by default a file that exists is never replaced: a
    /// curator may have reviewed it)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub data: DataArgs,
}

impl DraftArgs {
    pub fn options(&self) -> brikg::ops::DraftOptions {
        brikg::ops::DraftOptions {
            articles: self.articles.clone(),
            output: self.output.clone(),
            score: self.score.clone(),
            json: self.json,
            threads: self.jobs,
            overwrite: if self.force {
                brikg::ops::Overwrite::Replace
            } else {
                brikg::ops::Overwrite::Refuse
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (a port of 0 picks a free one)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub bind: std::net::SocketAddr,
    /// Cancel each query after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// How many queries run at once
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub max_concurrent: usize,
    /// How many requests wait for a turn before the server answers 503
    #[arg(long, value_name = "N", default_value_t = 512)]
    pub queue: usize,
    /// Refuse (413) a result larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub max_result_bytes: usize,
    /// Keep up to this many bytes of answers to repeated queries (0: keep none); the store does
    /// not change while a read-only server serves it
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub cache_bytes: usize,
    /// Let pages from this origin (or *) call the server (CORS)
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
    /// Queries that name no default graph read the union of all graphs as their default graph
    /// (as Virtuoso does); slower on a large store, where every pattern scans every graph
    #[arg(long)]
    pub union_default_graph: bool,
    /// Accept SPARQL updates at /update from clients that present the token in
    /// BRIKG_TOKEN (Authorization: Bearer ...); the store is then held exclusively
    #[arg(long)]
    pub update: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub description: DescriptionArgs,
}

impl ServeArgs {
    /// The library's serve options; the token comes from BRIKG_TOKEN, never the command line.
    pub fn options(&self) -> Result<brikg::serve::ServeOptions> {
        let update_token = if self.update {
            match std::env::var("BRIKG_TOKEN") {
                Ok(t) if t.len() >= 16 => Some(t),
                Ok(_) => anyhow::bail!("--update: BRIKG_TOKEN must be at least 16 characters"),
                Err(_) => anyhow::bail!(
                    "--update: set the token clients must present in the BRIKG_TOKEN environment variable"
                ),
            }
        } else {
            None
        };
        if !(self.timeout.is_finite() && self.timeout > 0.0) {
            anyhow::bail!(
                "--timeout {}: give a positive number of seconds",
                self.timeout
            );
        }
        Ok(brikg::serve::ServeOptions {
            bind: self.bind,
            timeout: Duration::from_secs_f64(self.timeout),
            max_concurrent: self.max_concurrent.max(1),
            queue: self.queue,
            max_result_bytes: self.max_result_bytes,
            cors: self.cors.clone(),
            update_token,
            cache_bytes: self.cache_bytes,
            union_default_graph: self.union_default_graph,
        })
    }
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Validate this RDF file (all its graphs, with the bundled ontology) instead of the store
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Also write the standard sh:ValidationReport, as Turtle, to this file
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

impl ValidateArgs {
    /// The library's validate options.
    pub fn options(&self) -> ValidateOptions {
        ValidateOptions {
            file: self.file.clone(),
            report: self.report.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// A SPARQL endpoint that serves the data (after brikg push), for void:sparqlEndpoint
    #[arg(long, value_name = "URL", value_parser = absolute_url)]
    pub endpoint: Option<oxigraph::model::NamedNode>,
    /// turtle, ntriples, nquads, trig, rdfxml, jsonld
    #[arg(long, short, default_value = "turtle", value_parser = GraphFormat::parse)]
    pub format: GraphFormat,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub description: DescriptionArgs,
}

/// An absolute URL, as an IRI.
fn absolute_url(s: &str) -> Result<oxigraph::model::NamedNode, String> {
    oxigraph::model::NamedNode::new(s).map_err(|e| format!("not an absolute URL: {e}"))
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The Graph Store Protocol endpoint, e.g. http://localhost:8890/sparql-graph-crud-auth
    /// (Virtuoso), http://localhost:7878/store (Oxigraph), http://localhost:3030/ds/data (Fuseki)
    #[arg(long, value_name = "URL")]
    pub endpoint: String,
    /// The SPARQL query endpoint used to count the remote graphs after the push
    /// [default: the --endpoint URL]
    #[arg(long, value_name = "URL")]
    pub query_endpoint: Option<String>,
    /// Push only this named graph
    #[arg(long, value_name = "IRI")]
    pub graph: Option<String>,
    /// Replace each remote graph with ours (HTTP PUT) [default]
    #[arg(long, conflicts_with = "merge")]
    pub replace: bool,
    /// Add our triples to each remote graph (HTTP POST)
    #[arg(long)]
    pub merge: bool,
    /// User name for HTTP basic or digest authentication; the password comes from the
    /// BRIKG_PASSWORD environment variable or a prompt
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Time limit of each HTTP request, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub timeout: u64,
    /// How often to retry a request that failed with a 5xx status or a connection error
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// Print what would be sent where, and send nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub description: DescriptionArgs,
}

impl PushArgs {
    /// The library's push options; asks for the password when there is a user and no
    /// BRIKG_PASSWORD.
    pub fn options(&self) -> Result<PushOptions> {
        let credentials = credentials(self.user.as_deref(), &self.endpoint)?;
        Ok(PushOptions {
            endpoint: self.endpoint.clone(),
            query_endpoint: self.query_endpoint.clone(),
            graph: parse_graph(self.graph.as_deref())?,
            mode: if self.merge {
                PushMode::Merge
            } else {
                PushMode::Replace
            },
            credentials,
            timeout: Duration::from_secs(self.timeout.max(1)),
            retries: self.retries,
            dry_run: self.dry_run,
        })
    }
}

fn parse_graph(graph: Option<&str>) -> Result<Option<NamedNode>> {
    graph
        .map(|g| NamedNode::new(g.trim_start_matches('<').trim_end_matches('>')))
        .transpose()
        .context("--graph takes an absolute IRI")
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The name of a bundled query (see `brikg queries`)
    #[arg(value_name = "NAME", conflicts_with_all = ["file", "sparql"])]
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
    /// Run the query at this SPARQL 1.1 endpoint (e.g. Virtuoso's /sparql) instead of the
    /// embedded store
    #[arg(long, value_name = "URL", conflicts_with = "union_default_graph")]
    pub endpoint: Option<String>,
    /// User name for the endpoint's basic or digest authentication; the password comes from
    /// BRIKG_PASSWORD or a prompt
    #[arg(long, value_name = "NAME", requires = "endpoint")]
    pub user: Option<String>,
    /// Allow a SPARQL update (INSERT, DELETE, CLEAR...) to change the embedded store
    #[arg(long)]
    pub update: bool,
    /// Write the query plan, with the time and rows of each step, as JSON to this file
    #[arg(long, value_name = "FILE", conflicts_with = "endpoint")]
    pub explain: Option<PathBuf>,
    /// Print the query with its parameters substituted (what --endpoint sends), and run nothing
    #[arg(long, conflicts_with_all = ["endpoint", "explain"])]
    pub print_query: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Credentials for `--user`: the password from BRIKG_PASSWORD, or a prompt on a terminal,
/// never from the command line.
fn credentials(user: Option<&str>, endpoint: &str) -> Result<Option<Credentials>> {
    let Some(user) = user else { return Ok(None) };
    let password = match std::env::var("BRIKG_PASSWORD") {
        Ok(p) => p,
        Err(_) if std::io::stdin().is_terminal() => {
            rpassword::prompt_password(format!("password for {user} at {endpoint}: "))
                .context("reading the password")?
        }
        Err(_) => anyhow::bail!(
            "--user {user}: set the password in the BRIKG_PASSWORD environment variable"
        ),
    };
    Ok(Some(Credentials {
        user: user.to_owned(),
        password,
    }))
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// turtle, ntriples, nquads, trig, rdfxml, jsonld (or an extension or media type)
    /// [default: from the -o file's extension, else turtle]
    #[arg(long, short, value_parser = GraphFormat::parse)]
    pub format: Option<GraphFormat>,
    /// Export only this named graph
    #[arg(long, value_name = "IRI")]
    pub graph: Option<String>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE", conflicts_with = "split")]
    pub output: Option<PathBuf>,
    /// Write one file per named graph into this directory, with a manifest.json, for bulk
    /// loaders (format: nquads unless --format says otherwise)
    #[arg(long, value_name = "DIR")]
    pub split: Option<PathBuf>,
    /// Compress the --split files with gzip
    #[arg(long, requires = "split")]
    pub gzip: bool,
    /// Map the data files straight to N-Quads or N-Triples, without a store (for feeding an
    /// external store); no dataset description
    #[arg(long, conflicts_with_all = ["split", "graph"])]
    pub no_store: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub description: DescriptionArgs,
}

impl Cli {
    /// The settings of the command, from the options it takes (given after the command, or
    /// before it); the others keep their defaults.
    pub fn settings(&self) -> Result<Settings> {
        let none = DescriptionArgs {
            publisher: None,
            license: None,
        };
        let top = &self.global;
        let (store, data, description) = match &self.command {
            Command::Build(a) => (Some(&a.store), &a.store.data, &none),
            Command::Query(a) => (Some(&a.store), &a.store.data, &none),
            Command::Validate(a) => (Some(&a.store), &a.store.data, &none),
            Command::Export(a) => (Some(&a.store), &a.store.data, &a.description),
            Command::Push(a) => (Some(&a.store), &a.store.data, &a.description),
            Command::Describe(a) => (Some(&a.store), &a.store.data, &a.description),
            Command::Serve(a) => (Some(&a.store), &a.store.data, &a.description),
            Command::Draft(a) => (None, &a.data, &none),
            Command::Queries | Command::Completions(_) | Command::Man(_) => {
                (None, &top.store.data, &none)
            }
        };
        let store = store
            .and_then(|s| s.store.clone())
            .or(top.store.store.clone());
        let data_dir = data.data.clone().or(top.store.data.data.clone());
        let base = data.base.as_deref().or(top.store.data.base.as_deref());
        let iris = Iris::new(base.unwrap_or(DEFAULT_BASE))
            .map_err(anyhow::Error::msg)
            .context("--base")?;
        let license = description
            .license
            .as_deref()
            .or(top.description.license.as_deref())
            .map(NamedNode::new)
            .transpose()
            .context(
                "--license takes an absolute IRI, e.g. https://creativecommons.org/licenses/by/4.0/",
            )?;
        Ok(Settings {
            data: data_dir.map_or(DataSource::Bundled, DataSource::Dir),
            store: store.unwrap_or_else(brikg::store::default_store_path),
            iris,
            describe: DescribeOptions {
                publisher: description
                    .publisher
                    .clone()
                    .or(top.description.publisher.clone()),
                license,
                endpoint: None,
            },
            shacl: brikg::build::ShaclMode::Enforce,
            duplicates: brikg::build::DuplicateCheck::Warn,
            other_data: brikg::build::OtherData::Refuse,
            check: brikg::build::FileCheck::Stamps,
            notify: if top.quiet {
                Notifier::default()
            } else {
                Notifier::new(|message| eprintln!("brikg: {message}"))
            },
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
            _ => anyhow::bail!(
                "which query? give a bundled query's NAME (`brikg queries` lists them, e.g. `brikg query statistics`), --file Q.rq or --sparql 'SELECT …'"
            ),
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
            credentials: match &self.endpoint {
                Some(endpoint) => credentials(self.user.as_deref(), endpoint)?,
                None => None,
            },
            endpoint: self.endpoint.clone(),
            allow_update: self.update,
            explain: self.explain.clone(),
            print_query: self.print_query,
        })
    }
}

impl ExportArgs {
    /// The library's export options.
    pub fn options(&self) -> Result<ExportOptions> {
        let default = if self.split.is_some() || self.no_store {
            RdfFormat::NQuads
        } else {
            RdfFormat::Turtle
        };
        Ok(ExportOptions {
            format: GraphFormat::choose(self.format, self.output.as_deref(), default),
            graph: parse_graph(self.graph.as_deref())?,
        })
    }

    /// Where the export goes.
    pub fn target(&self) -> ExportTarget {
        let destination = Destination::from_arg(self.output.as_deref());
        match &self.split {
            Some(dir) => ExportTarget::Split {
                dir: dir.clone(),
                compression: if self.gzip {
                    brikg::export::Compression::Gzip
                } else {
                    brikg::export::Compression::None
                },
            },
            None if self.no_store => ExportTarget::NoStore(destination),
            None => ExportTarget::Store(destination),
        }
    }
}
