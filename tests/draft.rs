//! `brikg draft`: an article's text becomes a data file that builds untouched, and its facts are
//! scored against the curated files, as the README's curator workflow shows.

mod common;

use common::{repo, Brikg};

const SEED: &str = "../shared/seed/article.txt";

/// The fictional fixture articles, each with its curated answer key (`.toml` of the same name).
const FIXTURES: [&str; 4] = [
    "nkalora-port-2025.txt",
    "korvana-cascade-2024.md",
    "jade-corridor-loans-2025.html",
    "xaylom-park-2026.txt",
];

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures/draft")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn seed() -> String {
    repo().join(SEED).to_string_lossy().into_owned()
}

/// The curator's declarations the fixtures' answer keys use (event types such as
/// `grid-connection`): a curator drafts with their own data directory.
fn vocabulary_dir() -> String {
    repo()
        .join("tests/fixtures/open-model")
        .to_string_lossy()
        .into_owned()
}

fn score_json(brikg: &Brikg, data: Option<&str>, article: &str, curated: &str) -> String {
    let mut args = Vec::new();
    if let Some(d) = data {
        args.extend(["--data", d]);
    }
    args.extend(["draft", article, "--score", curated, "--json"]);
    brikg.run(&args).ok().stdout
}

/// One row of the JSON score: matched, drafted, curated.
fn counts(json: &str, key: &str) -> (u64, u64, u64) {
    let n = common::score_numbers(json, key, &["matched", "drafted", "curated"]);
    (n[0], n[1], n[2])
}

#[test]
fn the_seed_article_drafts_every_figure_of_its_curated_file() {
    let brikg = Brikg::new();
    let curated = repo().join("data/articles/bri-practical-measure-2024.toml");
    // Drafted as the first article: with a data directory that holds no article, so nothing
    // is linked (the bundled data holds the seed itself, and would give the answers away).
    let json = score_json(
        &brikg,
        Some(&vocabulary_dir()),
        &seed(),
        curated.to_str().unwrap(),
    );
    for key in [
        "figure_value",
        "value_comparator",
        "value_currency_or_unit",
        "value_reference_date",
    ] {
        assert_eq!(counts(&json, key), (14, 14, 14), "{key}");
    }
    // Indonesia is only implied (the Jakarta-Bandung railway), never named.
    assert_eq!(counts(&json, "countries"), (5, 5, 6));
    assert_eq!(counts(&json, "events"), (2, 2, 2));
    assert!(
        json.contains("\"about_right\":{\"share\":0.7143,\"right\":10,\"of\":14}"),
        "{json}"
    );
}

#[test]
fn fixtures_in_text_markdown_and_html_score_as_measured() {
    let brikg = Brikg::new();
    // (article, figure, +comparator, +currency/unit, +date, countries, events, about right)
    type Row = (
        usize,
        (u64, u64, u64),
        u64,
        u64,
        u64,
        (u64, u64, u64),
        (u64, u64, u64),
        u64,
    );
    let expected: [Row; 4] = [
        (0, (22, 22, 22), 22, 22, 22, (6, 6, 6), (3, 3, 3), 13),
        (1, (17, 17, 17), 17, 17, 16, (4, 4, 4), (4, 4, 4), 15),
        (2, (16, 16, 16), 15, 16, 15, (5, 5, 5), (2, 2, 2), 7),
        (3, (14, 14, 14), 14, 14, 12, (9, 9, 9), (2, 2, 2), 11),
    ];
    for (i, figure, comparator, unit, date, countries, events, about) in expected {
        let name = FIXTURES[i];
        let key = fixture(&format!("{}.toml", name.rsplit_once('.').unwrap().0));
        let json = score_json(&brikg, Some(&vocabulary_dir()), &fixture(name), &key);
        assert_eq!(counts(&json, "figure_value"), figure, "{name}");
        assert_eq!(counts(&json, "value_comparator").0, comparator, "{name}");
        assert_eq!(counts(&json, "value_currency_or_unit").0, unit, "{name}");
        assert_eq!(counts(&json, "value_reference_date").0, date, "{name}");
        assert_eq!(counts(&json, "countries"), countries, "{name}");
        assert_eq!(counts(&json, "events"), events, "{name}");
        assert!(
            json.contains(&format!("\"right\":{about},")),
            "{name}: about right {about}: {json}"
        );
    }
}

/// The held-out article (`tests/fixtures/draft/heldout/`): its text and answer key were written
/// by someone else and not read by whoever wrote the rules until this score was taken; the
/// rules have not changed since. Below two goals of the issue: the reference date (0.824) and
/// `about` (0.500); see the README, "What the draft gets wrong".
#[test]
fn the_held_out_article_scores_as_first_measured() {
    let brikg = Brikg::new();
    let article = fixture("heldout/gobi-meridian-pipeline-2026.txt");
    let key = fixture("heldout/gobi-meridian-pipeline-2026.toml");
    let json = score_json(&brikg, Some(&vocabulary_dir()), &article, &key);
    assert_eq!(counts(&json, "figure_value"), (16, 17, 17));
    assert_eq!(counts(&json, "value_comparator"), (16, 17, 17));
    assert_eq!(counts(&json, "value_currency_or_unit"), (16, 17, 17));
    assert_eq!(counts(&json, "value_reference_date"), (14, 17, 17));
    assert_eq!(counts(&json, "countries"), (3, 3, 3));
    assert_eq!(counts(&json, "events"), (3, 3, 4));
    assert!(
        json.contains("\"about_right\":{\"share\":0.5000,\"right\":8,\"of\":16}"),
        "{json}"
    );
}

/// The second held-out article (`tests/fixtures/draft/heldout/tavolga-solar-rail-2026.html`, a
/// saved news page): written by someone who had not read the rules, after they were last changed,
/// and scored once as it stands here.
#[test]
fn the_second_held_out_article_scores_as_first_measured() {
    let brikg = Brikg::new();
    let article = fixture("heldout/tavolga-solar-rail-2026.html");
    let key = fixture("heldout/tavolga-solar-rail-2026.toml");
    let json = score_json(&brikg, Some(&vocabulary_dir()), &article, &key);
    assert_eq!(counts(&json, "figure_value"), (22, 23, 23));
    assert_eq!(counts(&json, "value_comparator"), (22, 23, 23));
    assert_eq!(counts(&json, "value_currency_or_unit"), (22, 23, 23));
    assert_eq!(counts(&json, "value_reference_date"), (22, 23, 23));
    assert_eq!(counts(&json, "countries"), (5, 5, 5));
    assert_eq!(counts(&json, "events"), (7, 7, 7));
    assert!(
        json.contains("\"about_right\":{\"share\":0.5000,\"right\":11,\"of\":22}"),
        "{json}"
    );
}

/// The third held-out article (`tests/fixtures/draft/heldout/mwelandu-water-2026.md`, Markdown),
/// written like the second and scored once as it stands here, with the rules unchanged. Two rule
/// changes suggested by the first two held-out articles (more words that end a name, a section's
/// subject carried over to its later paragraphs) lowered its `about` score from 13 to 10 of 24,
/// and were not kept.
#[test]
fn the_third_held_out_article_scores_as_first_measured() {
    let brikg = Brikg::new();
    let article = fixture("heldout/mwelandu-water-2026.md");
    let key = fixture("heldout/mwelandu-water-2026.toml");
    let json = score_json(&brikg, Some(&vocabulary_dir()), &article, &key);
    assert_eq!(counts(&json, "figure_value"), (24, 25, 24));
    assert_eq!(counts(&json, "value_comparator"), (24, 25, 24));
    assert_eq!(counts(&json, "value_currency_or_unit"), (23, 25, 24));
    assert_eq!(counts(&json, "value_reference_date"), (23, 25, 24));
    assert_eq!(counts(&json, "countries"), (5, 5, 5));
    assert_eq!(counts(&json, "events"), (6, 6, 7));
    assert!(
        json.contains("\"about_right\":{\"share\":0.5417,\"right\":13,\"of\":24}"),
        "{json}"
    );
}

#[test]
fn an_untouched_draft_builds_and_answers_queries() {
    let brikg = Brikg::new();
    for (article, data) in [
        (seed(), None),
        (fixture(FIXTURES[0]), None),
        (fixture(FIXTURES[1]), Some(vocabulary_dir())),
        (fixture(FIXTURES[2]), None),
        (fixture(FIXTURES[3]), None),
        (
            fixture("heldout/gobi-meridian-pipeline-2026.txt"),
            Some(vocabulary_dir()),
        ),
        (
            fixture("heldout/tavolga-solar-rail-2026.html"),
            Some(vocabulary_dir()),
        ),
        (
            fixture("heldout/mwelandu-water-2026.md"),
            Some(vocabulary_dir()),
        ),
    ] {
        let dir = brikg.dir.path().join("drafted");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("articles")).unwrap();
        if data.is_some() {
            std::fs::create_dir_all(dir.join("vocabulary")).unwrap();
            std::fs::copy(
                repo().join("tests/fixtures/open-model/vocabulary/kinds.toml"),
                dir.join("vocabulary/kinds.toml"),
            )
            .unwrap();
        }
        let draft = dir.join("articles/draft.toml");
        let d = dir.to_str().unwrap();
        brikg
            .run(&[
                "--data",
                d,
                "draft",
                &article,
                "-o",
                draft.to_str().unwrap(),
                "-q",
            ])
            .ok();
        let store = brikg.dir.path().join("drafted-store");
        let _ = std::fs::remove_dir_all(&store);
        let s = store.to_str().unwrap();
        brikg.run(&["--data", d, "--store", s, "build", "-q"]).ok();
        let out = brikg
            .run(&["--store", s, "query", "statistics", "--format", "tsv", "-q"])
            .ok();
        let text = std::fs::read_to_string(&draft).unwrap();
        let drafted = text.matches("\n[[observations]]").count();
        assert_eq!(out.stdout.lines().count(), drafted + 1, "{article}");
    }
}

#[test]
fn drafts_are_deterministic_and_quote_a_few_words_never_a_sentence() {
    let brikg = Brikg::new();
    for article in FIXTURES.iter().map(|f| fixture(f)).chain([seed()]) {
        let first = brikg.run(&["draft", &article]).ok().stdout;
        let second = brikg.run(&["draft", &article]).ok().stdout;
        assert_eq!(first, second, "{article}");
        for line in first.lines().filter(|l| l.starts_with("# \"")) {
            let words = line.split_whitespace().filter(|w| *w != "…").count() - 1;
            assert!(words <= 8, "{article}: {line}");
        }
    }
}

#[test]
fn the_draft_of_the_seed_reads_like_its_curated_file() {
    let brikg = Brikg::new();
    let out = brikg
        .run(&["--data", &vocabulary_dir(), "draft", &seed()])
        .ok()
        .stdout;
    let block = |needle: &str| -> String {
        let at = out
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in\n{out}"));
        let start = out[..at].rfind("\n\n").unwrap() + 2;
        let end = out[at..].find("\n\n").map_or(out.len(), |e| at + e);
        out[start..end].trim_end().to_owned()
    };
    assert_eq!(
        block("value = 340"),
        "# \"total value of more than US$340 billion\"\n\
         [[observations]]\n\
         id = \"china-railway-express-total-value\"\n\
         about = \"china-railway-express\" # check\n\
         measure = \"china-railway-express-total-value\" # check\n\
         value = 340\n\
         scale = \"billion\"\n\
         currency = \"USD\"\n\
         comparator = \"greater-than\"\n\
         as_of = \"2023-09\"\n\
         source = { section = \"promoted-market-connectivity\", paragraph = 1 }"
    );
    assert!(out.contains("\n# countries: CN, ET, IT, PK, RU\n"), "{out}");
    assert!(
        out.contains("\nauthors = [\"Qiu Ping\"]\nmodified = \"2024-02-18\"\n"),
        "{out}"
    );
    assert_eq!(
        block("kind = \"start-of-operation\""),
        "# \"put into operation in October 2023, has become\"\n\
         [[events]]\n\
         id = \"jakarta-bandung-high-speed-railway-start-of-operation\"\n\
         kind = \"start-of-operation\"\n\
         subject = \"jakarta-bandung-high-speed-railway\" # check\n\
         date = \"2023-10\"\n\
         source = { section = \"promoted-rules-based-connectivity\", paragraph = 1 }"
    );
}

#[test]
fn bad_input_gets_one_clear_error() {
    let brikg = Brikg::new();
    let out = brikg.run(&["draft", "missing.txt"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: missing.txt: No such file or directory (os error 2)\n"
    );
    std::fs::write(brikg.dir.path().join("bad.toml"), "[article]\nid = [\n").unwrap();
    let out = brikg.run(&["draft", &seed(), "--score", "bad.toml"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: bad.toml:2:7: unclosed array, expected `]`\n"
    );
    let out = brikg.run(&["draft", &seed(), &fixture(FIXTURES[0])]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "brikg: several articles need -o DIR, a directory for their drafts\n"
    );
}

#[test]
fn several_articles_draft_into_a_directory_on_every_core() {
    let brikg = Brikg::new();
    let out = brikg
        .run(&[
            "draft",
            &fixture(FIXTURES[0]),
            &fixture(FIXTURES[2]),
            &seed(),
            "-o",
            "drafts",
        ])
        .ok();
    assert_eq!(
        out.stderr,
        "brikg: drafted 3 articles: 52 figures, 7 events to review\n"
    );
    let mut names: Vec<String> = std::fs::read_dir(brikg.dir.path().join("drafts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "article.toml",
            "jade-corridor-loans-2025.toml",
            "nkalora-port-2025.toml"
        ]
    );
}

#[test]
fn a_draft_written_to_a_file_is_the_article_its_name_says_and_says_so() {
    let brikg = Brikg::new();
    let data = brikg.data_dir("data", &[]);
    let file = data.join("articles/nkalora-port-2025.toml");
    let out = brikg
        .run(&[
            "draft",
            &fixture("nkalora-port-2025.txt"),
            "-o",
            file.to_str().unwrap(),
        ])
        .ok();
    assert_eq!(
        out.stderr,
        "brikg: drafted article nkalora-port-2025: 22 figures, 3 events to review\n"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\n[article]\nid = \"nkalora-port-2025\"\n"),
        "{text}"
    );
}
