//! Audio commands: the audio of a document (found, chosen, detached), the transport, where the
//! user left the transcript, and waveform columns. The work is in [`crate::audio::Audio`].

use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tracing::instrument;

use super::blocking;
use crate::ipc::audio::{AudioView, PlaybackCommand, PlaybackDto, WaveformDto};
use crate::ipc::error::IpcError;
use crate::state::AppState;

/// The file of document `doc_id`, if it has one on disk (the built-in demo has none).
fn transcript_path(state: &AppState, doc_id: u32) -> Result<Option<PathBuf>, IpcError> {
    let doc = state.open().get(doc_id)?;
    Ok(doc.read(|d| d.path().map(Path::to_path_buf)))
}

/// The audio of document `doc_id`: chosen earlier, or found beside it by basename. It is
/// loaded into the player at the remembered playhead.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn audio_for_document(app: AppHandle, doc_id: u32) -> Result<AudioView, IpcError> {
    blocking(app, move |s| audio_for(s, doc_id)).await
}

pub fn audio_for(state: &AppState, doc_id: u32) -> Result<AudioView, IpcError> {
    let path = transcript_path(state, doc_id)?;
    crate::progress::listen_to(state, Some(doc_id));
    Ok(state.audio.for_transcript(path.as_deref()))
}

/// Attaches the audio file at `path` to document `doc_id` (remembered for next time).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn attach_audio(
    app: AppHandle,
    doc_id: u32,
    path: String,
) -> Result<AudioView, IpcError> {
    blocking(app, move |s| attach(s, doc_id, Path::new(&path))).await
}

/// Attaches `audio`, a file the user chose (the Choose audio dialog, a drop) or one beside a
/// transcript they opened; any other path is refused before it is read.
pub fn attach(state: &AppState, doc_id: u32, audio: &Path) -> Result<AudioView, IpcError> {
    let audio = &state.grants.check(audio)?;
    let path = transcript_path(state, doc_id)?;
    crate::progress::listen_to(state, Some(doc_id));
    state.audio.attach(path.as_deref(), audio)
}

/// Forgets the audio chosen for document `doc_id` and stops playing it.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn detach_audio(app: AppHandle, doc_id: u32) -> Result<AudioView, IpcError> {
    blocking(app, move |s| {
        let path = transcript_path(s, doc_id)?;
        Ok(s.audio.detach(path.as_deref()))
    })
    .await
}

/// Runs a transport command and returns the transport's state.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn playback(app: AppHandle, command: PlaybackCommand) -> Result<PlaybackDto, IpcError> {
    blocking(app, move |s| s.audio.command(command)).await
}

/// The transport's state now.
#[tauri::command]
#[specta::specta]
pub async fn playback_state(app: AppHandle) -> Result<PlaybackDto, IpcError> {
    blocking(app, |s| Ok(s.audio.playback())).await
}

/// Remembers the cue and playhead of document `doc_id` (for resuming it next time).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn remember_place(
    app: AppHandle,
    doc_id: u32,
    cue_index: Option<u32>,
    position_ms: Option<u32>,
) -> Result<(), IpcError> {
    blocking(app, move |s| {
        if let Some(path) = transcript_path(s, doc_id)? {
            s.audio.remember(&path, cue_index, position_ms);
        }
        Ok(())
    })
    .await
}

/// The waveform of the loaded audio from `start_ms` to `end_ms` in `columns` columns (or its
/// progress while it computes).
#[tauri::command]
#[specta::specta]
pub async fn waveform(
    app: AppHandle,
    start_ms: u32,
    end_ms: u32,
    columns: u32,
) -> Result<WaveformDto, IpcError> {
    blocking(app, move |s| {
        Ok(s.audio.waveform(start_ms, end_ms, columns))
    })
    .await
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use cueline_player::{NullOutput, NullPace, PlayerHandle};
    use cueline_transcript_store::PlaceBook;

    use super::*;
    use crate::audio::Audio;
    use crate::commands::document::open_path;
    use crate::ipc::audio::{AudioSource, WaveformStatus};
    use crate::launch::Launch;

    const VTT: &str =
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOne\n\n00:00:03.000 --> 00:00:04.000\nTwo\n";

    /// A 3-second 440 Hz WAV (16-bit mono, 8 kHz).
    fn write_wav(path: &Path) {
        let rate = 8000u32;
        let frames = rate * 3;
        let mut bytes = Vec::new();
        let data_len = frames * 2;
        bytes.extend_from_slice(b"RIFF");
        bytes.extend_from_slice(&(36 + data_len).to_le_bytes());
        bytes.extend_from_slice(b"WAVEfmt ");
        bytes.extend_from_slice(&16u32.to_le_bytes());
        bytes.extend_from_slice(&1u16.to_le_bytes());
        bytes.extend_from_slice(&1u16.to_le_bytes());
        bytes.extend_from_slice(&rate.to_le_bytes());
        bytes.extend_from_slice(&(rate * 2).to_le_bytes());
        bytes.extend_from_slice(&2u16.to_le_bytes());
        bytes.extend_from_slice(&16u16.to_le_bytes());
        bytes.extend_from_slice(b"data");
        bytes.extend_from_slice(&data_len.to_le_bytes());
        for i in 0..frames {
            let t = f64::from(i) / f64::from(rate);
            #[allow(clippy::cast_possible_truncation)]
            let v = ((t * 440.0 * std::f64::consts::TAU).sin() * 16000.0) as i16;
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        std::fs::write(path, bytes).unwrap();
    }

    struct Fixture {
        dir: tempfile::TempDir,
        state: AppState,
        _outputs: Arc<Mutex<Vec<NullOutput>>>,
    }

    /// An app state whose player pulls samples in real time with no sound device, and a
    /// transcript `ep.vtt` with `ep.wav` beside it.
    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ep.vtt"), VTT).unwrap();
        write_wav(&dir.path().join("ep.wav"));
        let outputs = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&outputs);
        let audio = Audio::new(
            Box::new(move || {
                let (p, out) = PlayerHandle::spawn_null(NullPace::RealTime { factor: 1.0 });
                keep.lock().unwrap().push(out);
                Ok(p)
            }),
            Some(PlaceBook::at(dir.path().join("data/places.json"))),
            Some(dir.path().join("data/peaks")),
        );
        let state = AppState::new(Launch::File(dir.path().join("ep.vtt")), None, None, None)
            .with_audio(audio);
        Fixture {
            dir,
            state,
            _outputs: outputs,
        }
    }

    fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
        let t0 = Instant::now();
        while !f() {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn audio_beside_the_transcript_loads_seeks_plays_and_resumes() {
        let fx = fixture();
        let transcript = fx.dir.path().join("ep.vtt");
        let view = open_path(&fx.state, &transcript).unwrap();
        let audio = audio_for(&fx.state, view.doc_id).unwrap();
        assert_eq!(audio.source, Some(AudioSource::Beside));
        assert_eq!(audio.file_name.as_deref(), Some("ep.wav"));
        assert_eq!(audio.error, None);
        assert!(!audio.playback.playing);

        // Click-to-seek: lands on the cue's start and plays.
        let st = fx
            .state
            .audio
            .command(PlaybackCommand::Seek {
                ms: 1000,
                play: true,
            })
            .unwrap();
        assert!(st.playing);
        assert!(st.position_ms.abs_diff(1000) <= 5, "{}", st.position_ms);
        wait_for("playback to advance", || {
            fx.state.audio.playback().position_ms >= 1200
        });
        let st = fx.state.audio.command(PlaybackCommand::Pause).unwrap();
        assert!(!st.playing);
        assert_eq!(
            fx.state
                .audio
                .command(PlaybackCommand::Speed { percent: 150 })
                .unwrap()
                .speed_percent,
            150
        );
        assert!(matches!(
            fx.state
                .audio
                .command(PlaybackCommand::Speed { percent: 900 }),
            Err(IpcError::Audio { .. })
        ));

        // The waveform computes in the background and covers the file.
        wait_for("the waveform", || {
            fx.state.audio.waveform(0, 3000, 30).status == WaveformStatus::Ready
        });
        let w = fx.state.audio.waveform(0, 3000, 30);
        assert_eq!(w.columns.len(), 30);
        assert!(
            w.columns
                .iter()
                .all(|[lo, hi]| *lo < -10_000 && *hi > 10_000)
        );

        // Where the user left off is remembered for the next launch.
        let st = fx
            .state
            .audio
            .command(PlaybackCommand::Seek {
                ms: 2500,
                play: false,
            })
            .unwrap();
        assert_eq!(st.position_ms, 2500);
        let canonical = std::fs::canonicalize(&transcript).unwrap();
        fx.state.audio.remember(&canonical, Some(1), Some(2500));
        let book = PlaceBook::at(fx.dir.path().join("data/places.json"));
        let place = book.get(&canonical).unwrap();
        assert_eq!((place.cue_index, place.position_ms), (Some(1), Some(2500)));
    }

    #[test]
    fn the_auto_rewind_setting_reaches_the_player() {
        let fx = fixture();
        let view = open_path(&fx.state, &fx.dir.path().join("ep.vtt")).unwrap();
        audio_for(&fx.state, view.doc_id).unwrap();
        let mut settings = crate::ipc::dto::SettingsDto::from(fx.state.settings());
        settings.auto_rewind_ms = 700;
        crate::commands::settings::set(&fx.state, settings).unwrap();
        let a = &fx.state.audio;
        a.command(PlaybackCommand::Seek {
            ms: 2000,
            play: true,
        })
        .unwrap();
        a.command(PlaybackCommand::Pause).unwrap();
        let paused_at = a.playback().position_ms;
        let resumed = a.command(PlaybackCommand::Play).unwrap();
        assert!(
            resumed.position_ms.abs_diff(paused_at.saturating_sub(700)) <= 5,
            "resumed at {} after pausing at {paused_at}",
            resumed.position_ms
        );
        // 0 disables it.
        let mut settings = crate::ipc::dto::SettingsDto::from(fx.state.settings());
        settings.auto_rewind_ms = 0;
        crate::commands::settings::set(&fx.state, settings).unwrap();
        a.command(PlaybackCommand::Pause).unwrap();
        let paused_at = a.playback().position_ms;
        let resumed = a.command(PlaybackCommand::Play).unwrap();
        assert!(resumed.position_ms.abs_diff(paused_at) <= 5);
        a.command(PlaybackCommand::Pause).unwrap();
    }

    #[test]
    fn chosen_audio_is_remembered_and_bad_audio_is_a_clear_error() {
        let fx = fixture();
        let transcript = fx.dir.path().join("ep.vtt");
        let view = open_path(&fx.state, &transcript).unwrap();
        let other = fx.dir.path().join("elsewhere").join("take2.wav");
        std::fs::create_dir_all(other.parent().unwrap()).unwrap();
        write_wav(&other);

        let corrupt = fx.dir.path().join("broken.mp3");
        std::fs::write(&corrupt, b"this is not audio at all, not even close").unwrap();
        let err = attach(&fx.state, view.doc_id, &corrupt).unwrap_err();
        assert!(
            matches!(&err, IpcError::Audio { message, .. } if message.contains("corrupt")),
            "{err:?}"
        );
        let missing = attach(&fx.state, view.doc_id, &fx.dir.path().join("nope.mp3")).unwrap_err();
        assert!(matches!(missing, IpcError::Audio { .. }));
        // Nothing was remembered: the audio beside the transcript is still its audio.
        assert_eq!(
            audio_for(&fx.state, view.doc_id).unwrap().source,
            Some(AudioSource::Beside)
        );

        let chosen = attach(&fx.state, view.doc_id, &other).unwrap();
        assert_eq!(chosen.source, Some(AudioSource::Chosen));
        assert_eq!(chosen.file_name.as_deref(), Some("take2.wav"));
        assert_eq!(
            chosen.playback.file.as_deref(),
            Some(other.display().to_string().as_str())
        );
        // Next time (a new app state reading the same places file) it is still the chosen one.
        let fx2_audio = Audio::new(
            Box::new(|| Ok(PlayerHandle::spawn_null(NullPace::Manual).0)),
            Some(PlaceBook::at(fx.dir.path().join("data/places.json"))),
            None,
        );
        let state2 =
            AppState::new(Launch::File(transcript.clone()), None, None, None).with_audio(fx2_audio);
        let view2 = open_path(&state2, &transcript).unwrap();
        assert_eq!(
            audio_for(&state2, view2.doc_id)
                .unwrap()
                .file_name
                .as_deref(),
            Some("take2.wav")
        );
        // Detached: back to the audio beside it.
        let detached = fx
            .state
            .audio
            .detach(Some(&std::fs::canonicalize(&transcript).unwrap()));
        assert_eq!(detached.path, None);
        assert_eq!(
            audio_for(&fx.state, view.doc_id).unwrap().source,
            Some(AudioSource::Beside)
        );
    }

    #[test]
    fn without_a_sound_output_the_editor_works_and_playback_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let transcript = dir.path().join("ep.vtt");
        std::fs::write(&transcript, VTT).unwrap();
        write_wav(&dir.path().join("ep.wav"));
        let state = AppState::new(Launch::File(transcript.clone()), None, None, None);
        let view = open_path(&state, &transcript).unwrap();
        let audio = audio_for(&state, view.doc_id).unwrap();
        assert_eq!(audio.file_name.as_deref(), Some("ep.wav"));
        assert!(audio.error.unwrap().contains("No sound output"));
        let err = state.audio.command(PlaybackCommand::Play).unwrap_err();
        assert!(err.message().contains("No sound output"), "{err:?}");
        assert!(!state.audio.playback().playing);
        // The waveform needs only the file.
        wait_for("the waveform without a sound output", || {
            state.audio.waveform(0, 3000, 10).status == WaveformStatus::Ready
        });
    }

    #[test]
    fn a_transcript_without_audio_has_none_and_playback_commands_say_so() {
        let fx = fixture();
        let lonely = fx.dir.path().join("lonely.vtt");
        std::fs::write(&lonely, VTT).unwrap();
        let view = open_path(&fx.state, &lonely).unwrap();
        let audio = audio_for(&fx.state, view.doc_id).unwrap();
        assert_eq!((audio.path, audio.source), (None, None));
        let err = fx.state.audio.command(PlaybackCommand::Play).unwrap_err();
        assert!(err.message().contains("No audio"), "{err:?}");
        assert_eq!(
            fx.state.audio.waveform(0, 1000, 10).status,
            WaveformStatus::None
        );
    }
}
