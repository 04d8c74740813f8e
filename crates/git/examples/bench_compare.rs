//! The cue-level comparison on the largest corpus file, against a line diff of the same two
//! versions in the same process (`similar::TextDiff::from_lines`, what a line-based
//! `git diff` computes), not in CI: `make bench-diff`.
//!
//! - marks after an edit: the window keeps the HEAD snapshot, so an edit costs one snapshot
//!   of the edited document plus the comparison (goal: under 5 ms);
//! - marks on open: parse both versions, snapshot both, compare (goal: under 50 ms).
//!
//! Without the corpus, a generated 5,536-cue file stands in. p50, p95 and the load average
//! are printed beside every figure.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cueline_git::{compare, snapshot};
use cueline_transcript::{Document, Edit, Format};
use similar::TextDiff;

fn pct(v: &mut [Duration], p: usize) -> f64 {
    v.sort();
    v[(v.len() * p / 100).min(v.len() - 1)].as_secs_f64() * 1000.0
}

/// One line: our p50/p95 beside the line diff's, the ratio of the medians, and the goal.
fn report(name: &str, ours: &mut [Duration], peer: &mut [Duration], goal_ms: f64) {
    let (o50, o95) = (pct(ours, 50), pct(ours, 95));
    let (p50, p95) = (pct(peer, 50), pct(peer, 95));
    println!(
        "{name:<24} p50 {o50:7.3} ms  p95 {o95:7.3} ms   line diff p50 {p50:7.3} ms  p95 {p95:7.3} ms   ratio {:.2}x   (goal: under {goal_ms} ms)",
        o50 / p50
    );
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn generated() -> Vec<u8> {
    let mut s = String::from("WEBVTT\n\n");
    for i in 0..5536u32 {
        let (a, b) = (i * 1300, i * 1300 + 1200);
        let t = |ms: u32| {
            format!(
                "{:02}:{:02}:{:02}.{:03}",
                ms / 3_600_000,
                ms / 60_000 % 60,
                ms / 1000 % 60,
                ms % 1000
            )
        };
        s.push_str(&format!(
            "{} --> {}\nline {i} of a long talk about Python packaging\n\n",
            t(a),
            t(b)
        ));
    }
    s.into_bytes()
}

/// 200 text edits at cues spread over the file, each followed by the marks (a snapshot of the
/// document and the comparison with the committed cues), beside a line diff of the two texts.
fn after_edits(
    base: &Document,
    head_snap: &[cueline_git::CueSnapshot],
    head_text: &str,
    name: &str,
) -> Result<cueline_transcript::Session, Box<dyn std::error::Error>> {
    let cues = base.cue_count();
    let mut session = cueline_transcript::Session::new(base.clone());
    let (mut ours, mut peer, mut snap) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..200 {
        let cue = (i * 37) % cues;
        session
            .apply(&Edit::SetText {
                cue,
                text: format!("an edit {i}"),
            })
            .map_err(|e| format!("{e:?}"))?;
        let t = Instant::now();
        let now = snapshot(session.document());
        snap.push(t.elapsed());
        let changes = compare(head_snap, &now);
        ours.push(t.elapsed());
        assert!(!changes.is_empty());
        let printed = session.document().print();
        let printed_text = String::from_utf8_lossy(&printed);
        let t = Instant::now();
        let d = TextDiff::from_lines(head_text, printed_text.as_ref());
        std::hint::black_box(d.ops().len());
        peer.push(t.elapsed());
    }
    report(name, &mut ours, &mut peer, 5.0);
    println!(
        "  of which the snapshot p50 {:.3} ms  p95 {:.3} ms; load average {}",
        pct(&mut snap, 50),
        pct(&mut snap, 95),
        load()
    );
    Ok(session)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).map_or_else(
        || {
            PathBuf::from(
                "../shared/corpus/transcripts/386-realtime-web-apps-and-dashboards-with-h2o-wave.vtt",
            )
        },
        PathBuf::from,
    );
    let head = std::fs::read(&path).unwrap_or_else(|_| generated());
    let base = Document::parse(&head, Format::Vtt);
    let cues = base.cue_count();
    println!("{cues} cues, {} bytes; load average {}", head.len(), load());
    let head_snap = snapshot(&base);
    let head_text = String::from_utf8_lossy(&head);

    let session = after_edits(&base, &head_snap, &head_text, "marks after an edit")?;
    {
        // the same with both cores busy (two spinning threads in this process), as when a
        // build or a second program runs beside the editor
        let stop = Arc::new(AtomicBool::new(false));
        let spinners: Vec<_> = (0..2)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                    }
                })
            })
            .collect();
        after_edits(&base, &head_snap, &head_text, "  same, 2 cores busy")?;
        stop.store(true, Ordering::Relaxed);
        for s in spinners {
            let _ = s.join();
        }
    }
    let edited = session.document().print();
    let edited_text = String::from_utf8_lossy(&edited);
    let (mut ours, mut peer) = (Vec::new(), Vec::new());
    for _ in 0..30 {
        let t = Instant::now();
        let a = snapshot(&Document::parse(&head, Format::Vtt));
        let b = snapshot(&Document::parse(&edited, Format::Vtt));
        std::hint::black_box(compare(&a, &b).len());
        ours.push(t.elapsed());
        let t = Instant::now();
        let d = TextDiff::from_lines(head_text.as_ref(), edited_text.as_ref());
        std::hint::black_box(d.ops().len());
        peer.push(t.elapsed());
    }
    report("marks on open", &mut ours, &mut peer, 50.0);
    println!("load average after: {}", load());
    Ok(())
}
