//! What the binary does with the terminal beyond printing: a progress bar, the draft's summary,
//! and telling a closed pipe from a failure.

use std::io::IsTerminal;

pub use brikg::english::count;

/// What `brikg draft -o` says it wrote.
pub fn drafted(d: &brikg::ops::Drafted) -> String {
    format!(
        "drafted {}: {}, {} to review",
        match d.ids.as_slice() {
            [id] => format!("article {id}"),
            _ => count(d.articles, "article"),
        },
        count(d.observations, "figure"),
        count(d.events, "event")
    )
}

/// A progress bar on stderr when it is a terminal and not silenced.
pub fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let style = indicatif::ProgressStyle::with_template(
        "mapping {bar:30} {pos}/{len} files, {msg} ({per_sec}, {eta} left)",
    )
    .expect("valid template");
    Some(indicatif::ProgressBar::new(0).with_style(style))
}

/// Shows a build's progress on the bar. The time left is told of the mapping only: the
/// compaction that follows a full build is shown as its own stage with the time it has taken,
/// not folded into an estimate that would read "0 s left" for minutes.
pub fn show_progress(bar: &indicatif::ProgressBar, p: &brikg::build::Progress) {
    match p.stage {
        brikg::build::Stage::Mapping => {
            bar.set_length(p.files_total as u64);
            bar.set_position(p.files_done as u64);
            bar.set_message(format!("{} quads", p.quads));
        }
        brikg::build::Stage::Compacting => {
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} compacting the store into compressed files: {msg} ({elapsed} so far)",
                )
                .expect("valid template"),
            );
            bar.set_message(format!("{} files, {} quads", p.files_total, p.quads));
            bar.reset_elapsed();
            bar.enable_steady_tick(std::time::Duration::from_millis(250));
        }
    }
}

pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
