//! `make bench-audio`: the player's two benchmarks (issue 4), with a release build.
//!
//! 1. Click-to-audio latency: `seek` command sent -> first sample at the new position handed to the
//!    output, p50/p95 over 200 seeks into a 60-minute MP3 while playing. Uses the sound device when
//!    one opens (e.g. a PulseAudio null sink, platform-notes §6), else the device-less real-time
//!    puller (2 ms pulls, like a small device buffer). Goal: under 30 ms.
//! 2. Waveform peaks of the same 60-minute MP3 vs `ffmpeg -f null -` decoding it. Goal: at most 1.0x.
//!
//! The test MP3 (pink noise + tones, 44.1 kHz stereo 128 kb/s) is made once with ffmpeg into
//! `bench/out/` and reused.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cueline_player::{NullPace, PlayerHandle, compute_peaks};

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn pct(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[((s.len() - 1) as f64 * p).round() as usize]
}

fn make_mp3(path: &Path, secs: u32) -> Result<(), Box<dyn std::error::Error>> {
    if path.exists() {
        return Ok(());
    }
    eprintln!("making a {secs} s test MP3 at {} (once)...", path.display());
    let tmp = path.with_extension("tmp.mp3");
    let st = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!("anoisesrc=c=pink:a=0.2:d={secs}:r=44100"))
        .args(["-f", "lavfi", "-i"])
        .arg(format!("sine=f=220:d={secs}:r=44100"))
        .args([
            "-filter_complex",
            "amix=inputs=2,aformat=channel_layouts=stereo",
        ])
        .args(["-c:a", "libmp3lame", "-b:a", "128k"])
        .arg(&tmp)
        .status()?;
    if !st.success() {
        return Err("ffmpeg could not make the test MP3".into());
    }
    std::fs::rename(&tmp, path)?;
    Ok(())
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/out");
    std::fs::create_dir_all(&root)?;
    let hour = root.join("player-60min.mp3");
    make_mp3(&hour, 3600)?;

    // 1. Latency.
    let rss0 = rss_mb();
    let (player, _null, output) = match PlayerHandle::spawn_device() {
        Ok(p) => (p, None, "sound device"),
        Err(e) => {
            eprintln!("no sound device ({e}); using the device-less real-time puller");
            let (p, o) = PlayerHandle::spawn_null(NullPace::RealTime { factor: 1.0 });
            (p, Some(o), "device-less real-time puller (2 ms pulls)")
        }
    };
    player.load(&hour)?;
    player.play()?;
    // PulseAudio takes 0.1-0.6 s to start pulling (platform-notes §6): measure the steady state.
    std::thread::sleep(Duration::from_millis(1000));
    let mut lat = Vec::new();
    let mut cmd = Vec::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..200 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let target = seed % 3_590_000;
        let (before, _) = player.last_seek_latency();
        let sent = Instant::now();
        player.seek(target)?;
        cmd.push(sent.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        loop {
            let (seq, d) = player.last_seek_latency();
            if seq != before {
                lat.push(d.as_secs_f64() * 1000.0);
                break;
            }
            if t.elapsed() > Duration::from_secs(1) {
                eprintln!(
                    "seek to {target} ms: no sample within 1 s (position {} ms, {:?})",
                    player.position_ms(),
                    player.state()
                );
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let rss_playing = rss_mb();
    drop(player);
    println!(
        "click-to-audio latency ({output}), {} seeks into a 60-min MP3:",
        lat.len()
    );
    println!(
        "  p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms   (goal: under 30 ms)",
        pct(&lat, 0.5),
        pct(&lat, 0.95),
        pct(&lat, 1.0)
    );
    println!(
        "  of which the seek command itself (decoder seek): p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms",
        pct(&cmd, 0.5),
        pct(&cmd, 0.95),
        pct(&cmd, 1.0)
    );
    println!(
        "  memory while playing: {:.1} MB RSS above the start ({rss0:.1} -> {rss_playing:.1})",
        rss_playing - rss0
    );

    if std::env::var_os("BENCH_AUDIO_LATENCY_ONLY").is_some() {
        return Ok(());
    }

    // 2. Peaks vs ffmpeg.
    let mut ours = Vec::new();
    let mut ff = Vec::new();
    let mut buckets = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let p = compute_peaks(&hour, 10, &mut |_| true)?;
        ours.push(t.elapsed().as_secs_f64());
        buckets = p.buckets.len();
        let t = Instant::now();
        let st = Command::new("ffmpeg")
            .args(["-v", "error", "-nostdin", "-i"])
            .arg(&hour)
            .args(["-f", "null", "-"])
            .status()?;
        ff.push(t.elapsed().as_secs_f64());
        if !st.success() {
            return Err("ffmpeg failed".into());
        }
    }
    let (o, f) = (median(&mut ours), median(&mut ff));
    println!("waveform peaks of a 60-min MP3 (10 ms buckets, {buckets} buckets), median of 3:");
    println!(
        "  cueline-player {o:.3} s   ffmpeg -f null {f:.3} s   ratio {:.2}x   (goal: at most 1.0x)",
        o / f
    );
    Ok(())
}
