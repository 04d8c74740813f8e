//! Writing a plan to disk as one operation, and undoing it as one.
//!
//! Why this way: a project-wide fix must leave the repository either fixed or exactly as it
//! was. Every file is re-read and its content hash compared with the plan's first (a file
//! changed since the plan refuses the whole apply), edited through the core's minimal-diff
//! printer (`set_text` edits: only the cue text lines that hold a replaced span change, every
//! other byte is printed as it was), and all new contents are staged as temporary files
//! ([`StagedWrites`]) before the first rename. The hashes are compared once more just before
//! the renames, so a change made while the temporary files were written is caught too.
//!
//! [`Applied`] keeps, per file, the bytes before and the hash after, so one undo puts back
//! every file byte for byte, refusing (per file, with the reason) a file that changed since.

use std::path::{Path, PathBuf};

use cueline_transcript::{Document, Edit, Session};
use cueline_transcript_store::{ContentHash, StagedWrites};
use rayon::prelude::*;

use crate::error::{ApplyError, UndoError};
use crate::plan::ReplacePlan;
use crate::project::{Project, Written};

/// Files staged between two progress reports.
const PROGRESS_BATCH: usize = 32;

/// What an apply has done so far, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplyProgress {
    pub stage: ApplyStage,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyStage {
    /// Reading, checking and editing the files (nothing written yet).
    Preparing,
    /// Writing temporary files (no file replaced yet).
    Staging,
    /// Every file replaced.
    Done,
}

/// One file an apply changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedFile {
    pub path: PathBuf,
    /// The exact bytes before the apply (what undo writes back).
    pub before: Vec<u8>,
    pub before_hash: ContentHash,
    /// The hash of what the apply wrote (undo refuses when the file no longer hashes to it).
    pub after_hash: ContentHash,
    /// The edits that were applied (their inverse is `before`).
    pub edits: Vec<Edit>,
    /// Spans replaced in this file.
    pub replacements: usize,
}

/// A written plan: what [`Project::undo`] needs to reverse it in every file at once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Applied {
    pub files: Vec<AppliedFile>,
    pub replacements: usize,
}

/// A file undo did not restore, and why (the others were restored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoRefusal {
    pub path: PathBuf,
    pub reason: String,
}

/// The result of an undo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Undone {
    /// Files put back to their bytes before the apply.
    pub restored: Vec<PathBuf>,
    /// Files left alone because they changed (or vanished) since the apply.
    pub refused: Vec<UndoRefusal>,
}

/// One file ready to be written.
struct Prepared {
    path: PathBuf,
    before: Vec<u8>,
    after: Vec<u8>,
    edits: Vec<Edit>,
    replacements: usize,
}

enum Check {
    Same,
    Changed,
}

fn read(path: &Path) -> Result<Vec<u8>, ApplyError> {
    cueline_transcript_store::read_input_file(path).map_err(|source| ApplyError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads `path` and compares its hash with `expected`.
fn check(path: &Path, expected: ContentHash) -> Result<(Check, Vec<u8>), ApplyError> {
    match cueline_transcript_store::read_input_file(path) {
        Ok(bytes) if blake3::hash(&bytes) == expected => Ok((Check::Same, bytes)),
        Ok(bytes) => Ok((Check::Changed, bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Check::Changed, Vec::new())),
        Err(source) => Err(ApplyError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

pub(crate) fn apply(
    project: &Project,
    plan: &ReplacePlan,
    progress: &(dyn Fn(ApplyProgress) + Sync),
) -> Result<Applied, ApplyError> {
    let jobs: Vec<(usize, Vec<Edit>)> = (0..plan.files().len())
        .map(|i| (i, plan.edits(i)))
        .filter(|(_, e)| !e.is_empty())
        .collect();
    if let Some((i, _)) = jobs.iter().find(|(i, _)| plan.files()[*i].in_editor) {
        return Err(ApplyError::OpenInEditor {
            path: plan.files()[*i].path.clone(),
        });
    }
    let total = jobs.len();
    progress(ApplyProgress {
        stage: ApplyStage::Preparing,
        done: 0,
        total,
    });
    let prepared: Vec<Result<Option<Prepared>, ApplyError>> = jobs
        .into_par_iter()
        .map(|(i, edits)| prepare(plan, i, edits))
        .collect();
    let mut ready = Vec::with_capacity(total);
    let mut changed = Vec::new();
    for p in prepared {
        match p? {
            Some(p) => ready.push(p),
            None => changed.push(()),
        }
    }
    if !changed.is_empty() {
        let paths = changed_paths(plan);
        tracing::warn!(
            files = paths.len(),
            "apply refused: files changed since the plan"
        );
        return Err(ApplyError::Changed { paths });
    }

    let mut batch = StagedWrites::recorded(cueline_transcript_store::default_intent_dir());
    for (n, chunk) in ready.chunks(PROGRESS_BATCH).enumerate() {
        batch.stage_all(chunk.iter().map(|p| (&p.path, p.after.as_slice())))?;
        progress(ApplyProgress {
            stage: ApplyStage::Staging,
            done: (n * PROGRESS_BATCH + chunk.len()).min(total),
            total,
        });
    }
    // a change made while the temporary files were written is caught here
    let late: Vec<PathBuf> = ready
        .par_iter()
        .filter_map(|p| match check(&p.path, blake3::hash(&p.before)) {
            Ok((Check::Same, _)) => None,
            _ => Some(p.path.clone()),
        })
        .collect();
    if !late.is_empty() {
        return Err(ApplyError::Changed { paths: late });
    }
    batch.commit()?;
    // the index follows without parsing again: only the edited cue texts changed
    let written: Vec<Written<'_>> = ready
        .iter()
        .map(|p| {
            let changed = p
                .edits
                .iter()
                .filter_map(|e| match e {
                    Edit::SetText { cue, text } => Some((*cue, text.as_str())),
                    _ => None,
                })
                .collect();
            Written {
                path: p.path.as_path(),
                before: blake3::hash(&p.before),
                changed,
                after: p.after.as_slice(),
            }
        })
        .collect();
    project.reindex_edited(&written);
    let mut applied = Applied::default();
    for p in ready {
        applied.replacements += p.replacements;
        applied.files.push(AppliedFile {
            before_hash: blake3::hash(&p.before),
            after_hash: blake3::hash(&p.after),
            path: p.path,
            before: p.before,
            edits: p.edits,
            replacements: p.replacements,
        });
    }
    progress(ApplyProgress {
        stage: ApplyStage::Done,
        done: total,
        total,
    });
    tracing::info!(
        files = applied.files.len(),
        replacements = applied.replacements,
        "applied"
    );
    Ok(applied)
}

/// The paths of a plan's files that no longer hash to the plan's content.
fn changed_paths(plan: &ReplacePlan) -> Vec<PathBuf> {
    plan.files()
        .par_iter()
        .filter(|f| !matches!(check(&f.path, f.hash), Ok((Check::Same, _))))
        .map(|f| f.path.clone())
        .collect()
}

/// Reads file `i` of the plan, checks it, applies its edits. `None` when it changed on disk.
fn prepare(plan: &ReplacePlan, i: usize, edits: Vec<Edit>) -> Result<Option<Prepared>, ApplyError> {
    let file = &plan.files()[i];
    let before = read(&file.path)?;
    if blake3::hash(&before) != file.hash {
        return Ok(None);
    }
    let doc = Document::parse(&before, file.format);
    if let Some(reason) = doc.read_only_reason() {
        return Err(ApplyError::ReadOnly {
            path: file.path.clone(),
            reason: reason.to_owned(),
        });
    }
    let mut session = Session::new(doc);
    if let Err((k, e)) = session.apply_all(&edits) {
        let cue = match edits.get(k) {
            Some(Edit::SetText { cue, .. }) => *cue,
            _ => 0,
        };
        let line = session.document().cue(cue).map_or(0, |c| c.line);
        return Err(ApplyError::Invalid {
            path: file.path.clone(),
            line,
            cue,
            message: e.to_string(),
        });
    }
    let after = session.document().print();
    let replacements = file
        .hits
        .iter()
        .filter(|h| h.included && file.included)
        .count();
    Ok(Some(Prepared {
        path: file.path.clone(),
        before,
        after,
        edits,
        replacements,
    }))
}

pub(crate) fn undo(project: &Project, applied: &Applied) -> Result<Undone, UndoError> {
    let mut undone = Undone::default();
    let mut restore: Vec<&AppliedFile> = Vec::new();
    let checked: Vec<UndoCheck> = applied.files.par_iter().map(undo_check).collect();
    for (f, c) in applied.files.iter().zip(checked) {
        match c {
            UndoCheck::Write => restore.push(f),
            UndoCheck::Already => undone.restored.push(f.path.clone()),
            UndoCheck::Refuse(reason) => refuse(&mut undone, f, reason),
        }
    }
    // Stage everything, then look again: a file that changed while the temporary files were
    // written is refused (the batch is staged again without it), never overwritten.
    loop {
        let mut batch = StagedWrites::recorded(cueline_transcript_store::default_intent_dir());
        batch.stage_all(restore.iter().map(|f| (&f.path, f.before.as_slice())))?;
        let late: Vec<bool> = restore
            .par_iter()
            .map(|f| !matches!(undo_check(f), UndoCheck::Write))
            .collect();
        if !late.contains(&true) {
            batch.commit()?;
            break;
        }
        drop(batch);
        let mut kept = Vec::with_capacity(restore.len());
        for (f, l) in restore.into_iter().zip(late) {
            if l {
                refuse(
                    &mut undone,
                    f,
                    "it changed while the undo was being written".into(),
                );
            } else {
                kept.push(f);
            }
        }
        restore = kept;
    }
    let written: Vec<(&Path, &[u8])> = restore
        .iter()
        .map(|f| (f.path.as_path(), f.before.as_slice()))
        .collect();
    project.reindex_all(&written);
    undone
        .restored
        .extend(restore.iter().map(|f| f.path.clone()));
    Ok(undone)
}

fn refuse(undone: &mut Undone, f: &AppliedFile, reason: String) {
    tracing::warn!(path = %f.path.display(), %reason, "undo refused for a file");
    undone.refused.push(UndoRefusal {
        path: f.path.clone(),
        reason,
    });
}

/// What undo may do with one file.
enum UndoCheck {
    /// It holds what the apply wrote: write the bytes from before back.
    Write,
    /// It already holds the bytes from before (undone in an editor, say).
    Already,
    Refuse(String),
}

fn undo_check(f: &AppliedFile) -> UndoCheck {
    match cueline_transcript_store::read_input_file(&f.path) {
        Ok(bytes) => {
            let hash = blake3::hash(&bytes);
            if hash == f.after_hash {
                UndoCheck::Write
            } else if hash == f.before_hash {
                UndoCheck::Already
            } else {
                UndoCheck::Refuse("it changed since the replace; it was left as it is".into())
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            UndoCheck::Refuse("it was deleted or moved since the replace".into())
        }
        Err(e) => UndoCheck::Refuse(format!("cannot read it: {e}")),
    }
}
