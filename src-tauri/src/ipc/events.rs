//! Typed events from Rust to the UI (tauri-specta: `events.menuCommand.listen(...)` in the
//! bindings). Events are for rare notifications; everything else is a command.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;

/// A command id of the UI's keyboard map. The native menu sends these; the UI runs the same
/// handler as for the shortcut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum CommandId {
    OpenFile,
    OpenFolder,
    Save,
    Undo,
    Redo,
    Find,
    FindNext,
    FindPrevious,
    Replace,
    GoToTime,
    NextCue,
    PreviousCue,
    InsertCueAfter,
    DeleteCue,
    SplitCue,
    MergeWithNext,
    CheatSheet,
}

impl CommandId {
    pub const ALL: [CommandId; 17] = [
        CommandId::OpenFile,
        CommandId::OpenFolder,
        CommandId::Save,
        CommandId::Undo,
        CommandId::Redo,
        CommandId::Find,
        CommandId::FindNext,
        CommandId::FindPrevious,
        CommandId::Replace,
        CommandId::GoToTime,
        CommandId::NextCue,
        CommandId::PreviousCue,
        CommandId::InsertCueAfter,
        CommandId::DeleteCue,
        CommandId::SplitCue,
        CommandId::MergeWithNext,
        CommandId::CheatSheet,
    ];

    /// The wire name, also used as the menu item id.
    pub fn as_str(self) -> &'static str {
        match self {
            CommandId::OpenFile => "open-file",
            CommandId::OpenFolder => "open-folder",
            CommandId::Save => "save",
            CommandId::Undo => "undo",
            CommandId::Redo => "redo",
            CommandId::Find => "find",
            CommandId::FindNext => "find-next",
            CommandId::FindPrevious => "find-previous",
            CommandId::Replace => "replace",
            CommandId::GoToTime => "go-to-time",
            CommandId::NextCue => "next-cue",
            CommandId::PreviousCue => "previous-cue",
            CommandId::InsertCueAfter => "insert-cue-after",
            CommandId::DeleteCue => "delete-cue",
            CommandId::SplitCue => "split-cue",
            CommandId::MergeWithNext => "merge-with-next",
            CommandId::CheatSheet => "cheat-sheet",
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
}
