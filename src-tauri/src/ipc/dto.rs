//! Wire types of the IPC surface, mapped from the core's types.
//!
//! These live here rather than as `specta::Type` derives on the core: the core's cues carry
//! spans and raw text that never cross the wire, and it must stay free to change. Numbers are
//! `u32` so that the TypeScript side never needs `bigint`.

use std::collections::BTreeMap;

use cueline_transcript::search::Query;
use cueline_transcript::{Diagnostic, Edit, Format, Severity};
use cueline_transcript_store::{
    CompareRow, ComparedCue, Folder, OpenDocument, SaveStatus, Settings, Utf16Hit,
};
use serde::{Deserialize, Serialize};
use specta::Type;

/// The format of a transcript file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum FormatDto {
    Vtt,
    Srt,
    Txt,
}

impl From<Format> for FormatDto {
    fn from(f: Format) -> Self {
        match f {
            Format::Vtt => FormatDto::Vtt,
            Format::Srt => FormatDto::Srt,
            Format::Txt => FormatDto::Txt,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum SeverityDto {
    Warning,
    Error,
}

impl From<Severity> for SeverityDto {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Warning => SeverityDto::Warning,
            Severity::Error => SeverityDto::Error,
        }
    }
}

/// One cue (VTT, SRT) or entry (TXT), read-only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CueDto {
    /// Stable identity across edits; not written to disk.
    pub id: u32,
    /// 0-based position among the document's cues.
    pub index: u32,
    /// 1-based line of the cue's timing line (TXT: its entry line).
    pub line: u32,
    pub start_ms: u32,
    /// `null` for TXT entries, which have no end time.
    pub end_ms: Option<u32>,
    /// The text lines as written, joined by `\n`.
    pub text: String,
}

/// A problem found in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticDto {
    pub severity: SeverityDto,
    /// 1-based line in the file.
    pub line: u32,
    pub message: String,
    /// The cue this diagnostic is shown with: the last cue starting at or before `line`.
    /// `null` for problems before the first cue (header, leading blocks).
    pub cue_index: Option<u32>,
    /// For a block that did not parse: its text as written, shown read-only (it is kept
    /// verbatim on save).
    pub source: Option<String>,
}

/// An open document as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    /// Identity of the open document for the life of the app; every command takes it.
    pub doc_id: u32,
    /// The path as opened (canonical).
    pub path: String,
    pub file_name: String,
    /// True for the bundled demo transcript (editable, never saved).
    pub is_demo: bool,
    pub format: FormatDto,
    /// Why the document cannot be edited, if it cannot (e.g. it is not text).
    pub read_only_reason: Option<String>,
    /// Bumped by every applied edit, undo and redo: apply a view only if it is newer.
    pub revision: u32,
    /// The content differs from what was last loaded or saved.
    pub dirty: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub cue_count: u32,
    pub cues: Vec<CueDto>,
    pub diagnostics: Vec<DiagnosticDto>,
    /// What the save-status indicator shows (Rust's autosave state).
    pub save_status: SaveStatusDto,
    /// A crash journal with unsaved edits was found for this file: ask the user
    /// (`recovery_offer`, then `restore_recovery` or `discard_recovery`).
    pub recovery_pending: bool,
}

/// The save status: `Saved`, `Unsaved changes`, `Saving…` or `Conflict` on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum SaveStatusDto {
    Saved,
    Unsaved,
    Saving,
    Conflict,
}

impl From<SaveStatus> for SaveStatusDto {
    fn from(s: SaveStatus) -> Self {
        match s {
            SaveStatus::Saved => SaveStatusDto::Saved,
            SaveStatus::Unsaved => SaveStatusDto::Unsaved,
            SaveStatus::Saving => SaveStatusDto::Saving,
            SaveStatus::Conflict => SaveStatusDto::Conflict,
        }
    }
}

/// One cue of a side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ComparedCueDto {
    pub index: u32,
    pub start_ms: u32,
    pub end_ms: Option<u32>,
    pub text: String,
}

impl From<ComparedCue> for ComparedCueDto {
    fn from(c: ComparedCue) -> Self {
        ComparedCueDto {
            index: wire(c.index),
            start_ms: c.start_ms,
            end_ms: c.end_ms,
            text: c.text,
        }
    }
}

/// A row of the side-by-side view: the file on disk ("theirs") and the editor's version
/// ("mine") at one place; `null` where that version has no cue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CompareRowDto {
    pub theirs: Option<ComparedCueDto>,
    pub mine: Option<ComparedCueDto>,
}

impl From<CompareRow> for CompareRowDto {
    fn from(r: CompareRow) -> Self {
        CompareRowDto {
            theirs: r.theirs.map(Into::into),
            mine: r.mine.map(Into::into),
        }
    }
}

/// Unsaved edits found in a crash journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryOffer {
    pub doc_id: u32,
    /// The file changed since the edits were made: restoring puts "mine" over it.
    pub changed_on_disk: bool,
    /// The cues that differ between the file and the restored edits.
    pub rows: Vec<CompareRowDto>,
}

/// The app's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    /// Autosave after edits (off: only Ctrl+S saves).
    pub autosave: bool,
    /// Skip back / forward distance in ms (F1 / F2 by default).
    pub skip_ms: u32,
    /// Rewind this much when playback resumes after a pause (0 disables).
    pub auto_rewind_ms: u32,
    /// The user's key bindings: command id -> chords, replacing that command's defaults.
    pub key_bindings: BTreeMap<String, Vec<String>>,
    /// The spelling dictionary (`en_US`), looked for in `$CUELINE_DICT_DIR`, then
    /// `/usr/share/hunspell`.
    pub spelling_language: String,
}

impl From<Settings> for SettingsDto {
    fn from(s: Settings) -> Self {
        SettingsDto {
            autosave: s.autosave,
            skip_ms: s.skip_ms,
            auto_rewind_ms: s.auto_rewind_ms,
            key_bindings: s.key_bindings,
            spelling_language: s.spelling_language,
        }
    }
}

impl From<SettingsDto> for Settings {
    fn from(s: SettingsDto) -> Self {
        Settings {
            autosave: s.autosave,
            skip_ms: s.skip_ms,
            auto_rewind_ms: s.auto_rewind_ms,
            key_bindings: s.key_bindings,
            spelling_language: s.spelling_language,
        }
        .clamped()
    }
}

/// Converts a count or position to the wire's `u32`, saturating (no real transcript comes
/// near 4 billion cues or lines).
pub fn wire(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

/// A wire index (`u32`) as a core index.
fn index(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

impl DocumentView {
    pub fn from_open(
        id: u32,
        open: &OpenDocument,
        is_demo: bool,
        status: SaveStatus,
        recovery_pending: bool,
    ) -> Self {
        let doc = open.document();
        let cues: Vec<CueDto> = doc
            .cues()
            .map(|c| CueDto {
                id: wire(c.id.0),
                index: wire(c.index),
                line: wire(c.line),
                start_ms: c.start_ms,
                end_ms: c.end_ms,
                text: c.text,
            })
            .collect();
        let diagnostics = doc.diagnostics();
        // A view is built after every edit: walk the blocks for unparsed ones only when a
        // diagnostic says there are some.
        let invalid = if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            doc.invalid_blocks()
        } else {
            Vec::new()
        };
        let diagnostics = diagnostics
            .into_iter()
            .map(|d| {
                let source = invalid
                    .iter()
                    .find(|b| b.line == d.line && b.message == d.message)
                    .map(|b| b.text.to_owned());
                diagnostic_dto(d, source, &cues)
            })
            .collect();
        DocumentView {
            doc_id: id,
            path: open.name().to_owned(),
            file_name: open.file_name(),
            is_demo,
            format: doc.format().into(),
            read_only_reason: doc.read_only_reason().map(str::to_owned),
            revision: open.revision(),
            dirty: open.is_dirty(),
            can_undo: open.can_undo(),
            can_redo: open.can_redo(),
            cue_count: wire(doc.cue_count()),
            cues,
            diagnostics,
            save_status: status.into(),
            recovery_pending,
        }
    }
}

/// An edit as the UI sends it: the core's [`Edit`] mirrored for specta, with the same JSON
/// (`{"op":"set_text","cue":12,"text":"..."}`, the CLI's contract). Indexes are 0-based cues
/// of the document as it is when the edit runs; `at_char` counts Unicode scalar values.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum EditDto {
    SetText {
        cue: u32,
        text: String,
    },
    SetTiming {
        cue: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[specta(optional)]
        start_ms: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[specta(optional)]
        end_ms: Option<u32>,
    },
    Insert {
        at: u32,
        start_ms: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[specta(optional)]
        end_ms: Option<u32>,
        text: String,
    },
    Delete {
        cue: u32,
    },
    Split {
        cue: u32,
        at_char: u32,
        at_ms: u32,
    },
    Merge {
        cue: u32,
    },
    Renumber,
}

impl From<EditDto> for Edit {
    fn from(e: EditDto) -> Edit {
        match e {
            EditDto::SetText { cue, text } => Edit::SetText {
                cue: index(cue),
                text,
            },
            EditDto::SetTiming {
                cue,
                start_ms,
                end_ms,
            } => Edit::SetTiming {
                cue: index(cue),
                start_ms,
                end_ms,
            },
            EditDto::Insert {
                at,
                start_ms,
                end_ms,
                text,
            } => Edit::Insert {
                at: index(at),
                start_ms,
                end_ms,
                text,
            },
            EditDto::Delete { cue } => Edit::Delete { cue: index(cue) },
            EditDto::Split {
                cue,
                at_char,
                at_ms,
            } => Edit::Split {
                cue: index(cue),
                at_char: index(at_char),
                at_ms,
            },
            EditDto::Merge { cue } => Edit::Merge { cue: index(cue) },
            EditDto::Renumber => Edit::Renumber,
        }
    }
}

/// What find and replace look for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchQueryDto {
    pub pattern: String,
    /// `pattern` is a regular expression (`$1` in a replacement refers to its groups).
    pub regex: bool,
    pub whole_word: bool,
    pub match_case: bool,
}

impl From<SearchQueryDto> for Query {
    fn from(q: SearchQueryDto) -> Query {
        Query {
            pattern: q.pattern,
            regex: q.regex,
            whole_word: q.whole_word,
            ignore_case: !q.match_case,
        }
    }
}

/// One match: offsets into the cue's text in UTF-16 code units (JavaScript string indexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FindHit {
    pub cue: u32,
    pub start_utf16: u32,
    pub end_utf16: u32,
}

impl From<Utf16Hit> for FindHit {
    fn from(h: Utf16Hit) -> FindHit {
        FindHit {
            cue: wire(h.cue),
            start_utf16: wire(h.start_utf16),
            end_utf16: wire(h.end_utf16),
        }
    }
}

/// The match to replace: the one starting at `startUtf16` in cue `cue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceTarget {
    pub cue: u32,
    pub start_utf16: u32,
}

/// The transcripts of a folder, grouped into episodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FolderView {
    pub root: String,
    pub episodes: Vec<EpisodeDto>,
}

/// The `.vtt`, `.srt` and `.txt` files of one episode (same basename, same folder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EpisodeDto {
    /// The shared basename (file name without extension).
    pub name: String,
    pub files: Vec<EpisodeFileDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EpisodeFileDto {
    pub path: String,
    pub format: FormatDto,
}

impl From<Folder> for FolderView {
    fn from(f: Folder) -> FolderView {
        FolderView {
            root: f.root.display().to_string(),
            episodes: f
                .episodes
                .into_iter()
                .map(|e| EpisodeDto {
                    name: e.name,
                    files: e
                        .files
                        .into_iter()
                        .map(|f| EpisodeFileDto {
                            path: f.path.display().to_string(),
                            format: f.format.into(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

fn diagnostic_dto(d: Diagnostic, source: Option<String>, cues: &[CueDto]) -> DiagnosticDto {
    let line = wire(d.line);
    // Cues are in file order, so their lines are increasing.
    let after = cues.partition_point(|c| c.line <= line);
    DiagnosticDto {
        severity: d.severity.into(),
        line,
        message: d.message,
        cue_index: after.checked_sub(1).map(wire),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(bytes: &[u8], format: Format) -> DocumentView {
        let open = OpenDocument::from_bytes(bytes, format, "a".into());
        DocumentView::from_open(7, &open, false, SaveStatus::Saved, false)
    }

    #[test]
    fn maps_cues_and_attaches_diagnostics_to_cues() {
        let vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\nthere\n\nnot a cue\n\n00:00:03.000 --> 00:00:03.000\nZero\n";
        let view = view(vtt, Format::Vtt);
        assert_eq!(view.doc_id, 7);
        assert_eq!(view.format, FormatDto::Vtt);
        assert_eq!(view.cue_count, 2);
        assert_eq!(view.cues[0].start_ms, 1000);
        assert_eq!(view.cues[0].end_ms, Some(2500));
        assert_eq!(view.cues[0].text, "Hello\nthere");
        assert_eq!(view.cues[1].index, 1);
        assert!(!view.diagnostics.is_empty());
        for d in &view.diagnostics {
            assert!(d.cue_index.is_some(), "{d:?}");
        }
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["cues"][0]["startMs"], 1000);
        assert_eq!(json["format"], "vtt");
        assert_eq!(json["docId"], 7);
        assert_eq!(json["revision"], 0);
        assert_eq!(json["dirty"], false);
        assert_eq!(json["canUndo"], false);
        assert_eq!(json["canRedo"], false);
    }

    #[test]
    fn problems_before_the_first_cue_belong_to_no_cue() {
        let vtt = b"WEBVTT\n\nthis block is not a cue\n\n00:00:01.000 --> 00:00:02.000\nHi\n";
        let view = view(vtt, Format::Vtt);
        assert_eq!(view.cue_count, 1);
        let d = view.diagnostics.iter().find(|d| d.line == 3).unwrap();
        assert_eq!(d.severity, SeverityDto::Error);
        assert_eq!(d.cue_index, None);
        assert_eq!(d.source.as_deref(), Some("this block is not a cue"));
    }

    #[test]
    fn unparsed_blocks_carry_their_text_and_warnings_do_not() {
        let vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:01.000\nZero\n\nstray\ntext\n\n\n";
        let view = view(vtt, Format::Vtt);
        let error = view
            .diagnostics
            .iter()
            .find(|d| d.severity == SeverityDto::Error)
            .unwrap();
        assert_eq!(error.source.as_deref(), Some("stray\ntext"));
        assert_eq!(error.cue_index, Some(0));
        let warning = view
            .diagnostics
            .iter()
            .find(|d| d.severity == SeverityDto::Warning)
            .unwrap();
        assert_eq!(warning.source, None);
    }

    #[test]
    fn txt_entries_have_no_end() {
        let view = view(b"00:00:05 Hello world.\n\n00:01:10 Bye.\n\n", Format::Txt);
        assert_eq!(view.format, FormatDto::Txt);
        assert_eq!(view.cue_count, 2);
        assert_eq!(view.cues[1].start_ms, 70_000);
        assert_eq!(view.cues[1].end_ms, None);
        assert_eq!(view.cues[1].text, "Bye.");
    }

    /// The wire JSON of every op deserialises to the same `Edit` as the CLI's JSON contract.
    #[test]
    fn edit_dto_json_is_the_cli_contract() {
        let cases = [
            r#"{"op":"set_text","cue":12,"text":"Hi"}"#,
            r#"{"op":"set_timing","cue":1,"start_ms":1000}"#,
            r#"{"op":"set_timing","cue":1,"end_ms":2000}"#,
            r#"{"op":"set_timing","cue":1,"start_ms":5,"end_ms":2000}"#,
            r#"{"op":"insert","at":3,"start_ms":100,"end_ms":200,"text":"New"}"#,
            r#"{"op":"insert","at":0,"start_ms":100,"text":"TXT entry"}"#,
            r#"{"op":"delete","cue":4}"#,
            r#"{"op":"split","cue":2,"at_char":5,"at_ms":1500}"#,
            r#"{"op":"merge","cue":2}"#,
            r#"{"op":"renumber"}"#,
        ];
        for json in cases {
            let dto: EditDto = serde_json::from_str(json).unwrap();
            let core: Edit = serde_json::from_str(json).unwrap();
            assert_eq!(Edit::from(dto.clone()), core, "{json}");
            assert_eq!(serde_json::to_string(&dto).unwrap(), json);
        }
        assert!(
            serde_json::from_str::<EditDto>(r#"{"op":"set_text","cue":1,"text":"a","x":1}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<EditDto>(r#"{"op":"setText","cue":1,"text":"a"}"#).is_err());
    }

    #[test]
    fn query_and_hits() {
        let q: SearchQueryDto = serde_json::from_str(
            r#"{"pattern":"a","regex":false,"wholeWord":true,"matchCase":false}"#,
        )
        .unwrap();
        let q = Query::from(q);
        assert!(q.whole_word && q.ignore_case && !q.regex);

        // "🎉" is one scalar value, four UTF-8 bytes and two UTF-16 units.
        let open = OpenDocument::from_bytes(
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n🎉 café 🎉 café\n".as_bytes(),
            Format::Vtt,
            "a".into(),
        );
        let hits: Vec<FindHit> = open
            .find(&Query {
                pattern: "café".into(),
                ..Query::default()
            })
            .unwrap()
            .into_iter()
            .map(FindHit::from)
            .collect();
        assert_eq!(
            hits,
            [
                FindHit {
                    cue: 0,
                    start_utf16: 3,
                    end_utf16: 7
                },
                FindHit {
                    cue: 0,
                    start_utf16: 11,
                    end_utf16: 15
                },
            ]
        );
        let json = serde_json::to_value(hits[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"cue": 0, "startUtf16": 3, "endUtf16": 7})
        );
    }
}
