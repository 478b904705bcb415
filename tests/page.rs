//! The page at `/` of `brikg serve` beyond its tables: the world map of an answer about
//! countries, the bars of an aggregate and figures read as words, checked in a real browser
//! (Debian's Chromium, headless, through `tests/engines/page_check.py`); and the page's size
//! budget, measured on what the server sends.

mod common;
mod server;

use common::{repo, Brikg};
use serde_json::json;
use server::{shots, Server};
use std::io::Write;

/// The most the page may weigh, gzip-compressed, with its map data: everything a browser loads
/// to show `/` and draw a map (measured: 46 KB in December 2026, the map data 27 KB of it).
const PAGE_BUDGET_GZIP: usize = 100 * 1024;

/// Status, content type and body of a GET.
fn get(url: &str) -> (u16, String, Vec<u8>) {
    let mut r = ureq::get(url)
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .unwrap();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status().as_u16(), ct, r.body_mut().read_to_vec().unwrap())
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(bytes).unwrap();
    z.finish().unwrap().len()
}

/// The rows of a bundled query's expected answer (`tests/expected/NAME.tsv`), without the header.
fn expected_rows(name: &str) -> Vec<Vec<String>> {
    let tsv = std::fs::read_to_string(repo().join(format!("tests/expected/{name}.tsv"))).unwrap();
    tsv.lines()
        .skip(1)
        .map(|l| {
            l.split('\t')
                .map(|c| c.split('"').nth(1).unwrap_or(c).to_owned())
                .collect()
        })
        .collect()
}

/// The heights the page must give the bars of a column: the answer's numbers over the largest,
/// times the 200 units of the plot, to a hundredth.
fn bar_heights(values: &[f64]) -> Vec<f64> {
    let max = values.iter().cloned().fold(0.0, f64::max);
    values
        .iter()
        .map(|v| (v / max * 200.0 * 100.0).round() / 100.0)
        .collect()
}

#[test]
fn the_page_draws_a_map_bars_and_readable_figures_in_a_real_browser() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    let shots = shots("page-screenshots");
    let page = server.in_browser("page_check", &shots, &[]);

    // The standards question: exactly its four countries filled, every other shape grey.
    assert_eq!(page["filled"], json!(["ET", "IT", "PK", "RU"]));
    assert_eq!(
        page["filled names"],
        json!(["Ethiopia", "Italy", "Pakistan", "Russia"])
    );
    assert_eq!(page["focusable"], page["filled"]);
    let world: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("web/world-110m.json")).unwrap())
            .unwrap();
    let shapes = world["countries"].as_object().unwrap().len()
        + world["unassigned"].as_array().unwrap().len();
    assert_eq!(page["grey"], shapes - 4);
    assert_ne!(page["fill in / out"][0], page["fill in / out"][1]);
    assert_eq!(page["legend"], " in the answer  not in the answer");
    assert!(page["attribution"]
        .as_str()
        .unwrap()
        .starts_with("Boundaries: Natural Earth 1:110m, via world-atlas 2.0.2 (ISC)."));
    assert_eq!(page["map download"], "standards-countries-map.svg");
    assert_eq!(
        page["map svg"],
        json!(["http://www.w3.org/2000/svg", 1, ["ET", "IT", "PK", "RU"]])
    );
    // Keyboard only: Tab reaches Italy, its name shows, Enter opens its page, as its code does in
    // the table.
    assert_eq!(page["readout"], "Italy");
    assert_eq!(
        page["italy page"],
        "#/resource?iri=https://w3id.org/brikg/id/country/IT"
    );
    assert_eq!(
        page["alpha2 link"],
        "#/resource?iri=https%3A%2F%2Fw3id.org%2Fbrikg%2Fid%2Fcountry%2FET"
    );
    // Countries by articles: every country of its answer on the map.
    let mut codes: Vec<String> = expected_rows("countries-by-articles")
        .into_iter()
        .map(|r| r[1].clone())
        .collect();
    codes.sort();
    assert_eq!(page["articles map"], json!(codes));

    // An aggregate: one bar per row, in the answer's order, heights from its numbers.
    let measures = expected_rows("figures-per-measure");
    let figures: Vec<f64> = measures.iter().map(|r| r[1].parse().unwrap()).collect();
    let bars = page["bars"].as_array().unwrap();
    assert_eq!(bars.len(), measures.len());
    for ((bar, row), height) in bars.iter().zip(&measures).zip(bar_heights(&figures)) {
        assert_eq!(
            bar[0],
            format!(
                "{}: figures {}, articles {} (the question figures-per-measure)",
                row[0], row[1], row[2]
            )
        );
        assert_eq!(bar[1], row[1]);
        assert_eq!(bar[2].as_str().unwrap().parse::<f64>().unwrap(), height);
    }
    assert_eq!(
        bars[0],
        json!([
            "documents signed: figures 2, articles 1 (the question figures-per-measure)",
            "2",
            "200"
        ])
    );
    assert_eq!(bars[1][2], "100");
    assert_eq!(page["bar caption"], "figures by measure");
    assert_eq!(page["bar axis labels"], json!(["figures", "measure"]));
    assert_eq!(page["bar download"], "figures-per-measure-figures.svg");
    assert_eq!(page["map on figures-per-measure"], false);
    let years: Vec<f64> = expected_rows("figures-per-year")
        .iter()
        .map(|r| r[1].parse().unwrap())
        .collect();
    let year_bars = page["year bars"].as_array().unwrap();
    assert_eq!(year_bars.len(), years.len());
    for ((bar, value), height) in year_bars.iter().zip(&years).zip(bar_heights(&years)) {
        assert_eq!(bar[0], value.to_string());
        assert_eq!(bar[1].as_str().unwrap().parse::<f64>().unwrap(), height);
    }
    assert_eq!(year_bars[0], json!(["1", "28.57"]));

    // Figures read as words, the exact value one hover or Tab away; the CSV keeps it exact.
    assert_eq!(
        page["figures"][1],
        json!([
            "more than US$340 billion",
            "exact: greater than 340,000,000,000 USD",
            0
        ])
    );
    assert_eq!(
        page["figures"][0],
        json!([
            "more than US$140 billion",
            "exact: greater than 140,000,000,000 USD",
            0
        ])
    );
    assert!(page["csv"]
        .as_str()
        .unwrap()
        .contains(",greater than,340000000000,USD,340,billion,"));
    assert_eq!(
        page["cr-express figures"],
        json!([
            ["25", "exact: exactly 25"],
            ["217", "exact: exactly 217"],
            [
                "more than US$340 billion",
                "exact: greater than 340,000,000,000 USD"
            ],
            ["more than 78,000", "exact: greater than 78,000"],
            ["more than 50,000", "exact: greater than 50,000"]
        ])
    );

    // A phone in dark mode: the map within the width, the grey of the dark scheme.
    assert_eq!(page["phone page width"], 375);
    assert!(page["phone map width"].as_u64().unwrap() <= 375);
    assert_eq!(page["dark fill out"], "rgb(57, 65, 73)");
    assert_eq!(page["errors"], json!([]));
    for shot in ["page-map.png", "page-bars.png", "phone-dark-map.png"] {
        assert!(shots.join(shot).exists(), "{shot}");
    }
}

/// Everything the page loads comes from the server (no CDN, no other host), and all of it,
/// map data included, stays under the budget once gzip-compressed.
#[test]
fn the_page_with_its_map_data_stays_under_its_size_budget() {
    let brikg = Brikg::new();
    let server = Server::start(&brikg, &[], &[]);
    let (status, _, index) = get(&server.url("/"));
    assert_eq!(status, 200);
    let index = String::from_utf8(index).unwrap();
    // Every file the page names: in the HTML (src, href) and in the script (fetches).
    let (_, _, script) = get(&server.url("/assets/app.js"));
    let script = String::from_utf8(script).unwrap();
    let mut assets: Vec<String> = [&index, &script]
        .iter()
        .flat_map(|text| text.split(['"', '\'', '`']))
        .filter(|s| s.starts_with("assets/") && !s.contains(' '))
        .map(str::to_owned)
        .collect();
    assets.sort();
    assets.dedup();
    assert_eq!(
        assets,
        [
            "assets/app.js",
            "assets/style.css",
            "assets/world-110m.json"
        ]
    );
    for text in [&index, &script] {
        assert!(
            !text.contains("src=\"http"),
            "a script or image from elsewhere"
        );
        assert!(
            !text.contains("href=\"http"),
            "a style sheet from elsewhere"
        );
        assert!(!text.contains("fetch('http"), "a fetch from elsewhere");
    }
    let mut total = gzip_len(index.as_bytes());
    let mut sizes = vec![format!("/: {}", gzip_len(index.as_bytes()))];
    for asset in &assets {
        let (status, content_type, body) = get(&server.url(&format!("/{asset}")));
        assert_eq!(status, 200, "{asset}");
        if asset.ends_with(".json") {
            assert_eq!(content_type, "application/json");
        }
        sizes.push(format!("{asset}: {}", gzip_len(&body)));
        total += gzip_len(&body);
    }
    eprintln!("page, gzip: {total} bytes ({})", sizes.join(", "));
    assert!(
        total <= PAGE_BUDGET_GZIP,
        "the page weighs {total} bytes gzip-compressed, over its budget of {PAGE_BUDGET_GZIP} ({})",
        sizes.join(", ")
    );
}

/// Over articles that report figures at several dates, in units and currencies: a thing's
/// figures draw a line over time, every figure reads as words (currency symbols, %, units,
/// bounds), and a free SPARQL answer whose cells are countries shades them by its number.
#[test]
fn figures_over_time_in_words_and_a_shaded_map_from_free_sparql() {
    let brikg = Brikg::new();
    let data = brikg.follow_up_dir("data");
    let server = Server::start(&brikg, &[], &[("BRIKG_DATA", data.to_str().unwrap())]);
    let shots = shots("page-screenshots");
    let page = server.in_browser("page_figures_check", &shots, &[]);
    assert_eq!(
        page["lines"],
        json!(["Nkalora Deepwater Port: container throughput (TEU)"])
    );
    assert_eq!(
        page["points"][0],
        json!([
            "2023-12-31: exactly 1,100,000 TEU (nkalora-port-2025, section 1, paragraph 1)",
            "2024-12-31: approximately 1,900,000 TEU (nkalora-port-2025, section 1, paragraph 1)",
            "2025-12-31: exactly 2,380,000 TEU (nkalora-port-2026, section 1, paragraph 1)",
            "2024-12-31: exactly 1,860,000 TEU (nkalora-port-2026, section 1, paragraph 2)",
            "2024-12-31: approximately 1,900,000 TEU (nkalora-port-2026, section 1, paragraph 2)"
        ])
    );
    assert_eq!(
        page["line download"],
        json!(["Nkalora-Deepwater-Port-container-throughput-TEU-.svg"])
    );
    // One row of every statistic for each way a figure can read.
    let figures = page["figures"].as_array().unwrap();
    let read = |subject: &str, measure: &str| -> Vec<serde_json::Value> {
        figures
            .iter()
            .filter(|r| r[0] == subject && r[1] == measure)
            .map(|r| json!([r[2], r[3]]))
            .collect()
    };
    let port = "Nkalora Deepwater Port";
    assert_eq!(
        read(port, "container throughput"),
        [
            json!(["1.1 million TEU", "exact: exactly 1,100,000 TEU"]),
            json!([
                "about 1.9 million TEU",
                "exact: approximately 1,900,000 TEU"
            ]),
            json!(["2.38 million TEU", "exact: exactly 2,380,000 TEU"]),
            json!(["1.86 million TEU", "exact: exactly 1,860,000 TEU"]),
            json!([
                "about 1.9 million TEU",
                "exact: approximately 1,900,000 TEU"
            ]),
        ]
    );
    assert_eq!(
        read(port, "share of Tanzanian citizens among direct employees"),
        [json!(["more than 85 %", "exact: greater than 85 %"])]
    );
    assert_eq!(
        read("loan for the Ras Hadra Desalination Plant", "interest rate"),
        [json!(["2.5 %", "exact: exactly 2.5 %"])]
    );
    assert_eq!(
        read("loan for the Nyakora Expressway", "loan amount"),
        [
            json!(["CN¥2.4 billion", "exact: exactly 2,400,000,000 CNY"]),
            json!([
                "about US$330 million",
                "exact: approximately 330,000,000 USD"
            ]),
        ]
    );
    assert_eq!(
        read(
            "memorandums of understanding on infrastructure finance",
            "new lending"
        ),
        [json!([
            "at most US$5 billion",
            "exact: at most 5,000,000,000 USD"
        ])]
    );
    assert_eq!(
        read("Korvana Solar", "total cost"),
        [json!(["€48 million", "exact: exactly 48,000,000 EUR"])]
    );
    assert_eq!(
        read("Korvana Cascade", "reservoir area")[0],
        json!(["14.5 km2", "exact: exactly 14.5 km2"])
    );
    // The free SPARQL answer: each country shaded by its share of the answer's range, from
    // 0.25 (the fewest) to 1 (the most), as its CSV download says.
    let counts: Vec<(String, f64)> = page["csv"]
        .as_str()
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let (iri, n) = l.split_once(',').unwrap();
            (
                iri.rsplit('/').next().unwrap().to_owned(),
                n.parse().unwrap(),
            )
        })
        .collect();
    assert!(counts.len() >= 10, "{counts:?}");
    let (lo, hi) = counts
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, n)| {
            (lo.min(*n), hi.max(*n))
        });
    let expected: serde_json::Map<String, serde_json::Value> = counts
        .iter()
        .map(|(code, n)| {
            let t = 0.25 + 0.75 * (n - lo) / (hi - lo);
            (code.clone(), json!(format!("{t:.3}")))
        })
        .collect();
    assert_eq!(page["shades"], serde_json::Value::Object(expected));
    assert_eq!(page["shades"]["TZ"], "1.000");
    assert_eq!(page["shades"]["HR"], "0.250");
    assert!(page["labels"]
        .as_array()
        .unwrap()
        .contains(&json!("Tanzania: things 11")));
    assert_eq!(page["legend"], "things: 1  11  not in the answer");
    assert_eq!(page["bars"], counts.len());
    // Singapore has no shape at 1:110m: China is filled, Singapore named under the map.
    assert_eq!(page["small filled"], json!(["CN"]));
    assert_eq!(
        page["small missing"],
        "Too small for this map: Singapore (in the table)."
    );
    assert_eq!(page["errors"], json!([]));
}

/// A long answer is drawn a page of 100 rows at a time, with which rows of how many it shows,
/// in the answer's order, moved through by its buttons (the downloads keep every row).
#[test]
fn a_long_answer_is_drawn_a_page_at_a_time_with_the_total() {
    let brikg = Brikg::new();
    let query = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n\
                 PREFIX brikg: <https://w3id.org/brikg/ontology#>\n\
                 SELECT ?name WHERE { GRAPH ?r { ?c a brikg:Country ; skos:prefLabel ?name \
                 FILTER (LANG(?name) = \"en\") } } ORDER BY ?name";
    brikg.run(&["build", "-q"]).ok();
    let tsv = brikg
        .run(&["query", "-q", "--format", "tsv", "--sparql", query])
        .ok()
        .stdout;
    let names: Vec<String> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('"').nth(1).unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 249);
    let server = Server::start(&brikg, &[], &[]);
    let shots = shots("page-screenshots");
    let page = server.in_browser("page_pages_check", &shots, &[query]);
    let seen = |step: &str, range: &str, rows: std::ops::Range<usize>, disabled: &[&str]| {
        assert_eq!(page[step]["range"], range, "{step}");
        assert_eq!(page[step]["rows"], json!(names[rows]), "{step}");
        assert_eq!(page[step]["disabled"], json!(disabled), "{step}");
        assert_eq!(page[step]["count"], "249 rows", "{step}");
    };
    seen(
        "first",
        "Rows 1–100 of 249",
        0..100,
        &["First page", "Previous page"],
    );
    assert_eq!(page["first"]["status"], "249 rows");
    seen("next", "Rows 101–200 of 249", 100..200, &[]);
    assert_eq!(page["next"]["status"], "Rows 101–200 of 249");
    seen(
        "last",
        "Rows 201–249 of 249",
        200..249,
        &["Next page", "Last page"],
    );
    seen("previous", "Rows 101–200 of 249", 100..200, &[]);
    seen(
        "back to first",
        "Rows 1–100 of 249",
        0..100,
        &["First page", "Previous page"],
    );
    assert_eq!(page["errors"], json!([]));
}
