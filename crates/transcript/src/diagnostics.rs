//! Problems found in a file. They live beside the document, never inside its bytes.

use serde::{Deserialize, Serialize};

/// How serious a diagnostic is. Errors mark blocks that could not be parsed (they are kept
/// verbatim and read-only); warnings mark suspicious but valid content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A problem at a 1-based line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: usize,
    pub message: String,
}

use crate::block::BlockKind;
use crate::document::{Document, split_into};
use crate::encoding::{self, Decoded};
use crate::format::Format;
use crate::lines;
use crate::time::format_hms;

/// What `check` needs of a file: its cue count and its diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub cues: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Cue count and diagnostics of `bytes` without building a [`Document`]: the splitter's blocks
/// go straight into the same diagnostics pass that [`Document::diagnostics`] runs. This is what
/// `cueline check` runs over whole repositories; it agrees with
/// `Document::parse(bytes, format)` by construction (and by test).
pub fn check(bytes: &[u8], format: Format) -> CheckReport {
    check_inner(bytes, format, None, false).report
}

/// One cue as [`check_with_cues`] hands it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueText<'a> {
    pub start_ms: u32,
    /// 1-based line of the cue's timing line (for TXT, its entry line), as in
    /// [`crate::CueView::line`]; 0 when lines were not asked for.
    pub line: usize,
    /// The text lines as written, line endings included (for TXT, the entry text after the
    /// timestamp). With the last ending dropped and the others made `\n`, this is
    /// [`crate::CueView::text`].
    pub text: &'a str,
}

/// What [`check_with_cues`] found besides the cues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueCheck {
    pub report: CheckReport,
    /// Why the bytes are not text (then no cue was handed out), as in
    /// [`Document::read_only_reason`].
    pub read_only: Option<String>,
}

/// [`check`], also handing every cue to `on_cue` in file order. One pass over the file and no
/// [`Document`]: for callers that need the cue text beside the diagnostics (`cueline check`
/// comparing the two files of a pair, a project index) without the cost of building one.
/// Counting lines for every cue costs about as much as the rest of the pass on short cues, so
/// [`CueText::line`] is filled in only when `lines` is true.
pub fn check_with_cues(
    bytes: &[u8],
    format: Format,
    lines: bool,
    on_cue: &mut dyn FnMut(CueText<'_>),
) -> CueCheck {
    check_inner(bytes, format, Some(on_cue), lines)
}

fn check_inner(
    bytes: &[u8],
    format: Format,
    mut on_cue: Option<&mut dyn FnMut(CueText<'_>)>,
    want_lines: bool,
) -> CueCheck {
    let text = match encoding::decode(bytes) {
        Decoded::Opaque(reason) => {
            return CueCheck {
                report: CheckReport {
                    cues: 0,
                    diagnostics: vec![opaque(reason.clone())],
                },
                read_only: Some(reason),
            };
        }
        Decoded::Text(text, _) => text,
    };
    let text: &str = &text;
    let mut d = Diagnoser::new(format);
    let mut counted = (0usize, 1usize); // (byte offset counted up to, its line)
    let mut line_at = |start: usize| {
        counted.1 += lines::count_breaks(&text[counted.0..start]);
        counted.0 = start;
        counted.1
    };
    split_into(format, text, true, &mut |range, kind| {
        let start = range.start;
        let raw = &text[range];
        if let (Some(f), BlockKind::Cue(c)) = (on_cue.as_mut(), &kind) {
            let timing = c.timing_line.full.start;
            let line = if want_lines {
                line_at(start) + lines::count_breaks(&raw[..timing])
            } else {
                0
            };
            f(CueText {
                start_ms: c.start.ms,
                line,
                text: &raw[c.text.clone()],
            });
        }
        d.block(raw, &kind, &mut || line_at(start));
    });
    let cues = d.cues;
    CueCheck {
        report: CheckReport {
            cues,
            diagnostics: d.finish(),
        },
        read_only: None,
    }
}

fn opaque(reason: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        line: 1,
        message: reason,
    }
}

/// The diagnostics pass over blocks in file order, shared by [`check`] and
/// [`Document::diagnostics`]. Line numbers are asked for only when a diagnostic needs one:
/// most files have few, and `check` reads whole repositories.
struct Diagnoser {
    format: Format,
    out: Vec<Diagnostic>,
    any_block: bool,
    first_real: Option<bool>,
    prev: Option<(u32, Option<u32>)>,
    cues: usize,
}

impl Diagnoser {
    fn new(format: Format) -> Diagnoser {
        Diagnoser {
            format,
            out: Vec::new(),
            any_block: false,
            first_real: None,
            prev: None,
            cues: 0,
        }
    }

    /// One block; `line` returns the 1-based line of the block's first line.
    fn block(&mut self, raw: &str, kind: &BlockKind, line: &mut dyn FnMut() -> usize) {
        self.any_block = true;
        if self.first_real.is_none() && !matches!(kind, BlockKind::Verbatim) {
            self.first_real = Some(matches!(kind, BlockKind::Header));
        }
        match kind {
            BlockKind::Invalid(msg) => self.out.push(Diagnostic {
                severity: Severity::Error,
                line: line(),
                message: msg.clone(),
            }),
            BlockKind::Cue(c) => {
                self.cues += 1;
                let out = &mut self.out;
                let mut warn = |message: String| {
                    out.push(Diagnostic {
                        severity: Severity::Warning,
                        line: line() + lines::count_breaks(&raw[..c.timing_line.full.start]),
                        message,
                    });
                };
                let start = c.start.ms;
                let end = c.end.as_ref().map(|e| e.ms);
                match end {
                    Some(end) if end == start => {
                        warn(format!("zero-length cue at {}", format_hms(start)));
                    }
                    Some(end) if end < start => warn(format!(
                        "cue ends before it starts ({} --> {})",
                        format_hms(start),
                        format_hms(end)
                    )),
                    _ => {}
                }
                if let Some((prev_start, prev_end)) = self.prev {
                    if start < prev_start {
                        warn(format!(
                            "cue out of order: starts at {}, before the previous cue's start {}",
                            format_hms(start),
                            format_hms(prev_start)
                        ));
                    } else if let Some(prev_end) = prev_end.filter(|&e| start < e) {
                        warn(format!(
                            "cue overlaps the previous one: starts at {}, before it ends at {}",
                            format_hms(start),
                            format_hms(prev_end)
                        ));
                    }
                }
                self.prev = Some((start, end));
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        if self.format == Format::Vtt && self.any_block && self.first_real != Some(true) {
            self.out.insert(
                0,
                Diagnostic {
                    severity: Severity::Error,
                    line: 1,
                    message: "missing `WEBVTT` header at the start of the file".into(),
                },
            );
        }
        self.out
    }
}

impl Document {
    /// Everything suspicious or unparseable in the document, in line order.
    ///
    /// Errors: blocks that did not parse, a WebVTT file without its header, bytes that are
    /// not text. Warnings: zero-length, negative-duration, out-of-order and overlapping cues.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        if let Some((_, reason)) = &self.opaque {
            return vec![opaque(reason.clone())];
        }
        let mut d = Diagnoser::new(self.format);
        let mut counted = (0usize, 1usize); // (blocks counted, line of the next block)
        let blocks = &self.blocks;
        for (index, b) in blocks.iter().enumerate() {
            d.block(&b.raw, &b.kind, &mut || {
                while counted.0 < index {
                    counted.1 += lines::count_breaks(&blocks[counted.0].raw);
                    counted.0 += 1;
                }
                counted.1
            });
        }
        d.finish()
    }
}
