//! `export --split DIR`: one file per named graph, plus a manifest, for bulk loaders that take a
//! directory of files. Each file is sorted, declares only the prefixes it uses and, gzipped,
//! has a fixed header, so every file is byte-identical for the same content.

use super::sink::write_sorted;
use super::{select, ExportOptions};
use crate::describe::DescribeOptions;
use crate::error::{Error, Result};
use crate::iris::Iris;
use crate::store::KgStore;
use oxigraph::model::NamedNode;

/// One file of a split export, as listed in its manifest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SplitFile {
    /// The file name, relative to the output directory.
    pub file: String,
    /// The named graph the file holds.
    pub graph: String,
    /// Its number of triples.
    pub triples: usize,
    /// Its size in bytes, as written (compressed when gzip).
    pub bytes: u64,
}

/// Whether split files are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
}

/// The name of the manifest a split export writes beside its files.
pub const MANIFEST: &str = "manifest.json";

/// Writes one file per named graph into `dir`, plus `manifest.json` listing file, graph, triple
/// count and size, for bulk loaders that take a directory of files.
pub fn export_split(
    store: &KgStore,
    iris: &Iris,
    describe: &DescribeOptions,
    options: &ExportOptions,
    compression: Compression,
    dir: &std::path::Path,
) -> Result<Vec<SplitFile>> {
    let io = |path: &std::path::Path, e: std::io::Error| Error::Io {
        path: path.to_owned(),
        source: e,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let build_state = iris.build_state_graph();
    let void_graph = iris.void_graph();
    let mut graphs: Vec<String> = match &options.graph {
        Some(g) => vec![g.as_str().to_owned()],
        None => store
            .graph_names()?
            .into_iter()
            .filter(|g| g != build_state.as_str())
            .collect(),
    };
    if options.graph.is_none() {
        graphs.push(void_graph.as_str().to_owned());
    }
    let description = if graphs.contains(&void_graph.as_str().to_owned()) {
        crate::describe::describe_store(store, iris, describe)?
    } else {
        Vec::new()
    };
    let mut files = Vec::new();
    for graph in graphs {
        let node = NamedNode::new(graph.clone())
            .map_err(|e| Error::Usage(format!("graph {graph}: {e}")))?;
        let quads = if node == void_graph {
            description.clone()
        } else {
            let one = ExportOptions {
                format: options.format,
                graph: Some(node),
            };
            select(store, iris, &one)?
        };
        let mut name = format!("{}.{}", file_stem(&graph, iris), options.format.extension());
        if compression == Compression::Gzip {
            name.push_str(".gz");
        }
        let path = dir.join(&name);
        let file = std::fs::File::create(&path).map_err(|e| io(&path, e))?;
        let writer = std::io::BufWriter::new(file);
        let triples = match compression {
            Compression::None => write_sorted(quads, iris, options.format, writer),
            Compression::Gzip => {
                // A fixed header (no name, mtime 0) keeps compressed files byte-identical too.
                let mut gz = flate2::GzBuilder::new()
                    .mtime(0)
                    .write(writer, flate2::Compression::default());
                write_sorted(quads, iris, options.format, &mut gz)
                    .and_then(|n| gz.finish().map(|_| n))
            }
        }
        .map_err(|e| io(&path, e))?;
        let bytes = std::fs::metadata(&path).map_err(|e| io(&path, e))?.len();
        files.push(SplitFile {
            file: name,
            graph,
            triples,
            bytes,
        });
    }
    let manifest = serde_json::json!({
        "format": options.format.0.media_type(),
        "compression": match compression { Compression::None => "none", Compression::Gzip => "gzip" },
        "files": files,
    });
    let path = dir.join(MANIFEST);
    let text = serde_json::to_string_pretty(&manifest).expect("serializable") + "\n";
    std::fs::write(&path, text).map_err(|e| io(&path, e))?;
    Ok(files)
}

/// A readable file name for a graph: its path under `<base>graph/` with `/` as `-`, else the
/// percent-free characters of its IRI.
fn file_stem(graph: &str, iris: &Iris) -> String {
    let rest = graph.strip_prefix(&iris.graph_prefix()).unwrap_or(graph);
    rest.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .to_owned()
}
