//! The lossless transcript model at the heart of Cueline.
//!
//! A transcript file is parsed into a [`Document`]: a sequence of blocks whose raw texts
//! concatenate to exactly the decoded input. Cues are blocks that also carry a parsed view
//! (times, identifier, text lines) as spans into their own raw text. Printing concatenates
//! the raw texts, so an untouched block prints byte for byte. An [`Edit`] rewrites only the
//! spans it has to (a text edit only the text lines, a timing edit only the two timestamps,
//! each in the cue's own style) and then re-parses that one block, so the structure can
//! never drift from the bytes.
//!
//! Parsing never fails on content: a block that is not understood becomes an invalid block
//! with a [`Diagnostic`] and is printed back verbatim. Bytes that are not text at all (invalid
//! UTF-8, binary data) make a read-only document that prints the original bytes.
//!
//! This crate deliberately has no file system, clock, thread or async dependency: callers
//! pass bytes in and get bytes out.

mod block;
mod diagnostics;
mod document;
mod edit;
mod encoding;
pub mod export;
mod format;
mod history;
mod lines;
mod reload;
pub mod search;
mod srt;
mod time;
mod timing_line;
mod txt;
mod vtt;

pub use diagnostics::{
    CheckReport, CueCheck, CueText, Diagnostic, Severity, check, check_with_cues,
};
pub use document::{CueId, CueView, Document, InvalidBlock};
pub use edit::{Edit, EditError, EditList};
pub use encoding::Encoding;
pub use format::Format;
pub use history::Session;
pub use reload::ReloadSummary;
pub use time::{TimeStyle, format_hms, parse_clock};
