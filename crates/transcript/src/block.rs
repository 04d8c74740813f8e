//! Blocks: the unit that owns bytes.
//!
//! Ownership rule (decided once, relied on everywhere): a block owns its content lines, each
//! with its own line ending, and the run of blank lines that follows it. The first block of a
//! WebVTT file is its header. Concatenating every block's `raw` gives back the decoded file.

use std::ops::{Deref, Range};
use std::sync::Arc;

use crate::lines::{self, Line};
use crate::time::TimeStyle;

/// A block's text: a range of the text the document was parsed from (shared, so parsing
/// copies nothing per block), or a string of its own once an edit rewrote it.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    source: Arc<str>,
    range: Range<usize>,
}

impl Raw {
    pub fn shared(source: &Arc<str>, range: Range<usize>) -> Raw {
        Raw {
            source: Arc::clone(source),
            range,
        }
    }
}

impl From<String> for Raw {
    fn from(s: String) -> Raw {
        let range = 0..s.len();
        Raw {
            source: Arc::from(s),
            range,
        }
    }
}

impl Deref for Raw {
    type Target = str;
    fn deref(&self) -> &str {
        &self.source[self.range.clone()]
    }
}

impl PartialEq for Raw {
    fn eq(&self, other: &Raw) -> bool {
        **self == **other
    }
}
impl Eq for Raw {}

/// One block of a document, with its exact text and what it was recognised as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// Stable identity, assigned when the block is parsed or created; never written to disk.
    pub id: u64,
    pub raw: Raw,
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
    /// The text lines with their endings: from the first text line to the end of the last.
    /// For TXT: the text after `HH:MM:SS ` to the end of the line. Empty when there is none.
    pub text: Range<usize>,
}

impl CueParts {
    /// Byte offset just past the last content line (including its line ending).
    pub fn content_end(&self) -> usize {
        self.text.end.max(self.timing_line.full.end)
    }

    /// The text lines, relative to the block.
    pub fn text_lines<'a>(&self, raw: &'a str) -> impl Iterator<Item = Line> + 'a {
        let offset = self.text.start;
        lines::lines(&raw[self.text.clone()]).map(move |l| Line {
            content: l.content.start + offset..l.content.end + offset,
            full: l.full.start + offset..l.full.end + offset,
        })
    }

    /// The cue text: text lines as written, joined by `\n`.
    pub fn text(&self, raw: &str) -> String {
        let mut out = String::with_capacity(self.text.len());
        for (i, line) in self.text_lines(raw).enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(line.text(raw));
        }
        out
    }

    /// The line ending of the cue's content lines, for lines an edit adds.
    pub fn line_ending<'a>(&self, raw: &'a str) -> &'a str {
        std::iter::once(self.timing_line.clone())
            .chain(self.text_lines(raw))
            .map(|l| &raw[l.content.end..l.full.end])
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
