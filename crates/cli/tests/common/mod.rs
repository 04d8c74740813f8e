//! Helpers shared by the command-line tests: run the real `cueline` binary on real files in
//! temporary folders, and snapshot folders to prove that a failed command changed nothing.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A small WebVTT file: header, a note, an identified cue, multi-line text, CRLF nowhere.
pub const VTT: &str = "WEBVTT

NOTE Matt Makai wrote this note

intro
00:00:01.000 --> 00:00:04.000
Welcome, Matt Makai.
This is Talk Python.

00:00:04.000 --> 00:00:07.500 align:start
uv tool install rough

00:00:07.500 --> 00:00:09.000
Matt Makaiville is a place, Matt Makai is a person.
";

/// A small SRT file.
pub const SRT: &str = "1
00:00:01,000 --> 00:00:02,000
Hello there.

2
00:00:02,000 --> 00:00:04,000
Second subtitle,
two lines.
";

/// A small Talk Python TXT file.
pub const TXT: &str = "00:00:00 Welcome to Talk Python, with Matt Makai.

00:00:02 Matt Makai works on Full Stack Python.

";

/// A WebVTT file with warnings (zero-length, overlap) and an error (an unparseable block).
pub const ODD_VTT: &str = "WEBVTT

00:00:01.000 --> 00:00:01.000
Zero length.

00:00:02.000 --> 00:00:05.000
Long cue.

00:00:04.000 --> 00:00:06.000
Overlaps the previous one.

this block has no timing line

00:00:07.000 --> 00:00:08.000
After the broken block.
";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the whole run when the exit code is not `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

pub fn bin() -> PathBuf {
    // in a test re-run as another user (atomic::testing::rerun), the copy passed to it
    std::env::var_os("CUELINE_TEST_RERUN_0")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_cueline")))
}

/// Runs `cueline ARGS` in `dir`.
pub fn cueline(dir: &Path, args: &[&str]) -> Run {
    run_with(bin(), dir, args, None)
}

/// Runs `cueline ARGS` in `dir` with `stdin` as standard input.
pub fn cueline_stdin(dir: &Path, args: &[&str], stdin: &str) -> Run {
    run_with(bin(), dir, args, Some(stdin))
}

pub fn run_with(program: PathBuf, dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .env_remove("CUELINE_LOG")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A temporary folder holding `files` (relative path, contents).
pub fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write(dir.path(), name, text.as_bytes());
    }
    dir
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

pub fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

/// Every file under `dir` (symbolic links not followed) with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

/// The lines that differ between `before` and `after`, which must have as many lines:
/// `(line number, old, new)`.
pub fn changed_lines(before: &str, after: &str) -> Vec<(usize, String, String)> {
    let (b, a): (Vec<&str>, Vec<&str>) = (
        before.split_inclusive('\n').collect(),
        after.split_inclusive('\n').collect(),
    );
    assert_eq!(b.len(), a.len(), "line count changed");
    b.iter()
        .zip(&a)
        .enumerate()
        .filter(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| (i + 1, (*x).to_owned(), (*y).to_owned()))
        .collect()
}

/// Makes `dir` impossible to create files in, even for root (via the immutable attribute),
/// and returns a guard that undoes it; `None` when this system cannot.
pub fn lock_folder(dir: &Path) -> Option<FolderLock> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).ok()?;
        let probe = dir.join(".probe");
        if fs::write(&probe, b"").is_err() {
            return Some(FolderLock {
                dir: dir.to_path_buf(),
                immutable: false,
            });
        }
        fs::remove_file(&probe).ok()?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).ok()?;
        // privileged: permissions do not stop us, the immutable attribute does
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok && fs::write(&probe, b"").is_err() {
            return Some(FolderLock {
                dir: dir.to_path_buf(),
                immutable: true,
            });
        }
        None
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

pub struct FolderLock {
    dir: PathBuf,
    immutable: bool,
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).status();
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o755));
        }
    }
}

/// The corpus of real transcripts beside the repository, if present.
pub fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if root.join("transcripts").is_dir() {
        Some(root)
    } else {
        eprintln!("skipping: corpus not found at {}", root.display());
        None
    }
}
