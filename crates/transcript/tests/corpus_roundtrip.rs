//! Property 1 on the real corpus: parse then print is byte-identical for every file.
//! Skips (with a message) when `../shared/corpus` is absent.

use std::path::{Path, PathBuf};

use cueline_transcript::{Document, Format};

fn corpus_files() -> Option<Vec<(PathBuf, Format)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if !root.is_dir() {
        eprintln!("skipping: corpus not found at {}", root.display());
        return None;
    }
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read corpus dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(f) = Format::from_path(&path) {
                out.push((path, f));
            }
        }
    }
    out.sort();
    Some(out)
}

#[test]
fn every_corpus_file_round_trips_byte_for_byte() {
    let Some(files) = corpus_files() else { return };
    assert!(
        files.len() >= 1368,
        "expected the whole corpus, found {} files",
        files.len()
    );
    let mut cues = 0;
    for (path, format) in &files {
        let bytes = std::fs::read(path).expect("read corpus file");
        let doc = Document::parse(&bytes, *format);
        assert!(
            doc.print() == bytes,
            "{} did not round-trip",
            path.display()
        );
        cues += doc.cue_count();
    }
    assert!(cues > 100_000, "suspiciously few cues parsed: {cues}");
}
