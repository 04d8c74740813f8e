//! The `start --> end [settings]` line shared by WebVTT and SRT.
//!
//! Byte-level on purpose: this runs once per cue of every file `cueline check` reads.

use std::ops::Range;

use crate::block::TimeField;
use crate::lines::Line;
use crate::time::{parse_clock, parse_fixed};

pub(crate) struct Timing {
    pub start: TimeField,
    pub end: TimeField,
    pub settings: Option<Range<usize>>,
}

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Offset of the first `-->` in `b`.
pub(crate) fn find_arrow(b: &[u8]) -> Option<usize> {
    let mut from = 2;
    while from < b.len() {
        let i = from + memchr::memchr(b'>', &b[from..])?;
        if b[i - 2] == b'-' && b[i - 1] == b'-' {
            return Some(i - 2);
        }
        from = i + 1;
    }
    None
}

/// The canonical `HH:MM:SS.mmm --> HH:MM:SS.mmm` line (nearly every real cue): both
/// timestamps at fixed offsets, no settings. `None` sends the line down the general path,
/// which gives the same result for this shape.
fn parse_canonical(b: &[u8], base: usize) -> Option<Timing> {
    if b.len() != 29 || &b[12..17] != b" --> " {
        return None;
    }
    let field = |at: usize| -> Option<TimeField> {
        let (ms, style) = parse_fixed(&b[at..at + 12])?;
        Some(TimeField {
            ms,
            span: base + at..base + at + 12,
            style,
        })
    };
    Some(Timing {
        start: field(0)?,
        end: field(17)?,
        settings: None,
    })
}

/// Parses the timing line `line` of `raw`. The error says what is wrong, for a diagnostic.
pub(crate) fn parse(raw: &str, line: &Line) -> Result<Timing, String> {
    let base = line.content.start;
    let content = line.text(raw);
    let b = content.as_bytes();
    if let Some(t) = parse_canonical(b, base) {
        return Ok(t);
    }
    let arrow = find_arrow(b).ok_or_else(|| "no `-->` in timing line".to_owned())?;
    let (mut s0, mut s1) = (0, arrow);
    while s0 < s1 && is_ws(b[s0]) {
        s0 += 1;
    }
    while s1 > s0 && is_ws(b[s1 - 1]) {
        s1 -= 1;
    }
    let start_text = &content[s0..s1];
    let (start_ms, start_style) =
        parse_clock(start_text).ok_or_else(|| format!("invalid start time `{start_text}`"))?;
    let mut e0 = arrow + 3;
    while e0 < b.len() && is_ws(b[e0]) {
        e0 += 1;
    }
    let mut e1 = e0;
    while e1 < b.len() && !is_ws(b[e1]) {
        e1 += 1;
    }
    let end_text = &content[e0..e1];
    let (end_ms, end_style) =
        parse_clock(end_text).ok_or_else(|| format!("invalid end time `{end_text}`"))?;
    let mut t0 = e1;
    while t0 < b.len() && is_ws(b[t0]) {
        t0 += 1;
    }
    let settings = (t0 < b.len()).then(|| base + t0..base + b.len());
    Ok(Timing {
        start: TimeField {
            ms: start_ms,
            span: base + s0..base + s1,
            style: start_style,
        },
        end: TimeField {
            ms: end_ms,
            span: base + e0..base + e1,
            style: end_style,
        },
        settings,
    })
}

/// Whether a line looks like a timing line at all (has an arrow); used to find block starts.
pub(crate) fn has_arrow(raw: &str, line: &Line) -> bool {
    let b = line.text(raw).as_bytes();
    (b.len() >= 17 && &b[12..17] == b" --> ") || find_arrow(b).is_some()
}

#[cfg(test)]
mod tests {
    use super::find_arrow;

    #[test]
    fn arrows() {
        assert_eq!(find_arrow(b"a --> b"), Some(2));
        assert_eq!(find_arrow(b"-->"), Some(0));
        assert_eq!(find_arrow(b"->-->"), Some(2));
        assert_eq!(find_arrow(b"> -> --"), None);
        assert_eq!(find_arrow(b""), None);
    }
}
