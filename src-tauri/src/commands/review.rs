//! The review pass in the window: flags of the open document (spelling, sounds-like),
//! suggestions, adding words, *Ignore all*, rejecting a sounds-like flag, adding a mishearing
//! to the glossary. The logic is `cueline_review::ReviewSession` (on [`AppState::review`]);
//! these are the wrappers and the mapping to the wire.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use cueline_review::{ListError, lists};
use tauri::AppHandle;
use tracing::instrument;

use super::blocking;
use crate::ipc::dto::wire;
use crate::ipc::error::IpcError;
use crate::ipc::review::{CueFlagsDto, FlagsView, ListChanged, WordListDto};
use crate::state::AppState;

/// The flags of document `doc_id` that changed after generation `since` (0: all). Only cues
/// edited since the last call are checked again.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn review_flags(app: AppHandle, doc_id: u32, since: u32) -> Result<FlagsView, IpcError> {
    blocking(app, move |s| flags(s, doc_id, since)).await
}

/// Every suggestion for a flagged word: known words first, then the dictionary's.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn flag_suggestions(
    app: AppHandle,
    doc_id: u32,
    word: String,
) -> Result<Vec<String>, IpcError> {
    blocking(app, move |s| suggestions(s, doc_id, &word)).await
}

/// *Add to project words* / *Add to my words*: appends one line to the list.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn add_known_word(
    app: AppHandle,
    doc_id: u32,
    word: String,
    list: WordListDto,
) -> Result<ListChanged, IpcError> {
    blocking(app, move |s| add_word(s, doc_id, &word, list)).await
}

/// *Ignore all*: the text is not flagged again in this session.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn ignore_flagged(app: AppHandle, text: String) -> Result<(), IpcError> {
    blocking(app, move |s| {
        s.review.ignore(&text);
        Ok(())
    })
    .await
}

/// Rejects a sounds-like flag in one cue (remembered outside the transcript).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn reject_flag(
    app: AppHandle,
    doc_id: u32,
    cue_id: u32,
    heard: String,
    name: String,
) -> Result<(), IpcError> {
    blocking(app, move |s| reject(s, doc_id, cue_id, &heard, &name)).await
}

/// Adds `wrong` -> `right` to the project's glossary (one appended `[[entry]]`).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn add_glossary_entry(
    app: AppHandle,
    doc_id: u32,
    wrong: String,
    right: String,
) -> Result<ListChanged, IpcError> {
    blocking(app, move |s| add_to_glossary(s, doc_id, &wrong, &right)).await
}

// ---------------------------------------------------------------------------------------------

fn doc_path(state: &AppState, doc_id: u32) -> Result<Option<PathBuf>, IpcError> {
    let doc = state.open().get(doc_id)?;
    Ok(doc.read(|d| d.path().map(Path::to_path_buf)))
}

fn list_error(file: &Path, e: ListError) -> IpcError {
    match e {
        ListError::BadWord { .. } => IpcError::InvalidEdit {
            message: e.to_string(),
        },
        ListError::NoProject { .. } => {
            IpcError::unsupported(&file.display().to_string(), e.to_string())
        }
        e => IpcError::io(file, e.to_string()),
    }
}

pub fn flags(state: &AppState, doc_id: u32, since: u32) -> Result<FlagsView, IpcError> {
    let doc = state.open().get(doc_id)?;
    // copy the texts, then check without holding the document
    let (path, cues) = doc.read(|d| {
        let cues: Vec<(u64, String)> = d.document().cues().map(|c| (c.id.0, c.text)).collect();
        (d.path().map(Path::to_path_buf), cues)
    });
    drop(doc);
    let report = state
        .review
        .flags(doc_id, path.as_deref(), &cues, u64::from(since));
    let text_of: HashMap<u64, &str> = if report.changes.is_empty() {
        HashMap::new()
    } else {
        cues.iter().map(|(i, t)| (*i, t.as_str())).collect()
    };
    let shown = |p: PathBuf| p.display().to_string();
    Ok(FlagsView {
        doc_id,
        since: wire(report.since),
        generation: wire(report.generation),
        cues: report
            .changes
            .into_iter()
            .map(|c| {
                let text = text_of.get(&c.cue_id).copied().unwrap_or("");
                CueFlagsDto::from_cue(c, text)
            })
            .collect(),
        notice: report.notice,
        project_words: path
            .as_deref()
            .and_then(lists::project_words_file)
            .map(shown),
        glossary: path
            .as_deref()
            .and_then(lists::project_glossary_file)
            .map(shown),
    })
}

pub fn suggestions(state: &AppState, doc_id: u32, word: &str) -> Result<Vec<String>, IpcError> {
    let path = doc_path(state, doc_id)?;
    Ok(state.review.suggest(doc_id, path.as_deref(), word))
}

pub fn add_word(
    state: &AppState,
    doc_id: u32,
    word: &str,
    list: WordListDto,
) -> Result<ListChanged, IpcError> {
    let path = doc_path(state, doc_id)?;
    let file = match list {
        WordListDto::Project => path.as_deref().and_then(lists::project_words_file),
        WordListDto::User => cueline_review::user_words_path(),
    };
    let Some(file) = file else {
        let start = path.unwrap_or_default();
        return Err(list_error(&start.clone(), ListError::NoProject { start }));
    };
    let added = lists::add_word(&file, word).map_err(|e| list_error(&file, e))?;
    tracing::info!(file = %file.display(), word, added, "known word added");
    state.review.words_changed();
    Ok(ListChanged {
        file: file.display().to_string(),
        added,
    })
}

pub fn reject(
    state: &AppState,
    doc_id: u32,
    cue_id: u32,
    heard: &str,
    name: &str,
) -> Result<(), IpcError> {
    let doc = state.open().get(doc_id)?;
    let (path, text) = doc.read(|d| {
        let text = d
            .document()
            .cues()
            .find(|c| c.id.0 == u64::from(cue_id))
            .map(|c| c.text);
        (d.path().map(Path::to_path_buf), text)
    });
    let Some(text) = text else {
        return Err(IpcError::InvalidEdit {
            message: format!("cue {cue_id} is no longer in the document"),
        });
    };
    state
        .review
        .reject(doc_id, path.as_deref(), &text, heard, name)
        .map_err(|e| IpcError::io(path.as_deref().unwrap_or(Path::new("")), e.to_string()))
}

pub fn add_to_glossary(
    state: &AppState,
    doc_id: u32,
    wrong: &str,
    right: &str,
) -> Result<ListChanged, IpcError> {
    let path = doc_path(state, doc_id)?;
    let Some(file) = path.as_deref().and_then(lists::project_glossary_file) else {
        let start = path.unwrap_or_default();
        return Err(list_error(&start.clone(), ListError::NoProject { start }));
    };
    let added = lists::add_glossary_entry(&file, wrong, right).map_err(|e| list_error(&file, e))?;
    state.review.words_changed();
    Ok(ListChanged {
        file: file.display().to_string(),
        added,
    })
}

#[cfg(test)]
mod tests {
    use cueline_transcript_store::{Settings, SettingsFile};

    use super::*;
    use crate::commands::document;
    use crate::ipc::dto::EditDto;
    use crate::ipc::review::FlagKindDto;
    use crate::launch::Launch;

    const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n😀 teh Matt McKay\n\n00:00:03.000 --> 00:00:04.000\nAll fine.\n";

    #[test]
    fn flags_through_the_command_bodies() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".cueline")).unwrap();
        let words = dir.path().join(".cueline/words.txt");
        std::fs::write(&words, "Matt Makai\n").unwrap();
        let p = dir.path().join("ep.vtt");
        std::fs::write(&p, VTT).unwrap();
        let settings = SettingsFile::at(dir.path().join("conf/settings.json"));
        settings
            .store(&Settings {
                autosave: false,
                ..Settings::default()
            })
            .unwrap();
        let state = AppState::new(
            Launch::File(p.clone()),
            None,
            Some(settings),
            Some(dir.path().join("data/journal")),
        );
        let view = document::open_initial(&state).unwrap();
        let id = view.doc_id;
        let all = flags(&state, id, 0).unwrap();
        assert_eq!(all.cues.len(), 1);
        let f = &all.cues[0].flags;
        // UTF-16 offsets: the emoji counts 2
        assert_eq!(
            (
                f[0].kind,
                f[0].start_utf16,
                f[0].end_utf16,
                f[0].text.as_str()
            ),
            (FlagKindDto::Spelling, 3, 6, "teh")
        );
        assert_eq!(f[1].kind, FlagKindDto::SoundsLike);
        assert_eq!(f[1].suggestions, ["Matt Makai"]);
        assert!(all.project_words.unwrap().ends_with(".cueline/words.txt"));
        assert!(
            suggestions(&state, id, "teh")
                .unwrap()
                .contains(&"the".to_owned())
        );

        // an edit: only that cue comes back
        document::apply(
            &state,
            id,
            vec![EditDto::SetText {
                cue: 1,
                text: "All fyne.".into(),
            }],
        )
        .unwrap();
        let changed = flags(&state, id, all.generation).unwrap();
        assert_eq!(changed.cues.len(), 1);
        assert_eq!(changed.cues[0].flags[0].text, "fyne");

        // a word for the project: one line more, and the flag goes
        let added = add_word(&state, id, "fyne", WordListDto::Project).unwrap();
        assert!(added.added);
        assert_eq!(
            std::fs::read_to_string(&words).unwrap(),
            "Matt Makai\nfyne\n"
        );
        let after = flags(&state, id, changed.generation).unwrap();
        assert_eq!(after.cues.len(), 1);
        assert!(after.cues[0].flags.is_empty());

        // a rejection: kept under the data folder, the flag goes
        let cue0 = view.cues[0].id;
        reject(&state, id, cue0, "Matt McKay", "Matt Makai").unwrap();
        let after_reject = flags(&state, id, after.generation).unwrap();
        assert_eq!(after_reject.cues[0].flags.len(), 1, "teh stays");
        let kept: Vec<_> = std::fs::read_dir(dir.path().join("data/review"))
            .unwrap()
            .collect();
        assert_eq!(kept.len(), 1);

        // a sounds-like fix into the glossary
        let g = add_to_glossary(&state, id, "Matt McKay", "Matt Makai").unwrap();
        assert!(g.file.ends_with(".cueline/glossary.toml"));
        assert!(
            std::fs::read_to_string(dir.path().join(".cueline/glossary.toml"))
                .unwrap()
                .contains("wrong = \"Matt McKay\"")
        );
    }
}
