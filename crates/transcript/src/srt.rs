//! SRT block recognition: `number`, `start --> end`, text lines, blank line. A block may also
//! start without its number, or follow the previous one without a blank line.

use std::ops::Range;

use crate::block::{BlockKind, rebase};
use crate::lines::{Line, lines};
use crate::{timing_line, vtt};

fn is_number(line: &str) -> bool {
    let t = line.trim_matches([' ', '\t']);
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn split(text: &str, out: &mut dyn FnMut(Range<usize>, BlockKind)) {
    let mut all: Vec<Line> = Vec::with_capacity(crate::lines::count_breaks(text) + 1);
    all.extend(lines(text));
    let n = all.len();
    let is_timing = |j: usize| j < n && timing_line::parse(text, &all[j]).is_ok();
    let starts_block = |j: usize| {
        let t = all[j].text(text);
        (is_number(t) && is_timing(j + 1)) || is_timing(j)
    };
    let skip_blank = |mut j: usize| {
        while j < n && all[j].is_blank() {
            j += 1;
        }
        j
    };
    let end_of = |j: usize| if j == 0 { 0 } else { all[j - 1].full.end };
    let mut i = 0;
    if n > 0 && all[0].is_blank() {
        i = skip_blank(0);
        out(0..end_of(i), BlockKind::Verbatim);
    }
    while i < n {
        let start = all[i].full.start;
        let mut para_end = i;
        while para_end < n && !all[para_end].is_blank() {
            para_end += 1;
        }
        let first = all[i].text(text);
        let t = if is_number(first) && i + 1 < para_end && timing_line::has_arrow(text, &all[i + 1])
        {
            i + 1
        } else if timing_line::has_arrow(text, &all[i]) {
            i
        } else {
            i = skip_blank(para_end);
            out(
                start..end_of(i),
                BlockKind::Invalid("not an SRT block: expected a number and a timing line".into()),
            );
            continue;
        };
        let mut e = t + 1;
        while e < para_end && !starts_block(e) {
            e += 1;
        }
        let next = if e < para_end {
            e
        } else {
            skip_blank(para_end)
        };
        let range = start..end_of(next);
        let raw = &text[range.clone()];
        let label = (t > i).then(|| {
            let l = rebase(&all[i], start);
            let line = l.text(raw);
            let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
            let s = l.content.start + lead;
            s..s + line.trim_matches([' ', '\t']).len()
        });
        let timing = rebase(&all[t], start);
        let text_lines = if e > t + 1 {
            all[t + 1].full.start - start..all[e - 1].full.end - start
        } else {
            let at = all[t].full.end - start;
            at..at
        };
        out(range, vtt::cue_kind(raw, label, timing, text_lines));
        i = next;
    }
}
