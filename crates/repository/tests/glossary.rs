//! The glossary on the fixture project: finding the file, listing every hit, applying every
//! fix (pairs linked), overlapping entries, fixes that are already right.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::*;
use cueline_repository::{GLOSSARY_PATH, Glossary, GlossaryError, Project, Selection};

#[test]
fn the_glossary_is_found_above_any_path_of_the_repository() {
    let dir = fixture_copy();
    std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
    let expected = std::fs::canonicalize(dir.path().join(GLOSSARY_PATH)).unwrap();
    for start in ["", "episode.vtt", "a/b", "a/b/missing.vtt"] {
        let found = Glossary::find_above(&dir.path().join(start));
        assert_eq!(found.as_deref(), Some(expected.as_path()), "{start}");
    }
    let elsewhere = tempfile::tempdir().unwrap();
    assert_eq!(Glossary::find_above(elsewhere.path()), None);
}

#[test]
fn every_hit_of_the_fixture_glossary_is_listed_with_its_line_and_fix() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let glossary = Glossary::load(&dir.path().join(GLOSSARY_PATH)).unwrap();
    assert_eq!(glossary.entries.len(), 4);
    assert_eq!(glossary.entries[0].line, 4);
    let hits = project.glossary_hits(&glossary);
    let listed: Vec<String> = hits
        .iter()
        .map(|h| {
            format!(
                "{}:{}: {} -> {} [{}]",
                h.relative, h.line, h.matched, h.replacement, h.entry
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            "episode.txt:1: Matt McKay -> Matt Makai [0]",
            "episode.txt:3: Langchain -> LangChain [3]",
            "episode.txt:3: Cloud Code -> Claude Code [1]",
            "episode.txt:3: rough -> ruff [2]",
            "episode.txt:3: rough -> ruff [2]",
            "episode.txt:5: rough -> ruff [2]",
            "episode.txt:5: Matt McKay -> Matt Makai [0]",
            "episode.txt:7: Matt McKay -> Matt Makai [0]",
            "episode.vtt:7: Matt McKay -> Matt Makai [0]",
            "episode.vtt:10: Langchain -> LangChain [3]",
            "episode.vtt:10: Cloud Code -> Claude Code [1]",
            "episode.vtt:14: rough -> ruff [2]",
            "episode.vtt:14: rough -> ruff [2]",
            "episode.vtt:17: rough -> ruff [2]",
            "episode.vtt:17: Matt McKay -> Matt Makai [0]",
            "episode.vtt:20: Matt McKay -> Matt Makai [0]",
            "solo.srt:3: Matt McKay -> Matt Makai [0]",
        ]
    );
    let h = &hits[14];
    assert_eq!(
        (h.cue, h.start_ms, h.start_utf16, h.end_utf16),
        (3, 9000, 36, 46)
    );
    assert_eq!(h.context.after, " agrees.");
}

#[test]
fn applying_the_glossary_fixes_every_hit_once_in_both_files_of_the_pair() {
    let dir = fixture_copy();
    let before = snapshot(dir.path());
    let project = Project::open(dir.path()).unwrap();
    let glossary = Glossary::load(&dir.path().join(GLOSSARY_PATH)).unwrap();
    let plan = project
        .plan_glossary(&glossary, &Selection::default())
        .unwrap();
    let c = plan.counts();
    assert_eq!((c.hits, c.pairs), (17, 8));
    let applied = project.apply(&plan).unwrap();
    assert_eq!(applied.replacements, 17);
    assert_eq!(
        read(dir.path(), "episode.txt"),
        "00:00:01 Welcome to Talk Python To Me. I'm here with Matt Makai.\n\n\
         00:00:04 We talk about LangChain and Claude Code. First: uv tool install ruff, then run ruff.\n\n\
         00:00:09 Through the roughly ruff parts, 🎉 Matt Makai agrees.\n\n\
         00:01:02 Matt Makai\n\n"
    );
    let vtt = read(dir.path(), "episode.vtt");
    assert!(vtt.contains("NOTE Guest: Matt McKay (notes are never searched)"));
    assert!(vtt.contains("\nWe talk about LangChain and Claude Code.\n"));
    assert!(vtt.contains("\nFirst: uv tool install ruff, then run ruff.\n"));
    assert!(project.glossary_hits(&glossary).is_empty());
    project.undo(&applied).unwrap();
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn overlapping_entries_and_fixes_already_right() {
    let dir = folder(&[
        (
            "a.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nMatt McKay and McKay use LangChain, langchain.\n",
        ),
        (
            GLOSSARY_PATH,
            "[[entry]]\nwrong = \"Matt McKay\"\nright = \"Matt Makai\"\n\n\
             [[entry]]\nwrong = \"McKay\"\nright = \"Makai\"\n\n\
             [[entry]]\nwrong = \"langchain\"\nright = \"LangChain\"\n",
        ),
    ]);
    let project = Project::open(dir.path()).unwrap();
    let glossary = Glossary::load(&dir.path().join(GLOSSARY_PATH)).unwrap();
    let hits: Vec<(String, usize)> = project
        .glossary_hits(&glossary)
        .into_iter()
        .map(|h| (h.matched, h.entry))
        .collect();
    // the first entry wins over the second inside "Matt McKay"; "LangChain" is already right
    assert_eq!(
        hits,
        [
            ("Matt McKay".to_owned(), 0),
            ("McKay".to_owned(), 1),
            ("langchain".to_owned(), 2)
        ]
    );
    let plan = project
        .plan_glossary(&glossary, &Selection::default())
        .unwrap();
    project.apply(&plan).unwrap();
    assert!(
        read(dir.path(), "a.vtt").ends_with("\nMatt Makai and Makai use LangChain, LangChain.\n")
    );
}

#[test]
fn a_bad_glossary_names_the_file_and_line() {
    let dir = folder(&[(
        GLOSSARY_PATH,
        "[[entry]]\nwrong = \"x\"\nright = \"y\"\nwhole_words = false\n",
    )]);
    match Glossary::load(&dir.path().join(GLOSSARY_PATH)) {
        Err(e @ GlossaryError::Invalid { line: 4, .. }) => {
            let text = e.to_string();
            assert!(text.contains("glossary.toml:4:1: "), "{text}");
            assert!(text.contains("unknown field `whole_words`"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    match Glossary::load(Path::new("/nonexistent/glossary.toml")) {
        Err(GlossaryError::Read { .. }) => {}
        other => panic!("{other:?}"),
    }
}
