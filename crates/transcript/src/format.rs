//! The three transcript formats Cueline reads and writes.

use serde::{Deserialize, Serialize};

/// A transcript format. The format decides how blocks are recognised, never what bytes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// WebVTT (`.vtt`).
    Vtt,
    /// SubRip (`.srt`).
    Srt,
    /// The Talk Python `HH:MM:SS text` transcript (`.txt`).
    Txt,
}

impl Format {
    /// The format for a file extension (`vtt`, `srt`, `txt`; case-insensitive).
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "vtt" => Some(Format::Vtt),
            "srt" => Some(Format::Srt),
            "txt" => Some(Format::Txt),
            _ => None,
        }
    }

    /// The format for a path, judged by its extension alone (no file is read).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::from_extension)
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Vtt => "vtt",
            Format::Srt => "srt",
            Format::Txt => "txt",
        }
    }

    /// Whether cues of this format have an end time.
    pub fn has_end_times(self) -> bool {
        !matches!(self, Format::Txt)
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::from_extension(s)
            .ok_or_else(|| format!("unknown format `{s}` (expected vtt, srt or txt)"))
    }
}
