//! Wire types of the git features (issue 14): a document's change marks, the look at one
//! change, the work tree's changed files for the project view and the commit dialog, and a
//! commit's outcome. Mapped from `cueline-git`; no git logic here.

use cueline_git::{ChangeKind, ChangeRef, CueChange, CueSnapshot, FileChange, WordRun};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Whether the git features show: `hidden` (no git, not a work tree, a bare repository, the
/// demo), `refused` (git refused to work here, e.g. "dubious ownership": `message` says why),
/// or `ready`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum GitAvailability {
    Hidden,
    Refused,
    Ready,
}

/// What happened to one cue since the last commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum GitChangeKind {
    Text,
    Timing,
    TextTiming,
    Inserted,
    Deleted,
}

impl From<ChangeKind> for GitChangeKind {
    fn from(k: ChangeKind) -> Self {
        match k {
            ChangeKind::Text => GitChangeKind::Text,
            ChangeKind::Timing => GitChangeKind::Timing,
            ChangeKind::TextTiming => GitChangeKind::TextTiming,
            ChangeKind::Inserted => GitChangeKind::Inserted,
            ChangeKind::Deleted => GitChangeKind::Deleted,
        }
    }
}

/// Names one change between calls: a deleted cue by its index in the last commit, any other
/// change by the cue's index in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GitChangeRef {
    pub deleted: bool,
    pub cue: u32,
}

impl From<GitChangeRef> for ChangeRef {
    fn from(r: GitChangeRef) -> Self {
        ChangeRef {
            deleted: r.deleted,
            cue: r.cue as usize,
        }
    }
}

/// One mark of the cue list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GitMarkDto {
    pub kind: GitChangeKind,
    /// The cue the mark is on; for a deleted cue, the cue that now follows it (the cue count
    /// when none does): the thin marker is drawn before it.
    pub at: u32,
    /// How to ask about this change again (`git_change`, `git_revert_cue`).
    pub change: GitChangeRef,
}

impl From<&CueChange> for GitMarkDto {
    fn from(c: &CueChange) -> Self {
        let r = ChangeRef::of(c);
        GitMarkDto {
            kind: c.kind.into(),
            at: c.at as u32,
            change: GitChangeRef {
                deleted: r.deleted,
                cue: r.cue as u32,
            },
        }
    }
}

/// A document's change marks against `HEAD`, for the view of `revision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GitMarksDto {
    pub state: GitAvailability,
    /// Why git is refused (for `refused`).
    pub message: Option<String>,
    pub doc_id: u32,
    /// The document revision the marks were computed for.
    pub revision: u32,
    /// How many cues changed ("N cues changed since the last commit").
    pub changed: u32,
    pub marks: Vec<GitMarkDto>,
    /// The repository has a commit yet.
    pub has_commit: bool,
    /// The last commit has this file.
    pub in_head: bool,
}

impl GitMarksDto {
    pub fn unavailable(doc_id: u32, revision: u32, message: Option<String>) -> GitMarksDto {
        GitMarksDto {
            state: if message.is_some() {
                GitAvailability::Refused
            } else {
                GitAvailability::Hidden
            },
            message,
            doc_id,
            revision,
            changed: 0,
            marks: Vec::new(),
            has_commit: false,
            in_head: false,
        }
    }
}

/// One cue of a version, for the look at a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GitCueDto {
    pub index: u32,
    pub start_ms: u32,
    pub end_ms: Option<u32>,
    pub text: String,
}

impl From<CueSnapshot> for GitCueDto {
    fn from(c: CueSnapshot) -> Self {
        GitCueDto {
            index: c.index as u32,
            start_ms: c.start_ms,
            end_ms: c.end_ms,
            text: c.text,
        }
    }
}

/// A run of the word-level highlight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum WordRunKind {
    Same,
    Removed,
    Added,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WordRunDto {
    pub kind: WordRunKind,
    pub text: String,
}

impl From<WordRun> for WordRunDto {
    fn from(r: WordRun) -> Self {
        let (kind, text) = match r {
            WordRun::Same(t) => (WordRunKind::Same, t),
            WordRun::Removed(t) => (WordRunKind::Removed, t),
            WordRun::Added(t) => (WordRunKind::Added, t),
        };
        WordRunDto { kind, text }
    }
}

/// One change with both versions of its cue and the words that differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GitChangeDto {
    pub kind: GitChangeKind,
    pub change: GitChangeRef,
    /// In the last commit (absent for an inserted cue).
    pub head: Option<GitCueDto>,
    /// In the document (absent for a deleted cue).
    pub now: Option<GitCueDto>,
    pub runs: Vec<WordRunDto>,
}

/// One changed file of the work tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GitFileDto {
    /// Relative to the repository's root, `/`-separated (what a commit names).
    pub path: String,
    /// The absolute path (what the sidebar and the editor open).
    pub abs_path: String,
    /// The `.vtt` and `.txt` of one episode share it: folder and file name without extension.
    pub episode: String,
    pub staged: bool,
    pub modified: bool,
    pub untracked: bool,
    pub deleted: bool,
    pub transcript: bool,
    /// Cues that differ from the last commit (0 for other files).
    pub changed_cues: u32,
}

impl GitFileDto {
    pub fn from_change(f: &FileChange, root: &std::path::Path) -> GitFileDto {
        let episode = match f.path.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() && !stem.ends_with('/') => stem.to_string(),
            _ => f.path.clone(),
        };
        GitFileDto {
            abs_path: root.join(&f.path).display().to_string(),
            episode,
            staged: f.staged,
            modified: f.modified,
            untracked: f.untracked,
            deleted: f.deleted,
            transcript: f.format.is_some(),
            changed_cues: f.changed_cues() as u32,
            path: f.path.clone(),
        }
    }
}

/// The work tree's state for the project view and the commit dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GitStatusDto {
    pub state: GitAvailability,
    /// Why git is refused (for `refused`).
    pub message: Option<String>,
    /// The work tree's root.
    pub root: String,
    /// Why committing is not possible now (a merge, rebase, cherry-pick or revert).
    pub blocked: Option<String>,
    /// `HEAD` names a commit, not a branch: a commit would be on no branch.
    pub detached: bool,
    /// The repository has a commit yet (the first commit works too).
    pub has_commit: bool,
    pub files: Vec<GitFileDto>,
}

impl GitStatusDto {
    pub fn unavailable(message: Option<String>) -> GitStatusDto {
        GitStatusDto {
            state: if message.is_some() {
                GitAvailability::Refused
            } else {
                GitAvailability::Hidden
            },
            message,
            root: String::new(),
            blocked: None,
            detached: false,
            has_commit: false,
            files: Vec::new(),
        }
    }
}

/// A commit that was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GitCommitDto {
    /// The new commit's id.
    pub commit: String,
    /// The files it contains (relative to the root).
    pub files: Vec<String>,
}
