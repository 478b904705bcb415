//! A store remembers the data directory it was built from: a build pointed at other data is
//! refused in one line naming both, and a command that reads a store whose files changed since
//! the build says so in one line on stderr, and still answers.

mod common;
use common::{fictional_article, Brikg};
use std::path::{Path, PathBuf};

/// A data directory of the repository's articles and the fictional one.
fn data_with_fictional(brikg: &Brikg, name: &str) -> PathBuf {
    brikg.data_dir(name, &[("fictional.toml", &fictional_article())])
}

fn canonical(dir: &Path) -> String {
    std::fs::canonicalize(dir).unwrap().display().to_string()
}

fn statistics(brikg: &Brikg, extra: &[&str]) -> common::Run {
    let mut args = vec!["query", "statistics", "--format", "tsv"];
    args.extend(extra);
    brikg.run(&args)
}

#[test]
fn a_build_from_other_data_is_refused_naming_both_directories() {
    let brikg = Brikg::new();
    let mine = data_with_fictional(&brikg, "mine");
    let theirs = brikg.data_dir("theirs", &[]);
    brikg
        .run(&["build", "-q", "--data", mine.to_str().unwrap()])
        .ok();
    let rows = statistics(&brikg, &[]).ok().stdout;
    let store = brikg.store().display().to_string();
    let mine = canonical(&mine);

    // The bundled data (no --data): the user's articles are not dropped.
    let out = brikg.run(&["build"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, format!("brikg: the store {store} was built from {mine}, not from the data bundled in brikg: give --data {mine} to use it, another --store for the data bundled in brikg, or rebuild it from the data bundled in brikg with `brikg build --replace`\n").as_str())
    );
    // Another directory.
    let out = brikg.run(&["build", "--data", theirs.to_str().unwrap()]);
    let theirs = canonical(&theirs);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, format!("brikg: the store {store} was built from {mine}, not from {theirs}: give --data {mine} to use it, another --store for {theirs}, or rebuild it from {theirs} with `brikg build --data {theirs} --replace`\n").as_str())
    );
    // A query that names the other directory is refused alike; one that names none answers
    // from the store's own.
    let out = statistics(&brikg, &["--data", &theirs]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(&format!(
            "brikg: the store {store} was built from {mine}, not from {theirs}: "
        )),
        "{}",
        out.stderr
    );
    assert_eq!(statistics(&brikg, &[]).ok().stdout, rows);

    // The same directory by another spelling is the same directory.
    let again = format!("{mine}/../mine");
    let out = brikg.run(&["build", "--data", &again]).ok();
    assert!(
        out.stderr.contains(" is up to date (2 files,"),
        "{}",
        out.stderr
    );

    // Asked for, the store is rebuilt from the other data: the fictional article is gone.
    brikg
        .run(&["build", "-q", "--replace", "--data", &theirs])
        .ok();
    let after = statistics(&brikg, &[]).ok().stdout;
    assert_ne!(after, rows);
    assert!(!after.contains("fictional-test-article"), "{after}");
    assert!(rows.contains("fictional-test-article"), "{rows}");
}

#[test]
fn a_query_on_a_store_behind_its_data_says_which_file_changed_and_answers() {
    let brikg = Brikg::new();
    let data = data_with_fictional(&brikg, "data");
    let flag = data.to_str().unwrap().to_owned();
    brikg.run(&["build", "-q", "--data", &flag]).ok();
    let before = statistics(&brikg, &["--data", &flag]).ok();
    assert_eq!(
        before.stderr, "",
        "a store that holds its data says nothing"
    );
    let store = brikg.store().display().to_string();
    let dir = canonical(&data);
    let warning = |what: &str| {
        format!(
            "brikg: warning: the store {store} was built from {dir} before {what}: run `brikg build --data {dir}`\n"
        )
    };

    // An edit: the answer is the store's, the line says it is behind; with or without --data.
    let file = data.join("articles/fictional.toml");
    std::fs::write(
        &file,
        fictional_article().replace("paragraphs = 2", "paragraphs = 12"),
    )
    .unwrap();
    for extra in [&["--data", flag.as_str()][..], &[]] {
        let out = statistics(&brikg, extra).ok();
        assert_eq!(out.stdout, before.stdout);
        assert_eq!(out.stderr, warning("articles/fictional.toml changed"));
    }
    // An export says it too (serve opens the store the same way).
    let out = brikg.run(&["export", "-o", "out.nq", "--data", &flag]).ok();
    assert_eq!(
        out.stderr,
        warning("articles/fictional.toml changed")
            + "brikg: exported 3465 quads: 3119 in the store's 5 graphs and 346 in the description <https://w3id.org/brikg/id/graph/void>, computed for this export; the build record <https://w3id.org/brikg/id/graph/build> is never exported\n"
    );
    // A new file besides, then a file removed.
    std::fs::write(
        data.join("articles/second.toml"),
        fictional_article().replace("fictional-test-article", "second-fictional-article"),
    )
    .unwrap();
    assert_eq!(
        statistics(&brikg, &[]).ok().stderr,
        warning("articles/fictional.toml changed (and 1 more files)")
    );
    std::fs::remove_file(data.join("articles/second.toml")).unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(
        statistics(&brikg, &[]).ok().stderr,
        warning("articles/fictional.toml was removed")
    );
    // -q silences it, as every note.
    assert_eq!(statistics(&brikg, &["-q"]).ok().stderr, "");

    // Built again, the store holds its data and nothing is said.
    brikg.run(&["build", "-q", "--data", &flag]).ok();
    assert_eq!(statistics(&brikg, &[]).ok().stderr, "");
}

#[test]
fn a_file_touched_but_not_changed_is_forgotten_after_a_build() {
    let brikg = Brikg::new();
    let data = data_with_fictional(&brikg, "data");
    let flag = data.to_str().unwrap().to_owned();
    // Saved an hour ago: a build records the stamp of a file only once it has settled (a file
    // saved within 2 s of the build is hashed again by the next one, see tests/stamps.rs).
    for entry in std::fs::read_dir(data.join("articles")).unwrap() {
        std::fs::File::options()
            .write(true)
            .open(entry.unwrap().path())
            .unwrap()
            .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
            .unwrap();
    }
    brikg.run(&["build", "-q", "--data", &flag]).ok();
    let file = std::fs::File::options()
        .write(true)
        .open(data.join("articles/fictional.toml"))
        .unwrap();
    file.set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1))
        .unwrap();
    drop(file);
    let dir = canonical(&data);
    assert_eq!(
        statistics(&brikg, &[]).ok().stderr,
        format!(
            "brikg: warning: the store {} was built from {dir} before articles/fictional.toml changed: run `brikg build --data {dir}`\n",
            brikg.store().display()
        )
    );
    // The build finds the same text: nothing to map, and the store now knows the new time.
    let out = brikg.run(&["build", "--data", &flag]).ok();
    assert!(
        out.stderr.contains(" is up to date (2 files,"),
        "{}",
        out.stderr
    );
    assert_eq!(statistics(&brikg, &[]).ok().stderr, "");
}

#[test]
fn a_store_of_the_bundled_data_is_replaced_by_a_directory_without_asking() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let data = data_with_fictional(&brikg, "data");
    // A query that names a directory builds the store from it: the bundled data is brikg's.
    let out = statistics(&brikg, &["--data", data.to_str().unwrap()]).ok();
    assert!(
        out.stdout.contains("fictional-test-article"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.starts_with(&format!(
            "brikg: brought the store at {} up to date with the data (3119 quads)",
            brikg.store().display()
        )),
        "{}",
        out.stderr
    );
}
