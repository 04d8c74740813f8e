//! Notices when a document's file changes outside the editor.
//!
//! Why the parent directory and not the file: editors, sync clients and `git checkout` save by
//! writing a new file and renaming it over the old one. A watch on the file follows the old
//! inode and goes deaf after the first such save; a watch on the folder sees the rename (as a
//! create of the path, through notify-debouncer-full) and every later write.
//!
//! The watcher only says "look again": what changed is decided by reading the file and
//! comparing its content hash (see [`crate::live`]), so the app's own saves need no special
//! flag or timer.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use thiserror::Error;

/// Events are batched for this long by default (about what the eye does not notice).
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(200);

#[derive(Debug, Error)]
#[error("Cannot watch {} for changes: {source}", path.display())]
pub struct WatchError {
    pub path: PathBuf,
    #[source]
    pub source: notify_debouncer_full::notify::Error,
}

/// A running watch on one file (through its folder). Dropping it stops watching.
pub struct FileWatcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl std::fmt::Debug for FileWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileWatcher")
    }
}

impl FileWatcher {
    /// Calls `on_change` (on the watcher's thread) after any batch of events that touches
    /// `file` (canonical) or its folder itself.
    pub fn watch(
        file: &Path,
        debounce: Duration,
        mut on_change: impl FnMut() + Send + 'static,
    ) -> Result<FileWatcher, WatchError> {
        let dir = file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let target = file.to_path_buf();
        let folder = dir.clone();
        let mut debouncer = new_debouncer(debounce, None, move |res: DebounceEventResult| {
            let relevant = match res {
                Ok(events) => events
                    .iter()
                    .any(|e| e.event.paths.iter().any(|p| *p == target || *p == folder)),
                Err(errors) => {
                    for e in errors {
                        tracing::warn!(error = %e, "file watcher error");
                    }
                    true
                }
            };
            if relevant {
                on_change();
            }
        })
        .map_err(|source| WatchError {
            path: file.into(),
            source,
        })?;
        debouncer
            .watch(&dir, RecursiveMode::NonRecursive)
            .map_err(|source| WatchError {
                path: file.into(),
                source,
            })?;
        tracing::debug!(dir = %dir.display(), "watching");
        Ok(FileWatcher {
            _debouncer: debouncer,
        })
    }
}
