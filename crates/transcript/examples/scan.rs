use cueline_transcript::{Document, Format, Severity};
fn main() {
    let mut stack = vec![std::path::PathBuf::from("/work/shared/corpus")];
    let (mut e, mut w, mut files, mut cues) = (0, 0, 0, 0);
    let mut samples = std::collections::BTreeMap::<String, usize>::new();
    while let Some(d) = stack.pop() {
        for ent in std::fs::read_dir(&d).unwrap() {
            let p = ent.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Some(f) = Format::from_path(&p) else {
                continue;
            };
            files += 1;
            let doc = Document::parse(&std::fs::read(&p).unwrap(), f);
            cues += doc.cue_count();
            for d in doc.diagnostics() {
                if d.severity == Severity::Error {
                    e += 1;
                    println!("{}:{}: {}", p.display(), d.line, d.message);
                } else {
                    w += 1;
                }
                let key: String = d
                    .message
                    .split(|c: char| c.is_ascii_digit())
                    .next()
                    .unwrap()
                    .to_owned();
                *samples.entry(key).or_default() += 1;
            }
        }
    }
    println!("{files} files {cues} cues {e} errors {w} warnings");
    println!("{samples:#?}");
}
