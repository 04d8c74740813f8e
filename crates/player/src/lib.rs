//! Native audio playback for Cueline, with no Tauri in it (the desktop shell wraps a
//! [`PlayerHandle`]; tests drive it with no sound device at all).
//!
//! Why native and not the webview's `<audio>`: a transcript editor seeks to cue times and must land
//! exactly there, also in VBR MP3 files where browsers are known to be seconds off. rodio + symphonia
//! seek sample-exactly (platform-notes §6), and keeping the position ourselves, in decoded frames,
//! makes it media time at every speed.
//!
//! - [`player`]: the actor thread and its handle ([`PlayerHandle`], [`PlaybackState`]).
//! - `engine`: the `rodio::Source` that owns the decoder and the time-stretcher.
//! - `decoder`: symphonia with a seek that is exact also in VBR MP3 (rodio's was not).
//! - [`output`]: the sound device, or a device-less sink for tests and benchmarks.
//! - [`peaks`]: waveform min/max peaks by streaming decode, with an on-disk cache.

mod decoder;
mod engine;
pub mod error;
pub mod output;
pub mod peaks;
pub mod player;

pub use error::PlayerError;
pub use output::{NullOutput, NullPace, OutputKind};
pub use peaks::{
    DEFAULT_BUCKET_MS, Peaks, PeaksProgress, compute_peaks, load_peaks, peaks_cache_path,
    store_peaks,
};
pub use player::{DEFAULT_AUTO_REWIND_MS, MAX_SPEED, MIN_SPEED, PlaybackState, PlayerHandle};
