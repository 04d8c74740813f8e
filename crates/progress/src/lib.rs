//! Review progress: which cues of a transcript the user has listened to and checked.
//!
//! Why a crate of its own: the marks are application state with rules of their own (how a mark
//! finds its cue again after a `git pull`, when playback counts as listening, when they are
//! written), and the desktop shell must stay thin; nothing here links Tauri, so every rule is
//! tested with plain values and real files.
//!
//! - [`marks`]: the three states, the keys a mark is stored under and the pure re-keying
//!   ([`marks::rekey`], [`marks::carry`]), counts and "next unchecked".
//! - [`listen`]: when the player's reports make a cue *listened* (pure).
//! - [`book`]: the progress file of one transcript in `$XDG_DATA_HOME/cueline/review/`.
//! - [`store`]: the open transcripts' marks, in step with their documents, saved with a
//!   debounce.

pub mod book;
pub mod listen;
pub mod marks;
pub mod store;

pub use book::{ProgressError, ProgressFile, progress_path, review_dir_from_env};
pub use listen::{ListenTracker, MAX_SPEED, Sample};
pub use marks::{Counts, Cue, KeyedMark, Mark, carry, counts, cues_of, rekey, text_hash};
pub use store::{ProgressStore, SAVE_DELAY, Snapshot};
