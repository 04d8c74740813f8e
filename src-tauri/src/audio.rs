//! The app's audio: one player (from `cueline-player`) shared by all documents, which audio
//! belongs to which transcript, where the user left each transcript, and the waveform of the
//! loaded file.
//!
//! The player starts on first use, not at launch: a transcript without audio never opens the
//! sound device. When there is no device (no sound card, no PulseAudio), every playback command
//! returns a clear error and the editor works on.
//!
//! Waveform peaks compute on their own thread (streaming decode, cached per audio file in the
//! data folder); the UI asks for the columns of the time range it shows.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use cueline_player::{
    DEFAULT_BUCKET_MS, Peaks, PeaksProgress, PlayerError, PlayerHandle, compute_peaks, load_peaks,
    peaks_cache_path, store_peaks,
};
use cueline_transcript_store::{PlaceBook, find_audio_beside, is_audio_file};

use crate::ipc::audio::{
    AudioSource, AudioView, PlaybackChanged, PlaybackCommand, PlaybackDto, WaveformDto,
    WaveformProgress, WaveformStatus,
};
use crate::ipc::error::IpcError;

/// Where `PlaybackChanged` and `WaveformProgress` go (Tauri events; collectors in tests).
pub type PlaybackEmitter = Arc<dyn Fn(PlaybackChanged) + Send + Sync>;
pub type WaveformEmitter = Arc<dyn Fn(WaveformProgress) + Send + Sync>;

/// Sees every state of the player, right after the UI was sent it (review progress: cues
/// played through).
pub type PlaybackObserver = Arc<dyn Fn(&cueline_player::PlaybackState) + Send + Sync>;

/// Opens the player's output (the sound device in the app; a null output in tests).
pub type OpenPlayer = Box<dyn Fn() -> Result<PlayerHandle, PlayerError> + Send + Sync>;

/// How often waveform progress is reported.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

enum Wave {
    None,
    Computing { file: PathBuf, progress: u32 },
    Ready(Arc<Peaks>),
    Failed(String),
}

pub struct Audio {
    open_player: OpenPlayer,
    /// Started on first use; a failure to open the output is kept (and answered) as is.
    player: OnceLock<Result<PlayerHandle, IpcError>>,
    places: Option<Mutex<PlaceBook>>,
    peaks_dir: Option<PathBuf>,
    wave: Arc<Mutex<Wave>>,
    /// The audio file of `wave`.
    wave_file: Mutex<Option<PathBuf>>,
    on_playback: Mutex<Option<PlaybackEmitter>>,
    on_waveform: Arc<Mutex<Option<WaveformEmitter>>>,
    observer: Mutex<Option<PlaybackObserver>>,
    auto_rewind_ms: Mutex<u64>,
}

impl std::fmt::Debug for Audio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Audio")
            .field("peaks_dir", &self.peaks_dir)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn audio_error(path: &Path, err: &PlayerError) -> IpcError {
    tracing::info!(path = %path.display(), error = %err, "audio error");
    IpcError::Audio {
        path: path.display().to_string(),
        message: match err {
            PlayerError::Io { source, .. } => format!("Cannot read the audio file: {source}"),
            PlayerError::Decode { .. } => {
                "Unsupported or corrupt audio: this file cannot be played".to_owned()
            }
            other => other.to_string(),
        },
    }
}

impl Audio {
    /// `places`: where transcripts were left (`None`: nothing remembered). `peaks_dir`: the
    /// waveform cache (`None`: computed every time).
    pub fn new(
        open_player: OpenPlayer,
        places: Option<PlaceBook>,
        peaks_dir: Option<PathBuf>,
    ) -> Audio {
        Audio {
            open_player,
            player: OnceLock::new(),
            places: places.map(Mutex::new),
            peaks_dir,
            wave: Arc::new(Mutex::new(Wave::None)),
            wave_file: Mutex::new(None),
            on_playback: Mutex::new(None),
            on_waveform: Arc::new(Mutex::new(None)),
            observer: Mutex::new(None),
            auto_rewind_ms: Mutex::new(u64::from(cueline_transcript_store::DEFAULT_AUTO_REWIND_MS)),
        }
    }

    /// The app's audio: the default sound device, places and peaks in the data folder.
    pub fn from_env() -> Audio {
        let data = cueline_transcript_store::data_dir(
            std::env::var_os("XDG_DATA_HOME"),
            std::env::var_os("HOME"),
        );
        Audio::new(
            Box::new(PlayerHandle::spawn_device),
            PlaceBook::from_env(),
            data.map(|d| d.join("peaks")),
        )
    }

    pub fn set_emitters(&self, playback: PlaybackEmitter, waveform: WaveformEmitter) {
        *lock(&self.on_playback) = Some(playback);
        *lock(&self.on_waveform) = Some(waveform);
    }

    /// Sets what sees every player state (before the player starts).
    pub fn set_observer(&self, observer: PlaybackObserver) {
        *lock(&self.observer) = Some(observer);
    }

    /// The player, started on first use.
    fn player(&self) -> Result<&PlayerHandle, IpcError> {
        let started = self.player.get_or_init(|| {
            let player = (self.open_player)().map_err(|e| {
                tracing::warn!(error = %e, "no audio output");
                IpcError::Audio {
                    path: String::new(),
                    message: format!("No sound output: {e}. The editor works on without audio."),
                }
            })?;
            if let Err(e) = player.set_auto_rewind(*lock(&self.auto_rewind_ms)) {
                tracing::warn!(error = %e, "cannot set auto-rewind");
            }
            self.forward_playback(&player);
            Ok(player)
        });
        started.as_ref().map_err(Clone::clone)
    }

    /// Sends every state change of `player` to the UI (about 20 a second while playing).
    fn forward_playback(&self, player: &PlayerHandle) {
        let Some(emit) = lock(&self.on_playback).clone() else {
            return;
        };
        let observer = lock(&self.observer).clone();
        let mut rx = player.subscribe();
        tauri::async_runtime::spawn(async move {
            while rx.changed().await.is_ok() {
                let state = rx.borrow_and_update().clone();
                // The playhead first: review progress must never delay it.
                emit(PlaybackChanged::from(&state));
                if let Some(observe) = &observer {
                    observe(&state);
                }
            }
        });
    }

    /// The transport's state (the defaults when no player was started).
    pub fn playback(&self) -> PlaybackDto {
        match self.player.get() {
            Some(Ok(p)) => PlaybackDto::from(&p.state()),
            _ => PlaybackDto::from(&cueline_player::PlaybackState::default()),
        }
    }

    pub fn set_auto_rewind(&self, ms: u32) {
        *lock(&self.auto_rewind_ms) = u64::from(ms);
        if let Some(Ok(p)) = self.player.get()
            && let Err(e) = p.set_auto_rewind(u64::from(ms))
        {
            tracing::warn!(error = %e, "cannot set auto-rewind");
        }
    }

    /// Runs a transport command.
    pub fn command(&self, cmd: PlaybackCommand) -> Result<PlaybackDto, IpcError> {
        let player = self.player()?;
        let file = player.state().file.unwrap_or_default();
        let result = match cmd {
            PlaybackCommand::Play => player.play(),
            PlaybackCommand::Pause => player.pause(),
            PlaybackCommand::Toggle => player.toggle(),
            PlaybackCommand::Seek { ms, play } => player
                .seek(u64::from(ms))
                .and_then(|()| if play { player.play() } else { Ok(()) }),
            PlaybackCommand::Skip { delta_ms } => player.skip(i64::from(delta_ms)),
            #[allow(clippy::cast_precision_loss)]
            PlaybackCommand::Speed { percent } => player.set_speed(percent as f32 / 100.0),
            #[allow(clippy::cast_precision_loss)]
            PlaybackCommand::Volume { percent } => player.set_volume(percent as f32 / 100.0),
            PlaybackCommand::Loop { range } => {
                player.set_loop(range.map(|[a, b]| (u64::from(a), u64::from(b))))
            }
        };
        match result {
            Ok(()) => Ok(PlaybackDto::from(&player.state())),
            Err(PlayerError::NoAudio) => Err(IpcError::Audio {
                path: String::new(),
                message: "No audio is attached to this transcript.".to_owned(),
            }),
            Err(PlayerError::InvalidArgument(message)) => Err(IpcError::Audio {
                path: String::new(),
                message,
            }),
            Err(e) => Err(audio_error(&file, &e)),
        }
    }

    /// The audio of the transcript at `transcript` (canonical path; `None` for the built-in
    /// demo): the file the user chose for it, else one beside it by basename. Loads it into the
    /// player (unless it is loaded already) at the remembered playhead.
    pub fn for_transcript(&self, transcript: Option<&Path>) -> AudioView {
        let place = transcript
            .and_then(|t| self.places.as_ref().and_then(|b| lock(b).get(t).cloned()))
            .unwrap_or_default();
        let chosen = place.audio.filter(|a| a.is_file());
        let (path, source) = match (chosen, transcript.and_then(find_audio_beside)) {
            (Some(a), _) => (Some(a), Some(AudioSource::Chosen)),
            (None, Some(a)) => (Some(a), Some(AudioSource::Beside)),
            (None, None) => (None, None),
        };
        let resume_ms = place.position_ms.map(crate::ipc::dto::wire);
        let mut view = AudioView {
            path: path.as_ref().map(|p| p.display().to_string()),
            file_name: path
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned()),
            source,
            error: None,
            resume_cue: place.cue_index,
            resume_ms,
            playback: self.playback(),
        };
        match path {
            Some(path) => {
                if let Err(e) = self.load(&path, resume_ms) {
                    view.error = Some(e.message());
                }
            }
            None => {
                if let Some(Ok(p)) = self.player.get()
                    && let Err(e) = p.unload()
                {
                    tracing::warn!(error = %e, "cannot unload audio");
                }
                *lock(&self.wave) = Wave::None;
                *lock(&self.wave_file) = None;
            }
        }
        view.playback = self.playback();
        view
    }

    /// Attaches the audio at `audio` to the transcript (remembered), and loads it.
    pub fn attach(&self, transcript: Option<&Path>, audio: &Path) -> Result<AudioView, IpcError> {
        if !audio.is_file() {
            return Err(IpcError::Audio {
                path: audio.display().to_string(),
                message: format!("Not an audio file: {}", audio.display()),
            });
        }
        if !is_audio_file(audio) {
            tracing::info!(path = %audio.display(), "attaching audio with an unusual extension");
        }
        self.load(audio, None)?;
        if let (Some(t), Some(book)) = (transcript, &self.places) {
            let chosen = audio.to_owned();
            if let Err(e) = lock(book).update(t, |p| {
                p.audio = Some(chosen);
                p.position_ms = None;
            }) {
                tracing::warn!(error = %e, "cannot remember the audio");
            }
        }
        Ok(self.for_transcript(transcript))
    }

    /// Forgets the chosen audio of the transcript and unloads it.
    pub fn detach(&self, transcript: Option<&Path>) -> AudioView {
        if let (Some(t), Some(book)) = (transcript, &self.places)
            && let Err(e) = lock(book).update(t, |p| p.audio = None)
        {
            tracing::warn!(error = %e, "cannot forget the audio");
        }
        if let Some(Ok(p)) = self.player.get()
            && let Err(e) = p.unload()
        {
            tracing::warn!(error = %e, "cannot unload audio");
        }
        *lock(&self.wave) = Wave::None;
        *lock(&self.wave_file) = None;
        AudioView {
            path: None,
            file_name: None,
            source: None,
            error: None,
            resume_cue: None,
            resume_ms: None,
            playback: self.playback(),
        }
    }

    /// Remembers where the user is in the transcript.
    pub fn remember(&self, transcript: &Path, cue_index: Option<u32>, position_ms: Option<u32>) {
        let Some(book) = &self.places else { return };
        if let Err(e) = lock(book).update(transcript, |p| {
            if cue_index.is_some() {
                p.cue_index = cue_index;
            }
            if position_ms.is_some() {
                p.position_ms = position_ms.map(u64::from);
            }
        }) {
            tracing::warn!(error = %e, "cannot remember the place");
        }
    }

    fn load(&self, audio: &Path, at_ms: Option<u32>) -> Result<(), IpcError> {
        // The waveform needs only the file: it is drawn also when there is no sound output.
        let player = match self.player() {
            Ok(p) => p,
            Err(e) => {
                self.waveform_for(audio);
                return Err(e);
            }
        };
        if player.state().file.as_deref() != Some(audio) || player.state().error.is_some() {
            player.load(audio).map_err(|e| audio_error(audio, &e))?;
            if let Some(ms) = at_ms.filter(|&ms| ms > 0)
                && let Err(e) = player.seek(u64::from(ms))
            {
                tracing::info!(error = %e, "cannot resume at the remembered playhead");
            }
            self.start_waveform(audio);
        }
        Ok(())
    }

    /// Starts the waveform of `audio` unless it is the one computed or computing already.
    fn waveform_for(&self, audio: &Path) {
        let same = match &*lock(&self.wave_file) {
            Some(f) => f == audio,
            None => false,
        };
        if !same {
            self.start_waveform(audio);
        }
    }

    /// Starts computing the peaks of `audio` (from the cache when it has them).
    fn start_waveform(&self, audio: &Path) {
        let file = audio.to_owned();
        *lock(&self.wave_file) = Some(file.clone());
        *lock(&self.wave) = Wave::Computing {
            file: file.clone(),
            progress: 0,
        };
        let wave = Arc::clone(&self.wave);
        let emitter = Arc::clone(&self.on_waveform);
        let cache = self
            .peaks_dir
            .as_ref()
            .and_then(|dir| peaks_cache_path(dir, audio).ok());
        let spawned = std::thread::Builder::new()
            .name("cueline-peaks".into())
            .spawn(move || compute_waveform(&file, cache.as_deref(), &wave, &emitter));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the waveform thread");
        }
    }

    /// The waveform of `start_ms..end_ms` in `columns` columns.
    pub fn waveform(&self, start_ms: u32, end_ms: u32, columns: u32) -> WaveformDto {
        let columns = columns.min(8192) as usize;
        let mut dto = WaveformDto {
            status: WaveformStatus::None,
            progress_percent: 0,
            message: None,
            start_ms,
            end_ms,
            columns: Vec::new(),
        };
        match &*lock(&self.wave) {
            Wave::None => {}
            Wave::Computing { progress, .. } => {
                dto.status = WaveformStatus::Computing;
                dto.progress_percent = *progress;
            }
            Wave::Failed(message) => {
                dto.status = WaveformStatus::Failed;
                dto.message = Some(message.clone());
            }
            Wave::Ready(peaks) => {
                dto.status = WaveformStatus::Ready;
                dto.progress_percent = 100;
                dto.columns = peaks.columns(u64::from(start_ms), u64::from(end_ms), columns);
            }
        }
        dto
    }
}

fn compute_waveform(
    file: &Path,
    cache: Option<&Path>,
    wave: &Mutex<Wave>,
    emitter: &Mutex<Option<WaveformEmitter>>,
) {
    let emit = |status: WaveformStatus, progress_percent: u32| {
        if let Some(e) = lock(emitter).clone() {
            e(WaveformProgress {
                file: file.display().to_string(),
                status,
                progress_percent,
            });
        }
    };
    // Still the file being asked for? (Another file may have been loaded meanwhile.)
    let current = || matches!(&*lock(wave), Wave::Computing { file: f, .. } if f == file);
    let cached = cache.and_then(|c| match load_peaks(c) {
        Ok(p) => p,
        Err(e) => {
            tracing::info!(error = %e, "ignoring the waveform cache");
            None
        }
    });
    let result = match cached {
        Some(p) => Ok(p),
        None => {
            let mut last = Instant::now();
            let computed = compute_peaks(file, DEFAULT_BUCKET_MS, &mut |p: PeaksProgress| {
                if !current() {
                    return false;
                }
                if last.elapsed() >= PROGRESS_EVERY {
                    last = Instant::now();
                    let fraction = p.total_ms.filter(|&t| t > 0).map_or(0, |t| {
                        u32::try_from(p.done_ms * 100 / t).unwrap_or(100).min(100)
                    });
                    if let Wave::Computing { progress, .. } = &mut *lock(wave) {
                        *progress = fraction;
                    }
                    emit(WaveformStatus::Computing, fraction);
                }
                true
            });
            if let (Ok(p), Some(c)) = (&computed, cache)
                && let Err(e) = store_peaks(c, p)
            {
                tracing::info!(error = %e, "cannot cache the waveform");
            }
            computed
        }
    };
    let mut w = lock(wave);
    if !matches!(&*w, Wave::Computing { file: f, .. } if f == file) {
        return;
    }
    let status = match result {
        Ok(peaks) => {
            *w = Wave::Ready(Arc::new(peaks));
            WaveformStatus::Ready
        }
        Err(PlayerError::Cancelled) => return,
        Err(e) => {
            tracing::info!(error = %e, "no waveform");
            *w = Wave::Failed(format!("No waveform: {e}"));
            WaveformStatus::Failed
        }
    };
    drop(w);
    emit(status, 100);
}
