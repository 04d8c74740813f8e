//! The glossary: known mishearings of a repository and their fixes, in
//! `.cueline/glossary.toml`.
//!
//! Why a file in the repository: the same names are misheard in every episode ("Matt McKay"
//! for Matt Makai, "Cloud Code" for Claude Code), so the fixes are data that the team reviews
//! and versions with the transcripts, and that a pre-commit hook (`cueline glossary check`)
//! and the desktop app's glossary panel read alike.
//!
//! ```toml
//! [[entry]]
//! wrong = "Matt McKay"
//! right = "Matt Makai"
//! note = "guest, Full Stack Python"
//!
//! [[entry]]
//! wrong = "Langchain"
//! right = "LangChain"
//! match_case = true
//!
//! [[entry]]
//! wrong = 'uv tool install (rough)'
//! right = "uv tool install ruff"
//! regex = true
//! ```
//!
//! Fields: `wrong` (literal text, or a Rust regex with `regex = true`), `right` (the fix; a
//! regex fix may use `$1`), `whole_word` (default **true**: a misheard word is a word, and
//! "rough" must not fire inside "through"), `match_case` (default **false**: names are
//! misheard in any case, and a hit that already reads exactly like `right` is never reported,
//! so `wrong = "langchain"`, `right = "LangChain"` catches `Langchain` and `LANGCHAIN` but not
//! `LangChain`; set it for fixes that are only about case or where the lower-case spelling is
//! an ordinary word), `regex` (default false) and `note` (shown with each hit). Unknown fields
//! are errors (a typo like `wholeword` must not be ignored), reported with their line.

use std::ops::{ControlFlow, Range};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cueline_transcript::Format;
use cueline_transcript::search::{Matcher, Query};
use cueline_transcript_store::utf16_offsets;
use rayon::prelude::*;
use serde::Deserialize;
use thiserror::Error;

use crate::index::FileIndex;
use crate::search::{Snippet, count_newlines, snippet};

/// Where the glossary lives, relative to the repository root.
pub const GLOSSARY_PATH: &str = ".cueline/glossary.toml";

/// Characters of context kept on each side of a glossary hit.
const CONTEXT_CHARS: usize = 40;

/// Why a glossary could not be used.
#[derive(Debug, Error)]
pub enum GlossaryError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Bad TOML, a missing or unknown field, an empty `wrong`, an invalid regex.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// One known mishearing and its fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryEntry {
    pub wrong: String,
    pub right: String,
    pub whole_word: bool,
    pub match_case: bool,
    pub regex: bool,
    pub note: Option<String>,
    /// 1-based line of the entry's `wrong` in the glossary file.
    pub line: usize,
}

impl GlossaryEntry {
    /// The search this entry runs.
    pub fn query(&self) -> Query {
        Query {
            pattern: self.wrong.clone(),
            regex: self.regex,
            whole_word: self.whole_word,
            ignore_case: !self.match_case,
        }
    }
}

/// A parsed glossary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Glossary {
    /// The file it was read from (for messages).
    pub path: PathBuf,
    pub entries: Vec<GlossaryEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    entry: Vec<RawEntry>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    wrong: toml::Spanned<String>,
    right: String,
    #[serde(default = "yes")]
    whole_word: bool,
    #[serde(default)]
    match_case: bool,
    #[serde(default)]
    regex: bool,
    #[serde(default)]
    note: Option<String>,
}

/// 1-based line and column of byte `at` in `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before, |i| &before[i + 1..])
        .chars()
        .count()
        + 1;
    (line, column)
}

impl Glossary {
    /// Parses glossary TOML; `path` names it in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Glossary, GlossaryError> {
        let invalid = |at: usize, message: String| {
            let (line, column) = line_col(text, at);
            GlossaryError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            invalid(at, e.message().trim().to_owned())
        })?;
        let mut entries = Vec::with_capacity(raw.entry.len());
        for e in raw.entry {
            let at = e.wrong.span().start;
            let wrong = e.wrong.into_inner();
            let entry = GlossaryEntry {
                line: line_col(text, at).0,
                wrong,
                right: e.right,
                whole_word: e.whole_word,
                match_case: e.match_case,
                regex: e.regex,
                note: e.note.filter(|n| !n.trim().is_empty()),
            };
            if entry.wrong.is_empty() {
                return Err(invalid(at, "`wrong` is empty".into()));
            }
            Matcher::new(&entry.query()).map_err(|err| invalid(at, err.to_string()))?;
            entries.push(entry);
        }
        Ok(Glossary {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// Reads and parses the glossary at `path`.
    pub fn load(path: &Path) -> Result<Glossary, GlossaryError> {
        let read_error = |source| GlossaryError::Read {
            path: path.to_path_buf(),
            source,
        };
        // the app's limits: a regular file (never a FIFO or a device) of at most 50 MB
        let bytes = cueline_transcript_store::read_input_file(path).map_err(read_error)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| read_error(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        Glossary::parse(&text, path)
    }

    /// The nearest `.cueline/glossary.toml` in `start`'s folder (or `start` itself, if it is a
    /// folder) or any folder above it.
    pub fn find_above(start: &Path) -> Option<PathBuf> {
        find_project_file(start, GLOSSARY_PATH)
    }
}

/// The nearest `relative` (a path under `.cueline/`, like [`GLOSSARY_PATH`]) in `start`'s
/// folder (or `start` itself, if it is a folder) or any folder above it: the one rule by which
/// the glossary and the project's words (`.cueline/words.txt`) are found.
pub fn find_project_file(start: &Path, relative: &str) -> Option<PathBuf> {
    // a file's own folder counts, not its link target's: a `.vtt` linked from elsewhere
    // belongs to the project it is linked into
    let absolute = if start.is_absolute() {
        start.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(start)
    };
    let folder = if absolute.is_dir() {
        absolute.as_path()
    } else {
        absolute.parent()?
    };
    let first = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    first
        .ancestors()
        .map(|dir| dir.join(relative))
        // found even when it is not a regular file, so that loading it says what is wrong
        .find(|p| p.exists())
}

/// One place in the project where a glossary entry fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryHit {
    pub path: PathBuf,
    pub relative: String,
    pub format: Format,
    pub cue: usize,
    pub start_ms: u32,
    /// 1-based file line holding the start of the hit.
    pub line: usize,
    /// Bytes of the cue's text.
    pub range: Range<usize>,
    /// UTF-16 code units of the cue's text (what the editor highlights).
    pub start_utf16: usize,
    pub end_utf16: usize,
    /// The text as found, and the suggested fix.
    pub matched: String,
    pub replacement: String,
    /// The entry's position in [`Glossary::entries`].
    pub entry: usize,
    pub context: Snippet,
}

/// Every hit of `glossary` in `files`: earlier entries win where two overlap, and a hit that
/// already reads like its fix is not one.
pub(crate) fn hits(files: &[Arc<FileIndex>], glossary: &Glossary) -> Vec<GlossaryHit> {
    let matchers: Vec<(usize, Matcher)> = glossary
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| Matcher::new(&e.query()).ok().map(|m| (i, m)))
        .collect();
    let scanners: Vec<(usize, crate::search::Scanner)> = glossary
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| crate::search::Scanner::new(&e.query()).ok().map(|s| (i, s)))
        .collect();
    debug_assert_eq!(matchers.len(), scanners.len());
    let per_file: Vec<Vec<GlossaryHit>> = files
        .par_iter()
        .map(|idx| {
            let mut found: Vec<(usize, Range<usize>, String, usize)> = Vec::new();
            for (entry, scanner) in &scanners {
                let right = &glossary.entries[*entry].right;
                let _ = scanner.scan(idx, &mut |cue, range| {
                    let text = idx.cue_text(cue);
                    let fix = scanner.matcher().replacement_for(text, &range, right);
                    let overlapping = found.iter().any(|(c, r, _, _)| {
                        *c == cue && r.start < range.end && range.start < r.end
                    });
                    if fix != text[range.clone()] && !overlapping {
                        found.push((cue, range, fix, *entry));
                    }
                    ControlFlow::Continue(())
                });
            }
            found.sort_by_key(|(c, r, _, _)| (*c, r.start));
            found
                .into_iter()
                .map(|(cue, range, replacement, entry)| {
                    let text = idx.cue_text(cue);
                    let (s16, e16) = utf16_offsets(text, std::slice::from_ref(&range))
                        .first()
                        .copied()
                        .unwrap_or((0, 0));
                    GlossaryHit {
                        path: idx.path.clone(),
                        relative: idx.relative.clone(),
                        format: idx.format,
                        cue,
                        start_ms: idx.start_ms(cue),
                        line: idx.first_line(cue) + count_newlines(&text[..range.start]),
                        start_utf16: s16,
                        end_utf16: e16,
                        matched: text[range.clone()].to_owned(),
                        replacement,
                        entry,
                        context: snippet(text, &range, CONTEXT_CHARS),
                        range,
                    }
                })
                .collect()
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Glossary, GlossaryError> {
        Glossary::parse(text, Path::new("g.toml"))
    }

    #[test]
    fn defaults_are_whole_word_and_any_case() {
        let g =
            parse("[[entry]]\nwrong = \"Matt McKay\"\nright = \"Matt Makai\"\nnote = \"guest\"\n")
                .unwrap_or_else(|e| panic!("{e}"));
        let e = &g.entries[0];
        assert!(e.whole_word && !e.match_case && !e.regex);
        assert_eq!((e.line, e.note.as_deref()), (2, Some("guest")));
        assert!(
            parse("")
                .unwrap_or_else(|e| panic!("{e}"))
                .entries
                .is_empty()
        );
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("[[entry]]\nwrong = \"a\"\n", 1, "missing field `right`"),
            (
                "[[entry]]\nwrong = \"a\"\nright = \"b\"\nwholeword = true\n",
                4,
                "unknown field `wholeword`",
            ),
            (
                "[[entry]]\nwrong = \"\"\nright = \"b\"\n",
                2,
                "`wrong` is empty",
            ),
            (
                "[[entry]]\nright = \"b\"\nwrong = \"(\"\nregex = true\n",
                3,
                "invalid regular expression",
            ),
            ("[[entry]]\nwrong = \"a\nright = \"b\"\n", 2, ""),
        ];
        for (text, line, message) in cases {
            match parse(text) {
                Err(GlossaryError::Invalid {
                    line: l,
                    message: m,
                    ..
                }) => {
                    assert_eq!(l, line, "{text}: {m}");
                    assert!(m.contains(message), "{text}: {m}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
