//! The page at `/` (plain HTML, CSS and JavaScript from `web/`, compiled in: no CDN, no build
//! step) and the SPARQL service description.

use super::protocol;
use crate::iris::Iris;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

const INDEX: &str = include_str!("../../web/index.html");
const SCRIPT: &str = include_str!("../../web/app.js");
const STYLE: &str = include_str!("../../web/style.css");

fn asset(content_type: &'static str, text: &'static str) -> Response {
    let mut r = text.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

pub async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX)
}

pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

pub async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

/// The SPARQL 1.1 Service Description of the endpoint, in the negotiated RDF format: what it
/// speaks and its dataset, the default graph and each named graph (`graphs`) by name, so a
/// client can learn what `GRAPH` and `named-graph-uri` may name without a query.
pub fn service_description(
    iris: &Iris,
    headers: &HeaderMap,
    updates: bool,
    graphs: &[oxigraph::model::NamedNode],
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let endpoint = format!("http://{host}/sparql");
    let update = if updates {
        "    sd:supportedLanguage sd:SPARQL11Update ;\n"
    } else {
        ""
    };
    let turtle = format!(
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\
         @prefix void: <http://rdfs.org/ns/void#> .\n\
         [] a sd:Service ;\n\
         \x20   sd:endpoint <{endpoint}> ;\n\
         \x20   sd:supportedLanguage sd:SPARQL11Query ;\n{update}\
         \x20   sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>, <http://www.w3.org/ns/formats/SPARQL_Results_XML>, <http://www.w3.org/ns/formats/SPARQL_Results_CSV>, <http://www.w3.org/ns/formats/SPARQL_Results_TSV>, <http://www.w3.org/ns/formats/Turtle>, <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD>, <http://www.w3.org/ns/formats/RDF_XML> ;\n\
         \x20   sd:feature sd:BasicFederatedQuery ;\n\
         \x20   sd:defaultDataset [ a sd:Dataset ; void:uriSpace \"{base}\" ;\n\
         \x20       sd:defaultGraph [ a sd:Graph ]{named} ] .\n",
        base = iris.base(),
        named = graphs
            .iter()
            .map(|g| format!(" ;\n        sd:namedGraph [ a sd:NamedGraph ; sd:name <{}> ; sd:graph [ a sd:Graph ] ]", g.as_str()))
            .collect::<String>()
    );
    let format = match protocol::graph_format(None, headers) {
        Ok(f) => f,
        Err(r) => return r.into_response(),
    };
    let mut out = Vec::new();
    let mut serializer = oxigraph::io::RdfSerializer::from_format(format).for_writer(&mut out);
    for q in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .flatten()
    {
        if serializer.serialize_quad(&q).is_err() {
            break;
        }
    }
    let _ = serializer.finish();
    let mut r = out.into_response();
    if let Ok(v) = HeaderValue::from_str(format.media_type()) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}
