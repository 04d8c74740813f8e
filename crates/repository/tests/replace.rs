//! Replace across a project on copies of the fixture project: plans with before/after and
//! linked pairs, include/exclude, atomic apply that changes only the lines with a match, one
//! undo for every file, refusals when files changed, routing of files open in an editor.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use cueline_repository::{ApplyError, FoundBy, HitId, PlannedHit, Project, ReplacePlan, Selection};
use cueline_transcript::Format;
use cueline_transcript::search::Query;
use cueline_transcript_store::OpenDocument;

fn q(pattern: &str, regex: bool, whole_word: bool, ignore_case: bool) -> Query {
    Query {
        pattern: pattern.into(),
        regex,
        whole_word,
        ignore_case,
    }
}

fn mckay() -> Query {
    q("Matt McKay", false, true, false)
}

fn hit(plan: &ReplacePlan, file: usize, hit: usize) -> &PlannedHit {
    plan.hit(HitId { file, hit }).unwrap()
}

#[test]
fn a_plan_lists_every_hit_with_before_and_after_and_links_the_pairs() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let plan = project
        .plan_replace(&mckay(), "Matt Makai", &Selection::default())
        .unwrap();
    let files: Vec<(&str, Format, usize, bool)> = plan
        .files()
        .iter()
        .map(|f| (f.relative.as_str(), f.format, f.hits.len(), f.partner_only))
        .collect();
    assert_eq!(
        files,
        [
            ("episode.txt", Format::Txt, 3, false),
            ("episode.vtt", Format::Vtt, 3, false),
            ("solo.srt", Format::Srt, 1, false)
        ]
    );
    let c = plan.counts();
    assert_eq!(
        (c.hits, c.included_hits, c.files, c.included_files, c.pairs),
        (7, 7, 3, 3, 3)
    );

    let h = hit(&plan, 1, 0);
    assert_eq!((h.cue, h.start_ms, h.line), (0, 1000, 7));
    assert_eq!(
        (h.old.as_str(), h.new.as_str()),
        ("Matt McKay", "Matt Makai")
    );
    assert_eq!(h.before, "I'm here with Matt McKay.");
    assert_eq!(h.after, "I'm here with Matt Makai.");
    assert_eq!((h.at_utf16, h.start_utf16, h.end_utf16), (14, 44, 54));
    assert_eq!(h.found_by, FoundBy::Query);
    // its partner is the first entry of the .txt, and the link goes both ways
    let partner = h.partner.unwrap();
    assert_eq!(partner, HitId { file: 0, hit: 0 });
    let p = plan.hit(partner).unwrap();
    assert_eq!(
        (p.cue, p.line, p.partner),
        (0, 1, Some(HitId { file: 1, hit: 0 }))
    );
    assert_eq!(
        p.before,
        "Welcome to Talk Python To Me. I'm here with Matt McKay."
    );
    // the emoji cue and the last cue pair with their entries; the SRT has no pair
    assert_eq!(hit(&plan, 1, 1).partner, Some(HitId { file: 0, hit: 1 }));
    assert_eq!(hit(&plan, 1, 2).partner, Some(HitId { file: 0, hit: 2 }));
    assert_eq!(hit(&plan, 2, 0).partner, None);
    assert_eq!(
        hit(&plan, 1, 1).after,
        "Through the roughly rough parts, 🎉 Matt Makai agrees."
    );
}

#[test]
fn apply_changes_only_the_lines_with_a_match_and_one_undo_restores_every_file() {
    let dir = fixture_copy();
    let before = snapshot(dir.path());
    let project = Project::open(dir.path()).unwrap();
    let plan = project
        .plan_replace(&mckay(), "Matt Makai", &Selection::default())
        .unwrap();
    let applied = project.apply(&plan).unwrap();
    assert_eq!(applied.replacements, 7);
    assert_eq!(applied.files.len(), 3);
    let after = snapshot(dir.path());
    for (name, lines) in [
        ("episode.vtt", vec![7, 17, 20]),
        ("episode.txt", vec![1, 5, 7]),
        ("solo.srt", vec![3]),
    ] {
        let b = String::from_utf8(before[std::path::Path::new(name)].clone()).unwrap();
        let a = String::from_utf8(after[std::path::Path::new(name)].clone()).unwrap();
        let changed = changed_lines(&b, &a);
        let numbers: Vec<usize> = changed.iter().map(|c| c.0).collect();
        assert_eq!(numbers, lines, "{name}");
        for (_, old, new) in changed {
            assert_eq!(new, old.replace("Matt McKay", "Matt Makai"));
        }
    }
    // the note still names the guest as it was: notes are not cue text
    assert!(read(dir.path(), "episode.vtt").contains("NOTE Guest: Matt McKay"));
    // the index follows the files it wrote
    let r = project
        .search(&mckay(), &Default::default(), &Default::default())
        .unwrap();
    assert_eq!(r.total_hits, 0);

    let undone = project.undo(&applied).unwrap();
    assert_eq!(undone.restored.len(), 3);
    assert!(undone.refused.is_empty());
    assert_eq!(snapshot(dir.path()), before);
    let r = project
        .search(&mckay(), &Default::default(), &Default::default())
        .unwrap();
    assert_eq!(r.total_hits, 7);
    // undoing twice finds every file already as it was
    let again = project.undo(&applied).unwrap();
    assert_eq!((again.restored.len(), again.refused.len()), (3, 0));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn excluding_a_hit_excludes_its_partner_and_files_can_be_left_out() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let mut plan = project
        .plan_replace(&mckay(), "Matt Makai", &Selection::default())
        .unwrap();
    let vtt_first = HitId { file: 1, hit: 0 };
    assert!(plan.set_included(vtt_first, false));
    assert!(!plan.will_replace(vtt_first));
    assert!(
        !plan.will_replace(HitId { file: 0, hit: 0 }),
        "the partner follows"
    );
    // one side alone
    assert!(plan.set_included_alone(HitId { file: 0, hit: 2 }, false));
    assert!(plan.will_replace(HitId { file: 1, hit: 2 }));
    // a whole file
    assert!(plan.set_file_included(2, false));
    assert!(!plan.set_included(HitId { file: 9, hit: 0 }, false));
    let c = plan.counts();
    assert_eq!((c.included_hits, c.included_files), (3, 2));
    let applied = project.apply(&plan).unwrap();
    assert_eq!(applied.replacements, 3);
    let vtt = read(dir.path(), "episode.vtt");
    let txt = read(dir.path(), "episode.txt");
    assert!(vtt.contains("I'm here with Matt McKay."));
    assert!(txt.contains("I'm here with Matt McKay."));
    assert!(vtt.contains("🎉 Matt Makai agrees."));
    assert!(txt.contains("🎉 Matt Makai agrees."));
    assert!(vtt.ends_with("\nMatt Makai\n"));
    assert!(txt.ends_with("\n00:01:02 Matt McKay\n\n"));
    assert!(read(dir.path(), "solo.srt").contains("Matt McKay"));
}

#[test]
fn a_fix_in_one_file_of_a_pair_reaches_the_other_both_ways() {
    for (selected, other) in [
        ("episode.vtt", "episode.txt"),
        ("episode.txt", "episode.vtt"),
    ] {
        let dir = fixture_copy();
        let project = Project::open(dir.path()).unwrap();
        let plan = project
            .plan_replace(
                &q("rough", false, true, false),
                "ruff",
                &Selection::files([dir.path().join(selected)]),
            )
            .unwrap();
        let (sel, oth) = match plan.files()[0].relative.as_str() {
            x if x == selected => (0, 1),
            _ => (1, 0),
        };
        assert_eq!(plan.files()[oth].relative, other);
        assert!(plan.files()[oth].partner_only);
        assert!(
            plan.files()[oth]
                .hits
                .iter()
                .all(|h| h.found_by == FoundBy::Partner)
        );
        assert_eq!(plan.files()[sel].hits.len(), 3);
        assert_eq!(plan.files()[oth].hits.len(), 3);
        // the two "rough"s of one cue went to the matching two of the merged entry
        let mut pairs = Vec::new();
        for (k, h) in plan.files()[sel].hits.iter().enumerate() {
            let p = plan.hit(h.partner.unwrap()).unwrap();
            assert_eq!(p.partner, Some(HitId { file: sel, hit: k }));
            pairs.push(((h.cue, h.range.start), (p.cue, p.range.start)));
        }
        let vtt_to_txt = [((2, 23), (1, 63)), ((2, 39), (1, 79)), ((3, 20), (2, 20))];
        let expected: Vec<_> = if selected.ends_with(".vtt") {
            vtt_to_txt.to_vec()
        } else {
            vtt_to_txt.iter().map(|(a, b)| (*b, *a)).collect()
        };
        assert_eq!(pairs, expected);
        project.apply(&plan).unwrap();
        let vtt = read(dir.path(), "episode.vtt");
        let txt = read(dir.path(), "episode.txt");
        assert!(
            vtt.contains("First: uv tool install ruff, then run ruff.\n"),
            "{vtt}"
        );
        assert!(vtt.contains("Through the roughly ruff parts"));
        assert!(
            txt.contains("First: uv tool install ruff, then run ruff.\n"),
            "{txt}"
        );
        assert!(txt.contains("Through the roughly ruff parts"));
    }
    // without pairs only the selected file changes
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let plan = project
        .plan_replace(
            &q("rough", false, true, false),
            "ruff",
            &Selection::files([dir.path().join("episode.vtt")]).with_pairs(false),
        )
        .unwrap();
    assert_eq!(plan.files().len(), 1);
    project.apply(&plan).unwrap();
    assert!(read(dir.path(), "episode.txt").contains("install rough,"));
}

#[test]
fn regex_groups_expand_in_both_files_of_a_pair() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let plan = project
        .plan_replace(
            &q(r"(Lang)chain and Cloud (Code)", true, false, false),
            "${1}Chain and Claude $2",
            &Selection::files([dir.path().join("episode.vtt")]),
        )
        .unwrap();
    assert_eq!(plan.counts().pairs, 1);
    project.apply(&plan).unwrap();
    let fixed = "We talk about LangChain and Claude Code.";
    assert!(read(dir.path(), "episode.vtt").contains(fixed));
    assert!(read(dir.path(), "episode.txt").contains(fixed));
}

#[test]
fn a_file_changed_since_the_plan_refuses_the_whole_apply() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let plan = project
        .plan_replace(&mckay(), "Matt Makai", &Selection::default())
        .unwrap();
    let srt = dir.path().join("solo.srt");
    std::fs::write(
        &srt,
        read(dir.path(), "solo.srt").replace("Nothing", "Something"),
    )
    .unwrap();
    let before = snapshot(dir.path());
    match project.apply(&plan) {
        Err(ApplyError::Changed { paths }) => assert_eq!(paths, [project.key(&srt)]),
        other => panic!("{other:?}"),
    }
    assert_eq!(snapshot(dir.path()), before, "nothing was written");
    // a new plan sees the change (the stale index is refreshed) and applies
    let plan = project
        .plan_replace(&mckay(), "Matt Makai", &Selection::default())
        .unwrap();
    project.apply(&plan).unwrap();
    assert!(read(dir.path(), "solo.srt").contains("Something to fix here."));
}

#[test]
fn undo_refuses_a_file_that_changed_since_and_restores_the_others() {
    let dir = fixture_copy();
    let before = snapshot(dir.path());
    let project = Project::open(dir.path()).unwrap();
    let plan = project
        .plan_replace(&mckay(), "Matt Makai", &Selection::default())
        .unwrap();
    let applied = project.apply(&plan).unwrap();
    let txt = dir.path().join("episode.txt");
    let edited = read(dir.path(), "episode.txt").replace("Welcome", "Hello");
    std::fs::write(&txt, &edited).unwrap();
    let undone = project.undo(&applied).unwrap();
    assert_eq!(undone.restored.len(), 2);
    assert_eq!(undone.refused.len(), 1);
    assert_eq!(undone.refused[0].path, project.key(&txt));
    assert!(
        undone.refused[0].reason.contains("changed since"),
        "{}",
        undone.refused[0].reason
    );
    assert_eq!(read(dir.path(), "episode.txt"), edited);
    let after = snapshot(dir.path());
    for name in ["episode.vtt", "solo.srt"] {
        assert_eq!(
            after[std::path::Path::new(name)],
            before[std::path::Path::new(name)]
        );
    }
}

#[test]
fn an_invalid_replacement_writes_nothing() {
    for replacement in ["Matt\n\nMakai", "Matt\nMakai"] {
        let dir = fixture_copy();
        let before = snapshot(dir.path());
        let project = Project::open(dir.path()).unwrap();
        let plan = project
            .plan_replace(&mckay(), replacement, &Selection::default())
            .unwrap();
        match project.apply(&plan) {
            Err(ApplyError::Invalid {
                path,
                line,
                message,
                ..
            }) => {
                assert!(line > 0);
                assert!(
                    message.contains("empty line") || message.contains("TXT entry is one line"),
                    "{}: {message}",
                    path.display()
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(snapshot(dir.path()), before);
    }
}

#[test]
fn files_open_in_an_editor_are_routed_to_the_editor() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let vtt = dir.path().join("episode.vtt");
    // the editor has an unsaved edit in another cue
    let mut editor = OpenDocument::open(&vtt).unwrap();
    let edit = cueline_transcript::Edit::SetText {
        cue: 1,
        text: "We talk about Langchain.".into(),
    };
    editor.apply_all(&[edit]).unwrap();
    let editor_bytes = editor.document().print();
    project.overlay(&vtt, &editor_bytes).unwrap();

    let mut plan = project
        .plan_replace(&mckay(), "Matt Makai", &Selection::default())
        .unwrap();
    let i = plan.file_index(&project.key(&vtt)).unwrap();
    assert!(plan.files()[i].in_editor);
    assert!(matches!(
        project.apply(&plan),
        Err(ApplyError::OpenInEditor { .. })
    ));
    let routed = plan.take_files(|p| p == project.key(&vtt));
    assert_eq!(routed.len(), 1);
    assert_eq!(routed[0].hash, blake3::hash(&editor_bytes));
    assert_eq!(routed[0].edits.len(), 3);
    // the partners in the .txt stay in the plan, unlinked
    assert!(
        plan.files()
            .iter()
            .all(|f| f.hits.iter().all(|h| h.partner.is_none()))
    );
    let disk_before = read(dir.path(), "episode.vtt");
    let applied = project.apply(&plan).unwrap();
    assert_eq!(applied.files.len(), 2);
    assert_eq!(
        read(dir.path(), "episode.vtt"),
        disk_before,
        "never written under an editor"
    );

    editor.apply_all(&routed[0].edits).unwrap();
    let text = String::from_utf8(editor.document().print()).unwrap();
    assert!(text.contains("We talk about Langchain.\n"));
    assert_eq!(text.matches("Matt Makai").count(), 3);
    assert_eq!(text.matches("Matt McKay").count(), 1, "the note");
    assert!(editor.undo());
    assert_eq!(editor.document().print(), editor_bytes);
}

#[test]
fn replacements_that_add_or_remove_lines_keep_the_index_in_step() {
    let dir = fixture_copy();
    let project = Project::open(dir.path()).unwrap();
    let vtt = dir.path().join("episode.vtt");
    let only_vtt = Selection::files([vtt.clone()]).with_pairs(false);
    // a line break into the first cue, and the second cue's whole text removed
    let plan = project
        .plan_replace(&mckay(), "Matt\nMakai", &only_vtt)
        .unwrap();
    project.apply(&plan).unwrap();
    let plan = project
        .plan_replace(&q(r"^We talk.*$", true, false, false), "", &only_vtt)
        .unwrap();
    project.apply(&plan).unwrap();
    let lines = |pattern: &str| -> Vec<usize> {
        project
            .search(
                &q(pattern, false, true, false),
                &Default::default(),
                &Default::default(),
            )
            .unwrap()
            .files
            .iter()
            .filter(|f| f.relative == "episode.vtt")
            .flat_map(|f| f.hits.iter().map(|h| h.line))
            .collect()
    };
    // the same lines as a fresh project reads them from the file
    let fresh = Project::open(dir.path()).unwrap();
    let fresh_lines = |pattern: &str| -> Vec<usize> {
        fresh
            .search(
                &q(pattern, false, true, false),
                &Default::default(),
                &Default::default(),
            )
            .unwrap()
            .files
            .iter()
            .filter(|f| f.relative == "episode.vtt")
            .flat_map(|f| f.hits.iter().map(|h| h.line))
            .collect()
    };
    for pattern in ["Makai", "rough", "Welcome"] {
        assert_eq!(lines(pattern), fresh_lines(pattern), "{pattern}");
    }
    assert_eq!(lines("Makai"), [8, 18, 22]);
}
