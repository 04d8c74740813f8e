//! Every file of the work tree that differs from `HEAD` or is staged, with its changed cues:
//! what the project view marks, the *Changes* view lists and the commit dialog offers.
//!
//! Why one list from `git status`: it already says, per file, staged against `HEAD` and working
//! against the index, and untracked files one by one, in one process. Transcripts among them are
//! compared cue by cue (the committed bytes of all of them in one `cat-file --batch`); the working
//! file is read from disk, so the counts are what a commit of the files would contain.

use std::path::Path;

use cueline_transcript::Format;

use crate::compare::{FileComparison, compare_bytes};
use crate::repo::{GitError, Repo};

/// One changed file.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Relative to the work tree's root, `/`-separated.
    pub path: String,
    /// The index differs from `HEAD` for it.
    pub staged: bool,
    /// The working file differs from the index.
    pub modified: bool,
    pub untracked: bool,
    /// Gone from the working tree.
    pub deleted: bool,
    /// Its transcript format, for `.vtt`, `.srt` and `.txt` files.
    pub format: Option<Format>,
    /// A transcript's cues against `HEAD` (empty for other files).
    pub comparison: FileComparison,
}

impl FileChange {
    /// How many cues differ from `HEAD` (0 for a file that is not a transcript).
    pub fn changed_cues(&self) -> usize {
        self.comparison.changes.len()
    }
}

/// The changed files of `repo`, by path; unmerged files are left out (there is nothing to
/// commit while a merge is in progress).
pub fn worktree_changes(repo: &Repo) -> Result<Vec<FileChange>, GitError> {
    let mut entries = repo.status()?;
    entries.retain(|e| !e.unmerged);
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let head = repo.head()?;
    let transcripts: Vec<String> = entries
        .iter()
        .filter(|e| Format::from_path(Path::new(&e.path)).is_some())
        .map(|e| e.path.clone())
        .collect();
    let mut committed = match &head {
        Some(c) => repo.files_at(c, &transcripts)?,
        None => vec![None; transcripts.len()],
    }
    .into_iter();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let abs = repo.root().join(&e.path);
        let deleted = !e.untracked && std::fs::symlink_metadata(&abs).is_err();
        let format = Format::from_path(Path::new(&e.path));
        let comparison = match format {
            Some(f) => {
                let old = committed.next().flatten();
                let new = if deleted {
                    None
                } else {
                    match std::fs::read(&abs) {
                        Ok(b) => Some(b),
                        Err(source) => return Err(GitError::Path { path: abs, source }),
                    }
                };
                compare_bytes(old.as_deref(), new.as_deref(), f)
            }
            None => FileComparison::default(),
        };
        out.push(FileChange {
            path: e.path,
            staged: e.staged,
            modified: e.modified,
            untracked: e.untracked,
            deleted,
            format,
            comparison,
        });
    }
    Ok(out)
}
