//! The README's first hour, run as a newcomer runs it: every `console` block's commands in
//! order, in a copy of the repository's data and fixtures, with a home directory of its own (so
//! the store is built where the README says), each printing exactly what the README shows.
//!
//! In a block, `$ ` starts a command and `> ` continues it; the lines up to the next command are
//! what it prints, stdout and stderr (in either order, as a terminal may interleave them). A line
//! `…` stands for any lines, and `…` within a line for any text: a path, a time.

mod common;

use common::repo;
use std::path::Path;
use std::process::Command;

/// One command of a block and what it prints.
struct Step {
    command: String,
    expected: Vec<String>,
}

fn steps(readme: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = !in_console && line == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: command.to_owned(),
                expected: Vec::new(),
            });
        } else if let Some(more) = line.strip_prefix("> ") {
            let step = steps.last_mut().expect("a command before its continuation");
            step.command.push('\n');
            step.command.push_str(more);
        } else {
            let step = steps.last_mut().expect("a command before its output");
            step.expected.push(line.to_owned());
        }
    }
    steps
}

/// Whether `line` is what `pattern` says, `…` matching any text.
fn line_matches(pattern: &str, line: &str) -> bool {
    if pattern == line {
        return true;
    }
    let parts: Vec<&str> = pattern.split('…').collect();
    if parts.len() == 1 {
        return false;
    }
    let mut rest = line;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(at) = rest.find(part) else {
                return false;
            };
            rest = &rest[at + part.len()..];
        }
    }
    true
}

/// Whether `lines` are what `patterns` say, a pattern line `…` matching any lines.
fn lines_match(patterns: &[String], lines: &[&str]) -> bool {
    match patterns.split_first() {
        None => lines.is_empty(),
        Some((p, rest)) if p == "…" => {
            (0..=lines.len()).any(|skip| lines_match(rest, &lines[skip..]))
        }
        Some((p, rest)) => {
            !lines.is_empty() && line_matches(p, lines[0]) && lines_match(rest, &lines[1..])
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn the_first_hour_prints_what_the_readme_says() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let steps = steps(&readme);
    assert!(steps.len() >= 15, "{} commands in the README", steps.len());
    let home = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("data"), &home.path().join("data"));
    copy_dir(
        &repo().join("tests/fixtures"),
        &home.path().join("tests/fixtures"),
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_brikg")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    for step in &steps {
        let mut command = Command::new("bash");
        command
            .arg("-c")
            .arg(&step.command)
            .current_dir(home.path())
            .env("HOME", home.path())
            .env("PATH", &path)
            .env_remove("XDG_DATA_HOME");
        for (key, _) in std::env::vars() {
            if key.starts_with("BRIKG_") {
                command.env_remove(key);
            }
        }
        let out = command.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let either = [
            stdout.lines().chain(stderr.lines()).collect::<Vec<_>>(),
            stderr.lines().chain(stdout.lines()).collect::<Vec<_>>(),
        ];
        assert!(
            either
                .iter()
                .any(|lines| lines_match(&step.expected, lines)),
            "README: `{}` printed\n{stdout}{stderr}\nwhere the README says\n{}",
            step.command,
            step.expected.join("\n")
        );
    }
}

#[test]
fn the_readme_counts_the_questions_there_are() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_brikg"))
        .arg("queries")
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with(' '))
        .count();
    assert!(
        readme.contains(&format!("`brikg queries` lists the {listed} questions")),
        "brikg queries lists {listed}"
    );
}

#[test]
fn wildcards_match_what_differs_and_nothing_else() {
    assert!(line_matches("built … (… s)", "built /tmp/x (0.5 s)"));
    assert!(!line_matches("built … (… s)", "built /tmp/x (0.5 ms"));
    assert!(!line_matches("exactly 217", "exactly 218"));
    let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(lines_match(&p(&["a", "…", "z"]), &["a", "b", "c", "z"]));
    assert!(lines_match(&p(&["a", "…", "z"]), &["a", "z"]));
    assert!(!lines_match(&p(&["a", "z"]), &["a", "b", "z"]));
}
