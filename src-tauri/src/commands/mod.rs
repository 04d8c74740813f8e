//! `#[tauri::command]` wrappers: a few lines each, mapping to the core and to DTOs.

pub mod document;
