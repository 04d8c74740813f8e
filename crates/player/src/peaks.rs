//! Waveform peaks: min/max per bucket (10 ms by default), computed by streaming the decode so a
//! 2-hour file never sits in memory as PCM, and cached on disk per audio file.
//!
//! This uses symphonia directly rather than rodio's `Decoder`: the player needs a sample iterator,
//! but peaks only need whole decoded buffers, and skipping the per-sample iterator is what keeps
//! the scan at ffmpeg's speed. Gapless trimming is on, as in rodio's decoder, so peak times line up
//! with the player's media time.
//!
//! The cache is keyed by the audio file's path, size and modification time (a blake3 hash in the
//! file name); file I/O stays at the edge ([`peaks_cache_path`], [`load_peaks`], [`store_peaks`]),
//! so the app decides where and when.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use symphonia::core::audio::{AudioBufferRef, SampleBuffer, Signal};
use symphonia::core::errors::Error as SymError;

use crate::error::PlayerError;

/// Default bucket length.
pub const DEFAULT_BUCKET_MS: u32 = 10;
const MAGIC: &[u8; 8] = b"CLPEAKS1";

/// Min/max peaks of all channels per bucket, scaled to i16 (`-32767..=32767`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peaks {
    /// Bucket length in ms; bucket `i` covers `[i * bucket_ms, (i + 1) * bucket_ms)`.
    pub bucket_ms: u32,
    /// Sample rate of the source.
    pub sample_rate: u32,
    /// Decoded length in ms.
    pub duration_ms: u64,
    /// `[min, max]` per bucket.
    pub buckets: Vec<[i16; 2]>,
}

/// Progress reported while peaks compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeaksProgress {
    /// Media time decoded so far.
    pub done_ms: u64,
    /// Total media time, if the container says.
    pub total_ms: Option<u64>,
}

fn decode_err(path: &Path, e: impl std::fmt::Display) -> PlayerError {
    PlayerError::Decode {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

struct Acc {
    boundary_num: u64, // rate * bucket_ms
    frame: u64,
    next_boundary: u64,
    lo: f32,
    hi: f32,
    buckets: Vec<[i16; 2]>,
}

impl Acc {
    fn new(rate: u32, bucket_ms: u32) -> Self {
        let num = u64::from(rate) * u64::from(bucket_ms);
        Self {
            boundary_num: num,
            frame: 0,
            next_boundary: num.div_ceil(1000),
            lo: 0.0,
            hi: 0.0,
            buckets: Vec::new(),
        }
    }

    fn close_bucket(&mut self) {
        let q = |v: f32| (v.clamp(-1.0, 1.0) * 32767.0).round() as i16;
        self.buckets.push([q(self.lo), q(self.hi)]);
        self.lo = 0.0;
        self.hi = 0.0;
        let k = self.buckets.len() as u64 + 1;
        self.next_boundary = (k * self.boundary_num).div_ceil(1000);
    }

    /// Feeds `frames` frames given as planes (one slice per channel).
    fn planar<S: AsRef<[f32]>>(&mut self, planes: &[S], frames: usize) {
        let mut i = 0;
        while i < frames {
            let take = ((self.next_boundary - self.frame) as usize).min(frames - i);
            let (mut lo, mut hi) = (self.lo, self.hi);
            for p in planes {
                for &v in &p.as_ref()[i..i + take] {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
            self.lo = lo;
            self.hi = hi;
            i += take;
            self.frame += take as u64;
            if self.frame == self.next_boundary {
                self.close_bucket();
            }
        }
    }

    /// Feeds interleaved samples.
    fn interleaved(&mut self, samples: &[f32], channels: usize) {
        let frames = samples.len() / channels;
        let mut i = 0;
        while i < frames {
            let take = ((self.next_boundary - self.frame) as usize).min(frames - i);
            for &v in &samples[i * channels..(i + take) * channels] {
                self.lo = self.lo.min(v);
                self.hi = self.hi.max(v);
            }
            i += take;
            self.frame += take as u64;
            if self.frame == self.next_boundary {
                self.close_bucket();
            }
        }
    }
}

/// Computes peaks of `path` by streaming its decode. `progress` is called every few hundred
/// packets; returning `false` cancels with [`PlayerError::Cancelled`].
///
/// # Errors
/// [`PlayerError::Io`], [`PlayerError::Decode`], [`PlayerError::Cancelled`]. Corrupt packets in the
/// middle of a file are skipped (as the player does), not fatal.
pub fn compute_peaks(
    path: &Path,
    bucket_ms: u32,
    progress: &mut dyn FnMut(PeaksProgress) -> bool,
) -> Result<Peaks, PlayerError> {
    let bucket_ms = bucket_ms.max(1);
    let crate::decoder::Opened {
        mut format,
        mut decoder,
        track_id,
        rate,
        n_frames,
        ..
    } = crate::decoder::open_format(path)?;
    let total_ms = n_frames.map(|n| n * 1000 / u64::from(rate));
    let mut acc = Acc::new(rate, bucket_ms);
    let mut interleaved: Option<SampleBuffer<f32>> = None;
    let mut packets = 0u64;
    let run = std::panic::AssertUnwindSafe(|| -> Result<(), PlayerError> {
        loop {
            let packet = match format.next_packet() {
                Ok(p) => p,
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                Err(SymError::ResetRequired) => break,
                Err(e) => return Err(decode_err(path, e)),
            };
            if packet.track_id() != track_id {
                continue;
            }
            packets += 1;
            if packets.is_multiple_of(512) {
                let done_ms = acc.frame * 1000 / u64::from(rate);
                if !progress(PeaksProgress { done_ms, total_ms }) {
                    return Err(PlayerError::Cancelled);
                }
            }
            match decoder.decode(&packet) {
                Ok(AudioBufferRef::F32(buf)) => acc.planar(buf.planes().planes(), buf.frames()),
                Ok(other) => {
                    let spec = *other.spec();
                    let frames = other.frames();
                    let sb = match &mut interleaved {
                        Some(sb) if sb.capacity() >= frames * spec.channels.count() => sb,
                        slot => slot.insert(SampleBuffer::new(other.capacity() as u64, spec)),
                    };
                    sb.copy_interleaved_ref(other);
                    acc.interleaved(sb.samples(), spec.channels.count().max(1));
                }
                Err(SymError::DecodeError(e)) => {
                    tracing::debug!("skipping a corrupt packet: {e}");
                }
                Err(e) => return Err(decode_err(path, e)),
            }
        }
        Ok(())
    });
    std::panic::catch_unwind(run).map_err(|_| decode_err(path, "the decoder panicked"))??;
    if acc.frame > 0 && acc.buckets.len() as u64 * acc.boundary_num < acc.frame * 1000 {
        acc.close_bucket();
    }
    let duration_ms = acc.frame * 1000 / u64::from(rate);
    progress(PeaksProgress {
        done_ms: duration_ms,
        total_ms: Some(duration_ms),
    });
    Ok(Peaks {
        bucket_ms,
        sample_rate: rate,
        duration_ms,
        buckets: acc.buckets,
    })
}

/// Where the peaks of `audio` belong in `cache_dir`: a name derived from the file's absolute path,
/// size and modification time, so an edited or replaced file gets a new entry.
///
/// # Errors
/// [`PlayerError::Io`] when `audio` cannot be inspected.
pub fn peaks_cache_path(cache_dir: &Path, audio: &Path) -> Result<PathBuf, PlayerError> {
    let io = |source| PlayerError::Io {
        path: audio.to_owned(),
        source,
    };
    let abs = std::fs::canonicalize(audio).map_err(io)?;
    let meta = std::fs::metadata(&abs).map_err(io)?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut h = blake3::Hasher::new();
    h.update(abs.as_os_str().as_encoded_bytes());
    h.update(&meta.len().to_le_bytes());
    h.update(&mtime_ns.to_le_bytes());
    let hex = h.finalize().to_hex();
    Ok(cache_dir.join(format!("{}.peaks", &hex[..32])))
}

/// Writes `peaks` to `cache_file` atomically (temp file + rename), creating the directory.
///
/// # Errors
/// [`PlayerError::Io`].
pub fn store_peaks(cache_file: &Path, peaks: &Peaks) -> Result<(), PlayerError> {
    let io = |source| PlayerError::Io {
        path: cache_file.to_owned(),
        source,
    };
    if let Some(dir) = cache_file.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut bytes = Vec::with_capacity(32 + peaks.buckets.len() * 4);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&peaks.bucket_ms.to_le_bytes());
    bytes.extend_from_slice(&peaks.sample_rate.to_le_bytes());
    bytes.extend_from_slice(&peaks.duration_ms.to_le_bytes());
    bytes.extend_from_slice(&(peaks.buckets.len() as u64).to_le_bytes());
    for [lo, hi] in &peaks.buckets {
        bytes.extend_from_slice(&lo.to_le_bytes());
        bytes.extend_from_slice(&hi.to_le_bytes());
    }
    let tmp = cache_file.with_extension(format!("tmp{}", std::process::id()));
    let mut f = File::create(&tmp).map_err(io)?;
    f.write_all(&bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    drop(f);
    std::fs::rename(&tmp, cache_file).map_err(io)
}

/// Reads peaks stored by [`store_peaks`]; `Ok(None)` when there is no cache file.
///
/// # Errors
/// [`PlayerError::Io`], or [`PlayerError::BadCache`] for a truncated or foreign file.
pub fn load_peaks(cache_file: &Path) -> Result<Option<Peaks>, PlayerError> {
    let mut bytes = Vec::new();
    match File::open(cache_file) {
        Ok(mut f) => f.read_to_end(&mut bytes).map(|_| ()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => Err(e),
    }
    .map_err(|source| PlayerError::Io {
        path: cache_file.to_owned(),
        source,
    })?;
    let bad = |reason: &str| PlayerError::BadCache {
        path: cache_file.to_owned(),
        reason: reason.to_owned(),
    };
    if bytes.len() < 32 || &bytes[..8] != MAGIC {
        return Err(bad("not a peaks file"));
    }
    let u32_at =
        |o: usize| u32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
    let u64_at = |o: usize| {
        let mut a = [0u8; 8];
        a.copy_from_slice(&bytes[o..o + 8]);
        u64::from_le_bytes(a)
    };
    let (bucket_ms, sample_rate, duration_ms, count) =
        (u32_at(8), u32_at(12), u64_at(16), u64_at(24));
    let body = &bytes[32..];
    if u64::try_from(body.len()).ok() != count.checked_mul(4) {
        return Err(bad("truncated"));
    }
    let buckets = body
        .chunks_exact(4)
        .map(|c| {
            [
                i16::from_le_bytes([c[0], c[1]]),
                i16::from_le_bytes([c[2], c[3]]),
            ]
        })
        .collect();
    Ok(Some(Peaks {
        bucket_ms,
        sample_rate,
        duration_ms,
        buckets,
    }))
}
