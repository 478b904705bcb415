//! The `brikg` binary: parse arguments, call the library's `ops`, print, pick the exit code.
//!
//! Data goes to stdout, notes and errors to stderr (`-q` keeps only errors); an error prints
//! once as `brikg: {err:#}` and exits 1 (clap's usage errors exit 2); a closed pipe
//! (`brikg export | head`) is not an error.

mod cli;
mod terminal;

use anyhow::Result;
use brikg::ops::{self, Exported};
use clap::Parser;
use cli::{Cli, Command};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use terminal::{count, is_broken_pipe, progress_bar, show_progress};

/// mimalloc, for Rust and (it replaces `malloc` in the process) for RocksDB's C++: each index
/// lookup of a query creates and drops a RocksDB iterator, and with glibc's allocator `malloc`
/// and `free` took two fifths of a listing's time (`perf`); mimalloc cut the user CPU time of
/// `statistics --param measure=…` at 20,000 articles by 28 % (1.31 s to 0.94 s).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let quiet = cli.global.quiet;
    let mut settings = cli.settings()?;
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
            settings.check = args.check();
            let bar = progress_bar(quiet);
            let report = ops::build(&settings, &|p| {
                if let Some(bar) = &bar {
                    show_progress(bar, &p);
                }
            });
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            let report = report?;
            for warning in &report.warnings {
                note(format!("warning: {warning}"));
            }
            note(report.summary(&settings.store, &settings.iris));
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
                Exported::Quads(written) => note(written.summary(&settings.iris)),
                Exported::Mapped(n) => note(format!("mapped {n} quads without a store")),
                Exported::Files(files) => {
                    let triples: usize = files.iter().map(|f| f.triples).sum();
                    if let ops::ExportTarget::Split { dir, .. } = &target {
                        note(format!(
                            "wrote {} ({}) and {} to {}",
                            count(files.len(), "file"),
                            count(triples, "triple"),
                            brikg::export::MANIFEST,
                            dir.display()
                        ));
                    }
                }
            }
        }
        Command::Describe(args) => {
            let out = &mut std::io::BufWriter::new(stdout);
            let totals = ops::describe(&settings, args.endpoint.clone(), args.format, out)?;
            out.flush()?;
            note(totals.summary(&settings.iris));
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
                    "pushed {}, {}, to {}",
                    count(pushed.len(), "graph"),
                    count(triples, "triple"),
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
                note(terminal::drafted(&drafted));
            }
        }
        Command::Completions(args) => args.run(stdout)?,
        Command::Man(args) => args.run(stdout)?,
    }
    Ok(())
}
