//! Atomic writes: a file is either fully replaced or left exactly as it was.
//!
//! Why: a transcript editor that crashes, runs out of disk or is killed half-way through a
//! save must never leave a truncated file behind, and a repository-wide `replace` must never
//! leave half of its files changed. So every write goes to a temporary file in the target's
//! own directory (a rename is only atomic within one file system), is flushed to disk, gets
//! the target's permissions (and, where allowed, its owner), and then replaces the target by
//! a rename; finally the directory is flushed so that the rename itself survives a crash.
//!
//! A symbolic link is resolved first and the file it points to is replaced: the link stays a
//! link (renaming onto the link would silently turn it into a regular file).
//!
//! [`StagedWrites`] extends this to several files: every temporary file is written first, and
//! only when all of them exist does [`StagedWrites::commit`] rename them, one after the other.
//! If staging any file fails, every temporary file is removed and no target is touched.
//!
//! Known limits: a hard-linked target is replaced by a new inode (its other names keep the old
//! content), and extended attributes and ACLs are not copied.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;
use thiserror::Error;

use crate::intent::{Intent, IntentFile, Phase};

/// How many symbolic links are followed before giving up (Linux's own limit is 40).
const MAX_SYMLINKS: usize = 40;

/// At most this many bytes of the target's name go into its temporary file's name, so that
/// a target whose name is near the 255-byte limit still gets a temporary file.
const MAX_NAME_IN_TEMP: usize = 100;

/// At most this many temporary files are written and flushed at the same time.
const MAX_WRITER_THREADS: usize = 16;

/// Why a write failed. Every variant names the path the caller asked to write.
#[derive(Debug, Error)]
pub enum WriteError {
    #[error("{}: cannot follow the symbolic link: {source}", path.display())]
    Resolve { path: PathBuf, source: io::Error },
    #[error("{}: too many levels of symbolic links", path.display())]
    SymlinkLoop { path: PathBuf },
    #[error("{}: is a directory", path.display())]
    IsADirectory { path: PathBuf },
    #[error("{}: not a regular file", path.display())]
    NotARegularFile { path: PathBuf },
    /// The file's owner write bit is clear (mode 0444, `chmod a-w`). A rename needs only the
    /// folder's permission, so without this check a read-only file would be silently replaced;
    /// like editors that ask before writing one, Cueline refuses (as root too).
    #[error("{}: the file is read-only (make it writable, e.g. `chmod u+w`, to change it)", path.display())]
    ReadOnly { path: PathBuf },
    #[error("{}: cannot create a temporary file in {}: {source}", path.display(), dir.display())]
    CreateTemp {
        path: PathBuf,
        dir: PathBuf,
        source: io::Error,
    },
    #[error("{}: cannot write: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{}: cannot replace the file: {source}", path.display())]
    Rename {
        path: PathBuf,
        source: io::Error,
        /// Files of the same batch that had already been replaced when this one failed.
        replaced: Vec<PathBuf>,
    },
    #[error("{}: written twice in one batch", path.display())]
    Duplicate { path: PathBuf },
    #[error("a staged write failed earlier, so this batch can no longer be committed")]
    Abandoned,
    /// The intent record of a multi-file write could not be written (nothing was changed).
    #[error("cannot record the write in {}: {source}", dir.display())]
    Intent { dir: PathBuf, source: io::Error },
}

impl WriteError {
    /// The path the caller asked to write, if the error is about one file.
    pub fn path(&self) -> Option<&Path> {
        match self {
            WriteError::Resolve { path, .. }
            | WriteError::SymlinkLoop { path }
            | WriteError::IsADirectory { path }
            | WriteError::NotARegularFile { path }
            | WriteError::ReadOnly { path }
            | WriteError::CreateTemp { path, .. }
            | WriteError::Write { path, .. }
            | WriteError::Rename { path, .. }
            | WriteError::Duplicate { path } => Some(path),
            WriteError::Abandoned | WriteError::Intent { .. } => None,
        }
    }
}

/// Replaces the file at `path` with `bytes` atomically (see the module docs). A missing file
/// is created (its parent directory must exist); a symbolic link's target is replaced.
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> Result<(), WriteError> {
    let mut batch = StagedWrites::new();
    batch.stage(path, bytes)?;
    batch.commit()
}

/// Writes several files all-or-nothing as far as the file system allows: all temporary files
/// are written before the first rename, so any failure to write leaves every file untouched.
pub fn write_all_atomic<P, B>(files: impl IntoIterator<Item = (P, B)>) -> Result<(), WriteError>
where
    P: AsRef<Path>,
    B: AsRef<[u8]> + Send,
{
    let mut batch = StagedWrites::new();
    batch.stage_all(files)?;
    batch.commit()
}

/// One temporary file, written and flushed, waiting to replace its target.
#[derive(Debug)]
struct Staged {
    requested: PathBuf,
    target: PathBuf,
    temp: NamedTempFile,
}

/// A target that passed the checks and waits for its temporary file.
struct Prepared {
    requested: PathBuf,
    target: PathBuf,
    existing: Option<fs::Metadata>,
    /// The temporary file's exact path, when an intent record named it beforehand.
    temp: Option<PathBuf>,
}

impl Prepared {
    /// Creates the temporary file beside the target, gives it the target's permissions,
    /// writes `bytes` and flushes it to disk.
    fn write(self, bytes: &[u8]) -> Result<Staged, WriteError> {
        let path = self.requested.as_path();
        let dir = parent_dir(&self.target);
        let name = self
            .target
            .file_name()
            .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{}.", truncate(&name, MAX_NAME_IN_TEMP));
        let mut builder = tempfile::Builder::new();
        let fixed = self
            .temp
            .as_ref()
            .and_then(|t| t.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        match &fixed {
            // exactly the name the intent record holds (created new, never reused)
            Some(exact) => builder.prefix(exact).suffix("").rand_bytes(0),
            None => builder.prefix(&prefix).suffix(".tmp"),
        };
        if self.existing.is_none() {
            set_new_file_permissions(&mut builder);
        }
        let mut temp = testing::injected(path, testing::FailStep::CreateTemp)
            .map_or_else(|| builder.tempfile_in(&dir), Err)
            .map_err(|source| WriteError::CreateTemp {
                path: path.into(),
                dir: dir.clone(),
                source,
            })?;
        let write_err = |source| WriteError::Write {
            path: path.into(),
            source,
        };
        if let Some(meta) = &self.existing {
            temp.as_file()
                .set_permissions(meta.permissions())
                .map_err(write_err)?;
            keep_owner(temp.as_file(), meta);
        }
        if let Some(e) = testing::injected(path, testing::FailStep::Write) {
            return Err(write_err(e));
        }
        temp.write_all(bytes).map_err(write_err)?;
        if let Some(e) = testing::injected(path, testing::FailStep::Sync) {
            return Err(write_err(e));
        }
        temp.as_file().sync_all().map_err(write_err)?;
        tracing::debug!(path = %path.display(), temp = %temp.path().display(), "staged");
        Ok(Staged {
            requested: self.requested,
            target: self.target,
            temp,
        })
    }
}

/// Runs [`Prepared::write`] for every job on `threads` threads; results keep the jobs' order.
fn write_in_parallel<B: AsRef<[u8]> + Send>(
    jobs: Vec<(Prepared, B)>,
    threads: usize,
) -> Vec<Result<Staged, WriteError>> {
    let n = jobs.len();
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let mut results: Vec<(usize, Result<Staged, WriteError>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let next = match queue.lock() {
                            Ok(mut q) => q.next(),
                            Err(poisoned) => poisoned.into_inner().next(),
                        };
                        let Some((i, (prepared, bytes))) = next else {
                            break;
                        };
                        done.push((i, prepared.write(bytes.as_ref())));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    debug_assert_eq!(results.len(), n);
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// A batch of files to replace together: [`stage`](Self::stage) each, then
/// [`commit`](Self::commit). Dropping a batch without committing removes its temporary files
/// and leaves every target untouched.
#[derive(Debug, Default)]
pub struct StagedWrites {
    staged: Vec<Staged>,
    targets: HashSet<PathBuf>,
    abandoned: bool,
    /// Where to keep an intent record, for a batch that is all-or-nothing across a crash.
    intent_dir: Option<PathBuf>,
    /// Declared after `staged`: on drop, the temporary files go before their record.
    intent: Option<Intent>,
}

impl StagedWrites {
    pub fn new() -> StagedWrites {
        StagedWrites::default()
    }

    /// A batch that keeps an intent record in `dir` (see [`crate::intent`]), so that a crash
    /// during its renames is rolled forward or back by the next [`crate::settle`]; with no
    /// folder (no data folder in the environment), a plain batch.
    pub fn recorded(dir: Option<PathBuf>) -> StagedWrites {
        StagedWrites {
            intent_dir: dir,
            ..StagedWrites::default()
        }
    }

    /// How many files are staged.
    pub fn len(&self) -> usize {
        self.staged.len()
    }

    pub fn is_empty(&self) -> bool {
        self.staged.is_empty()
    }

    /// Writes `bytes` to a temporary file beside `path`'s target and flushes it to disk; no
    /// target changes yet. On error, every temporary file of the batch is removed and the
    /// batch can no longer be committed.
    pub fn stage(&mut self, path: impl AsRef<Path>, bytes: &[u8]) -> Result<(), WriteError> {
        self.stage_all([(path, bytes)])
    }

    /// Stages several files at once, like [`stage`](Self::stage) for each, but writes and
    /// flushes the temporary files on several threads: flushing waits on the disk, and
    /// flushes running together share the file system's journal commits, so a batch of many
    /// files takes little longer than one file.
    pub fn stage_all<P, B>(
        &mut self,
        files: impl IntoIterator<Item = (P, B)>,
    ) -> Result<(), WriteError>
    where
        P: AsRef<Path>,
        B: AsRef<[u8]> + Send,
    {
        let result = self.try_stage_all(files);
        if result.is_err() {
            self.staged.clear();
            // the temporary files are gone, so their record goes too
            self.intent = None;
            self.abandoned = true;
        }
        result
    }

    fn try_stage_all<P, B>(
        &mut self,
        files: impl IntoIterator<Item = (P, B)>,
    ) -> Result<(), WriteError>
    where
        P: AsRef<Path>,
        B: AsRef<[u8]> + Send,
    {
        if self.abandoned {
            return Err(WriteError::Abandoned);
        }
        let mut jobs = Vec::new();
        for (path, bytes) in files {
            jobs.push((self.prepare(path.as_ref())?, bytes));
        }
        self.record_staging(&mut jobs)?;
        // waiting on the disk, not computing: more threads than cores pay off
        let threads = jobs.len().min(MAX_WRITER_THREADS);
        let staged: Vec<Result<Staged, WriteError>> = if threads <= 1 {
            jobs.into_iter()
                .map(|(p, bytes)| p.write(bytes.as_ref()))
                .collect()
        } else {
            write_in_parallel(jobs, threads)
        };
        for s in staged {
            self.staged.push(s?);
        }
        Ok(())
    }

    /// With an intent record: names each job's temporary file and writes the record (durably)
    /// before any of them exists, so a crash while staging leaves nothing unaccounted for.
    fn record_staging<B: AsRef<[u8]>>(
        &mut self,
        jobs: &mut [(Prepared, B)],
    ) -> Result<(), WriteError> {
        let Some(dir) = self.intent_dir.clone() else {
            return Ok(());
        };
        if jobs.is_empty() {
            return Ok(());
        }
        let record_err = |e: io::Error| WriteError::Intent {
            dir: dir.clone(),
            source: e,
        };
        if self.intent.is_none() {
            self.intent = Some(Intent::start(&dir).map_err(record_err)?);
        }
        let Some(intent) = self.intent.as_mut() else {
            return Ok(());
        };
        for (p, bytes) in jobs.iter_mut() {
            let n = intent.record.files.len();
            let name = p
                .target
                .file_name()
                .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
            let temp = parent_dir(&p.target).join(format!(
                ".{}.{}-{n}.tmp",
                truncate(&name, MAX_NAME_IN_TEMP),
                intent.id()
            ));
            intent.record.files.push(IntentFile {
                target: absolute(&p.target),
                temp: absolute(&temp),
                before: None,
                after: Some(blake3::hash(bytes.as_ref()).to_hex().to_string()),
                backup: None,
            });
            p.temp = Some(temp);
        }
        intent.save().map_err(record_err)
    }

    /// Resolves `path` to the file to replace and checks that it can be one.
    fn prepare(&mut self, path: &Path) -> Result<Prepared, WriteError> {
        let target = resolve(path)?;
        let existing = match fs::metadata(&target) {
            Ok(m) if m.is_dir() => return Err(WriteError::IsADirectory { path: path.into() }),
            Ok(m) if !m.is_file() => {
                return Err(WriteError::NotARegularFile { path: path.into() });
            }
            Ok(m) if m.permissions().mode() & 0o200 == 0 => {
                return Err(WriteError::ReadOnly { path: path.into() });
            }
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(WriteError::Resolve {
                    path: path.into(),
                    source,
                });
            }
        };
        if !self.targets.insert(absolute(&target)) {
            return Err(WriteError::Duplicate { path: path.into() });
        }
        Ok(Prepared {
            requested: path.into(),
            target,
            existing,
            temp: None,
        })
    }

    /// Renames every staged file over its target, in staging order, then flushes the
    /// directories. A rename within one directory practically never fails once the temporary
    /// file exists; if one does, the remaining temporary files are removed, and in a recorded
    /// batch the files replaced before it are put back from their backups (the error lists
    /// any that could not be); in a plain batch they stay replaced (the error lists them).
    pub fn commit(mut self) -> Result<(), WriteError> {
        if self.abandoned {
            return Err(WriteError::Abandoned);
        }
        let staged = std::mem::take(&mut self.staged);
        let intent = self.intent.take();
        let intent = match intent {
            Some(i) => Some(record_renaming(i, &staged)?),
            None => None,
        };
        let mut replaced = Vec::with_capacity(staged.len());
        let mut done: Vec<usize> = Vec::with_capacity(staged.len());
        let mut dirs: Vec<PathBuf> = Vec::new();
        let mut failure = None;
        for (n, s) in staged.into_iter().enumerate() {
            if let Some(error) = testing::injected(&s.requested, testing::FailStep::Rename) {
                failure = Some((s.requested, error));
                break;
            }
            let requested = s.requested;
            let dir = parent_dir(&s.target);
            if let Err(e) = s.temp.persist(&s.target) {
                failure = Some((requested, e.error));
                break;
            }
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
            replaced.push(requested);
            done.push(n);
        }
        if let Some((path, source)) = failure {
            // all or nothing: what was replaced goes back, from the record's backups
            let replaced = match intent {
                Some(i) => roll_back_in_process(i, &done, replaced),
                None => replaced,
            };
            return Err(WriteError::Rename {
                path,
                source,
                replaced,
            });
        }
        for dir in dirs {
            if let Err(e) = sync_dir(&dir) {
                // the data is in place; only its durability across a crash is in doubt
                tracing::warn!(dir = %dir.display(), error = %e, "cannot flush directory");
            }
        }
        if let Some(i) = intent {
            i.finish();
        }
        Ok(())
    }
}

/// Before the first rename: each target's hash and a backup of its bytes go into the record,
/// which is then marked as renaming, durably.
fn record_renaming(mut intent: Intent, staged: &[Staged]) -> Result<Intent, WriteError> {
    let dir = intent.dir().to_path_buf();
    for (n, s) in staged.iter().enumerate() {
        let existing = fs::read(&s.target).ok();
        let backup = match &existing {
            Some(old) => {
                Some(
                    intent
                        .back_up(n, &s.target, old)
                        .map_err(|e| WriteError::Intent {
                            dir: dir.clone(),
                            source: e,
                        })?,
                )
            }
            None => None,
        };
        if let Some(f) = intent.record.files.get_mut(n) {
            f.before = existing.map(|b| blake3::hash(&b).to_hex().to_string());
            f.backup = backup;
        }
    }
    intent.record.phase = Phase::Renaming;
    intent
        .save()
        .map_err(|e| WriteError::Intent { dir, source: e })?;
    Ok(intent)
}

/// A rename failed half-way: the files already replaced (`done`, indices into the record)
/// are put back from their backups. Returns the files that could not be put back.
fn roll_back_in_process(intent: Intent, done: &[usize], replaced: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut left = Vec::new();
    for (&n, path) in done.iter().zip(replaced) {
        let Some(f) = intent.record.files.get(n) else {
            left.push(path);
            continue;
        };
        if let Err(e) = f.put_back() {
            tracing::warn!(path = %path.display(), error = %e, "cannot put a file back");
            left.push(path);
        }
    }
    if left.is_empty() {
        intent.finish();
    } else {
        // keep the record: the next settle tries again
        std::mem::forget(intent);
    }
    left
}

/// Follows symbolic links from `path` to the file that a write should replace. A missing
/// file (or a link to a missing file) resolves to the path where it will be created.
fn resolve(path: &Path) -> Result<PathBuf, WriteError> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_SYMLINKS {
        match fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&current).map_err(|source| WriteError::Resolve {
                    path: path.into(),
                    source,
                })?;
                current = if link.is_absolute() {
                    link
                } else {
                    parent_dir(&current).join(link)
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(source) => {
                return Err(WriteError::Resolve {
                    path: path.into(),
                    source,
                });
            }
        }
    }
    Err(WriteError::SymlinkLoop { path: path.into() })
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A key that tells two spellings of one target apart from two targets.
fn absolute(path: &Path) -> PathBuf {
    let dir = fs::canonicalize(parent_dir(path)).unwrap_or_else(|_| parent_dir(path));
    match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

/// A new file gets the usual mode (0o666 less the umask), not tempfile's private 0o600.
#[cfg(unix)]
fn set_new_file_permissions(builder: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(fs::Permissions::from_mode(0o666));
}

#[cfg(not(unix))]
fn set_new_file_permissions(_builder: &mut tempfile::Builder<'_, '_>) {}

/// Gives the temporary file the target's owner and group, where the process may (root, or a
/// group the user belongs to). Failing that, the file simply belongs to the writer, as with
/// any editor that saves by rename.
#[cfg(unix)]
fn keep_owner(file: &File, target: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(now) = file.metadata() else { return };
    if now.uid() == target.uid() && now.gid() == target.gid() {
        return;
    }
    if let Err(e) = std::os::unix::fs::fchown(file, Some(target.uid()), Some(target.gid())) {
        tracing::debug!(error = %e, "cannot keep the file's owner");
    }
}

#[cfg(not(unix))]
fn keep_owner(_file: &File, _target: &fs::Metadata) {}

#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Fault injection for tests of what happens when the disk fills up or a write fails: the next
/// write of one path fails at a chosen step of the atomic write, as `ENOSPC` would. And
/// [`testing::rerun`], for fault tests that need a real limit of the operating system.
#[doc(hidden)]
pub mod testing {
    pub use super::rerun::{Rerun, rerun, rerun_child};

    /// A figure of the safety tests (kills survived, faults injected, inputs tried, bytes
    /// lost): printed, and appended to `$CUELINE_FIGURES/safety.txt` when that is set, so
    /// `make test` shows them all at its end (scripts/make-test.sh).
    pub fn figure(line: &str) {
        println!("{line}");
        let Some(dir) = std::env::var_os("CUELINE_FIGURES") else {
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join("safety.txt"))?;
            writeln!(f, "{line}")
        });
        if let Err(e) = written {
            eprintln!("cannot record the figure in {}: {e}", dir.display());
        }
    }

    use std::io;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    /// A step of the atomic write.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum FailStep {
        CreateTemp,
        Write,
        Sync,
        Rename,
    }

    static FAULTS: Mutex<Vec<(PathBuf, FailStep)>> = Mutex::new(Vec::new());
    static INTENT_FAULTS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// Makes the next write of an intent record in the folder `dir` fail, as `ENOSPC` would.
    pub fn fail_next_intent(dir: &Path) {
        let mut f = INTENT_FAULTS.lock().unwrap_or_else(|p| p.into_inner());
        f.push(dir.to_path_buf());
    }

    pub(crate) fn injected_intent(dir: &Path) -> Option<io::Error> {
        let mut f = INTENT_FAULTS.lock().unwrap_or_else(|p| p.into_inner());
        let at = f.iter().position(|d| d == dir)?;
        f.remove(at);
        Some(io::Error::from_raw_os_error(28))
    }

    /// Makes the next write of `path` (as the caller spells it) fail at `step`.
    pub fn fail_next_write(path: &Path, step: FailStep) {
        let mut f = FAULTS.lock().unwrap_or_else(|p| p.into_inner());
        f.push((path.to_path_buf(), step));
    }

    /// The injected error for this step of writing `path`, if one was asked for (once).
    pub(crate) fn injected(path: &Path, step: FailStep) -> Option<io::Error> {
        let mut f = FAULTS.lock().unwrap_or_else(|p| p.into_inner());
        if f.is_empty() {
            return None;
        }
        let at = f.iter().position(|(p, s)| p == path && *s == step)?;
        f.remove(at);
        // ENOSPC: "No space left on device"
        Some(io::Error::from_raw_os_error(28))
    }
}

/// Real faults for tests, the same as root and as a normal user, on a machine or in a container:
/// a test that root would pass through (a folder without write permission) runs again as the
/// unprivileged user `nobody` (`setpriv`); a full disk is a file size limit (`ulimit -f`, with
/// `SIGXFSZ` ignored so the write fails with `EFBIG` instead of killing the process). Either
/// way the test binary runs itself again for just that test, from a copy in a world-readable
/// temporary folder; when neither is possible the test fails, it never skips.
mod rerun {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// How to run the test again.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Rerun {
        /// As `nobody` when this process is root; here otherwise (then `rerun` returns false).
        Unprivileged,
        /// With files limited to this many KiB (writes beyond fail with `EFBIG`).
        FileSizeKib(u32),
    }

    const CHILD: &str = "CUELINE_TEST_RERUN_CHILD";

    /// Whether this process is the re-run child of [`rerun`].
    pub fn rerun_child() -> bool {
        std::env::var_os(CHILD).is_some()
    }

    #[cfg(unix)]
    fn is_root() -> bool {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    }

    #[cfg(not(unix))]
    fn is_root() -> bool {
        false
    }

    /// Runs the test `name` (its full path as `--exact` takes it) of this test binary again as
    /// `how` says, with the files in `extra` copied beside it (their copies' paths are passed as
    /// `CUELINE_TEST_RERUN_<n>`), and panics unless it passed. Returns false, doing nothing, for
    /// [`Rerun::Unprivileged`] when this process is not root (the caller runs the test itself)
    /// and in the child. In the child, a root process for `Unprivileged` panics.
    pub fn rerun(name: &str, how: Rerun, extra: &[&Path]) -> bool {
        if rerun_child() {
            assert!(
                !(how == Rerun::Unprivileged && is_root()),
                "the re-run of {name} is still root"
            );
            return false;
        }
        if how == Rerun::Unprivileged && !is_root() {
            return false;
        }
        let dir = match tempfile::Builder::new()
            .prefix("cueline-rerun.")
            .tempdir_in(std::env::temp_dir())
        {
            Ok(d) => d,
            Err(e) => panic!("{name}: cannot make a folder for the re-run: {e}"),
        };
        let exe = match std::env::current_exe() {
            Ok(e) => e,
            Err(e) => panic!("{name}: cannot find the test binary: {e}"),
        };
        let copy = |from: &Path, to: PathBuf| -> PathBuf {
            if let Err(e) = std::fs::copy(from, &to) {
                panic!("{name}: cannot copy {} for the re-run: {e}", from.display());
            }
            world_readable(&to, 0o755);
            to
        };
        world_readable(dir.path(), 0o755);
        let bin = copy(&exe, dir.path().join("test-binary"));
        let mut cmd = match how {
            Rerun::Unprivileged => {
                let mut c = Command::new("setpriv");
                c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
                c.arg(&bin);
                c
            }
            Rerun::FileSizeKib(kib) => {
                let mut c = Command::new("bash");
                c.arg("-c")
                    .arg(format!(
                        "trap '' XFSZ; ulimit -f {kib} && exec \"$0\" \"$@\""
                    ))
                    .arg(&bin);
                c
            }
        };
        // a home of its own (the data folder of intent records and journals), open to the user
        let home = dir.path().join("home");
        if let Err(e) = std::fs::create_dir(&home) {
            panic!("{name}: cannot make a home for the re-run: {e}");
        }
        world_readable(&home, 0o1777);
        cmd.args(["--exact", name, "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .env("TMPDIR", std::env::temp_dir())
            .env("HOME", &home)
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_CACHE_HOME");
        for (n, file) in extra.iter().enumerate() {
            let to = copy(file, dir.path().join(format!("extra-{n}")));
            cmd.env(format!("CUELINE_TEST_RERUN_{n}"), to);
        }
        let out = match cmd.output() {
            Ok(o) => o,
            Err(e) => panic!("{name}: cannot run the test again ({how:?}): {e}"),
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stdout.contains("1 passed"),
            "{name} re-run ({how:?}) failed: {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            out.status
        );
        true
    }

    #[cfg(unix)]
    fn world_readable(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
            panic!("cannot open {} to other users: {e}", path.display());
        }
    }

    #[cfg(not(unix))]
    fn world_readable(_path: &Path, _mode: u32) {}
}
