//! The one value Tauri manages: what the app was started with, and the open documents.
//!
//! One `std::sync::Mutex` guards the registry. Critical sections are short (apply an edit,
//! build a view) and never span disk work or an `.await`: opening reads the file before
//! taking the lock, saving prints under the lock and writes without it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use cueline_transcript_store::{
    JournalContents, LiveConfig, LiveDocument, RecentFiles, Settings, SettingsFile,
};

use cueline_session::grants::PathGrants;

use crate::audio::Audio;
use crate::ipc::dto::DocumentView;
use crate::ipc::error::IpcError;
use crate::ipc::events::DocumentChanged;
use crate::launch::{DemoSource, Launch};
use crate::project::{ProjectEmitter, ProjectSlot};

/// Where `DocumentChanged` events go (the Tauri event emitter; a collector in tests).
pub type Emitter = Arc<dyn Fn(DocumentChanged) + Send + Sync>;

pub struct AppState {
    /// What the window opens first.
    pub launch: Launch,
    /// Where the recent-files list is kept (`None`: no config folder known, no list).
    pub recent: Option<RecentFiles>,
    /// Where the settings are kept (`None`: no config folder known, defaults only).
    pub settings_file: Option<SettingsFile>,
    settings: Mutex<Settings>,
    /// Where crash journals go (`None`: no data folder known, no journal).
    pub journal_dir: Option<PathBuf>,
    open: Mutex<Open>,
    emitter: Arc<Mutex<Option<Emitter>>>,
    /// When the UI was last asked about closing and has not answered (`force_close`) yet.
    close_asked: Mutex<Option<Instant>>,
    /// The player, the audio of each transcript, where the user left it, the waveform.
    pub audio: Audio,
    /// The folder open as a project (repository mode), if any.
    project: Mutex<Option<Arc<ProjectSlot>>>,
    project_emitter: Mutex<Option<ProjectEmitter>>,
    /// The review pass: the dictionary, *Ignore all*, each open document's flags.
    pub review: cueline_review::ReviewSession,
    /// Review progress: which cues were listened to and checked.
    pub progress: crate::progress::Progress,
    /// The paths the user chose (dialogs, launch, hand-off, drops, and the recent list once it is
    /// shown: `commands::folder::recent`): every command that takes a path from the page checks
    /// it here first.
    pub grants: PathGrants,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("launch", &self.launch)
            .field("journal_dir", &self.journal_dir)
            .finish_non_exhaustive()
    }
}

/// The output of an [`AppState`] built without [`AppState::with_audio`]: none.
fn no_audio_output() -> Result<cueline_player::PlayerHandle, cueline_player::PlayerError> {
    Err(cueline_player::PlayerError::Output(
        "this app state has no audio output".to_owned(),
    ))
}

/// If the UI has not answered a close request for this long and nothing is dirty in Rust,
/// the next close request closes: a UI that died must not make the window unclosable.
pub const CLOSE_ANSWER_TIMEOUT: Duration = Duration::from_secs(3);

/// What to do when the user asks to close the window or quit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseDecision {
    /// Keep the window and send `CloseRequested` to the UI.
    AskUi,
    /// Close now.
    Close,
}

/// The UI is always asked, even when every document is clean in Rust: the cue being typed in
/// may hold a draft that has not been sent yet (the UI flushes it, then asks or calls
/// `force_close`). Only when nothing is dirty in Rust and an earlier request went unanswered
/// for [`CLOSE_ANSWER_TIMEOUT`] does the window close without the UI.
pub fn decide_close(any_dirty: bool, asked_at: Option<Instant>, now: Instant) -> CloseDecision {
    match asked_at {
        Some(t) if !any_dirty && now.duration_since(t) >= CLOSE_ANSWER_TIMEOUT => {
            CloseDecision::Close
        }
        _ => CloseDecision::AskUi,
    }
}

/// The launch arguments are the user's choice (the demo's folder too: the sidebar shows it).
fn grant_launch(grants: &PathGrants, launch: &Launch) {
    match launch {
        Launch::File(path)
        | Launch::Folder(path)
        | Launch::Demo(DemoSource::File(path) | DemoSource::Copy(path)) => grants.grant(path),
        Launch::Demo(DemoSource::Builtin) => {}
    }
}

/// The open documents (each a [`LiveDocument`]: autosave, journal, watcher) and which of them
/// is the bundled demo.
#[derive(Debug, Default)]
pub struct Open {
    next: u32,
    docs: BTreeMap<u32, Arc<LiveDocument>>,
    pub demo: Option<u32>,
    /// Crash journals found when a document was opened, waiting for the user's decision.
    pub recoveries: BTreeMap<u32, JournalContents>,
}

impl Open {
    pub fn get(&self, id: u32) -> Result<Arc<LiveDocument>, IpcError> {
        self.docs
            .get(&id)
            .cloned()
            .ok_or(IpcError::NoSuchDocument { doc_id: id })
    }

    /// The document open for the file at `path` (compared as canonical paths), if any.
    pub fn find_path(&self, path: &Path) -> Option<u32> {
        let canonical = std::fs::canonicalize(path).ok();
        let wanted = canonical.as_deref().unwrap_or(path);
        self.docs
            .iter()
            .find(|(_, d)| d.read(|d| d.path() == Some(wanted)))
            .map(|(id, _)| *id)
    }

    /// Adds a document and returns its id (never reused).
    pub fn insert(&mut self, doc: Arc<LiveDocument>) -> u32 {
        let id = self.next;
        self.next = self.next.wrapping_add(1);
        self.docs.insert(id, doc);
        id
    }

    /// Puts `doc` in the place of document `id` (a restored crash journal).
    pub fn replace(&mut self, id: u32, doc: Arc<LiveDocument>) {
        self.docs.insert(id, doc);
    }

    pub fn remove(&mut self, id: u32) -> Option<Arc<LiveDocument>> {
        self.recoveries.remove(&id);
        self.docs.remove(&id)
    }

    pub fn any_dirty(&self) -> bool {
        self.docs.values().any(|d| d.read(|d| d.is_dirty()))
    }

    pub fn iter_with_ids(&self) -> impl Iterator<Item = (u32, &Arc<LiveDocument>)> {
        self.docs.iter().map(|(id, d)| (*id, d))
    }

    /// The view of document `id` as it is now.
    pub fn view(&self, id: u32) -> Result<DocumentView, IpcError> {
        let doc = self.get(id)?;
        let status = doc.status();
        let is_demo = self.demo == Some(id);
        let recovery = self.recoveries.contains_key(&id);
        Ok(doc.read(|d| DocumentView::from_open(id, d, is_demo, status, recovery)))
    }
}

impl AppState {
    pub fn new(
        launch: Launch,
        recent: Option<RecentFiles>,
        settings_file: Option<SettingsFile>,
        journal_dir: Option<PathBuf>,
    ) -> AppState {
        let settings = settings_file
            .as_ref()
            .map(SettingsFile::load)
            .unwrap_or_default();
        // rejections beside the journal: `$XDG_DATA_HOME/cueline/review/`
        let review_dir = journal_dir
            .as_deref()
            .and_then(Path::parent)
            .map(|d| d.join("review"));
        let review = cueline_review::ReviewSession::new(review_dir, &settings.spelling_language);
        let grants = PathGrants::new();
        grant_launch(&grants, &launch);
        AppState {
            launch,
            recent,
            settings_file,
            settings: Mutex::new(settings),
            journal_dir,
            open: Mutex::new(Open::default()),
            emitter: Arc::new(Mutex::new(None)),
            close_asked: Mutex::new(None),
            audio: Audio::new(Box::new(no_audio_output), None, None),
            project: Mutex::new(None),
            project_emitter: Mutex::new(None),
            review,
            progress: crate::progress::Progress::new(cueline_progress::ProgressStore::new(
                None,
                cueline_progress::SAVE_DELAY,
            )),
            grants,
        }
    }

    /// The window's project, if a folder is open as one.
    pub fn project(&self) -> Option<Arc<ProjectSlot>> {
        self.project
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn set_project(&self, slot: Option<Arc<ProjectSlot>>) {
        *self.project.lock().unwrap_or_else(PoisonError::into_inner) = slot;
    }

    /// Where project events go (set once the app runs).
    pub fn project_emitter(&self) -> Option<ProjectEmitter> {
        self.project_emitter
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn set_project_emitter(&self, emit: ProjectEmitter) {
        *self
            .project_emitter
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(emit);
    }

    /// The same state with `audio` (the app's sound device and data folder; tests pass a
    /// device-less player).
    #[must_use]
    pub fn with_audio(mut self, audio: Audio) -> AppState {
        audio.set_auto_rewind(self.settings().auto_rewind_ms);
        self.audio = audio;
        self
    }

    /// The same state with review progress kept by `store` (the app: the data folder).
    #[must_use]
    pub fn with_progress(mut self, store: cueline_progress::ProgressStore) -> AppState {
        self.progress = crate::progress::Progress::new(store);
        self
    }

    /// Sends every document's `DocumentChanged` events to `emit` from now on.
    pub fn set_emitter(&self, emit: Emitter) {
        *self.emitter.lock().unwrap_or_else(PoisonError::into_inner) = Some(emit);
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn set_settings_value(&self, settings: Settings) {
        *self.settings.lock().unwrap_or_else(PoisonError::into_inner) = settings;
    }

    /// How documents with a file of their own run: the settings' autosave, the journal folder,
    /// the parent-folder watcher.
    pub fn live_config(&self) -> LiveConfig {
        LiveConfig {
            autosave: self.settings().autosave_policy(),
            journal_dir: self.journal_dir.clone(),
            ..LiveConfig::default()
        }
    }

    /// Forwards `doc`'s store events as `DocumentChanged { doc_id }` on a small thread that
    /// ends when the document is closed (it holds the document only weakly).
    pub fn forward_events(&self, doc_id: u32, doc: &Arc<LiveDocument>) {
        let weak: Weak<LiveDocument> = Arc::downgrade(doc);
        let emitter = Arc::clone(&self.emitter);
        let spawned = std::thread::Builder::new()
            .name(format!("cueline-doc-{doc_id}-events"))
            .spawn(move || {
                while let Some(doc) = weak.upgrade() {
                    let Some(event) = doc.next_event(Duration::from_millis(250)) else {
                        continue;
                    };
                    let status = doc.status();
                    drop(doc);
                    let emit = emitter
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .clone();
                    if let Some(emit) = emit {
                        emit(DocumentChanged::from_store(doc_id, &event, status));
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the document event thread");
        }
    }

    /// Locks the registry. A panic while it was held cannot leave a document half-edited
    /// (edits are all or nothing), so a poisoned lock is still used.
    pub fn open(&self) -> MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn any_dirty(&self) -> bool {
        self.open().any_dirty()
    }

    /// The UI just called a command, so it is alive: forget an unanswered close request (the
    /// next one asks the UI again rather than closing after the timeout).
    pub fn ui_alive(&self) {
        *self
            .close_asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Decides about a close request now, and records that the UI was asked if so.
    pub fn close_requested(&self) -> CloseDecision {
        let dirty = self.any_dirty();
        let mut asked = self
            .close_asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let decision = decide_close(dirty, *asked, now);
        if decision == CloseDecision::AskUi && asked.is_none() {
            *asked = Some(now);
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_is_asked_unless_it_stopped_answering() {
        let t0 = Instant::now();
        let later = t0 + CLOSE_ANSWER_TIMEOUT;
        assert_eq!(decide_close(false, None, t0), CloseDecision::AskUi);
        assert_eq!(decide_close(true, None, t0), CloseDecision::AskUi);
        assert_eq!(decide_close(false, Some(t0), t0), CloseDecision::AskUi);
        assert_eq!(decide_close(false, Some(t0), later), CloseDecision::Close);
        assert_eq!(
            decide_close(true, Some(t0), later),
            CloseDecision::AskUi,
            "never drop edits"
        );
    }
}
