//! Documents: open, view, edit, undo/redo, save, find/replace, close.

use std::path::Path;

use cueline_transcript::Edit;
use cueline_transcript::search::Query;
use cueline_transcript_store::{OpenDocument, scan_folder};
use tauri::AppHandle;
use tracing::instrument;

use super::blocking;
use crate::ipc::dto::{DocumentView, EditDto, FindHit, ReplaceTarget, SearchQueryDto};
use crate::ipc::error::IpcError;
use crate::launch::{DEMO_BUILTIN, DemoSource, Launch};
use crate::state::AppState;

/// Why the demo is never saved: it belongs to the installation (or the repository).
const DEMO_READ_ONLY: &str =
    "it is the bundled demo transcript; open your own file to edit and save";

/// Opens the transcript at `path` (or returns the document already open for it) and adds it
/// to the recent files.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn open_document(app: AppHandle, path: String) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| open_path(s, Path::new(&path))).await
}

/// The document the app was started with: the FILE argument, the first transcript of the
/// DIR argument, or the demo.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn initial_document(app: AppHandle) -> Result<DocumentView, IpcError> {
    blocking(app, open_initial).await
}

#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn get_document(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| s.open().view(doc_id)).await
}

/// Applies `edits` as one undo step, all or nothing.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app, edits), fields(count = edits.len()), err(Debug))]
pub async fn apply_edits(
    app: AppHandle,
    doc_id: u32,
    edits: Vec<EditDto>,
) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| apply(s, doc_id, edits)).await
}

#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn undo(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| step(s, doc_id, OpenDocument::undo)).await
}

#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn redo(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| step(s, doc_id, OpenDocument::redo)).await
}

/// Saves with a minimal diff, atomically; refuses (`Conflict`, nothing written) if the file
/// changed on disk since it was opened or last saved.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn save_document(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| save(s, doc_id)).await
}

#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn find_in_document(
    app: AppHandle,
    doc_id: u32,
    query: SearchQueryDto,
) -> Result<Vec<FindHit>, IpcError> {
    blocking(app, move |s| find(s, doc_id, query.into())).await
}

/// Replaces the match at `target`, or every match when `target` is null, as one undo step.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn replace_in_document(
    app: AppHandle,
    doc_id: u32,
    query: SearchQueryDto,
    replacement: String,
    target: Option<ReplaceTarget>,
) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| {
        replace(s, doc_id, query.into(), &replacement, target)
    })
    .await
}

/// Closes a document, dropping unsaved changes (the UI asks first). Closing a document that
/// is not open is not an error.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn close_document(app: AppHandle, doc_id: u32) -> Result<(), IpcError> {
    blocking(app, move |s| {
        close(s, doc_id);
        Ok(())
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// The commands' bodies, as plain functions of the state.

pub fn open_path(state: &AppState, path: &Path) -> Result<DocumentView, IpcError> {
    if path.as_os_str().is_empty() {
        return Err(IpcError::unsupported("", "No file given."));
    }
    let existing = state.open().docs.find_path(path);
    let view = match existing {
        Some(id) => state.open().view(id.0)?,
        None => {
            // Read and parse without the lock.
            let doc = OpenDocument::open(path)?;
            let mut open = state.open();
            let id = open.docs.insert(doc);
            open.view(id.0)?
        }
    };
    remember(state, Path::new(&view.path));
    Ok(view)
}

/// Adds `path` to the recent files; a failure is logged, never shown.
fn remember(state: &AppState, path: &Path) {
    if let Some(recent) = &state.recent
        && let Err(err) = recent.add(path)
    {
        tracing::warn!(file = %recent.file().display(), error = %err, "cannot update recent files");
    }
}

pub fn open_initial(state: &AppState) -> Result<DocumentView, IpcError> {
    match &state.launch {
        Launch::File(path) => open_path(state, path),
        Launch::Folder(dir) => {
            let folder = scan_folder(dir).map_err(|e| IpcError::io(dir, e.to_string()))?;
            let first = folder.episodes.first().and_then(|e| e.files.first());
            match first {
                Some(file) => open_path(state, &file.path),
                None => Err(IpcError::unsupported(
                    &dir.display().to_string(),
                    format!("No .vtt, .srt or .txt files in {}.", dir.display()),
                )),
            }
        }
        Launch::Demo(source) => {
            if let Some(id) = state.open().demo {
                return state.open().view(id.0);
            }
            let mut doc = match source {
                DemoSource::File(path) => OpenDocument::open(path)?,
                DemoSource::Builtin => OpenDocument::from_bytes(
                    DEMO_BUILTIN,
                    cueline_transcript::Format::Vtt,
                    "demo-episode.vtt".to_owned(),
                ),
            };
            doc.refuse_saves(DEMO_READ_ONLY);
            let mut open = state.open();
            let id = open.docs.insert(doc);
            open.demo = Some(id);
            open.view(id.0)
        }
    }
}

pub fn apply(state: &AppState, doc_id: u32, edits: Vec<EditDto>) -> Result<DocumentView, IpcError> {
    let edits: Vec<Edit> = edits.into_iter().map(Edit::from).collect();
    let mut open = state.open();
    let doc = open.get_mut(doc_id)?;
    doc.apply_all(&edits)
        .map_err(|(i, e)| IpcError::edit(doc.name(), i, edits.len(), e))?;
    open.view(doc_id)
}

/// Undo or redo: a no-op (same view) when there is nothing to undo or redo.
pub fn step(
    state: &AppState,
    doc_id: u32,
    f: fn(&mut OpenDocument) -> bool,
) -> Result<DocumentView, IpcError> {
    let mut open = state.open();
    f(open.get_mut(doc_id)?);
    open.view(doc_id)
}

pub fn save(state: &AppState, doc_id: u32) -> Result<DocumentView, IpcError> {
    let plan = state.open().get(doc_id)?.prepare_save()?;
    // Re-read, compare and write without the lock.
    let saved = plan.write()?;
    let mut open = state.open();
    open.get_mut(doc_id)?.finish_save(saved);
    open.view(doc_id)
}

pub fn find(state: &AppState, doc_id: u32, query: Query) -> Result<Vec<FindHit>, IpcError> {
    let hits = state.open().get(doc_id)?.find(&query)?;
    Ok(hits.into_iter().map(FindHit::from).collect())
}

pub fn replace(
    state: &AppState,
    doc_id: u32,
    query: Query,
    replacement: &str,
    target: Option<ReplaceTarget>,
) -> Result<DocumentView, IpcError> {
    let target = target.map(|t| (t.cue as usize, t.start_utf16 as usize));
    let mut open = state.open();
    let doc = open.get_mut(doc_id)?;
    doc.replace(&query, replacement, target)
        .map_err(|e| IpcError::replace(doc.name(), e))?;
    open.view(doc_id)
}

pub fn close(state: &AppState, doc_id: u32) {
    let mut open = state.open();
    if open
        .docs
        .remove(cueline_transcript_store::DocId(doc_id))
        .is_some()
        && open.demo.is_some_and(|d| d.0 == doc_id)
    {
        open.demo = None;
    }
}
