//! Where the samples go. The real app uses the default sound device through rodio's mixer; tests
//! and benchmarks use `Sink::new()`'s queue with no device at all (platform-notes §6), drained either
//! by the test itself ([`NullPace::Manual`], fully deterministic) or by a thread pulling at a steady
//! real-time pace ([`NullPace::RealTime`]).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rodio::queue::SourcesQueueOutput;
use rodio::{OutputStream, OutputStreamBuilder, Sink, Source};

use crate::engine::PlayerSource;

/// Device buffer asked for: about 12 ms at 44.1 kHz.
const DEVICE_BUFFER_FRAMES: u32 = 512;

/// Which output a player drives.
pub enum OutputKind {
    /// The system's default sound device.
    Device,
    /// No device: a `Sink::new()` queue; pull it with the returned [`NullOutput`].
    Null(NullPace),
}

/// How the device-less output is drained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NullPace {
    /// The caller pulls with [`NullOutput::pull`]: nothing moves unless the test asks.
    Manual,
    /// A thread pulls `rate x factor` frames per wall second (1.0 = real time) in 2 ms steps.
    RealTime {
        /// 1.0 is real time.
        factor: f64,
    },
}

/// Owned by the player thread: the sink the sources go to.
pub(crate) enum Sinker {
    Device(OutputStream),
    Null(Sink),
}

impl Sinker {
    /// Opens the default device with a small buffer (the buffer is most of the click-to-audio
    /// latency), falling back to the device's own configuration if it refuses.
    pub(crate) fn open_device() -> Result<Self, rodio::StreamError> {
        let small = OutputStreamBuilder::from_default_device().and_then(|b| {
            b.with_buffer_size(rodio::cpal::BufferSize::Fixed(DEVICE_BUFFER_FRAMES))
                .open_stream()
        });
        let mut stream = match small {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(
                    "no {DEVICE_BUFFER_FRAMES}-frame device buffer ({e}); using the default"
                );
                OutputStreamBuilder::open_default_stream()?
            }
        };
        stream.log_on_drop(false);
        Ok(Self::Device(stream))
    }

    pub(crate) fn add(&self, source: PlayerSource) {
        match self {
            Self::Device(stream) => stream.mixer().add(source),
            Self::Null(sink) => sink.append(source),
        }
    }
}

/// The device-less output's far end: what a sound card would have received.
pub struct NullOutput {
    queue: Arc<Mutex<SourcesQueueOutput>>,
    pulled: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl NullOutput {
    pub(crate) fn new(queue: SourcesQueueOutput, pace: NullPace) -> Self {
        let queue = Arc::new(Mutex::new(queue));
        let pulled = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = match pace {
            NullPace::Manual => None,
            NullPace::RealTime { factor } => {
                let (queue, pulled, stop) =
                    (Arc::clone(&queue), Arc::clone(&pulled), Arc::clone(&stop));
                std::thread::Builder::new()
                    .name("cueline-null-output".into())
                    .spawn(move || real_time_puller(&queue, &pulled, &stop, factor))
                    .ok()
            }
        };
        Self {
            queue,
            pulled,
            stop,
            thread,
        }
    }

    /// Pulls `frames` frames (interleaved samples) as a sound card would. Manual pace only makes
    /// sense for tests; with a real-time puller running the two share the stream.
    pub fn pull(&self, frames: usize) -> Vec<f32> {
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let ch = usize::from(q.channels().max(1));
        let out: Vec<f32> = q.by_ref().take(frames * ch).collect();
        self.pulled.fetch_add(frames as u64, Ordering::Relaxed);
        out
    }

    /// Channels of the source currently playing.
    pub fn channels(&self) -> u16 {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .channels()
    }

    /// Sample rate of the source currently playing.
    pub fn sample_rate(&self) -> u32 {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .sample_rate()
    }

    /// Frames pulled so far.
    pub fn pulled_frames(&self) -> u64 {
        self.pulled.load(Ordering::Relaxed)
    }

    /// Runs `f` with the frames pulled so far while the output is held still (the real-time puller
    /// waits), so what `f` reads (say, the player's position) matches that count exactly.
    pub fn frozen<R>(&self, f: impl FnOnce(u64) -> R) -> R {
        let _q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        f(self.pulled.load(Ordering::Relaxed))
    }
}

impl Drop for NullOutput {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn real_time_puller(
    queue: &Mutex<SourcesQueueOutput>,
    pulled: &AtomicU64,
    stop: &AtomicBool,
    factor: f64,
) {
    let start = Instant::now();
    let mut done_frames: f64 = 0.0;
    while !stop.load(Ordering::Acquire) {
        {
            let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
            let rate = f64::from(q.sample_rate().max(1));
            let ch = usize::from(q.channels().max(1));
            let due = start.elapsed().as_secs_f64() * rate * factor - done_frames;
            if due >= 1.0 {
                let n = due as usize;
                for _ in 0..n * ch {
                    if q.next().is_none() {
                        break;
                    }
                }
                done_frames += n as f64;
                pulled.fetch_add(n as u64, Ordering::Relaxed);
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}
