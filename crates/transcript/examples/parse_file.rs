//! Parses one file N times (for profiling).
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("path");
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let bytes = std::fs::read(&path).expect("read");
    let format =
        cueline_transcript::Format::from_path(std::path::Path::new(&path)).expect("format");
    let mut cues = 0;
    for _ in 0..n {
        let doc = cueline_transcript::Document::parse(&bytes, format);
        cues += doc.cue_count() + doc.diagnostics().len();
    }
    println!("{cues}");
}
