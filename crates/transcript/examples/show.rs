use cueline_transcript::{Document, Format};
fn main() {
    for p in std::env::args().skip(1) {
        let path = std::path::Path::new(&p);
        let doc = Document::parse(
            &std::fs::read(path).unwrap(),
            Format::from_path(path).unwrap(),
        );
        println!(
            "== {p}: {} cues, ro={:?}, enc={:?}",
            doc.cue_count(),
            doc.read_only_reason(),
            doc.encoding()
        );
        for c in doc.cues() {
            println!(
                "  #{} L{} {}..{:?} id={:?} set={:?} {:?}",
                c.index, c.line, c.start_ms, c.end_ms, c.identifier, c.settings, c.text
            );
        }
        for d in doc.diagnostics() {
            println!("  ! {}:{} {}", d.severity, d.line, d.message);
        }
    }
}
