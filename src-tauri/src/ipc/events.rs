//! Typed events from Rust to the UI (tauri-specta: `events.menuCommand.listen(...)` in the
//! bindings). Events are for rare notifications; everything else is a command.

use cueline_transcript_store::{SaveStatus, StoreEvent};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;

use crate::ipc::dto::SaveStatusDto;

/// A command id of the UI's keyboard map. The native menu sends these; the UI runs the same
/// handler as for the shortcut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum CommandId {
    OpenFile,
    OpenFolder,
    Save,
    SaveAs,
    AttachAudio,
    Settings,
    Undo,
    Redo,
    InsertCueAfter,
    DeleteCue,
    SplitCue,
    MergeWithNext,
    Find,
    SearchProject,
    FindNext,
    FindPrevious,
    Replace,
    GoToTime,
    NextCue,
    PreviousCue,
    JumpToPlayhead,
    ToggleChecked,
    NextUnreviewed,
    PreviousUnreviewed,
    PlayPause,
    SkipBack,
    SkipForward,
    Slower,
    Faster,
    PlayCue,
    LoopCue,
    SetStart,
    SetEnd,
    StartEarlier,
    StartLater,
    EndEarlier,
    EndLater,
    InsertAtPlayhead,
    SplitAtPlayhead,
    NextChange,
    PreviousChange,
    Commit,
    ShowChanges,
    CheatSheet,
    FlagMenu,
    NextFlag,
    PreviousFlag,
}

impl CommandId {
    pub const ALL: [CommandId; 47] = [
        CommandId::OpenFile,
        CommandId::OpenFolder,
        CommandId::Save,
        CommandId::SaveAs,
        CommandId::AttachAudio,
        CommandId::Settings,
        CommandId::Undo,
        CommandId::Redo,
        CommandId::InsertCueAfter,
        CommandId::DeleteCue,
        CommandId::SplitCue,
        CommandId::MergeWithNext,
        CommandId::Find,
        CommandId::SearchProject,
        CommandId::FindNext,
        CommandId::FindPrevious,
        CommandId::Replace,
        CommandId::GoToTime,
        CommandId::NextCue,
        CommandId::PreviousCue,
        CommandId::JumpToPlayhead,
        CommandId::ToggleChecked,
        CommandId::NextUnreviewed,
        CommandId::PreviousUnreviewed,
        CommandId::PlayPause,
        CommandId::SkipBack,
        CommandId::SkipForward,
        CommandId::Slower,
        CommandId::Faster,
        CommandId::PlayCue,
        CommandId::LoopCue,
        CommandId::SetStart,
        CommandId::SetEnd,
        CommandId::StartEarlier,
        CommandId::StartLater,
        CommandId::EndEarlier,
        CommandId::EndLater,
        CommandId::InsertAtPlayhead,
        CommandId::SplitAtPlayhead,
        CommandId::NextChange,
        CommandId::PreviousChange,
        CommandId::Commit,
        CommandId::ShowChanges,
        CommandId::CheatSheet,
        CommandId::FlagMenu,
        CommandId::NextFlag,
        CommandId::PreviousFlag,
    ];

    /// The wire name, also used as the menu item id.
    pub fn as_str(self) -> &'static str {
        match self {
            CommandId::OpenFile => "open-file",
            CommandId::OpenFolder => "open-folder",
            CommandId::Save => "save",
            CommandId::SaveAs => "save-as",
            CommandId::AttachAudio => "attach-audio",
            CommandId::Settings => "settings",
            CommandId::Undo => "undo",
            CommandId::Redo => "redo",
            CommandId::InsertCueAfter => "insert-cue-after",
            CommandId::DeleteCue => "delete-cue",
            CommandId::SplitCue => "split-cue",
            CommandId::MergeWithNext => "merge-with-next",
            CommandId::Find => "find",
            CommandId::SearchProject => "search-project",
            CommandId::FindNext => "find-next",
            CommandId::FindPrevious => "find-previous",
            CommandId::Replace => "replace",
            CommandId::GoToTime => "go-to-time",
            CommandId::NextCue => "next-cue",
            CommandId::PreviousCue => "previous-cue",
            CommandId::JumpToPlayhead => "jump-to-playhead",
            CommandId::ToggleChecked => "toggle-checked",
            CommandId::NextUnreviewed => "next-unreviewed",
            CommandId::PreviousUnreviewed => "previous-unreviewed",
            CommandId::PlayPause => "play-pause",
            CommandId::SkipBack => "skip-back",
            CommandId::SkipForward => "skip-forward",
            CommandId::Slower => "slower",
            CommandId::Faster => "faster",
            CommandId::PlayCue => "play-cue",
            CommandId::LoopCue => "loop-cue",
            CommandId::SetStart => "set-start",
            CommandId::SetEnd => "set-end",
            CommandId::StartEarlier => "start-earlier",
            CommandId::StartLater => "start-later",
            CommandId::EndEarlier => "end-earlier",
            CommandId::EndLater => "end-later",
            CommandId::InsertAtPlayhead => "insert-at-playhead",
            CommandId::SplitAtPlayhead => "split-at-playhead",
            CommandId::NextChange => "next-change",
            CommandId::PreviousChange => "previous-change",
            CommandId::Commit => "commit",
            CommandId::ShowChanges => "show-changes",
            CommandId::CheatSheet => "cheat-sheet",
            CommandId::FlagMenu => "flag-menu",
            CommandId::NextFlag => "next-flag",
            CommandId::PreviousFlag => "previous-flag",
        }
    }

    pub fn from_id(id: &str) -> Option<CommandId> {
        CommandId::ALL.into_iter().find(|c| c.as_str() == id)
    }
}

/// A native menu item was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Event)]
pub struct MenuCommand {
    pub id: CommandId,
}

/// The user asked to close the window (or quit). The window stays open. The UI flushes the
/// draft of the cue being typed in; then, if any document is dirty, it asks (Save and close /
/// Discard changes / Cancel), else it calls `force_close` at once. (Rust asks even when every
/// document is clean on its side, because only the UI knows about an unsent draft; if the UI
/// does not answer within 3 s, the next close request closes when nothing is dirty in Rust.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Event)]
pub struct CloseRequested {}

/// What happened to an open document outside a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only the save status changed (for example `Saving…`, or `Unsaved changes` again).
    Status,
    /// An autosave (or a save) finished.
    Saved,
    /// A save failed; the edits are kept in memory and in the crash journal.
    SaveFailed,
    /// The clean document was reloaded from the changed file (one undo step): fetch the view.
    Reloaded,
    /// The file changed on disk while the document had unsaved edits; autosave is paused.
    Conflict,
    /// The file was deleted or moved away; the document is kept.
    Deleted,
    /// The crash journal could not be written.
    JournalFailed,
}

/// An open document changed outside a command: saved by autosave, reloaded or in conflict
/// after a change on disk, deleted. The UI refetches the view (`get_document`) when it needs
/// the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct DocumentChanged {
    pub doc_id: u32,
    pub kind: ChangeKind,
    /// A sentence for the user, if there is something to say.
    pub message: Option<String>,
    /// The save status after the change.
    pub save_status: SaveStatusDto,
}

/// A second launch (`cueline FILE` while the app runs) handed its FILE or folder to this
/// window: the UI opens it as if it had been dropped on the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct OpenRequested {
    /// Absolute paths.
    pub paths: Vec<String>,
}

impl DocumentChanged {
    /// Maps a store event; `status` is the document's save status after it.
    pub fn from_store(doc_id: u32, event: &StoreEvent, status: SaveStatus) -> DocumentChanged {
        let (kind, message, status) = match event {
            StoreEvent::Status(s) => (ChangeKind::Status, None, *s),
            StoreEvent::Saved { .. } => (ChangeKind::Saved, None, status),
            StoreEvent::SaveFailed { message } => (
                ChangeKind::SaveFailed,
                Some(format!("Could not save: {message}. Your edits are kept.")),
                status,
            ),
            StoreEvent::Reloaded {
                changed,
                added,
                removed,
                ..
            } => (
                ChangeKind::Reloaded,
                Some(reload_message(*changed, *added, *removed)),
                status,
            ),
            StoreEvent::Conflict { .. } => (
                ChangeKind::Conflict,
                Some(
                    "The file changed on disk while you have unsaved edits. Nothing is \
                     written until you choose."
                        .to_owned(),
                ),
                status,
            ),
            StoreEvent::Deleted => (
                ChangeKind::Deleted,
                Some(
                    "The file was deleted or moved away. Your edits are kept here: use \
                     Save As to put them in a file."
                        .to_owned(),
                ),
                status,
            ),
            StoreEvent::JournalFailed { message } => (
                ChangeKind::JournalFailed,
                Some(format!("The crash journal cannot be written: {message}.")),
                status,
            ),
        };
        DocumentChanged {
            doc_id,
            kind,
            message,
            save_status: status.into(),
        }
    }
}

fn reload_message(changed: usize, added: usize, removed: usize) -> String {
    let mut parts = Vec::new();
    for (n, what) in [(changed, "changed"), (added, "added"), (removed, "removed")] {
        if n > 0 {
            let cues = if n == 1 { "cue" } else { "cues" };
            parts.push(format!("{n} {cues} {what}"));
        }
    }
    if parts.is_empty() {
        "Reloaded: the file changed on disk.".to_owned()
    } else {
        format!("Reloaded: the file changed on disk ({}).", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_ids_round_trip_through_their_wire_names() {
        for id in CommandId::ALL {
            let json = serde_json::to_value(id).unwrap();
            assert_eq!(json, id.as_str());
            assert_eq!(CommandId::from_id(id.as_str()), Some(id));
        }
        let json = serde_json::to_value(MenuCommand {
            id: CommandId::GoToTime,
        })
        .unwrap();
        assert_eq!(json, serde_json::json!({"id": "go-to-time"}));
    }

    #[test]
    fn store_events_map_to_document_changed() {
        let hash = blake3::hash(b"x");
        let e = DocumentChanged::from_store(
            3,
            &StoreEvent::Status(SaveStatus::Saving),
            SaveStatus::Unsaved,
        );
        assert_eq!(
            (e.kind, e.save_status, e.message),
            (ChangeKind::Status, SaveStatusDto::Saving, None)
        );
        let e = DocumentChanged::from_store(
            3,
            &StoreEvent::Reloaded {
                changed: 1,
                added: 2,
                removed: 0,
                hash,
            },
            SaveStatus::Saved,
        );
        assert_eq!(e.kind, ChangeKind::Reloaded);
        assert_eq!(
            e.message.as_deref(),
            Some("Reloaded: the file changed on disk (1 cue changed, 2 cues added).")
        );
        let e =
            DocumentChanged::from_store(3, &StoreEvent::Conflict { hash }, SaveStatus::Conflict);
        assert_eq!(
            (e.kind, e.save_status),
            (ChangeKind::Conflict, SaveStatusDto::Conflict)
        );
        let e = DocumentChanged::from_store(3, &StoreEvent::Deleted, SaveStatus::Unsaved);
        assert!(e.message.unwrap().contains("Save As"));
        let e = DocumentChanged::from_store(
            3,
            &StoreEvent::SaveFailed {
                message: "disk full".into(),
            },
            SaveStatus::Unsaved,
        );
        assert_eq!(e.kind, ChangeKind::SaveFailed);
        let json = serde_json::to_value(DocumentChanged::from_store(
            9,
            &StoreEvent::Saved { revision: 1, hash },
            SaveStatus::Saved,
        ))
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"docId": 9, "kind": "saved", "message": null, "saveStatus": "saved"})
        );
    }
}
