//! Review progress commands: the marks of a document, Ctrl+K, the next cue not checked, and
//! the counts for the project sidebar. The work is in [`crate::progress`] and
//! `cueline-progress`.

use tauri::AppHandle;
use tracing::instrument;

use super::blocking;
use crate::ipc::error::IpcError;
use crate::ipc::progress::{ProgressSummary, ProgressView};
use crate::progress;

/// The mark of every cue of document `doc_id`, and the counts.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn review_progress(app: AppHandle, doc_id: u32) -> Result<ProgressView, IpcError> {
    blocking(app, move |s| progress::view(s, doc_id)).await
}

/// Toggles *checked* on cue `cue_index` (checked becomes listened).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn toggle_checked(
    app: AppHandle,
    doc_id: u32,
    cue_index: u32,
) -> Result<ProgressView, IpcError> {
    blocking(app, move |s| progress::toggle_checked(s, doc_id, cue_index)).await
}

/// The next (`forward`) or previous cue after `from` that is not checked (wrapping around);
/// `null` when every cue is checked.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn next_unreviewed(
    app: AppHandle,
    doc_id: u32,
    from: Option<u32>,
    forward: bool,
) -> Result<Option<u32>, IpcError> {
    blocking(app, move |s| {
        progress::next_unreviewed(s, doc_id, from, forward)
    })
    .await
}

/// The counts of each transcript in `paths` that has marks (open or not).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app, paths), err(Debug))]
pub async fn progress_summaries(
    app: AppHandle,
    paths: Vec<String>,
) -> Result<Vec<ProgressSummary>, IpcError> {
    blocking(app, move |s| Ok(progress::summaries(s, paths))).await
}
