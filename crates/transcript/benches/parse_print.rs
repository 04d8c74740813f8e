//! Parse and print throughput on the largest corpus file (5,536 cues) and on the whole corpus.
//! `make bench` runs this; without `../shared/corpus` it benches a generated file instead.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cueline_transcript::{Document, Edit, Format, Session};

const LARGEST: &str = "transcripts/386-realtime-web-apps-and-dashboards-with-h2o-wave.vtt";

fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    root.is_dir().then_some(root)
}

fn generated() -> Vec<u8> {
    let mut out = String::from("WEBVTT\n\n");
    for i in 0..5536u32 {
        let (s, e) = (i * 2000, i * 2000 + 1900);
        out.push_str(&format!(
            "00:{:02}:{:02}.{:03} --> 00:{:02}:{:02}.{:03}\nCue number {i} says something about Python.\n\n",
            s / 60_000 % 60, s / 1000 % 60, s % 1000, e / 60_000 % 60, e / 1000 % 60, e % 1000
        ));
    }
    out.into_bytes()
}

fn all_files(root: &Path) -> Vec<(Vec<u8>, Format)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let (Some(f), Ok(bytes)) = (Format::from_path(&path), std::fs::read(&path)) {
                out.push((bytes, f));
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let root = corpus();
    let largest = root
        .as_ref()
        .and_then(|r| std::fs::read(r.join(LARGEST)).ok())
        .unwrap_or_else(generated);
    let mut g = c.benchmark_group("largest-file");
    g.throughput(Throughput::Bytes(largest.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| Document::parse(black_box(&largest), Format::Vtt))
    });
    let doc = Document::parse(&largest, Format::Vtt);
    g.bench_function("print", |b| b.iter(|| black_box(&doc).print()));
    g.bench_function("set_text+print", |b| {
        b.iter(|| {
            let mut s = Session::new(doc.clone());
            s.apply(&Edit::SetText {
                cue: 2000,
                text: "An edited cue.".into(),
            })
            .ok();
            s.document().print()
        })
    });
    // Every cue edited in one batch (what `cueline replace` does when each cue has a hit):
    // linear in the cues, so within a small factor of parsing the file (it was quadratic).
    g.bench_function("set_text every cue", |b| {
        let edits: Vec<Edit> = (0..doc.cue_count())
            .map(|cue| Edit::SetText {
                cue,
                text: format!("Cue {cue}, replaced."),
            })
            .collect();
        b.iter(|| {
            let mut s = Session::new(doc.clone());
            s.apply_all(black_box(&edits)).ok();
            s.document().cue_count()
        })
    });
    g.finish();

    if let Some(root) = root {
        let files = all_files(&root);
        let total: usize = files.iter().map(|(b, _)| b.len()).sum();
        let mut g = c.benchmark_group("whole-corpus");
        g.sample_size(10);
        g.throughput(Throughput::Bytes(total as u64));
        g.bench_function("parse", |b| {
            b.iter(|| {
                files
                    .iter()
                    .map(|(bytes, f)| Document::parse(bytes, *f).cue_count())
                    .sum::<usize>()
            })
        });
        let docs: Vec<_> = files.iter().map(|(b, f)| Document::parse(b, *f)).collect();
        g.bench_function("print", |b| {
            b.iter(|| docs.iter().map(|d| d.print().len()).sum::<usize>())
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
