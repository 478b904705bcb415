//! Fuzzes the data-file parser and the mapper: the input is an article file.
//!
//! Asserts, for every input:
//! - nothing panics (parse, map or SHACL check);
//! - a refused file gives a `brikg::Error::Data` (or `DataList`, each problem of it) whose message is one line that starts with the
//!   file name (`fuzz.toml`), as `brikg build` prints it;
//! - an accepted file maps to quads that all lie in the article's own graph, and that graph,
//!   read with the bundled reference data and ontology, has no violation of the bundled SHACL
//!   shapes (the mapping only ever produces conforming graphs).
#![no_main]

use brikg::dataset::{self, DataSource, SourceFile};
use brikg::iris::{Iris, DEFAULT_BASE};
use brikg::mapping::Reference;
use brikg::shacl::{graph_of, short, DataView, Shapes, Violation};
use libfuzzer_sys::fuzz_target;
use oxrdf::{Graph, TripleRef};
use std::sync::OnceLock;

/// The file name every message must start with.
const NAME: &str = "fuzz.toml";

/// What every input is mapped and checked against, built once per process.
struct Context {
    iris: Iris,
    reference: Reference,
    reference_graph: Graph,
    ontology_graph: Graph,
    shapes: Shapes,
}

fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let iris = Iris::new(DEFAULT_BASE).expect("the default base");
        // The bundled countries.toml and wikidata.toml, through `parse_reference`, plus the
        // quads of the reference and ontology graphs, as `brikg build` makes them.
        let foundation =
            dataset::load_foundation(&DataSource::Bundled, &iris).expect("the bundled reference data");
        let graph = |quads: &[oxrdf::Quad]| graph_of(quads.iter().map(|q| TripleRef::from(q.as_ref())));
        let context = Context {
            reference_graph: graph(&foundation.reference_quads),
            ontology_graph: graph(&foundation.ontology_quads),
            reference: foundation.reference,
            shapes: Shapes::bundled().expect("the bundled shapes"),
            iris,
        };
        // The context alone conforms, so any violation below is the article's.
        let own = context.shapes.validate(&DataView::new(
            vec![&context.reference_graph, &context.ontology_graph],
            2,
        ));
        assert!(own.is_empty(), "the bundled reference data violates the shapes: {}", describe(&own));
        context
    })
}

fn describe(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| {
            format!(
                "\n  {} {} {}: {} ({})",
                short(&v.focus),
                v.path.as_ref().map(|p| short(&p.clone().into())).unwrap_or_default(),
                v.value.as_ref().map(short).unwrap_or_default(),
                v.message,
                v.component
            )
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    // `brikg build` refuses a file that is not UTF-8 before parsing it (dataset::read), with
    // its own one-line message; there is nothing past that to fuzz.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let context = context();
    let file = SourceFile {
        name: NAME.into(),
        text: text.to_owned(),
    };
    match dataset::parse_article(&file, &context.reference, &context.iris) {
        Err(brikg::Error::Data(e)) => {
            let message = e.to_string();
            assert_eq!(e.path, NAME, "the error names another file: {message:?}");
            assert!(message.starts_with(NAME), "the error does not start with the file name: {message:?}");
            assert!(
                !message.contains(['\n', '\r']),
                "the error is not one line: {message:?}"
            );
        }
        Err(brikg::Error::DataList(list)) => {
            // Several problems of one file: each on its own line, each naming the file.
            for e in &list.0 {
                let message = e.to_string();
                assert_eq!(e.path, NAME, "the error names another file: {message:?}");
                assert!(!message.contains(['\n', '\r']), "an error is not one line: {message:?}");
            }
        }
        Err(other) => panic!("a data file gave a non-data error: {other:?} ({other})"),
        Ok(article) => {
            assert_eq!(article.graph, context.iris.article_graph(&article.id));
            for q in &article.quads {
                assert_eq!(
                    q.graph_name,
                    article.graph.clone().into(),
                    "a quad outside the article's graph: {q}"
                );
            }
            let graph = graph_of(article.quads.iter().map(|q| TripleRef::from(q.as_ref())));
            let violations = context.shapes.validate(&DataView::new(
                vec![&graph, &context.reference_graph, &context.ontology_graph],
                1,
            ));
            assert!(
                violations.is_empty(),
                "the mapped article violates the SHACL shapes:{}",
                describe(&violations)
            );
        }
    }
});
