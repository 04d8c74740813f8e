//! The commands on the real corpus (`../shared/corpus`): `check` sees every file, and the
//! benchmark's replace changes exactly the text lines that hold the name. Skips with a
//! message when the corpus is absent. The corpus itself is only ever read: writes go to
//! copies in a temporary folder.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::PathBuf;

use common::*;

#[test]
fn check_over_the_corpus_reports_every_file() {
    let Some(corpus) = corpus() else { return };
    let run = cueline(&corpus, &["check", "."]);
    let last = run.stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("1368 files, "),
        "summary: {last}\n{}",
        run.stderr
    );
    assert_eq!(run.code, 0, "the corpus has no unparseable block: {last}");
    // pairs that disagree are information (50 lines, then how many more), before the summary
    let info: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("info: "))
        .collect();
    assert_eq!(info.len(), 51, "{info:#?}");
    for line in &info[..50] {
        let (pair, rest) = line["info: ".len()..].split_once(" disagree at ").unwrap();
        let (timed, txt) = pair.split_once(" and ").unwrap();
        assert_eq!(
            timed.strip_suffix(".vtt"),
            txt.strip_suffix(".txt"),
            "{line}"
        );
        assert!(
            rest.as_bytes()[2] == b':' && rest[8..].starts_with(": \""),
            "{line}"
        );
        assert!(rest.contains("\" vs \""), "{line}");
    }
    // 178 of the 558 pairs differ in their words (380 agree, 378 of them byte for byte as
    // the Talk Python export of the .vtt)
    assert_eq!(info[50], "info: 128 more pairs disagree");
    // every other line is a diagnostic of the documented form
    for line in run
        .stdout
        .lines()
        .filter(|l| *l != last && !l.starts_with("info: "))
    {
        let mut parts = line.splitn(3, ':');
        let (path, number, rest) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
        assert!(
            path.is_some_and(|p| p.ends_with(".vtt") || p.ends_with(".txt")),
            "{line}"
        );
        assert!(number.is_some_and(|n| n.parse::<usize>().is_ok()), "{line}");
        assert!(
            rest.starts_with(" warning: ") || rest.starts_with(" error: "),
            "{line}"
        );
    }
}

#[test]
fn a_dry_run_over_the_corpus_finds_the_44_files_and_writes_nothing() {
    let Some(corpus) = corpus() else { return };
    let run = cueline(
        &corpus,
        &[
            "replace",
            "--json",
            "--dry-run",
            "--word",
            "Matt Makai",
            "Matt McKay",
            ".",
        ],
    );
    run.expect_code(0);
    let last = run.stdout.lines().last().unwrap();
    assert_eq!(last, r#"{"replacements":46,"files":44,"dry_run":true}"#);
    assert_eq!(
        run.stdout.lines().count(),
        47,
        "one line per hit, then the summary"
    );
}

/// Files holding the name, from the corpus (sorted), and a few that do not.
fn sample(corpus: &std::path::Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut all: Vec<PathBuf> = fs::read_dir(corpus.join("transcripts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    all.sort();
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for p in all {
        let text = fs::read(&p).unwrap();
        let has = text.windows(10).any(|w| w == b"Matt Makai");
        if has && with.len() < 6 {
            with.push(p);
        } else if !has && without.len() < 2 {
            without.push(p);
        }
        if with.len() == 6 && without.len() == 2 {
            break;
        }
    }
    (with, without)
}

#[test]
fn replace_on_copies_of_episodes_changes_only_lines_holding_the_name() {
    let Some(corpus) = corpus() else { return };
    let (with, without) = sample(&corpus);
    assert_eq!(with.len(), 6, "expected episodes that mention Matt Makai");
    let dir = tempfile::tempdir().unwrap();
    let mut originals = Vec::new();
    for p in with.iter().chain(&without) {
        let name = p.file_name().unwrap().to_str().unwrap().to_owned();
        let bytes = fs::read(p).unwrap();
        fs::write(dir.path().join(&name), &bytes).unwrap();
        originals.push((name, String::from_utf8(bytes).unwrap()));
    }
    let run = cueline(
        dir.path(),
        &["replace", "--word", "Matt Makai", "Matt McKay", "."],
    );
    run.expect_code(0);
    let expected: usize = originals
        .iter()
        .map(|(_, t)| t.matches("Matt Makai").count())
        .sum();
    assert_eq!(run.stdout, format!("{expected} replacements in 6 files\n"));
    for (name, before) in &originals {
        let after = read(dir.path(), name);
        let changed = changed_lines(before, &after);
        let holding = before.lines().filter(|l| l.contains("Matt Makai")).count();
        assert_eq!(
            changed.len(),
            holding,
            "{name}: every line with the name changes"
        );
        for (n, old, new) in changed {
            assert!(
                old.contains("Matt Makai"),
                "{name}:{n} changed without a match"
            );
            assert_eq!(new, old.replace("Matt Makai", "Matt McKay"), "{name}:{n}");
        }
        assert_eq!(
            after.len(),
            before.len(),
            "{name}: the names have the same length"
        );
    }
}
