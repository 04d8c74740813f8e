//! Edits chosen by the fuzzer's bytes: each applied edit keeps the model equal to what its
//! printed bytes parse to, a refused edit changes nothing, and undoing every step gives back
//! the original bytes.
#![no_main]

use cueline_transcript::{Document, Edit, Format, Session};
use libfuzzer_sys::fuzz_target;

fn shape(doc: &Document) -> (Vec<(u32, Option<u32>, String)>, Vec<cueline_transcript::Diagnostic>) {
    (doc.cues().map(|c| (c.start_ms, c.end_ms, c.text)).collect(), doc.diagnostics())
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let (ops, body) = data.split_at(data.len().min(16));
    let format = [Format::Vtt, Format::Srt, Format::Txt][usize::from(ops[0]) % 3];
    let mut s = Session::new(Document::parse(body, format));
    let mut steps = 0;
    for pair in ops[1..].chunks(2) {
        let (a, b) = (usize::from(pair[0]), usize::from(*pair.get(1).unwrap_or(&0)));
        let cue = b % 8;
        let ms = (b as u32) * 250;
        let edit = match a % 7 {
            0 => Edit::SetText { cue, text: ["x", "a b", "", "two\nlines"][a / 7 % 4].into() },
            1 => Edit::SetTiming { cue, start_ms: Some(ms), end_ms: Some(ms + 1000) },
            2 => Edit::Insert { at: cue, start_ms: ms, end_ms: Some(ms + 500), text: "new".into() },
            3 => Edit::Delete { cue },
            4 => Edit::Split { cue, at_char: a / 7, at_ms: ms },
            5 => Edit::Merge { cue },
            _ => Edit::Renumber,
        };
        let before = s.document().print();
        match s.apply(&edit) {
            Ok(()) => {
                let printed = s.document().print();
                assert_eq!(shape(s.document()), shape(&Document::parse(&printed, format)), "{edit:?}");
                if printed != before {
                    steps += 1;
                }
            }
            Err(_) => assert_eq!(s.document().print(), before, "refused {edit:?} changed bytes"),
        }
    }
    for _ in 0..steps {
        assert!(s.undo());
    }
    assert_eq!(s.document().print(), body);
});
