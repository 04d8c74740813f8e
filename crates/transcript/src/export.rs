//! Converting a document to a new file in another format.
//!
//! Export writes a fresh file; it is never used to rewrite an existing one. In particular an
//! existing `.txt` is never regenerated from its `.vtt` on save: about a third of the real
//! `.txt` files carry fixes that were made only there.

use crate::document::Document;
use crate::format::Format;
use crate::time::TimeStyle;

/// Length (in Unicode scalar values) at which a Talk Python TXT entry is closed.
const TXT_ENTRY_MAX_CHARS: usize = 72;

/// Renders `doc` as a new file in `format`.
pub fn export(doc: &Document, format: Format) -> String {
    match format {
        Format::Vtt => to_vtt(doc),
        Format::Srt => to_srt(doc),
        Format::Txt => to_txt(doc),
    }
}

/// Start, end and text lines of every cue; cues without an end (TXT) end where the next starts.
fn timed_cues(doc: &Document) -> Vec<(u32, u32, String)> {
    let cues: Vec<_> = doc.cues().collect();
    cues.iter()
        .enumerate()
        .map(|(i, c)| {
            let next = cues
                .get(i + 1)
                .map(|n| n.start_ms)
                .filter(|&n| n > c.start_ms);
            let end = c
                .end_ms
                .unwrap_or_else(|| next.unwrap_or(c.start_ms.saturating_add(3000)));
            (c.start_ms, end, c.text.clone())
        })
        .collect()
}

fn to_vtt(doc: &Document) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for (start, end, text) in timed_cues(doc) {
        out.push_str(&format!(
            "{} --> {}\n",
            TimeStyle::VTT.format(start),
            TimeStyle::VTT.format(end)
        ));
        push_text(&mut out, &text);
    }
    out
}

fn to_srt(doc: &Document) -> String {
    let mut out = String::new();
    for (i, (start, end, text)) in timed_cues(doc).into_iter().enumerate() {
        out.push_str(&format!(
            "{}\n{} --> {}\n",
            i + 1,
            TimeStyle::SRT.format(start),
            TimeStyle::SRT.format(end)
        ));
        push_text(&mut out, &text);
    }
    out
}

fn push_text(out: &mut String, text: &str) {
    for line in text.split('\n').filter(|l| !l.trim().is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
}

/// The Talk Python rule: cue text lines (trimmed, empty ones skipped) are appended to the
/// open entry, joined by one space, or open a new entry stamped with their cue's start. An
/// entry closes when its text ends with `.`, `?`, `!` or `-`, or reaches 72 characters.
fn to_txt(doc: &Document) -> String {
    let mut out = String::new();
    let mut open: Option<(u32, String)> = None;
    let close = |entry: (u32, String), out: &mut String| {
        out.push_str(&TimeStyle::TXT.format(entry.0));
        out.push(' ');
        out.push_str(&entry.1);
        out.push_str("\n\n");
    };
    for cue in doc.cues() {
        for line in cue
            .text
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            let entry = open.get_or_insert_with(|| (cue.start_ms, String::new()));
            if !entry.1.is_empty() {
                entry.1.push(' ');
            }
            entry.1.push_str(line);
            let done = entry.1.ends_with(['.', '?', '!', '-'])
                || entry.1.chars().count() >= TXT_ENTRY_MAX_CHARS;
            if done && let Some(e) = open.take() {
                close(e, &mut out);
            }
        }
    }
    if let Some(e) = open.take() {
        close(e, &mut out);
    }
    out
}
