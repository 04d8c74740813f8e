//! `cueline diff` in real git repositories made by the tests: exactly the edited cues are
//! listed (text, timing, insert, delete, an insert that shifts every later index), with git's
//! word-diff marks; CRLF checkouts; added, deleted and untracked files; every refusal.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{SRT, TXT, VTT, bin, write};

/// Runs `git ARGS` in `dir` with a fixed identity and no user or system config, so the
/// tests do not depend on the machine's git setup.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A repository with `files` committed.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    for (name, text) in files {
        write(dir.path(), name, text.as_bytes());
    }
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn diff_in(dir: &Path, args: &[&str]) -> Run {
    diff_env(dir, args, &[])
}

fn diff_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.arg("diff")
        .args(args)
        .current_dir(dir)
        .env_remove("CUELINE_LOG")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn edit(dir: &Path, name: &str, from: &str, to: &str) {
    let text = fs::read_to_string(dir.join(name)).unwrap();
    assert!(text.contains(from), "{name} has no {from:?}");
    fs::write(dir.join(name), text.replacen(from, to, 1)).unwrap();
}

fn json(run: &Run) -> serde_json::Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn lists_exactly_the_edited_cues_with_word_marks() {
    let dir = repo(&[
        ("ep/talk.vtt", VTT),
        ("ep/talk.txt", TXT),
        ("other.srt", SRT),
    ]);
    let d = dir.path();
    edit(
        d,
        "ep/talk.vtt",
        "uv tool install rough",
        "uv tool install ruff",
    );
    edit(d, "ep/talk.txt", "00:00:02 Matt", "00:00:03 Matt");
    let run = diff_in(d, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "ep/talk.txt\n\
         ep/talk.txt:3: 00:00:02.000 => 00:00:03.000 Matt Makai works on Full Stack Python.\n\
         ep/talk.vtt\n\
         ep/talk.vtt:10: 00:00:04.000 uv tool install [-rough-]{+ruff+}\n"
    );
    let v = json(&diff_in(d, &["--json"]));
    assert_eq!(
        v,
        serde_json::json!([
            {"path": "ep/talk.txt", "changes": [{
                "kind": "timing", "cue": 1,
                "before": "Matt Makai works on Full Stack Python.",
                "after": "Matt Makai works on Full Stack Python.",
                "before_start_ms": 2000, "before_end_ms": null,
                "after_start_ms": 3000, "after_end_ms": null}]},
            {"path": "ep/talk.vtt", "changes": [{
                "kind": "text", "cue": 1,
                "before": "uv tool install rough", "after": "uv tool install ruff",
                "before_start_ms": 4000, "before_end_ms": 7500,
                "after_start_ms": 4000, "after_end_ms": 7500}]}
        ])
    );
}

#[test]
fn an_insert_is_one_change_and_a_delete_sits_before_its_follower() {
    let cues: String = (0..40)
        .map(|i| {
            format!(
                "00:00:{i:02}.000 --> 00:00:{i:02}.500
Cue number {i}.

"
            )
        })
        .collect();
    let text = format!("WEBVTT\n\n{cues}");
    let dir = repo(&[("a.vtt", &text)]);
    let d = dir.path();
    // insert a cue after cue 2: every later index shifts by one
    edit(
        d,
        "a.vtt",
        "Cue number 2.\n\n",
        "Cue number 2.\n\n00:00:02.600 --> 00:00:02.900\nA new cue.\n\n",
    );
    // delete cue 30, retime cue 35, edit the text and time of cue 38
    edit(
        d,
        "a.vtt",
        "00:00:30.000 --> 00:00:30.500\nCue number 30.\n\n",
        "",
    );
    edit(
        d,
        "a.vtt",
        "00:00:35.000 --> 00:00:35.500",
        "00:00:35.100 --> 00:00:35.500",
    );
    edit(
        d,
        "a.vtt",
        "00:00:38.000 --> 00:00:38.500\nCue number 38.",
        "00:00:38.000 --> 00:00:38.700\nCue number thirty-eight.",
    );
    let v = json(&diff_in(d, &["--json", "a.vtt"]));
    let changes = v[0]["changes"].as_array().unwrap();
    let got: Vec<(String, u64)> = changes
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["cue"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("inserted".to_string(), 3),
            ("deleted".to_string(), 30),
            ("timing".to_string(), 35),
            ("text+timing".to_string(), 38),
        ]
    );
    let run = diff_in(d, &["a.vtt"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            "a.vtt",
            "a.vtt:12: 00:00:02.600 {+A new cue.+}",
            "a.vtt:93: 00:00:30.000 [-Cue number 30.-]",
            "a.vtt:108: 00:00:35.000 --> 00:00:35.500 => 00:00:35.100 --> 00:00:35.500 Cue number 35.",
            "a.vtt:117: 00:00:38.000 --> 00:00:38.500 => 00:00:38.000 --> 00:00:38.700 Cue number [-38.-]{+thirty-eight.+}",
        ]
    );
}

#[test]
fn headers_notes_identifiers_and_line_endings_are_not_cue_changes() {
    let dir = repo(&[("a.vtt", VTT)]);
    let d = dir.path();
    let changed = VTT
        .replace("WEBVTT\n", "\u{feff}WEBVTT - Talk Python\n")
        .replace("NOTE Matt Makai wrote this note", "NOTE another note")
        .replace("intro\n", "")
        .replace('\n', "\r\n");
    fs::write(d.join("a.vtt"), changed).unwrap();
    let run = diff_in(d, &[]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(diff_in(d, &["--json"]).stdout, "[]\n");
}

#[test]
fn a_crlf_checkout_compares_with_the_bytes_git_would_write() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, ".gitattributes", b"*.vtt text eol=crlf\n");
    write(d, "a.vtt", VTT.as_bytes());
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "first"]);
    // a fresh checkout writes CRLF
    fs::remove_file(d.join("a.vtt")).unwrap();
    git(d, &["checkout", "--", "a.vtt"]);
    assert!(
        fs::read_to_string(d.join("a.vtt"))
            .unwrap()
            .contains("\r\n")
    );
    assert_eq!(diff_in(d, &[]).stdout, "");
    edit(d, "a.vtt", "Welcome, Matt Makai.", "Welcome, Matt Makai!");
    let v = json(&diff_in(d, &["--json"]));
    assert_eq!(v[0]["changes"].as_array().unwrap().len(), 1);
    assert_eq!(
        v[0]["changes"][0]["after"],
        "Welcome, Matt Makai!\nThis is Talk Python."
    );
    let run = diff_in(d, &[]);
    assert_eq!(
        run.stdout,
        "a.vtt\na.vtt:6: 00:00:01.000 Welcome, Matt [-Makai.-]{+Makai!+}\\nThis is Talk Python.\n"
    );
}

#[test]
fn added_deleted_untracked_and_skipped_files() {
    let dir = repo(&[("keep.vtt", VTT), ("gone.txt", TXT)]);
    let d = dir.path();
    let first = git(d, &["rev-parse", "HEAD"]).trim().to_string();
    write(d, "added.srt", SRT.as_bytes());
    git(d, &["add", "added.srt"]);
    git(d, &["commit", "-q", "-m", "second"]);
    fs::remove_file(d.join("gone.txt")).unwrap();
    write(d, "untracked.vtt", VTT.as_bytes());
    write(d, ".hidden/h.vtt", VTT.as_bytes());
    write(d, "node_modules/n.vtt", VTT.as_bytes());
    git(d, &["add", "-f", ".hidden/h.vtt", "node_modules/n.vtt"]);
    git(d, &["commit", "-q", "-m", "third"]);
    edit(d, ".hidden/h.vtt", "rough", "ruff");
    edit(d, "node_modules/n.vtt", "rough", "ruff");
    let v = json(&diff_in(d, &["--json", "--against", &first]));
    let files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["added.srt", "gone.txt"]);
    assert!(
        v[0]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["kind"] == "inserted")
    );
    let gone = v[1]["changes"].as_array().unwrap();
    assert_eq!(gone.len(), 2);
    assert!(
        gone.iter()
            .all(|c| c["kind"] == "deleted" && c["after"].is_null())
    );
    let run = diff_in(d, &["--against", &first, "gone.txt"]);
    assert_eq!(
        run.stdout,
        "gone.txt\n\
         gone.txt:1: 00:00:00.000 [-Welcome to Talk Python, with Matt Makai.-]\n\
         gone.txt:3: 00:00:02.000 [-Matt Makai works on Full Stack Python.-]\n"
    );
    // a hidden folder is compared only when named, as `check` walks
    let run = diff_in(d, &[".hidden"]);
    assert_eq!(
        run.stdout,
        ".hidden/h.vtt\n.hidden/h.vtt:10: 00:00:04.000 uv tool install [-rough-]{+ruff+}\n"
    );
}

#[test]
fn paths_are_relative_to_the_current_folder() {
    let dir = repo(&[("ep/talk.vtt", VTT), ("ep/sub/x.vtt", VTT)]);
    let d = dir.path();
    edit(d, "ep/talk.vtt", "rough", "ruff");
    edit(d, "ep/sub/x.vtt", "rough", "ruff");
    let v = json(&diff_in(&d.join("ep/sub"), &["--json", ".."]));
    let files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["../talk.vtt", "x.vtt"]);
    let v = json(&diff_in(&d.join("ep/sub"), &["--json"]));
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn refusals_exit_2_with_a_clear_message() {
    let outside = tempfile::tempdir().unwrap();
    let run = diff_in(outside.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not inside a git work tree"),
        "{}",
        run.stderr
    );

    let empty = tempfile::tempdir().unwrap();
    git(empty.path(), &["init", "-q"]);
    let run = diff_in(empty.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no commit to compare with"),
        "{}",
        run.stderr
    );

    let bare = tempfile::tempdir().unwrap();
    git(bare.path(), &["init", "-q", "--bare"]);
    let run = diff_in(bare.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bare repository"), "{}", run.stderr);

    let dir = repo(&[("a.vtt", VTT)]);
    let run = diff_in(dir.path(), &["--against", "no-such-rev"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no-such-rev: not a commit"),
        "{}",
        run.stderr
    );

    let run = diff_in(dir.path(), &[outside.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("outside the work tree"),
        "{}",
        run.stderr
    );

    // a repository owned by someone else: git's own switch for it, so this runs as root
    // and as a user
    let run = diff_env(dir.path(), &[], &[("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("git refused") && run.stderr.contains("dubious ownership"),
        "{}",
        run.stderr
    );

    // no git on PATH
    let no_git = tempfile::tempdir().unwrap();
    let run = diff_env(
        dir.path(),
        &[],
        &[("PATH", no_git.path().to_str().unwrap())],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("git is not installed"),
        "{}",
        run.stderr
    );
}

#[test]
fn compares_two_files_outside_git_and_works_as_a_difftool() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "old.vtt", VTT.as_bytes());
    write(d, "new.vtt", VTT.replace("rough", "ruff").as_bytes());
    write(d, "new.txt", TXT.as_bytes());
    let run = diff_in(d, &["--files", "old.vtt", "new.vtt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "new.vtt\nnew.vtt:10: 00:00:04.000 uv tool install [-rough-]{+ruff+}\n"
    );
    let run = diff_in(d, &["--files", "old.vtt", "new.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("different formats"), "{}", run.stderr);
    assert_eq!(diff_in(d, &["--files", "old.vtt", "old.vtt"]).stdout, "");

    // git difftool -y -x 'cueline diff --files'
    let repo = repo(&[("a.vtt", VTT)]);
    edit(repo.path(), "a.vtt", "rough", "ruff");
    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("git")
        .args(["difftool", "-y", "-x", "cueline diff --files"])
        .current_dir(repo.path())
        .env("PATH", path)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(":10: 00:00:04.000 uv tool install [-rough-]{+ruff+}"),
        "{stdout}"
    );
}
