//! The app's settings, kept as JSON in `$XDG_CONFIG_HOME/cueline/settings.json`.
//!
//! Like the recent-files list, a missing or corrupt file reads as the defaults and never stops
//! the app; unknown fields are ignored so an older build can read a newer file.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic::write_atomic;
use crate::autosave::AutosavePolicy;
use crate::recent::config_dir;

/// What the user can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Autosave after edits (off: only Ctrl+S writes).
    pub autosave: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { autosave: true }
    }
}

impl Settings {
    /// The autosave policy these settings ask for (default timings).
    pub fn autosave_policy(self) -> AutosavePolicy {
        AutosavePolicy {
            enabled: self.autosave,
            ..AutosavePolicy::default()
        }
    }
}

/// The settings file at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsFile {
    file: PathBuf,
}

impl SettingsFile {
    pub fn at(file: impl Into<PathBuf>) -> SettingsFile {
        SettingsFile { file: file.into() }
    }

    /// `settings.json` in this user's config folder (from the environment).
    pub fn from_env() -> Option<SettingsFile> {
        let dir = config_dir(
            std::env::var_os("XDG_CONFIG_HOME"),
            std::env::var_os("HOME"),
        )?;
        Some(SettingsFile::at(dir.join("settings.json")))
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The stored settings; the defaults if the file is missing or unreadable.
    pub fn load(&self) -> Settings {
        let Ok(bytes) = std::fs::read(&self.file) else {
            return Settings::default();
        };
        serde_json::from_slice(&bytes).unwrap_or_else(|err| {
            tracing::warn!(file = %self.file.display(), error = %err, "ignoring corrupt settings");
            Settings::default()
        })
    }

    /// Writes `settings` atomically.
    pub fn store(&self, settings: Settings) -> io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(&settings).map_err(io::Error::other)?;
        write_atomic(&self.file, &json).map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_missing_or_corrupt_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let f = SettingsFile::at(dir.path().join("conf/settings.json"));
        assert_eq!(f.load(), Settings { autosave: true });
        f.store(Settings { autosave: false }).unwrap();
        assert_eq!(f.load(), Settings { autosave: false });
        assert!(!f.load().autosave_policy().enabled);
        std::fs::write(f.file(), "{not json").unwrap();
        assert_eq!(f.load(), Settings::default());
        std::fs::write(f.file(), r#"{"future": 1}"#).unwrap();
        assert_eq!(f.load(), Settings::default());
    }
}
