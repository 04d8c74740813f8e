//! The `start --> end [settings]` line shared by WebVTT and SRT.

use std::ops::Range;

use crate::block::TimeField;
use crate::lines::Line;
use crate::time::parse_clock;

pub(crate) struct Timing {
    pub start: TimeField,
    pub end: TimeField,
    pub settings: Option<Range<usize>>,
}

const WS: [char; 2] = [' ', '\t'];

/// Parses the timing line `line` of `raw`. The error says what is wrong, for a diagnostic.
pub(crate) fn parse(raw: &str, line: &Line) -> Result<Timing, String> {
    let base = line.content.start;
    let content = line.text(raw);
    let arrow = content
        .find("-->")
        .ok_or_else(|| "no `-->` in timing line".to_owned())?;
    let left = &content[..arrow];
    let start_at = left.len() - left.trim_start_matches(WS).len();
    let start_text = left.trim_matches(WS);
    let (start_ms, start_style) =
        parse_clock(start_text).ok_or_else(|| format!("invalid start time `{start_text}`"))?;
    let right_at = arrow + 3;
    let right = &content[right_at..];
    let end_at = right_at + (right.len() - right.trim_start_matches(WS).len());
    let end_text = content[end_at..].split(WS).next().unwrap_or("");
    let (end_ms, end_style) =
        parse_clock(end_text).ok_or_else(|| format!("invalid end time `{end_text}`"))?;
    let after_end = end_at + end_text.len();
    let rest = &content[after_end..];
    let settings_at = after_end + (rest.len() - rest.trim_start_matches(WS).len());
    let settings = (settings_at < content.len()).then(|| base + settings_at..base + content.len());
    Ok(Timing {
        start: TimeField {
            ms: start_ms,
            span: base + start_at..base + start_at + start_text.len(),
            style: start_style,
        },
        end: TimeField {
            ms: end_ms,
            span: base + end_at..base + after_end,
            style: end_style,
        },
        settings,
    })
}

/// Whether a line looks like a timing line at all (has an arrow); used to find block starts.
pub(crate) fn has_arrow(raw: &str, line: &Line) -> bool {
    line.text(raw).contains("-->")
}
