//! Streaming decoder over symphonia with a sample-exact seek that does not trust the decoder's
//! own sample skipping.
//!
//! Why not `rodio::Decoder` (which the first version used): on a VBR MP3 with long silent stretches
//! (tiny frames, so the bit reservoir reaches back past symphonia's 4 reference frames), rodio's
//! accurate seek landed 5 to 230 ms off, or produced noise instead of the audio, from about 7 minutes into
//! a 10-minute click track; linear decoding of the same file was exact. Here a seek goes to
//! `target - PREROLL` and then decodes forward, placing every decoded buffer by its packet's
//! timestamp (counted by the demuxer from frame headers) and dropping frames before the target, so
//! a packet that fails to decode right after the seek cannot shift the timeline.

use std::fs::File;
use std::path::Path;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{CODEC_TYPE_NULL, Decoder, DecoderOptions};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::{FormatOptions, FormatReader, SeekMode, SeekTo};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;
use symphonia::core::units::Time;

use crate::error::PlayerError;

/// How far before a seek target decoding restarts. An MP3 frame may take its data from up to 255
/// (MPEG-2) or 511 (MPEG-1) bytes of earlier frames; in silence, VBR frames are so small that this
/// reaches about 330 ms back (measured: 250 ms gave garbage for a click right at the target).
const PREROLL_MS: u64 = 500;

/// Opens `path` with gapless trimming on (so media time 0 is the first real sample, as encoders mean it).
pub(crate) struct Opened {
    pub format: Box<dyn FormatReader>,
    pub decoder: Box<dyn Decoder>,
    pub track_id: u32,
    pub rate: u32,
    /// 0 when the container does not say (some only tell once a packet is decoded).
    pub channels: u32,
    pub n_frames: Option<u64>,
}

pub(crate) fn open_format(path: &Path) -> Result<Opened, PlayerError> {
    let file = File::open(path).map_err(|source| PlayerError::Io {
        path: path.to_owned(),
        source,
    })?;
    let derr = |reason: String| PlayerError::Decode {
        path: path.to_owned(),
        reason,
    };
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let opts = FormatOptions {
        enable_gapless: true,
        ..Default::default()
    };
    let probed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        symphonia::default::get_probe().format(&hint, mss, &opts, &MetadataOptions::default())
    }))
    .map_err(|_| derr("the decoder panicked while probing".into()))?
    .map_err(|e| derr(e.to_string()))?;
    let format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| derr("no audio track".into()))?;
    let track_id = track.id;
    let params = &track.codec_params;
    let rate = params
        .sample_rate
        .ok_or_else(|| derr("unknown sample rate".into()))?;
    let channels = params.channels.map_or(0, |c| c.count() as u32);
    let n_frames = params.n_frames;
    let decoder = symphonia::default::get_codecs()
        .make(params, &DecoderOptions::default())
        .map_err(|e| derr(e.to_string()))?;
    Ok(Opened {
        format,
        decoder,
        track_id,
        rate,
        channels,
        n_frames,
    })
}

pub(crate) struct AudioDecoder {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
    rate: u32,
    channels: usize,
    n_frames: Option<u64>,
    buf: Option<SampleBuffer<f32>>,
    /// Interleaved samples decoded but not yet read, and the media frame of the first of them.
    pending: Vec<f32>,
    pending_pos: usize,
    pending_frame: u64,
    /// Frames before this media index are dropped (set by a seek).
    skip_until: u64,
    eof: bool,
}

impl AudioDecoder {
    pub(crate) fn open(path: &Path) -> Result<Self, PlayerError> {
        let Opened {
            format,
            decoder,
            track_id,
            rate,
            mut channels,
            n_frames,
        } = open_format(path)?;
        let mut me = Self {
            format,
            decoder,
            track_id,
            rate,
            channels: channels as usize,
            n_frames,
            buf: None,
            pending: Vec::new(),
            pending_pos: 0,
            pending_frame: 0,
            skip_until: 0,
            eof: false,
        };
        // Some containers only tell the channel count once a packet is decoded.
        if channels == 0 {
            me.fill();
            channels = me.channels as u32;
            if channels == 0 {
                return Err(PlayerError::Decode {
                    path: path.to_owned(),
                    reason: "no channels".into(),
                });
            }
        }
        Ok(me)
    }

    pub(crate) fn channels(&self) -> usize {
        self.channels
    }

    pub(crate) fn rate(&self) -> u32 {
        self.rate
    }

    pub(crate) fn n_frames(&self) -> Option<u64> {
        self.n_frames
    }

    /// Media index of the next frame [`AudioDecoder::read`] returns.
    pub(crate) fn next_frame(&self) -> u64 {
        self.pending_frame + (self.pending_pos / self.channels.max(1)) as u64
    }

    /// Decodes the next packet into `pending`; false at the end (or on a fatal error).
    fn fill(&mut self) -> bool {
        loop {
            if self.eof {
                return false;
            }
            let packet = match self.format.next_packet() {
                Ok(p) => p,
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    self.eof = true;
                    return false;
                }
                Err(e) => {
                    tracing::debug!("demuxer stopped: {e}");
                    self.eof = true;
                    return false;
                }
            };
            if packet.track_id() != self.track_id {
                continue;
            }
            let ts = packet.ts();
            let decoded = match self.decoder.decode(&packet) {
                Ok(d) => d,
                Err(SymError::DecodeError(e)) => {
                    tracing::debug!("skipping an undecodable packet at ts {ts}: {e}");
                    continue;
                }
                Err(e) => {
                    tracing::debug!("decoder stopped: {e}");
                    self.eof = true;
                    return false;
                }
            };
            let spec = *decoded.spec();
            let frames = decoded.frames();
            if frames == 0 {
                continue;
            }
            let ch = spec.channels.count();
            if self.channels == 0 {
                self.channels = ch;
            }
            if ch != self.channels {
                tracing::debug!(
                    "skipping a packet with {ch} channels (stream has {})",
                    self.channels
                );
                continue;
            }
            let sb = match &mut self.buf {
                Some(sb) if sb.capacity() >= frames * ch => sb,
                slot => slot.insert(SampleBuffer::new(decoded.capacity() as u64, spec)),
            };
            sb.copy_interleaved_ref(decoded);
            let samples = sb.samples();
            let mut start = 0usize;
            if ts < self.skip_until {
                start = usize::try_from(self.skip_until - ts)
                    .unwrap_or(usize::MAX)
                    .min(frames);
            }
            if start >= frames {
                continue;
            }
            self.pending.clear();
            self.pending
                .extend_from_slice(&samples[start * ch..frames * ch]);
            self.pending_pos = 0;
            self.pending_frame = ts + start as u64;
            return true;
        }
    }

    /// Appends up to `frames` whole frames to `out`; returns how many (fewer only at the end).
    pub(crate) fn read(&mut self, frames: usize, out: &mut Vec<f32>) -> usize {
        let ch = self.channels.max(1);
        let mut done = 0;
        while done < frames {
            if self.pending_pos >= self.pending.len() && !self.fill() {
                break;
            }
            let avail = (self.pending.len() - self.pending_pos) / ch;
            let take = avail.min(frames - done);
            out.extend_from_slice(&self.pending[self.pending_pos..self.pending_pos + take * ch]);
            self.pending_pos += take * ch;
            done += take;
        }
        done
    }

    /// Seeks so the next frame read is media frame `frame` exactly.
    pub(crate) fn seek(&mut self, frame: u64) -> Result<(), symphonia::core::errors::Error> {
        let preroll = PREROLL_MS * u64::from(self.rate) / 1000;
        let coarse = frame.saturating_sub(preroll);
        let secs = coarse / u64::from(self.rate);
        let frac = (coarse % u64::from(self.rate)) as f64 / f64::from(self.rate);
        let res = self.format.seek(
            SeekMode::Accurate,
            SeekTo::Time {
                time: Time::new(secs, frac),
                track_id: Some(self.track_id),
            },
        );
        res?;
        self.decoder.reset();
        self.pending.clear();
        self.pending_pos = 0;
        self.pending_frame = frame;
        self.skip_until = frame;
        self.eof = false;
        // Decode up to the target now, so the first read after a seek costs nothing extra.
        if !self.fill() {
            self.pending_frame = frame;
        }
        Ok(())
    }
}
