//! The window: closing after the UI asked about unsaved changes.

use tauri::{AppHandle, Manager};
use tracing::instrument;

use crate::ipc::error::IpcError;

/// Closes the app without asking again (the UI asked, and the user chose to discard or saved).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn force_close(app: AppHandle) -> Result<(), IpcError> {
    tracing::info!("force_close");
    crate::progress::flush(&app.state::<crate::state::AppState>());
    app.exit(0);
    Ok(())
}
