//! Wire types of the IPC surface, mapped from the core's types.
//!
//! These live here rather than as `specta::Type` derives on the core: the core's cues carry
//! spans and raw text that never cross the wire, and it must stay free to change. Numbers are
//! `u32` so that the TypeScript side never needs `bigint`.

use cueline_transcript::{Diagnostic, Document, Format, Severity};
use serde::Serialize;
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
}

/// An opened document as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DocumentView {
    /// The path as opened (absolute).
    pub path: String,
    pub file_name: String,
    /// True for the bundled demo transcript.
    pub is_demo: bool,
    pub format: FormatDto,
    /// Why the document cannot be edited, if it cannot (e.g. it is not text).
    pub read_only_reason: Option<String>,
    pub cue_count: u32,
    pub cues: Vec<CueDto>,
    pub diagnostics: Vec<DiagnosticDto>,
}

/// Converts a count or position to the wire's `u32`, saturating (no real transcript comes
/// near 4 billion cues or lines).
fn wire(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

impl DocumentView {
    pub fn from_document(doc: &Document, path: String, file_name: String, is_demo: bool) -> Self {
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
        let diagnostics = doc
            .diagnostics()
            .into_iter()
            .map(|d| diagnostic_dto(d, &cues))
            .collect();
        DocumentView {
            path,
            file_name,
            is_demo,
            format: doc.format().into(),
            read_only_reason: doc.read_only_reason().map(str::to_owned),
            cue_count: wire(doc.cue_count()),
            cues,
            diagnostics,
        }
    }
}

fn diagnostic_dto(d: Diagnostic, cues: &[CueDto]) -> DiagnosticDto {
    let line = wire(d.line);
    // Cues are in file order, so their lines are increasing.
    let after = cues.partition_point(|c| c.line <= line);
    DiagnosticDto {
        severity: d.severity.into(),
        line,
        message: d.message,
        cue_index: after.checked_sub(1).map(wire),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_cues_and_attaches_diagnostics_to_cues() {
        let vtt = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello\nthere\n\nnot a cue\n\n00:00:03.000 --> 00:00:03.000\nZero\n";
        let doc = Document::parse(vtt, Format::Vtt);
        let view = DocumentView::from_document(&doc, "/x/a.vtt".into(), "a.vtt".into(), false);
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
    }

    #[test]
    fn problems_before_the_first_cue_belong_to_no_cue() {
        let vtt = b"WEBVTT\n\nthis block is not a cue\n\n00:00:01.000 --> 00:00:02.000\nHi\n";
        let doc = Document::parse(vtt, Format::Vtt);
        let view = DocumentView::from_document(&doc, "a".into(), "a".into(), false);
        assert_eq!(view.cue_count, 1);
        let d = view.diagnostics.iter().find(|d| d.line == 3).unwrap();
        assert_eq!(d.severity, SeverityDto::Error);
        assert_eq!(d.cue_index, None);
    }

    #[test]
    fn txt_entries_have_no_end() {
        let doc = Document::parse(b"00:00:05 Hello world.\n\n00:01:10 Bye.\n\n", Format::Txt);
        let view = DocumentView::from_document(&doc, "a.txt".into(), "a.txt".into(), false);
        assert_eq!(view.format, FormatDto::Txt);
        assert_eq!(view.cue_count, 2);
        assert_eq!(view.cues[1].start_ms, 70_000);
        assert_eq!(view.cues[1].end_ms, None);
        assert_eq!(view.cues[1].text, "Bye.");
    }
}
