//! The app's settings (`$XDG_CONFIG_HOME/cueline/settings.json`).

use tauri::AppHandle;
use tracing::instrument;

use super::blocking;
use crate::ipc::dto::SettingsDto;
use crate::ipc::error::IpcError;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn get_settings(app: AppHandle) -> Result<SettingsDto, IpcError> {
    blocking(app, |s| Ok(s.settings().into())).await
}

/// Stores the settings and applies them to the open documents.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn set_settings(app: AppHandle, settings: SettingsDto) -> Result<SettingsDto, IpcError> {
    let handle = app.clone();
    let stored = blocking(app, move |s| set(s, settings)).await?;
    // The menu's accelerators are the key bindings: answer only once the new menu is in place
    // on the main thread, so a key pressed right after the change already runs its new command
    // (an old accelerator firing after the answer was seen as a flaky rebinding test).
    let (done, menu_set) = std::sync::mpsc::channel();
    let h = handle.clone();
    let queued = handle.run_on_main_thread(move || {
        crate::menu::rebuild(&h);
        let _ = done.send(());
    });
    match queued {
        Ok(()) => {
            let waited = tauri::async_runtime::spawn_blocking(move || {
                menu_set.recv_timeout(std::time::Duration::from_secs(5))
            })
            .await;
            if !matches!(waited, Ok(Ok(()))) {
                tracing::warn!("the menu was not rebuilt within 5 s");
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot rebuild the menu"),
    }
    Ok(stored)
}

pub fn set(state: &AppState, settings: SettingsDto) -> Result<SettingsDto, IpcError> {
    let settings = cueline_transcript_store::Settings::from(settings);
    if let Some(file) = &state.settings_file {
        file.store(&settings)
            .map_err(|e| IpcError::io(file.file(), e.to_string()))?;
    }
    state.audio.set_auto_rewind(settings.auto_rewind_ms);
    state.review.set_lang(&settings.spelling_language);
    state.set_settings_value(settings.clone());
    let open = state.open();
    for (id, doc) in open.iter_with_ids() {
        if open.demo != Some(id) {
            doc.set_autosave(settings.autosave_policy());
        }
    }
    Ok(settings.into())
}
