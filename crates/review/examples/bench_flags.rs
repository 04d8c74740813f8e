//! The window's flags on a generated 5,536-cue file (the size of the largest corpus episode),
//! against the plain way in the same run: `spellbook` checking every word of the file again,
//! which is what a spell-checker without a per-cue cache does after each edit (Subtitle Edit,
//! Aegisub and Gaupol check the whole file or the whole line list). Not in CI: `make bench-flags`.
//!
//! - re-check after one edit: copy the cue texts from the document (as the app's command
//!   does), bring the flag cache up to date (only the edited cue is checked), take what
//!   changed (goal: under 2 ms);
//! - flags of the whole file on open: a fresh reviewer (empty word caches) over every cue,
//!   spelling and sounds-like (goal: under 100 ms). Loading the dictionary is once per app
//!   session and printed on its own line.
//!
//! p50, p95 and the load average are printed beside every figure.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cueline_review::{Dismissed, FlagCache, KnownWords, Options, Rejections, Reviewer};
use cueline_transcript::{Document, Edit, Format, Session};

const WORDS: &[&str] = &[
    "the",
    "and",
    "you",
    "that",
    "we",
    "Python",
    "package",
    "really",
    "think",
    "about",
    "code",
    "people",
    "with",
    "just",
    "like",
    "this",
    "have",
    "what",
    "going",
    "data",
    "there",
    "so",
    "know",
    "they",
    "library",
    "use",
    "async",
    "web",
    "framework",
    "talk",
    "show",
    "interesting",
    "testing",
    "deploy",
    "server",
    "database",
    "type",
    "hints",
    "performance",
    "compiler",
    "right",
    "because",
    "actually",
    "open",
    "source",
    "community",
    "project",
    "build",
    "tools",
    "fast",
    "FastAPI",
    "Django",
    "pytest",
    "numpy",
    "Docker",
    "cloud",
    "packaging",
    "Rust",
    "uv",
];
/// One cue in 25 gets one of these.
const MISSPELLED: &[&str] = &[
    "teh",
    "Langchain",
    "Pidantic",
    "recieve",
    "adress",
    "seperate",
];
const NAMES: &[&str] = &["Matt McKay", "Cloud Code", "Donald Stuffed", "rough"];

fn pct(v: &mut [Duration], p: usize) -> f64 {
    v.sort();
    v[(v.len() * p / 100).min(v.len() - 1)].as_secs_f64() * 1000.0
}

fn report(name: &str, ours: &mut [Duration], peer: &mut [Duration], goal_ms: f64) {
    let (o50, o95) = (pct(ours, 50), pct(ours, 95));
    let (p50, p95) = (pct(peer, 50), pct(peer, 95));
    println!(
        "{name:<28} p50 {o50:8.3} ms  p95 {o95:8.3} ms   spellbook every word p50 {p50:8.3} ms  p95 {p95:8.3} ms   ratio {:.3}x   (goal: under {goal_ms} ms)",
        o50 / p50
    );
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn generated() -> Vec<u8> {
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
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
        let mut text: Vec<&str> = (0..8 + next(8)).map(|_| WORDS[next(WORDS.len())]).collect();
        if next(20) == 0 {
            text.insert(next(text.len()), NAMES[next(NAMES.len())]);
        }
        if next(25) == 0 {
            text.insert(next(text.len()), MISSPELLED[next(MISSPELLED.len())]);
        }
        s.push_str(&format!("{} --> {}\n{}.\n\n", t(a), t(b), text.join(" ")));
    }
    s.into_bytes()
}

/// What a checker without a cache does: every word of every cue through the dictionary.
fn every_word(dict: &spellbook::Dictionary, doc: &Document) -> usize {
    doc.cues()
        .flat_map(|c| {
            c.text
                .split(|ch: char| !ch.is_alphabetic() && ch != '\'')
                .filter(|w| !w.is_empty())
                .map(|w| usize::from(!dict.check(w)))
                .collect::<Vec<_>>()
        })
        .sum()
}

fn texts(doc: &Document) -> Vec<(u64, String)> {
    doc.cues().map(|c| (c.id.0, c.text)).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = generated();
    let base = Document::parse(&bytes, Format::Vtt);
    let cues = base.cue_count();
    println!(
        "{cues} cues, {} bytes (generated); load average {}",
        bytes.len(),
        load()
    );
    let t = Instant::now();
    let dict = Arc::new(cueline_review::load_dictionary("en_US")?);
    println!(
        "dictionary load (once per app session): {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let words = KnownWords::parse(
        "Matt Makai\nClaude Code\nDonald Stufft\nPydantic\nLangChain\nruff ~\nnumpy\nuv\nFastAPI\npytest\nasync\n",
        Path::new("words.txt"),
    )?;
    let options = Options {
        dictionary_suggestions: false,
        ..Options::default()
    };
    let ignored = HashSet::new();
    let rejections = Rejections::default();
    let dismissed = Dismissed {
        ignored: &ignored,
        rejections: &rejections,
    };

    // flags of the whole file on open
    let (mut ours, mut peer) = (Vec::new(), Vec::new());
    let mut flagged = 0;
    for _ in 0..15 {
        let t = Instant::now();
        let reviewer = Reviewer::new(Arc::clone(&dict), &words, options);
        let mut cache = FlagCache::new();
        cache.update(
            &reviewer,
            dismissed,
            texts(&base).iter().map(|(i, s)| (*i, s.as_str())),
        );
        flagged = cache.changes_since(0).len();
        ours.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(every_word(&dict, &base));
        peer.push(t.elapsed());
    }
    let open_ours = ours.clone();

    // re-check after one edit
    let reviewer = Reviewer::new(Arc::clone(&dict), &words, options);
    let mut cache = FlagCache::new();
    let mut session = Session::new(base.clone());
    cache.update(
        &reviewer,
        dismissed,
        texts(session.document())
            .iter()
            .map(|(i, s)| (*i, s.as_str())),
    );
    let (mut e_ours, mut e_peer) = (Vec::new(), Vec::new());
    for i in 0..300 {
        let cue = (i * 37) % cues;
        session
            .apply(&Edit::SetText {
                cue,
                text: format!("an edit {i} with a new wurd{i} and Matt McKay"),
            })
            .map_err(|e| format!("{e:?}"))?;
        let since = cache.generation();
        let t = Instant::now();
        let copied = texts(session.document());
        let stats = cache.update(
            &reviewer,
            dismissed,
            copied.iter().map(|(i, s)| (*i, s.as_str())),
        );
        let changes = cache.changes_since(since);
        e_ours.push(t.elapsed());
        assert_eq!(stats.reviewed, 1, "only the edited cue is checked");
        assert!(changes.len() <= 1);
        let t = Instant::now();
        std::hint::black_box(every_word(&dict, session.document()));
        e_peer.push(t.elapsed());
    }
    report("re-check after one edit", &mut e_ours, &mut e_peer, 2.0);
    let mut open_ours = open_ours;
    report(
        "flags of the file on open",
        &mut open_ours,
        &mut peer,
        100.0,
    );
    let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let doc_texts = texts(session.document());
    for c in cache.changes_since(0) {
        if let Some((_, t)) = doc_texts.iter().find(|(i, _)| *i == c.cue_id) {
            for f in &c.flags {
                *seen
                    .entry(format!("{}:{}", f.kind.as_str(), &t[f.range.clone()]))
                    .or_default() += 1;
            }
        }
    }
    let mut top: Vec<_> = seen.into_iter().collect();
    top.sort_by_key(|t| std::cmp::Reverse(t.1));
    let top: Vec<String> = top
        .iter()
        .take(8)
        .map(|(w, n)| format!("{w} {n}"))
        .collect();
    println!("most flagged: {}", top.join(", "));
    let (s, k) = cache.counts();
    println!(
        "{flagged} cues flagged on open; after the edits {s} spelling and {k} sounds-like flags"
    );
    println!("load average after: {}", load());
    Ok(())
}
