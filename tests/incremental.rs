//! Rebuilds do the least work that leaves the store as a build from scratch would, and a store
//! in use is refused with a clear message.

mod common;
use common::{fictional_article, without_timing, Brikg};

fn data(brikg: &Brikg) -> String {
    let dir = brikg.data_dir(
        "data",
        &[("fictional-test-article.toml", &fictional_article())],
    );
    dir.to_str().unwrap().to_owned()
}

fn edit(brikg: &Brikg, old: &str, new: &str) {
    let path = brikg
        .dir
        .path()
        .join("data/articles/fictional-test-article.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(old));
    std::fs::write(path, text.replacen(old, new, 1)).unwrap();
}

#[test]
fn an_unchanged_corpus_is_not_rebuilt_and_a_changed_file_alone_is_mapped() {
    let brikg = Brikg::new();
    let data = data(&brikg);
    brikg.run(&["build", "--data", &data, "-q"]).ok();
    let store = brikg.store();

    let out = brikg.run(&["build", "--data", &data]).ok();
    assert_eq!(
        out.stderr,
        format!(
            "brikg: {} is up to date (2 files, 3119 quads)\n",
            store.display()
        )
    );

    edit(&brikg, "value = 3\n", "value = 4\n");
    let out = brikg.run(&["build", "--data", &data]).ok();
    assert_eq!(
        without_timing(&out.stderr),
        format!(
            "brikg: updated {}: 1 of 2 files mapped, 1 graph replaced, 0 removed, 3119 quads\n",
            store.display()
        )
    );
    let out = brikg
        .run(&["query", "standards-coverage", "--format", "csv", "-q"])
        .ok();
    assert!(
        out.stdout
            .contains("fictional-test-article,1,1,4,2029-12-31,complete list"),
        "{}",
        out.stdout
    );

    // The updated store exports the same bytes as a store built from scratch from the same data.
    let fresh = Brikg::new();
    fresh.run(&["build", "--data", &data, "-q"]).ok();
    for format in ["nquads", "turtle"] {
        let updated = brikg.run(&["export", "--format", format, "-q"]).ok().stdout;
        let scratch = fresh.run(&["export", "--format", format, "-q"]).ok().stdout;
        assert!(
            updated == scratch,
            "{format}: an updated store exports differently from a fresh one"
        );
    }
}

#[test]
fn a_changed_iri_base_rebuilds_everything() {
    let brikg = Brikg::new();
    let data = data(&brikg);
    brikg.run(&["build", "--data", &data, "-q"]).ok();
    let out = brikg
        .run(&["build", "--data", &data, "--base", "http://example.org/kg/"])
        .ok();
    assert_eq!(
        without_timing(&out.stderr),
        format!(
            "brikg: built {}: 2 files mapped, 3119 quads in 5 graphs\n",
            brikg.store().display()
        )
    );
    let out = brikg
        .run(&["query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://w3id.org/\")) }", "--format", "csv"])
        .ok();
    assert_eq!(out.stdout, "n\r\n0\r\n", "graphs of the old base remain");
}

#[test]
fn a_bad_edit_leaves_the_store_answering_as_before() {
    let brikg = Brikg::new();
    let data = data(&brikg);
    brikg.run(&["build", "--data", &data, "-q"]).ok();
    let before = brikg
        .run(&["query", "statistics", "--format", "tsv", "-q"])
        .ok()
        .stdout;
    edit(&brikg, "value = 3\n", "value = \"three\"\n");
    let out = brikg.run(&["build", "--data", &data]);
    assert_eq!(out.code, 1);
    let file = brikg
        .dir
        .path()
        .join("data/articles/fictional-test-article.toml");
    assert_eq!(
        out.stderr,
        format!(
            "brikg: {}:76:9: observations[2].value: \"three\" is not a number; write digits such as 217 or 1.5, without separators or units\n",
            file.display()
        )
    );
    assert_eq!(
        brikg
            .run(&["query", "statistics", "--format", "tsv", "-q"])
            .ok()
            .stdout,
        before
    );
}

#[test]
fn a_build_or_a_query_while_a_build_holds_the_store_is_refused() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    // Hold the build lock, as a running build does.
    let lock = std::fs::File::options()
        .write(true)
        .open(brikg.dir.path().join("store.lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = brikg.run(&["build"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: store {}: the store is in use by another brikg process; wait for it to finish, or use another --store\n",
            brikg.store().display()
        )
    );
    let out = brikg.run(&["query", "articles"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: store {}: the store is being built by another brikg process; wait for it to finish, or use another --store\n",
            brikg.store().display()
        )
    );
    lock.unlock().unwrap();
    brikg.run(&["query", "articles", "-q"]).ok();
}

#[test]
fn two_queries_can_read_at_once() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let lock = std::fs::File::options()
        .write(true)
        .open(brikg.dir.path().join("store.lock"))
        .unwrap();
    lock.lock_shared().unwrap();
    let out = brikg
        .run(&["query", "standards-coverage", "--format", "csv", "-q"])
        .ok();
    assert_eq!(out.stdout.lines().count(), 2);
}

#[test]
fn mapping_without_a_store_gives_the_stores_quads() {
    let brikg = Brikg::new();
    let data = data(&brikg);
    let direct = brikg
        .run(&["export", "--data", &data, "--no-store", "-q"])
        .ok()
        .stdout;
    brikg.run(&["build", "--data", &data, "-q"]).ok();
    let stored = brikg
        .run(&["export", "--format", "nquads", "-q"])
        .ok()
        .stdout;
    let mut direct: Vec<&str> = direct.lines().collect();
    let mut stored: Vec<&str> = stored
        .lines()
        .filter(|l| !l.ends_with("<https://w3id.org/brikg/id/graph/void> ."))
        .collect();
    direct.sort_unstable();
    direct.dedup();
    stored.sort_unstable();
    assert_eq!(direct.len(), 3119);
    assert_eq!(direct, stored);
}

#[test]
fn a_store_built_from_a_data_directory_is_never_replaced_by_the_bundled_data() {
    let brikg = Brikg::new();
    let data = data(&brikg);
    brikg.run(&["build", "--data", &data, "-q"]).ok();
    // No --data: the bundled data differs, but the store is the user's corpus.
    let out = brikg.run(&["query", "articles", "--format", "csv"]).ok();
    assert_eq!(out.stderr, "");
    assert!(
        out.stdout.contains("fictional-test-article"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_store_of_the_bundled_data_follows_the_bundled_data() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    // Make the store stale, as an older brikg would have left it: drop an article graph.
    brikg
        .run(&[
            "query",
            "--update",
            "--sparql",
            "DROP GRAPH <https://w3id.org/brikg/id/graph/article/bri-practical-measure-2024>",
            "-q",
        ])
        .ok();
    let out = brikg
        .run(&["query", "standards-coverage", "--format", "csv"])
        .ok();
    // The state still matches (the update did not touch it), so the store is used as it is...
    assert_eq!(out.stdout.lines().count(), 1);
    // ...until the recorded digest no longer matches the bundled file.
    brikg
        .run(&[
            "query",
            "--update",
            "--sparql",
            "DELETE WHERE { GRAPH <https://w3id.org/brikg/id/graph/build> { ?g <https://w3id.org/brikg/ontology#sourceDigest> ?d } }",
            "-q",
        ])
        .ok();
    let out = brikg
        .run(&["query", "standards-coverage", "--format", "csv"])
        .ok();
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    assert!(
        out.stderr.starts_with("brikg: brought the store at")
            && out
                .stderr
                .ends_with(" up to date with the data (3006 quads)\n"),
        "{}",
        out.stderr
    );
}
