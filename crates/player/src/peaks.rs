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

use symphonia::core::audio::{AudioBufferRef, SampleBuffer};
use symphonia::core::errors::Error as SymError;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use symphonia::core::formats::{SeekMode, SeekTo};
use symphonia::core::units::Time;

use crate::decoder::{Opened, open_format};
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

impl Peaks {
    /// The waveform of `start_ms..end_ms` in `n` columns, each the min and max of the buckets
    /// it covers (a column between two buckets takes the nearer one, so zooming in never shows
    /// gaps). Time outside the audio reads as silence.
    pub fn columns(&self, start_ms: u64, end_ms: u64, n: usize) -> Vec<[i16; 2]> {
        let bucket = u64::from(self.bucket_ms.max(1));
        let span = end_ms.saturating_sub(start_ms);
        if n == 0 || span == 0 {
            return Vec::new();
        }
        let len = self.buckets.len() as u64;
        (0..n as u64)
            .map(|c| {
                let t0 = start_ms + span * c / n as u64;
                let t1 = (start_ms + span * (c + 1) / n as u64).max(t0 + 1);
                let (b0, b1) = (t0 / bucket, t1.div_ceil(bucket).max(t0 / bucket + 1));
                if b0 >= len {
                    return [0, 0];
                }
                let b1 = b1.min(len);
                let slice = &self.buckets[b0 as usize..b1 as usize];
                slice.iter().fold([i16::MAX, i16::MIN], |acc, b| {
                    [acc[0].min(b[0]), acc[1].max(b[1])]
                })
            })
            .collect()
    }
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
    /// Index of the first bucket this accumulator fills (segments after the first start later).
    base: u64,
    frame: u64,
    next_boundary: u64,
    lo: f32,
    hi: f32,
    buckets: Vec<[i16; 2]>,
}

impl Acc {
    fn new(rate: u32, bucket_ms: u32, base: u64) -> Self {
        let num = u64::from(rate) * u64::from(bucket_ms);
        Self {
            boundary_num: num,
            base,
            frame: (base * num).div_ceil(1000),
            next_boundary: ((base + 1) * num).div_ceil(1000),
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
        let k = self.base + self.buckets.len() as u64 + 1;
        self.next_boundary = (k * self.boundary_num).div_ceil(1000);
    }

    /// Jumps over frames that produced no audio (an undecodable packet), keeping buckets aligned.
    fn advance_to(&mut self, frame: u64) {
        while frame >= self.next_boundary {
            self.frame = self.next_boundary;
            self.close_bucket();
        }
        self.frame = self.frame.max(frame);
    }

    /// Feeds frames `from..to` given as planes (one slice per channel).
    fn planar<S: AsRef<[f32]>>(&mut self, planes: &[S], from: usize, to: usize) {
        let mut i = from;
        while i < to {
            let take = ((self.next_boundary - self.frame) as usize).min(to - i);
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

    /// Feeds frames `from..to` of interleaved samples.
    fn interleaved(&mut self, samples: &[f32], channels: usize, from: usize, to: usize) {
        let mut i = from;
        while i < to {
            let take = ((self.next_boundary - self.frame) as usize).min(to - i);
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

/// Files shorter than this are scanned on one thread.
const PARALLEL_MIN_SECS: u64 = 60;
/// Decoding restarts this long before a segment's start (MP3 bit reservoir; see `decoder.rs`).
const SEGMENT_PREROLL_MS: u64 = 500;

struct Segment {
    base_bucket: u64,
    start: u64,
    end: u64,
}

/// The progress callback and the total length, given to the first segment only.
type ProgressSink<'a> = Option<(&'a mut dyn FnMut(PeaksProgress) -> bool, Option<u64>)>;

struct Shared<'a> {
    done_frames: &'a AtomicU64,
    cancel: &'a AtomicBool,
}

/// Scans one segment of the file; the first segment reports progress for all of them.
fn scan_segment(
    path: &Path,
    opened: Option<Opened>,
    seg: &Segment,
    rate: u32,
    bucket_ms: u32,
    shared: &Shared<'_>,
    mut progress: ProgressSink<'_>,
) -> Result<(Vec<[i16; 2]>, u64), PlayerError> {
    let Opened {
        mut format,
        mut decoder,
        track_id,
        ..
    } = match opened {
        Some(o) => o,
        None => open_format(path)?,
    };
    if seg.start > 0 {
        let at = seg
            .start
            .saturating_sub(SEGMENT_PREROLL_MS * u64::from(rate) / 1000);
        let time = Time::new(
            at / u64::from(rate),
            (at % u64::from(rate)) as f64 / f64::from(rate),
        );
        format
            .seek(
                SeekMode::Accurate,
                SeekTo::Time {
                    time,
                    track_id: Some(track_id),
                },
            )
            .map_err(|e| decode_err(path, e))?;
        decoder.reset();
    }
    let mut acc = Acc::new(rate, bucket_ms, seg.base_bucket);
    let mut interleaved: Option<SampleBuffer<f32>> = None;
    let mut packets = 0u64;
    let mut reported = seg.start;
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
        let ts = packet.ts();
        if ts >= seg.end {
            break;
        }
        packets += 1;
        if packets.is_multiple_of(256) {
            if shared.cancel.load(Ordering::Relaxed) {
                return Err(PlayerError::Cancelled);
            }
            shared
                .done_frames
                .fetch_add(acc.frame - reported, Ordering::Relaxed);
            reported = acc.frame;
            if let Some((cb, total_frames)) = progress.as_mut() {
                let done = shared.done_frames.load(Ordering::Relaxed);
                let p = PeaksProgress {
                    done_ms: done * 1000 / u64::from(rate),
                    total_ms: total_frames.map(|n| n * 1000 / u64::from(rate)),
                };
                if !cb(p) {
                    shared.cancel.store(true, Ordering::Relaxed);
                    return Err(PlayerError::Cancelled);
                }
            }
        }
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            Err(SymError::DecodeError(e)) => {
                tracing::debug!("skipping a corrupt packet: {e}");
                continue;
            }
            Err(e) => return Err(decode_err(path, e)),
        };
        let frames = decoded.frames() as u64;
        if ts + frames <= seg.start {
            continue;
        }
        let from = seg.start.saturating_sub(ts);
        let to = frames.min(seg.end - ts);
        if ts + from > acc.frame {
            acc.advance_to(ts + from);
        }
        let (from, to) = (from as usize, to as usize);
        match decoded {
            AudioBufferRef::F32(buf) => acc.planar(buf.planes().planes(), from, to),
            other => {
                let spec = *other.spec();
                let sb = match &mut interleaved {
                    Some(sb) if sb.capacity() >= other.frames() * spec.channels.count() => sb,
                    slot => slot.insert(SampleBuffer::new(other.capacity() as u64, spec)),
                };
                sb.copy_interleaved_ref(other);
                acc.interleaved(sb.samples(), spec.channels.count().max(1), from, to);
            }
        }
    }
    shared
        .done_frames
        .fetch_add(acc.frame.saturating_sub(reported), Ordering::Relaxed);
    if seg.end == u64::MAX
        && acc.frame * 1000 > (acc.base + acc.buckets.len() as u64) * acc.boundary_num
    {
        acc.close_bucket();
    }
    Ok((acc.buckets, acc.frame))
}

/// Computes peaks of `path` by streaming its decode. Long files are cut into one segment per core
/// (at most 4), each decoded from its own seek point, which is what keeps this under ffmpeg's
/// single-threaded decode time. `progress` is called every few hundred packets, on the calling
/// thread; returning `false` cancels with [`PlayerError::Cancelled`].
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
    let opened = open_format(path)?;
    let rate = opened.rate;
    let total_frames = opened.n_frames;
    let num = u64::from(rate) * u64::from(bucket_ms);
    let threads = match total_frames {
        Some(n) if n >= PARALLEL_MIN_SECS * u64::from(rate) => {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) as u64
        }
        _ => 1,
    };
    let total_buckets = total_frames.map_or(0, |n| (n * 1000).div_ceil(num));
    let segments: Vec<Segment> = (0..threads)
        .map(|i| {
            let base = total_buckets * i / threads;
            let next = total_buckets * (i + 1) / threads;
            Segment {
                base_bucket: base,
                start: (base * num).div_ceil(1000),
                end: if i + 1 == threads {
                    u64::MAX
                } else {
                    (next * num).div_ceil(1000)
                },
            }
        })
        .collect();
    let done_frames = AtomicU64::new(0);
    let cancel = AtomicBool::new(false);
    let shared = Shared {
        done_frames: &done_frames,
        cancel: &cancel,
    };
    let results = std::thread::scope(|s| {
        let others: Vec<_> = segments[1..]
            .iter()
            .map(|seg| {
                let shared = &shared;
                s.spawn(move || {
                    catch_unwind(AssertUnwindSafe(|| {
                        scan_segment(path, None, seg, rate, bucket_ms, shared, None)
                    }))
                })
            })
            .collect();
        let first = catch_unwind(AssertUnwindSafe(|| {
            scan_segment(
                path,
                Some(opened),
                &segments[0],
                rate,
                bucket_ms,
                &shared,
                Some((progress, total_frames)),
            )
        }));
        if first.as_ref().map_or(true, Result::is_err) {
            cancel.store(true, Ordering::Relaxed);
        }
        let mut all = vec![first];
        for h in others {
            all.push(h.join().unwrap_or_else(Err));
        }
        all
    });
    let mut buckets = Vec::with_capacity(usize::try_from(total_buckets).unwrap_or(0));
    let mut last_frame = 0;
    for r in results {
        let (b, f) = r.map_err(|_| decode_err(path, "the decoder panicked"))??;
        buckets.extend(b);
        last_frame = f;
    }
    let duration_ms = last_frame * 1000 / u64::from(rate);
    progress(PeaksProgress {
        done_ms: duration_ms,
        total_ms: Some(duration_ms),
    });
    Ok(Peaks {
        bucket_ms,
        sample_rate: rate,
        duration_ms,
        buckets,
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
