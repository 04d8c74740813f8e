//! Where the user left each transcript: the audio file attached to it, the cue they were on and
//! the playhead. Kept in the app's data folder (`$XDG_DATA_HOME/cueline/places.json`), never in
//! the repository, so resuming work adds nothing to anyone's diff.
//!
//! Also the rule that finds a transcript's audio by itself: a file with the same basename in the
//! same folder (`515-temporal.mp3` for `515-temporal.vtt`).
//!
//! Like the recent-files list, a missing or corrupt file reads as empty and never stops the app.
//! The book keeps the [`MAX_PLACES`] most recently used transcripts, so it stays small (about
//! 300 bytes per entry) for a repository ten times the size of the real corpus.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic::write_atomic;
use crate::journal::data_dir;

/// How many transcripts the book remembers (least recently used are forgotten first).
pub const MAX_PLACES: usize = 20_000;

/// Audio extensions tried next to a transcript, in this order (MP3 first: podcasts ship MP3).
pub const AUDIO_EXTENSIONS: &[&str] = &["mp3", "m4a", "wav", "flac", "ogg", "oga", "opus", "aac"];

/// What is remembered about one transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Place {
    /// The audio the user chose for it (absent: found by basename, or none).
    pub audio: Option<PathBuf>,
    /// The cue the user was on.
    pub cue_index: Option<u32>,
    /// The playhead, in ms of media time.
    pub position_ms: Option<u64>,
    /// Bumped on every update: the least recently used entries are dropped first.
    pub used: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    #[serde(default)]
    places: BTreeMap<PathBuf, Place>,
}

/// The places file and its contents (loaded once, written after each update).
#[derive(Debug)]
pub struct PlaceBook {
    file: PathBuf,
    stored: Stored,
    clock: u64,
}

impl PlaceBook {
    /// The book kept in `file` (read now; missing or corrupt reads as empty).
    pub fn at(file: impl Into<PathBuf>) -> PlaceBook {
        let file = file.into();
        let stored = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|err| {
                tracing::warn!(file = %file.display(), error = %err, "ignoring a corrupt places file");
                Stored::default()
            }),
            Err(_) => Stored::default(),
        };
        let clock = stored.places.values().map(|p| p.used).max().unwrap_or(0);
        PlaceBook {
            file,
            stored,
            clock,
        }
    }

    /// `places.json` in this user's data folder (from the environment).
    pub fn from_env() -> Option<PlaceBook> {
        let dir = data_dir(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))?;
        Some(PlaceBook::at(dir.join("places.json")))
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// What is remembered about the transcript at `transcript` (a canonical path).
    pub fn get(&self, transcript: &Path) -> Option<&Place> {
        self.stored.places.get(transcript)
    }

    /// Changes the entry of `transcript` with `f` and writes the book atomically.
    ///
    /// # Errors
    /// The write failed (the change is kept in memory and written with the next update).
    pub fn update(&mut self, transcript: &Path, f: impl FnOnce(&mut Place)) -> io::Result<()> {
        self.clock += 1;
        let place = self.stored.places.entry(transcript.to_owned()).or_default();
        f(place);
        place.used = self.clock;
        self.forget_oldest();
        self.store()
    }

    fn forget_oldest(&mut self) {
        let excess = self.stored.places.len().saturating_sub(MAX_PLACES);
        if excess == 0 {
            return;
        }
        let mut by_use: Vec<(u64, PathBuf)> = self
            .stored
            .places
            .iter()
            .map(|(k, v)| (v.used, k.clone()))
            .collect();
        by_use.sort();
        for (_, key) in by_use.into_iter().take(excess) {
            self.stored.places.remove(&key);
        }
    }

    fn store(&self) -> io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec(&self.stored).map_err(io::Error::other)?;
        write_atomic(&self.file, &json).map_err(io::Error::other)
    }
}

/// The audio file next to `transcript` with the same basename, if any: the first of
/// [`AUDIO_EXTENSIONS`] that exists, in lower or upper case.
pub fn find_audio_beside(transcript: &Path) -> Option<PathBuf> {
    let stem = transcript.file_stem()?;
    let dir = transcript.parent()?;
    AUDIO_EXTENSIONS.iter().find_map(|ext| {
        [ext.to_string(), ext.to_uppercase()]
            .into_iter()
            .find_map(|e| {
                let mut name = stem.to_os_string();
                name.push(".");
                name.push(&e);
                let candidate = dir.join(name);
                candidate.is_file().then_some(candidate)
            })
    })
}

/// Whether `path` has an extension the player is asked to open.
pub fn is_audio_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_places_across_loads_and_survives_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data/places.json");
        let t = dir.path().join("ep.vtt");
        let mut book = PlaceBook::at(&file);
        assert!(book.get(&t).is_none());
        book.update(&t, |p| {
            p.cue_index = Some(12);
            p.position_ms = Some(61_500);
            p.audio = Some(dir.path().join("elsewhere.mp3"));
        })
        .unwrap();
        let again = PlaceBook::at(&file);
        let place = again.get(&t).unwrap();
        assert_eq!(place.cue_index, Some(12));
        assert_eq!(place.position_ms, Some(61_500));
        assert_eq!(
            place.audio.as_deref(),
            Some(dir.path().join("elsewhere.mp3").as_path())
        );
        std::fs::write(&file, "{oops").unwrap();
        assert!(PlaceBook::at(&file).get(&t).is_none());
    }

    #[test]
    fn forgets_the_least_recently_used_beyond_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = PlaceBook::at(dir.path().join("places.json"));
        for i in 0..MAX_PLACES {
            book.stored.places.insert(
                PathBuf::from(format!("/t/{i}.vtt")),
                Place {
                    used: i as u64 + 1,
                    ..Place::default()
                },
            );
        }
        book.clock = MAX_PLACES as u64;
        book.update(Path::new("/t/new.vtt"), |p| p.cue_index = Some(1))
            .unwrap();
        assert_eq!(book.stored.places.len(), MAX_PLACES);
        assert!(book.get(Path::new("/t/0.vtt")).is_none(), "the oldest goes");
        assert!(book.get(Path::new("/t/1.vtt")).is_some());
        assert!(book.get(Path::new("/t/new.vtt")).is_some());
    }

    #[test]
    fn finds_audio_by_basename_in_extension_order() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("515-temporal.vtt");
        std::fs::write(&t, "WEBVTT\n").unwrap();
        assert_eq!(find_audio_beside(&t), None);
        std::fs::write(dir.path().join("515-temporal.WAV"), b"x").unwrap();
        assert_eq!(
            find_audio_beside(&t),
            Some(dir.path().join("515-temporal.WAV"))
        );
        std::fs::write(dir.path().join("515-temporal.mp3"), b"x").unwrap();
        assert_eq!(
            find_audio_beside(&t),
            Some(dir.path().join("515-temporal.mp3"))
        );
        // A folder with an audio name is not audio; another episode's audio is not this one's.
        std::fs::write(dir.path().join("516-other.mp3"), b"x").unwrap();
        let t2 = dir.path().join("517-x.txt");
        std::fs::create_dir(dir.path().join("517-x.mp3")).unwrap();
        assert_eq!(find_audio_beside(&t2), None);
        assert!(is_audio_file(Path::new("a/B.FLAC")));
        assert!(!is_audio_file(Path::new("a/b.vtt")));
    }
}
