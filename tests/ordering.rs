//! A listing ordered outside the engine, in runs spilled to disk, gives exactly the rows in
//! exactly the order Oxigraph's own `ORDER BY` gives: for every bundled query on the bundled
//! data and the follow-up articles, and for terms of every kind SPARQL orders.

mod common;
use brikg::query::order::{take_order, OrderPlan};
use common::Brikg;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

type Rows = Vec<Vec<Option<oxigraph::model::Term>>>;

fn rows(results: QueryResults<'static>) -> Rows {
    let QueryResults::Solutions(solutions) = results else {
        panic!("not a SELECT")
    };
    solutions.map(|s| s.unwrap().values().to_vec()).collect()
}

/// The rows as the engine orders them, and as we do with runs of `run_bytes`.
fn both(store: &Store, text: &str, run_bytes: usize) -> (Rows, Rows) {
    let query = spargebra::SparqlParser::new().parse_query(text).unwrap();
    let engine = rows(
        SparqlEvaluator::new()
            .for_query(query.clone())
            .on_store(store)
            .execute()
            .unwrap(),
    );
    let mut outside = query;
    let plan: OrderPlan = take_order(&mut outside).expect("an ORDER BY to take");
    let unordered = SparqlEvaluator::new()
        .for_query(outside)
        .on_store(store)
        .execute()
        .unwrap();
    let QueryResults::Solutions(unordered) = unordered else {
        panic!("not a SELECT")
    };
    let ours = plan
        .with_run_bytes(run_bytes)
        .sort(unordered)
        .unwrap()
        .map(|s| s.unwrap().values().to_vec())
        .collect();
    (engine, ours)
}

#[test]
fn every_bundled_listing_ordered_in_spilled_runs_is_ordered_as_the_engine_orders_it() {
    let brikg = Brikg::new();
    let data = brikg.follow_up_dir("data");
    let data = data.to_str().unwrap();
    brikg.run(&["build", "-q", "--data", data]).ok();
    let store = Store::open_read_only(brikg.store()).unwrap();
    let mut ordered = 0;
    for q in brikg::queries::QUERIES {
        let query = spargebra::SparqlParser::new().parse_query(q.text).unwrap();
        if take_order(&mut query.clone()).is_none() {
            continue;
        }
        // About a kilobyte a run: dozens of runs, merged.
        let (engine, ours) = both(&store, q.text, 1024);
        assert!(!engine.is_empty(), "{} has rows to order", q.name);
        assert_same(&ours, &engine, q.name);
        ordered += 1;
    }
    assert_eq!(ordered, brikg::queries::QUERIES.len());
}

const MIXED: &str = r#"
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:v 10 , 9.5 , "9.75"^^xsd:double , "1e1"^^xsd:float , 2 .
ex:b ex:v "b" , "a" , "a"@en , "a"@fr , "B"@en , "tab\there" .
ex:c ex:v ex:z , ex:y , _:n1 , _:n2 .
ex:d ex:v "2020-01-01"^^xsd:date , "2019-12-31"^^xsd:date , "2020"^^xsd:gYear , "P1Y"^^xsd:duration , "P11M"^^xsd:duration .
ex:e ex:v true , false , "x"^^ex:custom , "w"^^ex:custom , "ten"^^xsd:integer .
ex:f ex:w 1 .
"#;

fn mixed_store() -> Store {
    let store = Store::new().unwrap();
    store
        .load_from_slice(RdfFormat::Turtle, MIXED.as_bytes())
        .unwrap();
    store
}

/// Asserts two row lists are equal, naming the first row where they differ.
fn assert_same(ours: &Rows, engine: &Rows, what: &str) {
    let first = ours.iter().zip(engine).position(|(a, b)| a != b);
    assert!(
        first.is_none() && ours.len() == engine.len(),
        "{what}: {} rows against the engine's {}; first difference at row {first:?}: {:?} against {:?}",
        ours.len(),
        engine.len(),
        first.map(|i| &ours[i]),
        first.map(|i| &engine[i]),
    );
}

#[test]
fn terms_of_every_kind_are_ordered_as_the_engine_orders_them() {
    let store = mixed_store();
    // Each orders terms SPARQL compares consistently: numbers of four types, strings with and
    // without languages, IRIs and blank nodes, dates, years and durations, booleans and unknown
    // datatypes, unbound values. (Across those groups SPARQL compares some by value and some by
    // lexical form, which is no order at all, and two sorts may then differ.) The last key of each
    // breaks ties (10 and "1e1"^^xsd:float are equal as numbers).
    let mut texts = Vec::new();
    for s in ["a", "b", "c", "d", "e"] {
        let from = format!(
            "{{ VALUES ?s {{ <http://example.org/{s}> <http://example.org/f> }} ?s ?p ?v }}"
        );
        texts.push(format!("SELECT ?s ?v WHERE {from} ORDER BY ?v STR(?v) ?s"));
        texts.push(format!("SELECT ?v WHERE {from} ORDER BY DESC(?v) STR(?v)"));
        texts.push(format!(
            "SELECT ?v WHERE {from} ORDER BY ?v STR(?v) LIMIT 3 OFFSET 2"
        ));
    }
    texts.push("SELECT ?s ?v WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/w> ?v } } ORDER BY DESC(?v) ?s ?o".into());
    texts
        .push("SELECT ?v WHERE { <http://example.org/a> ?p ?v } ORDER BY (?v * -1) STR(?v)".into());
    texts.push("SELECT DISTINCT ?s WHERE { ?s ?p ?v } ORDER BY DESC(STR(?s))".into());
    for text in &texts {
        for run_bytes in [1, 300, usize::MAX] {
            let (engine, ours) = both(&store, text, run_bytes);
            assert!(!engine.is_empty(), "{text} has rows");
            assert_same(
                &ours,
                &engine,
                &format!("{text} with runs of {run_bytes} bytes"),
            );
        }
    }
}

#[test]
fn an_order_that_reads_unprojected_variables_under_distinct_stays_in_the_engine() {
    let mut query = spargebra::SparqlParser::new()
        .parse_query("SELECT DISTINCT ?s WHERE { ?s ?p ?v } ORDER BY ?v")
        .unwrap();
    let before = query.to_string();
    assert!(take_order(&mut query).is_none());
    assert_eq!(query.to_string(), before);
}
