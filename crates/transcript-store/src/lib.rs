//! Files for Cueline: everything that touches the disk on behalf of a transcript.
//!
//! The transcript model (`cueline-transcript`) turns bytes into documents and back and never
//! sees a path. This crate is where bytes meet files, so that the command line and the desktop
//! app save the same way: a save either replaces the whole file or leaves it exactly as it
//! was, keeps the file's permissions, and writes through a symbolic link instead of
//! replacing it. See [`atomic`].
//!
//! Later: opening documents, autosave, the journal and file watching.

pub mod atomic;

pub use atomic::{StagedWrites, WriteError, write_all_atomic, write_atomic};
