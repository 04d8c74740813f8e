//! Issue 12 item 4: `replace` and `apply` compare every target with the bytes they planned from
//! once more after staging, just before renaming, so a change saved by another program while
//! they work is never overwritten. The race is forced, not hoped for: with
//! `CUELINE_TEST_HOLD_BEFORE_WRITE` the command stops after staging until the test has changed
//! a file.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Runs `cueline ARGS` in `dir`, runs `meanwhile` once the command has staged its writes, then
/// lets it go on.
fn run_racing(dir: &Path, args: &[&str], meanwhile: impl FnOnce()) -> Run {
    let hold = dir.join("hold");
    let ready = dir.join("hold.ready");
    let child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("CUELINE_TEST_HOLD_BEFORE_WRITE", &hold)
        .env_remove("CUELINE_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready.exists() {
        assert!(
            Instant::now() < deadline,
            "cueline {args:?} never reached its writes"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    meanwhile();
    fs::write(&hold, b"").unwrap();
    let out = child.wait_with_output().unwrap();
    fs::remove_file(&hold).unwrap();
    fs::remove_file(&ready).unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

const THEIRS: &str =
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nSaved by another editor, Matt Makai.\n";

#[test]
fn a_replace_does_not_overwrite_a_file_changed_while_it_ran() {
    let dir = folder(&[("a.vtt", VTT), ("b.vtt", VTT)]);
    let files_before = names(dir.path());
    let run = run_racing(
        dir.path(),
        &["replace", "Matt Makai", "Matt M.", "."],
        || {
            fs::write(dir.path().join("b.vtt"), THEIRS).unwrap();
        },
    );
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("b.vtt: changed on disk while cueline was working"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    // neither file was replaced: not the changed one, not its batch mate
    assert_eq!(
        fs::read_to_string(dir.path().join("b.vtt")).unwrap(),
        THEIRS
    );
    assert_eq!(fs::read_to_string(dir.path().join("a.vtt")).unwrap(), VTT);
    assert_eq!(names(dir.path()), files_before, "temporary files were left");
    // without the race the same command writes both
    let run = cueline(dir.path(), &["replace", "Matt Makai", "Matt M.", "."]);
    run.expect_code(0);
    assert!(
        !fs::read_to_string(dir.path().join("b.vtt"))
            .unwrap()
            .contains("Matt Makai")
    );
}

#[test]
fn a_pairs_replace_does_not_overwrite_a_partner_changed_while_it_ran() {
    let dir = tempfile::tempdir().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    for ext in ["vtt", "txt"] {
        let text = fs::read(examples.join(format!("episode.{ext}"))).unwrap();
        fs::write(dir.path().join(format!("ep.{ext}")), text).unwrap();
    }
    let txt = dir.path().join("ep.txt");
    let theirs = format!("{}\n", fs::read_to_string(&txt).unwrap());
    let vtt_before = fs::read(dir.path().join("ep.vtt")).unwrap();
    let args = [
        "replace",
        "--pairs",
        "--word",
        "Matt Makai",
        "Matt M.",
        "ep.vtt",
    ];
    let run = run_racing(dir.path(), &args, || fs::write(&txt, &theirs).unwrap());
    run.expect_code(2);
    assert!(run.stderr.contains("ep.txt"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&txt).unwrap(), theirs);
    assert_eq!(fs::read(dir.path().join("ep.vtt")).unwrap(), vtt_before);
}

#[test]
fn an_apply_does_not_overwrite_a_file_changed_while_it_ran() {
    let dir = folder(&[
        ("t.vtt", VTT),
        ("e.json", r#"{"edits": [{"op": "delete", "cue": 0}]}"#),
    ]);
    let run = run_racing(dir.path(), &["apply", "t.vtt", "e.json"], || {
        fs::write(dir.path().join("t.vtt"), THEIRS).unwrap();
    });
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("t.vtt: changed on disk while cueline was working"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("t.vtt")).unwrap(),
        THEIRS
    );
}
