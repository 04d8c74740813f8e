//! A document being edited with the safety net on: autosave, crash journal, external changes.
//!
//! Why one type: the three interact. A save must tell the watcher which bytes are its own
//! (by content hash, [`State::pending_write`]), a conflict must pause autosave, and a save or a
//! reload of a clean document ends the journal. [`LiveDocument`] holds the [`OpenDocument`]
//! behind one lock and runs a driver thread that sleeps until the next autosave deadline or a
//! "look at the file" from the [`FileWatcher`]. Disk work (writing, re-reading) happens without
//! the lock, so edits never wait for the disk, only for the journal's `write` call.
//!
//! Nothing here knows about Tauri: the app maps [`StoreEvent`]s to IPC events.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cueline_transcript::{Edit, EditError, ReloadSummary};

use crate::autosave::{Autosave, AutosavePolicy, Hold, SaveStatus};
use crate::journal::{Journal, JournalContents, JournalOp};
use crate::open_document::{
    ContentHash, LimitedRead, OpenDocument, OpenError, SaveError, Saved, read_limited,
};
use crate::watch::{DEFAULT_DEBOUNCE, FileWatcher};

/// How a [`LiveDocument`] runs.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    pub autosave: AutosavePolicy,
    /// Where crash journals go; `None` turns the journal off.
    pub journal_dir: Option<PathBuf>,
    /// Watch the file for outside changes, batching events for this long; `None` to not watch.
    pub watch: Option<Duration>,
}

impl Default for LiveConfig {
    fn default() -> LiveConfig {
        LiveConfig {
            autosave: AutosavePolicy::default(),
            journal_dir: crate::journal::default_journal_dir(),
            watch: Some(DEFAULT_DEBOUNCE),
        }
    }
}

/// What happened, for the app to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreEvent {
    /// The save status changed.
    Status(SaveStatus),
    Saved {
        revision: u32,
        hash: ContentHash,
    },
    /// A save failed; the edits are kept in memory and in the journal.
    SaveFailed {
        message: String,
    },
    /// The clean document was reloaded from the changed file (one undo step).
    Reloaded {
        changed: usize,
        added: usize,
        removed: usize,
        hash: ContentHash,
    },
    /// The file changed on disk while the document had unsaved edits: autosave is paused.
    Conflict {
        hash: ContentHash,
    },
    /// The file was deleted or moved away (the document is kept).
    Deleted,
    /// The crash journal could not be written (the edits are still in memory).
    JournalFailed {
        message: String,
    },
}

struct State {
    doc: OpenDocument,
    autosave: Autosave,
    journal_dir: Option<PathBuf>,
    journal: Option<Journal>,
    /// This document's journal file, named once (per writer) and kept across restarts.
    journal_file: Option<PathBuf>,
    /// The bytes on disk when editing started (loaded, saved or reloaded): the journal's base.
    base: Vec<u8>,
    /// Undo and redo steps a replay of the journal would have (see [`State::record`]).
    replay_undo: usize,
    replay_redo: usize,
    /// Text typed in the window and journaled as [`JournalOp::Draft`], by cue index, not yet
    /// an edit: written again into a journal that a save starts afresh, dropped by any
    /// operation (the window sends a draft's edit before anything else) and by a reload.
    drafts: std::collections::BTreeMap<usize, String>,
    /// The hash of the bytes a save in flight is writing: seeing them on disk is our own write.
    pending_write: Option<ContentHash>,
    check_requested: bool,
    recheck_after_save: bool,
    stop: bool,
    events: Sender<StoreEvent>,
    last_status: SaveStatus,
}

/// What was done to the document, for the journal.
enum Op<'a> {
    Apply {
        edits: &'a [Edit],
        undo_before: usize,
    },
    Undo,
    Redo,
}

impl State {
    fn emit(&self, e: StoreEvent) {
        let _ = self.events.send(e);
    }

    fn emit_status(&mut self) {
        let s = self.autosave.status();
        if s != self.last_status {
            self.last_status = s;
            self.emit(StoreEvent::Status(s));
        }
    }

    /// Journals an applied operation and tells autosave.
    fn record(&mut self, op: Op<'_>, now: Instant) {
        self.drafts.clear();
        // While a save is being written the disk is about to change: an edit that brings the
        // document back to the old disk content must still be journaled (found by the crash
        // harness: a kill right after that save's rename lost the acknowledged edit).
        if !self.doc.is_dirty() && self.pending_write.is_none() {
            // back to what is on disk: nothing to recover, nothing to save
            self.autosave.cleaned();
            self.end_journal();
            self.emit_status();
            return;
        }
        self.autosave.edited(now);
        if let Err(e) = self.journal_op(op) {
            tracing::warn!(error = %e, "crash journal");
            self.emit(StoreEvent::JournalFailed {
                message: e.to_string(),
            });
        }
        self.emit_status();
    }

    fn journal_op(&mut self, op: Op<'_>) -> Result<(), crate::journal::JournalError> {
        if self.journal_dir.is_none() || self.doc.path().is_none() {
            return Ok(());
        }
        self.ensure_journal()?;
        let Some(journal) = self.journal.as_mut() else {
            return Ok(());
        };
        // A replay starts from the base with an empty history; an undo or redo it could not
        // repeat (one reaching back before the base) is journaled as the whole document.
        let snapshot = match op {
            Op::Apply { edits, undo_before } => {
                if self.doc.undo_depth() > undo_before {
                    self.replay_undo += 1;
                    self.replay_redo = 0;
                }
                journal.append(&JournalOp::Apply(edits.to_vec()))?;
                false
            }
            Op::Undo if self.replay_undo > 0 => {
                self.replay_undo -= 1;
                self.replay_redo += 1;
                journal.append(&JournalOp::Undo)?;
                false
            }
            Op::Redo if self.replay_redo > 0 => {
                self.replay_redo -= 1;
                self.replay_undo += 1;
                journal.append(&JournalOp::Redo)?;
                false
            }
            Op::Undo | Op::Redo => true,
        };
        if snapshot {
            self.replay_undo = 0;
            self.replay_redo = 0;
            journal.append_snapshot(&self.doc.document().print())?;
        }
        Ok(())
    }

    /// Journals text typed into cue `cue` that is not an edit yet.
    fn journal_draft(
        &mut self,
        cue: usize,
        text: String,
    ) -> Result<(), crate::journal::JournalError> {
        if self.journal_dir.is_none() || self.doc.path().is_none() {
            return Ok(());
        }
        self.ensure_journal()?;
        if let Some(journal) = self.journal.as_mut() {
            journal.append(&JournalOp::Draft {
                cue,
                text: text.clone(),
            })?;
        }
        self.drafts.insert(cue, text);
        Ok(())
    }

    /// After a save ended or restarted the journal: the drafts still pending go into it again.
    fn rejournal_drafts(&mut self) {
        for (cue, text) in std::mem::take(&mut self.drafts) {
            if let Err(e) = self.journal_draft(cue, text) {
                tracing::warn!(error = %e, "crash journal");
                self.emit(StoreEvent::JournalFailed {
                    message: e.to_string(),
                });
                return;
            }
        }
    }

    fn ensure_journal(&mut self) -> Result<(), crate::journal::JournalError> {
        if self.journal.is_some() {
            return Ok(());
        }
        let (Some(dir), Some(path)) = (&self.journal_dir, self.doc.path()) else {
            return Ok(());
        };
        let file = self
            .journal_file
            .get_or_insert_with(|| crate::journal::new_journal_file(dir, path));
        self.journal = Some(Journal::start_with(
            file,
            path,
            self.doc.format(),
            &self.base,
            None,
        )?);
        self.replay_undo = 0;
        self.replay_redo = 0;
        Ok(())
    }

    fn end_journal(&mut self) {
        if let Some(j) = self.journal.take()
            && let Err(e) = j.remove()
        {
            tracing::warn!(error = %e, "cannot remove the crash journal");
        }
    }

    /// Starts the journal again from the current base, with the document as it reads now,
    /// replacing the old journal in one atomic write.
    fn restart_journal(&mut self) {
        if !self.doc.is_dirty() {
            self.end_journal();
            return;
        }
        let (Some(dir), Some(path)) = (self.journal_dir.clone(), self.doc.path()) else {
            return;
        };
        let file = self
            .journal_file
            .get_or_insert_with(|| crate::journal::new_journal_file(&dir, path))
            .clone();
        let now = self.doc.document().print();
        // the old journal stays valid until the new one replaces it
        let old = self.journal.take();
        match Journal::start_with(&file, path, self.doc.format(), &self.base, Some(&now)) {
            Ok(j) => {
                drop(old);
                self.journal = Some(j);
                self.replay_undo = 0;
                self.replay_redo = 0;
            }
            Err(e) => {
                self.journal = old;
                tracing::warn!(error = %e, "crash journal");
                self.emit(StoreEvent::JournalFailed {
                    message: e.to_string(),
                });
            }
        }
    }
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wait<'a>(&self, g: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.wake.wait(g).unwrap_or_else(|p| p.into_inner())
    }
}

/// A document open for editing with autosave, crash journal and watching.
pub struct LiveDocument {
    shared: Arc<Shared>,
    driver: Option<JoinHandle<()>>,
    watcher: Mutex<Option<FileWatcher>>,
    /// The watcher's debounce (`None`: not watching), for a watcher on a new path (Save As).
    watch: Option<Duration>,
    events: Mutex<Receiver<StoreEvent>>,
}

impl std::fmt::Debug for LiveDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveDocument").finish_non_exhaustive()
    }
}

impl LiveDocument {
    /// Opens the file at `path`.
    pub fn open(path: &Path, config: LiveConfig) -> Result<LiveDocument, OpenError> {
        let doc = OpenDocument::open(path)?;
        let base = doc.document().print();
        Ok(LiveDocument::from_document(doc, base, config))
    }

    /// Runs an already open document whose file held `base` when it was loaded. A document
    /// that is already dirty (restored from a journal) is journaled and autosaved at once.
    pub fn from_document(doc: OpenDocument, base: Vec<u8>, config: LiveConfig) -> LiveDocument {
        let (tx, rx) = channel();
        let mut autosave = Autosave::new(config.autosave);
        let dirty = doc.is_dirty();
        let now = Instant::now();
        if dirty {
            autosave.edited(now);
        }
        let path = doc.path().map(Path::to_path_buf);
        let mut state = State {
            doc,
            last_status: autosave.status(),
            autosave,
            journal_dir: config.journal_dir,
            journal: None,
            journal_file: None,
            base,
            replay_undo: 0,
            replay_redo: 0,
            drafts: Default::default(),
            pending_write: None,
            check_requested: false,
            recheck_after_save: false,
            stop: false,
            events: tx,
        };
        if dirty {
            state.restart_journal();
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            wake: Condvar::new(),
        });
        let driver = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("cueline-autosave".into())
                .spawn(move || drive(&shared))
                .map_err(|e| tracing::error!(error = %e, "cannot start the autosave thread"))
                .ok()
        };
        let watcher = watch_file(&shared, path.as_deref(), config.watch);
        LiveDocument {
            shared,
            driver,
            watcher: Mutex::new(watcher),
            watch: config.watch,
            events: Mutex::new(rx),
        }
    }

    /// Whether the file is being watched.
    pub fn is_watching(&self) -> bool {
        self.watcher
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// Save As: writes the document to `target` and makes it the document's file (watched,
    /// journaled and autosaved there from now on; the old file is left as it is). For a file
    /// deleted or moved away while open, and for a copy of the demo.
    pub fn save_as(&self, target: &Path) -> Result<Saved, SaveError> {
        let mut st = self.shared.lock();
        while st.autosave.is_saving() {
            st = self.shared.wait(st);
        }
        let saved = st.doc.save_as(target)?;
        st.end_journal();
        st.rejournal_drafts();
        st.base = st.doc.document().print();
        st.autosave.release();
        st.autosave.cleaned();
        st.emit(StoreEvent::Saved {
            revision: saved.revision,
            hash: saved.hash,
        });
        st.emit_status();
        let path = st.doc.path().map(Path::to_path_buf);
        drop(st);
        let watcher = watch_file(&self.shared, path.as_deref(), self.watch);
        *self.watcher.lock().unwrap_or_else(|p| p.into_inner()) = watcher;
        Ok(saved)
    }

    /// Reads the document under the lock.
    pub fn read<R>(&self, f: impl FnOnce(&OpenDocument) -> R) -> R {
        f(&self.shared.lock().doc)
    }

    pub fn status(&self) -> SaveStatus {
        self.shared.lock().autosave.status()
    }

    /// Applies edits as one undo step; journaled before this returns.
    pub fn apply_all(&self, edits: &[Edit]) -> Result<(), (usize, EditError)> {
        let mut st = self.shared.lock();
        self.apply_locked(&mut st, edits)
    }

    /// [`apply_all`](Self::apply_all) for edits made against revision `base` (the window's
    /// last view): refused, changing nothing, when the document has moved on since (a reload
    /// from disk between that view and these edits would make a cue index name another cue).
    pub fn apply_all_at(&self, base: Option<u32>, edits: &[Edit]) -> Result<(), Refused> {
        let mut st = self.shared.lock();
        let current = st.doc.revision();
        if let Some(base) = base
            && base != current
        {
            return Err(Refused::Stale { base, current });
        }
        self.apply_locked(&mut st, edits)
            .map_err(|(index, error)| Refused::Edit { index, error })
    }

    /// Applies and journals `edits` under the document's lock.
    fn apply_locked(&self, st: &mut State, edits: &[Edit]) -> Result<(), (usize, EditError)> {
        let undo_before = st.doc.undo_depth();
        st.doc.apply_all(edits)?;
        st.record(Op::Apply { edits, undo_before }, Instant::now());
        self.shared.wake.notify_all();
        Ok(())
    }

    /// Journals text typed into a cue that has not become an edit yet ([`JournalOp::Draft`]), so
    /// a crash loses no more than the last ~100 ms of typing. Not an edit: no undo step, no
    /// change of the document or its save status. A cue index out of range is refused.
    pub fn journal_draft(&self, cue: usize, text: &str) -> Result<(), DraftError> {
        let mut st = self.shared.lock();
        let count = st.doc.document().cue_count();
        if cue >= count {
            return Err(DraftError::NoSuchCue { index: cue, count });
        }
        st.journal_draft(cue, text.to_string())
            .map_err(|e| DraftError::Journal(e.to_string()))
    }

    /// Replaces the match at `target` (cue, UTF-16 offset), or every match, as one undo step.
    pub fn replace(
        &self,
        query: &cueline_transcript::search::Query,
        replacement: &str,
        target: Option<(usize, usize)>,
    ) -> Result<usize, crate::open_document::ReplaceError> {
        let mut st = self.shared.lock();
        let (edits, count) = st.doc.plan_replace(query, replacement, target)?;
        if edits.is_empty() {
            return Ok(count);
        }
        let undo_before = st.doc.undo_depth();
        st.doc.apply_all(&edits).map_err(|(_, e)| e)?;
        st.record(
            Op::Apply {
                edits: &edits,
                undo_before,
            },
            Instant::now(),
        );
        self.shared.wake.notify_all();
        Ok(count)
    }

    pub fn undo(&self) -> bool {
        let mut st = self.shared.lock();
        let done = st.doc.undo();
        if done {
            st.record(Op::Undo, Instant::now());
            self.shared.wake.notify_all();
        }
        done
    }

    pub fn redo(&self) -> bool {
        let mut st = self.shared.lock();
        let done = st.doc.redo();
        if done {
            st.record(Op::Redo, Instant::now());
            self.shared.wake.notify_all();
        }
        done
    }

    /// Saves now (Ctrl+S), waiting for an autosave in flight first.
    pub fn save_now(&self) -> Result<Saved, SaveError> {
        let mut st = self.shared.lock();
        while st.autosave.is_saving() {
            st = self.shared.wait(st);
        }
        let (st, result) = save(&self.shared, st);
        drop(st);
        result
    }

    /// Reads the file now and acts on what it holds (what the watcher triggers).
    pub fn check_disk(&self) {
        let st = self.shared.lock();
        drop(check_disk(&self.shared, st));
    }

    /// Conflict resolved as "Reload theirs": the document becomes the file (one undo step).
    pub fn reload_theirs(&self) -> Result<ReloadSummary, OpenError> {
        let mut st = self.shared.lock();
        let Some(path) = st.doc.path().map(Path::to_path_buf) else {
            return Ok(ReloadSummary::default());
        };
        let bytes = read_limited(&path).map_err(|e| limited_to_open(&path, e))?;
        let summary = st.doc.reload_from(&bytes);
        st.base = bytes;
        st.autosave.release();
        st.autosave.cleaned();
        st.drafts.clear(); // their indices are the old version's: the window sends them again
        st.end_journal();
        st.emit_status();
        Ok(summary)
    }

    /// Conflict resolved as "Keep mine": the file is overwritten with the document now.
    pub fn keep_mine(&self) -> Result<Saved, SaveError> {
        let mut st = self.shared.lock();
        if let Some(path) = st.doc.path().map(Path::to_path_buf) {
            match read_limited(&path) {
                Ok(bytes) => {
                    let h = blake3::hash(&bytes);
                    st.doc.accept_disk_hash(h);
                    st.base = bytes;
                }
                Err(LimitedRead::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(SaveError::Read {
                        path: path.clone(),
                        source: match e {
                            LimitedRead::Io(e) => e,
                            LimitedRead::TooLarge(n) => {
                                std::io::Error::other(format!("{n} bytes is too large"))
                            }
                        },
                    });
                }
            }
        }
        st.autosave.release();
        drop(st);
        self.save_now()
    }

    /// The cues where the file on disk and the document differ (theirs, mine), for "Compare".
    pub fn compare_with_disk(&self) -> Result<Vec<crate::compare::CompareRow>, OpenError> {
        let (path, mine, format) = {
            let st = self.shared.lock();
            (
                st.doc.path().map(Path::to_path_buf),
                st.doc.document().print(),
                st.doc.format(),
            )
        };
        let Some(path) = path else {
            return Ok(Vec::new());
        };
        let theirs = match read_limited(&path) {
            Ok(b) => b,
            Err(LimitedRead::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(limited_to_open(&path, e)),
        };
        Ok(crate::compare::compare(&theirs, &mine, format))
    }

    /// The next event, waiting up to `timeout`.
    pub fn next_event(&self, timeout: Duration) -> Option<StoreEvent> {
        let rx = self.events.lock().unwrap_or_else(|p| p.into_inner());
        rx.recv_timeout(timeout).ok()
    }

    /// Every event that has arrived.
    pub fn drain_events(&self) -> Vec<StoreEvent> {
        let rx = self.events.lock().unwrap_or_else(|p| p.into_inner());
        rx.try_iter().collect()
    }

    /// Changes the autosave settings (for example switched off in settings).
    pub fn set_autosave(&self, policy: AutosavePolicy) {
        self.shared.lock().autosave.set_policy(policy);
        self.shared.wake.notify_all();
    }
}

/// Watches `path` for changes made elsewhere (asks the driver to check the disk).
fn watch_file(
    shared: &Arc<Shared>,
    path: Option<&Path>,
    watch: Option<Duration>,
) -> Option<FileWatcher> {
    let (path, debounce) = (path?, watch?);
    let weak = Arc::downgrade(shared);
    FileWatcher::watch(path, debounce, move || {
        if let Some(s) = weak.upgrade() {
            s.lock().check_requested = true;
            s.wake.notify_all();
        }
    })
    .map_err(|e| tracing::warn!(error = %e, "not watching"))
    .ok()
}

impl Drop for LiveDocument {
    fn drop(&mut self) {
        *self.watcher.get_mut().unwrap_or_else(|p| p.into_inner()) = None;
        self.shared.lock().stop = true;
        self.shared.wake.notify_all();
        if let Some(t) = self.driver.take() {
            let _ = t.join();
        }
    }
}

fn limited_to_open(path: &Path, e: LimitedRead) -> OpenError {
    match e {
        LimitedRead::TooLarge(size) => OpenError::TooLarge {
            path: path.into(),
            size,
        },
        LimitedRead::Io(source) if source.kind() == std::io::ErrorKind::NotFound => {
            OpenError::NotFound { path: path.into() }
        }
        LimitedRead::Io(source) => OpenError::Io {
            path: path.into(),
            source,
        },
    }
}

/// The driver thread: autosave when due, look at the file when asked.
fn drive(shared: &Shared) {
    let mut st = shared.lock();
    loop {
        if st.stop {
            return;
        }
        if st.check_requested {
            st.check_requested = false;
            st = check_disk(shared, st);
            continue;
        }
        let now = Instant::now();
        if st.autosave.due(now) {
            st = save(shared, st).0;
            continue;
        }
        st = match st.autosave.deadline() {
            Some(d) => {
                shared
                    .wake
                    .wait_timeout(st, d.saturating_duration_since(now))
                    .unwrap_or_else(|p| p.into_inner())
                    .0
            }
            None => shared.wait(st),
        };
    }
}

/// Saves the document, writing without the lock.
fn save<'a>(
    shared: &'a Shared,
    mut st: MutexGuard<'a, State>,
) -> (MutexGuard<'a, State>, Result<Saved, SaveError>) {
    let plan = match st.doc.prepare_save() {
        Ok(p) => p,
        Err(e) => return (st, Err(e)),
    };
    let bytes = plan.bytes().to_vec();
    let hash = blake3::hash(&bytes);
    if let Some(j) = st.journal.as_mut()
        && let Err(e) = j.append(&JournalOp::Saving(hash.to_hex().to_string()))
    {
        tracing::warn!(error = %e, "crash journal");
    }
    st.pending_write = Some(hash);
    st.autosave.save_started();
    st.emit_status();
    drop(st);
    let result = plan.write();
    let mut st = shared.lock();
    st.pending_write = None;
    match &result {
        Ok(saved) => {
            st.doc.finish_save(*saved);
            st.base = bytes;
            st.autosave.save_succeeded();
            if st.doc.is_dirty() {
                st.restart_journal();
            } else {
                st.autosave.cleaned();
                st.end_journal();
            }
            st.rejournal_drafts();
            st.emit(StoreEvent::Saved {
                revision: saved.revision,
                hash: saved.hash,
            });
        }
        Err(SaveError::Conflict { .. }) => {
            st.autosave.save_failed(Instant::now());
            st.autosave.hold(Hold::Conflict);
            let hash = st.doc.disk_hash();
            st.emit(StoreEvent::Conflict { hash });
        }
        Err(e) => {
            tracing::warn!(error = %e, "save failed");
            st.autosave.save_failed(Instant::now());
            st.emit(StoreEvent::SaveFailed {
                message: e.to_string(),
            });
        }
    }
    st.emit_status();
    shared.wake.notify_all();
    if std::mem::take(&mut st.recheck_after_save) {
        st = check_disk(shared, st);
    }
    (st, result)
}

/// Reads the file (without the lock) and compares it with what the document knows.
fn check_disk<'a>(shared: &'a Shared, st: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
    let Some(path) = st.doc.path().map(Path::to_path_buf) else {
        return st;
    };
    drop(st);
    let read = read_limited(&path);
    let mut st = shared.lock();
    let bytes = match read {
        Ok(b) => b,
        Err(LimitedRead::Io(e))
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
            ) =>
        {
            if st.autosave.held().is_none() {
                st.autosave.hold(Hold::Missing);
                st.emit(StoreEvent::Deleted);
                st.emit_status();
            }
            return st;
        }
        Err(LimitedRead::Io(e)) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read the file to compare");
            return st;
        }
        Err(LimitedRead::TooLarge(_)) => {
            // replaced by something that is not a transcript: never overwrite it
            if st.autosave.held() != Some(Hold::Conflict) {
                st.autosave.hold(Hold::Conflict);
                let hash = st.doc.disk_hash();
                st.emit(StoreEvent::Conflict { hash });
                st.emit_status();
            }
            return st;
        }
    };
    let hash = blake3::hash(&bytes);
    if st.pending_write == Some(hash) {
        return st; // our own save, seen before it finished
    }
    if st.autosave.is_saving() {
        st.recheck_after_save = true;
        return st;
    }
    if hash == st.doc.disk_hash() {
        if st.autosave.held() == Some(Hold::Missing) {
            st.autosave.release(); // the file is back as it was
            st.emit_status();
        }
        return st;
    }
    if st.autosave.held() == Some(Hold::Conflict) {
        return st;
    }
    if !st.doc.is_dirty() {
        let summary = st.doc.reload_from(&bytes);
        st.base = bytes;
        st.autosave.release();
        st.drafts.clear(); // their indices are the old version's: the window sends them again
        st.end_journal();
        tracing::info!(path = %path.display(), ?summary, "reloaded after an outside change");
        st.emit(StoreEvent::Reloaded {
            changed: summary.changed,
            added: summary.added,
            removed: summary.removed,
            hash,
        });
    } else {
        st.autosave.hold(Hold::Conflict);
        tracing::info!(path = %path.display(), "conflict: changed on disk with unsaved edits");
        st.emit(StoreEvent::Conflict { hash });
    }
    st.emit_status();
    shared.wake.notify_all();
    st
}

/// Why edits were not applied.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    /// The edits were made against revision `base`; the document is at `current`.
    #[error("the document changed (revision {current}) since the edit was made (revision {base})")]
    Stale { base: u32, current: u32 },
    /// Edit `index` of the batch was refused; the document is unchanged.
    #[error("{error}")]
    Edit { index: usize, error: EditError },
}

/// Why a draft could not be journaled.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("cue {index} does not exist (the document has {count} cues)")]
    NoSuchCue { index: usize, count: usize },
    #[error("{0}")]
    Journal(String),
}

/// What a journal found after a crash.
#[derive(Debug)]
pub enum Recovery {
    /// No edits to restore, or the file already holds them.
    Nothing,
    /// The file is as the journal left it: the document, opened from it, with the unsaved
    /// edits applied again (dirty), and the bytes on disk (its base).
    Restored {
        doc: Box<OpenDocument>,
        base: Vec<u8>,
    },
    /// The file changed since: both versions, for a side-by-side view.
    Diverged {
        path: PathBuf,
        /// The file now (`None`: it is gone).
        theirs: Option<Vec<u8>>,
        /// The edits replayed onto the file as it was when editing started.
        mine: Vec<u8>,
    },
}

/// Recovers what the journal holds. The journal file is left in place; remove it once the user
/// decided (or [`LiveDocument`] removes it after the restored document is saved).
pub fn recover(journal: &JournalContents) -> Result<Recovery, OpenError> {
    if !journal.has_edits() {
        return Ok(Recovery::Nothing);
    }
    let mine = journal.replay().document().print();
    let theirs = match read_limited(&journal.path) {
        Ok(b) => Some(b),
        Err(LimitedRead::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(limited_to_open(&journal.path, e)),
    };
    let Some(theirs) = theirs else {
        return Ok(Recovery::Diverged {
            path: journal.path.clone(),
            theirs: None,
            mine,
        });
    };
    if theirs == mine {
        return Ok(Recovery::Nothing);
    }
    let disk_hash = blake3::hash(&theirs);
    let ours = disk_hash == journal.base_hash
        || journal
            .saving_hashes()
            .iter()
            .any(|h| h == disk_hash.to_hex().as_str());
    if !ours {
        return Ok(Recovery::Diverged {
            path: journal.path.clone(),
            theirs: Some(theirs),
            mine,
        });
    }
    let mut doc = OpenDocument::open(&journal.path)?;
    if disk_hash == journal.base_hash {
        // replay onto the document itself, so undo steps come back too
        crate::journal::replay(&mut doc, &journal.entries, journal.format);
        if doc.document().print() != mine {
            doc.replace_content(&mine);
        }
    } else {
        doc.replace_content(&mine);
    }
    Ok(Recovery::Restored {
        doc: Box::new(doc),
        base: theirs,
    })
}

impl crate::journal::ReplayTarget for OpenDocument {
    fn apply_all(&mut self, edits: &[Edit]) -> Result<(), (usize, EditError)> {
        OpenDocument::apply_all(self, edits)
    }
    fn undo(&mut self) -> bool {
        OpenDocument::undo(self)
    }
    fn redo(&mut self) -> bool {
        OpenDocument::redo(self)
    }
    fn load(&mut self, bytes: &[u8], _format: cueline_transcript::Format) {
        self.replace_content(bytes);
    }
    fn cue_text(&self, cue: usize) -> Option<String> {
        self.document().cue(cue).map(|c| c.text)
    }
}

/// The newest journal a crash left for `path` in `dir` (one no running writer holds), if any.
/// Older ones stay on disk until they are restored or discarded in their turn.
pub fn journal_for(dir: &Path, path: &Path) -> Option<JournalContents> {
    crate::journal::dead_journals(dir, path)
        .into_iter()
        .rev()
        .find_map(|f| match JournalContents::read(&f) {
            Ok(j) => Some(j),
            Err(e) => {
                tracing::warn!(journal = %f.display(), error = %e, "unreadable crash journal");
                None
            }
        })
}

/// Drops a crash journal the user chose not to restore.
pub fn discard_journal(journal: &JournalContents) -> std::io::Result<()> {
    match std::fs::remove_file(&journal.file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
