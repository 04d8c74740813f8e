//! The audio-thread side: one [`PlayerSource`] per loaded file, pulled by the output (cpal's
//! callback through rodio's mixer, or the test puller through `Sink::new()`'s queue).
//!
//! Why not rodio's `Sink` controls: `Sink::try_seek` blocks until the callback applies it,
//! `Sink::set_speed` resamples (pitch changes) and `get_pos` stops being media time once the speed
//! changes (platform-notes §6). So the source owns the decoder behind a mutex and does everything
//! itself: the actor thread seeks the decoder directly under the lock and bumps a generation counter;
//! the source checks that counter on every sample (one relaxed atomic load) and drops its small
//! block buffer at once, so a seek is heard after at most one output buffer of the device.
//!
//! The media position is kept here, in frames, from what the decoder delivered: exact at 1.0x
//! (the stretcher is bypassed) and `output frames x speed` while stretching (capped by what the
//! decoder has delivered). It is never derived from wall time or rodio's `get_pos`.

use std::num::{NonZeroU16, NonZeroU32};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rodio::Source;

use crate::decoder::AudioDecoder;
use wsola::TimeStretch;

use crate::error::PlayerError;

/// Length of one block the source renders at a time: 5 ms keeps pause and loop ends tight.
const BLOCK_MS: u32 = 5;
/// Frames fed to the stretcher per decoder read.
const STRETCH_FEED_FRAMES: usize = 1024;

/// Values shared by every track of one player, readable from any thread without a lock.
#[derive(Debug, Default)]
pub(crate) struct Monitor {
    /// Media position of the last frame handed to the output, in microseconds.
    pub position_us: AtomicU64,
    /// Latency of the last seek: command sent -> first sample at the new position handed out.
    pub seek_latency_ns: AtomicU64,
    /// Bumped whenever `seek_latency_ns` is written.
    pub seek_latency_seq: AtomicU64,
}

/// The decoder and playback state of one file, shared between the actor and its source.
pub(crate) struct Track {
    state: Mutex<TrackState>,
    generation: AtomicU64,
    stop: AtomicBool,
    channels: u16,
    sample_rate: u32,
    monitor: Arc<Monitor>,
}

pub(crate) struct TrackState {
    decoder: AudioDecoder,
    pub path: PathBuf,
    channels: usize,
    rate: u32,
    /// Total frames, if the container says (or once the end has been reached).
    pub duration_frames: Option<u64>,
    /// Media frame index of the next frame the decoder yields.
    decoded: u64,
    /// Media frame index of the next frame handed to the output.
    position: f64,
    pub playing: bool,
    pub ended: bool,
    speed: f32,
    volume: f32,
    pub loop_range: Option<(u64, u64)>,
    stretch: Option<TimeStretch>,
    stretch_input_done: bool,
    scratch: Vec<f32>,
    pub error: Option<String>,
    generation: u64,
    /// When the latest seek command was sent; taken by the source when it renders the new position.
    seek_mark: Option<Instant>,
}

impl Track {
    /// Opens and probes `path`. Decoder panics on corrupt data are caught and reported as errors.
    pub(crate) fn open(
        path: &Path,
        speed: f32,
        volume: f32,
        monitor: Arc<Monitor>,
    ) -> Result<Arc<Self>, PlayerError> {
        let decoder = catch_unwind(AssertUnwindSafe(|| AudioDecoder::open(path)))
            .map_err(|_| decode_error(path, "the decoder panicked while probing"))??;
        let channels = u16::try_from(decoder.channels())
            .map_err(|_| decode_error(path, "too many channels"))?;
        let rate = decoder.rate();
        if channels == 0 || rate == 0 {
            return Err(decode_error(path, "no audio track"));
        }
        let duration_frames = decoder.n_frames();
        let mut state = TrackState {
            decoder,
            path: path.to_owned(),
            channels: usize::from(channels),
            rate,
            duration_frames,
            decoded: 0,
            position: 0.0,
            playing: false,
            ended: false,
            speed: 1.0,
            volume,
            loop_range: None,
            stretch: None,
            stretch_input_done: false,
            scratch: Vec::new(),
            error: None,
            generation: 0,
            seek_mark: None,
        };
        state.set_speed(speed)?;
        monitor.position_us.store(0, Ordering::Relaxed);
        Ok(Arc::new(Self {
            state: Mutex::new(state),
            generation: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            channels,
            sample_rate: rate,
            monitor,
        }))
    }

    pub(crate) fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// Locks the state. A poisoned lock only means a panic elsewhere while holding it; the state
    /// itself stays consistent enough to keep going (decoder panics are caught inside the lock).
    pub(crate) fn lock(&self) -> MutexGuard<'_, TrackState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the state and makes the source drop whatever it had rendered, so the change is
    /// heard with the next sample the output pulls.
    pub(crate) fn change<T>(&self, f: impl FnOnce(&mut TrackState) -> T) -> T {
        let mut st = self.lock();
        let before = st.position;
        let out = f(&mut st);
        st.generation += 1;
        self.generation.store(st.generation, Ordering::Release);
        // While playing the source publishes the position; a jump (seek, rewind) is published here
        // so a reader never sees the old position after the command returned.
        if !st.playing || st.position != before {
            self.monitor
                .position_us
                .store(frames_to_us(st.position, st.rate), Ordering::Relaxed);
        }
        out
    }

    /// Tells the source to end (its output then removes it).
    pub(crate) fn stop(&self) {
        self.stop.store(true, Ordering::Release);
    }

    pub(crate) fn source(self: &Arc<Self>) -> PlayerSource {
        PlayerSource {
            track: Arc::clone(self),
            buf: Vec::new(),
            idx: 0,
            generation: u64::MAX,
            block_start: 0.0,
            step: 0.0,
            channels: usize::from(self.channels),
            seek_mark: None,
        }
    }
}

fn decode_error(path: &Path, reason: &str) -> PlayerError {
    PlayerError::Decode {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}

fn frames_to_us(frames: f64, rate: u32) -> u64 {
    (frames * 1_000_000.0 / f64::from(rate)).round().max(0.0) as u64
}

/// Media milliseconds -> frames (rounded to the nearest frame).
pub(crate) fn ms_to_frames(ms: u64, rate: u32) -> u64 {
    (u128::from(ms) * u128::from(rate)).div_ceil(1000) as u64
}

pub(crate) fn frames_to_ms(frames: f64, rate: u32) -> u64 {
    (frames * 1000.0 / f64::from(rate)).round().max(0.0) as u64
}

impl TrackState {
    pub(crate) fn rate(&self) -> u32 {
        self.rate
    }

    pub(crate) fn position_frames(&self) -> f64 {
        self.position
    }

    /// Moves the decoder to `frame` (clamped to the duration) and resets the stretcher.
    pub(crate) fn seek_frames(
        &mut self,
        frame: u64,
        mark: Option<Instant>,
    ) -> Result<(), PlayerError> {
        if let Some(d) = self.duration_frames
            && frame >= d
        {
            // At (or past) the end: no decoder seek (some demuxers refuse it), just the end state.
            self.decoded = d;
            self.position = d as f64;
            self.ended = true;
            self.playing = false;
            self.seek_mark = None;
            return Ok(());
        }
        let res = catch_unwind(AssertUnwindSafe(|| self.decoder.seek(frame)));
        let ms = frames_to_ms(frame as f64, self.rate);
        match res {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(PlayerError::Seek {
                    ms,
                    reason: e.to_string(),
                });
            }
            Err(_) => {
                self.error = Some("the decoder panicked while seeking".into());
                self.playing = false;
                return Err(PlayerError::Seek {
                    ms,
                    reason: "the decoder panicked".into(),
                });
            }
        }
        self.decoded = frame;
        self.position = frame as f64;
        self.ended = false;
        self.stretch_input_done = false;
        if let Some(ts) = &mut self.stretch {
            ts.reset();
        }
        self.seek_mark = mark;
        Ok(())
    }

    /// Speed in 0.1 steps from 0.5 to 2.0. At 1.0 the stretcher is dropped (exact bypass).
    /// The decoder is re-seeked to the current position so audio buffered in the stretcher is not skipped.
    pub(crate) fn set_speed(&mut self, speed: f32) -> Result<(), PlayerError> {
        self.speed = speed;
        if (speed - 1.0).abs() < 1e-6 {
            self.stretch = None;
        } else {
            match &mut self.stretch {
                Some(ts) => ts.set_tempo(speed),
                None => {
                    let rate = NonZeroU32::new(self.rate).ok_or(PlayerError::NoAudio)?;
                    let ch = NonZeroU16::new(self.channels as u16).ok_or(PlayerError::NoAudio)?;
                    let mut ts = TimeStretch::new(rate, ch)
                        .map_err(|e| PlayerError::InvalidArgument(e.to_string()))?;
                    ts.set_tempo(speed);
                    self.scratch = vec![0.0; ts.min_output_buff_size()];
                    self.stretch = Some(ts);
                }
            }
        }
        if !self.ended && self.error.is_none() && self.decoded > 0 {
            let at = self.position.round() as u64;
            self.seek_frames(at, None)?;
        }
        Ok(())
    }

    pub(crate) fn set_volume(&mut self, volume: f32) {
        self.volume = volume;
    }

    fn on_end(&mut self) {
        self.ended = true;
        self.playing = false;
        self.duration_frames = Some(self.decoded);
        self.position = self.decoded as f64;
    }

    /// Reads up to `frames` whole frames from the decoder into `out`; returns the frame count.
    fn read_frames(&mut self, frames: usize, out: &mut Vec<f32>) -> usize {
        let dec = &mut self.decoder;
        let n = match catch_unwind(AssertUnwindSafe(|| dec.read(frames, out))) {
            Ok(n) => n,
            Err(_) => {
                tracing::warn!(path = %self.path.display(), "decoder panicked; treating as end of file");
                self.error = Some("the decoder panicked on corrupt data".into());
                0
            }
        };
        self.decoded = self.decoder.next_frame();
        n
    }

    /// Renders the next block into `out`. Returns (media frame of the block's first frame, media
    /// frames per output frame); a step of 0 means silence (paused, ended, or failed).
    fn render(&mut self, out: &mut Vec<f32>) -> (f64, f64) {
        out.clear();
        let ch = self.channels;
        let block = (self.rate * BLOCK_MS / 1000).max(32) as usize;
        if !self.playing || self.ended || self.error.is_some() {
            out.resize(block * ch, 0.0);
            return (self.position, 0.0);
        }
        if let Some((a, b)) = self.loop_range
            && self.position >= b as f64
        {
            let mark = self.seek_mark.take();
            if let Err(e) = self.seek_frames(a, mark) {
                tracing::warn!("loop seek failed: {e}");
                self.loop_range = None;
            }
        }
        let start = self.position;
        let step;
        if self.stretch.is_none() {
            let mut want = block;
            if let Some((_, b)) = self.loop_range
                && b > self.decoded
            {
                want = want.min(usize::try_from(b - self.decoded).unwrap_or(usize::MAX));
            }
            let n = self.read_frames(want, out);
            self.position = self.decoded as f64;
            if n < want {
                self.on_end();
            }
            step = 1.0;
        } else {
            let mut feed = Vec::new();
            while let Some(ts) = self.stretch.as_mut() {
                match ts.pull(&mut self.scratch) {
                    Ok(n) => {
                        out.extend_from_slice(&self.scratch[..n]);
                        break;
                    }
                    Err(wsola::Error::NotEnoughInput) if !self.stretch_input_done => {
                        feed.clear();
                        let n = self.read_frames(STRETCH_FEED_FRAMES, &mut feed);
                        if let Some(ts) = self.stretch.as_mut() {
                            ts.push(&feed);
                            if n < STRETCH_FEED_FRAMES {
                                ts.set_draining();
                                self.stretch_input_done = true;
                            }
                        }
                    }
                    Err(_) => break,
                }
            }
            let frames = out.len() / ch;
            step = f64::from(self.speed);
            self.position = (start + frames as f64 * step).min(self.decoded as f64);
            if frames == 0 {
                self.on_end();
            }
        }
        if out.is_empty() {
            out.resize(block * ch, 0.0);
            return (self.position, 0.0);
        }
        if (self.volume - 1.0).abs() > f32::EPSILON {
            for s in out.iter_mut() {
                *s *= self.volume;
            }
        }
        (start, step)
    }
}

/// The `rodio::Source` of one loaded file. It never ends on its own (silence while paused or at
/// the end) so the output keeps pulling; it ends only when the player loads another file or drops.
pub(crate) struct PlayerSource {
    track: Arc<Track>,
    buf: Vec<f32>,
    idx: usize,
    generation: u64,
    block_start: f64,
    step: f64,
    channels: usize,
    seek_mark: Option<Instant>,
}

impl PlayerSource {
    fn refill(&mut self) {
        // Never wait in the audio callback: while the actor holds the lock (a seek into a long
        // VBR MP3 can take tens of ms), play 1 ms of silence and try again, instead of starving
        // the device (PulseAudio then takes up to 0.6 s to restart the stream).
        let mut st = match self.track.state.try_lock() {
            Ok(st) => st,
            Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                let frames = (self.track.sample_rate / 1000).max(1) as usize;
                self.buf.clear();
                self.buf.resize(frames * self.channels, 0.0);
                self.idx = 0;
                self.step = 0.0;
                self.seek_mark = None;
                return;
            }
        };
        let (start, step) = st.render(&mut self.buf);
        self.generation = st.generation;
        self.seek_mark = if step > 0.0 {
            st.seek_mark.take()
        } else {
            None
        };
        self.block_start = start;
        self.step = step;
        self.idx = 0;
        if step == 0.0 {
            self.block_start = st.position;
        }
        let rate = st.rate;
        drop(st);
        self.track
            .monitor
            .position_us
            .store(frames_to_us(self.block_start, rate), Ordering::Relaxed);
    }
}

impl Iterator for PlayerSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.track.stop.load(Ordering::Acquire) {
            return None;
        }
        if self.idx >= self.buf.len()
            || self.track.generation.load(Ordering::Acquire) != self.generation
        {
            self.refill();
        }
        let sample = *self.buf.get(self.idx)?;
        if self.idx.is_multiple_of(self.channels) {
            if let Some(mark) = self.seek_mark.take() {
                let ns = u64::try_from(mark.elapsed().as_nanos()).unwrap_or(u64::MAX);
                self.track
                    .monitor
                    .seek_latency_ns
                    .store(ns, Ordering::Relaxed);
                self.track
                    .monitor
                    .seek_latency_seq
                    .fetch_add(1, Ordering::Release);
            }
            if self.step > 0.0 {
                let frame = (self.idx / self.channels) as f64;
                let pos = self.block_start + frame * self.step;
                self.track
                    .monitor
                    .position_us
                    .store(frames_to_us(pos, self.track.sample_rate), Ordering::Relaxed);
            }
        }
        self.idx += 1;
        Some(sample)
    }
}

impl Source for PlayerSource {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        self.track.channels
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        self.track.sample_rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}
