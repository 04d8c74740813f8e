//! Files for Cueline: everything that touches the disk on behalf of a transcript.
//!
//! The transcript model (`cueline-transcript`) turns bytes into documents and back and never
//! sees a path. This crate is where bytes meet files, so that the command line and the desktop
//! app save the same way: a save either replaces the whole file or leaves it exactly as it
//! was, keeps the file's permissions, and writes through a symbolic link instead of
//! replacing it. See [`atomic`].
//!
//! For the editor: [`OpenDocument`] (a file, its edit session, dirty state and the content
//! hash that protects saves from overwriting changes made elsewhere), the [`Documents`]
//! registry, [`folder`] scans grouped into episodes, the [`recent`] files list, the [`settings`] and
//! the [`places`] where the user left each transcript (and its audio). None of it knows about Tauri.
//!
//! The safety net ([`LiveDocument`]): [`autosave`] (a pure, clock-injected policy), the crash
//! [`journal`] (every edit on disk within milliseconds, replayed after a crash), and [`watch`]ing
//! the file's folder for changes made elsewhere (reloaded when clean, a conflict when not).

pub mod atomic;
pub mod autosave;
pub mod compare;
pub mod documents;
pub mod folder;
pub mod intent;
pub mod journal;
pub mod live;
pub mod open_document;
pub mod places;
pub mod project_files;
pub mod recent;
pub mod settings;
pub mod watch;

pub use atomic::{StagedWrites, WriteError, write_all_atomic, write_atomic};
pub use autosave::{Autosave, AutosavePolicy, Hold, SaveStatus};
pub use compare::{CompareRow, ComparedCue, compare};
pub use documents::{DocId, Documents};
pub use folder::{CONFIG_DIR, Episode, EpisodeFile, Folder, in_config_dir, scan_folder};
pub use intent::{Outcome, Settled, default_intent_dir, settle, settle_default};
pub use journal::{
    Journal, JournalContents, JournalError, JournalOp, ReplayTarget, data_dir, dead_journals,
    default_journal_dir, journal_files, list_journals, new_journal_file, replay,
};
pub use live::{
    DraftError, LiveConfig, LiveDocument, Recovery, Refused, StoreEvent, discard_journal,
    journal_for, recover,
};
pub use open_document::{
    ContentHash, MAX_FILE_BYTES, OpenDocument, OpenError, ReplaceError, SaveError, SavePlan, Saved,
    Utf16Hit, find_utf16, read_input_file, utf16_offsets,
};
pub use places::{
    AUDIO_EXTENSIONS, MAX_PLACES, Place, PlaceBook, find_audio_beside, is_audio_file,
};
pub use project_files::{skipped_name, walk_files};
pub use recent::{MAX_RECENT, RecentFiles, config_dir};
pub use settings::{DEFAULT_AUTO_REWIND_MS, DEFAULT_SKIP_MS, MAX_SKIP_MS, Settings, SettingsFile};
pub use watch::{FileWatcher, WatchError};
