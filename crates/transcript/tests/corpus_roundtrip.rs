//! Properties 1, 2 and 4 on the real corpus: every file round-trips byte for byte; text and
//! timing edits to sampled cues change only that cue's lines; undo restores the bytes.
//! Skips (with a message) when `../shared/corpus` is absent.

mod support;

use cueline_transcript::{Document, Edit, Format, Session};
use support::{changed_lines, corpus_dir, transcripts_under};

#[test]
fn every_corpus_file_round_trips_byte_for_byte() {
    let Some(root) = corpus_dir() else { return };
    let files = transcripts_under(&root);
    assert_eq!(files.len(), 1368, "expected the whole corpus");
    let mut cues = 0;
    for (path, format) in &files {
        let bytes = std::fs::read(path).expect("read corpus file");
        let doc = Document::parse(&bytes, *format);
        assert!(
            doc.print() == bytes,
            "{} did not round-trip",
            path.display()
        );
        assert!(
            doc.read_only_reason().is_none(),
            "{} read-only",
            path.display()
        );
        cues += doc.cue_count();
    }
    assert!(cues > 1_000_000, "suspiciously few cues parsed: {cues}");
}

#[test]
fn edits_to_corpus_cues_touch_only_their_lines() {
    let Some(root) = corpus_dir() else { return };
    let files = transcripts_under(&root);
    let mut edits = 0;
    for (path, format) in files.iter().step_by(23) {
        let bytes = std::fs::read(path).expect("read corpus file");
        let doc = Document::parse(&bytes, *format);
        let name = path.display().to_string();
        for i in (0..doc.cue_count()).step_by(61) {
            let cue = doc.cue(i).expect("cue");
            let text_lines = cue.text.split('\n').count();
            let mut s = Session::new(doc.clone());
            // a word-level fix, like the real "Matt McKay" -> "Matt Makai" commits
            let fixed = cue.text.replacen(' ', " Fixed ", 1);
            s.apply(&Edit::SetText {
                cue: i,
                text: fixed.clone(),
            })
            .expect("set_text");
            let (old, new) = changed_lines(&bytes, &s.document().print());
            let expect = if *format == Format::Txt {
                cue.line - 1..cue.line
            } else {
                cue.line..cue.line + text_lines
            };
            if fixed != cue.text {
                assert!(
                    old.start >= expect.start && old.end <= expect.end,
                    "{name} cue {i}: {old:?} vs {expect:?}"
                );
                assert_eq!(old.len(), new.len(), "{name} cue {i}: line count changed");
            }
            let end = cue.end_ms.map(|e| e.max(cue.start_ms) + 1000);
            s.apply(&Edit::SetTiming {
                cue: i,
                start_ms: Some(cue.start_ms + 1000),
                end_ms: end,
            })
            .expect("set_timing");
            assert_eq!(
                s.document().cue(i).expect("cue").start_ms / 1000,
                cue.start_ms / 1000 + 1
            );
            while s.undo() {}
            assert!(s.document().print() == bytes, "{name} cue {i}: undo");
            edits += 1;
        }
    }
    assert!(edits > 500, "too few edits exercised: {edits}");
}
