//! Undo and redo: a document plus the patches that got it there.
//!
//! Undo is snapshot-like: each patch holds the blocks it replaced (shared, not copied), so
//! undoing re-inserts them as they were. Undoing back to the start prints the original bytes.

use crate::document::Document;
use crate::edit::{Edit, EditError, Patch};
use crate::reload::ReloadSummary;

/// A document being edited, with its undo and redo stacks.
#[derive(Debug, Clone)]
pub struct Session {
    doc: Document,
    undo: Vec<Patch>,
    redo: Vec<Patch>,
}

impl Session {
    pub fn new(doc: Document) -> Session {
        Session {
            doc,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    pub fn into_document(self) -> Document {
        self.doc
    }

    /// Applies one edit as one undo step. An edit that changes no byte adds no step.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        let patch = self.doc.apply_edit(edit)?;
        self.push(patch);
        Ok(())
    }

    /// Applies several edits as a single undo step (a replace-all, say). If one fails, the
    /// ones before it are rolled back and its position and error are returned.
    pub fn apply_all(&mut self, edits: &[Edit]) -> Result<(), (usize, EditError)> {
        let mut done: Vec<Patch> = Vec::new();
        for (i, edit) in edits.iter().enumerate() {
            match self.doc.apply_edit(edit) {
                Ok(p) => done.push(p),
                Err(e) => {
                    for p in done.iter().rev() {
                        self.doc.apply_patch(&p.inverse());
                    }
                    return Err((i, e));
                }
            }
        }
        let combined = Patch(done.into_iter().flat_map(|p| p.0).collect());
        if !combined.is_empty() {
            self.undo.push(combined);
            self.redo.clear();
        }
        Ok(())
    }

    /// Makes the document read as `new` (the same file, re-read after it changed on disk) as
    /// one undo step: unchanged cues keep their ids, and undo brings back what was there.
    /// Only if the two cannot be diffed (the encoding changed, or either is not text) is the
    /// document replaced outright, and then the undo history starts again.
    pub fn reload(&mut self, new: Document) -> ReloadSummary {
        if let Some((patch, summary)) = self.doc.reload_patch(&new) {
            self.push(patch);
            return summary;
        }
        let summary = ReloadSummary {
            changed: 0,
            added: new.cue_count(),
            removed: self.doc.cue_count(),
        };
        let next_id = self.doc.next_id;
        self.doc = new.renumbered_from(next_id);
        self.undo.clear();
        self.redo.clear();
        summary
    }

    /// Records an applied patch as one undo step.
    fn push(&mut self, patch: Patch) {
        if patch.is_empty() {
            return;
        }
        self.undo.push(patch);
        self.redo.clear();
    }

    /// Undoes the last step; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(p) = self.undo.pop() else {
            return false;
        };
        self.doc.apply_patch(&p.inverse());
        self.redo.push(p);
        true
    }

    /// Redoes the last undone step; false when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let Some(p) = self.redo.pop() else {
            return false;
        };
        self.doc.apply_patch(&p);
        self.undo.push(p);
        true
    }

    /// How many steps can be undone (for a journal that replays undo and redo).
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// How many steps can be redone.
    pub fn redo_depth(&self) -> usize {
        self.redo.len()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
