//! The system `git` through `Repo`, in real repositories made by the tests: a commit of
//! chosen files while another is staged, a refusing hook, the first commit, operations in
//! progress, a detached HEAD, checkout bytes with `eol` attributes, and git's refusals.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::Command;

use cueline_git::{GitError, Repo};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// An empty repository with its own identity and no signing.
fn init() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["config", "user.name", "Test"]);
    git(d, &["config", "user.email", "test@example.com"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    dir
}

const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nMatt McKay here.\n";

fn committed(d: &Path, rev: &str) -> Vec<String> {
    git(d, &["show", "--name-only", "--format=", rev])
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_first_commit_then_only_the_chosen_files_while_another_is_staged() {
    let dir = init();
    let d = dir.path();
    fs::write(d.join("a.vtt"), VTT).unwrap();
    fs::write(d.join("a.txt"), "00:00:01 Matt McKay here.\n").unwrap();
    fs::write(d.join("b.vtt"), VTT).unwrap();
    let repo = Repo::discover(d).unwrap();
    assert_eq!(repo.head().unwrap(), None);
    assert!(matches!(
        repo.resolve_commit("HEAD"),
        Err(GitError::NoCommit)
    ));
    let first = repo
        .commit_only("First", &["a.vtt".into(), "a.txt".into(), "b.vtt".into()])
        .unwrap();
    assert_eq!(repo.head().unwrap().as_deref(), Some(first.as_str()));

    fs::write(d.join("a.vtt"), VTT.replace("McKay", "Makai")).unwrap();
    fs::write(d.join("a.txt"), "00:00:01 Matt Makai here.\n").unwrap();
    fs::write(d.join("b.vtt"), VTT.replace("here", "there")).unwrap();
    git(d, &["add", "b.vtt"]);
    let second = repo
        .commit_only(
            "Fix names in a: Matt Makai",
            &["a.vtt".into(), "a.txt".into()],
        )
        .unwrap();
    assert_ne!(first, second);
    assert_eq!(committed(d, "HEAD"), vec!["a.txt", "a.vtt"]);
    assert_eq!(
        git(d, &["log", "-1", "--format=%s"]).trim(),
        "Fix names in a: Matt Makai"
    );
    // b.vtt is still staged, and still out of HEAD
    let status = repo.status().unwrap();
    let b = status.iter().find(|e| e.path == "b.vtt").unwrap();
    assert!(b.staged && !b.modified);
    assert!(status.iter().all(|e| e.path != "a.vtt"));
}

#[test]
fn a_refusing_hook_commits_nothing_and_says_why() {
    let dir = init();
    let d = dir.path();
    fs::write(d.join("a.vtt"), VTT).unwrap();
    let repo = Repo::discover(d).unwrap();
    let first = repo.commit_only("First", &["a.vtt".into()]).unwrap();
    let hook = d.join(".git/hooks/pre-commit");
    fs::write(
        &hook,
        "#!/bin/sh\necho 'a.vtt:4: McKay is in the glossary: Makai' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::write(d.join("a.vtt"), VTT.replace("here", "there")).unwrap();
    let err = repo.commit_only("Second", &["a.vtt".into()]).unwrap_err();
    match err {
        GitError::CommitRefused(said) => {
            assert!(said.contains("McKay is in the glossary"), "{said}")
        }
        other => panic!("expected a refused commit, got {other:?}"),
    }
    assert_eq!(repo.head().unwrap().as_deref(), Some(first.as_str()));
    // the index is as it was: nothing staged, the new file untracked again
    fs::write(d.join("b.txt"), "00:00:01 New\n").unwrap();
    let err = repo
        .commit_only("Third", &["a.vtt".into(), "b.txt".into()])
        .unwrap_err();
    assert!(matches!(err, GitError::CommitRefused(_)), "{err:?}");
    assert_eq!(git(d, &["diff", "--cached", "--name-only"]), "");
    assert_eq!(git(d, &["status", "--porcelain"]), " M a.vtt\n?? b.txt\n");
}

#[test]
fn operations_in_progress_and_a_detached_head() {
    let dir = init();
    let d = dir.path();
    fs::write(d.join("a.vtt"), VTT).unwrap();
    let repo = Repo::discover(d).unwrap();
    repo.commit_only("First", &["a.vtt".into()]).unwrap();
    assert_eq!(repo.operation_in_progress().unwrap(), None);
    assert!(!repo.detached().unwrap());

    // a real merge conflict
    git(d, &["checkout", "-q", "-b", "other"]);
    fs::write(d.join("a.vtt"), VTT.replace("McKay", "Makai")).unwrap();
    git(d, &["commit", "-qam", "other"]);
    git(d, &["checkout", "-q", "main"]);
    fs::write(d.join("a.vtt"), VTT.replace("McKay", "McKey")).unwrap();
    git(d, &["commit", "-qam", "main"]);
    let merged = Command::new("git")
        .args(["merge", "-q", "other"])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(!merged.status.success());
    assert_eq!(
        repo.operation_in_progress().unwrap(),
        Some("a merge is in progress")
    );
    let status = repo.status().unwrap();
    assert!(status.iter().any(|e| e.path == "a.vtt" && e.unmerged));
    let err = repo.commit_only("x", &["a.vtt".into()]).unwrap_err();
    assert!(err.to_string().contains("a merge is in progress"), "{err}");
    git(d, &["merge", "--abort"]);

    git(d, &["checkout", "-q", "--detach", "HEAD~1"]);
    assert!(repo.detached().unwrap());
}

#[test]
fn checkout_bytes_follow_eol_attributes() {
    let dir = init();
    let d = dir.path();
    fs::write(d.join(".gitattributes"), "*.vtt text eol=crlf\n").unwrap();
    fs::write(d.join("a.vtt"), VTT).unwrap();
    let repo = Repo::discover(d).unwrap();
    repo.commit_only("First", &[".gitattributes".into(), "a.vtt".into()])
        .unwrap();
    let stored = repo
        .files_at("HEAD", &["a.vtt".into(), "nope.vtt".into()])
        .unwrap();
    assert_eq!(stored, vec![Some(VTT.as_bytes().to_vec()), None]);
    let out = repo.checkout_bytes("HEAD", "a.vtt").unwrap().unwrap();
    assert_eq!(out, VTT.replace('\n', "\r\n").into_bytes());
    assert_eq!(repo.checkout_bytes("HEAD", "nope.vtt").unwrap(), None);
}

#[test]
fn no_repository_and_a_bare_one() {
    let plain = tempfile::tempdir().unwrap();
    assert!(matches!(
        Repo::discover(plain.path()),
        Err(GitError::NotWorkTree(_))
    ));
    let bare = tempfile::tempdir().unwrap();
    git(bare.path(), &["init", "-q", "--bare"]);
    assert!(matches!(
        Repo::discover(bare.path()),
        Err(GitError::Bare(_))
    ));
}

#[test]
fn head_version_follows_edits_and_new_commits() {
    use cueline_git::{ChangeKind, HeadVersion};
    use cueline_transcript::{Document, Format};
    let dir = init();
    let d = dir.path();
    let path = d.join("a.vtt");
    fs::write(&path, VTT).unwrap();
    // no commit yet: nothing is in HEAD, every cue counts as inserted
    let mut head = HeadVersion::load(&path, Format::Vtt).unwrap();
    assert!(!head.has_commit() && !head.in_head());
    let doc = Document::parse(VTT.as_bytes(), Format::Vtt);
    assert_eq!(head.changes(&doc)[0].kind, ChangeKind::Inserted);

    let repo = Repo::discover(d).unwrap();
    repo.commit_only("First", &["a.vtt".into()]).unwrap();
    assert!(head.refresh().unwrap());
    assert!(head.in_head() && head.changes(&doc).is_empty());
    assert!(!head.refresh().unwrap(), "HEAD did not move");

    let edited = Document::parse(VTT.replace("McKay", "Makai").as_bytes(), Format::Vtt);
    let changes = head.changes(&edited);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].kind, ChangeKind::Text);
    assert_eq!(head.cues()[0].text, "Matt McKay here.");
    assert_eq!(head.relative_path(), "a.vtt");
}

#[test]
fn worktree_changes_count_cues_and_say_staged() {
    let dir = init();
    let d = dir.path();
    let txt = "00:00:01 Matt McKay here.\n00:00:05 Yes.\n";
    fs::write(d.join("a.vtt"), VTT).unwrap();
    fs::write(d.join("a.txt"), txt).unwrap();
    fs::write(d.join("notes.md"), "hi\n").unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "first"]);
    fs::write(d.join("a.vtt"), VTT.replace("McKay", "Makai")).unwrap();
    fs::write(
        d.join("a.txt"),
        txt.replace("McKay", "Makai")
            .replace("00:00:05", "00:00:06"),
    )
    .unwrap();
    git(d, &["add", "a.txt"]);
    fs::write(d.join("notes.md"), "hi there\n").unwrap();
    fs::write(d.join("b.srt"), "1\n00:00:01,000 --> 00:00:02,000\nNew\n").unwrap();
    let repo = Repo::discover(d).unwrap();
    let got: Vec<(String, bool, bool, usize)> = cueline_git::worktree_changes(&repo)
        .unwrap()
        .iter()
        .map(|f| (f.path.clone(), f.staged, f.untracked, f.changed_cues()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a.txt".to_string(), true, false, 2),
            ("a.vtt".to_string(), false, false, 1),
            ("b.srt".to_string(), false, true, 1),
            ("notes.md".to_string(), false, false, 0),
        ]
    );
}
