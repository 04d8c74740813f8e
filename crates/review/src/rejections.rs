//! Sounds-like flags the user rejected ("no, here it really is *cloud code*"), per cue.
//!
//! Why outside the transcript and the repository: a rejection is one editor's judgement about
//! one cue, not a fact about the show (that is what `!span` lines in `.cueline/words.txt` are
//! for). Kept in `$XDG_DATA_HOME/cueline/review/<hash>.rejections.json`, one file per
//! transcript, `<hash>` the blake3 of its canonical path (the review-progress marks live in
//! the same folder under other names). A rejection is keyed by the hash of the cue's text, so
//! it holds while the cue says the same thing (also after the cue moved or was retimed) and
//! lapses when the cue is edited.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One rejected sounds-like flag.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Rejection {
    /// [`cue_hash`] of the cue's text.
    pub cue: String,
    /// The flagged span, as written.
    pub heard: String,
    /// The name it sounded like.
    pub name: String,
}

/// The hash a rejection is keyed by: hex blake3 of the cue text, first 16 bytes.
pub fn cue_hash(text: &str) -> String {
    let hex = blake3::hash(text.as_bytes()).to_hex();
    hex[..32].to_owned()
}

/// The rejections file of the transcript at `transcript` in `review_dir`.
pub fn rejections_file(review_dir: &Path, transcript: &Path) -> PathBuf {
    let canonical = std::fs::canonicalize(transcript).unwrap_or_else(|_| transcript.to_path_buf());
    let key = blake3::hash(canonical.as_os_str().as_encoded_bytes()).to_hex();
    review_dir.join(format!("{key}.rejections.json"))
}

/// `$XDG_DATA_HOME/cueline/review` (else `~/.local/share/cueline/review`).
pub fn default_review_dir() -> Option<PathBuf> {
    cueline_transcript_store::data_dir(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
        .map(|d| d.join("review"))
}

#[derive(Debug, Serialize, Deserialize)]
struct FileContents {
    /// The transcript, for a person looking at the folder.
    path: String,
    rejections: Vec<Rejection>,
}

/// Why a rejection could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum RejectionsError {
    #[error("{}: cannot create the folder: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: cueline_transcript_store::WriteError,
    },
    #[error("no data folder to keep rejections in (set XDG_DATA_HOME or HOME)")]
    NoFolder,
}

/// The rejections of one transcript, and where they are kept.
#[derive(Debug, Clone, Default)]
pub struct Rejections {
    file: Option<PathBuf>,
    transcript: String,
    set: BTreeSet<Rejection>,
}

impl Rejections {
    /// Reads the rejections of `transcript` from `review_dir` (none if the file is missing;
    /// a corrupt file reads as none and is replaced at the next rejection).
    pub fn load(review_dir: &Path, transcript: &Path) -> Rejections {
        let file = rejections_file(review_dir, transcript);
        let set = match std::fs::read(&file) {
            Ok(bytes) => match serde_json::from_slice::<FileContents>(&bytes) {
                Ok(c) => c.rejections.into_iter().collect(),
                Err(e) => {
                    tracing::warn!(file = %file.display(), error = %e, "unreadable rejections file: ignored");
                    BTreeSet::new()
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeSet::new(),
            Err(e) => {
                tracing::warn!(file = %file.display(), error = %e, "cannot read the rejections file");
                BTreeSet::new()
            }
        };
        Rejections {
            file: Some(file),
            transcript: transcript.display().to_string(),
            set,
        }
    }

    /// Whether the sounds-like flag `heard` -> `name` was rejected in a cue saying `text`.
    pub fn contains(&self, text: &str, heard: &str, name: &str) -> bool {
        if self.set.is_empty() {
            return false;
        }
        self.set.contains(&Rejection {
            cue: cue_hash(text),
            heard: heard.to_owned(),
            name: name.to_owned(),
        })
    }

    /// Adds a rejection in memory only (tests, or no data folder).
    pub fn insert_for(&mut self, text: &str, heard: &str, name: &str) -> bool {
        self.set.insert(Rejection {
            cue: cue_hash(text),
            heard: heard.to_owned(),
            name: name.to_owned(),
        })
    }

    /// Adds a rejection and writes the file (atomically).
    pub fn add(&mut self, text: &str, heard: &str, name: &str) -> Result<(), RejectionsError> {
        let file = self.file.clone().ok_or(RejectionsError::NoFolder)?;
        if !self.insert_for(text, heard, name) {
            return Ok(());
        }
        let contents = FileContents {
            path: self.transcript.clone(),
            rejections: self.set.iter().cloned().collect(),
        };
        let mut json = serde_json::to_vec_pretty(&contents).unwrap_or_default();
        json.push(b'\n');
        if let Some(dir) = file.parent()
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            return Err(RejectionsError::CreateDir {
                path: dir.to_path_buf(),
                source: e,
            });
        }
        cueline_transcript_store::write_atomic(&file, &json)
            .map_err(|source| RejectionsError::Write { path: file, source })
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_rejection_survives_a_reload_and_lapses_with_an_edit() {
        let dir = tempfile::tempdir().unwrap();
        let transcript = dir.path().join("ep.vtt");
        std::fs::write(&transcript, "WEBVTT\n").unwrap();
        let review = dir.path().join("data/review");
        let mut r = Rejections::load(&review, &transcript);
        assert!(r.is_empty());
        r.add("about Cloud Code", "Cloud Code", "Claude Code")
            .unwrap();
        let file = rejections_file(&review, &transcript);
        assert!(file.to_string_lossy().ends_with(".rejections.json"));
        let again = Rejections::load(&review, &transcript);
        assert!(again.contains("about Cloud Code", "Cloud Code", "Claude Code"));
        assert!(!again.contains("about Cloud Code!", "Cloud Code", "Claude Code"));
        // a corrupt file reads as none
        std::fs::write(&file, b"{oops").unwrap();
        assert!(Rejections::load(&review, &transcript).is_empty());
    }
}
