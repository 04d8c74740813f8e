//! `#[tauri::command]` wrappers: a few lines each. Each runs a plain function of
//! [`crate::state::AppState`] (testable without Tauri) on a blocking thread, because most
//! touch the disk and the rest may take a few milliseconds on a large document.

pub mod audio;
pub mod dialog;
pub mod document;
pub mod folder;
pub mod git;
pub mod progress;
pub mod project;
pub mod review;
pub mod settings;
pub mod window;

use tauri::{AppHandle, Manager};

use crate::ipc::error::IpcError;
use crate::state::AppState;

/// Runs `f` with the app state on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppState) -> Result<T, IpcError> + Send + 'static,
) -> Result<T, IpcError> {
    let task = tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        state.ui_alive();
        f(state.inner())
    });
    match task.await {
        Ok(result) => result,
        Err(err) => {
            tracing::error!(error = %err, "command task failed");
            Err(IpcError::Io {
                path: String::new(),
                message: format!("Internal error: {err}"),
            })
        }
    }
}

#[cfg(test)]
mod chosen_tests;
