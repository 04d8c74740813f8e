//! The marks of every open transcript, kept in step with its document, saved with a debounce.
//!
//! Why a store of its own: the editor changes a document many times a second (typing, a replace
//! all, a reload from disk) and the player reports 20 times a second; the marks follow every
//! change ([`crate::marks::carry`]) but reach the disk only after [`ProgressStore::new`]'s delay
//! of quiet, from one saver thread, atomically, and once more when a transcript is closed or the
//! store is dropped. Nothing here knows about Tauri: the desktop app calls these methods from
//! its commands and its playback forwarder.
//!
//! A transcript is known by a key: its canonical path, or for a document without a file (the
//! built-in demo) any unique path with `persist: false`, kept in memory only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cueline_transcript::{Document, Format};

use crate::book::{self, ProgressFile, VERSION};
use crate::listen::{ListenTracker, Sample, heard, spans};
use crate::marks::{Counts, Cue, Mark, carry, counts, cues_of, keyed, next_unchecked, rekey};

/// The default quiet time before marks are written.
pub const SAVE_DELAY: Duration = Duration::from_millis(500);

/// The marks of one transcript as they are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub marks: Vec<Mark>,
    pub counts: Counts,
}

#[derive(Debug)]
struct Book {
    persist: bool,
    /// The document revision the marks were last put in step with.
    revision: Option<u64>,
    cues: Vec<Cue>,
    marks: Vec<Mark>,
    /// Changed and not yet written since then.
    changed_at: Option<Instant>,
}

impl Book {
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            marks: self.marks.clone(),
            counts: counts(&self.marks),
        }
    }

    fn file(&self, key: &Path) -> ProgressFile {
        ProgressFile {
            version: VERSION,
            transcript: key.to_owned(),
            counts: counts(&self.marks),
            marks: keyed(&self.cues, &self.marks),
        }
    }

    fn touch(&mut self) {
        if self.persist {
            self.changed_at = Some(Instant::now());
        }
    }
}

#[derive(Debug, Default)]
struct State {
    books: HashMap<PathBuf, Book>,
    /// The transcript whose audio is in the player.
    listening: Option<PathBuf>,
    tracker: ListenTracker,
    stop: bool,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    delay: Duration,
    dir: Option<PathBuf>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn write_all(&self, files: Vec<ProgressFile>) {
        let Some(dir) = &self.dir else { return };
        for f in files {
            match book::write(dir, &f) {
                Ok(path) => tracing::debug!(file = %path.display(), "review progress saved"),
                Err(e) => {
                    tracing::warn!(transcript = %f.transcript.display(), error = %e, "cannot save review progress")
                }
            }
        }
    }
}

/// See the module docs.
#[derive(Debug)]
pub struct ProgressStore {
    shared: Arc<Shared>,
    saver: Option<JoinHandle<()>>,
}

impl ProgressStore {
    /// Marks kept in `dir` (`None`: in memory only), written after `delay` of quiet.
    pub fn new(dir: Option<PathBuf>, delay: Duration) -> ProgressStore {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            delay,
            dir,
        });
        let saver = shared.dir.is_some().then(|| {
            let s = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("cueline-progress-saver".to_owned())
                .spawn(move || saver(&s))
        });
        let saver = match saver {
            Some(Ok(handle)) => Some(handle),
            Some(Err(e)) => {
                tracing::error!(error = %e, "cannot start the review progress saver; marks are saved on close");
                None
            }
            None => None,
        };
        ProgressStore { shared, saver }
    }

    /// Marks in `$XDG_DATA_HOME/cueline/review/`.
    pub fn from_env() -> ProgressStore {
        ProgressStore::new(book::review_dir_from_env(), SAVE_DELAY)
    }

    pub fn dir(&self) -> Option<&Path> {
        self.shared.dir.as_deref()
    }

    /// Puts the marks of `key` in step with its document at `revision` (`cues` is called only
    /// when the revision changed, or when the transcript is new to the store: then its stored
    /// marks are read and re-keyed).
    pub fn sync(
        &self,
        key: &Path,
        persist: bool,
        revision: u64,
        cues: impl FnOnce() -> Vec<Cue>,
    ) -> Snapshot {
        let known = {
            let st = self.shared.lock();
            st.books.get(key).map(|b| b.revision == Some(revision))
        };
        if known == Some(true) {
            return self.with_book(key, |b| b.snapshot()).unwrap_or_else(empty);
        }
        let cues = cues();
        let stored = match (known, &self.shared.dir) {
            (None, Some(dir)) if persist => book::read(dir, key),
            _ => None,
        };
        let mut st = self.shared.lock();
        let book = st.books.entry(key.to_owned()).or_insert_with(|| Book {
            persist,
            revision: None,
            marks: stored.as_ref().map_or_else(
                || vec![Mark::Unreviewed; cues.len()],
                |s| rekey(&s.marks, &cues),
            ),
            cues: cues.clone(),
            changed_at: None,
        });
        if book.revision.is_some() {
            let marks = carry(&book.cues, &book.marks, &cues);
            if marks != book.marks || keyed(&book.cues, &book.marks) != keyed(&cues, &marks) {
                book.touch();
            }
            book.marks = marks;
            book.cues = cues;
        }
        book.revision = Some(revision);
        let snap = book.snapshot();
        drop(st);
        self.shared.wake.notify_all();
        snap
    }

    /// The document of `key` was replaced by another one (a restored crash journal): its cue
    /// ids may name other cues now, so the next [`ProgressStore::sync`] goes by the text keys.
    pub fn forget_ids(&self, key: &Path) {
        self.with_book(key, |b| b.cues.iter_mut().for_each(|c| c.id = None));
    }

    fn with_book<T>(&self, key: &Path, f: impl FnOnce(&mut Book) -> T) -> Option<T> {
        let mut st = self.shared.lock();
        let out = st.books.get_mut(key).map(f);
        drop(st);
        self.shared.wake.notify_all();
        out
    }

    /// The marks of `key` as last put in step (`None`: not in the store).
    pub fn snapshot(&self, key: &Path) -> Option<Snapshot> {
        self.with_book(key, |b| b.snapshot())
    }

    /// Checked becomes listened; listened or unreviewed becomes checked. `None` when `key` is
    /// not in the store or `index` is not a cue.
    pub fn toggle_checked(&self, key: &Path, index: usize) -> Option<Snapshot> {
        self.with_book(key, |b| {
            let m = b.marks.get_mut(index)?;
            *m = if *m == Mark::Checked {
                Mark::Listened
            } else {
                Mark::Checked
            };
            b.touch();
            Some(b.snapshot())
        })
        .flatten()
    }

    /// The next (or previous) cue after `from` that is not checked.
    pub fn next_unchecked(&self, key: &Path, from: Option<usize>, forward: bool) -> Option<usize> {
        self.with_book(key, |b| next_unchecked(&b.marks, from, forward))
            .flatten()
    }

    /// The player now plays the audio of `key` (`None`: no transcript's audio).
    pub fn set_listening(&self, key: Option<PathBuf>) {
        let mut st = self.shared.lock();
        if st.listening != key {
            st.tracker.reset();
        }
        st.listening = key;
    }

    /// The transcript whose audio is in the player.
    pub fn listening(&self) -> Option<PathBuf> {
        self.shared.lock().listening.clone()
    }

    /// Takes one player report for the transcript being listened to (put in step first, by
    /// [`ProgressStore::sync`]). Returns its key and marks when a cue became *listened*.
    pub fn observe(
        &self,
        sample: Sample,
        media_end_ms: Option<u64>,
    ) -> Option<(PathBuf, Snapshot)> {
        let mut st = self.shared.lock();
        let run = st.tracker.observe(sample)?;
        let key = st.listening.clone()?;
        let book = st.books.get_mut(&key)?;
        let bounds: Vec<(u32, Option<u32>)> =
            book.cues.iter().map(|c| (c.start_ms, c.end_ms)).collect();
        let mut changed = false;
        for i in heard(&spans(&bounds, media_end_ms), run) {
            if book.marks[i] == Mark::Unreviewed {
                book.marks[i] = Mark::Listened;
                changed = true;
            }
        }
        if !changed {
            return None;
        }
        book.touch();
        let snap = book.snapshot();
        drop(st);
        self.shared.wake.notify_all();
        Some((key, snap))
    }

    /// Writes the marks of `key` now if they changed, and forgets them (the transcript closed).
    pub fn close(&self, key: &Path) {
        let file = {
            let mut st = self.shared.lock();
            if st.listening.as_deref() == Some(key) {
                st.listening = None;
                st.tracker.reset();
            }
            st.books
                .remove(key)
                .filter(|b| b.changed_at.is_some())
                .map(|b| b.file(key))
        };
        self.shared.write_all(file.into_iter().collect());
    }

    /// Writes every changed transcript's marks now.
    pub fn flush(&self) {
        let files = take_due(&mut self.shared.lock(), None);
        self.shared.write_all(files);
    }

    /// The counts of the transcript at `path` (canonical): from the store when it is open,
    /// else its progress file re-keyed against the file as it is on disk. `None` when it has no
    /// marks anywhere.
    pub fn summary(&self, path: &Path) -> Option<Counts> {
        if let Some(snap) = self.snapshot(path) {
            return Some(snap.counts);
        }
        let stored = book::read(self.shared.dir.as_deref()?, path)?;
        let format = Format::from_path(path)?;
        let bytes = match cueline_transcript_store::read_input_file(path) {
            Ok(b) => b,
            Err(e) => {
                tracing::debug!(path = %path.display(), error = %e, "review summary from the stored counts");
                return Some(stored.counts);
            }
        };
        let cues = cues_of(&Document::parse(&bytes, format));
        Some(counts(&rekey(&stored.marks, &cues)))
    }
}

fn empty() -> Snapshot {
    Snapshot {
        marks: Vec::new(),
        counts: Counts::default(),
    }
}

/// The files of the books changed before `due_before` (all changed books for `None`), marked
/// as written.
fn take_due(st: &mut State, due_before: Option<Instant>) -> Vec<ProgressFile> {
    st.books
        .iter_mut()
        .filter(|(_, b)| {
            b.changed_at
                .is_some_and(|t| due_before.is_none_or(|d| t <= d))
        })
        .map(|(k, b)| {
            b.changed_at = None;
            b.file(k)
        })
        .collect()
}

fn saver(shared: &Shared) {
    let mut st = shared.lock();
    loop {
        if st.stop {
            return;
        }
        let now = Instant::now();
        let next = st
            .books
            .values()
            .filter_map(|b| b.changed_at)
            .min()
            .map(|t| t + shared.delay);
        st = match next {
            None => shared.wake.wait(st).unwrap_or_else(PoisonError::into_inner),
            Some(due) if due > now => {
                shared
                    .wake
                    .wait_timeout(st, due - now)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
            Some(_) => {
                let files = take_due(&mut st, now.checked_sub(shared.delay));
                drop(st);
                shared.write_all(files);
                shared.lock()
            }
        };
    }
}

impl Drop for ProgressStore {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_all();
        if let Some(h) = self.saver.take()
            && h.join().is_err()
        {
            tracing::error!("the review progress saver panicked");
        }
        self.flush();
    }
}
