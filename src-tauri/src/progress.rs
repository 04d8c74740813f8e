//! Review progress in the app: the glue between the open documents, the player's reports and
//! `cueline-progress`, which owns every rule (re-keying, listening, saving).
//!
//! Each call first puts the document's marks in step with its current revision
//! ([`ProgressStore::sync`]). A document is known to the store by its canonical path (the
//! built-in demo, which has none, only in memory). When a document is replaced under the same
//! id (a restored crash journal), its cue ids mean nothing any more, so that one sync goes by
//! the text keys alone.
//!
//! Listening: the transcript whose audio the player holds is the one last asked for
//! (`audio_for_document`, `attach_audio`); every player report goes to [`observe`], and cues that
//! become *listened* are sent to the UI as `ProgressChanged`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use cueline_player::PlaybackState;
use cueline_progress::{ProgressStore, Sample, Snapshot, cues_of};

use crate::ipc::error::IpcError;
use crate::ipc::progress::{ProgressChanged, ProgressSummary, ProgressView};
use crate::state::AppState;

/// Where `ProgressChanged` goes (the Tauri event; a collector in tests).
pub type ProgressEmitter = Arc<dyn Fn(ProgressChanged) + Send + Sync>;

pub struct Progress {
    store: ProgressStore,
    /// The document whose audio is in the player.
    listening: Mutex<Option<u32>>,
    /// The `LiveDocument` each document id was last synced from (its address).
    instances: Mutex<HashMap<u32, usize>>,
    emitter: Mutex<Option<ProgressEmitter>>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Progress {
    pub fn new(store: ProgressStore) -> Progress {
        Progress {
            store,
            listening: Mutex::new(None),
            instances: Mutex::new(HashMap::new()),
            emitter: Mutex::new(None),
        }
    }

    pub fn set_emitter(&self, emit: ProgressEmitter) {
        *lock(&self.emitter) = Some(emit);
    }

    pub fn store(&self) -> &ProgressStore {
        &self.store
    }
}

/// The store's key of document `doc_id`: its path, or an in-memory name for the demo.
fn store_key(doc_id: u32, path: Option<&Path>) -> (PathBuf, bool) {
    match path {
        Some(p) => (p.to_owned(), true),
        None => (PathBuf::from(format!("\0unsaved/{doc_id}")), false),
    }
}

/// Puts the marks of `doc_id` in step with the document; returns its key and marks.
pub fn sync(state: &AppState, doc_id: u32) -> Result<(PathBuf, Snapshot), IpcError> {
    let doc = state.open().get(doc_id)?;
    let instance = Arc::as_ptr(&doc) as usize;
    let before = lock(&state.progress.instances).insert(doc_id, instance);
    doc.read(|d| {
        let (key, persist) = store_key(doc_id, d.path());
        if before.is_some_and(|b| b != instance) {
            state.progress.store.forget_ids(&key);
        }
        // The revision alone does not name the content of a replaced document.
        let token = (instance as u64).rotate_left(32) ^ u64::from(d.revision());
        let snap = state
            .progress
            .store
            .sync(&key, persist, token, || cues_of(d.document()));
        Ok((key, snap))
    })
}

/// The marks of document `doc_id`.
pub fn view(state: &AppState, doc_id: u32) -> Result<ProgressView, IpcError> {
    let (_, snap) = sync(state, doc_id)?;
    Ok(ProgressView::from_snapshot(doc_id, &snap))
}

/// Ctrl+K: checked becomes listened, anything else checked.
pub fn toggle_checked(
    state: &AppState,
    doc_id: u32,
    cue_index: u32,
) -> Result<ProgressView, IpcError> {
    let (key, snap) = sync(state, doc_id)?;
    let snap = state
        .progress
        .store
        .toggle_checked(&key, cue_index as usize)
        .ok_or_else(|| IpcError::InvalidEdit {
            message: format!(
                "cue {cue_index} does not exist (the document has {} cues)",
                snap.marks.len()
            ),
        })?;
    Ok(ProgressView::from_snapshot(doc_id, &snap))
}

/// The next (`forward`) or previous cue after `from` that is not checked, wrapping around.
pub fn next_unreviewed(
    state: &AppState,
    doc_id: u32,
    from: Option<u32>,
    forward: bool,
) -> Result<Option<u32>, IpcError> {
    let (key, _) = sync(state, doc_id)?;
    Ok(state
        .progress
        .store
        .next_unchecked(&key, from.map(|f| f as usize), forward)
        .map(crate::ipc::dto::wire))
}

/// The counts of each path that has marks: an open document's live marks, else its progress
/// file re-keyed against the file on disk. Paths without marks are left out (the sidebar
/// shows none checked of the project's cue count).
pub fn summaries(state: &AppState, paths: Vec<String>) -> Vec<ProgressSummary> {
    let open: Vec<(u32, PathBuf)> = state
        .open()
        .iter_with_ids()
        .filter_map(|(id, d)| d.read(|d| d.path().map(|p| (id, p.to_owned()))))
        .collect();
    paths
        .into_iter()
        .filter_map(|p| {
            // only transcripts the user may open (a chosen folder's, a recent file): the marks
            // of any other path are not the page's to ask about
            let canonical = state.grants.check(Path::new(&p)).ok()?;
            if let Some((id, _)) = open.iter().find(|(_, path)| *path == canonical)
                && let Ok((_, snap)) = sync(state, *id)
            {
                return Some(ProgressSummary::new(p, snap.counts));
            }
            state
                .progress
                .store
                .summary(&canonical)
                .map(|c| ProgressSummary::new(p, c))
        })
        .collect()
}

/// The player now holds the audio of document `doc_id` (`None`: of no document).
pub fn listen_to(state: &AppState, doc_id: Option<u32>) {
    *lock(&state.progress.listening) = doc_id;
    let key = doc_id.and_then(|id| sync(state, id).ok()).map(|(k, _)| k);
    state.progress.store.set_listening(key);
}

/// One report of the player: cues played through become *listened* (sent as `ProgressChanged`).
pub fn observe(state: &AppState, playback: &PlaybackState) {
    let Some(doc_id) = *lock(&state.progress.listening) else {
        return;
    };
    if sync(state, doc_id).is_err() {
        return; // closed
    }
    let sample = Sample {
        playing: playback.playing,
        position_ms: playback.position_ms,
        speed: playback.speed,
        epoch: playback.epoch,
    };
    let Some((_, snap)) = state.progress.store.observe(sample, playback.duration_ms) else {
        return;
    };
    let emit = lock(&state.progress.emitter).clone();
    if let Some(emit) = emit {
        emit(ProgressChanged {
            view: ProgressView::from_snapshot(doc_id, &snap),
        });
    }
}

/// Document `doc_id` is closing: its marks are written now.
pub fn closed(state: &AppState, doc_id: u32) {
    let Ok(doc) = state.open().get(doc_id) else {
        return;
    };
    let (key, _) = doc.read(|d| store_key(doc_id, d.path()));
    state.progress.store.close(&key);
    lock(&state.progress.instances).remove(&doc_id);
    let mut listening = lock(&state.progress.listening);
    if *listening == Some(doc_id) {
        *listening = None;
    }
}

/// The app is quitting: every change is written now.
pub fn flush(state: &AppState) {
    state.progress.store.flush();
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::commands::document::{apply, close, open_path};
    use crate::ipc::dto::EditDto;
    use crate::ipc::progress::MarkDto;
    use crate::launch::Launch;

    const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOne.\n\n00:00:02.000 --> 00:00:03.000\nTwo.\n\n00:00:03.000 --> 00:00:04.000\nThree.\n";

    fn state(dir: &Path) -> AppState {
        AppState::new(Launch::Folder(dir.to_owned()), None, None, None).with_progress(
            ProgressStore::new(
                Some(dir.join("data/cueline/review")),
                Duration::from_secs(60),
            ),
        )
    }

    fn marks(state: &AppState, id: u32) -> Vec<MarkDto> {
        view(state, id).unwrap().marks
    }

    use MarkDto::{Checked as C, Listened as L, Unreviewed as U};

    #[test]
    fn ctrl_k_an_edit_next_unreviewed_and_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ep.vtt");
        std::fs::write(&path, VTT).unwrap();
        let s = state(dir.path());
        let id = open_path(&s, &path).unwrap().doc_id;
        assert_eq!(marks(&s, id), vec![U, U, U]);
        let v = toggle_checked(&s, id, 0).unwrap();
        assert_eq!((v.checked, v.total), (1, 3));
        toggle_checked(&s, id, 2).unwrap();
        assert!(matches!(
            toggle_checked(&s, id, 9),
            Err(IpcError::InvalidEdit { .. })
        ));
        assert_eq!(next_unreviewed(&s, id, Some(0), true).unwrap(), Some(1));
        assert_eq!(
            next_unreviewed(&s, id, Some(1), true).unwrap(),
            Some(1),
            "wraps"
        );
        apply(
            &s,
            id,
            vec![EditDto::SetText {
                cue: 0,
                text: "One, edited.".into(),
            }],
        )
        .unwrap();
        assert_eq!(marks(&s, id), vec![L, U, C]);
        // The sidebar's numbers for the open file are the live ones.
        let sums = summaries(&s, vec![path.display().to_string()]);
        assert_eq!(
            (sums[0].checked, sums[0].listened, sums[0].total),
            (1, 1, 3)
        );
        close(&s, id);
        // Closed: written, and read back by the next open (the file on disk was not saved, so
        // cue 0 is "One." again there: its mark was for "One, edited." and is gone).
        let id = open_path(&s, &path).unwrap().doc_id;
        assert_eq!(marks(&s, id), vec![U, U, C]);
    }

    #[test]
    fn playback_through_a_cue_makes_it_listened_and_tells_the_ui() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ep.vtt");
        std::fs::write(&path, VTT).unwrap();
        let s = state(dir.path());
        let id = open_path(&s, &path).unwrap().doc_id;
        let sent = Arc::new(Mutex::new(Vec::new()));
        let got = Arc::clone(&sent);
        s.progress
            .set_emitter(Arc::new(move |e: ProgressChanged| lock(&got).push(e)));
        listen_to(&s, Some(id));
        let at = |ms: u64, epoch: u64| PlaybackState {
            playing: true,
            position_ms: ms,
            epoch,
            ..PlaybackState::default()
        };
        for ms in (1000..=2500).step_by(50) {
            observe(&s, &at(ms, 1));
        }
        assert_eq!(marks(&s, id), vec![L, U, U]);
        // A seek into cue 1 (a new epoch), played to its end: not listened.
        for ms in (2500..=3200).step_by(50) {
            observe(&s, &at(ms, 2));
        }
        assert_eq!(marks(&s, id), vec![L, U, U]);
        // Faster than 1.5x does not count.
        for ms in (3000..=4200).step_by(50) {
            observe(
                &s,
                &PlaybackState {
                    speed: 2.0,
                    ..at(ms, 3)
                },
            );
        }
        assert_eq!(marks(&s, id), vec![L, U, U]);
        let events = lock(&sent);
        assert_eq!(events.len(), 1, "one change, one event");
        assert_eq!(events[0].view.marks, vec![L, U, U]);
        assert_eq!(events[0].view.doc_id, id);
    }
}
