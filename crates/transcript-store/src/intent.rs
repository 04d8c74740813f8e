//! Intent records: a multi-file write is all-or-nothing across a crash, not only across an
//! error.
//!
//! Why: renames happen one by one. A `kill -9`, an OOM kill or a power cut between the first
//! and the last rename of a repository-wide replace used to leave some files replaced and the
//! rest not, silently, and every killed run left hidden temporary files behind for ever. So a
//! batch that records its intent ([`crate::StagedWrites::recorded`]) first writes, in
//! `$XDG_DATA_HOME/cueline/intents/`, a record naming every target and the temporary file it
//! will be replaced by, before any temporary file exists; then, before the first rename, the
//! before and after hashes of each target and a backup of its old bytes (a hard link, or a copy
//! where links fail). The record is fsynced at each step. Its writer holds a lock on
//! `<id>.lock` for as long as it runs, so a record whose lock is free belongs to a dead writer.
//!
//! [`settle`], run by every `cueline` command and by the app at launch, finishes the records
//! of dead writers: a record still staging is rolled back (its temporary files removed; no
//! target had been touched); a record that was renaming is rolled forward when every remaining
//! temporary file exists and each remaining target still has its before hash, and rolled back
//! from the backups otherwise. Then the record, its backups and its temporary files are
//! removed. Only temporary files named in a dead writer's record are ever removed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The intents folder of this process's environment.
pub fn default_intent_dir() -> Option<PathBuf> {
    crate::journal::data_dir(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME"))
        .map(|d| d.join("intents"))
}

/// How far a recorded write had come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Temporary files are being written; no target has been touched.
    Staging,
    /// Backups are made and the renames have begun (or are about to).
    Renaming,
}

/// One target of a recorded write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentFile {
    /// The file to replace (symbolic links already resolved).
    pub target: PathBuf,
    /// The temporary file that replaces it.
    pub temp: PathBuf,
    /// blake3 of the target's bytes before the write; `None` for a new file.
    #[serde(default)]
    pub before: Option<String>,
    /// blake3 of the bytes it is replaced with.
    #[serde(default)]
    pub after: Option<String>,
    /// A copy (or hard link) of the target's old bytes.
    #[serde(default)]
    pub backup: Option<PathBuf>,
}

impl IntentFile {
    /// Undoes this file's replacement: its old bytes from the backup, or, for a file the write
    /// created, its removal. The error says which file and why.
    pub(crate) fn put_back(&self) -> Result<(), String> {
        let target = self.target.display();
        match (&self.before, &self.backup) {
            (Some(_), Some(backup)) => {
                let bytes =
                    fs::read(backup).map_err(|e| format!("{target}: backup unreadable: {e}"))?;
                crate::atomic::write_atomic(&self.target, &bytes)
                    .map_err(|e| format!("{target}: cannot put back: {e}"))
            }
            (None, _) => {
                fs::remove_file(&self.target).map_err(|e| format!("{target}: cannot remove: {e}"))
            }
            (Some(_), None) => Err(format!("{target}: no backup")),
        }
    }
}

/// What a record holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentRecord {
    pub pid: u32,
    pub phase: Phase,
    pub files: Vec<IntentFile>,
}

/// A live record, held by the writer that made it.
#[derive(Debug)]
pub struct Intent {
    dir: PathBuf,
    id: String,
    /// Locked for the writer's lifetime: a free lock means a dead writer.
    _lock: File,
    pub(crate) record: IntentRecord,
}

fn io_err(what: &str, path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{what} {}: {e}", path.display()))
}

/// Writes `bytes` to `path` through a temporary file and a rename, fsyncing the file and the
/// folder (the plain mechanism: an intent record cannot record itself).
fn write_durably(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".record.")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    File::open(dir)?.sync_all()
}

impl Intent {
    /// Starts a record in `dir` for this process, locked.
    pub fn start(dir: &Path) -> io::Result<Intent> {
        fs::create_dir_all(dir).map_err(|e| io_err("cannot create", dir, e))?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let id = format!("{}-{nanos:x}", std::process::id());
        let lock_path = dir.join(format!("{id}.lock"));
        // locked before it has its name, so no one ever sees this lock free while we run
        let temp = tempfile::Builder::new()
            .prefix(".lock.")
            .tempfile_in(dir)
            .map_err(|e| io_err("cannot create a lock in", dir, e))?;
        temp.as_file()
            .lock()
            .map_err(|e| io_err("cannot lock", temp.path(), e))?;
        let lock = temp
            .persist_noclobber(&lock_path)
            .map_err(|e| io_err("cannot create", &lock_path, e.error))?;
        Ok(Intent {
            dir: dir.to_path_buf(),
            id,
            _lock: lock,
            record: IntentRecord {
                pid: std::process::id(),
                phase: Phase::Staging,
                files: Vec::new(),
            },
        })
    }

    /// This record's name, unique per writer.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    fn record_path(&self) -> PathBuf {
        self.dir.join(format!("{}.json", self.id))
    }

    /// Where the backup of the `n`th target goes.
    pub(crate) fn backup_path(&self, n: usize) -> PathBuf {
        self.dir
            .join(format!("{}.backup", self.id))
            .join(n.to_string())
    }

    /// Writes the record as it stands, durably.
    pub(crate) fn save(&self) -> io::Result<()> {
        if let Some(e) = crate::atomic::testing::injected_intent(&self.dir) {
            return Err(e);
        }
        let json = serde_json::to_vec_pretty(&self.record).map_err(io::Error::other)?;
        let path = self.record_path();
        write_durably(&path, &json).map_err(|e| io_err("cannot write the intent record", &path, e))
    }

    /// Makes the backup of target `n`, whose bytes are `old`: a hard link, or a copy of `old`
    /// where links fail, durably.
    pub(crate) fn back_up(&self, n: usize, target: &Path, old: &[u8]) -> io::Result<PathBuf> {
        let path = self.backup_path(n);
        let folder = path.parent().unwrap_or(&self.dir);
        fs::create_dir_all(folder).map_err(|e| io_err("cannot create", folder, e))?;
        if fs::hard_link(target, &path).is_err() {
            let mut f = File::create(&path).map_err(|e| io_err("cannot create", &path, e))?;
            f.write_all(old)
                .and_then(|()| f.sync_all())
                .map_err(|e| io_err("cannot write", &path, e))?;
        }
        Ok(path)
    }

    /// The write is over (done, or rolled back): the record, its backups and its lock go.
    pub(crate) fn finish(self) {
        // dropping does it
    }
}

impl Drop for Intent {
    /// A batch dropped without committing changed nothing (its temporary files are removed
    /// before this), so its record goes too.
    fn drop(&mut self) {
        remove_record(&self.dir, &self.id);
    }
}

fn remove_record(dir: &Path, id: &str) {
    let record = dir.join(format!("{id}.json"));
    if let Err(e) = fs::remove_file(&record)
        && e.kind() != io::ErrorKind::NotFound
    {
        tracing::warn!(record = %record.display(), error = %e, "cannot remove the intent record");
        return;
    }
    let _ = fs::remove_dir_all(dir.join(format!("{id}.backup")));
    let _ = fs::remove_file(dir.join(format!("{id}.lock")));
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn hash_of(path: &Path) -> Option<String> {
    fs::read(path)
        .ok()
        .map(|b| blake3::hash(&b).to_hex().to_string())
}

/// How a dead writer's record was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It had not started renaming: its temporary files were removed, no file had changed.
    Cleaned,
    /// Every remaining file was replaced as the writer meant to.
    RolledForward,
    /// Every replaced file was put back from its backup, for this reason.
    RolledBack(String),
}

/// One settled record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub pid: u32,
    /// How many files the write was about.
    pub files: usize,
    pub outcome: Outcome,
    /// Files that could not be put right (each with why); empty when all went well.
    pub problems: Vec<String>,
}

impl std::fmt::Display for Settled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.files;
        let s = if n == 1 { "" } else { "s" };
        match &self.outcome {
            Outcome::Cleaned => write!(
                f,
                "an interrupted write of {n} file{s} (process {}) had not begun: no file was changed; its temporary files were removed",
                self.pid
            )?,
            Outcome::RolledForward => write!(
                f,
                "an interrupted write of {n} file{s} (process {}) was completed",
                self.pid
            )?,
            Outcome::RolledBack(why) => write!(
                f,
                "an interrupted write of {n} file{s} (process {}) was undone ({why}): every file is as it was before it",
                self.pid
            )?,
        }
        for p in &self.problems {
            write!(f, "; {p}")?;
        }
        Ok(())
    }
}

/// Settles the records of dead writers in `dir` (see the module docs). Records whose writer
/// still runs are left alone. An absent folder has nothing to settle.
pub fn settle(dir: &Path) -> Vec<Settled> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    ids.sort();
    let mut out = Vec::new();
    for id in ids {
        // a free (or missing) lock: the writer is gone
        let lock_path = dir.join(format!("{id}.lock"));
        let lock = match OpenOptions::new().write(true).open(&lock_path) {
            Ok(f) => match f.try_lock() {
                Ok(()) => Some(f),
                Err(_) => continue,
            },
            Err(_) => None,
        };
        let record_path = dir.join(format!("{id}.json"));
        let record: IntentRecord = match fs::read(&record_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
        {
            Some(r) => r,
            None => {
                tracing::warn!(record = %record_path.display(), "unreadable intent record left alone");
                continue;
            }
        };
        let settled = settle_one(&record);
        tracing::info!(%settled, "settled an intent record");
        drop(lock);
        remove_record(dir, &id);
        out.push(settled);
    }
    sweep_orphan_locks(dir);
    out
}

/// A writer killed between taking its lock and writing its first record leaves only the lock.
fn sweep_orphan_locks(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(".lock") else {
            continue;
        };
        if dir.join(format!("{id}.json")).exists() {
            continue;
        }
        let free = OpenOptions::new()
            .write(true)
            .open(e.path())
            .is_ok_and(|f| f.try_lock().is_ok());
        if free {
            remove_record(dir, id);
        }
    }
}

/// Settles the records of dead writers in the default folder (none without a data folder).
pub fn settle_default() -> Vec<Settled> {
    default_intent_dir().map(|d| settle(&d)).unwrap_or_default()
}

fn settle_one(record: &IntentRecord) -> Settled {
    let mut problems = Vec::new();
    let outcome = match record.phase {
        Phase::Staging => {
            for f in &record.files {
                remove_temp(&f.temp, &mut problems);
            }
            Outcome::Cleaned
        }
        Phase::Renaming => match forward_blocker(record) {
            None => {
                for f in &record.files {
                    if f.temp.exists()
                        && let Err(e) = fs::rename(&f.temp, &f.target)
                    {
                        problems.push(format!("{}: cannot complete: {e}", f.target.display()));
                    }
                }
                sync_parents(record);
                Outcome::RolledForward
            }
            Some(why) => {
                for f in &record.files {
                    roll_back(f, &mut problems);
                    remove_temp(&f.temp, &mut problems);
                }
                sync_parents(record);
                Outcome::RolledBack(why)
            }
        },
    };
    Settled {
        pid: record.pid,
        files: record.files.len(),
        outcome,
        problems,
    }
}

/// Why the write cannot be completed, if it cannot: a temporary file is gone without its
/// target having the new bytes, or a target not yet replaced changed since.
fn forward_blocker(record: &IntentRecord) -> Option<String> {
    for f in &record.files {
        let now = hash_of(&f.target);
        if f.temp.exists() {
            if now != f.before {
                return Some(format!("{} changed since", f.target.display()));
            }
        } else if now != f.after {
            return Some(format!(
                "the new version of {} is missing",
                f.target.display()
            ));
        }
    }
    None
}

/// Puts a target back from its backup when it holds the new bytes.
fn roll_back(f: &IntentFile, problems: &mut Vec<String>) {
    let now = hash_of(&f.target);
    if now.is_none() || now != f.after || now == f.before {
        return;
    }
    if let Err(e) = f.put_back() {
        problems.push(e);
    }
}

fn remove_temp(temp: &Path, problems: &mut Vec<String>) {
    match fs::remove_file(temp) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            problems.push(format!("{}: cannot remove: {e}", temp.display()));
        }
        _ => {}
    }
}

fn sync_parents(record: &IntentRecord) {
    let mut dirs: Vec<&Path> = record
        .files
        .iter()
        .filter_map(|f| f.target.parent())
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        if let Ok(f) = File::open(d) {
            let _ = f.sync_all();
        }
    }
}
