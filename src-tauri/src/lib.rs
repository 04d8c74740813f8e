//! The Cueline desktop shell: Tauri composition and the typed IPC surface, nothing else.
//!
//! Domain logic lives in the `cueline-transcript` crate. This crate maps its types to wire
//! DTOs (`ipc::dto`), reports failures as one typed [`ipc::error::IpcError`], and exports
//! TypeScript bindings for the UI (`ipc::bindings`). There is deliberately no global
//! `AppHandle` and no file-system plugin: the UI asks Rust to open paths.

pub mod commands;
pub mod ipc;
pub mod launch;
pub mod logging;
pub mod open;

use launch::Launch;

/// The only value managed by Tauri.
#[derive(Debug)]
pub struct AppState {
    /// What the window opens first.
    pub launch: Launch,
}

/// Builds and runs the app with `context` (from `tauri::generate_context!` in `main.rs`).
pub fn run(launch: Launch, context: tauri::Context<tauri::Wry>) -> tauri::Result<()> {
    let builder = ipc::bindings::specta_builder::<tauri::Wry>();
    tauri::Builder::default()
        .manage(AppState { launch })
        .invoke_handler(builder.invoke_handler())
        .run(context)
}
