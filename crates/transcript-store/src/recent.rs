//! Recently opened files, most recent first, kept as a JSON array of paths.
//!
//! The list lives in `$XDG_CONFIG_HOME/cueline/recent.json` (default `~/.config/cueline/`).
//! It is a convenience: a missing, unreadable or corrupt file reads as an empty list and
//! never stops the app; a failure to write it is reported to the caller, which logs it.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use crate::atomic::write_atomic;

/// At most this many paths are kept.
pub const MAX_RECENT: usize = 10;

/// The recent-files list stored at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentFiles {
    file: PathBuf,
}

/// The config folder: `$XDG_CONFIG_HOME/cueline` if that is set to an absolute path, else
/// `$HOME/.config/cueline`. `None` when neither is known.
pub fn config_dir(xdg_config_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let xdg = xdg_config_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        home.filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".config"))
    })?;
    Some(base.join("cueline"))
}

impl RecentFiles {
    /// The list kept in `file`.
    pub fn at(file: impl Into<PathBuf>) -> RecentFiles {
        RecentFiles { file: file.into() }
    }

    /// The list in this user's config folder (from the environment).
    pub fn from_env() -> Option<RecentFiles> {
        let dir = config_dir(
            std::env::var_os("XDG_CONFIG_HOME"),
            std::env::var_os("HOME"),
        )?;
        Some(RecentFiles::at(dir.join("recent.json")))
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The paths, most recent first; empty if the file is missing or not a JSON list of strings.
    pub fn load(&self) -> Vec<String> {
        let Ok(bytes) = std::fs::read(&self.file) else {
            return Vec::new();
        };
        match serde_json::from_slice::<Vec<String>>(&bytes) {
            Ok(mut list) => {
                list.truncate(MAX_RECENT);
                list
            }
            Err(err) => {
                tracing::warn!(file = %self.file.display(), error = %err, "ignoring a corrupt recent-files list");
                Vec::new()
            }
        }
    }

    /// Puts `path` first (removing an older entry for it), keeps [`MAX_RECENT`], saves, and
    /// returns the new list.
    pub fn add(&self, path: &Path) -> io::Result<Vec<String>> {
        let path = path.to_string_lossy().into_owned();
        let mut list = self.load();
        list.retain(|p| *p != path);
        list.insert(0, path);
        list.truncate(MAX_RECENT);
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(&list).map_err(io::Error::other)?;
        write_atomic(&self.file, &json).map_err(io::Error::other)?;
        Ok(list)
    }
}
