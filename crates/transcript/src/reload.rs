//! Reloading a document from new bytes as a block-level diff.
//!
//! Why a diff and not a fresh parse: when a file changes outside the editor (a `git
//! checkout`, another tool), the editor keeps showing the same document. Replacing it
//! wholesale would give every cue a new [`CueId`](crate::CueId), so the view would lose the cue
//! being edited, and the undo history would be gone. Diffing the blocks keeps every unchanged
//! block (and its id) and turns the change into one [`Patch`], which the
//! [`Session`](crate::Session) records as a single undo step.

use std::collections::HashSet;
use std::sync::Arc;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::block::Block;
use crate::document::Document;
use crate::edit::{Patch, Splice};

/// When fewer than this share of the larger document's blocks appear in both, the reload is
/// one splice: a file rewritten through and through is not worth diffing (and a worst-case
/// diff is quadratic).
const MIN_COMMON_SHARE: f64 = 0.2;

/// What a reload changed, counted in cues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReloadSummary {
    /// Cues rewritten in place (the same position in a run of changes).
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
}

impl ReloadSummary {
    pub fn is_empty(&self) -> bool {
        self.changed == 0 && self.added == 0 && self.removed == 0
    }
}

impl Document {
    /// The patch that turns `self` into `new` (block by block; unchanged blocks keep their
    /// ids, new ones get fresh ids), applied to `self`. `None` when the two cannot be diffed
    /// (different encoding or format, or either is not text): the caller replaces the document.
    pub(crate) fn reload_patch(&mut self, new: &Document) -> Option<(Patch, ReloadSummary)> {
        if self.opaque.is_some()
            || new.opaque.is_some()
            || self.encoding != new.encoding
            || self.format != new.format
        {
            return None;
        }
        let old_keys: Vec<&str> = self.blocks.iter().map(|b| &*b.raw).collect();
        let new_keys: Vec<&str> = new.blocks.iter().map(|b| &*b.raw).collect();
        let ops = if mostly_different(&old_keys, &new_keys) {
            vec![DiffOp::Replace {
                old_index: 0,
                old_len: old_keys.len(),
                new_index: 0,
                new_len: new_keys.len(),
            }]
        } else {
            // Patience anchors on blocks that occur once on each side, which almost every cue
            // (with its timestamps) does, so even large edits diff in linear-ish time.
            capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys)
        };
        let mut splices = Vec::new();
        let mut summary = ReloadSummary::default();
        let mut push =
            |doc: &mut Document, old: std::ops::Range<usize>, new_r: std::ops::Range<usize>| {
                let removed: Vec<Arc<Block>> = doc.blocks[old].to_vec();
                let inserted: Vec<Arc<Block>> = new.blocks[new_r.clone()]
                    .iter()
                    .map(|b| {
                        let id = doc.next_id;
                        doc.next_id += 1;
                        Arc::new(Block {
                            id,
                            raw: b.raw.clone(),
                            kind: b.kind.clone(),
                        })
                    })
                    .collect();
                let gone = removed.iter().filter(|b| b.cue().is_some()).count();
                let came = inserted.iter().filter(|b| b.cue().is_some()).count();
                let same = gone.min(came);
                summary.changed += same;
                summary.removed += gone - same;
                summary.added += came - same;
                // Splices apply in order, and everything before this one already reads as `new`.
                splices.push(Splice {
                    at: new_r.start,
                    removed,
                    inserted,
                });
            };
        for op in ops {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    // Same bytes, but a block can read differently in another context.
                    for k in 0..len {
                        if self.blocks[old_index + k].kind != new.blocks[new_index + k].kind {
                            push(
                                self,
                                old_index + k..old_index + k + 1,
                                new_index + k..new_index + k + 1,
                            );
                        }
                    }
                }
                DiffOp::Delete {
                    old_index,
                    old_len,
                    new_index,
                } => push(self, old_index..old_index + old_len, new_index..new_index),
                DiffOp::Insert {
                    old_index,
                    new_index,
                    new_len,
                } => push(self, old_index..old_index, new_index..new_index + new_len),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => push(
                    self,
                    old_index..old_index + old_len,
                    new_index..new_index + new_len,
                ),
            }
        }
        let patch = Patch(splices);
        self.apply_patch(&patch);
        Some((patch, summary))
    }
}

/// Whether so few blocks are shared that diffing is not worth it.
fn mostly_different(old: &[&str], new: &[&str]) -> bool {
    let larger = old.len().max(new.len());
    if larger < 64 {
        return false;
    }
    let in_new: HashSet<&str> = new.iter().copied().collect();
    let common = old.iter().filter(|k| in_new.contains(*k)).count();
    (common as f64) < MIN_COMMON_SHARE * larger as f64
}

impl Document {
    /// This document with every block's id moved up by `first`, so that ids never seen
    /// before in the document it replaces are used.
    pub(crate) fn renumbered_from(mut self, first: u64) -> Document {
        for b in &mut self.blocks {
            let mut block = Block::clone(b);
            block.id += first;
            *b = Arc::new(block);
        }
        self.next_id += first;
        self
    }
}
