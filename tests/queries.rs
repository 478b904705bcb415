//! Every bundled query, run through the binary on the bundled data, gives exactly the rows in
//! `tests/expected/NAME.tsv` (SPARQL TSV keeps datatypes and language tags), and the same rows
//! whether the default graph is empty or the union of all graphs.

mod common;
use common::{repo, Brikg};

fn expected(name: &str) -> String {
    let path = repo().join(format!("tests/expected/{name}.tsv"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_bundled_query_gives_the_expected_rows() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    for q in brikg::queries::QUERIES {
        let out = brikg.run(&["query", q.name, "--format", "tsv"]).ok();
        assert_eq!(out.stdout, expected(q.name), "query {}", q.name);
    }
}

#[test]
fn every_bundled_query_gives_the_same_rows_with_a_union_default_graph() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    for q in brikg::queries::QUERIES {
        let out = brikg
            .run(&["query", q.name, "--format", "tsv", "--union-default-graph"])
            .ok();
        assert_eq!(
            out.stdout,
            expected(q.name),
            "query {} over a union default graph",
            q.name
        );
    }
}

#[test]
fn every_expected_file_belongs_to_a_bundled_query() {
    for entry in std::fs::read_dir(repo().join("tests/expected")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            // tests/expected/open-model/: the rows on other data (tests/open_model.rs).
            continue;
        }
        let name = entry.file_name().into_string().unwrap();
        let name = name.trim_end_matches(".tsv");
        assert!(
            brikg::queries::BundledQuery::find(name).is_some(),
            "tests/expected/{name}.tsv has no query"
        );
    }
}

#[test]
fn standards_query_names_exactly_four_countries_with_the_totals() {
    let brikg = Brikg::new();
    let out = brikg
        .run(&["query", "standards-countries", "--format", "csv"])
        .ok();
    assert_eq!(
        out.stdout,
        "country,alpha2,alpha3,documents,countries,asOf,article\r\n\
         Ethiopia,ET,ETH,107,65,2023-06-30,bri-practical-measure-2024\r\n\
         Italy,IT,ITA,107,65,2023-06-30,bri-practical-measure-2024\r\n\
         Pakistan,PK,PAK,107,65,2023-06-30,bri-practical-measure-2024\r\n\
         Russia,RU,RUS,107,65,2023-06-30,bri-practical-measure-2024\r\n"
    );
    let store = brikg.store();
    assert_eq!(
        out.stderr,
        format!(
            "brikg: built a new store at {} (3006 quads in 4 graphs)\n",
            store.display()
        )
    );
    let out = brikg
        .run(&["query", "standards-coverage", "--format", "csv"])
        .ok();
    assert_eq!(
        out.stdout,
        "article,named,countries,documents,asOf,listed\r\n\
         bri-practical-measure-2024,4,65,107,2023-06-30,examples only\r\n"
    );
}

#[test]
fn the_table_format_is_aligned_for_people() {
    let brikg = Brikg::new();
    let out = brikg.run(&["query", "mou-areas", "-q"]).ok();
    assert_eq!(
        out.stdout,
        "area                 listed         memorandums  article\n\
         -------------------  -------------  -----------  --------------------------\n\
         blue development     complete list  47           bri-practical-measure-2024\n\
         digital development  complete list  47           bri-practical-measure-2024\n\
         green development    complete list  47           bri-practical-measure-2024\n"
    );
    assert_eq!(out.stderr, "");
}

#[test]
fn json_results_are_w3c_sparql_results_json() {
    use oxigraph::sparql::results::{
        QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
    };
    let brikg = Brikg::new();
    let out = brikg
        .run(&["query", "investment", "--format", "json", "-q"])
        .ok();
    let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
        .for_slice(out.stdout.as_bytes())
        .expect("valid SPARQL results JSON");
    let SliceQueryResultsParserOutput::Solutions(solutions) = parsed else {
        panic!("expected solutions")
    };
    let vars: Vec<String> = solutions
        .variables()
        .iter()
        .map(|v| v.as_str().to_owned())
        .collect();
    assert_eq!(
        vars,
        [
            "subject", "measure", "bound", "value", "currency", "reported", "scale", "asOf",
            "period", "article"
        ]
    );
    let values: Vec<String> = solutions
        .map(|s| s.unwrap().get("value").unwrap().to_string())
        .collect();
    assert_eq!(
        values,
        [
            "\"140000000000\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
            "\"340000000000\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
            "\"60000000000\"^^<http://www.w3.org/2001/XMLSchema#decimal>",
        ]
    );
}

#[test]
fn xml_results_are_written() {
    let brikg = Brikg::new();
    let out = brikg
        .run(&[
            "query",
            "--sparql",
            "ASK { GRAPH ?g { ?s a <https://w3id.org/brikg/ontology#Railway> } }",
            "--format",
            "xml",
            "-q",
        ])
        .ok();
    assert_eq!(
        out.stdout,
        "<?xml version=\"1.0\"?><sparql xmlns=\"http://www.w3.org/2005/sparql-results#\"><head></head><boolean>true</boolean></sparql>\n"
    );
}

#[test]
fn queries_lists_every_bundled_query_with_its_description() {
    let brikg = Brikg::new();
    let out = brikg.run(&["queries"]).ok();
    let names: Vec<&str> = out.stdout.lines().filter(|l| !l.starts_with(' ')).collect();
    let bundled: Vec<&str> = brikg::queries::QUERIES.iter().map(|q| q.name).collect();
    assert_eq!(names, bundled);
    assert!(out.stdout.starts_with(
        "standards-countries\n    Countries that signed standards documents with China\n    Countries whose national standardization bodies"
    ));
}

#[test]
fn params_bind_terms_and_cannot_change_the_query() {
    let brikg = Brikg::new();
    let query = "PREFIX brikg: <https://w3id.org/brikg/ontology#>\n\
                 SELECT ?alpha3 WHERE { GRAPH ?g { ?c brikg:iso3166Alpha2 ?code ; brikg:iso3166Alpha3 ?alpha3 } }";
    let out = brikg
        .run(&[
            "query", "--sparql", query, "--param", "code=IT", "--format", "csv", "-q",
        ])
        .ok();
    assert_eq!(out.stdout, "alpha3\r\nITA\r\n");
    let out = brikg
        .run(&[
            "query",
            "--sparql",
            query,
            "--param",
            "code=IT\" } UNION { ?c ?p ?alpha3 } #",
            "--format",
            "csv",
            "-q",
        ])
        .ok();
    assert_eq!(out.stdout, "alpha3\r\n");
    let out = brikg.run(&["query", "--sparql", query, "--param", "nope=1", "-q"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: query: --param nope: the query has no variable ?nope\n"
    );
}

#[test]
fn a_query_file_runs_and_an_unknown_name_is_explained() {
    let brikg = Brikg::new();
    let file = brikg.dir.path().join("count.rq");
    std::fs::write(
        &file,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    )
    .unwrap();
    let out = brikg
        .run(&[
            "query",
            "--file",
            file.to_str().unwrap(),
            "--format",
            "csv",
            "-q",
        ])
        .ok();
    // 3006 quads of data and 38 of build state (fingerprint, data source, build time, quads in
    // all, the article's file, digest and count, the things graph's count, and the 30 name
    // keys of the things' names).
    assert_eq!(out.stdout, "n\r\n3044\r\n");
    let out = brikg.run(&["query", "nope", "-q"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(
            "brikg: no bundled query named \"nope\"; bundled queries: standards-countries, "
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_sparql_syntax_error_names_the_position() {
    let brikg = Brikg::new();
    let out = brikg.run(&["query", "--sparql", "SELECT * WHERE { ?s ?p }", "-q"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("brikg: query: SPARQL syntax error: "),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("1:"), "no position in {}", out.stderr);
    // The message, then the line with a caret under the column.
    assert_eq!(
        out.stderr,
        "brikg: query: SPARQL syntax error: 1:25: the query cannot end here: check the last pattern (each triple needs a subject, a predicate and an object)\n  SELECT * WHERE { ?s ?p }\n                          ^\n"
    );
}

#[test]
fn a_country_parameter_takes_a_code_or_any_name() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    for value in ["IT", "ITA", "380", "Italy", "italy", "意大利"] {
        let out = brikg
            .run(&[
                "query",
                "standards-countries",
                "--param",
                &format!("country={value}"),
                "--format",
                "csv",
                "-q",
            ])
            .ok();
        assert_eq!(
            out.stdout,
            "country,alpha2,alpha3,documents,countries,asOf,article\r\nItaly,IT,ITA,107,65,2023-06-30,bri-practical-measure-2024\r\n",
            "country={value}"
        );
    }
    // Russia by the name people use, and by ISO's.
    for value in ["Russia", "Russian Federation"] {
        let out = brikg
            .run(&[
                "query",
                "countries",
                "--param",
                &format!("country={value}"),
                "--format",
                "csv",
                "-q",
            ])
            .ok();
        assert_eq!(
            out.stdout,
            "country,alpha2,alpha3,wikidata,role,in,article\r\nRussia,RU,RUS,http://www.wikidata.org/entity/Q159,\"counterparty, through its national standardization body\",standards cooperation documents,bri-practical-measure-2024\r\n",
            "country={value}"
        );
    }
    let out = brikg.run(&[
        "query",
        "standards-countries",
        "--param",
        "country=Atlantis",
        "-q",
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: standards-countries: --param country=Atlantis: no such country; give an ISO 3166-1 code (IT, ITA or 380) or a name (Italy, 意大利)\n"
    );
}

#[test]
fn parameters_select_an_article_a_measure_or_a_date_range() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let all = brikg
        .run(&["query", "statistics", "--format", "tsv", "-q"])
        .ok()
        .stdout;
    let one = brikg
        .run(&[
            "query",
            "statistics",
            "--param",
            "article=bri-practical-measure-2024",
            "--format",
            "tsv",
            "-q",
        ])
        .ok()
        .stdout;
    assert_eq!(one, all, "the one article is all there is");
    let by_label = brikg
        .run(&[
            "query",
            "statistics",
            "--param",
            "measure=cities served",
            "--format",
            "csv",
            "-q",
        ])
        .ok()
        .stdout;
    let by_id = brikg
        .run(&[
            "query",
            "statistics",
            "--param",
            "measure=cities-served",
            "--format",
            "csv",
            "-q",
        ])
        .ok()
        .stdout;
    assert_eq!(by_label, by_id);
    assert_eq!(
        by_id.lines().nth(1).unwrap(),
        "China Railway Express,cities served,exactly,217,,2023-09-30,month,,bri-practical-measure-2024,2,market connectivity,1"
    );
    let range = brikg
        .run(&[
            "query",
            "timeline",
            "--param",
            "from=2023-07",
            "--param",
            "to=2023",
            "--format",
            "csv",
            "-q",
        ])
        .ok()
        .stdout;
    let dates: Vec<&str> = range
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2023-09-30",
            "2023-09-30",
            "2023-09-30",
            "2023-09-30",
            "2023-09-30",
            "2023-10"
        ]
    );
}

#[test]
fn a_value_that_names_nothing_is_refused_with_the_nearest_names() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let refused = |args: &[&str]| {
        let out = brikg.run(&[&["query"], args, &["-q"]].concat());
        assert_eq!(out.code, 1, "{args:?}: {}", out.stdout);
        assert_eq!(out.stdout, "", "{args:?}");
        out.stderr
    };
    assert_eq!(
        refused(&["statistics", "--param", "subject=cr-expres"]),
        "brikg: statistics: --param subject=cr-expres: no thing has the id or name \"cr-expres\"; did you mean cr-express?\n"
    );
    assert_eq!(
        refused(&["statistics", "--param", "subject=China Railway Expres"]),
        "brikg: statistics: --param subject=China Railway Expres: no thing has the id or name \"China Railway Expres\"; did you mean China Railway Express?\n"
    );
    assert_eq!(
        refused(&["statistics", "--param", "article=bri-practical-measure"]),
        "brikg: statistics: --param article=bri-practical-measure: the store holds no article \"bri-practical-measure\"; did you mean bri-practical-measure-2024?\n"
    );
    assert_eq!(
        refused(&["statistics", "--param", "article=no-such-article"]),
        "brikg: statistics: --param article=no-such-article: the store holds no article \"no-such-article\"; `brikg query articles` lists them\n"
    );
    assert_eq!(
        refused(&["statistics", "--param", "measure=citys-served"]),
        "brikg: statistics: --param measure=citys-served: no measure has the id or label \"citys-served\"; did you mean cities-served?\n"
    );
    assert_eq!(
        refused(&["statistcs"]),
        "brikg: no bundled query named \"statistcs\"; did you mean statistics? (`brikg queries` lists them)\n"
    );
    assert_eq!(
        refused(&[
            "history",
            "--param",
            "subject=cr-express",
            "--param",
            "subject=x"
        ]),
        "brikg: history: --param subject is given twice; give it once\n"
    );
    assert_eq!(
        refused(&[]),
        "brikg: which query? give a bundled query's NAME (`brikg queries` lists them, e.g. `brikg query statistics`), --file Q.rq or --sparql 'SELECT …'\n"
    );
}

#[test]
fn an_own_query_of_the_empty_default_graph_says_why_it_found_nothing() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let own = "PREFIX schema: <http://schema.org/> SELECT ?n WHERE { ?s schema:name ?n }";
    let out = brikg
        .run(&["query", "--sparql", own, "--format", "tsv"])
        .ok();
    assert_eq!(out.stdout, "?n\n");
    assert_eq!(
        out.stderr,
        "brikg: this query reads the default graph, which is empty (every article is a named graph), so its patterns outside GRAPH match nothing; wrap its patterns in GRAPH ?g { … } as the bundled queries do (`brikg query NAME --print-query` shows one), or add --union-default-graph to read all graphs as one (slower on a large store: every pattern then scans every graph)\n"
    );
    let union = brikg
        .run(&[
            "query",
            "--sparql",
            own,
            "--format",
            "tsv",
            "--union-default-graph",
        ])
        .ok();
    assert!(
        union.stdout.contains("\"China Railway Express\"@en\n"),
        "{}",
        union.stdout
    );
    assert_eq!(union.stderr, "");
    // A count of the default graph is a row, 0, and the same note.
    let count = brikg
        .run(&[
            "query",
            "--sparql",
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "--format",
            "csv",
        ])
        .ok();
    assert_eq!(count.stdout, "n\r\n0\r\n");
    assert_eq!(count.stderr, out.stderr);
    // A query of named graphs that finds nothing is just an empty answer.
    let named = "PREFIX schema: <http://schema.org/> SELECT ?n WHERE { GRAPH ?g { ?s schema:name \"nothing\" } }";
    let out = brikg
        .run(&["query", "--sparql", named, "--format", "tsv"])
        .ok();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("?n\n", ""));
}

#[test]
fn an_unknown_parameter_lists_the_ones_the_query_takes() {
    let brikg = Brikg::new();
    let out = brikg.run(&["query", "statistics", "--param", "year=2023", "-q"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: statistics: no parameter \"year\"; it takes article (e.g. bri-practical-measure-2024), country (e.g. CN), subject (e.g. cr-express), measure (e.g. cities-served)\n"
    );
    let out = brikg.run(&["query", "timeline", "--param", "from=2023-13", "-q"]);
    assert_eq!(
        out.stderr,
        "brikg: timeline: --param from=2023-13: there is no month 13; write YYYY, YYYY-MM or YYYY-MM-DD\n"
    );
    let listed = brikg.run(&["queries"]).ok().stdout;
    assert!(
        listed.contains("timeline\n    Timeline of dated facts\n"),
        "{listed}"
    );
    assert!(
        listed.contains(
            "    --param from=…  the earliest date, compared at its own precision: YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2023)\n"
        ),
        "{listed}"
    );
}

#[test]
fn an_endpoint_that_does_not_answer_in_time_is_asked_once() {
    // A server that takes connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/sparql", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(stream);
        }
    });
    let brikg = Brikg::new();
    let out = brikg.run(&[
        "query",
        "--sparql",
        "SELECT * WHERE { ?s ?p ?o }",
        "--endpoint",
        &url,
        "--timeout",
        "1",
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!("brikg: query: POST {url}: no answer within the time limit (1 s)\n")
    );
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
}
