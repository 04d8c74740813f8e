//! The one value Tauri manages: what the app was started with, and the open documents.
//!
//! One `std::sync::Mutex` guards the registry. Critical sections are short (apply an edit,
//! build a view) and never span disk work or an `.await`: opening reads the file before
//! taking the lock, saving prints under the lock and writes without it.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use cueline_transcript_store::{DocId, Documents, OpenDocument, RecentFiles};

use crate::ipc::dto::DocumentView;
use crate::ipc::error::IpcError;
use crate::launch::Launch;

#[derive(Debug)]
pub struct AppState {
    /// What the window opens first.
    pub launch: Launch,
    /// Where the recent-files list is kept (`None`: no config folder known, no list).
    pub recent: Option<RecentFiles>,
    open: Mutex<Open>,
    /// When the UI was last asked about closing and has not answered (`force_close`) yet.
    close_asked: Mutex<Option<Instant>>,
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

/// The registry and which of its documents is the bundled demo.
#[derive(Debug, Default)]
pub struct Open {
    pub docs: Documents,
    pub demo: Option<DocId>,
}

impl Open {
    pub fn get(&self, id: u32) -> Result<&OpenDocument, IpcError> {
        self.docs
            .get(DocId(id))
            .ok_or(IpcError::NoSuchDocument { doc_id: id })
    }

    pub fn get_mut(&mut self, id: u32) -> Result<&mut OpenDocument, IpcError> {
        self.docs
            .get_mut(DocId(id))
            .ok_or(IpcError::NoSuchDocument { doc_id: id })
    }

    /// The view of document `id` as it is now.
    pub fn view(&self, id: u32) -> Result<DocumentView, IpcError> {
        let doc = self.get(id)?;
        Ok(DocumentView::from_open(
            DocId(id),
            doc,
            self.demo == Some(DocId(id)),
        ))
    }
}

impl AppState {
    pub fn new(launch: Launch, recent: Option<RecentFiles>) -> AppState {
        AppState {
            launch,
            recent,
            open: Mutex::new(Open::default()),
            close_asked: Mutex::new(None),
        }
    }

    /// Locks the registry. A panic while it was held cannot leave a document half-edited
    /// (edits are all or nothing), so a poisoned lock is still used.
    pub fn open(&self) -> MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn any_dirty(&self) -> bool {
        self.open().docs.any_dirty()
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
