//! `cueline` with no command or with only paths execs `cueline-desktop` (beside its own
//! executable first, then on PATH) with the same arguments. A fake `cueline-desktop` script
//! records the arguments it gets; the real binary is linked or copied next to it.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// Writing a script while another thread forks can leave the script open for writing in the
/// fork, and executing it then fails with "text file busy": writes and runs take turns.
static FORK_LOCK: Mutex<()> = Mutex::new(());

/// A fake desktop app that writes its arguments, one per line, to `$ARGV_FILE`, prefixed by
/// `tag`, and exits with status 7.
fn fake_desktop(dir: &Path, tag: &str) {
    let _guard = FORK_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    fs::create_dir_all(dir).unwrap();
    let path = dir.join("cueline-desktop");
    fs::write(
        &path,
        format!(
            "#!/bin/sh\nprintf '%s\\n' '{tag}' > \"$ARGV_FILE\"\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> \"$ARGV_FILE\"; done\nexit 7\n"
        ),
    )
    .unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// The `cueline` binary, placed alone in `dir`.
fn cueline_in(dir: &Path) -> PathBuf {
    let _guard = FORK_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    fs::create_dir_all(dir).unwrap();
    let exe = dir.join("cueline");
    if fs::hard_link(common::bin(), &exe).is_err() {
        fs::copy(common::bin(), &exe).unwrap();
    }
    exe
}

struct Launch {
    code: i32,
    stderr: String,
    /// What the fake app recorded: its tag, then its arguments; `None` if it never ran.
    argv: Option<Vec<String>>,
}

fn launch(exe: &Path, args: &[&str], path_env: &str, root: &Path) -> Launch {
    let argv_file = root.join("argv.txt");
    let _ = fs::remove_file(&argv_file);
    let out = {
        let _guard = FORK_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        Command::new(exe)
            .args(args)
            .current_dir(root)
            .env("PATH", path_env)
            .env("ARGV_FILE", &argv_file)
            .env_remove("CUELINE_LOG")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    Launch {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8(out.stderr).unwrap(),
        argv: fs::read_to_string(&argv_file)
            .ok()
            .map(|s| s.lines().map(str::to_owned).collect()),
    }
}

fn system_path() -> String {
    "/usr/bin:/bin".to_owned()
}

#[test]
fn paths_are_passed_to_the_app_beside_the_executable() {
    let root = tempfile::tempdir().unwrap();
    let bin = root.path().join("bin");
    let exe = cueline_in(&bin);
    fake_desktop(&bin, "beside");
    let run = launch(
        &exe,
        &["talk.vtt", "a folder/", "--odd", "check"],
        &system_path(),
        root.path(),
    );
    assert_eq!(
        run.code, 7,
        "the app's exit status is cueline's: {}",
        run.stderr
    );
    assert_eq!(
        run.argv.unwrap(),
        ["beside", "talk.vtt", "a folder/", "--odd", "check"]
    );
}

#[test]
fn no_arguments_open_the_app_without_arguments() {
    let root = tempfile::tempdir().unwrap();
    let bin = root.path().join("bin");
    let exe = cueline_in(&bin);
    fake_desktop(&bin, "beside");
    let run = launch(&exe, &[], &system_path(), root.path());
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert_eq!(run.argv.unwrap(), ["beside"]);
}

#[test]
fn a_double_dash_sends_everything_to_the_app() {
    let root = tempfile::tempdir().unwrap();
    let bin = root.path().join("bin");
    let exe = cueline_in(&bin);
    fake_desktop(&bin, "beside");
    let run = launch(&exe, &["--", "-dash.vtt"], &system_path(), root.path());
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert_eq!(run.argv.unwrap(), ["beside", "--", "-dash.vtt"]);
}

#[test]
fn the_app_is_found_on_path_when_not_beside_and_beside_wins() {
    let root = tempfile::tempdir().unwrap();
    let exe = cueline_in(&root.path().join("bin"));
    let on_path = root.path().join("path dir");
    fake_desktop(&on_path, "on-path");
    let path_env = format!("{}:{}", on_path.display(), system_path());
    let run = launch(&exe, &["x.srt"], &path_env, root.path());
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert_eq!(run.argv.unwrap(), ["on-path", "x.srt"]);

    fake_desktop(&root.path().join("bin"), "beside");
    let run = launch(&exe, &["x.srt"], &path_env, root.path());
    assert_eq!(run.argv.unwrap(), ["beside", "x.srt"]);
}

#[test]
fn a_missing_app_is_a_clear_error_with_exit_2() {
    let root = tempfile::tempdir().unwrap();
    let exe = cueline_in(&root.path().join("bin"));
    let empty = root.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let run = launch(&exe, &["talk.vtt"], empty.to_str().unwrap(), root.path());
    assert_eq!(run.code, 2);
    assert!(run.argv.is_none());
    assert!(
        run.stderr.starts_with(
            "cueline: cannot open the desktop app: `cueline-desktop` was found neither in "
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nor on PATH"), "{}", run.stderr);
}

#[test]
fn commands_and_flags_never_start_the_app() {
    let root = tempfile::tempdir().unwrap();
    let bin = root.path().join("bin");
    let exe = cueline_in(&bin);
    fake_desktop(&bin, "beside");
    fs::write(root.path().join("a.vtt"), common::VTT).unwrap();
    for args in [
        &["check", "a.vtt"][..],
        &["--help"][..],
        &["-V"][..],
        &["help"][..],
        &["--chek"][..],
    ] {
        let run = launch(&exe, args, &system_path(), root.path());
        assert!(run.argv.is_none(), "{args:?} started the app");
        assert_ne!(run.code, 7, "{args:?}");
    }
}
