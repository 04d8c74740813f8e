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

    /// Watches a whole folder tree (a project): calls `on_paths` (on the watcher's thread) with
    /// the paths each batch of events touched, deduplicated. An overflowed or failed watch
    /// reports the root itself, meaning "look at everything again".
    pub fn watch_tree(
        root: &Path,
        debounce: Duration,
        mut on_paths: impl FnMut(Vec<PathBuf>) + Send + 'static,
    ) -> Result<FileWatcher, WatchError> {
        let top = root.to_path_buf();
        let mut debouncer = new_debouncer(debounce, None, move |res: DebounceEventResult| {
            let mut paths: Vec<PathBuf> = match res {
                Ok(events) => events
                    .into_iter()
                    .flat_map(|e| e.event.paths.into_iter())
                    .collect(),
                Err(errors) => {
                    for e in errors {
                        tracing::warn!(error = %e, "folder watcher error");
                    }
                    vec![top.clone()]
                }
            };
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                on_paths(paths);
            }
        })
        .map_err(|source| WatchError {
            path: root.into(),
            source,
        })?;
        debouncer
            .watch(root, RecursiveMode::Recursive)
            .map_err(|source| WatchError {
                path: root.into(),
                source,
            })?;
        tracing::debug!(root = %root.display(), "watching the tree");
        Ok(FileWatcher {
            _debouncer: debouncer,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn a_tree_watch_reports_changes_in_subfolders() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        let (tx, rx) = mpsc::channel();
        let _w = FileWatcher::watch_tree(&root, Duration::from_millis(50), move |paths| {
            let _ = tx.send(paths);
        })
        .unwrap();
        std::fs::write(root.join("a/b/ep.vtt"), "WEBVTT\n").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let mut seen = Vec::new();
        while std::time::Instant::now() < deadline {
            if let Ok(paths) = rx.recv_timeout(Duration::from_millis(100)) {
                seen.extend(paths);
                if seen.contains(&root.join("a/b/ep.vtt")) {
                    return;
                }
            }
        }
        panic!("no event for a/b/ep.vtt: {seen:?}");
    }
}
