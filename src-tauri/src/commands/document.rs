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
            // (Not `if let Some(id) = state.open().demo`: the guard would live through the
            // block and `view` would lock again.)
            let demo = state.open().demo;
            if let Some(id) = demo {
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use cueline_transcript_store::RecentFiles;

    use super::*;
    use crate::commands::folder;
    use crate::ipc::dto::FormatDto;

    const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n😀 Hello world\n\n00:00:03.000 --> 00:00:04.000\nSecond\n";

    fn setup(launch: impl FnOnce(&Path) -> Launch) -> (tempfile::TempDir, PathBuf, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ep.vtt");
        std::fs::write(&p, VTT).unwrap();
        let recent = RecentFiles::at(dir.path().join("conf/recent.json"));
        let state = AppState::new(launch(&p), Some(recent));
        (dir, p, state)
    }

    fn q(pattern: &str) -> Query {
        Query {
            pattern: pattern.into(),
            ..Query::default()
        }
    }

    #[test]
    fn open_edit_undo_save_through_the_command_bodies() {
        let (_dir, p, state) = setup(|p| Launch::File(p.to_path_buf()));
        let view = open_initial(&state).unwrap();
        assert_eq!(view.format, FormatDto::Vtt);
        assert_eq!(
            (view.revision, view.dirty, view.can_undo),
            (0, false, false)
        );
        assert_eq!(folder::recent(&state), std::slice::from_ref(&view.path));
        // Opening the same file again returns the same document.
        assert_eq!(open_path(&state, &p).unwrap().doc_id, view.doc_id);

        let id = view.doc_id;
        let edits = vec![EditDto::SetText {
            cue: 1,
            text: "Changed".into(),
        }];
        let view = apply(&state, id, edits).unwrap();
        assert_eq!((view.revision, view.dirty, view.can_undo), (1, true, true));
        assert_eq!(view.cues[1].text, "Changed");
        let view = step(&state, id, OpenDocument::undo).unwrap();
        assert_eq!((view.revision, view.dirty, view.can_redo), (2, false, true));
        let view = step(&state, id, OpenDocument::redo).unwrap();
        assert!(view.dirty);
        let view = save(&state, id).unwrap();
        assert!(!view.dirty);
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            VTT.replace("Second", "Changed")
        );

        let err = apply(&state, id, vec![EditDto::Delete { cue: 9 }]).unwrap_err();
        assert!(matches!(err, IpcError::InvalidEdit { .. }), "{err:?}");

        close(&state, id);
        assert_eq!(
            get_error(&state, id),
            IpcError::NoSuchDocument { doc_id: id }
        );
    }

    fn get_error(state: &AppState, id: u32) -> IpcError {
        state.open().view(id).unwrap_err()
    }

    #[test]
    fn a_conflict_writes_nothing_and_keeps_the_edit() {
        let (_dir, p, state) = setup(|p| Launch::File(p.to_path_buf()));
        let id = open_initial(&state).unwrap().doc_id;
        apply(
            &state,
            id,
            vec![EditDto::SetText {
                cue: 0,
                text: "Mine".into(),
            }],
        )
        .unwrap();
        std::fs::write(&p, "WEBVTT\n\ntheirs\n").unwrap();
        let err = save(&state, id).unwrap_err();
        let IpcError::Conflict { message, .. } = err else {
            panic!("expected a conflict, got {err:?}");
        };
        assert!(message.contains("changed on disk"), "{message}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "WEBVTT\n\ntheirs\n");
        assert!(state.open().view(id).unwrap().dirty);
    }

    #[test]
    fn find_and_replace_in_utf16() {
        let (_dir, _p, state) = setup(|p| Launch::File(p.to_path_buf()));
        let id = open_initial(&state).unwrap().doc_id;
        let hits = find(&state, id, q("Hello")).unwrap();
        assert_eq!(
            hits,
            [FindHit {
                cue: 0,
                start_utf16: 3,
                end_utf16: 8
            }]
        );
        let target = Some(ReplaceTarget {
            cue: 0,
            start_utf16: 3,
        });
        let view = replace(&state, id, q("Hello"), "Hi", target).unwrap();
        assert_eq!(view.cues[0].text, "😀 Hi world");
        let err = find(
            &state,
            id,
            Query {
                regex: true,
                ..q("(")
            },
        )
        .unwrap_err();
        assert!(matches!(err, IpcError::InvalidQuery { .. }), "{err:?}");
        let err = replace(&state, id, q("Hello"), "x", target).unwrap_err();
        assert!(matches!(err, IpcError::InvalidEdit { .. }), "{err:?}");
    }

    #[test]
    fn the_demo_is_editable_but_never_saved() {
        let (_dir, _p, state) = setup(|_| Launch::Demo(DemoSource::Builtin));
        let view = open_initial(&state).unwrap();
        assert!(view.is_demo);
        assert_eq!(view.cue_count, 25);
        assert!(view.diagnostics.is_empty(), "{:?}", view.diagnostics);
        let id = view.doc_id;
        assert_eq!(open_initial(&state).unwrap().doc_id, id, "opened once");
        let edits = vec![EditDto::SetText {
            cue: 0,
            text: "x".into(),
        }];
        assert!(apply(&state, id, edits).unwrap().dirty);
        assert!(matches!(save(&state, id), Err(IpcError::ReadOnly { .. })));
        assert!(
            folder::recent(&state).is_empty(),
            "the demo is not a recent file"
        );
    }

    #[test]
    fn a_folder_launch_opens_its_first_transcript() {
        let (dir, _p, state) = setup(|p| Launch::Folder(p.parent().unwrap().to_path_buf()));
        std::fs::write(dir.path().join("a.txt"), "00:00:01 Hi.\n").unwrap();
        let view = open_initial(&state).unwrap();
        assert_eq!(view.file_name, "a.txt");
        let folder = folder::folder_view(dir.path()).unwrap();
        let names: Vec<&str> = folder.episodes.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a", "ep"]);
        let err = folder::folder_view(&dir.path().join("missing")).unwrap_err();
        assert!(matches!(err, IpcError::NotFound { .. }), "{err:?}");
        let err = open_path(&state, dir.path()).unwrap_err();
        assert!(matches!(err, IpcError::Unsupported { .. }), "{err:?}");
    }
}
