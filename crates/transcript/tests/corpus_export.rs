//! The Talk Python TXT rule on real pairs: exporting a corpus `.vtt` to TXT reproduces its
//! `.txt` byte for byte for most episodes (378 of 558 when the rule was measured).
//! Skips (with a message) when `../shared/corpus` is absent.

use std::path::Path;

use cueline_transcript::{Document, Format, export};

#[test]
fn txt_rule_reproduces_real_pairs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/transcripts");
    if !dir.is_dir() {
        eprintln!("skipping: corpus not found at {}", dir.display());
        return;
    }
    let (mut pairs, mut same) = (0, 0);
    for entry in std::fs::read_dir(&dir).expect("read corpus") {
        let vtt = entry.expect("entry").path();
        if Format::from_path(&vtt) != Some(Format::Vtt) {
            continue;
        }
        let txt = vtt.with_extension("txt");
        let Ok(expected) = std::fs::read(&txt) else {
            continue;
        };
        pairs += 1;
        let doc = Document::parse(&std::fs::read(&vtt).expect("read vtt"), Format::Vtt);
        if export::export(&doc, Format::Txt).as_bytes() == expected.as_slice() {
            same += 1;
        }
    }
    eprintln!("TXT rule reproduced {same} of {pairs} pairs");
    assert_eq!(pairs, 558, "pair count changed");
    assert!(
        same >= 378,
        "TXT rule reproduced only {same} of {pairs} pairs"
    );
}
