//! Wire types of audio playback: the transport's state, the commands that drive it, what is
//! attached to a transcript, and waveform columns. Positions are `u32` ms of media time (49 days
//! of audio fit), so the TypeScript side never needs `bigint`.

use cueline_player::PlaybackState;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;

use crate::ipc::dto::wire;

/// What the transport shows. Sent as the `PlaybackChanged` event on every change and every
/// 50 ms while playing; the UI moves the playhead smoothly in between from `positionMs`,
/// `speedPercent` and the time it received the state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct PlaybackChanged {
    /// Audio is advancing.
    pub playing: bool,
    /// Media position in ms (at 2x, one wall second moves it by 2000).
    pub position_ms: u32,
    /// Length of the file, if known.
    pub duration_ms: Option<u32>,
    /// Speed in percent, 50..=200 (integers on the wire: no float ever becomes `null`).
    pub speed_percent: u32,
    /// Volume in percent, 0..=200 (100 = unchanged).
    pub volume_percent: u32,
    /// The loaded audio file, if any.
    pub file: Option<String>,
    /// The active loop `[start, end]` in ms.
    pub loop_range: Option<[u32; 2]>,
    /// Playback reached the end of the file.
    pub ended: bool,
    /// The last playback error (a file that failed to load, corrupt data mid-file).
    pub error: Option<String>,
    /// Changes on every load and seek: the UI re-anchors its playhead.
    pub epoch: u32,
}

/// The transport's state, as returned by the playback commands.
pub type PlaybackDto = PlaybackChanged;

impl From<&PlaybackState> for PlaybackChanged {
    fn from(s: &PlaybackState) -> Self {
        PlaybackChanged {
            playing: s.playing,
            position_ms: wire(s.position_ms),
            duration_ms: s.duration_ms.map(wire),
            speed_percent: percent(s.speed),
            volume_percent: percent(s.volume),
            file: s.file.as_ref().map(|p| p.display().to_string()),
            loop_range: s.loop_range.map(|(a, b)| [wire(a), wire(b)]),
            ended: s.ended,
            error: s.error.clone(),
            epoch: wire(s.epoch & u64::from(u32::MAX)),
        }
    }
}

/// A player ratio (speed, volume) in whole percent.
fn percent(x: f32) -> u32 {
    if x.is_finite() && x > 0.0 {
        // In range: at most 200.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let p = (x * 100.0).round() as u32;
        p
    } else {
        0
    }
}

/// What the transport is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum PlaybackCommand {
    Play,
    Pause,
    Toggle,
    /// Seek to `ms`; `play` starts playback there (click-to-seek), else it keeps playing or
    /// paused as it was.
    Seek {
        ms: u32,
        play: bool,
    },
    /// Skip by `delta_ms` (negative: back), clamped to the file.
    Skip {
        delta_ms: i32,
    },
    /// 50..=200 percent, rounded to 10; the pitch is kept.
    Speed {
        percent: u32,
    },
    /// 0..=200 percent.
    Volume {
        percent: u32,
    },
    /// Loop `[start, end]` ms, or stop looping (`null`).
    Loop {
        range: Option<[u32; 2]>,
    },
}

/// How a transcript's audio was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum AudioSource {
    /// Chosen by the user for this transcript earlier (or just now).
    Chosen,
    /// Found next to the transcript by basename.
    Beside,
}

/// The audio attached to a document, and where the user left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AudioView {
    /// The audio file, or `null` when the transcript has none.
    pub path: Option<String>,
    /// Its file name, for the transport.
    pub file_name: Option<String>,
    pub source: Option<AudioSource>,
    /// Why the audio cannot play (no sound device, unsupported or corrupt file). The editor
    /// works on without audio.
    pub error: Option<String>,
    /// The cue the user was on when they last left this transcript.
    pub resume_cue: Option<u32>,
    /// The playhead when they last left it (already applied to the player).
    pub resume_ms: Option<u32>,
    pub playback: PlaybackDto,
}

/// Where the waveform of the loaded audio is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum WaveformStatus {
    /// No audio is loaded.
    None,
    /// Peaks are being computed (see `progress`).
    Computing,
    Ready,
    /// The peaks could not be computed (see `message`).
    Failed,
}

/// Min/max columns of the loaded audio's waveform for a time range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WaveformDto {
    pub status: WaveformStatus,
    /// 0..=100 while computing.
    pub progress_percent: u32,
    pub message: Option<String>,
    pub start_ms: u32,
    pub end_ms: u32,
    /// `[min, max]` per column, scaled to -32767..=32767; empty unless ready.
    pub columns: Vec<[i16; 2]>,
}

/// Sent while a waveform computes (about 10 times a second) and once when it is ready or failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct WaveformProgress {
    /// The audio file.
    pub file: String,
    pub status: WaveformStatus,
    pub progress_percent: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playback_commands_read_the_wire_format_the_ui_sends() {
        let cmd: PlaybackCommand =
            serde_json::from_str(r#"{"op":"seek","ms":61000,"play":true}"#).unwrap();
        assert_eq!(
            cmd,
            PlaybackCommand::Seek {
                ms: 61_000,
                play: true
            }
        );
        let cmd: PlaybackCommand =
            serde_json::from_str(r#"{"op":"skip","delta_ms":-2000}"#).unwrap();
        assert_eq!(cmd, PlaybackCommand::Skip { delta_ms: -2000 });
        let cmd: PlaybackCommand =
            serde_json::from_str(r#"{"op":"loop","range":[1000,2500]}"#).unwrap();
        assert_eq!(
            cmd,
            PlaybackCommand::Loop {
                range: Some([1000, 2500])
            }
        );
        assert!(serde_json::from_str::<PlaybackCommand>(r#"{"op":"rewind"}"#).is_err());
    }
}
