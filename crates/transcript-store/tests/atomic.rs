//! Atomic writes on a real file system: contents, permissions, symbolic links, and batches
//! that fail half-way without touching any file.

// helpers outside #[test] functions are test code too
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use cueline_transcript_store::{StagedWrites, WriteError, write_all_atomic, write_atomic};

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn creates_a_new_file_with_the_usual_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.vtt");
    write_atomic(&path, b"WEBVTT\n").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"WEBVTT\n");
    assert_eq!(names(dir.path()), ["new.vtt"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let reference = dir.path().join("reference");
        fs::File::create(&reference).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(
            mode(&path),
            mode(&reference),
            "a new file gets 0o666 less the umask"
        );
    }
}

#[test]
fn replaces_contents_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.vtt");
    fs::write(&path, b"old contents that are longer").unwrap();
    write_atomic(&path, b"new").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new");
    assert_eq!(names(dir.path()), ["a.vtt"]);
}

#[test]
fn a_file_name_near_the_length_limit_can_be_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}.vtt", "é".repeat(124)); // 252 bytes: no room for a suffix
    let path = dir.path().join(&name);
    fs::write(&path, b"old").unwrap();
    write_atomic(&path, b"new").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"new");
    assert_eq!(names(dir.path()), [name]);
}

#[test]
fn a_relative_bare_file_name_works() {
    // `parent()` of a bare name is empty: the temporary file must go to `.`
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "bare_name_helper", "--ignored", "--quiet"])
        .current_dir(dir.path())
        .env("ATOMIC_BARE_NAME_HELPER", "1")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(fs::read(dir.path().join("bare.vtt")).unwrap(), b"bare");
}

#[test]
#[ignore = "run by a_relative_bare_file_name_works in its own working directory"]
fn bare_name_helper() {
    if std::env::var_os("ATOMIC_BARE_NAME_HELPER").is_some() {
        write_atomic("bare.vtt", b"bare").unwrap();
    }
}

#[cfg(unix)]
#[test]
fn keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.srt");
    fs::write(&path, b"1\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    write_atomic(&path, b"2\n").unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
        0o640
    );
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    write_atomic(&path, b"3\n").unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
        0o755
    );
    assert_eq!(fs::read(&path).unwrap(), b"3\n");
}

#[cfg(unix)]
#[test]
fn a_symlink_stays_a_link_and_its_target_is_replaced() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.vtt");
    let link = dir.path().join("link.vtt");
    fs::write(&real, b"old").unwrap();
    symlink("real.vtt", &link).unwrap();
    write_atomic(&link, b"new").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_link(&link).unwrap(), PathBuf::from("real.vtt"));
    assert_eq!(fs::read(&real).unwrap(), b"new");
    assert_eq!(names(dir.path()), ["link.vtt", "real.vtt"]);
}

#[cfg(unix)]
#[test]
fn a_chain_of_relative_links_across_directories_is_followed() {
    use std::os::unix::fs::symlink;
    let root = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        root.path().join("a"),
        root.path().join("b"),
        root.path().join("c"),
    );
    for d in [&a, &b, &c] {
        fs::create_dir(d).unwrap();
    }
    fs::write(c.join("real.txt"), b"old").unwrap();
    symlink("../c/real.txt", b.join("mid.txt")).unwrap();
    symlink("../b/mid.txt", a.join("first.txt")).unwrap();
    write_atomic(a.join("first.txt"), b"new").unwrap();
    assert_eq!(fs::read(c.join("real.txt")).unwrap(), b"new");
    assert!(
        fs::symlink_metadata(a.join("first.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata(b.join("mid.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(names(&c), ["real.txt"]);
}

#[cfg(unix)]
#[test]
fn a_dangling_link_creates_its_target() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link.vtt");
    symlink("made.vtt", &link).unwrap();
    write_atomic(&link, b"made").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(dir.path().join("made.vtt")).unwrap(), b"made");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    symlink("b", dir.path().join("a")).unwrap();
    symlink("a", dir.path().join("b")).unwrap();
    let err = write_atomic(dir.path().join("a"), b"x").unwrap_err();
    assert!(matches!(err, WriteError::SymlinkLoop { .. }), "{err}");
    assert_eq!(names(dir.path()), ["a", "b"]);
}

#[test]
fn a_directory_target_is_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("sub.vtt");
    fs::create_dir(&target).unwrap();
    let err = write_atomic(&target, b"x").unwrap_err();
    assert!(matches!(err, WriteError::IsADirectory { .. }));
    assert_eq!(err.path(), Some(target.as_path()));
    assert!(err.to_string().contains("sub.vtt"), "{err}");
    assert_eq!(names(dir.path()), ["sub.vtt"]);
}

#[test]
fn a_missing_parent_directory_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("missing").join("a.vtt");
    let err = write_atomic(&target, b"x").unwrap_err();
    assert!(matches!(err, WriteError::CreateTemp { .. }), "{err}");
    assert!(err.to_string().contains("a.vtt"), "{err}");
}

/// Three files, the middle one impossible: nothing changes and no temporary file is left.
fn assert_batch_fails_cleanly(make_bad: impl Fn(&Path) -> PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.vtt");
    let c = dir.path().join("c.vtt");
    fs::write(&a, b"a old").unwrap();
    fs::write(&c, b"c old").unwrap();
    let bad = make_bad(dir.path());
    let before = names(dir.path());
    let err = write_all_atomic([(&a, b"a new"), (&bad, b"b new"), (&c, b"c new")]).unwrap_err();
    assert_eq!(err.path(), Some(bad.as_path()), "{err}");
    assert_eq!(fs::read(&a).unwrap(), b"a old");
    assert_eq!(fs::read(&c).unwrap(), b"c old");
    assert_eq!(
        names(dir.path()),
        before,
        "temporary files were left behind"
    );
}

#[test]
fn a_failing_batch_changes_nothing_when_a_target_is_a_directory() {
    assert_batch_fails_cleanly(|dir| {
        let bad = dir.join("b.vtt");
        fs::create_dir(&bad).unwrap();
        bad
    });
}

/// The owner write bit decides, so this holds for root as for anyone (root may rename over any
/// file, which is exactly how a read-only file used to be replaced silently).
#[test]
fn a_read_only_file_is_refused_and_its_batch_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    for mode in [0o444, 0o400, 0o044] {
        assert_batch_fails_cleanly(|dir| {
            let bad = dir.join("b.vtt");
            fs::write(&bad, b"b old").unwrap();
            fs::set_permissions(&bad, fs::Permissions::from_mode(mode)).unwrap();
            bad
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro.vtt");
    fs::write(&ro, b"old").unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
    let err = write_atomic(&ro, b"new").unwrap_err();
    assert!(matches!(err, WriteError::ReadOnly { .. }), "{err:?}");
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(fs::read(&ro).unwrap(), b"old");
    assert_eq!(
        fs::metadata(&ro).unwrap().permissions().mode() & 0o777,
        0o444
    );
    // a link to a read-only file: its target decides
    let link = dir.path().join("link.vtt");
    std::os::unix::fs::symlink(&ro, &link).unwrap();
    assert!(matches!(
        write_atomic(&link, b"new").unwrap_err(),
        WriteError::ReadOnly { .. }
    ));
    // writable for the owner only is fine
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o600)).unwrap();
    write_atomic(&ro, b"new").unwrap();
    assert_eq!(fs::read(&ro).unwrap(), b"new");
}

#[test]
fn a_failing_batch_changes_nothing_when_a_parent_is_missing() {
    assert_batch_fails_cleanly(|dir| dir.join("nowhere").join("b.vtt"));
}

#[cfg(unix)]
#[test]
fn a_failing_batch_changes_nothing_when_a_directory_is_read_only() {
    use cueline_transcript_store::atomic::testing::{Rerun, rerun};
    use std::os::unix::fs::PermissionsExt;
    // root writes into a read-only folder: the test then runs as `nobody`
    if rerun(
        "a_failing_batch_changes_nothing_when_a_directory_is_read_only",
        Rerun::Unprivileged,
        &[],
    ) {
        return;
    }
    let probe = tempfile::tempdir().unwrap();
    let locked = probe.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    assert!(
        fs::write(locked.join("probe"), b"").is_err(),
        "this user writes into a read-only folder: the test cannot run"
    );
    assert_batch_fails_cleanly(|dir| {
        let sub = dir.join("ro");
        fs::create_dir(&sub).unwrap();
        let bad = sub.join("b.vtt");
        fs::write(&bad, b"b old").unwrap();
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o555)).unwrap();
        bad
    });
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_batch_replaces_every_file_on_commit_and_nothing_before() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    let a = dir.path().join("a.vtt");
    let b = sub.join("b.txt");
    fs::write(&a, b"a old").unwrap();
    fs::write(&b, b"b old").unwrap();
    let mut batch = StagedWrites::new();
    batch.stage(&a, b"a new").unwrap();
    batch.stage(&b, b"b new").unwrap();
    assert_eq!(batch.len(), 2);
    assert_eq!(
        fs::read(&a).unwrap(),
        b"a old",
        "staging must not touch the target"
    );
    assert_eq!(
        names(dir.path()).len(),
        3,
        "one temporary file beside a.vtt"
    );
    batch.commit().unwrap();
    assert_eq!(fs::read(&a).unwrap(), b"a new");
    assert_eq!(fs::read(&b).unwrap(), b"b new");
    assert_eq!(names(dir.path()), ["a.vtt", "sub"]);
    assert_eq!(names(&sub), ["b.txt"]);
}

#[test]
fn dropping_a_batch_removes_its_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.vtt");
    fs::write(&a, b"a old").unwrap();
    {
        let mut batch = StagedWrites::new();
        batch.stage(&a, b"a new").unwrap();
    }
    assert_eq!(fs::read(&a).unwrap(), b"a old");
    assert_eq!(names(dir.path()), ["a.vtt"]);
}

#[test]
fn a_batch_refuses_the_same_file_twice_and_cannot_be_committed_after_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.vtt");
    fs::write(&a, b"a old").unwrap();
    let mut batch = StagedWrites::new();
    batch.stage(&a, b"one").unwrap();
    let again = dir.path().join(".").join("a.vtt");
    let err = batch.stage(&again, b"two").unwrap_err();
    assert!(matches!(err, WriteError::Duplicate { .. }), "{err}");
    assert!(batch.is_empty());
    assert!(matches!(batch.commit(), Err(WriteError::Abandoned)));
    assert_eq!(fs::read(&a).unwrap(), b"a old");
    assert_eq!(names(dir.path()), ["a.vtt"]);
}

#[test]
fn many_files_are_staged_in_parallel_and_one_failure_still_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..40)
        .map(|i| dir.path().join(format!("f{i:02}.vtt")))
        .collect();
    for p in &paths {
        fs::write(p, b"old").unwrap();
    }
    let bad = dir.path().join("f20.vtt");
    fs::remove_file(&bad).unwrap();
    fs::create_dir(&bad).unwrap();
    let before = names(dir.path());
    let err = write_all_atomic(paths.iter().map(|p| (p, b"new".as_slice()))).unwrap_err();
    assert_eq!(err.path(), Some(bad.as_path()));
    assert_eq!(names(dir.path()), before);
    for p in paths.iter().filter(|p| **p != bad) {
        assert_eq!(fs::read(p).unwrap(), b"old");
    }
    fs::remove_dir(&bad).unwrap();
    let good: Vec<&PathBuf> = paths.iter().filter(|p| **p != bad).collect();
    write_all_atomic(good.iter().map(|p| (p, format!("new {}", p.display())))).unwrap();
    for p in good {
        assert_eq!(
            fs::read_to_string(p).unwrap(),
            format!("new {}", p.display())
        );
    }
    assert_eq!(names(dir.path()).len(), 39);
}
