//! The native open and save dialogs, run from Rust so that the choice is recorded
//! ([`cueline_session::PathGrants`]) before the page sees it. The page has no dialog permission
//! of its own: a path reaches a path-taking command only if the user picked it here, named it
//! on the command line, dropped it, or it is on the recent list (see `state::AppState::grants`).

use std::path::{Path, PathBuf};

use cueline_session::grants::{AUDIO, TRANSCRIPTS};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};
use tracing::instrument;

use super::blocking;
use crate::ipc::error::IpcError;

/// What a dialog asks for.
enum Pick {
    Transcript,
    Folder,
    Audio,
    SaveAs(PathBuf),
}

/// A dialog parented to the main window, with the filter of `pick`.
fn dialog(app: &AppHandle, pick: &Pick) -> FileDialogBuilder<tauri::Wry> {
    let mut d = app.dialog().file();
    if let Some(window) = app.get_webview_window("main") {
        d = d.set_parent(&window);
    }
    match pick {
        Pick::Transcript => d.add_filter("Transcripts", TRANSCRIPTS),
        Pick::Audio => d.add_filter("Audio", AUDIO),
        Pick::Folder => d,
        Pick::SaveAs(suggested) => {
            let mut d = d.add_filter("Transcripts", TRANSCRIPTS);
            if let Some(dir) = suggested.parent().filter(|p| p.is_dir()) {
                d = d.set_directory(dir);
            }
            if let Some(name) = suggested.file_name() {
                d = d.set_file_name(name.to_string_lossy());
            }
            d
        }
    }
}

/// Shows the dialog (on a blocking thread: the plugin's blocking calls wait for the main
/// loop), records the choice, and returns it; `None` when cancelled.
async fn pick(app: AppHandle, pick: Pick) -> Result<Option<String>, IpcError> {
    let handle = app.clone();
    blocking(app, move |state| {
        let d = dialog(&handle, &pick);
        let chosen: Option<FilePath> = match pick {
            Pick::Transcript | Pick::Audio => d.blocking_pick_file(),
            Pick::Folder => d.blocking_pick_folder(),
            Pick::SaveAs(_) => d.blocking_save_file(),
        };
        let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
            return Ok(None);
        };
        match pick {
            Pick::SaveAs(_) => state.grants.grant_save_target(&path),
            _ => state.grants.grant(&path),
        }
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// The open dialog for a transcript (`.vtt`, `.srt`, `.txt`); `null` when cancelled.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn pick_file(app: AppHandle) -> Result<Option<String>, IpcError> {
    pick(app, Pick::Transcript).await
}

/// The open dialog for a folder; `null` when cancelled.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn pick_folder(app: AppHandle) -> Result<Option<String>, IpcError> {
    pick(app, Pick::Folder).await
}

/// The open dialog for an audio file; `null` when cancelled.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn pick_audio(app: AppHandle) -> Result<Option<String>, IpcError> {
    pick(app, Pick::Audio).await
}

/// The save dialog, suggesting `suggested` (folder and name); `null` when cancelled.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn pick_save_path(app: AppHandle, suggested: String) -> Result<Option<String>, IpcError> {
    pick(app, Pick::SaveAs(Path::new(&suggested).to_path_buf())).await
}
