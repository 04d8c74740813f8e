//! `Session::reload`: a file re-read after it changed on disk becomes one undo step, and the
//! cues it did not touch keep their ids.

use cueline_transcript::{Document, Format, ReloadSummary, Session};

fn vtt(texts: &[&str]) -> Vec<u8> {
    let mut out = String::from("WEBVTT\n\n");
    for (i, t) in texts.iter().enumerate() {
        out.push_str(&format!("00:00:{i:02}.000 --> 00:00:{i:02}.500\n{t}\n\n"));
    }
    out.into_bytes()
}

#[test]
fn reload_keeps_ids_of_unchanged_cues_and_is_one_undo_step() {
    let old = vtt(&["a", "b", "c", "d"]);
    let mut s = Session::new(Document::parse(&old, Format::Vtt));
    let ids: Vec<_> = s.document().cues().map(|c| c.id).collect();
    let new = vtt(&["a", "B", "c", "d", "e"]);
    let summary = s.reload(Document::parse(&new, Format::Vtt));
    assert_eq!(s.document().print(), new);
    assert_eq!(
        summary,
        ReloadSummary {
            changed: 1,
            added: 1,
            removed: 0
        }
    );
    let after: Vec<_> = s.document().cues().map(|c| c.id).collect();
    assert_eq!(after[0], ids[0]);
    assert_ne!(after[1], ids[1]);
    assert_eq!(after[2], ids[2]);
    assert_eq!(after[3], ids[3]);
    assert!(!ids.contains(&after[4]));
    assert!(s.undo());
    assert_eq!(s.document().print(), old);
    assert!(s.redo());
    assert_eq!(s.document().print(), new);
}

#[test]
fn reload_with_no_change_adds_no_undo_step() {
    let old = vtt(&["a", "b"]);
    let mut s = Session::new(Document::parse(&old, Format::Vtt));
    let summary = s.reload(Document::parse(&old, Format::Vtt));
    assert!(summary.is_empty());
    assert!(!s.can_undo());
}

#[test]
fn reload_removes_cues_and_edits_continue_after_it() {
    let old = vtt(&["a", "b", "c"]);
    let mut s = Session::new(Document::parse(&old, Format::Vtt));
    let new = vtt(&["a", "c"]);
    // the timestamps differ, so `c` is rewritten too
    let summary = s.reload(Document::parse(&new, Format::Vtt));
    assert_eq!(summary.removed + summary.changed, 2);
    assert_eq!(s.document().print(), new);
    s.apply(&cueline_transcript::Edit::SetText {
        cue: 0,
        text: "x".into(),
    })
    .expect("edit after reload");
    assert!(s.undo());
    assert_eq!(s.document().print(), new);
    assert!(s.undo());
    assert_eq!(s.document().print(), old);
}

#[test]
fn reload_to_binary_replaces_the_document() {
    let old = vtt(&["a"]);
    let mut s = Session::new(Document::parse(&old, Format::Vtt));
    let before = s.document().cues().next().map(|c| c.id);
    let new = b"\x00\x01\x02binary".to_vec();
    s.reload(Document::parse(&new, Format::Vtt));
    assert_eq!(s.document().print(), new);
    let back = vtt(&["a"]);
    s.reload(Document::parse(&back, Format::Vtt));
    assert_eq!(s.document().print(), back);
    let after = s.document().cues().next().map(|c| c.id);
    assert_ne!(
        before, after,
        "a replaced document gets ids never used before"
    );
}

#[test]
fn undo_and_redo_depths_count_steps() {
    let mut s = Session::new(Document::parse(&vtt(&["a", "b"]), Format::Vtt));
    assert_eq!((s.undo_depth(), s.redo_depth()), (0, 0));
    s.apply(&cueline_transcript::Edit::SetText {
        cue: 0,
        text: "x".into(),
    })
    .expect("edit");
    assert_eq!((s.undo_depth(), s.redo_depth()), (1, 0));
    assert!(s.undo());
    assert_eq!((s.undo_depth(), s.redo_depth()), (0, 1));
}
