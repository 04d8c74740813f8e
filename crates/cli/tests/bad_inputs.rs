//! Inputs that are not transcripts a person keeps (issue 12, item 6): a FIFO named like a
//! transcript, a link to an endless device, a file over the app's 50 MB limit. Every command that
//! reads one refuses it at once with a clear message and exit 2, and changes nothing on disk.
//! Each run has a deadline, so a command that blocks (the old behaviour on a FIFO) fails the test
//! instead of hanging it.

#![allow(clippy::unwrap_used)]

mod common;

use cueline_transcript_store::atomic::testing::figure;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Runs `cueline ARGS` in `dir`, killing it (and failing) after 20 s.
fn run_with_deadline(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env_remove("CUELINE_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("cueline {args:?} did not finish within 20 s (blocked on its input?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {} failed", path.display());
}

/// The commands that read `name` (a transcript), each with its arguments.
fn readers(name: &str) -> Vec<Vec<String>> {
    [
        vec!["check", name],
        vec!["check", "--json", name],
        vec!["replace", "Hello", "Bye", name],
        vec!["replace", "--dry-run", "Hello", "Bye", name],
        vec!["apply", name, "edits.json"],
        vec!["export", name, "--to", "txt"],
        vec!["glossary", "check", name],
    ]
    .into_iter()
    .map(|a| a.into_iter().map(String::from).collect())
    .collect()
}

fn refused_by_every_reader(dir: &Path, name: &str, reason: &str) -> usize {
    let before = snapshot_regular(dir);
    let mut tried = 0;
    for args in readers(name) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = run_with_deadline(dir, &args);
        run.expect_code(2);
        assert!(
            run.stderr.contains(name) && run.stderr.contains(reason),
            "cueline {args:?}: the message should name {name} and say {reason:?}, got:\n{}",
            run.stderr
        );
        assert_eq!(
            snapshot_regular(dir),
            before,
            "cueline {args:?} changed files"
        );
        tried += 1;
    }
    tried
}

/// Every regular file under `dir` and its bytes (FIFOs and links to devices are not read).
fn snapshot_regular(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            let bytes = if e.metadata().unwrap().len() > 1024 * 1024 {
                // the oversized file is sparse: its length stands for its bytes
                e.metadata().unwrap().len().to_le_bytes().to_vec()
            } else {
                fs::read(e.path()).unwrap()
            };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    out
}

fn setup() -> tempfile::TempDir {
    folder(&[
        ("ok.vtt", VTT),
        ("edits.json", r#"{"edits": [{"op": "delete", "cue": 0}]}"#),
        (
            ".cueline/glossary.toml",
            "[[entry]]\nwrong = \"Hello\"\nright = \"Hi\"\n",
        ),
    ])
}

#[test]
fn a_fifo_named_like_a_transcript_is_refused_without_blocking() {
    let dir = setup();
    mkfifo(&dir.path().join("x.vtt"));
    let tried = refused_by_every_reader(dir.path(), "x.vtt", "not a regular file");
    figure(&format!(
        "bad input, a FIFO named x.vtt: {tried} commands tried, all refused at once, nothing changed"
    ));
}

#[test]
fn a_link_to_dev_zero_is_refused_without_reading_it() {
    let dir = setup();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.vtt")).unwrap();
    let tried = refused_by_every_reader(dir.path(), "zero.vtt", "not a regular file");
    figure(&format!(
        "bad input, a .vtt link to /dev/zero: {tried} commands tried, all refused, nothing read"
    ));
}

#[test]
fn a_file_over_the_apps_limit_is_refused_without_reading_it_whole() {
    let dir = setup();
    let big = fs::File::create(dir.path().join("big.vtt")).unwrap();
    // sparse: 1 GiB on paper, nothing on the disk
    big.set_len(1 << 30).unwrap();
    drop(big);
    let tried = refused_by_every_reader(dir.path(), "big.vtt", "the limit is 50 MB");
    figure(&format!(
        "bad input, a 1 GiB .vtt: {tried} commands tried, all refused, not read whole"
    ));
}

#[test]
fn a_fifo_in_a_walked_folder_is_not_read() {
    // a folder walk lists regular files only: the FIFO is not a transcript of the folder
    let dir = setup();
    mkfifo(&dir.path().join("x.vtt"));
    let run = run_with_deadline(dir.path(), &["check", "."]);
    run.expect_code(0);
    assert!(!run.stdout.contains("x.vtt"), "{}", run.stdout);
}

#[test]
fn a_fifo_glossary_or_an_oversized_one_is_refused() {
    let dir = folder(&[("ok.vtt", VTT)]);
    fs::create_dir(dir.path().join(".cueline")).unwrap();
    mkfifo(&dir.path().join(".cueline/glossary.toml"));
    let run = run_with_deadline(dir.path(), &["glossary", "check", "ok.vtt"]);
    run.expect_code(2);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    let big = fs::File::create(dir.path().join("big.toml")).unwrap();
    big.set_len(1 << 30).unwrap();
    drop(big);
    let run = run_with_deadline(
        dir.path(),
        &["glossary", "check", "--glossary", "big.toml", "ok.vtt"],
    );
    run.expect_code(2);
    assert!(run.stderr.contains("the limit is 50 MB"), "{}", run.stderr);
}

/// Issue 12 item 5: a read-only file (owner write bit clear) is refused, as root too, and the
/// whole batch with it: a folder replace, and a `--pairs` replace whose partner is read-only.
#[test]
fn a_read_only_file_refuses_the_whole_replace() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder(&[("a.vtt", VTT), ("b.vtt", VTT)]);
    // a real pair, whose partner `--pairs` writes too
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    for ext in ["vtt", "txt"] {
        let (from, to) = (format!("episode.{ext}"), format!("ep.{ext}"));
        fs::copy(examples.join(from), dir.path().join(to)).unwrap();
    }
    let set_mode = |name: &str, mode: u32| {
        fs::set_permissions(dir.path().join(name), fs::Permissions::from_mode(mode)).unwrap()
    };
    set_mode("b.vtt", 0o444);
    set_mode("ep.txt", 0o444);
    let pairs = [
        "replace",
        "--pairs",
        "--word",
        "Matt Makai",
        "Matt M.",
        "ep.vtt",
    ];
    let before = snapshot_regular(dir.path());
    for args in [
        &["replace", "Matt Makai", "Matt M.", "a.vtt", "b.vtt"][..],
        &pairs[..],
    ] {
        let run = run_with_deadline(dir.path(), args);
        run.expect_code(2);
        assert!(run.stderr.contains("read-only"), "{args:?}: {}", run.stderr);
        let after = snapshot_regular(dir.path());
        assert_eq!(after, before, "{args:?} changed files");
    }
    // made writable, the same pair replace writes both files
    set_mode("ep.txt", 0o644);
    let run = run_with_deadline(dir.path(), &pairs);
    run.expect_code(0);
    assert!(run.stdout.contains("in 2 files"), "{}", run.stdout);
}
