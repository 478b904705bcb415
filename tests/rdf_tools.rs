//! Independent RDF tools read our exports as we meant them: Raptor's `rapper` and Python's rdflib
//! count the same triples in every format, and rdflib finds the Turtle export isomorphic to the
//! N-Triples export. `scripts/install-deps` installs both tools.

mod common;
use common::{repo, Brikg};
use std::path::{Path, PathBuf};
use std::process::Command;

fn python() -> PathBuf {
    let venv = repo().join(".venv/bin/python");
    std::env::var_os("BRIKG_PYTHON")
        .map(PathBuf::from)
        .unwrap_or(venv)
}

fn rapper_count(path: &Path, syntax: &str) -> usize {
    let out = Command::new("rapper")
        .args(["-i", syntax, "-c"])
        .arg(path)
        .output()
        .expect("rapper is installed (scripts/install-deps installs raptor2-utils)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "rapper refused {}: {stderr}",
        path.display()
    );
    // rapper -c prints "rapper: Parsing returned N triples" on stderr.
    let line = stderr
        .lines()
        .find(|l| l.contains("returned"))
        .unwrap_or_else(|| panic!("no count: {stderr}"));
    line.split_whitespace()
        .rev()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap()
}

const RDFLIB: &str = r#"
import sys, rdflib
rdflib.NORMALIZE_LITERALS = False
from rdflib.compare import isomorphic
fmt = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "rdf": "xml", "jsonld": "json-ld"}
counts = []
graphs = {}
for path in sys.argv[1:]:
    ext = path.rsplit(".", 1)[1]
    if ext in ("nq", "trig", "jsonld"):
        d = rdflib.Dataset()
        d.parse(path, format=fmt[ext])
        counts.append(f"{ext}={len(list(d.quads((None, None, None, None))))}")
    else:
        g = rdflib.Graph()
        g.parse(path, format=fmt[ext])
        graphs[ext] = g
        counts.append(f"{ext}={len(g)}")
print(" ".join(counts))
print("isomorphic" if isomorphic(graphs["ttl"], graphs["nt"]) else "different")
"#;

#[test]
fn rapper_and_rdflib_read_every_export_format_with_the_same_triple_count() {
    let brikg = Brikg::new();
    let mut files = Vec::new();
    for ext in ["ttl", "nt", "nq", "trig", "rdf", "jsonld"] {
        let path = brikg.dir.path().join(format!("graph.{ext}"));
        brikg
            .run(&["export", "-o", path.to_str().unwrap(), "-q"])
            .ok();
        files.push(path);
    }
    for (path, syntax) in files
        .iter()
        .zip(["turtle", "ntriples", "nquads", "", "rdfxml"])
    {
        // rapper's TriG parser predates TriG 1.1 (no GRAPH keyword support) and rapper has no
        // JSON-LD parser; rdflib reads those two below.
        if !syntax.is_empty() {
            assert_eq!(rapper_count(path, syntax), 3346, "{}", path.display());
        }
    }
    let out = Command::new(python())
        .arg("-c")
        .arg(RDFLIB)
        .args(&files)
        .output()
        .expect("the Python of .venv (run scripts/install-deps)");
    assert!(
        out.status.success(),
        "rdflib failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "ttl=3295 nt=3295 nq=3346 trig=3346 rdf=3295 jsonld=3346\nisomorphic\n"
    );
}
