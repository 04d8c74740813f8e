//! What search keeps of one file: its cue texts in one buffer, and a table back to the cues.
//!
//! Why this shape: a project search must answer in milliseconds over a whole repository, so it
//! cannot read or parse files per query, and it must not keep a parsed `Document` per file
//! (blocks, spans and strings per cue cost several times the file's size). One `Box<str>` per
//! file holds every cue's text exactly as written, cues separated by `\n` (not a word
//! character, so whole-word rules see a cue edge there), and a table of 12 bytes per cue maps a
//! byte offset back to the cue: its index, its start time and its first text line. Timing
//! lines, headers and notes are not in the buffer, so they can never match. Measured on the
//! Talk Python corpus (123 MB), the index takes about 0.6 MB per MB of transcripts (see the
//! crate docs).
//!
//! The index of a file is rebuilt whole when the file changes (a few milliseconds for the
//! largest real transcript), and it carries the content hash of the bytes it was built from,
//! so a plan made from it can refuse to write over a file that changed since.

use std::ops::Range;
use std::path::PathBuf;

use cueline_transcript::{Format, Severity, check_with_cues};
use cueline_transcript_store::ContentHash;

/// One cue in the index: where its text starts in the buffer, its start time, and the file
/// line of its first text line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CueEntry {
    pub text_start: u32,
    pub start_ms: u32,
    pub line: u32,
}

/// Whether a file could be indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    /// Read and parsed: its cue text is searchable.
    Text,
    /// Not text (invalid UTF-8, binary data): listed, never searched or written.
    ReadOnly(String),
    /// The file could not be read (the message says why).
    Unreadable(String),
}

/// The searchable form of one transcript file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileIndex {
    pub path: PathBuf,
    /// The path relative to the project root, with `/` between components.
    pub relative: String,
    pub format: Format,
    pub state: FileState,
    /// The hash of the bytes the index was built from.
    pub hash: ContentHash,
    pub bytes: u64,
    pub errors: u32,
    pub warnings: u32,
    /// The bytes came from an editor (see `Project::overlay`), not from the file on disk.
    pub in_editor: bool,
    text: Box<str>,
    cues: Box<[CueEntry]>,
}

impl FileIndex {
    /// Builds the index of `bytes`, the content of the file at `path`: one streaming pass of the
    /// core's parser ([`check_with_cues`]), no [`cueline_transcript::Document`].
    pub fn build(path: PathBuf, relative: String, format: Format, bytes: &[u8]) -> FileIndex {
        let first_text_line = usize::from(format != Format::Txt);
        let mut text = String::with_capacity(bytes.len() * 3 / 4);
        let mut cues = Vec::new();
        let checked = check_with_cues(bytes, format, true, &mut |c| {
            if !cues.is_empty() {
                text.push('\n');
            }
            cues.push(CueEntry {
                text_start: to_u32(text.len()),
                start_ms: c.start_ms,
                line: to_u32(c.line + first_text_line),
            });
            push_cue_text(&mut text, c.text);
        });
        let mut index = FileIndex {
            path,
            relative,
            format,
            state: match checked.read_only {
                Some(reason) => FileState::ReadOnly(reason),
                None => FileState::Text,
            },
            hash: blake3::hash(bytes),
            bytes: bytes.len() as u64,
            errors: 0,
            warnings: 0,
            in_editor: false,
            text: text.into_boxed_str(),
            cues: cues.into_boxed_slice(),
        };
        for d in &checked.report.diagnostics {
            match d.severity {
                Severity::Error => index.errors += 1,
                Severity::Warning => index.warnings += 1,
            }
        }
        index
    }

    /// The index of this file after `set_text` edits of the cues in `changed` (cue, new text;
    /// sorted by cue), whose result is `after`: the same as [`FileIndex::build`] of `after`
    /// without parsing it again. Only cue texts change; the cues after an edit that changed
    /// the number of text lines move by that many lines.
    pub fn with_texts(&self, changed: &[(usize, &str)], after: &[u8]) -> FileIndex {
        let line_count = |t: &str| -> i64 {
            match self.format {
                Format::Txt => 1,
                _ if t.is_empty() => 0,
                _ => 1 + t.bytes().filter(|&b| b == b'\n').count() as i64,
            }
        };
        let mut text = String::with_capacity(self.text.len() + 64);
        let mut cues = Vec::with_capacity(self.cues.len());
        let mut next = changed.iter().peekable();
        let mut shift: i64 = 0;
        for (k, entry) in self.cues.iter().enumerate() {
            if k > 0 {
                text.push('\n');
            }
            let old = self.cue_text(k);
            let new = match next.next_if(|(c, _)| *c == k) {
                Some((_, t)) => *t,
                None => old,
            };
            cues.push(CueEntry {
                text_start: to_u32(text.len()),
                start_ms: entry.start_ms,
                line: to_u32((i64::from(entry.line) + shift).max(0) as usize),
            });
            text.push_str(new);
            shift += line_count(new) - line_count(old);
        }
        FileIndex {
            path: self.path.clone(),
            relative: self.relative.clone(),
            format: self.format,
            state: self.state.clone(),
            hash: blake3::hash(after),
            bytes: after.len() as u64,
            errors: self.errors,
            warnings: self.warnings,
            in_editor: false,
            text: text.into_boxed_str(),
            cues: cues.into_boxed_slice(),
        }
    }

    /// A file that could not be read.
    pub fn unreadable(path: PathBuf, relative: String, format: Format, message: String) -> Self {
        FileIndex {
            path,
            relative,
            format,
            state: FileState::Unreadable(message),
            hash: blake3::hash(b""),
            bytes: 0,
            errors: 0,
            warnings: 0,
            in_editor: false,
            text: Box::from(""),
            cues: Box::new([]),
        }
    }

    /// All cue texts, separated by `\n`.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cue_count(&self) -> usize {
        self.cues.len()
    }

    /// The byte range of cue `k`'s text in [`FileIndex::text`].
    pub fn cue_range(&self, k: usize) -> Range<usize> {
        let start = self.cues[k].text_start as usize;
        let end = self
            .cues
            .get(k + 1)
            .map_or(self.text.len(), |c| c.text_start as usize - 1);
        start..end
    }

    /// Cue `k`'s text, lines joined by `\n`, exactly as the document's cue text.
    pub fn cue_text(&self, k: usize) -> &str {
        &self.text[self.cue_range(k)]
    }

    pub fn start_ms(&self, k: usize) -> u32 {
        self.cues[k].start_ms
    }

    /// The file line of cue `k`'s first text line (for TXT, the entry's line).
    pub fn first_line(&self, k: usize) -> usize {
        self.cues[k].line as usize
    }

    /// The cue whose text holds buffer offset `at` (a separator belongs to the cue before it).
    pub fn cue_at(&self, at: usize) -> usize {
        self.cues
            .partition_point(|c| c.text_start as usize <= at)
            .saturating_sub(1)
    }

    /// The first cue that starts at or after `ms`.
    pub fn first_cue_from(&self, ms: u32) -> usize {
        self.cues.partition_point(|c| c.start_ms < ms)
    }

    /// Heap bytes held by this index (the buffer, the cue table and the names).
    pub fn heap_bytes(&self) -> usize {
        self.text.len()
            + self.cues.len() * std::mem::size_of::<CueEntry>()
            + self.relative.len()
            + self.path.as_os_str().len()
    }

    pub fn is_text(&self) -> bool {
        self.state == FileState::Text
    }
}

/// Appends a cue's text lines as written (with their endings) as the document's cue text: the
/// lines joined by `\n`, without the last line's ending. Every `\r` in cue text is (part of) a
/// line ending, so `\r\n` and a lone `\r` both become `\n`.
fn push_cue_text(out: &mut String, raw: &str) {
    let lines = raw
        .strip_suffix("\r\n")
        .or_else(|| raw.strip_suffix('\n'))
        .or_else(|| raw.strip_suffix('\r'))
        .unwrap_or(raw);
    if !lines.contains('\r') {
        out.push_str(lines);
        return;
    }
    out.push_str(&lines.replace("\r\n", "\n").replace('\r', "\n"));
}

/// Offsets and times in the index are `u32`: files are at most 50 MB and lines fewer than that.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_texts_lines_and_times_come_back_out() {
        let vtt = "WEBVTT\n\nNOTE not searched\n\nid\n00:00:01.000 --> 00:00:02.000\nline one\nline two\n\n00:00:03.500 --> 00:00:04.000\n\n00:00:05.000 --> 00:00:06.000\nlast\n";
        let idx = FileIndex::build("a.vtt".into(), "a.vtt".into(), Format::Vtt, vtt.as_bytes());
        assert_eq!(idx.cue_count(), 3);
        assert_eq!(idx.text(), "line one\nline two\n\nlast");
        assert_eq!(idx.cue_text(0), "line one\nline two");
        assert_eq!(idx.cue_text(1), "");
        assert_eq!(idx.cue_text(2), "last");
        assert_eq!(idx.first_line(0), 7);
        assert_eq!(idx.first_line(2), 13);
        assert_eq!(idx.start_ms(1), 3500);
        assert_eq!(idx.cue_at(0), 0);
        assert_eq!(idx.cue_at(17), 0);
        assert_eq!(idx.cue_at(18), 1);
        assert_eq!(idx.cue_at(19), 2);
        assert_eq!(idx.first_cue_from(3000), 1);

        let txt = "Title line\n00:00:01 hello there\n\n00:00:05 world\n";
        let idx = FileIndex::build("a.txt".into(), "a.txt".into(), Format::Txt, txt.as_bytes());
        assert_eq!(idx.text(), "hello there\nworld");
        assert_eq!(idx.first_line(0), 2);
        assert_eq!(idx.first_line(1), 4);
    }

    #[test]
    fn line_endings_inside_cues_read_as_the_documents_cue_text() {
        let vtt = "\u{feff}WEBVTT\r\n\r\nid\r\n00:00:01.000 --> 00:00:02.000\r\none\r\ntwo\rthree\n\n00:00:03.000 --> 00:00:04.000\nlast";
        let idx = FileIndex::build("a.vtt".into(), "a.vtt".into(), Format::Vtt, vtt.as_bytes());
        let doc = cueline_transcript::Document::parse(vtt.as_bytes(), Format::Vtt);
        let cues: Vec<String> = doc.cues().map(|c| c.text).collect();
        assert_eq!(idx.text(), cues.join("\n"));
        assert_eq!(idx.cue_text(0), "one\ntwo\nthree");
        let lines: Vec<usize> = doc.cues().map(|c| c.line + 1).collect();
        assert_eq!((idx.first_line(0), idx.first_line(1)), (lines[0], lines[1]));
    }

    #[test]
    fn binary_files_are_listed_but_hold_no_text() {
        let idx = FileIndex::build(
            "b.vtt".into(),
            "b.vtt".into(),
            Format::Vtt,
            b"WEBVTT\n\0\xff",
        );
        assert!(matches!(idx.state, FileState::ReadOnly(_)));
        assert_eq!(idx.cue_count(), 0);
        assert_eq!(idx.errors, 1);
    }
}
