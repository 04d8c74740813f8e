//! The system `git`, asked through its plumbing: which files changed since a commit, the
//! bytes a checkout of a commit would write, the work tree's status, and a commit of chosen
//! files.
//!
//! Why these commands: `diff --name-status --no-renames -z` tells which files to compare, so
//! unchanged files are never read; `cat-file --batch` gives a commit's bytes for them,
//! all files in one process, and `cat-file --filters` the bytes a checkout would write (CRLF
//! and `eol` attributes hold);
//! `status --porcelain=v2 -z` and NUL-separated output never depend on quoting or locale;
//! `commit --only -F - -- PATHS` commits exactly the chosen files, runs the user's hooks and
//! signing, and leaves whatever else is staged alone.

use std::ffi::OsStr;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum GitError {
    #[error("git is not installed (no `git` on PATH)")]
    Missing,
    #[error("{}: not inside a git work tree", .0.display())]
    NotWorkTree(PathBuf),
    #[error("{}: a bare repository has no work tree", .0.display())]
    Bare(PathBuf),
    /// git refused to work here, for example a repository owned by someone else ("dubious
    /// ownership"): its own message.
    #[error("git refused: {0}")]
    Refused(String),
    #[error("{0}: not a commit")]
    NotACommit(String),
    #[error("no commit to compare with: the repository has no commit yet")]
    NoCommit,
    #[error("{}: outside the work tree {}", .path.display(), .root.display())]
    Outside { path: PathBuf, root: PathBuf },
    #[error("{}: cannot read: {source}", .path.display())]
    Path { path: PathBuf, source: io::Error },
    #[error("cannot run git {args}: {source}")]
    Spawn { args: String, source: io::Error },
    #[error("git {args} failed: {message}")]
    Failed { args: String, message: String },
    /// `git commit` ended without a commit (a hook refused it, nothing to commit, ...): what
    /// git and the hook printed.
    #[error("the commit was not made:\n{0}")]
    CommitRefused(String),
    #[error("git printed something unexpected: {0}")]
    Parse(String),
}

/// One file `git diff --name-status` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameStatus {
    /// `A`dded, `D`eleted, `M`odified, `T`ype changed, `U`nmerged.
    pub status: char,
    /// `/`-separated, relative to the work tree's root.
    pub path: String,
}

/// One entry of `git status --porcelain=v2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    /// `/`-separated, relative to the work tree's root.
    pub path: String,
    /// The index differs from HEAD.
    pub staged: bool,
    /// The working file differs from the index.
    pub modified: bool,
    pub untracked: bool,
    pub unmerged: bool,
}

/// A work tree, found from a folder inside it.
#[derive(Debug, Clone)]
pub struct Repo {
    root: PathBuf,
}

/// Runs `git` with `args` in `dir`; `stdin` is written from a thread so a long answer never
/// blocks a long question.
fn git_in(dir: &Path, args: &[&OsStr], stdin: Option<Vec<u8>>) -> Result<Output, GitError> {
    let shown = || {
        args.iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(args)
        // paths are paths, never globs; status never takes the index lock from the user
        .env("GIT_LITERAL_PATHSPECS", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => GitError::Missing,
        _ => GitError::Spawn {
            args: shown(),
            source,
        },
    })?;
    let writer = match (stdin, child.stdin.take()) {
        (Some(bytes), Some(mut pipe)) => Some(std::thread::spawn(move || {
            // git may stop reading early (a refused commit): its answer says why
            let _ = pipe.write_all(&bytes);
        })),
        _ => None,
    };
    let out = child.wait_with_output().map_err(|source| GitError::Spawn {
        args: shown(),
        source,
    })?;
    if let Some(w) = writer {
        let _ = w.join();
    }
    Ok(out)
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

fn failed(args: &[&OsStr], out: &Output) -> GitError {
    GitError::Failed {
        args: args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        message: stderr_of(out),
    }
}

fn os(args: &[&'static str]) -> Vec<&'static OsStr> {
    args.iter().map(|a| OsStr::new(*a)).collect()
}

impl Repo {
    /// The work tree holding `dir` (a folder). A bare repository, a folder outside any
    /// repository and a missing `git` are errors of their own, so a caller can hide the git
    /// features for them; any other refusal (dubious ownership) carries git's message.
    pub fn discover(dir: &Path) -> Result<Repo, GitError> {
        let args = os(&["rev-parse", "--is-bare-repository", "--show-toplevel"]);
        let out = git_in(dir, &args, None)?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let mut lines = text.lines();
        let bare = lines.next() == Some("true");
        if bare {
            return Err(GitError::Bare(dir.to_path_buf()));
        }
        if !out.status.success() {
            let message = stderr_of(&out);
            if message.contains("not a git repository") {
                return Err(GitError::NotWorkTree(dir.to_path_buf()));
            }
            if message.contains("must be run in a work tree") {
                return Err(GitError::Bare(dir.to_path_buf()));
            }
            return Err(GitError::Refused(message));
        }
        let root = lines
            .next()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| GitError::NotWorkTree(dir.to_path_buf()))?;
        let root = std::fs::canonicalize(root).map_err(|source| GitError::Path {
            path: PathBuf::from(root),
            source,
        })?;
        Ok(Repo { root })
    }

    /// The work tree's root, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn git(&self, args: &[&OsStr], stdin: Option<Vec<u8>>) -> Result<Output, GitError> {
        git_in(&self.root, args, stdin)
    }

    /// The commit id `HEAD` names, `None` before the first commit.
    pub fn head(&self) -> Result<Option<String>, GitError> {
        let args = os(&["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
        let out = self.git(&args, None)?;
        if out.status.success() {
            Ok(Some(
                String::from_utf8_lossy(&out.stdout).trim().to_string(),
            ))
        } else {
            Ok(None)
        }
    }

    /// The commit id `rev` names; `HEAD` of an empty repository is [`GitError::NoCommit`].
    pub fn resolve_commit(&self, rev: &str) -> Result<String, GitError> {
        if rev.starts_with('-') {
            return Err(GitError::NotACommit(rev.to_string()));
        }
        let spec = format!("{rev}^{{commit}}");
        let args: Vec<&OsStr> = vec![
            OsStr::new("rev-parse"),
            OsStr::new("--verify"),
            OsStr::new("--quiet"),
            OsStr::new(&spec),
        ];
        let out = self.git(&args, None)?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        if rev == "HEAD" && self.head()?.is_none() {
            return Err(GitError::NoCommit);
        }
        Err(GitError::NotACommit(rev.to_string()))
    }

    /// `path` (which need not exist any more) relative to the root, `/`-separated; an error
    /// when it lies outside the work tree.
    pub fn relative(&self, path: &Path) -> Result<String, GitError> {
        let abs = absolute(path)?;
        let rel = abs
            .strip_prefix(&self.root)
            .map_err(|_| GitError::Outside {
                path: path.to_path_buf(),
                root: self.root.clone(),
            })?;
        Ok(rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"))
    }

    /// The files `git diff --name-status --no-renames REV -- PATHS` reports (the working
    /// tree against `rev`), `PATHS` relative to the root (empty: the whole work tree).
    pub fn changed_files(&self, rev: &str, paths: &[String]) -> Result<Vec<NameStatus>, GitError> {
        let mut args: Vec<&OsStr> = os(&["diff", "--name-status", "--no-renames", "-z"]);
        args.push(OsStr::new(rev));
        args.push(OsStr::new("--"));
        let tops: Vec<String> = paths
            .iter()
            .map(|p| {
                if p.is_empty() {
                    ".".to_string()
                } else {
                    p.clone()
                }
            })
            .collect();
        args.extend(tops.iter().map(OsStr::new));
        let out = self.git(&args, None)?;
        if !out.status.success() {
            return Err(failed(&args, &out));
        }
        parse_name_status(&out.stdout)
    }

    /// The bytes `rev` stores for each of `paths` (relative to the root), all in one
    /// `git cat-file --batch`; `None` where `rev` has no such file. These are the committed
    /// bytes, before checkout filters: what the cue comparison needs, since line endings are
    /// never a cue change. (`--batch --filters` cannot be used here: git prints the stored
    /// size in its header but writes the filtered bytes, so a CRLF checkout cannot be split.)
    pub fn files_at(&self, rev: &str, paths: &[String]) -> Result<Vec<Option<Vec<u8>>>, GitError> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let mut input = Vec::new();
        for p in paths {
            input.extend_from_slice(rev.as_bytes());
            input.push(b':');
            input.extend_from_slice(p.as_bytes());
            input.push(0);
        }
        let args = os(&["cat-file", "--batch", "-z"]);
        let out = self.git(&args, Some(input))?;
        if !out.status.success() {
            return Err(failed(&args, &out));
        }
        parse_batch(&out.stdout, paths.len())
    }

    /// The bytes a checkout of `rev` would write for `path` (relative to the root): the
    /// checkout filters applied, so CRLF and `eol` attributes hold. `None` where `rev` has no
    /// such file. For putting a cue back as it was committed.
    pub fn checkout_bytes(&self, rev: &str, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let spec = format!("{rev}:{path}");
        let args: Vec<&OsStr> = vec![
            OsStr::new("cat-file"),
            OsStr::new("--filters"),
            OsStr::new(&spec),
        ];
        let out = self.git(&args, None)?;
        if out.status.success() {
            return Ok(Some(out.stdout));
        }
        // tell "no such file in rev" from a failure
        let check: Vec<&OsStr> = vec![OsStr::new("cat-file"), OsStr::new("-e"), OsStr::new(&spec)];
        if !self.git(&check, None)?.status.success() {
            return Ok(None);
        }
        Err(failed(&args, &out))
    }

    /// `git status --porcelain=v2 -z --no-renames`, untracked files listed one by one.
    pub fn status(&self) -> Result<Vec<StatusEntry>, GitError> {
        let args = os(&[
            "status",
            "--porcelain=v2",
            "-z",
            "--no-renames",
            "--untracked-files=all",
        ]);
        let out = self.git(&args, None)?;
        if !out.status.success() {
            return Err(failed(&args, &out));
        }
        parse_status(&out.stdout)
    }

    /// Why committing is not possible now (a merge, rebase, cherry-pick or revert in
    /// progress), if it is not.
    pub fn operation_in_progress(&self) -> Result<Option<&'static str>, GitError> {
        let checks: [(&str, &'static str); 5] = [
            ("MERGE_HEAD", "a merge is in progress"),
            ("rebase-merge", "a rebase is in progress"),
            ("rebase-apply", "a rebase is in progress"),
            ("CHERRY_PICK_HEAD", "a cherry-pick is in progress"),
            ("REVERT_HEAD", "a revert is in progress"),
        ];
        for (name, why) in checks {
            let args: Vec<&OsStr> = vec![
                OsStr::new("rev-parse"),
                OsStr::new("--path-format=absolute"),
                OsStr::new("--git-path"),
                OsStr::new(name),
            ];
            let out = self.git(&args, None)?;
            if !out.status.success() {
                return Err(failed(&args, &out));
            }
            let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if Path::new(&path).exists() {
                return Ok(Some(why));
            }
        }
        Ok(None)
    }

    /// `HEAD` points at a commit, not a branch.
    pub fn detached(&self) -> Result<bool, GitError> {
        let args = os(&["symbolic-ref", "--quiet", "HEAD"]);
        let out = self.git(&args, None)?;
        Ok(!out.status.success())
    }

    /// Commits exactly `paths` (relative to the root) with `message`: `git add` for the new
    /// (untracked) ones, which `--only` cannot name otherwise, then `git commit --only -F - --
    /// PATHS`, so files staged elsewhere stay staged and out of the commit. The user's hooks and
    /// signing apply; when they refuse, nothing is committed, the index is as it was (the new
    /// files are unstaged again) and their output is the error. Returns the new commit's id.
    pub fn commit_only(&self, message: &str, paths: &[String]) -> Result<String, GitError> {
        if let Some(why) = self.operation_in_progress()? {
            return Err(GitError::CommitRefused(format!("cannot commit now: {why}")));
        }
        let untracked: Vec<String> = self
            .status()?
            .into_iter()
            .filter(|e| e.untracked && paths.contains(&e.path))
            .map(|e| e.path)
            .collect();
        if !untracked.is_empty() {
            let mut add: Vec<&OsStr> = os(&["add", "--"]);
            add.extend(untracked.iter().map(OsStr::new));
            let out = self.git(&add, None)?;
            if !out.status.success() {
                return Err(failed(&add, &out));
            }
        }
        let mut args: Vec<&OsStr> = os(&["commit", "--only", "-F", "-", "--"]);
        args.extend(paths.iter().map(OsStr::new));
        let out = self.git(&args, Some(message.as_bytes().to_vec()))?;
        if !out.status.success() {
            let mut said = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let err = stderr_of(&out);
            if !err.is_empty() {
                if !said.is_empty() {
                    said.push('\n');
                }
                said.push_str(&err);
            }
            if !untracked.is_empty() {
                let mut unstage: Vec<&OsStr> = os(&["rm", "--cached", "-q", "--"]);
                unstage.extend(untracked.iter().map(OsStr::new));
                match self.git(&unstage, None) {
                    Ok(o) if o.status.success() => {}
                    Ok(o) => {
                        tracing::warn!(error = %stderr_of(&o), "cannot unstage the new files again")
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot unstage the new files again"),
                }
            }
            return Err(GitError::CommitRefused(said));
        }
        self.head()?
            .ok_or_else(|| GitError::Parse("no HEAD after a commit".into()))
    }
}

/// `path` made absolute and canonical; a path that no longer exists is resolved through its
/// nearest existing folder (a deleted file can still be compared).
fn absolute(path: &Path) -> Result<PathBuf, GitError> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Ok(p);
    }
    let mut tail = Vec::new();
    let mut at = path.to_path_buf();
    loop {
        let name = at.file_name().map(|n| n.to_os_string());
        let parent = at.parent().map(Path::to_path_buf);
        match (name, parent) {
            (Some(name), Some(parent)) => {
                tail.push(name);
                let parent = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent
                };
                if let Ok(mut p) = std::fs::canonicalize(&parent) {
                    for n in tail.iter().rev() {
                        p.push(n);
                    }
                    return Ok(p);
                }
                at = parent;
            }
            _ => {
                return Err(GitError::Path {
                    path: path.to_path_buf(),
                    source: io::Error::new(io::ErrorKind::NotFound, "no such file or folder"),
                });
            }
        }
    }
}

fn parse_name_status(out: &[u8]) -> Result<Vec<NameStatus>, GitError> {
    let mut fields = out.split(|&b| b == 0).filter(|f| !f.is_empty());
    let mut found = Vec::new();
    while let Some(status) = fields.next() {
        let letter = status
            .first()
            .map(|&b| char::from(b))
            .ok_or_else(|| GitError::Parse("an empty status".into()))?;
        let path = fields
            .next()
            .ok_or_else(|| GitError::Parse("a status without a path".into()))?;
        found.push(NameStatus {
            status: letter,
            path: String::from_utf8_lossy(path).into_owned(),
        });
    }
    Ok(found)
}

fn parse_batch(out: &[u8], count: usize) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    let mut files = Vec::with_capacity(count);
    let mut rest = out;
    for _ in 0..count {
        let nl = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| GitError::Parse("cat-file: a header without an end".into()))?;
        let header = String::from_utf8_lossy(&rest[..nl]).into_owned();
        rest = &rest[nl + 1..];
        if header.ends_with(" missing") || header.ends_with(" ambiguous") {
            files.push(None);
            continue;
        }
        let mut parts = header.split(' ');
        let (_oid, kind, size) = (parts.next(), parts.next(), parts.next());
        let size: usize = size
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| GitError::Parse(format!("cat-file: {header}")))?;
        let body = rest
            .get(..size)
            .ok_or_else(|| GitError::Parse("cat-file: a short object".into()))?;
        files.push((kind == Some("blob")).then(|| body.to_vec()));
        rest = rest.get(size + 1..).unwrap_or_default();
    }
    Ok(files)
}

fn parse_status(out: &[u8]) -> Result<Vec<StatusEntry>, GitError> {
    let mut entries = Vec::new();
    for record in out.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let text = String::from_utf8_lossy(record);
        let entry = match text.as_bytes().first() {
            // 1 XY sub mH mI mW hH hI path
            Some(b'1') => {
                let parts: Vec<&str> = text.splitn(9, ' ').collect();
                let (xy, path) = match (parts.get(1), parts.get(8)) {
                    (Some(xy), Some(path)) => (xy.as_bytes(), path),
                    _ => return Err(GitError::Parse(format!("status: {text}"))),
                };
                StatusEntry {
                    path: (*path).to_string(),
                    staged: xy.first() != Some(&b'.'),
                    modified: xy.get(1) != Some(&b'.'),
                    untracked: false,
                    unmerged: false,
                }
            }
            // u XY sub m1 m2 m3 mW h1 h2 h3 path
            Some(b'u') => {
                let parts: Vec<&str> = text.splitn(11, ' ').collect();
                let path = parts
                    .get(10)
                    .ok_or_else(|| GitError::Parse(format!("status: {text}")))?;
                StatusEntry {
                    path: (*path).to_string(),
                    staged: true,
                    modified: true,
                    untracked: false,
                    unmerged: true,
                }
            }
            Some(b'?') => StatusEntry {
                path: text.get(2..).unwrap_or_default().to_string(),
                staged: false,
                modified: false,
                untracked: true,
                unmerged: false,
            },
            _ => continue,
        };
        entries.push(entry);
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_status() {
        let got = parse_name_status(b"M\0a b.vtt\0D\0x/y.txt\0").unwrap_or_default();
        assert_eq!(
            got,
            vec![
                NameStatus {
                    status: 'M',
                    path: "a b.vtt".into()
                },
                NameStatus {
                    status: 'D',
                    path: "x/y.txt".into()
                }
            ]
        );
    }

    #[test]
    fn parses_batch_with_missing() {
        let out = b"abc blob 3\nhey\nHEAD:x missing\nabd blob 0\n\n";
        let got = parse_batch(out, 3).unwrap_or_default();
        assert_eq!(got, vec![Some(b"hey".to_vec()), None, Some(Vec::new())]);
    }

    #[test]
    fn parses_status() {
        let out = b"1 M. N... 100644 100644 100644 a a b.vtt\x001 .M N... 100644 100644 100644 a a c.txt\0? new file.vtt\0";
        let got = parse_status(out).unwrap_or_default();
        assert_eq!(got.len(), 3);
        assert!(got[0].staged && !got[0].modified && got[0].path == "b.vtt");
        assert!(!got[1].staged && got[1].modified);
        assert!(got[2].untracked && got[2].path == "new file.vtt");
    }
}
