//! Edits: the contract shared by the command line (`cueline apply`) and the app.
//!
//! Every edit is planned as a [`Patch`] of block splices without touching the document, then
//! applied. A patch records the blocks it removed, so undo is the same splice run backwards:
//! no edit needs a hand-written inverse. Each rewritten block is re-parsed on its own and must
//! still be exactly one cue, so an edit can never change the structure around it (a text
//! with an empty line or a `-->` in it is refused, not silently turned into two cues).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::block::{Block, BlockKind, CueParts};
use crate::document::{Document, split};
use crate::format::Format;
use crate::lines;
use crate::time::{TimeStyle, format_hms};

/// One edit. Indexes count cues (VTT, SRT) or entries (TXT) in the document as it is when the
/// edit runs. `text` is the cue text with lines joined by `\n`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// Replace the text of a cue; only its text lines are rewritten.
    SetText { cue: usize, text: String },
    /// Move a cue's start and/or end; only the timestamps are rewritten, in their own style.
    SetTiming {
        cue: usize,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start_ms: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        end_ms: Option<u32>,
    },
    /// Insert a new cue before cue `at` (`at` equal to the cue count appends).
    Insert {
        at: usize,
        start_ms: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        end_ms: Option<u32>,
        #[serde(default)]
        text: String,
    },
    /// Insert a cue before cue `at` exactly as `lines` writes it: its identifier or number,
    /// its timing line with its settings, and its text lines, each with its line ending,
    /// optionally followed by the blank lines after it ([`Document::cue_lines`]). *Revert to
    /// last commit* puts a deleted cue back this way, so it gets the committed bytes, which
    /// [`Edit::Insert`] (laid out like its neighbour) cannot give. The lines must be exactly one
    /// cue of the document's format.
    InsertLines { at: usize, lines: String },
    /// Remove a cue's block and the blank lines after it.
    Delete { cue: usize },
    /// Split a cue at a character of its text (Unicode scalar values) and a time.
    Split {
        cue: usize,
        at_char: usize,
        at_ms: u32,
    },
    /// Append the next cue's text (joined by one space) and take its end time.
    Merge { cue: usize },
    /// Renumber SRT blocks from 1: the only edit that touches other cues.
    Renumber,
}

impl Edit {
    /// The op name as written in JSON, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Edit::SetText { .. } => "set_text",
            Edit::SetTiming { .. } => "set_timing",
            Edit::Insert { .. } => "insert",
            Edit::InsertLines { .. } => "insert_lines",
            Edit::Delete { .. } => "delete",
            Edit::Split { .. } => "split",
            Edit::Merge { .. } => "merge",
            Edit::Renumber => "renumber",
        }
    }
}

/// The JSON document `cueline apply` reads: `{"edits": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditList {
    pub edits: Vec<Edit>,
}

/// Why an edit was refused. A refused edit changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EditError {
    #[error("cue {index} does not exist (the document has {count} cues)")]
    NoSuchCue { index: usize, count: usize },
    #[error("cannot insert at {at}: the document has {count} cues, so `at` must be 0 to {count}")]
    InsertOutOfRange { at: usize, count: usize },
    #[error("the cue would end before it starts ({start} --> {end})")]
    EndBeforeStart { start: String, end: String },
    #[error("invalid text: {0}")]
    InvalidText(String),
    #[error("{0}")]
    Invalid(String),
    #[error("the document is read-only: {0}")]
    ReadOnly(String),
}

/// Whether a block at `index` begins the file as far as parsing goes: only blank lines before
/// it, so a WebVTT header may stand there.
fn starts_file(blocks: &[Arc<Block>], index: usize) -> bool {
    blocks[..index.min(blocks.len())]
        .iter()
        .all(|b| b.kind == BlockKind::Verbatim && b.raw.trim().is_empty())
}

/// Replace `removed.len()` blocks at `at` with `inserted`.
#[derive(Debug, Clone)]
pub(crate) struct Splice {
    pub at: usize,
    pub removed: Vec<Arc<Block>>,
    pub inserted: Vec<Arc<Block>>,
}

/// The block-level change one edit makes; applied in order, undone in reverse.
#[derive(Debug, Clone, Default)]
pub(crate) struct Patch(pub Vec<Splice>);

impl Patch {
    pub fn inverse(&self) -> Patch {
        Patch(
            self.0
                .iter()
                .rev()
                .map(|s| Splice {
                    at: s.at,
                    removed: s.inserted.clone(),
                    inserted: s.removed.clone(),
                })
                .collect(),
        )
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How a new cue is written: copied from a neighbouring cue, or the format's defaults.
struct Layout {
    ending: String,
    start_style: TimeStyle,
    end_style: TimeStyle,
    arrow: String,
    number: Option<u64>,
}

impl Document {
    /// Applies one edit directly (no history). See [`crate::Session`] for undo and redo.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        self.apply_edit(edit).map(|_| ())
    }

    /// Plans, applies and checks one edit; returns the patch (for the history). A refused
    /// edit leaves the document as it was.
    pub(crate) fn apply_edit(&mut self, edit: &Edit) -> Result<Patch, EditError> {
        if let Some((_, reason)) = &self.opaque {
            return Err(EditError::ReadOnly(reason.clone()));
        }
        let patch = self.plan(edit)?;
        self.apply_patch(&patch);
        if let Err(e) = self.verify(&patch) {
            self.apply_patch(&patch.inverse());
            return Err(e);
        }
        Ok(patch)
    }

    pub(crate) fn apply_patch(&mut self, patch: &Patch) {
        // A text or timing edit swaps one cue block for another in place: the cue index stays
        // right, and rebuilding it (a pass over every block) per edit would make a replace of
        // every cue in a file quadratic.
        let mut same_shape = true;
        for s in &patch.0 {
            same_shape &= s.removed.len() == s.inserted.len()
                && s.removed
                    .iter()
                    .zip(&s.inserted)
                    .all(|(a, b)| a.cue().is_some() == b.cue().is_some());
            self.blocks
                .splice(s.at..s.at + s.removed.len(), s.inserted.iter().cloned());
        }
        if !same_shape {
            self.reindex();
        }
    }

    /// Blocks not separated by a blank line (a cue followed directly by the next one, or an
    /// unparseable block) are delimited by their neighbours. An edit next to them could make
    /// the bytes read differently from the model (deleting the cue between an invalid block and
    /// another cue, say); such an edit is refused rather than allowed to change other cues.
    ///
    /// Runs on the document with `patch` applied: each splice's blocks and one neighbour on
    /// either side are read again together and must read back as the same blocks.
    fn verify(&self, patch: &Patch) -> Result<(), EditError> {
        let blocks = &self.blocks;
        // A file without a byte-order mark cannot start with U+FEFF: it would read back as one.
        let starts_with_bom = blocks
            .first()
            .is_some_and(|b| b.raw.starts_with('\u{feff}'));
        if self.encoding == crate::Encoding::Utf8 && starts_with_bom {
            return Err(EditError::Invalid(
                "the file would start with U+FEFF, which reads back as a byte-order mark".into(),
            ));
        }
        for s in &patch.0 {
            let w = s.at.saturating_sub(1)..s.at + s.inserted.len() + 1;
            let window = &blocks[w.start.min(blocks.len())..w.end.min(blocks.len())];
            let text: String = window.iter().map(|b| &*b.raw).collect();
            let parts = split(self.format, &text, starts_file(blocks, w.start));
            let same = parts.len() == window.len()
                && parts
                    .iter()
                    .zip(window)
                    .all(|((r, kind), b)| r.len() == b.raw.len() && *kind == b.kind);
            if !same {
                return Err(EditError::Invalid(
                    "this edit would change how neighbouring blocks are read (they are not separated \
                     by a blank line), so it was not applied"
                        .into(),
                ));
            }
        }
        Ok(())
    }

    /// Plans `edit` as a patch without changing the document.
    fn plan(&mut self, edit: &Edit) -> Result<Patch, EditError> {
        match edit {
            Edit::SetText { cue, text } => {
                let (b, block) = self.cue_block(*cue)?;
                let raw = self.with_text(&block, text)?;
                self.replace_one(b, &block, raw)
            }
            Edit::SetTiming {
                cue,
                start_ms,
                end_ms,
            } => {
                let (b, block) = self.cue_block(*cue)?;
                if start_ms.is_none() && end_ms.is_none() {
                    return Err(EditError::Invalid(
                        "set_timing needs start_ms, end_ms or both".into(),
                    ));
                }
                let raw = self.with_times(&block, *start_ms, *end_ms, true)?;
                self.replace_one(b, &block, raw)
            }
            Edit::Insert {
                at,
                start_ms,
                end_ms,
                text,
            } => self.plan_insert(*at, *start_ms, *end_ms, text),
            Edit::InsertLines { at, lines } => self.plan_insert_lines(*at, lines),
            Edit::Delete { cue } => self.plan_delete(*cue),
            Edit::Split {
                cue,
                at_char,
                at_ms,
            } => self.plan_split(*cue, *at_char, *at_ms),
            Edit::Merge { cue } => self.plan_merge(*cue),
            Edit::Renumber => self.plan_renumber(),
        }
    }

    fn cue_block(&self, index: usize) -> Result<(usize, Arc<Block>), EditError> {
        let b = *self.cue_blocks.get(index).ok_or(EditError::NoSuchCue {
            index,
            count: self.cue_count(),
        })?;
        Ok((b, Arc::clone(&self.blocks[b])))
    }

    fn replace_one(&mut self, b: usize, old: &Arc<Block>, raw: String) -> Result<Patch, EditError> {
        if raw == *old.raw {
            return Ok(Patch::default());
        }
        let new = self.reparse(raw, old.id, starts_file(&self.blocks, b), true)?;
        Ok(Patch(vec![Splice {
            at: b,
            removed: vec![Arc::clone(old)],
            inserted: vec![Arc::new(new)],
        }]))
    }

    /// Re-parses one block's new text; it must still be exactly one block (a cue if `cue`).
    fn reparse(&self, raw: String, id: u64, at_start: bool, cue: bool) -> Result<Block, EditError> {
        let mut parts = split(self.format, &raw, at_start);
        let ok = parts.len() == 1
            && parts[0].0 == (0..raw.len())
            && (!cue || matches!(parts[0].1, BlockKind::Cue(_)));
        match parts.pop() {
            Some((_, kind)) if ok => Ok(Block {
                id,
                raw: raw.into(),
                kind,
            }),
            _ => Err(EditError::InvalidText(
                "the result would not be a single cue in this format".into(),
            )),
        }
    }

    fn parts(block: &Block) -> &CueParts {
        match &block.kind {
            BlockKind::Cue(c) => c,
            // cue_blocks only ever points at cue blocks
            _ => unreachable!("cue index points at a non-cue block"),
        }
    }

    fn check_text(&self, text: &str) -> Result<(), EditError> {
        if text.contains('\0') {
            return Err(EditError::InvalidText(
                "a NUL character would make the file binary".into(),
            ));
        }
        if text.contains('\r') {
            return Err(EditError::InvalidText(
                "use `\\n` between lines, not `\\r`".into(),
            ));
        }
        match self.format {
            Format::Txt if text.contains('\n') => Err(EditError::InvalidText(
                "a TXT entry is one line: `\\n` is not allowed".into(),
            )),
            Format::Vtt | Format::Srt
                if !text.is_empty() && text.split('\n').any(str::is_empty) =>
            {
                Err(EditError::InvalidText(
                    "an empty line would end the cue".into(),
                ))
            }
            Format::Vtt if text.contains("-->") => Err(EditError::InvalidText(
                "`-->` in cue text would start a new cue".into(),
            )),
            _ => Ok(()),
        }
    }

    /// The block's text with its cue text replaced; every line outside the text is kept.
    fn with_text(&self, block: &Block, text: &str) -> Result<String, EditError> {
        self.check_text(text)?;
        let raw = &block.raw;
        let c = Self::parts(block);
        if self.format == Format::Txt {
            let line = crate::lines::Line {
                content: c.text.start..c.timing_line.content.end,
                full: c.text.clone(),
            };
            let sep = if line.content.start == c.start.span.end && !text.is_empty() {
                " "
            } else {
                ""
            };
            return Ok(format!(
                "{}{sep}{text}{}",
                &raw[..line.content.start],
                &raw[line.content.end..]
            ));
        }
        let timing = &c.timing_line;
        let old: Vec<crate::lines::Line> = c.text_lines(raw).collect();
        let k = old.len();
        let new: Vec<&str> = if text.is_empty() {
            vec![]
        } else {
            text.split('\n').collect()
        };
        let m = new.len();
        let fallback = lines::dominant_ending(raw).to_owned();
        let inner = if k >= 2 {
            old[0].ending(raw).to_owned()
        } else if !timing.ending(raw).is_empty() {
            timing.ending(raw).to_owned()
        } else {
            fallback
        };
        let (from, last_ending) = match old.last() {
            Some(last) => (old[0].full.start, last.ending(raw).to_owned()),
            None => (timing.full.end, String::new()),
        };
        let to = old.last().map_or(timing.full.end, |l| l.full.end);
        let mut out = String::with_capacity(raw.len() + text.len());
        if k == 0 && m > 0 && timing.ending(raw).is_empty() {
            // an empty cue at the very end of the file gains a line ending before its text
            out.push_str(&raw[..timing.full.end]);
            out.push_str(&inner);
        } else if k > 0 && m == 0 {
            // dropping every text line: the timing line takes the last text line's ending
            out.push_str(&raw[..timing.content.end]);
            out.push_str(&last_ending);
            out.push_str(&raw[to..]);
            return Ok(out);
        } else {
            out.push_str(&raw[..from]);
        }
        for (i, line) in new.iter().enumerate() {
            out.push_str(line);
            if i + 1 == m {
                out.push_str(if k > 0 {
                    &last_ending
                } else {
                    timing.ending(raw)
                });
            } else if i + 1 < k {
                out.push_str(old[i].ending(raw));
            } else {
                out.push_str(&inner);
            }
        }
        out.push_str(&raw[to..]);
        Ok(out)
    }

    /// The block's text with new times written in each timestamp's own style.
    fn with_times(
        &self,
        block: &Block,
        start: Option<u32>,
        end: Option<u32>,
        check: bool,
    ) -> Result<String, EditError> {
        let c = Self::parts(block);
        let new_start = start.unwrap_or(c.start.ms);
        let end_field = c.end.as_ref().filter(|_| self.format.has_end_times());
        let new_end = end_field.map(|e| end.unwrap_or(e.ms));
        if let Some(new_end) = new_end
            && check
            && new_end < new_start
        {
            return Err(EditError::EndBeforeStart {
                start: format_hms(new_start),
                end: format_hms(new_end),
            });
        }
        let mut raw = block.raw.to_string();
        if let (Some(e), Some(ms)) = (end_field, new_end)
            && ms != e.ms
        {
            raw.replace_range(e.span.clone(), &e.style.format(ms));
        }
        let s = &c.start;
        let printed = s.style.format(new_start);
        if new_start != s.ms && printed != block.raw[s.span.clone()] {
            raw.replace_range(s.span.clone(), &printed);
        }
        Ok(raw)
    }

    fn layout(&self, template: Option<&Block>) -> Layout {
        let text = || self.text();
        let Some(t) = template else {
            let style = match self.format {
                Format::Vtt => TimeStyle::VTT,
                Format::Srt => TimeStyle::SRT,
                Format::Txt => TimeStyle::TXT,
            };
            let all = text();
            return Layout {
                ending: lines::dominant_ending(&all).to_owned(),
                start_style: style,
                end_style: style,
                arrow: " --> ".into(),
                number: (self.format == Format::Srt).then_some(1),
            };
        };
        let c = Self::parts(t);
        let ending = match c.line_ending(&t.raw) {
            "" => lines::dominant_ending(&text()).to_owned(),
            e => e.to_owned(),
        };
        let (end_style, arrow) = match &c.end {
            Some(e) => (e.style, t.raw[c.start.span.end..e.span.start].to_owned()),
            None => (c.start.style, " --> ".to_owned()),
        };
        Layout {
            ending,
            start_style: c.start.style,
            end_style,
            arrow,
            number: c
                .label
                .clone()
                .and_then(|r| t.raw[r].trim().parse().ok())
                .filter(|_| self.format == Format::Srt),
        }
    }

    /// The content lines of a new cue (each line with `layout.ending`), without blank lines.
    fn render(
        &self,
        layout: &Layout,
        number: Option<u64>,
        start: u32,
        end: Option<u32>,
        text: &str,
    ) -> String {
        let le = &layout.ending;
        let mut out = String::new();
        if self.format == Format::Txt {
            out.push_str(&layout.start_style.format(start));
            if !text.is_empty() {
                out.push(' ');
                out.push_str(text);
            }
            out.push_str(le);
            return out;
        }
        if let Some(n) = number {
            out.push_str(&format!("{n}{le}"));
        }
        out.push_str(&layout.start_style.format(start));
        out.push_str(&layout.arrow);
        out.push_str(&layout.end_style.format(end.unwrap_or(start)));
        out.push_str(le);
        for line in text.split('\n').filter(|_| !text.is_empty()) {
            out.push_str(line);
            out.push_str(le);
        }
        out
    }

    /// Places a new cue (its content lines) right after block `prev`, whose index is `prev_at`.
    /// The new cue takes over `prev`'s tail (so the end of the file keeps its shape) and `prev`
    /// gains a blank line if it had none. Returns the possibly rewritten `prev` and the new cue.
    fn attach_after(
        &mut self,
        prev: &Block,
        prev_at: usize,
        content: String,
    ) -> Result<(Block, Block), EditError> {
        let tail_from = self.tail_from(&prev.raw);
        let tail = &prev.raw[tail_from..];
        let le = lines::dominant_ending(&content).to_owned();
        let breaks = lines::count_breaks(tail);
        let (prev_new, new_tail) = if breaks >= 2 {
            (prev.clone(), tail.to_owned())
        } else {
            let first = if tail.is_empty() {
                le.clone()
            } else {
                tail.to_owned()
            };
            let raw = format!("{}{first}{le}", &prev.raw[..tail_from]);
            let cue = prev.cue().is_some();
            (
                self.reparse(raw, prev.id, starts_file(&self.blocks, prev_at), cue)?,
                tail.to_owned(),
            )
        };
        let body = content.strip_suffix(le.as_str()).unwrap_or(&content);
        let id = self.next_id;
        self.next_id += 1;
        let new = self.reparse(format!("{body}{new_tail}"), id, false, true)?;
        Ok((prev_new, new))
    }

    /// Where the tail (the last content line's ending and the blank lines after it) of a block's
    /// text starts.
    fn tail_from(&self, raw: &str) -> usize {
        let txt = self.format == Format::Txt;
        lines::lines(raw)
            .filter(|l| !(l.is_blank() || txt && l.is_blank_txt(raw)))
            .last()
            .map_or(0, |l| l.content.end)
    }

    /// Removes a cue's block. The last block of the file hands its tail to the block before it
    /// (the inverse of [`Self::attach_after`]), so a file that ended with one newline still does:
    /// deleting the last entries leaves no blank line at the end.
    fn plan_delete(&mut self, cue: usize) -> Result<Patch, EditError> {
        let (b, block) = self.cue_block(cue)?;
        let plain = Patch(vec![Splice {
            at: b,
            removed: vec![Arc::clone(&block)],
            inserted: vec![],
        }]);
        if b == 0 || b + 1 != self.blocks.len() {
            return Ok(plain);
        }
        let prev = Arc::clone(&self.blocks[b - 1]);
        let tail = &block.raw[self.tail_from(&block.raw)..];
        let raw = format!("{}{tail}", &prev.raw[..self.tail_from(&prev.raw)]);
        if raw == *prev.raw {
            return Ok(plain);
        }
        let at_start = starts_file(&self.blocks, b - 1);
        match self.reparse(raw, prev.id, at_start, prev.cue().is_some()) {
            Ok(prev_new) => Ok(Patch(vec![Splice {
                at: b - 1,
                removed: vec![prev, block],
                inserted: vec![Arc::new(prev_new)],
            }])),
            // the block before would read differently without its blank lines: keep them
            Err(_) => Ok(plain),
        }
    }

    fn check_times(&self, start: u32, end: Option<u32>) -> Result<Option<u32>, EditError> {
        if !self.format.has_end_times() {
            return Ok(None);
        }
        let end =
            end.ok_or_else(|| EditError::Invalid("this format needs end_ms for a new cue".into()))?;
        if end < start {
            return Err(EditError::EndBeforeStart {
                start: format_hms(start),
                end: format_hms(end),
            });
        }
        Ok(Some(end))
    }

    fn plan_insert(
        &mut self,
        at: usize,
        start: u32,
        end: Option<u32>,
        text: &str,
    ) -> Result<Patch, EditError> {
        let count = self.cue_count();
        if at > count {
            return Err(EditError::InsertOutOfRange { at, count });
        }
        self.check_text(text)?;
        let end = self.check_times(start, end)?;
        let template = match (at, count) {
            (_, 0) => None,
            (0, _) => Some(self.cue_block(0)?.1),
            _ => Some(self.cue_block(at - 1)?.1),
        };
        let layout = self.layout(template.as_deref());
        let number = match (at, layout.number) {
            (_, None) => None,
            (_, Some(n)) if template.is_none() => Some(n),
            (0, Some(n)) => Some(n.saturating_sub(1).max(1)),
            (_, Some(n)) => Some(n + 1),
        };
        let content = self.render(&layout, number, start, end, text);
        self.place_new(at, content)
    }

    /// [`Edit::InsertLines`]: the lines as given, checked to be one cue. Its times are kept as
    /// written, even a cue that ends before it starts (the committed file had it, and `check`
    /// reports it like any other). Lines that end with their blank lines are placed verbatim
    /// right before cue `at` (the inverse of a delete, byte for byte); lines without them, or
    /// appended at the end, get blank lines laid out like the neighbours'.
    fn plan_insert_lines(&mut self, at: usize, given: &str) -> Result<Patch, EditError> {
        let count = self.cue_count();
        if at > count {
            return Err(EditError::InsertOutOfRange { at, count });
        }
        let mut content = given.to_owned();
        if !content.ends_with(['\n', '\r']) {
            let ending = match self.cue_count() {
                0 => lines::dominant_ending(&self.text()).to_owned(),
                _ => {
                    self.layout(Some(&self.cue_block(at.saturating_sub(1))?.1))
                        .ending
                }
            };
            content.push_str(&ending);
        }
        let block = self.reparse(content.clone(), 0, false, true)?;
        let blank = block.blank_run().len();
        if blank == 0 || at == count {
            content.truncate(content.len() - blank);
            return self.place_new(at, content);
        }
        let (b, _) = self.cue_block(at)?;
        let id = self.next_id;
        self.next_id += 1;
        let new = self.reparse(content, id, starts_file(&self.blocks, b), true)?;
        Ok(Patch(vec![Splice {
            at: b,
            removed: vec![],
            inserted: vec![Arc::new(new)],
        }]))
    }

    /// Places a new cue's content lines (no blank lines) before cue `at`, with the blank lines
    /// around it laid out like its neighbours'.
    fn place_new(&mut self, at: usize, content: String) -> Result<Patch, EditError> {
        let count = self.cue_count();
        if at == 0 && count > 0 {
            let (b, first) = self.cue_block(0)?;
            let blank = match first.blank_run() {
                "" => lines::dominant_ending(&content).to_owned(),
                run => run.to_owned(),
            };
            let id = self.next_id;
            self.next_id += 1;
            let new = self.reparse(
                format!("{content}{blank}"),
                id,
                starts_file(&self.blocks, b),
                true,
            )?;
            return Ok(Patch(vec![Splice {
                at: b,
                removed: vec![],
                inserted: vec![Arc::new(new)],
            }]));
        }
        let prev_at = if count > 0 {
            Some(self.cue_block(at - 1)?.0)
        } else {
            self.blocks.len().checked_sub(1)
        };
        let Some(p) = prev_at else {
            let id = self.next_id;
            self.next_id += 1;
            let new = self.reparse(content, id, true, true)?;
            return Ok(Patch(vec![Splice {
                at: 0,
                removed: vec![],
                inserted: vec![Arc::new(new)],
            }]));
        };
        let prev = Arc::clone(&self.blocks[p]);
        let (prev_new, new) = self.attach_after(&prev, p, content)?;
        Ok(Patch(vec![Splice {
            at: p,
            removed: vec![prev],
            inserted: vec![Arc::new(prev_new), Arc::new(new)],
        }]))
    }

    fn plan_split(&mut self, cue: usize, at_char: usize, at_ms: u32) -> Result<Patch, EditError> {
        let (b, block) = self.cue_block(cue)?;
        let c = Self::parts(&block);
        let text = c.text(&block.raw);
        let chars = text.chars().count();
        if at_char > chars {
            return Err(EditError::Invalid(format!(
                "at_char {at_char} is past the end of the cue text ({chars} characters)"
            )));
        }
        let start = c.start.ms;
        let end = c
            .end
            .as_ref()
            .map(|e| e.ms)
            .filter(|_| self.format.has_end_times());
        let inside = at_ms >= start && end.is_none_or(|e| at_ms <= e);
        if !inside {
            return Err(EditError::Invalid(format!(
                "split time {} is outside the cue ({} --> {})",
                format_hms(at_ms),
                format_hms(start),
                end.map_or_else(|| "…".to_owned(), format_hms)
            )));
        }
        let byte = text
            .char_indices()
            .nth(at_char)
            .map_or(text.len(), |(i, _)| i);
        let (first, second) = (text[..byte].trim_end(), text[byte..].trim_start());
        let with_text = self.with_text(&block, first)?;
        let first_block = self.reparse(with_text, block.id, starts_file(&self.blocks, b), true)?;
        let raw = self.with_times(&first_block, None, end.map(|_| at_ms), false)?;
        let first_block = self.reparse(raw, block.id, starts_file(&self.blocks, b), true)?;
        self.check_text(second)?;
        let layout = self.layout(Some(&first_block));
        let number = layout.number.map(|n| n + 1);
        let content = self.render(&layout, number, at_ms, end, second);
        let (first_block, new) = self.attach_after(&first_block, b, content)?;
        Ok(Patch(vec![Splice {
            at: b,
            removed: vec![block],
            inserted: vec![Arc::new(first_block), Arc::new(new)],
        }]))
    }

    fn plan_merge(&mut self, cue: usize) -> Result<Patch, EditError> {
        let (b1, first) = self.cue_block(cue)?;
        if cue + 1 >= self.cue_count() {
            return Err(EditError::Invalid(format!(
                "cue {cue} is the last cue: there is no next cue to merge"
            )));
        }
        let (b2, second) = self.cue_block(cue + 1)?;
        let (c1, c2) = (Self::parts(&first), Self::parts(&second));
        let (t1, t2) = (c1.text(&first.raw), c2.text(&second.raw));
        let text = match (t1.is_empty(), t2.is_empty()) {
            (true, _) => t2,
            (_, true) => t1,
            _ => format!("{t1} {t2}"),
        };
        let raw = self.with_text(&first, &text)?;
        let merged = self.reparse(raw, first.id, starts_file(&self.blocks, b1), true)?;
        let end = c2.end.as_ref().map(|e| e.ms);
        let raw = self.with_times(&merged, None, end, false)?;
        let merged = self.reparse(raw, first.id, starts_file(&self.blocks, b1), true)?;
        Ok(Patch(vec![
            Splice {
                at: b1,
                removed: vec![first],
                inserted: vec![Arc::new(merged)],
            },
            Splice {
                at: b2,
                removed: vec![second],
                inserted: vec![],
            },
        ]))
    }

    fn plan_renumber(&mut self) -> Result<Patch, EditError> {
        if self.format != Format::Srt {
            return Err(EditError::Invalid(
                "renumber applies to SRT files only".into(),
            ));
        }
        let mut splices = Vec::new();
        for (k, &b) in self.cue_blocks.clone().iter().enumerate() {
            let block = Arc::clone(&self.blocks[b]);
            let c = Self::parts(&block);
            let n = (k + 1).to_string();
            let raw = match &c.label {
                Some(r) if block.raw[r.clone()] == n => continue,
                Some(r) => {
                    let mut raw = block.raw.to_string();
                    raw.replace_range(r.clone(), &n);
                    raw
                }
                None => {
                    let le = match c.line_ending(&block.raw) {
                        "" => "\n",
                        e => e,
                    };
                    format!("{n}{le}{}", &*block.raw)
                }
            };
            let new = self.reparse(raw, block.id, starts_file(&self.blocks, b), true)?;
            splices.push(Splice {
                at: b,
                removed: vec![block],
                inserted: vec![Arc::new(new)],
            });
        }
        Ok(Patch(splices))
    }
}
