//! The git features (issue 14): change marks, the look at a change, revert to the last commit,
//! the work tree's status, the commit message and the commit. Bodies in `crate::git`.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager};
use tracing::instrument;

use super::blocking;
use crate::git::{self, GitHeads};
use crate::ipc::dto::DocumentView;
use crate::ipc::error::IpcError;
use crate::ipc::git::{GitChangeDto, GitChangeRef, GitCommitDto, GitMarksDto, GitStatusDto};
use crate::state::AppState;

/// `near` (the file or folder whose work tree the git commands look at), if the user chose it;
/// git is never run in a folder the page made up.
pub fn chosen(state: &AppState, near: &str) -> Result<PathBuf, IpcError> {
    Ok(state.grants.check(Path::new(near))?)
}

/// The change marks of a document against the last commit; `refresh` looks at `HEAD` again.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn git_marks(
    app: AppHandle,
    doc_id: u32,
    refresh: bool,
) -> Result<GitMarksDto, IpcError> {
    let handle = app.clone();
    blocking(app, move |s| {
        git::marks(s, &handle.state::<GitHeads>(), doc_id, refresh)
    })
    .await
}

/// One change with its committed version and the words that differ.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn git_change(
    app: AppHandle,
    doc_id: u32,
    change: GitChangeRef,
) -> Result<GitChangeDto, IpcError> {
    let handle = app.clone();
    blocking(app, move |s| {
        git::change(s, &handle.state::<GitHeads>(), doc_id, change)
    })
    .await
}

/// *Revert to last commit* for one cue, as one undo step.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn git_revert_cue(
    app: AppHandle,
    doc_id: u32,
    change: GitChangeRef,
) -> Result<DocumentView, IpcError> {
    let handle = app.clone();
    blocking(app, move |s| {
        git::revert(s, &handle.state::<GitHeads>(), doc_id, change)
    })
    .await
}

/// The changed files of the work tree holding `near` (a file or folder).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn git_status(app: AppHandle, near: String) -> Result<GitStatusDto, IpcError> {
    blocking(app, move |s| git::status(&chosen(s, &near)?)).await
}

/// The message the commit dialog starts from for `paths` (relative to the root).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn git_commit_message(
    app: AppHandle,
    near: String,
    paths: Vec<String>,
) -> Result<String, IpcError> {
    blocking(app, move |s| git::message(&chosen(s, &near)?, &paths)).await
}

/// Commits exactly `paths` (`git commit --only`), after saving their unsaved edits.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app, message), err(Debug))]
pub async fn git_commit(
    app: AppHandle,
    near: String,
    paths: Vec<String>,
    message: String,
) -> Result<GitCommitDto, IpcError> {
    let handle = app.clone();
    blocking(app, move |s| {
        git::commit(
            s,
            &handle.state::<GitHeads>(),
            &chosen(s, &near)?,
            &paths,
            &message,
        )
    })
    .await
}
