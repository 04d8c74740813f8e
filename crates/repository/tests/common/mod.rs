//! Helpers shared by the repository tests: copies of the fixture project and of corpus files
//! in temporary folders, and line-by-line comparisons.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The fixture project kept in the repository (a `.vtt`/`.txt` pair, an SRT, a glossary).
pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project")
}

/// A temporary copy of the fixture project.
pub fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            // writable like a checkout, even where the source is read-only
            fs::write(dest, fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

/// A temporary folder holding `files` (relative path, contents).
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

pub fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

/// The lines that differ between `before` and `after`, which must have as many lines:
/// `(line number, old, new)`.
pub fn changed_lines(before: &str, after: &str) -> Vec<(usize, String, String)> {
    let b: Vec<&str> = before.split_inclusive('\n').collect();
    let a: Vec<&str> = after.split_inclusive('\n').collect();
    assert_eq!(b.len(), a.len(), "line count changed");
    b.iter()
        .zip(&a)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| (i + 1, (*x).to_owned(), (*y).to_owned()))
        .collect()
}

/// The corpus of real transcripts beside the repository, if present.
pub fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if root.join("transcripts").is_dir() {
        Some(root)
    } else {
        eprintln!("skipping: corpus not found at {}", root.display());
        None
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `text` with every whole-word occurrence of `target` replaced (a hand-written oracle: no
/// letter, digit or underscore on either side).
pub fn whole_word_replace(text: &str, target: &str, replacement: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with(target) {
            let before = text[..i].chars().next_back().is_none_or(|c| !is_word(c));
            let after = text[i + target.len()..]
                .chars()
                .next()
                .is_none_or(|c| !is_word(c));
            if before && after {
                out.push_str(replacement);
                i += target.len();
                continue;
            }
        }
        let c = text[i..].chars().next().unwrap();
        out.push(c);
        i += c.len_utf8();
    }
    out
}
