//! The Talk Python TXT format: `HH:MM:SS text` entries (older files: `MM:SS text`), each
//! followed by a blank line. A line that does not start with a timestamp is kept verbatim and
//! is not an entry. A separator line of only spaces or tabs counts as blank: it belongs to the
//! entry before it.

use std::ops::Range;

use crate::block::{BlockKind, CueParts, TimeField};
use crate::lines::{Line, lines};
use crate::time::parse_clock;

pub(crate) fn split(text: &str, out: &mut dyn FnMut(Range<usize>, BlockKind)) {
    let mut iter = lines(text).peekable();
    while let Some(first) = iter.next() {
        let start = first.full.start;
        let mut end = first.full.end;
        while let Some(l) = iter.next_if(|l| l.is_blank_txt(text)) {
            end = l.full.end;
        }
        let kind = if first.is_blank() {
            BlockKind::Verbatim
        } else {
            entry(&text[start..end], &first.rebased(start))
                .map_or(BlockKind::Verbatim, BlockKind::Cue)
        };
        out(start..end, kind);
    }
}

/// The entry on `line` of the block text `raw`, or `None` if the line has no leading timestamp.
fn entry(raw: &str, line: &Line) -> Option<CueParts> {
    let content = line.text(raw);
    let token_len = content.find(' ').unwrap_or(content.len());
    let token = &content[..token_len];
    if token.contains(['.', ',']) {
        return None;
    }
    let (ms, style) = parse_clock(token)?;
    let ts = line.content.start..line.content.start + token_len;
    let text_start = if token_len < content.len() {
        ts.end + 1
    } else {
        ts.end
    };
    Some(CueParts {
        label: None,
        timing_line: line.clone(),
        start: TimeField {
            ms,
            span: ts,
            style,
        },
        end: None,
        settings: None,
        text: text_start..line.full.end,
    })
}
