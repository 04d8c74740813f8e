//! The one value Tauri manages: what the app was started with, and the open documents.
//!
//! One `std::sync::Mutex` guards the registry. Critical sections are short (apply an edit,
//! build a view) and never span disk work or an `.await`: opening reads the file before
//! taking the lock, saving prints under the lock and writes without it.

use std::sync::{Mutex, MutexGuard, PoisonError};

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
}
