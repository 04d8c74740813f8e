//! The documents open in the app, keyed by [`DocId`], at most one per file.
//!
//! The registry is plain data: the app keeps it behind one lock and does disk work (reading a
//! file to open, writing a save) outside that lock. That is why opening is split into
//! [`Documents::find_path`] (is it open already?) and [`Documents::insert`] (which, if the same
//! file was opened meanwhile, keeps the first and returns its id).

use std::collections::BTreeMap;
use std::path::Path;

use crate::open_document::OpenDocument;

/// Identity of an open document for the life of the app. Never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(pub u32);

/// The open documents.
#[derive(Debug, Default)]
pub struct Documents {
    next: u32,
    docs: BTreeMap<DocId, OpenDocument>,
}

impl Documents {
    pub fn new() -> Documents {
        Documents::default()
    }

    /// The document open for the file at `path` (compared as canonical paths), if any.
    pub fn find_path(&self, path: &Path) -> Option<DocId> {
        let canonical = std::fs::canonicalize(path).ok();
        let wanted = canonical.as_deref().unwrap_or(path);
        self.docs
            .iter()
            .find(|(_, d)| d.path() == Some(wanted))
            .map(|(id, _)| *id)
    }

    /// Adds `doc` and returns its new id; if a document for the same file is already open, the
    /// open one is kept (it may have edits) and its id is returned.
    pub fn insert(&mut self, doc: OpenDocument) -> DocId {
        if let Some(path) = doc.path()
            && let Some((id, _)) = self.docs.iter().find(|(_, d)| d.path() == Some(path))
        {
            return *id;
        }
        let id = DocId(self.next);
        self.next = self.next.wrapping_add(1);
        self.docs.insert(id, doc);
        id
    }

    pub fn get(&self, id: DocId) -> Option<&OpenDocument> {
        self.docs.get(&id)
    }

    pub fn get_mut(&mut self, id: DocId) -> Option<&mut OpenDocument> {
        self.docs.get_mut(&id)
    }

    /// Closes a document (unsaved changes are dropped: the caller asks first).
    pub fn remove(&mut self, id: DocId) -> Option<OpenDocument> {
        self.docs.remove(&id)
    }

    /// Whether any open document has unsaved changes.
    pub fn any_dirty(&self) -> bool {
        self.docs.values().any(OpenDocument::is_dirty)
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (DocId, &OpenDocument)> {
        self.docs.iter().map(|(id, d)| (*id, d))
    }
}
