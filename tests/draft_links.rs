//! `brikg draft` links an article to what the graph already holds: a follow-up's figures land on
//! the things and measures of the first article, the draft builds untouched, `history` then
//! shows both articles' figures; a batch's later articles reuse what its earlier ones minted;
//! a file a curator may have edited is never replaced unless asked; and the linking is scored
//! on follow-ups the rules never saw.

mod common;
use common::{repo, Brikg};
use std::path::PathBuf;

/// The first article, as the news site printed it.
const SEED: &str = "../shared/seed/article.txt";

/// The graph the follow-ups follow up on: the repository's article, the four fictional
/// articles of `tests/fixtures/draft/` and the declarations the follow-ups need.
fn graph(brikg: &Brikg) -> PathBuf {
    let data = brikg.open_model_dir("graph");
    std::fs::copy(
        repo().join("tests/fixtures/follow-up/vocabulary/kinds.toml"),
        data.join("vocabulary/follow-up.toml"),
    )
    .unwrap();
    data
}

fn follow_up(name: &str) -> String {
    repo()
        .join("tests/fixtures/follow-up")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_follow_up_drafts_onto_the_graphs_things_builds_untouched_and_history_shows_both() {
    let brikg = Brikg::new();
    let data = graph(&brikg);
    let d = data.to_str().unwrap();
    let draft = data.join("articles/nkalora-port-2026.toml");
    brikg
        .run(&[
            "--data",
            d,
            "draft",
            &follow_up("nkalora-port-2026.txt"),
            "-o",
            draft.to_str().unwrap(),
            "-q",
        ])
        .ok();
    let text = std::fs::read_to_string(&draft).unwrap();
    // The port is the graph's, with the reason beside it and the article's other name kept.
    assert!(
        text.contains(&format!(
            "# linked: \"Nkalora Deepwater Port\" is the name of \"nkalora-deepwater-port\" in {d}/articles/nkalora-port-2025.toml\n\
             [[entities]]\n\
             id = \"nkalora-deepwater-port\"\n\
             kind = \"seaport\"\n\
             name = \"Nkalora Deepwater Port\"\n\
             alt_names = [\"NDP\"]\n"
        )),
        "{text}"
    );
    // A port of the same town with another name stays a new thing.
    assert!(
        text.contains("id = \"nkalora-fishing-port\"\nkind = \"port\" # from the last word of its name: check\n"),
        "{text}"
    );
    brikg.run(&["--data", d, "build", "-q"]).ok();
    // Both articles' figure of one measure of the port, each with its source.
    let out = brikg
        .run(&[
            "--data",
            d,
            "query",
            "history",
            "--param",
            "subject=NDP",
            "--param",
            "measure=distance of the new fishing landing site from the port",
            "--format",
            "csv",
        ])
        .ok();
    assert_eq!(
        out.stdout.replace("\r\n", "\n"),
        "subject,measure,asOf,bound,value,unit,change,article,section,paragraph\n\
         Nkalora Deepwater Port,distance of the new fishing landing site from the port,,exactly,2,km,,nkalora-port-2025,5,1\n\
         Nkalora Deepwater Port,distance of the new fishing landing site from the port,,exactly,2,km,,nkalora-port-2026,5,2\n"
    );
}

#[test]
fn the_seed_drafted_against_the_bundled_graph_lands_on_its_things() {
    let brikg = Brikg::new();
    let seed = repo().join(SEED);
    let out = brikg.run(&["draft", seed.to_str().unwrap()]).ok().stdout;
    assert!(
        out.contains("about = \"cr-express\" # check\nmeasure = \"value-of-goods-transported\" # linked: see [measures]\nvalue = 340\n"),
        "{out}"
    );
}

#[test]
fn a_batch_reuses_what_its_earlier_articles_minted() {
    let brikg = Brikg::new();
    let out_dir = brikg.dir.path().join("drafts");
    let vocabulary = repo().join("tests/fixtures/open-model");
    brikg
        .run(&[
            "--data",
            vocabulary.to_str().unwrap(),
            "draft",
            &repo()
                .join("tests/fixtures/draft/nkalora-port-2025.txt")
                .to_string_lossy(),
            &follow_up("nkalora-port-2026.txt"),
            "-o",
            out_dir.to_str().unwrap(),
            "-q",
        ])
        .ok();
    let second = std::fs::read_to_string(out_dir.join("nkalora-port-2026.toml")).unwrap();
    assert!(
        second.contains(
            "# linked: \"Nkalora Deepwater Port\" is the name of \"nkalora-deepwater-port\" in nkalora-port-2025.txt, drafted earlier in this batch\n\
             [[entities]]\n\
             id = \"nkalora-deepwater-port\"\n"
        ),
        "{second}"
    );
}

#[test]
fn a_draft_never_replaces_a_file_unless_told_to() {
    let brikg = Brikg::new();
    let target = brikg.dir.path().join("reviewed.toml");
    std::fs::write(&target, "# reviewed by a curator\n").unwrap();
    let article = follow_up("nkalora-port-2026.txt");
    let out = brikg.run(&["draft", &article, "-o", target.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "brikg: {}: the file exists and may hold a curator's review; write the draft elsewhere, or add --force to replace it\n",
            target.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "# reviewed by a curator\n"
    );
    brikg
        .run(&[
            "draft",
            &article,
            "-o",
            target.to_str().unwrap(),
            "--force",
            "-q",
        ])
        .ok();
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("[[observations]]"));
    // Several articles go to a directory, never into one file.
    let out = brikg.run(&["draft", &article, &article, "-o", "one.toml"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "brikg: one.toml: several articles need -o DIR, a directory for their drafts, not a file\n"
        )
    );
    assert!(!brikg.dir.path().join("one.toml").exists());
}

/// One linking score of `brikg draft --score --json`: (part, whole).
fn part_of(json: &str, key: &str) -> (u64, u64) {
    let n = common::score_numbers(json, key, &["part", "of"]);
    (n[0], n[1])
}

/// The held-out follow-ups (`tests/fixtures/follow-up/heldout/`), written by someone who had
/// read neither the rules nor the tests, scored once when the linking rules were done (see the
/// README, "Drafting an article that follows up on others"). Pinned, misses included.
#[test]
fn held_out_follow_ups_link_as_measured() {
    let brikg = Brikg::new();
    let data = graph(&brikg);
    let mut totals = [(0, 0); 4];
    for (file, existing, right, measures, wrong) in [
        (
            "jade-corridor-fund-2026.html",
            (7, 10),
            (7, 7),
            (9, 17),
            (0, 2),
        ),
        ("xaylom-park-2027.txt", (2, 4), (2, 2), (10, 17), (0, 2)),
        (
            "nam-xaylom-hydropower-2026.txt",
            (4, 4),
            (4, 4),
            (10, 14),
            (0, 2),
        ),
        (
            "ilembo-rail-extension-2026.md",
            (5, 7),
            (5, 5),
            (4, 8),
            (0, 1),
        ),
    ] {
        let article = follow_up(&format!("heldout/{file}"));
        let key = article.rsplit_once('.').unwrap().0.to_owned() + ".toml";
        let json = brikg
            .run(&[
                "--data",
                data.to_str().unwrap(),
                "draft",
                &article,
                "--score",
                &key,
                "--json",
            ])
            .ok()
            .stdout;
        let got = [
            part_of(&json, "existing_things_linked"),
            part_of(&json, "links_right"),
            part_of(&json, "measures_linked"),
            part_of(&json, "new_things_wrongly_linked"),
        ];
        assert_eq!(got, [existing, right, measures, wrong], "{file}: {json}");
        for (t, g) in totals.iter_mut().zip(got) {
            t.0 += g.0;
            t.1 += g.1;
        }
    }
    // Over the four: 18 of 25 existing things linked (goal 0.90: missed), every link right,
    // 33 of 56 measures (goal 0.85: missed), no new thing linked to an existing one.
    assert_eq!(totals, [(18, 25), (18, 18), (33, 56), (0, 7)]);
}
