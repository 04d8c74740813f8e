//! Opening documents (read-only for now; editing comes with the editor).

use std::path::PathBuf;

use tauri::State;

use crate::AppState;
use crate::ipc::dto::DocumentView;
use crate::ipc::error::IpcError;
use crate::open;

/// Opens the transcript at `path` and returns its cues and diagnostics.
#[tauri::command]
#[specta::specta]
pub async fn open_document(path: String) -> Result<DocumentView, IpcError> {
    tracing::info!(%path, "open_document");
    let context = path.clone();
    blocking(context, move || {
        open::open_path(&PathBuf::from(path), false)
    })
    .await
}

/// The document the app was started with: the file given on the command line, or the demo.
#[tauri::command]
#[specta::specta]
pub async fn initial_document(state: State<'_, AppState>) -> Result<DocumentView, IpcError> {
    let launch = state.launch.clone();
    tracing::info!(?launch, "initial_document");
    blocking(String::new(), move || launch.open()).await
}

/// Runs file I/O off the main thread.
async fn blocking<T: Send + 'static>(
    path: String,
    f: impl FnOnce() -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(result) => result,
        Err(err) => {
            tracing::error!(%path, error = %err, "open task failed");
            Err(IpcError::Unreadable {
                message: format!("Cannot open {path}: internal error ({err})"),
                path,
            })
        }
    }
}
