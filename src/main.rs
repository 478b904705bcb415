//! The `brikg` binary: parse arguments, call the library's `ops`, print, pick the exit code.
//!
//! Data goes to stdout, notes and errors to stderr (`-q` keeps only errors); an error prints
//! once as `brikg: {err:#}` and exits 1 (clap's usage errors exit 2); a closed pipe
//! (`brikg export | head`) is not an error.

mod cli;

use anyhow::Result;
use brikg::ops::{self, Exported};
use clap::{CommandFactory, Parser};
use cli::{Cli, Command};
use std::io::{IsTerminal, Write};
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
    let quiet = cli.global.quiet;
    let note = |message: String| {
        if !quiet {
            eprintln!("brikg: {message}");
        }
    };
    let stdout = &mut std::io::stdout().lock();
    match &cli.command {
        Command::Build(args) => {
            settings.shacl = args.shacl();
            settings.duplicates = args.duplicates.into();
            settings.other_data = args.other_data();
            let bar = progress_bar(quiet);
            let report = ops::build(&settings, &|p| {
                if let Some(bar) = &bar {
                    bar.set_length(p.files_total as u64);
                    bar.set_position(p.files_done as u64);
                    bar.set_message(format!("{} quads", p.quads));
                }
            });
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let report = report?;
            for warning in &report.warnings {
                note(format!("warning: {warning}"));
            }
            note(report.summary(&settings.store));
        }
        Command::Queries => ops::list_queries(stdout)?,
        Command::Query(args) => {
            ops::query(
                &settings,
                &args.options()?,
                &mut std::io::BufWriter::new(stdout),
            )?;
        }
        Command::Export(args) => {
            let options = args.options()?;
            let target = args.target();
            if matches!(&target, ops::ExportTarget::Store(d) if d.path().is_none())
                && std::io::stdout().is_terminal()
                && options.format.name() != "turtle"
            {
                note(format!(
                    "writing {} to the terminal; use -o FILE to save it",
                    options.format.0.name()
                ));
            }
            match ops::export(&settings, &options, &target)? {
                Exported::Quads(_) => {}
                Exported::Mapped(n) => note(format!("mapped {n} quads without a store")),
                Exported::Files(files) => {
                    let triples: usize = files.iter().map(|f| f.triples).sum();
                    if let ops::ExportTarget::Split { dir, .. } = &target {
                        note(format!(
                            "wrote {} files ({triples} triples) and {} to {}",
                            files.len(),
                            brikg::export::MANIFEST,
                            dir.display()
                        ));
                    }
                }
            }
        }
        Command::Describe(args) => {
            let out = &mut std::io::BufWriter::new(stdout);
            ops::describe(&settings, args.endpoint.clone(), args.format, out)?;
            out.flush()?;
        }
        Command::Validate(args) => ops::validate(&settings, &args.options(), stdout)?,
        Command::Push(args) => {
            let options = args.options()?;
            let pushed = ops::push(&settings, &options, |p| {
                if options.dry_run {
                    // What would be sent is the command's output.
                    println!("{}", p.planned(options.mode));
                } else {
                    note(p.done());
                }
            })?;
            if !options.dry_run {
                let triples: usize = pushed.iter().map(|p| p.triples).sum();
                note(format!(
                    "pushed {} graphs, {triples} triples, to {}",
                    pushed.len(),
                    options.endpoint
                ));
            }
        }
        Command::Serve(args) => {
            ops::serve(&settings, &args.options()?, |address| {
                note(format!(
                    "serving {} at http://{address}/ (SPARQL: http://{address}/sparql)",
                    settings.store.display()
                ))
            })?;
        }
        Command::Draft(args) => {
            let options = args.options();
            let drafted = ops::draft(&settings, &options, stdout)?;
            if options.output.is_some() {
                note(format!(
                    "drafted {} article(s): {} figures, {} events to review",
                    drafted.articles, drafted.observations, drafted.events
                ));
            }
        }
        Command::Completions(args) => {
            // Generated in memory: clap_complete panics on a write error such as a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "brikg", &mut script);
            stdout.write_all(&script)?;
        }
        Command::Man => clap_mangen::Man::new(Cli::command()).render(stdout)?,
    }
    Ok(())
}

/// A progress bar on stderr when it is a terminal and not silenced.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let style = indicatif::ProgressStyle::with_template(
        "mapping {bar:30} {pos}/{len} files, {msg} ({per_sec}, {eta} left)",
    )
    .expect("valid template");
    Some(indicatif::ProgressBar::new(0).with_style(style))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
