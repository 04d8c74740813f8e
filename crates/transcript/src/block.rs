//! Blocks: the unit that owns bytes.
//!
//! Ownership rule (decided once, relied on everywhere): a block owns its content lines, each
//! with its own line ending, and the run of blank lines that follows it. The first block of a
//! WebVTT file is its header. Concatenating every block's `raw` gives back the decoded file.

use std::ops::Range;

use crate::lines::{self, Line};
use crate::time::TimeStyle;

/// One block of a document, with its exact text and what it was recognised as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// Stable identity, assigned when the block is parsed or created; never written to disk.
    pub id: u64,
    pub raw: String,
    pub kind: BlockKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// The `WEBVTT` line and any header lines after it.
    Header,
    Note,
    Style,
    Region,
    /// Text that is valid in its format but is not a cue (TXT prose, leading blank lines).
    Verbatim,
    /// A block that did not parse; kept byte for byte and read-only.
    Invalid(String),
    Cue(CueParts),
}

/// A timestamp in a cue: its value, where it is written and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TimeField {
    pub ms: u32,
    pub span: Range<usize>,
    pub style: TimeStyle,
}

/// The parsed view of a cue block; every range is relative to the block's `raw`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CueParts {
    /// The VTT identifier or SRT number, trimmed of surrounding spaces.
    pub label: Option<Range<usize>>,
    /// The line holding the timestamps (for TXT, the entry's only line).
    pub timing_line: Line,
    pub start: TimeField,
    pub end: Option<TimeField>,
    /// VTT cue settings or SRT coordinates after the end time.
    pub settings: Option<Range<usize>>,
    /// The text lines. For TXT: one line whose content is the text after `HH:MM:SS `.
    pub text_lines: Vec<Line>,
}

impl CueParts {
    /// Byte offset just past the last content line (including its line ending).
    pub fn content_end(&self) -> usize {
        self.text_lines
            .last()
            .map_or(self.timing_line.full.end, |l| l.full.end)
    }

    /// The cue text: text lines as written, joined by `\n`.
    pub fn text(&self, raw: &str) -> String {
        let mut out = String::new();
        for (i, line) in self.text_lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(line.text(raw));
        }
        out
    }

    /// The line ending of the cue's content lines, for lines an edit adds.
    pub fn line_ending<'a>(&self, raw: &'a str) -> &'a str {
        std::iter::once(&self.timing_line)
            .chain(&self.text_lines)
            .map(|l| l.ending(raw))
            .find(|e| !e.is_empty())
            .unwrap_or("")
    }
}

impl Block {
    pub fn cue(&self) -> Option<&CueParts> {
        match &self.kind {
            BlockKind::Cue(c) => Some(c),
            _ => None,
        }
    }

    /// The run of blank lines after the block's content (empty at EOF or between adjacent blocks).
    pub fn blank_run(&self) -> &str {
        let end = match &self.kind {
            BlockKind::Cue(c) => c.content_end(),
            _ => content_end(&self.raw),
        };
        &self.raw[end..]
    }
}

/// End of the last non-blank line (including its ending) in `raw`.
pub(crate) fn content_end(raw: &str) -> usize {
    lines::lines(raw)
        .filter(|l| !l.is_blank())
        .last()
        .map_or(0, |l| l.full.end)
}

/// Rebases a line found in a larger text to be relative to `offset`.
pub(crate) fn rebase(line: &Line, offset: usize) -> Line {
    Line {
        content: line.content.start - offset..line.content.end - offset,
        full: line.full.start - offset..line.full.end - offset,
    }
}
