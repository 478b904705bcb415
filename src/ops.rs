//! The operations behind each command, each taking a plain options struct.
//!
//! The binary's `cli` module turns arguments into these structs and prints what they return;
//! tests and other programs call the same functions directly. Each opens the store (building it
//! first when there is none yet) and hands over to the module that does the work.

use crate::build::{self, BuildReport};
use crate::error::{Error, Result};
use crate::export::{self, ExportOptions};
use crate::format::{GraphFormat, ResultsFormat};
use crate::output::{write_atomically, Destination};
use crate::push::{GraphPush, PushOptions};
use crate::queries::BundledQuery;
use crate::query::{self, Parsed, QueryRequest};
use crate::results;
use crate::validate::{self, ValidationOutcome};
use oxigraph::model::NamedNode;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

pub use crate::settings::{Notifier, Settings};

/// Checks all data, then brings the store up to date (see [`crate::build`]).
pub fn build(
    settings: &Settings,
    progress: &(dyn Fn(build::Progress) + Sync),
) -> Result<BuildReport> {
    build::build(&settings.build_options(), progress)
}

/// Lists the bundled queries: name, title, description and parameters.
pub fn list_queries(out: &mut dyn Write) -> Result<()> {
    for q in crate::queries::QUERIES {
        writeln!(
            out,
            "{}\n    {}\n    {}",
            q.name,
            q.title(),
            q.description()
        )
        .map_err(Error::Output)?;
        for p in q.params() {
            writeln!(out, "    --param {}=…  {}", p.name, p.description).map_err(Error::Output)?;
        }
    }
    Ok(())
}

/// Which query to run.
#[derive(Debug, Clone)]
pub enum QuerySource {
    /// A bundled query by name.
    Bundled(String),
    /// A file of SPARQL.
    File(PathBuf),
    /// SPARQL text given on the command line.
    Inline(String),
}

/// A query run.
#[derive(Debug, Clone)]
pub struct QueryOptions {
    pub source: QuerySource,
    /// `NAME=VALUE` pairs, each binding a variable to an RDF term.
    pub params: Vec<String>,
    pub format: ResultsFormat,
    pub union_default_graph: bool,
    pub timeout: Option<Duration>,
    /// Run the query at this SPARQL endpoint instead of the embedded store.
    pub endpoint: Option<String>,
    /// For the endpoint's basic or digest authentication.
    pub credentials: Option<crate::http::Credentials>,
    /// Run SPARQL updates against the store (refused otherwise).
    pub allow_update: bool,
    /// Write the engine's plan, with each step's time and rows, as JSON to this file.
    pub explain: Option<PathBuf>,
    /// Print the query, parameters substituted, instead of running it.
    pub print_query: bool,
}

/// Runs a query and writes its results; returns the number of rows.
pub fn query(settings: &Settings, options: &QueryOptions, writer: &mut dyn Write) -> Result<usize> {
    let (name, text) = query_text(&options.source)?;
    let parsed = query::parse(&name, &text)?;
    let parsed = match parsed {
        Parsed::Query(q) => *q,
        // An update is refused unless asked for: `query` reads.
        Parsed::Update(update) => {
            if !options.allow_update || options.endpoint.is_some() {
                return Err(Error::Query(format!(
                    "{name}: this is a SPARQL update; brikg query only reads the store (add --update to change the embedded store; the next brikg build replaces changed article graphs only)"
                )));
            }
            drop(settings.open_or_build()?);
            query::update(&settings.store, &update)?;
            return Ok(0);
        }
    };
    // The embedded store, unless the query goes to an endpoint; opened before the parameters,
    // which may look a measure up in it.
    let store = match &options.endpoint {
        Some(_) => None,
        None => Some(settings.open_or_build()?),
    };
    let bindings = match &options.source {
        QuerySource::Bundled(_) => {
            let bundled = BundledQuery::find(&name).expect("found above");
            let pairs = options
                .params
                .iter()
                .map(|p| crate::params::split(p))
                .collect::<Result<Vec<_>>>()?;
            let needs_reference = bundled.params().iter().any(|p| {
                pairs.iter().any(|(n, _)| n == p.name)
                    && crate::params::ParamKind::from_name(p.name)
                        .is_some_and(crate::params::ParamKind::needs_reference)
            });
            let foundation = match needs_reference {
                true => Some(crate::dataset::load_foundation(
                    &settings.data,
                    &settings.iris,
                )?),
                false => None,
            };
            let lookup = store.as_ref().map(|s| crate::lookup::StoreLookup {
                store: s.inner(),
                iris: &settings.iris,
            });
            crate::params::bind(
                bundled,
                &pairs,
                &crate::params::Context {
                    iris: &settings.iris,
                    reference: foundation.as_ref().map(|f| &f.reference),
                    lookup: lookup.as_ref().map(|l| l as &dyn crate::params::Lookup),
                    spelling: crate::params::Spelling::Flag,
                },
            )?
        }
        _ => {
            let bindings = options
                .params
                .iter()
                .map(|p| query::parse_binding(p))
                .collect::<Result<Vec<_>>>()?;
            query::check_bindings(&name, &text, &bindings)?;
            bindings
        }
    };
    if options.print_query {
        // What --endpoint would send: the text as written, or with parameters the query
        // re-serialized from its algebra with their values.
        let text = if bindings.is_empty() {
            text.trim_end().to_owned()
        } else {
            query::bind_variables(parsed, &bindings)
                .map_err(|e| Error::Query(format!("{name}: {e}")))?
                .to_string()
        };
        writeln!(writer, "{text}").map_err(Error::Output)?;
        return Ok(0);
    }
    if let Some(endpoint) = &options.endpoint {
        // Without parameters the text goes as written; with them, the query re-serialized from
        // its algebra with the values substituted, so they still cannot change its structure.
        let text = if bindings.is_empty() {
            text
        } else {
            query::bind_variables(parsed, &bindings)
                .map_err(|e| Error::Query(format!("{name}: {e}")))?
                .to_string()
        };
        let mut client = crate::http::HttpClient::new(
            options.credentials.clone(),
            options.timeout.unwrap_or(Duration::from_secs(300)),
            2,
        );
        let results = client
            .sparql_query(endpoint, &text)
            .map_err(|e| Error::Query(format!("{name}: {e}")))?;
        return results::write_results(results, options.format, buffered(writer));
    }
    let store = store.expect("opened above");
    let own = !matches!(options.source, QuerySource::Bundled(_));
    let reads_default =
        own && !options.union_default_graph && query::default_graph::reads_default_graph(&parsed);
    let timed_out = |e| query::explain_timeout(&name, options.timeout, e);
    let request = QueryRequest {
        name: &name,
        query: parsed,
        bindings: &bindings,
        union_default_graph: options.union_default_graph,
        cancel: query::cancel_after(options.timeout),
    };
    let Some(path) = &options.explain else {
        let results = query::evaluate(&store, request).map_err(timed_out)?;
        let rows =
            results::write_results(results, options.format, buffered(writer)).map_err(timed_out)?;
        if reads_default && query::default_graph::is_empty(store.inner())? {
            settings.notify.note(query::default_graph::EMPTY);
        }
        return Ok(rows);
    };
    let (results, explanation) = query::explain(&store, request).map_err(timed_out)?;
    let rows =
        results::write_results(results, options.format, buffered(writer)).map_err(timed_out)?;
    write_atomically(path, |w| {
        explanation.write_in_json(w).map_err(Error::Output)
    })?;
    Ok(rows)
}

/// The name (for messages) and the text of a query.
fn query_text(source: &QuerySource) -> Result<(String, String)> {
    Ok(match source {
        QuerySource::Bundled(name) => {
            let q = BundledQuery::find(name)
                .ok_or_else(|| Error::Query(crate::queries::unknown(name)))?;
            (q.name.to_owned(), q.text.to_owned())
        }
        QuerySource::File(path) => (
            path.display().to_string(),
            std::fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?,
        ),
        QuerySource::Inline(text) => ("query".to_owned(), text.clone()),
    })
}

/// A buffer in front of a writer known only as `dyn Write`, so that serializers' many small
/// writes are calls to a concrete buffer and only full buffers cross the dynamic call.
fn buffered(writer: &mut dyn Write) -> std::io::BufWriter<&mut dyn Write> {
    std::io::BufWriter::with_capacity(64 * 1024, writer)
}

/// Where an export goes.
#[derive(Debug, Clone)]
pub enum ExportTarget {
    /// The selected graphs, from the store, to a file or standard output.
    Store(Destination),
    /// One file per graph into a directory, with a manifest.
    Split {
        dir: PathBuf,
        compression: export::Compression,
    },
    /// The data files mapped straight to N-Quads or N-Triples, with no store.
    NoStore(Destination),
}

/// What an export wrote.
#[derive(Debug)]
pub enum Exported {
    /// Triples or quads written, counted by where they came from.
    Quads(export::Written),
    /// The files of a split export.
    Files(Vec<export::SplitFile>),
    /// Quads mapped without a store.
    Mapped(usize),
}

/// Exports the graphs (the store built first if missing) in `options.format`.
pub fn export(
    settings: &Settings,
    options: &ExportOptions,
    target: &ExportTarget,
) -> Result<Exported> {
    match target {
        ExportTarget::NoStore(destination) => {
            let n = destination.write(|out| {
                crate::pipeline::map_to_writer(
                    &settings.data,
                    &settings.iris,
                    None,
                    options.format,
                    buffered(out),
                )
            })?;
            Ok(Exported::Mapped(n))
        }
        ExportTarget::Store(destination) => {
            let store = settings.open_or_build()?;
            let n = destination.write(|out| {
                export::export(
                    &store,
                    &settings.iris,
                    &settings.describe,
                    options,
                    buffered(out),
                )
            })?;
            Ok(Exported::Quads(n))
        }
        ExportTarget::Split { dir, compression } => {
            let store = settings.open_or_build()?;
            let files = export::export_split(
                &store,
                &settings.iris,
                &settings.describe,
                options,
                *compression,
                dir,
            )?;
            Ok(Exported::Files(files))
        }
    }
}

/// Writes the store's VoID and DCAT description, computed afresh, optionally naming the SPARQL
/// endpoint that serves the data; returns what it counted.
pub fn describe(
    settings: &Settings,
    endpoint: Option<NamedNode>,
    format: GraphFormat,
    out: &mut dyn Write,
) -> Result<crate::describe::Totals> {
    let store = settings.open_or_build()?;
    let mut options = settings.describe.clone();
    options.endpoint = endpoint;
    let (description, totals) =
        crate::describe::describe_store_counted(&store, &settings.iris, &options)?;
    export::write_sorted(description, &settings.iris, format, out).map_err(Error::Output)?;
    Ok(totals)
}

/// What to validate and where the standard report goes.
#[derive(Debug, Clone, Default)]
pub struct ValidateOptions {
    /// An RDF file to validate instead of the store.
    pub file: Option<PathBuf>,
    /// Also write the `sh:ValidationReport` as Turtle here.
    pub report: Option<PathBuf>,
}

/// Checks the store (or a file) against the shapes, writes the summary to `out` and the report
/// where asked; violations are an error ([`Error::Invalid`]) after both are written.
pub fn validate(settings: &Settings, options: &ValidateOptions, out: &mut dyn Write) -> Result<()> {
    let shapes = crate::shacl::Shapes::bundled()?;
    let outcome: ValidationOutcome = match &options.file {
        Some(file) => validate::validate_file(file, &shapes)?,
        None => {
            let store = settings.open_or_build()?;
            validate::validate_store(&store, &settings.iris, &shapes)?
        }
    };
    if let Some(path) = &options.report {
        write_atomically(path, |w| outcome.write_report(w))?;
    }
    outcome.write_summary(out).map_err(Error::Output)?;
    if !outcome.violations.is_empty() {
        return Err(Error::Invalid {
            count: outcome.violations.len(),
        });
    }
    Ok(())
}

/// Pushes the store's graphs (built first if missing) to an external store; `progress` hears
/// of each graph as it is done (or, in a dry run, planned).
pub fn push(
    settings: &Settings,
    options: &PushOptions,
    progress: impl FnMut(&GraphPush),
) -> Result<Vec<GraphPush>> {
    let store = settings.open_or_build()?;
    crate::push::push(
        &store,
        &settings.iris,
        &settings.describe,
        options,
        progress,
    )
}

/// Serves the store over HTTP until SIGINT or SIGTERM (see [`crate::serve`]); `ready` hears the
/// address once it listens.
pub fn serve(
    settings: &Settings,
    options: &crate::serve::ServeOptions,
    ready: impl FnOnce(std::net::SocketAddr),
) -> Result<()> {
    crate::serve::serve(settings, options, ready)
}

/// What `brikg draft` does.
#[derive(Debug, Clone, Default)]
pub struct DraftOptions {
    /// Article files (plain text, Markdown or HTML).
    pub articles: Vec<PathBuf>,
    /// Where the draft goes: a file (one article), a directory (several), or stdout.
    pub output: Option<PathBuf>,
    /// A curated data file to score the draft against (one article).
    pub score: Option<PathBuf>,
    /// The score as JSON.
    pub json: bool,
    /// How many articles are drafted at once (default: every core).
    pub threads: Option<usize>,
    /// Whether an existing output file may be replaced.
    pub overwrite: Overwrite,
}

/// Whether a command may replace a file that exists: one a person may have edited is kept
/// unless they say otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overwrite {
    #[default]
    Refuse,
    Replace,
}

/// What `brikg draft` did.
#[derive(Debug, Clone, Default)]
pub struct Drafted {
    pub articles: usize,
    /// The id each article was given, in order.
    pub ids: Vec<String>,
    pub bytes: usize,
    pub observations: usize,
    pub events: usize,
}

/// Drafts data files from articles, linking what they name to what the data directory holds
/// (and, in a batch, to what the earlier articles drafted: the first mints, the next reuse); with
/// `score`, prints how the draft compares with a curated file instead of the draft (written
/// only with `output`). An existing file is never replaced unless `force` says so.
pub fn draft(settings: &Settings, options: &DraftOptions, out: &mut dyn Write) -> Result<Drafted> {
    use crate::draft;
    let foundation = crate::dataset::load_foundation(&settings.data, &settings.iris)?;
    let lexicon = draft::lexicon::Lexicon::new(&foundation.reference)?;
    let read = |path: &PathBuf| -> Result<String> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.clone(),
            source: e,
        })?;
        draft::read::check(&path.display().to_string(), &text)?;
        Ok(text)
    };
    let name = |path: &PathBuf| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    // Where each draft goes, refused before anything is drafted if a file is there already.
    let outputs: Vec<Option<PathBuf>> = match (options.articles.as_slice(), &options.output) {
        ([], _) => return Err(Error::Usage("name at least one article file".into())),
        ([_], output) => vec![output.clone()],
        (_, None) => {
            return Err(Error::Usage(
                "several articles need -o DIR, a directory for their drafts".into(),
            ))
        }
        (many, Some(dir)) => {
            if dir.is_file() || dir.extension().is_some_and(|e| e == "toml") {
                return Err(Error::Usage(format!(
                    "{}: several articles need -o DIR, a directory for their drafts, not a file",
                    dir.display()
                )));
            }
            many.iter()
                .map(|path| {
                    let stem = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    Some(dir.join(format!("{stem}.toml")))
                })
                .collect()
        }
    };
    if options.overwrite != Overwrite::Replace {
        if let Some(taken) = outputs.iter().flatten().find(|p| p.exists()) {
            return Err(Error::Usage(format!(
                "{}: the file exists and may hold a curator's review; write the draft elsewhere, or add --force to replace it",
                taken.display()
            )));
        }
    }
    let known = draft::link::Known::read(&settings.data, &foundation.reference, &lexicon)?;
    let texts = options
        .articles
        .iter()
        .map(read)
        .collect::<Result<Vec<_>>>()?;
    // Every article against the data directory, on all cores; then, in order, each against the
    // batch's earlier drafts as well, so the result is the same whatever the cores.
    let threads = options
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut drafts: Vec<Option<draft::Draft>> = vec![None; texts.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(text) = texts.get(i) else {
                            return done;
                        };
                        let name = name(&options.articles[i]);
                        done.push((i, draft::draft_linked(&name, text, &lexicon, &known)));
                    }
                })
            })
            .collect();
        for w in workers {
            for (i, d) in w.join().expect("a drafting thread") {
                drafts[i] = Some(d);
            }
        }
    });
    let mut batch = draft::link::Known::new(&foundation.reference, &lexicon);
    let mut total = Drafted::default();
    if let Some(Some(dir)) = outputs.first().map(|o| o.as_ref().and_then(|p| p.parent())) {
        if options.articles.len() > 1 {
            std::fs::create_dir_all(dir).map_err(|e| Error::Io {
                path: dir.to_owned(),
                source: e,
            })?;
        }
    }
    for (i, drafted) in drafts.into_iter().enumerate() {
        let mut drafted = drafted.expect("every article drafted");
        if i > 0 {
            draft::relink(&mut drafted, &batch);
        }
        // A draft written to `x.toml` is article `x`, so `--param article=x` finds it after the
        // build; a file name that is no id keeps the id made from the title.
        if let Some(stem) = outputs[i]
            .as_ref()
            .and_then(|p| p.file_stem())
            .and_then(|s| s.to_str())
            .filter(|s| crate::model::is_kebab_case(s))
        {
            drafted.id = stem.to_owned();
        }
        let toml = draft::write::to_toml(&drafted);
        if let Ok(parsed) = toml::from_str::<crate::model::ArticleFile>(&toml) {
            batch.add_file(&parsed, &name(&options.articles[i]));
        }
        if let Some(output) = &outputs[i] {
            write_atomically(output, |w| {
                w.write_all(toml.as_bytes()).map_err(Error::Output)
            })?;
        }
        if let Some(curated) = &options.score {
            let curated_text = read(curated)?;
            let score = draft::score::score(
                (&name(&options.articles[i]), &toml),
                (&curated.display().to_string(), &curated_text),
                // Links are scored when there is a graph to link to.
                (!known.is_empty()).then_some(&known),
            )?;
            let report = if options.json {
                score.json() + "\n"
            } else {
                score.table()
            };
            out.write_all(report.as_bytes()).map_err(Error::Output)?;
        } else if outputs[i].is_none() {
            out.write_all(toml.as_bytes()).map_err(Error::Output)?;
        }
        total.articles += 1;
        total.ids.push(drafted.id.clone());
        total.bytes += texts[i].len();
        total.observations += drafted.observations.len();
        total.events += drafted.events.len();
    }
    Ok(total)
}
