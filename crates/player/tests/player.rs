//! Player behaviour with no sound device: `Sink::new()`'s queue pulled by the test itself, so every
//! sample is accounted for. Test audio is generated once per run into a temp dir (WAV with hound,
//! MP3 with `lame` when it is installed; the MP3 cases are skipped with a message otherwise).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use cueline_player::{NullOutput, NullPace, PlayerError, PlayerHandle};

const CLICK_RATE: u32 = 16_000;
const CLICK_SECS: u32 = 600;
const TONE_RATE: u32 = 22_050;

struct Fixtures {
    _dir: tempfile::TempDir,
    clicks_wav: PathBuf,
    clicks_cbr: Option<PathBuf>,
    clicks_vbr: Option<PathBuf>,
    tone: PathBuf,
    short: PathBuf,
    dir: PathBuf,
}

fn write_wav(path: &Path, rate: u32, frames: usize, f: impl Fn(usize) -> f32) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..frames {
        w.write_sample((f(i) * 32767.0).round() as i16).unwrap();
    }
    w.finalize().unwrap();
}

/// A 10 ms 1 kHz beep at every whole second.
fn click(i: usize) -> f32 {
    let within = i % CLICK_RATE as usize;
    if within < (CLICK_RATE / 100) as usize {
        0.8 * (2.0 * std::f32::consts::PI * 1000.0 * within as f32 / CLICK_RATE as f32).sin()
    } else {
        0.0
    }
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().to_owned();
        let clicks_wav = p.join("clicks.wav");
        write_wav(
            &clicks_wav,
            CLICK_RATE,
            (CLICK_RATE * CLICK_SECS) as usize,
            click,
        );
        let lame = |args: &[&str], out: &str| {
            Command::new("lame")
                .arg("--quiet")
                .args(args)
                .arg(&clicks_wav)
                .arg(p.join(out))
                .spawn()
                .ok()
        };
        let cbr = lame(&["-b", "64"], "clicks_cbr.mp3");
        let vbr = lame(&["-V", "2"], "clicks_vbr.mp3");
        let tone = p.join("tone.wav");
        write_wav(&tone, TONE_RATE, TONE_RATE as usize * 8, |i| {
            0.5 * (2.0 * std::f32::consts::PI * 440.0 * i as f32 / TONE_RATE as f32).sin()
        });
        let short = p.join("short.wav");
        write_wav(&short, TONE_RATE, TONE_RATE as usize * 3 / 2, |i| {
            0.3 * (2.0 * std::f32::consts::PI * 220.0 * i as f32 / TONE_RATE as f32).sin()
        });
        let finish = |child: Option<std::process::Child>, name: &str| {
            let ok = child
                .and_then(|mut c| c.wait().ok())
                .is_some_and(|s| s.success());
            if ok {
                Some(p.join(name))
            } else {
                eprintln!(
                    "SKIP: `lame` is not installed (apt-get install lame); MP3 cases are skipped"
                );
                None
            }
        };
        let clicks_cbr = finish(cbr, "clicks_cbr.mp3");
        let clicks_vbr = finish(vbr, "clicks_vbr.mp3");
        Fixtures {
            clicks_wav,
            clicks_cbr,
            clicks_vbr,
            tone,
            short,
            dir: p,
            _dir: dir,
        }
    })
}

/// A player on a manually pulled queue, with `path` loaded and the queue's start-up silence drained.
fn player_with(path: &Path) -> (PlayerHandle, NullOutput) {
    let (p, out) = PlayerHandle::spawn_null(NullPace::Manual);
    p.load(path).unwrap();
    out.pull(1024);
    (p, out)
}

fn onset(samples: &[f32]) -> Option<usize> {
    samples.iter().position(|s| s.abs() > 0.2)
}

fn seek_accuracy(path: &Path) {
    let (p, out) = player_with(path);
    p.play().unwrap();
    // Reference: where the click at 1 s starts without any seek (encoder delay, phase).
    let lead = out.pull(CLICK_RATE as usize * 2 + 200);
    let d0 = onset(&lead[CLICK_RATE as usize / 2..]).unwrap() + CLICK_RATE as usize / 2
        - CLICK_RATE as usize;
    let mut worst = 0.0f64;
    let mut errors = Vec::new();
    for i in 0..20u64 {
        let secs = 5 + i * 29;
        // Every fifth target lands right on a click (the hardest case after a decoder reset).
        let t = if i % 5 == 0 {
            secs * 1000
        } else {
            secs * 1000 + 137 + 37 * i
        };
        let next_click = t.div_ceil(1000) * 1000;
        p.seek(t).unwrap();
        let got = out.pull(CLICK_RATE as usize * 11 / 10);
        let k = onset(&got).unwrap_or_else(|| panic!("{}: no click after {t} ms", path.display()));
        let expected = (next_click - t) as f64 * f64::from(CLICK_RATE) / 1000.0 + d0 as f64;
        let err_ms = (k as f64 - expected).abs() * 1000.0 / f64::from(CLICK_RATE);
        worst = worst.max(err_ms);
        if err_ms > 1.0 {
            errors.push(format!("seek to {t} ms is off by {err_ms:.3} ms"));
        }
    }
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    eprintln!(
        "{}: worst seek error {worst:.3} ms",
        path.file_name().unwrap().to_string_lossy()
    );
}

#[test]
fn seek_is_exact_in_wav() {
    seek_accuracy(&fixtures().clicks_wav);
}

#[test]
fn seek_is_exact_in_cbr_mp3() {
    match &fixtures().clicks_cbr {
        Some(p) => seek_accuracy(p),
        None => eprintln!("SKIP seek_is_exact_in_cbr_mp3: lame missing"),
    }
}

#[test]
fn seek_is_exact_in_vbr_mp3() {
    match &fixtures().clicks_vbr {
        Some(p) => seek_accuracy(p),
        None => eprintln!("SKIP seek_is_exact_in_vbr_mp3: lame missing"),
    }
}

#[test]
fn position_is_media_time_at_every_speed() {
    for speed in [0.5f32, 1.0, 1.5, 2.0] {
        let (p, out) = player_with(&fixtures().tone);
        p.set_speed(speed).unwrap();
        p.play().unwrap();
        let n_secs = 2.0;
        out.pull((f64::from(TONE_RATE) * n_secs) as usize);
        let pos = p.position_ms() as f64;
        let want = n_secs * 1000.0 * f64::from(speed);
        assert!(
            (pos - want).abs() <= 5.0,
            "at {speed}x: position {pos} ms after {n_secs} s of output, want {want}"
        );
        assert_eq!(p.state().speed, speed);
    }
}

/// Frequency from rising zero crossings, interpolated between samples.
fn frequency(samples: &[f32], rate: u32) -> f64 {
    let mut first = None;
    let mut last = 0.0;
    let mut count = 0;
    for i in 1..samples.len() {
        let (a, b) = (samples[i - 1], samples[i]);
        if a < 0.0 && b >= 0.0 {
            let t = (i - 1) as f64 + f64::from(-a / (b - a));
            first.get_or_insert(t);
            last = t;
            count += 1;
        }
    }
    (count - 1) as f64 / ((last - first.unwrap()) / f64::from(rate))
}

#[test]
fn pitch_is_kept_when_speed_changes() {
    for speed in [0.5f32, 1.5, 2.0] {
        let (p, out) = player_with(&fixtures().tone);
        p.set_speed(speed).unwrap();
        p.play().unwrap();
        out.pull(TONE_RATE as usize / 4);
        let got = out.pull(TONE_RATE as usize);
        let f = frequency(&got, TONE_RATE);
        assert!(
            (f - 440.0).abs() / 440.0 < 0.01,
            "at {speed}x the tone is {f:.1} Hz"
        );
        eprintln!("{speed}x: {f:.2} Hz");
    }
}

#[test]
fn normal_speed_bypasses_the_stretcher_exactly() {
    let (p, out) = player_with(&fixtures().tone);
    p.set_speed(1.5).unwrap();
    p.set_speed(1.0).unwrap();
    p.play().unwrap();
    let got = out.pull(5000);
    let mut r = hound::WavReader::open(&fixtures().tone).unwrap();
    let want: Vec<f32> = r
        .samples::<i16>()
        .take(5000)
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    assert_eq!(got, want);
}

fn wait_for(p: &PlayerHandle, what: impl Fn(&cueline_player::PlaybackState) -> bool) {
    let t = Instant::now();
    while !what(&p.state()) {
        assert!(
            t.elapsed() < Duration::from_secs(3),
            "state never arrived: {:?}",
            p.state()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn end_of_file_stops_at_the_duration() {
    let (p, out) = player_with(&fixtures().short);
    assert_eq!(p.state().duration_ms, Some(1500));
    p.play().unwrap();
    out.pull(TONE_RATE as usize * 2);
    wait_for(&p, |s| !s.playing);
    let s = p.state();
    assert!(s.ended);
    assert_eq!(s.position_ms, 1500);
    assert_eq!(p.position_ms(), 1500);
    // Silence after the end, and play starts over.
    assert!(out.pull(1000).iter().all(|&x| x == 0.0));
    p.play().unwrap();
    out.pull(TONE_RATE as usize / 2);
    assert_eq!(p.position_ms(), 500);
}

#[test]
fn end_of_file_while_stretching() {
    let (p, out) = player_with(&fixtures().short);
    p.set_speed(2.0).unwrap();
    p.play().unwrap();
    out.pull(TONE_RATE as usize);
    wait_for(&p, |s| !s.playing);
    assert_eq!(p.state().position_ms, 1500);
}

#[test]
fn corrupt_and_missing_files_are_typed_errors() {
    let dir = &fixtures().dir;
    let garbage = dir.join("garbage.mp3");
    std::fs::write(
        &garbage,
        b"this is not audio at all, not even close".repeat(100),
    )
    .unwrap();
    let (p, out) = PlayerHandle::spawn_null(NullPace::Manual);
    let err = p.load(&garbage).unwrap_err();
    assert!(matches!(err, PlayerError::Decode { .. }), "{err:?}");
    assert!(p.state().error.is_some());
    assert!(matches!(p.play(), Err(PlayerError::NoAudio)));
    let err = p.load(dir.join("missing.wav")).unwrap_err();
    assert!(matches!(err, PlayerError::Io { .. }), "{err:?}");

    // A real header followed by garbage: loads, plays to an end, no panic.
    if let Some(mp3) = &fixtures().clicks_cbr {
        let mut bytes = std::fs::read(mp3).unwrap();
        bytes.truncate(20_000);
        for (i, b) in bytes.iter_mut().enumerate().skip(4_000) {
            *b = (i * 7919 % 251) as u8;
        }
        let broken = dir.join("broken.mp3");
        std::fs::write(&broken, bytes).unwrap();
        if p.load(&broken).is_ok() {
            p.play().unwrap();
            out.pull(CLICK_RATE as usize * 4);
            let _ = p.seek(500);
            out.pull(CLICK_RATE as usize);
        }
    }
    let truncated = dir.join("truncated.wav");
    let bytes = std::fs::read(&fixtures().short).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    if p.load(&truncated).is_ok() {
        p.play().unwrap();
        out.pull(TONE_RATE as usize * 2);
    }

    // The player still works.
    p.load(&fixtures().short).unwrap();
    assert_eq!(p.state().error, None);
    out.pull(1024);
    p.play().unwrap();
    out.pull(TONE_RATE as usize / 10);
    assert_eq!(p.position_ms(), 100);
}

#[test]
fn auto_rewind_on_resume() {
    let (p, out) = player_with(&fixtures().clicks_wav);
    p.seek(5000).unwrap();
    p.play().unwrap();
    out.pull(CLICK_RATE as usize);
    assert_eq!(p.position_ms(), 6000);
    p.pause().unwrap();
    out.pull(CLICK_RATE as usize);
    assert_eq!(p.position_ms(), 6000, "paused: no progress");
    p.play().unwrap();
    assert_eq!(p.position_ms(), 5000, "default rewind is 1 s");

    // A seek while paused is respected as is.
    p.pause().unwrap();
    p.seek(9000).unwrap();
    p.play().unwrap();
    assert_eq!(p.position_ms(), 9000);

    p.set_auto_rewind(0).unwrap();
    p.pause().unwrap();
    p.play().unwrap();
    assert_eq!(p.position_ms(), 9000, "0 disables");

    p.set_auto_rewind(2500).unwrap();
    p.pause().unwrap();
    p.toggle().unwrap();
    assert_eq!(p.position_ms(), 6500);
}

#[test]
fn loop_range_repeats() {
    let (p, out) = player_with(&fixtures().clicks_wav);
    p.set_loop(Some((2000, 2500))).unwrap();
    p.seek(2000).unwrap();
    p.play().unwrap();
    out.pull(CLICK_RATE as usize * 6 / 10);
    assert_eq!(p.position_ms(), 2100);
    // Two more full turns land in the same place.
    out.pull(CLICK_RATE as usize);
    assert_eq!(p.position_ms(), 2100);
    assert_eq!(p.state().loop_range, Some((2000, 2500)));
    assert!(matches!(
        p.set_loop(Some((3000, 3000))),
        Err(PlayerError::InvalidArgument(_))
    ));
    p.set_loop(None).unwrap();
    out.pull(CLICK_RATE as usize);
    assert_eq!(p.position_ms(), 3100);

    // At 2x the loop holds too.
    p.set_speed(2.0).unwrap();
    p.set_loop(Some((10_000, 10_500))).unwrap();
    p.seek(10_000).unwrap();
    out.pull(CLICK_RATE as usize * 2);
    let pos = p.position_ms();
    assert!((10_000..=10_500).contains(&pos), "{pos}");
}

#[test]
fn transport_arguments_are_checked() {
    let (p, _out) = player_with(&fixtures().tone);
    p.set_speed(1.23).unwrap();
    assert_eq!(p.state().speed, 1.2);
    assert!(matches!(
        p.set_speed(3.0),
        Err(PlayerError::InvalidArgument(_))
    ));
    assert!(matches!(
        p.set_speed(f32::NAN),
        Err(PlayerError::InvalidArgument(_))
    ));
    assert!(matches!(
        p.set_volume(-1.0),
        Err(PlayerError::InvalidArgument(_))
    ));
    p.set_volume(0.5).unwrap();
    assert_eq!(p.state().volume, 0.5);
    p.seek(3000).unwrap();
    p.skip(-2000).unwrap();
    assert_eq!(p.position_ms(), 1000);
    p.skip(-5000).unwrap();
    assert_eq!(p.position_ms(), 0);
    p.skip(60_000).unwrap();
    assert_eq!(p.position_ms(), 8000, "clamped to the duration");
}

#[test]
fn volume_scales_samples() {
    let (p, out) = player_with(&fixtures().tone);
    p.set_volume(0.5).unwrap();
    p.play().unwrap();
    let got = out.pull(2000);
    let peak = got.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    assert!((peak - 0.25).abs() < 0.01, "{peak}");
}

#[test]
fn real_time_puller_keeps_media_time() {
    let (p, out) = PlayerHandle::spawn_null(NullPace::RealTime { factor: 1.0 });
    p.load(&fixtures().tone).unwrap();
    p.set_speed(2.0).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    let (before, pos0) = out.frozen(|n| (n, p.position_ms()));
    assert_eq!(pos0, 0);
    p.play().unwrap();
    std::thread::sleep(Duration::from_millis(600));
    let (pulled, pos) = out.frozen(|n| (n - before, p.position_ms() as f64));
    let want = pulled as f64 * 2.0 * 1000.0 / f64::from(TONE_RATE);
    assert!(pulled > 0);
    // Frames pulled between `before` and `play()` were silence; one 2 ms pull is the slack.
    assert!(
        pos <= want + 1.0 && pos >= want - 60.0,
        "position {pos} ms, pulled {want} ms of media"
    );
    let mut rx = p.subscribe();
    rx.mark_unchanged();
    wait_for(&p, |s| s.position_ms > 0);
    assert!(p.state().playing);
}

#[test]
fn peaks_find_the_clicks_and_round_trip_through_the_cache() {
    use cueline_player::{compute_peaks, load_peaks, peaks_cache_path, store_peaks};
    let f = fixtures();
    let mut calls = 0;
    let peaks = compute_peaks(&f.clicks_wav, 10, &mut |p| {
        calls += 1;
        assert!(p.done_ms <= 600_000);
        true
    })
    .unwrap();
    assert!(calls >= 2, "progress is reported");
    assert_eq!(peaks.duration_ms, 600_000);
    assert_eq!(peaks.buckets.len(), 60_000);
    for s in [0usize, 1, 299, 300, 599] {
        let b = peaks.buckets[s * 100];
        assert!(b[1] > 20_000 && b[0] < -20_000, "click at {s} s: {b:?}");
        assert_eq!(
            peaks.buckets[s * 100 + 50],
            [0, 0],
            "silence after the click at {s} s"
        );
    }
    let cache_dir = f.dir.join("cache");
    let key = peaks_cache_path(&cache_dir, &f.clicks_wav).unwrap();
    assert_eq!(load_peaks(&key).unwrap(), None);
    store_peaks(&key, &peaks).unwrap();
    assert_eq!(load_peaks(&key).unwrap().as_ref(), Some(&peaks));
    assert!(std::fs::metadata(&key).unwrap().len() < 250_000);
    // A different file (or the same path rewritten) gets another key.
    assert_ne!(key, peaks_cache_path(&cache_dir, &f.tone).unwrap());
    std::fs::write(&key, b"CLPEAKS1 but cut short").unwrap();
    assert!(matches!(
        load_peaks(&key),
        Err(PlayerError::BadCache { .. })
    ));

    let mut n = 0;
    let cancelled = compute_peaks(&f.clicks_wav, 10, &mut |_| {
        n += 1;
        n < 2
    });
    assert!(matches!(cancelled, Err(PlayerError::Cancelled)));
    let garbage = f.dir.join("peaks-garbage.wav");
    std::fs::write(&garbage, b"RIFF....WAVEjunkjunkjunk").unwrap();
    assert!(matches!(
        compute_peaks(&garbage, 10, &mut |_| true),
        Err(PlayerError::Decode { .. })
    ));
}

#[test]
fn peaks_of_mp3_line_up_with_the_player() {
    let Some(mp3) = &fixtures().clicks_vbr else {
        eprintln!("SKIP peaks_of_mp3_line_up_with_the_player: lame missing");
        return;
    };
    let peaks = cueline_player::compute_peaks(mp3, 1, &mut |_| true).unwrap();
    assert!(
        (peaks.duration_ms as i64 - 600_000).abs() <= 1,
        "{}",
        peaks.duration_ms
    );
    // 300 s is where the second of two parallel segments starts.
    for s in [1usize, 299, 300, 301, 420, 599] {
        let first_loud = peaks.buckets[s * 1000 - 20..]
            .iter()
            .position(|b| b[1] > 6000)
            .unwrap()
            + s * 1000
            - 20;
        assert_eq!(first_loud, s * 1000, "click at {s} s");
    }
}

/// Other containers and codecs, made from the tone with ffmpeg when it is installed.
#[test]
fn flac_ogg_and_m4a_play_with_exact_time() {
    let f = fixtures();
    for (ext, args) in [
        ("flac", &["-c:a", "flac"][..]),
        ("ogg", &["-c:a", "libvorbis", "-q:a", "4"][..]),
        ("m4a", &["-c:a", "aac", "-b:a", "96k"][..]),
    ] {
        let out_path = f.dir.join(format!("tone.{ext}"));
        let ok = Command::new("ffmpeg")
            .args(["-loglevel", "error", "-y", "-i"])
            .arg(&f.tone)
            .args(args)
            .arg(&out_path)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("SKIP {ext}: ffmpeg (or its encoder) is missing");
            continue;
        }
        let (p, out) = player_with(&out_path);
        let d = p.state().duration_ms;
        // Known limit: symphonia 0.5 ignores the MP4 edit list, so AAC's 1024 priming frames
        // (46 ms here) are played and counted; FLAC and Vorbis are exact.
        let tolerance = if ext == "m4a" { 60 } else { 1 };
        assert!(
            d.is_some_and(|d| d.abs_diff(8000) <= tolerance),
            "{ext}: duration {d:?}"
        );
        p.seek(3000).unwrap();
        p.play().unwrap();
        let got = out.pull(TONE_RATE as usize / 2);
        assert_eq!(p.position_ms(), 3500, "{ext}");
        let freq = frequency(&got[2000..], TONE_RATE);
        assert!((freq - 440.0).abs() < 2.0, "{ext}: {freq} Hz");
    }
}

/// The real output path (rodio mixer + cpal), when a sound server is there: `.ci/run`'s PulseAudio
/// null sink sets `PULSE_SERVER` (platform-notes §6). Skipped otherwise.
#[test]
fn plays_on_a_real_device_when_there_is_one() {
    if std::env::var_os("PULSE_SERVER").is_none() {
        eprintln!("SKIP plays_on_a_real_device_when_there_is_one: PULSE_SERVER is not set");
        return;
    }
    let p = PlayerHandle::spawn_device().unwrap();
    p.load(&fixtures().tone).unwrap();
    p.seek(2000).unwrap();
    p.play().unwrap();
    let t = Instant::now();
    while p.position_ms() < 2200 {
        assert!(
            t.elapsed() < Duration::from_secs(3),
            "the device never pulled"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    p.pause().unwrap();
    let at = p.position_ms();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(p.position_ms(), at, "paused");
}

#[test]
fn seeking_past_the_end_ends_and_play_starts_over() {
    let f = fixtures();
    for path in [Some(&f.clicks_wav), f.clicks_vbr.as_ref()]
        .into_iter()
        .flatten()
    {
        let (p, out) = player_with(path);
        p.play().unwrap();
        p.seek(10_000_000).unwrap();
        let s = p.state();
        assert!(s.ended && !s.playing, "{s:?}");
        assert_eq!(s.position_ms, 600_000);
        p.play().unwrap();
        out.pull(CLICK_RATE as usize / 10);
        assert_eq!(p.position_ms(), 100);
    }
}

#[test]
fn waveform_columns_cover_a_range_at_any_zoom() {
    let peaks = cueline_player::Peaks {
        bucket_ms: 10,
        sample_rate: 8000,
        duration_ms: 100,
        buckets: (0..10).map(|i| [-(i * 10), i * 10]).collect(),
    };
    // Two columns over the whole file: each is the extreme of its five buckets.
    assert_eq!(peaks.columns(0, 100, 2), vec![[-40, 40], [-90, 90]]);
    // Zoomed in past the bucket size: neighbours repeat, no gaps.
    assert_eq!(peaks.columns(20, 30, 4), vec![[-20, 20]; 4]);
    // Past the end: silence. Nothing asked: nothing.
    assert_eq!(peaks.columns(200, 300, 3), vec![[0, 0]; 3]);
    assert!(peaks.columns(0, 100, 0).is_empty());
    assert!(peaks.columns(50, 50, 10).is_empty());
    // Partly past the end.
    assert_eq!(peaks.columns(80, 120, 2), vec![[-90, 90], [0, 0]]);
}
