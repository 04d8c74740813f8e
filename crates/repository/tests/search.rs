//! Project search on real files: grouping, UTF-16 offsets past emoji, whole words at cue edges,
//! cue text only, cancellation, the limits, and agreement with the editor's per-document find
//! (on the fixture and, when present, on corpus files).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use common::*;
use cueline_repository::{FileState, Project, SearchError, SearchLimits};
use cueline_transcript::search::{Matcher, Query};
use cueline_transcript::{Document, Format};
use cueline_transcript_store::find_utf16;

fn q(pattern: &str, regex: bool, whole_word: bool, ignore_case: bool) -> Query {
    Query {
        pattern: pattern.into(),
        regex,
        whole_word,
        ignore_case,
    }
}

fn search(project: &Project, query: &Query) -> cueline_repository::SearchResults {
    project
        .search(query, &SearchLimits::default(), &AtomicBool::new(false))
        .unwrap()
}

#[test]
fn hits_are_grouped_by_file_with_cue_time_line_utf16_range_and_context() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let r = search(&project, &q("Matt McKay", false, true, false));
    assert!(r.complete);
    assert_eq!(r.total_hits, 7);
    assert_eq!(r.shown_hits, 7);
    let names: Vec<(&str, usize)> = r
        .files
        .iter()
        .map(|f| (f.relative.as_str(), f.total))
        .collect();
    assert_eq!(
        names,
        [("episode.txt", 3), ("episode.vtt", 3), ("solo.srt", 1)]
    );

    let vtt = &r.files[1];
    assert_eq!(vtt.format, Format::Vtt);
    let hits: Vec<(usize, u32, usize, usize, usize)> = vtt
        .hits
        .iter()
        .map(|h| (h.cue, h.start_ms, h.line, h.start_utf16, h.end_utf16))
        .collect();
    // cue 0 line 2 ("I'm here with Matt McKay.") is file line 7; after 🎉 (2 UTF-16 units)
    assert_eq!(
        hits,
        [
            (0, 1000, 7, 44, 54),
            (3, 9000, 17, 36, 46),
            (4, 62000, 20, 0, 10)
        ]
    );
    let c = &vtt.hits[1].context;
    assert_eq!(
        (c.before.as_str(), c.matched.as_str(), c.after.as_str()),
        (
            "Through the roughly rough parts, 🎉 ",
            "Matt McKay",
            " agrees."
        )
    );
    // a line break inside a cue shows as a space in the context
    assert_eq!(
        vtt.hits[0].context.before,
        "…ome to Talk Python To Me. I'm here with "
    );

    // the editor's find on the same document gives the same UTF-16 ranges
    let doc = Document::parse(&std::fs::read(&vtt.path).unwrap(), Format::Vtt);
    let editor = find_utf16(
        &doc,
        &Matcher::new(&q("Matt McKay", false, true, false)).unwrap(),
    );
    let editor: Vec<(usize, usize, usize)> = editor
        .iter()
        .map(|h| (h.cue, h.start_utf16, h.end_utf16))
        .collect();
    let ours: Vec<(usize, usize, usize)> = hits.iter().map(|h| (h.0, h.3, h.4)).collect();
    assert_eq!(ours, editor);
}

#[test]
fn only_cue_text_is_searched() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    for pattern in [
        "00:00",
        "-->",
        "WEBVTT",
        "Guest",
        "intro-end",
        "align",
        "notes",
    ] {
        let r = search(&project, &q(pattern, false, false, false));
        assert_eq!(r.total_hits, 0, "{pattern}: {r:?}");
    }
}

#[test]
fn whole_words_at_cue_edges_and_matches_never_span_cues() {
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\ntool rough\n\n00:00:02.000 --> 00:00:03.000\nly rough\n\n00:00:03.000 --> 00:00:04.000\nrough\n";
    let dir = folder(&[("a.vtt", vtt)]);
    let project = Project::open(dir.path()).unwrap();
    let cues = |query: &Query| -> Vec<(usize, usize)> {
        search(&project, query)
            .files
            .iter()
            .flat_map(|f| f.hits.iter().map(|h| (h.cue, h.start_utf16)))
            .collect()
    };
    // "rough" ends cue 0 and "ly" starts cue 1: still a whole word, never "roughly"
    assert_eq!(
        cues(&q("rough", false, true, false)),
        [(0, 5), (1, 3), (2, 0)]
    );
    assert!(cues(&q("roughly", false, false, false)).is_empty());
    assert!(cues(&q(r"rough\s+ly", true, false, false)).is_empty());
    assert!(cues(&q("rough ly", false, false, false)).is_empty());
    // anchors are about each cue's text
    assert_eq!(cues(&q("^rough", true, false, false)), [(2, 0)]);
    assert_eq!(
        cues(&q("rough$", true, false, false)),
        [(0, 5), (1, 3), (2, 0)]
    );
    assert_eq!(cues(&q(r"\Aly", true, false, false)), [(1, 0)]);
    // a greedy class stops at the cue's end
    assert_eq!(
        cues(&q(r"rough[\s\S]*", true, false, false)),
        [(0, 5), (1, 3), (2, 0)]
    );
}

#[test]
fn projects_plans_and_results_can_cross_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Project>();
    shared::<cueline_repository::ReplacePlan>();
    shared::<cueline_repository::Applied>();
    shared::<cueline_repository::SearchResults>();
    shared::<cueline_repository::Glossary>();
}

#[test]
fn a_raised_cancel_flag_abandons_the_search() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let cancel = AtomicBool::new(true);
    let r = project.search(
        &q("Matt", false, false, false),
        &SearchLimits::default(),
        &cancel,
    );
    assert_eq!(r, Err(SearchError::Cancelled));
    // a bad query is an error, not an empty result
    let r = project.search(
        &q("(", true, false, false),
        &SearchLimits::default(),
        &AtomicBool::new(false),
    );
    assert!(matches!(r, Err(SearchError::Query(_))));
}

#[test]
fn the_hit_cap_builds_the_first_hits_in_path_order_and_counts_the_rest() {
    let many: String = (0..50)
        .map(|i| format!("00:00:{i:02} word word\n\n"))
        .collect();
    let dir = folder(&[("a.txt", &many), ("b.txt", &many), ("c/d.txt", &many)]);
    let project = Project::open(dir.path()).unwrap();
    let limits = SearchLimits {
        max_hits: 130,
        ..SearchLimits::default()
    };
    let r = project
        .search(
            &q("word", false, true, false),
            &limits,
            &AtomicBool::new(false),
        )
        .unwrap();
    assert!(r.complete);
    assert_eq!((r.total_hits, r.shown_hits), (300, 130));
    let shown: Vec<(&str, usize, usize)> = r
        .files
        .iter()
        .map(|f| (f.relative.as_str(), f.total, f.hits.len()))
        .collect();
    assert_eq!(
        shown,
        [("a.txt", 100, 100), ("b.txt", 100, 30), ("c/d.txt", 100, 0)]
    );

    let limits = SearchLimits {
        max_hits: 10,
        max_count: 150,
        ..SearchLimits::default()
    };
    let r = project
        .search(
            &q("word", false, true, false),
            &limits,
            &AtomicBool::new(false),
        )
        .unwrap();
    assert!(!r.complete, "counting stopped");
    assert!(r.total_hits >= 150);
    assert_eq!(r.shown_hits, 10);
}

#[test]
fn the_project_lists_episodes_with_audio_and_skips_what_the_cli_skips() {
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n";
    let dir = folder(&[
        ("ep/one.vtt", vtt),
        ("ep/one.txt", "00:00:01 hello\n"),
        ("ep/one.mp3", "not really audio"),
        ("ep/two.srt", "1\n00:00:01,000 --> 00:00:02,000\nhello\n"),
        (".cueline/glossary.toml", ""),
        (".git/x.vtt", vtt),
        ("node_modules/x.vtt", vtt),
        ("target/x.vtt", vtt),
        (".hidden.vtt", vtt),
        ("notes.md", "hello"),
        ("binary.vtt", "WEBVTT\n\n\u{0}\u{0}"),
    ]);
    // a second name of a file in the project (a link beside it) is not a second file
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("ep/one.vtt"), dir.path().join("link.vtt")).unwrap();
    let project = Project::open(dir.path()).unwrap();
    let files: Vec<String> = project.files().iter().map(|f| f.relative.clone()).collect();
    assert_eq!(
        files,
        ["binary.vtt", "ep/one.txt", "ep/one.vtt", "ep/two.srt"]
    );
    assert!(matches!(project.files()[0].state, FileState::ReadOnly(_)));
    let episodes = project.episodes();
    type Row<'a> = (&'a str, &'a str, usize, usize, Option<(usize, usize)>);
    let ep: Vec<Row<'_>> = episodes
        .iter()
        .map(|e| {
            (
                e.folder.as_str(),
                e.name.as_str(),
                e.transcripts.len(),
                e.audio.len(),
                e.pair,
            )
        })
        .collect();
    assert_eq!(
        ep,
        [
            ("", "binary", 1, 0, None),
            ("ep", "one", 2, 1, Some((0, 1))),
            ("ep", "two", 1, 0, None)
        ]
    );
    assert_eq!(episodes[1].transcripts[0].format, Format::Vtt);
    assert_eq!(
        search(&project, &q("hello", false, false, false)).total_hits,
        3
    );
}

#[test]
fn refresh_and_overlays_keep_the_index_in_step_with_files_and_editors() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let vtt = dir.path().join("episode.vtt");
    let count = |p: &Project| search(p, &q("Matt McKay", false, true, false)).total_hits;
    assert_eq!(count(&project), 7);
    use cueline_repository::Refresh;
    assert_eq!(project.refresh(&vtt).unwrap(), Refresh::Unchanged);
    let text = read(dir.path(), "episode.vtt").replace("Matt McKay", "Matt Makai");
    std::fs::write(&vtt, &text).unwrap();
    assert_eq!(project.refresh(&vtt).unwrap(), Refresh::Updated);
    assert_eq!(count(&project), 4);
    // a new file, then gone again
    let new = dir.path().join("new.srt");
    std::fs::write(&new, "1\n00:00:01,000 --> 00:00:02,000\nMatt McKay\n").unwrap();
    assert_eq!(project.refresh(&new).unwrap(), Refresh::Added);
    assert_eq!(count(&project), 5);
    std::fs::remove_file(&new).unwrap();
    assert_eq!(project.refresh(&new).unwrap(), Refresh::Removed);
    assert_eq!(
        project.refresh(&dir.path().join("notes.md")).unwrap(),
        Refresh::Ignored
    );
    // an editor's unsaved text wins until the overlay ends
    let editor = text.replace("Welcome", "Matt McKay says welcome");
    project.overlay(&vtt, editor.as_bytes()).unwrap();
    assert_eq!(count(&project), 5);
    assert!(project.file(&vtt).unwrap().in_editor);
    assert_eq!(project.refresh(&vtt).unwrap(), Refresh::Ignored);
    assert_eq!(project.remove_overlay(&vtt).unwrap(), Refresh::Updated);
    assert_eq!(count(&project), 4);
    // relative paths name the same file
    assert!(project.file(&PathBuf::from("episode.vtt")).is_some());
}

/// The project's hits for `query` in every file equal the editor's `find_utf16` per document.
fn agrees_with_the_editor(project: &Project, query: &Query) {
    let limits = SearchLimits {
        max_hits: usize::MAX,
        max_count: usize::MAX,
        context_chars: 0,
    };
    let r = project
        .search(query, &limits, &AtomicBool::new(false))
        .unwrap();
    let matcher = Matcher::new(query).unwrap();
    let mut expected_total = 0;
    let mut by_file = std::collections::HashMap::new();
    for f in &r.files {
        by_file.insert(f.path.clone(), f);
    }
    for info in project.files() {
        let doc = Document::parse(&std::fs::read(&info.path).unwrap(), info.format);
        let editor: Vec<(usize, usize, usize)> = find_utf16(&doc, &matcher)
            .iter()
            .map(|h| (h.cue, h.start_utf16, h.end_utf16))
            .collect();
        expected_total += editor.len();
        let ours: Vec<(usize, usize, usize)> = by_file
            .get(&info.path)
            .map(|f| {
                f.hits
                    .iter()
                    .map(|h| (h.cue, h.start_utf16, h.end_utf16))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(ours, editor, "{query:?} in {}", info.relative);
    }
    assert_eq!(r.total_hits, expected_total, "{query:?}");
}

fn queries() -> Vec<Query> {
    vec![
        q("Matt McKay", false, true, false),
        q("rough", false, true, false),
        q("rough", false, false, true),
        q("the", false, true, true),
        q(r"\w+ough\b", true, false, false),
        q(r"(?m)^\w+", true, false, false),
        q(r"^\S+|\S+$", true, false, false),
        q(r"[.,]\s", true, false, false),
        q(r"o\s*", true, false, true),
    ]
}

#[test]
fn project_search_agrees_with_the_editors_find_on_the_fixture() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    for query in queries() {
        agrees_with_the_editor(&project, &query);
    }
}

#[test]
fn project_search_agrees_with_the_editors_find_on_corpus_files() {
    let Some(corpus) = corpus() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("transcripts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // every 20th file (both formats), so the debug build stays quick
    let sample: Vec<PathBuf> = files.into_iter().step_by(20).collect();
    let project = Project::from_files(&corpus, sample).unwrap();
    for query in [
        q("Python", false, false, false),
        q("you know", false, true, true),
        q(r"\b[A-Z]\w+\b", true, false, false),
        q(r"^\w+", true, false, false),
        q(r",\s+\w", true, false, false),
    ] {
        agrees_with_the_editor(&project, &query);
    }
}
