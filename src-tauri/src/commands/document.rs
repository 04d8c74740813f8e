//! Documents: open, view, edit, undo/redo, save, find/replace, close.

use std::path::Path;
use std::sync::Arc;

use cueline_transcript::Edit;
use cueline_transcript::search::Query;
use cueline_transcript_store::{
    AutosavePolicy, LiveConfig, LiveDocument, OpenDocument, Recovery, Refused, discard_journal,
    journal_for, recover, scan_folder,
};
use tauri::{AppHandle, Manager};
use tracing::instrument;

use super::blocking;
use crate::ipc::dto::{
    CompareRowDto, DocumentView, EditDto, FindHit, RecoveryOffer, ReplaceTarget, SearchQueryDto,
};
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
    blocking(app, move |s| open_chosen(s, Path::new(&path))).await
}

/// The document the app was started with: the FILE argument, the first transcript of the
/// DIR argument, or the demo.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn initial_document(app: AppHandle) -> Result<DocumentView, IpcError> {
    blocking(app, open_initial).await
}

/// Journals text being typed into cue `cue` that has not become an edit yet (the window sends
/// it within 100 ms of a keystroke), so a crash while typing loses at most that much. Changes
/// neither the document nor its undo history; answers with nothing.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app, text), err(Debug))]
pub async fn journal_draft(
    app: AppHandle,
    doc_id: u32,
    cue: u32,
    text: String,
) -> Result<(), IpcError> {
    blocking(app, move |s| {
        let doc = s.open().get(doc_id)?;
        doc.journal_draft(cue as usize, &text)
            .map_err(|e| IpcError::InvalidEdit {
                message: format!("The text typed could not be kept in the crash journal: {e}"),
            })
    })
    .await
}

#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn get_document(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| s.open().view(doc_id)).await
}

/// Applies `edits`, made against the view of revision `base_revision`, as one undo step, all
/// or nothing; refused with `StaleRevision` when the document has moved on since.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app, edits), fields(count = edits.len()), err(Debug))]
pub async fn apply_edits(
    app: AppHandle,
    doc_id: u32,
    base_revision: u32,
    edits: Vec<EditDto>,
) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| {
        apply_at(s, doc_id, Some(base_revision), edits)
    })
    .await
}

#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn undo(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| step(s, doc_id, LiveDocument::undo)).await
}

#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn redo(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| step(s, doc_id, LiveDocument::redo)).await
}

/// Saves with a minimal diff, atomically; refuses (`Conflict`, nothing written) if the file
/// changed on disk since it was opened or last saved.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn save_document(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| save(s, doc_id)).await
}

/// Save As: writes the document to `path` and makes that its file (also for a file deleted or
/// moved away while open, and for a copy of the demo, which becomes an ordinary document).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn save_document_as(
    app: AppHandle,
    doc_id: u32,
    path: String,
) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| save_as_chosen(s, doc_id, Path::new(&path))).await
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
    app.state::<crate::git::GitHeads>().forget(doc_id);
    blocking(app, move |s| {
        close(s, doc_id);
        Ok(())
    })
    .await
}

/// Conflict resolved as "Reload theirs": the document becomes the file (one undo step).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn reload_theirs_document(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| reload_theirs(s, doc_id)).await
}

/// Conflict resolved as "Keep mine": the file is overwritten with the document.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn keep_mine_document(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| keep_mine(s, doc_id)).await
}

/// The cues where the file on disk ("theirs") and the document ("mine") differ.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn compare_with_disk(
    app: AppHandle,
    doc_id: u32,
) -> Result<Vec<CompareRowDto>, IpcError> {
    blocking(app, move |s| compare(s, doc_id)).await
}

/// Unsaved edits from a crash journal, when the view says `recoveryPending`.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn get_recovery_offer(
    app: AppHandle,
    doc_id: u32,
) -> Result<Option<RecoveryOffer>, IpcError> {
    blocking(app, move |s| recovery_offer(s, doc_id)).await
}

/// "Restore unsaved edits" from the crash journal.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn restore_unsaved(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| restore_recovery(s, doc_id)).await
}

/// "Discard" the crash journal's edits.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn discard_unsaved(app: AppHandle, doc_id: u32) -> Result<DocumentView, IpcError> {
    blocking(app, move |s| discard_recovery(s, doc_id)).await
}

// ---------------------------------------------------------------------------------------------
// The commands' bodies, as plain functions of the state.

/// `open_document`: [`open_path`] for a path the user chose (see `AppState::grants`); any
/// other path is refused before it is read.
pub fn open_chosen(state: &AppState, path: &Path) -> Result<DocumentView, IpcError> {
    if path.as_os_str().is_empty() {
        return Err(IpcError::unsupported("", "No file given."));
    }
    let path = state.grants.check(path)?;
    open_path(state, &path)
}

/// `save_document_as`: [`save_as`] to a target the user picked in the Save dialog (or a file
/// they may open); any other target is refused and nothing is written.
pub fn save_as_chosen(
    state: &AppState,
    doc_id: u32,
    target: &Path,
) -> Result<DocumentView, IpcError> {
    let target = state.grants.check_save_target(target)?;
    save_as(state, doc_id, &target)
}

/// Opens `path`, which the app itself chose (the launch arguments, a project's file) or the
/// caller checked.
pub fn open_path(state: &AppState, path: &Path) -> Result<DocumentView, IpcError> {
    if path.as_os_str().is_empty() {
        return Err(IpcError::unsupported("", "No file given."));
    }
    let existing = state.open().find_path(path);
    let view = match existing {
        Some(id) => state.open().view(id)?,
        None => {
            // Read and parse without the lock.
            let doc = Arc::new(LiveDocument::open(path, state.live_config())?);
            let journal = doc
                .read(|d| d.path().map(Path::to_path_buf))
                .zip(state.journal_dir.as_deref())
                .and_then(|(p, dir)| journal_for(dir, &p));
            let journal = journal.filter(|j| match recover(j) {
                Ok(Recovery::Nothing) => {
                    // nothing to restore: the file already holds the edits
                    if let Err(e) = discard_journal(j) {
                        tracing::warn!(error = %e, "cannot remove a stale crash journal");
                    }
                    false
                }
                Ok(_) => true,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the crash journal");
                    false
                }
            });
            let mut open = state.open();
            if let Some(id) = open.find_path(path) {
                open.view(id)? // opened meanwhile: keep the first
            } else {
                let id = open.insert(Arc::clone(&doc));
                if let Some(j) = journal {
                    open.recoveries.insert(id, j);
                }
                state.forward_events(id, &doc);
                open.view(id)?
            }
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
        // The user's copy of the installed demo is theirs: an ordinary document.
        Launch::Demo(DemoSource::Copy(path)) => open_path(state, path),
        Launch::Demo(source) => {
            // (Not `if let Some(id) = state.open().demo`: the guard would live through the
            // block and `view` would lock again.)
            let demo = state.open().demo;
            if let Some(id) = demo {
                return state.open().view(id);
            }
            let mut doc = match source {
                DemoSource::File(path) | DemoSource::Copy(path) => OpenDocument::open(path)?,
                DemoSource::Builtin => OpenDocument::from_bytes(
                    DEMO_BUILTIN,
                    cueline_transcript::Format::Vtt,
                    "demo-episode.vtt".to_owned(),
                ),
            };
            doc.refuse_saves(DEMO_READ_ONLY);
            let base = doc.document().print();
            // Never saved, so no autosave, no journal and nothing to watch.
            let config = LiveConfig {
                autosave: AutosavePolicy {
                    enabled: false,
                    ..AutosavePolicy::default()
                },
                journal_dir: None,
                watch: None,
            };
            let doc = Arc::new(LiveDocument::from_document(doc, base, config));
            let mut open = state.open();
            let id = open.insert(Arc::clone(&doc));
            open.demo = Some(id);
            state.forward_events(id, &doc);
            open.view(id)
        }
    }
}

pub fn apply(state: &AppState, doc_id: u32, edits: Vec<EditDto>) -> Result<DocumentView, IpcError> {
    apply_at(state, doc_id, None, edits)
}

/// [`apply`] for edits made against revision `base` (`None`: whatever the document holds).
pub fn apply_at(
    state: &AppState,
    doc_id: u32,
    base: Option<u32>,
    edits: Vec<EditDto>,
) -> Result<DocumentView, IpcError> {
    let edits: Vec<Edit> = edits.into_iter().map(Edit::from).collect();
    let doc = state.open().get(doc_id)?;
    doc.apply_all_at(base, &edits).map_err(|refused| match refused {
        Refused::Stale { current, .. } => {
            tracing::info!(doc_id, ?base, current, "edits against an older revision refused");
            IpcError::StaleRevision {
                current,
                message: "The file changed on disk while you were editing; the change was not applied to the wrong cue. Showing the file as it is now.".into(),
            }
        }
        Refused::Edit { index, error } => {
            IpcError::edit(&doc.read(|d| d.name().to_owned()), index, edits.len(), error)
        }
    })?;
    state.open().view(doc_id)
}

/// Undo or redo: a no-op (same view) when there is nothing to undo or redo.
pub fn step(
    state: &AppState,
    doc_id: u32,
    f: fn(&LiveDocument) -> bool,
) -> Result<DocumentView, IpcError> {
    let doc = state.open().get(doc_id)?;
    f(&doc);
    state.open().view(doc_id)
}

/// Saves now (Ctrl+S), after an autosave in flight; refuses on a conflict.
pub fn save(state: &AppState, doc_id: u32) -> Result<DocumentView, IpcError> {
    let doc = state.open().get(doc_id)?;
    doc.save_now()?;
    state.open().view(doc_id)
}

pub fn save_as(state: &AppState, doc_id: u32, target: &Path) -> Result<DocumentView, IpcError> {
    let (doc, is_demo) = {
        let open = state.open();
        (open.get(doc_id)?, open.demo == Some(doc_id))
    };
    doc.save_as(target)?;
    if is_demo {
        // The demo ran without autosave, journal or watcher: reopen the copy as a real file.
        let live = Arc::new(LiveDocument::open(target, state.live_config())?);
        let mut open = state.open();
        open.replace(doc_id, Arc::clone(&live));
        open.demo = None;
        drop(open);
        state.forward_events(doc_id, &live);
    }
    remember(state, target);
    state.open().view(doc_id)
}

pub fn find(state: &AppState, doc_id: u32, query: Query) -> Result<Vec<FindHit>, IpcError> {
    let hits = state.open().get(doc_id)?.read(|d| d.find(&query))?;
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
    let doc = state.open().get(doc_id)?;
    doc.replace(&query, replacement, target)
        .map_err(|e| IpcError::replace(&doc.read(|d| d.name().to_owned()), e))?;
    state.open().view(doc_id)
}

pub fn close(state: &AppState, doc_id: u32) {
    state.review.forget(doc_id);
    crate::progress::closed(state, doc_id);
    let removed = {
        let mut open = state.open();
        let removed = open.remove(doc_id);
        if removed.is_some() && open.demo == Some(doc_id) {
            open.demo = None;
        }
        removed
    };
    // dropped outside the lock: stopping the document joins its autosave thread
    drop(removed);
}

/// Conflict: "Reload theirs" (the file's content becomes the document, one undo step).
pub fn reload_theirs(state: &AppState, doc_id: u32) -> Result<DocumentView, IpcError> {
    let doc = state.open().get(doc_id)?;
    doc.reload_theirs()?;
    state.open().view(doc_id)
}

/// Conflict: "Keep mine" (the file is overwritten with the document).
pub fn keep_mine(state: &AppState, doc_id: u32) -> Result<DocumentView, IpcError> {
    let doc = state.open().get(doc_id)?;
    doc.keep_mine()?;
    state.open().view(doc_id)
}

/// Conflict: "Compare" (the cues where the file and the document differ).
pub fn compare(state: &AppState, doc_id: u32) -> Result<Vec<CompareRowDto>, IpcError> {
    let doc = state.open().get(doc_id)?;
    let rows = doc.compare_with_disk()?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The unsaved edits of a crash journal found when document `doc_id` was opened, if any.
pub fn recovery_offer(state: &AppState, doc_id: u32) -> Result<Option<RecoveryOffer>, IpcError> {
    let journal = state.open().recoveries.get(&doc_id).cloned();
    let Some(journal) = journal else {
        return Ok(None);
    };
    let offer = match recover(&journal)? {
        Recovery::Nothing => None,
        Recovery::Restored { doc, base } => Some(RecoveryOffer {
            doc_id,
            changed_on_disk: false,
            rows: compare_bytes(&base, &doc.document().print(), journal.format),
        }),
        Recovery::Diverged { theirs, mine, .. } => Some(RecoveryOffer {
            doc_id,
            changed_on_disk: true,
            rows: compare_bytes(theirs.as_deref().unwrap_or_default(), &mine, journal.format),
        }),
    };
    Ok(offer)
}

fn compare_bytes(
    theirs: &[u8],
    mine: &[u8],
    format: cueline_transcript::Format,
) -> Vec<CompareRowDto> {
    cueline_transcript_store::compare(theirs, mine, format)
        .into_iter()
        .map(Into::into)
        .collect()
}

/// "Restore unsaved edits": the document becomes the journal's version (dirty; autosave, if
/// on, then saves it). If the file changed since, the edits go over the file as it is now.
pub fn restore_recovery(state: &AppState, doc_id: u32) -> Result<DocumentView, IpcError> {
    let journal = state.open().recoveries.get(&doc_id).cloned();
    let Some(journal) = journal else {
        return state.open().view(doc_id);
    };
    let restored = match recover(&journal)? {
        Recovery::Nothing => None,
        Recovery::Restored { doc, base } => Some((*doc, base)),
        Recovery::Diverged { path, theirs, mine } => {
            let mut doc = OpenDocument::open(&path)?;
            doc.replace_content(&mine);
            Some((doc, theirs.unwrap_or_default()))
        }
    };
    let mut open = state.open();
    open.recoveries.remove(&doc_id);
    if let Some((doc, base)) = restored {
        // The restored document is journaled under this instance's own name before the
        // crash's journal goes (a crash right now still has one of them).
        let doc = Arc::new(LiveDocument::from_document(doc, base, state.live_config()));
        open.replace(doc_id, Arc::clone(&doc));
        state.forward_events(doc_id, &doc);
    }
    if let Err(e) = discard_journal(&journal) {
        tracing::warn!(journal = %journal.file.display(), error = %e, "cannot remove the restored crash journal");
    }
    open.view(doc_id)
}

/// "Discard": the journal is removed and the document stays as the file is.
pub fn discard_recovery(state: &AppState, doc_id: u32) -> Result<DocumentView, IpcError> {
    let journal = state.open().recoveries.remove(&doc_id);
    if let Some(j) = journal {
        discard_journal(&j).map_err(|e| IpcError::io(&j.file, e.to_string()))?;
    }
    state.open().view(doc_id)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    use cueline_transcript_store::{RecentFiles, Settings, SettingsFile};

    use super::*;
    use crate::commands::folder;
    use crate::ipc::dto::{FormatDto, SaveStatusDto, SettingsDto};
    use crate::ipc::events::{ChangeKind, DocumentChanged};

    const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n😀 Hello world\n\n00:00:03.000 --> 00:00:04.000\nSecond\n";

    fn setup(launch: impl FnOnce(&Path) -> Launch) -> (tempfile::TempDir, PathBuf, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ep.vtt");
        std::fs::write(&p, VTT).unwrap();
        let recent = RecentFiles::at(dir.path().join("conf/recent.json"));
        // autosave off: these tests check explicit saves step by step
        let settings = SettingsFile::at(dir.path().join("conf/settings.json"));
        settings
            .store(&Settings {
                autosave: false,
                ..Settings::default()
            })
            .unwrap();
        let state = AppState::new(
            launch(&p),
            Some(recent),
            Some(settings),
            Some(dir.path().join("data/journal")),
        );
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
        let view = step(&state, id, LiveDocument::undo).unwrap();
        assert_eq!((view.revision, view.dirty, view.can_redo), (2, false, true));
        let view = step(&state, id, LiveDocument::redo).unwrap();
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
    fn save_as_turns_the_demo_into_an_ordinary_file() {
        let (dir, _p, state) = setup(|_| Launch::Demo(DemoSource::Builtin));
        let id = open_initial(&state).unwrap().doc_id;
        let edits = vec![EditDto::SetText {
            cue: 0,
            text: "My own first line".into(),
        }];
        apply(&state, id, edits).unwrap();
        let wrong = save_as(&state, id, &dir.path().join("copy.txt")).unwrap_err();
        assert!(
            matches!(&wrong, IpcError::Unsupported { message, .. } if message.contains(".vtt")),
            "{wrong:?}"
        );
        let target = dir.path().join("copy.vtt");
        let view = save_as(&state, id, &target).unwrap();
        assert!(!view.is_demo);
        assert!(!view.dirty);
        assert_eq!(view.file_name, "copy.vtt");
        assert!(
            std::fs::read_to_string(&target)
                .unwrap()
                .contains("My own first line")
        );
        // An ordinary document now: saves go to the copy.
        let edits = vec![EditDto::SetText {
            cue: 1,
            text: "Second".into(),
        }];
        apply(&state, id, edits).unwrap();
        save(&state, id).unwrap();
        assert!(
            std::fs::read_to_string(&target)
                .unwrap()
                .contains("\nSecond\n")
        );
        assert!(
            folder::recent(&state)
                .iter()
                .any(|p| p.ends_with("copy.vtt"))
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

    fn collect(state: &AppState) -> Arc<Mutex<Vec<DocumentChanged>>> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        state.set_emitter(Arc::new(move |e| sink.lock().unwrap().push(e)));
        seen
    }

    fn wait_for(seen: &Mutex<Vec<DocumentChanged>>, kind: ChangeKind) -> DocumentChanged {
        let until = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(e) = seen.lock().unwrap().iter().find(|e| e.kind == kind) {
                return e.clone();
            }
            assert!(Instant::now() < until, "no {kind:?} event");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the dropped state's document let go of its journal (its event thread may
    /// hold it for up to one 250 ms wait), as a killed process would at once.
    fn crashed(dir: &Path, p: &Path) {
        let jdir = dir.join("data/journal");
        let p = p.canonicalize().unwrap();
        let end = Instant::now() + Duration::from_secs(5);
        while journal_for(&jdir, &p).is_none() {
            assert!(Instant::now() < end, "the journal is still held");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn set_text(cue: u32, text: &str) -> Vec<EditDto> {
        vec![EditDto::SetText {
            cue,
            text: text.into(),
        }]
    }

    #[test]
    fn autosave_saves_and_events_reach_the_emitter() {
        let (_dir, p, state) = setup(|p| Launch::File(p.to_path_buf()));
        let seen = collect(&state);
        crate::commands::settings::set(
            &state,
            SettingsDto {
                autosave: true,
                ..SettingsDto::from(Settings::default())
            },
        )
        .unwrap();
        let id = open_initial(&state).unwrap().doc_id;
        let view = apply(&state, id, set_text(1, "Auto")).unwrap();
        assert_eq!(view.save_status, SaveStatusDto::Unsaved);
        let e = wait_for(&seen, ChangeKind::Saved);
        assert_eq!(e.doc_id, id);
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            VTT.replace("Second", "Auto")
        );
        let view = state.open().view(id).unwrap();
        assert_eq!(
            (view.save_status, view.dirty),
            (SaveStatusDto::Saved, false)
        );
    }

    #[test]
    fn edits_made_against_a_view_older_than_a_reload_are_refused_as_stale() {
        let (_dir, p, state) = setup(|p| Launch::File(p.to_path_buf()));
        let seen = collect(&state);
        let view = open_initial(&state).unwrap();
        let id = view.doc_id;
        // the race: the file changes and the clean document reloads between the window's
        // view and the flush of a draft made against it
        std::fs::write(&p, VTT.replace("Second", "Theirs")).unwrap();
        wait_for(&seen, ChangeKind::Reloaded);
        let err = apply_at(&state, id, Some(view.revision), set_text(1, "Mine")).unwrap_err();
        let IpcError::StaleRevision { current, message } = err else {
            panic!("expected StaleRevision, got {err:?}")
        };
        assert!(message.contains("changed on disk"), "{message}");
        let now = state.open().view(id).unwrap();
        assert_eq!(now.revision, current);
        assert_eq!(now.cues[1].text, "Theirs", "nothing was applied");
        assert!(!now.dirty);
        // sent again against the view it now has, it applies
        let after = apply_at(&state, id, Some(now.revision), set_text(1, "Mine")).unwrap();
        assert_eq!(after.cues[1].text, "Mine");
    }

    #[test]
    fn outside_changes_reload_clean_and_conflict_dirty_documents() {
        let (_dir, p, state) = setup(|p| Launch::File(p.to_path_buf()));
        let seen = collect(&state);
        let id = open_initial(&state).unwrap().doc_id;
        std::fs::write(&p, VTT.replace("Second", "Theirs")).unwrap();
        let e = wait_for(&seen, ChangeKind::Reloaded);
        assert!(e.message.unwrap().contains("1 cue changed"));
        assert_eq!(state.open().view(id).unwrap().cues[1].text, "Theirs");

        apply(&state, id, set_text(0, "Mine")).unwrap();
        std::fs::write(&p, VTT.replace("Second", "Theirs again")).unwrap();
        let e = wait_for(&seen, ChangeKind::Conflict);
        assert_eq!(e.save_status, SaveStatusDto::Conflict);
        let rows = compare(&state, id).unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        let view = keep_mine(&state, id).unwrap();
        assert_eq!(view.save_status, SaveStatusDto::Saved);
        let on_disk = std::fs::read_to_string(&p).unwrap();
        assert!(
            on_disk.contains("Mine") && on_disk.contains("Theirs\n"),
            "{on_disk}"
        );

        apply(&state, id, set_text(0, "Mine 2")).unwrap();
        std::fs::write(&p, VTT).unwrap();
        seen.lock().unwrap().clear();
        wait_for(&seen, ChangeKind::Conflict);
        let view = reload_theirs(&state, id).unwrap();
        assert_eq!(view.save_status, SaveStatusDto::Saved);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), VTT);
        assert!(view.cues[0].text.contains("Hello world"));
        assert!(view.can_undo, "the reload is an undo step");
    }

    #[test]
    fn a_crash_journal_is_offered_and_restored() {
        let (dir, p, state) = setup(|p| Launch::File(p.to_path_buf()));
        let id = open_initial(&state).unwrap().doc_id;
        apply(&state, id, set_text(1, "Unsaved")).unwrap();
        // a "crash": the document is never saved or closed; its journal stays, unlocked, as
        // after a kill (a leaked, still locked journal would be a running instance's)
        drop(state);
        crashed(dir.path(), &p);

        let recent = RecentFiles::at(dir.path().join("conf/recent.json"));
        let settings = SettingsFile::at(dir.path().join("conf/settings.json"));
        let state = AppState::new(
            Launch::File(p.clone()),
            Some(recent),
            Some(settings),
            Some(dir.path().join("data/journal")),
        );
        let view = open_initial(&state).unwrap();
        assert!(view.recovery_pending);
        assert_eq!(
            view.cues[1].text, "Second",
            "nothing applied before the user decides"
        );
        let offer = recovery_offer(&state, view.doc_id).unwrap().unwrap();
        assert!(!offer.changed_on_disk);
        assert_eq!(offer.rows.len(), 1);
        let view = restore_recovery(&state, view.doc_id).unwrap();
        assert!(!view.recovery_pending);
        assert!(view.dirty);
        assert_eq!(view.cues[1].text, "Unsaved");
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            VTT,
            "not written: autosave is off"
        );
        save(&state, view.doc_id).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            VTT.replace("Second", "Unsaved")
        );
    }

    /// Opens the file in a fresh `AppState` over the same folders (a relaunch).
    fn relaunch(dir: &Path, p: &Path) -> AppState {
        AppState::new(
            Launch::File(p.to_path_buf()),
            Some(RecentFiles::at(dir.join("conf/recent.json"))),
            Some(SettingsFile::at(dir.join("conf/settings.json"))),
            Some(dir.join("data/journal")),
        )
    }

    #[test]
    fn a_journal_over_a_changed_file_shows_both_and_discard_removes_it() {
        let (dir, p, state) = setup(|p| Launch::File(p.to_path_buf()));
        let id = open_initial(&state).unwrap().doc_id;
        apply(&state, id, set_text(1, "Mine")).unwrap();
        drop(state); // a "crash" (see a_crash_journal_is_offered_and_restored)
        crashed(dir.path(), &p);
        let theirs = VTT.replace("Hello", "Theirs");
        std::fs::write(&p, &theirs).unwrap();

        let state = relaunch(dir.path(), &p);
        let view = open_initial(&state).unwrap();
        assert!(view.recovery_pending);
        let offer = recovery_offer(&state, view.doc_id).unwrap().unwrap();
        assert!(offer.changed_on_disk);
        assert_eq!(offer.rows.len(), 2, "{:?}", offer.rows);
        let view = discard_recovery(&state, view.doc_id).unwrap();
        assert!(!view.recovery_pending && !view.dirty);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), theirs);
        close(&state, view.doc_id);
        let view = open_path(&state, &p).unwrap();
        assert!(!view.recovery_pending, "the journal is gone");
    }

    #[test]
    fn restoring_over_a_changed_file_puts_mine_over_it_unsaved() {
        let (dir, p, state) = setup(|p| Launch::File(p.to_path_buf()));
        let id = open_initial(&state).unwrap().doc_id;
        apply(&state, id, set_text(1, "Mine")).unwrap();
        drop(state); // a "crash" (see a_crash_journal_is_offered_and_restored)
        crashed(dir.path(), &p);
        let theirs = VTT.replace("Hello", "Theirs");
        std::fs::write(&p, &theirs).unwrap();

        let state = relaunch(dir.path(), &p);
        let id = open_initial(&state).unwrap().doc_id;
        let view = restore_recovery(&state, id).unwrap();
        assert!(view.dirty && !view.recovery_pending);
        assert_eq!(view.cues[1].text, "Mine");
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            theirs,
            "nothing written yet"
        );
        save(&state, id).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            VTT.replace("Second", "Mine")
        );
    }
}
