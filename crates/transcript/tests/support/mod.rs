//! Helpers shared by the integration tests: fixtures, the corpus, and line-level diffs.
#![allow(dead_code)]

use std::ops::Range;
use std::path::{Path, PathBuf};

use cueline_transcript::{Document, Format};

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture file: (name relative to the fixture dir, format, bytes), sorted by name.
pub fn fixtures() -> Vec<(String, Format, Vec<u8>)> {
    let root = fixture_dir();
    let mut out = Vec::new();
    for sub in ["vtt", "srt", "txt"] {
        for entry in std::fs::read_dir(root.join(sub)).expect("fixture dir") {
            let path = entry.expect("entry").path();
            let format = Format::from_path(&path).expect("fixture extension");
            let name = format!(
                "{sub}/{}",
                path.file_name().and_then(|n| n.to_str()).expect("name")
            );
            out.push((name, format, std::fs::read(&path).expect("read fixture")));
        }
    }
    out.sort();
    out
}

pub fn fixture(name: &str) -> (Format, Vec<u8>) {
    let path = fixture_dir().join(name);
    (
        Format::from_path(&path).expect("format"),
        std::fs::read(&path).expect("read fixture"),
    )
}

/// The corpus root, or `None` (after saying so) when it is absent.
pub fn corpus_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!("skipping: corpus not found at {}", root.display());
        None
    }
}

/// Every transcript file under `root`, sorted.
pub fn transcripts_under(root: &Path) -> Vec<(PathBuf, Format)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(f) = Format::from_path(&path) {
                out.push((path, f));
            }
        }
    }
    out.sort();
    out
}

/// Splits bytes into lines, each keeping its ending (`\n`, `\r\n` or `\r`).
pub fn split_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&bytes[start..=i]);
                start = i + 1;
            }
            b'\r' => {
                let end = if bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                out.push(&bytes[start..end]);
                start = end;
                i = end - 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push(&bytes[start..]);
    }
    out
}

/// The 0-based line ranges (old, new) that differ once the common leading and trailing
/// lines are set aside. Empty ranges when the inputs are equal.
pub fn changed_lines(old: &[u8], new: &[u8]) -> (Range<usize>, Range<usize>) {
    let (a, b) = (split_lines(old), split_lines(new));
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    (prefix..a.len() - suffix, prefix..b.len() - suffix)
}

/// What a document looks like from outside: every cue's fields, and the diagnostics.
pub fn shape(doc: &Document) -> (Vec<String>, Vec<String>) {
    let cues = doc
        .cues()
        .map(|c| {
            format!(
                "{:?} {:?} {:?} {:?} {:?}",
                c.start_ms, c.end_ms, c.identifier, c.settings, c.text
            )
        })
        .collect();
    let diags = doc
        .diagnostics()
        .iter()
        .map(|d| format!("{} {} {}", d.severity, d.line, d.message))
        .collect();
    (cues, diags)
}

/// The in-memory document must be exactly what parsing its printed bytes gives.
pub fn assert_consistent(doc: &Document, context: &str) {
    let reparsed = Document::parse(&doc.print(), doc.format());
    assert_eq!(
        shape(doc),
        shape(&reparsed),
        "model and bytes disagree after {context}"
    );
}
