//! Benchmarks of the safety net on the largest corpus file (not in CI: `make bench-store`).
//!
//! Autosave of one edit (p95 write latency, goal 10 ms), a journal append (p95, goal 2 ms)
//! and the reload of an externally changed file (goal 50 ms), each printed with its goal.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cueline_transcript::{Edit, Format};
use cueline_transcript_store::{Journal, JournalOp, OpenDocument};

fn p95(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[(v.len() * 95 / 100).min(v.len() - 1)]
}

fn report(name: &str, got: Duration, goal_ms: f64) {
    let ms = got.as_secs_f64() * 1000.0;
    println!(
        "{name:<38} {ms:8.3} ms   goal {goal_ms:5.1} ms   ratio {:.2}",
        ms / goal_ms
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = std::env::args().nth(1).map_or_else(
        || {
            PathBuf::from(
                "../shared/corpus/transcripts/386-realtime-web-apps-and-dashboards-with-h2o-wave.vtt",
            )
        },
        PathBuf::from,
    );
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.vtt");
    // a writable copy: the corpus may be read-only
    std::fs::write(&path, std::fs::read(&corpus)?)?;
    let mut doc = OpenDocument::open(&path)?;
    println!(
        "{} cues, {} bytes",
        doc.document().cue_count(),
        std::fs::metadata(&path)?.len()
    );

    let mut saves = Vec::new();
    for i in 0..100 {
        doc.apply_all(&[Edit::SetText {
            cue: (i * 37) % doc.document().cue_count(),
            text: format!("benchmark edit {i}"),
        }])
        .map_err(|(_, e)| e)?;
        let t = Instant::now();
        doc.save()?;
        saves.push(t.elapsed());
    }
    report("autosave of one edit (p95)", p95(saves), 10.0);

    let base = std::fs::read(&path)?;
    let mut journal = Journal::start(&dir.path().join("journal"), &path, Format::Vtt, &base)?;
    let mut appends = Vec::new();
    for i in 0..1000 {
        let op = JournalOp::Apply(vec![Edit::SetText {
            cue: i % 100,
            text: format!("journal edit {i}"),
        }]);
        let t = Instant::now();
        journal.append(&op)?;
        appends.push(t.elapsed());
        if i % 50 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    report("journal append (p95)", p95(appends), 2.0);

    let mut reloads = Vec::new();
    for i in 0..20 {
        let mut other = OpenDocument::open(&path)?;
        for k in 0..10 {
            other
                .apply_all(&[Edit::SetText {
                    cue: (i * 131 + k * 517) % other.document().cue_count(),
                    text: format!("outside change {i} {k}"),
                }])
                .map_err(|(_, e)| e)?;
        }
        let bytes = other.document().print();
        std::fs::write(&path, &bytes)?;
        let t = Instant::now();
        let read = std::fs::read(&path)?;
        let summary = doc.reload_from(&read);
        reloads.push(t.elapsed());
        assert!(summary.changed > 0);
    }
    report("reload of a changed file (p95)", p95(reloads), 50.0);
    Ok(())
}
