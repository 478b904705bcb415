//! A rebuild trusts what the file system says of a data file (size, modification time, inode),
//! as git's index does, hashes only the files whose stamp changed or had not settled, and
//! `brikg build --verify` reads every file.

mod common;
use common::{fictional_article, without_timing, Brikg};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A data directory of the repository's article and the fictional one, every file last modified
/// an hour ago (long settled).
fn settled_data(brikg: &Brikg) -> (String, PathBuf) {
    let dir = brikg.data_dir(
        "data",
        &[("fictional-test-article.toml", &fictional_article())],
    );
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for entry in std::fs::read_dir(dir.join("articles")).unwrap() {
        set_modified(&entry.unwrap().path(), an_hour_ago);
    }
    let article = dir.join("articles/fictional-test-article.toml");
    (dir.to_str().unwrap().to_owned(), article)
}

fn set_modified(path: &Path, time: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// Rewrites the article in place with one figure changed (same size) and its modification
/// time as it was, as a tool that restores times would.
fn edit_keeping_size_and_time(article: &Path, old: &str, new: &str) {
    assert_eq!(old.len(), new.len());
    let time = modified(article);
    let text = std::fs::read_to_string(article).unwrap();
    assert!(text.contains(old));
    std::fs::write(article, text.replacen(old, new, 1)).unwrap();
    set_modified(article, time);
}

fn up_to_date(brikg: &Brikg) -> String {
    format!(
        "brikg: {} is up to date (2 files, 3119 quads)\n",
        brikg.store().display()
    )
}

fn one_mapped(brikg: &Brikg) -> String {
    format!(
        "brikg: updated {}: 1 of 2 files mapped, 1 graph replaced, 0 removed, 3119 quads\n",
        brikg.store().display()
    )
}

#[test]
fn an_unchanged_stamp_is_trusted_and_verify_reads_every_file() {
    let brikg = Brikg::new();
    let (data, article) = settled_data(&brikg);
    brikg.run(&["build", "--data", &data, "-q"]).ok();

    edit_keeping_size_and_time(&article, "value = 3\n", "value = 4\n");
    let out = brikg.run(&["build", "--data", &data]).ok();
    assert_eq!(out.stderr, up_to_date(&brikg), "the stamp is trusted");

    let out = brikg.run(&["build", "--data", &data, "--verify"]).ok();
    assert_eq!(without_timing(&out.stderr), one_mapped(&brikg));
    let out = brikg
        .run(&["query", "standards-coverage", "--format", "csv", "-q"])
        .ok();
    assert!(
        out.stdout
            .contains("fictional-test-article,1,1,4,2029-12-31,complete list"),
        "{}",
        out.stdout
    );
    let out = brikg.run(&["build", "--data", &data, "--verify"]).ok();
    assert_eq!(out.stderr, up_to_date(&brikg));
}

#[test]
fn a_touched_file_is_not_mapped_again_and_its_new_stamp_is_trusted() {
    let brikg = Brikg::new();
    let (data, article) = settled_data(&brikg);
    brikg.run(&["build", "--data", &data, "-q"]).ok();

    set_modified(&article, SystemTime::now() - Duration::from_secs(1800));
    let out = brikg.run(&["build", "--data", &data]).ok();
    assert_eq!(out.stderr, up_to_date(&brikg), "read, found unchanged");

    // The new stamp was recorded: an edit that keeps it goes unseen without --verify.
    edit_keeping_size_and_time(&article, "value = 3\n", "value = 4\n");
    let out = brikg.run(&["build", "--data", &data]).ok();
    assert_eq!(out.stderr, up_to_date(&brikg));
    let out = brikg.run(&["build", "--data", &data, "--verify"]).ok();
    assert_eq!(without_timing(&out.stderr), one_mapped(&brikg));
}

#[test]
fn a_file_changed_in_the_clock_tick_of_a_build_is_read_again() {
    let brikg = Brikg::new();
    let (data, article) = settled_data(&brikg);
    // Saved just before the build: a second save within the same tick of the file system's
    // clock, after the build read it, would keep size and time.
    set_modified(&article, SystemTime::now());
    brikg.run(&["build", "--data", &data, "-q"]).ok();

    edit_keeping_size_and_time(&article, "value = 3\n", "value = 4\n");
    let out = brikg.run(&["build", "--data", &data]).ok();
    assert_eq!(without_timing(&out.stderr), one_mapped(&brikg));
}

#[test]
fn a_file_replaced_by_another_of_the_same_size_and_time_is_read_again() {
    let brikg = Brikg::new();
    let (data, article) = settled_data(&brikg);
    brikg.run(&["build", "--data", &data, "-q"]).ok();

    // As an editor saves: a new file renamed over the old one (another inode).
    let text = std::fs::read_to_string(&article)
        .unwrap()
        .replacen("value = 3\n", "value = 4\n", 1);
    let saved = article.with_extension("toml~");
    std::fs::write(&saved, text).unwrap();
    set_modified(&saved, modified(&article));
    std::fs::rename(&saved, &article).unwrap();
    let out = brikg.run(&["build", "--data", &data]).ok();
    assert_eq!(without_timing(&out.stderr), one_mapped(&brikg));
}
