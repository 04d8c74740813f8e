//! `make bench-repo`: repository mode on the whole Talk Python corpus, against named peers.
//!
//! - Opening the project: time and the index's memory per MB of transcripts.
//! - Search as you type once the project is open: p50/p95 per query for realistic queries, and
//!   `rg --count-matches` running the same query over the same folder (median), as a ratio.
//!   Goal: under 50 ms per query.
//! - Replace of a literal across a copy of the whole corpus (plan + apply, project open) vs
//!   `rg -l0 -F | xargs -0 sed -i` on another copy: goal at most 1.5x, and the same bytes.
//!
//! Needs `../shared/corpus` (or `CUELINE_CORPUS`) and `rg`; release build. Not a test.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use cueline_repository::{Project, SearchLimits, Selection};
use cueline_transcript::search::Query;

fn corpus() -> PathBuf {
    match std::env::var_os("CUELINE_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn q(pattern: &str, regex: bool, whole_word: bool, ignore_case: bool) -> Query {
    Query {
        pattern: pattern.into(),
        regex,
        whole_word,
        ignore_case,
    }
}

/// The same query as rg flags.
fn rg_args(query: &Query) -> Vec<String> {
    let mut args = vec!["--count-matches".to_owned(), "--no-messages".to_owned()];
    if !query.regex {
        args.push("-F".into());
    }
    if query.whole_word {
        args.push("-w".into());
    }
    if query.ignore_case {
        args.push("-i".into());
    }
    args.push("-e".into());
    args.push(query.pattern.clone());
    args
}

fn time_cmd(cmd: &mut Command, runs: usize) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let out = cmd.output().unwrap();
            assert!(out.status.code().is_some_and(|c| c <= 1), "{cmd:?} failed");
            ms(t.elapsed())
        })
        .collect();
    times.sort_by(f64::total_cmp);
    percentile(&times, 0.5)
}

/// Copies a folder and flushes it to disk, so that neither side of a timed write pays for
/// flushing the copy (an fsync commits the file system's journal, and with it the copy).
fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
    let _ = Command::new("sync").status();
}

fn same_tree(a: &Path, b: &Path) -> Result<usize, String> {
    let mut n = 0;
    for entry in walkdir(a) {
        let rel = entry.strip_prefix(a).unwrap();
        let x = std::fs::read(&entry).unwrap();
        let y = std::fs::read(b.join(rel)).map_err(|e| format!("{}: {e}", rel.display()))?;
        if x != y {
            return Err(format!("{} differs", rel.display()));
        }
        n += 1;
    }
    Ok(n)
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

fn main() {
    let corpus = corpus();
    if !corpus.join("transcripts").is_dir() {
        eprintln!(
            "corpus not found at {} (set CUELINE_CORPUS)",
            corpus.display()
        );
        std::process::exit(2);
    }
    let rg = std::env::var("RG").unwrap_or_else(|_| "rg".into());
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(21);

    // ---------------------------------------------------------------- open + memory
    let rss_before = rss_kb();
    let t = Instant::now();
    let project = Project::open(&corpus).unwrap();
    let open_ms = ms(t.elapsed());
    let rss_after = rss_kb();
    let files = project.files();
    let bytes: u64 = files.iter().map(|f| f.bytes).sum();
    let mb = bytes as f64 / 1e6;
    let heap = project.memory_bytes() as f64 / 1e6;
    let rss = (rss_after.saturating_sub(rss_before)) as f64 / 1e3;
    println!(
        "Repository mode on {} ({} files, {:.1} MB)",
        corpus.display(),
        files.len(),
        mb
    );
    println!(
        "open: {open_ms:.0} ms; index {heap:.1} MB = {:.2} MB per MB of transcripts (RSS grew {rss:.1} MB = {:.2} MB per MB)",
        heap / mb,
        rss / mb
    );
    let t = Instant::now();
    let again = Project::open(&corpus).unwrap();
    println!("open again (warm cache): {:.0} ms", ms(t.elapsed()));
    drop(again);

    // BENCH_PROFILE=pattern: run that query (literal, whole word, any case) 200 times and stop,
    // for `perf record`
    if let Ok(pattern) = std::env::var("BENCH_PROFILE") {
        let query = q(&pattern, false, true, true);
        let t = Instant::now();
        for _ in 0..200 {
            let _ = project
                .search(&query, &SearchLimits::default(), &AtomicBool::new(false))
                .unwrap();
        }
        println!("{pattern}: {:.1} ms per query", ms(t.elapsed()) / 200.0);
        return;
    }

    // ---------------------------------------------------------------- search
    let queries = [
        q("Matt Makai", false, false, false),
        q("Claude Code", false, true, false),
        q("langchain", false, false, true),
        q("rough", false, true, false),
        q("asyncio", false, true, true),
        q("data science", false, false, true),
        q("FastAPI", false, false, false),
        q("you know", false, true, true),
        q(r"Python 3\.\d+", true, false, false),
        q(r"\b(py|Py)\w*test\w*", true, false, false),
        q(r"(?i)jupyter (notebook|lab)s?", true, false, false),
    ];
    let limits = SearchLimits::default();
    let cancel = AtomicBool::new(false);
    println!();
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>10} {:>7}   goal: under 50 ms",
        "search (project open)", "hits", "p50 ms", "p95 ms", "rg ms", "ratio"
    );
    let mut worst_p95: f64 = 0.0;
    for query in &queries {
        let mut times = Vec::with_capacity(runs);
        let mut total = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let r = project.search(query, &limits, &cancel).unwrap();
            times.push(ms(t.elapsed()));
            total = r.total_hits;
        }
        times.sort_by(f64::total_cmp);
        let (p50, p95) = (percentile(&times, 0.5), percentile(&times, 0.95));
        worst_p95 = worst_p95.max(p95);
        let mut cmd = Command::new(&rg);
        cmd.args(rg_args(query)).arg(&corpus);
        let peer = time_cmd(&mut cmd, 7);
        let label = format!(
            "{}{}{}{}",
            query.pattern,
            if query.regex { " (regex)" } else { "" },
            if query.whole_word { " (word)" } else { "" },
            if query.ignore_case { " (any case)" } else { "" },
        );
        println!(
            "{label:<34} {total:>8} {p50:>8.1} {p95:>8.1} {peer:>10.1} {:>6.2}x",
            p50 / peer
        );
    }
    // typing "Matt Makai" one letter at a time: the first letters have the most hits
    let word = "Matt Makai";
    let mut typing = Vec::new();
    for n in 1..=word.len() {
        let query = q(&word[..n], false, false, true);
        for _ in 0..5 {
            let t = Instant::now();
            let _ = project.search(&query, &limits, &cancel).unwrap();
            typing.push(ms(t.elapsed()));
        }
    }
    typing.sort_by(f64::total_cmp);
    println!(
        "typing \"{word}\" letter by letter (any case): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&typing, 0.5),
        percentile(&typing, 0.95),
        percentile(&typing, 1.0)
    );
    worst_p95 = worst_p95.max(percentile(&typing, 0.95));
    println!(
        "search: worst p95 {worst_p95:.1} ms: {}",
        if worst_p95 < 50.0 {
            "goal met"
        } else {
            "goal NOT met"
        }
    );
    drop(project);

    // ---------------------------------------------------------------- replace vs sed
    let (find, replace) = ("Claude Code", "Cloud Code");
    let work = std::env::temp_dir().join(format!("cueline-bench-repo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let (a, b) = (work.join("a"), work.join("b"));
    let replace_runs = 5;
    let mut ours = Vec::new();
    let mut peer = Vec::new();
    let mut replaced = 0;
    let mut changed_files = 0;
    for _ in 0..replace_runs {
        let _ = std::fs::remove_dir_all(&a);
        copy_dir(&corpus, &a);
        let project = Project::open(&a).unwrap();
        let query = q(find, false, false, false);
        let t = Instant::now();
        let plan = project
            .plan_replace(&query, replace, &Selection::default())
            .unwrap();
        let applied = project.apply(&plan).unwrap();
        ours.push(ms(t.elapsed()));
        replaced = applied.replacements;
        changed_files = applied.files.len();

        let _ = std::fs::remove_dir_all(&b);
        copy_dir(&corpus, &b);
        let script = format!("{rg} -l0 -F '{find}' . | xargs -0 -r sed -i 's/{find}/{replace}/g'");
        let t = Instant::now();
        let status = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(&b)
            .status()
            .unwrap();
        peer.push(ms(t.elapsed()));
        assert!(status.success());
    }
    ours.sort_by(f64::total_cmp);
    peer.sort_by(f64::total_cmp);
    let (o, p) = (percentile(&ours, 0.5), percentile(&peer, 0.5));
    let same = same_tree(&a, &b);

    // the same replace from the command line: a fresh process that walks, pre-filters, plans
    // and writes (target/release/cueline, built by `make bench-repo`)
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/cueline");
    let mut cli_row = None;
    if cli.is_file() {
        let c = work.join("c");
        let mut times = Vec::new();
        for _ in 0..replace_runs {
            let _ = std::fs::remove_dir_all(&c);
            copy_dir(&corpus, &c);
            let t = Instant::now();
            let out = Command::new(&cli)
                .args(["replace", "--pairs", find, replace])
                .arg(&c)
                .output()
                .unwrap();
            times.push(ms(t.elapsed()));
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        times.sort_by(f64::total_cmp);
        cli_row = Some((percentile(&times, 0.5), same_tree(&c, &b)));
    }
    println!();
    println!(
        "replace '{find}' -> '{replace}' ({replaced} spans in {changed_files} files, pairs on): plan+apply {o:.1} ms vs rg -l | xargs sed -i {p:.1} ms: {:.2}x (goal at most 1.5x: {}); same bytes: {}",
        o / p,
        if o / p <= 1.5 { "met" } else { "NOT met" },
        match &same {
            Ok(n) => format!("yes ({n} files compared)"),
            Err(e) => format!("NO: {e}"),
        }
    );
    if let Some((t, same_cli)) = &cli_row {
        println!(
            "cueline replace --pairs '{find}' '{replace}' (fresh process, whole corpus): {t:.1} ms vs {p:.1} ms: {:.2}x (goal at most 1.5x: {}); same bytes: {}",
            t / p,
            if t / p <= 1.5 { "met" } else { "NOT met" },
            match same_cli {
                Ok(n) => format!("yes ({n} files compared)"),
                Err(e) => format!("NO: {e}"),
            }
        );
    } else {
        println!("(target/release/cueline not built: the command-line row is skipped)");
    }
    let _ = std::fs::remove_dir_all(&work);
    if same.is_err() || cli_row.is_some_and(|(_, s)| s.is_err()) {
        std::process::exit(1);
    }
}
