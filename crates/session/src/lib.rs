//! Cueline's application core, kept out of the Tauri shell so its rules are tested with plain
//! `cargo test` (no GTK, no window). It starts with [`grants`], the paths the user chose; the
//! open documents, recovery and the project's review move here next (issue 13).

pub mod grants;

pub use grants::{PathGrants, PathRefused};
