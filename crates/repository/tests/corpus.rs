//! Repository-wide fixes on copies of real Talk Python episodes (`../shared/corpus`; skipped
//! with a message when absent), like the ones the issue names: "Matt McKay" -> "Matt Makai",
//! "Cloud Code" -> "Claude Code", "Langchain" -> "LangChain" (case only), "rough" -> "ruff"
//! (whole word). The corpus already holds the right spellings, so each test first introduces
//! the mishearing through one side of every pair (the other side must follow through the pair),
//! then fixes it across the project, checking every time that only cue text lines holding a
//! match changed, that pairs stay consistent (a pair disagrees in no more places than before),
//! that the fix gives back the original bytes, and that one undo per operation restores every
//! file byte for byte. The corpus itself is only read.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use cueline_repository::{CueTexts, Project, Selection, compare_pair};
use cueline_transcript::search::Query;
use cueline_transcript::{Document, Format};

/// Copies of every corpus pair (`transcripts/X.vtt` + `X.txt`) in which either file holds
/// `needle`, at most `max` pairs, plus two pairs without it; returns the folder.
fn pairs_holding(corpus: &Path, needle: &str, max: usize) -> tempfile::TempDir {
    let folder = corpus.join("transcripts");
    let mut vtts: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vtt") && p.with_extension("txt").is_file())
        .collect();
    vtts.sort();
    let dir = tempfile::tempdir().unwrap();
    let (mut with, mut without) = (0, 0);
    for vtt in vtts {
        let txt = vtt.with_extension("txt");
        let holds = [&vtt, &txt]
            .iter()
            .any(|p| std::fs::read_to_string(p).unwrap().contains(needle));
        let take = if holds { with < max } else { without < 2 };
        if take {
            for p in [&vtt, &txt] {
                // a copy is writable like a checkout (the corpus itself may be read-only)
                std::fs::write(
                    dir.path().join(p.file_name().unwrap()),
                    std::fs::read(p).unwrap(),
                )
                .unwrap();
            }
            if holds {
                with += 1;
            } else {
                without += 1;
            }
        }
    }
    assert!(with > 0, "no corpus pair holds {needle:?}");
    dir
}

fn q(pattern: &str, whole_word: bool) -> Query {
    Query {
        pattern: pattern.into(),
        whole_word,
        ..Query::default()
    }
}

/// How many places each pair of `dir` disagrees in, by episode.
fn disagreements(dir: &Path) -> BTreeMap<String, usize> {
    let files = snapshot(dir);
    let mut out = BTreeMap::new();
    for (path, bytes) in &files {
        if path.extension().is_some_and(|e| e == "vtt") {
            let txt = &files[&path.with_extension("txt")];
            let report = compare_pair(
                &CueTexts::from_document(&Document::parse(bytes, Format::Vtt)),
                &CueTexts::from_document(&Document::parse(txt, Format::Txt)),
                0,
            );
            out.insert(path.display().to_string(), report.count);
        }
    }
    out
}

/// Every line that changed between `before` and `after` is a line holding `old` with the fix
/// applied (by the oracle), and every line of a fully fixed file that holds `old` changed.
fn only_matching_lines_changed(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
    old: &str,
    new: &str,
    whole_word: bool,
    fully_fixed: impl Fn(&Path) -> bool,
) -> usize {
    let fix = |line: &str| {
        if whole_word {
            whole_word_replace(line, old, new)
        } else {
            line.replace(old, new)
        }
    };
    let mut changed_total = 0;
    for (path, b) in before {
        let (b, a) = (
            String::from_utf8(b.clone()).unwrap(),
            String::from_utf8(after[path].clone()).unwrap(),
        );
        let changed = changed_lines(&b, &a);
        for (n, old_line, new_line) in &changed {
            assert_eq!(
                *new_line,
                fix(old_line),
                "{}:{n}: changed but not as the fix says",
                path.display()
            );
        }
        if fully_fixed(path) {
            let expected = b.split_inclusive('\n').filter(|l| fix(l) != **l).count();
            assert_eq!(
                changed.len(),
                expected,
                "{}: every line holding a match changes",
                path.display()
            );
        }
        changed_total += changed.len();
    }
    changed_total
}

/// Introduces `wrong` for `right` through the files of one `side` (pairs followed), then fixes
/// it across the project, then undoes both operations.
fn mishear_fix_and_undo(right: &str, wrong: &str, whole_word: bool, side: Format, max: usize) {
    let Some(corpus) = corpus() else { return };
    let dir = pairs_holding(&corpus, right, max);
    let original = snapshot(dir.path());
    assert!(
        original
            .values()
            .all(|b| !String::from_utf8_lossy(b).contains(wrong)),
        "the corpus copy must not hold {wrong:?} yet"
    );
    let agree_before = disagreements(dir.path());
    let project = Project::open(dir.path()).unwrap();

    // 1. the mishearing, made in one side of every pair: the other side follows
    let side_files: Vec<PathBuf> = project
        .files()
        .into_iter()
        .filter(|f| f.format == side)
        .map(|f| f.path)
        .collect();
    let plan = project
        .plan_replace(&q(right, whole_word), wrong, &Selection::files(side_files))
        .unwrap();
    let counts = plan.counts();
    let partner_only: usize = plan
        .files()
        .iter()
        .filter(|f| f.partner_only)
        .map(|f| f.hits.len())
        .sum();
    assert!(
        partner_only > 0,
        "the other side got fixes through the pairs"
    );
    // on these real pairs, every hit of the chosen side finds its partner entry or cue
    assert_eq!(counts.pairs * 2, counts.hits, "{counts:?}");
    assert_eq!(partner_only, counts.pairs);
    let misheard = project.apply(&plan).unwrap();
    let after_mishearing = snapshot(dir.path());
    let changed = only_matching_lines_changed(
        &original,
        &after_mishearing,
        right,
        wrong,
        whole_word,
        |p| Format::from_path(p) == Some(side),
    );
    assert!(changed > 0);
    assert_eq!(
        disagreements(dir.path()),
        agree_before,
        "every pair still disagrees in exactly the places it did ({} hits, {} pairs)",
        counts.hits,
        counts.pairs
    );

    // 2. the fix across the project gives back the original bytes
    let plan = project
        .plan_replace(&q(wrong, whole_word), right, &Selection::default())
        .unwrap();
    assert_eq!(plan.counts().included_hits, misheard.replacements);
    let fixed = project.apply(&plan).unwrap();
    only_matching_lines_changed(
        &after_mishearing,
        &snapshot(dir.path()),
        wrong,
        right,
        whole_word,
        |_| true,
    );
    assert_eq!(snapshot(dir.path()), original);

    // 3. one undo per operation, every file byte for byte
    let undone = project.undo(&fixed).unwrap();
    assert!(undone.refused.is_empty());
    assert_eq!(snapshot(dir.path()), after_mishearing);
    let undone = project.undo(&misheard).unwrap();
    assert!(undone.refused.is_empty());
    assert_eq!(snapshot(dir.path()), original);
}

#[test]
fn matt_mckay_to_matt_makai_through_the_vtt_side() {
    mishear_fix_and_undo("Matt Makai", "Matt McKay", true, Format::Vtt, 40);
}

#[test]
fn cloud_code_to_claude_code_through_the_txt_side() {
    mishear_fix_and_undo("Claude Code", "Cloud Code", false, Format::Txt, 40);
}

#[test]
fn langchain_case_fix_through_the_vtt_side() {
    mishear_fix_and_undo("LangChain", "Langchain", true, Format::Vtt, 40);
}

#[test]
fn rough_to_ruff_whole_word_changes_only_those_words_and_undoes() {
    let Some(corpus) = corpus() else { return };
    let dir = pairs_holding(&corpus, " rough", 25);
    let original = snapshot(dir.path());
    let project = Project::open(dir.path()).unwrap();
    let plan = project
        .plan_replace(&q("rough", true), "ruff", &Selection::default())
        .unwrap();
    let c = plan.counts();
    assert!(c.hits > 0 && c.pairs > 0, "{c:?}");
    let applied = project.apply(&plan).unwrap();
    let after = snapshot(dir.path());
    only_matching_lines_changed(&original, &after, "rough", "ruff", true, |_| true);
    // "through" and "roughly" are never touched
    for (path, bytes) in &after {
        let (b, a) = (
            String::from_utf8_lossy(&original[path]),
            String::from_utf8_lossy(bytes),
        );
        assert_eq!(a.matches("through").count(), b.matches("through").count());
        assert_eq!(a.matches("roughly").count(), b.matches("roughly").count());
    }
    project.undo(&applied).unwrap();
    assert_eq!(snapshot(dir.path()), original);
}
