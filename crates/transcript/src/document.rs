//! The document: blocks in file order, with an index of which blocks are cues.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::block::{Block, BlockKind, Raw};
use crate::encoding::{self, Decoded, Encoding};
use crate::format::Format;
use crate::lines;
use crate::{srt, txt, vtt};

/// Stable identity of a cue across edits, undo and redo. Never written to disk: it is not the
/// SRT number or the VTT identifier, which are user data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CueId(pub u64);

/// A read-only view of one cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueView<'a> {
    pub id: CueId,
    /// 0-based position among the document's cues.
    pub index: usize,
    /// 1-based line of the cue's timing line (for TXT, its entry line).
    pub line: usize,
    pub start_ms: u32,
    /// `None` for TXT entries, which have no end time.
    pub end_ms: Option<u32>,
    /// The VTT identifier or SRT number, as written.
    pub identifier: Option<&'a str>,
    /// VTT cue settings or SRT coordinates, as written.
    pub settings: Option<&'a str>,
    /// The text lines as written, joined by `\n` (for TXT, the text after the timestamp).
    pub text: String,
}

/// A block that did not parse, as written (kept verbatim and read-only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidBlock<'a> {
    /// 1-based line of the block's first line.
    pub line: usize,
    /// The block's lines, without the blank lines after it.
    pub text: &'a str,
    /// Why it did not parse (the same message as its diagnostic).
    pub message: &'a str,
}

/// A parsed transcript that prints back to exactly the bytes it was parsed from.
#[derive(Debug, Clone)]
pub struct Document {
    pub(crate) format: Format,
    pub(crate) encoding: Encoding,
    pub(crate) blocks: Vec<Arc<Block>>,
    /// Block index of each cue, in document order.
    pub(crate) cue_blocks: Vec<usize>,
    /// Set when the bytes are not text: the original bytes and the reason.
    pub(crate) opaque: Option<(Arc<[u8]>, String)>,
    pub(crate) next_id: u64,
}

impl Document {
    /// Parses `bytes` as `format`. Never fails: what does not parse is kept verbatim.
    pub fn parse(bytes: &[u8], format: Format) -> Document {
        let mut doc = Document {
            format,
            encoding: Encoding::Utf8,
            blocks: Vec::new(),
            cue_blocks: Vec::new(),
            opaque: None,
            next_id: 0,
        };
        match encoding::decode(bytes) {
            Decoded::Opaque(reason) => doc.opaque = Some((Arc::from(bytes), reason)),
            Decoded::Text(text, enc) => {
                doc.encoding = enc;
                let source: Arc<str> = Arc::from(text.as_ref());
                let mut blocks = Vec::new();
                let mut next_id = 0;
                split_into(format, &source, true, &mut |range, kind| {
                    blocks.push(Arc::new(Block {
                        id: next_id,
                        raw: Raw::shared(&source, range),
                        kind,
                    }));
                    next_id += 1;
                });
                doc.blocks = blocks;
                doc.next_id = next_id;
                doc.reindex();
            }
        }
        doc
    }

    /// The exact bytes of the document (the original bytes if nothing was edited).
    pub fn print(&self) -> Vec<u8> {
        match &self.opaque {
            Some((bytes, _)) => bytes.to_vec(),
            None => encoding::encode(&self.text(), self.encoding),
        }
    }

    /// The decoded text of the document (empty for a read-only binary document).
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.blocks.iter().map(|b| b.raw.len()).sum());
        for b in &self.blocks {
            out.push_str(&b.raw);
        }
        out
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Why the document cannot be edited, if it cannot.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.opaque.as_ref().map(|(_, r)| r.as_str())
    }

    pub fn cue_count(&self) -> usize {
        self.cue_blocks.len()
    }

    /// All cues in document order.
    pub fn cues(&self) -> impl Iterator<Item = CueView<'_>> + '_ {
        let mut line = 1;
        let mut index = 0;
        self.blocks.iter().filter_map(move |b| {
            let at = line;
            line += lines::count_breaks(&b.raw);
            let view = self.view(b, index, at)?;
            index += 1;
            Some(view)
        })
    }

    /// The cue at `index`, if there is one.
    pub fn cue(&self, index: usize) -> Option<CueView<'_>> {
        let b = *self.cue_blocks.get(index)?;
        let line = 1 + self.blocks[..b]
            .iter()
            .map(|b| lines::count_breaks(&b.raw))
            .sum::<usize>();
        self.view(&self.blocks[b], index, line)
    }

    /// The cue at `index` exactly as written: its identifier or number, timing line with its
    /// settings, text lines, each with its ending, and the blank lines after it. What
    /// [`crate::Edit::InsertLines`] takes to put the cue back byte for byte.
    pub fn cue_lines(&self, index: usize) -> Option<&str> {
        Some(&self.blocks[*self.cue_blocks.get(index)?].raw)
    }

    /// The blocks that did not parse, in file order, so a viewer can show them read-only.
    pub fn invalid_blocks(&self) -> Vec<InvalidBlock<'_>> {
        let mut line = 1;
        let mut out = Vec::new();
        for b in &self.blocks {
            if let BlockKind::Invalid(message) = &b.kind {
                let text = b.raw.trim_end_matches(['\n', '\r']);
                out.push(InvalidBlock {
                    line,
                    text,
                    message,
                });
            }
            line += lines::count_breaks(&b.raw);
        }
        out
    }

    /// The index of the cue with this id.
    pub fn cue_index(&self, id: CueId) -> Option<usize> {
        self.cue_blocks
            .iter()
            .position(|&b| self.blocks[b].id == id.0)
    }

    fn view<'a>(&self, b: &'a Block, index: usize, block_line: usize) -> Option<CueView<'a>> {
        let c = b.cue()?;
        let line = block_line + lines::count_breaks(&b.raw[..c.timing_line.full.start]);
        Some(CueView {
            id: CueId(b.id),
            index,
            line,
            start_ms: c.start.ms,
            end_ms: c.end.as_ref().map(|e| e.ms),
            identifier: c.label.clone().map(|r| &b.raw[r]),
            settings: c.settings.clone().map(|r| &b.raw[r]),
            text: c.text(&b.raw),
        })
    }

    pub(crate) fn reindex(&mut self) {
        self.cue_blocks = self
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.cue().is_some())
            .map(|(i, _)| i)
            .collect();
    }
}

/// Splits decoded text into blocks for `format`, handing each to `out` in order; `at_start`
/// when the text begins the file (a WebVTT header may stand there).
pub(crate) fn split_into(
    format: Format,
    text: &str,
    at_start: bool,
    out: &mut dyn FnMut(std::ops::Range<usize>, BlockKind),
) {
    match format {
        Format::Vtt => vtt::split(text, at_start, out),
        Format::Srt => srt::split(text, out),
        Format::Txt => txt::split(text, out),
    }
}

/// [`split_into`], collected.
pub(crate) fn split(
    format: Format,
    text: &str,
    at_start: bool,
) -> Vec<(std::ops::Range<usize>, BlockKind)> {
    let mut parts = Vec::new();
    split_into(format, text, at_start, &mut |r, k| parts.push((r, k)));
    parts
}
