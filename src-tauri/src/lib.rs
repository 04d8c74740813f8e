//! The Cueline desktop shell: Tauri composition and the typed IPC surface, nothing else.
//!
//! Domain logic lives in `cueline-transcript` (the model) and `cueline-transcript-store`
//! (files, open documents, saves). This crate maps their types to wire DTOs (`ipc::dto`),
//! reports failures as one typed [`ipc::error::IpcError`], sends typed events
//! (`ipc::events`), builds the native menu (`menu`) and exports TypeScript bindings for the UI
//! (`ipc::bindings`). There is deliberately no global `AppHandle` and no file-system plugin:
//! the UI asks Rust to open paths, and only paths the user chose (`cueline_session::grants`):
//! the dialogs run in Rust (`commands::dialog`), and drops and hand-offs are granted here.

pub mod audio;
pub mod commands;
pub mod git;
pub mod ipc;
pub mod launch;
pub mod logging;
pub mod menu;
pub mod progress;
pub mod project;
pub mod state;

use std::sync::Arc;

use cueline_transcript_store::{RecentFiles, SettingsFile, default_journal_dir};
use launch::Launch;
use tauri::{DragDropEvent, Manager, WindowEvent};
use tauri_specta::Event;

pub use state::AppState;

/// A second launch ran (`cueline FILE` while this window is open): bring the window to the
/// front and open what it named.
fn hand_over(app: &tauri::AppHandle, argv: Vec<String>, cwd: String) {
    tracing::info!(?argv, %cwd, "a second launch handed over");
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
    if let Some(path) = launch::handed_over_path(&argv, std::path::Path::new(&cwd)) {
        request_open(app, vec![path]);
    }
}

/// Records `paths` as chosen by the user (named by a second launch, dropped on the window)
/// and asks the UI to open them.
fn request_open(app: &tauri::AppHandle, paths: Vec<std::path::PathBuf>) {
    let grants = &app.state::<AppState>().grants;
    for path in &paths {
        grants.grant(path);
    }
    let event = ipc::events::OpenRequested {
        paths: paths.iter().map(|p| p.display().to_string()).collect(),
    };
    if let Err(err) = event.emit(app) {
        tracing::warn!(error = %err, "cannot send OpenRequested");
    }
}

/// Review progress: the player's states reach the marks, and changed marks the UI.
fn progress_events(app: &tauri::AppHandle) {
    let state = app.state::<AppState>();
    let events = app.clone();
    state
        .progress
        .set_emitter(Arc::new(move |e: ipc::progress::ProgressChanged| {
            if let Err(err) = e.emit(&events) {
                tracing::debug!(error = %err, "cannot send ProgressChanged");
            }
        }));
    let observing = app.clone();
    state
        .audio
        .set_observer(Arc::new(move |playback: &cueline_player::PlaybackState| {
            progress::observe(&observing.state::<AppState>(), playback);
        }));
}

/// Builds and runs the app with `context` (from `tauri::generate_context!` in `main.rs`).
pub fn run(launch: Launch, context: tauri::Context<tauri::Wry>) -> tauri::Result<()> {
    let builder = ipc::bindings::specta_builder();
    let invoke_handler = builder.invoke_handler();
    tauri::Builder::default()
        // First, so a second launch hands its FILE over and exits before any window exists.
        // Without a D-Bus session bus it logs a warning and every launch runs on its own.
        .plugin(tauri_plugin_single_instance::init(hand_over))
        .plugin(tauri_plugin_dialog::init())
        .manage(
            AppState::new(
                launch,
                RecentFiles::from_env(),
                SettingsFile::from_env(),
                default_journal_dir(),
            )
            .with_audio(audio::Audio::from_env())
            .with_progress(cueline_progress::ProgressStore::from_env()),
        )
        .manage(git::GitHeads::default())
        .invoke_handler(invoke_handler)
        .menu(menu::build)
        .on_menu_event(menu::on_event)
        .on_window_event(|window, event| match event {
            WindowEvent::CloseRequested { api, .. }
                if window.state::<AppState>().close_requested() == state::CloseDecision::AskUi =>
            {
                api.prevent_close();
                menu::ask_before_closing(window.app_handle());
            }
            // Dropped files are handled here, not in the page, so they are granted first.
            WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) if !paths.is_empty() => {
                request_open(window.app_handle(), paths.clone());
            }
            _ => {}
        })
        .setup(move |app| {
            // a project replace (or its undo) killed half-way: completed or undone first
            for settled in cueline_transcript_store::settle_default() {
                tracing::warn!(%settled, "settled an interrupted write");
            }
            builder.mount_events(app);
            let handle = app.handle().clone();
            app.state::<AppState>().set_emitter(Arc::new(
                move |e: ipc::events::DocumentChanged| {
                    if let Err(err) = e.emit(&handle) {
                        tracing::warn!(error = %err, "cannot send DocumentChanged");
                    }
                },
            ));
            let project_events = app.handle().clone();
            app.state::<AppState>().set_project_emitter(Arc::new(
                move |change: project::ProjectChange| {
                    let sent = match change {
                        project::ProjectChange::Changed(e) => e.emit(&project_events),
                        project::ProjectChange::Progress(e) => e.emit(&project_events),
                    };
                    if let Err(err) = sent {
                        tracing::debug!(error = %err, "cannot send a project event");
                    }
                },
            ));
            progress_events(app.handle());
            let (playback, waveform) = (app.handle().clone(), app.handle().clone());
            app.state::<AppState>().audio.set_emitters(
                Arc::new(move |e: ipc::audio::PlaybackChanged| {
                    if let Err(err) = e.emit(&playback) {
                        tracing::debug!(error = %err, "cannot send PlaybackChanged");
                    }
                }),
                Arc::new(move |e: ipc::audio::WaveformProgress| {
                    if let Err(err) = e.emit(&waveform) {
                        tracing::debug!(error = %err, "cannot send WaveformProgress");
                    }
                }),
            );
            Ok(())
        })
        .build(context)?
        .run(|app, event| {
            // However the app ends (Quit, the last window, a UI that stopped answering), review
            // marks still waiting for their debounce are written.
            if let tauri::RunEvent::Exit = event {
                progress::flush(&app.state::<AppState>());
            }
        });
    Ok(())
}
