//! A build lists every unknown kind, unit, event type, country, measure or id of the data files
//! at once, each at its `file:line:column`, as a compiler does: a curator declares them all and
//! builds once, not once per name. Nothing is written to the store.

mod common;
use common::{fictional_article, repo, Brikg};
use std::path::Path;

/// brikg's entity kinds plus a declared "seaport", as an unknown entity kind lists them.
const KNOWN_KINDS: &str = "cooperation-platform, cooperation-subject, cooperation-zones, energy-facility, financing, initiative, loan, port, power-plant, railway, seaport, standard-system, trade-corridor, transport-facility, transport-service";

const DECLARE: &str =
    "vocabulary/*.toml of the data directory (see docs/data.md, \"Declaring kinds and units\")";

fn unknown_kind(file: &Path, line: usize, index: usize, kind: &str) -> String {
    format!(
        "{}:{line}:8: entities[{index}].kind: unknown entity kind \"{kind}\"; known: {KNOWN_KINDS}; declare a new kind under [[kinds]] in {DECLARE}",
        file.display()
    )
}

fn statistics(brikg: &Brikg) -> String {
    brikg
        .run(&["query", "statistics", "--format", "tsv", "-q"])
        .ok()
        .stdout
}

/// The newcomer's path of issue 20: the seaport article, with `seaport` declared and one
/// figure in a unit brikg does not know. The one build reports the four other kinds (one of
/// them used twice) and the unit; the store still answers as before.
#[test]
fn a_file_with_four_unknown_kinds_and_an_unknown_unit_gets_all_of_them_in_one_run() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let before = statistics(&brikg);
    let text = std::fs::read_to_string(repo().join("tests/fixtures/draft/nkalora-port-2025.toml"))
        .unwrap();
    assert_eq!(text.lines().nth(174), Some("unit = \"ha\""));
    let text = text.replacen("unit = \"ha\"", "unit = \"mu\"", 1);
    let data = brikg.data_dir("data", &[("nkalora-port-2025.toml", &text)]);
    std::fs::create_dir(data.join("vocabulary")).unwrap();
    std::fs::write(
        data.join("vocabulary/kinds.toml"),
        "[[kinds]]\nname = \"seaport\"\nlabel = \"seaport\"\ndefinition = \"A port on a coast where sea-going ships load and unload.\"\nparent = \"port\"\n",
    )
    .unwrap();

    let out = brikg.run(&["build", "--data", data.to_str().unwrap()]);

    assert_eq!(out.code, 1);
    let file = data.join("articles/nkalora-port-2025.toml");
    let expected = [
        "brikg: 6 errors in 1 data file:".to_owned(),
        unknown_kind(&file, 51, 1, "project-phase"),
        unknown_kind(&file, 58, 2, "logistics-zone"),
        unknown_kind(&file, 65, 3, "gate-complex"),
        unknown_kind(&file, 72, 4, "project-phase"),
        unknown_kind(&file, 79, 5, "dry-port"),
        format!(
            "{}:175:8: observations[4].unit: unknown unit \"mu\"; known units: %, GW, GWh, J, L, MW, MWh, TEU, TWh, [bbl_us], ha, kW, kWh, kg, km, km2, m, m2, m3, t; declare a new one under [[units]] in {DECLARE}",
            file.display()
        ),
    ];
    assert_eq!(out.stderr, expected.join("\n") + "\n");
    assert_eq!(
        statistics(&brikg),
        before,
        "the store changed after a failed build"
    );
}

/// The fictional article under another id, with `old` replaced by `new`.
fn fictional(id: &str, old: &str, new: &str) -> String {
    let text = fictional_article().replacen(
        "id = \"fictional-test-article\"",
        &format!("id = \"{id}\""),
        1,
    );
    assert!(text.contains(old), "{old:?}");
    text.replacen(old, new, 1)
}

/// Errors in two files are both reported, in file order, whether the build starts a store
/// (all files mapped) or updates one (only the new files mapped).
#[test]
fn a_build_reports_the_errors_of_every_file() {
    let brikg = Brikg::new();
    let a = fictional(
        "fictional-a",
        "located_in = [\"NO\"]",
        "located_in = [\"NOR\"]",
    );
    let a = a.replacen("measure = \"trips-completed\"", "measure = \"trips\"", 1);
    let b = fictional(
        "fictional-b",
        "about = \"standards-cooperation-documents\"",
        "about = \"standards-documents\"",
    );
    let data = brikg.data_dir("data", &[("a.toml", &a), ("b.toml", &b)]);
    let articles = data.join("articles");
    let expected = format!(
        "brikg: 3 errors in 2 data files:\n\
         {a}:22:15: entities[0].located_in[0]: \"NOR\" is not an ISO 3166-1 alpha-2 country code; \"NOR\" is the alpha-3 code of Norway, write \"NO\"\n\
         {a}:54:11: observations[0].measure: \"trips\" is not defined under [measures]; add it there with a label\n\
         {b}:74:9: observations[2].about: \"standards-documents\" is not the id of an entity, organization or agreement in this file, nor an ISO 3166-1 alpha-2 country code\n",
        a = articles.join("a.toml").display(),
        b = articles.join("b.toml").display(),
    );

    let out = brikg.run(&["build", "--data", data.to_str().unwrap()]);
    assert_eq!((out.code, out.stderr.as_str()), (1, expected.as_str()));
    assert!(
        !brikg.store().exists(),
        "a failed first build leaves no store"
    );

    // The same two files added to a store built from the good ones: an incremental build.
    for f in ["a.toml", "b.toml"] {
        std::fs::rename(articles.join(f), brikg.dir.path().join(f)).unwrap();
    }
    brikg
        .run(&["build", "-q", "--data", data.to_str().unwrap()])
        .ok();
    let before = brikg
        .run(&[
            "query",
            "statistics",
            "--format",
            "tsv",
            "-q",
            "--data",
            data.to_str().unwrap(),
        ])
        .ok()
        .stdout;
    for f in ["a.toml", "b.toml"] {
        std::fs::rename(brikg.dir.path().join(f), articles.join(f)).unwrap();
    }
    let out = brikg.run(&["build", "--data", data.to_str().unwrap()]);
    assert_eq!((out.code, out.stderr.as_str()), (1, expected.as_str()));
    let after = brikg
        .run(&[
            "query",
            "statistics",
            "--format",
            "tsv",
            "-q",
            "--data",
            data.to_str().unwrap(),
        ])
        .stdout;
    assert_eq!(after, before, "the store changed after a failed build");
}

/// A file of 55 unknown kinds shows the first 50 and counts the rest, so the first error stays
/// on the screen.
#[test]
fn a_long_list_is_cut_at_fifty() {
    let brikg = Brikg::new();
    let mut text = fictional("fictional-many", "kind = \"railway\"", "kind = \"railway\"");
    for n in 1..=55 {
        text.push_str(&format!(
            "\n[[entities]]\nid = \"thing-{n}\"\nkind = \"made-up-kind-{n}\"\nname = \"Thing {n}\"\n"
        ));
    }
    let data = brikg.data_dir("data", &[("many.toml", &text)]);
    let out = brikg.run(&["build", "--data", data.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 52, "{}", out.stderr);
    assert_eq!(lines[0], "brikg: 55 errors in 1 data file:");
    let first_line = fictional_article().lines().count() + 4;
    assert!(
        lines[1].starts_with(&format!(
            "{}:{first_line}:8: entities[1].kind: unknown entity kind \"made-up-kind-1\"; known: ",
            data.join("articles/many.toml").display()
        )),
        "{}",
        lines[1]
    );
    assert!(lines[50].contains("\"made-up-kind-50\""), "{}", lines[50]);
    assert_eq!(lines[51], "and 5 more");
}
