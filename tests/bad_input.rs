//! Every class of bad input gets one clear error naming the file, line and column (or the
//! field), a non-zero exit, and leaves the previous store answering as before.

mod common;
use common::{fictional_article, Brikg};

/// Builds the bundled data, then tries `bad` (bytes) as a second article file: the build must
/// fail with exactly `expected` after the file name, and the store must still answer as before.
fn refused_bytes(bad: &[u8], expected: &str) {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let before = brikg
        .run(&["query", "statistics", "--format", "tsv", "-q"])
        .ok()
        .stdout;
    let data = brikg.data_dir("data", &[]);
    let file = data.join("articles/new.toml");
    std::fs::write(&file, bad).unwrap();
    let out = brikg.run(&["build", "--data", data.to_str().unwrap()]);
    assert_eq!(out.code, 1, "accepted: {}", String::from_utf8_lossy(bad));
    let expected = expected.replace("<articles>", &data.join("articles").display().to_string());
    assert_eq!(out.stderr, format!("brikg: {}{expected}\n", file.display()));
    let after = brikg
        .run(&["query", "statistics", "--format", "tsv", "-q"])
        .ok()
        .stdout;
    assert_eq!(before, after, "the store changed after a failed build");
}

fn refused(bad: &str, expected: &str) {
    refused_bytes(bad.as_bytes(), expected);
}

fn with(old: &str, new: &str) -> String {
    let text = fictional_article();
    assert!(text.contains(old), "fixture lacks {old:?}");
    text.replacen(old, new, 1)
}

#[test]
fn a_wrong_type_is_refused() {
    refused(
        &with("paragraphs = 2", "paragraphs = \"two\""),
        ":16:14: invalid type: string \"two\", expected u32",
    );
}

#[test]
fn a_missing_required_field_is_refused() {
    refused(
        &with("kind = \"railway\"\n", ""),
        ":18:1: missing field `kind`",
    );
}

#[test]
fn an_unknown_enum_value_lists_the_right_ones() {
    refused(
        &with("comparator = \"at-least\"", "comparator = \"more-than\""),
        ":57:14: unknown variant `more-than`, expected one of `exactly`, `greater-than`, `at-least`, `less-than`, `at-most`, `approximately`",
    );
}

#[test]
fn a_non_numeric_count_is_refused() {
    refused(
        &with("value = 3\n", "value = \"3 documents\"\n"),
        ":76:9: observations[2].value: \"3 documents\" is not a number; write digits such as 217 or 1.5, without separators or units",
    );
}

#[test]
fn a_fractional_count_is_refused() {
    refused(
        &with("value = 3\n", "value = 3.5\n"),
        ":76:9: observations[2].value: a count must be a whole number, but 3.5 scales to 3.5; add a currency if it is money, a unit if it is measured (unit = \"km\")",
    );
}

#[test]
fn a_lower_case_country_code_gets_a_hint() {
    refused(
        &with("country = \"NO\"", "country = \"no\""),
        ":28:11: organizations[0].country: \"no\" is not an ISO 3166-1 alpha-2 country code; country codes are upper case: \"NO\"",
    );
}

#[test]
fn a_duplicate_observation_id_is_refused() {
    refused(
        &with("id = \"imaginary-value\"", "id = \"imaginary-trips\""),
        ":62:6: observations[1].id: duplicate id \"imaginary-trips\" among observations",
    );
}

#[test]
fn a_paragraph_out_of_range_is_refused() {
    refused(
        &with("source = { section = \"only-section\", paragraph = 2 }\n\n[[observations]]", "source = { section = \"only-section\", paragraph = 3 }\n\n[[observations]]"),
        ":49:50: agreements[0].source.paragraph: section \"only-section\" has paragraphs 1 to 2, not 3",
    );
}

#[test]
fn an_unknown_section_is_refused() {
    refused(
        &with("source = { section = \"only-section\", paragraph = 1 }\n\n[[organizations]]", "source = { section = \"intro\", paragraph = 1 }\n\n[[organizations]]"),
        ":23:22: entities[0].source.section: \"intro\" is not a section of this article (sections: only-section)",
    );
}

#[test]
fn an_impossible_month_is_refused() {
    refused(
        &with("as_of = \"2029-02\"", "as_of = \"2029-13\""),
        ":58:9: observations[0].as_of: \"2029-13\" is not a date: there is no month 13; write YYYY-MM-DD, YYYY-MM or YYYY",
    );
}

#[test]
fn a_bad_period_is_refused() {
    refused(
        &with("as_of = \"2029\"\nsource = { section = \"only-section\", paragraph = 2 }\n\n[[observations]]\nid = \"imaginary-countries\"", "period = \"ten years\"\nsource = { section = \"only-section\", paragraph = 2 }\n\n[[observations]]\nid = \"imaginary-countries\""),
        ":78:10: observations[2].period: \"ten years\" is not an ISO 8601 duration; write e.g. \"P10Y\" for ten years or \"P6M\" for six months",
    );
}

#[test]
fn an_invalid_id_is_refused() {
    refused(
        &with("id = \"imaginary-opening\"", "id = \"Imaginary Opening\""),
        ":91:6: events[0].id: \"Imaginary Opening\" is not a valid id; use lowercase letters, digits and single hyphens, e.g. \"cr-express\"",
    );
}

#[test]
fn a_non_utf8_file_is_refused_with_the_position_of_the_first_bad_byte() {
    let mut bytes = b"[article]\nid = \"x\"\ntitle = \"caf".to_vec();
    bytes.push(0xe9);
    bytes.extend_from_slice(b"\"\n");
    refused_bytes(
        &bytes,
        ":3:13: the file is not valid UTF-8; save it as UTF-8",
    );
}

#[test]
fn a_file_of_100_mb_is_refused_before_it_is_read() {
    let brikg = Brikg::new();
    brikg.run(&["build", "-q"]).ok();
    let data = brikg.data_dir("data", &[]);
    let file = data.join("articles/huge.toml");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let out = brikg.run(&["build", "--data", data.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: {}: the file is 100.0 MiB; an article file is at most 16 MiB (one article per file: split it)\n",
            file.display()
        )
    );
    brikg.run(&["query", "articles", "-q"]).ok();
}

#[test]
fn a_missing_data_directory_is_refused() {
    let brikg = Brikg::new();
    let missing = brikg.dir.path().join("nowhere");
    let out = brikg.run(&["build", "--data", missing.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: {}: no articles directory; a data directory holds articles/*.toml (see docs/data.md, \"Data files\")\n",
            missing.display()
        )
    );
}

#[test]
fn a_store_path_that_is_not_a_store_is_refused() {
    let brikg = Brikg::new();
    let not_a_store = brikg.dir.path().join("notes");
    std::fs::create_dir_all(&not_a_store).unwrap();
    std::fs::write(not_a_store.join("todo.txt"), "keep me").unwrap();
    let out = brikg.run(&[
        "query",
        "articles",
        "--store",
        not_a_store.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: store {}: exists but is not a brikg store; choose an empty or new directory with --store\n",
            not_a_store.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(not_a_store.join("todo.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn a_toml_syntax_error_is_refused_with_its_position() {
    refused(
        &with("paragraphs = 2", "paragraphs = = 2"),
        ":16:14: extra `=`, expected nothing",
    );
}

#[test]
fn an_unknown_field_is_refused() {
    refused(
        &with("located_in = [\"NO\"]", "located_in = [\"NO\"]\ncolour = \"red\""),
        ":23:1: unknown field `colour`, expected one of `id`, `kind`, `name`, `alt_names`, `located_in`, `established_by`, `country`, `standards`, `identifiers`, `source`",
    );
}

#[test]
fn an_unknown_country_code_is_refused_with_a_hint() {
    refused(
        &with("located_in = [\"NO\"]", "located_in = [\"NOR\"]"),
        ":22:15: entities[0].located_in[0]: \"NOR\" is not an ISO 3166-1 alpha-2 country code; \"NOR\" is the alpha-3 code of Norway, write \"NO\"",
    );
}

#[test]
fn an_impossible_date_is_refused() {
    refused(
        &with("date = \"2029-03-04\"", "date = \"2029-02-30\""),
        ":94:8: events[0].date: \"2029-02-30\" is not a date: 2029-02 has days 1 to 28; write YYYY-MM-DD, YYYY-MM or YYYY",
    );
}

#[test]
fn a_negative_figure_is_refused() {
    refused(
        &with("value = 3\n", "value = -3\n"),
        ":76:9: observations[2].value: -3 is negative; figures are reported magnitudes, 0 or more",
    );
}

#[test]
fn a_reference_to_nothing_is_refused() {
    refused(
        &with("about = \"imaginary-harbour-link\"", "about = \"imaginary-harbor-link\""),
        ":53:9: observations[0].about: \"imaginary-harbor-link\" is not the id of an entity, organization or agreement in this file, nor an ISO 3166-1 alpha-2 country code",
    );
}

#[test]
fn a_duplicate_article_id_is_refused() {
    refused(
        &with("id = \"fictional-test-article\"", "id = \"bri-practical-measure-2024\""),
        ":6:6: article.id: article id \"bri-practical-measure-2024\" is already used by <articles>/bri-practical-measure-2024.toml; each article needs its own id",
    );
}

#[test]
fn an_empty_file_is_refused() {
    refused(
        "\n",
        ": the file is empty; an article file needs at least an [article] table",
    );
}
