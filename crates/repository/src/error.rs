//! The errors of repository mode, one type per operation, so a caller can tell "nothing was
//! written" (every variant of [`ApplyError`]) from a per-file refusal inside a result
//! ([`crate::Undone::refused`]).

use std::io;
use std::path::PathBuf;

use cueline_transcript_store::WriteError;
use thiserror::Error;

/// Why a project could not be opened.
#[derive(Debug, Error)]
pub enum ProjectError {
    #[error("{}: cannot open the project: {source}", path.display())]
    Open { path: PathBuf, source: io::Error },
    #[error("{} is not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("{} is not a transcript (.vtt, .srt or .txt)", path.display())]
    NotATranscript { path: PathBuf },
}

/// Why a search gave no results.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SearchError {
    #[error("{0}")]
    Query(cueline_transcript::search::SearchError),
    /// The cancel flag was raised (a newer query replaced this one).
    #[error("the search was cancelled")]
    Cancelled,
}

/// Why a replace could not be planned. Nothing was changed.
#[derive(Debug, Error)]
pub enum PlanError {
    #[error("{0}")]
    Query(cueline_transcript::search::SearchError),
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
}

/// Why a plan was not applied. In every case **nothing was written**, except
/// [`ApplyError::Write`] with a non-empty `replaced` list of a failed rename.
#[derive(Debug, Error)]
pub enum ApplyError {
    /// Files changed on disk since the plan was made (their content hash differs).
    #[error(
        "{} changed since the replace was planned; nothing was written",
        list(paths)
    )]
    Changed { paths: Vec<PathBuf> },
    /// The plan includes a file whose content came from an editor: its edits must go through
    /// that editor (see [`crate::ReplacePlan::take_files`]).
    #[error("{} is open in an editor: apply its edits there; nothing was written", path.display())]
    OpenInEditor { path: PathBuf },
    #[error("{}: cannot read: {source}; nothing was written", path.display())]
    Read { path: PathBuf, source: io::Error },
    /// A replacement would make an invalid cue (an empty line, `-->`, a line break in TXT).
    #[error("{}:{line}: cannot replace in cue {cue}: {message}; nothing was written", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        cue: usize,
        message: String,
    },
    #[error("{}: {reason}; nothing was written", path.display())]
    ReadOnly { path: PathBuf, reason: String },
    #[error("{0}")]
    Write(#[from] WriteError),
}

/// Why an undo failed as a whole (files that changed since are refused one by one instead).
#[derive(Debug, Error)]
pub enum UndoError {
    #[error("{0}")]
    Write(#[from] WriteError),
}

fn list(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}
