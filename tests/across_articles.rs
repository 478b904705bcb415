//! What several articles say together: one id is one thing in every article, definitions that
//! disagree are refused with both places, names merge with the earliest preferred, likely
//! duplicates are reported, and the cross-article questions follow a figure over time.

mod common;
use common::{without_timing, Brikg};

fn write_article(data: &std::path::Path, file: &str, text: &str) {
    std::fs::write(data.join("articles").join(file), text).unwrap();
}

/// `brikg query --data DATA --sparql QUERY --format FORMAT`, which must succeed.
fn sparql(brikg: &Brikg, data: &str, query: &str, format: &str) -> common::Run {
    brikg
        .run(&[
            "query", "--data", data, "--sparql", query, "--format", format,
        ])
        .ok()
}

/// A fictional article that defines one entity with the given lines, and a figure about it.
fn article_defining(id: &str, modified: &str, entity: &str) -> String {
    format!(
        r#"# FICTIONAL, for tests only.
[article]
id = "{id}"
title = "FICTIONAL follow-up"
authors = ["Test Author"]
modified = "{modified}"

[[sections]]
id = "lead"
paragraphs = 1

[[entities]]
{entity}
source = {{ section = "lead", paragraph = 1 }}

[measures]
trips-completed = {{ label = "trips completed" }}
"#
    )
}

#[test]
fn a_follow_up_lands_on_the_things_and_measures_of_the_first_article() {
    let brikg = Brikg::new();
    let data = brikg.follow_up_dir("data");
    let data = data.to_str().unwrap();
    let out = brikg.run(&["build", "--data", data]).ok();
    assert_eq!(
        without_timing(&out.stderr),
        format!(
            "brikg: built {}: 7 files mapped, 5469 quads in 11 graphs\n",
            brikg.store().display()
        )
    );
    // Both articles' throughput of the port, by one of the names the follow-up uses, in date
    // order, each with its source and the change from the previous date (none where that
    // date has two different figures).
    let out = brikg
        .run(&[
            "query",
            "history",
            "--data",
            data,
            "--param",
            "subject=Nkalora Port",
            "--param",
            "measure=container throughput",
            "--format",
            "csv",
        ])
        .ok();
    assert_eq!(
        out.stdout.replace("\r\n", "\n"),
        "subject,measure,asOf,bound,value,unit,change,article,section,paragraph\n\
         Nkalora Deepwater Port,container throughput,2023-12-31,exactly,1100000,TEU,,nkalora-port-2025,1,1\n\
         Nkalora Deepwater Port,container throughput,2024-12-31,approximately,1900000,TEU,800000,nkalora-port-2025,1,1\n\
         Nkalora Deepwater Port,container throughput,2024-12-31,exactly,1860000,TEU,760000,nkalora-port-2026,1,2\n\
         Nkalora Deepwater Port,container throughput,2024-12-31,approximately,1900000,TEU,800000,nkalora-port-2026,1,2\n\
         Nkalora Deepwater Port,container throughput,2025-12-31,exactly,2380000,TEU,,nkalora-port-2026,1,1\n"
    );
    // Two sources that cannot both be right about the power delivered by September 2024.
    let out = brikg
        .run(&["query", "disagreements", "--data", data, "--format", "csv"])
        .ok();
    assert_eq!(
        out.stdout.replace("\r\n", "\n"),
        "subject,measure,asOf,unit,bound1,value1,article1,section1,paragraph1,bound2,value2,article2,section2,paragraph2\n\
         Korvana Cascade,electricity delivered to the grid,2024-09-30,GWh,exactly,412,korvana-cascade-2024,3,2,exactly,405,korvana-cascade-2025,2,2\n\
         Korvana Cascade,electricity delivered to the grid,2024-09-30,GWh,exactly,405,korvana-cascade-2025,2,2,exactly,412,korvana-cascade-2025,2,2\n"
    );
    // The figures of a quantity (one thing's measure at one date in one unit) that more than
    // one article reports: they share one brikg:quantity, whatever each article calls them.
    let out = sparql(
        &brikg,
        data,
        "PREFIX brikg: <https://w3id.org/brikg/ontology#>
             PREFIX dcterms: <http://purl.org/dc/terms/>
             SELECT ?q ?article ?figure WHERE {
               { SELECT ?q WHERE { GRAPH ?g { ?o brikg:quantity ?q } } GROUP BY ?q HAVING (COUNT(DISTINCT ?g) > 1) }
               GRAPH ?g { ?o brikg:quantity ?q ; dcterms:identifier ?figure }
               BIND (STRAFTER(STR(?g), \"/graph/article/\") AS ?article)
             } ORDER BY ?q ?article ?figure",
        "csv",
    );
    assert_eq!(
        out.stdout.replace("\r\n", "\n"),
        "q,article,figure\n\
         https://w3id.org/brikg/id/quantity/21eac861228d3197716e301912d47c07,nkalora-port-2025,throughput-2024\n\
         https://w3id.org/brikg/id/quantity/21eac861228d3197716e301912d47c07,nkalora-port-2026,ndp-throughput-2024-announced\n\
         https://w3id.org/brikg/id/quantity/21eac861228d3197716e301912d47c07,nkalora-port-2026,ndp-throughput-2024-audited\n\
         https://w3id.org/brikg/id/quantity/def8ebdaf9363a0c104d36065b5718a6,korvana-cascade-2024,generation-2024-q3\n\
         https://w3id.org/brikg/id/quantity/def8ebdaf9363a0c104d36065b5718a6,korvana-cascade-2025,delivered-2024-q3-transmission-operator\n\
         https://w3id.org/brikg/id/quantity/def8ebdaf9363a0c104d36065b5718a6,korvana-cascade-2025,delivered-2024-q3-utility\n"
    );
    // The things graph: one preferred name (the first article's), the follow-up's as others.
    let out = sparql(
        &brikg,
        data,
        "SELECT ?p ?l WHERE { GRAPH <https://w3id.org/brikg/id/graph/things> { <https://w3id.org/brikg/id/entity/nkalora-deepwater-port> ?p ?l } } ORDER BY ?p ?l",
        "tsv",
    );
    assert_eq!(
        out.stdout,
        "?p\t?l\n\
         <http://purl.org/dc/terms/identifier>\t\"nkalora-deepwater-port\"\n\
         <http://www.w3.org/2004/02/skos/core#altLabel>\t\"NDP\"@en\n\
         <http://www.w3.org/2004/02/skos/core#altLabel>\t\"Nkalora Port\"@en\n\
         <http://www.w3.org/2004/02/skos/core#prefLabel>\t\"Nkalora Deepwater Port\"@en\n"
    );
    // Everything about it, by a name in another form ("the", a possessive, other case).
    let out = brikg
        .run(&[
            "query",
            "thing",
            "--data",
            data,
            "--param",
            "subject=the nkalora deepwater port's",
            "--format",
            "csv",
        ])
        .ok();
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(rows.len(), 33, "{}", out.stdout);
    assert_eq!(
        rows[14],
        "Nkalora Deepwater Port,,also called,,NDP,,nkalora-port-2026,1,1"
    );
    assert_eq!(
        rows[22],
        "Nkalora Deepwater Port,2021-09,event,start of operation,,,nkalora-port-2025,1,1"
    );
}

#[test]
fn one_id_with_two_kinds_is_refused_with_both_places_and_the_store_kept() {
    let brikg = Brikg::new();
    let data = brikg.data_dir("data", &[]);
    let data_arg = data.to_str().unwrap().to_owned();
    brikg.run(&["build", "--data", &data_arg, "-q"]).ok();
    let before = brikg
        .run(&["query", "statistics", "--data", &data_arg, "-q"])
        .ok()
        .stdout;
    write_article(
        &data,
        "railway.toml",
        &article_defining(
            "fictional-railway",
            "2025-01-01",
            "id = \"cr-express\"\nkind = \"railway\"\nname = \"China Railway Express\"",
        ),
    );
    let expected = format!(
        "brikg: {0}/articles/railway.toml:14:8: entities[0].kind: \"cr-express\" has the kind \"railway\" here but \"transport-service\" in {0}/articles/bri-practical-measure-2024.toml:54:8 (entities[1].kind); one id names one thing in every article: give it the same kind in both, or give one of them an id of its own\n",
        data.display()
    );
    // An incremental build (the store exists) and a full one (a fresh store) say the same.
    let out = brikg.run(&["build", "--data", &data_arg]);
    assert_eq!((out.code, out.stderr.as_str()), (1, expected.as_str()));
    let fresh = brikg.dir.path().join("fresh");
    let out = brikg.run(&[
        "build",
        "--data",
        &data_arg,
        "--store",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!((out.code, out.stderr.as_str()), (1, expected.as_str()));
    assert!(!fresh.exists(), "a refused first build leaves no store");
    // The old store answers as before.
    std::fs::remove_file(data.join("articles/railway.toml")).unwrap();
    let after = brikg
        .run(&["query", "statistics", "--data", &data_arg, "-q"])
        .ok()
        .stdout;
    assert_eq!(before, after);
}

#[test]
fn a_measure_has_one_label_and_a_unit_in_every_article() {
    let brikg = Brikg::new();
    let data = brikg.data_dir("data", &[]);
    let text = article_defining(
        "fictional-relabel",
        "2025-01-01",
        "id = \"cr-express\"\nkind = \"transport-service\"\nname = \"CR Express\"",
    )
    .replace("label = \"trips completed\"", "label = \"trips\"");
    write_article(&data, "relabel.toml", &text);
    let out = brikg.run(&["build", "--data", data.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: {0}/articles/relabel.toml:19:29: measures.trips-completed.label: \"trips-completed\" has the label \"trips\" here but \"trips completed\" in {0}/articles/bri-practical-measure-2024.toml:124:29 (measures.trips-completed.label); a measure has one label in every article: write the same label in both, and other wordings in alt_labels\n",
            data.display()
        )
    );
}

#[test]
fn names_that_read_alike_under_two_ids_are_reported_and_refused_on_request() {
    let brikg = Brikg::new();
    let data = brikg.data_dir("data", &[]);
    let data_arg = data.to_str().unwrap().to_owned();
    write_article(
        &data,
        "duplicate.toml",
        &article_defining(
            "fictional-duplicate",
            "2025-01-01",
            "id = \"china-railway-express\"\nkind = \"transport-service\"\nname = \"the China–Railway Express\"",
        ),
    );
    let warning = format!(
        "brikg: warning: likely duplicates: \"cr-express\" ({0}/articles/bri-practical-measure-2024.toml:53:6) and \"china-railway-express\" ({0}/articles/duplicate.toml:13:6) have names that read alike (\"china railway express\"); if they are one thing, use the id \"cr-express\" in every file, else tell them apart by name\n",
        data.display()
    );
    let out = brikg.run(&["build", "--data", &data_arg]).ok();
    assert!(out.stderr.starts_with(&warning), "{}", out.stderr);
    // For a curated dataset's CI: the same finding refuses the build, and nothing is stored.
    let strict = brikg.dir.path().join("strict");
    let out = brikg.run(&[
        "build",
        "--data",
        &data_arg,
        "--duplicates",
        "error",
        "--store",
        strict.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stderr, warning.replace("brikg: warning: ", "brikg: "));
    assert!(!strict.exists());
}

#[test]
fn identifiers_become_links_and_a_shared_one_is_a_duplicate() {
    let brikg = Brikg::new();
    let data = brikg.data_dir("data", &[]);
    let data_arg = data.to_str().unwrap().to_owned();
    // China's Wikidata item is in the reference data (Q148); a thing that is China may carry it.
    write_article(
        &data,
        "china.toml",
        &article_defining(
            "fictional-china",
            "2025-01-01",
            "id = \"china\"\nkind = \"cooperation-subject\"\nname = \"China\"\nidentifiers = { wikidata = \"Q148\" }",
        ),
    );
    write_article(
        &data,
        "prc.toml",
        &article_defining(
            "fictional-prc",
            "2025-02-01",
            "id = \"peoples-republic-of-china\"\nkind = \"cooperation-subject\"\nname = \"People's Republic of China\"\nidentifiers = { wikidata = \"Q148\" }",
        ),
    );
    let out = brikg.run(&["build", "--data", &data_arg]).ok();
    assert!(
        out.stderr.starts_with(&format!(
            "brikg: warning: likely duplicates: \"china\" ({0}/articles/china.toml:13:6) and \"peoples-republic-of-china\" ({0}/articles/prc.toml:13:6) share the identifier <http://www.wikidata.org/entity/Q148>; if they are one thing, use the id \"china\" in every file, else tell them apart by name\n",
            data.display()
        )),
        "{}",
        out.stderr
    );
    let out = brikg
        .run(&[
            "query",
            "--data",
            &data_arg,
            "--sparql",
            "SELECT ?g WHERE { GRAPH ?g { <https://w3id.org/brikg/id/entity/china> <http://schema.org/sameAs> <http://www.wikidata.org/entity/Q148> } } ORDER BY ?g",
            "--format",
            "csv",
        ])
        .ok();
    assert_eq!(
        out.stdout,
        "g\r\nhttps://w3id.org/brikg/id/graph/article/fictional-china\r\nhttps://w3id.org/brikg/id/graph/things\r\n"
    );
    // An identifier that is not of its scheme's form is refused, never guessed at.
    write_article(
        &data,
        "prc.toml",
        &article_defining(
            "fictional-prc",
            "2025-02-01",
            "id = \"peoples-republic-of-china\"\nkind = \"cooperation-subject\"\nname = \"People's Republic of China\"\nidentifiers = { wikidata = \"China\" }",
        ),
    );
    let out = brikg.run(&["build", "--data", &data_arg]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: {}/articles/prc.toml:16:28: entities[0].identifiers.wikidata: \"China\" is not a wikidata identifier (it must match ^Q[1-9][0-9]*$); write the identifier only, e.g. the \"Q\" number of a Wikidata item, never a guess\n",
            data.display()
        )
    );
}

#[test]
fn an_updated_store_merges_as_a_fresh_one_does() {
    let brikg = Brikg::new();
    let data = brikg.follow_up_dir("data");
    let data_arg = data.to_str().unwrap().to_owned();
    brikg.run(&["build", "--data", &data_arg, "-q"]).ok();
    // The follow-up gives the port another name, and the first article about the cascade goes
    // away (its follow-up still defines everything it refers to).
    std::fs::remove_file(data.join("articles/korvana-cascade-2024.toml")).unwrap();
    let follow_up = data.join("articles/nkalora-port-2026.toml");
    let text = std::fs::read_to_string(&follow_up).unwrap();
    std::fs::write(
        &follow_up,
        text.replacen(
            "alt_names = [\"NDP\", \"Nkalora Port\"]",
            "alt_names = [\"NDP\", \"Port of Nkalora\"]",
            1,
        ),
    )
    .unwrap();
    let out = brikg.run(&["build", "--data", &data_arg]).ok();
    assert!(out.stderr.contains("updated"), "{}", out.stderr);
    let updated = brikg
        .run(&["export", "--format", "nquads", "-q"])
        .ok()
        .stdout;
    let fresh = brikg.dir.path().join("fresh");
    let fresh_arg = fresh.to_str().unwrap();
    brikg
        .run(&["build", "--data", &data_arg, "--store", fresh_arg, "-q"])
        .ok();
    let scratch = brikg
        .run(&["export", "--format", "nquads", "--store", fresh_arg, "-q"])
        .ok()
        .stdout;
    assert_eq!(updated, scratch);
    assert!(updated.contains(
        "<https://w3id.org/brikg/id/entity/nkalora-deepwater-port> <http://www.w3.org/2004/02/skos/core#altLabel> \"Port of Nkalora\"@en <https://w3id.org/brikg/id/graph/things> ."
    ));
}

/// The build state keeps the normal form of every thing's name, so a rebuild after one edit
/// finds the things that share a name by looking it up, not by reading every label. A store
/// without those keys (built by an older brikg) is read label by label once, and keyed.
#[test]
fn a_rebuild_finds_names_alike_by_the_build_states_keys_and_keys_an_older_store() {
    let brikg = Brikg::new();
    let data = brikg.data_dir("data", &[]);
    let data_arg = data.to_str().unwrap().to_owned();
    let keys = || {
        brikg
            .run(&[
                "query",
                "-q",
                "--format",
                "csv",
                "--sparql",
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/brikg/id/graph/build> \
                 { ?thing <https://w3id.org/brikg/ontology#nameKey> ?key } }",
            ])
            .ok()
            .stdout
    };
    brikg.run(&["build", "--data", &data_arg, "-q"]).ok();
    assert_eq!(keys(), "n\r\n30\r\n");
    brikg
        .run(&[
            "query",
            "-q",
            "--update",
            "--sparql",
            "DELETE WHERE { GRAPH <https://w3id.org/brikg/id/graph/build> \
             { ?thing <https://w3id.org/brikg/ontology#nameKey> ?key } }",
        ])
        .ok();
    assert_eq!(keys(), "n\r\n0\r\n");
    let warning = format!(
        "brikg: warning: likely duplicates: \"cr-express\" ({0}/articles/bri-practical-measure-2024.toml:53:6) and \"china-railway-express\" ({0}/articles/duplicate.toml:13:6) have names that read alike (\"china railway express\"); if they are one thing, use the id \"cr-express\" in every file, else tell them apart by name\n",
        data.display()
    );
    for modified in ["2025-01-01", "2025-01-02"] {
        write_article(
            &data,
            "duplicate.toml",
            &article_defining(
                "fictional-duplicate",
                modified,
                "id = \"china-railway-express\"\nkind = \"transport-service\"\nname = \"the China–Railway Express\"",
            ),
        );
        let out = brikg.run(&["build", "--data", &data_arg]).ok();
        let (first, rest) = out.stderr.split_at(warning.len());
        assert_eq!(first, warning);
        assert!(rest.starts_with("brikg: updated "), "{rest}");
        assert_eq!(keys(), "n\r\n31\r\n");
    }
}
