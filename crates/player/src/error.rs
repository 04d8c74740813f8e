//! Typed errors of the player. A bad file must never take the player (or the app) down, so every
//! failure, from opening a file to a decoder that panics on corrupt data, ends up as one of these.

use std::path::PathBuf;

/// Everything that can go wrong in playback or peak extraction.
#[derive(Debug, thiserror::Error)]
pub enum PlayerError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The audio file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not audio we can decode (unknown container, unsupported codec, corrupt data).
    #[error("unsupported or corrupt audio in {path}: {reason}")]
    Decode {
        /// The audio file.
        path: PathBuf,
        /// What the decoder said.
        reason: String,
    },
    /// A command that needs audio arrived while no file was loaded.
    #[error("no audio loaded")]
    NoAudio,
    /// The decoder refused to seek.
    #[error("seek to {ms} ms failed: {reason}")]
    Seek {
        /// The requested media time.
        ms: u64,
        /// What the decoder said.
        reason: String,
    },
    /// An argument was outside its range (speed, loop range, ...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The sound device could not be opened.
    #[error("audio output unavailable: {0}")]
    Output(String),
    /// The player thread has stopped (it only does so when the handle is dropped or it panicked).
    #[error("the player thread has stopped")]
    Stopped,
    /// Peak extraction was cancelled by its progress callback.
    #[error("cancelled")]
    Cancelled,
    /// A peaks cache file is not in our format (or from an older version).
    #[error("bad peaks cache file {path}: {reason}")]
    BadCache {
        /// The cache file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
}
