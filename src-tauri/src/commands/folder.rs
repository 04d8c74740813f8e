//! Folders and recent files.

use std::path::Path;

use cueline_transcript_store::scan_folder;
use tauri::AppHandle;
use tracing::instrument;

use super::blocking;
use crate::ipc::dto::FolderView;
use crate::ipc::error::IpcError;
use crate::launch::Launch;
use crate::state::AppState;

/// The transcripts under `path`, grouped into episodes.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn open_folder(app: AppHandle, path: String) -> Result<FolderView, IpcError> {
    blocking(app, move |s| open_chosen(s, Path::new(&path))).await
}

/// `open_folder`: the transcripts of a folder the user chose (or one below it); any other
/// folder is refused before it is listed.
pub fn open_chosen(state: &AppState, path: &Path) -> Result<FolderView, IpcError> {
    folder_view(&state.grants.check(path)?)
}

/// The folder the app was started with (`cueline-desktop DIR`), if any.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn initial_folder(app: AppHandle) -> Result<Option<FolderView>, IpcError> {
    blocking(app, |s| match &s.launch {
        Launch::Folder(dir) => folder_view(dir).map(Some),
        _ => Ok(None),
    })
    .await
}

/// Recently opened files, most recent first (never an error: a broken list is empty).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn recent_files(app: AppHandle) -> Result<Vec<String>, IpcError> {
    blocking(app, |s| Ok(recent(s))).await
}

/// The recent list as the window shows it. The list is the app's own (written by opens), so
/// what it names is granted: the user may open it from the sidebar.
pub fn recent(state: &AppState) -> Vec<String> {
    let recent = state.recent.as_ref().map(|r| r.load()).unwrap_or_default();
    for path in &recent {
        state.grants.grant(Path::new(path));
    }
    recent
}

pub fn folder_view(path: &Path) -> Result<FolderView, IpcError> {
    match scan_folder(path) {
        Ok(folder) => Ok(folder.into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(IpcError::not_found(&path.display().to_string()))
        }
        Err(e) => Err(IpcError::io(
            path,
            format!("Cannot open the folder {}: {e}", path.display()),
        )),
    }
}
