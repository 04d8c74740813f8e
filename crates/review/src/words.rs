//! Known words: the project's `.cueline/words.txt`, the glossary's `right` terms and the
//! user's `$XDG_CONFIG_HOME/cueline/words.txt`.
//!
//! Why a plain text file in the repository: the names of a show (guests, libraries) are the
//! same in every episode, reviewed and versioned with the transcripts. Syntax, per line
//! (trimmed): empty lines and lines starting with `#` are comments (so `C#` is a word); a
//! line ending in ` ~` is a name matched loosely by sound; a line starting with `!` is a span
//! never flagged as sounds-like (`!rough idea`); anything else is a word or phrase.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Where the project's words live, relative to the repository root.
pub const WORDS_PATH: &str = ".cueline/words.txt";

/// Why a word list could not be used.
#[derive(Debug, Error)]
pub enum WordsError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(transparent)]
    Glossary(#[from] cueline_repository::GlossaryError),
}

/// One known word or phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub text: String,
    /// Marked ` ~`: matched by sound even against ordinary dictionary words.
    pub loose: bool,
}

impl Known {
    /// A name is compared by sound: it has a capital letter, more than one word, or ` ~`.
    pub fn is_name(&self) -> bool {
        self.loose || self.text.chars().any(char::is_uppercase) || self.words() > 1
    }

    pub fn words(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// Every known word and never-flag span, from every source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownWords {
    pub words: Vec<Known>,
    /// `!` spans: never flagged as sounds-like.
    pub never: Vec<String>,
}

impl KnownWords {
    /// Parses `words.txt` syntax; `path` names it in messages.
    pub fn parse(text: &str, path: &Path) -> Result<KnownWords, WordsError> {
        let mut out = KnownWords::default();
        out.add_text(text, path)?;
        Ok(out)
    }

    fn add_text(&mut self, text: &str, path: &Path) -> Result<(), WordsError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let invalid = |message: &str| WordsError::Invalid {
                path: path.to_path_buf(),
                line: i + 1,
                message: message.to_owned(),
            };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(span) = line.strip_prefix('!') {
                let span = span.trim();
                if span.is_empty() {
                    return Err(invalid("`!` with no span after it"));
                }
                self.never.push(span.to_owned());
            } else if let Some(name) = line.strip_suffix(" ~") {
                let name = name.trim();
                if name.is_empty() {
                    return Err(invalid("` ~` with no name before it"));
                }
                self.push(name, true);
            } else if line == "~" {
                return Err(invalid("` ~` with no name before it"));
            } else {
                self.push(line, false);
            }
        }
        Ok(())
    }

    fn push(&mut self, text: &str, loose: bool) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        match self.words.iter_mut().find(|k| k.text == text) {
            Some(k) => k.loose |= loose,
            None => self.words.push(Known { text, loose }),
        }
    }

    /// Adds a `words.txt` file.
    pub fn add_file(&mut self, path: &Path) -> Result<(), WordsError> {
        let read_error = |source| WordsError::Read {
            path: path.to_path_buf(),
            source,
        };
        let bytes = cueline_transcript_store::read_input_file(path).map_err(read_error)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| read_error(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        self.add_text(&text, path)
    }

    /// Adds the `right` term of every non-regex glossary entry.
    pub fn add_glossary(&mut self, glossary: &cueline_repository::Glossary) {
        for e in glossary.entries.iter().filter(|e| !e.regex) {
            if !e.right.trim().is_empty() {
                self.push(&e.right, false);
            }
        }
    }

    /// Everything known for transcripts at `start`: the project's words and glossary (found
    /// by [`cueline_repository::find_project_file`], the glossary's own rule) and the user's list.
    /// `glossary` names the glossary to use instead of the one found.
    pub fn for_path(start: &Path, glossary: Option<&Path>) -> Result<KnownWords, WordsError> {
        let mut out = KnownWords::default();
        if let Some(p) = cueline_repository::find_project_file(start, WORDS_PATH) {
            out.add_file(&p)?;
        }
        let glossary = glossary
            .map(Path::to_path_buf)
            .or_else(|| cueline_repository::Glossary::find_above(start));
        if let Some(p) = glossary {
            out.add_glossary(&cueline_repository::Glossary::load(&p)?);
        }
        if let Some(p) = user_words_path().filter(|p| p.exists()) {
            out.add_file(&p)?;
        }
        Ok(out)
    }
}

/// `$XDG_CONFIG_HOME/cueline/words.txt` (else `~/.config/cueline/words.txt`).
pub fn user_words_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("cueline/words.txt"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn syntax_of_words_txt() {
        let text = "# names\n  C#  \nMatt Makai\nruff ~\n!rough idea\n\nLangChain\n";
        let w = KnownWords::parse(text, Path::new("w")).unwrap();
        let texts: Vec<_> = w.words.iter().map(|k| (k.text.as_str(), k.loose)).collect();
        assert_eq!(
            texts,
            [
                ("C#", false),
                ("Matt Makai", false),
                ("ruff", true),
                ("LangChain", false)
            ]
        );
        assert_eq!(w.never, ["rough idea"]);
        assert!(
            w.words[2].is_name()
                && w.words[1].is_name()
                && !KnownWords::parse("uv", Path::new("w")).unwrap().words[0].is_name()
        );
    }

    #[test]
    fn bad_lines_name_their_line() {
        let e = KnownWords::parse("ok\n!\n", Path::new("w.txt")).unwrap_err();
        assert_eq!(e.to_string(), "w.txt:2: `!` with no span after it");
    }
}
