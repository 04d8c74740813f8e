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
use crate::document::Document;
use crate::format::Format;
use crate::lines;
use crate::time::format_hms;

impl Document {
    /// Everything suspicious or unparseable in the document, in line order.
    ///
    /// Errors: blocks that did not parse, a WebVTT file without its header, bytes that are
    /// not text. Warnings: zero-length, negative-duration, out-of-order and overlapping cues.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        if let Some((_, reason)) = &self.opaque {
            out.push(Diagnostic {
                severity: Severity::Error,
                line: 1,
                message: reason.clone(),
            });
            return out;
        }
        let first_real = self.blocks.iter().find(|b| b.kind != BlockKind::Verbatim);
        if self.format == Format::Vtt
            && !first_real.is_some_and(|b| b.kind == BlockKind::Header)
            && !self.blocks.is_empty()
        {
            out.push(Diagnostic {
                severity: Severity::Error,
                line: 1,
                message: "missing `WEBVTT` header at the start of the file".into(),
            });
        }
        // Line numbers are counted lazily, up to the block that needs one: most files have few
        // diagnostics, and `check` reads whole repositories.
        let mut counted = (0usize, 1usize); // (blocks counted, line of the next block)
        let blocks = &self.blocks;
        let mut line_of = |index: usize| {
            while counted.0 < index {
                counted.1 += lines::count_breaks(&blocks[counted.0].raw);
                counted.0 += 1;
            }
            counted.1
        };
        let mut prev: Option<(u32, Option<u32>)> = None;
        for (index, b) in blocks.iter().enumerate() {
            match &b.kind {
                BlockKind::Invalid(msg) => out.push(Diagnostic {
                    severity: Severity::Error,
                    line: line_of(index),
                    message: msg.clone(),
                }),
                BlockKind::Cue(c) => {
                    let mut warn = |message: String| Diagnostic {
                        severity: Severity::Warning,
                        line: line_of(index)
                            + lines::count_breaks(&b.raw[..c.timing_line.full.start]),
                        message,
                    };
                    let start = c.start.ms;
                    let end = c.end.as_ref().map(|e| e.ms);
                    match end {
                        Some(end) if end == start => {
                            out.push(warn(format!("zero-length cue at {}", format_hms(start))));
                        }
                        Some(end) if end < start => out.push(warn(format!(
                            "cue ends before it starts ({} --> {})",
                            format_hms(start),
                            format_hms(end)
                        ))),
                        _ => {}
                    }
                    if let Some((prev_start, prev_end)) = prev {
                        if start < prev_start {
                            out.push(warn(format!(
                                "cue out of order: starts at {}, before the previous cue's start {}",
                                format_hms(start),
                                format_hms(prev_start)
                            )));
                        } else if let Some(prev_end) = prev_end.filter(|&e| start < e) {
                            out.push(warn(format!(
                                "cue overlaps the previous one: starts at {}, before it ends at {}",
                                format_hms(start),
                                format_hms(prev_end)
                            )));
                        }
                    }
                    prev = Some((start, end));
                }
                _ => {}
            }
        }
        out
    }
}
