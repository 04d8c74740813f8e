//! The crash journal: every applied edit, on disk within milliseconds, until it is saved.
//!
//! Why: autosave waits a second or more, and a crash or power cut in that window must not lose
//! the edits. So each edit (the core's [`Edit`], as JSON), undo and redo is appended to a
//! journal file in the data folder (`$XDG_DATA_HOME/cueline/journal/`) before the edit call
//! returns. The `write` reaches the kernel at once (it survives `kill -9`); a background thread
//! `fsync`s within [`SYNC_WINDOW`] of the first unsynced append, batching appends that arrive
//! together (it survives a power cut about as fast).
//!
//! One journal per open document and writer, named after the hash of the file's canonical path
//! and a name unique to the writer ([`new_journal_file`]): the journal a crash left behind is
//! never overwritten by the next instance's edits before the user chose *Restore* or *Discard*,
//! and two instances editing one file never share a journal. The writer holds a lock on its
//! journal for as long as it runs, so a journal whose lock is free is a crash's
//! ([`dead_journals`]). It starts with the
//! file's bytes as they were on disk when editing started (the base) and their hash, so the
//! edits can be replayed even if the file changed since: recovery then shows both versions.
//! Every record is framed as `len u32 LE, crc32 u32 LE, payload`: a record torn by a crash
//! (the last one) fails its length or checksum and is ignored with everything after it.
//!
//! A successful save removes the journal (or starts it again from the saved bytes, when edits
//! arrived during the save). A new journal is written to a temporary file and renamed into
//! place, so there is always either the old complete journal or the new one.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use cueline_transcript::{Document, Edit, Format, Session};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::open_document::ContentHash;

/// Appends are made durable (`fdatasync`) at most this long after the first unsynced one.
pub const SYNC_WINDOW: Duration = Duration::from_millis(20);

const MAGIC: &[u8; 16] = b"CUELINE-JOURNAL1";
const KIND_HEADER: u8 = 1;
const KIND_BASE: u8 = 2;
const KIND_OP: u8 = 3;
const KIND_SNAPSHOT: u8 = 4;
/// No record is larger than this (the file limit plus room): a longer length is a torn write.
const MAX_RECORD: u32 = 64 * 1024 * 1024;

/// One journal operation after the base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalOp {
    /// Edits applied as one undo step.
    Apply(Vec<Edit>),
    Undo,
    Redo,
    /// A save of the bytes with this hash (hex) is about to be written: if the file on disk
    /// has it, it is the app's own save, not someone else's change.
    Saving(String),
    /// Text being typed into a cue that is not an edit yet (the window sends it within 100 ms
    /// of a keystroke; the edit follows after a pause). Pending until the next other operation,
    /// which the window only sends after the draft's own edit; a replay applies the drafts still
    /// pending at the end as one last step. `cue` is the index at the time of the draft.
    Draft {
        cue: usize,
        text: String,
    },
}

/// What a journal records about its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    path: PathBuf,
    /// Hex blake3 of the base bytes.
    base_hash: String,
    format: String,
}

/// Why the journal could not be written or read.
#[derive(Debug, Error)]
pub enum JournalError {
    #[error("Cannot write the crash journal {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("Cannot read the crash journal {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("The crash journal {} is not a Cueline journal or is damaged.", path.display())]
    Invalid { path: PathBuf },
}

/// The data folder: `$XDG_DATA_HOME/cueline` if that is set to an absolute path, else
/// `$HOME/.local/share/cueline`. `None` when neither is known.
pub fn data_dir(xdg_data_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let xdg = xdg_data_home.map(PathBuf::from).filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        home.filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".local").join("share"))
    })?;
    Some(base.join("cueline"))
}

/// The journal folder of this process's environment.
pub fn default_journal_dir() -> Option<PathBuf> {
    data_dir(std::env::var_os("XDG_DATA_HOME"), std::env::var_os("HOME")).map(|d| d.join("journal"))
}

/// What every journal name of the document at `path` (canonical) starts with.
fn path_key(path: &Path) -> String {
    let key = blake3::hash(path.as_os_str().as_encoded_bytes()).to_hex();
    key[..32].to_string()
}

/// A new journal file for the document at `path` (canonical) in `dir`, unique to this writer:
/// the path's key, then the process id, a counter and the time.
pub fn new_journal_file(dir: &Path, path: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    dir.join(format!(
        "{}.{}-{n}-{nanos:x}.journal",
        path_key(path),
        std::process::id()
    ))
}

/// Every journal file of the document at `path` in `dir`, live or dead, oldest first (by
/// modification time). A journal of an older version (`KEY.journal`) counts too.
pub fn journal_files(dir: &Path, path: &Path) -> Vec<PathBuf> {
    let key = path_key(path);
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.ends_with(".journal")
                && name
                    .strip_prefix(key.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .map(|e| {
            let modified = e
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (modified, e.path())
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Whether a writer that is still running holds the journal's lock.
pub fn is_live(file: &Path) -> bool {
    let Ok(f) = OpenOptions::new().read(true).open(file) else {
        return false;
    };
    match f.try_lock() {
        Ok(()) => false,
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(std::fs::TryLockError::Error(e)) => {
            tracing::warn!(journal = %file.display(), error = %e, "cannot check a journal's lock");
            false
        }
    }
}

/// The journals of `path` in `dir` that no running writer holds: what crashes left behind,
/// oldest first.
pub fn dead_journals(dir: &Path, path: &Path) -> Vec<PathBuf> {
    journal_files(dir, path)
        .into_iter()
        .filter(|f| !is_live(f))
        .collect()
}

fn frame(kind: u8, payload: &[u8], out: &mut Vec<u8>) {
    let len = u32::try_from(payload.len() + 1).unwrap_or(u32::MAX);
    let mut crc = crc32fast::Hasher::new();
    crc.update(&[kind]);
    crc.update(payload);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.push(kind);
    out.extend_from_slice(payload);
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Vtt => "vtt",
        Format::Srt => "srt",
        Format::Txt => "txt",
    }
}

fn parse_format(name: &str) -> Option<Format> {
    match name {
        "vtt" => Some(Format::Vtt),
        "srt" => Some(Format::Srt),
        "txt" => Some(Format::Txt),
        _ => None,
    }
}

struct SyncState {
    /// Appends not yet flushed.
    pending: bool,
    /// Bumped by every flush, so [`Journal::sync`] can wait for one.
    synced: u64,
    stop: bool,
    error: Option<String>,
}

struct Syncer {
    state: Mutex<SyncState>,
    wake: Condvar,
}

impl Syncer {
    fn lock(&self) -> MutexGuard<'_, SyncState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// An open journal being appended to.
pub struct Journal {
    file: PathBuf,
    handle: File,
    syncer: Arc<Syncer>,
    thread: Option<JoinHandle<()>>,
    ops: usize,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("file", &self.file)
            .field("ops", &self.ops)
            .finish()
    }
}

impl Journal {
    /// Starts a new journal in `dir` for the document at `path` whose file held `base` when
    /// editing started, under a name of its own ([`new_journal_file`]).
    pub fn start(
        dir: &Path,
        path: &Path,
        format: Format,
        base: &[u8],
    ) -> Result<Journal, JournalError> {
        Journal::start_with(&new_journal_file(dir, path), path, format, base, None)
    }

    /// Starts (or starts again) the journal `file` for the document at `path`, with the
    /// document's current bytes as a first snapshot if given, replacing an earlier journal of
    /// the same writer at `file` in one atomic, durable write: after a save that edits
    /// overtook, there is never a moment when neither the old journal nor the new one holds
    /// those edits. The new journal is locked before it has its name, so no one ever sees it
    /// free while its writer runs.
    pub fn start_with(
        file: &Path,
        path: &Path,
        format: Format,
        base: &[u8],
        snapshot: Option<&[u8]>,
    ) -> Result<Journal, JournalError> {
        let file = file.to_path_buf();
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let werr = |source| JournalError::Write {
            path: file.clone(),
            source,
        };
        fs::create_dir_all(&dir).map_err(werr)?;
        let header = Header {
            path: path.to_path_buf(),
            base_hash: blake3::hash(base).to_hex().to_string(),
            format: format_name(format).to_owned(),
        };
        let mut bytes = Vec::with_capacity(base.len() + 256);
        bytes.extend_from_slice(MAGIC);
        let json = serde_json::to_vec(&header).map_err(|e| werr(io::Error::other(e)))?;
        frame(KIND_HEADER, &json, &mut bytes);
        frame(KIND_BASE, base, &mut bytes);
        if let Some(snap) = snapshot {
            frame(KIND_SNAPSHOT, snap, &mut bytes);
        }
        let mut temp = tempfile::Builder::new()
            .prefix(".journal.")
            .tempfile_in(&dir)
            .map_err(werr)?;
        temp.as_file().lock().map_err(werr)?;
        temp.write_all(&bytes).map_err(werr)?;
        temp.as_file().sync_data().map_err(werr)?;
        let handle = temp.persist(&file).map_err(|e| werr(e.error))?;
        crate::atomic::sync_dir(&dir).map_err(werr)?;
        let sync_handle = handle.try_clone().map_err(werr)?;
        let syncer = Arc::new(Syncer {
            state: Mutex::new(SyncState {
                pending: false,
                synced: 0,
                stop: false,
                error: None,
            }),
            wake: Condvar::new(),
        });
        let thread = {
            let syncer = Arc::clone(&syncer);
            std::thread::Builder::new()
                .name("cueline-journal-sync".into())
                .spawn(move || sync_loop(&syncer, &sync_handle))
                .map_err(werr)?
        };
        tracing::debug!(journal = %file.display(), path = %path.display(), "journal started");
        Ok(Journal {
            file,
            handle,
            syncer,
            thread: Some(thread),
            ops: usize::from(snapshot.is_some()),
        })
    }

    /// The journal's file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// How many operations were appended since the base.
    pub fn ops(&self) -> usize {
        self.ops
    }

    /// Appends one operation: in the kernel when this returns, on the disk within
    /// [`SYNC_WINDOW`].
    pub fn append(&mut self, op: &JournalOp) -> Result<(), JournalError> {
        let json = serde_json::to_vec(op).map_err(|e| self.write_error(io::Error::other(e)))?;
        self.append_record(KIND_OP, &json)
    }

    /// Appends the whole document as it now reads: replay continues from it. For an undo or
    /// redo that replay could not reproduce (one reaching back before the base).
    pub fn append_snapshot(&mut self, bytes: &[u8]) -> Result<(), JournalError> {
        self.append_record(KIND_SNAPSHOT, bytes)
    }

    fn write_error(&self, source: io::Error) -> JournalError {
        JournalError::Write {
            path: self.file.clone(),
            source,
        }
    }

    fn append_record(&mut self, kind: u8, payload: &[u8]) -> Result<(), JournalError> {
        let mut rec = Vec::with_capacity(payload.len() + 9);
        frame(kind, payload, &mut rec);
        // one write call per record: a crash tears at most the last record
        self.handle
            .write_all(&rec)
            .map_err(|e| self.write_error(e))?;
        self.ops += 1;
        let mut s = self.syncer.lock();
        if let Some(e) = s.error.take() {
            return Err(self.write_error(io::Error::other(e)));
        }
        if !s.pending {
            s.pending = true;
            self.syncer.wake.notify_all();
        }
        Ok(())
    }

    /// Waits until everything appended so far is on the disk.
    pub fn sync(&self) -> Result<(), JournalError> {
        self.handle.sync_data().map_err(|e| self.write_error(e))
    }

    /// Removes the journal (after a successful save): there is nothing left to recover.
    pub fn remove(self) -> Result<(), JournalError> {
        let file = self.file.clone();
        drop(self);
        match fs::remove_file(&file) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(JournalError::Write { path: file, source }),
        }
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        self.syncer.lock().stop = true;
        self.syncer.wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn sync_loop(syncer: &Syncer, file: &File) {
    let mut s = syncer.lock();
    loop {
        while !s.pending && !s.stop {
            s = syncer.wake.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        if s.stop && !s.pending {
            return;
        }
        // let appends that arrive together share one flush
        let (guard, _) = syncer
            .wake
            .wait_timeout_while(s, SYNC_WINDOW, |st| !st.stop)
            .unwrap_or_else(|p| p.into_inner());
        s = guard;
        s.pending = false;
        drop(s);
        let result = file.sync_data();
        s = syncer.lock();
        s.synced += 1;
        if let Err(e) = result {
            tracing::warn!(error = %e, "cannot flush the crash journal");
            s.error = Some(e.to_string());
        }
        if s.stop && !s.pending {
            return;
        }
    }
}

/// A journal read back from disk.
#[derive(Debug, Clone)]
pub struct JournalContents {
    /// The journal file.
    pub file: PathBuf,
    /// The document's file.
    pub path: PathBuf,
    pub format: Format,
    /// The file's bytes when editing started, and their hash.
    pub base: Vec<u8>,
    pub base_hash: ContentHash,
    pub entries: Vec<Entry>,
    /// Whether the last record was torn (a crash mid-append) and ignored.
    pub torn: bool,
}

/// One record after the base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Op(JournalOp),
    Snapshot(Vec<u8>),
}

impl JournalContents {
    /// Reads a journal; a torn or damaged tail is dropped (see [`JournalContents::torn`]).
    pub fn read(file: &Path) -> Result<JournalContents, JournalError> {
        let bytes = fs::read(file).map_err(|source| JournalError::Read {
            path: file.into(),
            source,
        })?;
        let invalid = || JournalError::Invalid { path: file.into() };
        let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(invalid)?;
        let (records, torn) = records(rest);
        let mut it = records.into_iter();
        let header: Header = match it.next() {
            Some((KIND_HEADER, p)) => serde_json::from_slice(p).map_err(|_| invalid())?,
            _ => return Err(invalid()),
        };
        let base = match it.next() {
            Some((KIND_BASE, p)) => p.to_vec(),
            _ => return Err(invalid()),
        };
        let base_hash = blake3::hash(&base);
        if base_hash.to_hex().as_str() != header.base_hash {
            return Err(invalid());
        }
        let format = parse_format(&header.format).ok_or_else(invalid)?;
        let mut entries = Vec::new();
        let mut torn = torn;
        for (kind, p) in it {
            match kind {
                KIND_OP => match serde_json::from_slice(p) {
                    Ok(op) => entries.push(Entry::Op(op)),
                    Err(e) => {
                        tracing::warn!(journal = %file.display(), error = %e, "unreadable journal record");
                        torn = true;
                        break;
                    }
                },
                KIND_SNAPSHOT => entries.push(Entry::Snapshot(p.to_vec())),
                _ => {
                    torn = true;
                    break;
                }
            }
        }
        Ok(JournalContents {
            file: file.into(),
            path: header.path,
            format,
            base,
            base_hash,
            entries,
            torn,
        })
    }

    /// Whether there is anything to replay (a pending draft counts).
    pub fn has_edits(&self) -> bool {
        self.entries
            .iter()
            .any(|e| !matches!(e, Entry::Op(JournalOp::Saving(_))))
    }

    /// Hashes of saves the app started (the file may hold one of them).
    pub fn saving_hashes(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Op(JournalOp::Saving(h)) => Some(h.clone()),
                _ => None,
            })
            .collect()
    }

    /// The base with every entry replayed: the document as it was at the crash.
    pub fn replay(&self) -> Session {
        let mut session = Session::new(Document::parse(&self.base, self.format));
        replay(&mut session, &self.entries, self.format);
        session
    }
}

/// What a journal is replayed onto: the core's [`Session`] (the text at the crash) or an
/// [`crate::OpenDocument`] (the restored document, with its undo steps).
pub trait ReplayTarget {
    fn apply_all(&mut self, edits: &[Edit]) -> Result<(), (usize, cueline_transcript::EditError)>;
    fn undo(&mut self) -> bool;
    fn redo(&mut self) -> bool;
    /// Replaces the whole content (a snapshot record).
    fn load(&mut self, bytes: &[u8], format: Format);
    /// The text of a cue, if it exists.
    fn cue_text(&self, cue: usize) -> Option<String>;
}

impl ReplayTarget for Session {
    fn apply_all(&mut self, edits: &[Edit]) -> Result<(), (usize, cueline_transcript::EditError)> {
        Session::apply_all(self, edits)
    }
    fn undo(&mut self) -> bool {
        Session::undo(self)
    }
    fn redo(&mut self) -> bool {
        Session::redo(self)
    }
    fn load(&mut self, bytes: &[u8], format: Format) {
        self.reload(Document::parse(bytes, format));
    }
    fn cue_text(&self, cue: usize) -> Option<String> {
        self.document().cue(cue).map(|c| c.text)
    }
}

/// The one replay of journal entries, for recovery and tests: operations in order, then the
/// drafts still pending at the end (see [`JournalOp::Draft`]) as one last undo step.
pub fn replay<T: ReplayTarget>(target: &mut T, entries: &[Entry], format: Format) {
    let mut drafts: std::collections::BTreeMap<usize, &str> = std::collections::BTreeMap::new();
    for entry in entries {
        match entry {
            Entry::Op(JournalOp::Draft { cue, text }) => {
                drafts.insert(*cue, text);
            }
            Entry::Op(JournalOp::Saving(_)) => {}
            Entry::Op(JournalOp::Apply(edits)) => {
                drafts.clear();
                if let Err((i, e)) = target.apply_all(edits) {
                    tracing::warn!(edit = i, error = %e, "journal edit no longer applies");
                }
            }
            Entry::Op(JournalOp::Undo) => {
                drafts.clear();
                target.undo();
            }
            Entry::Op(JournalOp::Redo) => {
                drafts.clear();
                target.redo();
            }
            Entry::Snapshot(bytes) => {
                drafts.clear();
                target.load(bytes, format);
            }
        }
    }
    let edits: Vec<Edit> = drafts
        .into_iter()
        .filter(|(cue, text)| target.cue_text(*cue).is_some_and(|now| now != *text))
        .map(|(cue, text)| Edit::SetText {
            cue,
            text: text.to_string(),
        })
        .collect();
    if !edits.is_empty()
        && let Err((i, e)) = target.apply_all(&edits)
    {
        tracing::warn!(edit = i, error = %e, "journal draft no longer applies");
    }
}

/// The records of a journal after its magic, and whether the tail was torn.
fn records(mut rest: &[u8]) -> (Vec<(u8, &[u8])>, bool) {
    let mut out = Vec::new();
    while !rest.is_empty() {
        let Some((head, body)) = rest.split_at_checked(8) else {
            return (out, true);
        };
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let crc = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        if len == 0 || len > MAX_RECORD {
            return (out, true);
        }
        let Some((payload, next)) = body.split_at_checked(len as usize) else {
            return (out, true);
        };
        if crc32fast::hash(payload) != crc {
            return (out, true);
        }
        out.push((payload[0], &payload[1..]));
        rest = next;
    }
    (out, false)
}

/// The journals in `dir` (an absent folder has none). Unreadable files are skipped with a
/// warning.
pub fn list_journals(dir: &Path) -> Vec<JournalContents> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "journal") {
            continue;
        }
        match JournalContents::read(&p) {
            Ok(j) => out.push(j),
            Err(err) => tracing::warn!(error = %err, "skipping journal"),
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
