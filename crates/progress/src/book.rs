//! The progress file of one transcript: `$XDG_DATA_HOME/cueline/review/<hash>.progress.json`.
//!
//! Why there: review marks are the user's, not the project's; kept in the repository they
//! would show in every diff and collide between editors. The folder is the one of the crash
//! journal and `places.json`; other review state (rejected flags) lives beside it under its own
//! suffix. The name is the hash of the transcript's canonical path, so a transcript opened
//! through a symbolic link or a relative path finds the same file; the path itself is kept
//! inside for people reading the folder.
//!
//! Written atomically (`write_atomic` of the store: temp file, fsync, rename). A missing file
//! is no progress; a corrupt or unknown-version one is logged and read as no progress (the
//! next save replaces it) and never stops the editor.

use std::io;
use std::path::{Path, PathBuf};

use cueline_transcript_store::{data_dir, write_atomic};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::marks::{Counts, KeyedMark};

/// The folder of review state under the data folder.
pub const REVIEW_DIR: &str = "review";

/// The suffix of progress files (`<hash>.progress.json`).
pub const SUFFIX: &str = ".progress.json";

/// The format version written; files of another version are ignored.
pub const VERSION: u32 = 1;

/// Why a progress file could not be written.
#[derive(Debug, Error)]
pub enum ProgressError {
    #[error("{}: cannot create the review folder: {source}", dir.display())]
    CreateDir { dir: PathBuf, source: io::Error },
    #[error("cannot write the review progress: {0}")]
    Write(#[from] cueline_transcript_store::WriteError),
    #[error("cannot encode the review progress: {0}")]
    Encode(#[from] serde_json::Error),
}

/// What a progress file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressFile {
    pub version: u32,
    /// The transcript's canonical path (for people; the file name is what is looked up).
    pub transcript: PathBuf,
    /// The counts when it was written (the sidebar re-keys against the file instead when it
    /// can read it).
    pub counts: Counts,
    /// Every cue that is not unreviewed.
    pub marks: Vec<KeyedMark>,
}

/// `$XDG_DATA_HOME/cueline/review` (from the environment), if a data folder is known.
pub fn review_dir_from_env() -> Option<PathBuf> {
    data_dir(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
        .map(|d| d.join(REVIEW_DIR))
}

/// The progress file of `transcript` (a canonical path) in `dir`.
pub fn progress_path(dir: &Path, transcript: &Path) -> PathBuf {
    let hash = blake3::hash(transcript.as_os_str().as_encoded_bytes());
    let hex = hash.to_hex();
    dir.join(format!("{}{SUFFIX}", &hex.as_str()[..32]))
}

/// The stored marks of `transcript` (empty when there are none or the file is unreadable).
pub fn read(dir: &Path, transcript: &Path) -> Option<ProgressFile> {
    let file = progress_path(dir, transcript);
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(file = %file.display(), error = %e, "cannot read review progress");
            return None;
        }
    };
    match serde_json::from_slice::<ProgressFile>(&bytes) {
        Ok(p) if p.version == VERSION => Some(p),
        Ok(p) => {
            tracing::warn!(file = %file.display(), version = p.version, "ignoring review progress of another version");
            None
        }
        Err(e) => {
            tracing::warn!(file = %file.display(), error = %e, "ignoring a corrupt review progress file");
            None
        }
    }
}

/// Writes `progress` for its transcript into `dir`, atomically.
///
/// # Errors
/// The folder cannot be made or the file cannot be written (the old file stays as it was).
pub fn write(dir: &Path, progress: &ProgressFile) -> Result<PathBuf, ProgressError> {
    std::fs::create_dir_all(dir).map_err(|source| ProgressError::CreateDir {
        dir: dir.to_owned(),
        source,
    })?;
    let file = progress_path(dir, &progress.transcript);
    let json = serde_json::to_vec(progress)?;
    write_atomic(&file, &json)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marks::{Cue, Mark, counts, keyed};

    #[test]
    fn written_files_read_back_and_bad_ones_read_as_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let review = dir.path().join("cueline/review");
        let t = dir.path().join("ep.vtt");
        assert!(read(&review, &t).is_none());
        let cues = vec![Cue::new("a", 0), Cue::new("b", 10)];
        let marks = [Mark::Checked, Mark::Listened];
        let p = ProgressFile {
            version: VERSION,
            transcript: t.clone(),
            counts: counts(&marks),
            marks: keyed(&cues, &marks),
        };
        let file = write(&review, &p).unwrap();
        assert!(file.to_string_lossy().ends_with(SUFFIX));
        assert_eq!(read(&review, &t), Some(p.clone()));
        // Another transcript has another file.
        assert_ne!(progress_path(&review, &dir.path().join("other.vtt")), file);
        std::fs::write(&file, b"{oops").unwrap();
        assert!(read(&review, &t).is_none());
        std::fs::write(
            &file,
            serde_json::to_vec(&ProgressFile { version: 99, ..p }).unwrap(),
        )
        .unwrap();
        assert!(read(&review, &t).is_none());
    }

    #[test]
    fn an_unwritable_folder_is_an_error_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let p = ProgressFile {
            version: VERSION,
            transcript: dir.path().join("t.vtt"),
            counts: Counts::default(),
            marks: Vec::new(),
        };
        assert!(matches!(
            write(&blocker.join("review"), &p),
            Err(ProgressError::CreateDir { .. })
        ));
    }
}
