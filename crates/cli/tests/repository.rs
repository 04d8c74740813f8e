//! Repository mode from the command line, on copies of the fixture project the repository
//! crate keeps (`crates/repository/tests/fixtures/project`: a `.vtt`/`.txt` pair, an SRT and
//! `.cueline/glossary.toml`): `glossary check` and `glossary apply` with their exit codes,
//! `replace --pairs`, and the pair information of `check`.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../repository/tests/fixtures/project")
}

/// A temporary copy of the fixture project.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(&fixture(), dir.path());
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &dest);
        } else {
            // writable like a checkout, even where the source is read-only
            std::fs::write(dest, std::fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

const HITS: &str = "\
episode.txt:1: Matt McKay -> Matt Makai (guest, Full Stack Python)
episode.txt:3: Langchain -> LangChain
episode.txt:3: Cloud Code -> Claude Code
episode.txt:3: rough -> ruff (the linter)
episode.txt:3: rough -> ruff (the linter)
episode.txt:5: rough -> ruff (the linter)
episode.txt:5: Matt McKay -> Matt Makai (guest, Full Stack Python)
episode.txt:7: Matt McKay -> Matt Makai (guest, Full Stack Python)
episode.vtt:7: Matt McKay -> Matt Makai (guest, Full Stack Python)
episode.vtt:10: Langchain -> LangChain
episode.vtt:10: Cloud Code -> Claude Code
episode.vtt:14: rough -> ruff (the linter)
episode.vtt:14: rough -> ruff (the linter)
episode.vtt:17: rough -> ruff (the linter)
episode.vtt:17: Matt McKay -> Matt Makai (guest, Full Stack Python)
episode.vtt:20: Matt McKay -> Matt Makai (guest, Full Stack Python)
solo.srt:3: Matt McKay -> Matt Makai (guest, Full Stack Python)
17 glossary hits in 3 files
";

#[test]
fn glossary_check_lists_every_hit_and_exits_1() {
    let dir = project();
    let run = cueline(
        dir.path(),
        &[
            "glossary",
            "check",
            "episode.txt",
            "episode.vtt",
            "solo.srt",
        ],
    );
    run.expect_code(1);
    assert_eq!(run.stdout, HITS);
    assert_eq!(run.stderr, "");
    // a folder walks like `check`; paths print as walked
    let run = cueline(dir.path(), &["glossary", "check", "."]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        HITS.replace("episode.", "./episode.")
            .replace("solo.", "./solo.")
    );
}

#[test]
fn glossary_check_exits_0_without_hits() {
    let dir = project();
    std::fs::write(
        dir.path().join("episode.vtt"),
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAll fine: LangChain, Claude Code, ruff.\n",
    )
    .unwrap();
    let run = cueline(dir.path(), &["glossary", "check", "episode.vtt"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "0 glossary hits in 0 files\n");
}

#[test]
fn the_glossary_is_found_above_the_paths_or_named() {
    let dir = project();
    std::fs::create_dir_all(dir.path().join("deep/er")).unwrap();
    std::fs::copy(
        dir.path().join("solo.srt"),
        dir.path().join("deep/er/solo.srt"),
    )
    .unwrap();
    let run = cueline(&dir.path().join("deep"), &["glossary", "check", "er"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "er/solo.srt:3: Matt McKay -> Matt Makai (guest, Full Stack Python)\n1 glossary hits in 1 files\n"
    );
    // another glossary by name
    let other = folder(&[(
        "g.toml",
        "[[entry]]\nwrong = \"Nothing\"\nright = \"Everything\"\n",
    )]);
    let g = other.path().join("g.toml");
    let run = cueline(
        dir.path(),
        &[
            "glossary",
            "check",
            "--glossary",
            g.to_str().unwrap(),
            "solo.srt",
        ],
    );
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "solo.srt:7: Nothing -> Everything\n1 glossary hits in 1 files\n"
    );
    // none at all
    let bare = folder(&[("a.vtt", VTT)]);
    let run = cueline(bare.path(), &["glossary", "check", "a.vtt"]);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "cueline: a.vtt: no .cueline/glossary.toml in its folder or above (name one with --glossary FILE)\n"
    );
}

#[test]
fn a_bad_glossary_or_path_exits_2_and_names_the_line() {
    let dir = project();
    std::fs::write(
        dir.path().join(".cueline/glossary.toml"),
        "[[entry]]\nwrong = \"(\"\nright = \"x\"\nregex = true\n",
    )
    .unwrap();
    let before = snapshot(dir.path());
    for cmd in ["check", "apply"] {
        let run = cueline(dir.path(), &["glossary", cmd, "."]);
        run.expect_code(2);
        assert!(
            run.stderr.starts_with("cueline: ")
                && run
                    .stderr
                    .contains(".cueline/glossary.toml:2:9: invalid regular expression"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(snapshot(dir.path()), before);
    let dir = project();
    let run = cueline(dir.path(), &["glossary", "check", "missing.vtt"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("missing.vtt: cannot read"),
        "{}",
        run.stderr
    );
    cueline(dir.path(), &["glossary", "check"]).expect_code(2);
    cueline(dir.path(), &["glossary"]).expect_code(2);
}

#[test]
fn glossary_apply_fixes_every_hit_in_both_files_of_the_pair_and_nothing_else() {
    let dir = project();
    let before = snapshot(dir.path());
    // naming only the .vtt: its .txt is fixed through the pair, the SRT is not named
    let run = cueline(dir.path(), &["glossary", "apply", "episode.vtt"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "16 replacements in 2 files\n");
    let after = snapshot(dir.path());
    assert_eq!(after[Path::new("solo.srt")], before[Path::new("solo.srt")]);
    for (name, lines) in [
        ("episode.vtt", vec![7, 10, 14, 17, 20]),
        ("episode.txt", vec![1, 3, 5, 7]),
    ] {
        let b = String::from_utf8(before[Path::new(name)].clone()).unwrap();
        let a = String::from_utf8(after[Path::new(name)].clone()).unwrap();
        let changed: Vec<usize> = changed_lines(&b, &a).iter().map(|c| c.0).collect();
        assert_eq!(changed, lines, "{name}");
    }
    assert!(read(dir.path(), "episode.txt").contains(
        "We talk about LangChain and Claude Code. First: uv tool install ruff, then run ruff."
    ));
    let run = cueline(dir.path(), &["glossary", "check", "."]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "./solo.srt:3: Matt McKay -> Matt Makai (guest, Full Stack Python)\n1 glossary hits in 1 files\n"
    );
    cueline(dir.path(), &["glossary", "apply", "."]).expect_code(0);
    cueline(dir.path(), &["glossary", "check", "."]).expect_code(0);
}

#[test]
fn glossary_apply_with_an_invalid_fix_exits_1_and_writes_nothing() {
    let dir = project();
    std::fs::write(
        dir.path().join(".cueline/glossary.toml"),
        "[[entry]]\nwrong = \"Matt McKay\"\nright = \"Matt\\nMakai\"\n",
    )
    .unwrap();
    let before = snapshot(dir.path());
    let run = cueline(dir.path(), &["glossary", "apply", "."]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("cannot replace in cue 0: invalid text: a TXT entry is one line"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("cueline: nothing was written\n"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn replace_pairs_fixes_the_matching_span_of_the_other_file() {
    let dir = project();
    let run = cueline(
        dir.path(),
        &[
            "replace",
            "--pairs",
            "--dry-run",
            "--word",
            "rough",
            "ruff",
            "episode.vtt",
        ],
    );
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "episode.txt:3: 00:00:04.000 We talk about Langchain and Cloud Code. First: uv tool install [-rough-]{+ruff+}, then run [-rough-]{+ruff+}.\n\
         episode.txt:5: 00:00:09.000 Through the roughly [-rough-]{+ruff+} parts, 🎉 Matt McKay agrees.\n\
         episode.vtt:14: 00:00:06.500 First: uv tool install [-rough-]{+ruff+}, then run [-rough-]{+ruff+}.\n\
         episode.vtt:17: 00:00:09.000 Through the roughly [-rough-]{+ruff+} parts, 🎉 Matt McKay agrees.\n\
         6 replacements in 2 files (dry run: nothing written)\n"
    );
    let run = cueline(
        dir.path(),
        &[
            "replace",
            "--pairs",
            "--json",
            "--dry-run",
            "-w",
            "Matt McKay",
            "Matt Makai",
            "episode.txt",
        ],
    );
    run.expect_code(0);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[0]["path"], "episode.txt");
    assert_eq!(lines[0]["pair"], "episode.vtt:7");
    assert_eq!(lines[3]["path"], "episode.vtt");
    assert_eq!(lines[3]["pair"], "episode.txt:1");
    assert_eq!(
        lines[6],
        serde_json::json!({"replacements": 6, "files": 2, "dry_run": true})
    );

    let before = snapshot(dir.path());
    let run = cueline(
        dir.path(),
        &["replace", "-p", "-w", "rough", "ruff", "episode.txt"],
    );
    run.expect_code(0);
    assert_eq!(run.stdout, "6 replacements in 2 files\n");
    let after = snapshot(dir.path());
    for (name, lines) in [("episode.vtt", vec![14, 17]), ("episode.txt", vec![3, 5])] {
        let b = String::from_utf8(before[Path::new(name)].clone()).unwrap();
        let a = String::from_utf8(after[Path::new(name)].clone()).unwrap();
        let changed = changed_lines(&b, &a);
        assert_eq!(
            changed.iter().map(|c| c.0).collect::<Vec<_>>(),
            lines,
            "{name}"
        );
        for (_, old, new) in changed {
            assert_eq!(
                new,
                old.replace(" rough,", " ruff,")
                    .replace(" rough.", " ruff.")
                    .replace(" rough ", " ruff ")
            );
        }
    }

    // without --pairs only the named file changes (the command as it always was)
    let dir = project();
    let run = cueline(
        dir.path(),
        &["replace", "-w", "rough", "ruff", "episode.vtt"],
    );
    run.expect_code(0);
    assert_eq!(run.stdout, "3 replacements in 1 files\n");
    assert!(read(dir.path(), "episode.txt").contains("install rough,"));
}

#[test]
fn replace_pairs_refuses_an_invalid_replacement_in_the_partner_and_writes_nothing() {
    let dir = project();
    let before = snapshot(dir.path());
    // a line break is fine in a VTT cue, not in a TXT entry: the partner refuses it
    let run = cueline(
        dir.path(),
        &[
            "replace",
            "--pairs",
            "-w",
            "Matt McKay",
            "Matt\nMakai",
            "episode.vtt",
        ],
    );
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("episode.txt:1: cannot replace in cue 0: invalid text"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(dir.path()), before);
    let run = cueline(dir.path(), &["replace", "--pairs", "x", "y", "missing.vtt"]);
    run.expect_code(2);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn check_tells_where_a_pair_disagrees_without_changing_the_exit_status() {
    let dir = project();
    let run = cueline(dir.path(), &["check", "."]);
    run.expect_code(0);
    assert_eq!(run.stdout, "3 files, 11 cues, 0 errors, 0 warnings\n");
    let txt = read(dir.path(), "episode.txt").replace("Matt McKay agrees", "Matt Makai agrees");
    std::fs::write(dir.path().join("episode.txt"), txt).unwrap();
    let run = cueline(dir.path(), &["check", "."]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "info: ./episode.vtt and ./episode.txt disagree at 00:00:09: \"🎉 Matt McKay agrees. Matt\" vs \"🎉 Matt Makai agrees. Matt\"\n\
         3 files, 11 cues, 0 errors, 0 warnings\n"
    );
    // only when both files are checked; never in --json
    let run = cueline(dir.path(), &["check", "episode.vtt"]);
    assert!(!run.stdout.contains("info:"));
    let run = cueline(dir.path(), &["check", "--json", "."]);
    assert!(!run.stdout.contains("info"));
    // an error elsewhere still sets the status, with the information beside it
    std::fs::write(dir.path().join("bad.vtt"), ODD_VTT).unwrap();
    let run = cueline(dir.path(), &["check", "."]);
    run.expect_code(1);
    assert!(
        run.stdout
            .contains("info: ./episode.vtt and ./episode.txt disagree")
    );
}

#[test]
fn glossary_help_explains_the_file_and_the_exit_status() {
    let dir = folder(&[]);
    let run = cueline(dir.path(), &["glossary", "--help"]);
    run.expect_code(0);
    for needle in [
        ".cueline/glossary.toml",
        "whole_word = true",
        "match_case = false",
        "Examples:",
    ] {
        assert!(
            run.stdout.contains(needle),
            "glossary --help lacks {needle}"
        );
    }
    let run = cueline(dir.path(), &["glossary", "check", "--help"]);
    run.expect_code(0);
    for needle in [
        "PATH:LINE: wrong -> right (note)",
        "0 no hits, 1 hits found, 2",
        "--glossary",
    ] {
        assert!(
            run.stdout.contains(needle),
            "glossary check --help lacks {needle}"
        );
    }
    let run = cueline(dir.path(), &["replace", "--help"]);
    assert!(run.stdout.contains("--pairs"));
}
