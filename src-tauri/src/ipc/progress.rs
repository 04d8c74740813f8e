//! Wire types of review progress: each cue's mark and the counts of a file.

use cueline_progress::{Counts, Mark, Snapshot};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;

/// What the user has done with one cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum MarkDto {
    Unreviewed,
    /// Its whole span was played continuously at up to 1.5x.
    Listened,
    /// Confirmed by the user (Ctrl+K).
    Checked,
}

impl From<Mark> for MarkDto {
    fn from(m: Mark) -> MarkDto {
        match m {
            Mark::Unreviewed => MarkDto::Unreviewed,
            Mark::Listened => MarkDto::Listened,
            Mark::Checked => MarkDto::Checked,
        }
    }
}

/// The marks of an open document, one per cue in order, and their counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProgressView {
    pub doc_id: u32,
    pub marks: Vec<MarkDto>,
    pub checked: u32,
    pub listened: u32,
    pub total: u32,
}

impl ProgressView {
    pub fn from_snapshot(doc_id: u32, snap: &Snapshot) -> ProgressView {
        ProgressView {
            doc_id,
            marks: snap.marks.iter().copied().map(MarkDto::from).collect(),
            checked: snap.counts.checked,
            listened: snap.counts.listened,
            total: snap.counts.total,
        }
    }
}

/// The counts of one transcript of the project (open or not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProgressSummary {
    /// As the UI asked for it.
    pub path: String,
    pub checked: u32,
    pub listened: u32,
    pub total: u32,
}

impl ProgressSummary {
    pub fn new(path: String, counts: Counts) -> ProgressSummary {
        ProgressSummary {
            path,
            checked: counts.checked,
            listened: counts.listened,
            total: counts.total,
        }
    }
}

/// Marks changed outside a command: playback made cues *listened*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct ProgressChanged {
    pub view: ProgressView,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_cross_as_camel_case_names() {
        let snap = Snapshot {
            marks: vec![Mark::Unreviewed, Mark::Listened, Mark::Checked],
            counts: cueline_progress::counts(&[Mark::Unreviewed, Mark::Listened, Mark::Checked]),
        };
        let json = serde_json::to_value(ProgressView::from_snapshot(3, &snap)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"docId": 3, "marks": ["unreviewed", "listened", "checked"],
                "checked": 1, "listened": 1, "total": 3})
        );
    }
}
