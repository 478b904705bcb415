//! The command line itself: shell completions, the manual page, and outputs that are whole or
//! absent (never half written).

mod common;

use common::Brikg;

#[test]
fn completions_are_generated_for_each_shell() {
    let brikg = Brikg::new();
    let bash = brikg.run(&["completions", "bash"]).ok();
    assert!(bash.stdout.starts_with("_brikg() {\n"), "{}", bash.stdout);
    assert!(
        bash.stdout.contains("complete -F _brikg"),
        "{}",
        bash.stdout
    );
    // Every command is offered.
    for command in [
        "build", "queries", "query", "export", "push", "describe", "validate",
    ] {
        assert!(bash.stdout.contains(&format!(" {command} ")), "{command}");
    }
    let zsh = brikg.run(&["completions", "zsh"]).ok();
    assert!(zsh.stdout.starts_with("#compdef brikg\n"), "{}", zsh.stdout);
    let fish = brikg.run(&["completions", "fish"]).ok();
    assert!(
        fish.stdout
            .contains("complete -c brikg -n \"__fish_brikg_needs_command\" -f -a \"build\""),
        "{}",
        fish.stdout
    );
    let bad = brikg.run(&["completions", "powershell7"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn the_manual_page_is_roff_with_every_command() {
    let brikg = Brikg::new();
    let man = brikg.run(&["man"]).ok();
    assert!(man.stdout.contains(".TH brikg 1 "), "{}", man.stdout);
    assert!(
        man.stdout
            .contains(".SH NAME\nbrikg \\- Turn curated facts"),
        "{}",
        man.stdout
    );
    for command in [
        "build",
        "query",
        "export",
        "push",
        "validate",
        "completions",
    ] {
        assert!(
            man.stdout.contains(&format!("brikg\\-{command}(1)")),
            "{command} missing from SUBCOMMANDS"
        );
    }
}

/// The names in a directory, sorted.
#[test]
fn every_command_has_its_own_manual_page_with_only_its_options() {
    let brikg = Brikg::new();
    let build = brikg.run(&["man", "build"]).ok().stdout;
    assert!(build.contains(".TH brikg-build 1"), "{build}");
    assert!(
        build.contains(".SH NAME\nbrikg\\-build \\- Check all data files"),
        "{build}"
    );
    assert!(build.contains("\\fB\\-\\-shacl\\fR"), "{build}");
    assert!(
        !build.contains("publisher"),
        "build writes no description: {build}"
    );
    let dir = brikg.dir.path().join("man1");
    brikg.run(&["man", "--dir", dir.to_str().unwrap()]).ok();
    assert_eq!(
        names(&dir),
        [
            "brikg-build.1",
            "brikg-completions.1",
            "brikg-describe.1",
            "brikg-draft.1",
            "brikg-export.1",
            "brikg-man.1",
            "brikg-push.1",
            "brikg-queries.1",
            "brikg-query.1",
            "brikg-serve.1",
            "brikg-validate.1",
            "brikg.1"
        ]
    );
    let bad = brikg.run(&["man", "biuld"]);
    assert_eq!(bad.code, 1);
    assert_eq!(
        bad.stderr,
        "brikg: no command \"biuld\"; the commands are build, queries, query, export, push, describe, validate, serve, draft, completions, man\n"
    );
    // Help shows the options a command uses: the description's only where one is written.
    let query = brikg.run(&["query", "--help"]).ok().stdout;
    assert!(
        query.contains("--store <PATH>") && !query.contains("--publisher"),
        "{query}"
    );
    let export = brikg.run(&["export", "--help"]).ok().stdout;
    assert!(
        export.contains("Dataset description:\n      --publisher <NAME>"),
        "{export}"
    );
    let queries = brikg.run(&["queries", "--help"]).ok().stdout;
    assert!(!queries.contains("--store"), "{queries}");
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_export_leaves_the_old_file_and_no_partial_file() {
    let brikg = Brikg::new();
    let out_dir = brikg.dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("graph.ttl");
    std::fs::write(&target, "old\n").unwrap();
    let out = brikg.run(&[
        "export",
        "-q",
        "-o",
        target.to_str().unwrap(),
        "--graph",
        "https://example.org/no-such-graph",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(
            "brikg: there is no graph <https://example.org/no-such-graph> in the store; its graphs are: "
        ),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
    assert_eq!(names(&out_dir), ["graph.ttl"]);

    // A successful export replaces it whole; the same for --no-store and validate --report.
    brikg
        .run(&["export", "-q", "-o", target.to_str().unwrap()])
        .ok();
    let turtle = std::fs::read_to_string(&target).unwrap();
    assert!(turtle.contains("\n@prefix brikg: <https://w3id.org/brikg/ontology#> .\n"));
    assert!(turtle.ends_with(" .\n"), "{turtle}");
    let nq = out_dir.join("graph.nq");
    brikg
        .run(&["export", "-q", "--no-store", "-o", nq.to_str().unwrap()])
        .ok();
    let report = out_dir.join("report.ttl");
    brikg
        .run(&["validate", "-q", "--report", report.to_str().unwrap()])
        .ok();
    assert_eq!(names(&out_dir), ["graph.nq", "graph.ttl", "report.ttl"]);
    // The ontology (542), the reference data (2,077) and the article (325), as `brikg build` counts.
    assert_eq!(std::fs::read_to_string(&nq).unwrap().lines().count(), 3006);
}

#[test]
fn a_failed_no_store_export_leaves_no_file() {
    let brikg = Brikg::new();
    let data = brikg.data_dir("data", &[("broken.toml", "[article]\nid = \"x\"\n")]);
    let target = brikg.dir.path().join("all.nq");
    let out = brikg.run(&[
        "export",
        "-q",
        "--no-store",
        "--data",
        data.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("broken.toml"), "{}", out.stderr);
    assert!(!target.exists());
    assert!(
        !names(brikg.dir.path())
            .iter()
            .any(|n| n.contains("partial")),
        "{:?}",
        names(brikg.dir.path())
    );
}
