//! The bundled demo episode (`demo/demo-episode.mp3`, made with its VTT by
//! `scripts/make-demo-episode.sh`) decodes with this crate and fits its transcript: the audio ends
//! just after the last cue, and the pauses between cues are silent where the VTT says they are.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use cueline_player::{DEFAULT_BUCKET_MS, NullPace, Peaks, PlayerHandle, compute_peaks};

fn demo(ext: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../demo/demo-episode.{ext}"))
}

/// `HH:MM:SS.mmm` in ms.
fn ms(t: &str) -> u64 {
    let (hms, milli) = t.trim().split_once('.').unwrap();
    let secs = hms
        .split(':')
        .fold(0u64, |acc, p| acc * 60 + p.parse::<u64>().unwrap());
    secs * 1000 + milli.parse::<u64>().unwrap()
}

/// (start, end) of every cue of the demo VTT (a plain reader: this crate knows no transcripts).
fn cue_times() -> Vec<(u64, u64)> {
    std::fs::read_to_string(demo("vtt"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(" --> "))
        .map(|(a, b)| (ms(a), ms(b)))
        .collect()
}

fn peaks() -> Peaks {
    compute_peaks(&demo("mp3"), DEFAULT_BUCKET_MS, &mut |_| true).unwrap()
}

/// Loudest sample (0..=32767) in the buckets fully inside `from..to` ms.
fn loudest(p: &Peaks, from: u64, to: u64) -> i32 {
    let b = u64::from(p.bucket_ms);
    let range = from.div_ceil(b) as usize..(to / b) as usize;
    p.buckets[range]
        .iter()
        .map(|[lo, hi]| i32::from(*hi).max(-i32::from(*lo)))
        .max()
        .unwrap_or(0)
}

#[test]
fn demo_mp3_is_as_long_as_its_transcript() {
    let cues = cue_times();
    assert_eq!(cues.len(), 25, "the demo has 25 cues");
    let last_end = cues.last().unwrap().1;
    let p = peaks();
    assert!(
        p.duration_ms > last_end && p.duration_ms <= last_end + 1500,
        "demo-episode.mp3 lasts {} ms; the last cue ends at {last_end} ms (the audio must end \
         after it, within 1.5 s): run scripts/make-demo-episode.sh",
        p.duration_ms
    );
    // The player reads the same length (to the rounding of a millisecond).
    let (player, _out) = PlayerHandle::spawn_null(NullPace::Manual);
    player.load(demo("mp3")).unwrap();
    let d = player.state().duration_ms.unwrap();
    assert!(
        d.abs_diff(p.duration_ms) <= 1,
        "player: {d} ms, peaks: {} ms",
        p.duration_ms
    );
}

#[test]
fn demo_cues_are_where_the_speech_is() {
    let cues = cue_times();
    let p = peaks();
    // Speech is loud in every cue, and every pause between two cues is silent (below -50 dBFS:
    // MP3 noise there peaks at about 40), 30 ms in from either side, so cue times that were off
    // by more than that would show. The softest speech at a cue's edge (a fading "ng") peaks at
    // about 200.
    let speech = 32767 / 4;
    let quiet = 100;
    for (i, &(start, end)) in cues.iter().enumerate() {
        assert!(
            loudest(&p, start, end) > speech,
            "cue {i} ({start}..{end} ms) has no speech"
        );
        if let Some(&(next, _)) = cues.get(i + 1) {
            assert!(next >= end + 100, "cue {i}: no pause before the next cue");
            let level = loudest(&p, end + 30, next - 30);
            assert!(
                level < quiet,
                "the pause after cue {i} ({end}..{next} ms) is not silent: peak {level}"
            );
        }
        // Speech starts right at the cue's start and ends right at its end.
        assert!(
            loudest(&p, start, start + 100) > quiet,
            "cue {i}: no sound in the first 100 ms after its start ({start} ms)"
        );
        assert!(
            loudest(&p, end - 100, end) > quiet,
            "cue {i}: no sound in the last 100 ms before its end ({end} ms)"
        );
    }
}
