//! WebVTT block recognition, following the WebVTT parsing algorithm where it decides where
//! blocks begin and end: a cue ends at an empty line or at a line containing `-->`.

use std::ops::Range;

use crate::block::{BlockKind, CueParts};
use crate::lines::{Line, LineTable};
use crate::timing_line;

/// Whether `line` is `keyword` alone or followed by a space or tab.
pub(crate) fn starts_with_keyword(line: &str, keyword: &str) -> bool {
    line.strip_prefix(keyword)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Splits WebVTT text into blocks. `at_start` is true when `text` begins the file, so its
/// first paragraph may be the `WEBVTT` header.
pub(crate) fn split(text: &str, at_start: bool, out: &mut dyn FnMut(Range<usize>, BlockKind)) {
    let t = LineTable::new(text);
    let (all, n) = (&t.all, t.len());
    let mut i = t.leading_blank(out);
    if at_start && i < n && starts_with_keyword(all[i].text(text), "WEBVTT") {
        let start = all[i].full.start;
        let mut j = i + 1;
        while j < n && !all[j].is_blank() && !timing_line::has_arrow(text, &all[j]) {
            j += 1;
        }
        i = t.skip_blank(j);
        out(start..t.end_of(i), BlockKind::Header);
    }
    while i < n {
        let start = all[i].full.start;
        let para_end = t.para_end(i);
        let first = all[i].text(text);
        // only lines starting with N, S or R can open a NOTE, STYLE or REGION block
        let maybe_keyword = matches!(first.as_bytes().first(), Some(b'N' | b'S' | b'R'));
        let keyword = [
            ("NOTE", BlockKind::Note),
            ("STYLE", BlockKind::Style),
            ("REGION", BlockKind::Region),
        ]
        .into_iter()
        .filter(|_| maybe_keyword)
        .find(|(kw, _)| starts_with_keyword(first, kw));
        if let Some((_, kind)) = keyword {
            i = t.skip_blank(para_end);
            out(start..t.end_of(i), kind);
            continue;
        }
        let timing = if timing_line::has_arrow(text, &all[i]) {
            Some(i)
        } else if i + 1 < para_end && timing_line::has_arrow(text, &all[i + 1]) {
            Some(i + 1)
        } else {
            None
        };
        let Some(tl) = timing else {
            i = t.skip_blank(para_end);
            out(
                start..t.end_of(i),
                BlockKind::Invalid("not a cue: no timing line (`-->`) in this block".into()),
            );
            continue;
        };
        let mut e = tl + 1;
        while e < para_end && !timing_line::has_arrow(text, &all[e]) {
            e += 1;
        }
        let next = if e < para_end {
            e
        } else {
            t.skip_blank(para_end)
        };
        let range = start..t.end_of(next);
        let label = (tl > i).then(|| t.rebased(i, start).content);
        let kind = cue_kind(
            &text[range.clone()],
            label,
            t.rebased(tl, start),
            t.text_span(tl + 1, e, start),
        );
        out(range, kind);
        i = next;
    }
}

/// Builds a cue from its lines, or an invalid block if the timing line does not parse.
pub(crate) fn cue_kind(
    raw: &str,
    label: Option<Range<usize>>,
    timing_line: Line,
    text: Range<usize>,
) -> BlockKind {
    match timing_line::parse(raw, &timing_line) {
        Ok(t) => BlockKind::Cue(CueParts {
            label,
            timing_line,
            start: t.start,
            end: Some(t.end),
            settings: t.settings,
            text,
        }),
        Err(msg) => BlockKind::Invalid(msg),
    }
}
