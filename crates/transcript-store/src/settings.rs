//! The app's settings, kept as JSON in `$XDG_CONFIG_HOME/cueline/settings.json`.
//!
//! Like the recent-files list, a missing or corrupt file reads as the defaults and never stops
//! the app; unknown fields are ignored so an older build can read a newer file.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic::write_atomic;
use crate::autosave::AutosavePolicy;
use crate::recent::config_dir;

/// Skip back / forward distance by default (F1 / F2).
pub const DEFAULT_SKIP_MS: u32 = 2000;
/// Auto-rewind on resume by default (oTranscribe's habit; 0 disables).
pub const DEFAULT_AUTO_REWIND_MS: u32 = 1000;
/// The longest skip or auto-rewind the settings accept (a minute).
pub const MAX_SKIP_MS: u32 = 60_000;

/// What the user can change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// Autosave after edits (off: only Ctrl+S writes).
    pub autosave: bool,
    /// Skip back / forward distance in ms.
    pub skip_ms: u32,
    /// Rewind this much when playback resumes after a pause (0 disables).
    pub auto_rewind_ms: u32,
    /// The user's key bindings: command id -> chords (`Ctrl+Shift+Z`), replacing that command's
    /// defaults. Commands not listed keep their defaults; an empty list unbinds a command.
    pub key_bindings: BTreeMap<String, Vec<String>>,
    /// The Hunspell dictionary the review pass checks spelling with (`en_US`: `en_US.aff` and
    /// `en_US.dic` in `$CUELINE_DICT_DIR` or `/usr/share/hunspell`).
    pub spelling_language: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            autosave: true,
            skip_ms: DEFAULT_SKIP_MS,
            auto_rewind_ms: DEFAULT_AUTO_REWIND_MS,
            key_bindings: BTreeMap::new(),
            spelling_language: "en_US".to_owned(),
        }
    }
}

impl Settings {
    /// The same settings with every number in its range (a hand-edited file may say anything).
    #[must_use]
    pub fn clamped(mut self) -> Settings {
        self.skip_ms = self.skip_ms.clamp(100, MAX_SKIP_MS);
        self.auto_rewind_ms = self.auto_rewind_ms.min(MAX_SKIP_MS);
        let lang = self.spelling_language.trim();
        self.spelling_language = if lang.is_empty() {
            "en_US".to_owned()
        } else {
            lang.to_owned()
        };
        self
    }

    /// The autosave policy these settings ask for (default timings).
    pub fn autosave_policy(&self) -> AutosavePolicy {
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
        serde_json::from_slice::<Settings>(&bytes)
            .map(Settings::clamped)
            .unwrap_or_else(|err| {
                tracing::warn!(file = %self.file.display(), error = %err, "ignoring corrupt settings");
                Settings::default()
            })
    }

    /// Writes `settings` atomically.
    pub fn store(&self, settings: &Settings) -> io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(settings).map_err(io::Error::other)?;
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
        assert_eq!(f.load(), Settings::default());
        assert!(f.load().autosave);
        let mine = Settings {
            autosave: false,
            skip_ms: 5000,
            auto_rewind_ms: 0,
            key_bindings: BTreeMap::from([("play-pause".to_owned(), vec!["Ctrl+P".to_owned()])]),
            spelling_language: "de_DE".to_owned(),
        };
        f.store(&mine).unwrap();
        assert_eq!(f.load(), mine);
        assert!(!f.load().autosave_policy().enabled);
        std::fs::write(f.file(), "{not json").unwrap();
        assert_eq!(f.load(), Settings::default());
        std::fs::write(f.file(), r#"{"future": 1}"#).unwrap();
        assert_eq!(f.load(), Settings::default());
        // An older file (autosave only) keeps the new defaults; numbers out of range are clamped.
        std::fs::write(
            f.file(),
            r#"{"autosave": false, "skipMs": 0, "autoRewindMs": 999999}"#,
        )
        .unwrap();
        let old = f.load();
        assert!(!old.autosave);
        assert_eq!((old.skip_ms, old.auto_rewind_ms), (100, MAX_SKIP_MS));
        assert_eq!(old.spelling_language, "en_US", "the default dictionary");
        std::fs::write(f.file(), r#"{"spellingLanguage": "  "}"#).unwrap();
        assert_eq!(
            f.load().spelling_language,
            "en_US",
            "a blank one is the default"
        );
    }
}
