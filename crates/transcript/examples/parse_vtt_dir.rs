//! Reads and parses every `.vtt` under a directory and prints `files cues seconds` (the time
//! covers reading and parsing). `bench/run.py` compares it with webvtt-py doing the same.
use std::time::Instant;

use cueline_transcript::{Document, Format};

fn main() -> std::io::Result<()> {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let mut paths = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if Format::from_path(&path) == Some(Format::Vtt) {
                paths.push(path);
            }
        }
    }
    let started = Instant::now();
    let mut cues = 0;
    for p in &paths {
        cues += Document::parse(&std::fs::read(p)?, Format::Vtt).cue_count();
    }
    println!(
        "{} {cues} {:.6}",
        paths.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
