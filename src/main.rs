//! The `brikg` binary: parse arguments, call the library, print errors, pick the exit code.

mod cli;

use anyhow::{Context, Result};
use brikg::build::{BuildMode, BuildReport, Progress};
use clap::Parser;
use cli::{Cli, Command};
use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("brikg: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    let mut settings = cli.global.settings()?;
    if let Command::Build(args) = &cli.command {
        settings.shacl = args.shacl.into();
    }
    let settings = settings;
    let quiet = cli.global.quiet;
    let note = |report: Option<BuildReport>| {
        if let (Some(r), false) = (report, quiet) {
            eprintln!(
                "brikg: built a new store at {} ({} quads in {} graphs)",
                settings.store.display(),
                r.quads_total,
                r.graphs_written
            );
        }
    };
    match &cli.command {
        Command::Build(_) => {
            let bar = progress_bar(quiet);
            let on_progress = |p: Progress| {
                if let Some(bar) = &bar {
                    bar.set_length(p.files_total as u64);
                    bar.set_position(p.files_done as u64);
                    bar.set_message(format!("{} quads", p.quads));
                }
            };
            let r = brikg::ops::build(&settings, &on_progress);
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let r = r?;
            if !quiet {
                for w in &r.warnings {
                    eprintln!("brikg: warning: {w}");
                }
                eprintln!("brikg: {}", summary(&settings.store, &r));
            }
        }
        Command::Queries => {
            let mut out = std::io::stdout().lock();
            for q in brikg::queries::QUERIES {
                writeln!(
                    out,
                    "{}\n    {}\n    {}",
                    q.name,
                    q.title(),
                    q.description()
                )?;
            }
        }
        Command::Query(args) => {
            let options = args.options()?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            let (_, report) = brikg::ops::query(&settings, &options, &mut out)?;
            out.flush()?;
            note(report);
        }
        Command::Export(args) if args.no_store => {
            let options = args.options()?;
            let format = options.format.0;
            if !matches!(
                format,
                oxigraph::io::RdfFormat::NQuads | oxigraph::io::RdfFormat::NTriples
            ) {
                anyhow::bail!(
                    "--no-store writes nquads or ntriples, not {}",
                    format.name()
                );
            }
            let n = match &args.output {
                Some(path) if path.as_os_str() != "-" => {
                    // Written beside the target and renamed at the end: a failed run leaves no
                    // half file behind.
                    let partial = path.with_extension("partial");
                    let file = std::fs::File::create(&partial)
                        .with_context(|| format!("cannot create {}", partial.display()))?;
                    match brikg::build::map_to_writer(
                        &settings.data,
                        &settings.iris,
                        None,
                        format,
                        BufWriter::new(file),
                    ) {
                        Ok(n) => {
                            std::fs::rename(&partial, path)
                                .with_context(|| format!("cannot create {}", path.display()))?;
                            n
                        }
                        Err(e) => {
                            let _ = std::fs::remove_file(&partial);
                            return Err(e.into());
                        }
                    }
                }
                _ => brikg::build::map_to_writer(
                    &settings.data,
                    &settings.iris,
                    None,
                    format,
                    BufWriter::new(std::io::stdout().lock()),
                )?,
            };
            if !quiet {
                eprintln!("brikg: mapped {n} quads without a store");
            }
        }
        Command::Export(args) => {
            let options = args.options()?;
            if let Some(dir) = &args.split {
                let compression = if args.gzip {
                    brikg::export::Compression::Gzip
                } else {
                    brikg::export::Compression::None
                };
                let (files, report) =
                    brikg::ops::export_split(&settings, &options, compression, dir)?;
                note(report);
                if !quiet {
                    let triples: usize = files.iter().map(|f| f.triples).sum();
                    eprintln!(
                        "brikg: wrote {} files ({triples} triples) and {} to {}",
                        files.len(),
                        brikg::export::MANIFEST,
                        dir.display()
                    );
                }
                return Ok(());
            }
            let (_, report) = match &args.output {
                Some(path) if path.as_os_str() != "-" => {
                    let file = std::fs::File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    brikg::ops::export(&settings, &options, BufWriter::new(file))?
                }
                _ => {
                    let stdout = std::io::stdout();
                    if stdout.is_terminal()
                        && !quiet
                        && options.format.0 != oxigraph::io::RdfFormat::Turtle
                    {
                        eprintln!(
                            "brikg: writing {} to the terminal; use -o FILE to save it",
                            options.format.0.name()
                        );
                    }
                    brikg::ops::export(&settings, &options, BufWriter::new(stdout.lock()))?
                }
            };
            note(report);
        }
        Command::Describe(args) => {
            let endpoint = args
                .endpoint
                .as_deref()
                .map(oxigraph::model::NamedNode::new)
                .transpose()
                .context("--endpoint takes an absolute URL")?;
            let (quads, report) = brikg::ops::describe(&settings, endpoint)?;
            let out = BufWriter::new(std::io::stdout().lock());
            brikg::export::write_sorted(quads, &settings.iris, args.format, out)?;
            note(report);
        }
        Command::Validate(args) => {
            let shapes = brikg::shacl::Shapes::bundled()?;
            let outcome = match &args.file {
                Some(file) => brikg::validate::validate_file(file, &shapes)?,
                None => {
                    let (store, report) = settings.open_or_build()?;
                    note(report);
                    brikg::validate::validate_store(&store, &settings.iris, &shapes)?
                }
            };
            if let Some(path) = &args.report {
                let triples = brikg::shacl::report(&outcome.violations);
                let mut serializer =
                    oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::Turtle);
                for (name, iri) in brikg::vocab::PREFIXES {
                    serializer = serializer.with_prefix(*name, *iri)?;
                }
                let file = std::fs::File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                let mut out = serializer.for_writer(BufWriter::new(file));
                for t in &triples {
                    out.serialize_triple(t)?;
                }
                out.finish()?.flush()?;
            }
            let mut out = std::io::stdout().lock();
            if outcome.violations.is_empty() {
                writeln!(
                    out,
                    "conforms: {} triples in {} graphs checked",
                    outcome.triples, outcome.graphs
                )?;
            } else {
                let header: Vec<String> = ["severity", "focus", "path", "value", "message"]
                    .map(String::from)
                    .to_vec();
                let rows: Vec<Vec<String>> = outcome
                    .violations
                    .iter()
                    .map(|v| {
                        vec![
                            v.severity
                                .as_str()
                                .rsplit('#')
                                .next()
                                .unwrap_or_default()
                                .to_owned(),
                            brikg::shacl::short(&v.focus),
                            v.path
                                .as_ref()
                                .map(|p| brikg::shacl::short(&p.clone().into()))
                                .unwrap_or_default(),
                            v.value
                                .as_ref()
                                .map(brikg::shacl::short)
                                .unwrap_or_default(),
                            v.message.clone(),
                        ]
                    })
                    .collect();
                brikg::results::write_table(&header, &rows, &mut out)?;
                out.flush()?;
                return Err(brikg::Error::Invalid {
                    count: outcome.violations.len(),
                }
                .into());
            }
        }
        Command::Push(args) => {
            let options = args.options()?;
            let dry_run = options.dry_run;
            // Say that a store was built before the push lines, not after them.
            let (store, report) = settings.open_or_build()?;
            note(report);
            let pushed =
                brikg::push::push(&store, &settings.iris, &settings.describe, &options, |p| {
                    if dry_run {
                        // What would be sent is the command's output.
                        println!(
                            "{} {} ({} triples, {} bytes of N-Triples)",
                            if options.mode == brikg::push::PushMode::Merge {
                                "POST"
                            } else {
                                "PUT"
                            },
                            p.url,
                            p.triples,
                            p.bytes
                        );
                    } else if !quiet {
                        eprintln!(
                            "brikg: pushed <{}>: {} triples, HTTP {}, remote count {}",
                            p.graph,
                            p.triples,
                            p.status.unwrap_or_default(),
                            p.remote_triples.unwrap_or_default()
                        );
                    }
                })?;
            if !quiet && !dry_run {
                let triples: usize = pushed.iter().map(|p| p.triples).sum();
                eprintln!(
                    "brikg: pushed {} graphs, {triples} triples, to {}",
                    pushed.len(),
                    options.endpoint
                );
            }
        }
    }
    Ok(())
}

/// A progress bar on stderr when it is a terminal and not silenced.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "mapping {bar:30} {pos}/{len} files, {msg} ({per_sec}, {eta} left)",
        )
        .expect("valid template"),
    );
    Some(bar)
}

/// One line saying what a build did.
fn summary(store: &std::path::Path, r: &BuildReport) -> String {
    let secs = r.elapsed.as_secs_f64();
    match r.mode {
        BuildMode::UpToDate => format!(
            "{} is up to date ({} files, {} quads)",
            store.display(),
            r.files,
            r.quads_total
        ),
        BuildMode::Incremental => format!(
            "updated {}: {} of {} files mapped, {} graphs replaced, {} removed, {} quads ({secs:.2} s)",
            store.display(),
            r.files_mapped,
            r.files,
            r.graphs_written,
            r.graphs_removed,
            r.quads_total
        ),
        BuildMode::Full => format!(
            "built {}: {} files mapped, {} quads in {} graphs ({secs:.2} s, {:.0} quads/s)",
            store.display(),
            r.files_mapped,
            r.quads_total,
            r.graphs_written,
            r.quads_written as f64 / secs.max(1e-9)
        ),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
