//! SRT block recognition: `number`, `start --> end`, text lines, blank line. A block may also
//! start without its number, or follow the previous one without a blank line.

use std::ops::Range;

use crate::block::BlockKind;
use crate::lines::LineTable;
use crate::{timing_line, vtt};

fn is_number(line: &str) -> bool {
    let t = line.trim_matches([' ', '\t']);
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn split(text: &str, out: &mut dyn FnMut(Range<usize>, BlockKind)) {
    let t = LineTable::new(text);
    let (all, n) = (&t.all, t.len());
    let is_timing = |j: usize| j < n && timing_line::parse(text, &all[j]).is_ok();
    let starts_block = |j: usize| {
        let line = all[j].text(text);
        (is_number(line) && is_timing(j + 1)) || is_timing(j)
    };
    let mut i = t.leading_blank(out);
    while i < n {
        let start = all[i].full.start;
        let para_end = t.para_end(i);
        let first = all[i].text(text);
        let tl = if is_number(first)
            && i + 1 < para_end
            && timing_line::has_arrow(text, &all[i + 1])
        {
            i + 1
        } else if timing_line::has_arrow(text, &all[i]) {
            i
        } else {
            i = t.skip_blank(para_end);
            out(
                start..t.end_of(i),
                BlockKind::Invalid("not an SRT block: expected a number and a timing line".into()),
            );
            continue;
        };
        let mut e = tl + 1;
        while e < para_end && !starts_block(e) {
            e += 1;
        }
        let next = if e < para_end {
            e
        } else {
            t.skip_blank(para_end)
        };
        let range = start..t.end_of(next);
        let raw = &text[range.clone()];
        // the number, without the spaces around it
        let label = (tl > i).then(|| {
            let l = t.rebased(i, start);
            let line = l.text(raw);
            let s = l.content.start + (line.len() - line.trim_start_matches([' ', '\t']).len());
            s..s + line.trim_matches([' ', '\t']).len()
        });
        out(
            range.clone(),
            vtt::cue_kind(
                raw,
                label,
                t.rebased(tl, start),
                t.text_span(tl + 1, e, start),
            ),
        );
        i = next;
    }
}
