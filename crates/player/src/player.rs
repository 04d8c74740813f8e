//! The player actor: one dedicated thread owns the audio output and the loaded track; everything
//! else talks to it through [`PlayerHandle`] (commands in, [`PlaybackState`] out on a `watch`
//! channel). A thread, not a task: seeking blocks on the decoder, and the cpal stream must stay on
//! the thread that opened it. `tokio::sync::watch` works without a runtime, so this crate needs none.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::engine::{Monitor, Track, frames_to_ms, ms_to_frames};
use crate::error::PlayerError;
use crate::output::{NullOutput, OutputKind, Sinker};

/// Slowest and fastest speed, and the step between them.
pub const MIN_SPEED: f32 = 0.5;
/// See [`MIN_SPEED`].
pub const MAX_SPEED: f32 = 2.0;
/// Auto-rewind on resume by default (oTranscribe's habit).
pub const DEFAULT_AUTO_REWIND_MS: u64 = 1000;
/// How often the state is republished while playing (the UI interpolates in between).
const TICK: Duration = Duration::from_millis(50);

/// What the UI needs to draw the transport. Positions are media time at every speed.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybackState {
    /// Audio is advancing.
    pub playing: bool,
    /// Media position in ms (at 2x, one wall second moves it by 2000).
    pub position_ms: u64,
    /// Length of the file in ms, if known (always known once the end was reached).
    pub duration_ms: Option<u64>,
    /// 0.5..=2.0.
    pub speed: f32,
    /// 0.0..=2.0 (1.0 = unchanged).
    pub volume: f32,
    /// The loaded file.
    pub file: Option<PathBuf>,
    /// The active loop range in ms.
    pub loop_range: Option<(u64, u64)>,
    /// Playback reached the end of the file.
    pub ended: bool,
    /// The last error (load failure, corrupt data mid-file, ...). Cleared by the next good load.
    pub error: Option<String>,
    /// Bumped on every load and seek: a UI interpolating the playhead re-anchors when it changes.
    pub epoch: u64,
}

impl Default for PlaybackState {
    fn default() -> Self {
        Self {
            playing: false,
            position_ms: 0,
            duration_ms: None,
            speed: 1.0,
            volume: 1.0,
            file: None,
            loop_range: None,
            ended: false,
            error: None,
            epoch: 0,
        }
    }
}

type Reply = mpsc::SyncSender<Result<(), PlayerError>>;

enum Cmd {
    Load(PathBuf),
    Unload,
    Play,
    Pause,
    Toggle,
    Seek(u64, Instant),
    Skip(i64, Instant),
    Speed(f32),
    Volume(f32),
    AutoRewind(u64),
    Loop(Option<(u64, u64)>),
}

struct Inner {
    tx: Option<mpsc::Sender<(Cmd, Reply)>>,
    state: watch::Receiver<PlaybackState>,
    monitor: Arc<Monitor>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A cheap, cloneable handle to the player thread. The thread (and the sound device) stops when
/// the last handle is dropped. Commands block until the player thread has applied them (a few ms
/// at most), so a `seek` followed by reading the position sees the new position.
#[derive(Clone)]
pub struct PlayerHandle {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for PlayerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlayerHandle").finish_non_exhaustive()
    }
}

impl PlayerHandle {
    /// Starts a player on the default sound device.
    ///
    /// # Errors
    /// [`PlayerError::Output`] when no device can be opened (the app then runs without audio).
    pub fn spawn_device() -> Result<Self, PlayerError> {
        let (ok_tx, ok_rx) = mpsc::sync_channel(1);
        let handle = Self::spawn_with(move || {
            let sinker = Sinker::open_device();
            let res = sinker
                .as_ref()
                .map(|_| ())
                .map_err(|e| PlayerError::Output(e.to_string()));
            let _ = ok_tx.send(res);
            sinker.ok()
        });
        ok_rx.recv().map_err(|_| PlayerError::Stopped)??;
        Ok(handle)
    }

    /// Starts a player without a sound device (tests, benchmarks, headless runs).
    pub fn spawn_null(pace: crate::output::NullPace) -> (Self, NullOutput) {
        let (sink, queue) = rodio::Sink::new();
        let out = NullOutput::new(queue, pace);
        (Self::spawn_with(move || Some(Sinker::Null(sink))), out)
    }

    /// Starts a player on the given output; the [`NullOutput`] is returned for [`OutputKind::Null`].
    ///
    /// # Errors
    /// As [`PlayerHandle::spawn_device`].
    pub fn spawn(kind: OutputKind) -> Result<(Self, Option<NullOutput>), PlayerError> {
        match kind {
            OutputKind::Device => Ok((Self::spawn_device()?, None)),
            OutputKind::Null(pace) => {
                let (h, o) = Self::spawn_null(pace);
                Ok((h, Some(o)))
            }
        }
    }

    fn spawn_with(open: impl FnOnce() -> Option<Sinker> + Send + 'static) -> Self {
        let (tx, rx) = mpsc::channel();
        let (state_tx, state_rx) = watch::channel(PlaybackState::default());
        let monitor = Arc::new(Monitor::default());
        let m = Arc::clone(&monitor);
        let thread = std::thread::Builder::new()
            .name("cueline-player".into())
            .spawn(move || {
                if let Some(sinker) = open() {
                    Actor::new(sinker, state_tx, m).run(&rx);
                }
            })
            .map_err(|e| tracing::error!("cannot start the player thread: {e}"))
            .ok();
        Self {
            inner: Arc::new(Inner {
                tx: Some(tx),
                state: state_rx,
                monitor,
                thread,
            }),
        }
    }

    fn send(&self, cmd: Cmd) -> Result<(), PlayerError> {
        let (rtx, rrx) = mpsc::sync_channel(1);
        let tx = self.inner.tx.as_ref().ok_or(PlayerError::Stopped)?;
        tx.send((cmd, rtx)).map_err(|_| PlayerError::Stopped)?;
        rrx.recv().map_err(|_| PlayerError::Stopped)?
    }

    /// Loads a file (paused at 0). On failure the previous file is unloaded and `state.error` set.
    ///
    /// # Errors
    /// [`PlayerError::Io`] or [`PlayerError::Decode`].
    pub fn load(&self, path: impl AsRef<Path>) -> Result<(), PlayerError> {
        self.send(Cmd::Load(path.as_ref().to_owned()))
    }

    /// Unloads the current file.
    ///
    /// # Errors
    /// [`PlayerError::Stopped`].
    pub fn unload(&self) -> Result<(), PlayerError> {
        self.send(Cmd::Unload)
    }

    /// Plays. After a pause (with no seek since), rewinds by the auto-rewind amount first; at the
    /// end of the file, starts over.
    ///
    /// # Errors
    /// [`PlayerError::NoAudio`].
    pub fn play(&self) -> Result<(), PlayerError> {
        self.send(Cmd::Play)
    }

    /// Pauses.
    ///
    /// # Errors
    /// [`PlayerError::NoAudio`].
    pub fn pause(&self) -> Result<(), PlayerError> {
        self.send(Cmd::Pause)
    }

    /// Play if paused, pause if playing.
    ///
    /// # Errors
    /// [`PlayerError::NoAudio`].
    pub fn toggle(&self) -> Result<(), PlayerError> {
        self.send(Cmd::Toggle)
    }

    /// Seeks to `ms` of media time (clamped to the duration). Keeps playing or paused as it was.
    ///
    /// # Errors
    /// [`PlayerError::NoAudio`], [`PlayerError::Seek`].
    pub fn seek(&self, ms: u64) -> Result<(), PlayerError> {
        self.send(Cmd::Seek(ms, Instant::now()))
    }

    /// Seeks relative to the current position (negative = back), clamped to the file.
    ///
    /// # Errors
    /// As [`PlayerHandle::seek`].
    pub fn skip(&self, delta_ms: i64) -> Result<(), PlayerError> {
        self.send(Cmd::Skip(delta_ms, Instant::now()))
    }

    /// Speed from 0.5 to 2.0, rounded to the nearest 0.1; the pitch is kept.
    ///
    /// # Errors
    /// [`PlayerError::InvalidArgument`] outside the range or not finite.
    pub fn set_speed(&self, speed: f32) -> Result<(), PlayerError> {
        self.send(Cmd::Speed(speed))
    }

    /// Volume from 0.0 to 2.0 (1.0 unchanged).
    ///
    /// # Errors
    /// [`PlayerError::InvalidArgument`] outside the range or not finite.
    pub fn set_volume(&self, volume: f32) -> Result<(), PlayerError> {
        self.send(Cmd::Volume(volume))
    }

    /// Auto-rewind on resume in ms (default 1000; 0 disables).
    ///
    /// # Errors
    /// [`PlayerError::Stopped`].
    pub fn set_auto_rewind(&self, ms: u64) -> Result<(), PlayerError> {
        self.send(Cmd::AutoRewind(ms))
    }

    /// Loops `start_ms..end_ms` (when playback reaches the end it jumps to the start), or stops looping.
    ///
    /// # Errors
    /// [`PlayerError::InvalidArgument`] if `end <= start`; [`PlayerError::NoAudio`].
    pub fn set_loop(&self, range: Option<(u64, u64)>) -> Result<(), PlayerError> {
        self.send(Cmd::Loop(range))
    }

    /// The latest published state (updated on every command and every 50 ms while playing).
    pub fn state(&self) -> PlaybackState {
        self.inner.state.borrow().clone()
    }

    /// A receiver that wakes on every state change (`changed()` is async; `borrow()` is not).
    pub fn subscribe(&self) -> watch::Receiver<PlaybackState> {
        self.inner.state.clone()
    }

    /// The exact media position of the last frame handed to the output, in microseconds.
    pub fn position_us(&self) -> u64 {
        self.inner.monitor.position_us.load(Ordering::Relaxed)
    }

    /// The exact media position in ms.
    pub fn position_ms(&self) -> u64 {
        (self.position_us() + 500) / 1000
    }

    /// Benchmarks: the latest seek's latency (command sent -> first sample at the new position handed
    /// to the output) and a counter that changes whenever a new latency is recorded.
    pub fn last_seek_latency(&self) -> (u64, Duration) {
        let m = &self.inner.monitor;
        let seq = m.seek_latency_seq.load(Ordering::Acquire);
        (
            seq,
            Duration::from_nanos(m.seek_latency_ns.load(Ordering::Relaxed)),
        )
    }
}

struct Actor {
    sinker: Sinker,
    state_tx: watch::Sender<PlaybackState>,
    monitor: Arc<Monitor>,
    track: Option<Arc<Track>>,
    speed: f32,
    volume: f32,
    auto_rewind_ms: u64,
    /// Set by pause, cleared by seeks and loads: only a plain resume rewinds.
    rewind_armed: bool,
    epoch: u64,
    error: Option<String>,
}

impl Actor {
    fn new(sinker: Sinker, state_tx: watch::Sender<PlaybackState>, monitor: Arc<Monitor>) -> Self {
        Self {
            sinker,
            state_tx,
            monitor,
            track: None,
            speed: 1.0,
            volume: 1.0,
            auto_rewind_ms: DEFAULT_AUTO_REWIND_MS,
            rewind_armed: false,
            epoch: 0,
            error: None,
        }
    }

    fn run(mut self, rx: &mpsc::Receiver<(Cmd, Reply)>) {
        loop {
            let playing = self.state_tx.borrow().playing;
            let msg = if playing {
                match rx.recv_timeout(TICK) {
                    Ok(m) => Some(m),
                    Err(mpsc::RecvTimeoutError::Timeout) => None,
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => break,
                }
            };
            if let Some((cmd, reply)) = msg {
                let res = self.apply(cmd);
                if let Err(e) = &res {
                    tracing::debug!("player command failed: {e}");
                }
                self.publish();
                let _ = reply.send(res);
            } else {
                self.publish();
            }
        }
        if let Some(t) = self.track.take() {
            t.stop();
        }
        tracing::debug!("player thread stopped");
    }

    fn track(&self) -> Result<&Arc<Track>, PlayerError> {
        self.track.as_ref().ok_or(PlayerError::NoAudio)
    }

    fn apply(&mut self, cmd: Cmd) -> Result<(), PlayerError> {
        match cmd {
            Cmd::Load(path) => {
                if let Some(old) = self.track.take() {
                    old.stop();
                }
                self.epoch += 1;
                self.rewind_armed = false;
                match Track::open(&path, self.speed, self.volume, Arc::clone(&self.monitor)) {
                    Ok(track) => {
                        tracing::info!(path = %path.display(), "audio loaded");
                        self.sinker.add(track.source());
                        self.track = Some(track);
                        self.error = None;
                        Ok(())
                    }
                    Err(e) => {
                        tracing::warn!("cannot load audio: {e}");
                        self.error = Some(e.to_string());
                        self.monitor.position_us.store(0, Ordering::Relaxed);
                        Err(e)
                    }
                }
            }
            Cmd::Unload => {
                if let Some(old) = self.track.take() {
                    old.stop();
                }
                self.epoch += 1;
                self.error = None;
                self.monitor.position_us.store(0, Ordering::Relaxed);
                Ok(())
            }
            Cmd::Play => self.play(),
            Cmd::Pause => self.pause(),
            Cmd::Toggle => {
                let playing = self.track()?.lock().playing;
                if playing { self.pause() } else { self.play() }
            }
            Cmd::Seek(ms, mark) => self.seek_ms(ms, mark),
            Cmd::Skip(delta, mark) => {
                let track = self.track()?;
                let rate = track.sample_rate();
                let now = frames_to_ms(track.lock().position_frames(), rate);
                let target = now.saturating_add_signed(delta);
                self.seek_ms(target, mark)
            }
            Cmd::Speed(speed) => {
                if !speed.is_finite() || !(MIN_SPEED - 0.05..=MAX_SPEED + 0.05).contains(&speed) {
                    return Err(PlayerError::InvalidArgument(format!(
                        "speed {speed} is outside {MIN_SPEED}..={MAX_SPEED}"
                    )));
                }
                let speed = ((speed * 10.0).round() / 10.0).clamp(MIN_SPEED, MAX_SPEED);
                self.speed = speed;
                if let Some(t) = &self.track {
                    t.change(|st| st.set_speed(speed))?;
                }
                Ok(())
            }
            Cmd::Volume(v) => {
                if !v.is_finite() || !(0.0..=2.0).contains(&v) {
                    return Err(PlayerError::InvalidArgument(format!(
                        "volume {v} is outside 0..=2"
                    )));
                }
                self.volume = v;
                if let Some(t) = &self.track {
                    // Applied from the next 5 ms block: no need to drop the rendered one.
                    t.lock().set_volume(v);
                }
                Ok(())
            }
            Cmd::AutoRewind(ms) => {
                self.auto_rewind_ms = ms;
                Ok(())
            }
            Cmd::Loop(range) => {
                let track = self.track()?;
                let rate = track.sample_rate();
                let frames = match range {
                    Some((a, b)) if b <= a => {
                        return Err(PlayerError::InvalidArgument(format!(
                            "loop end {b} ms is not after its start {a} ms"
                        )));
                    }
                    Some((a, b)) => Some((ms_to_frames(a, rate), ms_to_frames(b, rate))),
                    None => None,
                };
                track.lock().loop_range = frames;
                Ok(())
            }
        }
    }

    fn seek_ms(&mut self, ms: u64, mark: Instant) -> Result<(), PlayerError> {
        let track = self.track()?;
        let rate = track.sample_rate();
        track.change(|st| st.seek_frames(ms_to_frames(ms, rate), Some(mark)))?;
        self.rewind_armed = false;
        self.epoch += 1;
        Ok(())
    }

    fn play(&mut self) -> Result<(), PlayerError> {
        let rewind = if self.rewind_armed {
            self.auto_rewind_ms
        } else {
            0
        };
        let track = self.track()?;
        let rate = track.sample_rate();
        let res = track.change(|st| {
            if st.error.is_some() {
                return Ok(());
            }
            if st.ended {
                st.seek_frames(0, None)?;
            } else if rewind > 0 {
                let to = (st.position_frames() as u64).saturating_sub(ms_to_frames(rewind, rate));
                st.seek_frames(to, None)?;
            }
            st.playing = true;
            Ok(())
        });
        self.rewind_armed = false;
        self.epoch += 1;
        res
    }

    fn pause(&mut self) -> Result<(), PlayerError> {
        let track = self.track()?;
        let was = track.change(|st| std::mem::replace(&mut st.playing, false));
        if was {
            self.rewind_armed = true;
        }
        Ok(())
    }

    fn publish(&self) {
        let mut s = PlaybackState {
            speed: self.speed,
            volume: self.volume,
            epoch: self.epoch,
            error: self.error.clone(),
            ..PlaybackState::default()
        };
        if let Some(t) = &self.track {
            let st = t.lock();
            let rate = st.rate();
            s.playing = st.playing;
            s.ended = st.ended;
            s.duration_ms = st.duration_frames.map(|d| frames_to_ms(d as f64, rate));
            s.file = Some(st.path.clone());
            s.loop_range = st
                .loop_range
                .map(|(a, b)| (frames_to_ms(a as f64, rate), frames_to_ms(b as f64, rate)));
            if st.error.is_some() {
                s.error.clone_from(&st.error);
            }
            drop(st);
            s.position_ms = (self.monitor.position_us.load(Ordering::Relaxed) + 500) / 1000;
        }
        self.state_tx.send_if_modified(|cur| {
            if *cur == s {
                false
            } else {
                *cur = s;
                true
            }
        });
    }
}
