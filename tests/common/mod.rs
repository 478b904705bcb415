//! Runs the real `brikg` binary in a temporary directory, as a user would.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary workspace with its own store.
pub struct Brikg {
    pub dir: tempfile::TempDir,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with both streams unless the run succeeded.
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "brikg failed:\nstdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Brikg {
    pub fn new() -> Self {
        Brikg {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The default store of this workspace.
    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    /// A command with a clean environment: this workspace's store, the bundled data, the default base.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_brikg"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("BRIKG_DATA")
            .env_remove("BRIKG_BASE")
            .env("BRIKG_STORE", self.store())
            .stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        to_run(self.command(args).output().expect("run brikg"))
    }

    /// A data directory with the articles the first article never prepared us for: the
    /// repository's articles, the four fictional articles of `tests/fixtures/draft/` (a seaport
    /// in TEU and hectares, a hydropower plant in MW and GWh with a groundbreaking, loans in
    /// euros and yuan, an industrial park) and the curator's declarations of their kinds,
    /// event types and units (`tests/fixtures/open-model/vocabulary/`).
    pub fn open_model_dir(&self, name: &str) -> PathBuf {
        let articles: Vec<(String, String)> = OPEN_MODEL_ARTICLES
            .iter()
            .map(|f| {
                let path = repo().join("tests/fixtures/draft").join(f);
                (f.to_string(), std::fs::read_to_string(path).unwrap())
            })
            .collect();
        let extra: Vec<(&str, &str)> = articles
            .iter()
            .map(|(f, t)| (f.as_str(), t.as_str()))
            .collect();
        let dir = self.data_dir(name, &extra);
        let vocabulary = dir.join("vocabulary");
        std::fs::create_dir_all(&vocabulary).unwrap();
        std::fs::copy(
            repo().join("tests/fixtures/open-model/vocabulary/kinds.toml"),
            vocabulary.join("kinds.toml"),
        )
        .unwrap();
        dir
    }

    /// The open-model directory plus the two curated follow-ups of `tests/fixtures/follow-up/`,
    /// which reuse the fictional articles' things and measures, with the declarations they need.
    pub fn follow_up_dir(&self, name: &str) -> PathBuf {
        let data = self.open_model_dir(name);
        for file in FOLLOW_UP_ARTICLES {
            std::fs::copy(
                repo().join("tests/fixtures/follow-up").join(file),
                data.join("articles").join(file),
            )
            .unwrap();
        }
        std::fs::copy(
            repo().join("tests/fixtures/follow-up/vocabulary/kinds.toml"),
            data.join("vocabulary/follow-up.toml"),
        )
        .unwrap();
        data
    }

    /// A data directory holding the repository's articles plus `extra` article files.
    pub fn data_dir(&self, name: &str, extra: &[(&str, &str)]) -> PathBuf {
        let dir = self.dir.path().join(name);
        let articles = dir.join("articles");
        std::fs::create_dir_all(&articles).unwrap();
        for entry in std::fs::read_dir(repo().join("data/articles")).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, articles.join(path.file_name().unwrap())).unwrap();
        }
        for (file, text) in extra {
            std::fs::write(articles.join(file), text).unwrap();
        }
        dir
    }
}

pub fn to_run(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// The fictional articles about new kinds of things, units and event types.
pub const OPEN_MODEL_ARTICLES: [&str; 4] = [
    "jade-corridor-loans-2025.toml",
    "korvana-cascade-2024.toml",
    "nkalora-port-2025.toml",
    "xaylom-park-2026.toml",
];

/// The curated follow-ups of the fictional articles that the rules were written against (the
/// held-out ones are in `tests/fixtures/follow-up/heldout/`).
pub const FOLLOW_UP_ARTICLES: [&str; 2] = ["nkalora-port-2026.toml", "korvana-cascade-2025.toml"];

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The fictional second article.
pub fn fictional_article() -> String {
    std::fs::read_to_string(repo().join("tests/fixtures/fictional-article.toml")).unwrap()
}

/// The text with each line's trailing timing, such as ` (0.06 s, 38838 quads/s)`, removed, so
/// build summaries can be compared exactly.
pub fn without_timing(text: &str) -> String {
    text.lines()
        .map(|l| match l.rfind(" (") {
            Some(i) if l.ends_with(')') && l[i..].contains(" s") => &l[..i],
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Numbers of one row of `brikg draft --score --json`: the fields `names` of the object `key`.
pub fn score_numbers(json: &str, key: &str, names: &[&str]) -> Vec<u64> {
    let at = json
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("{key} in {json}"));
    let part = &json[at..];
    names
        .iter()
        .map(|name| {
            let i = part.find(&format!("\"{name}\":")).unwrap() + name.len() + 3;
            part[i..]
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect()
}
