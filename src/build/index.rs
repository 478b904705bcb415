//! A copy of the build state in one plain file beside the store's data, read instead of the
//! store when a few files changed.
//!
//! Why: the build state holds four records per article, and reading them from the store costs
//! a RocksDB lookup per term of each (about 800,000 at 100,000 articles, seconds), which a
//! rebuild after one edit would pay to learn which file changed. The copy, one line per file, is
//! read in milliseconds, and its head (the data the store was built from, when, its quad count)
//! tells that nothing changed without opening the store at all.
//!
//! The store stays the truth. A build removes the copy before it changes the store and writes
//! it whole (a temporary file, renamed) after the commit, so a crash between the two leaves no
//! copy; anything else that opens the store for writing removes it (`crate::store`); and the
//! copy names the build time it mirrors (the build state's `dcterms:modified`), so the state is
//! taken from it only when the store records that time. Without a copy (a store of an older
//! brikg, a key it cannot hold) the state is read from the store as before.

use super::source::Recorded;
use super::state::State;
use oxigraph::model::NamedNode;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

/// The first line of the file, with the format's version.
const HEADER: &str = "brikg build state 3";

/// What the copy says of the store as a whole: enough to tell, without opening the store, that
/// it is up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Head {
    /// The build time it mirrors (the build state's `dcterms:modified`).
    pub(super) time: Duration,
    /// The data the store was built from (`brikg:dataSource`, `dcterms:source`, its stamp).
    pub(super) recorded: Recorded,
    pub(super) fingerprint: Option<String>,
    /// The store's quads besides the build state.
    pub(super) quads: usize,
    /// Bytes of the store's table files after its last compaction into compressed files (0:
    /// unknown), to tell when edits have grown it enough to compact again.
    pub(super) compacted: u64,
}

/// What the copy at `path` holds: its head, and the state when the whole file reads back (its
/// last line counts the files, so a file cut short, as a crash may leave it, holds no state).
pub(super) fn read(path: &Path) -> Option<(Head, Option<State>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut head = Head {
        time: Duration::ZERO,
        recorded: Recorded::default(),
        fingerprint: None,
        quads: 0,
        compacted: 0,
    };
    let (mut time, mut quads) = (None, None);
    let mut state = Some(State::default());
    let mut ended = false;
    for line in lines {
        let Some(files) = state.as_mut().filter(|_| !ended) else {
            state = None;
            break;
        };
        let (tag, value) = line.split_once('\t').unwrap_or((line, ""));
        match tag {
            "time" => time = super::stamps::parse_time(value),
            "kind" => head.recorded.kind = Some(value.to_owned()),
            "directory" => head.recorded.now.directory = Some(value.to_owned()),
            "stamp" => head.recorded.now.stamp = Some(value.to_owned()),
            "fingerprint" => head.fingerprint = Some(value.to_owned()),
            "quads" => quads = value.parse().ok(),
            "compacted" => head.compacted = value.parse().ok()?,
            "things" => match value.parse() {
                Ok(n) => files.things = n,
                Err(_) => state = None,
            },
            "file" => {
                if file_line(files, value).is_none() {
                    state = None;
                }
            }
            "end" => {
                ended = true;
                if value.parse().ok() != Some(files.files.len()) {
                    state = None;
                }
            }
            _ => state = None,
        }
    }
    head.time = time?;
    head.quads = quads?;
    let state = state.filter(|_| ended).map(|mut state| {
        state.fingerprint.clone_from(&head.fingerprint);
        state
    });
    Some((head, state))
}

/// Adds one `file` line's record (key, graph, digest, stamp or `-`, quads or `-`) to `state`.
fn file_line(state: &mut State, line: &str) -> Option<()> {
    let mut fields = line.split('\t');
    let (key, graph, digest, stamp, quads) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let graph = NamedNode::new(graph).ok()?;
    if stamp != "-" {
        state.stamps.insert(key.to_owned(), stamp.to_owned());
    }
    if quads != "-" {
        state.counts.insert(graph.clone(), quads.parse().ok()?);
    }
    state
        .files
        .insert(key.to_owned(), (graph, digest.to_owned()));
    Some(())
}

/// Writes the copy of `state`, with `head` (whose fingerprint is the state's), to `path`. A
/// key or directory with a tab or a line break, which the file cannot hold, leaves no copy (the
/// store is read instead).
pub(super) fn write(path: &Path, head: &Head, state: &State) -> std::io::Result<()> {
    let plain = |s: &str| !s.contains(['\t', '\n', '\r']);
    let temporary = path.with_extension("tmp");
    if !state.files.keys().all(|k| plain(k))
        || !head.recorded.now.directory.as_deref().is_none_or(plain)
    {
        return remove(path);
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(&temporary)?);
    writeln!(out, "{HEADER}")?;
    writeln!(out, "time\t{}", super::stamps::format_time(head.time))?;
    for (tag, value) in [
        ("kind", &head.recorded.kind),
        ("directory", &head.recorded.now.directory),
        ("stamp", &head.recorded.now.stamp),
        ("fingerprint", &state.fingerprint),
    ] {
        if let Some(value) = value {
            writeln!(out, "{tag}\t{value}")?;
        }
    }
    writeln!(out, "quads\t{}", head.quads)?;
    writeln!(out, "compacted\t{}", head.compacted)?;
    writeln!(out, "things\t{}", state.things)?;
    for (key, (graph, digest)) in &state.files {
        let stamp = state.stamps.get(key).map_or("-", String::as_str);
        match state.counts.get(graph) {
            Some(n) => writeln!(
                out,
                "file\t{key}\t{}\t{digest}\t{stamp}\t{n}",
                graph.as_str()
            )?,
            None => writeln!(out, "file\t{key}\t{}\t{digest}\t{stamp}\t-", graph.as_str())?,
        }
    }
    writeln!(out, "end\t{}", state.files.len())?;
    // Not synced: the store is synced and stays the truth, and a copy a crash cuts short is
    // told by its missing end line (then the store is read), so the build does not wait for
    // 20 MB to reach the disk.
    out.flush()?;
    drop(out);
    std::fs::rename(&temporary, path)
}

/// Removes the copy, so the store is read.
pub(super) fn remove(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        let mut state = State {
            fingerprint: Some("f1".into()),
            things: 12,
            ..State::default()
        };
        let g = NamedNode::new("https://example.org/graph/a").unwrap();
        state
            .files
            .insert("articles/a.toml".into(), (g.clone(), "d1".into()));
        state
            .stamps
            .insert("articles/a.toml".into(), "10:5.000000001:7".into());
        state.counts.insert(g, 42);
        let h = NamedNode::new("https://example.org/graph/b").unwrap();
        state
            .files
            .insert("articles/b.toml".into(), (h, "d2".into()));
        state
    }

    fn head(time: Duration) -> Head {
        Head {
            time,
            recorded: Recorded {
                kind: Some("directory".into()),
                now: super::super::source::Recording {
                    directory: Some("/data".into()),
                    stamp: Some("s1".into()),
                },
            },
            fingerprint: Some("f1".into()),
            quads: 3098,
            compacted: 1234,
        }
    }

    #[test]
    fn the_copy_reads_back_only_for_the_build_it_mirrors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        let time = Duration::new(1_765_000_000, 5);
        write(&path, &head(time), &state()).unwrap();
        let (read_head, read_back) = read(&path).unwrap();
        assert_eq!(read_head, head(time));
        let read_back = read_back.unwrap();
        assert_eq!(read_back.fingerprint.as_deref(), Some("f1"));
        assert_eq!(read_back.things, 12);
        assert_eq!(read_back.files, state().files);
        assert_eq!(read_back.stamps, state().stamps);
        assert_eq!(read_back.counts, state().counts);
    }

    #[test]
    fn a_copy_cut_short_keeps_its_head_but_holds_no_state() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        let time = Duration::new(1_765_000_000, 5);
        write(&path, &head(time), &state()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let last_file = text.rfind("\nfile\t").unwrap() + 1;
        for cut in [
            &text[..last_file],
            &text[..text.len() - 2],
            &text[..text.len() - 4],
        ] {
            std::fs::write(&path, cut).unwrap();
            let (read_head, read_back) = read(&path).unwrap();
            assert_eq!(read_head, head(time));
            assert!(read_back.is_none(), "{cut:?}");
        }
        std::fs::write(
            &path,
            format!("{text}file\tarticles/c.toml\thttps://example.org/g\td\t-\t-\n"),
        )
        .unwrap();
        assert!(read(&path).unwrap().1.is_none());
    }

    #[test]
    fn a_key_the_file_cannot_hold_leaves_no_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        let time = Duration::new(1, 0);
        write(&path, &head(time), &state()).unwrap();
        let mut odd = state();
        odd.files.insert(
            "articles/a\tb.toml".into(),
            (NamedNode::new("https://example.org/g").unwrap(), "d".into()),
        );
        write(&path, &head(time), &odd).unwrap();
        assert!(!path.exists());
    }
}
