//! Adding to the word lists and the glossary from the editor, with a minimal diff.
//!
//! Why append-only: `.cueline/words.txt` and `.cueline/glossary.toml` are kept in git and
//! reviewed like the transcripts, so adding a word must show as one added line (one added
//! `[[entry]]`) and keep every existing byte (comments, order, line endings). The new text is
//! parsed before anything is written; a file that would not parse is refused and left as it is.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::words::{KnownWords, WORDS_PATH, WordsError};

/// Why a word or glossary entry could not be added.
#[derive(Debug, Error)]
pub enum ListError {
    #[error("no project here: no `.cueline/` folder or git repository above {}", start.display())]
    NoProject { start: PathBuf },
    #[error("cannot add {word:?}: {reason}")]
    BadWord { word: String, reason: &'static str },
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot create the folder: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Write(#[from] cueline_transcript_store::WriteError),
    #[error("the list would not read back: {0}")]
    Words(#[from] WordsError),
    #[error("the glossary would not read back: {0}")]
    Glossary(#[from] cueline_repository::GlossaryError),
}

/// The project folder of transcripts at `start`: the nearest folder at or above it holding
/// `.cueline/` (the glossary's rule), else the root of the git repository it is in.
pub fn project_root(start: &Path) -> Option<PathBuf> {
    let found = cueline_repository::find_project_file(start, ".cueline")
        .filter(|p| p.is_dir())
        .or_else(|| cueline_repository::find_project_file(start, ".git"))?;
    found.parent().map(Path::to_path_buf)
}

/// Where *Add to project words* writes for transcripts at `start`: the `.cueline/words.txt`
/// found above it, else one in the [`project_root`]; `None` when there is no project.
pub fn project_words_file(start: &Path) -> Option<PathBuf> {
    cueline_repository::find_project_file(start, WORDS_PATH)
        .or_else(|| project_root(start).map(|r| r.join(WORDS_PATH)))
}

/// Where a glossary entry goes for transcripts at `start`.
pub fn project_glossary_file(start: &Path) -> Option<PathBuf> {
    cueline_repository::Glossary::find_above(start).or_else(|| {
        project_root(start).map(|r| r.join(cueline_repository::glossary::GLOSSARY_PATH))
    })
}

fn read_existing(path: &Path) -> Result<Vec<u8>, ListError> {
    match std::fs::read(path) {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(ListError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// `existing` with `addition` (lines ending in `\n`) appended: a line break first if the file
/// does not end in one, and the file's own line ending (`\r\n` if it uses it).
fn appended(existing: &[u8], addition: &str) -> Vec<u8> {
    let crlf = existing.windows(2).any(|w| w == b"\r\n");
    let addition = if crlf {
        addition.replace('\n', "\r\n")
    } else {
        addition.to_owned()
    };
    let mut out = existing.to_vec();
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
    out.extend_from_slice(addition.as_bytes());
    out
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ListError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| ListError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    cueline_transcript_store::write_atomic(path, bytes)?;
    Ok(())
}

/// Appends `word` as a line of the word list at `path` (created if missing). Returns false
/// (and writes nothing) when the list already holds it.
pub fn add_word(path: &Path, word: &str) -> Result<bool, ListError> {
    let word = word.trim();
    let bad = |reason| ListError::BadWord {
        word: word.to_owned(),
        reason,
    };
    if word.is_empty() {
        return Err(bad("it is empty"));
    }
    if word.contains(['\n', '\r']) {
        return Err(bad("a word list entry is one line"));
    }
    if word.starts_with(['#', '!']) || word.ends_with(" ~") || word == "~" {
        return Err(bad("it would read as a comment or a marker in words.txt"));
    }
    let existing = read_existing(path)?;
    let text = String::from_utf8_lossy(&existing);
    if KnownWords::parse(&text, path)?
        .words
        .iter()
        .any(|k| k.text == word)
    {
        return Ok(false);
    }
    let bytes = appended(&existing, &format!("{word}\n"));
    KnownWords::parse(&String::from_utf8_lossy(&bytes), path)?;
    write(path, &bytes)?;
    Ok(true)
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Appends a `[[entry]]` with `wrong` and `right` to the glossary at `path` (created if
/// missing). Returns false (nothing written) when an entry with the same pair is there.
pub fn add_glossary_entry(path: &Path, wrong: &str, right: &str) -> Result<bool, ListError> {
    let existing = read_existing(path)?;
    let text = String::from_utf8_lossy(&existing);
    if !text.trim().is_empty() {
        let glossary = cueline_repository::Glossary::parse(&text, path)?;
        if glossary
            .entries
            .iter()
            .any(|e| !e.regex && e.wrong == wrong && e.right == right)
        {
            return Ok(false);
        }
    }
    let blank = if existing.is_empty() { "" } else { "\n" };
    let entry = format!(
        "{blank}[[entry]]\nwrong = {}\nright = {}\n",
        toml_string(wrong),
        toml_string(right)
    );
    let bytes = appended(&existing, &entry);
    cueline_repository::Glossary::parse(&String::from_utf8_lossy(&bytes), path)?;
    write(path, &bytes)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_word_is_one_appended_line() {
        let dir = tempfile::tempdir().unwrap();
        let words = dir.path().join(".cueline/words.txt");
        std::fs::create_dir_all(words.parent().unwrap()).unwrap();
        std::fs::write(&words, "# names\nMatt Makai").unwrap();
        assert!(add_word(&words, " LangChain ").unwrap());
        assert_eq!(
            std::fs::read_to_string(&words).unwrap(),
            "# names\nMatt Makai\nLangChain\n"
        );
        assert!(!add_word(&words, "LangChain").unwrap(), "already there");
        std::fs::write(&words, "a\r\nb\r\n").unwrap();
        add_word(&words, "c").unwrap();
        assert_eq!(std::fs::read(&words).unwrap(), b"a\r\nb\r\nc\r\n");
        for bad in ["", "#x", "!x", "x ~", "a\nb"] {
            assert!(add_word(&words, bad).is_err(), "{bad:?}");
        }
        assert_eq!(std::fs::read(&words).unwrap(), b"a\r\nb\r\nc\r\n");
    }

    #[test]
    fn the_project_is_found_by_cueline_or_git() {
        let dir = tempfile::tempdir().unwrap();
        let ep = dir.path().join("show/ep1/ep.vtt");
        std::fs::create_dir_all(ep.parent().unwrap()).unwrap();
        std::fs::write(&ep, "WEBVTT\n").unwrap();
        assert_eq!(project_words_file(&ep), None);
        std::fs::create_dir_all(dir.path().join("show/.git")).unwrap();
        let root = std::fs::canonicalize(dir.path().join("show")).unwrap();
        assert_eq!(project_words_file(&ep), Some(root.join(WORDS_PATH)));
        std::fs::create_dir_all(dir.path().join("show/ep1/.cueline")).unwrap();
        let ep1 = std::fs::canonicalize(dir.path().join("show/ep1")).unwrap();
        assert_eq!(project_words_file(&ep), Some(ep1.join(WORDS_PATH)));
    }

    #[test]
    fn a_glossary_entry_is_appended_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let g = dir.path().join(".cueline/glossary.toml");
        std::fs::create_dir_all(g.parent().unwrap()).unwrap();
        let before = "# fixes\n[[entry]]\nwrong = \"rough\"\nright = \"ruff\"\n";
        std::fs::write(&g, before).unwrap();
        assert!(add_glossary_entry(&g, "Matt \"McKay\"", "Matt Makai").unwrap());
        let after = std::fs::read_to_string(&g).unwrap();
        assert!(after.starts_with(before));
        assert_eq!(
            &after[before.len()..],
            "\n[[entry]]\nwrong = \"Matt \\\"McKay\\\"\"\nright = \"Matt Makai\"\n"
        );
        let glossary = cueline_repository::Glossary::load(&g).unwrap();
        assert_eq!(glossary.entries[1].wrong, "Matt \"McKay\"");
        assert!(!add_glossary_entry(&g, "Matt \"McKay\"", "Matt Makai").unwrap());
        // a broken glossary is refused and left alone
        std::fs::write(&g, "[[entry]\n").unwrap();
        assert!(add_glossary_entry(&g, "a", "b").is_err());
        assert_eq!(std::fs::read_to_string(&g).unwrap(), "[[entry]\n");
    }
}
